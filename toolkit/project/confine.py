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
or holds control characters cannot be published as a page or printed on a terminal safely.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import InputError
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
    images, files pointed into) must lie: the sources folder, never the output folder."""
    return Area("the edition's sources folder", (real(paths.sources_dir(project)),),
                (real(project.output_dir),))


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


#: characters that reorder the text around them on a terminal (a name can hide what follows)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return (cat == "Cc" and ch not in "\n\t") or cat == "Cs" or ch in _BIDI \
        or ch in "\u2028\u2029"


def printable(text: str) -> str:
    """``text`` with control characters (terminal escape codes, C1 controls, text direction
    overrides, undecodable bytes of a file name) shown as ``\\x1b``-style escapes: safe to
    print on a terminal or in a CI log."""
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join((f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
                   if _unsafe(ch) else ch for ch in text)


def name_problem(path: str | Path) -> str | None:
    """Why a source's file name cannot name its outputs (pages, texts, links), or None."""
    name = Path(path).name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return ("its file name is not valid UTF-8 (it was written in another encoding): "
                "rename the file")
    if any(_unsafe(ch) for ch in name):
        return ("its file name contains control characters (such as terminal escape codes or "
                "text direction overrides): rename the file")
    return None
