"""The edition's id index: for every file of a project, its ids, which of them it declares for
the whole edition, what it points to elsewhere and the names of its entries; built once per
build and shared with the workers.

Each file's part is made with one safe parse and little Python work per element, is plain data
(pickleable, JSON-able) and is cached by the file's path and content, so a rebuild reads only the
files that changed. Its size grows with the ids and entries of a project, never with the number
of its pointers. :meth:`IdIndex.resolve` is the edition's one resolver: it says where a pointer
leads (a :class:`Target`: ``#id`` in the same file or, for an id that one other file declares for
the edition, in that file; ``file.xml#id``; a document by its file or its ``xml:id``; an entry by
``@key`` or by one of its authority identifiers), with ``xml:base`` honoured.
:mod:`toolkit.validation.integrity` checks documents against it, and the web edition's links,
cards and registers are made from what it says (:mod:`toolkit.html.links`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from toolkit.load.source import base_url, safe_parser
from toolkit.project.paths import resolved
from toolkit.tei import XML_BASE, XML_ID, XML_NS, T
from toolkit.validation.authority import authority_uri, match_key

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

#: Attributes of which the web edition makes links and cards (besides ``@key``).
LINK_ATTRS = ("ref", "target", "corresp")


class IdSet:
    """The ids of one file, kept as one string: an edition of thousands of letters has a
    million ids (one per line break, say), which as sets of strings would fill the memory of
    the build and of every worker the index is pickled to."""

    __slots__ = ("_s",)

    def __init__(self, ids=()) -> None:
        found = sorted(set(ids))
        self._s = "\0" + "\0".join(found) + "\0" if found else ""

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and bool(self._s) and f"\0{ident}\0" in self._s

    def __iter__(self):
        return iter(self._s[1:-1].split("\0")) if self._s else iter(())

    def __len__(self) -> int:
        return self._s.count("\0") - 1 if self._s else 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdSet):
            return self._s == other._s
        return isinstance(other, (set, frozenset)) and set(self) == other

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        return (_idset, (self._s,))

    def __repr__(self) -> str:
        return f"IdSet({sorted(self)!r})"


def _idset(joined: str) -> IdSet:
    out = IdSet()
    out._s = joined
    return out


def _count(table: dict, values, by: int) -> None:
    """Add ``by`` (1 or -1) to the count of each value: values several files contribute stay
    while one of them does."""
    for v in values:
        n = table.get(v, 0) + by
        if n > 0:
            table[v] = n
        else:
            table.pop(v, None)


class Target(NamedTuple):
    """Where a pointer leads: a file of the edition, the id in it (None: the document itself)
    and what is there: ``"entry"`` (an identified entry of a list: a person, place, org,
    bibl, event, ...), ``"element"`` (any other element with that id) or ``"document"``."""

    file: str
    id: str | None
    kind: str


@dataclass
class IdIndex:
    """Ids, declarations, pointers between files and entry names of the files of a project.

    ``ids`` holds every id of every file (for ``file.xml#id``), ``declared`` the ids a file
    declares for the edition (entries, declarations, anything in a header or a standOff, every
    id of a register file), with the files that declare them: a ``#id`` that one other file
    declares resolves there. ``targets`` and ``wanted`` say what is pointed at from elsewhere
    (``file.xml#id`` pointers, and ``#id`` pointers that name no id of their own file), and
    ``keys`` the ``@key`` values: all three hold distinct values (with the number of files
    that contribute each, so that a file can be taken out again), so the index grows with the
    ids and entries of a project, not with the number of its pointers. ``digests`` says which
    content of each file the index describes: a build updates the last build's index by the
    files that changed (:meth:`remove`, :meth:`merge`).

    For the edition's links: ``entries`` has the kind and a digest of the content of every
    identified entry, ``entry_keys`` the files and ids of entries by ``@n`` (what ``@key``
    names), ``idnos`` the entries by their authority identifiers (:func:`match_key`), ``docs``
    the files by their names (the root's ``xml:id``, the file name without ``.xml``), ``titles``
    and ``letters`` what a file's title and correspondence description say (for links to it and
    the letters' order)."""

    ids: dict[str, IdSet] = field(default_factory=dict)
    declared: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> files
    targets: dict[tuple[str, str], int] = field(default_factory=dict)  # (file, id) pointed at
    wanted: dict[str, int] = field(default_factory=dict)  # ids of #id pointers elsewhere
    keys: dict[str, int] = field(default_factory=dict)  # every @key value (a reference by key)
    names: dict[str, list[Name]] = field(default_factory=dict)  # file -> names
    registers: set[str] = field(default_factory=set)  # files of lists without running text
    entries: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    entry_keys: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    idnos: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    docs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> files
    titles: dict[str, str] = field(default_factory=dict)
    letters: dict[str, dict] = field(default_factory=dict)
    faces: dict[str, str] = field(default_factory=dict)  # file -> digest of what it offers
    digests: dict[str, str] = field(default_factory=dict)  # file -> content it was read from
    format: str = ""  # INDEX_FORMAT once pickled for the next build

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

    def merge(self, part: FilePart, digest: str = "") -> None:
        """Add the part of one file (from :func:`index_part`; ``digest``: of its content)."""
        file = part.file
        if file in self.ids:
            raise ValueError(f"{file} is in the index already: remove its part first")
        self.ids[file] = IdSet(part.ids)
        for ident in part.declared:
            known = self.declared.get(ident, ())
            if file not in known:
                self.declared[sys.intern(ident)] = tuple(sorted(known + (file,)))
        _count(self.targets, part.targets, 1)
        _count(self.wanted, part.wanted, 1)
        _count(self.keys, part.keys, 1)
        if part.names:
            self.names[file] = [(n[0], n[1], n[2], bool(n[3])) for n in part.names]
        if part.register:
            self.registers.add(file)
        for ident, kind, digest_of in part.entries:
            self.entries[(file, ident)] = (kind, digest_of)
        for table, pairs in ((self.entry_keys, part.entry_keys), (self.idnos, part.idnos)):
            for k, ident in pairs:
                known = table.get(k, ())
                if (file, ident) not in known:
                    table[k] = tuple(sorted(known + ((file, ident),)))
        for name in _names_of(part):
            known = self.docs.get(name, ())
            if file not in known:
                self.docs[name] = tuple(sorted(known + (file,)))
        if part.title:
            self.titles[file] = part.title
        if part.letter:
            self.letters[file] = part.letter
        self.faces[file] = part.face
        self.digests[file] = digest

    def remove(self, part: FilePart) -> None:
        """Take out the part of one file, as :meth:`merge` added it."""
        file = part.file
        self.ids.pop(file, None)
        for ident in part.declared:
            known = tuple(f for f in self.declared.get(ident, ()) if f != file)
            if known:
                self.declared[ident] = known
            else:
                self.declared.pop(ident, None)
        _count(self.targets, part.targets, -1)
        _count(self.wanted, part.wanted, -1)
        _count(self.keys, part.keys, -1)
        self.names.pop(file, None)
        self.registers.discard(file)
        for ident, _, _ in part.entries:
            self.entries.pop((file, ident), None)
        for table, pairs in ((self.entry_keys, part.entry_keys), (self.idnos, part.idnos)):
            for k, ident in pairs:
                known = tuple(x for x in table.get(k, ()) if x != (file, ident))
                if known:
                    table[k] = known
                else:
                    table.pop(k, None)
        for name in _names_of(part):
            known = tuple(f for f in self.docs.get(name, ()) if f != file)
            if known:
                self.docs[name] = known
            else:
                self.docs.pop(name, None)
        for table in (self.titles, self.letters, self.faces, self.digests):
            table.pop(file, None)

    def epoch(self) -> str:
        """A digest of everything the resolution of a pointer depends on beyond its own file:
        what each file offers (ids it declares, entries, keys, authority identifiers, names)
        and which of the ids pointed at by file name exist. Equal epochs resolve every
        pointer of an unchanged file alike."""
        h = hashlib.sha256()
        for file in sorted(self.faces):
            h.update(f"{file}\0{self.faces[file]}\n".encode())
        for file, ident in sorted(self.targets):
            h.update(f"{file}#{ident}\0{self.has(file, ident)}\n".encode())
        return h.hexdigest()

    def has(self, file: str, ident: str) -> bool | None:
        """True/False if ``file`` is indexed, None if it is not part of the index."""
        known = self.ids.get(file)
        return None if known is None else ident in known

    def resolve(self, source: str, pointer: str, base: str | None = None,
                key: bool = False) -> Target | None:
        """Where ``pointer``, as written in the file ``source``, leads; None if nowhere, out of
        the edition (a web address no entry has) or to several places.

        * ``#id``: the element of ``source`` with that id; else the one other file that
          declares the id for the edition (an authority file's entry, a shared header's
          declaration); an id in another document's text is reached with ``file.xml#id``.
        * ``file.xml#id``, ``file.xml``: that element, that document (relative to the file, or
          to ``base``, the ``xml:base`` in effect where the pointer is written).
        * a bare name (``target="L02112"``): the document whose root has that ``xml:id`` or
          whose file has that name.
        * an http(s) address: the entry whose authority identifier (``idno``) it is.
        * ``key=True`` (the value of ``@key``): the entry with that id or that ``@n``, in
          ``source`` first, else the one file of the edition that has it.
        """
        p = " ".join(pointer.split()) if key else pointer.strip()
        if not p:
            return None
        if key:
            return self._by_key(source, p)
        if p.startswith("#"):
            ident = p[1:]
            if base:  # "#id" below an xml:base naming another file of the edition
                other = _local_file(urljoin(base, p))
                if other and other != source and self.has(other, ident):
                    return self._at(other, ident)
            if ident in self.ids.get(source, ()):
                return self._at(source, ident)
            elsewhere = self.declaring(ident, source)
            return self._at(elsewhere[0], ident) if len(elsewhere) == 1 else None
        absolute = urljoin(base or source, p)
        scheme = urlsplit(absolute).scheme.lower()
        if scheme in ("http", "https"):
            return self._by_uri(absolute)
        if scheme and len(scheme) > 1:  # mailto:, urn:, javascript: ... (not C:\ paths)
            return None
        file = _local_file(absolute)
        ident = urlsplit(absolute).fragment
        if file is not None and file not in self.ids and os.path.lexists(file):
            resolved = str(Path(file).resolve())  # a link to a file of the edition
            file = resolved if resolved in self.ids else file
        if ident:
            return self._at(file, unquote(ident)) if file and self.has(file, unquote(ident)) \
                else None
        if file in self.ids:
            return Target(file, None, "document")
        if "/" not in p and "." not in p.strip("."):
            named = self.docs.get(p, ())
            return Target(named[0], None, "document") if len(named) == 1 else None
        return None

    def _at(self, file: str, ident: str) -> Target:
        return Target(file, ident, "entry" if (file, ident) in self.entries else "element")

    def _by_key(self, source: str, key: str) -> Target | None:
        if (source, key) in self.entries:
            return Target(source, key, "entry")
        local = [f for f, i in self.entry_keys.get(key, ()) if f == source]
        if local:
            return self._at(source, next(i for f, i in self.entry_keys[key] if f == source))
        by_id = [f for f in self.declaring(key, source) if (f, key) in self.entries]
        if len(by_id) == 1:
            return Target(by_id[0], key, "entry")
        by_n = self.entry_keys.get(key, ())
        return Target(by_n[0][0], by_n[0][1], "entry") if len(by_n) == 1 and not by_id \
            else None

    def _by_uri(self, uri: str) -> Target | None:
        k = match_key(uri)
        found = self.idnos.get(k, ()) if k else ()
        return Target(found[0][0], found[0][1], "entry") if len(found) == 1 else None

    def declaring(self, ident: str, source: str | None = None) -> tuple[str, ...]:
        """The files (other than ``source``) that declare ``ident`` for the edition."""
        return tuple(f for f in self.declared.get(ident, ()) if f != source)

    def files_defining(self, ident: str) -> tuple[str, ...]:
        """Every indexed file with an element whose xml:id is ``ident``, in index order."""
        return tuple(sorted(f for f, known in self.ids.items() if ident in known))

    def is_pointed_at(self, file: str, ident: str) -> bool:
        """Whether another file of the edition points to ``ident`` of ``file`` (a ``#id``
        that several files declare counts for each of them), or names it by ``@key``."""
        return (file, ident) in self.targets or ident in self.keys or (
            ident in self.wanted and file in self.declared.get(ident, ()))

    def is_register(self, file: str) -> bool:
        """Whether ``file`` is a register: lists of entries and no running text of its own."""
        return file in self.registers


def _local_file(url: str) -> str | None:
    """The path of a local file an absolute reference names (a path or a file: URL), without
    its fragment; None for a reference with a scheme of another kind."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        path = unquote(parts.path)
    elif not parts.scheme or len(parts.scheme) == 1:
        path = unquote(url.split("#")[0])
    else:
        return None
    return os.path.normpath(path) if path and not path.endswith("/") else None


def base_of(el: etree._Element, source: str) -> str | None:
    """The base against which ``el``'s relative pointers are resolved when an ``xml:base``
    changes it; None where it is the file itself (ask only of files that have an xml:base:
    looking the base up costs a walk to the root)."""
    b = el.base
    if not b:
        return None
    if b.startswith("file:"):
        b = unquote(urlsplit(b).path)
    return None if b == source else b


def _names_of(part: FilePart) -> list[str]:
    """The names by which a document is pointed to: its root's xml:id, its file name."""
    return list(dict.fromkeys(n for n in (part.doc_id, Path(part.file).stem) if n))


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
    #: (id, kind, digest of its content) of each identified entry
    entries: list[tuple[str, str, str]] = field(default_factory=list)
    entry_keys: list[tuple[str, str]] = field(default_factory=list)  # (@n, id)
    idnos: list[tuple[str, str]] = field(default_factory=list)  # (match key, id)
    doc_id: str = ""
    title: str = ""
    letter: dict | None = None  # see letter_facts
    #: the distinct pointers the file's links are made of: (attribute kind, value, base), the
    #: kind "key" for @key values and "ptr" for the others, base "" where no xml:base counts
    links: list[tuple[str, str, str]] = field(default_factory=list)
    #: a digest of what the file offers the others' pointers (see IdIndex.epoch)
    face: str = ""


    def same_as(self, other: FilePart) -> bool:
        """Whether ``other`` contributes to the index what this part does (read back from the
        cache or made now: its lists of pairs as tuples or lists alike)."""
        return self.file == other.file and _plain(self) == _plain(other)


_FIELDS = ("ids", "declared", "targets", "wanted", "keys", "names", "register", "entries",
           "entry_keys", "idnos", "doc_id", "title", "letter", "links", "face")
_TUPLES = ("targets", "names", "entries", "entry_keys", "idnos", "links")


def _plain(part: FilePart) -> list:
    return [[tuple(x) for x in getattr(part, k)] if k in _TUPLES else getattr(part, k)
            for k in _FIELDS]


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
            return FilePart(key, **{k: [tuple(v) for v in raw[k]] if k in _TUPLES else raw[k]
                                    for k in _FIELDS})
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
            raw = {k: getattr(part, k) for k in _FIELDS}
            tmp.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, entry)
        except OSError:
            pass  # the cache only saves time
    return part


def index_parts(paths: list[Path], cache: Path, digests: list[str]) -> list[FilePart | None]:
    """The index parts of several files (a worker's share of the index)."""
    return [index_part(p, cache, d) for p, d in zip(paths, digests, strict=True)]


_PART_FORMAT = "ids-4"
#: the form of a pickled IdIndex: an index pickled by another version is made anew
INDEX_FORMAT = "index-1"


def part_file(cache: Path, path: str | Path, digest: str) -> Path:
    """Where :func:`index_part` keeps the part of the file ``path`` with content ``digest``."""
    key = str(resolved(path))
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
    has_base = root.find(f".//*[@{{{XML_NS}}}base]") is not None or root.get(XML_BASE)
    targets, wanted, links = set(), set(), set()
    for el in root.iter(tag=etree.Element):
        keys = el.keys()
        if not keys:
            continue
        for attr in keys:
            if attr in _POINTER_SET or (attr in ("from", "to") and el.tag in _POINTER_FROM_TO):
                value = el.get(attr)
                link = attr in LINK_ATTRS
                base = (base_of(el, key) or "") if has_base and link else ""
                for v in value.split():
                    if link:
                        links.add(("ptr", v, base))
                    if v.startswith("#"):
                        if v[1:] not in ids:
                            wanted.add(v[1:])
                    elif _FILE_PTR.match(v):
                        targets.add(_target(key, v))
            elif attr == "key":
                links.add(("key", " ".join(el.get(attr).split()), ""))
    part.targets = sorted(targets)
    part.wanted = sorted(wanted)
    part.links = sorted(links)
    part.keys = sorted({str(v) for v in root.xpath("//@key")})
    entry_keys, idnos = set(), set()
    for el in root.iter(*ENTRY_TAGS):
        if is_entry(el):
            ident = el.get(XML_ID)
            for n, short in sorted(entry_names(el).items()):
                part.names.append((n, ident, name_tag(el), short))
            content = etree.tostring(el, encoding="utf-8", with_tail=False)
            part.entries.append((ident, etree.QName(el).localname,
                                 hashlib.sha256(content).hexdigest()[:16]))
            if el.get("n") and el.get("n").strip():
                entry_keys.add((" ".join(el.get("n").split()), ident))
            for uri in entry_uris(el):
                k = match_key(uri)
                if k:
                    idnos.add((k, ident))
    part.entry_keys = sorted(entry_keys)
    part.idnos = sorted(idnos)
    part.doc_id = root.get(XML_ID) or ""
    part.title = document_title(root)
    part.letter = letter_facts(root)
    face = json.dumps([part.declared, [(i, k) for i, k, _ in part.entries], part.entry_keys,
                       part.idnos, part.doc_id, part.register], ensure_ascii=False)
    part.face = hashlib.sha256(face.encode()).hexdigest()[:24]
    return part


def entry_uris(el: etree._Element) -> list[str]:
    """The authority addresses of an entry: its own ``idno``s (bare identifiers of a known
    type made addresses) and the web addresses of its ``@sameAs``, ``@corresp`` and ``@ref``."""
    out = []
    for idno in el.iterchildren(T + "idno"):
        uri = authority_uri("".join(idno.itertext()), idno.get("type"))
        if uri:
            out.append(uri)
    for attr in ("sameAs", "corresp", "ref"):
        for v in (el.get(attr) or "").split():
            if v.lower().startswith(("http://", "https://")):
                out.append(v)
    return list(dict.fromkeys(out))


def document_title(root: etree._Element) -> str:
    """The title of a document as its page gives it, for links to it from other files: the
    rule of tk:main-title (xslt/common/common.xsl), of its own titles (not a series' or a
    journal's, unless it has no other) the one typed main, else the analytic one, else the
    first that is no subtitle, short or alternative title."""
    stmt = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt")
    if stmt is None:
        return ""
    titles = stmt.findall(T + "title")
    titles = [t for t in titles if t.get("level") not in ("s", "j")] or titles
    chosen = ([t for t in titles if t.get("type") == "main"]
              or [t for t in titles if t.get("level") == "a"]
              or [t for t in titles if t.get("type") not in ("sub", "subtitle", "alt", "short",
                                                             "desc")]
              or titles)
    if not chosen:
        return ""
    return " ".join("".join(t for t in chosen[0].itertext()).split())


_SENDING = ("when", "from", "notBefore", "to", "notAfter")


def letter_facts(root: etree._Element) -> dict | None:
    """What a letter's correspondence description says about its place among the letters:
    the dates of sending (``when``/``from``/``notBefore``, ``to``/``notAfter``), the pointers
    of its senders and addressees (["key" | "ptr" | "name", value] each; a name's own @type
    "sender" or "addressee" wins over its action's, as some editions write both in one action:
    xslt/common/letters.xsl reads the same rule) and the letters its correspContext names
    ([type, subtype, target] each); None for a file without correspDesc."""
    desc = root.find(f"{T}teiHeader/{T}profileDesc/{T}correspDesc")
    if desc is None:
        return None
    sent: list[str] = []
    people: dict[str, list[list[str]]] = {"sender": [], "addressee": []}
    for action in desc.iterchildren(T + "correspAction"):
        kind = (action.get("type") or "").lower()
        role = "sender" if kind == "sent" else "addressee" if kind == "received" else ""
        if kind == "sent":
            for d in action.iterchildren(T + "date"):
                sent += [d.get(a) or "" for a in _SENDING]
                break
        for n in action.iterchildren(T + "persName", T + "orgName", T + "name"):
            who = (n.get("type") or "").lower()
            r = who if who in people else role
            if not r:
                continue
            if n.get("ref"):
                people[r].append(["ptr", n.get("ref").split()[0]])
            elif n.get("key"):
                people[r].append(["key", " ".join(n.get("key").split())])
            else:
                people[r].append(["name", " ".join("".join(n.itertext()).split())])
    context = []
    for ctx in desc.iterchildren(T + "correspContext"):
        for ref in ctx.iter(T + "ref", T + "ptr"):
            if ref.get("target"):
                context.append([(ref.get("type") or "").strip(), (ref.get("subtype") or "")
                                .strip(), ref.get("target").split()[0]])
    dates = dict(zip(_SENDING, sent + [""] * 5, strict=False))
    start = dates["when"] or dates["from"] or dates["notBefore"] or dates["to"] or \
        dates["notAfter"]
    end = dates["to"] or dates["notAfter"] or start
    return {"sent": [start, end], "senders": people["sender"],
            "addressees": people["addressee"], "context": context}


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
