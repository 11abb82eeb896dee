"""A document's page in the web edition, and the facts the edition-wide pages need of it.

:func:`write_document` is the web edition's writer in the format registry: it renders the
page (``xslt/html/``) with its page images beside the text (:mod:`toolkit.html.facsimile`),
publishes a copy of the TEI source beside it and asks the same stylesheets for the document's
facts (:func:`document_facts`), so ids and anchors are computed once, in XSLT, by the
functions that make the page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from toolkit.formats import Job, page_sets
from toolkit.html.facsimile import data_json, page_images
from toolkit.project.config import Project
from toolkit.transform import render


def write_document(job: Job) -> None:
    """Write the page ``<name>.html`` (and, for each further interface language of the
    edition, ``<tag>/<name>.html``) and the source copy ``tei/<name>.xml``; add the
    document's facts to ``job.facts`` (those of a further language under ``page_sets``)."""
    (job.folder / "tei").mkdir(parents=True)
    facsimile = data_json(page_images(job))
    for ps in page_sets(job.project, job.params):
        folder = job.folder / ps.folder
        folder.mkdir(parents=True, exist_ok=True)
        page = render(job.doc.tree, "html", {**ps.params, "source-name": job.name,
                                             "source-uri": job.path.resolve().as_uri(),
                                             "facsimile": facsimile},
                      job.project, job.path)
        (folder / f"{job.name}.html").write_text(page, encoding="utf-8")
        del page  # written; its search blocks are read from the file, once the TEI is gone
        facts = document_facts(job.doc, job.project, name=job.name, params=ps.params)
        if ps.folder:
            job.facts.setdefault("page_sets", {})[ps.folder] = facts
        else:
            job.facts.update(facts)
    shutil.copyfile(job.path, job.folder / "tei" / f"{job.name}.xml")
    del facsimile


def document_facts(doc, project: Project | None, name: str,
                   params: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the index and the registers need to know about one document (JSON-serialisable).

    Keys: name, kind ("text", or "authority" for a file of standOff lists only), title, subtitle,
    author, date, date_iso, source_citation, language, graphics (local image paths), mentions
    (id, type, name, text, original, anchor, figurative, meant, meant_type) and entities
    (id -> type, name, dates, birth, death, role, note, located, wikidata). Dates are in the
    words of the interface language of ``params`` (the build's stylesheet parameters).
    """
    params = {
        "reading": project.reading if project else "normalised",
        **(params or {}),
        "page": "facts",
        "source-name": name,
        "source-uri": Path(doc.path).resolve().as_uri(),
    }
    facts = json.loads(render(doc.tree, "html", params, project, Path(doc.path)))
    facts["source_citation"] = facts.pop("source", "")
    facts["source_dir"] = str(Path(doc.path).resolve().parent)
    return facts
