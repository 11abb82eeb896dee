"""Any well-formed TEI renders: documents drawn from the tei_all grammar (tests/teigen.py) go
through the writers of every format, as a build calls them (the format registry's writers on
a loaded document: the web page with its facts and search blocks, both text editions, the
print edition's HTML; the PDF itself for a few), with no error at all.

The documents are well-formed, not valid: what a scholar's own TEI is to tei_all. A stylesheet
that fails on one (a function given several items where it expects one, a date parsed
unchecked) is a bug; each found so far has its smallest document in tests/data/robust/, run by
test_regression_documents_render.

How many cases: the hypothesis profile (tests/conftest.py): 1000 in CI for the test marked
slow, fewer locally (--slow runs it; TEIKIT_HYPOTHESIS_EXAMPLES sets the number). A failing
document is written to tests/artifacts/any-tei-failure.xml for inspection.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import teigen
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.formats import FORMATS, Job, stylesheet_params
from toolkit.load import load
from toolkit.project.config import Project
from toolkit.transform import parsed_once, render

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


def render_all(root: Path, data: bytes, *, reading: str = "normalised",
               language: str = "en", pdf: bool = False) -> dict:
    """Every format's output of one document, by the writers a build uses; returns what was
    written. Any exception fails the caller's test."""
    if root.exists():
        shutil.rmtree(root)
    (root / "tei").mkdir(parents=True)
    path = root / "tei" / "case.xml"
    path.write_bytes(data)
    doc, diags = load(path)
    assert doc is not None, f"not well-formed: {diags[:1]}"
    formats = ["html", "text"] + (["pdf"] if pdf else [])
    project = Project(root=root, formats=formats, reading=reading, language=language)
    params = stylesheet_params(project, formats, "2026-01-01")
    out = root / "output"
    facts: dict = {"name": "case"}
    jobs = {}
    with parsed_once(doc.tree):
        for name in formats:
            job = Job(project, path, "case", doc, params, out / FORMATS[name].folder, facts)
            FORMATS[name].writer()(job)
            jobs[name] = job
        # the print edition's HTML is made by the PDF writer; without it, as it makes it
        print_html = render(doc.tree, "print", {**params, "source-name": "case"}, project, path)
    for name, job in jobs.items():
        finish = FORMATS[name].finisher()
        if finish is not None:
            job.doc = None
            finish(job)
    return {"facts": facts, "print": print_html,
            "page": (out / "html" / "case.html").read_text(encoding="utf-8"),
            "reading": (out / "text" / "case.txt").read_text(encoding="utf-8"),
            "diplomatic": (out / "text" / "case.diplomatic.txt").read_text(encoding="utf-8")}


def check(result: dict) -> None:
    """What every document's outputs have, whatever the document."""
    assert '<h1 id="tk-title">' in result["page"]
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
