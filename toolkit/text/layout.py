"""The last steps of a text edition's layout, done in Python: word wrap (the reading text)
and the final clean-up (both texts).

The stylesheet (``xslt/text/``, with the parameter ``caller-layout``) lays out blocks, numbers
notes and settles whitespace, then leaves each segment to wrap marked in its place (U+FDD8,
the first line's width, the other lines' width and their indent, U+FDD9, the words, U+FDDA)
and the clean-up undone, the text starting with U+FDDB. :func:`finish` does what the
stylesheet's ``tk:text-wrap-lines`` and ``tk:text-finish`` do, by the same rules: greedy,
never inside a word, a word longer than the line on a line of its own, columns counted in
characters without combining marks. It is plain string work, which Python does several times
faster than Saxon. Texts whose apparatus entries are keyed by line (the critical reading text)
are laid out by the stylesheet, which needs the final line numbers for its apparatus section.
"""

from __future__ import annotations

import re
import unicodedata

#: the first character of a text the stylesheet left to :func:`finish`
DEFERRED = "\ufddb"
_SEGMENT = re.compile("\ufdd8([0-9]+) ([0-9]+) ([0-9]+)\ufdd9([^\ufdda]*)\ufdda")
#: the line markers of apparatus entries, which take no column
_APP_MARK = re.compile("\ufdd4[^\ufdd4]*\ufdd4")
#: space separators (Unicode category Zs), which the clean-up treats as spaces
_ZS = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
      "\u202f\u205f\u3000"
_SENTINELS = {c: None for c in range(0xFDD0, 0xFDD8) if c != 0xFDD4}
_SENTINEL_CHARS = [chr(c) for c in _SENTINELS]
_LINE_END = _ZS + "\t"
_BLANK_LINES = re.compile("\n\n\n+")
#: what the end of the text is trimmed of: XML Schema's \s and the space separators
_TRAILING = _ZS + "\t\n\r"


def _has_marks(text: str) -> bool:
    """Whether ``text`` has a combining mark (category M) or an apparatus line marker."""
    if text.isascii():
        return False
    return any(c == "\ufdd4" or unicodedata.category(c)[0] == "M" for c in set(text))


def columns(text: str) -> int:
    """The columns ``text`` takes: its characters, without combining marks and apparatus line
    markers."""
    if not _has_marks(text):
        return len(text)
    text = _APP_MARK.sub("", text)
    return sum(1 for c in text if unicodedata.category(c)[0] != "M")


def wrap(text: str, first: int, rest: int, marks: bool = True) -> list[str]:
    """The lines of ``text`` for a first line of ``first`` columns and following lines of
    ``rest`` columns (``tk:text-wrap``); ``marks`` False: the caller knows ``text`` has no
    combining marks."""
    n = len(text)
    single_spaced = not ("  " in text or text.startswith(" ") or text.endswith(" "))
    if n <= first and single_spaced:
        return [text] if text else []
    if not single_spaced or marks and _has_marks(text):
        return _wrap_words(text, first, rest)
    lines = []
    pos, width = 0, first
    while True:
        if n - pos <= width:
            lines.append(text[pos:])
            break
        # the line ends at the last space of a window one longer than the line (a space just
        # after a full line counts); a word longer than the line runs to its end
        space = text.rfind(" ", pos, pos + width + 1)
        if space >= 0:
            length = space - pos
        else:
            end = text.find(" ", pos)
            length = (n if end < 0 else end) - pos
        lines.append(text[pos:pos + length])
        if pos + length >= n - 1:
            break
        pos, width = pos + length + 1, rest
    return lines


def _wrap_words(text: str, first: int, rest: int) -> list[str]:
    """Word by word, counting columns: texts with combining marks or runs of spaces."""
    marks = _has_marks(text)
    lines: list[str] = []
    line, used, width = "", 0, first
    for word in text.split(" "):
        if not word:
            continue
        w = columns(word) if marks else len(word)
        if not line or used + 1 + w <= width:
            used = w if not line else used + 1 + w
            line = word if not line else f"{line} {word}"
        else:
            lines.append(line)
            line, used, width = word, w, rest
    if line:
        lines.append(line)
    return lines


def _wrapped(match: re.Match, marks: bool) -> str:
    first, rest, hang = int(match[1]), int(match[2]), int(match[3])
    return ("\n" + " " * hang).join(wrap(match[4], first, rest, marks))


def finish(text: str) -> str:
    """A text from the stylesheet, laid out: a text starting with :data:`DEFERRED` has its
    marked segments wrapped and is cleaned up as ``tk:text-finish`` does (sentinels removed, no
    spaces before a line break, at most one blank line in a row, none at the start, one line
    break at the end); any other text is returned as it is."""
    if not text.startswith(DEFERRED):
        return text
    text = text[1:]
    if "\ufdd8" in text:
        # whether any paragraph has combining marks, asked of each only where the text has some
        marks = _has_marks(text)
        text = _SEGMENT.sub(lambda m: _wrapped(m, marks), text)
    # each step only where a search (fast, in C) finds something for it to do
    if any(c in text for c in _SENTINEL_CHARS):
        text = text.translate(_SENTINELS)
    # no spaces before a line break (the last line's go with the end's, below): per line in C,
    # several times faster than a regular expression over the whole text
    text = "\n".join([line.rstrip(_LINE_END) for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.lstrip("\n").rstrip(_TRAILING) + "\n"
