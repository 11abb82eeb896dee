"""ODD customisations compiled without Java: the toolkit's side of it (the release's
specifications and the TEI Stylesheets installed from files the user has, three transformations
run by saxonche with the right parameters, the result cached by content, chained ODDs, clear
messages when a piece is missing) is tested here with stand-ins for the TEI Stylesheets
(tests/data/odd/fake-stylesheets: the real ones are on no package registry, so CI cannot have
them). A compile with the real Stylesheets is checked by bench/odd_verdicts.py where a user has
them, against jing."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from toolkit.errors import SchemaError
from toolkit.project.config import load_project
from toolkit.validation import odd, schema, validate

DATA = Path(__file__).resolve().parent / "data" / "odd"
FAKE = DATA / "fake-stylesheets"

LETTER = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t
</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>
</fileDesc></teiHeader><text><body><div>{div}<p>{p}</p></div></body></text></TEI>"""


@pytest.fixture
def release(tmp_path, monkeypatch):
    """A user cache holding one TEI release with its specifications, as a release zip has."""
    real_tei_all = schema.schema_path()
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "tei-release" / "xml" / "tei"
    (folder / "custom" / "schema" / "relaxng").mkdir(parents=True)
    (folder / "odd").mkdir()
    (folder / "custom" / "odd").mkdir()
    shutil.copyfile(real_tei_all, folder / "custom" / "schema" / "relaxng" / "tei_all.rng")
    (folder / "odd" / "p5subset.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>specs</p></body></text></TEI>',
        encoding="utf-8")
    (folder / "custom" / "odd" / "tei_all.odd").write_text("<TEI/>", encoding="utf-8")
    schema.install(source=str(tmp_path / "tei-release"))
    return schema.status()["version"]


def letter(path: Path, div: str = "<head>h</head>", p: str = "text") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LETTER.format(div=div, p=p), encoding="utf-8")
    return path


def test_a_release_folder_brings_its_specifications_and_odds(release):
    folder = Path(schema.status()["path"]).parent
    assert (folder / "p5subset.xml").is_file() and (folder / "odd" / "tei_all.odd").is_file()
    assert schema.status()["specifications"] is True
    assert schema.p5subset() == folder / "p5subset.xml"


def test_compiling_needs_the_stylesheets(release, tmp_path):
    with pytest.raises(SchemaError, match="needs the TEI Stylesheets") as info:
        odd.compile_odd(DATA / "project.odd")
    assert "teikit schema install-stylesheets --from" in info.value.hint


def test_compiling_needs_a_release_with_specifications(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / "cache"))
    rng = tmp_path / "tei_all.rng"
    shutil.copyfile(schema.schema_path.__wrapped__() if hasattr(schema.schema_path, "__wrapped__")
                    else Path(__file__).parent / "data" / "schemas" / "letters.rng", rng)
    schema.install(source=str(rng))
    with pytest.raises(SchemaError, match="has no p5subset.xml") as info:
        odd.compile_odd(DATA / "project.odd", stylesheets=FAKE)
    assert "teikit schema install --from tei-X.Y.Z.zip" in info.value.hint


@pytest.mark.parametrize("packed", [False, True])
def test_the_stylesheets_install_from_a_folder_or_a_zip(release, tmp_path, packed):
    source = FAKE
    if packed:
        source = tmp_path / "tei-xsl-7.0.0.zip"
        with zipfile.ZipFile(source, "w") as zf:
            for f in FAKE.rglob("*"):
                zf.write(f, Path("xml/tei/stylesheet") / f.relative_to(FAKE))
    root = odd.install_stylesheets(str(source))
    assert root.name == "7.0.0-test" and (root / "odds" / "odd2relax.xsl").is_file()
    assert odd.installed_stylesheets() == root


def test_an_odd_compiles_against_the_installed_specifications(release):
    compiled = odd.compile_odd(DATA / "project.odd", stylesheets=FAKE)
    text = compiled.odd.read_text(encoding="utf-8")
    assert f"compiled against {schema.p5subset().as_uri()}" in text  # defaultSource given
    assert "<define name=\"said\">" not in compiled.rng.read_text(encoding="utf-8")
    assert "A div needs a head." in compiled.schematron.read_text(encoding="utf-8")


def test_a_compiled_odd_is_cached_by_content(release, tmp_path):
    own = tmp_path / "project.odd"
    shutil.copyfile(DATA / "project.odd", own)
    first = odd.compile_odd(own, stylesheets=FAKE)
    stamp = first.rng.stat().st_mtime_ns
    assert odd.compile_odd(own, stylesheets=FAKE).rng.stat().st_mtime_ns == stamp
    own.write_text(own.read_text(encoding="utf-8").replace('ident="said"', 'ident="sp"'),
                   encoding="utf-8")
    changed = odd.compile_odd(own, stylesheets=FAKE)
    assert changed.rng != first.rng and "<define name=\"said\">" in changed.rng.read_text()


def test_a_chained_odd_is_compiled_with_what_it_builds_on(release, tmp_path):
    for name in ("project.odd", "child.odd"):
        shutil.copyfile(DATA / name, tmp_path / name)
    assert odd.chain(tmp_path / "child.odd") == [tmp_path / "child.odd",
                                                 tmp_path / "project.odd"]
    before = odd.compile_odd(tmp_path / "child.odd", stylesheets=FAKE)
    grammar = before.rng.read_text(encoding="utf-8")
    assert "<define name=\"quote\">" not in grammar and "<define name=\"said\">" not in grammar
    assert "<define name=\"head\">" in grammar
    # A change in the ODD it builds on is a change of the chained one too.
    parent = tmp_path / "project.odd"
    parent.write_text(parent.read_text(encoding="utf-8").replace('"said"', '"sp"'),
                      encoding="utf-8")
    assert odd.compile_odd(tmp_path / "child.odd", stylesheets=FAKE).rng != before.rng


def test_an_odd_building_on_a_remote_source_is_refused(tmp_path):
    remote = tmp_path / "remote.odd"
    remote.write_text((DATA / "child.odd").read_text(encoding="utf-8").replace(
        'source="project.odd"', 'source="https://example.org/project.odd"'), encoding="utf-8")
    with pytest.raises(SchemaError, match="not a local file"):
        odd.chain(remote)


def test_a_projects_odd_is_what_its_documents_are_validated_against(release, tmp_path):
    odd.install_stylesheets(str(FAKE))
    shutil.copyfile(DATA / "project.odd", tmp_path / "project.odd")
    (tmp_path / "teikit.toml").write_text('schema = "project.odd"\n', encoding="utf-8")
    good = letter(tmp_path / "tei" / "good.xml")
    bad = letter(tmp_path / "tei" / "bad.xml", div="", p="<said>no</said>")
    project = load_project(tmp_path)
    assert [d for d in validate([good], project) if d.is_error] == []
    found = {d.rule.split(":")[0]: d.message for d in validate([bad], project) if d.is_error}
    assert '"said"' in found["rng"] and found["sch"] == "A div needs a head."


def test_an_xml_model_naming_an_odd_compiles_it(release, tmp_path):
    odd.install_stylesheets(str(FAKE))
    shutil.copyfile(DATA / "project.odd", tmp_path / "project.odd")
    doc = tmp_path / "a.xml"
    doc.write_text('<?xml-model href="project.odd" type="application/tei+xml" '
                   'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
                   + LETTER.format(div="", p="<said>x</said>"), encoding="utf-8")
    rules = {d.rule.split(":")[0] for d in validate([doc]) if d.is_error}
    assert rules == {"rng", "sch"}


def test_schema_compile_writes_the_schemas_for_other_tools(teikit, release, tmp_path):
    res = teikit("schema", "compile", str(DATA / "project.odd"), "-o", str(tmp_path / "x.rng"),
                 "--stylesheets", str(FAKE), env={"TEIKIT_CACHE": str(tmp_path / "cache")})
    assert res.code == 0, res.err
    assert "<define name=\"said\">" not in (tmp_path / "x.rng").read_text(encoding="utf-8")
    assert "A div needs a head." in (tmp_path / "x.sch").read_text(encoding="utf-8")


def test_a_project_can_pin_a_release(release, tmp_path):
    (tmp_path / "teikit.toml").write_text(f'tei_release = "{release}"\n', encoding="utf-8")
    project = load_project(tmp_path)
    assert validate([letter(tmp_path / "tei" / "a.xml")], project) == []
    (tmp_path / "teikit.toml").write_text('tei_release = "1.2.3"\n', encoding="utf-8")
    with pytest.raises(SchemaError, match=r"TEI release 1.2.3 \(the project's tei_release\) is "
                                          "not installed"):
        validate([tmp_path / "tei" / "a.xml"], load_project(tmp_path))


def test_schema_use_switches_the_current_release(release, tmp_path):
    with pytest.raises(SchemaError, match="TEI release 0.0 is not installed"):
        schema.use("0.0")
    assert schema.use(release) == schema.schema_path()
