"""Search data of the web edition: the searchable blocks of each page (made by the build's
worker from the written page, once, and kept with it) and the index the search page loads
(``assets/search/``, :mod:`toolkit.html.search_index`), put together from those blocks one page
at a time. Every link in it is a relative link into the edition, encoded
(:func:`toolkit.html.published.page_href`: a document named ``javascript:alert(1).xml`` links to
``javascript%3Aalert%281%29.html``), and search.js checks each again before it makes a link of
it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from toolkit.formats import Job
from toolkit.html.published import page_href
from toolkit.html.search_index import FOLDER, js, unit_terms, unit_text, units_of, write_index
from toolkit.html.terms import VERSION as TERMS_VERSION

_SKIP = ("note-sup", "pb", "lnum", "visually-hidden", "sic-mark")
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "figcaption",
    "div",
    "blockquote",
}


def _block_text(el, hidden_class: str, blocks: set) -> tuple[str, str]:
    """Text of a block in the default reading, and the words of the other reading."""
    shown: list[str] = []
    other: list[str] = []

    def walk(node, sink):
        if node.text:
            sink.append(node.text)
        for child in node:
            cls = (child.get("class") or "").split()
            if child in blocks or any(c in _SKIP for c in cls):
                pass
            elif hidden_class in cls:
                # each hidden reading is a word (or words) of its own: "Hrn." and "Hrn." of
                # two choices are not "Hrn.Hrn."
                other.append(" ")
                walk(child, other)
                other.append(" ")
            elif child.get("hidden") is not None:
                # not shown (the readings of other witnesses in an apparatus entry): found
                # as another reading, each word apart from its neighbours
                other.append(" ")
                walk(child, other)
                other.append(" ")
            elif child.tag in _BLOCK_TAGS or child.tag == "br":
                # A paragraph inside the block (a note's label and its text) is apart from
                # what is beside it, even where the HTML has no whitespace between them.
                sink.append(" ")
                walk(child, sink)
                sink.append(" ")
            else:
                walk(child, sink)
            if child.tail:
                sink.append(child.tail)

    walk(el, shown)
    return " ".join("".join(shown).split()), " ".join("".join(other).split())


def page_blocks(page: Path | str, reading: str = "normalised") -> list[dict[str, str]]:
    """The searchable blocks of a document page: anchor, text, other reading."""
    tree = lxml_html.parse(str(page))
    hidden = "rd-o" if reading != "original" else "rd-n"
    scope = tree.xpath(
        "//div[contains(concat(' ', @class, ' '), ' text ')] | //section[@id='tk-notes']"
    )
    candidates = [
        el
        for s in scope
        for el in s.iter(*_BLOCK_TAGS)
        if el.get("id")
        and (
            el.tag != "div"
            or "l" in (el.get("class") or "").split()
            or "p" in (el.get("class") or "").split()
        )
    ]
    blocks = set(candidates)
    out = []
    for el in candidates:
        if len(el):
            text, alt = _block_text(el, hidden, blocks)
        else:  # most blocks (a verse line, a paragraph of prose) hold text alone
            text, alt = " ".join((el.text or "").split()), ""
        if text:
            out.append({"a": el.get("id"), "t": text, "x": alt})
    return out


def write_search_index(
    facts: list[dict[str, Any]], html_dir: Path, reading: str = "normalised",
    entries: list[dict[str, Any]] | None = None,
    strings: dict[str, str] | None = None, target: Path | None = None,
    entry_units: list | None = None, store: Path | None = None,
) -> Path:
    """The search index (:mod:`toolkit.html.search_index`, in ``assets/search/`` or
    ``target``): every page's blocks in ``html_dir`` and the register entries, ranked together,
    cut into files a query loads a few of. The kinds of register entries are named in the
    words of ``strings`` (the page set's interface strings).

    The register entries are ``entries``: each with its id, type, name, role, note and
    ``url``, the link :func:`toolkit.html.registers.entry_url` makes. A page's blocks are read
    as JSON from the file its facts name under ``search`` (written by the build's worker, see
    :func:`write_page_blocks`), else made from the page, one page at a time: the text of a
    large edition is never held in memory, nor parsed again. With a ``store`` (the site
    cache's folder for this index), the index's files are kept there by content and linked, so
    that a rebuild writes only those that changed. Returns the index's folder."""
    docs, sources = [], []
    for f in sorted(facts, key=lambda f: (f.get("date_iso") or "9999", f.get("title") or "")):
        page = os.path.join(html_dir, f"{f['name']}.html")  # (thousands: no Paths made)
        if f.get("kind") == "authority" or not os.path.isfile(page):
            continue
        meta = " · ".join(x for x in (f.get("author"), f.get("date")) if x)
        docs.append({"u": page_href(f["name"]), "t": f.get("title") or f["name"], "m": meta,
                     "l": f.get("language") or ""})
        sources.append((f.get("search"), page))
    registers = []
    for e in entries or ():
        page = e["url"].split(".html")[0].split("-")[0]
        docs.append({"u": e["url"], "t": e.get("name") or e["id"],
                     "m": (strings or {}).get(f"nav.{page}", page), "r": 1, "l": ""})
        registers.append(_entry_blocks(e))
    made_entries = entry_units if entry_units is not None and len(entry_units) == len(
        registers) else [None] * len(registers)

    def rest(cached: str | None, page: str) -> tuple:
        made = _cached_terms(cached)
        if made is not None:  # what the worker made: the blocks are not needed
            return None, *made
        text = _cached_blocks(cached)
        return page_blocks(page, reading) if text is None else json.loads(text), None

    def documents() -> Iterator[tuple[dict[str, str], Any]]:
        # Each with the key of its content (a page's: its cache entry's file of terms, which
        # never changes; an entry's: its text), and its terms and texts read only when the
        # index needs them (a patched index: only for the documents changed).
        for doc, (cached, page) in zip(docs, sources, strict=False):
            doc["k"] = f"{reading}\0{cached}" if cached else None
            yield doc, lambda cached=cached, page=page: rest(cached, page)
        for doc, blocks, made in zip(docs[len(sources):], registers, made_entries,
                                     strict=True):
            doc["k"] = blocks[0]["t"]
            yield (doc, None, *made) if made else (doc, blocks, None)

    target = Path(target) if target else Path(html_dir) / FOLDER
    write_index(documents(), target, store=store)
    return target


def _entry_blocks(e: dict[str, Any]) -> list[dict[str, str]]:
    """The one block a register entry is found by: its name, role and note."""
    text = " ".join(x for x in (e.get("name"), e.get("role"), e.get("note")) if x)
    return [{"a": "", "t": text, "x": ""}]


def entry_units(entries: list[dict[str, Any]]) -> list[list]:
    """The terms and unit texts of each register entry (what :func:`write_search_index` is
    given as ``entry_units``, so that the site cache keeps them between builds)."""
    out = []
    for e in entries:
        blocks = _entry_blocks(e)
        out.append([unit_terms(blocks), [unit_text(run) for run in units_of(blocks)]])
    return out


def write_page_blocks(page: Path, target: Path, reading: str = "normalised") -> None:
    """Store what the index needs of a page's searchable blocks beside ``target`` (in
    :func:`terms_file`): the terms of each unit and its blocks as the search page gets them
    (JSON text). The build does this in its worker, once per page, so that the search index is
    only put together; ``target`` itself is written no more (the blocks, whole, were only
    needed by builds that kept no terms)."""
    blocks = page_blocks(page, reading)
    texts = [unit_text(run) for run in units_of(blocks)]
    terms_file(target).write_text(
        js({"v": TERMS_VERSION, "units": unit_terms(blocks), "b": texts}), encoding="utf-8")


def terms_file(blocks_file: Path | str) -> Path:
    """Where the terms of a page's units are kept, beside its blocks."""
    return Path(blocks_file).with_name(Path(blocks_file).stem + "-terms.json")


def _cached_terms(path: str | None) -> tuple[list[dict[str, int]], list[str]] | None:
    """The terms of a page's units and their texts (:func:`unit_text`) kept by the build, or
    None (not there, or made by a tokeniser of another version: made again)."""
    if not path:
        return None
    try:
        data = json.loads(terms_file(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("v") != TERMS_VERSION:
        return None
    units, texts = data.get("units"), data.get("b")
    if not isinstance(units, list) or not isinstance(texts, list) or len(units) != len(texts):
        return None
    return units, texts


def _cached_blocks(path: str | None) -> str | None:
    """The JSON text of a page's blocks kept by the build, or None (not there: use the page)."""
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    return text if text.startswith("[") and text.endswith("]") else None


#: where a document's search blocks are kept beside its outputs (in its cache entry)
SEARCH = "search.json"


def search_blocks_file(entry: Path, folder: str = "") -> Path:
    """Where the search blocks of a document's page are kept in its cache entry: ``folder``
    names the page set ('' for the main language's)."""
    return Path(entry) / (f"search.{folder}.json" if folder else SEARCH)


def write_document_blocks(job: Job) -> None:
    """The format registry's ``after`` step of the web edition: the page's search blocks (of
    each page set), read from the written page once the TEI tree is released (a large page
    needs the memory)."""
    for folder in ["", *job.facts.get("page_sets", {})]:
        write_page_blocks(job.folder / folder / f"{job.name}.html",
                          search_blocks_file(job.folder.parent, folder), job.project.reading)
