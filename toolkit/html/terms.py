"""The words of a text as the search indexes and looks them up: one definition, which the
search page's script (``assets/search.js``, ``tokens()``) repeats step for step
(``tests/test_search.py`` runs both on the same samples).

1. lower case (``str.lower()``, JavaScript's ``toLowerCase()``);
2. raw words are runs of letters, digits and combining marks (``[\\p{L}\\p{N}\\p{M}]+``);
3. an ASCII word is a term as it is; another is folded: NFC, then NFKD, nonspacing marks (Mn)
   dropped, a few letters spelled out (ß→ss, æ→ae, œ→oe, ø→o, ł→l, đ/ð→d, þ→th, ı→i, ĸ→k,
   ς→σ), and split again on runs of letters, digits and the marks that stay (Mc, Me);
4. where diacritics or spelled-out letters changed a word, its accented form is a term too, as
   ``~zürich`` after ``zurich``: a query typed with accents ranks those matches first;
5. terms longer than 40 characters are dropped (no word is that long; a run of them is noise).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

#: letters spelled out after decomposition (search.js has the same table)
SPELLED = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
           "þ": "th", "ı": "i", "ĸ": "k", "ς": "σ"}
MAX_TERM = 40
#: changes when the terms of a text change: terms kept by an earlier build are made again
VERSION = 1
#: marks a term kept with its accents (only where folding changed the word): "~zürich"
ACCENTED = "~"


@functools.cache
def _tables() -> tuple[re.Pattern, re.Pattern, dict[int, str | None]]:
    """The raw-word and folded-word patterns and the folding table, made once per process
    (one scan of Unicode's categories, about 0.1 s)."""
    marks: dict[str, list[tuple[int, int]]] = {"Mn": [], "Mc": [], "Me": []}
    # planes 0-3 and 14 are the ones with characters that are not private (4-13 are empty)
    for lo, hi in ((0, 0x40000), (0xE0000, 0xF0000)):
        cur, start = None, lo
        for cp in range(lo, hi + 1):
            cat = unicodedata.category(chr(cp)) if cp < hi else None
            if cat != cur:
                if cur in marks:
                    marks[cur].append((start, cp - 1))
                cur, start = cat, cp
    raw = _word_pattern(marks["Mn"] + marks["Mc"] + marks["Me"])
    folded = _word_pattern(marks["Mc"] + marks["Me"])
    table: dict[int, str | None] = {cp: None for a, b in marks["Mn"] for cp in range(a, b + 1)}
    table.update({ord(k): v for k, v in SPELLED.items()})
    return raw, folded, table


def _class(ranges: list[tuple[int, int]]) -> str:
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in sorted(ranges))


def _word_pattern(marks: list[tuple[int, int]]) -> re.Pattern:
    """Runs of letters and digits (``[^\\W_]``) and the given marks. The marks beyond U+FFFF
    sit behind a guard: a class reaching past it is tested range by range, which made
    tokenising three times slower."""
    bmp = [(a, min(b, 0xFFFF)) for a, b in marks if a <= 0xFFFF]
    astral = [(max(a, 0x10000), b) for a, b in marks if b > 0xFFFF]
    guard = "(?=[\\U00010000-\\U0010ffff])"
    return re.compile(f"(?:[^\\W_]|[{_class(bmp)}]|{guard}[{_class(astral)}])+")


@functools.lru_cache(maxsize=200_000)
def _fold(raw: str) -> tuple[str, ...]:
    """The terms of one lower-cased non-ASCII raw word: folded, plus the accented form where
    diacritics or spelled letters (not compatibility forms alone: 'ﬁ', 'ſ', '²') changed it."""
    _raw, word, table = _tables()
    nfc = unicodedata.normalize("NFC", raw)
    folded = tuple(word.findall(unicodedata.normalize("NFKD", nfc).translate(table)))
    if (len(folded) == 1 and word.fullmatch(nfc)
            and unicodedata.normalize("NFD", nfc).translate(table) != nfc):
        return folded + (ACCENTED + nfc,)
    return folded


@functools.lru_cache(maxsize=200_000)
def _word_terms(raw: str) -> tuple[str, ...]:
    """The terms of one lower-cased raw word, the accented form included (rule 5 applied)."""
    if raw.isascii():
        return (raw,) if len(raw) <= MAX_TERM else ()
    return tuple(t for t in _fold(raw)
                 if len(t) <= (MAX_TERM + 1 if t[0] == ACCENTED else MAX_TERM))


def tokens(text: str, accented: bool = True) -> list[str]:
    """The index terms of ``text`` in order: each word folded and, after a word folding
    changed, its accented form (``~`` + the word in lower case, NFC) unless not ``accented``."""
    out: list[str] = []
    for raw in _tables()[0].findall(text.lower()):
        out.extend(_word_terms(raw) if accented else
                   (t for t in _word_terms(raw) if t[0] != ACCENTED))
    return out


def term_counts(texts: list[str] | tuple[str, ...]) -> dict[str, int]:
    """How often each term of :func:`tokens` occurs in ``texts`` together: the same multiset
    as counting ``tokens(t)`` for each text, made by counting the runs between spaces first (in
    C) and looking up the terms of each distinct run (:func:`_run_terms`, kept per process):
    several times faster on long texts than one regular expression over all of it."""
    chunks: Counter = Counter()
    for text in texts:
        if text:
            # no word spans whitespace: count the distinct runs between spaces
            chunks.update(text.lower().split())
    out: dict[str, int] = {}
    get = out.get
    for chunk, n in chunks.items():
        for t in _run_terms(chunk):
            out[t] = get(t, 0) + n
    return out


@functools.lru_cache(maxsize=100_000)
def _run_terms(chunk: str) -> tuple[str, ...]:
    """The terms of one lower-cased run of text without whitespace, in order."""
    if chunk.isalnum():  # one raw word: letters and digits only
        return _word_terms(chunk)
    return tuple(t for raw in _tables()[0].findall(chunk) for t in _word_terms(raw))


def normalise(text: str) -> str:
    """The folded words of ``text``: 'Zürich' -> 'zurich', 'Straße' -> 'strasse'."""
    return " ".join(tokens(text, accented=False))
