"""An edition of letters with separate authority files (tests/data/letters), built as
`teikit build` builds it: every pointer that can resolve is a link (into the registers, to other
letters and their paragraphs), cards carry the data of the authority files, the registers list
every mention with backlinks and the letters sent and received, letters carry their
correspondence and their neighbours, the index of letters counts them, and the exports (CMIF,
CSV, JSON-LD) parse and validate. Also: large registers split, entries nobody mentions left
out (or listed on request), register files cheap (no PDF of their own), and a rebuild after an
edit of an entry rebuilds the letters that show it and no other."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from conftest import shared_path
from lxml import etree
from lxml import html as lxml_html
from test_site import _crawl, cls

from toolkit.builder import BuildOptions, build
from toolkit.html import registers
from toolkit.project.config import load_project

REPO = Path(__file__).resolve().parents[1]
LETTERS = REPO / "tests" / "data" / "letters"
#: the CMIF schema of the TEI Correspondence SIG (schema/cmi-customization.rng of
#: github.com/TEI-Correspondence-SIG/CMIF), where a developer has it: not shipped here
CMIF_RNG = Path(os.environ.get("TEIKIT_CMIF_RNG", "/nonexistent"))
TEI = "{http://www.tei-c.org/ns/1.0}"
DATE = "2026-12-01"


def build_letters(root: Path, **settings) -> Path:
    """Copy the letters edition to ``root`` (with extra settings) and build it; its html/."""
    shutil.copytree(LETTERS, root, dirs_exist_ok=True)
    if settings:
        with open(root / "teikit.toml", "a", encoding="utf-8") as f:
            for k, v in settings.items():
                f.write(f"{k} = {json.dumps(v)}\n")
    build(load_project(root), BuildOptions(formats=["html", "text"], jobs=1, build_date=DATE))
    return root / "output" / "html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_letters(tmp_path_factory.mktemp("letters") / "edition")


def page(site: Path, name: str):
    return lxml_html.parse(str(site / f"{name}.html")).getroot()


def hrefs(root, xpath: str) -> list[str]:
    return [a.get("href") for a in root.xpath(xpath)]


# ------------------------------------------------------------------------------- links


def test_every_link_of_the_edition_resolves(site: Path) -> None:
    assert _crawl(site) == []


def test_pointers_into_the_authority_files_are_links_with_cards(site: Path) -> None:
    letter = page(site, "L00001")
    ents = {a.text_content(): a for a in letter.xpath(cls("a", "ent"))}
    # "#pmb11" is declared by listperson.xml: a link to its entry, its card from that file
    assert ents["Bahr"].get("href") == "persons.html#pmb11"
    card = letter.get_element_by_id(ents["Bahr"].get("data-card"))
    assert "Hermann Bahr" in card.text_content() and "1863–1934" in card.text_content()
    # works and events have registers of their own now
    assert ents["Reigen"].get("href") == "works.html#w_reigen"
    assert "ent-work" in ents["Reigen"].get("class")
    assert letter.xpath('//a[@href="works.html#w_reigen"]//cite'), "a title stays a title"
    assert ents["Uraufführung"].get("href") == "events.html#ev_premiere"
    assert ents["Burgtheater"].get("href") == "organisations.html#burgtheater"
    # @key names the entry by its @n
    assert ents["die Mildenburg"].get("href") == "persons.html#pmb50"


def test_links_into_other_documents_lead_to_their_pages_and_anchors(site: Path) -> None:
    one, two = page(site, "L00001"), page(site, "L00002")
    assert "L00002.html#L00002_p1" in hrefs(one, "//a[contains(@class, 'ref')]")
    assert "L00001.html" in hrefs(two, "//a[contains(@class, 'ref')]")
    # an authority address as pointer: the entry that has it (GND of Hermann Bahr)
    sender = two.xpath(cls("div", "letter-sent") + "//a")[0]
    assert sender.get("href") == "persons.html#pmb11"


# ----------------------------------------------------------------------------- letters


def test_a_letter_shows_its_correspondence(site: Path) -> None:
    meta = page(site, "L00002").xpath(cls("section", "letter-meta"))[0]
    sent = meta.xpath(cls("div", "letter-sent"))[0].text_content()
    received = meta.xpath(cls("div", "letter-received"))[0].text_content()
    assert "Hermann Bahr" in sent and "Salzburg" in sent
    # an uncertain date as the source gives it: a range, and said to be uncertain
    assert "between 2 February 1895 and 28 February 1895 (uncertain)" in sent
    assert "Arthur Schnitzler" in received
    links = hrefs(meta, ".//a")
    assert "places.html#salzburg" in links and "persons.html#pmb2121" in links


def test_previous_and_next_letter_on_the_page_and_in_the_text(site: Path) -> None:
    def nav(name: str) -> dict[str, str]:
        return {li.get("class").removeprefix("letter-nav-"): li.xpath(".//a")[0].get("href")
                for li in page(site, name).xpath(cls("nav", "letter-nav") + "//li")}

    assert nav("L00001") == {"next": "L00002.html"}
    # L00002 names its previous letter; its next one comes from the dates
    assert nav("L00002") == {"prev": "L00001.html", "next": "L00003.html"}
    # in its correspondence (Bahr and Mildenburg) L00003 is alone: only the edition's order
    assert nav("L00003") == {"prev": "L00002.html"}
    text = (site.parent / "text" / "L00002.txt").read_text(encoding="utf-8")
    assert "Previous letter: Schnitzler an Bahr, 1. 2. 1895 (L00001.txt)" in text
    assert "Next letter: Mildenburg an Bahr, 1896 (L00003.txt)" in text
    assert "From: Hermann Bahr, Salzburg" in text


def test_a_letter_dated_anew_moves_its_neighbours_in_a_rebuild(tmp_path: Path) -> None:
    """The neighbours are kept between builds while the letters' facts are the same: a text
    edit keeps them, a changed date of sending moves them (the kept ones are not used)."""
    site = build_letters(tmp_path / "edition")
    letter = tmp_path / "edition" / "tei" / "L00003.xml"

    def nav(name: str) -> dict[str, str]:
        return {li.get("class").removeprefix("letter-nav-"): li.xpath(".//a")[0].get("href")
                for li in page(site, name).xpath(cls("nav", "letter-nav") + "//li")}

    def rebuild() -> None:
        build(load_project(tmp_path / "edition"),
              BuildOptions(formats=["html"], jobs=1, build_date=DATE))

    letter.write_text(letter.read_text(encoding="utf-8").replace(
        "</body>", "<p>Nachschrift.</p></body>", 1), encoding="utf-8")
    rebuild()
    assert nav("L00003") == {"prev": "L00002.html"}
    letter.write_text(letter.read_text(encoding="utf-8").replace(
        '<date when="1896">1896</date>', '<date when="1890">1890</date>', 1), encoding="utf-8")
    rebuild()
    assert nav("L00003") == {"next": "L00001.html"}
    assert nav("L00001") == {"prev": "L00003.html", "next": "L00002.html"}


def test_index_of_letters_by_date_and_correspondent(site: Path) -> None:
    root = page(site, "letters")
    years = [h.text_content() for h in root.xpath(cls("section", "letter-year") + "/h3")]
    assert years == ["1895 (2)", "1896 (1)"]
    people = {li.xpath(".//a")[0].text_content(): li.text_content()
              for li in root.xpath(cls("ul", "correspondents") + "/li")}
    assert "3 letters (1 sent, 2 received)" in people["Hermann Bahr"]
    assert "1 letter (1 sent)" in people["Anna von Mildenburg"]
    assert list(people) == ["Hermann Bahr", "Arthur Schnitzler", "Anna von Mildenburg"], \
        "by surname"


# --------------------------------------------------------------------------- registers


def test_register_entries_show_their_data_and_every_mention(site: Path) -> None:
    persons = page(site, "persons")
    arthur = persons.get_element_by_id("pmb2121")
    text = arthur.text_content()
    assert "Also: Anatol" in text and "Schriftsteller; Arzt" in text
    assert "born 15. 5. 1862, Wien" in text
    links = hrefs(arthur, ".//a")
    assert "https://d-nb.info/gnd/118609807" in links
    assert "https://www.wikidata.org/wiki/Q44331" in links
    groups = {d.xpath(cls("p", "mentions-h"))[0].text_content(): hrefs(d, ".//a")
              for d in arthur.xpath(cls("div", "mentions"))}
    assert groups["Letters from"] == ["L00001.html"]
    assert groups["Letters to"] == ["L00002.html"]
    # each letter, then each passage: the signature of L00001, the salutation of L00002
    mentioned = groups["Mentioned in"]
    assert [h for h in mentioned if "#" not in h] == ["L00001.html", "L00002.html"]
    assert mentioned[1].startswith("L00001.html#") and mentioned[3] == "L00002.html#L00002_p1"
    # a life event of parts (a date element, then a place) reads as a list; a date written
    # only as @when is given as a date
    anna = persons.get_element_by_id("pmb50").text_content()
    assert "born 1872, Wien" in anna and "died 27 January 1947" in anna
    places = page(site, "places")
    assert "Letters sent from" in places.get_element_by_id("salzburg").text_content()
    # a name no file of the edition has is listed as the letter gives it
    assert "Herrn X" in persons.get_element_by_id("unbekannt").text_content()


def test_entries_nobody_mentions_are_left_out_unless_asked(site: Path, tmp_path: Path) -> None:
    persons = page(site, "persons")
    assert not persons.xpath('//*[@id="pmb999"]')
    assert "1 entry of the edition’s data that no text mentions is not listed" in \
        persons.xpath(cls("p", "register-note"))[0].text_content()
    listed = build_letters(tmp_path / "all", registers_unmentioned=True)
    assert lxml_html.parse(str(listed / "persons.html")).getroot().xpath('//*[@id="pmb999"]')


def test_authority_files_get_a_short_page_and_no_pdf(tmp_path: Path) -> None:
    root = tmp_path / "pdf"
    shutil.copytree(LETTERS, root)
    project = load_project(root)
    plan = build.__globals__["_plan_names"](project)
    from toolkit.builder.context import Workers, prepare
    from toolkit.builder.digests import Digests
    from toolkit.builder.edition import _formats_of
    from toolkit.project import paths

    prepared = prepare(project, plan, Digests(paths.digests_file(project)), {}, "",
                       Workers(1, None), False)
    assert _formats_of(project, prepared, plan["listperson"], ["html", "pdf"]) == ["html"]
    assert _formats_of(project, prepared, plan["L00001"], ["html", "pdf"]) == ["html", "pdf"]
    project.registers_pdf = True
    assert _formats_of(project, prepared, plan["listperson"], ["html", "pdf"]) == ["html", "pdf"]


def test_a_large_register_is_split_by_initial_letter(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(registers, "PAGE_BUDGET", 2000)
    site = build_letters(tmp_path / "split")
    overview = page(site, "persons")
    pages = hrefs(overview, cls("nav", "register-pages") + "//a")
    assert pages == ["persons-b.html", "persons-s.html", "persons-v.html"]
    bahr = page(site, "persons-b").get_element_by_id("pmb11")
    assert "Hermann Bahr" in bahr.text_content()
    # every link to an entry leads to its page: from the letters, the cards, the index
    assert page(site, "L00001").xpath('//a[@href="persons-b.html#pmb11"]')
    assert "persons-s.html#pmb2121" in hrefs(page(site, "letters"), "//a")
    assert registers.entry_url("pmb11", "person", None) == "persons.html#pmb11"
    # the names no entry has stay on the overview page
    assert overview.xpath('//*[@id="unbekannt"]')
    assert _crawl(site) == []


def test_the_layout_keeps_pages_under_budget() -> None:
    """A letter of many entries is split into parts; each part within the budget."""
    listed = [(f"p{i}", "person", f"s{i:05}", "S", 3) for i in range(5000)]
    listed += [(f"q{i}", "person", f"a{i:05}", "A", 0) for i in range(10)]
    layout = registers.make_layout(listed)
    names = [p.name for p in layout.pages["person"]]
    assert names[0] == "persons-a" and names[1] == "persons-s1" and len(names) > 3
    for p in layout.pages["person"]:
        cost = sum(registers.ENTRY_COST + 3 * registers.MENTION_COST for _ in p.entities)
        assert cost <= registers.PAGE_BUDGET + registers.ENTRY_COST
    assert layout.url("p4999", "person") == f"{names[-1]}.html#p4999"


# ------------------------------------------------------------------------------ exports


def test_cmif_is_valid_and_names_people_by_authority(site: Path) -> None:
    doc = etree.parse(str(site / "cmif.xml"))
    if CMIF_RNG.is_file():
        schema = etree.RelaxNG(etree.parse(str(CMIF_RNG)))
        assert schema.validate(doc), schema.error_log
    assert cmif_problems(doc) == []
    descs = doc.findall(f".//{TEI}correspDesc")
    assert [d.get("ref") for d in descs] == [
        f"https://letters.example.org/edition/L0000{i}.html" for i in (1, 2, 3)]
    first = descs[0]
    assert first.find(f"{TEI}correspAction[@type='sent']/{TEI}persName").get("ref") == \
        "https://d-nb.info/gnd/118609807"
    assert first.find(f"{TEI}correspAction[@type='sent']/{TEI}placeName").get("ref") == \
        "https://www.geonames.org/2761369"
    second = descs[1].find(f"{TEI}correspAction[@type='sent']/{TEI}date")
    assert (second.get("notBefore"), second.get("notAfter")) == ("1895-02-02", "1895-02-28")


def cmif_problems(doc) -> list[str]:
    """The rules of CMIF's Schematron (odd/cmif.sch) and the shape its schema requires of the
    header, restated in XPath."""
    ns = {"t": TEI[1:-1]}
    problems = []
    shape = ["t:teiHeader/t:fileDesc/t:titleStmt/t:title", "t:teiHeader/t:fileDesc/t:titleStmt/t:editor",
             "t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher",
             "t:teiHeader/t:fileDesc/t:publicationStmt/t:idno[@type='url']",
             "t:teiHeader/t:fileDesc/t:publicationStmt/t:date[@when]",
             "t:teiHeader/t:fileDesc/t:publicationStmt/t:availability/t:licence[@target]",
             "t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl", "t:teiHeader/t:profileDesc/t:correspDesc",
             "t:text/t:body"]
    problems += [f"missing {x}" for x in shape if not doc.getroot().xpath(x, namespaces=ns)]
    order = [etree.QName(e).localname for e in doc.getroot().xpath(
        "t:teiHeader/t:fileDesc/t:publicationStmt/*", namespaces=ns)]
    if order != ["publisher", "idno", "date", "availability"]:
        problems.append(f"publicationStmt in the order {order}")
    ids = set(doc.xpath("//t:sourceDesc/t:bibl/@xml:id", namespaces=ns))
    for b in doc.xpath("//t:sourceDesc/t:bibl", namespaces=ns):
        if not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                         b.get("{http://www.w3.org/XML/1998/namespace}id", "")):
            problems.append("bibl/@xml:id is no UUID")
        if b.get("type") not in ("print", "online", "hybrid"):
            problems.append("bibl/@type")
    for c in doc.xpath("//t:correspDesc", namespaces=ns):
        for kind in ("sent", "received"):
            if not c.xpath(f"t:correspAction[@type='{kind}']", namespaces=ns):
                problems.append(f"no correspAction of type {kind}")
        if c.get("source", "").lstrip("#") not in ids:
            problems.append("correspDesc/@source names no bibl")
        if not c.get("ref", "").startswith("https://"):
            problems.append("correspDesc/@ref is no address")
    for d in doc.xpath("//t:correspAction/t:date", namespaces=ns):
        values = [d.get(a) for a in ("when", "from", "to", "notBefore", "notAfter")]
        if not any(values):
            problems.append("a date without a dating attribute")
        problems += [f"date {v}" for v in values
                     if v and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v)]
    return problems


def test_registers_as_csv_and_json_ld(site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((site / "data" / "registers.csv").read_text("utf-8"))))
    by_id = {r["id"]: r for r in rows}
    assert by_id["pmb2121"]["gnd"] == "https://d-nb.info/gnd/118609807"
    assert by_id["pmb2121"]["url"] == "https://letters.example.org/edition/persons.html#pmb2121"
    assert by_id["wien"]["lat"] == "48.2082" and by_id["wien"]["geonames"]
    assert by_id["w_reigen"]["type"] == "work" and by_id["ev_premiere"]["type"] == "event"
    assert int(by_id["pmb11"]["documents"]) == 3
    data = json.loads((site / "data" / "registers.jsonld").read_text("utf-8"))
    assert data["@context"] == "https://schema.org"
    nodes = {n["identifier"]: n for n in data["@graph"]}
    assert nodes["pmb2121"]["@type"] == "Person"
    assert "http://www.wikidata.org/entity/Q44331" not in nodes["pmb2121"]["sameAs"]
    assert "https://www.wikidata.org/entity/Q44331" in nodes["pmb2121"]["sameAs"]
    assert nodes["wien"]["geo"] == {"@type": "GeoCoordinates", "latitude": 48.2082,
                                    "longitude": 16.3738}
    assert nodes["burgtheater"]["@type"] == "Organization"
    assert {n["@id"] for n in data["@graph"]} == {r["url"] for r in rows}


def test_cmif_needs_the_public_address(tmp_path: Path) -> None:
    root = tmp_path / "nourl"
    shutil.copytree(LETTERS, root)
    toml = (root / "teikit.toml").read_text().replace(
        'base_url = "https://letters.example.org/edition"\n', "")
    (root / "teikit.toml").write_text(toml)
    build(load_project(root), BuildOptions(formats=["html"], jobs=1, build_date=DATE))
    assert not (root / "output" / "html" / "cmif.xml").exists()
    assert (root / "output" / "html" / "data" / "registers.csv").is_file()


def test_edition_id_must_be_a_uuid(tmp_path: Path) -> None:
    from toolkit.errors import ConfigError

    (tmp_path / "teikit.toml").write_text('edition_id = "not-a-uuid"\n')
    (tmp_path / "tei").mkdir()
    with pytest.raises(ConfigError, match="edition_id"):
        load_project(tmp_path)
    (tmp_path / "teikit.toml").write_text(f'edition_id = "{uuid.uuid4()}"\n')
    load_project(tmp_path)


# ---------------------------------------------------------------------------- rebuilds


def test_an_edited_entry_rebuilds_the_letters_that_show_it(tmp_path: Path) -> None:
    root = tmp_path / "rebuild"
    build_letters(root)
    project = load_project(root)
    people = root / "tei" / "listperson.xml"
    people.write_text(people.read_text().replace("Sängerin", "Sopranistin"))
    report = build(project, BuildOptions(formats=["html", "text"], jobs=1, build_date=DATE))
    # Mildenburg is named in L00001 and L00003 and by L00002's text: those three show her
    # card; L00002 names her by #pmb50 too
    assert sorted(report.built) == ["L00001", "L00002", "L00003", "listperson"]
    (root / "tei" / "listplace.xml").write_text(
        (root / "tei" / "listplace.xml").read_text().replace("Theater in Wien", "Hoftheater"))
    report = build(project, BuildOptions(formats=["html", "text"], jobs=1, build_date=DATE))
    assert sorted(report.built) == ["L00001", "listplace"], "only L00001 names the theatre"
    card = page(root / "output" / "html", "L00001").xpath(
        "//div[@id='tk-card-burgtheater']")[0].text_content()
    assert "Hoftheater" in card
    letter = root / "tei" / "L00003.xml"
    letter.write_text(letter.read_text().replace("ich singe", "ich singe wieder"))
    report = build(project, BuildOptions(formats=["html", "text"], jobs=1, build_date=DATE))
    assert report.built == ["L00003"]


# ------------------------------------------------------------------------- real letters


def test_escher_letters_resolve_their_keys_into_the_registers(tmp_path: Path) -> None:
    """The Escher letters name persons and places by @key (the entry's @n) in files of their
    own: every mention with an entry there links to it, with its data on the card; the order
    of letters and their correspondents agree between the index and the pages."""
    corpus = shared_path("corpora", "variety", "escher-briefe")
    root = tmp_path / "escher"
    (root / "tei").mkdir(parents=True)
    for f in corpus.glob("*.xml"):
        shutil.copyfile(f, root / "tei" / f.name)
    (root / "teikit.toml").write_text('title = "Escher"\nvalidate = false\n')
    build(load_project(root), BuildOptions(formats=["html"], jobs=1, build_date=DATE))
    site = root / "output" / "html"
    letter = page(site, "K_0133_AE_an_Heer_Oswald_1836-10-12_1836-10-17")
    heer = [a for a in letter.xpath(cls("a", "ent")) if a.get("href", "").endswith("#Heer-Oswald")]
    assert heer, "key 'Heer Oswald' is the entry Heer-Oswald of people.xml"
    card = letter.get_element_by_id(heer[0].get("data-card")).text_content()
    assert "1809–1883" in card
    belvoir = letter.xpath('//a[@href="places.html#Belvoir_Enge_Z%C3%BCrich"]')
    assert belvoir, "key 'Belvoir (Enge, Zürich)' is the place Belvoir_Enge_Zürich"
    sender = letter.xpath(cls("div", "letter-sent") + "//a")[0].get("href")
    assert sender == "persons.html#Heer-Oswald"
    assert _crawl(site) == []


def test_the_index_and_the_stylesheets_read_letters_alike(tmp_path: Path) -> None:
    """The letters' order is made from the index (Python, before any page) and their pages
    from the stylesheets: both read the same title and the same correspondents."""
    from toolkit.html.page import document_facts
    from toolkit.load import load
    from toolkit.validation.index import IdIndex

    folders = [LETTERS / "tei"]
    escher = REPO.parent / "shared" / "corpora" / "variety" / "escher-briefe"
    if escher.is_dir():
        folders.append(escher)
    for folder in folders:
        index = IdIndex.build([folder])
        for path in sorted(folder.glob("*.xml")):
            file = str(path.resolve())
            doc, _ = load(path)
            facts = document_facts(doc, None, name=path.stem)
            assert index.titles.get(file, path.stem) == facts["title"], path.name
            letter = index.letters.get(file)
            if letter is None or facts.get("letter") is None:
                assert letter is None and facts.get("letter") is None
                continue
            for role in ("senders", "addressees"):
                assert len(letter[role]) == len(facts["letter"][role]), (path.name, role)


# -------------------------------------------------------------------- a generated edition


def test_a_correspondent_of_many_letters_has_a_folded_list(tmp_path: Path) -> None:
    """bench/make_letters.py's edition, small: its main correspondent (pmb0) is party to every
    letter; the entry's long lists are folded (details) and say, in the edition's language
    (German), how many documents they hold."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    import make_letters

    root = make_letters.make_letters(tmp_path / "gen", letters=30, lines=3, authority=0.01)
    report = build(load_project(root), BuildOptions(formats=["html"], jobs=1, build_date=DATE))
    assert not report.failed
    html = root / "output" / "html"
    entry = next(p for p in html.glob("persons*.html")
                 if page(html, p.stem).xpath('//*[@id="pmb0"]'))
    pmb0 = page(html, entry.stem).get_element_by_id("pmb0")
    folded = pmb0.xpath(".//details[contains(@class, 'mentions-more')]")
    assert folded, "30 letters to and from one person are folded"
    for d in folded:  # in the edition's language, German
        n = len(d.xpath(".//a[@class='mention-doc']"))
        noun = "Dokumente" if "mentions-name" in d.getparent().get("class") else "Briefe"
        assert n > 12 and d.xpath("summary")[0].text_content() == f"{n} {noun}"
    # every letter is listed once, sent or received
    listed = pmb0.xpath(".//div[contains(@class, 'mentions-sender') or "
                        "contains(@class, 'mentions-addressee')]//a[@class='mention-doc']")
    assert sorted(a.get("href") for a in listed) == [f"L{n:05}.html" for n in range(1, 31)]


def test_site_pages_rendered_by_workers_are_the_pages_rendered_here(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """The edition-wide pages are handed to worker processes when there are many (so that
    Saxon's memory is not the main process's): they are the same pages, byte for byte, and a
    page that cannot be rendered is still an error that names it."""
    from toolkit.errors import TransformError
    from toolkit.html import pages_out

    started = []
    real_pool = pages_out.WorkerPool

    def counting_pool(*a, **kw):
        started.append(kw.get("max_workers"))
        return real_pool(*a, **kw)

    monkeypatch.setattr(pages_out, "WorkerPool", counting_pool)
    monkeypatch.setattr(pages_out, "MIN_PAGES", 10 ** 6)
    here = build_letters(tmp_path / "here")
    assert started == []
    monkeypatch.setattr(pages_out, "MIN_PAGES", 2)
    there = build_letters(tmp_path / "there")
    assert len(started) == 1
    site_pages = ["index", "letters", "search", "persons", "places"]
    for name in site_pages:
        assert (there / f"{name}.html").read_bytes() == (here / f"{name}.html").read_bytes()
    assert sorted(p.name for p in there.glob("*.html")) == sorted(p.name for p in here.glob("*.html"))

    queue = pages_out.PageQueue(None)
    bad = etree.fromstring("<x/>").getroottree()
    for i in range(3):
        queue.add(tmp_path / "no-such-folder" / f"bad{i}.html", bad, {}, lambda: None)
    with pytest.raises(TransformError, match=r"bad\d\.html"):
        queue.run()
