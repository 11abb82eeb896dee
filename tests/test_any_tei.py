"""Any well-formed TEI renders: documents drawn from the tei_all grammar (tests/teigen.py) go
through the writers of every format, as a build calls them (the format registry's writers on
a loaded document: the web page with its facts and search blocks, both text editions, the
print edition's HTML; the PDF itself for a few), with no error at all.

The documents are well-formed, not valid: what a scholar's own TEI is to tei_all. A stylesheet
that fails on one (a function given several items where it expects one, a date parsed
unchecked) is a bug; each found so far has its smallest document in tests/data/robust/, run by
test_regression_documents_render.

Every document of ../shared/corpora renders the same way (variety/ and the well-formed ones of
edge/ in every run, bulk/ in the slow run), skipped where the shared corpora are absent.

How many cases: the hypothesis profile (tests/conftest.py): 1000 in CI for the test marked
slow, fewer locally (--slow runs it; TEIKIT_HYPOTHESIS_EXAMPLES sets the number). A failing
document is written to tests/artifacts/any-tei-failure.xml for inspection.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import teigen
from conftest import CORPORA, REPO, render_all
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.load import load

REGRESSIONS = Path(__file__).parent / "data" / "robust"
ARTIFACTS = REPO / "tests" / "artifacts"
SLOW_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large,
               HealthCheck.function_scoped_fixture, HealthCheck.large_base_example]


@pytest.fixture(scope="module", autouse=True)
def schema_installed():
    from toolkit.validation.schema import schema_path

    try:
        schema_path()
    except Exception as exc:  # noqa: BLE001 - any reason the schema is not there
        pytest.skip(f"the TEI schema is not installed (teikit schema install): {exc}")


def check(result: dict) -> None:
    """What every document's outputs have, whatever the document."""
    assert re.search(r'<h1 id="tk-title"[ >]', result["page"])  # (with the title's lang)
    assert result["facts"]["kind"] in ("text", "authority")
    json.dumps(result["facts"])
    assert result["reading"].endswith("\n") and result["diplomatic"].endswith("\n")
    assert "<main" in result["print"]


def _run(tmp: Path, data: bytes, **kw) -> None:
    try:
        check(render_all(tmp / "case", data, **kw))
    except BaseException:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "any-tei-failure.xml").write_bytes(data)
        raise


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("any-tei")


parameters = st.fixed_dictionaries({"reading": st.sampled_from(["normalised", "original"]),
                                    "language": st.sampled_from(["en", "de", "fr"])})


@settings(max_examples=25, deadline=None, suppress_health_check=SLOW_HEALTH)
@given(data=teigen.documents(), kw=parameters)
def test_generated_documents_render(scratch, data, kw):
    """A few generated documents, in every run."""
    _run(scratch, data, **kw)


@pytest.mark.slow
@settings(deadline=None, suppress_health_check=SLOW_HEALTH)
@given(data=teigen.documents(), kw=parameters)
def test_many_generated_documents_render(scratch, data, kw):
    """As many as the profile says: a thousand in CI."""
    _run(scratch, data, **kw)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=SLOW_HEALTH)
@given(data=teigen.documents())
def test_generated_documents_print_as_pdf(scratch, data):
    """WeasyPrint lays out what the print stylesheet makes of them (a few: seconds each)."""
    _run(scratch, data, pdf=True)
    pdf = scratch / "case" / "output" / "pdf" / "case.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def regression_documents() -> list[Path]:
    return sorted(REGRESSIONS.glob("*.xml"))


@pytest.mark.parametrize("path", regression_documents(), ids=lambda p: p.stem)
def test_regression_documents_render(scratch, path):
    """The smallest document of each crash found: every format renders it."""
    for reading in ("normalised", "original"):
        _run(scratch, path.read_bytes(), reading=reading)


@pytest.mark.slow
@pytest.mark.parametrize("path", regression_documents(), ids=lambda p: p.stem)
def test_regression_documents_print_as_pdf(scratch, path):
    """... and WeasyPrint lays out their print edition."""
    _run(scratch, path.read_bytes(), pdf=True)
    assert (scratch / "case" / "output" / "pdf" / "case.pdf").read_bytes().startswith(b"%PDF")


#: elements that hold themselves, or a child that holds them, as (chain, where it starts)
NESTINGS = {"hi": (("hi",), "p"), "div": (("div",), "body"), "note": (("note",), "p"),
            "list": (("list", "item"), "body"), "quote": (("quote", "p"), "body")}


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_deeply_nested_documents_render(scratch, kind):
    """Nesting as deep as the parser allows (256 levels, a load error beyond) reaches every
    stylesheet (Saxon's own parser stopped at 100 levels)."""
    chain, start = NESTINGS[kind]
    levels = 240
    opening = "".join(f"<{chain[i % len(chain)]}>w{i} " for i in range(levels))
    closing = "".join(f"</{chain[i % len(chain)]}>" for i in reversed(range(levels)))
    inner = opening + "innermost" + closing
    body = f"<p>{inner}</p>" if start == "p" else inner
    data = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            "<title>Deep</title></titleStmt><publicationStmt><p/></publicationStmt>"
            "<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
            f"<text><body>{body}</body></text></TEI>").encode()
    _run(scratch, data)


# ------------------------------------------------------------------------------ real corpora

#: edge/ files that are not well-formed XML (../shared/corpora/README.md): they never load
NOT_WELL_FORMED = {"perseus-latin/phi0972.phi001.perseus-eng1.xml",
                   "perseus-latin/phi0972.phi001p.perseus-lat1.xml",
                   "perseus-latin/phi1351.phi003.perseus-lat1.xml",
                   "tei-guidelines/sgmldecl.tei"}


def corpus_documents(part: str) -> list:
    folder = CORPORA / part
    if not folder.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"{folder} is not present (the shared corpora are only in the dev tree)"))]
    return [pytest.param(p, id=str(p.relative_to(folder)))
            for p in sorted(folder.rglob("*")) if p.is_file()]


@pytest.mark.parametrize("path", corpus_documents("variety") + corpus_documents("edge"))
def test_corpus_document_renders(scratch, path):
    """Every well-formed document of the corpora: its page, facts, texts and print HTML."""
    if path.parent.parent.name == "edge" and \
            str(path.relative_to(path.parent.parent)) in NOT_WELL_FORMED:
        doc, diags = load(path)
        assert doc is None and diags
        return
    _run(scratch, path.read_bytes())


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_documents("bulk"))
def test_bulk_corpus_document_renders(scratch, path):
    _run(scratch, path.read_bytes())
