"""The edition's entries and mentions, kept between builds in one SQLite file of the project's
cache, so that the registers of thousands of documents are put together without holding every
mention in memory, and a rebuild after one edit reads only what changed.

* ``entries``: the data of every identified entry of every file (persons, places, ... as the
  stylesheets read them: :func:`toolkit.html.registers.entries_of`), replaced per file when
  the file or the stylesheets change (``entry_files`` remembers what each file's rows were
  made from).
* ``links``, ``target_states``: what each source's pointers led to at the last build (the
  targets, and the digest of its context) and the state of every target then (an entry's
  content and page, a document's page and title), so that a rebuild resolves only the
  pointers of files that changed and renews only the contexts whose targets changed.
* ``mentions``: every passage of every document that mentions an entity, replaced per
  document when its cache entry changes (``docs`` remembers which entry the rows came from).

The store is a cache: a damaged or missing file is made again from the sources and the cache
entries of the documents.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entry_files (file TEXT PRIMARY KEY, made_from TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    file TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL, sortkey TEXT NOT NULL,
    initial TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (file, id));
CREATE TABLE IF NOT EXISTS docs (
    name TEXT PRIMARY KEY, entry TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_entities (doc TEXT NOT NULL, eid TEXT NOT NULL, type TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS doc_entities_by_doc ON doc_entities (doc);
CREATE INDEX IF NOT EXISTS doc_entities_by_entity ON doc_entities (eid, type, doc);
CREATE TABLE IF NOT EXISTS entity_mentions (
    eid TEXT NOT NULL, type TEXT NOT NULL, n INTEGER NOT NULL, digests TEXT NOT NULL,
    PRIMARY KEY (eid, type));
CREATE TABLE IF NOT EXISTS dirty_entities (
    eid TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (eid, type));
CREATE TABLE IF NOT EXISTS mentions (
    doc TEXT NOT NULL, eid TEXT NOT NULL, type TEXT NOT NULL, role TEXT NOT NULL,
    anchor TEXT NOT NULL, text TEXT NOT NULL, other TEXT NOT NULL, other_type TEXT NOT NULL,
    seq INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS mentions_by_entity ON mentions (eid, type);
CREATE INDEX IF NOT EXISTS mentions_by_doc ON mentions (doc);
CREATE TABLE IF NOT EXISTS links (
    file TEXT PRIMARY KEY, digest TEXT NOT NULL, epoch TEXT NOT NULL, nav TEXT NOT NULL,
    targets TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS target_states (target TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unlisted (
    doc TEXT NOT NULL, eid TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS unlisted_by_doc ON unlisted (doc);
"""
#: the version of the tables: a store made by another version is made anew
_VERSION = 7

MENTION_FIELDS = ("doc", "eid", "type", "role", "anchor", "text", "other", "other_type")


def _functions(db: sqlite3.Connection) -> None:
    db.create_function("teikit_sha256", 1, _sha256, deterministic=True)


def _sha256(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogateescape")).hexdigest()


class Store:
    """The SQLite file at ``path`` (``":memory:"`` for one that lives as long as the object)."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(str(self.path), isolation_level=None)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != _VERSION:
                db.close()
                self._remove()
                db = sqlite3.connect(str(self.path), isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL" if self.path != ":memory:" else "PRAGMA "
                       "journal_mode=MEMORY")
            db.execute("PRAGMA synchronous=OFF")  # a cache: made again if lost
            _functions(db)
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version={_VERSION}")
            return db
        except sqlite3.DatabaseError:  # not a database (damaged): start again
            self._remove()
            db = sqlite3.connect(str(self.path), isolation_level=None)
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version={_VERSION}")
            _functions(db)
            return db

    def _remove(self) -> None:
        if self.path == ":memory:":
            return
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------------------ entries

    def entries_made_from(self) -> dict[str, str]:
        """file -> what its entry rows were made from (its digest and the stylesheets')."""
        return dict(self.db.execute("SELECT file, made_from FROM entry_files"))

    def put_entries(self, file: str, made_from: str, rows: Iterable[dict[str, Any]]) -> None:
        """Replace the entries of ``file``; each row has id, type, sortkey, initial and data."""
        with self._transaction():
            self.db.execute("DELETE FROM entries WHERE file = ?", (file,))
            self.db.executemany(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?)",
                ((file, r["id"], r["type"], r["sortkey"], r["initial"],
                  json.dumps(r["data"], ensure_ascii=False)) for r in rows))
            self.db.execute("INSERT OR REPLACE INTO entry_files VALUES (?, ?)", (file, made_from))

    def drop_entry_files(self, keep: set[str]) -> None:
        """Forget the entries of files that are no longer sources."""
        gone = [f for f in self.entries_made_from() if f not in keep]
        with self._transaction():
            for f in gone:
                self.db.execute("DELETE FROM entries WHERE file = ?", (f,))
                self.db.execute("DELETE FROM entry_files WHERE file = ?", (f,))

    def entry_index(self) -> Iterator[tuple[str, str, str, str, str]]:
        """(file, id, type, sortkey, initial) of every entry."""
        yield from self.db.execute("SELECT file, id, type, sortkey, initial FROM entries")

    def entry_data(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """The data of the entries (file, id) asked for."""
        out = {}
        cur = self.db.cursor()
        for file, ident in keys:
            row = cur.execute("SELECT data FROM entries WHERE file = ? AND id = ?",
                              (file, ident)).fetchone()
            if row is not None:
                out[(file, ident)] = json.loads(row[0])
        return out

    # -------------------------------------------------------------------------------- links

    def link_records(self) -> dict[str, tuple[str, str, str, list[str], str]]:
        """file -> (digest, epoch, nav, targets, context key) as the last build left them."""
        return {f: (d, e, n, t.split("\x1f") if t else [], k) for f, d, e, n, t, k in
                self.db.execute("SELECT file, digest, epoch, nav, targets, key FROM links")}

    def put_link_records(self, records: dict[str, tuple[str, str, str, list[str], str]],
                         keep: set[str]) -> None:
        with self._transaction():
            for f in [f for (f,) in self.db.execute("SELECT file FROM links")
                      if f not in keep]:
                self.db.execute("DELETE FROM links WHERE file = ?", (f,))
            self.db.executemany("INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?)",
                                ((f, d, e, n, "\x1f".join(t), k)
                                 for f, (d, e, n, t, k) in records.items()))

    def target_states(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT target, state FROM target_states"))

    def put_target_states(self, changed: dict[str, str | None]) -> None:
        """Set (or, for None, forget) the state of targets."""
        with self._transaction():
            self.db.executemany("DELETE FROM target_states WHERE target = ?",
                                ((t,) for t, v in changed.items() if v is None))
            self.db.executemany("INSERT OR REPLACE INTO target_states VALUES (?, ?)",
                                ((t, v) for t, v in changed.items() if v is not None))

    # ----------------------------------------------------------------------------- mentions

    def docs(self) -> dict[str, str]:
        """document name -> the cache entry its mention rows came from."""
        return dict(self.db.execute("SELECT name, entry FROM docs"))

    def doc_digests(self) -> dict[str, str]:
        """document name -> a digest of what the registers show of it (its title, its
        mentions): a document edited elsewhere changes no register page."""
        return dict(self.db.execute("SELECT name, digest FROM docs"))

    def put_mentions(self, doc: str, entry: str, mentions: Iterable[dict[str, Any]],
                     unlisted: Iterable[tuple[str, str, dict]] = (), title: str = "") -> None:
        """Replace the mentions of document ``doc`` with those of its cache entry ``entry``
        (``unlisted``: (eid, type, data) of the entities it names that no file's entries
        have, as the document gives them; ``title``: the document's, as registers show it)."""
        rows = [(doc, *(m.get(k) or "" for k in MENTION_FIELDS[1:]), i)
                for i, m in enumerate(mentions)]
        others = [(doc, e, t, json.dumps(d, ensure_ascii=False, sort_keys=True))
                  for e, t, d in unlisted]
        digest = hashlib.sha256(json.dumps([title, rows, others], ensure_ascii=False)
                                .encode()).hexdigest()[:24]
        with self._transaction():
            self._drop_doc(doc)
            self.db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self.db.executemany("INSERT INTO unlisted VALUES (?, ?, ?, ?)", others)
            entities = {(r[1], r[2]) for r in rows}
            self.db.executemany("INSERT INTO doc_entities VALUES (?, ?, ?)",
                                ((doc, e, t) for e, t in entities))
            self.db.executemany("INSERT OR IGNORE INTO dirty_entities VALUES (?, ?)",
                                entities)
            self.db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)", (doc, entry, digest))

    def drop_docs(self, keep: set[str]) -> list[str]:
        """Forget the mentions of documents that are no longer built; their names."""
        gone = [d for d in self.docs() if d not in keep]
        with self._transaction():
            for d in gone:
                self._drop_doc(d)
        return gone

    def _drop_doc(self, doc: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO dirty_entities SELECT eid, type FROM "
                        "doc_entities WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM mentions WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM unlisted WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM doc_entities WHERE doc = ?", (doc,))
        self.db.execute("DELETE FROM docs WHERE name = ?", (doc,))

    def mentioned(self) -> dict[tuple[str, str], tuple[int, str]]:
        """(eid, type) -> (how many documents mention it, a digest of the digests of what the
        registers show of those documents, in their order): what an entry's mentions are
        made of (one digest: the central person of 5,000 letters has 5,000 of them)."""
        # kept per entity and made again only for the entities of documents put or dropped
        # since (dirty_entities): a one-letter rebuild does not count every mention again
        with self._transaction():
            self.db.execute(
                "DELETE FROM entity_mentions WHERE (eid, type) IN "
                "(SELECT eid, type FROM dirty_entities)")
            self.db.execute(
                "INSERT INTO entity_mentions SELECT eid, type, count(*), "
                "teikit_sha256(group_concat(digest, ',')) FROM (SELECT de.eid, de.type, d.digest "
                "FROM dirty_entities x JOIN doc_entities de ON de.eid = x.eid "
                "AND de.type = x.type JOIN docs d ON d.name = de.doc "
                "ORDER BY de.eid, de.type, de.doc) GROUP BY eid, type")
            self.db.execute("DELETE FROM dirty_entities")
        rows = self.db.execute("SELECT eid, type, n, digests FROM entity_mentions")
        return {(e, t): (n, ds) for e, t, n, ds in rows}

    def mentioning(self) -> Iterator[tuple[str, str, str]]:
        """(eid, type, doc) for every entity and document that mentions it, once each."""
        yield from self.db.execute("SELECT eid, type, doc FROM doc_entities")

    def mentions_of(self, eid: str, etype: str) -> list[dict[str, str]]:
        """Every mention of one entity, in the documents' order of passages."""
        rows = self.db.execute(
            "SELECT doc, role, anchor, text, other, other_type FROM mentions "
            "WHERE eid = ? AND type = ? ORDER BY doc, seq", (eid, etype))
        return [dict(zip(("doc", "role", "anchor", "text", "other", "other_type"), r,
                         strict=True)) for r in rows]

    def unlisted_entities(self) -> dict[tuple[str, str], dict]:
        """(eid, type) -> data of the entities that no file's entries have (the first
        document's data of each)."""
        out: dict[tuple[str, str], dict] = {}
        for eid, etype, data in self.db.execute(
                "SELECT eid, type, data FROM unlisted ORDER BY doc"):
            out.setdefault((eid, etype), json.loads(data))
        return out

    def _transaction(self):
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN")

    def __exit__(self, kind, value, tb) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
