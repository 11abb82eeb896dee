"""XInclude, done safely: only local files inside the edition's sources, never the network,
bounded.

lxml's own XInclude support reads whatever libxml2 may read. Editions need far less: an
``xi:include`` of a local XML file (optionally one element of it by ``xpointer="id"``) or of a
text file (``parse="text"``), with ``xi:fallback`` when the target is absent. Everything else —
http URLs, paths leading out of the edition's sources folder (also through a symbolic link, or
into a hidden folder such as ``.git``: the rule of :mod:`toolkit.project.confine`), include
loops — is refused with a diagnostic.

The work is bounded whatever the input: each target is read and parsed once per document (its
own includes expanded once, then copied where it is included again), includes nest at most
:data:`MAX_DEPTH` deep, a document takes at most :data:`MAX_INCLUDES` includes, and what they
bring in may not exceed :data:`MAX_EXPANDED` bytes of source (a small file including another
eight times, eight levels deep, would otherwise expand to gigabytes).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.load.source import Document, parse_bytes
from toolkit.project.confine import Area
from toolkit.tei import XI_NS, XML_ID

XI_INCLUDE = f"{{{XI_NS}}}include"
XI_FALLBACK = f"{{{XI_NS}}}fallback"
MAX_DEPTH = 20
MAX_INCLUDES = 2000
MAX_EXPANDED = 64 * 1024 * 1024


@dataclass
class _Target:
    """A file included somewhere in the document: read once, its own includes expanded once."""

    size: int  # bytes of source it brings in, its own includes counted
    root: etree._Element | None = None  # parse="xml": the expanded root element
    text: str | None = None  # parse="text"
    error: str | None = None  # why it cannot be included


@dataclass
class _Expansion:
    """The state of expanding one document: what was read, how much was brought in."""

    area: Area
    targets: dict[tuple[Path, str, str], _Target] = field(default_factory=dict)
    includes: int = 0
    expanded: int = 0
    diags: list[Diagnostic] = field(default_factory=list)


def expand(doc: Document, area: Area) -> list[Diagnostic]:
    """Replace every xi:include in ``doc`` by its target (which must lie in ``area``);
    diagnostics for those that fail."""
    state = _Expansion(area)
    _expand(doc, state, (Path(doc.path).resolve(),))
    return state.diags


def _expand(doc: Document, state: _Expansion, chain: tuple[Path, ...]) -> int:
    """Expand the includes of ``doc`` (at include depth ``len(chain) - 1``); returns the bytes
    they brought in."""
    brought = 0
    for inc in list(doc.root.iter(XI_INCLUDE)):
        line, col = doc.locate(inc)

        def problem(message: str, inc=inc, line=line, col=col) -> None:
            fallback = inc.find(XI_FALLBACK)
            if fallback is not None:
                _replace(inc, list(fallback), fallback.text)
                return
            state.diags.append(Diagnostic(doc.display, line, col, ERROR, message, "xinclude"))
            _replace(inc, [], None)

        href = inc.get("href", "")
        url = urlparse(href)
        if url.scheme and url.scheme != "file" and len(url.scheme) > 1:
            problem(f"xi:include of '{href}' refused: only local files are included "
                    "(no network access)")
            continue
        target = Path(doc.path).parent / unquote(url.path) if href else chain[-1]
        why = state.area.problem(target)
        if why is not None:
            where = "it points outside the edition's sources: " if why.startswith("lies") else ""
            problem(f"xi:include of '{href}' refused: {where}the target {why}")
            continue
        target = target.resolve()
        parse = inc.get("parse", "xml")
        if parse == "xml" and target in chain and not inc.get("xpointer"):
            problem(f"xi:include of '{href}' refused: it includes itself, directly or through "
                    "the files it includes (a loop)")
            continue
        if len(chain) > MAX_DEPTH:
            problem(f"xi:include of '{href}' refused: includes nested deeper than {MAX_DEPTH}")
            continue
        if state.includes >= MAX_INCLUDES:
            problem(f"xi:include of '{href}' refused: the document has more than "
                    f"{MAX_INCLUDES} includes")
            continue
        found = _target(doc, href, target, parse, inc.get("encoding", "utf-8"), state, chain)
        if found.error:
            problem(found.error)
            continue
        if state.expanded + found.size > MAX_EXPANDED:
            problem(f"xi:include of '{href}' refused: the includes would bring more than "
                    f"{MAX_EXPANDED // (1024 * 1024)} MB into the document (included files "
                    "including each other many times?)")
            continue
        state.includes += 1
        state.expanded += found.size
        brought += found.size
        if found.text is not None:
            _replace(inc, [], found.text)
            continue
        node = found.root
        pointer = inc.get("xpointer")
        if pointer:
            ident = (pointer[3:-1] if pointer.startswith("id(") else pointer).strip("'\"")
            node = next((e for e in found.root.iter() if e.get(XML_ID) == ident), None)
            if node is None:
                problem(f"xi:include xpointer '{pointer}' matches nothing in '{href}'")
                continue
        _replace(inc, [copy.deepcopy(node)], None)
    return brought


def _target(doc: Document, href: str, target: Path, parse: str, encoding: str,
            state: _Expansion, chain: tuple[Path, ...]) -> _Target:
    """The included file, read and (for XML) parsed and expanded the first time it is asked for."""
    key = (target, parse, encoding if parse == "text" else "")
    known = state.targets.get(key)
    if known is not None:
        return known
    why = state.area.file_problem(target)
    if why is not None and not os.path.exists(target):
        found = _Target(0, error=f"xi:include target not found: '{href}' (resolved to "
                                 f"{target}); add the file or an xi:fallback")
    elif why is not None:
        found = _Target(0, error=f"xi:include of '{href}' refused: the target {why}")
    else:
        try:
            data = target.read_bytes()
        except OSError as exc:
            data, found = b"", _Target(0, error=f"xi:include of '{href}' cannot be read: "
                                                f"{exc.strerror}")
        else:
            found = _Target(len(data))
        if found.error is None and parse == "text":
            try:
                found.text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError) as exc:
                found.error = f"xi:include of '{href}' cannot be read as text: {exc}"
        elif found.error is None:
            sub, sub_diags = parse_bytes(data, target, str(Path(doc.display).parent / href))
            state.diags.extend(sub_diags)
            if sub is None:
                found.error = f"xi:include target '{href}' is not well-formed XML"
            else:
                found.size += _expand(sub, state, chain + (target,))
                found.root = sub.root
    state.targets[key] = found
    return found


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
