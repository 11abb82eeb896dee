"""A build renders every well-formed document and reports what validation found: the summary,
output/report.json and the editors' page; --strict for CI; rule severities from the
configuration; a folder that is not an edition; interrupting a build stops its workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.builder import BuildOptions, build
from toolkit.errors import BuildFailed, ConfigError
from toolkit.project.config import load_project

TEXT = ("--format", "text,html", "--date", "2026-01-01")


def break_pointer(edition: Path, name: str = "second-letter.xml") -> Path:
    """Make one document invalid (a pointer to nothing), still well-formed."""
    doc = edition / "tei" / name
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "</body>", '<p><ref target="#nowhere">x</ref></p></body>', 1), encoding="utf-8")
    return doc


def test_an_invalid_document_is_rendered_and_its_findings_reported(teikit, small_edition):
    break_pointer(small_edition)
    res = teikit("build", str(small_edition), *TEXT)
    assert res.code == 0, res.err
    out = small_edition / "output"
    assert (out / "html" / "second-letter.html").is_file()
    assert (out / "text" / "second-letter.txt").is_file()
    assert "validation: 1 error(s), 0 warning(s); 1 of 2 document(s) with errors" in res.err
    assert "        1  error    ref-unresolved" in res.err
    assert 'tei/second-letter.xml:' in res.err and "#nowhere" in res.err
    assert f"every finding: {out / 'report.json'} and {out / 'report.html'}" in res.err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"] == {"documents": 2, "rendered": 2, "not_rendered": 0, "valid": 1,
                                 "invalid": 1, "errors": 1, "warnings": 0}
    assert report["rules"] == [{"rule": "ref-unresolved", "severity": "error", "count": 1}]
    doc = {d["name"]: d for d in report["documents"]}["second-letter"]
    assert doc["rendered"] and doc["errors"] == 1
    (finding,) = doc["diagnostics"]
    assert finding["path"] == "tei/second-letter.xml" and finding["line"] > 1
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<a href="html/second-letter.html">tei/second-letter.xml</a>' in page
    assert "#nowhere" in page and "invalid" in page
    assert not (out / "html" / "report.html").exists()  # the editors' page is not published


def test_every_finding_is_in_the_report_file_though_the_summary_is_short(teikit,
                                                                         small_edition):
    doc = small_edition / "tei" / "second-letter.xml"
    refs = "".join(f'<ref target="#nowhere{i}">x</ref>' for i in range(60))
    doc.write_text(doc.read_text(encoding="utf-8").replace("</body>", f"<p>{refs}</p></body>",
                                                           1), encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT)
    assert res.code == 0
    assert "       60  error    ref-unresolved" in res.err
    shown = [line for line in res.err.splitlines() if "[ref-unresolved]" in line]
    assert 0 < len(shown) <= 20
    report = json.loads((small_edition / "output" / "report.json").read_text(encoding="utf-8"))
    found = {d["name"]: d for d in report["documents"]}["second-letter"]["diagnostics"]
    assert sorted(d["message"].split('"')[1] for d in found) == sorted(
        f"#nowhere{i}" for i in range(60))


def test_a_rebuild_reports_the_findings_it_kept_and_reads_the_many_from_the_entry(
        small_edition):
    """A build keeps the facts and (few) findings of every document in one file of the
    project's cache, so that a rebuild reusing thousands of documents reads that file
    rather than two per document; a document with many findings has them read from its
    cache entry. Shown by emptying the entries' findings after the first build: the
    rebuild's report still has the few (kept), not the many (read from the entry)."""
    from toolkit.builder.cache import Results
    from toolkit.project import paths

    tei = small_edition / "tei"
    (tei / "third-letter.xml").write_text((tei / "second-letter.xml").read_text(
        encoding="utf-8").replace("A second letter", "A third letter"), encoding="utf-8")
    break_pointer(small_edition)  # one finding
    many = "".join(f'<ref target="#nowhere{i}">x</ref>' for i in range(Results.FEW + 3))
    doc = tei / "third-letter.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("</body>", f"<p>{many}</p></body>",
                                                           1), encoding="utf-8")
    project = load_project(small_edition)

    def findings() -> dict[str, int]:
        report = json.loads((small_edition / "output" / "report.json").read_text("utf-8"))
        return {d["name"]: len(d["diagnostics"]) for d in report["documents"]}

    build(project, BuildOptions(formats=["html"]))
    first = findings()
    assert first["second-letter"] == 1 and first["third-letter"] == Results.FEW + 3
    for name in ("second-letter", "third-letter"):
        (entry,) = paths.build_cache(project).glob(f"{name}-*")
        kept = entry / "diagnostics.json"
        kept.chmod(0o644)
        kept.write_text("[]", encoding="utf-8")
    first_doc = next(p for p in tei.glob("*.xml") if "letter" not in p.name)
    first_doc.write_text(first_doc.read_text(encoding="utf-8").replace(
        "</body>", "<p>Ein Nachtrag.</p></body>", 1), encoding="utf-8")
    again = build(project, BuildOptions(formats=["html"]))
    assert len(again.built) == 1 and len(again.reused) == 2
    assert findings() == {**first, "third-letter": 0}


@pytest.mark.parametrize("how", ["option", "setting"])
def test_strict_makes_validation_errors_fatal_and_keeps_the_output(teikit, small_edition, how):
    assert teikit("build", str(small_edition), *TEXT).code == 0
    out = small_edition / "output"
    before = sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    break_pointer(small_edition)
    if how == "setting":
        cfg = small_edition / "teikit.toml"
        cfg.write_text(cfg.read_text(encoding="utf-8") + "strict = true\n", encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT, *(["--strict"] if how == "option" else []))
    assert res.code == 1
    assert "teikit: error: strict: 1 document(s) with validation errors and 0 that could not " \
           "be rendered; output/ left as it was" in res.err
    assert "#nowhere" in res.err and "Traceback" not in res.err
    after = sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    assert after == before


def test_warnings_never_fail_a_strict_build(small_edition):
    doc = small_edition / "tei" / "second-letter.xml"
    # A rendition that no file declares: a warning of the toolkit's rules [decl-unresolved].
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "</body>", '<p><hi rendition="#spaced">As</hi> the author wrote.</p></body>', 1),
        encoding="utf-8")
    report = build(load_project(small_edition),
                   BuildOptions(formats=["text"], strict=True, build_date="2026-01-01"))
    assert report.errors == 0 and report.warnings >= 1 and report.committed


@pytest.mark.parametrize("level, expect", [("off", None), ("warning", "warning"),
                                           ("info", "info"), ("error", "error")])
def test_the_severity_of_a_rule_is_the_projects_to_set(small_edition, level, expect):
    break_pointer(small_edition)
    cfg = small_edition / "teikit.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8")
                   + f'[rules]\nref-unresolved = "{level}"\n', encoding="utf-8")
    report = build(load_project(small_edition), BuildOptions(formats=["text"],
                                                             build_date="2026-01-01"))
    found = {sev for (sev, rule) in report.counts if rule == "ref-unresolved"}
    assert found == ({expect} if expect else set())
    assert report.invalid == (["second-letter"] if expect == "error" else [])


def test_a_bad_rule_level_is_a_config_error(small_edition):
    cfg = small_edition / "teikit.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + '[rules]\nrng = "fatal"\n',
                   encoding="utf-8")
    with pytest.raises(ConfigError, match="rng: expected one of error, warning, info, off"):
        load_project(small_edition)


@pytest.mark.parametrize("mode", ["web", "off"])
def test_the_report_page_can_be_published_or_left_out(small_edition, mode):
    cfg = small_edition / "teikit.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f'report = "{mode}"\n', encoding="utf-8")
    report = build(load_project(small_edition), BuildOptions(formats=["html"], validate=False,
                                                             build_date="2026-01-01"))
    out = report.output
    assert (out / "report.json").is_file()
    assert (out / "report.html").is_file() == (mode == "web")
    assert (out / "html" / "report.html").is_file() == (mode == "web")


def test_a_document_that_cannot_be_rendered_keeps_no_page_and_fails_the_exit_code(
        teikit, small_edition):
    doc = small_edition / "tei" / "second-letter.xml"
    text = doc.read_text(encoding="utf-8").replace(
        "<TEI ", '<TEI xmlns:xi="http://www.w3.org/2001/XInclude" ', 1)
    doc.write_text(text.replace("</body>", '<xi:include href="gone.xml"/></body>', 1),
                   encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT)
    assert res.code == 1
    assert "not rendered (1):" in res.err and "xi:include target not found: 'gone.xml'" in res.err
    out = small_edition / "output"
    assert (out / "html" / "a-small-edition.html").is_file()
    assert not (out / "html" / "second-letter.html").exists()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["not_rendered"] == 1


def test_building_a_folder_that_is_not_an_edition_says_so(teikit, tmp_path):
    res = teikit("build", cwd=tmp_path)
    assert res.code == 2
    assert f"teikit: error: this folder is not an edition: {tmp_path} has no teikit.toml" \
        in res.err
    assert "teikit build --flagship" in res.err
    assert not (tmp_path / "output").exists()


def test_the_flagship_is_built_on_request_into_the_current_folder(teikit, tmp_path):
    res = teikit("build", "--flagship", "--format", "text", "--no-validate", cwd=tmp_path)
    assert res.code == 0, res.err
    assert (tmp_path / "output" / "text" / "wright-1937-international-notes.txt").is_file()


def test_the_build_says_which_stage_each_document_is_in(small_edition):
    events = []
    build(load_project(small_edition), BuildOptions(formats=["html", "text"], jobs=1,
                                                    build_date="2026-01-01"),
          on_event=lambda kind, name, done, total: events.append((kind, name)))
    stages = [name for kind, name in events if kind == "stage"]
    for what in ("reading", "validating", "page", "text editions"):
        assert f"second-letter ({what})" in stages


def test_a_strict_build_raises_for_the_library_too(small_edition):
    break_pointer(small_edition)
    with pytest.raises(BuildFailed) as info:
        build(load_project(small_edition), BuildOptions(formats=["text"], strict=True))
    assert "tei/second-letter.xml" in info.value.failures


# ------------------------------------------------------------------ stopping a build


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def _many_documents(edition: Path, n: int = 40) -> None:
    src = edition / "tei" / "second-letter.xml"
    for i in range(n):
        (edition / "tei" / f"copy-{i:02}.xml").write_bytes(src.read_bytes())


def _start(edition: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "toolkit", "build", str(edition), "--jobs",
                             "2", "--format", "html,text", "--date", "2026-01-01"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _workers_started(proc: subprocess.Popen) -> set[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        kids = _children(proc.pid)
        workers = set()
        for k in kids:
            try:
                if b"spawn_main" in Path(f"/proc/{k}/cmdline").read_bytes():
                    workers.add(k)
            except OSError:
                pass
        if len(workers) >= 2:
            return workers
        time.sleep(0.05)
    raise AssertionError("the build's workers did not start")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_stopping_a_build_stops_its_workers(small_edition, sig):
    """Ctrl-C reaches the whole process group (as a terminal sends it), SIGTERM and SIGKILL
    the main process only (as a CI timeout does): in every case the workers end too, and the
    main process says so in one line, without a traceback."""
    _many_documents(small_edition)
    proc = _start(small_edition)
    workers = _workers_started(proc)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker outlived the build"
    text = err.decode()
    assert "Traceback" not in text, text
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "teikit: interrupted" in text
    elif sig == signal.SIGTERM:
        assert proc.returncode == 143 and "teikit: stopped (SIGTERM)" in text
    else:
        assert proc.returncode == -signal.SIGKILL


def _interrupt_disposition() -> str:
    return repr(signal.getsignal(signal.SIGINT))


def test_workers_are_born_ignoring_interrupts():
    """A worker ignores Ctrl-C from its first instruction (not only once its initializer ran):
    one interrupted while importing the toolkit printed a traceback (CI, under load)."""
    import multiprocessing

    from toolkit.processes import WorkerPool

    with WorkerPool(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_interrupt_disposition).result(timeout=120) == repr(signal.SIG_IGN)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # ours restored
