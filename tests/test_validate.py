"""teikit validate: every check, exact rule ids and places, on small samples and the edge corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED

from toolkit.diagnostics import Diagnostic
from toolkit.load import load
from toolkit.validation import IdIndex, schema, validate, validate_document

DATA = Path(__file__).resolve().parent / "data" / "validate"
EDGE = SHARED / "corpora" / "edge"


@pytest.fixture(scope="module", autouse=True)
def tei_all() -> Path:
    return schema.install()  # a no-op once installed in the user's cache


def run(name: str) -> list[Diagnostic]:
    return validate([DATA / name])


def where(diags, rule):
    return [(d.line, d.column, d.severity) for d in diags if d.rule == rule]


def test_valid_document_has_no_diagnostics():
    assert run("valid.xml") == []


def test_misspelt_element_suggests_the_tei_name():
    d = [x for x in run("schema-errors.xml") if x.line == 12 and x.rule == "rng"]
    assert d[0].column == 12
    assert d[0].message == 'element "persname" is not defined in the schema; did you mean "persName"?'


def test_misspelt_attribute_lists_what_is_allowed():
    (d,) = [x for x in run("schema-errors.xml") if x.line == 13]
    assert (d.column, d.rule) == (7, "rng")
    assert d.message.startswith('attribute "typo" is not allowed on "p"; allowed: "ana", ')
    assert '"xml:id"' in d.message and '"rend"' in d.message


def test_attribute_value_of_wrong_type():
    # Said once: the schema's error, in the words of the rule that says what to write.
    (d,) = [x for x in run("schema-errors.xml") if x.line == 12 and x.column == 53]
    assert (d.rule, d.severity) == ("rng", "error")
    assert d.message == ('invalid date "1936-13-01" on date: expected an ISO date: YYYY, '
                         "YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss")


def test_date_rule_alone_is_a_warning_and_says_how_to_write_a_year(tmp_path):
    """Where the schema allows any text (a customisation, or tei_all's @when-custom-like
    places), the toolkit's rule still speaks, as a warning; a year of less than four digits
    gets its four-digit form; a time of day, which TEI allows, is no finding."""
    sch = tmp_path / "free.rng"
    sch.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element>'
                   '<anyName/><ref name="any"/></element></start><define name="any">'
                   '<zeroOrMore><choice><attribute><anyName/></attribute><text/><element>'
                   '<anyName/><ref name="any"/></element></choice></zeroOrMore></define>'
                   "</grammar>")
    doc = tmp_path / "d.xml"
    doc.write_text(f'<?xml-model href="{sch.name}" schematypens="http://relaxng.org/ns/'
                   'structure/1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
                   '<p><date when="-53">53 BC</date> <date when="-00147">147 BC</date>\n'
                   '<date notAfter="13:00:00">noon</date></p></body></text></TEI>')
    got = [(d.line, d.severity, d.rule, d.message) for d in validate([doc])]
    assert got == [
        (3, "warning", "date-invalid", 'invalid date "-53" on date: expected an ISO date: '
         'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss (a year has four digits: "-0053")'),
        (3, "warning", "date-invalid", 'invalid date "-00147" on date: expected an ISO date: '
         'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss (a year has four digits: "-0147")'),
    ]


def test_attribute_value_of_wrong_type_other_than_a_date(tmp_path):
    f = tmp_path / "bad.xml"
    text = (DATA / "valid.xml").read_text()
    f.write_text(text.replace("<p>On", '<p xml:space="wide">On', 1))
    (d,) = [x for x in validate([f]) if x.rule == "rng"]
    assert d.message.startswith('value "wide" of attribute "xml:space" on "p" is invalid')


def test_element_out_of_order_says_what_is_expected():
    diags = run("schema-errors.xml")
    (head,) = [x for x in diags if x.line == 14]
    assert (head.column, head.rule) == (23, "rng")
    assert head.message.startswith('element "head" is not allowed at this position in "div"; '
                                   'expected element "ab", ')
    (p,) = [x for x in diags if x.line == 15]
    assert p.column == 7 and '"div"' in p.message and '"p"' not in p.message.split(";")[1]


def test_text_in_an_element_without_children_is_located(tmp_path):
    # Found by the fuzzer: a <div> holding only text, where the title was, has no children
    # to bisect; the fault is the element's own content.
    f = tmp_path / "bad.xml"
    text = (DATA / "valid.xml").read_text()
    f.write_text(text.replace("<title>A valid letter</title>", "<div>A valid letter</div>", 1))
    msgs = [(d.line, d.message) for d in validate([f]) if d.rule == "rng"]
    assert (5, 'text is not allowed in "div"') in msgs


def test_builtin_rules_and_integrity():
    diags = run("rules.xml")
    got = {(d.line, d.column, d.severity, d.rule) for d in diags}
    assert got == {
        (12, 7, "warning", "mention-untagged"),
        (12, 36, "error", "ref-unresolved"),
        (12, 83, "warning", "name-empty"),
        (13, 7, "error", "id-duplicate"),
        (13, 22, "warning", "choice-incomplete"),
        (13, 54, "warning", "date-range"),
        (14, 9, "error", "ref-unresolved"),
        (14, 48, "error", "ref-unresolved"),
        (19, 7, "warning", "entry-unused"),
    }
    msgs = {d.rule + ":" + d.message for d in diags}
    assert 'ref-unresolved:@target points to "other.xml#x1", but other.xml has no xml:id "x1"' in msgs
    assert any('"p1" is already used by the p at line 12' in m for m in msgs)


def test_strict_turns_warnings_into_errors():
    diags = validate([DATA / "rules.xml"], strict=True)
    assert all(d.severity == "error" for d in diags)


def test_folder_is_validated_file_by_file_sorted():
    diags = validate([DATA])
    paths = [d.path for d in diags]
    assert paths == sorted(paths)
    assert {Path(p).name for p in paths} == {"rules.xml", "schema-errors.xml"}


def test_many_files_are_checked_by_workers_with_the_same_findings(tmp_path):
    """A corpus is checked by worker processes (one per core, a few files each); what they
    find is what one process finds: schema errors, rules, and pointers resolved across files
    through the id index every worker is given."""
    for i in range(6):
        for name in ("rules.xml", "schema-errors.xml", "valid.xml", "other.xml"):
            (tmp_path / f"{i}-{name}").write_bytes((DATA / name).read_bytes())
    alone = validate([tmp_path], jobs=1)
    workers = validate([tmp_path], jobs=2)
    assert workers == alone
    assert {d.rule for d in alone} >= {"rng", "ref-unresolved"}
    assert len({d.path for d in alone}) == 12  # rules.xml and schema-errors.xml, six times


def test_missing_path_is_a_diagnostic():
    (d,) = validate([DATA / "nope.xml"])
    assert (d.rule, d.severity) == ("io", "error")


def test_validate_document_with_an_id_index():
    ids = IdIndex.build([DATA])
    doc, _ = load(DATA / "rules.xml")
    diags = validate_document(doc, None, ids)
    assert sum(d.rule == "ref-unresolved" for d in diags) == 3


def with_xml_model(tmp_path, href: str):
    """The valid sample with an xml-model processing instruction naming ``href``."""
    src = (DATA / "valid.xml").read_text(encoding="utf-8").replace(
        "<TEI ", f'<?xml-model href="{href}" '
        'schematypens="http://relaxng.org/ns/structure/1.0"?>\n<TEI ', 1)
    f = tmp_path / "m.xml"
    f.write_text(src, encoding="utf-8")
    return f


def test_xml_model_naming_an_absent_schema_warns_and_falls_back(tmp_path):
    (d,) = validate([with_xml_model(tmp_path, "https://example.org/none.rng")])
    assert (d.line, d.severity, d.rule) == (2, "warning", "schema-unavailable")
    assert "https://example.org/none.rng" in d.message and "tei_all" in d.message


def test_xml_model_of_tei_all_resolves_locally(tmp_path):
    href = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
    assert validate([with_xml_model(tmp_path, href)]) == []


EDGE_EXPECTED = {
    "perseus-latin/phi0972.phi001.perseus-eng1.xml": ("xml-syntax", 745),
    "perseus-latin/phi0972.phi001p.perseus-lat1.xml": ("xml-syntax", 526),
    "tei-guidelines/names-demo-en.xml": ("not-tei", 1),
    "tei-guidelines/sgmldecl.tei": ("not-xml", 1),
    "tei-guidelines/testi18n.xml": ("not-tei", 2),
    "tei-guidelines/testoucs.xml": ("not-tei", 3),
    "tei-guidelines/testp4compat.xml": ("not-tei", 2),
    "tei-guidelines/testcorpus.xml": ("doctype-ignored", 1),
}


@pytest.mark.parametrize("name", sorted(EDGE_EXPECTED))
def test_edge_corpus_gives_one_clear_diagnostic(name):
    path = EDGE / name
    if not path.exists():
        pytest.skip(f"{EDGE} is absent (shared test corpora only exist in the dev tree)")
    rule, line = EDGE_EXPECTED[name]
    diags = validate([path])
    first = [d for d in diags if d.rule == rule]
    assert first and first[0].line == line
    if rule == "not-tei":
        assert len([d for d in diags if d.is_error]) == 1


def test_p4_root_names_the_conversion():
    path = EDGE / "tei-guidelines/testp4compat.xml"
    if not path.exists():
        pytest.skip("edge corpus absent")
    (d,) = validate([path])
    assert d.message.startswith("not a TEI P5 document: root element TEI.2 is TEI P4; convert")


@pytest.mark.parametrize("name", ["tei-guidelines/testplus.xml", "tei-guidelines/testdrama.xml",
                                  "perseus-latin/phi1351.phi003.perseus-lat1.xml",
                                  "tei-guidelines/guidelines-en.xml"])
def test_edge_corpus_never_crashes(name):
    path = EDGE / name
    if not path.exists():
        pytest.skip("edge corpus absent")
    diags = validate([path])
    assert any(d.is_error for d in diags)


def test_did_you_mean_only_when_likely():
    from toolkit.validation.suggest import nearest

    names = ["persName", "placeName", "genName", "title", "hi", "div", "date", "surname"]
    assert nearest("persname", names) == "persName"  # case
    assert nearest("pesrName", names) == "persName"  # two letters swapped
    assert nearest("titel", names) == "title"
    assert nearest("dvi", names) == "div"
    assert nearest("surName", names) == "surname"
    assert nearest("eventName", names) is None  # another word, not a slip
    assert nearest("chapter", names) is None
    assert nearest("hx", ["hi", "ht"]) is None  # two as close: no guess


def test_long_lists_of_what_is_allowed_are_cut_to_the_likely_names():
    from toolkit.validation.suggest import show_list

    names = [("", f"n{i:03}") for i in range(200)] + [("", "persName"), ("", "p")]
    shown = show_list(names, like="persname", known={"n007"})
    assert shown == '"n000", "n001", "n002", "n003", "n004", "n007", "p" or "persName" and 194 more'
    assert show_list(names[:10]) == ", ".join(f'"n{i:03}"' for i in range(9)) + ' or "n009"'


def test_schema_messages_stay_short(tmp_path):
    """A misplaced or unknown element in a paragraph: the message names a few likely elements
    (those the document uses among them), not the 200 that TEI allows there."""
    f = tmp_path / "bad.xml"
    text = (DATA / "valid.xml").read_text()
    f.write_text(text.replace("<p>On", "<p><eventName>x</eventName> <respStmt/>On", 1))
    msgs = [d.message for d in validate([f]) if d.rule == "rng"]
    assert msgs and all(len(m) < 300 for m in msgs), msgs
    unknown = next(m for m in msgs if m.startswith('element "eventName"'))
    assert "did you mean" not in unknown and unknown.endswith(" more")
    assert '"date"' in unknown  # the sample uses <date>


def test_a_projects_folder_is_checked_without_the_copies_its_build_published(tmp_path):
    """`teikit validate .` in an edition checks its sources: the TEI copies the build put in
    output/ (each source again, findings and all) are not checked a second time, unless a
    folder inside output/ is named itself."""
    from toolkit.project.config import load_project

    (tmp_path / "teikit.toml").write_text('title = "t"\nsources = "tei/*.xml"\n')
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "rules.xml").write_bytes((DATA / "rules.xml").read_bytes())
    published = tmp_path / "output" / "html" / "tei"
    published.mkdir(parents=True)
    (published / "rules.xml").write_bytes((DATA / "rules.xml").read_bytes())
    project = load_project(tmp_path)
    checked = {Path(d.path).parts[0] for d in validate([tmp_path], project, jobs=1)}
    assert checked == {"tei"}
    named = validate([published], project, jobs=1)
    assert named and all("output" in d.path for d in named)
