"""Load stage: read a source file, parse it safely, expand its XIncludes.

This is the one entry point the other stages use to get a TEI document: a
:class:`~toolkit.load.source.Document` and the diagnostics of reading it, never an exception for
bad input.
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.load.source import Document, display_path, parse_bytes
from toolkit.load.xinclude import expand
from toolkit.project import confine
from toolkit.tei import XI_NS


def load(
    path: Path, display: str | None = None, area: confine.Area | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """Parse ``path``. Returns the document (or None) and the diagnostics of reading it.

    With ``area`` (the edition's sources, :func:`toolkit.project.confine.sources`) the file
    itself must lie in it; XIncludes are expanded when their targets are local files inside
    ``area`` (default: the document's folder); anything else is refused with a diagnostic."""
    path = Path(path)
    shown = display or display_path(path)
    if area is not None:
        why = area.file_problem(path)
        if why is not None and os.path.exists(path):
            return None, [Diagnostic(shown, 1, 1, ERROR, f"source refused: it {why}; an "
                                     "edition reads only files inside its sources folder",
                                     "confined")]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(shown, 1, 1, ERROR, f"cannot read file: {exc.strerror}", "io")]
    doc, diags = parse_bytes(data, path, shown)
    if doc is not None and XI_NS.encode() in data:
        diags.extend(expand(doc, area or confine.folder(path)))
    return doc, diags
