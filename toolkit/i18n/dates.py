"""Dates in words, in the interface language: CLDR's month names, patterns and intervals
through Babel, the catalogue's words around them ("between {from} and {to}").

TEI dates an element with W3C/XSD values in ``@when``, ``@from``/``@to``,
``@notBefore``/``@notAfter`` (or their ``-iso`` twins). A value is a day (``1937-11-27``), a
month (``1937-11``), a year (``1937``), a day or month of every year (``--11-27``, ``--11``),
a year before the common era (``-0044``, 44 BC as XSD 1.0 counts) or a moment (the day is
shown). Anything else (free text, ``0000``, 30 February) is shown as it is written.

The stylesheets cannot do this (Saxon-HE has English month names only), so Python words every
dating a transformation will show before it runs and passes them as ``$dates``: the key of a
dating is its attributes as :func:`dating_key` writes them, which ``tk:dating-key`` in
``xslt/common/i18n.xsl`` writes alike. :func:`document_keys` finds them in a document and in
the entries of other files of the edition it points at (a register's life dates), as the
caller reads them (:func:`toolkit.transform.entries_of`: inside the edition's sources only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from babel import Locale

#: the attributes that date an element, in the order of a dating's key
DATING_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
#: elements whose @from and @to are pointers, not dates
_POINTER_FROM_TO = {"span", "rt", "relation", "link", "alt", "join"}
_TEI = "{http://www.tei-c.org/ns/1.0}"


def locale_for(language: str, strings: Mapping[str, str]) -> Locale:
    """The Babel locale of an interface language: the tag's own region where it names one
    (``en-US``), else the catalogue's ``meta.locale`` (English: ``en_GB``), else the bare
    language; British English where CLDR knows none of them."""
    # Babel is imported where it is first needed: commands that format no date do not pay
    from babel import Locale, UnknownLocaleError

    tag = language.replace("_", "-")
    own = strings.get("meta.locale", "")
    if own.replace("_", "-").split("-")[0].lower() != tag.split("-")[0].lower():
        own = ""  # English's, where a project's language has none of its own
    candidates = [tag] if "-" in tag else []
    candidates += [own, tag.split("-")[0]]
    for c in candidates:
        if not c:
            continue
        try:
            return Locale.parse(c, sep="-" if "-" in c else "_")
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse("en_GB")


# ---------------------------------------------------------------------------------- values


class TeiDate:
    """A W3C date value: year (negative before the common era, None for ``--MM-DD``), month
    and day where given."""

    __slots__ = ("year", "month", "day")

    def __init__(self, year: int | None, month: int | None = None, day: int | None = None):
        self.year, self.month, self.day = year, month, day

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __repr__(self) -> str:
        return f"TeiDate({self.year!r}, {self.month!r}, {self.day!r})"


_DATE = re.compile(r"(-?)(\d{4,})(?:-(\d\d)(?:-(\d\d)(?:T[\d:.]+(?:Z|[+-]\d\d:\d\d)?)?)?)?")
_YEARLESS = re.compile(r"--(\d\d)(?:-(\d\d))?")


def parse_tei_date(value: str | None) -> TeiDate | None:
    """A value read as a date, or None when it is none a reader can be shown."""
    v = (value or "").strip()
    if m := _DATE.fullmatch(v):
        sign, y, mo, d = m.groups()
        year = int(y) * (-1 if sign else 1)
        if year == 0 or abs(year) > 9999:
            return None
        parsed = TeiDate(year, int(mo) if mo else None, int(d) if d else None)
    elif m := _YEARLESS.fullmatch(v):
        parsed = TeiDate(None, int(m.group(1)), int(m.group(2)) if m.group(2) else None)
    else:
        return None
    try:  # a real day of a real month; a leap year stands in where the year is unknown
        year = parsed.year if parsed.year and parsed.year > 0 else 2000
        date(year, parsed.month or 1, parsed.day or 1)
    except ValueError:
        return None
    return parsed


_fields_class: type | None = None


def _fields(d: TeiDate, locale: Locale, first_day: str):
    """Babel's field formatter over a stand-in date of the year 2000 (Python's dates have no
    year before 1 nor a missing year): the year and era are written from the TEI value, the
    first day of a month as the catalogue says (1er, 1º). Month names do not depend on the
    year, and no pattern used here has a weekday."""
    global _fields_class
    if _fields_class is None:
        from babel.dates import DateTimeFormat

        class Fields(DateTimeFormat):
            def __init__(self, d: TeiDate, locale: Locale, first_day: str):
                super().__init__(date(2000, d.month or 1, d.day or 1), locale)
                self.tei = d
                self.first_day = first_day

            def format_year(self, char: str, num: int) -> str:
                return self.format(abs(self.tei.year or 0), num if num != 2 else 1)

            def format_era(self, char: str, num: int) -> str:
                width = {3: "abbreviated", 4: "wide", 5: "narrow"}[max(3, num)]
                return self.locale.eras[width][0 if (self.tei.year or 1) < 0 else 1]

            def __getitem__(self, name: str) -> str:
                if name == "d" and self.tei.day == 1 and self.first_day:
                    return self.first_day
                return super().__getitem__(name)

        _fields_class = Fields
    return _fields_class(d, locale, first_day)


_SKELETONS = {"day": "yMMMMd", "month": "yMMMM", "year": "y"}
_SKELETONS_YEARLESS = {"day": "MMMMd", "month": "MMMM"}
_ORDER = ("year", "month", "day")


def _widen(pattern: str) -> str:
    """MMM → MMMM, LLL → LLLL outside quoted literals: CLDR has few patterns with full month
    names, and Babel does not widen the nearest one as CLDR says a formatter should."""
    parts = re.split(r"('(?:[^']|'')*')", pattern)
    return "".join(p if p.startswith("'") else
                   re.sub(r"(?<![ML])([ML])\1\1(?![ML])", r"\1\1\1\1", p) for p in parts)


def _pattern(skeleton: str, locale: Locale) -> str:
    from babel.dates import get_date_format, match_skeleton

    if skeleton == "yMMMMd":
        return get_date_format("long", locale=locale).pattern
    best = match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    return _widen(locale.datetime_skeletons[best].pattern)


class DateWords:
    """Dates in one interface language: its Babel locale and its catalogue's date words."""

    def __init__(self, language: str, strings: Mapping[str, str]):
        self.locale = locale_for(language, strings)
        self.strings = strings
        self.first_day = strings.get("date.first_of_month", "")
        self._labels: dict[str, str | None] = {}

    def one(self, d: TeiDate) -> str:
        """A single value: "27 November 1937", "November 1937", "44 BC", "27 November"."""
        if d.year is None:
            skeleton = _SKELETONS_YEARLESS[d.precision]
        else:
            skeleton = ("G" if d.year < 0 else "") + _SKELETONS[d.precision]
        from babel.dates import parse_pattern

        fields = _fields(d, self.locale, self.first_day)
        return parse_pattern(_pattern(skeleton, self.locale)) % fields

    def interval(self, a: TeiDate, b: TeiDate) -> str:
        """Two values: CLDR's interval where they share a precision ("27–29 November 1937"),
        else the catalogue's ``date.range``."""
        if (a.year, a.month, a.day) == (b.year, b.month, b.day):
            return self.one(a)
        if a.precision == b.precision and a.year and b.year and min(a.year, b.year) > 0:
            from babel.dates import parse_pattern

            field = "y" if a.year != b.year else "M" if a.month != b.month else "d"
            formats = self.locale.interval_formats
            wanted = _SKELETONS[a.precision]
            for skeleton in (wanted, wanted.replace("MMMM", "MMM")):
                if skeleton in formats and field in formats[skeleton]:
                    return "".join(
                        parse_pattern(_widen(half)) % _fields(d, self.locale, self.first_day)
                        for half, d in zip(formats[skeleton][field], (a, b), strict=False))
        return self._say("date.range", **{"from": self.one(a), "to": self.one(b)})

    def dating(self, attrs: Mapping[str, str]) -> str | None:
        """The dating of an element in words, from its attributes; None when none of them is
        a date. ``when`` wins; ``from`` with ``to`` is a span; ``notBefore`` and ``notAfter``
        bound a date not known exactly. The words are the catalogue's for the precision of
        the date (the coarser of two)."""
        def value(name: str) -> TeiDate | None:
            return parse_tei_date(attrs.get(name) or attrs.get(f"{name}-iso"))

        when, start, end = value("when"), value("from"), value("to")
        low, high = value("notBefore"), value("notAfter")
        if when:
            text = self.one(when)
        elif start and end:
            text = self.interval(start, end)
        elif start or end:
            rel, d = ("from", start) if start else ("to", end)
            text = self._say(f"date.{rel}.{d.precision}", date=self.one(d))
        elif low and high:
            precision = min(low.precision, high.precision, key=_ORDER.index)
            text = self._say(f"date.between.{precision}",
                             **{"from": self.one(low), "to": self.one(high)})
        elif low or high:
            rel, d = ("not_before", low) if low else ("not_after", high)
            text = self._say(f"date.{rel}.{d.precision}", date=self.one(d))
        else:
            return None
        return _elide(text) if self.locale.language == "it" else text

    def words(self, key: str) -> str | None:
        """The words for a dating's key (:func:`dating_key`), or None when none of its values
        is a date."""
        if key not in self._labels:
            attrs = dict(part.split("=", 1) for part in key.split(" ") if "=" in part)
            self._labels[key] = self.dating(attrs)
        return self._labels[key]

    def _say(self, key: str, **args: str) -> str:
        text = self.strings.get(key, key)
        return re.sub(r"\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), text)


_IT_ARTICLE = re.compile(r"\b(il|del|dal|al|nel|sul) (\d+)")
_IT_ELIDED = {"il": "l’", "del": "dell’", "dal": "dall’", "al": "all’", "nel": "nell’",
              "sul": "sull’"}


def _elide(text: str) -> str:
    """Italian elides an article before a number read with a vowel: 'l’8 marzo',
    'dall’11 aprile' (otto, undici, undicimila …), not 'il 8'."""
    def fix(m: re.Match) -> str:
        n = m.group(2)
        vowel = n.startswith("8") or n == "11" or (len(n) == 5 and n.startswith("11"))
        return _IT_ELIDED[m.group(1)] + n if vowel else m.group(0)
    return _IT_ARTICLE.sub(fix, text)


# ---------------------------------------------------------------------------- documents


def dating_key(attrs: Mapping[str, str]) -> str:
    """The key of a dating in ``$dates``: ``when=1937-11-27``, ``notBefore=1936
    notAfter=1938`` (each attribute's plain form, else its -iso form); '' when there is
    none. ``tk:dating-key`` in xslt/common/i18n.xsl makes the same."""
    parts = []
    for name in DATING_ATTRIBUTES:
        value = " ".join((attrs.get(name) or "").split()) or \
            " ".join((attrs.get(f"{name}-iso") or "").split())
        if value:
            parts.append(f"{name}={value}")
    return " ".join(parts)


_DATED = etree.XPath("descendant-or-self::*[" + " or ".join(
    f"@{a} or @{a}-iso" for a in DATING_ATTRIBUTES) + "]")
_POINTER = re.compile(r"^(?:[\w][\w.\-]*/)*[\w][\w.\-]*\.xml#([\w.\-]+)$")
_POINTERS = etree.XPath("//@ref | //@corresp | //@resp")


def _keys_under(el: etree._Element, into: set[str]) -> None:
    for e in _DATED(el):
        attrs = e.attrib
        if e.tag.startswith(_TEI) and e.tag[len(_TEI):] in _POINTER_FROM_TO:
            attrs = {k: v for k, v in attrs.items() if k not in ("from", "to")}
        key = dating_key(attrs)
        if key:
            into.add(key)


#: a file of the edition -> its elements with an id (None: it may not be read)
EntriesOf = Callable[[Path], "Mapping[str, etree._Element] | None"]


def document_keys(root: etree._Element, source: Path | None = None,
                  entries_of: EntriesOf | None = None) -> set[str]:
    """The keys of every dating a document's outputs may show: its own, and those of the
    entries in other files of the edition it points at (``persons.xml#id``), as
    ``entries_of`` reads them (the build's reader, inside the edition's sources)."""
    keys: set[str] = set()
    _keys_under(root, keys)
    if source is None or entries_of is None:
        return keys
    folder = Path(source).resolve().parent
    wanted: dict[str, set[str]] = {}
    for value in _POINTERS(root):
        for pointer in str(value).split():
            m = _POINTER.match(pointer)
            if m and ".." not in pointer:
                wanted.setdefault(pointer.split("#", 1)[0], set()).add(m.group(1))
    for rel, ids in wanted.items():
        entries = entries_of(folder / rel)
        if not entries:
            continue
        for i in ids:
            if i in entries:
                _keys_under(entries[i], keys)
    return keys
