"""The edition-wide pages of the web edition: ``index.html``, the index of letters
(``letters.html``), the registers (``persons.html``, ``places.html``, ``organisations.html``,
``works.html``, ``events.html``, each split into pages by initial letter when it is large),
``search.html`` with its index, the data exports (``cmif.xml``, ``data/``) and ``assets/``.

Each document's page is written by :mod:`toolkit.html.page` in the build's workers; this module
puts together what spans documents, from their facts and the edition's store of entries and
mentions (:mod:`toolkit.html.store`): site files that the HTML stylesheets render into the site
pages (:func:`site_tree`, :func:`toolkit.html.registers.register_tree`,
:func:`toolkit.html.letters.letters_tree`), the search index (:mod:`toolkit.html.search`) and
the exports (:mod:`toolkit.html.exports`). A page whose inputs did not change since the last
build is taken from the site cache rather than rendered again. Every page works from
``file://`` and makes no network request.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from toolkit import i18n, pickled, resident
from toolkit.errors import ConfigError
from toolkit.formats import PageSet, page_sets
from toolkit.html import exports
from toolkit.html.letters import letters_tree
from toolkit.html.pages_out import PageQueue
from toolkit.html.published import image_problem
from toolkit.html.registers import (
    REGISTERS,
    Layout,
    Page,
    RegisterPage,
    make_layout,
    register_tree,
)
from toolkit.html.search import entry_units, search_blocks_file, write_search_index
from toolkit.html.search_index import FOLDER as SEARCH_FOLDER
from toolkit.html.store import Store
from toolkit.html.terms import VERSION as TERMS_VERSION
from toolkit.project import confine
from toolkit.project.config import Project
from toolkit.project.paths import assets_dir
from toolkit.tei import TEIKIT_NS as SITE_NS
from toolkit.tei import site_element
from toolkit.transform import render

#: the site pages write_site always makes, in navigation order (registers: their first page)
SITE_PAGES = ("index", "persons", "places", "organisations", "search")
#: and those it makes when the edition has letters, works, events
OPTIONAL_PAGES = ("letters", "works", "events")


@dataclass
class SiteData:
    """What the edition-wide pages are made of besides the documents' facts: the store of
    entries and mentions, the register id of each entry, the registers' layout, and the digests
    of what each document's page and each entry were made from (to tell what changed)."""

    store: Store
    eids: dict[tuple[str, str], str] = field(default_factory=dict)
    layout: Layout = field(default_factory=Layout)
    entry_digests: dict[tuple[str, str], str] = field(default_factory=dict)
    settings: str = ""  # the stylesheets and settings every page depends on
    cache: Path | None = None  # rendered site pages kept between builds
    search: Path | None = None  # the search indexes' files and state kept between builds


def write_site(project: Project | None, facts: list[dict[str, Any]], html_dir: Path,
               params: dict[str, Any], data: SiteData | None = None) -> None:
    """Write the index, the letters, the registers, the search page and index (of each
    interface language: the main one's in ``html_dir``, another's in ``html_dir/<tag>/``), the
    exports, and the assets with the interface's strings for the scripts
    (``assets/strings.js``). Without ``data`` (a site put together from facts alone, as the
    tests do) the registers are made from the mentions and entities in the facts."""
    html_dir = Path(html_dir)
    html_dir.mkdir(parents=True, exist_ok=True)
    facts = [f for f in facts if f and f.get("name")]
    _check_names(facts)
    if data is None:
        data = _from_facts(facts)
    copy_assets(html_dir, facsimile=any(f.get("facsimile") for f in facts))
    _copy_graphics(facts, html_dir, project)
    sets = page_sets(project, params)
    (html_dir / "assets" / "strings.js").write_text(
        i18n.script({ps.params["language"]: ps.params["strings"] for ps in sets}),
        encoding="utf-8")
    used: set[str] = set()
    queue = PageQueue(project)  # the pages are rendered in workers when there are many
    try:
        for ps in sets:
            folder = html_dir / ps.folder
            folder.mkdir(exist_ok=True)
            own = [_facts_of(f, ps.folder) for f in facts]
            _write_set(project, own, folder, ps, data, used, html_dir, queue,
                       exports_too=not ps.folder)
        queue.run()
    finally:
        queue.close()
    _Pages(project, html_dir, params, data, used).prune()


def _write_set(project: Project | None, facts: list[dict[str, Any]], folder: Path,
               ps: PageSet, data: SiteData, used: set[str], html_dir: Path,
               queue: PageQueue | None, exports_too: bool) -> None:
    """The site pages of one page set (interface language) in ``folder``; the data exports
    with the main one."""
    params = ps.params
    pages = _Pages(project, folder, params, data, used, queue)
    titles = {f["name"]: f.get("title") or f["name"] for f in facts}
    url_of = data.layout.url
    registers = _register_pages(data)
    docs_key = json.dumps([[f.get(k) for k in ("name", "kind", "title", "author", "date",
                                               "date_iso", "source_citation")] for f in facts])
    pages.write("index", docs_key, lambda: site_tree(facts))
    letters = [f for f in facts if f.get("letter")]
    if letters:
        pages.write("letters", json.dumps([[f["name"], f.get("title"), f["letter"]]
                                           for f in letters], sort_keys=True),
                    lambda: letters_tree(letters, url_of))
    mentioned = data.store.mentioned()
    unlisted = data.store.unlisted_entities()
    by_eid = {eid: key for key, eid in data.eids.items()}
    for page in registers:
        key = _register_key(page, data, mentioned, unlisted, by_eid)
        pages.write(page.name, key, lambda page=page: register_tree(
            _fill(page, data, unlisted), titles, url_of), page="register")
    pages.write("search", "", lambda: site_tree([]))
    # The registers' entities as data (search, exports): made again only when an entry, the
    # layout or the documents that mention an entity changed.
    counts = {k: n for k, (n, _) in mentioned.items()}
    ents_key = json.dumps([[(e, data.entry_digests.get(by_eid[e], ""), data.layout.url(e, t),
                             counts.get((e, t), 0)) for e in data.layout.listed.get(t, ())]
                           for t in REGISTERS] + [sorted((f"{e}|{t}", json.dumps(
                               d, sort_keys=True)) for (e, t), d in unlisted.items())])
    entities = pages.value("entities", ents_key, lambda: list(
        exports.listed_entities(data, counts, unlisted)))
    units = pages.value("entity-terms", f"{TERMS_VERSION}\0{ents_key}",
                        lambda: entry_units(entities))
    write_search_index(facts, folder, reading=str(params.get("reading", "normalised")),
                       entries=entities, strings=params["strings"],
                       target=html_dir / search_index(ps), entry_units=units,
                       store=None if data.search is None else data.search / (ps.folder or "main"))
    if exports_too:
        exports.write_exports(project, facts, entities, pages, ents_key,
                              str(params.get("build-date", "")))


def search_index(ps: PageSet) -> str:
    """The folder of a page set's search index, relative to ``html/``."""
    return f"{SEARCH_FOLDER}.{ps.folder}" if ps.folder else SEARCH_FOLDER


def _facts_of(f: dict[str, Any], folder: str) -> dict[str, Any]:
    """A document's facts as the page set in ``folder`` has them (its dates in its words)."""
    if not folder:
        return f
    own = {**f, **f.get("page_sets", {}).get(folder, {})}
    if f.get("search"):
        own["search"] = str(search_blocks_file(Path(f["search"]).parent, folder))
    return own


#: :meth:`_Pages.value`'s values kept between builds (:mod:`toolkit.resident`): site cache
#: file -> (its stamp, the value); not to be changed by their users
_values: dict[str, tuple[tuple[int, int, int], Any]] = {}


class _Pages:
    """Site pages rendered, or taken from the site cache when made of the same inputs."""

    def __init__(self, project, html_dir: Path, params: dict, data: SiteData,
                 used: set[str] | None = None, queue: PageQueue | None = None) -> None:
        self.project, self.html_dir, self.params, self.data = project, html_dir, params, data
        self.used: set[str] = set() if used is None else used  # shared by the page sets
        self.queue = queue  # where pages go to be rendered (None: rendered at once)
        self._settings: str | None = None

    def _kept(self, name: str, inputs: str, suffix: str) -> Path | None:
        """Where the site cache keeps what ``name`` is made of ``inputs``; None without one."""
        cache = self.data.cache
        if cache is None:
            return None
        if self._settings is None:  # (the same for every page of the set)
            self._settings = json.dumps(self.params, sort_keys=True, default=str)
        h = hashlib.sha256(f"{name}\0{self.data.settings}\0{self._settings}\0".encode())
        h.update(inputs.encode())
        kept = cache / f"{name.replace('/', '_')}-{h.hexdigest()[:20]}{suffix}"
        self.used.add(kept.name)
        return kept

    def _keep(self, kept: Path | None, source: Path) -> None:
        if kept is None:
            return
        kept.parent.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o444)
        os.replace(tmp, kept)

    def _cached(self, rel: str, inputs: str) -> tuple[Path, Path | None, bool]:
        """The output file ``rel``, where the site cache keeps it, and whether it was taken
        from there (made of the same inputs before)."""
        target = self.html_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            target.unlink()  # a link to a cache entry: never written through
        kept = self._kept(rel, inputs, Path(rel).suffix)
        if kept is not None and kept.is_file():
            try:
                os.link(kept, target)
            except OSError:
                shutil.copyfile(kept, target)
            return target, kept, True
        return target, kept, False

    def file(self, rel: str, inputs: str, make: Callable[[], str | bytes]) -> None:
        """The output file ``rel`` (below the web edition), made of ``inputs`` by ``make``,
        or taken from the site cache when made of the same inputs before."""
        target, kept, done = self._cached(rel, inputs)
        if done:
            return
        out = make()
        if isinstance(out, str):
            target.write_text(out, encoding="utf-8")
        else:
            target.write_bytes(out)
        self._keep(kept, target)

    def write(self, name: str, inputs: str, make: Callable[[], etree._ElementTree],
              page: str | None = None) -> None:
        """The site page ``name``, rendered from the site file ``make`` makes (now, or by
        the queue's workers)."""
        params = {**self.params, "page": page or name}
        if self.queue is None:
            self.file(f"{name}.html", inputs, lambda: render(make(), "html", params,
                                                             self.project))
            return
        target, kept, done = self._cached(f"{name}.html", inputs)
        if not done:
            self.queue.add(target, make(), params, lambda: self._keep(kept, target))

    def value(self, name: str, inputs: str, make: Callable[[], Any]) -> Any:
        """What ``make`` makes of ``inputs`` (plain data), kept in the site cache (pickled:
        read back several times faster than JSON)."""
        kept = self._kept(name, inputs, ".pickle")
        if kept is None:
            return make()
        # (teikit serve: kept in memory while its file, named by its inputs, is the same)
        known = _values.get(str(kept))
        if known is not None and known[0] == resident.stamp(kept):
            return known[1]
        out = pickled.load(kept)
        if out is None:
            out = make()
            pickled.save(kept, out)
        if resident.active():
            if not _values:
                resident.on_leaving(_values.clear)
            for k in [k for k, (st, _) in _values.items() if resident.stamp(k) != st]:
                del _values[k]  # (its file pruned since: a value no build uses now)
            _values[str(kept)] = (resident.stamp(kept), out)
        return out

    def prune(self) -> None:
        """Forget the cached pages this build did not use."""
        cache = self.data.cache
        if cache is None or not cache.is_dir():
            return
        for f in cache.iterdir():
            if f.name not in self.used:
                f.unlink(missing_ok=True)


def _register_pages(data: SiteData) -> list[RegisterPage]:
    """Every register page of the layout, entities not yet filled in; the names no entry has
    go on the register's overview page (or its one page)."""
    unlisted = data.store.unlisted_entities()
    by_eid = {eid: key for key, eid in data.eids.items()}
    pages = []
    for etype, register in REGISTERS.items():
        others = sorted((eid for (eid, t) in unlisted if t == etype and eid not in by_eid),
                        key=lambda e: (str(unlisted[(e, etype)].get("name") or e).lower(), e))
        listed = data.layout.counts.get(etype, 0)
        if not listed and not others and register not in SITE_PAGES:
            continue
        split = data.layout.pages.get(etype, [])
        if split:
            pages.append(RegisterPage(register, etype, "", [(e, etype, {}, []) for e in others],
                                      pages=split, unmentioned=data.layout.unmentioned.get(
                                          etype, 0), count=listed + len(others)))
            pages += [RegisterPage(p.name, etype, p.label, [(e, etype, {}, [])
                                                            for e in p.entities],
                                   pages=split, count=len(p.entities)) for p in split]
        else:
            mine = data.layout.listed.get(etype, [])
            pages.append(RegisterPage(register, etype, "", [(e, etype, {}, [])
                                                            for e in mine + others],
                                      unmentioned=data.layout.unmentioned.get(etype, 0),
                                      count=len(mine) + len(others)))
    return pages


def _register_key(page: RegisterPage, data: SiteData,
                  mentioned: dict[tuple[str, str], tuple[int, str]], unlisted: dict,
                  by_eid: dict[str, tuple[str, str]]) -> str:
    """What a register page is made of: its place in the register, and for each entity the
    digest of its entry and of what the documents that mention it show of them."""
    parts = [page.label, str(page.count), str(page.unmentioned),
             json.dumps([[p.name, p.label, len(p.entities)] for p in page.pages])]
    for eid, etype, _, _ in page.entities:
        key = by_eid.get(eid)
        if key is not None:
            parts.append(f"{eid}\x1f{data.entry_digests.get(key, '')}")
        else:
            parts.append(f"{eid}\x1f{json.dumps(unlisted.get((eid, etype)), sort_keys=True)}")
        parts.append(mentioned.get((eid, etype), (0, ""))[1])
    return "\x1e".join(parts)


def _fill(page: RegisterPage, data: SiteData, unlisted: dict) -> RegisterPage:
    """The page with its entities' data and mentions read from the store."""
    by_eid = {eid: key for key, eid in data.eids.items()}
    keys = [by_eid[e] for e, _, _, _ in page.entities if e in by_eid]
    known = data.store.entry_data(keys)
    names: dict[tuple[str, str], str] = {}
    filled = []
    for eid, etype, _, _ in page.entities:
        key = by_eid.get(eid)
        d = known.get(key) if key else unlisted.get((eid, etype))
        mentions = data.store.mentions_of(eid, etype)
        for m in mentions:
            if m["other"]:
                okey = (m["other"], m["other_type"] or etype)
                if okey not in names:
                    ok = by_eid.get(okey[0])
                    od = (data.store.entry_data([ok]).get(ok) if ok else
                          unlisted.get(okey)) or {}
                    names[okey] = od.get("name") or okey[0]
                m["other_name"] = names[okey]
        filled.append((eid, etype, d or {"name": eid}, mentions))
    return RegisterPage(page.name, page.type, page.label, filled, page.pages,
                        page.unmentioned, page.count)


def _from_facts(facts: list[dict[str, Any]]) -> SiteData:
    """Site data from facts that carry their mentions (a site put together without a build):
    an in-memory store; every entity is one the documents describe themselves."""
    store = Store(":memory:")
    for f in facts:
        ents = f.get("entities") or {}
        mentions = f.get("mentions") or []
        store.put_mentions(f["name"], "", _mention_rows(mentions),
                           [(m["id"], m["type"], ents.get(m["id"]) or {"name": m.get("name")})
                            for m in mentions if m.get("type") in REGISTERS])
    return SiteData(store=store, layout=make_layout([]))


def _mention_rows(mentions: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The store's rows of a document's mentions: one per mention, and one more for the entity
    a figurative mention means ("Rome" for the papacy: a row of the papacy too)."""
    rows = []
    for m in mentions:
        if m.get("type") not in REGISTERS:
            continue
        meant = m.get("meant") or ""
        meant_type = m.get("meant_type") or m["type"]
        role = m.get("role") or ""
        rows.append({"eid": m["id"], "type": m["type"], "anchor": m.get("anchor", ""),
                     "text": m.get("text", ""),
                     "role": "figurative" if m.get("figurative") and meant else role or "name",
                     "other": meant, "other_type": meant_type if meant else ""})
        if m.get("figurative") and meant and meant_type in REGISTERS:
            rows.append({"eid": meant, "type": meant_type, "anchor": m.get("anchor", ""),
                         "text": m.get("text", ""), "role": "meant", "other": m["id"],
                         "other_type": m["type"]})
    return rows


def mention_rows(mentions: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The store's rows of a document's mentions (see :func:`_mention_rows`)."""
    return _mention_rows(mentions)


def _check_names(facts: list[dict[str, Any]]) -> None:
    """A document page may not take the name of a site page (authority files may: their
    entries are shown in the registers instead)."""
    for f in facts:
        name = f["name"]
        taken = name in SITE_PAGES + OPTIONAL_PAGES or any(
            name.startswith(r + "-") and name[len(r) + 1:].isalnum() and len(name) <= len(r) + 6
            for r in REGISTERS.values())  # a page of a split register: persons-a, persons-s2
        if taken and f.get("kind") != "authority":
            raise ConfigError(
                f"the document '{name}' would overwrite the site page {name}.html",
                path=f.get("source"),
                hint="rename the TEI file",
            )


#: the viewer of page images and its library: copied only for an edition that has images
FACSIMILE_ASSETS = ("facs.*", "openseadragon.*")


def copy_assets(html_dir: Path, facsimile: bool = True) -> None:
    """Copy the stylesheet, scripts and fonts into ``html_dir/assets`` (the page images'
    viewer only if ``facsimile``)."""
    target = Path(html_dir) / "assets"
    skip = ("__pycache__", "*.md", "*.py") + (() if facsimile else FACSIMILE_ASSETS)
    shutil.copytree(
        assets_dir(),
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(*skip),
    )


def _copy_graphics(facts: list[dict[str, Any]], html_dir: Path,
                   project: Project | None = None) -> None:
    """Images the pages show (relative paths, checked by the stylesheet and by the page's
    writer) are copied from beside their TEI source, if they are raster images inside the
    edition's sources (:func:`toolkit.html.published.image_problem`: checked again, the file
    may have changed); any other is left out, and the page keeps its description."""
    for f in facts:
        src_dir = Path(f.get("source_dir", ""))
        area = confine.sources(project) if project is not None else confine.Area(
            "the document's folder", (confine.real(src_dir),))
        for rel in f.get("graphics", []):
            src, dst = src_dir / rel, html_dir / rel
            if image_problem(src, area) is None and not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(confine.real(src), dst)


# ---------------------------------------------------------------------------- the site file


def site_tree(facts: list[dict[str, Any]]) -> etree._ElementTree:
    """The site file the stylesheet renders the list of documents from."""
    root = etree.Element(f"{{{SITE_NS}}}site", nsmap={None: SITE_NS})
    for f in facts:
        site_element(
                     root,
                     "document",
                     name=f["name"],
                     kind=f.get("kind", "text"),
                     title=f.get("title") or f["name"],
                     author=f.get("author"),
                     date=f.get("date"),
                     date_iso=f.get("date_iso"),
                     source=f.get("source_citation"),
                     lang=f.get("language"),
                     )
    return etree.ElementTree(root)


__all__ = ["OPTIONAL_PAGES", "SITE_PAGES", "SiteData", "Page", "copy_assets", "mention_rows",
           "site_tree", "write_site"]
