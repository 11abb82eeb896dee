"""The plain-text editions of a document: the reading text (the configured reading, wrapped,
notes and the critical apparatus at the end, a citation header), the diplomatic text (original
readings, no notes) and, for a critical edition where ``witness_texts`` is set, the text of each
witness reconstructed from the apparatus; rendered by ``xslt/text/``. When a build has one
document to make, they are made in a second process beside it (:mod:`toolkit.text.sidecar`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.errors import TransformError
from toolkit.formats import Job
from toolkit.load import load
from toolkit.load.apparatus import witness_ids
from toolkit.project.config import Project
from toolkit.text.layout import finish
from toolkit.transform import render

#: the text editions of a document: variant -> file name pattern
TEXT_FILES = (("diplomatic", "{name}.diplomatic.txt"), ("reading", "{name}.txt"))
#: the text of one witness (``witness_texts``)
WITNESS_FILE = "{name}.witness-{witness}.txt"


def witness_texts(project: Project, tree) -> list[str]:
    """The witnesses (ids) of the document ``tree`` whose texts the project wants written."""
    if not project.witness_texts:
        return []
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    ids = witness_ids(root)
    if project.witness_texts is True:
        return ids
    return [w for w in project.witness_texts if w in ids]


def text_edition(tree, params: dict[str, Any], project: Project | None,
                 path: Path | None) -> str:
    """One text edition of the document ``tree``: the stylesheet's text, its last layout steps
    done in Python (:mod:`toolkit.text.layout`)."""
    return finish(render(tree, "text", {**params, "caller-layout": True}, project, path))


def write_texts(project: Project, path: Path, name: str, params: dict[str, Any], tree,
                folder: Path) -> None:
    """Write both text editions of the document ``tree`` (from ``path``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for variant, pattern in TEXT_FILES:
        text = text_edition(tree, {**params, "source-name": name, "variant": variant},
                            project, path)
        (folder / pattern.format(name=name)).write_text(text, encoding="utf-8")
    for witness in witness_texts(project, tree):
        text = text_edition(tree, {**params, "source-name": name, "variant": "reading",
                                   "witness": witness}, project, path)
        (folder / WITNESS_FILE.format(name=name, witness=witness)).write_text(text,
                                                                            encoding="utf-8")


def write_document(job: Job) -> None:
    """The format registry's writer: both text editions of one document."""
    write_texts(job.project, job.path, job.name, job.params, job.doc.tree, job.folder)


def render_text(path: Path, variant: str = "reading", project: Project | None = None,
                **params: Any) -> str:
    """The plain-text edition of one file: ``variant`` is "diplomatic" or "reading"; with
    ``witness="ID"`` the reading text of that witness."""
    doc, diags = load(Path(path))
    if doc is None:
        raise TransformError(diags[0].message, path=path, line=diags[0].line,
                             column=diags[0].column)
    return text_edition(doc.tree, {"variant": variant, **params}, project, Path(path))
