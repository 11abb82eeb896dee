"""The one rule for every file a build opens: it must lie, symlinks followed, inside the
folders allowed for its kind; everything else is refused with a message saying why.

A project may come from someone else (a collaborator's folder, a download), and its output is
published. So nothing it names may make the build read a file it was not meant to: a source, an
image, an XInclude target or an entry file pointed into must lie below the edition's sources
folder (:func:`sources`); a stylesheet, Schematron file or schema below the project folder or
the toolkit's own package (:func:`code`). In both, the path is resolved first (``..`` and
symbolic links followed to the file they reach), hidden files and folders below the root
(``.git``, ``.env``) are never allowed, and neither is the output folder. A file that is read
must also be a regular file (no device, pipe or ``/proc`` entry behind a link).

The names of the sources are checked too (:func:`name_problem`): a file name that is not UTF-8
or holds control characters cannot name a page or be printed on a terminal safely.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.diagnostics import unsafe_char
from toolkit.errors import ConfigError, InputError
from toolkit.project import paths

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from toolkit.project.config import Project


def real(path: str | Path) -> Path:
    """``path`` made absolute with every ``..`` and symbolic link followed (the file it
    reaches need not exist)."""
    return Path(os.path.realpath(os.fspath(path)))


@dataclass(frozen=True)
class Area:
    """The folders files of one kind must lie in."""

    what: str  # for messages: "the edition's sources folder"
    roots: tuple[Path, ...]  # resolved
    excluded: tuple[Path, ...] = ()  # resolved folders inside a root that are never allowed

    def problem(self, path: str | Path) -> str | None:
        """Why ``path`` is not allowed, or None when it is."""
        try:
            target = real(path)
        except (OSError, ValueError) as exc:
            return f"cannot be resolved ({getattr(exc, 'strerror', None) or exc})"
        for ex in self.excluded:
            if target == ex or target.is_relative_to(ex):
                return f"lies inside the output folder ({ex})"
        for root in self.roots:
            if target == root or target.is_relative_to(root):
                hidden = [p for p in target.relative_to(root).parts if p.startswith(".")]
                if hidden:
                    return (f"is or lies in a hidden file or folder ({hidden[0]}), which an "
                            "edition never reads (such as .git or .env)")
                return None
        link = "" if target == Path(os.path.abspath(os.fspath(path))) else \
            f", reached through a symbolic link to {target}"
        return f"lies outside {self.what} ({self.shown()}){link}"

    def allows(self, path: str | Path) -> bool:
        return self.problem(path) is None

    def file_problem(self, path: str | Path) -> str | None:
        """Why ``path`` may not be read: outside the area, missing, or not a regular file."""
        why = self.problem(path)
        if why is not None:
            return why
        try:
            st = os.stat(path)
        except OSError as exc:
            return f"cannot be read ({exc.strerror})"
        if not stat.S_ISREG(st.st_mode):
            return "is not a regular file"
        return None

    def check(self, path: str | Path, what: str, shown: str | None = None) -> Path:
        """The resolved ``path`` if it may be read; else an :class:`InputError` naming ``what``
        it is (e.g. "the Schematron include") and why it is refused."""
        why = self.file_problem(path)
        if why is not None:
            raise InputError(f"{what} {shown or path} refused: it {why}",
                             hint="keep the files an edition uses inside its folder "
                                  "(copies, not links to files elsewhere)")
        return real(path)

    def shown(self) -> str:
        return ", ".join(str(r) for r in self.roots)


def sources(project: Project) -> Area:
    """Where the documents of ``project`` and everything they bring in (XInclude targets,
    images, files pointed into) must lie: the sources folder, never the output folder.
    Looked up once per folders (until :func:`toolkit.project.paths.forget_resolved`)."""
    memo = (str(paths.sources_dir(project)), str(project.root / project.output))
    found = _areas.get(memo)
    if found is None:
        found = _areas[memo] = Area("the edition's sources folder", (real(memo[0]),),
                                    (real(project.output_dir),))
    return found


_areas: dict[tuple[str, str], Area] = {}
paths._forgetting.append(_areas.clear)


def folder(path: str | Path) -> Area:
    """The area of a document checked on its own (``teikit validate FILE``): its folder."""
    return Area("the document's folder", (real(Path(path).parent),))


def toolkit_roots() -> tuple[Path, ...]:
    """The toolkit's own files: the package, and the stylesheets beside it in a checkout."""
    found = [real(paths.PACKAGE)]
    xslt = paths.xslt_dir()
    if xslt is not None and not real(xslt).is_relative_to(found[0]):
        found.append(real(xslt))
    return tuple(found)


def code(project: Project | None, *extra: Path) -> Area:
    """Where stylesheets, Schematron and schemas may come from: the project's folder, the
    toolkit's own files, the installed TEI schemas and the grammars compiled from them, and
    ``extra`` folders (e.g. the copy of the stylesheets with the project's overlay)."""
    roots = [real(project.root)] if project is not None else []
    roots += [*toolkit_roots(), real(paths.schemas_dir()), real(paths.grammar_cache()),
              *(real(e) for e in extra)]
    excluded = (real(project.output_dir),) if project is not None else ()
    return Area("the project's folder or the toolkit", tuple(dict.fromkeys(roots)), excluded)


def name_problem(path: str | Path) -> str | None:
    """Why a source's file name cannot name its outputs (pages, texts, links), or None."""
    name = Path(path).name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return ("its file name is not valid UTF-8 (it was written in another encoding): "
                "rename the file")
    if any(unsafe_char(ch) for ch in name):
        return ("its file name contains control characters (such as terminal escape codes or "
                "text direction overrides): rename the file")
    return None


# ---------------------------------------------------------------------------- the output folder

#: what an output folder written by an earlier teikit (before the marker file) holds
_OLD_OUTPUT = frozenset({"html", "text", "pdf", "README.md"})


def output_problem(project: Project) -> str | None:
    """Why the output folder of ``project`` may not be replaced by a build, or None.

    A build replaces its output folder whole, so it must be a folder a build made (it holds
    :data:`~toolkit.project.paths.OUTPUT_MARKER`, or only what earlier versions wrote), or a new
    or empty one; and never the project folder, its sources or stylesheets folder, or a
    hidden folder of the project (``.git``), whatever it holds."""
    out, root = real(project.output_dir), real(project.root)
    sources_root = real(paths.sources_dir(project))
    if out == root or root.is_relative_to(out):
        return "it is the project folder or contains it"
    if out == sources_root or sources_root.is_relative_to(out):
        return "it is the sources folder or contains it"
    overlay = real(paths.overlay_dir(project))
    if out == overlay or overlay.is_relative_to(out) or out.is_relative_to(overlay):
        return "it is the project's stylesheets folder (xslt/) or lies in it"
    if out.is_relative_to(root) and any(p.startswith(".") for p in out.relative_to(root).parts):
        return "it is a hidden folder of the project (such as .git)"
    if not out.exists():
        return None
    if not out.is_dir():
        return "it is a file"
    try:
        entries = {e.name for e in os.scandir(out)}
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if not entries or paths.OUTPUT_MARKER in entries or entries <= _OLD_OUTPUT:
        return None
    return (f"it holds files a build did not write ({', '.join(sorted(entries)[:3])}"
            + (", ..." if len(entries) > 3 else "") + ")")


def check_output(project: Project) -> None:
    """Raise a :class:`~toolkit.errors.ConfigError` if the output folder may not be written."""
    why = output_problem(project)
    if why is not None:
        raise ConfigError(f"output folder {project.output_dir} refused: {why}; a build "
                          "replaces its output folder whole", path=project.config_file,
                          hint="choose a new folder (e.g. output = \"output\"), or empty this "
                               "one if it may be replaced")
