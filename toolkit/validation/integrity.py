"""Integrity beyond the schema: identifiers, pointers, standoff entries and untagged names.

* ``id-duplicate`` (error): an ``xml:id`` used twice in a file (lxml's own ID check is off, so
  this is a diagnostic, not a parser failure).
* ``ref-unresolved`` (error): a pointer to a thing (``@ref``, ``@target``, ``@corresp``, ...:
  ``#id`` or ``file.xml#id``) that leads nowhere. A ``#id`` that the file does not define
  leads to the one other file of the edition that declares it (a register of persons, say).
* ``decl-unresolved`` (warning): the same for a pointer to a declaration (``@rendition``,
  ``@who``, ``@hand``, ``@resp``, ``@decls``, ``@source``, ...), which projects often keep in
  a file of their own; the message says what would have to declare it, and where.
* ``entry-unused`` (warning): a person, place, org, event or bibl entry with an ``xml:id``,
  declared in a document that has text of its own, that nothing in the project points to (or
  names by ``@key``). The
  entries of a register (a file of lists without running text) are never reported: a build of
  some of the letters of a project need not mention all of its persons.
* ``mention-untagged`` (warning): a name of a known entry written in the text outside any name
  markup (:mod:`toolkit.validation.mentions`).

The edition-wide facts they are checked against are in :mod:`toolkit.validation.index`.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from toolkit.diagnostics import ERROR, WARNING, Diagnostic
from toolkit.load.source import Document
from toolkit.tei import XML_BASE, XML_ID
from toolkit.validation.index import (
    DECLARATION_ATTRS,
    IdIndex,
    _target,
    base_of,
    is_entry,
    is_register,
    pointers,
)
from toolkit.validation.mentions import untagged


def check(doc: Document, ids: IdIndex | None = None) -> list[Diagnostic]:
    """The integrity diagnostics of one document (``ids``: the edition's id index)."""
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
    own: set[str] = set()  # ids of this file it points to itself
    pointed: dict[str, bool] = {}  # other files pointed into -> by bare #id pointers
    has_base = doc.root.find(f".//*[@{XML_BASE}]") is not None or doc.root.get(XML_BASE)
    for el, attr, value in found_pointers:
        base = base_of(el, here) if has_base else None
        if value.startswith("#") and value[1:] in local and base is None:
            own.add(value[1:])
            continue
        where = index.resolve(here, value, base)
        if where is None and not value.startswith("#"):
            file = _target(here, value)[0] if base is None else None
            if file and index.has(file, "") is None and os.path.isfile(file):
                index.add(Path(file))  # a file outside the edition's sources
                where = index.resolve(here, value, base)
        if where is not None:
            if where.file == here:
                own.add(where.id or "")
            elif value.startswith("#"):
                pointed[where.file] = True
            else:
                pointed.setdefault(where.file, False)
            continue
        severity, rule = (WARNING, "decl-unresolved") if attr in DECLARATION_ATTRS else (
            ERROR, "ref-unresolved")
        say(el, severity, _unresolved(attr, value, here, ids, local), rule)
    own.update(k for k in doc.root.xpath("//@key") if k in local)  # named by key: used
    out += _unused(doc, here, local, index, own)
    out += untagged(doc, here, index, pointed)
    return out


def _unresolved(attr: str, value: str, here: str, ids: IdIndex | None, local: dict) -> str:
    """Why ``value`` leads nowhere, and what would make it lead somewhere."""
    file, ident = _target(here, value)
    what = DECLARATION_ATTRS.get(attr)
    start = f'@{attr} points to "{value}"'
    if file != here:
        name = value.split("#")[0]
        if not os.path.isfile(file):
            return f"{start}, but {name} does not exist"
        return f'{start}, but {name} has no xml:id "{ident}"' + (
            f'; add {what} with xml:id="{ident}" to {name}' if what else "")
    if ids is None or not ids.ids:  # one file validated on its own
        if what:
            return (f'{start}, which this file does not define: add {what} with '
                    f'xml:id="{ident}" here, or validate the edition whose file declares it')
        return f'{start}, but no element has xml:id "{ident}" in this file'
    several = ids.declaring(ident, here)
    if len(several) > 1:
        shown = ", ".join(_relative(f, here) for f in several[:3])
        more = f" and {len(several) - 3} more" if len(several) > 3 else ""
        return (f"{start}, which this file does not define and {len(several)} files of the "
                f'edition declare ({shown}{more}): write "{_relative(several[0], here)}'
                f'#{ident}" (or the file meant)')
    elsewhere = [f for f in ids.files_defining(ident) if f != here]
    if elsewhere:
        other = _relative(elsewhere[0], here)
        return (f'{start}, but this file has no xml:id "{ident}" ({other} has one, inside its '
                f'text rather than in a declaration: write "{other}#{ident}" if that is meant)')
    if what:
        return (f"{start}, which no file of the edition declares: add {what} with "
                f'xml:id="{ident}" to this file or to one other file of the edition')
    return f'{start}, but no file of the edition has an element with xml:id "{ident}"'


def _relative(file: str, here: str) -> str:
    return Path(os.path.relpath(file, Path(here).parent)).as_posix()


def _unused(doc: Document, here: str, local: dict, index: IdIndex,
            own: set[str]) -> list[Diagnostic]:
    if index.is_register(here) or (here not in index.ids and is_register(doc.root)):
        return []  # a register's entries are there to be pointed to, by any part of a project
    out = []
    for ident, el in local.items():
        if is_entry(el) and ident not in own and not index.is_pointed_at(here, ident):
            line, col = doc.locate(el)
            out.append(Diagnostic(doc.display, line, col, WARNING,
                                  f'{etree.QName(el).localname} "{ident}" is never referred to '
                                  f'(no @ref, @target, ... points to "#{ident}")', "entry-unused"))
    return out
