"""The edition's id index: for every file of a project, its ids, which of them it declares for
the whole edition, what it points to elsewhere and the names of its entries; built once per
build and shared with the workers.

Each file's part is made with one safe parse and little Python work per element, is plain data
(pickleable, JSON-able) and is cached by the file's path and content, so a rebuild reads only the
files that changed. Its size grows with the ids and entries of a project, never with the number
of its pointers. :meth:`IdIndex.resolve` says where a pointer leads (``#id`` in the same file or,
for an id that one other file declares for the edition, in that file; ``file.xml#id``);
:mod:`toolkit.validation.integrity` checks documents against it.
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
#: Pointers to declarations, which projects often keep in a file of their own (a shared header,
#: a cast list, a register of hands): what each points to, for messages. The other pointers
#: (``@ref``, ``@target``, ...) point to things, usually in the same document.
DECLARATION_ATTRS = {
    "rendition": "a <rendition> (tagsDecl)",
    "decls": "a declaration in a header (<bibl>, <langUsage>, <samplingDecl>, ...)",
    "resp": "a <respStmt>, <person> or <name>",
    "hand": "a <handNote> (handDesc)",
    "scribeRef": "a <person> or <handNote>",
    "scriptRef": "a <scriptNote> (scriptDesc)",
    "source": "a <bibl> or <witness>",
    "who": "a <person> (particDesc, a register) or <role> (castList)",
    "wit": "a <witness> (listWit)",
    "ana": "an <interp>, <category> or <fs>",
}
#: Elements whose @from/@to are pointers rather than dates.
_POINTER_FROM_TO = {T + n for n in ("span", "rt", "relation", "link", "alt", "join", "app")}
ENTRY_TAGS = {T + n for n in ("person", "personGrp", "place", "org", "event", "bibl",
                              "biblStruct", "item", "object", "nym")}
_LISTS = {T + n for n in ("listPerson", "listPlace", "listOrg", "listEvent", "listBibl",
                          "listObject", "listNym")}
#: Elements that declare something for whoever points to them, wherever they are (a castList
#: in another file's front, say); every id in a header or a standOff is such a declaration too.
_DECLARING = {T + n for n in (
    "person", "personGrp", "persona", "place", "org", "event", "bibl", "biblStruct", "biblFull",
    "msDesc", "witness", "listWit", "handNote", "scriptNote", "rendition", "respStmt",
    "category", "taxonomy", "interp", "interpGrp", "fs", "castItem", "castGroup", "role",
    "object", "nym", "listPerson", "listPlace", "listOrg", "listEvent", "listBibl", "prefixDef")}
_DECLARATION_PARTS = {T + "teiHeader", T + "standOff"}
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


#: Running text is what a file says outside its lists of entries (and their headings).
_NOT_RUNNING = _LISTS | {T + "head", T + "label"}


def is_register(root: etree._Element) -> bool:
    """A file that is mainly lists (listPerson, listPlace, listOrg, listBibl, listEvent, in a
    standOff or a body) with no running text of its own: fewer than 10 words outside the lists,
    or fewer than 2% of the words inside them (an introduction to a long register)."""
    lists = [el for el in root.iter(*_LISTS)
             if not any(a.tag in _LISTS for a in el.iterancestors())]
    if not lists:
        return False
    inside = sum(len("".join(el.itertext()).split()) for el in lists)
    limit = max(10, inside // 50)
    running = 0
    stack = list(root.iter(T + "text"))
    while stack:
        el = stack.pop()
        running += len(el.text.split()) if el.text else 0
        for c in el:
            running += len(c.tail.split()) if c.tail else 0
            if isinstance(c.tag, str) and c.tag not in _NOT_RUNNING:
                stack.append(c)
        if running >= limit:
            return False
    return True


#: Words a personal name never ends with in the sense of a surname: "Duncan, King of
#: Scotland" is no "Scotland", "Frau von Berg" may be "Berg".
_PARTICLES = {"von", "van", "de", "der", "den", "du", "da", "di", "la", "le", "zu", "vom",
              "zum", "ten", "ter", "y", "d'"}
#: The first words of a description rather than a name ("Der Hencker", "Ein Geist", "The
#: Porter"): such an entry is not known by a name. (Not "La", "Le", "Da": they begin surnames.)
_DESCRIPTION = {"der", "die", "das", "ein", "eine", "einer", "eines", "the", "a", "an", "het",
                "een"}


#: Parts of an entry whose names are other entities' (its location, relations, events).
_NOT_A_NAME = {T + n for n in ("location", "desc", "note", "event", "relation", "listRelation",
                               "birth", "death", "residence", "affiliation", "state", "trait",
                               "occupation", "education", "floruit")} | ENTRY_TAGS | _LISTS


def _up_to(n: etree._Element, top: etree._Element):
    """The ancestors of ``n`` below ``top``."""
    for a in n.iterancestors():
        if a is top:
            return
        yield a


def entry_names(el: etree._Element) -> dict[str, bool]:
    """The names an entry is known by, each with whether it is a short form: its
    persName/placeName/orgName texts and surnames and what comes before a comma in them
    ("Duncan, King of Scotland": "Duncan") (full), and the last word of a personal name of two
    to four words written without markup ("Rosa Luxemburg": "Luxemburg", short). A name that
    begins with an article is a description ("Der Hencker", "A Lord"), not a name."""
    names: dict[str, bool] = {}
    for n in el.iter(T + "persName", T + "placeName", T + "orgName", T + "surname",
                     T + "settlement"):
        if any(a.tag in _NOT_A_NAME for a in _up_to(n, el)):
            continue  # where a place lies, whom a person married, a place within: not its names
        text = " ".join("".join(n.itertext()).split())
        words = text.split()
        if not words or words[0].lower() in _DESCRIPTION:
            continue
        if len(text) >= 3 and text[0].isupper():
            names[text] = False
            head = text.split(",")[0].strip()
            if head != text and len(head) >= 3 and len(head.split()) <= 3:
                names.setdefault(head, False)  # "Duncan, King of Scotland": "Duncan"
        if (n.tag == T + "persName" and 1 < len(words) <= 4 and len(words[-1]) >= 4
                and n.find(T + "surname") is None and "," not in text
                and all(w[0].isupper() or w in _PARTICLES for w in words)):
            names.setdefault(words[-1].strip(",."), True)
    return names


_NAME_TAG = {"person": "persName", "personGrp": "persName", "place": "placeName",
             "org": "orgName"}


def name_tag(el: etree._Element) -> str:
    """The element to tag a mention of entry ``el`` with."""
    return _NAME_TAG.get(etree.QName(el).localname, "rs")


#: A name of an entry: (name, entry id, element to tag it with, whether it is a short form).
Name = tuple[str, str, str, bool]


@dataclass
class IdIndex:
    """Ids, declarations, pointers between files and entry names of the files of a project.

    ``ids`` holds every id of every file (for ``file.xml#id``), ``declared`` the ids a file
    declares for the edition (entries, declarations, anything in a header or a standOff, every
    id of a register file), with the files that declare them: a ``#id`` that one other file
    declares resolves there. ``targets`` and ``wanted`` say what is pointed at from elsewhere
    (``file.xml#id`` pointers, and ``#id`` pointers that name no id of their own file), and
    ``keys`` the ``@key`` values: all three are sets of distinct values, so the index grows
    with the ids and entries of a project, not with the number of its pointers."""

    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    declared: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> files
    targets: set[tuple[str, str]] = field(default_factory=set)  # (file, id) pointed at
    wanted: set[str] = field(default_factory=set)  # ids of #id pointers into other files
    keys: set[str] = field(default_factory=set)  # every @key value (a reference by key)
    names: dict[str, list[Name]] = field(default_factory=dict)  # file -> names
    registers: set[str] = field(default_factory=set)  # files of lists without running text

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
        file = part.file
        self.ids[file] = frozenset(part.ids)
        for ident in part.declared:
            known = self.declared.get(ident, ())
            if file not in known:
                self.declared[ident] = known + (file,)
        self.targets.update(part.targets)
        self.wanted.update(part.wanted)
        self.keys.update(part.keys)
        if part.names:
            self.names[file] = [(n[0], n[1], n[2], bool(n[3])) for n in part.names]
        if part.register:
            self.registers.add(file)
        else:
            self.registers.discard(file)

    def has(self, file: str, ident: str) -> bool | None:
        """True/False if ``file`` is indexed, None if it is not part of the index."""
        known = self.ids.get(file)
        return None if known is None else ident in known

    def resolve(self, source: str, pointer: str) -> tuple[str, str] | None:
        """Where ``pointer`` (``#id`` or ``file.xml#id``, as written in the file ``source``)
        leads: (file, id), or None if nowhere or to several places. A ``#id`` that ``source``
        does not define leads to the one other file that declares it for the edition."""
        if pointer.startswith("#"):
            ident = pointer[1:]
            if ident in self.ids.get(source, ()):
                return source, ident
            elsewhere = self.declaring(ident, source)
            return (elsewhere[0], ident) if len(elsewhere) == 1 else None
        if not _FILE_PTR.match(pointer):
            return None
        file, ident = _target(source, pointer)
        return (file, ident) if self.has(file, ident) else None

    def declaring(self, ident: str, source: str | None = None) -> tuple[str, ...]:
        """The files (other than ``source``) that declare ``ident`` for the edition."""
        return tuple(f for f in self.declared.get(ident, ()) if f != source)

    def files_defining(self, ident: str) -> tuple[str, ...]:
        """Every indexed file with an element whose xml:id is ``ident``, in index order."""
        return tuple(f for f, known in self.ids.items() if ident in known)

    def is_pointed_at(self, file: str, ident: str) -> bool:
        """Whether another file of the edition points to ``ident`` of ``file`` (a ``#id``
        that several files declare counts for each of them), or names it by ``@key``."""
        return (file, ident) in self.targets or ident in self.keys or (
            ident in self.wanted and file in self.declared.get(ident, ()))

    def is_register(self, file: str) -> bool:
        """Whether ``file`` is a register: lists of entries and no running text of its own."""
        return file in self.registers


@dataclass
class FilePart:
    """What one file contributes to an :class:`IdIndex` (plain, pickleable, JSON-able)."""

    file: str
    ids: list[str] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    targets: list[tuple[str, str]] = field(default_factory=list)
    wanted: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    names: list[tuple[str, str, str, bool]] = field(default_factory=list)
    register: bool = False


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
            return FilePart(key, raw["ids"], raw["declared"], [tuple(t) for t in raw["targets"]],
                            raw["wanted"], raw["keys"], [tuple(n) for n in raw["names"]],
                            raw["register"])
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
            raw = {k: getattr(part, k) for k in ("ids", "declared", "targets", "wanted", "keys",
                                                 "names", "register")}
            tmp.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, entry)
        except OSError:
            pass  # the cache only saves time
    return part


def index_parts(paths: list[Path], cache: Path, digests: list[str]) -> list[FilePart | None]:
    """The index parts of several files (a worker's share of the index)."""
    return [index_part(p, cache, d) for p, d in zip(paths, digests, strict=True)]


_PART_FORMAT = "ids-2"


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
    found = root.xpath("//@xml:id")
    ids = {str(v) for v in found}
    part.ids = sorted(ids)
    part.register = is_register(root)
    part.declared = part.ids if part.register else sorted({
        str(v) for v in found if v.getparent().tag in _DECLARING
        or any(a.tag in _DECLARATION_PARTS for a in v.getparent().iterancestors())})
    targets, wanted = set(), set()
    for el in root.iter(tag=etree.Element):
        keys = el.keys()
        if not keys:
            continue
        for attr in keys:
            if attr in _POINTER_SET or (attr in ("from", "to") and el.tag in _POINTER_FROM_TO):
                for v in el.get(attr).split():
                    if v.startswith("#"):
                        if v[1:] not in ids:
                            wanted.add(v[1:])
                    elif _FILE_PTR.match(v):
                        targets.add(_target(key, v))
    part.targets = sorted(targets)
    part.wanted = sorted(wanted)
    part.keys = sorted({str(v) for v in root.xpath("//@key")})
    for el in root.iter(*ENTRY_TAGS):
        if is_entry(el):
            for n, short in sorted(entry_names(el).items()):
                part.names.append((n, el.get(XML_ID), name_tag(el), short))
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
