"""Schema installation, URL resolution, grammar specialisation and the compile guard."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from toolkit import grammar, relaxng, schema
from toolkit.errors import SchemaError
from toolkit.load import load

DATA = Path(__file__).resolve().parent / "data" / "validate"
TEI_URL = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"


@pytest.fixture(scope="module")
def tei_all() -> Path:
    return schema.install()


def test_install_is_idempotent_and_reports_the_release(tei_all):
    assert schema.install() == tei_all
    st = schema.status()
    assert st["installed"] and st["version"] == "4.3.0" and st["path"] == str(tei_all)
    assert schema.tei_version() == "4.3.0"
    assert tei_all.parent.name == "tei-4.3.0"


def test_install_from_a_local_rng_into_another_cache(tei_all, tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path))
    with pytest.raises(SchemaError, match="teikit schema install"):
        schema.schema_path()
    path = schema.install(source=str(tei_all))
    assert path == tmp_path / "schemas" / "tei-4.3.0" / "tei_all.rng"
    assert schema.status()["source"] == str(tei_all)
    catalog = (tmp_path / "catalog.xml").read_text()
    assert 'rewriteURI uriStartString="https://www.tei-c.org/release/xml/tei/custom/' in catalog


def test_install_from_a_release_zip(tei_all, tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / "cache"))
    z = tmp_path / "tei-4.3.0.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(tei_all, "tei-4.3.0/xml/tei/custom/schema/relaxng/tei_all.rng")
        zf.writestr("tei-4.3.0/xml/tei/custom/schema/relaxng/tei_lite.rng",
                    tei_all.read_bytes())
    schema.install(source=str(z))
    assert schema.status()["schemas"] == ["tei_all", "tei_lite"]
    lite = TEI_URL.replace("tei_all", "tei_lite").replace("http:", "https:")
    assert schema.resolve_uri(lite).name == "tei_lite.rng"


def test_unreachable_url_is_a_clean_schema_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path))
    with pytest.raises(SchemaError) as exc:
        schema.install(source="http://127.0.0.1:9/tei-4.9.0.zip")
    assert exc.value.message.startswith("cannot download http://127.0.0.1:9/tei-4.9.0.zip")
    assert "--from PATH" in exc.value.hint


def test_not_a_schema_is_refused(tmp_path):
    bad = tmp_path / "x.rng"
    bad.write_text("<foo/>")
    with pytest.raises(SchemaError, match="neither a RELAX NG schema"):
        schema.install(source=str(bad))


def test_tei_urls_resolve_to_the_local_copy(tei_all):
    for url in (TEI_URL, TEI_URL.replace("http:", "https:"),
                TEI_URL.replace("www.", ""),
                "https://www.tei-c.org/Vault/P5/4.3.0/xml/tei/custom/schema/relaxng/tei_all.rng"):
        assert schema.resolve_uri(url) == tei_all
    assert schema.resolve_uri("https://dracor.org/schema.rng") is None


def test_specialised_grammar_has_the_verdict_of_the_full_one(tei_all):
    doc, _ = load(DATA / "valid.xml")
    g = grammar.load(tei_all)
    elements, attributes = relaxng.names_used(doc.root)
    text = g.specialise(elements, attributes)
    assert len(text) < 200_000  # a fraction of tei_all's 1 MB
    rng = etree.RelaxNG(etree.fromstring(text))
    assert rng.validate(doc.tree)
    bad, _ = load(DATA / "schema-errors.xml")
    e2, a2 = relaxng.names_used(bad.root)
    assert not etree.RelaxNG(etree.fromstring(g.specialise(e2, a2))).validate(bad.tree)


def test_grammar_answers_what_is_allowed(tei_all):
    g = grammar.load(tei_all)
    tei = "http://www.tei-c.org/ns/1.0"
    assert (tei, "persName") in g.children((tei, "p"))
    allowed, required = g.attributes((tei, "TEI"))
    assert (grammar.XML_NS, "id") in allowed and required == set()
    assert g.start_names() == {(tei, "TEI"), (tei, "teiCorpus")}


def test_compiling_never_hangs(tei_all):
    status, _ = grammar._trial_fork(tei_all.read_bytes(), timeout=0.2)
    assert status == "timeout"


def test_compile_errors_are_schema_errors(monkeypatch):
    text = b'<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="x"/></start></grammar>'
    with pytest.raises(SchemaError, match="cannot be compiled"):
        grammar._trial_compile(text, "bad.rng")
