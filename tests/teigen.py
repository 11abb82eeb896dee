"""TEI documents drawn from the tei_all grammar, for property-based tests (hypothesis).

Every element is one the grammar allows in its parent (``Grammar.children``), every attribute
one it allows on the element (``Grammar.attributes``), text only where the element's content
model has text. The documents are well-formed, not valid: counts, order and datatypes are
free, so elements come repeated, empty and deeply nested, attributes with odd values.

The shape follows real documents where the stylesheets look hardest: a header with several
titles (with many @type and @level values), authors, editors, respStmts with many resp,
languages, dates and date ranges, a source description (bibl, biblStruct, msDesc with its
identifier, physical description and history, lists); standOff and back lists of persons,
places and organisations; letters (opener, closer, address); and text whose elements are drawn
from what the grammar allows, those the stylesheets name more often than the rest. Afterwards
notes are put in odd places (titles, names, headings, cells, other notes, between blocks), an
element may be repeated many times, and a chain of an element within itself may be nested deep.

Use :func:`documents` (a strategy of serialised documents, bytes).
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

from hypothesis import strategies as st
from lxml import etree

from toolkit.validation.rng import grammar as rng
from toolkit.validation.rng.simplify import R
from toolkit.validation.schema import schema_path

TEI = "http://www.tei-c.org/ns/1.0"
EXAMPLES = "http://www.tei-c.org/ns/Examples"
XML = "http://www.w3.org/XML/1998/namespace"
XSLT = Path(__file__).resolve().parents[1] / "xslt"

#: elements drawn at most for a header, a standOff, a text (the oddities may add some)
BUDGET = {"teiHeader": 80, "standOff": 40, "text": 140}
MAX_DEPTH = 9


# ------------------------------------------------------------------------------ the grammar


class Vocabulary:
    """What the grammar allows, by local name of TEI elements (other namespaces left out, but
    for egXML, whose content is any element)."""

    def __init__(self, g: rng.Grammar):
        self.g = g
        self._text: dict[str, bool] = {}
        self._children: dict[str, tuple[str, ...]] = {}
        self._attributes: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def children(self, name: str) -> tuple[str, ...]:
        """The TEI elements (and egXML) allowed in the content of element ``name``."""
        if name not in self._children:
            names = self.g.children(self._qname(name))
            self._children[name] = tuple(
                sorted(local for ns, local in names if ns == TEI)
                + ["egXML" for ns, local in names if (ns, local) == (EXAMPLES, "egXML")])
        return self._children[name]

    def attributes(self, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The attributes (Clark names) allowed on element ``name``, and those required."""
        if name not in self._attributes:
            allowed, required = self.g.attributes(self._qname(name))

            def clark(names) -> tuple[str, ...]:
                return tuple(sorted(rng.clark(n) for n in names if n != rng.ANY))

            self._attributes[name] = (clark(allowed), clark(required))
        return self._attributes[name]

    def allows_text(self, name: str) -> bool:
        """Whether the content model of the element has text (or data) directly in it."""
        if name not in self._text:
            found = False
            for el in self.g.element_patterns().get(self._qname(name), []):
                if any(self._has_text(child, set()) for child in el[1:]):
                    found = True
                    break
            self._text[name] = found
        return self._text[name]

    def _has_text(self, pat, seen: set[str]) -> bool:
        tag = pat.tag
        if tag in (R + "text", R + "data", R + "value"):
            return True
        if tag in (R + "element", R + "attribute"):
            return False
        if tag == R + "ref":
            name = pat.get("name")
            if name in seen or name not in self.g.defines:
                return False
            seen.add(name)
            return self._has_text(self.g.defines[name], seen)
        return any(self._has_text(c, seen) for c in pat if isinstance(c.tag, str))

    @staticmethod
    def _qname(name: str) -> rng.Name:
        return (EXAMPLES, name) if name == "egXML" else (TEI, name)


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(rng.load(schema_path()))


@cache
def named_by_stylesheets() -> frozenset[str]:
    """TEI element names the stylesheets mention (tei:name): drawn more often than the rest."""
    names: set[str] = set()
    for f in XSLT.rglob("*.xsl"):
        names |= set(re.findall(r"tei:([A-Za-z][A-Za-z0-9]*)", f.read_text(encoding="utf-8")))
    return frozenset(names)


# ------------------------------------------------------------------------------ values

DATES = ["1837-02-14", "1837", "1837-02", "0837", "-0044-03-15", "1837-02-30", "1837-13-01",
         "2020-02-29", "1900-02-29", "--02-14", "---14", "18:30", "18:30:00",
         "1837-02-14T10:30:00", "1837-02-14T25:61:00", "1837-02-14T10:30:00+01:00", "", " ",
         "ca. 1837", "1837?", "183X", "99999", "0000", "0000-01-01", "00", "1837-2-4",
         "14.02.1837", "1837–1840", "1837/1840", "20th century", "99999-01-01", "1e3", "-1",
         "1837-02-14 1837-02-15", "2026", "1200-01-01Z"]
NUMBERS = ["1", "2", "0", "-1", "007", "5", "10", "1001", "1.5", "abc", "", " ", "NaN",
           "99999999999999999999", "1 2", "III"]
N_VALUES = ["1", "0", "-1", "007", "5", "10", "15", "ii", "IV", "1a", "3-4", "", " ", "1 2",
            "10000000000000000000000", "1.5", "NaN", "[3]", "*", "\u2020", "<>&\"'", "a b c",
            "x" * 120, "\u202e1", "\u00e9", "12r", "fol. 3v", "\t5\n"]
RENDS = ["italic", "bold", "right", "left", "center", "centre", "block", "inline", "indent",
         "sup", "superscript", "sub", "smallcaps", "spaced", "underline", "italic bold",
         "right italic", "#r1", "font-style:italic", "text-align: right", "inline-block", "",
         " ", "none", "hidden", "display:none", "large small", "ITALIC", "Right",
         "rotate(90deg)", "gesperrt", "numbered", "ordered", "bullets", "block right",
         "align(right)", "(right)", ";;", "x" * 100, "single", "sq", "dq", "pre(\u201e)",
         "break", "inline center", "float-right", "margin-left"]
TYPES = ["main", "sub", "subtitle", "alt", "short", "desc", "main sub", "sub main", "",
         "main main", "Main", "figurative", "editorial", "gloss", "person", "place", "org",
         "sent", "received", "ordered", "numbered", "URL", "wikidata", "DOI", "x" * 60,
         "commentary", "ed", "author", "translation", "letter", "chapter", "role", "note",
         "shelfmark", "series", "journal", "reg", "variant", "birth", "full"]
LEVELS = ["a", "m", "j", "s", "u", "", "a m", "s j", "x", "M", " a "]
LANGS = ["en", "de", "la", "grc", "eng", "deu", "ger", "lat", "fr-CA", "de-1901",
         "zh-Hant-TW", "en-US-x-private", "x-klingon", "", " ", "123", "ERROR", "de_DE",
         "sr-Latn", "und", "mis", "en-", "-en", "e", "EN", "de-CH-1996", "ar", "he"]
POINTER_FORMS = ["#{id}", "#{id} #{id2}", "#nowhere", "#", "", " ", "persons.xml#{id}",
                 "../x.xml#a", "other.xml", "http://example.org/x", "https://example.org/#a b",
                 "https://www.wikidata.org/wiki/Q42", "mailto:a@example.org",
                 "javascript:alert(1)", "data:,x", "file:///etc/passwd", "psn:goethe", "Q42",
                 "a b", "image.png", "img/p1.jpg", "../secret.png", "#{id} http://example.org",
                 "{id}", "#{id}#{id2}", "http://", "\u00a0#{id}"]
UNITS = ["page", "volume", "vol", "issue", "number", "no", "chapter", "line", "pp", "pages",
         "", "leaf", "folio", "cm", "chars"]
TEXTS = ["Wort ", " drin", "Dr. jur. Paul Goldmann", "Correspondant", "Z\u00fcrich", "",
         " ", "\n  ", "\u00a0", "word", "Lorem ipsum dolor sit amet,", "\u00abGuillemets\u00bb",
         "\u201eAnf\u00fchrung\u201c", "\u2018single\u2019", "(paren", "close)", ".", ",", ";",
         "\u2014", "-", "Fortbil", "dung", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
         "\u1f08\u03b8\u1fc6\u03bd\u03b1\u03b9", "e\u0301", "\u200b", "\u2028", "\t", "x" * 300,
         "1837", "[1]", "*", "& < >", "\"quoted\"", "\ufb01", "\U0001f642", "\ufffd",
         "Nachl. O. Heer 184.1", "ZBZ", "  spaced   out  ", "end.", "\u00a0\u00a0",
         "\ufdd0\ufdd5x\ufdd6", "a\u00adb", "I", "de", "van der", "Mr.", "16.", "\r\n",
         "\u0085\u007f\u009f"]
ID_POOL = [f"id{i}" for i in range(1, 9)] + ["p1", "pl1", "o1", "n1", "w1", "h1"]
#: ids no schema allows, and the same id twice: well-formed all the same
ODD_IDS = ["1", "a b", "", "x:y", "\u00e9", "id1"]
#: entries that mentions point at: they mostly have an id
ENTRIES = ("person", "personGrp", "place", "org", "event", "bibl", "witness", "note")

#: attribute (clark name) -> values; anything else draws from OTHER
VALUES: dict[str, list[str]] = {
    **{a: DATES for a in ("when", "notBefore", "notAfter", "from", "to", "when-iso",
                          "notBefore-iso", "notAfter-iso", "from-iso", "to-iso")},
    **{a: POINTER_FORMS for a in ("ref", "target", "corresp", "resp", "who", "wit", "source",
                                  "sameAs", "facs", "ana", "next", "prev", "copyOf", "url",
                                  "synch", "hand", "scribeRef", "scriptRef", "spanTo",
                                  "select", "exclude", "rendition", "start", "end")},
    "key": ["goethe", "", " ", "a b", "p1", "#id1", "javascript:x", "../up", "\u00e9"],
    "n": N_VALUES, "rend": RENDS, "style": RENDS, "type": TYPES, "subtype": TYPES,
    "level": LEVELS, f"{{{XML}}}lang": LANGS, "ident": LANGS, "mainLang": LANGS,
    "unit": UNITS, "cols": NUMBERS, "rows": NUMBERS, "quantity": NUMBERS, "extent": NUMBERS,
    "atLeast": NUMBERS, "atMost": NUMBERS, "min": NUMBERS, "max": NUMBERS, "usage": NUMBERS,
    "break": ["no", "yes", "maybe", "", "NO"], "join": ["left", "right", "both", "no",
                                                        "overlap", "", "up"],
    "place": ["foot", "margin", "end", "inline", "above", "below", "", "margin left"],
    "role": ["label", "data", "", "sender", "addressee"],
    "direct": ["false", "true", "unknown"], "reason": ["illegible", "damage", "", "x" * 80],
    "status": ["draft", "", "unremarkable"], "cert": ["high", "low", "", "0.5"],
    f"{{{XML}}}space": ["preserve", "default"], "part": ["I", "M", "F", "N", "Y", ""],
    "eol": ["none", "all", "some", "hard"], "calendar": ["#julian", "", "julian"],
}
OTHER = N_VALUES[:12] + TYPES[:10] + POINTER_FORMS[:4]
#: attributes drawn more often than the grammar's many others
ATTRIBUTES_OF_INTEREST = ("n", "rend", "type", "when", "from", "to", "notBefore", "notAfter",
                          "level", "ref", "target", "corresp", "resp", "key", "who", "wit",
                          "place", "unit", "break", "cols", "rows", "url", "facs", "role",
                          "join", "direct", "ident", f"{{{XML}}}lang", f"{{{XML}}}id")

#: A document's usual skeleton: element -> (child, least, most) in order; children drawn from
#: the grammar may follow. Everything else is drawn from the grammar alone.
SKELETON: dict[str, list[tuple[str, int, int]]] = {
    "teiHeader": [("fileDesc", 1, 1), ("encodingDesc", 0, 1), ("profileDesc", 0, 1),
                  ("revisionDesc", 0, 1)],
    "fileDesc": [("titleStmt", 1, 1), ("editionStmt", 0, 1), ("publicationStmt", 1, 1),
                 ("seriesStmt", 0, 2), ("notesStmt", 0, 1), ("sourceDesc", 1, 2)],
    "titleStmt": [("title", 0, 6), ("author", 0, 4), ("editor", 0, 3), ("respStmt", 0, 4),
                  ("funder", 0, 1)],
    "respStmt": [("resp", 0, 7), ("persName", 0, 3), ("name", 0, 1), ("orgName", 0, 1)],
    "publicationStmt": [("publisher", 0, 2), ("pubPlace", 0, 1), ("date", 0, 2),
                        ("availability", 0, 1), ("idno", 0, 2)],
    "availability": [("licence", 0, 2), ("p", 0, 2)],
    "seriesStmt": [("title", 0, 3), ("respStmt", 0, 1), ("biblScope", 0, 2)],
    "sourceDesc": [("bibl", 0, 3), ("biblStruct", 0, 2), ("msDesc", 0, 2), ("listBibl", 0, 1),
                   ("p", 0, 2), ("biblFull", 0, 1), ("recordingStmt", 0, 1),
                   ("listPerson", 0, 1)],
    "msDesc": [("msIdentifier", 1, 1), ("head", 0, 1), ("msContents", 0, 1),
               ("physDesc", 0, 1), ("history", 0, 1), ("additional", 0, 1), ("msPart", 0, 2)],
    "msIdentifier": [("country", 0, 1), ("settlement", 0, 1), ("institution", 0, 1),
                     ("repository", 0, 1), ("collection", 0, 2), ("idno", 0, 3),
                     ("altIdentifier", 0, 2), ("msName", 0, 1)],
    "physDesc": [("p", 0, 2), ("objectDesc", 0, 1), ("handDesc", 0, 1), ("decoDesc", 0, 1)],
    "objectDesc": [("supportDesc", 0, 1), ("layoutDesc", 0, 1)],
    "handDesc": [("handNote", 0, 3), ("p", 0, 1)],
    "history": [("origin", 0, 1), ("provenance", 0, 2), ("acquisition", 0, 1), ("p", 0, 2)],
    "origin": [("origDate", 0, 2), ("origPlace", 0, 1)],
    "biblStruct": [("analytic", 0, 2), ("monogr", 1, 2), ("series", 0, 2), ("idno", 0, 2),
                   ("note", 0, 2), ("ref", 0, 1)],
    "analytic": [("author", 0, 3), ("title", 0, 3), ("editor", 0, 1), ("idno", 0, 1)],
    "monogr": [("author", 0, 2), ("editor", 0, 2), ("title", 0, 3), ("edition", 0, 1),
               ("imprint", 1, 1), ("biblScope", 0, 3), ("idno", 0, 1)],
    "imprint": [("pubPlace", 0, 2), ("publisher", 0, 2), ("date", 0, 2), ("biblScope", 0, 3)],
    "series": [("title", 0, 2), ("biblScope", 0, 2)],
    "profileDesc": [("langUsage", 0, 1), ("creation", 0, 1), ("correspDesc", 0, 1),
                    ("textClass", 0, 1), ("particDesc", 0, 1)],
    "langUsage": [("language", 0, 4)],
    "creation": [("date", 0, 3), ("placeName", 0, 1)],
    "correspDesc": [("correspAction", 0, 4)],
    "correspAction": [("persName", 0, 2), ("placeName", 0, 2), ("date", 0, 2),
                      ("orgName", 0, 1)],
    "textClass": [("keywords", 0, 2), ("classCode", 0, 1)],
    "keywords": [("term", 0, 4)],
    "encodingDesc": [("projectDesc", 0, 1), ("editorialDecl", 0, 1), ("tagsDecl", 0, 1)],
    "editorialDecl": [("p", 0, 2), ("normalization", 0, 1), ("correction", 0, 1),
                      ("hyphenation", 0, 1), ("quotation", 0, 1), ("segmentation", 0, 1),
                      ("interpretation", 0, 1), ("punctuation", 0, 1)],
    "standOff": [("listPerson", 0, 2), ("listPlace", 0, 2), ("listOrg", 0, 1),
                 ("listBibl", 0, 1), ("listEvent", 0, 1)],
    "listPerson": [("head", 0, 1), ("person", 0, 5), ("personGrp", 0, 1), ("listPerson", 0, 1)],
    "person": [("persName", 0, 3), ("birth", 0, 2), ("death", 0, 2), ("floruit", 0, 1),
               ("occupation", 0, 2), ("affiliation", 0, 1), ("note", 0, 2), ("idno", 0, 2)],
    "persName": [("forename", 0, 2), ("nameLink", 0, 1), ("surname", 0, 2), ("roleName", 0, 1),
                 ("addName", 0, 1)],
    "listPlace": [("head", 0, 1), ("place", 0, 5)],
    "place": [("placeName", 0, 3), ("location", 0, 2), ("country", 0, 1), ("idno", 0, 2),
              ("note", 0, 1)],
    "location": [("geo", 0, 2), ("settlement", 0, 1), ("country", 0, 1), ("region", 0, 1)],
    "listOrg": [("org", 0, 4)],
    "org": [("orgName", 0, 2), ("note", 0, 1), ("idno", 0, 1)],
    "text": [("front", 0, 1), ("body", 1, 1), ("back", 0, 1)],
    "back": [("div", 0, 2), ("listPerson", 0, 1), ("listPlace", 0, 1), ("listOrg", 0, 1),
             ("listBibl", 0, 1), ("note", 0, 2)],
    "opener": [("dateline", 0, 2), ("address", 0, 1), ("salute", 0, 2), ("seg", 0, 2),
               ("signed", 0, 1)],
    "closer": [("salute", 0, 2), ("signed", 0, 2), ("address", 0, 1), ("dateline", 0, 1),
               ("seg", 0, 1)],
    "address": [("addrLine", 0, 5), ("street", 0, 1), ("postCode", 0, 1), ("settlement", 0, 1)],
    "choice": [("sic", 0, 1), ("corr", 0, 2), ("orig", 0, 1), ("reg", 0, 1), ("abbr", 0, 1),
               ("expan", 0, 1), ("seg", 0, 2)],
    "app": [("lem", 0, 2), ("rdg", 0, 4), ("rdgGrp", 0, 1), ("note", 0, 1)],
    "list": [("head", 0, 1), ("label", 0, 2), ("item", 0, 5)],
    "table": [("head", 0, 1), ("row", 0, 4)],
    "row": [("cell", 0, 5)],
    "sp": [("speaker", 0, 2), ("p", 0, 2), ("l", 0, 3), ("stage", 0, 2), ("lg", 0, 1)],
    "lg": [("head", 0, 1), ("l", 0, 6), ("lg", 0, 1)],
    "castList": [("head", 0, 1), ("castItem", 0, 4), ("castGroup", 0, 2)],
    "castGroup": [("head", 0, 1), ("castItem", 0, 3), ("roleDesc", 0, 1)],
    "castItem": [("role", 0, 2), ("roleDesc", 0, 2), ("actor", 0, 1)],
    "figure": [("head", 0, 1), ("graphic", 0, 2), ("figDesc", 0, 2), ("p", 0, 1)],
    "titlePage": [("docTitle", 0, 2), ("byline", 0, 2), ("docAuthor", 0, 2), ("docDate", 0, 1),
                  ("docImprint", 0, 1)],
    "docTitle": [("titlePart", 0, 3)],
}

#: elements that may hold themselves (or, second, a child that holds them): deep chains
CHAINS = [("hi",), ("seg",), ("note",), ("q",), ("quote",), ("said",), ("foreign",),
          ("emph",), ("div",), ("list", "item"), ("rs",), ("persName",), ("add",), ("del",),
          ("unclear",), ("supplied",), ("app", "lem"), ("choice", "corr"), ("p", "note"),
          ("floatingText", "body", "div"), ("table", "row", "cell"), ("lg",), ("q", "p"),
          ("cit", "quote")]


class _Context:
    def __init__(self, draw):
        self.draw = draw
        self.count = 0
        self.limit = 0
        self.ids: set[str] = set()
        self.vocab = vocabulary()

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def chance(self, percent: int) -> bool:
        return self.draw(st.integers(0, 99)) < percent


def _value(ctx: _Context, attr: str) -> str:
    pool = VALUES.get(attr, OTHER)
    value = ctx.pick(pool)
    if "{id" in value:
        value = value.format(id=ctx.pick(ID_POOL), id2=ctx.pick(ID_POOL))
    return value


def _set_attributes(ctx: _Context, el, name: str) -> None:
    allowed, required = ctx.vocab.attributes(name)
    chosen = list(required)
    if name in ENTRIES and f"{{{XML}}}id" in allowed and ctx.chance(80):
        chosen.append(f"{{{XML}}}id")
    if allowed and ctx.chance(55):
        interesting = [a for a in ATTRIBUTES_OF_INTEREST if a in allowed]
        for _ in range(ctx.draw(st.integers(1, 4))):
            pool = interesting if interesting and ctx.chance(80) else allowed
            chosen.append(ctx.pick(pool))
    for attr in chosen:
        if attr == f"{{{XML}}}id":
            free = [i for i in ID_POOL if i not in ctx.ids]
            if not free or ctx.chance(5):
                value = ctx.pick(ODD_IDS)
            else:
                value = ctx.pick(free)
                ctx.ids.add(value)
        else:
            value = _value(ctx, attr)
        el.set(attr, value)


def _add_text(el, text: str) -> None:
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def _child_name(ctx: _Context, allowed: tuple[str, ...]) -> str:
    known = [n for n in allowed if n in named_by_stylesheets()]
    if known and ctx.chance(80):
        return ctx.pick(known)
    return ctx.pick(allowed)


def _element(ctx: _Context, name: str, depth: int):
    ns = EXAMPLES if name == "egXML" else TEI
    el = etree.Element(f"{{{ns}}}{name}")
    ctx.count += 1
    _set_attributes(ctx, el, name)
    if name == "egXML":  # any content: a little TEI
        el.text = ctx.pick(TEXTS)
        el.append(etree.Element(f"{{{TEI}}}p"))
        el[0].text = ctx.pick(TEXTS)
        return el
    allowed = ctx.vocab.children(name)
    text = ctx.vocab.allows_text(name)
    full = ctx.count >= ctx.limit or depth >= MAX_DEPTH
    for child, least, most in SKELETON.get(name, []):
        if child not in allowed:
            continue
        for _ in range(ctx.draw(st.integers(least, least if full else most))):
            el.append(_element(ctx, child, depth + 1))
            if text and ctx.chance(40):
                _add_text(el, ctx.pick(TEXTS))
    if full:
        if text and ctx.chance(70):
            _add_text(el, ctx.pick(TEXTS))
        return el
    extra = ctx.draw(st.integers(0, 2 if name in SKELETON else max(1, 5 - depth // 2)))
    for _ in range(extra):
        if text and (not allowed or ctx.chance(45)):
            _add_text(el, ctx.pick(TEXTS))
        elif allowed and ctx.count < ctx.limit:
            el.append(_element(ctx, _child_name(ctx, allowed), depth + 1))
    return el


# ------------------------------------------------------------------------------ oddities


def _elements_of(root) -> list:
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _part(ctx: _Context, name: str, depth: int):
    """A header, standOff or text, within its budget of elements."""
    ctx.limit = ctx.count + BUDGET[name]
    return _element(ctx, name, depth)


def _odd_notes(ctx: _Context, root) -> None:
    """Notes where notes are rare: in titles, names, headings, cells, notes, between blocks,
    with or without the space that follows the call."""
    ctx.limit = ctx.count + 10
    for _ in range(ctx.draw(st.integers(0, 4))):
        els = _elements_of(root)
        target = els[ctx.draw(st.integers(0, len(els) - 1))]
        note = etree.Element(f"{{{TEI}}}note")
        _set_attributes(ctx, note, "note")
        if ctx.chance(30):
            note.append(_element(ctx, ctx.pick(["p", "list", "note", "bibl", "q", "lg"]), 6))
        else:
            note.text = ctx.pick(TEXTS)
        note.tail = ctx.pick(["", " drin", "drin", " ", ".", "\n"])
        target.insert(ctx.draw(st.integers(0, len(target))), note)


def _repeat(ctx: _Context, root) -> None:
    """One element many times over (sixty titles, forty resp)."""
    els = [e for e in _elements_of(root) if e.getparent() is not None]
    if not els:
        return
    el = els[ctx.draw(st.integers(0, len(els) - 1))]
    for _ in range(ctx.pick([5, 20, 60])):
        twin = copy.deepcopy(el)
        for e in twin.iter():
            e.attrib.pop(f"{{{XML}}}id", None)
        el.addnext(twin)


def _twins(ctx: _Context, root) -> None:
    """A few elements twice over, where the stylesheets may expect one (a second fileDesc,
    titleStmt, msIdentifier, publicationStmt, teiHeader)."""
    els = [e for e in _elements_of(root) if e.getparent() is not None]
    for _ in range(ctx.draw(st.integers(1, 3))):
        el = els[ctx.draw(st.integers(0, len(els) - 1))]
        twin = copy.deepcopy(el)
        for e in twin.iter():
            e.attrib.pop(f"{{{XML}}}id", None)
        el.addnext(twin)


def _deep_chain(ctx: _Context, root) -> None:
    """An element nested in itself tens or hundreds of times, inside the text."""
    texts = root.findall(f".//{{{TEI}}}body")
    if not texts:
        return
    chain = ctx.pick(CHAINS)
    depth = ctx.pick([10, 40, 150])
    top = etree.SubElement(texts[0], f"{{{TEI}}}{chain[0]}")
    el = top
    # below the parser's limit of 256 levels (deeper is a load error, tested elsewhere)
    for level in range(min(depth * len(chain), 200)):
        name = chain[(level + 1) % len(chain)]
        el = etree.SubElement(el, f"{{{TEI}}}{name}")
        if level % 3 == 0:
            el.text = ctx.pick(TEXTS)
    el.text = "innermost"


# ------------------------------------------------------------------------------ documents


@st.composite
def documents(draw) -> bytes:
    """A serialised TEI document (a TEI or teiCorpus root) as the grammar allows it."""
    ctx = _Context(draw)
    kind = ctx.pick(["TEI"] * 8 + ["teiCorpus", "authority"])
    root = etree.Element(f"{{{TEI}}}{'teiCorpus' if kind == 'teiCorpus' else 'TEI'}",
                         nsmap={None: TEI})
    _set_attributes(ctx, root, etree.QName(root).localname)
    root.append(_part(ctx, "teiHeader", 1))
    members = [root]
    if kind == "teiCorpus":
        members = []
        for _ in range(ctx.draw(st.integers(1, 3))):
            tei = etree.SubElement(root, f"{{{TEI}}}TEI")
            tei.append(_part(ctx, "teiHeader", 2))
            members.append(tei)
    for tei in members:
        if kind == "authority" or ctx.chance(15):
            tei.append(_part(ctx, "standOff", 2))
        if kind != "authority":
            tei.append(_part(ctx, "text", 2))
            if ctx.chance(8):
                tei.append(_part(ctx, "text", 2))  # two texts: not valid, well-formed
    if ctx.chance(60):
        _odd_notes(ctx, root)
    if ctx.chance(15):
        _repeat(ctx, root)
    if ctx.chance(25):
        _twins(ctx, root)
    if ctx.chance(12):
        _deep_chain(ctx, root)
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)
