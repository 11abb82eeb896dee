"""A source document, parsed safely: say exactly where and why it cannot be read.

Parsing never touches the network, never loads an external DTD or entity, never expands an
entity bomb (libxml2's amplification limits stay on: no ``huge_tree``), and turns every parser
failure into a :class:`~toolkit.diagnostics.Diagnostic` with line and column. A loaded document
keeps its source lines so later stages can give columns for elements, which lxml does not record.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.diagnostics import ERROR, WARNING, Diagnostic


class _NoExternalResources(etree.Resolver):
    """Answers every request for an external DTD or entity with nothing: TEI P5 needs no DTD,
    and reading one could mean network access or disclosing local files."""

    def resolve(self, url, pubid, context):
        return self.resolve_string("", context)


def safe_parser() -> etree.XMLParser:
    """An lxml parser that cannot reach the network or the file system beyond the input."""
    parser = etree.XMLParser(
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )
    parser.resolvers.add(_NoExternalResources())
    return parser


@dataclass
class Document:
    """A parsed TEI document together with its source text, for precise locations."""

    path: Path
    tree: etree._ElementTree
    data: bytes
    display: str = ""
    _line_cache: list[str] | None = field(default=None, repr=False)
    _positions: dict | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def text(self) -> str:
        if self._text is None:
            enc = self.tree.docinfo.encoding or "utf-8"
            try:
                self._text = self.data.decode(enc, errors="replace")
            except LookupError:
                self._text = self.data.decode("utf-8", errors="replace")
        return self._text

    def locate(self, el: etree._Element) -> tuple[int, int]:
        """Line and 1-based column of ``el``'s start tag (column 1 where it cannot be found)."""
        if self._positions is None:
            self._positions = _start_tag_positions(self)
        pos = self._positions.get(el)
        if pos is not None:
            return pos
        line = el.sourceline or 1
        if not isinstance(el.tag, str):
            return line, 1
        lines = self._lines()
        name = etree.QName(el).localname
        pattern = re.compile(r"<(?:[\w.-]+:)?" + re.escape(name) + r"(?=[\s/>]|$)")
        for ln in range(min(line, len(lines)), max(0, line - 20), -1):
            hits = list(pattern.finditer(lines[ln - 1]))
            if hits:
                return ln, hits[0 if ln == line else -1].start() + 1
        return line, 1

    def _lines(self) -> list[str]:
        if self._line_cache is None:
            self._line_cache = self.text.splitlines()
        return self._line_cache



_MARKUP = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
                     r"|<([A-Za-z_][\w.:-]*)", re.S)


def _start_tag_positions(doc: Document) -> dict:
    """Exact (line, column) of every element's start tag, by pairing the start tags of the
    source text with the elements in document order; empty if they cannot be paired."""
    text = doc.text
    starts = [m.start() for m in _MARKUP.finditer(text) if m.group(1)]
    elements = [e for e in doc.root.iter() if isinstance(e.tag, str)]
    if len(starts) != len(elements):
        return {}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = {}
    for el, offset in zip(elements, starts, strict=True):
        line = bisect.bisect_right(line_starts, offset)
        out[el] = (line, offset - line_starts[line - 1] + 1)
    return out


def base_url(path: str | Path) -> str:
    """The base URL lxml is given for a file: its path, or a file: URI (percent-encoded) when
    the name is not UTF-8, which lxml cannot take."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return Path(os.path.abspath(path)).as_uri()
    return text


def display_path(path: Path, base: Path | None = None) -> str:
    """The path as a user should see it: relative to ``base`` (or the cwd) where possible."""
    path = Path(path)
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return str(path.resolve().relative_to(Path(root).resolve()))
        except ValueError:
            continue
    return str(path)


def parse_bytes(
    data: bytes, path: Path, shown: str
) -> tuple[Document | None, list[Diagnostic]]:
    """Parse bytes already read (no XInclude processing: see :func:`toolkit.load.reader.load`)."""
    diags = _precheck(data, shown)
    if diags:
        return None, diags
    parser = safe_parser()
    try:
        root = etree.fromstring(data, parser, base_url=base_url(path))
    except etree.XMLSyntaxError as exc:
        return None, _syntax_diagnostics(exc, parser, shown, data)
    tree = root.getroottree()
    doc = Document(path=path, tree=tree, data=data, display=shown)
    return doc, _entity_diagnostics(doc) + _noncharacters(doc)


_SGML = re.compile(rb"^\s*<!SGML", re.I)


def _precheck(data: bytes, shown: str) -> list[Diagnostic]:
    if not data.strip():
        return [Diagnostic(shown, 1, 1, ERROR, "the file is empty; a TEI document is expected",
                           "xml-syntax")]
    if _SGML.match(data):
        return [Diagnostic(shown, 1, 1, ERROR,
                           "this is an SGML declaration, not XML; convert the file to XML "
                           "(TEI P5) first", "not-xml")]
    return []


_EXTERNAL_ENTITY = re.compile(
    rb"""<!ENTITY\s+(%\s+)?([\w.-]+)\s+(?:SYSTEM|PUBLIC\s+["'][^"']*["'])\s*["']([^"']*)""")


def _syntax_diagnostics(
    exc: etree.XMLSyntaxError, parser: etree.XMLParser, shown: str, data: bytes = b""
) -> list[Diagnostic]:
    external = {("%" if m.group(1) else "") + m.group(2).decode(errors="replace"):
                m.group(3).decode(errors="replace")
                for m in _EXTERNAL_ENTITY.finditer(data[:65536])}
    entries = [e for e in parser.error_log if e.level_name in ("ERROR", "FATAL")] or []
    out = []
    for e in entries[:1] or [exc]:
        line = getattr(e, "line", None) or (exc.position[0] if exc.position else 1)
        col = getattr(e, "column", None) or (exc.position[1] if exc.position else 1)
        msg = getattr(e, "message", None) or str(exc)
        out.append(Diagnostic(shown, max(line, 1), max(col, 1), ERROR,
                              _explain(msg.strip(), external), "xml-syntax"))
    return out


def _explain(msg: str, external: dict[str, str] | None = None) -> str:
    """Add what to do to libxml2's terse parser messages."""
    m = re.match(r"Entity '(\w+)' not defined", msg)
    if m and external and "%" + m.group(1) in external:
        return (f"the DOCTYPE loads an external DTD through %{m.group(1)}; "
                f"({external['%' + m.group(1)]}), which is never read (external DTDs and "
                "entities are never loaded): "
                "a TEI P5 document needs no DOCTYPE; remove it (a P4 document must be converted "
                "to TEI P5 first)")
    if m and external and m.group(1) in external:
        return (f"entity &{m.group(1)}; refers to an external resource ({external[m.group(1)]}); "
                "external entities are never read: put the text into the document")
    if m:
        return (f"entity &{m.group(1)}; is not defined: write the character itself "
                f"(UTF-8) or a numeric reference such as &#198;")
    if "amplification factor" in msg or "entity reference loop" in msg.lower():
        return ("entity expansion refused: the document's entities expand to an excessive size "
                "(an 'entity bomb'); remove the DOCTYPE's nested entity definitions")
    if "Excessive depth in document" in msg or "Maximum nesting depth" in msg:
        return ("elements nest too deeply (more than 256 levels): a safety limit of the "
                "parser; such nesting is almost always a mistake (an element left open, or "
                "generated markup): check the markup around this line")
    if ("Resource limit exceeded" in msg or "huge text node" in msg.lower()
            or "huge input lookup" in msg.lower()):
        return ("a single text or attribute value is larger than the parser's safety limit "
                "(10 MB): split it (e.g. into paragraphs)")
    if "Extra content at the end of the document" in msg:
        return ("content after the end of the root element: a TEI file has exactly one root "
                "element (TEI or teiCorpus)")
    if "not proper UTF-8" in msg or "Input is not proper" in msg or "Invalid bytes" in msg:
        return (f"{msg}; the file is not in the encoding it declares: save it as UTF-8 or "
                "declare its real encoding in the XML declaration")
    if "PEReference" in msg:
        return (f"{msg}: the DTD's parameter entities are not loaded (no external DTDs are "
                "read); remove the DOCTYPE, TEI P5 needs none")
    return msg


def _entity_diagnostics(doc: Document) -> list[Diagnostic]:
    """Entity references left unexpanded because their definitions live in an external DTD."""
    out = []
    for ent in doc.root.iter(etree.Entity):
        out.append(Diagnostic(doc.display, ent.sourceline or 1, 1, ERROR,
                              f"entity &{ent.name}; is defined outside the document (external "
                              "DTDs are never read): replace it with the character itself",
                              "xml-entity"))
    return out


#: Unicode's noncharacters (U+FDD0 to U+FDEF, the last two code points of every plane): set
#: aside for a program's own use, never text. The text editions use some as internal markers
#: (toolkit/text/layout.py), so one in a source would be taken for a marker.
_NONCHARACTER_POINTS = [*range(0xFDD0, 0xFDF0), *(plane * 0x10000 + low for plane in range(1, 17)
                                                  for low in (0xFFFE, 0xFFFF))]
_NONCHARACTERS = "".join(map(chr, _NONCHARACTER_POINTS))
_NONCHARACTER = re.compile("[" + _NONCHARACTERS + "]")
#: a noncharacter in the source text: the character itself or a character reference to it
_NONCHARACTER_SOURCE = re.compile(
    "[" + _NONCHARACTERS + "]|&#(?:[xX]0*(?:" + "|".join(f"{c:x}" for c in _NONCHARACTER_POINTS)
    + ")|0*(?:" + "|".join(map(str, _NONCHARACTER_POINTS)) + "));", re.I)
#: the same, quickly, in the bytes of a UTF-8 (or ASCII) file: U+FDD0 to U+FDEF begin with
#: EF B7, a plane's last two (after F0 to F4) end with BF BE or BF BF; or a character reference.
#: A lone byte is found far faster than a pair, so each pair is looked for after its first byte.
_NONCHARACTER_REFERENCE = re.compile(
    _NONCHARACTER_SOURCE.pattern.split("|", 1)[1].encode(), re.I)


def _may_hold_noncharacters(data: bytes) -> bool:
    return bool(b"\xef" in data and b"\xef\xb7" in data
                or any(lead in data for lead in (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4"))
                and (b"\xbf\xbe" in data or b"\xbf\xbf" in data)
                or b"&#" in data and _NONCHARACTER_REFERENCE.search(data))
_UTF8 = {None, "utf-8", "utf8", "us-ascii", "ascii"}


def _noncharacters(doc: Document) -> list[Diagnostic]:
    """Take noncharacters out of the document's text and attribute values; one warning with
    the place of the first."""
    encoding = (doc.tree.docinfo.encoding or "").lower() or None
    if encoding in _UTF8:
        if not _may_hold_noncharacters(doc.data):
            return []
    first = _NONCHARACTER_SOURCE.search(doc.text)
    if first is None:
        return []
    count = 0
    for node in doc.root.iter():
        if isinstance(node.tag, str):
            if node.text and _NONCHARACTER.search(node.text):
                node.text, n = _NONCHARACTER.subn("", node.text)
                count += n
            for name, value in node.attrib.items():
                if _NONCHARACTER.search(value):
                    node.attrib[name], n = _NONCHARACTER.subn("", value)
                    count += n
        if node.tail and _NONCHARACTER.search(node.tail):
            node.tail, n = _NONCHARACTER.subn("", node.tail)
            count += n
    if count == 0:  # (only in a comment or a processing instruction)
        return []
    text = doc.text
    line = text.count("\n", 0, first.start()) + 1
    column = first.start() - (text.rfind("\n", 0, first.start()) + 1) + 1
    matched = first.group()  # the character, or its reference: &#xFDD0; or &#64976;
    point = (ord(matched) if len(matched) == 1 else int(matched[3:-1], 16)
             if matched[2] in "xX" else int(matched[2:-1]))
    many = f"{count} Unicode noncharacters, the first" if count > 1 else "a Unicode noncharacter"
    return [Diagnostic(doc.display, line, column, WARNING,
                       f"the text holds {many} U+{point:04X}: code points kept for a program's "
                       "own use, never text; the editions leave them out. Replace each with "
                       "the character meant, or delete it", "noncharacter")]
