"""The page images of a document as plates of its PDF (``facsimile_plates = true``).

:func:`plates_json` gives the print stylesheets (``xslt/print/print-plates.xsl``) a JPEG of
each page image, at most :data:`toolkit.facsimile.images.PLATE` pixels, made in the image
cache from the local file (or a remote one fetched, where ``facsimile_fetch`` allows it).
Which image belongs to which page is decided by :mod:`toolkit.facsimile.pages`, as for the
web page; pages whose image stays remote have no plate.
"""

from __future__ import annotations

import json

from toolkit.diagnostics import WARNING, Diagnostic
from toolkit.errors import InputError
from toolkit.facsimile import images, remote
from toolkit.facsimile.pages import read_pages
from toolkit.formats import Job
from toolkit.project.paths import image_cache


def plates_json(job: Job) -> str:
    """The stylesheet parameter ``facsimile`` of the print edition ('' for no plates)."""
    project = job.project
    if not project.facsimile_plates:
        return ""
    facs = read_pages(job.doc.root, project.facsimile_url, project.root)
    # the web page's writer reports what is wrong with the pages, when it runs
    problems = [] if "html" in str(job.params.get("formats", "")).split(",") else list(
        facs.notes)
    cache = image_cache(project)
    plates, made = [], []
    for page in facs.pages:
        try:
            local = remote.local_copy(page, cache, project.facsimile_fetch)
            if local is None:
                continue
            path = images.plate(local, cache)
        except InputError as exc:
            problems.append((page.element, exc.message))
            continue
        plates.append({"label": page.label, "src": path.as_uri()})
        made.append(path.name)
    for el, message in problems:
        line, column = job.doc.locate(el)
        job.diagnostics.append(Diagnostic(job.doc.display or str(job.path), line, column,
                                          WARNING, message, "facsimile"))
    if made:
        job.facts["plates"] = made
    return json.dumps({"plates": plates}, ensure_ascii=False) if plates else ""
