"""The edition's registers: persons, places, organisations, works and events.

Every identified entry of any file of the edition (an authority file's ``listPerson``, a
letter's own ``standOff``) is an entity of the registers. Its data is read once per file by the
stylesheets (:func:`entries_of`, kept in the :class:`~toolkit.html.store.Store`); the passages
that mention it come from the documents' facts; names that point to no entry are listed with
what the documents say of them. :class:`Layout` says on which page each entity is: a register
of many entries is split by initial letter, and a letter of too many into parts, so that no
page grows beyond a few MB; :func:`entry_url` is the one function every link to an entry (the
documents' pages, the registers, the letters' index, the search index, the data exports) is
made with.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from toolkit.html.page import documents_for
from toolkit.html.published import page_href
from toolkit.load import load
from toolkit.project import confine
from toolkit.project.config import Project
from toolkit.tei import TEIKIT_NS as SITE_NS
from toolkit.tei import site_element
from toolkit.transform import render
from toolkit.validation.authority import authority_name, authority_uri

#: entity type -> its register page
REGISTERS = {"person": "persons", "place": "places", "org": "organisations", "work": "works",
             "event": "events"}
#: a register page is kept under about this size (HTML bytes, estimated before it is made)
PAGE_BUDGET = 1_500_000
#: the estimate: bytes of an entry's data, and of each document that mentions it
ENTRY_COST = 900
MENTION_COST = 320


def entries_of(project: Project | None, path: Path, params: dict[str, Any]) -> list[dict]:
    """The data of every entry of one file, as the stylesheets read it (run in a worker)."""
    area = confine.sources(project) if project is not None else confine.folder(path)
    doc, _ = load(path, area=area)
    if doc is None:
        return []
    out = render(doc.tree, "html", {**params, "page": "entries", "source-name": Path(path).stem,
                                    "documents": documents_for(doc, area, project)},
                 project, Path(path))
    return json.loads(out)


def entry_rows(data: list[dict], ids: set[str]) -> list[dict[str, Any]]:
    """Store rows of the entries the id index knows as entries (``ids``) and a register has
    a place for."""
    rows = []
    for e in data:
        if e.get("type") in REGISTERS and e.get("id") in ids:
            e = dict(e)
            rows.append({"id": e["id"], "type": e["type"], "sortkey": e.pop("key", ""),
                         "initial": e.pop("initial", "#"), "data": e})
    return rows


def entity_ids(entries: Iterable[tuple[str, str]],
               order: dict[str, int]) -> dict[tuple[str, str], str]:
    """The register id of every entry (file, xml:id): its xml:id, or, where an earlier file
    of the edition has an entry of that id, the file's name and the id."""
    out: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for file, ident in sorted(entries, key=lambda k: (order.get(k[0], 1 << 30), k)):
        eid = ident if ident not in taken else f"{Path(file).stem}.{ident}"
        taken.add(eid)
        out[(file, ident)] = eid
    return out


# --------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Page:
    """One register page: its file name (without ``.html``), the type of its entities, its
    label in the register's navigation ("A", "Sa – Sch"; "" for a register of one page) and
    its entities' ids, in sort order."""

    name: str
    type: str
    label: str
    entities: tuple[str, ...] = ()


@dataclass
class Layout:
    """Which page of which register each entity is on.

    A register whose entries fit in one page is one page (``persons.html``); a larger one is an
    overview page (``persons.html``: its letters, and the names that no entry has) and a page
    per initial letter (``persons-a.html``), a letter of too many entries in parts
    (``persons-s1.html``, ``persons-s2.html``)."""

    pages: dict[str, list[Page]] = field(default_factory=dict)  # type -> pages (split only)
    listed: dict[str, list[str]] = field(default_factory=dict)  # type -> eids, sorted
    page_of: dict[str, str] = field(default_factory=dict)  # eid -> page name
    counts: dict[str, int] = field(default_factory=dict)  # type -> entries listed
    unmentioned: dict[str, int] = field(default_factory=dict)  # type -> entries not listed

    def url(self, eid: str, etype: str) -> str:
        return page_href(self.page_of.get(eid) or REGISTERS.get(etype, "persons"), eid)

    def is_split(self, etype: str) -> bool:
        return bool(self.pages.get(etype))


def entry_url(entity_id: str, entity_type: str, layout: Layout | None = None) -> str:
    """The link to an entity's register entry (``"persons-a.html#pmb2121"``): its page in
    the build's ``layout``, else the first page of its register."""
    if layout is not None:
        return layout.url(entity_id, entity_type)
    return page_href(REGISTERS.get(entity_type, "persons"), entity_id)


def make_layout(listed: Iterable[tuple[str, str, str, str, int]],
                unmentioned: dict[str, int] | None = None) -> Layout:
    """The layout of the registers, from (eid, type, sort key, initial, number of documents
    that point to it) of each entity with an entry that is listed."""
    by_type: dict[str, list[tuple[str, str, str, int]]] = {}
    for eid, etype, key, initial, weight in listed:
        by_type.setdefault(etype, []).append((key, eid, initial, weight))
    layout = Layout(unmentioned=dict(unmentioned or {}))
    for etype, items in by_type.items():
        items.sort()
        layout.counts[etype] = len(items)
        layout.listed[etype] = [eid for _, eid, _, _ in items]
        register = REGISTERS[etype]
        cost = sum(ENTRY_COST + MENTION_COST * w for _, _, _, w in items)
        if cost <= PAGE_BUDGET:
            continue  # one page: every link goes to the register's page
        groups: dict[str, list[tuple[str, str, str, int]]] = {}
        for item in items:
            groups.setdefault(item[2], []).append(item)
        pages = []
        for initial in sorted(groups, key=lambda i: (i == "#", i)):
            pages += _letter_pages(register, etype, initial, groups[initial])
        layout.pages[etype] = pages
        for page in pages:
            for eid in page.entities:
                layout.page_of[eid] = page.name
    return layout


def _letter_pages(register: str, etype: str, initial: str,
                  items: list[tuple[str, str, str, int]]) -> list[Page]:
    slug = _initial_slug(initial)
    parts: list[list[tuple[str, str, str, int]]] = [[]]
    used = 0
    for item in items:
        c = ENTRY_COST + MENTION_COST * item[3]
        if parts[-1] and used + c > PAGE_BUDGET:
            parts.append([])
            used = 0
        parts[-1].append(item)
        used += c
    if len(parts) == 1:
        return [Page(f"{register}-{slug}", etype, initial, tuple(i[1] for i in items))]
    return [Page(f"{register}-{slug}{n}", etype, f"{_head(p[0][0])} – {_head(p[-1][0])}",
                 tuple(i[1] for i in p)) for n, p in enumerate(parts, 1)]


def _initial_slug(initial: str) -> str:
    if initial == "#":
        return "0"
    if initial.isascii() and initial.isalpha():
        return initial.lower()
    return "u" + "".join(f"{ord(c):04x}" for c in initial)


def _head(key: str) -> str:
    """The beginning of a sort key, for a part's label ("Sch")."""
    return key[:3].capitalize() if key else "?"


# ------------------------------------------------------------------------ register pages


#: entry data shown as attributes of the site file's tk:entity
_ATTRS = ("name", "sort", "dates", "birth", "death", "role", "note", "located", "wikidata",
          "geo")


def entity_element(parent: etree._Element, eid: str, etype: str, data: dict[str, Any],
                   href: str) -> etree._Element:
    """A tk:entity of the site file: the entry's data (its other names, authority links)."""
    el = site_element(parent, "entity", id=eid, type=etype, href=href,
                      **{k: data.get(k) for k in _ATTRS if isinstance(data.get(k), str)})
    for n in data.get("names") or ():
        site_element(el, "name").text = n
    for kind, value in data.get("idnos") or ():
        uri = authority_uri(value, kind)
        if uri:
            site_element(el, "idno", href=uri, label=authority_name(uri), type=kind).text = value
    return el


@dataclass
class RegisterPage:
    """What one register page shows: its entities (eid, type, data, mentions), and, for an
    overview page, the pages of its register."""

    name: str
    type: str
    label: str
    entities: list[tuple[str, str, dict, list[dict]]]
    pages: list[Page] = field(default_factory=list)
    unmentioned: int = 0
    count: int = 0


def register_tree(page: RegisterPage, titles: dict[str, str],
                  url_of: Any) -> etree._ElementTree:
    """The site file of one register page; ``titles``: document name -> title, ``url_of``:
    (eid, type) -> link, for figurative mentions that name another entity."""
    root = etree.Element(f"{{{SITE_NS}}}site", nsmap={None: SITE_NS})
    reg = site_element(root, "register", type=page.type, page=page.name, label=page.label,
                       register=REGISTERS[page.type], count=page.count,
                       unmentioned=page.unmentioned)
    for p in page.pages:
        site_element(reg, "page", name=p.name, label=p.label, count=len(p.entities),
                     current="yes" if p.name == page.name else None)
    for eid, etype, data, mentions in page.entities:
        el = entity_element(reg, eid, etype, data, href=url_of(eid, etype))
        for m in mentions:
            other = m.get("other") or ""
            site_element(el, "mention", doc=m["doc"], doc_title=titles.get(m["doc"], m["doc"]),
                         anchor=m.get("anchor"), text=m.get("text"), role=m.get("role") or "name",
                         other=other, other_type=m.get("other_type"),
                         other_name=m.get("other_name") or other,
                         other_href=url_of(other, m.get("other_type") or etype) if other else None)
    return etree.ElementTree(root)


def render_register(project: Project | None, page: RegisterPage, titles: dict[str, str],
                    url_of: Any, params: dict[str, Any]) -> str:
    """The HTML of one register page."""
    tree = register_tree(page, titles, url_of)
    return render(tree, "html", {**params, "page": "register"}, project)
