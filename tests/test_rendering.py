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


def words_of(text: str) -> str:
    return " ".join(text.split())


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


def test_a_page_break_without_a_number_has_no_label(outputs):
    """Not on the page ('[Page]'), nor in the reading text ('[page break]'), nor in print."""
    out = outputs(tei(body='<pb/><p>One <pb n=""/>two anzuse<pb xml:id="b3"/>hen.</p>'
                           '<pb facs="https://example.org/f.jpg"/><p>Three <pb n="6"/>four.</p>'))
    text = words(out["tree"].find_class("text")[0])
    assert "Page" not in text and "[]" not in text and "p. ]" not in text
    assert "One two anzusehen." in text and "[p. 6]" in text
    assert out["tree"].get_element_by_id("b3").text_content() == ""
    assert [words(el) for el in out["tree"].find_class("pb")] == ["[p. 6]"]
    reading = out["reading"].split("* * *", 1)[1]
    assert words_of(reading) == "One two anzusehen. Three [p. 6] four."
    printed = words(out["print-tree"].find(".//main"))
    assert printed.count("[p.") == 1 and "[p. 6]" in printed and "One two anzusehen." in printed


# ------------------------------------------------------------------------------ letters

BLOCK_TAGS = {"p", "div", "br", "li", "section", "h1", "h2", "h3", "h4", "blockquote", "dd",
              "dt", "td", "th", "tr", "ul", "ol", "table", "header", "main", "article"}


def lines(el, block_classes=("blk",)) -> list[str]:
    """The text of an element as the lines a reader sees: a block element (or one of the
    given classes: the print edition's span.blk) starts a line."""
    for sub in el.iter():
        classes = (sub.get("class") or "").split()
        if sub.tag in BLOCK_TAGS or any(c in classes for c in block_classes):
            sub.tail = "\n" + (sub.tail or "")
            sub.text = "\n" + (sub.text or "")
    return [" ".join(line.split()) for line in el.text_content().split("\n") if line.split()]


LETTER = tei(body="""<div type="letter">
<opener><dateline rend="left"><placeName>Wien</placeName>, <date when="1894-03-02">2. März 1894</date></dateline><address><addrLine>Herrn</addrLine><addrLine><persName>Dr. jur. Paul Goldmann</persName></addrLine><addrLine>Correspondant der Frankfurter Zeitung</addrLine></address><salute>Lieber Paul!</salute></opener>
<p>Im Brief.</p>
<closer><salute rend="right">Herzlichst Ihr</salute><signed rend="center">Arthur</signed></closer>
<closer><seg rend="right">Dr. jur. Paul Goldmann</seg><seg rend="text-align: right">Correspondant</seg></closer>
<p><seg rend="block">Block eins</seg><seg rend="inline">und inline</seg><seg rend="align(center)">Mitte</seg></p>
<opener><addrLine>Dr. jur. Paul Goldmann</addrLine><addrLine>Correspondant</addrLine></opener>
<p>Adresse: <address><street>Hauptstraße 1</street><settlement>Zürich</settlement></address> danach.</p>
<closer><address>Poste restante<lb/>Paris</address><salute>Ihr<lb/>ergebener</salute></closer>
<p>Prosa mit Zeilen<lb/>fall.</p>
</div>""")

LETTER_LINES = ["Wien, 2. März 1894", "Herrn", "Dr. jur. Paul Goldmann",
                "Correspondant der Frankfurter Zeitung", "Lieber Paul!", "Im Brief.",
                "Herzlichst Ihr", "Arthur", "Dr. jur. Paul Goldmann", "Correspondant",
                "Block eins", "und inline", "Mitte", "Dr. jur. Paul Goldmann", "Correspondant",
                "Adresse:", "Hauptstraße 1", "Zürich", "danach.", "Poste restante", "Paris",
                "Ihr", "ergebener", "Prosa mit Zeilen fall."]


def test_the_parts_of_a_letter_are_lines_of_their_own(outputs):
    """Opener, closer, address lines and a seg laid out by @rend never run into one line
    ("Dr. jur. Paul GoldmannCorrespondant"), on the page, in the text and in print."""
    out = outputs(LETTER)
    assert lines(out["tree"].find_class("text")[0]) == LETTER_LINES
    assert lines(out["print-tree"].find(".//main")) == LETTER_LINES
    reading = out["reading"].split("* * *", 1)[1]
    assert [line.strip() for line in reading.splitlines() if line.strip()] == LETTER_LINES
    diplomatic = [line.strip() for line in out["diplomatic"].splitlines() if line.strip()]
    assert diplomatic == LETTER_LINES


def test_the_alignment_of_a_letters_parts_follows_rend(outputs):
    out = outputs(LETTER)

    def aligned(tree, cls, prefix):
        return {words(el): next((c for c in (el.get("class") or "").split()
                                 if c.startswith(prefix)), None)
                for el in tree.find_class(cls)}

    assert aligned(out["tree"], "seg", "r-") == {
        "Dr. jur. Paul Goldmann": "r-right", "Correspondant": "r-right",
        "Block eins": "r-block", "und inline": None, "Mitte": "r-center"}
    assert aligned(out["tree"], "dateline", "r-") == {"Wien, 2. März 1894": "r-left"}
    assert aligned(out["tree"], "signed", "r-") == {"Arthur": "r-center"}
    assert aligned(out["print-tree"], "seg", "rend-") == {
        "Dr. jur. Paul Goldmann": "rend-right", "Correspondant": "rend-right",
        "Block eins": None, "und inline": None, "Mitte": "rend-center"}
    assert aligned(out["print-tree"], "dateline", "rend-") == {"Wien, 2. März 1894": "rend-left"}
    # the page stays valid HTML: no paragraph inside a paragraph
    assert not out["tree"].xpath("//p//p | //p//div | //span//p | //span//div")


# ------------------------------------------------------------------------------ the source

MANUSCRIPT = tei(source="""<bibl>Gagliardi, Escher, S. 21–22</bibl>
<msDesc><msIdentifier><settlement>Zürich</settlement><institution>ZBZ</institution><idno>Nachl. O. Heer 184.1</idno><altIdentifier><idno>alt. 7</idno></altIdentifier></msIdentifier>
<physDesc><objectDesc><supportDesc><support>Papier</support><extent>2 Blätter</extent></supportDesc></objectDesc>
<handDesc><handNote>Eigenhändig</handNote><handNote>Bleistiftnotiz von fremder Hand</handNote></handDesc></physDesc>
<history><origin><origPlace>Belvoir</origPlace>, <origDate when="1836">1836</origDate></origin><provenance><p>Aus dem Nachlass Heer.</p></provenance></history></msDesc>""")
MS_PARTS = [("Physical description", "Papier. 2 Blätter"),
            ("Hands", "Eigenhändig. Bleistiftnotiz von fremder Hand"),
            ("History", "Belvoir, 1836. Aus dem Nachlass Heer.")]


def test_a_manuscript_is_cited_with_its_shelfmark_and_description(outputs):
    """The page's source, as the print edition's: the identifier with the shelfmark (idno),
    and the physical description, hands and history."""
    out = outputs(MANUSCRIPT)
    page = out["tree"].find_class("about-source")[0]
    printed = out["print-tree"].find_class("tp-source")[0]
    for part in (page, printed):
        citations = [words(p).rstrip(".") for p in part.find_class("citation")]
        assert citations == ["Gagliardi, Escher, S. 21–22", "Zürich, ZBZ, Nachl. O. Heer 184.1"]
        assert [(words(dt), words(dt.getnext())) for dt in part.iter("dt")] == MS_PARTS
    assert "Source:  Zürich, ZBZ, Nachl. O. Heer 184.1." in out["reading"]
    assert "Zürich, ZBZ, Nachl. O. Heer 184.1" in " ".join(out["facts"]["sources"])
    # not in the PDF's metadata (a description of the document, one line)
    meta = out["print-tree"].find(".//meta[@name='description']").get("content")
    assert "Nachl. O. Heer 184.1" in meta and "Bleistiftnotiz" not in meta


# ------------------------------------------------------------------------------ back lists

BACK_LISTS = tei(body='<p>Gestern traf ich <persName ref="#pmb1">Paul</persName> in '
                      '<placeName ref="#pl1">Wien</placeName>.</p>',
                 back="""<back><div><p>Nachwort des Briefes.</p></div>
<listPerson><person xml:id="pmb1"><persName><forename>Paul</forename> <surname>Goldmann</surname></persName>
<birth when="1865-05-31">31. 5. 1865</birth><occupation>Journalist</occupation><note>Eine Notiz zur Person.</note></person></listPerson>
<listPlace><place xml:id="pl1"><placeName>Wien</placeName><location><geo>48.208333 16.373056</geo></location></place></listPlace>
<listOrg><org xml:id="o1"><orgName>Frankfurter Zeitung</orgName></org></listOrg>
<listBibl><bibl xml:id="b1"><title>Anatol</title></bibl></listBibl>
<listBibl><head>Literatur</head><bibl>Ein Buch, das man lesen soll.</bibl></listBibl></back>""")


def test_a_letters_own_lists_are_entity_data_not_text(outputs):
    """listPerson, listPlace, listOrg, listBibl in a letter's back feed the cards, registers
    and index, as a standOff's would, and are not printed as text at its end; a bibliography
    with a head of its own is."""
    out = outputs(BACK_LISTS)
    for shown in (words(out["tree"].find_class("text")[0]), words(out["print-tree"].find(".//main")),
                  out["reading"], out["diplomatic"]):
        assert "Nachwort des Briefes." in shown and "Ein Buch, das man lesen soll." in shown
        for data in ("48.208333", "Goldmann", "Journalist", "Frankfurter", "Anatol", "Notiz"):
            assert data not in shown
    facts = out["facts"]
    assert [m["id"] for m in facts["mentions"]] == ["pmb1", "pl1"]
    assert facts["entities"]["pmb1"]["name"] == "Paul Goldmann"
    assert facts["entities"]["pmb1"]["role"] == "Journalist"
    cards = out["tree"].get_element_by_id("tk-cards")
    assert "Paul Goldmann" in words(cards) and "1865" in words(cards)
    assert not out["tree"].find_class("notes")  # the person's note is no note of the letter
    index = words(out["print-tree"].find_class("index")[0])
    assert "Goldmann, Paul" in index and "Wien" in index


# ------------------------------------------------------------------------------ note calls


def test_the_space_before_a_note_goes_after_its_call(outputs):
    """'Wort <note/>drin': the call sticks to its word and the source's space comes after it,
    in every output; a space after the note, or punctuation, stays as it was."""
    out = outputs(tei('<title>Wort <note>t</note>drin</title>',
                      "<p>Ein Wort <note>Eins.</note>drin, ein Wort<note>Zwei.</note> dran, "
                      "ein Wort <note>Drei.</note> da, Ende <note>Vier.</note>.</p>"))
    assert "Ein Wort[1] drin, ein Wort[2] dran, ein Wort[3] da, Ende[4]." in out["reading"]
    assert "Ein Wort drin, ein Wort dran, ein Wort da," in out["diplomatic"]
    page = out["tree"].find_class("text")[0].text_content()
    assert page == "Ein Wort\u20601 drin, ein Wort\u20602 dran, ein Wort\u20603 da, Ende\u20604."
    assert words(out["tree"].get_element_by_id("tk-title")) == "Wort drin"
    main = out["print-tree"].find(".//main")
    for fn in main.find_class("fn"):
        fn.text = "^"
    assert words(main) == "Ein Wort^ drin, ein Wort^ dran, ein Wort^ da, Ende^."
