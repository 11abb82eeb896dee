"""W3C XML Schema validation of one document, for documents that name an XML Schema
(``xsi:schemaLocation``) rather than a RELAX NG one: libxml2's verdict and messages, with the
line and column of the element concerned. The schema and the files it includes are read locally
only (no network, no external entities)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.errors import SchemaError
from toolkit.load.source import Document

RULE = "xsd"
_compiled: dict[tuple[str, int], etree.XMLSchema] = {}


def _schema(path: Path) -> etree.XMLSchema:
    key = (str(path.resolve()), path.stat().st_mtime_ns)
    found = _compiled.get(key)
    if found is None:
        try:
            # No network, no entities; local includes and imports are read (libxml2 loads them
            # relative to the schema).
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                     huge_tree=False)
            tree = etree.fromstring(path.read_bytes(), parser, base_url=str(path))
            found = _compiled[key] = etree.XMLSchema(tree)
        except (etree.XMLSyntaxError, etree.XMLSchemaParseError, OSError) as exc:
            raise SchemaError(f"the XML Schema cannot be read: {exc}", path=path,
                              hint="check the schema with another validator") from None
    return found


def check(doc: Document, path: Path) -> list[Diagnostic]:
    """The document's faults against the XML Schema at ``path``."""
    schema = _schema(Path(path))
    if schema.validate(doc.tree):
        return []
    out = []
    for e in schema.error_log:
        message = " ".join(str(e.message).split())
        out.append(Diagnostic(doc.display, max(e.line, 1), max(e.column, 1) if e.column else 1,
                              ERROR, f"{message} (XML Schema {Path(path).name})", RULE))
    return out
