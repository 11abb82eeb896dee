"""Every folder and file the toolkit reads or writes outside the sources, named once.

The toolkit's own files (stylesheets, web assets, built-in rules, the bundled edition) are found
relative to the package, in a checkout and in an installed wheel alike. Caches: the user cache
(``$TEIKIT_CACHE``, else ``$XDG_CACHE_HOME/teikit``, else ``~/.cache/teikit``) holds what is
shared by every project (installed schemas, compiled grammars) and, in ``projects/``, a folder
per project for its builds (documents' outputs, the id index, the output manifest, overlaid
stylesheets), keyed by the project's resolved path and the toolkit's version. Nothing of the
cache lives in the project folder: a project received from someone else cannot bring a cache
that a build would trust. A build writes only into a staging folder beside the output folder,
and marks the output folder as its own (:data:`OUTPUT_MARKER`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from toolkit import __version__

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from toolkit.project.config import Project

#: the installed ``toolkit`` package (or the checkout's ``toolkit/`` folder)
PACKAGE = Path(__file__).resolve().parents[1]
#: prefix of the staging folders a build fills beside its output folder
STAGING_PREFIX = ".output.staging-"
#: the folder of the project cache that earlier versions kept in the project (never read now)
OLD_PROJECT_CACHE = ".teikit-cache"
#: a file in every output folder a build wrote: only such a folder (or a new or empty one) is
#: ever replaced by a build
OUTPUT_MARKER = ".teikit-output"


def xslt_dir() -> Path | None:
    """Our stylesheets: inside the installed package, or beside it in a checkout; None if
    this installation lacks them."""
    for candidate in (PACKAGE / "xslt", PACKAGE.parent / "xslt"):
        if (candidate / "common").is_dir():
            return candidate
    return None


def assets_dir() -> Path:
    """The web edition's CSS, scripts and fonts, copied into ``html/assets/``."""
    return PACKAGE / "html" / "assets"


def serve_assets_dir() -> Path:
    """The preview server's own script and style (served under a reserved path, never built
    into the edition)."""
    return PACKAGE / "serve" / "assets"


def rules_dir() -> Path:
    """The toolkit's own Schematron rules."""
    return PACKAGE / "validation" / "rules"


def bundled_edition() -> Path | None:
    """The flagship edition shipped with the toolkit (checkout or installed wheel), or None."""
    for candidate in (PACKAGE / "edition", PACKAGE.parent):
        if (candidate / "tei").is_dir() and any((candidate / "tei").glob("*.xml")):
            return candidate
    return None


# ------------------------------------------------------------------------ the user cache


def user_cache() -> Path:
    """``$TEIKIT_CACHE``, else ``$XDG_CACHE_HOME/teikit``, else ``~/.cache/teikit``."""
    if os.environ.get("TEIKIT_CACHE"):
        return Path(os.environ["TEIKIT_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "teikit"


def schemas_dir() -> Path:
    """Installed TEI releases, one folder each."""
    return user_cache() / "schemas"


def grammar_cache() -> Path:
    """Compiled (specialised) RELAX NG grammars and extracted Schematron."""
    return user_cache() / "grammars"


def explain_cache() -> Path:
    """The checks of elements the explainer of schema errors found fine, per grammar."""
    return grammar_cache() / "explain"


def projects_cache() -> Path:
    """The cache folders of the projects built, one each."""
    return user_cache() / "projects"


# ----------------------------------------------------------------------- a project's folders


def sources_dir(project: Project) -> Path:
    """The folder the sources pattern starts from: its folders before the first wildcard
    (``tei`` for ``tei/**/*.xml``, the project folder for ``*.xml``)."""
    fixed = []
    for part in PurePosixPath(project.sources).parts[:-1]:
        if any(c in part for c in "*?["):
            break
        fixed.append(part)
    return project.root.joinpath(*fixed)


def project_cache(project: Project) -> Path:
    """The cache folder of one project's builds: in the user cache, keyed by the project's
    resolved path and the toolkit's version (a project never supplies its own cache).
    Looked up once per project folder and user cache (until :func:`forget_resolved`)."""
    memo = (str(project.root), *map(os.environ.get, ("TEIKIT_CACHE", "XDG_CACHE_HOME", "HOME")))
    found = _project_caches.get(memo)
    if found is None:
        where = str(resolved(project.root))
        key = hashlib.sha256(f"{where}\0{__version__}".encode("utf-8", "surrogateescape"))
        name = re.sub(r"[^\w.-]+", "-", Path(where).name)[:40] or "project"
        found = _project_caches[memo] = projects_cache() / f"{name}-{key.hexdigest()[:16]}"
    return found


_project_caches: dict[tuple, Path] = {}


def build_cache(project: Project) -> Path:
    """One folder per built document (its outputs, facts and diagnostics)."""
    return project_cache(project) / "build"


def output_manifest(project: Project) -> Path:
    """What the last build wrote into the output folder (to leave an unchanged one alone)."""
    return project_cache(project) / "output.json"


def image_cache(project: Project) -> Path:
    """Page images made fit to publish (tiles, web images, plates) by content, and remote
    ones fetched at build time (``remote/``): shared by every document and build."""
    return project_cache(project) / "images"


def ids_cache(project: Project) -> Path:
    """Each source's part of the edition's id index."""
    return project_cache(project) / "ids"


def index_file(project: Project) -> Path:
    """The edition's id index of the last build (pickled: the next build updates it by the
    files that changed, and the validating workers read it)."""
    return project_cache(project) / "index.pickle"


def edition_store(project: Project) -> Path:
    """The edition's entries and mentions (SQLite), for the registers."""
    return project_cache(project) / "edition.sqlite"


def site_cache(project: Project) -> Path:
    """The edition-wide pages of the last build, reused while their inputs are unchanged."""
    return project_cache(project) / "site"


def search_cache(project: Project) -> Path:
    """The search indexes' files (kept by content) and state of the last build, one folder per
    interface language, patched by the next build."""
    return project_cache(project) / "search-files"


def digests_file(project: Project) -> Path:
    """The remembered digests of the sources."""
    return project_cache(project) / "sources.json"


def build_lock(project: Project) -> Path:
    """The lock that keeps two builds of one project apart."""
    return project_cache(project) / "build.lock"


def i18n_dir(project: Project) -> Path:
    """The edition's own interface strings: ``i18n/<language>.toml`` (see toolkit.i18n)."""
    return project.root / "i18n"


def overlay_dir(project: Project) -> Path:
    """The project's own stylesheet files, replacing ours by relative path."""
    return project.root / "xslt"


def overlaid_stylesheets(project: Project) -> Path:
    """Copies of our stylesheets with the project's overlay applied, one per fingerprint."""
    return project_cache(project) / "xslt"


def kept_pages(project: Project) -> Path:
    """``teikit serve``: the last good page of each document, shown while its source fails."""
    return project_cache(project) / "serve" / "pages"


def stylesheet_drivers(project: Project) -> Path:
    """Small stylesheets importing ours and then the project's template overrides."""
    return project_cache(project) / "drivers"


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def resolved(path: str | os.PathLike) -> Path:
    """``Path(path).resolve()`` for the many files of a few folders: each folder's real path
    is looked up once (until :func:`forget_resolved`), the file's own name is checked with one
    lstat (a symbolic link, or a path with ``..``, is resolved in full)."""
    given = os.fspath(path)
    text = os.path.abspath(given)
    if ".." in given:
        return Path(os.path.realpath(text))
    known = _listed.get(text)
    if known is not None:
        return Path(known)
    if os.path.islink(text):
        return Path(os.path.realpath(text))
    head, tail = os.path.split(text)
    return Path(os.path.join(_real_folder(head), tail))


def listed_file(text: str) -> str | None:
    """The real path of the file at the absolute, normalised path ``text`` as a listing of
    the sources finds it (one lstat: a link is resolved in full), remembered for
    :func:`resolved` until :func:`forget_resolved`; None where it is no file (a folder, a
    link to none, gone)."""
    try:
        st = os.lstat(text)
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        head, tail = os.path.split(text)
        real = _listed[text] = os.path.join(_real_folder(head), tail)
        return real
    if stat.S_ISLNK(st.st_mode) and os.path.isfile(text):
        return os.path.realpath(text)
    return None


#: regular files found by :func:`listed_file` in this build: absolute path -> real path
_listed: dict[str, str] = {}


def forget_resolved() -> None:
    """Forget the folders :func:`resolved` looked up (a build starts with none: a folder may
    have become a link since the last)."""
    _real_folder.cache_clear()
    _listed.clear()
    _project_caches.clear()
    for forget in _forgetting:
        forget()


#: what else forgets what it looked up with :func:`forget_resolved` (e.g. the sources' area)
_forgetting: list = []
