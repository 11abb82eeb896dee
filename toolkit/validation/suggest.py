"""Names for people: the nearest known name to a misspelt one, and short renderings of name
sets ("ab", "abbr", ... or "persName") for messages."""

from __future__ import annotations

import difflib
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


def show_list(names: Iterable[tuple[str, str]], attribute: bool = False) -> str:
    """``"a", "b" or "c"``, sorted case-insensitively; every name, as jing does."""
    items = sorted({show(n, attribute) for n in names if n != ("*", "*")},
                   key=lambda s: (s.lower(), s))
    quoted = [f'"{s}"' for s in items]
    if any(n == ("*", "*") for n in names):
        quoted.append("elements of other namespaces" if not attribute else "any attribute")
    if len(quoted) <= 1:
        return "".join(quoted) or "nothing"
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``name`` (a different case counts as closest), or None."""
    cands = sorted(set(candidates))
    lower = {c.lower(): c for c in cands}
    if name.lower() in lower and lower[name.lower()] != name:
        return lower[name.lower()]
    found = difflib.get_close_matches(name, cands, n=1, cutoff=0.75)
    if found and found[0] != name:
        return found[0]
    found = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.8)
    return lower[found[0]] if found and lower[found[0]] != name else None
