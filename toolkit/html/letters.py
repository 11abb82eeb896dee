"""Letters: their order, each letter's neighbours, and the index of letters.

A letter is a document whose ``correspDesc`` names a sender, an addressee or a date of sending.
Its previous and next letter, in the edition and in its correspondence (the letters between
the same correspondents, in either direction), are those its ``correspContext`` names where it
names letters of the edition, else those before and after it by the date of sending
(:func:`neighbours`). The index of letters (``letters.html``) lists them by date and their
correspondents with counts (:func:`letters_tree`), from the documents' facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from toolkit.tei import TEIKIT_NS as SITE_NS
from toolkit.tei import site_element
from toolkit.validation.index import IdIndex

#: the neighbours a letter can have
RELS = ("prev", "next", "prev-corresp", "next-corresp")
_PREV = re.compile(r"prev|vorher|vorig|before|precedent", re.IGNORECASE)
_NEXT = re.compile(r"next|nach|folgend|after|suivant", re.IGNORECASE)
_CORRESP = re.compile(r"corresp|korresp", re.IGNORECASE)


def is_letter(facts: dict | None) -> bool:
    """Whether the index's correspondence facts of a file make it a letter."""
    return bool(facts and (facts["senders"] or facts["addressees"] or facts["sent"][0]))


def context_rel(kind: str, subtype: str) -> str | None:
    """What a correspContext reference names, from its @type and @subtype: 'prev', 'next',
    'prev-corresp' or 'next-corresp' (in the correspondence), or None."""
    words = f"{kind} {subtype}"
    if _PREV.search(words):
        rel = "prev"
    elif _NEXT.search(words):
        rel = "next"
    else:
        return None
    return rel + "-corresp" if _CORRESP.search(words) else rel


def neighbours(index: IdIndex, files: list[str], party: Callable[[str, list[str]], str],
               resolve: Callable[[str, str], Any] | None = None,
               ) -> dict[str, list[tuple[str, str]]]:
    """file -> [(rel, file)] of every letter among ``files`` (in the sources' order):
    ``party(file, [kind, value])`` names a correspondent (its register id, or its name),
    ``resolve(file, pointer)`` says where a correspContext pointer leads (the index's
    resolver by default)."""
    resolve = resolve or index.resolve
    letters = [f for f in files if is_letter(index.letters.get(f))]
    if not letters:
        return {}
    order = {f: i for i, f in enumerate(files)}

    def when(f: str) -> tuple[str, int]:
        start = index.letters[f]["sent"][0] or ""
        return (start if re.match(r"^\d{4}", start) else "9999", order[f])

    chrono = sorted(letters, key=when)
    computed: dict[str, dict[str, str]] = {f: {} for f in letters}
    for a, b in zip(chrono, chrono[1:], strict=False):
        computed[a]["next"] = b
        computed[b]["prev"] = a
    by_pair: dict[frozenset, list[str]] = {}
    for f in chrono:
        facts = index.letters[f]
        parties = frozenset(party(f, p) for p in facts["senders"] + facts["addressees"])
        if len(parties) >= 2:
            by_pair.setdefault(parties, []).append(f)
    for group in by_pair.values():
        for a, b in zip(group, group[1:], strict=False):
            computed[a]["next-corresp"] = b
            computed[b]["prev-corresp"] = a
    out: dict[str, list[tuple[str, str]]] = {}
    for f in letters:
        given: dict[str, str] = {}
        for kind, subtype, target in index.letters[f]["context"]:
            rel = context_rel(kind, subtype)
            t = resolve(f, target) if rel else None
            if t is not None and t.file != f and t.file in computed:
                given.setdefault(rel, t.file)
        chosen = {**computed[f], **given}
        for rel in ("prev", "next"):  # the same letter twice: said once
            if chosen.get(rel + "-corresp") is not None and chosen.get(rel + "-corresp") == \
                    chosen.get(rel):
                del chosen[rel + "-corresp"]
        out[f] = [(rel, chosen[rel]) for rel in RELS if rel in chosen]
    return out


def letters_tree(facts: list[dict[str, Any]], url_of: Callable[[str, str], str]) -> \
        etree._ElementTree:
    """The site file of the index of letters: every letter (name, title, date, place) and
    every correspondent with the letters they sent and received."""
    root = etree.Element(f"{{{SITE_NS}}}site", nsmap={None: SITE_NS})
    top = site_element(root, "letters")
    people: dict[tuple[str, str], dict[str, Any]] = {}
    for f in facts:
        letter = f.get("letter")
        if not letter:
            continue
        sent = letter.get("sent") or {}
        dates = sent.get("dates") or []
        places = sent.get("places") or []
        site_element(top, "letter", name=f["name"], title=f.get("title") or f["name"],
                     date=dates[0].get("label") if dates else "",
                     date_iso=_iso(dates[0]) if dates else "",
                     place=", ".join(p.get("name") or "" for p in places))
        for role, key in (("sent", "senders"), ("received", "addressees")):
            for p in letter.get(key) or ():
                ident = p.get("id") or ""
                k = (ident, p.get("type") or "person") if ident else ("", p.get("name") or "")
                entry = people.setdefault(k, {"name": p.get("name") or p.get("text") or "?",
                                              "sort": p.get("sort") or "",
                                              "sent": 0, "received": 0,
                                              "href": url_of(ident, p.get("type") or "person")
                                              if ident else ""})
                entry[role] += 1
    for (_, _), p in people.items():
        site_element(top, "correspondent", name=p["name"], sort=p["sort"], href=p["href"],
                     sent=p["sent"], received=p["received"])
    return etree.ElementTree(root)


def _iso(date: dict[str, str]) -> str:
    """The start of a date of sending, for sorting."""
    return next((date[k] for k in ("when", "from", "notBefore", "to", "notAfter")
                 if date.get(k)), "")
