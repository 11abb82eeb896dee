"""Which language the interface speaks: the configuration's ``language`` (and ``languages``,
for an edition that offers several), else the language its TEI documents declare, else
English. A language is given as a BCP 47 tag; ISO 639-2 codes (``deu``, ``ger``), as TEI
files often have them, are read as their two-letter equivalents.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from toolkit import resident
from toolkit.errors import ConfigError
from toolkit.i18n.catalogue import REFERENCE, builtin_languages, has_catalogue

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from toolkit.project.config import Project

_TEI = "{http://www.tei-c.org/ns/1.0}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def normalise(tag: str) -> str:
    """A language tag as HTML's ``lang`` wants it: ``de``, ``de-CH``, ``sr-Latn``; an ISO
    639-2 code shortened (``deu`` → ``de``)."""
    from babel import Locale, UnknownLocaleError  # where it is first needed (see dates.py)

    parts = [p for p in tag.strip().replace("_", "-").split("-") if p]
    if not parts:
        return ""
    first = parts[0].lower()
    if len(first) == 3:
        try:
            first = Locale.parse(first).language
        except (ValueError, UnknownLocaleError):
            pass
    rest = [p.title() if len(p) == 4 and p.isalpha() else p.upper() if len(p) == 2 else p
            for p in parts[1:]]
    return "-".join([first, *rest])


#: what each file declared, by path, with the file's stat then: a process that builds again
#: (``teikit serve``) reads only the files changed since (a file's stat is trusted as the
#: digests of toolkit.builder.digests trust it)
_declared: dict[str, tuple[tuple[int, int, int], str | None]] = {}


def declared_language(path: Path) -> str | None:
    """The language a TEI file declares for itself: ``xml:lang`` of its root element, else of
    its ``text``, else the first language of ``langUsage``. Only the start of the file is
    read (up to ``text``)."""
    stamp = resident.stamp(path)
    if stamp == (0, 0, 0):
        return None  # (no such file)
    key = os.fspath(path)
    kept = _declared.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    found = _read_declared_language(path)
    _declared[key] = (stamp, found)
    return found


def _read_declared_language(path: Path) -> str | None:
    usage = None
    try:
        for _event, el in etree.iterparse(str(path), events=("start",), resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=True):
            lang = el.get(_XML_LANG)
            if el.getparent() is None and lang:
                return lang
            if el.tag == f"{_TEI}language" and usage is None and el.get("ident"):
                usage = el.get("ident")
            if el.tag == f"{_TEI}text":
                return lang or usage
    except (OSError, etree.XMLSyntaxError):
        return usage
    return usage


def edition_language(files: Iterable[Path]) -> str | None:
    """The language most of the edition's files declare (the first of those equally many),
    or None when none declares one."""
    counts: Counter[str] = Counter()
    for f in files:
        lang = declared_language(f)
        if lang and normalise(lang):
            counts[normalise(lang)] += 1
    return counts.most_common(1)[0][0] if counts else None


def interface_languages(project: Project | None) -> list[str]:
    """The interface languages of an edition, the main one first: as configured
    (``language``, ``languages``), else the edition's own language where there is a
    catalogue for it, else English."""
    if project is None:
        return [REFERENCE]
    where = project.config_file or project.root
    configured = [normalise(t) for t in ([project.language] if project.language else [])
                  + list(project.languages)]
    for tag in configured:
        if not tag or not has_catalogue(tag, project):
            raise ConfigError(
                f"setting 'language': no interface strings for {tag or 'an empty tag'!r}",
                path=where,
                hint=f"use one of {', '.join(builtin_languages())}, or give the edition "
                     f"strings of its own in i18n/{tag or 'xx'}.toml (see the README)")
    if configured:
        return list(dict.fromkeys(configured))
    found = edition_language(project.readable_sources())
    if found and has_catalogue(found, project):
        return [found]
    return [REFERENCE]
