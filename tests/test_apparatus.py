"""The critical apparatus: small critical editions written for the tests (tests/data/apparatus:
parallel segmentation with nested entries and a group of witnesses, location-referenced,
double-end-point-attached, lacunae and fragmentary witnesses) and each witness's text as an
editor reads it from the apparatus, written by hand (``<doc>.<witness>.txt``).

The text edition of each witness must be that text; placing the entries kept apart from the
text must not change the words of the edited text; every entry is written as an editor writes
it in the apparatus section of the reading text and on the page; what cannot be placed is a
finding of validation with its line; the configuration's base_witness and witness_texts act.
The same witnesses' texts are checked in a browser (test_apparatus_browser.py) and the print
apparatus in the PDF (test_apparatus_pdf.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from toolkit.load import load
from toolkit.load.apparatus import attach, witness_ids
from toolkit.tei import T
from toolkit.text.edition import render_text
from toolkit.transform import render
from toolkit.validation import validate

DATA = Path(__file__).parent / "data" / "apparatus"
EXPECTED = sorted(DATA.glob("*.*.txt"))
PARAMS = {"site-title": "T", "build-date": "2026-01-01", "base-url": "", "language": "en",
          "reading": "normalised", "formats": "html,text", "paper": "a4"}


def words(text: str) -> str:
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    return [words(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def body(text: str) -> str:
    """The text of a reading text, without its header and its notes and apparatus."""
    after = text.split("* * *", 1)[1]
    return re.split(r"\n(?:Notes|Apparatus)\n-+\n", after)[0]


def section(text: str, heading: str = "Apparatus") -> list[str]:
    """The entries of a section of the reading text, one per string (wrapped lines joined)."""
    part = text.split(f"\n{heading}\n", 1)[1].split("\n", 2)[2]
    entries: list[str] = []
    for line in part.splitlines():
        if re.match(r"^\s*(\d+|–)  ", line):
            entries.append(line.strip())
        elif line.strip():
            entries[-1] += " " + line.strip()
    return entries


# ---------------------------------------------------------------------------------------------
# the text of each witness


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_witness_text_is_the_hand_written_one(expected: Path):
    doc, witness = expected.name.split(".")[:2]
    text = render_text(DATA / f"{doc}.xml", "reading", witness=witness, **PARAMS)
    assert paragraphs(body(text)) == paragraphs(expected.read_text(encoding="utf-8"))
    assert "Apparatus" not in text, "a witness's text has no apparatus of its own"
    assert "text of witness" in words(text.split("* * *")[0])


def test_every_witness_has_its_expectation():
    for source in sorted(DATA.glob("*.xml")):
        doc, _ = load(source)
        have = {p.name.split(".")[1] for p in DATA.glob(f"{source.stem}.*.txt")}
        assert set(witness_ids(doc.root)) == have, source.name


# ---------------------------------------------------------------------------------------------
# placing the entries kept apart from the text


def source_words(root: etree._Element) -> list[str]:
    """The words of the edited text as the source has them: the text, without readings,
    notes and lists of entries, each entry of the text by its lemma (an entry left at the end
    of its line by its lemma's words already there)."""
    skip = {T + n for n in ("rdg", "rdgGrp", "note", "listApp", "witDetail", "wit", "teiHeader",
                            "standOff")}
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.tag in skip or el.get("{urn:teikit}placed"):
            return
        out.append(el.text or "")
        for child in el:
            walk(child)
            out.append(child.tail or "")

    walk(root.find(T + "text"))
    return "".join(out).split()


@pytest.mark.parametrize("name", ["located", "double-end"])
def test_placing_entries_keeps_the_words_of_the_text(name: str):
    doc, _ = load(DATA / f"{name}.xml")
    placed = attach(doc.root)
    assert placed.root is not doc.root, "the source itself is never changed"
    assert source_words(placed.root) == source_words(doc.root)
    text = body(render_text(DATA / f"{name}.xml", "reading", **PARAMS))
    assert text.split() == source_words(doc.root)


def test_nested_and_crossing_ranges():
    doc, _ = load(DATA / "double-end.xml")
    root = attach(doc.root).root
    apps = {a.findtext(T + "rdg") or "": a for a in root.iter(T + "app")}
    outer = apps[""]  # Celtae, nostra Galli] om. C
    assert outer.find(f"{T}lem/{T}app") is not None, "the inner entry nests in the outer lemma"
    crossing = apps["institutis legibusque"]
    assert crossing.get("{urn:teikit}unattached") == "crosses"
    assert crossing.getparent().tag == T + "listApp"


def test_parallel_segmentation_is_left_as_it_is():
    doc, _ = load(DATA / "parallel.xml")
    assert attach(doc.root).root is doc.root


# ---------------------------------------------------------------------------------------------
# the apparatus of the reading text


def test_entries_written_as_an_editor_writes_them():
    text = render_text(DATA / "parallel.xml", "reading", **PARAMS)
    entries = [re.sub(r"^\d+  ", "", e) for e in section(text)]
    assert entries == [
        "virumque A] virosque B; uirumque C",
        "post cano add. nunc B",
        "primus A B] om. C",
        "fato profugus A B] fato profugo C",
        "profugus A] profugis B",
        "Laviniaque] Lavinaque B; Lauinaque C (orthographic)",
        "multum A] multa ω",
        "saevae memorem Iunonis A C] memorem Iunonis saevae B (transposition)",
        "iram A] ira B C (C in the margin) – A slip shared by both scribes.",
        "laeso A C] laesa B",
        "Tyrii A] Tyrri B C",
    ]
    header = text.split("* * *")[0]
    assert "ω  the consensus of B and C" in header and "A  Codex Mediceus" in header


def test_entries_are_keyed_by_the_line_of_their_lemma():
    text = render_text(DATA / "parallel.xml", "reading", wrap=40, **PARAMS)
    lines = text.splitlines()
    for entry in section(text):
        number, rest = entry.split("  ", 1)
        lemma = rest.split(" ")[0].rstrip("]")
        lemma = "cano" if rest.startswith("post cano") else lemma
        assert re.search(rf"(?<!\w){re.escape(lemma)}(?!\w)", lines[int(number) - 1]), entry


def test_entries_without_a_place_say_so():
    entries = section(render_text(DATA / "located.xml", "reading", **PARAMS))
    assert entries[-1] == "–  arva] arma P (loc. 9, not placed in the text)"
    assert any(e.endswith("resonare silvas] resonare silva P (loc. 5, the lemma is not marked "
                          "in the text)") for e in entries)
    assert any(e.endswith("  harundine R – for avena, a gloss") for e in entries), entries
    entries = section(render_text(DATA / "double-end.xml", "reading", **PARAMS))
    assert "–  institutis, legibus] institutis legibusque C (not placed in the text)" in entries
    assert any(e.endswith("post legibus add. moribus C") for e in entries)


def test_lacunae_in_entries():
    entries = [re.sub(r"^\d+  ", "", e)
               for e in section(render_text(DATA / "lacunae.xml", "reading", **PARAMS))]
    assert entries == ["verbum] verbum lac. inc. B", "verbum] lac. des. verbum B",
                       "ante Hoc inc. E", "Omnia A B E] des. D"]


def test_an_entry_in_a_note_is_written_whole():
    text = render_text(Path(__file__).parent / "data" / "text" / "apparatus.xml", "reading",
                       **PARAMS)
    assert "[1] ingenio] ingenium codd." in text


# ---------------------------------------------------------------------------------------------
# the page


def page(name: str) -> lxml_html.HtmlElement:
    doc, _ = load(DATA / f"{name}.xml")
    return lxml_html.fromstring(render(doc.tree, "html", {**PARAMS, "source-name": name}))


def test_page_has_every_reading_with_its_witnesses():
    root = page("parallel")
    apps = root.xpath('//div[@class="text"]//*[@class="app"]')
    assert len(apps) == 11
    first = apps[0].xpath("*")
    assert [(r.text_content(), r.get("data-wit"), r.get("hidden") is None) for r in first] == [
        ("virumque", "A", True), ("virosque", "B", False), ("uirumque", "C", False)]
    group = apps[6].xpath("*")  # multum A] multa ω: the group is B and C
    assert [r.get("data-wit") for r in group] == ["A", "B C"]
    # an entry in the list links back to its call, its sigla to the witness list
    entry = root.get_element_by_id("tk-app-1")
    assert entry.xpath("a[@class='note-num']/@href") == ["#tk-aref-1"]
    assert root.get_element_by_id("tk-aref-1").get("href") == "#tk-app-1"
    for href in root.xpath("//a[@class='siglum']/@href"):
        assert root.get_element_by_id(href[1:]).tag == "dt"
    witnesses = root.get_element_by_id("tk-witnesses")
    assert [dt.text for dt in witnesses.iter("dt")] == ["A", "ω", "B", "C"]
    assert "Codex Palatinus" in witnesses.text_content()
    options = root.xpath("//select[@id='tk-witness']/option/@value")
    assert options == ["", "A", "B", "C"]
    assert root.xpath("//script[@src='assets/apparatus.js']")
    assert not root.xpath("//a[contains(@href, '.witness-')]")
    doc, _ = load(DATA / "parallel.xml")
    linked = lxml_html.fromstring(render(doc.tree, "html", {
        **PARAMS, "source-name": "parallel", "witness-texts": "B,Z"}))
    assert linked.xpath("//ul[@class='downloads']//a[contains(@href, 'witness')]/@href") == [
        "../text/parallel.witness-B.txt"]


def test_a_name_in_a_reading_links_to_the_register():
    root = page("parallel")
    reading = root.xpath('//*[@class="app-rdg"][@data-wit="B"][contains(., "saevae")]')[0]
    assert reading.xpath(".//a[@href='persons.html#iuno']")
    doc, _ = load(DATA / "parallel.xml")
    facts = render(doc.tree, "html", {**PARAMS, "source-name": "parallel", "page": "facts"})
    assert facts.count('"id":"iuno"') >= 2, "both mentions, the lemma's and the reading's"


def test_page_lists_entries_without_a_place():
    root = page("double-end")
    unplaced = root.xpath("//li[contains(@class, 'app-unplaced')]")
    assert len(unplaced) == 3
    assert all(li.xpath("span[@class='note-num']") for li in unplaced), "no call to go back to"
    assert [li.get("data-wit") for li in unplaced] == ["C", "A", "C"]
    assert not root.xpath("//*[contains(@class, 'text')]//li"), "the listApp is not in the text"


def test_lacuna_markers_name_their_witness():
    root = page("lacunae")
    markers = [(m.get("data-kind"), m.get("data-wit"))
               for m in root.xpath("//*[contains(@class, 'app-marker')]")]
    assert markers == [("lacuna-start", "B"), ("lacuna-end", "B"), ("wit-start", "E"),
                       ("wit-end", "D")]


# ---------------------------------------------------------------------------------------------
# validation


def findings(path: Path, project=None) -> list[tuple[int, str]]:
    rules = {"apparatus-unattached", "apparatus-overlap", "apparatus-lemma", "lacuna-unbalanced",
             "apparatus-base-witness"}
    return [(d.line, d.rule) for d in validate([path], project) if d.rule in rules]


def test_what_cannot_be_placed_is_reported_with_its_line():
    assert findings(DATA / "double-end.xml") == [
        (33, "apparatus-overlap"), (34, "apparatus-unattached"), (35, "apparatus-unattached")]
    assert findings(DATA / "located.xml") == [
        (37, "apparatus-lemma"), (38, "apparatus-lemma"), (39, "apparatus-unattached")]
    assert findings(DATA / "parallel.xml") == findings(DATA / "lacunae.xml") == []
    [message] = [d.format() for d in validate([DATA / "double-end.xml"])
                 if d.rule == "apparatus-overlap"]
    assert message.endswith("double-end.xml:33:9: warning: the words of this entry (@from, @to) "
                            "cross those of the entry at line 32: they share words, and neither "
                            "holds the other; it is listed in the apparatus without a place in "
                            "the text [apparatus-overlap]")


TEMPLATE = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>
</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><listWit><witness xml:id="A"/>
<witness xml:id="B"/></listWit></sourceDesc></fileDesc></teiHeader><text><body>
{body}
</body></text></TEI>"""


def test_unbalanced_lacunae_are_reported(tmp_path: Path):
    path = tmp_path / "lac.xml"
    path.write_text(TEMPLATE.format(body="""<p>a <app><lem>b</lem><rdg wit="#B">b<lacunaStart/></rdg></app>
c <app><lem>d</lem><rdg wit="#A"><lacunaEnd/>d</rdg></app> e <app><lem>f</lem><rdg><lacunaStart/></rdg></app></p>"""))
    found = [(d.line, d.message.split(":")[0]) for d in validate([path])
             if d.rule == "lacuna-unbalanced"]
    assert found == [(4, "the lacuna of witness B that begins here never ends"),
                     (5, "this lacunaEnd ends a lacuna of witness A that never began"),
                     (5, "this lacunaStart names no witness")]


def test_base_witness(tmp_path: Path):
    (tmp_path / "tei").mkdir()
    path = tmp_path / "tei" / "b.xml"
    path.write_text(TEMPLATE.format(body='<p>x <app><rdg wit="#A">alpha</rdg><rdg wit="#B">beta'
                                         '</rdg></app> y <app><rdg wit="#A">gamma</rdg></app></p>'))
    from toolkit.project.config import load_project

    (tmp_path / "teikit.toml").write_text('base_witness = "#B"\n')
    project = load_project(tmp_path)
    assert project.base_witness == "B"
    text = body(render_text(path, "reading", **PARAMS, **{"base-witness": "B"}))
    assert text.split() == ["x", "beta", "y", "gamma"]
    assert body(render_text(path, "reading", **PARAMS)).split() == ["x", "alpha", "y", "gamma"]
    assert findings(path, project) == [(4, "apparatus-base-witness")]
    (tmp_path / "teikit.toml").write_text('base_witness = "Z"\n')
    assert [r for _, r in findings(path, load_project(tmp_path))] == ["apparatus-base-witness"]


# ---------------------------------------------------------------------------------------------
# configuration and build


def test_configuration_is_checked(tmp_path: Path):
    from toolkit.errors import ConfigError
    from toolkit.project.config import load_project

    (tmp_path / "tei").mkdir()
    for bad in ('witness_texts = "yes"', "witness_texts = [1]", 'base_witness = "a b"'):
        (tmp_path / "teikit.toml").write_text(bad + "\n")
        with pytest.raises(ConfigError) as err:
            load_project(tmp_path)
        assert "witness" in str(err.value.message)
    (tmp_path / "teikit.toml").write_text('witness_texts = ["#A", "B"]\n')
    assert load_project(tmp_path).witness_texts == ["A", "B"]


def test_build_writes_the_text_of_each_witness(tmp_path: Path):
    import toolkit

    (tmp_path / "tei").mkdir()
    for name in ("lacunae", "parallel"):
        (tmp_path / "tei" / f"{name}.xml").write_bytes((DATA / f"{name}.xml").read_bytes())
    (tmp_path / "teikit.toml").write_text('title = "T"\nformats = ["text"]\n'
                                          'witness_texts = ["B", "E"]\nvalidate = false\n')
    project = toolkit.load_project(tmp_path)
    toolkit.build(project, toolkit.BuildOptions())
    written = sorted(p.name for p in (tmp_path / "output" / "text").glob("*.witness-*.txt"))
    assert written == ["lacunae.witness-B.txt", "lacunae.witness-E.txt", "parallel.witness-B.txt"]
    text = (tmp_path / "output" / "text" / "lacunae.witness-B.txt").read_text(encoding="utf-8")
    assert paragraphs(body(text)) == paragraphs((DATA / "lacunae.B.txt").read_text())


# ---------------------------------------------------------------------------------------------
# the corpora that carry an apparatus


def corpus_apparatus_files() -> list:
    from conftest import CORPORA

    if not CORPORA.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CORPORA} is absent"))]
    found = [p for p in sorted(CORPORA.rglob("*.xml")) if b"<app" in p.read_bytes()
             and "edge" not in p.relative_to(CORPORA).parts]
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in found]


def reading_words(app: etree._Element) -> list[str]:
    """The words of every reading of an entry (lem and rdg), notes left out."""
    out = []
    for reading in app.iter(T + "lem", T + "rdg"):
        if next(reading.iterancestors(T + "app")) is not app:
            continue
        out += re.findall(r"[^\W\d_]+", "".join(_text_without_notes(reading)))
    return out


def _text_without_notes(el: etree._Element):
    yield el.text or ""
    for child in el:
        if child.tag != T + "note":
            yield from _text_without_notes(child)
        yield child.tail or ""


@pytest.mark.parametrize("path", corpus_apparatus_files())
def test_corpus_shows_every_reading(path: Path):
    doc, _ = load(path)
    apps = list(doc.root.iter(T + "app"))
    assert apps
    page_root = lxml_html.fromstring(render(doc.tree, "html", {**PARAMS, "source-name": "x"}))
    on_page = set(re.findall(r"[^\W\d_]+", page_root.text_content()))
    text = render_text(path, "reading", **PARAMS)
    in_text = set(re.findall(r"[^\W\d_]+", text))
    for app in apps:
        for word in reading_words(app):
            assert word in on_page, f"line {app.sourceline}: {word!r} is not on the page"
            assert word in in_text, f"line {app.sourceline}: {word!r} is not in the text"


@pytest.mark.slow
def test_pages_are_valid_html(tmp_path: Path):
    """The Nu Html Checker finds no error in the pages of the critical editions."""
    from test_site import run_vnu

    pages = []
    for source in sorted(DATA.glob("*.xml")):
        doc, _ = load(source)
        out = tmp_path / f"{source.stem}.html"
        out.write_text(render(doc.tree, "html", {**PARAMS, "source-name": source.stem}), "utf-8")
        pages.append(out)
    assert run_vnu(pages) == []


def test_readings_of_other_witnesses_are_found_by_search(tmp_path: Path):
    from toolkit.html.search import page_blocks

    out = tmp_path / "parallel.html"
    doc, _ = load(DATA / "parallel.xml")
    out.write_text(render(doc.tree, "html", {**PARAMS, "source-name": "parallel"}), "utf-8")
    first = page_blocks(out)[0]
    assert first["t"].startswith("Arma virumque cano, Troiae qui primus")
    assert first["x"].split()[:3] == ["virosque", "uirumque", "nunc"]
