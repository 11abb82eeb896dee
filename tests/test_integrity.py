"""Identifiers, pointers across files, unused entries and untagged mentions."""

from __future__ import annotations

import pickle
from pathlib import Path

from toolkit.load import load
from toolkit.validation import integrity
from toolkit.validation.index import IdIndex

DATA = Path(__file__).resolve().parent / "data" / "validate"


def test_id_index_is_cheap_plain_data():
    index = integrity.IdIndex.build([DATA])
    other = str((DATA / "other.xml").resolve())
    assert index.ids[other] == frozenset({"x2"})
    assert ("Ada Byron", "ada", "persName", False) in index.names[str((DATA / "valid.xml").resolve())]
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
    assert integrity.check(people, index) == []  # a register: see test_register_entries...


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


TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0">'


def edition(tmp_path, **files: str) -> IdIndex:
    for name, body in files.items():
        (tmp_path / name).write_text(TEI + body + "</TEI>", encoding="utf-8")
    return IdIndex.build([tmp_path])


def check(tmp_path, name: str, index: IdIndex | None) -> list[tuple[str, str, str]]:
    doc, _ = load(tmp_path / name)
    return [(d.rule, d.severity, d.message) for d in integrity.check(doc, index)]


REGISTER = ('<standOff><listPerson><person xml:id="pmb2121"><persName>Arthur Schnitzler'
            '</persName></person><person xml:id="pmb11"><persName>Hermann Bahr</persName>'
            "</person></listPerson></standOff>")


def test_hash_pointer_into_the_authority_file_of_the_edition_resolves(tmp_path):
    """Letters that point to their project's register with bare #ids (as many do): the one
    file that declares the id is where they lead; untagged mentions of its persons are found
    and the suggestion is written the way the letter writes its pointers."""
    index = edition(tmp_path, **{
        "listperson.xml": REGISTER,
        "letter.xml": '<text><body><p>Lieber <persName ref="#pmb2121">Arthur</persName>, '
                      "Hermann Bahr war hier.</p></body></text>"})
    assert index.resolve(str(tmp_path / "letter.xml"), "#pmb2121")[:2] == (
        str(tmp_path / "listperson.xml"), "pmb2121")
    assert check(tmp_path, "letter.xml", index) == [
        ("mention-untagged", "warning", '"Hermann Bahr" (entry "pmb11") is mentioned without '
         'markup: tag it as <persName ref="#pmb11">')]
    assert check(tmp_path, "listperson.xml", index) == []  # a register: nothing is unused


def test_register_entries_are_never_unused_but_a_documents_own_are(tmp_path):
    index = edition(tmp_path, **{
        "listperson.xml": REGISTER,
        "letter.xml": '<text><body><p>Ein Brief mit einem eigenen Personenverzeichnis, das '
                      "niemand braucht, und einem Gruß am Ende.</p></body></text><standOff><listPerson><person "
                      'xml:id="own"><persName>Niemand Sonst</persName></person></listPerson>'
                      "</standOff>"})
    assert index.is_register(str(tmp_path / "listperson.xml"))
    assert not index.is_register(str(tmp_path / "letter.xml"))
    assert check(tmp_path, "listperson.xml", index) == []
    assert [r for r, _, _ in check(tmp_path, "letter.xml", index)] == ["entry-unused"]


def test_declarations_in_another_file_resolve_or_say_where_they_would_be(tmp_path):
    """@rendition into a project-wide header, @who into a cast list kept in another file."""
    index = edition(tmp_path, **{
        "header.xml": '<teiHeader><encodingDesc><tagsDecl><rendition xml:id="langesS" '
                      'scheme="css">font-family: serif</rendition></tagsDecl></encodingDesc>'
                      "</teiHeader>",
        "cast.xml": '<text><front><castList><castItem><role xml:id="hamlet">Hamlet</role>'
                    "</castItem></castList></front><body><p>The cast of the play, kept apart "
                    "from its acts, which the editors publish one by one.</p></body></text>",
        "act1.xml": '<text><body><p><hi rendition="#langesS">ſ</hi> <hi rendition="#kursiv">x'
                    '</hi></p><sp who="#hamlet"><p>To be.</p></sp><sp who="#ghost"><p>Swear.'
                    "</p></sp></body></text>"})
    found = check(tmp_path, "act1.xml", index)
    assert [(r, s) for r, s, _ in found] == [("decl-unresolved", "warning")] * 2
    assert found[0][2] == (
        '@rendition points to "#kursiv", which no file of the edition declares: add a '
        '<rendition> (tagsDecl) with xml:id="kursiv" to this file or to one other file of the '
        "edition")
    assert found[1][2].startswith('@who points to "#ghost", which no file of the edition '
                                  "declares: add a <person> (particDesc, a register) or <role>")
    # Validated on its own, a file cannot know its edition: still a warning, saying so.
    alone = check(tmp_path, "act1.xml", None)
    assert [(r, s) for r, s, _ in alone] == [("decl-unresolved", "warning")] * 4
    assert "validate the edition whose file declares it" in alone[0][2]


def test_hash_pointer_never_leads_into_another_documents_text(tmp_path):
    """"#S1" means this file; an id that another document has on a division of its own text
    is no declaration for the edition: an error still, with the pointer that would lead there."""
    index = edition(tmp_path, **{
        "lite.xml": '<text><body><div xml:id="S1"><p>Stave one.</p></div></body></text>',
        "torture.xml": '<text><body><p><ref target="#S1">1</ref> <ref target="#S9">9</ref>'
                       "</p></body></text>"})
    lite = str(tmp_path / "lite.xml")
    assert index.resolve(str(tmp_path / "torture.xml"), "#S1") is None
    assert index.resolve(str(tmp_path / "torture.xml"), "lite.xml#S1")[:2] == (lite, "S1")
    assert index.files_defining("S1") == (lite,)
    assert check(tmp_path, "torture.xml", index) == [
        ("ref-unresolved", "error", '@target points to "#S1", but this file has no xml:id "S1" '
         '(lite.xml has one, inside its text rather than in a declaration: write "lite.xml#S1" '
         "if that is meant)"),
        ("ref-unresolved", "error", '@target points to "#S9", but no file of the edition has '
         'an element with xml:id "S9"')]


def test_an_id_that_several_files_declare_is_ambiguous(tmp_path):
    index = edition(tmp_path, **{
        "a.xml": REGISTER, "b.xml": REGISTER,
        "letter.xml": '<text><body><p><persName ref="#pmb11">Bahr</persName> und '
                      "Arthur Schnitzler.</p></body></text>"})
    letter = str(tmp_path / "letter.xml")
    assert index.resolve(letter, "#pmb11") is None
    assert index.declaring("pmb11") == (str(tmp_path / "a.xml"), str(tmp_path / "b.xml"))
    assert index.is_pointed_at(str(tmp_path / "a.xml"), "pmb11")  # counted for both
    (msg,) = [m for r, _, m in check(tmp_path, "letter.xml", index) if r == "ref-unresolved"]
    assert msg == ('@ref points to "#pmb11", which this file does not define and 2 files of '
                   'the edition declare (a.xml, b.xml): write "a.xml#pmb11" (or the file meant)')


def test_the_index_grows_with_ids_not_with_pointers(tmp_path):
    """The index is pickled to every worker: a thousand pointers to the same entries cost it
    nothing more than ten."""
    sizes = []
    for folder, n in (("a", 10), ("b", 1000)):  # names of one length: paths of one length
        (tmp_path / folder).mkdir()
        refs = "".join(f'<persName ref="{"#pmb2121" if i % 2 else "listperson.xml#pmb11"}">'
                       f"x</persName>" for i in range(n))
        index = edition(tmp_path / folder, **{
            "listperson.xml": REGISTER, "letter.xml": f"<text><body><p>{refs}</p></body></text>"})
        assert index.is_pointed_at(str(tmp_path / folder / "listperson.xml"), "pmb11")
        sizes.append(len(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)))
    assert sizes[0] == sizes[1]
