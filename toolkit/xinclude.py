"""XInclude, done safely: only local files inside the edition, never the network.

lxml's own XInclude support reads whatever libxml2 may read. Editions need far less: an
``xi:include`` of a local XML file (optionally one element of it by ``xpointer="id"``) or of a
text file (``parse="text"``), with ``xi:fallback`` when the target is absent. Everything else —
http URLs, paths leading out of the edition, include loops — is refused with a diagnostic.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from lxml import etree

from toolkit.diagnostics import ERROR, Diagnostic

XI_NS = "http://www.w3.org/2001/XInclude"
XI_INCLUDE = f"{{{XI_NS}}}include"
XI_FALLBACK = f"{{{XI_NS}}}fallback"
MAX_DEPTH = 20


def expand(doc, allowed_root: Path, _depth: int = 0, _chain: tuple = ()) -> list[Diagnostic]:
    """Replace every xi:include in ``doc`` by its target; diagnostics for those that fail."""
    from toolkit.load import load

    diags: list[Diagnostic] = []
    allowed_root = allowed_root.resolve()
    chain = _chain + (doc.path.resolve(),)
    for inc in list(doc.root.iter(XI_INCLUDE)):
        line, col = doc.locate(inc)

        def problem(message: str, inc=inc, line=line, col=col) -> None:
            fallback = inc.find(XI_FALLBACK)
            if fallback is not None:
                _replace(inc, list(fallback), fallback.text)
                return
            diags.append(Diagnostic(doc.display, line, col, ERROR, message, "xinclude"))
            _replace(inc, [], None)

        href = inc.get("href", "")
        scheme = urlparse(href).scheme
        if scheme and scheme != "file" and len(scheme) > 1:
            problem(f"xi:include of '{href}' refused: only local files are included "
                    "(no network access)")
            continue
        target = (doc.path.parent / urlparse(href).path).resolve() if href else doc.path
        if not target.is_relative_to(allowed_root):
            problem(f"xi:include of '{href}' refused: it points outside the edition "
                    f"folder {allowed_root}")
            continue
        if target in chain and not inc.get("xpointer"):
            problem(f"xi:include of '{href}' refused: it includes itself (a loop)")
            continue
        if not target.is_file():
            problem(f"xi:include target not found: '{href}' (resolved to {target}); "
                    "add the file or an xi:fallback")
            continue
        if inc.get("parse", "xml") == "text":
            try:
                text = target.read_text(encoding=inc.get("encoding", "utf-8"))
            except (OSError, UnicodeDecodeError, LookupError) as exc:
                problem(f"xi:include of '{href}' cannot be read as text: {exc}")
                continue
            _replace(inc, [], text)
            continue
        if _depth >= MAX_DEPTH:
            problem(f"xi:include of '{href}' refused: includes nested deeper than {MAX_DEPTH}")
            continue
        sub, sub_diags = load(target, display=str(Path(doc.display).parent / href),
                              allowed_root=allowed_root)
        diags.extend(sub_diags)
        if sub is None:
            problem(f"xi:include target '{href}' is not well-formed XML")
            continue
        node = sub.root
        pointer = inc.get("xpointer")
        if pointer:
            ident = pointer[3:-1] if pointer.startswith("id(") else pointer
            found = sub.root.xpath("//*[@xml:id=$i]", i=ident.strip("'\""))
            if not found:
                problem(f"xi:include xpointer '{pointer}' matches nothing in '{href}'")
                continue
            node = found[0]
        _replace(inc, [node], None)
    return diags


def _replace(inc: etree._Element, nodes: list, text: str | None) -> None:
    """Put ``text`` then ``nodes`` where ``inc`` stands, keeping the text that followed it."""
    parent = inc.getparent()
    if parent is None:
        return
    tail = inc.tail or ""
    index = parent.index(inc)
    prev = inc.getprevious()
    parent.remove(inc)  # lxml removes the tail with the element: it is re-attached below
    before = (text or "") + ("" if nodes else tail)
    if before:
        if prev is not None:
            prev.tail = (prev.tail or "") + before
        else:
            parent.text = (parent.text or "") + before
    for offset, node in enumerate(nodes):
        node.tail = None
        parent.insert(index + offset, node)
    if nodes:
        nodes[-1].tail = tail or None
