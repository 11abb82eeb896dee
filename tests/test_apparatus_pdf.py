"""The print apparatus, read back from the PDF (``pdftotext -bbox``, as tests/test_pdf.py): a
prose critical edition of a few pages, made here with an entry on a word of its own
("lectio7] lectionis7 B") every few words and a note now and then.

On every page: every fifth line of the text is numbered in the left margin, at that line; the
entries stand at the foot of the page, below its notes, each under the number of the printed
line of its lemma (a number shared with the entry before is printed once); every entry is
printed once, in the order of the text, on the page of its lemma. Pictures of the pages go to
tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require
from test_pdf import bbox_words

from toolkit import transform
from toolkit.load import load
from toolkit.print import pdf

require(all(shutil.which(t) for t in ("pdftotext", "pdftoppm")),
        "poppler-utils (pdftotext, pdftoppm) is not installed")

ARTIFACTS = Path(__file__).parent / "artifacts"
PARAMS = {"reading": "normalised", "site-title": "T", "build-date": "2025-01-01",
          "language": "en", "paper": "a4", "source-name": "critical"}
VOCABULARY = ("arma virumque cano troiae qui primus ab oris italiam fato profugus laviniaque "
              "venit litora multum ille et terris iactatus alto vi superum saevae memorem "
              "iunonis ob iram").split()


def critical_edition(paragraphs: int = 9, seed: int = 3) -> tuple[str, int]:
    """A TEI critical edition of some pages and the number of its entries."""
    rng = random.Random(seed)
    parts, n = [], 0
    for _ in range(paragraphs):
        words = []
        for _ in range(rng.randint(70, 120)):
            r = rng.random()
            if r < 0.09:
                n += 1
                words.append(f'<app><lem wit="#A">lectio{n}</lem><rdg wit="#B">lectionis{n}</rdg>'
                             "</app>")
            elif r < 0.105:
                words.append(f"{rng.choice(VOCABULARY)}<note>A note of the editors on this "
                             "word.</note>")
            else:
                words.append(rng.choice(VOCABULARY))
        parts.append("<p>" + " ".join(words) + ".</p>")
    tei = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>
<title>A critical text</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc>
<listWit><witness xml:id="A">Codex A</witness><witness xml:id="B">Codex B</witness></listWit>
</sourceDesc></fileDesc></teiHeader><text xml:lang="la"><body><div><head>Liber</head>
{"".join(parts)}</div></body></text></TEI>"""
    return tei, n


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("critical")
    tei, entries = critical_edition()
    source = folder / "critical.xml"
    source.write_text(tei, encoding="utf-8")
    doc, _ = load(source)
    html = transform.render(doc.tree, "print", PARAMS)
    target = folder / "critical.pdf"
    pdf.write_pdf(html, target)
    words, _ = bbox_words(target)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "3", "-l", "4", str(target),
                    str(ARTIFACTS / "apparatus-pdf-page")], check=True)
    return words, entries


def rows(words, low: float, high: float, left: float | None = None):
    """Lines of words of a type size between low and high (pt), by page: [(y, [words])]."""
    out: dict[int, dict[int, list]] = {}
    for w in words:
        if low <= w.height < high and (left is None or w.x0 >= left - 1):
            out.setdefault(w.page, {}).setdefault(round(w.y1), []).append(w)
    return {page: [(y, sorted(ws, key=lambda w: w.x0)) for y, ws in sorted(lines.items())]
            for page, lines in out.items()}


def layout(words):
    heights = sorted(round(w.height, 1) for w in words)
    body = max(set(heights), key=heights.count)  # the size of the text's type
    text = [w for w in words if abs(w.height - body) < 0.5]
    left = min(w.x0 for w in text)
    lines = rows(words, body - 0.5, body + 0.5, left)
    small = rows(words, 0.5 * body, 0.85 * body, left)
    margin = [w for w in words if w.x1 < left - 2 and w.text.isdigit()]
    return lines, small, margin, left


def test_every_fifth_line_is_numbered_in_the_margin(printed):
    words, _ = printed
    lines, _, margin, _ = layout(words)
    pages = [p for p in lines if any("lectio" in w.text for _, ws in lines[p] for w in ws)]
    assert len(pages) >= 2, "the test edition runs over several pages"
    for page in pages:
        body = [y for y, ws in lines[page] if ws[0].text != "Liber"]
        marks = sorted((w.y1, int(w.text)) for w in margin if w.page == page)
        assert [n for _, n in marks] == list(range(5, len(body) + 1, 5)), f"page {page}"
        for y, n in marks:
            assert abs(y - body[n - 1]) < 3, f"page {page}: {n} is not at its line"


def test_entries_are_keyed_by_the_printed_line_of_their_lemma(printed):
    words, entries = printed
    lines, small, _, _ = layout(words)
    seen = []
    for page in sorted(small):
        body = [(y, ws) for y, ws in lines.get(page, []) if ws[0].text != "Liber"]
        where = {re.sub(r"\W", "", w.text): i for i, (_, ws) in enumerate(body, 1) for w in ws
                 if w.text.startswith("lectio")}
        notes_bottom = max((y for y, ws in small[page] if not any("]" in w.text for w in ws)
                            and y < min((y2 for y2, ws2 in small[page]
                                         if any("]" in w.text for w in ws2)), default=0)),
                           default=0)
        apparatus = [(y, ws) for y, ws in small[page] if y > notes_bottom]
        text = " ".join(w.text for _, ws in apparatus for w in ws)
        key = None
        for number, lemma, reading in re.findall(r"(?:(\d+) )?(lectio\d+) A\] (lectionis\d+) B",
                                                  text):
            key = int(number) if number else key
            assert reading == lemma.replace("lectio", "lectionis")
            assert where.get(lemma) == key, f"page {page}: {lemma} is not in line {key}"
            seen.append(int(lemma[6:]))
        if apparatus and notes_bottom:
            assert min(y for y, _ in apparatus) > notes_bottom, "the apparatus is below the notes"
    assert seen == list(range(1, entries + 1)), "every entry once, in the order of the text"
