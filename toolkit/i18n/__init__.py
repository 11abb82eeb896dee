"""The interface in the edition's language: one string catalogue for the web pages and their
scripts, the text editions and the PDF, and dates and numbers in the same language.

- :mod:`.catalogue`: the catalogues (``catalogues/<language>.toml``, English the reference)
  and the project's own strings over them.
- :mod:`.language`: which languages the interface speaks.
- :mod:`.dates`: dates in words (Babel, CLDR), for the stylesheets' ``$dates``.
- :mod:`.plurals`: the language's plural rule for the stylesheets.

The stylesheets get it all as parameters (:func:`stylesheet_values`, stated once in
``toolkit.formats.stylesheet_params``; the datings of a document are added by
:func:`document_values` when it is transformed); the scripts get the same strings in
``assets/strings.js`` (:func:`script`). The command line's own messages stay English.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from toolkit.i18n.catalogue import catalogue, own_name, primary
from toolkit.i18n.dates import DateWords, EntriesOf, dating_key, document_keys
from toolkit.i18n.language import interface_languages, normalise
from toolkit.i18n.plurals import plural_xpath

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from toolkit.project.config import Project

__all__ = ["catalogue", "interface_languages", "stylesheet_values", "language_values",
           "document_values", "script", "language_name"]


def stylesheet_values(project: Project | None, build_date: str) -> dict[str, Any]:
    """The interface's stylesheet parameters for a build, in its main language: ``language``,
    ``strings``, ``locale``, ``dates`` (the build date), ``languages`` (every interface
    language, the main one first, comma-separated) and ``language-names`` (each in itself,
    for the language switch of an edition with several)."""
    languages = [normalise(t) for t in interface_languages(project)]
    return {**language_values(project, languages[0], build_date, main=True),
            "languages": ",".join(languages),
            "language-names": {t: language_name(t, project) for t in languages}}


def language_values(project: Project | None, language: str, build_date: str,
                    main: bool = True) -> dict[str, Any]:
    """The parameters of one interface language (for an edition that has several, each of
    its page sets is made with its own)."""
    strings = catalogue(language, project, main=main)
    words = DateWords(language, strings)
    build = dating_key({"when": build_date})
    build_words = words.words(build) if build else None
    return {
        "site-title": (project.title if project is not None and project.title
                       else strings["site.untitled"]),
        "language": normalise(language),
        "strings": strings,
        "locale": {"plural": plural_xpath(words.locale),
                   "group": words.locale.number_symbols["latn"]["group"]},
        "dates": {build: build_words} if build_words else {},
    }


def document_values(params: Mapping[str, Any], root: etree._Element,
                    source: Path | None = None,
                    entries_of: EntriesOf | None = None) -> dict[str, Any]:
    """``params`` with the datings of a document in ``dates``: every dating it has, and of the
    entries of other files it points at (read by ``entries_of``, see
    :func:`toolkit.i18n.dates.document_keys`), in the words of the parameters' language."""
    words = DateWords(str(params.get("language", "en")), params.get("strings") or {})
    dates = dict(params.get("dates") or {})
    for key in document_keys(root, source, entries_of):
        if key not in dates:
            label = words.words(key)
            if label is not None:
                dates[key] = label
    return {**params, "dates": dates}


def language_name(language: str, project: Project | None = None) -> str:
    """A language's name in itself: its catalogue's ``meta.name``, else CLDR's (Babel),
    else its tag."""
    from babel import Locale, UnknownLocaleError  # where it is first needed (see dates.py)

    name = own_name(language, project)
    if name:
        return name
    try:
        loc = Locale.parse(primary(language))
        found = loc.get_display_name(loc) or language
    except (ValueError, UnknownLocaleError):
        found = language
    return found[:1].upper() + found[1:]


def script(catalogues: Mapping[str, Mapping[str, str]]) -> str:
    """``assets/strings.js``: the strings of every interface language for the scripts, by
    language tag, as ``window.TEIKIT_STRINGS`` (a plain script: pages opened from
    ``file://`` may not fetch JSON). ``assets/t.js`` looks them up."""
    data = json.dumps(catalogues, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = data.replace("</", "<\\/")  # safe even inside an HTML page
    return ("/* The interface's strings, written by teikit from its catalogues "
            "(toolkit/i18n/). */\n"
            f"window.TEIKIT_STRINGS = {data};\n")
