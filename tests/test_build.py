"""The build pipeline: outputs, incremental rebuilds, failures that leave output/ intact,
interruption at any moment, parallel and pluggable execution, project stylesheet overrides."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from toolkit.builder import BuildOptions, build, cache
from toolkit.errors import BuildFailed
from toolkit.project.config import load_project
from toolkit.project.paths import build_cache, projects_cache

TEXT = ("--format", "text", "--no-validate", "--date", "2026-01-01")


def tree_hash(folder: Path) -> str:
    """A digest of every file (path and content) below ``folder``."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def summary(err: str) -> str:
    return [line for line in err.splitlines() if line.startswith("built ")][-1]


def test_build_writes_both_text_editions(teikit, small_edition):
    res = teikit("build", str(small_edition), *TEXT)
    assert res.code == 0, res.err
    assert summary(res.err).startswith("built 2, reused 0, not rendered 0")
    out = small_edition / "output" / "text"
    assert sorted(p.name for p in out.iterdir()) == [
        "a-small-edition.diplomatic.txt", "a-small-edition.txt",
        "second-letter.diplomatic.txt", "second-letter.txt"]
    assert "the first of May" in (out / "second-letter.txt").read_text(encoding="utf-8")


def test_rebuild_is_incremental(teikit, small_edition):
    assert teikit("build", str(small_edition), *TEXT).code == 0
    res = teikit("build", str(small_edition), *TEXT)
    assert summary(res.err).startswith("built 0, reused 2, not rendered 0")
    src = small_edition / "tei" / "second-letter.xml"
    src.write_text(src.read_text(encoding="utf-8").replace("first of May", "second of May"),
                   encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT)
    assert summary(res.err).startswith("built 1, reused 1, not rendered 0")
    text = (small_edition / "output" / "text" / "second-letter.txt").read_text(encoding="utf-8")
    assert "second of May" in text
    res = teikit("build", str(small_edition), *TEXT, "--clean")
    assert summary(res.err).startswith("built 2, reused 0, not rendered 0")


def test_changed_settings_rebuild_everything(teikit, small_edition):
    assert teikit("build", str(small_edition), *TEXT).code == 0
    cfg = small_edition / "teikit.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('reading = "normalised"',
                                                           'reading = "original"'),
                   encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT)
    assert summary(res.err).startswith("built 2, reused 0")


def test_a_setting_only_print_reads_rebuilds_no_page(teikit, small_edition):
    """The paper size matters to the PDF only: changed, it rebuilds no web or text edition."""
    assert teikit("build", str(small_edition), "--format", "html,text", "--no-validate",
                  "--date", "2026-01-01").code == 0
    cfg = small_edition / "teikit.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('paper = "a4"', 'paper = "letter"'),
                   encoding="utf-8")
    res = teikit("build", str(small_edition), "--format", "html,text", "--no-validate",
                 "--date", "2026-01-01")
    assert res.code == 0, res.err
    assert summary(res.err).startswith("built 0, reused 2, not rendered 0")


def test_a_document_that_cannot_be_read_is_reported_and_the_rest_published(teikit,
                                                                         small_edition):
    assert teikit("build", str(small_edition), *TEXT).code == 0
    bad = small_edition / "tei" / "second-letter.xml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("</body>", "</bdy>"),
                   encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT)
    assert res.code == 1
    assert "tei/second-letter.xml:" in res.err and ": error: " in res.err
    assert "[xml-syntax]" in res.err
    assert summary(res.err).startswith("built 0, reused 1, not rendered 1")
    assert "Traceback" not in res.err
    names = sorted(p.name for p in (small_edition / "output" / "text").iterdir())
    assert names == ["a-small-edition.diplomatic.txt", "a-small-edition.txt"]
    assert not list(small_edition.glob(".output.staging-*"))


def test_when_no_document_can_be_read_output_is_left_intact(teikit, small_edition):
    assert teikit("build", str(small_edition), *TEXT).code == 0
    out = small_edition / "output"
    before = tree_hash(out)
    for f in (small_edition / "tei").glob("*.xml"):
        f.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><oops></TEI>", encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT)
    assert res.code == 1
    assert "teikit: error: no document could be rendered; output/ left as it was" in res.err
    assert tree_hash(out) == before


def test_keep_going_is_accepted_and_says_it_is_not_needed(teikit, small_edition):
    res = teikit("build", str(small_edition), *TEXT, "--keep-going")
    assert res.code == 0
    assert "--keep-going is no longer needed" in res.err


def test_parallel_build_equals_serial_build(small_edition, tmp_path):
    for i in range(4):
        shutil.copy(small_edition / "tei" / "second-letter.xml",
                    small_edition / "tei" / f"copy-{i}.xml")
    project = load_project(small_edition)
    build(project, BuildOptions(formats=["text"], validate=False, jobs=1, build_date="2026-01-01"))
    serial = tree_hash(project.output_dir)
    report = build(project, BuildOptions(formats=["text"], validate=False, jobs=2, clean=True,
                                         build_date="2026-01-01"))
    assert len(report.built) == 6
    assert tree_hash(project.output_dir) == serial


def test_any_executor_can_run_the_documents(small_edition):
    project = load_project(small_edition)
    with ThreadPoolExecutor(max_workers=2) as pool:
        report = build(project, BuildOptions(formats=["text"], validate=False, executor=pool,
                                             build_date="2026-01-01"))
    assert sorted(report.built) == ["a-small-edition", "second-letter"]


def test_library_raises_build_failed_with_every_failure(small_edition):
    for name in ("a-small-edition.xml", "second-letter.xml"):
        (small_edition / "tei" / name).write_text("<TEI>", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build(load_project(small_edition), BuildOptions(formats=["text"], validate=False))
    assert sorted(info.value.failures) == ["a-small-edition", "second-letter"]
    assert not (small_edition / "output").exists()


def override_text_layer(root: Path, templates: str) -> None:
    """Give the project at ``root`` a stylesheet of its own for the text layer, holding
    ``templates`` (imported after ours, so they win)."""
    (root / "my-text.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"\n'
        '  xmlns:tei="http://www.tei-c.org/ns/1.0">\n' + templates + '</xsl:stylesheet>\n',
        encoding="utf-8")
    with (root / "teikit.toml").open("a", encoding="utf-8") as fh:
        fh.write('stylesheets = {text = "my-text.xsl"}\n')


def test_project_template_override_wins(teikit, small_edition):
    override_text_layer(small_edition, '  <xsl:template match="tei:persName" mode="#all" '
                                       'priority="10">PERSON</xsl:template>\n')
    res = teikit("build", str(small_edition), *TEXT)
    assert res.code == 0, res.err
    text = (small_edition / "output" / "text" / "a-small-edition.txt").read_text(encoding="utf-8")
    assert "PERSON" in text and "the author" not in text


def _start_build(root: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "toolkit", "build", str(root), *TEXT,
                             "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finished_entries(project_root: Path) -> int:
    cache = build_cache(load_project(project_root))
    return sum(1 for p in cache.glob("*") if (p / "facts.json").is_file()) if cache.is_dir() else 0


def _wait_until(proc: subprocess.Popen, reached) -> None:
    """Poll (every millisecond) until ``reached()`` or the build ends."""
    while proc.poll() is None and not reached():
        time.sleep(0.001)


@pytest.mark.slow
def test_interrupted_build_never_leaves_a_mixed_output(teikit, small_edition, tmp_path):
    """Kill a build at many moments: output/ is always wholly the old or wholly the new one.
    The moments are states of the build seen on disk (so many documents built, the staging
    folder made, the build finished), not times, so that they do not depend on the machine."""
    tei = small_edition / "tei"
    for i in range(30):
        shutil.copy(tei / "second-letter.xml", tei / f"copy-{i:02}.xml")
    assert teikit("build", str(small_edition), *TEXT).code == 0
    out = small_edition / "output"
    saved = tmp_path / "old-output"
    shutil.copytree(out, saved)
    old = tree_hash(out)
    for p in tei.glob("copy-*.xml"):
        p.write_text(p.read_text(encoding="utf-8").replace("first of May", "third of June"),
                     encoding="utf-8")
    # The complete new output, built in a twin project for comparison.
    twin = tmp_path / "twin"
    shutil.copytree(small_edition, twin, ignore=shutil.ignore_patterns("output", ".teikit-cache"))
    assert teikit("build", str(twin), *TEXT).code == 0
    new = tree_hash(twin / "output")
    assert new != old

    def staging() -> bool:
        return any(small_edition.glob(".output.staging-*"))

    moments = [("1 document built", lambda: _finished_entries(small_edition) >= 1),
               ("10 built", lambda: _finished_entries(small_edition) >= 10),
               ("25 built", lambda: _finished_entries(small_edition) >= 25),
               ("staging", staging),
               ("the end", lambda: False)]
    seen = []
    for label, reached in moments:
        for sig in (signal.SIGINT, signal.SIGKILL):
            shutil.rmtree(out)
            shutil.copytree(saved, out)
            shutil.rmtree(build_cache(load_project(small_edition)), ignore_errors=True)
            proc = _start_build(small_edition)
            _wait_until(proc, reached)
            proc.send_signal(sig)
            _, err = proc.communicate(timeout=120)
            assert b"Traceback" not in err, f"{sig.name} at {label}: {err.decode()[-2000:]}"
            state = tree_hash(out)
            assert state in (old, new), f"mixed output after {sig.name} at {label}"
            seen.append(state)
    assert old in seen  # the kills did land before the end
    # A killed build leaves at most a staging folder, which the next build removes.
    assert teikit("build", str(small_edition), *TEXT).code == 0
    assert not list(small_edition.glob(".output.staging-*"))
    assert tree_hash(out) == new


def test_a_changed_toolkit_rebuilds_everything(small_edition, monkeypatch):
    from toolkit.builder import cache

    project = load_project(small_edition)
    opts = dict(formats=["text"], validate=False, jobs=1, build_date="2026-01-01")
    assert len(build(project, BuildOptions(**opts)).built) == 2
    assert build(project, BuildOptions(**opts)).built == []
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "a different toolkit")
    assert len(build(project, BuildOptions(**opts)).built) == 2


_barrier = None


def _meet(barrier) -> None:
    global _barrier
    _barrier = barrier


def _overlay_root(root: str) -> str:
    from toolkit.transform import _stylesheet_root

    project = load_project(Path(root))
    _barrier.wait(timeout=120)  # all processes at the same moment, however fast they start
    return str(_stylesheet_root(project))


def test_processes_starting_at_once_share_one_copy_of_an_overlaid_xslt(small_edition):
    """A project with an xslt/ folder of its own gets a copy of ours overlaid with it; the
    processes of one build (workers, the text helper) may all make it at once, on a fresh
    checkout (a race seen there: FileExistsError on the shared temporary folder)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    (small_edition / "xslt" / "text").mkdir(parents=True)
    (small_edition / "xslt" / "text" / "note.txt").write_text("overlay", encoding="utf-8")
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(4, mp_context=ctx, initializer=_meet,
                             initargs=(ctx.Barrier(4),)) as pool:
        roots = list(pool.map(_overlay_root, [str(small_edition)] * 4))
    assert len(set(roots)) == 1
    made = Path(roots[0])
    assert (made / "text" / "note.txt").read_text(encoding="utf-8") == "overlay"
    assert (made / "common" / "common.xsl").is_file()
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]  # no temporary left


@pytest.mark.slow
def test_a_dask_cluster_builds_what_one_machine_builds(small_edition, tmp_path):
    """The documents go to a Dask cluster's workers (a LocalCluster of two worker processes
    here); the edition-wide steps merge what they return: the output is the same."""
    distributed = pytest.importorskip("distributed")
    for i in range(4):
        shutil.copy(small_edition / "tei" / "second-letter.xml",
                    small_edition / "tei" / f"copy-{i}.xml")
    project = load_project(small_edition)
    build(project, BuildOptions(formats=["text", "html"], jobs=1, build_date="2026-01-01"))
    alone = tree_hash(project.output_dir)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        report = build(project, BuildOptions(formats=["text", "html"], clean=True,
                                             scheduler=cluster.scheduler_address,
                                             build_date="2026-01-01"))
    assert len(report.built) == 6 and not report.failed
    assert tree_hash(project.output_dir) == alone


def test_an_unreachable_scheduler_is_a_clean_error(teikit, small_edition):
    res = teikit("build", str(small_edition), *TEXT, "--clean", "--scheduler",
                 "tcp://127.0.0.1:9")
    assert res.code == 2
    assert "teikit: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in res.err
    assert "Traceback" not in res.err



def test_caches_of_projects_gone_are_swept_at_most_once_an_hour(small_edition, tmp_path,
                                                               monkeypatch):
    """A build removes the caches of projects whose folder is gone, but looks for them at most
    once an hour: removing many takes seconds that a rebuild after one edit should not pay."""
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / "cache"))
    gone = tmp_path / "cache" / "projects" / "gone-0123456789abcdef"
    project = load_project(small_edition)

    def build_after_orphan() -> None:
        gone.mkdir(parents=True, exist_ok=True)
        (gone / "project.txt").write_text(str(tmp_path / "no-such-project"), encoding="utf-8")
        build(project, BuildOptions(formats=["text"], validate=False, jobs=1,
                                    build_date="2026-01-01", clean=True))

    build_after_orphan()
    assert not gone.exists()  # never swept before: swept now
    build_after_orphan()
    assert gone.exists()  # swept a moment ago: left for later
    swept = projects_cache() / ".swept"
    old = swept.stat().st_mtime - cache.SWEEP_EVERY - 1
    os.utime(swept, (old, old))
    build_after_orphan()
    assert not gone.exists()


def test_a_kept_pickle_is_read_with_the_collector_held_and_given_back(tmp_path) -> None:
    """The caches' pickles are read with cyclic garbage collection paused (it ran again and
    again while a large one was read): after reading, whether the file was good, damaged or
    absent, the collector is as it was, on or off."""
    import gc

    from toolkit import pickled

    good, bad = tmp_path / "good.pickle", tmp_path / "bad.pickle"
    assert pickled.save(good, {"a": [1, 2, 3]})
    bad.write_bytes(b"\x80\x05not a pickle")
    seen = []

    class Probe:  # read back as what gc.isenabled() says while it is read
        def __reduce__(self):
            return (gc.isenabled, ())

    assert pickled.save(tmp_path / "probe.pickle", Probe())
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            assert pickled.load(good) == {"a": [1, 2, 3]}
            assert pickled.load(bad) is None
            assert pickled.load(tmp_path / "absent.pickle") is None
            seen.append(pickled.load(tmp_path / "probe.pickle"))
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]  # while reading, the collector was off


class _Cycle:
    """An object in a reference cycle (freed only by the cyclic collector)."""

    def __init__(self) -> None:
        self.me = self


def test_new_objects_are_collected_and_old_ones_left_alone() -> None:
    """toolkit.collector: inside ``for_new_objects`` the collector runs (also when paused
    outside), over what was made meanwhile only, and once more at its end, so that a cycle
    dropped at the very end is freed; what was there before is not scanned; the collector's
    state and a program's own freeze are as they were."""
    import gc
    import weakref

    from toolkit import collector

    was = gc.isenabled()
    try:
        with collector.paused():
            old = _Cycle()
            old_ref = weakref.ref(old)
            del old  # garbage from before: not scanned inside
            with collector.for_new_objects():
                assert gc.isenabled()
                new = _Cycle()
                new_ref = weakref.ref(new)
                del new  # dropped as the block ends
            assert not gc.isenabled()
            assert new_ref() is None  # collected at the end of the block
            assert old_ref() is not None  # set aside meanwhile
            assert gc.get_freeze_count() == 0
        assert gc.isenabled() is was
        gc.collect()
        assert old_ref() is None
        gc.freeze()  # a program's own freeze
        frozen = gc.get_freeze_count()
        with collector.for_new_objects():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


def test_the_build_pauses_the_collector_and_documents_built_here_run_with_it(
        small_edition, monkeypatch) -> None:
    """The main process builds with the cyclic collector paused (toolkit.collector); a
    document built in it (``--jobs 1``) runs with the collector on; afterwards the collector
    is as it was, nothing is left frozen, and the document's garbage is gone."""
    import gc

    from toolkit.builder import edition, workers

    seen: dict[str, list[bool]] = {"report": [], "document": []}
    write_report, build_document = edition.write_report, workers.build_document

    def report(*args, **kwargs):
        seen["report"].append(gc.isenabled())
        return write_report(*args, **kwargs)

    def document(*args, **kwargs):
        seen["document"].append(gc.isenabled())
        return build_document(*args, **kwargs)

    monkeypatch.setattr(edition, "write_report", report)
    monkeypatch.setattr(workers, "build_document", document)
    project = load_project(small_edition)
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            gc.collect()
            build(project, BuildOptions(formats=["html", "text"], validate=False, jobs=1,
                                        clean=True, build_date="2026-01-01"))
            assert gc.isenabled() is enabled
            assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == {"report": [False, False], "document": [True] * 4}


def test_the_id_index_is_written_again_only_when_it_changed(small_edition, tmp_path,
                                                           monkeypatch) -> None:
    """The kept id index (20 MB at 5,000 letters) is not written again by a build in which no
    source changed, nor by one whose edit changed none of its ids (the new digest is read with
    it); an edit that adds an id writes it again, with the edit in it."""
    monkeypatch.setenv("TEIKIT_CACHE", str(tmp_path / "cache"))
    opts = {"formats": ["text"], "build_date": "2026-01-01"}
    project = load_project(small_edition)
    build(project, BuildOptions(**opts))
    (kept,) = (tmp_path / "cache").rglob("index.pickle")

    def stamp() -> tuple[int, int]:
        st = kept.stat()
        return st.st_ino, st.st_mtime_ns

    from toolkit import pickled

    first = stamp()
    source = small_edition / "tei" / "second-letter.xml"
    digest = pickled.load(kept).digests[str(source.resolve())]
    build(project, BuildOptions(**opts, clean=True))  # every document built, none changed
    assert stamp() == first
    source.write_text(source.read_text(encoding="utf-8").replace(
        "the first of May", "the second of May"), encoding="utf-8")
    build(project, BuildOptions(**opts))
    from toolkit.builder.context import _unpickle

    assert stamp() == first
    now = _unpickle(project).digests[str(source.resolve())]
    assert now != digest
    source.write_text(source.read_text(encoding="utf-8").replace(
        "the second of May", '<date xml:id="may2">the second of May</date>'), encoding="utf-8")
    build(project, BuildOptions(**opts))
    assert stamp() != first
    assert pickled.load(kept).digests[str(source.resolve())] not in (digest, now)
    assert "may2" in pickled.load(kept).ids[str(source.resolve())]


def test_a_worker_that_outlives_a_build_reads_the_new_id_index(tmp_path) -> None:
    """A worker reads the index's pickle once, and again once a later build replaced it (a
    cluster's workers outlive a build: they must not validate against the last one)."""
    from toolkit import pickled
    from toolkit.builder import document

    path = tmp_path / "index.pickle"
    assert pickled.save(path, {"build": 1})
    try:
        assert document._id_index(str(path)) == {"build": 1}
        assert document._id_index(str(path)) is document._id_index(str(path))  # read once
        assert pickled.save(path, {"build": 2})
        assert document._id_index(str(path)) == {"build": 2}
    finally:
        document.forget_index(str(path))


def test_an_id_index_that_cannot_be_kept_is_a_clear_error(teikit, small_edition, tmp_path):
    """Where the edition's id index cannot be written into the cache (here its place is taken
    by a folder), the build stops with a message naming the file and what to check, no
    traceback, and the last output stays as it was."""
    env = {"TEIKIT_CACHE": str(tmp_path / "cache")}
    assert teikit("build", str(small_edition), *TEXT, env=env).code == 0
    page = small_edition / "output" / "text" / "second-letter.txt"
    before = page.read_bytes()
    (kept,) = (tmp_path / "cache").rglob("index.pickle")
    kept.unlink()
    (kept / "taken").mkdir(parents=True)
    (small_edition / "tei" / "second-letter.xml").write_text(
        (small_edition / "tei" / "second-letter.xml").read_text(encoding="utf-8")
        .replace("the first of May", "the second of May"), encoding="utf-8")
    res = teikit("build", str(small_edition), *TEXT, env=env)
    assert res.code != 0
    assert "cannot write the edition's id index" in res.err and str(kept) in res.err
    assert "writable" in res.err and "Traceback" not in res.err
    assert page.read_bytes() == before


def test_builds_one_after_another_keep_the_site_values_and_remove_the_old_output_beside(
        small_edition, monkeypatch) -> None:
    """While builds follow one another (teikit serve), the site's kept values (the registers'
    entities, their search terms) are not read back from the site cache while their files are
    the ones read before; a file replaced since is read again. The output swapped out is
    removed beside the next steps, and is gone once that is done; the pages are those of a
    build of its own. A build of its own keeps no value."""
    import threading

    from toolkit import pickled, resident
    from toolkit.html import site
    from toolkit.project.paths import STAGING_PREFIX, site_cache

    opts = {"formats": ["html"], "build_date": "2026-01-01"}
    second = small_edition / "tei" / "second-letter.xml"
    reads = []
    real = pickled.load
    monkeypatch.setattr(pickled, "load", lambda path: reads.append(Path(path).name) or real(path))

    removed_in = []
    rmtree = shutil.rmtree

    def recording_rmtree(path, *a, **k):
        if Path(path).name.startswith(STAGING_PREFIX):
            removed_in.append(threading.current_thread().name)
        return rmtree(path, *a, **k)

    monkeypatch.setattr(shutil, "rmtree", recording_rmtree)

    def values_read() -> list[str]:
        return sorted(n for n in reads if n.startswith(("entities-", "entity-terms-")))

    def pages() -> dict[str, bytes]:
        html = small_edition / "output" / "html"
        return {str(p.relative_to(html)): p.read_bytes() for p in html.rglob("*.html")}

    build(load_project(small_edition), BuildOptions(**opts))
    assert site._values == {}  # (a build of its own)
    with resident.between_builds():
        for n, word in enumerate(("the second of May", "the third of May", "the 3rd of May")):
            text = second.read_text(encoding="utf-8")
            second.write_text(re.sub(r"the \w+ of May", word, text), encoding="utf-8")
            reads.clear()
            build(load_project(small_edition), BuildOptions(**opts))
            if not n:  # (read from the site cache, then kept)
                assert len(values_read()) == 2 and len(site._values) == 2, reads
            else:
                assert values_read() == [], reads
        kept = site_cache(load_project(small_edition)) / next(
            n for n in map(lambda k: Path(k).name, site._values) if n.startswith("entities-"))
        copy = kept.with_name("copy")
        shutil.copyfile(kept, copy)
        os.replace(copy, kept)  # another process's build wrote it again
        second.write_text(second.read_text(encoding="utf-8").replace(
            "the 3rd of May", "the fourth of May"), encoding="utf-8")
        reads.clear()
        build(load_project(small_edition), BuildOptions(**opts))
        assert values_read() == [kept.name], reads
        for t in threading.enumerate():
            if t.name == "teikit-remove-old-output":
                t.join()
        assert not [p for p in small_edition.iterdir() if p.name.startswith(
            (STAGING_PREFIX, "output.old-"))], list(small_edition.iterdir())
        served = pages()
        assert removed_in and set(removed_in) == {"teikit-remove-old-output"}, removed_in
    assert site._values == {}
    removed_in.clear()
    build(load_project(small_edition), BuildOptions(clean=True, **opts))
    assert pages() == served
    assert removed_in == ["MainThread"]  # (a build of its own waits for nothing)


def test_builds_one_after_another_keep_the_id_index_in_memory(small_edition,
                                                              monkeypatch) -> None:
    """While builds are made one after the other (teikit serve), the id index is not read back
    from its pickle by the next build; it is the index of the sources as they are now: a
    pointer resolves once another document declares its id. A build of its own keeps nothing
    once its documents are built."""
    from toolkit import pickled, resident
    from toolkit.builder import document

    opts = {"formats": ["html"], "build_date": "2026-01-01"}
    first = next(p for p in (small_edition / "tei").glob("*.xml") if p.name != "second-letter.xml")
    second = small_edition / "tei" / "second-letter.xml"
    reads = []
    real = pickled.load
    monkeypatch.setattr(pickled, "load", lambda path: reads.append(Path(path).name) or real(path))

    def unresolved(report) -> list[str]:
        return [d.message for d in report.findings if "zz1" in d.message]

    build(load_project(small_edition), BuildOptions(**opts))
    assert document._ids_memo == {}  # (a build of its own)
    with resident.between_builds():
        build(load_project(small_edition), BuildOptions(**opts))
        second.write_text(second.read_text(encoding="utf-8").replace(
            "wrote a", 'wrote <ref target="#zz1">a</ref>'), encoding="utf-8")
        reads.clear()
        report = build(load_project(small_edition), BuildOptions(**opts))
        assert unresolved(report), (report.built, [d.format() for d in report.findings])
        first.write_text(first.read_text(encoding="utf-8").replace(
            '<person xml:id="editor">', '<person xml:id="zz1"><persName>Z</persName></person>'
            '<person xml:id="editor">'), encoding="utf-8")
        assert not unresolved(build(load_project(small_edition), BuildOptions(**opts)))
        assert "index.pickle" not in reads and document._ids_memo
    assert document._ids_memo == {}


def test_an_entry_s_files_are_listed_once_and_a_damaged_entry_again(small_edition,
                                                                    monkeypatch) -> None:
    """Assembling the output lists a cache entry's files once, when it is first used (an
    entry never changes): after one edit only the rebuilt document's entry is listed. A file
    gone from a kept entry has the entry listed again (no traceback; what is left of it is
    published, as before); an entry rebuilt under its old name (``--clean``) is listed anew."""
    from toolkit.builder import edition, staging

    opts = {"formats": ["html", "text"], "build_date": "2026-01-01"}
    listed = []
    real = staging.entry_files
    monkeypatch.setattr(edition, "entry_files",
                        lambda entry, folders: listed.append(Path(entry).name.rsplit("-", 1)[0])
                        or real(entry, folders))
    first = next(p for p in (small_edition / "tei").glob("*.xml") if p.name != "second-letter.xml")
    second = small_edition / "tei" / "second-letter.xml"
    build(load_project(small_edition), BuildOptions(**opts))
    assert sorted(listed) == sorted([first.stem, second.stem])
    listed.clear()
    second.write_text(second.read_text(encoding="utf-8").replace(
        "the first of May", "the second of May"), encoding="utf-8")
    build(load_project(small_edition), BuildOptions(**opts))
    assert listed == [second.stem]
    out = small_edition / "output"
    assert (out / "html" / f"{first.stem}.html").is_file()
    assert (out / "text" / f"{first.stem}.txt").is_file()

    entry = next(p for p in build_cache(load_project(small_edition)).iterdir()
                 if p.name.startswith(first.stem + "-"))
    (entry / "text" / f"{first.stem}.txt").unlink()  # damaged
    listed.clear()
    second.write_text(second.read_text(encoding="utf-8").replace(
        "the second of May", "the third of May"), encoding="utf-8")
    report = build(load_project(small_edition), BuildOptions(**opts))
    assert report.committed and sorted(listed) == sorted([first.stem, second.stem])
    assert (out / "html" / f"{first.stem}.html").is_file()
    assert not (out / "text" / f"{first.stem}.txt").exists()

    listed.clear()
    build(load_project(small_edition), BuildOptions(clean=True, **opts))
    assert sorted(listed) == sorted([first.stem, second.stem])
    assert (out / "text" / f"{first.stem}.txt").is_file()
    listed.clear()
    second.write_text(second.read_text(encoding="utf-8").replace(
        "the third of May", "the fourth of May"), encoding="utf-8")
    build(load_project(small_edition), BuildOptions(**opts))
    assert listed == [second.stem]  # (the --clean build's listings kept, not stale ones)
    again = build(load_project(small_edition), BuildOptions(**opts))
    assert again.built == [] and sorted(again.reused) == sorted([first.stem, second.stem])


def test_the_output_manifest_takes_the_linked_files_stats_and_a_wrong_one_only_costs_a_build(
        small_edition) -> None:
    """The manifest of output/ takes the stats the build knows of the files it linked from
    the cache entries, rather than asking for each again: the same manifest as from asking.
    A known stat that is wrong makes the output count as changed (the next build assembles
    it again), never as unchanged."""
    import json

    from toolkit.project.paths import output_manifest

    project = load_project(small_edition)
    build(project, BuildOptions(formats=["html", "text"], build_date="2026-01-01"))
    manifest = json.loads(output_manifest(project).read_text(encoding="utf-8"))
    files = manifest["files"]
    asked = cache.files_below(project.output_dir)
    assert files == asked and any(name.startswith("text/") for name in files)
    stamp = manifest["stamp"]
    assert cache.unchanged(project, stamp)
    doc = next(n for n in files if n.startswith("text/"))
    cache.record(project, stamp, {doc: [files[doc][0] + 1, files[doc][1]]})
    assert not cache.unchanged(project, stamp)
    cache.record(project, stamp, {doc: files[doc]})
    assert cache.unchanged(project, stamp)


def test_an_edit_that_changes_no_id_writes_only_the_digests_beside_the_id_index(
        small_edition) -> None:
    """An edit of a text that changes nothing the id index holds (no id, pointer, entry,
    title) leaves the index's file as it was (20 MB at 5,000 letters) and writes the files'
    digests beside it, which the next build reads with it; an edit that adds an id writes
    the index again, and a pointer to that id resolves."""
    from toolkit.builder import context
    from toolkit.project.paths import index_file
    from toolkit.resident import stamp

    opts = {"formats": ["html"], "build_date": "2026-01-01"}
    first = next(p for p in (small_edition / "tei").glob("*.xml") if p.name != "second-letter.xml")
    second = small_edition / "tei" / "second-letter.xml"
    project = load_project(small_edition)
    target = index_file(project)
    beside = context._digests_file(target)
    build(project, BuildOptions(**opts))
    written = stamp(target)
    assert written != (0, 0, 0) and not beside.exists()

    def digest(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    for word in ("the second of May", "the third of May"):
        second.write_text(re.sub(r"the \w+ of May", word, second.read_text(encoding="utf-8")),
                          encoding="utf-8")
        report = build(load_project(small_edition), BuildOptions(**opts))
        assert report.built == [second.stem]
        assert stamp(target) == written and beside.is_file()
        kept = context._unpickle(load_project(small_edition))  # as the next build reads it
        assert kept.digests[str(second.resolve())] == digest(second)
        assert kept.digests[str(first.resolve())] == digest(first)

    second.write_text(second.read_text(encoding="utf-8").replace(
        "wrote a", 'wrote <ref target="#zz1">a</ref>'), encoding="utf-8")
    first.write_text(first.read_text(encoding="utf-8").replace(
        '<person xml:id="editor">', '<person xml:id="zz1"><persName>Z</persName></person>'
        '<person xml:id="editor">'), encoding="utf-8")
    report = build(load_project(small_edition), BuildOptions(**opts))
    assert sorted(report.built) == sorted([first.stem, second.stem])
    assert stamp(target) != written and not beside.exists()
    assert not [d for d in report.findings if "zz1" in d.message], report.findings
    assert "zz1" in context._unpickle(load_project(small_edition)).declared
