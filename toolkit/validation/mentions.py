"""Untagged mentions [mention-untagged]: a name of a known entry written in a document's text
outside any name markup, worth an editor's look only where it is a name and names that entry.

Known entries are the document's own and those of the files it points into (a shared register
of persons, say), never those of unrelated files of the same project. A name is looked for as
its entry gives it (``entry_names`` in :mod:`toolkit.validation.index`); what is not reported,
because reading real editions showed it is rarely a name of that entry:

* a one-word name that is a common word: written in lower case somewhere in the document
  ("King" where "king" occurs), a title, rank or kinship word on its own ("Lord", "Herr",
  "Mutter"), or a word that follows an article or possessive in a quarter of its occurrences
  (German capitalises nouns: "die Stimme", "der Landrat" in the stage directions);
* a one-word name right after an article or possessive ("mein Vater"), or joined to a
  capitalised word around it that is not a title ("Carl Bushy" is not the entry "Lord Bushy";
  "Lado Herzgespiel" is not "Lado");
* a personal name right after "in", "nach", ...: a place;
* a short form (a surname) that several entries share, or a name of entries of two kinds;
* an entry's name in its own description;
* the title page, headings, stage directions, speakers, cast lists and editorial notes.

A full name that several entries share is reported once with every candidate.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from toolkit.diagnostics import WARNING, Diagnostic
from toolkit.load.source import Document
from toolkit.tei import XML_ID, T
from toolkit.validation.index import (
    ENTRY_TAGS,
    NAME_TAGS,
    IdIndex,
    entry_names,
    is_entry,
    name_tag,
)

RULE = "mention-untagged"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")

#: The editors' own prose (notes, bibliographies), the title page and running heads are not
#: the text whose tagging is checked.
_SKIP = NAME_TAGS | {T + n for n in (
    "note", "bibl", "biblStruct", "listBibl", "standOff", "teiHeader", "titlePage", "docTitle",
    "titlePart", "byline", "docAuthor", "docImprint", "docDate", "figDesc", "fw", "set")}

#: Articles: a capitalised word right after one is a noun, not a name ("die Stimme").
ARTICLES = {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem",
            "einen", "the", "a", "an", "le", "la", "les", "un", "une", "il", "lo", "gli", "el",
            "los", "las", "uno", "una", "het", "een"}
#: Articles and possessives: a word that often follows one is a noun ("mein Herz", "dein
#: Herz", "das Herz"), though a name may follow a possessive now and then ("mein Karl").
DETERMINERS = ARTICLES | {
    # German
    "mein", "meine", "meinen", "meinem", "meiner", "meines", "dein", "deine", "deinen",
    "deinem", "deiner", "deines", "sein", "seine", "seinen", "seinem", "seiner", "seines",
    "ihr", "ihre", "ihren", "ihrem", "ihrer", "ihres", "unser", "unsere", "unsern", "unserm",
    "unseren", "unserem", "euer", "eure", "euren", "eurem", "kein", "keine", "keinen",
    "keinem", "keiner", "dieser", "diese", "dieses", "diesen", "diesem", "jener", "jene",
    "jenes", "jeder", "jede", "jedes", "jeden", "jedem", "welcher", "welche", "welches",
    "manch", "solch", "zum", "zur", "vom", "beim", "am", "im", "ins", "ans", "aufs", "durchs",
    "fürs",
    # English
    "my", "your", "his", "her", "its", "our", "their", "thy", "this", "that", "these",
    "those", "every", "no", "some", "any", "each", "another",
    # French, Italian, Spanish, Dutch
    "du", "des", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "votre",
    "leur", "leurs", "ce", "cet", "cette", "ces", "del", "della", "dello", "al", "alla", "mio",
    "mia", "suo", "sua", "mi", "tu", "su", "este", "esta", "mijn", "zijn", "haar", "deze",
}

#: Titles, ranks, offices and kinship words: never a name on their own ("King", "Lord",
#: "Herr", "Mutter"), and a word after one of them is ("Herr Staberl", "Lord Bushy").
TITLES = frozenset("""
    King Queen Prince Princess Duke Duchess Earl Count Countess Lord Lady Sir Dame Baron
    Baroness Emperor Empress Mr Mrs Ms Miss Master Mistress Madam Dr Doctor Captain Colonel
    General Major Sergeant Lieutenant Admiral Father Mother Brother Sister Uncle Aunt Cousin Son
    Daughter Nurse Servant Page Messenger Porter Bishop Cardinal Pope Abbot Friar Saint St
    Reverend Rev Professor Judge Mayor Governor Senator President Chancellor Secretary Officer
    Soldier Gentleman Constable Sheriff Chorus Ghost Witch Clown Fool Host Hostess Widow
    Herr Herrn Herren Frau Fräulein Jungfer Jungfrau Dame König Königin Kaiser Kaiserin Prinz
    Prinzessin Fürst Fürstin Herzog Herzogin Graf Grafen Gräfin Baronin Freiherr Ritter Junker
    Markgraf Kurfürst Landgraf Edler Vater Mutter Sohn Tochter Bruder Schwester Onkel Oheim
    Tante Vetter Base Muhme Großvater Großmutter Gatte Gattin Mann Weib Witwe Wittwe Doktor
    Pfarrer Pastor Pater Magister Hauptmann Oberst Leutnant Rittmeister Kapitän Wachtmeister
    Korporal Soldat Diener Dienerin Bedienter Knecht Magd Kammerdiener Zofe Amme Wirt Wirth
    Wirtin Wirthin Kellner Bauer Bäuerin Bürger Bürgermeister Richter Schreiber Notar Kanzler
    Minister Rat Rath Hofrat Hofrath Landrat Amtmann Schulze Vogt Kaufmann Geist Engel Teufel
    Hexe Tod Chor Stimme Volk Bote Narr Henker Mönch Nonne Abt Bischof Kardinal Papst Sankt
    Monsieur Madame Mademoiselle Roi Reine Princesse Duc Duchesse Comte Comtesse Marquis
    Marquise Chevalier Père Mère Frère Sœur Abbé Docteur Maître Sainte Signor Signore Signora
    Don Donna Doña Señor Señora Re Regina Conte Contessa Duca Rex Dominus Domina
""".split())

#: Capitalised words that may come right before a name: pronouns of address, interjections.
_BEFORE_NAMES = {"I", "O", "Oh", "Ah", "Ach", "Ha", "He", "Hey", "Ei", "Sie", "Ihnen", "Euch",
                 "Du", "Dich", "Dir", "Er", "Ihm", "Ihn"}
#: Words after which a name is a place, not a person ("in Scotland", "nach Berlin").
_PLACE_BEFORE = {"in", "im", "nach", "into", "à", "en", "dans", "aus"}
#: What ends a sentence (or a verse line's clause): the next word's capital says nothing.
_SENTENCE_END = re.compile(r"[.!?:;—–\-\"«»„“”‚‘’()\[\]]")


def untagged(doc: Document, here: str, index: IdIndex,
             pointed: dict[str, bool]) -> list[Diagnostic]:
    """The ``mention-untagged`` findings of ``doc``; ``pointed`` maps each other file the
    document points into to whether it does so with bare ``#id`` pointers."""
    chunks, owners = _chunks(doc)
    if not chunks:
        return []  # a register, say: no text of its own
    own = _own_names(doc, here)
    if own:
        known = _Known(_candidates(own, index, pointed))
    else:
        # What the names of the files pointed into are is the same for every letter that
        # points into one register: made once per process, not once per letter (a register
        # of 20,000 persons took a second a letter).
        key = (id(index), tuple(sorted(pointed)))
        known = _known_memo.get(key)
        if known is None:
            if len(_known_memo) > 8:
                _known_memo.clear()
            known = _known_memo[key] = _Known(_candidates({}, index, pointed))
    if not known.by_words:
        return []
    common = _common_words(doc, known) if known.single else set()
    # Most runs of text name nobody: only those with the first word of a name as one of
    # their words can (the words _names_in compares).
    firsts = known.first.keys()
    hits = [i for i, c in enumerate(chunks) if not firsts.isdisjoint(_WORD.findall(c))]
    out: list[Diagnostic] = []
    seen: set[tuple[int, str]] = set()
    for i in hits:
        chunk, owner = chunks[i], owners[i]
        for name in _names_in(chunk, known.first, common, known.persons, known.contested):
            if (id(owner), name) in seen or _describes(owner, known.by_words[name], here):
                continue
            seen.add((id(owner), name))
            line, col = doc.locate(owner)
            out.append(Diagnostic(doc.display, line, col, WARNING,
                                  _message(name, known.by_words[name], here, pointed), RULE))
    return out


class _Known:
    """The names looked for, from the candidates (name -> entries): by their first word (the
    longest first), by their words, the one-word ones (and which name persons, which are
    also a word of a longer name of another entry), and the scans that find them."""

    def __init__(self, cands: dict[str, list[tuple[str, str, str]]]) -> None:
        first: dict[str, list[tuple[str, ...]]] = {}
        by_words: dict[str, list[tuple[str, str, str]]] = {}  # "Aristobulus IV" for "... IV."
        for n, entries in cands.items():
            words = tuple(_WORD.findall(n))
            if words:
                joined = " ".join(words)
                known = by_words.get(joined)
                if known is None:
                    first.setdefault(words[0], []).append(words)
                    by_words[joined] = list(entries)
                else:
                    have = set(known)
                    known.extend(e for e in entries if e not in have)
        for w in first:  # longest names first
            first[w].sort(key=len, reverse=True)
        self.first, self.by_words = first, by_words
        self.single = {n for n in by_words if " " not in n}
        self.persons = {n for n in self.single if by_words[n][0][2] == "persName"}
        # "John" where "Frau John" is another entry: after a title ("Mutter John") it is her.
        self.contested = {w for n, entries in by_words.items() if " " in n for w in n.split()
                          if w in self.single and set(entries) - set(by_words[w])}
        self.lower = {w.lower(): w for w in self.single if w.lower() != w}
        # The one-word names found in a text: those made of word characters (and hyphens,
        # apostrophes) are whole runs of them, looked up; the others by a pattern.
        self.odd_single = _any_of(w for w in self.single if not _RUN.fullmatch(w))
        self.odd_lower = _any_of(w for w in self.lower if not _RUN.fullmatch(w))


_known_memo: dict[tuple, _Known] = {}


def _own_names(doc, here) -> dict[str, dict[tuple[str, str], tuple[str, bool]]]:
    """name -> {(file, id): (tag, short)} of the document's own entries."""
    found: dict[str, dict[tuple[str, str], tuple[str, bool]]] = {}
    for el in doc.root.iter(*ENTRY_TAGS):
        if is_entry(el):
            for n, short in entry_names(el).items():
                found.setdefault(n, {})[(here, el.get(XML_ID))] = (name_tag(el), short)
    return found


def _candidates(own, index, pointed) -> dict[str, list[tuple[str, str, str]]]:
    """name -> the entries (file, id, tag) it names, with short forms that several entries
    share, names of entries of different kinds and lone titles left out: of the document's
    own entries (``own``) and of the files it points into."""
    found = {n: dict(e) for n, e in own.items()}
    for file in sorted(pointed):
        for n, ident, tag, short in index.names.get(file, ()):
            found.setdefault(n, {}).setdefault((file, ident), (tag, short))
    out = {}
    for n, entries in found.items():
        if " " not in n and n in TITLES:
            continue
        full = {k: v for k, v in entries.items() if not v[1]}
        chosen = full or (entries if len(entries) == 1 else {})
        if not chosen or len({tag for tag, _ in chosen.values()}) > 1:
            continue
        out[n] = [(f, i, tag) for (f, i), (tag, _) in sorted(chosen.items())]
    return out


def _chunks(doc: Document) -> tuple[list[str], list[etree._Element]]:
    """The runs of text that are looked at, each with the element it belongs to."""
    chunks: list[str] = []
    owners: list[etree._Element] = []
    for text_el in doc.root.iter(T + "text"):
        for el in _outside_names(text_el):
            if el.text:
                chunks.append(el.text)
                owners.append(el)
            for c in el:
                if c.tail:
                    chunks.append(c.tail)
                    owners.append(el)
    return chunks, owners


def _common_words(doc: Document, known: _Known) -> set[str]:
    """Those of the one-word names that the document's text uses as common words: in lower
    case somewhere, or after a determiner (or a determiner and an adjective or a title:
    "deine klägliche Stimme", "Ihr Herr Vater") in at least a quarter of their occurrences.
    The whole text counts here, stage directions and notes included. (The distinct words of
    the text's distinct runs between spaces, then each name in question found by str.find, with
    a look back at each occurrence.)"""
    text = " ".join("".join(t.itertext()) for t in doc.root.iter(T + "text"))
    lower, single = known.lower, known.single
    # the distinct words: no word spans whitespace, so each distinct run between spaces is
    # looked into once
    distinct: set[str] = set()
    for chunk in set(text.split()):
        distinct.update(_RUN.findall(chunk))
    common = {lower[w] for w in distinct if w in lower}
    if known.odd_lower is not None:
        common |= {lower[m] for m in known.odd_lower.findall(text)}
    if len(common) == len(single):
        return common
    # where each name still in question stands as a whole word: found by str.find, in C
    # (match objects for every word of a long text cost more than all the rest here)
    found = [(w, i) for w in (distinct & single) - common for i in _whole_word_starts(text, w)]
    if known.odd_single is not None:
        found += [(m.group(), m.start()) for m in known.odd_single.finditer(text)]
    seen: dict[str, int] = {}
    after: dict[str, int] = {}
    for w, start in found:
        if w in common:
            continue  # each match is one whole word: the others' are the same as before
        seen[w] = seen.get(w, 0) + 1
        window = text[max(0, start - 40):start]
        if not window[-1:].isspace():
            continue  # punctuation (or nothing) right before: no article of its own
        back = window.split()[-2:]
        if not back or not _WORD.fullmatch(back[-1]):
            continue
        last, prev = back[-1], (back[0] if len(back) == 2 and _WORD.fullmatch(back[0])
                                else None)
        if last.lower() in DETERMINERS or (prev is not None and prev.lower() in DETERMINERS
                                           and (last[:1].islower() or last in TITLES)):
            after[w] = after.get(w, 0) + 1
    return common | {w for w, n in after.items() if n and 4 * n >= seen[w]}


#: A run of word characters, hyphens and apostrophes: a whole word as _any_of bounds one.
_RUN = re.compile(r"[\w\-'’]+")


def _run_char(c: str) -> bool:
    """Whether ``c`` belongs to a run of :data:`_RUN` (``\\w`` is what isalnum() says, and _)."""
    return c.isalnum() or c in "_-'’"


def _whole_word_starts(text: str, word: str) -> Iterator[int]:
    """Where ``word`` (a run of :data:`_RUN`) stands in ``text`` as a whole run: the starts
    of the matches of :data:`_RUN` that are ``word``."""
    n, end = len(word), len(text)
    i = text.find(word)
    while i >= 0:
        j = i + n
        if (i == 0 or not _run_char(text[i - 1])) and (j == end or not _run_char(text[j])):
            yield i
        i = text.find(word, i + 1)


def _any_of(words) -> re.Pattern | None:
    """Any of ``words`` as a whole word, not as part of one joined by a hyphen or an
    apostrophe ("Ohm" is not in "Ohm-Buur"), longest first; None for no words."""
    words = sorted(words, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![\w\-'’])(?:" + "|".join(map(re.escape, words))
                      + r")(?![\w\-'’])")


def _names_in(chunk: str, first: dict[str, list[tuple[str, ...]]], common: set[str],
              persons: set[str], contested: set[str]):
    """The names of ``first`` mentioned in ``chunk`` that pass the tests of the module's
    docstring, longest first where they overlap."""
    tokens = list(_WORD.finditer(chunk))
    words = [m.group() for m in tokens]
    covered = -1
    for i, w in enumerate(words):
        if i <= covered or w not in first:
            continue
        for cand in first[w]:
            if tuple(words[i:i + len(cand)]) != cand:
                continue
            covered = i + len(cand) - 1
            if len(cand) > 1 or _single_is_name(chunk, tokens, i, common, w in persons,
                                                w in contested):
                yield " ".join(cand)
            break


def _single_is_name(chunk: str, tokens: list[re.Match], i: int, common: set[str],
                    person: bool, contested: bool) -> bool:
    w = tokens[i].group()
    if w in common:
        return False
    if i > 0:
        prev = tokens[i - 1]
        p = prev.group()
        gap = chunk[prev.end():tokens[i].start()]
        if not _SENTENCE_END.search(gap):
            if p.lower() in ARTICLES or (person and p.lower() in _PLACE_BEFORE):
                return False
            if contested and p in TITLES:
                return False
            if (p[:1].isupper() and p not in TITLES and p not in _BEFORE_NAMES
                    and not _starts_sentence(chunk, tokens, i - 1)):
                return False  # part of a longer name
    if i + 1 < len(tokens):
        nxt = tokens[i + 1]
        gap = chunk[tokens[i].end():nxt.start()]
        if nxt.group()[:1].isupper() and not _SENTENCE_END.search(gap):
            return False
    return True


def _starts_sentence(chunk: str, tokens: list[re.Match], i: int) -> bool:
    if i == 0:
        return not chunk[:tokens[0].start()].strip() or bool(
            _SENTENCE_END.search(chunk[:tokens[0].start()]))
    return bool(_SENTENCE_END.search(chunk[tokens[i - 1].end():tokens[i].start()]))


def _describes(owner: etree._Element, entries: list[tuple[str, str, str]], here: str) -> bool:
    """Whether ``owner`` is inside the entry (one of) ``entries`` names: its own description
    ("The Empire State Building rises to 1,250 feet" in the place's <desc>)."""
    around = {a.get(XML_ID) for a in itertools.chain([owner], owner.iterancestors(*ENTRY_TAGS))
              if is_entry(a)}
    return bool(around) and all(f == here and i in around for f, i, _ in entries)


def _message(name: str, entries: list[tuple[str, str, str]], here: str,
             pointed: dict[str, bool]) -> str:
    def ref(file: str, ident: str) -> str:
        if file == here or pointed.get(file):
            return "#" + ident
        return f"{Path(os.path.relpath(file, Path(here).parent)).as_posix()}#{ident}"

    if len(entries) == 1:
        file, ident, tag = entries[0]
        return (f'"{name}" (entry "{ident}") is mentioned without markup: tag it as '
                f'<{tag} ref="{ref(file, ident)}">')
    shown = entries[:3]
    more = f" and {len(entries) - 3} more" if len(entries) > 3 else ""
    return (f'"{name}" (the name of {len(entries)} entries: '
            + ", ".join(f'"{i}"' for _, i, _ in shown) + f"{more}) is mentioned without "
            f"markup: tag it as <{shown[0][2]} ref=\"...\"> with the one it names, e.g. "
            f'ref="{ref(shown[0][0], shown[0][1])}"')


def _outside_names(top: etree._Element):
    """``top`` and the elements below it, in document order, leaving out every element that is
    (or is inside) name markup, editorial prose or the title page."""
    if top.tag in _SKIP or any(a.tag in _SKIP for a in top.iterancestors()):
        return
    stack = [top]
    while stack:
        el = stack.pop()
        yield el
        stack.extend(reversed([c for c in el.iterchildren(tag=etree.Element)
                               if c.tag not in _SKIP]))
