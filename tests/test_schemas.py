"""Each document is validated against its own schema: the RELAX NG an xml-model names (by a
relative or absolute path, or by a URL whose copy the project keeps: `teikit schema add`), the
W3C XML Schema xsi:schemaLocation names, or the project's configured one; tei_all only where
none is given. A schema that is named but missing is one warning per schema, not per document.
Nothing is ever fetched while validating."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest

from toolkit.builder import BuildOptions, build
from toolkit.project.config import load_project
from toolkit.validation import store, validate

SCHEMAS = Path(__file__).resolve().parent / "data" / "schemas"
RNG_NS = "http://relaxng.org/ns/structure/1.0"

#: a document of the project's own kind: <mood> is not TEI, so tei_all says it is invalid
OWN = """<?xml version="1.0" encoding="UTF-8"?>
{pi}<TEI xmlns="http://www.tei-c.org/ns/1.0"{attrs}>
  <teiHeader><fileDesc><titleStmt><title>A letter</title></titleStmt>
    <publicationStmt><p>Test data.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><p>Dear <persName>Ada</persName>, <mood value="glad">I am glad</mood>.</p>
  {extra}</body></text>
</TEI>
"""


def own(path: Path, href: str | None = None, xsd: str | None = None, extra: str = "") -> Path:
    pi = (f'<?xml-model href="{href}" type="application/xml" schematypens="{RNG_NS}"?>\n'
          if href else "")
    attrs = (' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
             f'"http://www.tei-c.org/ns/1.0 {xsd}"' if xsd else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(OWN.format(pi=pi, attrs=attrs, extra=extra), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in line)


def schema_errors(diags, path: Path | None = None):
    return [d for d in diags if d.rule in ("rng", "xsd", "not-tei")]


def test_a_document_without_a_schema_of_its_own_is_checked_against_tei_all(tmp_path):
    diags = validate([own(tmp_path / "a.xml")])
    assert any('"mood"' in d.message for d in schema_errors(diags))


@pytest.mark.parametrize("absolute", [False, True])
def test_the_relax_ng_an_xml_model_names_is_used(tmp_path, absolute):
    rng = tmp_path / "schema" / "letters.rng"
    rng.parent.mkdir()
    shutil.copyfile(SCHEMAS / "letters.rng", rng)
    href = rng.as_uri() if absolute else "../schema/letters.rng"
    doc = own(tmp_path / "tei" / "a.xml", href=href)
    assert schema_errors(validate([doc])) == []
    bad = own(tmp_path / "tei" / "b.xml", href=href, extra="<div/>")
    (err,) = schema_errors(validate([bad]))
    assert err.rule == "rng" and '"div"' in err.message and err.line == line_of(bad, "<div/>")


def test_the_xml_schema_xsi_schema_location_names_is_used(tmp_path):
    shutil.copyfile(SCHEMAS / "letters.xsd", tmp_path / "letters.xsd")
    assert schema_errors(validate([own(tmp_path / "a.xml", xsd="letters.xsd")])) == []
    errors = schema_errors(validate([own(tmp_path / "b.xml", xsd="letters.xsd",
                                         extra="<div/>")]))
    assert errors and all(d.rule == "xsd" for d in errors)
    assert any("div" in d.message and d.line == line_of(tmp_path / "b.xml", "<div/>")
               for d in errors)


def test_the_projects_configured_schema_wins(tmp_path):
    shutil.copyfile(SCHEMAS / "letters.rng", tmp_path / "letters.rng")
    (tmp_path / "teikit.toml").write_text('schema = "letters.rng"\n', encoding="utf-8")
    doc = own(tmp_path / "tei" / "a.xml",
              href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng")
    assert schema_errors(validate([doc], load_project(tmp_path))) == []


def test_a_missing_schema_is_one_warning_for_all_the_documents_that_name_it(tmp_path):
    docs = [own(tmp_path / "tei" / f"{n}.xml", href="../schema/gone.rng") for n in "abc"]
    diags = validate(docs)
    missing = [d for d in diags if d.rule == "schema-unavailable"]
    assert len(missing) == 1
    assert "gone.rng" in missing[0].message and "(and in 2 more document(s))" in \
        missing[0].message and "validating against tei_all instead" in missing[0].message


def test_a_build_reports_a_missing_schema_once(tmp_path):
    for n in "abcd":
        own(tmp_path / "tei" / f"{n}.xml", href="../schema/gone.rng")
    (tmp_path / "teikit.toml").write_text('formats = ["text"]\n', encoding="utf-8")
    report = build(load_project(tmp_path), BuildOptions(build_date="2026-01-01"))
    assert report.counts[("warning", "schema-unavailable")] == 1
    (shown,) = [d for d in report.findings if d.rule == "schema-unavailable"]
    assert "(and in 3 more document(s))" in shown.message
    assert len(report.built) == 4  # rendered all the same, against tei_all


# ------------------------------------------------------------ schemas named by URL


@pytest.fixture
def schema_server(tmp_path):
    """A local web server (127.0.0.1) publishing a schema that includes another file."""
    site = tmp_path / "site" / "schemas" / "v1"
    site.mkdir(parents=True)
    rng = (SCHEMAS / "letters.rng").read_text(encoding="utf-8")
    # Move the header into a file of its own, included by a relative URL.
    (site / "letters.rng").write_text(rng.replace(
        "<start>", '<include href="parts/header.rng"/><start>', 1), encoding="utf-8")
    (site / "parts").mkdir()
    (site / "parts" / "header.rng").write_text(
        f'<grammar xmlns="{RNG_NS}"><define name="unused"><text/></define></grammar>',
        encoding="utf-8")
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(tmp_path / "site"), **kw)

        def log_message(self, *args):
            requests.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/schemas/v1/letters.rng", requests
    finally:
        server.shutdown()


def test_a_schema_named_by_url_is_never_fetched_while_validating(tmp_path, schema_server):
    url, requests = schema_server
    (tmp_path / "teikit.toml").write_text("", encoding="utf-8")
    doc = own(tmp_path / "tei" / "a.xml", href=url)
    diags = validate([doc], load_project(tmp_path))
    (warning,) = [d for d in diags if d.rule == "schema-unavailable"]
    assert f"teikit schema add {url}" in warning.message
    assert requests == []


def test_schema_add_keeps_a_copy_that_validation_then_uses(teikit, tmp_path, schema_server):
    url, requests = schema_server
    project = tmp_path / "edition"
    own(project / "tei" / "a.xml", href=url)
    (project / "teikit.toml").write_text("", encoding="utf-8")
    res = teikit("schema", "add", url, "--project", str(project))
    assert res.code == 0, res.err
    kept = project / "schemas" / f"127.0.0.1_{url.split(':')[2].split('/')[0]}"
    assert (kept / "schemas" / "v1" / "letters.rng").is_file()
    assert (kept / "schemas" / "v1" / "parts" / "header.rng").is_file()  # the include too
    index = json.loads((project / "schemas" / "sources.json").read_text(encoding="utf-8"))
    assert set(index) == {url, url.replace("letters.rng", "parts/header.rng")}
    assert all(len(e["sha256"]) == 64 and e["for"] == url for e in index.values())
    fetched = len(requests)
    diags = validate([project / "tei" / "a.xml"], load_project(project))
    assert [d for d in diags if d.rule in ("rng", "schema-unavailable")] == []
    assert len(requests) == fetched  # validation read the copy
    res = teikit("schema", "status", "--project", str(project))
    assert f"{url} -> " in res.out and "(ok, downloaded " in res.out
    assert store.lookup(project, url) is not None


def test_schema_add_of_an_unreachable_url_is_a_clean_error(teikit, tmp_path):
    (tmp_path / "teikit.toml").write_text("", encoding="utf-8")
    res = teikit("schema", "add", "http://127.0.0.1:9/none.rng", "--project", str(tmp_path))
    assert res.code == 2
    assert res.err.startswith("teikit: error: cannot download http://127.0.0.1:9/none.rng")
    assert "Traceback" not in res.err
