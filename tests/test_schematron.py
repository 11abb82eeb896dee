"""The Schematron-to-XSLT compiler: rules, lets, messages, roles, abstract rules, relevance."""

from __future__ import annotations

from pathlib import Path

from toolkit.load import load
from toolkit.validation import relaxng, schematron

DATA = Path(__file__).resolve().parent / "data" / "validate"
TEI = "http://www.tei-c.org/ns/1.0"

SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <let name="min" value="2"/>
  <pattern id="titles">
    <rule abstract="true" id="has-text"><assert test="normalize-space(.)" id="empty">empty <name/></assert></rule>
    <rule context="tei:title"><extends rule="has-text"/>
      <let name="n" value="string-length(.)"/>
      <report test="$n gt 5" role="warning" id="long" diagnostics="d1">title "<value-of select="."/>" has <value-of select="$n"/> characters</report>
    </rule>
    <rule context="tei:*"><assert test="false()" id="never">second rule must not fire on title</assert></rule>
  </pattern>
  <pattern id="persons">
    <rule context="tei:person/@xml:id"><assert test="string-length(.) ge $min" id="short-id">id too short</assert></rule>
  </pattern>
  <diagnostics><diagnostic id="d1">Shorten it.</diagnostic></diagnostics>
</schema>"""


def test_compiled_rules_report_with_lines_and_roles(tmp_path):
    sch = tmp_path / "r.sch"
    sch.write_text(SCH.replace('<rule context="tei:*">', '<rule context="tei:titleStmt">'))
    schema = schematron.read(sch)
    doc, _ = load(DATA / "valid.xml")
    diags = schematron.check(doc, schema, relaxng.names_used(doc.root))
    by_rule = {d.rule: d for d in diags}
    assert set(by_rule) == {"sch:long", "sch:never"}
    long = by_rule["sch:long"]
    assert (long.line, long.column, long.severity) == (5, 18, "warning")
    assert long.message == 'title "A valid letter" has 14 characters Shorten it.'
    assert by_rule["sch:never"].severity == "error"


def test_first_matching_rule_wins_in_a_pattern(tmp_path):
    sch = tmp_path / "r.sch"
    sch.write_text(SCH)
    doc, _ = load(DATA / "valid.xml")
    diags = schematron.check(doc, schematron.read(sch), relaxng.names_used(doc.root))
    never = [d for d in diags if d.rule == "sch:never"]
    assert never and all((d.line, d.column) != (5, 18) for d in never)  # title: rule 1 only


def test_attribute_context_maps_to_its_element(tmp_path):
    sch = tmp_path / "r.sch"
    sch.write_text(SCH.replace('ge $min', 'ge 10'))
    doc, _ = load(DATA / "valid.xml")
    diags = schematron.check(doc, schematron.read(sch), relaxng.names_used(doc.root))
    (d,) = [d for d in diags if d.rule == "sch:short-id"]
    assert (d.line, d.column) == (17, 17)
    assert d.message == "@xml:id: id too short"


def test_rules_that_cannot_fire_are_not_compiled():
    ns = {"tei": TEI}
    elements = {(TEI, "p"), (TEI, "list")}
    attributes = {("", "type")}
    assert schematron._relevant("tei:p", ns, elements, attributes)
    assert not schematron._relevant("tei:lg", ns, elements, attributes)
    assert schematron._relevant("tei:lg | tei:list[@type='gloss']", ns, elements, attributes)
    assert not schematron._relevant("tei:*[@when]", ns, elements, attributes)
    assert schematron._relevant("tei:*[@type]", ns, elements, attributes)
    assert not schematron._relevant("tei:rt/@target", ns, elements, attributes)
    assert schematron._relevant("id('x')", ns, elements, attributes)  # unknown: kept


def test_embedded_tei_rules_run(tmp_path):
    from toolkit.validation import checks as validate
    from toolkit.validation import schema
    sch = validate._embedded(schema.install())
    assert len(sch.patterns) > 50
    f = tmp_path / "gloss.xml"
    f.write_text((DATA / "valid.xml").read_text().replace(
        "</body>", '<list type="gloss"><item>x</item></list></body>'))
    doc, _ = load(f)
    diags = schematron.check(doc, sch, relaxng.names_used(doc.root))
    (d,) = diags
    assert d.rule == "sch:tei_all-list-gloss-list-must-have-labels-constraint-rule-11"
    assert d.line == 14
