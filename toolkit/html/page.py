"""A document's page in the web edition, and the facts the edition-wide pages need of it.

:func:`write_document` is the web edition's writer in the format registry: it renders the
page (``xslt/html/``) with its page images beside the text (:mod:`toolkit.html.facsimile`),
publishes a copy of the TEI source beside it (made unable to run script,
:mod:`toolkit.html.published`) and asks the same stylesheets for the document's facts
(:func:`document_facts`), so ids and anchors are computed once, in XSLT, by the functions that
make the page. The files of the edition a document points into (``persons.xml#id``) are read
here, inside the edition's sources only, and handed to the stylesheets (:func:`documents_for`).
"""

from __future__ import annotations

import json
import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

from toolkit.diagnostics import WARNING, Diagnostic
from toolkit.formats import Job, page_sets
from toolkit.html.facsimile import data_json, page_images
from toolkit.html.published import image_problem, tei_copy
from toolkit.load import Document, load
from toolkit.project import confine
from toolkit.project.config import Project
from toolkit.tei import TEI_NS, XI_NS
from toolkit.transform import prepare, render


def write_document(job: Job) -> None:
    """Write the page ``<name>.html`` (and, for each further interface language of the
    edition, ``<tag>/<name>.html``) and the source copy ``tei/<name>.xml``; add the
    document's facts to ``job.facts`` (those of a further language under ``page_sets``)."""
    (job.folder / "tei").mkdir(parents=True)
    area = confine.sources(job.project)
    documents = documents_for(job.doc, area, job.project)
    images = page_images(job)
    for ps in page_sets(job.project, job.params):
        folder = job.folder / ps.folder
        folder.mkdir(parents=True, exist_ok=True)
        facsimile = data_json(images, str(ps.params.get("site-root", "")))
        page = render(job.doc.tree, "html", {**ps.params, "source-name": job.name,
                                             "documents": documents, "facsimile": facsimile},
                      job.project, job.path)
        (folder / f"{job.name}.html").write_text(page, encoding="utf-8")
        del page  # written; its search blocks are read from the file, once the TEI is gone
        facts = document_facts(job.doc, job.project, name=job.name, params=ps.params,
                               documents=documents)
        if ps.folder:
            facts.pop("graphics", None)  # the main set's (published images only, below)
            for k in ("mentions", "entities"):  # the registers' are the main set's (the store)
                facts.pop(k, None)
            job.facts.setdefault("page_sets", {})[ps.folder] = facts
        else:
            job.facts.update(facts)
    (job.folder / "tei" / f"{job.name}.xml").write_bytes(tei_copy(job.doc.data))
    del images, facsimile
    job.facts["graphics"] = _publishable_images(job, job.facts, area)


def _publishable_images(job: Job, facts: dict[str, Any], area: confine.Area) -> list[str]:
    """The images of the page that may be published (see :func:`image_problem`); a warning
    for each other one (the page shows its description instead of it)."""
    kept = []
    folder = Path(facts["source_dir"])
    shown = set(facts.get("graphics", []))
    for el in job.doc.root.iter(f"{{{TEI_NS}}}graphic"):
        rel = (el.get("url") or "").strip()
        if rel in shown:
            why = image_problem(folder / rel, area)
            if why is None:
                kept.append(rel)
                shown.discard(rel)
                continue
            shown.discard(rel)
        elif not _SVG.search(rel) or "://" in rel or not os.path.lexists(folder / rel):
            continue  # a web address, or missing (the integrity check's) ...
        else:  # ... or an SVG, which the page never shows
            why = ("only raster images (PNG, JPEG, GIF, WebP, AVIF) are published: an SVG "
                   "can hold script; convert it to PNG")
        if os.path.lexists(folder / rel):
            line, col = job.doc.locate(el)
            job.diagnostics.append(Diagnostic(job.doc.display, line, col, WARNING,
                                              f"image {rel} not published: {why}", "image"))
    return kept


_SVG = re.compile(r"\.svgz?$", re.I)

#: in a document's cache entry: the passages that mention entities (for the registers; the
#: build reads them into its store once, never all at once)
MENTIONS = "mentions.json"


def document_facts(doc, project: Project | None, name: str,
                   params: dict[str, Any] | None = None,
                   documents: dict | None = None) -> dict[str, Any]:
    """What the index, the letters and the registers need to know about one document
    (JSON-serialisable).

    Keys: name, kind ("text", or "authority" for a file of standOff lists only), title, subtitle,
    author, date, date_iso, source_citation, language, graphics (local image paths), mentions
    (id, type, name, text, original, anchor, figurative, meant, meant_type, role), entities
    (id -> type, name, dates, birth, death, role, note, located, wikidata) and letter (senders,
    addressees, sent and received: places and dates; None for a document that is no letter).
    Dates are in the words of the interface language of ``params`` (the build's stylesheet
    parameters, with the build's word on the edition around the document: ``edition``).
    """
    if documents is None:
        area = confine.sources(project) if project is not None else confine.folder(doc.path)
        documents = documents_for(doc, area, project)
    params = {
        "reading": project.reading if project else "normalised",
        **(params or {}),
        "page": "facts",
        "source-name": name,
        "documents": documents,
    }
    facts = json.loads(render(doc.tree, "html", params, project, Path(doc.path)))
    facts["source_citation"] = facts.pop("source", "")
    facts["source_dir"] = str(Path(doc.path).resolve().parent)
    return facts


def split_mentions(facts: dict[str, Any]) -> dict[str, Any]:
    """Take the mentions (and the data of the entities they name) out of a document's facts:
    the build keeps them apart (:data:`MENTIONS`), the facts it holds stay small."""
    return {"mentions": facts.pop("mentions", []), "entities": facts.pop("entities", {})}


# ------------------------------------------------------------ the files a document points into

#: a pointer into another file of the edition, as the stylesheets resolve it (h:resolve)
_FILE_POINTER = re.compile(r"^((?:[\w][\w.\-]*/)*[\w][\w.\-]*\.xml)#[\w.\-]+$")
_cache: OrderedDict[tuple, Any] = OrderedDict()
_CACHED = 16  # authority files kept parsed per process (most editions have a few)


def documents_for(doc: Document, area: confine.Area, project: Project | None = None) -> dict:
    """The files of the edition ``doc`` points into, each loaded (safely, XIncludes inside
    ``area``) and handed to Saxon once per process, by the relative path its pointers give;
    a file outside ``area`` (a link out of the edition, a hidden folder) is not read."""
    out: dict[str, Any] = {}
    if b".xml#" not in doc.data and XI_NS.encode() not in doc.data:
        return out  # most documents point into no other file (and include none)
    here = Path(doc.path).resolve()
    for el in doc.root.iter(tag="{*}*"):
        for value in el.attrib.values():
            if ".xml#" not in value:
                continue
            for token in value.split():
                m = _FILE_POINTER.match(token)
                rel = m.group(1) if m else None
                if rel is None or rel in out or ".." in rel:
                    continue
                node = _document(here.parent / rel, here, area, project)
                if node is not None:
                    out[rel] = node
    return out


def _document(path: Path, here: Path, area: confine.Area, project: Project | None):
    if area.file_problem(path) is not None:
        return None
    real = confine.real(path)
    if real == here:
        return None  # "#id" is the way to point into the document itself
    st = real.stat()
    key = (str(real), st.st_mtime_ns, st.st_size, area.roots)
    node = _cache.get(key)
    if node is None:
        shown = project.display(real) if project is not None else str(real)
        loaded, _ = load(real, shown, area)  # its problems are reported when it is built
        if loaded is None:
            return None
        node = prepare(loaded.tree, real)
        _cache[key] = node
        while len(_cache) > _CACHED:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return node
