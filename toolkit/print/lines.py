"""Printed line numbers of a critical edition: the key of its apparatus, and the numbers in the
margin every five lines.

The apparatus at the foot of a page is keyed by the lines of that page, as a printed critical
edition sets it ("3 cano] canto P R"), and which line a word falls on only a layout knows.
After a first layout, :func:`number` counts the lines of the text on each page (the line boxes
of ``main.text``, headings left out, lines side by side in a table counted once), finds the line
where each entry's lemma begins (``span.app``, id ``tk-pa-…``, from
``xslt/print/print-apparatus.xsl``) and writes its number into the entry's placeholder
(``b.app-ln[data-for]``), "3–4" where the lemma runs over a line end, and nothing where the
entry before it on the page has the same line. The numbers every five lines go into the left
margin box of each page (``@page :nth(N) { @left-top { content } }``): margin boxes take no room
from the text, so writing them changes nothing else. A number that would stand beside a page
number of the source (``.pb-mark``) is left out.

Numbers change the width of the entries and so, perhaps, where lines fall; the document is laid
out again until the numbers read from the layout are those written in it (at most three
times). Where an entry's line cannot be found (it is in a heading, or not printed), its
placeholder is left empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: the placeholder of an entry's line number, as print-apparatus.xsl writes it
_PLACEHOLDER = re.compile(r'(<b class="app-ln" data-for="([^"]+)">)([^<]*)(</b>)')
_VERSE = re.compile(r'(<b class="app-ln" data-verse="">)([^<]*)(</b>)')
_STYLE = re.compile(r'<style id="tk-line-numbers">.*?</style>', re.S)
#: every how many lines the margin has a number
EVERY = 5
#: the margin numbers' font size (7pt, print.css) sets its baseline this far (CSS px) below
#: the top of its 1px line
_BASELINE_SHIFT = 4.0
#: how many layouts to make at most until the numbers hold
_ROUNDS = 3


def wanted(html: str) -> bool:
    """Whether the print edition has entries keyed by printed line."""
    return '<b class="app-ln" data-for="' in html


def verse_keys(html: str) -> str:
    """Entries keyed by their verse line (every entry in verse: print-apparatus.xsl numbers
    them): the number once for the entries of one line, which follow each other."""
    previous = None

    def key(m: re.Match) -> str:
        nonlocal previous
        shown = "" if m.group(2) == previous else m.group(2)
        previous = m.group(2)
        return m.group(1) + shown + m.group(3)

    return _VERSE.sub(key, html)


def number(html: str, without_index: str, doc, layout: Callable[[str], object]):
    """The print edition with its lines numbered: (html, the same without its index, the
    layout of that), given the first layout ``doc`` of ``without_index``."""
    for _ in range(_ROUNDS):
        keys, margins = read(doc)
        numbered = apply(without_index, keys, margins)
        if numbered == without_index:
            break
        without_index = numbered
        html = apply(html, keys, margins)
        doc = layout(without_index)
    return html, without_index, doc


def apply(html: str, keys: dict[str, tuple[int, str]], margins: str) -> str:
    """``html`` with the entries' line numbers and the pages' margin numbers written in. An
    entry printed after one of the same line of the same page (the entries stand in the order
    of the text) has no number of its own."""
    previous = None

    def key(m: re.Match) -> str:
        nonlocal previous
        found = keys.get(m.group(2))
        shown = "" if found is None or found == previous else found[1]
        previous = found
        return m.group(1) + shown + m.group(4)

    html = _PLACEHOLDER.sub(key, html)
    style = f'<style id="tk-line-numbers">{margins}</style>'
    if _STYLE.search(html):
        return _STYLE.sub(lambda m: style, html, count=1)
    return html.replace("</head>", style + "</head>", 1)


def read(doc) -> tuple[dict[str, tuple[int, str]], str]:
    """From a layout: the page and line number of each entry (by the id of its lemma), and the
    CSS of the margin numbers of every page."""
    found: dict[str, tuple[int, int, int]] = {}  # lemma id -> (page, first line, last line)
    rules = []
    for page_number, page in enumerate(doc.pages, start=1):
        page_box = page._page_box
        lines, marks = _lines(page_box.children[0])
        for number, (_, _, anchors) in enumerate(lines, start=1):
            for anchor in anchors:
                first = found.get(anchor)
                if first is None:
                    found[anchor] = (page_number, number, number)
                elif first[0] == page_number:
                    found[anchor] = (page_number, first[1], number)
        rules.append(_margin_rule(page_number, page_box.content_box_y(), lines, marks))
    keys = {anchor: (page, str(first) if last == first else f"{first}\u2013{last}")
            for anchor, (page, first, last) in found.items()}
    return keys, "".join(r for r in rules if r)


def _margin_rule(page: int, top: float, lines, marks: list[float]) -> str:
    content, at = [], 0
    for number in range(EVERY, len(lines) + 1, EVERY):
        y, baseline, _ = lines[number - 1]
        bottom = lines[number][0] if number < len(lines) else baseline + 1
        if any(y - 1 <= m < bottom for m in marks):
            continue  # a page number of the source stands there
        offset = max(at, round(baseline - top - _BASELINE_SHIFT))
        content.append("\\A " * (offset - at) + str(number))  # the space ends the escape
        at = offset
    if not content:
        return ""
    return f'@page :nth({page}) {{ @left-top {{ content: "{"".join(content)}"; }} }}\n'


def _lines(root) -> tuple[list[tuple[float, float, list[str]]], list[float]]:
    """The lines of the text on one page, top to bottom: (top, baseline, ids of the lemmata in
    it), and where the page numbers of the source stand (their tops)."""
    from weasyprint.formatting_structure import boxes  # only when a PDF is made

    by_top: dict[int, list] = {}
    marks: list[float] = []

    def ids_in(box, out: list[str]) -> None:
        element = getattr(box, "element", None)
        ident = element.get("id") if element is not None else None
        if ident and ident.startswith("tk-pa-") and ident not in out:
            out.append(ident)
        for child in getattr(box, "children", ()):
            ids_in(child, out)

    def walk(box, in_text: bool) -> None:
        element = getattr(box, "element", None)
        classes = ((element.get("class") or "") if element is not None else "").split()
        tag = getattr(box, "element_tag", "")
        if box.style["position"] in ("absolute", "fixed") or box.is_running():
            if "pb-mark" in classes:
                marks.append(box.position_y)
            return
        if in_text and (tag in ("h1", "h2", "h3", "h4", "h5", "h6") or "head" in classes):
            return
        in_text = in_text or (tag == "main" and "text" in classes)
        if isinstance(box, boxes.LineBox):
            if in_text and box.children:
                anchors: list[str] = []
                ids_in(box, anchors)
                line = by_top.setdefault(round(box.position_y), [box.position_y,
                                                                 box.position_y + box.baseline, []])
                line[2] += [a for a in anchors if a not in line[2]]
            for child in box.children:  # positioned marks inside the line
                for grand in _positioned(child):
                    if "pb-mark" in ((getattr(grand, "element", None) is not None
                                      and grand.element.get("class")) or ""):
                        marks.append(box.position_y)
            return
        for child in getattr(box, "children", ()):
            walk(child, in_text)

    walk(root, False)
    return [tuple(v) for _, v in sorted(by_top.items())], marks


def _positioned(box):
    """The absolutely positioned boxes in and under ``box``."""
    if box.style["position"] in ("absolute", "fixed"):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _positioned(child)
