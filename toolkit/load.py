"""Load stage: read a TEI file safely and say exactly where and why it cannot be read.

Parsing never touches the network, never loads an external DTD or entity, never expands an
entity bomb (libxml2's amplification limits stay on: no ``huge_tree``), and turns every parser
failure into a :class:`~toolkit.diagnostics.Diagnostic` with line and column. A loaded document
keeps its source lines so later stages can give columns for elements, which lxml does not record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.diagnostics import ERROR, Diagnostic

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
NS = {"tei": TEI_NS, "xi": XI_NS}


def safe_parser() -> etree.XMLParser:
    """An lxml parser that cannot reach the network or the file system beyond the input."""
    return etree.XMLParser(
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


@dataclass
class Document:
    """A parsed TEI document together with its source text, for precise locations."""

    path: Path
    tree: etree._ElementTree
    data: bytes
    display: str = ""
    _line_starts: list[int] | None = field(default=None, repr=False)
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
        line = el.sourceline or 1
        if not isinstance(el.tag, str):
            return line, 1
        lines = self.text.splitlines()
        name = etree.QName(el).localname
        # libxml2 reports the line on which the start tag ends; search back for its '<'.
        pattern = re.compile(r"<(?:[\w.-]+:)?" + re.escape(name) + r"(?=[\s/>])")
        for ln in range(min(line, len(lines)), max(0, line - 20), -1):
            m = None
            for m in pattern.finditer(lines[ln - 1]):
                pass
            if m is not None:
                return ln, m.start() + 1
        return line, 1


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


def load(path: Path, display: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Parse ``path``. Returns the document (or None) and the diagnostics of reading it."""
    path = Path(path)
    shown = display or display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(shown, 1, 1, ERROR, f"cannot read file: {exc.strerror}", "io")]
    return parse_bytes(data, path, shown)


def parse_bytes(
    data: bytes, path: Path, shown: str
) -> tuple[Document | None, list[Diagnostic]]:
    """Parse bytes already read; see :func:`load`."""
    diags = _precheck(data, shown)
    if diags:
        return None, diags
    parser = safe_parser()
    try:
        root = etree.fromstring(data, parser, base_url=str(path))
    except etree.XMLSyntaxError as exc:
        return None, _syntax_diagnostics(exc, parser, shown)
    tree = root.getroottree()
    doc = Document(path=path, tree=tree, data=data, display=shown)
    return doc, _entity_diagnostics(doc)


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


def _syntax_diagnostics(
    exc: etree.XMLSyntaxError, parser: etree.XMLParser, shown: str
) -> list[Diagnostic]:
    entries = [e for e in parser.error_log if e.level_name in ("ERROR", "FATAL")] or []
    out = []
    for e in entries[:1] or [exc]:
        line = getattr(e, "line", None) or (exc.position[0] if exc.position else 1)
        col = getattr(e, "column", None) or (exc.position[1] if exc.position else 1)
        msg = getattr(e, "message", None) or str(exc)
        out.append(Diagnostic(shown, max(line, 1), max(col, 1), ERROR, _explain(msg.strip()),
                              "xml-syntax"))
    return out


def _explain(msg: str) -> str:
    """Add what to do to libxml2's terse parser messages."""
    m = re.match(r"Entity '(\w+)' not defined", msg)
    if m:
        return (f"entity &{m.group(1)}; is not defined: write the character itself "
                f"(UTF-8) or a numeric reference such as &#198;")
    if "Extra content at the end of the document" in msg:
        return ("content after the end of the root element: a TEI file has exactly one root "
                "element (TEI or teiCorpus)")
    if "not proper UTF-8" in msg or "Input is not proper" in msg:
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
