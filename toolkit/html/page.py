"""A document's page in the web edition, and the facts the edition-wide pages need of it.

:func:`write_document` is the web edition's writer in the format registry: it renders the
page (``xslt/html/``), publishes a copy of the TEI source beside it and asks the same
stylesheets for the document's facts (:func:`document_facts`), so ids and anchors are computed
once, in XSLT, by the functions that make the page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from toolkit.formats import Job
from toolkit.project.config import Project
from toolkit.transform import render


def write_document(job: Job) -> None:
    """Write the page ``<name>.html`` and the source copy ``tei/<name>.xml``; add the
    document's facts to ``job.facts``."""
    (job.folder / "tei").mkdir(parents=True)
    page = render(job.doc.tree, "html", {**job.params, "source-name": job.name,
                                         "source-uri": job.path.resolve().as_uri()},
                  job.project, job.path)
    (job.folder / f"{job.name}.html").write_text(page, encoding="utf-8")
    shutil.copyfile(job.path, job.folder / "tei" / f"{job.name}.xml")
    del page  # written; its search blocks are read from the file, once the TEI is gone
    job.facts.update(document_facts(job.doc, job.project, name=job.name,
                                    edition=str(job.params.get("edition", ""))))


#: in a document's cache entry: the passages that mention entities (for the registers; the
#: build reads them into its store once, never all at once)
MENTIONS = "mentions.json"


def document_facts(doc, project: Project | None, name: str, edition: str = "") -> dict[str, Any]:
    """What the index, the letters and the registers need to know about one document
    (JSON-serialisable); ``edition``: the stylesheets' parameter of that name.

    Keys: name, kind ("text", or "authority" for a file of standOff lists only), title, subtitle,
    author, date, date_iso, source_citation, language, graphics (local image paths), mentions
    (id, type, name, text, original, anchor, figurative, meant, meant_type, role), entities
    (id -> type, name, dates, birth, death, role, note, located, wikidata) and letter (senders,
    addressees, sent and received: places and dates; None for a document that is no letter).
    """
    params = {
        "page": "facts",
        "source-name": name,
        "source-uri": Path(doc.path).resolve().as_uri(),
        "reading": project.reading if project else "normalised",
        "language": project.language if project else "en",
        "edition": edition,
    }
    facts = json.loads(render(doc.tree, "html", params, project, Path(doc.path)))
    facts["source_citation"] = facts.pop("source", "")
    facts["source_dir"] = str(Path(doc.path).resolve().parent)
    return facts


def split_mentions(facts: dict[str, Any]) -> dict[str, Any]:
    """Take the mentions (and the data of the entities they name) out of a document's facts:
    the build keeps them apart (:data:`MENTIONS`), the facts it holds stay small."""
    return {"mentions": facts.pop("mentions", []), "entities": facts.pop("entities", {})}
