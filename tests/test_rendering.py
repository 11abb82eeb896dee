"""What a reader of real editions expects, in every output: the document's own title (not its
series'), page breaks without a number left unlabelled on the page, the parts of a letter
(opener, closer, address, dateline, salute, signed, seg with @rend) as blocks and lines, the
manuscript's shelfmark and description as the source, a letter's own lists of persons and
places as entity data, and the space after a note's call where the source has one.

Each document is rendered by the writers a build uses (conftest.render_all)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import render_all
from lxml import html as lxml_html

TEI = "http://www.tei-c.org/ns/1.0"


def tei(titles: str = "<title>T</title>", body: str = "<p>Text.</p>", *, source: str = "<p/>",
        back: str = "", standoff: str = "", profile: str = "") -> bytes:
    """A TEI document made of the given parts."""
    return (f'<TEI xmlns="{TEI}"><teiHeader><fileDesc><titleStmt>{titles}</titleStmt>'
            f"<publicationStmt><p/></publicationStmt><sourceDesc>{source}</sourceDesc>"
            f"</fileDesc>{profile}</teiHeader>{standoff}<text><body>{body}</body>{back}</text>"
            "</TEI>").encode()


@pytest.fixture
def outputs(tmp_path: Path):
    def make(data: bytes, **kw) -> dict:
        result = render_all(tmp_path / "case", data, **kw)
        result["tree"] = lxml_html.document_fromstring(result["page"])
        result["print-tree"] = lxml_html.document_fromstring(result["print"])
        return result
    return make


def words(el) -> str:
    return " ".join(el.text_content().split())


# ------------------------------------------------------------------------------ titles

TITLES = {
    "a letter in a series": ('<title level="s">Alfred Escher Briefedition</title>'
                             '<title level="a">Escher an Heer, 12. Oktober 1836</title>',
                             "Escher an Heer, 12. Oktober 1836", ""),
    "an article in a journal": ('<title level="j">Socialist Appeal</title>'
                                '<title level="a">International Notes</title>'
                                '<title level="a" type="sub">Stalin’s purge</title>',
                                "International Notes", "Stalin’s purge"),
    "a series typed main": ('<title level="s" type="main">The Series</title>'
                            "<title>The document</title>", "The document", ""),
    "only a series title": ('<title level="s">The Series</title>', "The Series", ""),
    "the subtitle first": ('<title type="sub">A comedy</title><title>The play</title>',
                           "The play", "A comedy"),
    "main after another": ("<title>A first</title><title type=\"main\">The main</title>"
                           '<title type="short">Main</title>', "The main", ""),
    "the journal first, the monograph": ('<title level="j">Journal</title>'
                                          '<title level="m">The book</title>',
                                          "The book", ""),
}


@pytest.mark.parametrize("name", sorted(TITLES))
def test_every_output_shows_the_documents_own_title(outputs, name):
    titles, main, sub = TITLES[name]
    out = outputs(tei(titles))
    full = main + (": " + sub if sub else "")
    page = out["tree"]
    assert words(page.get_element_by_id("tk-title")) == main
    assert page.findtext(".//title").startswith(main + " — ")
    subtitle = page.find_class("doc-subtitle")
    assert (words(subtitle[0]) if subtitle else "") == sub
    assert out["facts"]["title"] == main and out["facts"]["subtitle"] == sub
    assert out["reading"].splitlines()[0] == full
    assert words(out["print-tree"].find_class("tp-title")[0]) == main
    assert out["print-tree"].findtext(".//title") == full
    cite = words(page.get_element_by_id("tk-cite-text"))
    assert f"“{main}”" in cite


# ------------------------------------------------------------------------------ page breaks


def test_a_page_break_without_a_number_has_no_label_on_the_page(outputs):
    out = outputs(tei(body='<pb/><p>One <pb n=""/>two anzuse<pb xml:id="b3"/>hen.</p>'
                           '<pb facs="https://example.org/f.jpg"/><p>Three <pb n="6"/>four.</p>'))
    text = words(out["tree"].find_class("text")[0])
    assert "Page" not in text and "[]" not in text and "p. ]" not in text
    assert "One two anzusehen." in text and "[p. 6]" in text
    assert out["tree"].get_element_by_id("b3").text_content() == ""
    assert [words(el) for el in out["tree"].find_class("pb")] == ["[p. 6]"]
