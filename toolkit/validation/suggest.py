"""Names for people: the nearest known name to a misspelt one, and short renderings of name
sets ("ab", "abbr", ... or "persName") for messages."""

from __future__ import annotations

import functools
from collections.abc import Iterable

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
PREFIXES = {
    TEI_NS: "",
    XML_NS: "xml",
    "http://www.tei-c.org/ns/Examples": "teix",
    "http://www.w3.org/2001/XInclude": "xi",
    "http://www.w3.org/2000/svg": "svg",
    "http://www.w3.org/1998/Math/MathML": "mml",
    "http://www.w3.org/1999/xlink": "xlink",
}


def show(name: tuple[str, str], attribute: bool = False) -> str:
    """A name as written in a TEI document: ``persName``, ``xml:id``, ``svg:svg``."""
    ns, local = name
    if not ns or (ns == TEI_NS and not attribute):
        return local
    prefix = PREFIXES.get(ns)
    return f"{prefix}:{local}" if prefix else f"{{{ns}}}{local}"


#: Elements and attributes that TEI documents use most: the likely candidates when a list of
#: what is allowed has to be cut short (after names like the one written and the document's own).
COMMON = frozenset("""
    p hi lb pb note ref persName placeName orgName name date title seg foreign emph q quote
    choice abbr expan orig reg sic corr add del gap unclear supplied l lg ab div head list item
    label bibl figure graphic table row cell milestone cb rs term num measure time s w pc
    xml:id xml:lang n rend type subtype ref target when from to key corresp resp cert who
""".split())
LIMIT = 8


def show_list(names: Iterable[tuple[str, str]], attribute: bool = False, *, like: str = "",
              known: Iterable[str] = (), limit: int = LIMIT) -> str:
    """``"a", "b" or "c"``, sorted case-insensitively. A long list is cut to the ``limit``
    likeliest names, ``"a", "b" or "c" and 180 more``: those like ``like`` (the name that was
    written), then those of ``known`` (the names the document uses), then the commonest in
    TEI."""
    names = list(names)
    items = sorted({show(n, attribute) for n in names if n != ("*", "*")},
                   key=lambda s: (s.lower(), s))
    more = 0
    if len(items) > limit + 2:  # never "and 1 more"
        known = set(known)
        ranked = sorted(items, key=lambda s: (not _alike(like, s), s not in known,
                                              s not in COMMON, s.lower()))
        kept = set(ranked[:limit])
        more = len(items) - limit
        items = [s for s in items if s in kept]
    quoted = [f'"{s}"' for s in items]
    if any(n == ("*", "*") for n in names):
        quoted.append("elements of other namespaces" if not attribute else "any attribute")
    if len(quoted) <= 1:
        text = "".join(quoted) or "nothing"
    else:
        text = ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"{text} and {more} more" if more else text


def _alike(written: str, name: str) -> bool:
    """Whether ``name`` looks like what was meant by ``written``: one contains the other (of
    three letters or more), or they are close (see :func:`nearest`)."""
    if not written:
        return False
    a, b = written.lower(), name.lower()
    short, long_ = sorted((a, b), key=len)
    return (len(short) >= 3 and short in long_) or _likely(written, name)


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` is likely a slip for, or None: the same name in another case
    ("persname": "persName"), or the one closest by edits (a letter missing, added, changed or
    two swapped), if it is close for its length and begins with the same letter (or is one
    edit away), and no other candidate is as close ("eventName" is not "genName")."""
    cands = sorted(set(candidates) - {name})
    for c in cands:
        if c.lower() == name.lower():
            return c
    scored = sorted((_distance(name.lower(), c.lower()), c) for c in cands if _likely(name, c))
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _likely(written: str, name: str) -> bool:
    a, b = written.lower(), name.lower()
    allowed = 1 if len(a) <= 4 else 2 if len(a) <= 10 else 3
    if abs(len(a) - len(b)) > allowed or len(b) < 2:
        return False
    d = _distance(a, b)
    return d <= allowed and (a[:1] == b[:1] or d == 1)


@functools.lru_cache(maxsize=4096)
def _distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions and swaps of two
    neighbouring letters (optimal string alignment)."""
    if abs(len(a) - len(b)) > 3:
        return 4  # more than any likely slip
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
