"""The edition's one resolver (IdIndex.resolve): every way a pointer of a letters edition names
another file, an entry or a document, and what the integrity check makes of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.load import load
from toolkit.validation import integrity
from toolkit.validation.authority import authority_uri, match_key
from toolkit.validation.index import IdIndex, Target

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"'

PERSONS = ('<teiHeader><fileDesc><titleStmt><title>Personen</title></titleStmt></fileDesc>'
           '</teiHeader><standOff><listPerson>'
           '<person xml:id="pmb2121" n="Schnitzler Arthur"><persName>Arthur Schnitzler</persName>'
           '<idno type="gnd">118609807</idno>'
           '<idno type="URI">http://www.wikidata.org/entity/Q44331</idno></person>'
           '<person xml:id="pmb11" n="Bahr Hermann"><persName>Hermann Bahr</persName></person>'
           "</listPerson><listPlace><place xml:id="
           '"wien"><placeName>Wien</placeName><idno type="geonames">2761369</idno></place>'
           "</listPlace></standOff>")


def write(folder: Path, files: dict[str, str]) -> IdIndex:
    for name, body in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        attrs = ' xml:id="' + name.split("/")[-1][:-4].upper() + '"' if name.startswith("L") \
            else ""
        path.write_text(f"{TEI}{attrs}>{body}</TEI>", encoding="utf-8")
    return IdIndex.build([folder])


@pytest.fixture
def edition(tmp_path) -> tuple[Path, IdIndex]:
    index = write(tmp_path, {
        "listperson.xml": PERSONS,
        "L00001.xml": '<teiHeader><fileDesc><titleStmt><title>Brief 1</title></titleStmt>'
                      '</fileDesc></teiHeader><text><body><p xml:id="p1">Eins.</p>'
                      "</body></text>",
        "letters/brief-zwei.xml": '<text><body><p>Zwei.</p></body></text>'})
    return tmp_path, index


def test_every_form_of_pointer_leads_where_it_says(edition):
    root, index = edition
    here = str(root / "L00001.xml")
    persons = str(root / "listperson.xml")
    two = str(root / "letters" / "brief-zwei.xml")
    assert index.resolve(here, "#pmb2121") == Target(persons, "pmb2121", "entry")
    assert index.resolve(here, "listperson.xml#pmb11") == Target(persons, "pmb11", "entry")
    assert index.resolve(here, "#p1") == Target(here, "p1", "element")
    assert index.resolve(two, "../L00001.xml#p1") == Target(here, "p1", "element")
    # a document by its file, its root's xml:id or its file name
    assert index.resolve(two, "../L00001.xml") == Target(here, None, "document")
    assert index.resolve(two, "L00001") == Target(here, None, "document")
    assert index.resolve(here, "brief-zwei") == Target(two, None, "document")
    # @key: an entry's id or its @n
    assert index.resolve(here, "Schnitzler Arthur", key=True) == Target(persons, "pmb2121",
                                                                       "entry")
    assert index.resolve(here, "pmb11", key=True) == Target(persons, "pmb11", "entry")
    assert index.resolve(here, "Niemand", key=True) is None
    # an authority address, in whichever way it is written
    for uri in ("https://d-nb.info/gnd/118609807", "http://d-nb.info/gnd/118609807/",
                "https://www.wikidata.org/wiki/Q44331", "http://www.wikidata.org/entity/Q44331",
                "https://www.geonames.org/2761369/wien.html", "http://sws.geonames.org/2761369/"):
        assert index.resolve(here, uri) is not None, uri
        assert index.resolve(here, uri).file == persons
    assert index.resolve(here, "https://d-nb.info/gnd/999") is None  # nobody's
    # nowhere: an unknown id, a missing file, other schemes
    for nowhere in ("#nobody", "missing.xml#p1", "L00001.xml#nobody", "mailto:a@b.c",
                    "javascript:alert(1)", "B0132"):
        assert index.resolve(here, nowhere) is None, nowhere


def test_xml_base_changes_what_a_pointer_means(tmp_path):
    index = write(tmp_path, {
        "register/persons.xml": PERSONS,
        "register/other.xml": '<standOff><listPerson><person xml:id="pmb2121"><persName>'
                              "Namensvetter</persName></person></listPerson></standOff>",
        "L00002.xml": '<text xml:base="register/"><body><p><persName ref="persons.xml#pmb11">'
                      'Bahr</persName> <persName ref="#pmb2121" xml:base="other.xml">X'
                      '</persName> <persName ref="Q44331" xml:base="http://www.wikidata.org/'
                      'entity/">Schnitzler</persName></p></body></text>'})
    letter = tmp_path / "L00002.xml"
    doc, _ = load(letter)
    els = doc.root.findall(".//{http://www.tei-c.org/ns/1.0}persName")
    from toolkit.validation.index import base_of
    here = str(letter.resolve())
    bases = [base_of(el, here) for el in els]
    persons = str((tmp_path / "register" / "persons.xml").resolve())
    assert index.resolve(here, "persons.xml#pmb11", bases[0]) == Target(persons, "pmb11",
                                                                         "entry")
    # without its base the pointer leads nowhere: persons.xml is not beside the letter
    assert index.resolve(here, "persons.xml#pmb11") is None
    # "#pmb2121" is declared by two files: ambiguous, unless a base says which
    assert index.resolve(here, "#pmb2121") is None
    assert index.resolve(here, "#pmb2121", bases[1]).file.endswith("other.xml")
    assert index.resolve(here, "Q44331", bases[2]) == Target(persons, "pmb2121", "entry")
    # the integrity check uses the same resolver: every pointer of the letter leads somewhere
    assert integrity.check(doc, index) == []


def test_integrity_and_pages_share_the_resolver(edition):
    """A pointer the resolver leads somewhere is no finding; one it cannot is."""
    root, index = edition
    (root / "L00003.xml").write_text(
        f'{TEI}><text><body><p><persName ref="#pmb2121">Arthur</persName> '
        '<ref target="L00001.xml#p1">eins</ref> <ref target="listperson.xml#pmb99">x</ref>'
        "</p></body></text></TEI>", encoding="utf-8")
    index.add(root / "L00003.xml")
    doc, _ = load(root / "L00003.xml")
    found = [(d.rule, d.message) for d in integrity.check(doc, index)]
    assert found == [("ref-unresolved", '@target points to "listperson.xml#pmb99", but '
                      'listperson.xml has no xml:id "pmb99"')]


def test_authority_identifiers_become_addresses():
    assert authority_uri("118609807", "gnd") == "https://d-nb.info/gnd/118609807"
    assert authority_uri("q44331", "wikidata") == "https://www.wikidata.org/entity/Q44331"
    assert authority_uri("2761369", "GeoNames") == "https://www.geonames.org/2761369"
    assert authority_uri("Nachl. O. Heer 184.1", None) is None  # a shelfmark
    assert authority_uri("12ab", "gnd") is None
    assert authority_uri("http://www.hls-dhs-dss.ch/textes/d/D13553.php", "URI") == \
        "http://www.hls-dhs-dss.ch/textes/d/D13553.php"
    assert match_key("https://www.wikidata.org/wiki/Q1") == match_key(
        "http://wikidata.org/entity/Q1")
    assert match_key("javascript:alert(1)") is None


def test_the_index_knows_letters_and_titles(edition):
    root, index = edition
    (root / "L00004.xml").write_text(
        f'{TEI} xml:id="L00004"><teiHeader><fileDesc><titleStmt><title type="sub">u</title>'
        "<title>Schnitzler an Bahr</title></titleStmt></fileDesc><profileDesc><correspDesc>"
        '<correspAction type="sent"><persName ref="#pmb2121">Schnitzler</persName>'
        '<date notBefore="1900-01-01" notAfter="1900-02-01">Anfang 1900</date></correspAction>'
        '<correspAction type="received"><persName key="Bahr Hermann">Bahr</persName>'
        '</correspAction><correspContext><ref type="prev" target="L00001"/></correspContext>'
        "</correspDesc></profileDesc></teiHeader><text><body><p>x</p></body></text></TEI>",
        encoding="utf-8")
    index.add(root / "L00004.xml")
    f = str(root / "L00004.xml")
    assert index.titles[f] == "Schnitzler an Bahr"
    assert index.letters[f] == {
        "sent": ["1900-01-01", "1900-02-01"], "senders": [["ptr", "#pmb2121"]],
        "addressees": [["key", "Bahr Hermann"]], "context": [["prev", "", "L00001"]]}
