"""Identifiers, pointers across files, unused entries and untagged mentions."""

from __future__ import annotations

import pickle
from pathlib import Path

from toolkit.load import load
from toolkit.validation import integrity

DATA = Path(__file__).resolve().parent / "data" / "validate"


def test_id_index_is_cheap_plain_data():
    index = integrity.IdIndex.build([DATA])
    other = str((DATA / "other.xml").resolve())
    assert index.ids[other] == frozenset({"x2"})
    assert ("Ada Byron", "ada", "persName") in index.names[str((DATA / "valid.xml").resolve())]
    assert pickle.loads(pickle.dumps(index)) == index


def test_pointer_into_another_file_resolves_through_the_index(tmp_path):
    (tmp_path / "people.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson>'
        '<person xml:id="p1"><persName>Karl Marx</persName></person>'
        '<person xml:id="p2"><persName>Rosa Luxemburg</persName></person>'
        "</listPerson></standOff></TEI>")
    (tmp_path / "letter.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        '<p><persName ref="people.xml#p1">Marx</persName> and Rosa Luxemburg.</p>\n'
        '<p><persName ref="people.xml#p9">X</persName></p></body></text></TEI>')
    index = integrity.IdIndex.build([tmp_path])
    doc, _ = load(tmp_path / "letter.xml")
    diags = sorted(integrity.check(doc, index), key=lambda d: d.line)
    assert [(d.line, d.rule) for d in diags] == [(2, "mention-untagged"), (3, "ref-unresolved")]
    assert diags[0].message == ('"Rosa Luxemburg" (entry "p2") is mentioned without markup: '
                                'tag it as <persName ref="people.xml#p2">')
    people, _ = load(tmp_path / "people.xml")
    unused = integrity.check(people, index)
    assert [(d.rule, d.severity) for d in unused] == [("entry-unused", "warning")]
    assert 'person "p2" is never referred to' in unused[0].message


def test_names_of_unrelated_files_are_not_looked_for(tmp_path):
    """Only the document's own entries and those of files it points into count: a novel that
    says "Walter" is not told to tag it because a play elsewhere in the corpus has a Walter."""
    (tmp_path / "play.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson>'
        '<person xml:id="w"><persName>Walter</persName></person></listPerson></standOff>'
        '<text><body><p><persName ref="#w">Walter</persName></p></body></text></TEI>')
    (tmp_path / "register.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson>'
        '<person xml:id="rl"><persName>Rosa Luxemburg</persName></person>'
        '<person xml:id="km"><persName>Karl Marx</persName></person>'
        "</listPerson></standOff></TEI>")
    (tmp_path / "novel.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        "<p>Walter met Karl Marx.</p></body></text></TEI>")
    (tmp_path / "letter.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        '<p>Walter met Karl Marx and <persName ref="register.xml#rl">Rosa</persName>.</p>'
        "</body></text></TEI>")
    index = integrity.IdIndex.build([tmp_path])
    novel, _ = load(tmp_path / "novel.xml")
    assert [d.message for d in integrity.check(novel, index)] == []
    letter, _ = load(tmp_path / "letter.xml")
    assert [d.message for d in integrity.check(letter, index)] == [
        '"Karl Marx" (entry "km") is mentioned without markup: tag it as '
        '<persName ref="register.xml#km">']


def test_duplicate_ids_are_diagnostics_not_crashes(tmp_path):
    f = tmp_path / "d.xml"
    f.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p xml:id="a"/>\n  <p xml:id="a"/></TEI>')
    doc, diags = load(f)
    assert diags == []
    (d,) = integrity.check(doc)
    assert (d.line, d.column, d.rule, d.severity) == (3, 3, "id-duplicate", "error")


def test_untagged_mentions_are_found_in_the_text_but_not_in_editorial_notes(tmp_path):
    src = tmp_path / "m.xml"
    src.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
        '<p>Then <persName ref="#st">Stalin</persName> spoke; later Stalin left Moscow.'
        '<note type="editorial">Stalin and Moscow here are the editors\' words.</note></p>'
        '</body></text><standOff><listPerson><person xml:id="st"><persName>Stalin</persName>'
        '</person></listPerson><listPlace><place xml:id="mo"><placeName>Moscow</placeName>'
        '</place></listPlace></standOff></TEI>', encoding="utf-8")
    doc, _ = load(src)
    found = [(d.rule, d.message) for d in integrity.check(doc) if d.rule == "mention-untagged"]
    assert found == [
        ("mention-untagged", '"Stalin" (entry "st") is mentioned without markup: tag it as '
                             '<persName ref="#st">'),
        ("mention-untagged", '"Moscow" (entry "mo") is mentioned without markup: tag it as '
                             '<placeName ref="#mo">'),
    ]
