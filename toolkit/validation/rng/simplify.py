"""Rewriting a specialised RELAX NG grammar so that libxml2 validates with it quickly:
``notAllowed`` and ``empty`` propagated (RELAX NG section 4.19), definitions no longer
reachable dropped, and ambiguous repetitions made unambiguous. The language is unchanged.
"""

from __future__ import annotations

import copy

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = f"{{{RNG_NS}}}"


def refs(tree: etree._Element) -> list[str]:
    """The names of the definitions ``tree`` refers to."""
    return [r.get("name") for r in tree.iter(R + "ref")]


_NA, _EMPTY = "notAllowed", "empty"
_CONTAINERS = {R + t for t in ("choice", "group", "interleave", "oneOrMore", "zeroOrMore",
                               "optional", "list", "mixed")}
#: patterns whose several children form a group (RELAX NG section 4.12: ``oneOrMore`` with two
#: children is ``oneOrMore`` of a ``group`` of them); TEI 4.9's odd2relax writes them so
_IMPLICIT_GROUPS = {R + t for t in ("group", "interleave", "oneOrMore", "zeroOrMore", "optional",
                                    "list", "mixed", "define", "start", "element", "attribute")}


def simplify(grammar_el: etree._Element) -> etree._Element:
    """Propagate notAllowed/empty through a flat grammar so libxml2 validates less."""
    defines = {d.get("name"): d for d in grammar_el if d.tag == R + "define"}
    dead: set[str] = set()
    for _ in range(10):
        before = len(dead)
        for name, d in defines.items():
            if name not in dead and _body_state(d, dead) == _NA:
                dead.add(name)
        if len(dead) == before:
            break
    for d in list(defines.values()) + [c for c in grammar_el if c.tag == R + "start"]:
        if d.get("name") in dead:
            continue
        _simplify_children(d, dead)
    for name in dead:
        grammar_el.remove(defines[name])
    # Drop definitions no longer referenced.
    start = grammar_el.find(R + "start")
    live, todo = set(), refs(start)
    while todo:
        n = todo.pop()
        if n in live or n not in defines or n in dead:
            continue
        live.add(n)
        todo.extend(refs(defines[n]))
    for name, d in defines.items():
        if name not in live and name not in dead:
            grammar_el.remove(d)
    return grammar_el


def deambiguate(grammar_el: etree._Element) -> etree._Element:
    """Rewrite repetitions that can match one sequence in many ways into equivalent ones that
    cannot. TEI's lists say "one or more of (one or more entries, then any relations)"; libxml2
    tries every way of splitting a long list into such groups, so a register of 900 places took
    6 s and one of 3,700 persons far longer. The languages are unchanged:

    * ``(X+)+`` and ``(group X+)+`` are ``X+``; ``(X*)+`` is ``X*``;
    * ``(A+, B*)+`` is ``A, (A | B)*``.
    """
    for rep in list(grammar_el.iter(R + "oneOrMore")):
        if rep.getparent() is None:
            continue
        kids = _patterns(rep)
        if len(kids) == 1 and kids[0].tag == R + "group":
            kids = _patterns(kids[0])
        if len(kids) == 1 and kids[0].tag in (R + "oneOrMore", R + "zeroOrMore"):
            rep.getparent().replace(rep, kids[0])
        elif (len(kids) == 2 and kids[0].tag == R + "oneOrMore"
              and kids[1].tag == R + "zeroOrMore"
              and len(_patterns(kids[0])) == 1 and len(_patterns(kids[1])) == 1):
            a, b = _patterns(kids[0])[0], _patterns(kids[1])[0]
            group = etree.Element(R + "group")
            group.append(copy.deepcopy(a))
            more = etree.SubElement(etree.SubElement(group, R + "zeroOrMore"), R + "choice")
            more.append(a)
            more.append(b)
            group.tail = rep.tail
            rep.getparent().replace(rep, group)
    return grammar_el


def _patterns(p: etree._Element) -> list[etree._Element]:
    return [c for c in p if isinstance(c.tag, str)]


def _body_state(d: etree._Element, dead: set[str]) -> str | None:
    states = [_state(c, dead) for c in d if isinstance(c.tag, str)]
    if _NA in states:
        return _NA
    return _EMPTY if all(s == _EMPTY for s in states) else None


def _state(p: etree._Element, dead: set[str]) -> str | None:
    """notAllowed, empty or None (something else) for pattern ``p``, without changing it."""
    tag = p.tag
    if tag == R + "notAllowed":
        return _NA
    if tag == R + "empty":
        return _EMPTY
    if tag == R + "ref":
        return _NA if p.get("name") in dead else None
    if tag in (R + "element", R + "attribute"):
        inner = [_state(c, dead) for c in p[1:] if isinstance(c.tag, str)]
        return _NA if _NA in inner else None
    if tag not in _CONTAINERS:
        return None
    states = [_state(c, dead) for c in p if isinstance(c.tag, str)]
    if tag == R + "choice":
        if all(s == _NA for s in states):
            return _NA
        return _EMPTY if all(s == _EMPTY for s in states if s != _NA) else None
    if tag in (R + "zeroOrMore", R + "optional"):
        # of a (implicit) group: one notAllowed member makes the group notAllowed, and zero
        # repetitions of it are all that can match
        return _EMPTY if _NA in states or all(s == _EMPTY for s in states) else None
    if _NA in states:
        return _NA
    if tag == R + "mixed":
        return None
    return _EMPTY if all(s == _EMPTY for s in states) else None


def _simplify_children(p: etree._Element, dead: set[str]) -> None:
    for c in list(p):
        if not isinstance(c.tag, str):
            continue
        s = _state(c, dead)
        if s == _NA and p.tag == R + "choice":
            p.remove(c)
            continue
        if s in (_NA, _EMPTY) and c.tag != s and c.tag not in (R + "element", R + "attribute") \
                or (s == _NA and c.tag in (R + "element", R + "attribute")):
            repl = etree.Element(R + s)
            repl.tail = c.tail
            p.replace(c, repl)
            continue
        _simplify_children(c, dead)
    if p.tag in _IMPLICIT_GROUPS:
        # empty beside other patterns of a group matches nothing of its own: drop it (libxml2
        # mishandles oneOrMore(ref, empty) and the like)
        patterns = [c for c in p if isinstance(c.tag, str)]
        if p.tag in (R + "element", R + "attribute") and p.get("name") is None:
            patterns = patterns[1:]  # the first is the name class
        for c in list(patterns):
            if c.tag == R + "empty" and len(patterns) > 1:
                p.remove(c)
                patterns.remove(c)
