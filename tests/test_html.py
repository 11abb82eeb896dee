"""The HTML stylesheets (xslt/html/) on single documents: the flagship's features, the samples
in tests/data/html/, every document of the shared corpora, and security against hostile TEI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from toolkit.html.page import documents_for
from toolkit.load import load
from toolkit.project.confine import folder
from toolkit.transform import render

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "data" / "html" / "edition" / "tei"
FLAGSHIP = REPO / "tei" / "wright-1937-international-notes.xml"
VARIETY = REPO.parent / "shared" / "corpora" / "variety"
PARAMS = {
    "site-title": "Test edition",
    "build-date": "2026-11-25",
    "base-url": "",
    "language": "en",
    "formats": "html",
}


def page(path: Path, **params) -> lxml_html.HtmlElement:
    doc, diags = load(path)
    assert doc is not None, diags
    out = render(
        doc.tree,
        "html",
        {**PARAMS, "source-name": path.stem, "documents": documents_for(doc, folder(path)),
         **params},
    )
    return lxml_html.document_fromstring(out)


def facts(path: Path) -> dict:
    doc, _ = load(path)
    return json.loads(
        render(
            doc.tree,
            "html",
            {
                **PARAMS,
                "page": "facts",
                "source-name": path.stem,
                "documents": documents_for(doc, folder(path)),
            },
        )
    )


def by_class(root, name: str, tag: str = "*") -> list:
    return root.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def text(el) -> str:
    return " ".join(el.text_content().split())


@pytest.fixture(scope="module")
def flagship():
    if not FLAGSHIP.is_file():
        pytest.skip("the flagship edition is not in tei/ yet")
    return page(FLAGSHIP)


# ------------------------------------------------------------------------ the flagship


def test_flagship_both_readings_and_default(flagship) -> None:
    root = flagship
    assert "reading-normalised" in root.get("class")
    choices = [c for c in by_class(root, "choice", "span") if "Azerbaijan" in text(c)]
    assert choices, "the choice Azarbeidjan/Azerbaijan is rendered"
    c = choices[0]
    assert text(by_class(c, "rd-o")[0]) == "Azarbeidjan"
    assert text(by_class(c, "rd-n")[0]) == "Azerbaijan"
    assert "Azarbeidjan" in c.get("title"), "the other reading is reachable without JavaScript"


def test_original_reading_is_the_default_when_asked() -> None:
    root = page(SAMPLE / "letter.xml", reading="original")
    assert "reading-original" in root.get("class")
    c = [c for c in by_class(root, "choice", "span") if "Azerbaijan" in text(c)][0]
    assert c.get("title") == "Normalised: Azerbaijan"
    assert root.get_element_by_id("tk-reading-original").get("checked") is not None


def test_flagship_title_block(flagship) -> None:
    block = by_class(flagship, "title-block")[0]
    assert flagship.findtext(".//h1").strip() == "International Notes"
    source = text(by_class(block, "about-source")[0])
    assert "Socialist Appeal" in source and "vol. 1 no. 16" in source and "p. 6" in source
    assert block.xpath(".//cite[normalize-space()='Socialist Appeal']"), "journal title in italics"
    cite = flagship.get_element_by_id("tk-cite-text")
    assert "J.G. Wright" in text(cite) and "International Notes" in text(cite)
    assert by_class(flagship, "copy-button", "button")
    # the header is shown here only, never dumped into the page
    body = text(by_class(flagship, "text")[0])
    assert "Creative Commons" not in body and "tagUsage" not in body


def test_a_source_described_by_elements_only_reads_as_a_citation(tmp_path: Path) -> None:
    """ELTeC's sourceDesc: bibls of elements without punctuation of their own, and an author
    line ending in a full stop: parts are separated, never run together."""
    path = tmp_path / "eltec-like.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
        "<title>A Slander</title><author>Lyall, Edna (1857-1903).</author></titleStmt>"
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc>"
        '<bibl><title>A Slander</title><ref target="https://example.org/a">Gutenberg</ref></bibl>'
        "<bibl><title>A Slander</title><author>Lyall, Edna</author>"
        "<publisher>London: Longman</publisher><date>1887</date></bibl>"
        "<bibl>Written as prose, <date>1890</date>.</bibl>"
        "</sourceDesc></fileDesc></teiHeader><text><body><p>Text.</p></body></text></TEI>",
        encoding="utf-8")
    root = page(path)
    cited = [text(p) for p in by_class(by_class(root, "about-source")[0], "citation", "p")]
    assert cited == ["A Slander, Gutenberg.", "Lyall, Edna, A Slander, London: Longman, 1887.",
                     "Written as prose, 1890."]
    assert by_class(root, "about-source")[0].xpath(".//a[@href='https://example.org/a']")
    assert text(root.get_element_by_id("tk-cite-text")).startswith(
        "Lyall, Edna (1857-1903), “A Slander”")


def test_flagship_text_features(flagship) -> None:
    root = flagship
    assert "[p. 6]" in [text(p) for p in by_class(root, "pb")]
    socalled = by_class(root, "socalled")
    assert socalled and all(text(s)[0] == "\u201c" and text(s)[-1] in "\u201d.," for s in socalled)
    assert root.xpath("//div[@class='text']//cite[contains(., 'Pravda')]"), "title level=j italic"
    times = root.xpath("//time")
    assert times and all(t.get("datetime") for t in times)
    values = {t.get("datetime") for t in times}
    assert "1936-08" in values  # @when (month)
    assert "1937-10" in values  # @notBefore/@notAfter within October
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values)


def test_flagship_notes_link_both_ways(flagship) -> None:
    root = flagship
    markers = by_class(root, "note-ref", "a")
    notes = root.xpath("//section[@id='tk-notes']//li")
    assert len(markers) == len(notes) > 10
    ids = set(root.xpath("//@id"))
    for m in markers:
        assert m.get("href")[1:] in ids
        assert m.get("id") in ids
        # named for screen readers without hidden text inside the call, and joined to the word
        # before it (U+2060), so that a call never starts a line of its own
        assert m.get("aria-label") == f"Note {m.text_content()}"
        assert m.getparent().text == "\u2060"
    for n in notes:
        back = by_class(n, "note-num", "a")[0]
        assert back.get("href")[1:] in ids
    editorial = root.xpath("//li[contains(@class, 'note-editorial')]")
    assert editorial and "Editorial note" in text(editorial[0])


def test_flagship_entities_and_cards(flagship) -> None:
    root = flagship
    links = root.xpath("//a[contains(concat(' ', @class, ' '), ' ent ')]")
    assert links
    cards = set(root.xpath("//div[@id='tk-cards']/div/@id"))
    for a in links:
        assert re.fullmatch(r"(persons|places|organisations|works|events)\.html#[^#\s]+", a.get("href"))
        assert a.get("data-card") in cards
        assert a.get("aria-describedby") == a.get("data-card")
    stalin = root.get_element_by_id("tk-card-stalin")
    assert "Joseph Vissarionovich Stalin" in text(stalin) and "1878–1953" in text(stalin)
    fig = [c for c in cards if c.startswith("tk-card-fig-kalinin")]
    assert fig, "the figurative Kalinin has a card of its own"
    card = text(root.get_element_by_id(fig[0]))
    assert "Kalinin" in card and "Afandiyev" in card and "figuratively" in card


def test_downloads_follow_the_formats() -> None:
    root = page(SAMPLE / "letter.xml", formats="html,text,pdf")
    hrefs = [a.get("href") for a in root.xpath("//ul[@class='downloads']//a")]
    assert hrefs == [
        "tei/letter.xml",
        "../text/letter.txt",
        "../text/letter.diplomatic.txt",
        "../pdf/letter.pdf",
    ]
    root = page(SAMPLE / "letter.xml", formats="html")
    assert [a.get("href") for a in root.xpath("//ul[@class='downloads']//a")] == ["tei/letter.xml"]


def test_entity_data_from_another_file() -> None:
    root = page(SAMPLE / "letter.xml")
    card = text(root.get_element_by_id("tk-card-balitsky"))
    assert "Vsevolod Apollonovich Balitsky" in card and "1892–1937" in card
    # without knowing where the source is, the page still links, with the name as written
    doc, _ = load(SAMPLE / "letter.xml")
    bare = lxml_html.document_fromstring(render(doc.tree, "html", PARAMS))
    assert text(bare.get_element_by_id("tk-card-balitsky")).endswith("Balitsky")


# --------------------------------------------------------------------------- facts


def test_facts_are_json_and_anchored() -> None:
    f = facts(SAMPLE / "letter.xml")
    assert f["title"] == "A Letter from Baku" and f["author"] == "A. Correspondent"
    assert f["date_iso"] == "1937-11-27" and "Socialist Appeal" in f["source"]
    root = page(SAMPLE / "letter.xml")
    ids = set(root.xpath("//@id"))
    assert f["mentions"]
    for m in f["mentions"]:
        assert m["anchor"] in ids, m
    azer = [m for m in f["mentions"] if m["id"] == "azerbaijan"][0]
    assert azer["text"] == "Azerbaijan" and azer["original"] == "Azarbeidjan"
    fig = [m for m in f["mentions"] if m["figurative"]][0]
    assert (fig["id"], fig["meant"]) == ("yezhov", "balitsky")
    assert f["entities"]["balitsky"]["name"] == "Vsevolod Apollonovich Balitsky"
    assert f["entities"]["stalin"]["wikidata"] == "Q855"


def test_authority_file_kind() -> None:
    assert facts(SAMPLE / "entities.xml")["kind"] == "authority"
    root = page(SAMPLE / "entities.xml")
    assert root.get_element_by_id("balitsky") is not None


# ------------------------------------------------------------------ variety of TEI


def test_drama_verse_lists_tables_figures_apparatus() -> None:
    root = page(SAMPLE / "miscellany.xml")
    assert [text(s) for s in by_class(root, "speaker", "p")] == ["Hamlet", "Horatio"]
    assert by_class(root, "stage", "p") and by_class(root, "stage", "span")
    lines = by_class(root, "l", "div")
    assert len(lines) == 6
    assert [text(n) for n in by_class(root, "lnum")] == ["5"]
    assert root.xpath("//ol/li") and root.xpath("//dl/dt[.='TEI']")
    assert root.xpath("//table/caption[.='Executions reported']")
    assert root.xpath("//th[.='Source']") and root.xpath("//td[@colspan='2']")
    img = root.xpath("//figure/img")
    assert [i.get("src") for i in img] == ["img/plate.png"]
    assert img[0].get("alt") == "A framed rectangle crossed by a red diagonal."
    assert "A remote image that is not shown." in text(root), "figDesc stands in for the image"
    assert "unknown element keeps its text" in text(root)
    app = by_class(root, "app", "span")[0]
    shown = app.xpath("*[not(@hidden)]")
    assert [text(r) for r in shown] == ["lovely"] and shown[0].get("data-wit") == "Q"
    assert [(text(r), r.get("data-wit")) for r in app.xpath("*[@hidden]")] == [("lonely", "F G")]
    entry = root.get_element_by_id("tk-app-1")
    body = entry.xpath(".//*[@class='note-body']")[0]
    assert text(body).split() == ["2", "lovely", "Q]", "lonely", "F", "G"]
    assert "hyphenated" in text(root), "lb break=no joins the word"
    assert root.xpath("//blockquote")
    ref = root.xpath("//a[.='the TEI']")[0]
    assert ref.get("href") == "https://www.tei-c.org/"
    assert not root.xpath("//a[contains(@href, 'p-missing')]"), "no link to a missing target"
    assert root.xpath("//a[@href='#scene-end'][starts-with(., '→ The end')]")


def variety_files() -> list[Path]:
    return sorted(VARIETY.glob("*/*.xml")) if VARIETY.is_dir() else []


@pytest.mark.parametrize("path", variety_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_any_tei_reads_whole(path: Path) -> None:
    """Every document of the corpora gives a readable page: its words are all there (the
    header aside), nothing of the header is dumped, the HTML parses, ids are unique."""
    doc, _ = load(path)
    out = render(doc.tree, "html", {**PARAMS, "source-name": path.stem})
    root = lxml_html.document_fromstring(out)
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids)), "duplicate ids"
    main = root.xpath("//main")[0]
    body_words = set(text(main).split())
    texts = doc.root.findall(".//{http://www.tei-c.org/ns/1.0}text")
    if texts:
        source_words = set(" ".join(texts[0].itertext()).split())
        # most words of the source text are on the page (choices and joined tokens differ)
        assert len(source_words & body_words) >= 0.7 * len(source_words)
        if source_words:
            assert by_class(root, "text")[0].text_content().strip()
    header = doc.root.find("{http://www.tei-c.org/ns/1.0}teiHeader")
    if header is not None:
        for el in header.iter(
            "{http://www.tei-c.org/ns/1.0}change", "{http://www.tei-c.org/ns/1.0}tagUsage"
        ):
            t = " ".join("".join(el.itertext()).split())
            if len(t) > 40:
                assert t not in text(main)


def test_tokenised_text_keeps_spaces() -> None:
    path = VARIETY / "eltec-eng" / "ENG18872_Lyall.xml"
    if not path.is_file():
        pytest.skip("shared corpora absent")
    root = page(path)
    assert "Trust not to each accusing tongue" in text(root)


# ------------------------------------------------------------------------ security


@pytest.fixture(scope="module")
def hostile() -> tuple[str, lxml_html.HtmlElement]:
    doc, _ = load(SAMPLE / "hostile.xml")
    out = render(doc.tree, "html", {**PARAMS, "source-name": "hostile"})
    return out, lxml_html.document_fromstring(out)


def test_no_script_urls(hostile) -> None:
    _, root = hostile
    for el in root.iter():
        for name in ("href", "src", "action", "formaction", "data", "poster"):
            value = (el.get(name) or "").replace("\t", "").replace("\n", "").strip().lower()
            assert not re.match(r"(javascript|data|vbscript|file):", value), (el.tag, value)
            assert not value.startswith("//"), (el.tag, value)
    assert not root.xpath("//img"), "no image from an unsafe or outside path"
    assert "js link" in text(root), "the link text stays, as text"


def test_no_event_handlers_or_style_from_tei(hostile) -> None:
    _, root = hostile
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name in el.attrib:
            assert not name.lower().startswith("on"), (el.tag, name)
            assert name.lower() != "style", el.tag
    assert not root.xpath("//*[@lang and contains(@lang, ' ')]")


def test_markup_in_text_is_escaped(hostile) -> None:
    out, root = hostile
    scripts = root.xpath("//script")
    assert all((s.get("src") or "").startswith("assets/") for s in scripts)
    assert all(not (s.text or "").strip() for s in scripts)
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)" in out
    assert root.findtext(".//title").startswith('<script>alert("title")')


def test_stylesheets_never_disable_output_escaping() -> None:
    for xsl in (REPO / "xslt" / "html").glob("*.xsl"):
        tree = etree.parse(str(xsl))
        assert not tree.xpath("//@disable-output-escaping"), xsl.name
        assert "disable-output-escaping" not in xsl.read_text(encoding="utf-8"), xsl.name


@pytest.mark.slow
def test_corpora_pages_are_valid_html(tmp_path: Path) -> None:
    """The Nu Html Checker finds no error in the page of any document of the corpora."""
    from test_site import run_vnu

    files = variety_files()
    if not files:
        pytest.skip("shared corpora absent")
    pages = []
    for path in files:
        doc, _ = load(path)
        out = tmp_path / f"{path.stem}.html"
        out.write_text(render(doc.tree, "html", {**PARAMS, "source-name": path.stem}), "utf-8")
        pages.append(out)
    assert run_vnu(pages) == []


def test_nested_cast_groups_are_nested_lists_without_ambiguous_rules(tmp_path: Path) -> None:
    """A castGroup inside a castGroup is one rule's business (Saxon reported an ambiguous rule
    match on stderr for every such group, and the result depended on its choice)."""
    import subprocess
    import sys

    f = tmp_path / "cast.xml"
    f.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>C'
        "</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>"
        "</sourceDesc></fileDesc></teiHeader><text><front><castList><castGroup>"
        "<head>The court</head><castGroup><head>Lords</head><castItem>Lear</castItem>"
        "</castGroup><castItem>Fool</castItem></castGroup></castList></front>"
        "<body><p>x</p></body></text></TEI>",
        encoding="utf-8",
    )
    script = (
        "import sys; from pathlib import Path; from toolkit.load import load; "
        "from toolkit.transform import render; doc, _ = load(Path(sys.argv[1])); "
        "print(render(doc.tree, 'html', {'source-name': 'cast'}))"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(f)], capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    assert "XTDE0540" not in proc.stderr and "Ambiguous" not in proc.stderr, proc.stderr
    root = lxml_html.document_fromstring(proc.stdout)
    inner = root.xpath("//li[contains(@class, 'castgroup')]//li[contains(@class, 'castgroup')]")
    assert [text(li.xpath("./ul/li")[0]) for li in inner] == ["Lear"]
