"""Integrity beyond the schema: identifiers, pointers, standoff entries and untagged names.

* ``id-duplicate`` (error): an ``xml:id`` used twice in a file (lxml's own ID check is off, so
  this is a diagnostic, not a parser failure).
* ``ref-unresolved`` (error): a pointer (``#id`` or ``file.xml#id``) in ``@ref``, ``@target``,
  ``@corresp``, ... that names no ``xml:id`` in the file or in the project.
* ``entry-unused`` (warning): a person, place, org, event or bibl entry with an ``xml:id``, in a
  ``standOff`` or a list in the header, that nothing in the project points to.
* ``mention-untagged`` (warning): a name of a known entry written in the text outside any name
  markup. Known entries are the document's own and those of the files it points into (a shared
  register of persons, say), never those of unrelated files of the same project.

The edition-wide facts they are checked against are in :mod:`toolkit.validation.index`.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
from pathlib import Path

from lxml import etree

from toolkit.diagnostics import ERROR, WARNING, Diagnostic
from toolkit.load.source import Document
from toolkit.tei import XML_ID, T
from toolkit.validation.index import _WORD as _WORD
from toolkit.validation.index import (
    ENTRY_TAGS,
    NAME_TAGS,
    IdIndex,
    _target,
    entry_names,
    is_entry,
    name_tag,
    pointers,
)


def check(doc: Document, ids: IdIndex | None = None) -> list[Diagnostic]:
    """The integrity diagnostics of one document."""
    here = str(Path(doc.path).resolve())
    out: list[Diagnostic] = []
    local: dict[str, etree._Element] = {}

    def say(el, severity, msg, rule):
        line, col = doc.locate(el)
        out.append(Diagnostic(doc.display, line, col, severity, msg, rule))

    for el in doc.root.iter(tag=etree.Element):
        ident = el.get(XML_ID)
        if ident is None:
            continue
        if ident in local:
            first = local[ident]
            say(el, ERROR, f'xml:id "{ident}" is already used by the '
                f"{etree.QName(first).localname} at line {doc.locate(first)[0]}; an id must "
                "be unique in its file", "id-duplicate")
        else:
            local[ident] = el
    index = ids if ids is not None else IdIndex()
    found_pointers = [(el, attr, value) for el in doc.root.iter(tag=etree.Element)
                      for attr, value in pointers(el)]
    for el, attr, value in found_pointers:
        file, ident = _target(here, value)
        if file == here:
            if ident not in local:
                say(el, ERROR, f'@{attr} points to "{value}", but no element has xml:id '
                    f'"{ident}" in this file', "ref-unresolved")
            continue
        found = index.has(file, ident)
        if found is None and os.path.isfile(file):
            index.add(Path(file))
            found = index.has(file, ident)
        if found is None:
            say(el, ERROR, f'@{attr} points to "{value}", but {value.split("#")[0]} does not '
                "exist", "ref-unresolved")
        elif not found:
            say(el, ERROR, f'@{attr} points to "{value}", but {value.split("#")[0]} has no '
                f'xml:id "{ident}"', "ref-unresolved")
    out += _unused(doc, here, local, ids, found_pointers)
    pointed = {_target(here, value)[0] for _, _, value in found_pointers}
    out += _untagged(doc, here, index, pointed - {here})
    return out


def _unused(doc: Document, here: str, local: dict, ids: IdIndex | None,
            found_pointers: list) -> list[Diagnostic]:
    targets = ids.targets if ids is not None else set()
    own = {_target(here, v) for _, _, v in found_pointers}
    out = []
    for ident, el in local.items():
        if is_entry(el) and (here, ident) not in targets and (here, ident) not in own:
            line, col = doc.locate(el)
            out.append(Diagnostic(doc.display, line, col, WARNING,
                                  f'{etree.QName(el).localname} "{ident}" is never referred to '
                                  f'(no @ref, @target, ... points to "#{ident}")', "entry-unused"))
    return out


#: The editors' own prose (notes, bibliographies) is not the text whose tagging is checked.
_EDITORIAL = {T + n for n in ("note", "bibl", "biblStruct", "listBibl", "standOff", "teiHeader")}


def _untagged(doc: Document, here: str, index: IdIndex, pointed: set[str]) -> list[Diagnostic]:
    names: dict[str, tuple[str, str, str]] = {}
    for el in doc.root.iter(*ENTRY_TAGS):
        if is_entry(el):
            for n in entry_names(el):
                names.setdefault(n, (here, el.get(XML_ID), name_tag(el)))
    for file in sorted(pointed):
        for n, ident, tag in index.names.get(file, ()):
            names.setdefault(n, (file, ident, tag))
    if not names:
        return []
    first: dict[str, list[tuple[str, ...]]] = {}
    for n in names:
        words = tuple(_WORD.findall(n))
        if words:
            first.setdefault(words[0], []).append(words)
    for w, cands in first.items():  # longest names first
        first[w] = sorted(cands, key=len, reverse=True)
    # Most runs of text name nobody: one scan in C finds those that may (a superset).
    maybe = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(first, key=len,
                                                                       reverse=True))) + r")(?!\w)")
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
    # Most runs of text name nobody: one scan (in C) over all of them finds those that may.
    maybe = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(first, key=len,
                                                                       reverse=True))) + r")(?!\w)")
    starts = list(itertools.accumulate((len(c) + 1 for c in chunks), initial=0))
    hits = sorted({bisect.bisect_right(starts, m.start()) - 1
                   for m in maybe.finditer("\0".join(chunks))})
    out = []
    seen = set()
    for chunk, owner in ((chunks[i], owners[i]) for i in hits):
        words = _WORD.findall(chunk)
        covered = -1
        for i, w in enumerate(words):
            if i <= covered or w not in first:
                continue
            for cand in first[w]:
                if tuple(words[i:i + len(cand)]) == cand:
                    covered = i + len(cand) - 1
                    name = " ".join(cand)
                    if (owner, name) in seen:
                        continue
                    seen.add((owner, name))
                    line, col = doc.locate(owner)
                    file, ident, tag = names.get(name) or next(
                        (v for k, v in names.items() if tuple(_WORD.findall(k)) == cand),
                        ("", "?", "rs"))
                    ref = "#" + ident if file == here else f"{Path(file).name}#{ident}"
                    out.append(Diagnostic(
                        doc.display, line, col, WARNING,
                        f'"{name}" (entry "{ident}") is mentioned without markup: tag '
                        f'it as <{tag} ref="{ref}">', "mention-untagged"))
    return out


def _outside_names(top: etree._Element):
    """``top`` and the elements below it, in document order, leaving out every element that is
    (or is inside) name markup or editorial prose."""
    skip = NAME_TAGS | _EDITORIAL
    if top.tag in skip or any(a.tag in skip for a in top.iterancestors()):
        return
    stack = [top]
    while stack:
        el = stack.pop()
        yield el
        stack.extend(reversed([c for c in el.iterchildren(tag=etree.Element)
                               if c.tag not in skip]))
