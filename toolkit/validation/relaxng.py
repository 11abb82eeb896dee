"""RELAX NG validation of one document, with messages a person can act on.

The verdict is libxml2's, on the grammar specialised to the document
(:mod:`toolkit.validation.rng.grammar`). Only when a document is invalid is the full grammar
consulted to say what went wrong (:mod:`toolkit.validation.explain`).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.load.source import Document
from toolkit.project.confine import Area
from toolkit.tei import TEI_NS
from toolkit.validation.explain import Explainer
from toolkit.validation.rng import compile as rngcompile
from toolkit.validation.rng import grammar as gr
from toolkit.validation.suggest import show, show_list

RULE = gr.RULE
R = gr.R
Name = gr.Name
names_used = gr.names_used
qn = gr.qn


def compiled_for(schema: Path, elements: set[Name], attributes: set[Name],
                 area: Area | None = None) -> etree.RelaxNG:
    """libxml2's compiled grammar for a document using these names (cached on disk); the
    files the schema includes must lie in ``area``."""
    key = gr.grammar_key(gr.file_sha(schema), elements, attributes)

    def make() -> bytes:
        g = gr.load(schema, area)
        if not g.specialisable:
            return etree.tostring(etree.parse(str(schema), gr._parser()))
        return g.specialise(elements, attributes)

    return rngcompile.compile_cached(key, make, str(schema))


def check(doc: Document, schema: Path, area: Area | None = None) -> list[Diagnostic]:
    """RELAX NG diagnostics of ``doc`` against ``schema`` (empty if valid); the files the
    schema includes must lie in ``area``."""
    root_name = qn(doc.root)
    if root_name not in ((TEI_NS, "TEI"), (TEI_NS, "teiCorpus")):
        g = gr.load(schema, area)
        if root_name not in g.start_names() and gr.ANY not in g.start_names():
            return [_root_error(doc, root_name, g)]
    elements, attributes = names_used(doc.root)
    rng = compiled_for(schema, elements, attributes, area)
    if rng.validate(doc.tree):
        return []
    log = list(rng.error_log)
    explained = Explainer(doc, gr.load(schema, area)).run()
    if explained:
        return explained
    if _duplicate_ids(doc):
        return []  # xml:id is an ID: integrity reports each duplicate [id-duplicate]
    # Nothing more precise found: report libxml2's own first messages.
    out = []
    for e in log[:20]:
        el = _at(doc, e.path)
        line, col = doc.locate(el) if el is not None else (e.line or 1, 1)
        out.append(Diagnostic(doc.display, line, col, ERROR, e.message, RULE))
    return out


def _duplicate_ids(doc: Document) -> bool:
    seen: set[str] = set()
    for el in doc.root.iter(tag=etree.Element):
        ident = el.get(gr.XML_ID)
        if ident is not None:
            if ident in seen:
                return True
            seen.add(ident)
    return False


def _at(doc: Document, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = doc.tree.xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _root_error(doc: Document, name: Name, g: gr.Grammar) -> Diagnostic:
    starts = show_list(g.start_names())
    ns, local = name
    if local == "TEI.2":
        msg = ("not a TEI P5 document: root element TEI.2 is TEI P4; convert it to P5 first "
               "(e.g. with the TEI Consortium's p4top5.xsl from the TEI Stylesheets)")
    elif (TEI_NS, local) in g.element_names() and ns != TEI_NS:
        where = f'namespace "{ns}"' if ns else "no namespace"
        msg = (f'not a TEI P5 document: root element "{local}" is in {where}; TEI P5 '
               f'elements are in the namespace "{TEI_NS}" (add xmlns="{TEI_NS}" to the root)')
        if (TEI_NS, local) not in g.start_names():
            msg += f"; a TEI document's root is {starts}"
    else:
        msg = f'root element "{show(name)}" is not allowed by the schema: expected {starts}'
    line, col = doc.locate(doc.root)
    return Diagnostic(doc.display, line, col, ERROR, msg, "not-tei")
