"""RELAX NG validation of one document, with messages a person can act on.

The verdict is libxml2's, on the grammar specialised to the document (:mod:`toolkit.grammar`).
Only when a document is invalid is the full grammar consulted to say what went wrong
(:mod:`toolkit.explain`).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from toolkit import grammar as gr
from toolkit import rngcompile
from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.load import TEI_NS, Document
from toolkit.suggest import show, show_list

RULE = "rng"
R = gr.R
Name = gr.Name


_last_names: list = [None, None]  # [root, its names]: checks of one document ask several times


def names_used(root: etree._Element) -> tuple[set[Name], set[Name]]:
    """The element and attribute names a document uses, as (namespace, local) pairs. Do not
    change a tree between calls (the answer for the last root asked about is kept)."""
    if _last_names[0] is root:
        return _last_names[1]
    tags: set[str] = set()
    keys: set[str] = set()
    for el in root.iter(tag=etree.Element):
        tags.add(el.tag)
        keys.update(el.keys())
    result = {_split(t) for t in tags}, {_split(a) for a in keys}
    _last_names[:] = [root, result]
    return result


def _split(clark: str) -> Name:
    if clark[0] == "{":
        ns, local = clark[1:].split("}", 1)
        return ns, local
    return "", clark


def qn(el: etree._Element) -> Name:
    """(namespace, local name) of an element (asked for every element of large documents)."""
    tag = el.tag
    name = _QN.get(tag)
    if name is None:
        name = _QN[tag] = _split(tag)
    return name


_QN: dict[str, Name] = {}


def compiled_for(schema: Path, elements: set[Name], attributes: set[Name]) -> etree.RelaxNG:
    """libxml2's compiled grammar for a document using these names (cached on disk)."""
    key = gr.grammar_key(gr.file_sha(schema), elements, attributes)

    def make() -> bytes:
        g = gr.load(schema)
        if not g.specialisable:
            return etree.tostring(etree.parse(str(schema), gr._parser()))
        return g.specialise(elements, attributes)

    return rngcompile.compile_cached(key, make, str(schema))


def check(doc: Document, schema: Path) -> list[Diagnostic]:
    """RELAX NG diagnostics of ``doc`` against ``schema`` (empty if valid)."""
    root_name = qn(doc.root)
    if root_name not in ((TEI_NS, "TEI"), (TEI_NS, "teiCorpus")):
        g = gr.load(schema)
        if root_name not in g.start_names() and gr.ANY not in g.start_names():
            return [_root_error(doc, root_name, g)]
    elements, attributes = names_used(doc.root)
    rng = compiled_for(schema, elements, attributes)
    if rng.validate(doc.tree):
        return []
    log = list(rng.error_log)
    from toolkit.explain import Explainer  # only invalid documents need it

    explained = Explainer(doc, gr.load(schema)).run()
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
