"""The print edition (xslt/print/ + toolkit/print/pdf.py), tested where a reader sees it: in the PDF.

Text is read back with poppler (``pdftotext -bbox`` gives every word with its box, so body text,
footnotes and marginal marks can be told apart by type size), links and metadata with pypdf.
The reading text each check expects is computed here from the TEI, independently of the
stylesheets. Samples: every TEI file in tests/data/print/ and the flagship edition when it
exists; a few short corpus documents from ../shared when that folder is present.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pytest
from conftest import require
from lxml import etree
from lxml import html as lxml_html

from toolkit import transform
from toolkit.errors import TransformError
from toolkit.load import load
from toolkit.print import pdf

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "print"
FLAGSHIP = ROOT / "tei" / "wright-1937-international-notes.xml"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = SHARED / "corpora" / "variety"

TEI = "{http://www.tei-c.org/ns/1.0}"
PARAMS = {
    "reading": "normalised",
    "site-title": "teikit test edition",
    "build-date": "2025-01-01",
    "language": "en",
    "paper": "a4",
}

require(all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts")),
        "poppler-utils (pdftotext, pdfinfo, pdffonts) is not installed")

SAMPLES = sorted(DATA.glob("*.xml")) + ([FLAGSHIP] if FLAGSHIP.is_file() else [])


# ===== The reading text, computed from the TEI =====

# Never printed, or printed apart from the running text (notes are checked on their own).
SKIP = set(
    "note fw teiHeader standOff index interp interpGrp figDesc witDetail facsimile "
    "sourceDoc listWit graphic xenoData".split()
)
# Where the print edition adds words of its own ("see p. 3", sigla, "[Illustration]"): the text
# continues after them, so word sequences are compared on either side only.
BREAKS = {"ptr", "listWit", "figure"}
SEGMENT = "\x1e"
# Element boundaries that are word boundaries.
BLOCKS = set(
    "p ab l lg head item label cell row speaker stage sp list table quote opener closer "
    "salute signed dateline postscript titlePart docTitle docAuthor docImprint docDate "
    "byline castItem castList role roleDesc addrLine trailer argument epigraph figure "
    "titlePage front body back div lb pb cb milestone listBibl bibl".split()
)
SUPERSCRIPT = re.compile(r"\b(sup|super|superscript|sub|subscript)\b")


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def chosen(choice, reading: str):
    """The reading of a choice at ``reading``, the rule of xslt/common/common.xsl."""
    kids = [k for k in choice if isinstance(k.tag, str)]
    want = ("sic", "orig", "abbr") if reading == "original" else ("corr", "reg", "expan")
    for k in kids:
        if _local(k) in want:
            return k
    return kids[0] if kids else None


def choice_spaces(choice) -> tuple[bool, bool]:
    """Whitespace at the edge of an abbreviation or its expansion is a word boundary in both
    readings, except before punctuation (as common.xsl's tk:choice-spaces says)."""
    kids = [k for k in choice if isinstance(k.tag, str)]
    if not any(_local(k) in ("abbr", "expan") for k in kids):
        return False, False
    texts = ["".join(k.itertext()) for k in kids]
    nxt = (choice.tail or "")[:1]
    punct = bool(nxt) and unicodedata.category(nxt) in ("Po", "Pe", "Pf")
    return (any(t[:1].isspace() for t in texts),
            not punct and any(t[-1:].isspace() for t in texts))


def reading_text(el, reading: str = "normalised", *, in_note: bool = False) -> str:
    """The printed words of ``el`` at the reading level; notes left out unless ``in_note``."""
    out: list[str] = []

    def walk(e) -> None:
        if not isinstance(e.tag, str):  # comments and processing instructions
            out.append(e.tail or "")
            return
        name = _local(e)
        if name in BREAKS:
            out.append(SEGMENT)
        if name in SKIP and e is not el and not (in_note and name == "note"):
            out.append(SEGMENT if name in BREAKS else " ")
            out.append(e.tail or "")
            return
        if name == "hi" and SUPERSCRIPT.search(e.get("rend", "")):
            out.append(" ")  # printed small: not part of the body-size text
            out.append(e.tail or "")
            return
        if name in BLOCKS and e.get("break") != "no":
            out.append(" ")
        if name == "supplied":  # printed in square brackets
            out.append("[")
        if name == "choice":
            before, after = choice_spaces(e)
            pick = chosen(e, reading)
            out.append(" " if before else "")
            if pick is not None:
                walk_inner(pick)
            out.append(" " if after else "")
        elif name == "app":
            lem = next((k for k in e if _local(k) in ("lem", "rdg")), None)
            if lem is not None:
                walk_inner(lem)
        else:
            out.append(e.text or "")
            for child in e:
                walk(child)
        if name == "supplied":
            out.append("]")
        if name in BLOCKS and e.get("break") != "no":
            out.append(" ")
        if name in BREAKS:
            out.append(SEGMENT)
        out.append(e.tail or "")

    def walk_inner(e) -> None:
        tail, e.tail = e.tail, None
        try:
            walk(e)
        finally:
            e.tail = tail

    walk_inner(el)
    return "".join(out)


def tokens(text: str) -> list[str]:
    """Words for comparison: NFKC, lower case, hyphens dropped (so a word hyphenated at a line
    end matches its unbroken form)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[-\u2010\u2011\u00ad]", "", text)
    return re.findall(r"\w+", text)


def ngrams(seq: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(seq[i : i + n]) for i in range(max(len(seq) - n + 1, 1))} if seq else set()


# ===== The PDF, read back =====


@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def bbox_words(pdf_path: Path) -> tuple[list[Word], list[tuple[float, float]]]:
    """Every word of the PDF with its box, and the size of each page."""
    words, sizes = [], []
    for number, page in enumerate(
        run("pdftotext", "-bbox", str(pdf_path), "-").split("<page ")[1:], 1
    ):
        w, h = re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups()
        sizes.append((float(w), float(h)))
        for m in _WORD.finditer(page):
            text = (
                lxml_html.fromstring(f"<span>{m.group(5)}</span>").text_content()
                if "&" in m.group(5)
                else m.group(5)
            )
            words.append(Word(number, *map(float, m.groups()[:4]), text))
    return words, sizes


def join_words(words: list[Word]) -> list[str]:
    """Word texts in reading order, a word hyphenated at a line end joined to its rest."""
    out: list[str] = []
    previous = None
    for w in words:
        new_line = previous is not None and (w.page, w.y0) > (previous.page, previous.y1 - 1)
        if (
            new_line
            and out
            and previous.text.endswith(("-", "\u2010", "\u00ad"))
            and len(previous.text) > 1
        ):
            out[-1] = out[-1][:-1] + w.text
        else:
            out.append(w.text)
        previous = w
    return out


@lru_cache(maxsize=256)
def page_text(pdf_path: Path, page: int) -> str:
    """One page's text, line-end hyphenation undone, whitespace collapsed, NFKC."""
    text = run("pdftotext", "-f", str(page), "-l", str(page), str(pdf_path), "-")
    text = re.sub(r"[-\u2010\u00ad]\n", "", text)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_missing_glyphs(pdf_path: Path) -> set[str]:
    """Characters drawn with no glyph (tofu): their glyph id is 0 or beyond the embedded font.
    WeasyPrint still maps such a glyph to its character, so pdftotext alone cannot tell."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    missing: set[str] = set()
    seen: set[int] = set()
    for page in PdfReader(pdf_path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if id(font) in seen or "/ToUnicode" not in font or "/DescendantFonts" not in font:
                continue
            seen.add(id(font))
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            if data is None:
                continue
            glyphs = TTFont(io.BytesIO(data.get_object().get_data()))["maxp"].numGlyphs
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            pairs = [
                pair
                for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S)
                for pair in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block)
            ]
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for lo, hi, uni in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
                    pairs += [
                        (f"{g:04x}", f"{int(uni, 16) + g - int(lo, 16):04x}")
                        for g in range(int(lo, 16), int(hi, 16) + 1)
                    ]
            for gid, uni in pairs:
                if int(gid, 16) == 0 or int(gid, 16) >= glyphs:
                    text = bytes.fromhex(uni).decode("utf-16-be", errors="replace")
                    missing.update(c for c in text if not c.isspace())
    return missing


@dataclass
class Edition:
    """A TEI document rendered to HTML and PDF, with what the tests read from both."""

    source: Path
    tree: etree._ElementTree
    html: str
    pdf: Path
    reading: str = "normalised"

    @cached_property
    def bbox(self):
        return bbox_words(self.pdf)

    @property
    def words(self) -> list[Word]:
        return self.bbox[0]

    @cached_property
    def body_height(self) -> float:
        """The body type: the largest word height that a tenth of the words have (notes may
        outnumber the text; headings are larger but few)."""
        heights = Counter(round(w.height, 1) for w in self.words if w.page >= 3)
        total = sum(heights.values())
        return max(h for h, n in heights.items() if n >= 0.1 * total)

    def body_words(self) -> list[str]:
        """Words in body type or larger (headings): no footnotes, calls, marks or running heads."""
        return join_words([w for w in self.words if w.height >= 0.845 * self.body_height])

    def note_words(self) -> list[str]:
        """Words in footnote type (smaller than the body, larger than calls and margin marks)."""
        return join_words(
            [
                w
                for w in self.words
                if 0.72 * self.body_height <= w.height < 0.845 * self.body_height
            ]
        )

    @cached_property
    def dom(self):
        return lxml_html.fromstring(self.html.encode("utf-8"))

    @property
    def text(self):
        return self.tree.getroot().find(f".//{TEI}text")

    def notes(self):
        """The TEI notes printed as footnotes (not notes inside notes)."""
        return [
            n
            for n in self.text.iter(f"{TEI}note")
            if not any(_local(a) == "note" for a in n.iterancestors())
        ]


def render_edition(source: Path, out: Path, *, trim: int | None = None, **params) -> Edition:
    doc, diags = load(source)
    assert doc is not None, diags
    if trim:
        trim_body(doc.tree, trim)
    p = {**PARAMS, "source-name": source.stem, **params}
    html = transform.render(doc.tree, "print", p)
    target = out / f"{source.stem}.pdf"
    pdf.write_pdf(html, target, paper=p["paper"])
    return Edition(source, doc.tree, html, target, p["reading"])


def trim_body(tree, budget: int) -> None:
    """Keep about ``budget`` characters of the text (the first pages): PDFs stay quick."""

    def size(e) -> int:
        return len("".join(e.itertext()))

    def cut(e, left: int) -> int:
        for child in list(e):
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            if left <= 0:
                e.remove(child)
            elif size(child) <= left:
                left -= size(child)
            else:
                left = cut(child, left)
        return left

    for body in tree.getroot().iter(f"{TEI}body"):
        cut(body, budget)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def edition(request, tmp_path_factory) -> Edition:
    return render_edition(request.param, tmp_path_factory.mktemp("pdf"))


def printed_tokens(ed: Edition) -> set[str]:
    """Every word of the PDF: the text and the notes each with line-end hyphenation undone, and
    all words as they stand (a hyphen that ends a line may belong to the word: "Offensiv- und")."""
    return (
        set(tokens(" ".join(ed.body_words())))
        | set(tokens(" ".join(ed.note_words())))
        | {t for w in ed.words for t in tokens(w.text)}
    )


def missing_ngrams(expected: str, found: list[str], n: int = 3) -> list[str]:
    """The word n-grams of the ``expected`` text (segment by segment) not among ``found``'s."""
    have = ngrams(found, n)
    want = set().union(*(ngrams(tokens(seg), n) for seg in expected.split(SEGMENT)))
    return [" ".join(g) for g in sorted(want - have, key=str)]


# ===== The text, the notes, the characters =====


def test_pdf_contains_the_whole_reading_text(edition: Edition):
    expected = reading_text(edition.text, edition.reading)
    assert len(tokens(expected)) > 50
    missing = missing_ngrams(expected, tokens(" ".join(edition.body_words())))
    assert not missing, (
        f"{len(missing)} word trigrams of the text are not in the PDF: {missing[:10]}"
    )


def test_pdf_contains_every_note(edition: Edition):
    found = tokens(" ".join(edition.note_words()))
    notes = edition.notes()
    assert notes, "the sample should have notes"
    for note in notes:
        expected = reading_text(note, edition.reading, in_note=True)
        missing = missing_ngrams(expected, found, min(3, len(tokens(expected))))
        assert not missing, f"note {expected.strip()[:60]!r} is not in the footnotes: {missing[:5]}"


# ===== Footnote order and the lines of the text =====

_FN = 'contains(concat(" ", @class, " "), " fn ")'
_APP = 'contains(concat(" ", @class, " "), " fn-app ")'


def apparatus_lines(ed: Edition) -> set[tuple[int, int]]:
    """(page, rounded bottom) of the lines of the critical apparatus at the foot of a page
    that begin with a line number: its next word follows at once, where a note's text begins
    past its number, at the indent of the notes (5 mm)."""
    small = [w for w in ed.words if 0.72 * ed.body_height <= w.height < 0.845 * ed.body_height]
    rows: dict[tuple[int, int], list[Word]] = {}
    for w in small:
        rows.setdefault((w.page, round(w.y1)), []).append(w)
    found = set()
    for key, row in rows.items():
        row.sort(key=lambda w: w.x0)
        if len(row) > 1 and row[0].text.isdigit() and row[1].x0 - row[0].x0 < 10:
            found.add(key)
    return found


def footnote_markers(ed: Edition) -> list[tuple[int, int]]:
    """(page, number) of each footnote's marker, in reading order: a number in footnote type at
    the left edge of the text (the notes' own lines are indented past it), not in a line of the
    apparatus."""
    left = min(w.x0 for w in ed.words if w.page >= 3 and w.height >= 0.845 * ed.body_height)
    height = ed.bbox[1][0][1]
    apparatus = apparatus_lines(ed)
    markers = [
        w
        for w in ed.words
        if 0.72 * ed.body_height <= w.height < 0.845 * ed.body_height
        and abs(w.x0 - left) < 2
        and w.text.isdigit()
        and 65 < w.y0
        and w.y1 < height - 65  # not a page number
        and (w.page, round(w.y1)) not in apparatus
    ]
    return [(w.page, int(w.text)) for w in sorted(markers, key=lambda w: (w.page, w.y0))]


def footnote_calls(ed: Edition) -> dict[int, int]:
    """Footnote number -> page of its call (the first call, should a number recur): numbers set
    small and raised within a line of the text."""
    body = [w for w in ed.words if w.height >= 0.845 * ed.body_height]
    left, right = min(w.x0 for w in body), max(w.x1 for w in body)
    calls: dict[int, int] = {}
    for w in ed.words:
        if (
            w.text.isdigit()
            and w.height < 0.72 * ed.body_height
            and left <= w.x0
            and w.x1 <= right
            and any(b.page == w.page and b.y0 - 1 <= w.y0 and w.y1 <= b.y1 + 1 for b in body)
        ):
            calls.setdefault(int(w.text), w.page)
    return calls


def index_start(ed: Edition) -> int:
    """The first page of the index of names (past the last page when there is none)."""
    title = ed.dom.xpath('string(//*[contains(@class, "index-title")])').split()
    for page in sorted({w.page for w in ed.words}):
        heading = [w.text for w in ed.words if w.page == page and w.height > 1.1 * ed.body_height]
        if title and " ".join(title) in " ".join(heading):
            return page
    return max(w.page for w in ed.words) + 1


def full_lines(ed: Edition, kind: str) -> list[tuple[int, list[Word]]]:
    """The lines of running text (``kind`` "body" or "note") that fill the measure, each with
    every word within its height and the text column (calls and smaller type included), before
    the index (its columns are not lines)."""
    if kind == "body":
        typed = [w for w in ed.words if w.height >= 0.845 * ed.body_height]
    else:
        typed = [w for w in ed.words if 0.72 * ed.body_height <= w.height < 0.845 * ed.body_height]
    column = [w for w in ed.words if w.page >= 2 and w.height >= 0.845 * ed.body_height]
    left, right = min(w.x0 for w in column), max(w.x1 for w in column)
    stop = index_start(ed)
    rows: dict[tuple[int, int], list[Word]] = {}
    for w in typed:
        if 2 <= w.page < stop and w.x0 >= left - 1 and w.x1 <= right + 1:
            rows.setdefault((w.page, round(w.y1)), []).append(w)
    lines = []
    for (page, _), row in sorted(rows.items()):
        top, bottom = min(w.y0 for w in row), max(w.y1 for w in row)
        words = sorted(
            (
                w
                for w in ed.words
                if w.page == page
                and top - 1 <= (w.y0 + w.y1) / 2 <= bottom + 1
                and w.x0 >= left - 1
                and w.x1 <= right + 1
            ),
            key=lambda w: w.x0,
        )
        if len(words) > 1 and words[-1].x1 >= right - 1:
            lines.append((page, words))
    return lines


def test_footnotes_are_printed_in_the_order_of_their_calls(edition: Edition):
    markers = footnote_markers(edition)
    notes = edition.dom.xpath(f"//*[{_FN}][not(ancestor::*[{_FN}])][not({_APP})]")
    assert len(markers) == len(notes), (
        f"{len(notes)} footnotes in the HTML, {len(markers)} numbered ones found in the PDF"
    )
    for (_, before), (page, after) in zip(markers, markers[1:], strict=False):
        assert after > before, f"page {page}: footnote {after} is printed after footnote {before}"


def test_footnotes_are_on_the_page_of_their_call(edition: Edition):
    # print.css has footnote-policy: line, so a note that does not fit takes its call along to
    # the next page; it may be carried over only when its call is in a page's first line.
    calls = footnote_calls(edition)
    markers = footnote_markers(edition)
    assert set(calls) == {n for _, n in markers}, "footnote calls and notes do not match"
    first_line = {}
    for w in edition.words:
        if w.height >= 0.845 * edition.body_height and w.page >= 3:
            first_line[w.page] = min(first_line.get(w.page, w.y1), w.y1)
    for page, number in markers:
        if calls[number] == page:
            continue
        call = next(
            w
            for w in edition.words
            if w.text == str(number)
            and w.page == calls[number]
            and w.height < 0.72 * edition.body_height
        )
        assert page > calls[number] and call.y1 <= first_line[call.page] + 1, (
            f"footnote {number} is on page {page}, its call on page {calls[number]}"
        )


def test_no_line_of_the_text_is_stretched(edition: Edition):
    """A justified line has gaps of about a space between its words: a gap of three ems or more
    is a short line forced to the full measure (WeasyPrint 70 made one of a line that ended in a
    footnote call and a hyphenated word)."""
    for kind in ("body", "note"):
        lines = full_lines(edition, kind)
        assert kind == "note" or len(lines) > 5, "no lines of the text found"
        for page, words in lines:
            height = max(w.height for w in words)
            gap, a, b = max(
                ((b.x0 - a.x1, a, b) for a, b in zip(words, words[1:], strict=False)),
                key=lambda g: g[0],
            )
            assert gap <= 2.2 * height, (  # type height ≈ 1.36 em: 2.2 × height ≈ 3 em
                f"page {page}: a gap of {gap:.0f} pt between {a.text!r} and {b.text!r} in "
                f"{' '.join(w.text for w in words)!r}"
            )


def test_every_character_is_printed_with_a_glyph(edition: Edition):
    text = reading_text(edition.text, edition.reading) + " ".join(
        reading_text(n, edition.reading, in_note=True) for n in edition.notes()
    )
    printed = unicodedata.normalize("NFC", run("pdftotext", str(edition.pdf), "-"))
    chars = {c for c in unicodedata.normalize("NFC", text) if not c.isspace() and c != SEGMENT}
    assert not chars - set(printed), (
        f"characters missing from the PDF: {sorted(chars - set(printed))}"
    )
    assert not pdf_missing_glyphs(edition.pdf), "characters drawn without a glyph (tofu)"


def test_missing_glyph_check_can_fail(tmp_path: Path):
    html = (
        '<html lang="en"><head><title>t</title></head>'
        "<body><p>A private-use character: \ue000.</p></body></html>"
    )
    pdf.write_pdf(html, tmp_path / "tofu.pdf")
    assert pdf_missing_glyphs(tmp_path / "tofu.pdf") == {"\ue000"}


# ===== Index of names =====


def test_index_pages_point_at_the_mentions(edition: Edition):
    from pypdf import PdfReader

    entries = edition.dom.xpath('//li[@class="ix-entry"]')
    if not entries:
        pytest.skip("no indexed names in this sample")
    reader = PdfReader(edition.pdf)
    page_of = {
        name: reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }
    owner = {
        m: e
        for e in entries
        for m in e.xpath(".//*[@data-mentions]")[0].get("data-mentions").split()
    }
    sizes = edition.bbox[1]
    printed: dict[object, list[int]] = {}
    for number, page in enumerate(reader.pages, 1):
        height = sizes[number - 1][1]
        words = [w for w in edition.words if w.page == number]
        seen_rects = set()
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            dest = annot.get("/Dest")
            if annot.get("/Subtype") != "/Link" or dest not in owner:
                continue
            x0, y0, x1, y1 = map(float, annot["/Rect"])
            rect = (round(x0), round(min(y0, y1)))
            if rect in seen_rects:  # WeasyPrint writes some links twice
                continue
            seen_rects.add(rect)
            top, bottom = height - max(y0, y1), height - min(y0, y1)
            label = "".join(
                w.text
                for w in words
                if x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1
                and top - 1 <= (w.y0 + w.y1) / 2 <= bottom + 1
            )
            label = label.strip(",")
            assert label.isdigit(), f"index link to {dest} shows {label!r}"
            assert int(label) == page_of[dest], (
                f"index says p. {label}, the anchor is on p. {page_of[dest]}"
            )
            mention = copy.deepcopy(edition.dom.get_element_by_id(dest))
            for fn in mention.xpath('.//*[contains(concat(" ", @class, " "), " fn ")]'):
                fn.drop_tree()
            form = " ".join(unicodedata.normalize("NFKC", mention.text_content()).split())
            assert form in page_text(edition.pdf, int(label)), (
                f"{form!r} ({owner[dest].get('data-key')}) is not on p. {label}"
            )
            printed.setdefault(owner[dest], []).append(int(label))
    for entry in entries:
        mentions = entry.xpath(".//*[@data-mentions]")[0].get("data-mentions").split()
        pages = sorted({page_of[m] for m in mentions})
        assert sorted(printed.get(entry, [])) == pages, (
            f"{entry.get('data-key')}: index lists {printed.get(entry)}, mentions are on {pages}"
        )


def test_index_uses_the_normalised_names(edition: Edition):
    entries = edition.dom.xpath('//li[@class="ix-entry"]')
    if not entries:
        pytest.skip("no indexed names in this sample")
    root = edition.tree.getroot()
    by_id = {
        el.get("{http://www.w3.org/XML/1998/namespace}id"): el
        for el in root.iter()
        if isinstance(el.tag, str) and el.get("{http://www.w3.org/XML/1998/namespace}id")
    }
    referenced = {
        t[1:]
        for el in edition.text.iter()
        if isinstance(el.tag, str)
        for t in (el.get("ref") or "").split()
        if t.startswith("#")
    }
    checked = 0
    for entry in entries:
        key = entry.get("data-key")
        shown = entry.xpath('string(.//*[@class="ix-name"])')
        if key.startswith("#") and key[1:] in by_id:
            target = by_id[key[1:]]
            forms = set()
            for name in target:
                if _local(name) in ("persName", "placeName", "orgName", "name"):
                    forms.add(" ".join("".join(name.itertext()).split()))
                    surname = [
                        " ".join("".join(s.itertext()).split())
                        for s in name
                        if _local(s) == "surname"
                    ]
                    fore = [
                        " ".join("".join(s.itertext()).split())
                        for s in name
                        if _local(s) == "forename"
                    ]
                    if surname:
                        forms.add(", ".join(filter(None, [" ".join(surname), " ".join(fore)])))
            # persons may be inverted for the index ("Hitler, Adolf")
            same_words = any(
                sorted(shown.replace(",", "").split()) == sorted(f.replace(",", "").split())
                for f in forms
            )
            assert shown in forms or same_words, (
                f"index name {shown!r} for {key} is none of {forms}"
            )
            checked += 1
    assert checked == len(
        [k for k in referenced if k in by_id and any(e.get("data-key") == "#" + k for e in entries)]
    )


# ===== Title page, running heads, margins, metadata, fonts, paper =====


def test_title_page_cites_source_and_edition(edition: Edition):
    page1 = page_text(edition.pdf, 1)
    header = edition.tree.getroot().find(f"{TEI}teiHeader")
    title = " ".join("".join(header.find(f".//{TEI}titleStmt/{TEI}title").itertext()).split())
    assert title in page1
    assert "Source" in page1 and "This edition" in page1
    quotes = str.maketrans("‘’“”", "''\"\"")  # a title within quotation marks gets single ones
    for tag in ("author", "title", "date", "biblScope"):
        for el in header.iterfind(f".//{TEI}sourceDesc/{TEI}biblStruct//{TEI}{tag}"):
            text = " ".join("".join(el.itertext()).split()).translate(quotes).replace('"', "'")
            assert text in page1.translate(quotes).replace('"', "'"), f"source {tag} missing"
    assert "Editorial statement" in page_text(edition.pdf, 2)


def test_running_heads_and_page_numbers(edition: Edition):
    pages = max(w.page for w in edition.words)
    height = edition.bbox[1][0][1]
    band = 65  # points: the running head and the page number sit within 23 mm of the edge

    def top(n):
        return " ".join(w.text for w in edition.words if w.page == n and w.y1 < band)

    def bottom(n):
        return [w.text for w in edition.words if w.page == n and w.y0 > height - band]

    assert top(1) == "" and bottom(1) == [], "the title page has no running head or number"
    title = edition.dom.xpath("string(//h1/@data-running-title)")
    author = edition.dom.xpath("string(//body/@data-running-author)")
    heads = []
    for n in range(2, pages + 1):
        if not any(w.page == n for w in edition.words):
            continue  # a blank page
        assert str(n) in bottom(n), f"page {n} has no page number"
        heads.append((n, top(n).lower()))
    # the editorial statement has none; from the text on, every page has one
    first = next(i for i, (n, head) in enumerate(heads) if head)
    for n, head in heads[first:]:
        assert head in (title.lower(), author.lower(), "index of names"), f"page {n}: {head!r}"
        assert head == (title.lower() if n % 2 else author.lower()) or head == "index of names"


def test_source_page_breaks_are_in_the_margin(edition: Edition):
    pbs = [pb.get("n") for pb in edition.text.iter(f"{TEI}pb") if pb.get("n")]
    if not pbs:
        pytest.skip("no numbered page breaks")
    body_left = min(
        w.x0 for w in edition.words if w.page >= 3 and w.height >= 0.845 * edition.body_height
    )
    for n in pbs:
        marks = [w for w in edition.words if w.text == f"{n}]" and w.x1 < body_left]
        assert marks, f"no marginal [p. {n}]"


def test_pdf_metadata_and_tags(edition: Edition):
    from pypdf import PdfReader

    info = dict(re.findall(r"^([\w ]+):\s+(.*)$", run("pdfinfo", str(edition.pdf)), re.M))
    titles = edition.tree.getroot().findall(f"{TEI}teiHeader//{TEI}titleStmt/{TEI}title")
    assert info["Title"].startswith(" ".join("".join(titles[0].itertext()).split()))
    author = edition.tree.getroot().find(f"{TEI}teiHeader//{TEI}titleStmt/{TEI}author")
    if author is not None:
        assert info["Author"] == " ".join(" ".join(author.itertext()).split())
    assert info["Tagged"] == "yes"
    assert info["CreationDate"].endswith("2025 UTC")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    lang = edition.text.get(xml_lang) or edition.tree.getroot().get(xml_lang) or "en"
    assert PdfReader(edition.pdf).trailer["/Root"]["/Lang"] == lang


def test_fonts_are_embedded(edition: Edition):
    rows = run("pdffonts", str(edition.pdf)).splitlines()[2:]
    assert rows, "no fonts"
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", f"font not embedded: {row}"


MINIMAL = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc>
<titleStmt><title>Paper</title></titleStmt><publicationStmt><p/></publicationStmt>
<sourceDesc><p>None.</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>A page of text.</p></body></text></TEI>"""


@pytest.mark.parametrize(
    "xslt_paper, pdf_paper, size",
    [
        ("a4", "a4", "595.276 x 841.89 pts (A4)"),
        ("letter", "letter", "612 x 792 pts (letter)"),
        ("a4", "letter", "612 x 792 pts (letter)"),  # the option of write_pdf wins
    ],
)
def test_paper_size(tmp_path: Path, xslt_paper: str, pdf_paper: str, size: str):
    tree = etree.ElementTree(etree.fromstring(MINIMAL))
    html = transform.render(tree, "print", {**PARAMS, "paper": xslt_paper})
    assert f"size: {'letter' if xslt_paper == 'letter' else 'A4'};" in html
    pdf.write_pdf(html, tmp_path / "p.pdf", paper=pdf_paper)
    info = run("pdfinfo", str(tmp_path / "p.pdf"))
    assert re.search(r"Page size:\s+" + re.escape(size), info), info


def test_bad_paper_is_an_error(tmp_path: Path):
    with pytest.raises(TransformError, match="paper"):
        pdf.write_pdf("<html></html>", tmp_path / "x.pdf", paper="a5")


def test_unwritable_target_is_an_error(tmp_path: Path):
    html = transform.render(etree.ElementTree(etree.fromstring(MINIMAL)), "print", PARAMS)
    with pytest.raises(TransformError):
        pdf.write_pdf(html, tmp_path / "no" / "such" / "folder" / "x.pdf")


def test_footnote_longer_than_a_page_is_an_error(tmp_path: Path):
    words = " ".join(f"word{i}" for i in range(3000))
    html = (
        f'<html lang="en"><head><title>t</title><style>.fn {{ float: footnote }}</style></head>'
        f'<body><p>Text<span class="fn">{words}</span>.</p></body></html>'
    )
    with pytest.raises(TransformError, match="footnote"):
        pdf.write_pdf(html, tmp_path / "x.pdf")


def test_footnotes_weasyprint_would_lose_are_printed(tmp_path: Path):
    # lost-footnote.html makes WeasyPrint 70 drop a note under widow control; pdf.py lays it
    # out again without. Whatever WeasyPrint does, every note must be in the PDF.
    html = (DATA / "lost-footnote.html").read_text(encoding="utf-8")
    pdf.write_pdf(html, tmp_path / "x.pdf")
    printed = " ".join(run("pdftotext", str(tmp_path / "x.pdf"), "-").split())
    notes = re.findall(r'<span class="fn">(.*?)</span>', html)
    assert len(notes) == 16
    assert [n for n in notes if n not in printed] == []


def test_widow_control_keeps_every_footnote(monkeypatch):
    # With WeasyPrint's line layout mended (pdf._mend_weasyprint), the layout with widow and
    # orphan control places all notes of lost-footnote.html, in order: no second attempt.
    attempts = []
    real = pdf._render

    def render(html, size, extra_css, **kw):
        attempts.append(extra_css)
        return real(html, size, extra_css, **kw)

    monkeypatch.setattr(pdf, "_render", render)
    pdf.render_document((DATA / "lost-footnote.html").read_text(encoding="utf-8"))
    assert attempts == [""]


def test_footnotes_out_of_order_are_laid_out_again(monkeypatch, tmp_path: Path):
    checks = []

    def disordered(doc):
        checks.append(1)
        raise pdf._DisorderedFootnotes("page 2 prints a footnote after one that follows it")

    monkeypatch.setattr(pdf, "_check_footnote_order", disordered)
    html = (DATA / "lost-footnote.html").read_text(encoding="utf-8")
    pdf.write_pdf(html, tmp_path / "x.pdf")  # out of order in every layout: printed all the same
    assert len(checks) == 2  # with widow control, then without
    printed = " ".join(run("pdftotext", str(tmp_path / "x.pdf"), "-").split())
    assert all(n in printed for n in re.findall(r'<span class="fn">(.*?)</span>', html))


def test_footnote_order_check_can_fail():
    html = (DATA / "lost-footnote.html").read_text(encoding="utf-8")
    doc, _ = pdf.render_document(html)
    pdf._check_footnote_order(doc)
    # swap the first two notes of the first page that has two
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    area = next(
        a
        for page in doc.pages
        for a in page._page_box.children
        if isinstance(a, FootnoteAreaBox) and len(a.children) >= 2
    )
    area.children = [area.children[1], area.children[0], *area.children[2:]]
    with pytest.raises(pdf._DisorderedFootnotes):
        pdf._check_footnote_order(doc)


def test_text_whose_trailing_space_hangs_is_not_broken(tmp_path: Path):
    # Text before an inline element that fits the line only once its trailing space hangs:
    # WeasyPrint 70 broke it after "The pre-" and justified those two words over the line.
    words = "The pretexts for removal vary as they have in the past. Thus"
    style = "font-family: 'DejaVu Serif'; font-size: 16px; hyphens: auto; text-align: justify"
    probe = (
        f'<html lang="en"><head><title>t</title></head><body style="margin: 0">'
        f'<p style="{style}; width: 2000px">{words}</p></body></html>'
    )
    pdf.write_pdf(probe, tmp_path / "probe.pdf")
    found, _ = bbox_words(tmp_path / "probe.pdf")
    width = found[-1].x1 - found[0].x0  # pt, the trailing space not included
    html = (
        f'<html lang="en"><head><title>t</title></head><body style="margin: 0">'
        f'<p style="{style}; width: {width + 1:.2f}pt">{words} <span>Rudzutak</span>, a member '
        f"of the Political Bureau whom we last reported as in disgrace.</p></body></html>"
    )
    pdf.write_pdf(html, tmp_path / "x.pdf")
    found, _ = bbox_words(tmp_path / "x.pdf")
    first = [w.text for w in found if w.y0 < found[0].y1 - 1]
    assert first == words.split(), f"the first line is {' '.join(first)!r}"


def test_lost_footnotes_that_stay_lost_are_printed_in_the_text(monkeypatch, tmp_path: Path):
    """Footnotes WeasyPrint loses with and without widow control are printed in the text, in
    brackets, rather than the document getting no PDF."""
    attempts = []

    def lose(html, doc):
        attempts.append(html)
        raise pdf._LostFootnotes("1 of 2 footnotes were placed")

    monkeypatch.setattr(pdf, "_check_footnotes", lose)
    noted = MINIMAL.replace("A page of text.", "A page<note>Lost below.</note> of text.")
    html = transform.render(etree.ElementTree(etree.fromstring(noted)), "print", PARAMS)
    pdf.write_pdf(html, tmp_path / "x.pdf")
    assert len(attempts) == 2  # with widow control, then without; the third is not checked
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "x.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "[Lost below.]" in " ".join(text.split())


def test_a_build_says_when_the_notes_went_into_the_text(monkeypatch, tmp_path: Path):
    """The last resort is reported: the document's build has a print-notes warning, and only
    where it was taken."""
    from toolkit.builder import BuildOptions, build
    from toolkit.project.config import load_project

    (tmp_path / "tei").mkdir()
    noted = MINIMAL.replace("A page of text.", "A page<note>Lost below.</note> of text.")
    (tmp_path / "tei" / "lost.xml").write_text(noted, encoding="utf-8")
    (tmp_path / "tei" / "kept.xml").write_text(noted.replace("Lost", "Kept"), encoding="utf-8")
    (tmp_path / "teikit.toml").write_text('title = "Notes"\nformats = ["pdf"]\n')
    real = pdf._check_footnotes

    def lose(html, doc):
        if "Lost below." in html:
            raise pdf._LostFootnotes("1 of 2 footnotes were placed")
        return real(html, doc)

    monkeypatch.setattr(pdf, "_check_footnotes", lose)
    report = build(load_project(tmp_path), BuildOptions(validate=False, jobs=1,
                                                        build_date="2026-01-01"))
    noted_in_text = [d for d in report.findings if d.rule == "print-notes"]
    assert [d.path for d in noted_in_text] == ["tei/lost.xml"]
    assert noted_in_text[0].severity == "warning"
    assert (tmp_path / "output" / "pdf" / "lost.pdf").is_file()


def test_index_falls_back_to_generated_numbers(monkeypatch):
    # Should the first layout's pages not hold in the final one, the index is laid out again
    # with target-counter() links, which cannot be wrong.
    real = pdf.anchor_pages
    calls = []

    def first_one_wrong(doc):
        calls.append(1)
        pages = real(doc)
        return {a: p + 1 for a, p in pages.items()} if len(calls) == 1 else pages

    monkeypatch.setattr(pdf, "anchor_pages", first_one_wrong)
    doc, _ = load(DATA / "wright-sample.xml")
    html = transform.render(doc.tree, "print", PARAMS)
    _, final = pdf.render_document(html)
    assert 'class="ix-ref"' in final and 'class="ix-page"' not in final


def test_index_is_deduplicated_by_page():
    html = (
        '<span class="ix-pages" data-mentions="a b c d"><a class="ix-ref" href="#a"></a>, '
        '<a class="ix-ref" href="#b"></a>, <a class="ix-ref" href="#c"></a>, '
        '<a class="ix-ref" href="#d"></a></span>'
    )
    out = pdf.dedupe_index(html, {"a": 3, "b": 3, "c": 5, "d": 3})
    assert re.findall(r'href="#(\w)">(\d)<', out) == [("a", "3"), ("c", "5")]
    out = pdf.dedupe_index(html, {"a": 3, "b": 3, "c": 5, "d": 3}, numbers=False)
    assert re.findall(r'<a class="ix-ref" href="#(\w)"></a>', out) == ["a", "c"]


# ===== The editorial level =====


@pytest.mark.parametrize(
    "reading, shown, hidden",
    [
        ("normalised", ["Zürcher", "becomes", "Pyatakov"], ["Zuericher", "Piatakov"]),
        ("original", ["Zuericher", "become", "Piatakov"], ["Zürcher", "Pyatakov"]),
    ],
)
def test_reading_level_comes_from_the_common_layer(reading, shown, hidden):
    doc, _ = load(DATA / "wright-sample.xml")
    out = transform.render(doc.tree, "print", {**PARAMS, "reading": reading})
    text = lxml_html.fromstring(out.encode()).xpath("string(//main)")
    for word in shown:
        assert word in text
    for word in hidden:
        assert word not in text


def test_html_survives_the_html5_parser(edition: Edition):
    """WeasyPrint parses HTML5, which closes a <p> at any block start tag and then makes an
    empty <p> of the stray end tag: the stylesheets must never put a block inside a <p>."""
    import tinyhtml5

    parsed = tinyhtml5.parse(edition.html, namespace_html_elements=False)
    written = len(re.findall(r"<p[\s>]", edition.html))
    assert len(list(parsed.iter("p"))) == written


def test_project_overlay_of_print_css_wins(tmp_path: Path):
    from toolkit.project.config import load_project

    (tmp_path / "tei").mkdir()
    (tmp_path / "xslt" / "print").mkdir(parents=True)
    (tmp_path / "xslt" / "print" / "print.css").write_text("/* overlay */ .fn { color: red; }")
    (tmp_path / "teikit.toml").write_text('title = "Overlay"\n')
    project = load_project(tmp_path)
    tree = etree.ElementTree(etree.fromstring(MINIMAL))
    html = transform.render(tree, "print", PARAMS, project)
    assert "/* overlay */ .fn { color: red; }" in html
    assert "Noto Serif" not in html  # ours is replaced, not added to
    assert "Noto Serif" in transform.render(tree, "print", PARAMS)


def test_features_render_as_expected():
    doc, _ = load(DATA / "features.xml")
    out = lxml_html.fromstring(transform.render(doc.tree, "print", PARAMS).encode())
    assert out.xpath('//*[@class="lnum"]/text()') == ["5", "10"]
    assert "mysterious words survive" in out.xpath("string(//main)")
    assert "an unknown TEI element" in out.xpath("string(//main)")
    assert out.xpath('//*[contains(@class, "speaker")]')
    assert out.xpath("//table//th")
    entry = out.xpath('//span[contains(@class, "fn-app")]')[0]
    key = entry.xpath('b[@class="app-ln"]')[0]  # the printed line, filled from the layout
    assert out.get_element_by_id(key.get("data-for")).text_content() == "cano"
    words = entry.text_content()[len(key.text_content()):]
    assert words.startswith("cano M]") and "canto P R" in words and "om. V" in words
    # a note with @target is printed once, at its anchor
    assert (
        len(out.xpath('//span[contains(@class, "fn")][contains(., "printed at its anchor")]')) == 1
    )


# ===== Documents from the corpora =====

CORPUS = [
    ("gerdracor/glassbrenner-die-juengste-walpurgisnacht.xml", 5000),  # drama in verse
    ("escher-briefe/K_0133_AE_an_Heer_Oswald_1836-10-12_1836-10-17.xml", 7000),  # a letter
    ("perseus-latin/phi0474.phi002.perseus-lat2.xml", 5000),  # Latin, apparatus, Greek sigla
]


@pytest.mark.skipif(not CORPORA.is_dir(), reason=f"the shared corpora are not at {CORPORA}")
@pytest.mark.parametrize("name, budget", CORPUS, ids=[c[0].split("/")[0] for c in CORPUS])
def test_corpus_document_prints_its_words(tmp_path: Path, name: str, budget: int):
    ed = render_edition(CORPORA / name, tmp_path, trim=budget)
    printed = printed_tokens(ed)
    expected = tokens(
        reading_text(ed.text) + " " + " ".join(reading_text(n, in_note=True) for n in ed.notes())
    )
    assert len(expected) > 200
    missing = sorted(set(expected) - set(printed))
    assert not missing, f"words of the text missing from the PDF: {missing[:20]}"
    assert not pdf_missing_glyphs(ed.pdf)
    test_html_survives_the_html5_parser(ed)
    run_info = run("pdfinfo", str(ed.pdf))
    assert "Tagged:          yes" in run_info


def test_margin_marks_that_follow_one_another_do_not_overprint(tmp_path: Path):
    """A column break and a chapter between two paragraphs: each mark has a line of its own in
    the margin (they were printed on one another)."""
    source = tmp_path / "marks.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>M'
        "</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>"
        "</sourceDesc></fileDesc></teiHeader><text><body><p>One paragraph.</p>"
        '<cb n="2"/> <milestone unit="chapter" n="7"/><milestone unit="section" n="9"/>'
        "<p>Another paragraph.</p></body></text></TEI>", encoding="utf-8")
    ed = render_edition(source, tmp_path)
    words, _ = bbox_words(ed.pdf)
    marks = [w for w in words if w.text in ("col.", "chapter", "section")]
    assert len(marks) == 3, [w.text for w in words]
    for a, b in zip(marks, marks[1:], strict=False):
        assert a.page == b.page and b.y0 >= a.y1 - 0.5, (a, b)
