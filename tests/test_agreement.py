"""The web page and the text editions of a document say the same words: the page's
normalised view and the reading text, its original view and the diplomatic text.

The editorial level is decided once (xslt/common) and every output obeys it, and spacing is
settled by the same rules (breaks inside a word, whitespace at the edge of an abbreviation). So
the words of the HTML page in its normalised view (the original readings, deletions and the
labels the page adds left out; its notes included) are the words of the reading text (its
header, page markers and the labels it adds left out), counted as multisets: where a note is
shown, in the text or in a list, may differ; which words, and where one word ends, may not.
Numbers are left out of the count: the text's note numbers [1] cannot be told from a source's
own "[12]". Run over the documents of ../shared/corpora (variety, bulk) that have a text (an authority
file of persons or places is a register on the page and has no reading text), and samples.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPORA
from lxml import html as lxml_html

from toolkit.load import load
from toolkit.transform import parsed_once, render

PARAMS = {"reading": "normalised", "site-title": "T", "build-date": "2026-01-01",
          "base-url": "", "language": "en", "formats": "html,text", "paper": "a4"}
WORD = re.compile(r"[^\W_]+")
VARIETY = CORPORA / "variety"
BULK = CORPORA / "bulk"
DATA = Path(__file__).parent / "data" / "agreement"
APPARATUS = Path(__file__).parent / "data" / "apparatus"  # critical editions


def _classes(*names: str) -> str:
    return " or ".join(f"contains(concat(' ', @class, ' '), ' {n} ')" for n in names)


#: What the page adds or shows besides the reading shown (the other one is added below).
PAGE_ONLY = (f".//*[{_classes('note-sup', 'visually-hidden', 'sic-mark', 'pb', 'note-label', 'lnum')}]"
             f" | .//*[{_classes('ref-pointer')}][not(self::a[{_classes('external')}])]"
             " | .//*[@hidden]")  # e.g. the readings of other witnesses, for the witness view
#: Blocks of the page: a word ends where one does.
BLOCKS = {"p", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "td", "th", "tr",
          "br", "section", "blockquote", "dd", "dt"}


def page_words(page: str, original: bool) -> Counter:
    """The words of the page in its normalised view (with its notes), or in its original view
    (without notes and pointers, as the diplomatic text has none; deletions kept)."""
    root = lxml_html.document_fromstring(page)
    parts = root.xpath(f"//*[{_classes('text')}]" if original
                       else f"//*[{_classes('text')}] | //*[{_classes('note-body')}]")
    hidden = PAGE_ONLY + (f" | .//*[{_classes('rd-n', 'ref-pointer')}]" if original
                          else f" | .//*[{_classes('rd-o')}] | .//del")
    for part in parts:
        for el in part.xpath(hidden):
            el.drop_tree()
        for el in part.iter():
            if el.tag in BLOCKS:
                el.text, el.tail = " " + (el.text or ""), " " + (el.tail or "")
    return _count(" ".join(p.text_content() for p in parts))


def _count(text: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text) if not w.isdigit())


def text_words(text: str, diplomatic: bool) -> Counter:
    if diplomatic:
        return _count(re.sub("[\u27e6\u27e7]", "", text))  # ⟦deleted⟧ letters stay in words
    body = text.split("* * *", 1)[1] if "* * *" in text else text  # after the header
    body = re.sub(r"\n(?:Notes|Anmerkungen|Apparatus|Apparat)\n-+\n", "\n", body)
    body = re.sub(r"\[(?:p\.|S\.)\s[^\]]*\]|\[(?:page\sbreak|Seitenwechsel)\]", "", body)
    body = re.sub(r"\[(?:Note|Anmerkung|Figure|Abbildung)(?::|\])", " ", body)  # labels
    return _count(body)


#: (reading of the page, variant of the text) that show the same words
PAIRS = [("normalised", "reading"), ("original", "diplomatic")]


def disagreement(path: Path, reading: str, variant: str) -> str | None:
    doc, _ = load(path)
    assert doc is not None
    with parsed_once(doc.tree):
        page = render(doc.tree, "html", {**PARAMS, "reading": reading, "source-name": path.stem})
        text = render(doc.tree, "text", {**PARAMS, "source-name": path.stem,
                                          "variant": variant})
    on_page = page_words(page, original=reading == "original")
    in_text = text_words(text, diplomatic=variant == "diplomatic")
    if on_page == in_text:
        return None
    return (f"only on the page: {sorted((on_page - in_text).elements())[:12]}; "
            f"only in the text: {sorted((in_text - on_page).elements())[:12]}")


def corpus_files() -> list[Path]:
    files = sorted(VARIETY.glob("*/*.xml")) + sorted(BULK.glob("**/*.xml"))
    return [p for p in files if b"<text" in p.read_bytes()]  # authority files have none


@pytest.mark.slow
@pytest.mark.parametrize("reading, variant", PAIRS)
@pytest.mark.parametrize("path", corpus_files() or [None],
                         ids=lambda p: f"{p.parent.name}/{p.name}" if p else "absent")
def test_page_and_text_agree_on_real_tei(path: Path | None, reading: str, variant: str):
    if path is None:
        pytest.skip("../shared/corpora is absent")
    found = disagreement(path, reading, variant)
    assert found is None, found


@pytest.mark.parametrize("reading, variant", PAIRS)
@pytest.mark.parametrize("path", sorted(DATA.glob("*.xml")) + sorted(APPARATUS.glob("*.xml")),
                         ids=lambda p: p.stem)
def test_page_and_text_agree_on_samples(path: Path, reading: str, variant: str):
    found = disagreement(path, reading, variant)
    assert found is None, found


def _outputs(name: str) -> tuple[str, str, str]:
    """The normalised page's text column, the reading text's body and the print edition's
    text, whitespace collapsed."""
    doc, _ = load(DATA / f"{name}.xml")
    page = lxml_html.document_fromstring(render(doc.tree, "html", {**PARAMS,
                                                                   "source-name": name}))
    for el in page.xpath(f"//*[{_classes('rd-o')}]"):
        el.drop_tree()
    column = page.xpath(f"//main//*[{_classes('text')}]")[0].text_content()
    text = render(doc.tree, "text", {**PARAMS, "source-name": name, "variant": "reading"})
    printed = lxml_html.document_fromstring(render(doc.tree, "print", {**PARAMS,
                                                                       "source-name": name}))
    for el in printed.xpath("//*[@aria-hidden = 'true']"):  # page marks in the margin
        el.drop_tree()
    return (" ".join(column.split()), " ".join(text.split("* * *", 1)[1].split()),
            " ".join(printed.xpath("//main")[0].text_content().split()))


def test_breaks_inside_words_join_them_in_every_output():
    page, text, printed = _outputs("breaks")
    for shown in (page, text):
        assert "Die Fortbildung des majoritätsantrages, eine Wis[p. 2]senschaft, die " \
               "Einsparung, erledigt anzuse[p. 3]hen, und ein Ende der Zeile." in shown, shown
    assert "Die Fortbildung des majoritätsantrages, eine Wissenschaft, die Einsparung, " \
           "erledigt anzusehen, und ein Ende der Zeile." in printed  # pages in the margin


def test_whitespace_inside_an_abbreviation_is_a_word_boundary_in_every_output():
    page, text, printed = _outputs("abbreviations")
    for shown in (page, text, printed):
        assert "Am 17ten October 1836 schrieb der Doktor! und Herr Meier." in shown, shown


def test_pointers_without_text():
    page, text, _ = _outputs("pointers")
    # the page: a label of its own, apart from the word before it; web addresses as links
    assert "In Bevers → K_0124 stellte" in page
    assert "Digitalisat: https://example.org/scan?id=1&p=2;" in page
    # the reading text: web addresses in angle brackets, pointers elsewhere left out
    assert "In Bevers stellte" in text
    assert "Digitalisat: <https://example.org/scan?id=1&p=2>; siehe auch " \
           "<https://example.org/two> und den Schluss oder." in text


def test_tokens_are_spaced_and_punctuation_attached_in_every_output():
    for shown in _outputs("tokens"):
        assert "Trust not each tongue, As most do; But believe" in shown, shown
        assert "I was born in September, 1886; she said: “Yes!” and left (alone)." in shown, shown


def test_a_note_call_sticks_to_the_word_before_it_in_every_output():
    page, text, printed = _outputs("notes")
    # the page: U+2060 keeps the call on the word's line; in print the note's text is the call's
    assert "Herrn van Mater's \u20601 nach Goldenberg, und Bündten's\u20602, dann mehr." in page
    assert "Herrn van Mater's[1] nach Goldenberg, und Bündten's[2], dann mehr." in text
    assert "Herrn van Mater'sJakob van Mater. nach Goldenberg, und Bündten'sGraubünden., " \
           "dann mehr." in printed
