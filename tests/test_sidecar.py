"""A single document's text editions made by a helper process on the second core: the same
output as in one process, failures reported like the main process's own, nothing left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from test_build import override_text_layer, tree_hash

import toolkit.text.sidecar as sidecar
from toolkit.builder import BuildOptions, build
from toolkit.errors import BuildFailed, TransformError
from toolkit.project.config import load_project
from toolkit.project.paths import build_cache as cache_dir


@pytest.fixture
def one_document(small_edition: Path) -> Path:
    (small_edition / "tei" / "second-letter.xml").unlink()
    return small_edition


@pytest.fixture
def helpers_started(monkeypatch) -> list:
    started: list = []
    real = sidecar.start_texts

    def spy(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(sidecar, "start_texts", spy)
    return started


def _options(jobs: int, formats=("html", "text"), **kw) -> BuildOptions:
    return BuildOptions(formats=list(formats), jobs=jobs, build_date="2026-01-01", **kw)


def _leftovers(project) -> list[str]:
    return sorted(p.name for p in cache_dir(project).iterdir() if ".tmp-" in p.name)


@pytest.mark.parametrize("formats", [("html", "text"), ("text",)])
def test_one_document_with_a_helper_builds_what_one_process_builds(one_document,
                                                                   helpers_started, formats):
    project = load_project(one_document)
    build(project, _options(jobs=1, formats=formats))
    alone = tree_hash(project.output_dir)
    assert helpers_started == []
    report = build(project, _options(jobs=2, formats=formats, clean=True))
    assert report.built == ["a-small-edition"]
    assert len(helpers_started) == 1 and helpers_started[0].process.exitcode == 0
    assert tree_hash(project.output_dir) == alone
    assert _leftovers(project) == []


def test_a_document_that_cannot_be_rendered_leaves_no_helper_files(one_document,
                                                                  helpers_started):
    src = next((one_document / "tei").glob("*.xml"))
    text = src.read_text(encoding="utf-8").replace(
        "<TEI ", '<TEI xmlns:xi="http://www.w3.org/2001/XInclude" ', 1)
    src.write_text(text.replace("<body>", '<body><xi:include href="missing.xml"/>', 1),
                   encoding="utf-8")
    project = load_project(one_document)
    with pytest.raises(BuildFailed) as info:
        build(project, _options(jobs=2))
    assert "missing.xml" in str(info.value.failures)
    assert len(helpers_started) == 1 and not helpers_started[0].process.is_alive()
    assert _leftovers(project) == []
    assert not project.output_dir.exists()


def test_a_strict_build_of_an_invalid_document_publishes_nothing(one_document,
                                                                helpers_started):
    src = next((one_document / "tei").glob("*.xml"))
    src.write_text(src.read_text(encoding="utf-8").replace(
        "<body>", "<body><p><ref target=\"#nowhere\">x</ref></p>", 1), encoding="utf-8")
    project = load_project(one_document)
    with pytest.raises(BuildFailed) as info:
        build(project, _options(jobs=2, strict=True))
    assert "nowhere" in str(info.value.failures)
    assert len(helpers_started) == 1 and not helpers_started[0].process.is_alive()
    assert _leftovers(project) == []
    assert not project.output_dir.exists()
    # Without strict the same document is published, and its finding reported.
    report = build(project, _options(jobs=2))
    assert report.invalid == report.reused and report.errors >= 1  # rendered once, kept
    assert (project.output_dir / "text").is_dir() and _leftovers(project) == []


def test_an_error_in_the_helper_is_reported_as_the_document_failure(one_document):
    override_text_layer(one_document, (
        '  <xsl:template match="tei:body" mode="#all" priority="10">\n'
        '    <xsl:sequence select="error((), \'the text layer refuses this body\')"/>\n'
        '  </xsl:template>\n'))
    messages = {}
    for jobs in (1, 2):
        project = load_project(one_document)
        with pytest.raises(BuildFailed) as info:
            build(project, _options(jobs=jobs, clean=True))
        [diags] = info.value.failures.values()
        messages[jobs] = [(d.severity, d.message) for d in diags if d.rule == "transform"]
        assert _leftovers(project) == []
    assert messages[1] and messages[2] == messages[1]
    assert "the text layer refuses this body" in messages[2][0][1]


def test_a_helper_that_dies_is_told_apart_from_one_that_fails(tmp_path):
    process = multiprocessing.get_context("spawn").Process(target=os._exit, args=(3,))
    process.start()
    helper = sidecar.TextHelper(process, tmp_path / "texts")
    assert helper.collect(tmp_path / "text") is False  # the caller makes the texts itself
    helper.discard()
    assert not (tmp_path / "text").exists()
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "error.json").write_text('{"message": "no good", "line": 3}')
    process = multiprocessing.get_context("spawn").Process(target=os._exit, args=(0,))
    process.start()
    with pytest.raises(TransformError, match="no good"):
        sidecar.TextHelper(process, tmp_path / "texts").collect(tmp_path / "text")


def test_the_texts_are_made_after_all_when_the_helper_dies(one_document, monkeypatch):
    def dying(project, path, name, params, folder):
        process = multiprocessing.get_context("spawn").Process(target=os._exit, args=(9,))
        process.start()
        return sidecar.TextHelper(process, folder)

    monkeypatch.setattr(sidecar, "start_texts", dying)
    project = load_project(one_document)
    report = build(project, _options(jobs=2))
    assert report.built == ["a-small-edition"]
    assert sorted(p.name for p in (project.output_dir / "text").iterdir()) == [
        "a-small-edition.diplomatic.txt", "a-small-edition.txt"]
    assert _leftovers(project) == []


def test_an_interrupt_reaches_the_main_process_only(one_document, tmp_path):
    project = load_project(one_document)
    src = next((one_document / "tei").glob("*.xml"))
    params = {"reading": "normalised", "site-title": "t", "build-date": "2026-01-01",
              "base-url": "", "language": "en", "formats": "text", "paper": "a4"}
    helper = sidecar.start_texts(project, src, "doc", params, tmp_path / "texts")
    os.kill(helper.process.pid, signal.SIGINT)  # at once: while it starts, and ignored
    helper.collect(tmp_path / "text")
    assert sorted(p.name for p in (tmp_path / "text").iterdir()) == ["doc.diplomatic.txt",
                                                                     "doc.txt"]
    helper.discard()


def test_builds_one_after_another_keep_the_helper(one_document, helpers_started, monkeypatch):
    """While builds are made one after the other (teikit serve), the helper is one process
    kept between them (the toolkit imported and the stylesheets compiled once): each saved
    document's texts are made by it, the same as in one process, with nothing left behind;
    it is stopped when the builds are over."""
    from toolkit import resident
    from toolkit.builder import document

    def not_here(*args, **kwargs):
        raise AssertionError("the main process made the texts: the helper did not")

    monkeypatch.setattr(document, "write_texts", not_here)
    project = load_project(one_document)
    source = next((one_document / "tei").glob("*.xml"))
    helpers = []
    with resident.between_builds():
        for word in ("first", "second", "third"):
            source.write_text(source.read_text(encoding="utf-8").replace(
                "text.<note", f"{word} text.<note", 1), encoding="utf-8")
            report = build(project, _options(jobs=2))
            assert report.built == ["a-small-edition"]
            helpers.append(set(sidecar._kept._processes))  # the pool's worker, by pid
        kept = tree_hash(project.output_dir)
    assert len(helpers_started) == 3 and len(helpers[0]) == 1
    assert helpers[0] == helpers[1] == helpers[2]  # one process for the three
    assert sidecar._kept is None and _leftovers(project) == []
    monkeypatch.undo()
    build(project, _options(jobs=1, clean=True))
    assert tree_hash(project.output_dir) == kept
