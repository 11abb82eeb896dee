"""The web edition's data for other tools: the letters as CMIF (the Correspondence Metadata
Interchange Format of correspSearch, ``cmif.xml``) and the registers as CSV and JSON-LD
(``data/registers.csv``, ``data/registers.jsonld``, schema.org vocabulary).

CMIF lists every letter with a public address (``base_url`` + its page), its senders and
addressees, places and dates of sending and receipt, and names each person and place by an
authority identifier where its register entry has one (GND, VIAF, Wikidata, GeoNames, ...).
It is written when the edition has letters and ``base_url`` is set (correspSearch needs the
address of each letter); ``edition_id``, ``editor`` and ``licence`` fill its header.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lxml import etree

from toolkit.html.published import safe_href
from toolkit.html.registers import REGISTERS
from toolkit.project.config import Project
from toolkit.tei import TEI_NS, XML_ID
from toolkit.validation.authority import authority_uri

if TYPE_CHECKING:  # pragma: no cover - for annotations only

    from toolkit.html.site import SiteData

CMIF = "cmif.xml"
CSV = "data/registers.csv"
JSONLD = "data/registers.jsonld"

#: schema.org types of the registers' entities
SCHEMA_TYPES = {"person": "Person", "place": "Place", "org": "Organization",
                "work": "CreativeWork", "event": "Event"}
#: which authority CMIF prefers for a person or an organisation, and for a place
_PERSON_AUTHORITIES = ("d-nb.info/gnd", "viaf.org", "wikidata.org", "id.loc.gov", "data.bnf.fr",
                       "id.ndl.go.jp")
_PLACE_AUTHORITIES = ("geonames.org", "wikidata.org", "d-nb.info/gnd", "vocab.getty.edu")
_CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")
CSV_FIELDS = ("id", "type", "name", "sort", "dates", "birth", "death", "role", "note", "located",
              "gnd", "viaf", "wikidata", "geonames", "other_uris", "lat", "long", "documents",
              "url")


def listed_entities(data: SiteData, counts: dict[tuple[str, str], int],
                    unlisted: dict[tuple[str, str], dict]) -> Iterator[dict[str, Any]]:
    """Every entity of the registers, with its data, its register page (``url``) and the
    number of documents that mention it (``counts``), register by register, by name; the
    entities no entry has (``unlisted``) with what the documents say of them."""
    by_eid = {eid: key for key, eid in data.eids.items()}
    docs = counts
    for etype in REGISTERS:
        found = []
        eids = data.layout.listed.get(etype, [])
        for i in range(0, len(eids), 500):
            chunk = eids[i:i + 500]
            known = data.store.entry_data([by_eid[e] for e in chunk])
            found += [(eid, known.get(by_eid[eid], {})) for eid in chunk]
        found += [(eid, d) for (eid, t), d in unlisted.items()
                  if t == etype and eid not in by_eid]
        found.sort(key=lambda x: (str(x[1].get("sort") or x[1].get("name") or x[0]).lower(),
                                  x[0]))
        for eid, d in found:
            yield {**d, "id": eid, "type": etype, "url": data.layout.url(eid, etype),
                   "documents": docs.get((eid, etype), 0)}


def _uris(e: dict[str, Any]) -> list[str]:
    out = [authority_uri(v, k) for k, v in e.get("idnos") or ()]
    if e.get("wikidata"):
        out.append(f"https://www.wikidata.org/entity/{e['wikidata']}")
    # only addresses a link may lead to (the rule of every published link)
    return list(dict.fromkeys(u for u in out if u and safe_href(u) == u and "://" in u))


def _absolute(base: str, url: str) -> str:
    return f"{base.rstrip('/')}/{url}" if base else url


def _geo(e: dict[str, Any]) -> tuple[float, float] | None:
    parts = re.split(r"[\s,]+", (e.get("geo") or "").strip())
    try:
        lat, long = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        return None
    return (lat, long) if -90 <= lat <= 90 and -180 <= long <= 180 else None


def registers_csv(entities: list[dict[str, Any]], base: str) -> str:
    """The registers as one CSV table (a header row, one row per entity)."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for e in entities:
        uris = _uris(e)
        pick = {k: next((u for u in uris if k in u), "") for k in ("gnd", "viaf", "wikidata",
                                                                   "geonames")}
        geo = _geo(e)
        w.writerow({**{k: e.get(k) or "" for k in CSV_FIELDS}, **pick,
                    "other_uris": " ".join(u for u in uris if u not in pick.values()),
                    "lat": geo[0] if geo else "", "long": geo[1] if geo else "",
                    "url": _absolute(base, e["url"])})
    return out.getvalue()


def registers_jsonld(entities: list[dict[str, Any]], base: str) -> str:
    """The registers as JSON-LD: one schema.org node per entity, ``sameAs`` its authority
    records."""
    graph = []
    for e in entities:
        node: dict[str, Any] = {"@type": SCHEMA_TYPES[e["type"]],
                                "@id": _absolute(base, e["url"]),
                                "url": _absolute(base, e["url"]),
                                "name": e.get("name") or e["id"],
                                "identifier": e["id"]}
        if e.get("names"):
            node["alternateName"] = e["names"]
        for key, prop in (("birth", "birthDate"), ("death", "deathDate")):
            value = (e.get(key) or "").strip()
            if e["type"] == "person" and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
                node[prop] = value
        description = "; ".join(x for x in (e.get("dates"), e.get("role"), e.get("note")) if x)
        if description:
            node["description"] = description
        if e.get("located") and e["type"] != "place":
            node["location"] = e["located"]
        geo = _geo(e)
        if geo and e["type"] == "place":
            node["geo"] = {"@type": "GeoCoordinates", "latitude": geo[0], "longitude": geo[1]}
        uris = _uris(e)
        if uris:
            node["sameAs"] = uris
        graph.append(node)
    return json.dumps({"@context": "https://schema.org", "@graph": graph},
                      ensure_ascii=False, indent=1)


def edition_uuid(project: Project | None) -> str:
    """The UUID that names the edition's source in CMIF: ``edition_id``, else one derived
    from its address (the same for every build of it)."""
    given = (project.edition_id if project else "") or ""
    if given:
        return str(uuid.UUID(given))
    return str(uuid.uuid5(uuid.NAMESPACE_URL, (project.base_url if project else "") or "teikit"))


def cmif(project: Project, letters: list[dict[str, Any]], entities: dict[tuple[str, str], dict],
         build_date: str) -> bytes:
    """The CMIF file of the letters (their facts), ``entities``: (id, type) -> entry data."""
    base = project.base_url.rstrip("/")
    source = edition_uuid(project)
    t = f"{{{TEI_NS}}}"
    root = etree.Element(t + "TEI", nsmap={None: TEI_NS})
    header = etree.SubElement(root, t + "teiHeader")
    fd = etree.SubElement(header, t + "fileDesc")
    ts = etree.SubElement(fd, t + "titleStmt")
    etree.SubElement(ts, t + "title").text = project.title
    etree.SubElement(ts, t + "editor").text = project.editor or project.title
    ps = etree.SubElement(fd, t + "publicationStmt")
    pub = etree.SubElement(ps, t + "publisher")
    etree.SubElement(pub, t + "ref", target=base + "/").text = project.title
    etree.SubElement(ps, t + "idno", type="url").text = f"{base}/{CMIF}"
    when = build_date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", build_date or "") else "1970-01-01"
    etree.SubElement(ps, t + "date", when=f"{when}T00:00:00Z")
    av = etree.SubElement(ps, t + "availability")
    etree.SubElement(av, t + "licence", target=project.licence).text = (
        f"This file is licensed under the terms of {project.licence}")
    sd = etree.SubElement(fd, t + "sourceDesc")
    bibl = etree.SubElement(sd, t + "bibl", type="online")
    bibl.set(XML_ID, _ncname(source))
    bibl.text = f"{project.title}. "
    etree.SubElement(bibl, t + "ref", target=base + "/").text = base + "/"
    profile = etree.SubElement(header, t + "profileDesc")
    for f in letters:
        letter = f["letter"]
        cd = etree.SubElement(profile, t + "correspDesc", ref=f"{base}/{f['name']}.html",
                              source=f"#{_ncname(source)}")
        for action, who in (("sent", "senders"), ("received", "addressees")):
            ca = etree.SubElement(cd, t + "correspAction", type=action)
            people = letter.get(who) or []
            for p in people:
                _party(ca, t, p, entities, _PERSON_AUTHORITIES)
            if not people:
                etree.SubElement(ca, t + "persName").text = "Unknown"
            facts = letter.get(action) or {}
            for place in (facts.get("places") or [])[:1]:
                _party(ca, t, {**place, "type": "place"}, entities, _PLACE_AUTHORITIES)
            date = _cmif_date(facts.get("dates") or [])
            if date:
                etree.SubElement(ca, t + "date", **date)
    text = etree.SubElement(root, t + "text")
    etree.SubElement(etree.SubElement(text, t + "body"), t + "p")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _ncname(ident: str) -> str:
    """An xml:id of a UUID: one that begins with a digit is no NCName, prefixed with 'x'."""
    return ident if ident[:1].isalpha() else "x" + ident


def _party(parent, t: str, p: dict[str, Any], entities, preferred) -> None:
    tag = {"person": "persName", "org": "orgName", "place": "placeName"}.get(
        p.get("type") or "person", "persName")
    el = etree.SubElement(parent, t + tag)
    el.text = p.get("name") or p.get("text") or "Unknown"
    data = entities.get((p.get("id") or "", p.get("type") or "person")) or {}
    uris = _uris(data)
    for want in preferred:
        found = next((u for u in uris if want in u), None)
        if found:
            el.set("ref", found)
            break
    if p.get("evidence") in ("conjecture", "transcription", "external", "internal"):
        el.set("evidence", p["evidence"])


def _cmif_date(dates: list[dict[str, str]]) -> dict[str, str] | None:
    """CMIF's date of a letter: YYYY, YYYY-MM or YYYY-MM-DD only; several dates of writing
    are a range from the first to the last."""
    attrs = {}
    for d in dates:
        for k in ("when", "from", "to", "notBefore", "notAfter"):
            m = _CMIF_DATE.match(d.get(k) or "")
            if m:
                attrs.setdefault(k, []).append(m.group(0))
    if not attrs:
        return None
    whens = attrs.get("when", [])
    if len(whens) > 1:
        return {"from": min(whens), "to": max(whens)}
    return {k: v[0] for k, v in attrs.items()}


def write_exports(project: Project | None, facts: list[dict[str, Any]],
                  entities: list[dict[str, Any]], pages: Any, key: str,
                  build_date: str) -> None:
    """The data files of the web edition (``pages``: the site's writer, which keeps what
    was made of the same inputs)."""
    base = project.base_url if project else ""
    pages.file(CSV, f"{key}\0{base}", lambda: registers_csv(entities, base))
    pages.file(JSONLD, f"{key}\0{base}", lambda: registers_jsonld(entities, base))
    letters = [f for f in facts if f.get("letter")]
    if letters and project is not None and project.base_url:
        by_key = {(e["id"], e["type"]): e for e in entities}
        # (the entities' key by its digest: it is megabytes for tens of thousands of entries)
        inputs = json.dumps([hashlib.sha256(key.encode()).hexdigest(),
                             [[f["name"], f["letter"]] for f in letters],
                             [project.title, project.editor, project.edition_id,
                              project.licence, project.base_url, build_date]], sort_keys=True)
        pages.file(CMIF, inputs, lambda: cmif(project, letters, by_key, build_date))
