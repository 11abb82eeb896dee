"""Apparatus entries kept apart from the text, placed at their words for the outputs.

TEI links a critical apparatus to its text in three ways. Parallel segmentation writes each
entry (``app``) where its words stand, and the stylesheets read it as it is. A location-
referenced entry (``app`` with ``@loc``, in a ``listApp`` or between the lines) names a line or
another numbered place and gives the words as its lemma; a double-end-point-attached entry
(``@from``, ``@to``) points at the anchors (or the first and last elements) around its words.
Before the stylesheets run, :func:`attach` moves such entries to their words in a copy of the
document, as parallel segmentation, so that every output and the witness view read the three
methods alike: the words of the text become the entry's lemma, its readings stay with it.

What cannot be placed is said, never guessed silently. :func:`attach` returns the problems (an
element of the source, a message, a rule) for validation to report with line and column
(:mod:`toolkit.validation.apparatus`), and marks such entries in the copy for the outputs:
``tk:unattached`` (no place found: listed in the apparatus without a place in the text) and
``tk:placed="line"`` (its line is known, its lemma is not found there as plain text: the entry
stands at the end of the line, its readings cannot be shown in the text of a witness).

The rules, in the order they are applied:

* ``@from``/``@to`` (``@to`` defaults to ``@from``) must name elements of this document with the
  same parent, ``@from`` first. Empty elements (``anchor``) bound the words and stay outside
  the entry; elements with content (``w``, ``seg``) are part of them. Ranges are placed
  innermost first, so nested entries nest; a range that crosses one placed before it (they
  share words, neither holds the other) is not placed.
* ``@loc`` names an element of the text by ``@n`` (a verse line, a line beginning, a
  paragraph, ...), by a dotted path of ``@n`` values ("1.3": the element numbered 3 within the
  one numbered 1) or by ``xml:id``; lines (``l``, ``lb``) win over other numbered elements, and
  among several equal candidates the first is taken (reported). The lemma is looked for as a
  whole phrase in the plain text of that place, entries with longer lemmata first, so that an
  entry on a word within another entry's lemma nests inside it.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lxml import etree

from toolkit.tei import TEIKIT_NS, XML_ID, T

#: attributes the copy carries for the outputs (namespace urn:teikit)
UNATTACHED = f"{{{TEIKIT_NS}}}unattached"
PLACED = f"{{{TEIKIT_NS}}}placed"

#: rules of the problems found (validation reports them under these names)
RULE_UNATTACHED = "apparatus-unattached"
RULE_OVERLAP = "apparatus-overlap"
RULE_LEMMA = "apparatus-lemma"

APP, LEM, LIST_APP, NOTE = T + "app", T + "lem", T + "listApp", T + "note"
#: containers between whose blocks an entry with @loc stands apart from the words
_BETWEEN_BLOCKS = {T + n for n in (
    "lg", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "body", "front",
    "back", "text", "group", "sp", "listApp", "standOff", "floatingText")}
#: elements a @loc can name, best first: lines, then anything else that is numbered
_LINES = (T + "l", T + "lb")
_NUMBERED = {T + n for n in (
    "l", "lb", "p", "ab", "seg", "s", "cl", "phr", "lg", "head", "item", "sp", "u", "milestone",
    "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7")}
#: empty elements that begin a line or a place rather than hold it
_MARKERS = {T + n for n in ("lb", "milestone", "pb", "cb", "anchor")}
#: whose text is not the text of the line a lemma is looked for in
_NOT_TEXT = {T + n for n in (
    "note", "rdg", "rdgGrp", "witDetail", "wit", "choice", "fw", "figDesc", "index", "interp")}


@dataclass
class Problem:
    """An entry that cannot be placed as written (``element`` is the source's)."""

    element: etree._Element
    message: str
    rule: str
    severity: str = "warning"  # "info" where nothing is lost but the witness view


@dataclass
class Result:
    """The document with every entry it could place at its words, and what it could not."""

    root: etree._Element  # the source itself when there was nothing to place
    problems: list[Problem] = field(default_factory=list)


def witness_ids(root: etree._Element) -> list[str]:
    """The document's witnesses by id, as the stylesheets list them ($tk:witness-ids in
    xslt/common/apparatus.xsl): those of its listWit (not the groups), in order; without a
    listWit, every witness the readings of its entries name."""
    listed = [w.get(XML_ID) for w in root.iter(T + "witness")
              if w.get(XML_ID) and any(a.tag == T + "listWit" for a in w.iterancestors())
              and next(w.iterdescendants(T + "witness"), None) is None]
    if listed:
        return list(dict.fromkeys(listed))
    named = [token.split("#", 1)[-1] for app in root.iter(APP)
             for r in app.iter(LEM, T + "rdg") for token in (r.get("wit") or "").split()]
    return list(dict.fromkeys(n for n in named if n))


def is_apart(app: etree._Element) -> bool:
    """Whether an entry stands apart from its words (location-referenced or double-end-point
    attached) rather than at them (parallel segmentation)."""
    if app.get("from"):
        return True
    parent = app.getparent()
    if parent is None or any(a.tag == NOTE for a in app.iterancestors()):
        return False
    if parent.tag == LIST_APP:
        return True
    return (bool(app.get("loc")) and parent.tag in _BETWEEN_BLOCKS
            and not (parent.text or "").strip()
            and not any((s.tail or "").strip() for s in parent))


def attach(root: etree._Element) -> Result:
    """Place the entries kept apart from the text at their words, in a copy of ``root``."""
    if isinstance(root, etree._ElementTree):
        root = root.getroot()
    apart = [a for a in root.iter(APP) if is_apart(a)]
    if not apart:
        return Result(root)
    placed = copy.deepcopy(root)
    source = dict(zip(placed.iter(), root.iter(), strict=True))  # copy -> source, for lines
    work = _Placing(placed, source)
    work.ranges([a for a in placed.iter(APP) if is_apart(a) and a.get("from")])
    work.located([a for a in placed.iter(APP) if is_apart(a) and not a.get("from")])
    return Result(placed, work.problems)


class _Placing:
    """One document's entries being placed (in the copy), and the problems found."""

    def __init__(self, root: etree._Element, source: dict) -> None:
        self.root = root
        self.source = source
        self.problems: list[Problem] = []
        self.ids = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
        self._by_n: dict[str, list[etree._Element]] | None = None

    def say(self, app: etree._Element, message: str, rule: str,
            severity: str = "warning") -> None:
        self.problems.append(Problem(self.source.get(app, app), message, rule, severity))

    def line_of(self, el: etree._Element) -> int:
        return self.source.get(el, el).sourceline or 0

    def unattached(self, app: etree._Element, reason: str, message: str,
                   rule: str = RULE_UNATTACHED) -> None:
        app.set(UNATTACHED, reason)
        self.say(app, message + "; it is listed in the apparatus without a place in the text",
                 rule)

    # ------------------------------------------------------------------ double end points

    def ranges(self, apps: list[etree._Element]) -> None:
        found = []
        for order, app in enumerate(apps):
            bounds = self._bounds(app)
            if bounds is not None:
                parent, first, last = bounds
                i, j = parent.index(first), parent.index(last)
                found.append((j - i, order, app, parent, first, last, i, j))
        accepted: list[tuple] = []
        for _, _, app, parent, first, last, i, j in sorted(found, key=lambda r: r[:2]):
            crossed = next((a for a in accepted if a[0] is parent
                            and (a[1] < i <= a[2] < j or i < a[1] <= j < a[2])), None)
            if crossed is not None:
                self.unattached(app, "crosses", "the words of this entry (@from, @to) cross "
                                f"those of the entry at line {self.line_of(crossed[3])}: they "
                                "share words, and neither holds the other", RULE_OVERLAP)
                continue
            accepted.append((parent, i, j, app))
            self._wrap(app, parent, first, last)

    def _bounds(self, app: etree._Element):
        """(parent, first, last) of an entry's words, or None (reported)."""
        ends = []
        for attr in ("from", "to"):
            value = (app.get(attr) or app.get("from") or "").split()
            value = value[0] if value else ""
            if not value.startswith("#"):
                self.unattached(app, "pointer", f'@{attr} "{value}" is not a pointer into '
                                "this document (#id)")
                return None
            el = self.ids.get(value[1:])
            if el is None:
                self.unattached(app, "missing", f'@{attr} points to "{value}", but no element '
                                "of this document has that xml:id")
                return None
            ends.append(el)
        first, last = ends
        parent = first.getparent()
        if parent is None or last.getparent() is not parent:
            self.unattached(app, "parents", "@from and @to point to elements in different "
                            f"places (lines {self.line_of(first)} and {self.line_of(last)}): an "
                            "entry's words must lie within one element (a paragraph, a line)")
            return None
        if parent.index(first) > parent.index(last):
            self.unattached(app, "order", "@to points to an element before the one @from "
                            "points to")
            return None
        return parent, first, last

    def _wrap(self, app: etree._Element, parent: etree._Element, first: etree._Element,
              last: etree._Element) -> None:
        """Move ``app`` to the words from ``first`` to ``last``, which become its lemma."""
        first, last = _child_of(parent, first), _child_of(parent, last)
        lem = _fresh_lemma(app)
        _detach(app)
        for attr in ("from", "to"):
            app.attrib.pop(attr, None)
        if first is last and _is_marker(first):  # a point: the entry adds words there
            app.tail, first.tail = first.tail, None
            first.addnext(app)
            return
        kids = list(parent)
        i, j = kids.index(first), kids.index(last)
        first_out, last_out = _is_marker(first), _is_marker(last)
        moved = kids[i + 1 if first_out else i: j if last_out else j + 1]
        if first_out:
            lem.text, first.tail = first.tail, None
            first.addnext(app)
        else:
            parent.insert(i, app)
        if moved and not last_out:
            app.tail, moved[-1].tail = moved[-1].tail, None
        for el in moved:
            lem.append(el)

    # -------------------------------------------------------------- location references

    def located(self, apps: list[etree._Element]) -> None:
        # Longer lemmata first: an entry on a word of another's lemma then nests inside it.
        for app in sorted(apps, key=lambda a: -len(_lemma_text(a))):
            loc = (app.get("loc") or "").strip()
            if not loc:
                self.unattached(app, "none", "this entry stands apart from the text (in a "
                                "listApp) but says neither where its words are (@loc) nor "
                                "which they are (@from, @to)")
                continue
            target = self._target(app, loc)
            if target is None:
                self.unattached(app, "loc", f'@loc "{loc}" names no place in the text (no '
                                "line, paragraph or other element numbered so, by @n, nor an "
                                "xml:id)")
                continue
            lemma = _lemma_text(app)
            hits = _find(target, lemma) if lemma else []
            if hits:
                if len(hits) > 1:
                    self.say(app, f'the lemma "{lemma}" occurs {len(hits)} times in the place '
                             f'@loc "{loc}" names (line {self.line_of(target)}); the first is '
                             "taken", RULE_LEMMA)
                self._split(app, *hits[0])
                continue
            _detach(app)
            app.set(PLACED, "line")
            _append_at(target, app)
            if lemma:
                why = (f'the lemma "{lemma}" of this entry is not in the plain text of the '
                       f'place @loc "{loc}" names (line {self.line_of(target)})')
            else:
                why = "this entry has no lemma"
            self.say(app, f"{why}: the entry is printed at the end of that line, and its "
                     "readings cannot be shown in the text of a witness", RULE_LEMMA,
                     "warning" if lemma else "info")

    def _target(self, app: etree._Element, loc: str) -> etree._Element | None:
        if self._by_n is None:
            self._by_n = {}
            for text in self.root.iter(T + "text"):
                for el in text.iter(*_NUMBERED):
                    if el.get("n") and not any(a.tag in _NOT_TEXT or a.tag == LIST_APP
                                               for a in el.iterancestors()):
                        self._by_n.setdefault(el.get("n").strip(), []).append(el)
        found = self._by_n.get(loc, [])
        if not found and "." in loc:
            *outer, last = loc.split(".")
            found = [el for el in self._by_n.get(last, []) if _numbers_around(el)[-len(outer):]
                     == outer]
        if not found and loc in self.ids:
            found = [self.ids[loc]]
        lines = [el for el in found if el.tag in _LINES]
        found = lines or found
        if len(found) > 1:
            self.say(app, f'@loc "{loc}" names {len(found)} places (lines '
                     f"{', '.join(str(self.line_of(el)) for el in found[:4])}); the first is "
                     "taken: give a dotted path (1.3) or an xml:id to say which", RULE_LEMMA)
        return found[0] if found else None

    def _split(self, app: etree._Element, el: etree._Element, where: str, start: int,
               end: int) -> None:
        """Move ``app`` into a text node of the line, around the characters start..end."""
        text = (el.text if where == "text" else el.tail) or ""
        lem = _fresh_lemma(app)
        _detach(app)
        lem.text = text[start:end]
        app.tail = text[end:]
        if where == "text":
            el.text = text[:start]
            el.insert(0, app)
        else:
            el.tail = text[:start]
            el.addnext(app)


# ------------------------------------------------------------------------------- helpers


def _child_of(parent: etree._Element, el: etree._Element) -> etree._Element:
    """The child of ``parent`` that is or holds ``el`` (an inner entry may have wrapped it)."""
    while el is not None and el.getparent() is not parent:
        el = el.getparent()
    if el is None:  # pragma: no cover - placed ranges never cross (checked before)
        raise ValueError("an entry's bounds left their element")
    return el


def _is_marker(el: etree._Element) -> bool:
    """An empty element that marks a place in the words rather than being one of them."""
    return len(el) == 0 and not (el.text or "").strip()


def _fresh_lemma(app: etree._Element) -> etree._Element:
    """The entry's lemma, emptied (the words of the text will be its content), or a new one."""
    lem = app.find(LEM)
    if lem is None:
        lem = etree.Element(LEM)
        lem.tail = app.text
        app.text = None
        app.insert(0, lem)
    else:
        tail = lem.tail
        for child in list(lem):
            lem.remove(child)
        lem.text, lem.tail = None, tail
    return lem


def _detach(el: etree._Element) -> None:
    """Take ``el`` out of its parent, leaving the text after it where it was."""
    parent = el.getparent()
    if parent is None:
        return
    tail, el.tail = el.tail, None
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _append_at(target: etree._Element, app: etree._Element) -> None:
    """Put ``app`` at the end of the place ``target`` names (after a line beginning's line)."""
    if target.tag in _MARKERS:
        node = target
        while node.getnext() is not None and not _holds_line_break(node.getnext()):
            node = node.getnext()
        app.tail, node.tail = node.tail, None
        node.addnext(app)
    else:
        target.append(app)


def _holds_line_break(el: etree._Element) -> bool:
    return el.tag == T + "lb" or next(el.iter(T + "lb"), None) is not None


def _lemma_text(app: etree._Element) -> str:
    lem = app.find(LEM)
    return " ".join(_plain(lem).split()) if lem is not None else ""


def _plain(el: etree._Element) -> str:
    """The words of an element as the text has them (an entry's are its lemma's)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NOT_TEXT:
            inner = child.find(LEM) if child.tag == APP else child
            parts.append(_plain(inner) if inner is not None else "")
        parts.append(child.tail or "")
    return "".join(parts)


def _numbers_around(el: etree._Element) -> list[str]:
    """The @n of the numbered elements around ``el``, outermost first."""
    return [a.get("n").strip() for a in reversed(list(el.iterancestors())) if a.get("n")]


def _slots(target: etree._Element):
    """The text nodes of the place ``target`` names, in order: (element, "text" | "tail")."""
    if target.tag in _MARKERS:
        yield target, "tail"
        node = target.getnext()
        while node is not None and not _holds_line_break(node):
            yield from _inner(node)
            yield node, "tail"
            node = node.getnext()
        return
    yield target, "text"
    for child in target:
        yield from _inner(child)
        yield child, "tail"


def _inner(el: etree._Element):
    if not isinstance(el.tag, str) or el.tag in _NOT_TEXT:
        return
    if el.tag == APP:  # an entry's words are its lemma's
        lem = el.find(LEM)
        if lem is not None:
            yield from _inner(lem)
        return
    yield el, "text"
    for child in el:
        yield from _inner(child)
        yield child, "tail"


def _find(target: etree._Element, lemma: str) -> list[tuple[etree._Element, str, int, int]]:
    """Where ``lemma`` stands as a whole phrase in the place's text: (element, slot, start,
    end) of each occurrence, in order."""
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, lemma.split())) + r"(?!\w)")
    hits = []
    for el, where in _slots(target):
        text = el.text if where == "text" else el.tail
        if text:
            hits += [(el, where, m.start(), m.end()) for m in pattern.finditer(text)]
    return hits
