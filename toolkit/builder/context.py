"""The edition before its documents: what every document's outputs need to know of the others,
made once per build, before any page is.

:func:`prepare` runs three stages, each reusing what the last build made while its inputs are
unchanged: the id index (one part per source, cached by content:
:mod:`toolkit.validation.index`), the entries' data (each file with entries that other files
point to, or a register file, read by the stylesheets once per content: kept in the edition's
store, :mod:`toolkit.html.store`), and the edition around each document: the register id and
page of every entry (:class:`~toolkit.html.registers.Layout`), the letters' order
(:mod:`toolkit.html.letters`) and, per document, where its pointers lead
(:class:`~toolkit.html.links.Edition`). Parts of the index are merged one at a time and each
file's links are kept as one string, so the parent's memory grows with the edition's distinct
ids and entries, not with its documents' trees.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.builder.digests import Digests
from toolkit.builder.document import remember_index
from toolkit.builder.workers import InlineExecutor, make_executor
from toolkit.html.letters import neighbours
from toolkit.html.links import Edition, pack_links, unpack_links
from toolkit.html.registers import REGISTERS, entity_ids, entries_of, entry_rows, make_layout
from toolkit.html.site import SITE_PAGES, SiteData
from toolkit.html.store import Store
from toolkit.project import paths
from toolkit.project.config import Project
from toolkit.validation.index import IdIndex, index_part, index_parts, part_file


class Workers:
    """One pool of worker processes (or one cluster) for every stage of a build, started when
    a stage first has enough work for it; or the executor the caller gave."""

    def __init__(self, jobs: int, given: Executor | None, scheduler: str | None = None) -> None:
        self.jobs, self.given, self.scheduler = jobs, given, scheduler
        self.pool: Executor | None = None

    def get(self, ntasks: int) -> tuple[Executor, bool]:
        """An executor for ``ntasks`` tasks, and whether the build owns it."""
        if self.given is not None:
            return self.given, False
        if self.pool is not None:
            return self.pool, True
        executor, owned = make_executor(self.jobs, None, ntasks, self.scheduler)
        if not isinstance(executor, InlineExecutor):
            self.pool = executor
        return executor, owned


@dataclass
class Prepared:
    """What :func:`prepare` made: the index (and its pickle for validating workers), each
    source's links, the edition around the documents and what the site pages need."""

    index: IdIndex
    links: dict[str, str]
    edition: Edition
    site: SiteData
    index_file: Path | None = None
    registers: set[str] = field(default_factory=set)  # the register files
    register_names: set[str] = field(default_factory=set)  # and their output names

    def context(self, path: Path) -> tuple[str, Callable[[], str]]:
        """The digest of a source's context (for its cache key), and a maker of the context."""
        file = str(Path(path).resolve())
        links = unpack_links(self.links.get(file, ""))
        register = file in self.registers
        key = self.edition.context_key(file, links) + ("|register" if register else "")
        return key, lambda: self.edition.context(file, links, register=register)


def prepare(project: Project, names: dict[str, Path], digests: Digests, params: dict[str, Any],
            settings: str, workers: Workers, validate: bool) -> Prepared:
    """The id index, the entries' data and the edition around every document."""
    sources = list(names.values())
    index, links = _index(project, sources, digests, workers)
    index_file = _pickle(project, index) if validate else None
    store = Store(paths.edition_store(project))
    _entries(project, index, digests, params, settings, store, workers)
    files = [str(p.resolve()) for p in sources]
    order = {f: i for i, f in enumerate(files)}
    rows = list(store.entry_index())
    eids = entity_ids([(f, i) for f, i, *_ in rows], order)
    pages = {str(p.resolve()): n for n, p in names.items()}
    edition = Edition(index, pages, eids, make_layout([]), store)
    listed, unmentioned = _listed(project, edition, rows, links)
    edition.layout = make_layout(listed, unmentioned)

    def party(file: str, who: list[str]) -> str:
        kind, value = who
        if kind == "name":
            return "name:" + value
        t = edition.resolve(file, ("key" if kind == "key" else "ptr", value, ""))
        eid = eids.get((t.file, t.id or "")) if t is not None else None
        return eid or f"{kind}:{value}"

    edition.nav = neighbours(index, files, party)
    site = SiteData(store=store, eids=eids, layout=edition.layout,
                    entry_digests={k: v[1] for k, v in index.entries.items()},
                    settings=settings, cache=paths.site_cache(project))
    shown = [t for t in REGISTERS if REGISTERS[t] in SITE_PAGES or edition.layout.counts.get(t)]
    params["site-pages"] = ",".join(["index"] + (["letters"] if edition.nav else [])
                                    + [REGISTERS[t] for t in shown] + ["search"])
    return Prepared(index, links, edition, site, index_file, set(index.registers),
                    {pages[f] for f in index.registers
                     if f in pages})


def _index(project: Project, sources: list[Path], digests: Digests,
           workers: Workers) -> tuple[IdIndex, dict[str, str]]:
    """The id index of every source (each file's part cached by content; parts not cached
    are parsed by the workers when there are many), merged in the sources' order (the first
    entry of a name wins), one part at a time."""
    icache = paths.ids_cache(project)
    missing = [p for p in sources
               if not part_file(icache, p, digests.digest(p)).is_file()]
    made: dict[Path, Any] = {}
    if len(missing) > 4:
        executor, _ = workers.get(len(missing) // 8 + 1)
        if not isinstance(executor, InlineExecutor):
            chunks = [missing[i:i + 8] for i in range(0, len(missing), 8)]
            futures = [executor.submit(index_parts, c, icache, [digests.digest(p) for p in c])
                       for c in chunks]
            for c, fut in zip(chunks, futures, strict=True):
                made.update(zip(c, fut.result(), strict=True))
    index = IdIndex()
    links: dict[str, str] = {}
    for p in sources:
        part = made.pop(p, None) or index_part(p, icache, digests.digest(p))
        index.merge(part)
        links[part.file] = pack_links(part.links)
    used = {part_file(icache, p, digests.digest(p)).name for p in sources}
    for old in icache.glob("*.json"):  # parts of files changed or gone since
        if old.name not in used:
            old.unlink(missing_ok=True)
    return index, links


def _pickle(project: Project, index: IdIndex) -> Path:
    """The index pickled once, for the validating workers to read once each."""
    target = paths.project_cache(project) / f"ids-{os.getpid()}.pickle"
    with open(target, "wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    remember_index(str(target), index)
    return target


def _entry_files(index: IdIndex) -> dict[str, set[str]]:
    """The files whose entries are read into the store, with the ids of those entries: the
    register files, and the files whose entries another file points to (a letter's own list
    that only the letter uses is read by its page, as its own)."""
    out: dict[str, set[str]] = {}
    for (file, ident) in index.entries:
        out.setdefault(file, set()).add(ident)
    return {f: ids for f, ids in out.items()
            if index.is_register(f) or any(index.is_pointed_at(f, i) for i in ids)}


def _entries(project: Project, index: IdIndex, digests: Digests, params: dict[str, Any],
             settings: str, store: Store, workers: Workers) -> None:
    """Read the entries of every file that has changed since the store last read it."""
    files = _entry_files(index)
    made = store.entries_made_from()
    style = {k: params.get(k) for k in ("reading", "language")}
    todo = []
    for file in files:
        key = hashlib.sha256(f"{digests.digest(Path(file))}\0{settings}\0{style}".encode())
        if made.get(file) != key.hexdigest():
            todo.append((file, key.hexdigest()))
    if todo:
        executor, _ = workers.get(len(todo))
        futures = [(file, key, executor.submit(entries_of, project, Path(file), style))
                   for file, key in todo]
        for file, key, fut in futures:
            store.put_entries(file, key, entry_rows(fut.result(), files[file]))
    store.drop_entry_files(set(files))


def _listed(project: Project, edition: Edition, rows: list[tuple], links: dict[str, str]):
    """The entries the registers list, each with its sort key, initial and the number of
    documents that point to it (what its page costs): those a document that is no register
    points to, or every one (``registers_unmentioned``); and how many are left out, by type."""
    weights: dict[str, int] = {}
    for file, packed in links.items():
        if edition.index.is_register(file):
            continue
        seen = set()
        for link in unpack_links(packed):
            t = edition.resolve(file, link)
            if t is not None and t.kind == "entry":
                eid = edition.eids.get((t.file, t.id or ""))
                if eid is not None and eid not in seen:
                    seen.add(eid)
                    weights[eid] = weights.get(eid, 0) + 1
    listed, unmentioned = [], {}
    for file, ident, etype, key, initial in rows:
        eid = edition.eids[(file, ident)]
        if eid in weights or project.registers_unmentioned:
            listed.append((eid, etype, key, initial, weights.get(eid, 0)))
        else:
            unmentioned[etype] = unmentioned.get(etype, 0) + 1
    return listed, unmentioned
