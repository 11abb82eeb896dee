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
import pickle
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import pickled, resident
from toolkit.builder import cache
from toolkit.builder.digests import Digests
from toolkit.builder.document import remember_index, take_index
from toolkit.builder.workers import InlineExecutor, make_executor
from toolkit.errors import ToolkitError
from toolkit.html.letters import neighbours
from toolkit.html.links import Edition, Link
from toolkit.html.registers import REGISTERS, entity_ids, entries_of, entry_rows, make_layout
from toolkit.html.site import SITE_PAGES, SiteData
from toolkit.html.store import Store
from toolkit.project import confine, paths
from toolkit.project.config import Project
from toolkit.validation.index import INDEX_FORMAT, IdIndex, index_part, index_parts, part_file


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
    """What :func:`prepare` made: the index (and its pickle for validating workers), the
    edition around the documents, each source's context digest and what the site pages
    need."""

    index: IdIndex
    edition: Edition
    site: SiteData
    keys: dict[str, str]  # file -> digest of its context
    parts: dict[str, Any]  # file -> its index part, where one is at hand (else read again)
    index_file: Path | None = None
    registers: set[str] = field(default_factory=set)  # the register files
    register_names: set[str] = field(default_factory=set)  # and their output names
    icache: Path | None = None

    def context(self, path: Path) -> tuple[str, Callable[[], str]]:
        """The digest of a source's context (for its cache key), and a maker of the context."""
        file = str(path)  # a source: resolved already
        register = file in self.registers
        key = self.keys.get(file, "") + ("|register" if register else "")
        return key, lambda: self.edition.context(file, self._links(file), register=register)

    def _links(self, file: str) -> list[Link]:
        part = self.parts.get(file)
        if part is None and self.icache is not None:
            part = index_part(Path(file), self.icache, self.index.digests.get(file))
        return [tuple(x) for x in part.links] if part is not None else []  # type: ignore


def prepare(project: Project, names: dict[str, Path], digests: Digests, params: dict[str, Any],
            settings: str, workers: Workers, validate: bool) -> Prepared:
    """The id index, the entries' data and the edition around every document."""
    # a source whose name cannot name a page is refused when it is built (file-name): it is
    # no part of the edition others point into
    sources = [p for p in names.values() if confine.name_problem(p) is None]
    names = {n: p for n, p in names.items() if confine.name_problem(p) is None}
    icache = paths.ids_cache(project)
    index, changed, digests_only = _index(project, sources, digests, workers)
    index_file = _pickle(project, index, changed, digests_only)
    store = Store(paths.edition_store(project))
    _entries(project, index, digests, params, settings, store, workers)
    files = [str(p) for p in sources]  # the sources are resolved paths (tei_files)
    order = {f: i for i, f in enumerate(files)}
    rows = list(store.entry_index())
    eids = entity_ids([(f, i) for f, i, *_ in rows], order)
    pages = {str(p): n for n, p in names.items()}
    edition = Edition(index, pages, eids, make_layout([]), store)
    # What each file's pointers lead to: the last build's answer while neither the file nor
    # anything that resolution depends on changed (the epoch), else asked anew.
    epoch = index.epoch()
    records = store.link_records()
    targets: dict[str, list[str]] = {}
    for file in files:
        rec = records.get(file)
        if rec is not None and rec[0] == index.digests.get(file) and rec[1] == epoch:
            targets[file] = rec[3]
        else:
            # (read again from its cache: the parts of thousands of files, held together,
            # would take the main process hundreds of MB)
            part = index_part(Path(file), icache, index.digests.get(file))
            targets[file] = _targets(edition, file, part.links)
    listed, unmentioned = _listed(project, index, eids, rows, targets)
    edition.layout = make_layout(listed, unmentioned)

    def party(file: str, who: list[str]) -> str:
        kind, value = who
        if kind == "name":
            return "name:" + value
        t = edition.resolve(file, ("key" if kind == "key" else "ptr", value, ""))
        eid = eids.get((t.file, t.id or "")) if t is not None else None
        return eid or f"{kind}:{value}"

    edition.nav = _nav(project, index, files, eids, epoch, lambda: neighbours(
        index, files, party, lambda f, target: edition.resolve(f, ("ptr", target, ""))))
    keys = _context_keys(edition, files, targets, records, epoch, store)
    site = SiteData(store=store, eids=eids, layout=edition.layout,
                    entry_digests={k: v[1] for k, v in index.entries.items()},
                    settings=settings, cache=paths.site_cache(project),
                    search=paths.search_cache(project))
    shown = [t for t in REGISTERS if REGISTERS[t] in SITE_PAGES or edition.layout.counts.get(t)]
    params["site-pages"] = ",".join(["index"] + (["letters"] if edition.nav else [])
                                    + [REGISTERS[t] for t in shown] + ["search"])
    return Prepared(index, edition, site, keys, {}, index_file if validate else None,
                    set(index.registers), {pages[f] for f in index.registers if f in pages},
                    icache)


def _nav(project: Project, index: IdIndex, files: list[str], eids: dict, epoch: str,
         make: Callable[[], dict]) -> dict:
    """The letters' neighbours (previous and next, in the collection and the correspondence):
    the last build's while what they are made of is the same (the epoch, the sources and
    their order, their letters' facts, the register ids, the code); else made anew (and
    kept)."""
    h = hashlib.sha256(f"{epoch}\0{cache.code_fingerprint()}".encode())
    h.update(pickle.dumps([(f, index.letters.get(f)) for f in files], protocol=5))
    h.update(pickle.dumps(sorted(eids.items()), protocol=5))
    key = h.hexdigest()
    path = paths.project_cache(project) / "nav.pickle"
    found = pickled.load(path)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key and isinstance(
            found[1], dict):
        return found[1]
    nav = make()
    pickled.save(path, (key, nav))
    return nav


def _index(project: Project, sources: list[Path], digests: Digests,
           workers: Workers) -> tuple[IdIndex, bool, bool]:
    """The id index of every source: the last build's, with the parts of the files that
    changed since taken out and put in anew (each file's part is cached by content; parts
    not cached are parsed by the workers when there are many; none is kept in memory);
    whether it differs from the one kept, and whether only in the files' digests (every
    changed file's part as it was: a word of a text edited)."""
    icache = paths.ids_cache(project)
    current = {str(p): digests.digest(p) for p in sources}
    index = _unpickle(project)
    stale: list[Path] | None = []  # the parts of files changed or gone (None: look for them)
    removed: dict[str, Any] = {}  # file -> the part taken out
    for file, digest in list(index.digests.items()):
        if current.get(file) != digest:
            old = index_part(Path(file), icache, digest, parse=False)
            if old is None:  # its part is gone: the index cannot be updated, made anew
                index, stale = IdIndex(), None
                break
            index.remove(old)
            removed[file] = old
            stale.append(part_file(icache, file, digest))
    todo = [p for p in sources if index.digests.get(str(p)) != digests.digest(p)]
    missing = [p for p in todo if not part_file(icache, p, digests.digest(p)).is_file()]
    made: dict[Path, Any] = {}
    if len(missing) > 4:
        executor, _ = workers.get(len(missing) // 8 + 1)
        if not isinstance(executor, InlineExecutor):
            chunks = [missing[i:i + 8] for i in range(0, len(missing), 8)]
            futures = [executor.submit(index_parts, c, icache, [digests.digest(p) for p in c])
                       for c in chunks]
            for c, fut in zip(chunks, futures, strict=True):
                made.update(zip(c, fut.result(), strict=True))
    alike = stale is not None  # every file taken out put back with the same part
    for p in todo:
        part = made.pop(p, None) or index_part(p, icache, digests.digest(p))
        was = removed.pop(str(p), None)
        alike = alike and was is not None and part.same_as(was)
        index.merge(part, digests.digest(p))
    alike = alike and not removed  # (and none gone)
    if stale is not None and len(stale) <= _FEW_CHANGED:
        used = {part_file(icache, p, digests.digest(p)) for p in todo}
        for old in stale:  # (a file changed back to what it was keeps its part)
            if old not in used:
                old.unlink(missing_ok=True)
    elif todo or len(index.digests) != len(current):
        used_names = {part_file(icache, p, digests.digest(p)).name for p in sources}
        for old in icache.glob("*.json"):  # parts of files changed or gone since
            if old.name not in used_names:
                old.unlink(missing_ok=True)
    changed = stale is None or bool(stale) or bool(todo)  # (a new index: every file todo)
    return index, changed, changed and alike


#: up to this many changed files, the parts they leave are removed by name; more, and the
#: parts folder is swept for every part no source uses
_FEW_CHANGED = 64


def _unpickle(project: Project) -> IdIndex:
    target = paths.index_file(project)
    index = take_index(str(target))  # (kept from the last build in this process)
    if index is None:
        stamp = resident.stamp(target)
        index = pickled.load(target)
        digests = pickled.load(_digests_file(target))
        if (isinstance(index, IdIndex) and isinstance(digests, tuple) and len(digests) == 3
                and digests[:2] == (stamp, getattr(index, "format", None))):
            index.digests = digests[2]  # (the files' digests since the index was written)
    if isinstance(index, IdIndex) and getattr(index, "format", None) == _made_by():
        return index
    return IdIndex()


def _pickle(project: Project, index: IdIndex, changed: bool = True,
            digests_only: bool = False) -> Path:
    """The index kept for the next build and for the validating workers to read once each
    (written again only where it ``changed``: 20 MB for 5,000 letters, a quarter of a second;
    where only the files' digests did, they are written beside it, for the next build, with
    the stamp of the index file they belong to: the workers need no digests)."""
    target = paths.index_file(project)
    index.format = _made_by()
    beside = _digests_file(target)
    if digests_only and target.is_file() and pickled.save(
            beside, (resident.stamp(target), index.format, index.digests), fast=True):
        remember_index(str(target), index)
        return target
    # (unchanged, the file holds this index already: it was read from there)
    if (changed or not target.is_file()) and not pickled.save(target, index):
        raise ToolkitError(f"cannot write the edition's id index to {target}",
                           hint="check that teikit's cache folder (TEIKIT_CACHE, else "
                                "~/.cache/teikit) is writable and its disk is not full")
    if changed:
        beside.unlink(missing_ok=True)  # (it belonged to the file replaced)
    remember_index(str(target), index)
    return target


def _digests_file(index_file: Path) -> Path:
    return index_file.with_name(index_file.stem + "-digests.pickle")


def _made_by() -> str:
    """What a kept index was made by: its form and the toolkit's code (a changed toolkit
    makes it anew from the files' parts)."""
    return f"{INDEX_FORMAT}-{cache.code_fingerprint()[:16]}"


def _targets(edition: Edition, file: str, links) -> list[str]:
    """What the pointers of ``file`` lead to: "e:" and an entry's register id, "p:" and a page
    of the edition with its anchor, in the order of its links, once each."""
    out = []
    for _, what in edition.described(file, [tuple(x) for x in links]):
        out.append("e:" + what[1] if what[0] == "entry" else "p:" + what[1])
    return list(dict.fromkeys(out))


def _context_keys(edition: Edition, files: list[str], targets: dict[str, list[str]],
                  records: dict, epoch: str, store: Store) -> dict[str, str]:
    """The digest of every file's context: its content, the epoch, the state of each of its
    targets (an entry's content and page, a page's title) and of its neighbours. Renewed only
    for the files whose targets or neighbours changed since the last build."""
    index, layout = edition.index, edition.layout
    by_page = {f"{p}.html": f for f, p in edition.pages.items()}
    by_eid = {eid: key for key, eid in edition.eids.items()}

    def state(target: str) -> str:
        if target.startswith("e:"):
            key = by_eid.get(target[2:])
            return f"{index.entries.get(key, ('', ''))[1]}|{layout.page_of.get(target[2:], '')}"
        page = target[2:].split("#")[0]
        return index.titles.get(by_page.get(page, ""), "")

    states = {t: state(t) for t in set().union(*targets.values())}
    old = store.target_states()
    changed = {t for t, v in states.items() if old.get(t) != v}
    keys, renewed = {}, {}
    for file in files:
        nav = "\x1f".join(f"{rel}|{edition.pages.get(o)}|{index.titles.get(o, '')}"
                          for rel, o in edition.nav.get(file, ()))
        rec = records.get(file)
        digest = index.digests.get(file, "")
        if (rec is not None and rec[0] == digest and rec[1] == epoch and rec[2] == nav
                and rec[3] == targets[file] and changed.isdisjoint(rec[3])):
            keys[file] = rec[4]
            continue
        h = hashlib.sha256(f"{digest}\0{epoch}\0{nav}\0".encode())
        for t in targets[file]:
            h.update(f"{t}\x1f{states[t]}\x1e".encode())
        keys[file] = h.hexdigest()
        renewed[file] = (digest, epoch, nav, targets[file], keys[file])
    store.put_link_records(renewed, set(files))
    store.put_target_states({**{t: states[t] for t in changed},
                             **{t: None for t in old if t not in states}})
    return keys


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


def _listed(project: Project, index: IdIndex, eids: dict, rows: list[tuple],
            targets: dict[str, list[str]]):
    """The entries the registers list, each with its sort key, initial and the number of
    documents that point to it (what its page costs): those a document that is no register
    points to, or every one (``registers_unmentioned``); and how many are left out, by type."""
    counted: Counter[str] = Counter()
    for file, ts in targets.items():
        if not index.is_register(file):
            counted.update(ts)  # (a file's targets are listed once each)
    weights = {t[2:]: n for t, n in counted.items() if t.startswith("e:")}
    listed, unmentioned = [], {}
    for file, ident, etype, key, initial in rows:
        eid = eids[(file, ident)]
        if eid in weights or project.registers_unmentioned:
            listed.append((eid, etype, key, initial, weights.get(eid, 0)))
        else:
            unmentioned[etype] = unmentioned.get(etype, 0) + 1
    return listed, unmentioned
