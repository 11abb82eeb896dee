"""The edition's id index: for every file of a project, its ids, the pointers into other files
and the names of its entries, built once per build and shared with the workers.

Each file's part is made with one safe parse and little Python work per element, is plain data
(pickleable, JSON-able) and is cached by the file's path and content, so a rebuild reads only the
files that changed. :mod:`toolkit.validation.integrity` checks documents against it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.load.source import base_url, safe_parser
from toolkit.tei import XML_ID, T

#: Attributes whose values are (space-separated) URI pointers in TEI.
POINTER_ATTRS = ("ref", "target", "corresp", "resp", "who", "source", "ana", "sameAs", "copyOf",
                 "next", "prev", "synch", "hand", "wit", "scribeRef", "scriptRef", "spanTo",
                 "decls", "facs", "rendition", "active", "passive", "mutual", "exclude", "select")
_POINTER_SET = frozenset(POINTER_ATTRS)
#: Elements whose @from/@to are pointers rather than dates.
_POINTER_FROM_TO = {T + n for n in ("span", "rt", "relation", "link", "alt", "join")}
ENTRY_TAGS = {T + n for n in ("person", "personGrp", "place", "org", "event", "bibl",
                              "biblStruct", "item", "object", "nym")}
_LISTS = {T + n for n in ("listPerson", "listPlace", "listOrg", "listEvent", "listBibl",
                          "listObject", "listNym")}
NAME_TAGS = {T + n for n in ("persName", "placeName", "orgName", "name", "rs", "geogName",
                             "surname", "forename", "roleName", "addName", "settlement",
                             "country", "region", "district", "bloc", "title", "term",
                             "speaker", "castList", "stage", "label", "head")}
_FILE_PTR = re.compile(r"^(?P<file>[^#:?]+\.xml)#(?P<id>[\w.\-]+)$")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def pointers(el: etree._Element) -> list[tuple[str, str]]:
    """(attribute, value) of every local or project pointer on ``el``."""
    keys = el.keys()
    if not keys or (_POINTER_SET.isdisjoint(keys) and el.tag not in _POINTER_FROM_TO):
        return []  # most elements: no pointer attribute at all
    out = []
    for attr in POINTER_ATTRS + (("from", "to") if el.tag in _POINTER_FROM_TO else ()):
        value = el.get(attr)
        if value:
            out += [(attr, v) for v in value.split() if v.startswith("#") or _FILE_PTR.match(v)]
    return out


def is_entry(el: etree._Element) -> bool:
    """An identified entry in a standoff list (or a list of entries in the header)."""
    if el.tag not in ENTRY_TAGS or el.get(XML_ID) is None:
        return False
    parent = el.getparent()
    if parent is None or parent.tag not in _LISTS:
        return el.tag != T + "item" and any(a.tag == T + "standOff" for a in el.iterancestors())
    return True


def entry_names(el: etree._Element) -> set[str]:
    """The names an entry is known by: its persName/placeName/orgName texts, its surnames and
    the last word of a personal name written without markup."""
    names = set()
    for n in el.iter(T + "persName", T + "placeName", T + "orgName", T + "surname",
                     T + "settlement"):
        text = " ".join("".join(n.itertext()).split())
        if len(text) >= 3 and text[0].isupper():
            names.add(text)
        words = text.split()
        if (n.tag == T + "persName" and len(words) > 1 and len(words[-1]) >= 4
                and n.find(T + "surname") is None
                and all(w[0].isupper() or w in _PARTICLES for w in words)):
            names.add(words[-1].strip(",."))
    return names


_PARTICLES = {"von", "van", "de", "der", "den", "du", "da", "di", "la", "le", "of", "zu", "vom",
              "zum", "ten", "ter", "y", "d'"}
_NAME_TAG = {"person": "persName", "personGrp": "persName", "place": "placeName",
             "org": "orgName"}


def name_tag(el: etree._Element) -> str:
    """The element to tag a mention of entry ``el`` with."""
    return _NAME_TAG.get(etree.QName(el).localname, "rs")


@dataclass
class IdIndex:
    """Ids, pointer targets and entry names of the files of a project.

    ``targets`` holds only pointers from one file into another (a document's own pointers are
    read from the document itself when it is checked), so the index grows with the number of
    ids and entries of a project, not with the number of its pointers."""

    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    targets: set[tuple[str, str]] = field(default_factory=set)  # (file, id) pointed at
    names: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # file -> names

    @classmethod
    def build(cls, paths, cache: Path | None = None) -> IdIndex:
        """Index the given files (folders: every ``*.xml`` below); unreadable files are skipped
        here (validation reports them). With ``cache`` (a folder) each file's part is kept
        there, keyed by its path and content, and reused while the file is unchanged."""
        index = cls()
        for path in _expand(paths):
            index.merge(index_part(path, cache))
        return index

    def add(self, path: Path) -> None:
        """Index one more file."""
        self.merge(index_part(path))

    def merge(self, part: FilePart) -> None:
        """Add the part of one file (from :func:`index_part`)."""
        self.ids[part.file] = frozenset(part.ids)
        self.targets.update(part.targets)
        if part.names:
            self.names[part.file] = [tuple(n) for n in part.names]  # (name, id, tag)

    def has(self, file: str, ident: str) -> bool | None:
        """True/False if ``file`` is indexed, None if it is not part of the index."""
        known = self.ids.get(file)
        return None if known is None else ident in known


@dataclass
class FilePart:
    """What one file contributes to an :class:`IdIndex` (plain, pickleable, JSON-able)."""

    file: str
    ids: list[str] = field(default_factory=list)
    targets: list[tuple[str, str]] = field(default_factory=list)
    names: list[tuple[str, str, str]] = field(default_factory=list)


def index_part(path: Path, cache: Path | None = None, digest: str | None = None,
               parse: bool = True) -> FilePart | None:
    """The index part of one file: one parse (safe, as in :mod:`toolkit.load`), no per-element
    Python work beyond a look at the attribute names. With ``cache`` (a folder) the part is
    kept there, keyed by the file's path and content (``digest``: the sha256 of the content,
    if the caller has it already); ``parse=False`` returns None rather than parse a file whose
    part is not in the cache."""
    key = str(Path(path).resolve())
    data = None
    entry = None
    if cache is not None:
        if digest is None:
            try:
                data = Path(key).read_bytes()
            except OSError:
                return FilePart(key)
            digest = hashlib.sha256(data).hexdigest()
        entry = part_file(cache, key, digest)
        try:
            raw = json.loads(entry.read_text(encoding="utf-8"))
            return FilePart(key, raw["ids"], [tuple(t) for t in raw["targets"]],
                            [tuple(n) for n in raw["names"]])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    if not parse:
        return None
    if data is None:
        try:
            data = Path(key).read_bytes()
        except OSError:
            return FilePart(key)
    part = _scan(key, data)
    if entry is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"ids": part.ids, "targets": part.targets,
                                       "names": part.names}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, entry)
        except OSError:
            pass  # the cache only saves time
    return part


def index_parts(paths: list[Path], cache: Path, digests: list[str]) -> list[FilePart | None]:
    """The index parts of several files (a worker's share of the index)."""
    return [index_part(p, cache, d) for p, d in zip(paths, digests, strict=True)]


_PART_FORMAT = "ids-1"


def part_file(cache: Path, path: str | Path, digest: str) -> Path:
    """Where :func:`index_part` keeps the part of the file ``path`` with content ``digest``."""
    key = str(Path(path).resolve())
    name = hashlib.sha256(f"{_PART_FORMAT}\0{key}\0{digest}".encode(
        "utf-8", "surrogateescape")).hexdigest()[:32]
    return Path(cache) / f"{name}.json"


def _scan(key: str, data: bytes) -> FilePart:
    part = FilePart(key)
    try:
        root = etree.fromstring(data, safe_parser(), base_url=base_url(key))
    except etree.XMLSyntaxError:
        # What can be read of a broken file still counts (its own diagnostics come from
        # loading it): pointers into it should not all be reported as unresolved.
        parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False, collect_ids=False)
        try:
            root = etree.fromstring(data, parser, base_url=base_url(key))
        except etree.XMLSyntaxError:
            root = None
    if root is None:
        return part
    part.ids = sorted({str(v) for v in root.xpath("//@xml:id")})
    targets = set()
    for el in root.iter(tag=etree.Element):
        keys = el.keys()
        if not keys:
            continue
        for attr in keys:
            if attr in _POINTER_SET or (attr in ("from", "to") and el.tag in _POINTER_FROM_TO):
                for v in el.get(attr).split():
                    if not v.startswith("#") and _FILE_PTR.match(v):
                        targets.add(_target(key, v))
    part.targets = sorted(targets)
    for el in root.iter(*ENTRY_TAGS):
        if is_entry(el):
            for n in sorted(entry_names(el)):
                part.names.append((n, el.get(XML_ID), name_tag(el)))
    return part


def _expand(paths) -> list[Path]:
    out = []
    for p in paths:
        p = Path(p)
        out += sorted(p.rglob("*.xml")) if p.is_dir() else [p]
    return out


def _target(source: str, value: str) -> tuple[str, str]:
    if value.startswith("#"):
        return source, value[1:]
    m = _FILE_PTR.match(value)
    return str((Path(source).parent / m.group("file")).resolve()), m.group("id")
