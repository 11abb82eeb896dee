"""``teikit serve`` without a browser: the debounce and rebuild logic (a fake clock and a fake
build), what a build's report means for the preview, the last good pages, what is watched,
the HTTP server (injection, reserved paths, the event stream, nothing outside the output),
a whole session on a real edition (edit, break, fix), and the command line (help, a bad
port, a port in use, Ctrl-C)."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

from toolkit.builder import BuildReport
from toolkit.diagnostics import ERROR, WARNING, Diagnostic
from toolkit.errors import BuildFailed, ConfigError
from toolkit.project.config import load_project
from toolkit.project.scaffold import create
from toolkit.serve import ServeOptions, Session, watch
from toolkit.serve.debounce import Debouncer, rebuild_loop
from toolkit.serve.outcome import outcome_of
from toolkit.serve.pages import KeptPages
from toolkit.serve.server import RESERVED, LiveState, PreviewServer, inject
from toolkit.serve.watch import Watcher, plan, relevant

#: how long a test waits for something that takes well under a second (a loaded machine)
PATIENCE = 60.0


def eventually(check, what: str, timeout: float = PATIENCE):
    """Poll ``check`` until it returns something true; fail saying ``what`` was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------- debouncing


def test_a_burst_of_changes_is_one_batch_due_after_a_quiet_spell():
    clock = FakeClock()
    d = Debouncer(quiet=0.2, longest=5, clock=clock)
    assert d.due_in() is None
    d.add([Path("a.xml")])
    clock.now += 0.1
    d.add([Path("a.xml"), Path("b.xml")])  # a second save before the first was built
    assert d.due_in() == pytest.approx(0.2)  # counted from the last change
    clock.now += 0.2
    assert d.due_in() == 0
    assert d.take() == {Path("a.xml"), Path("b.xml")}
    assert d.due_in() is None


def test_a_stream_of_changes_is_built_after_the_longest_wait():
    clock = FakeClock()
    d = Debouncer(quiet=0.2, longest=1.0, clock=clock)
    d.add([Path("a.xml")])
    for _ in range(9):  # a change every 0.15 s: never quiet for 0.2 s
        clock.now += 0.15
        d.add([Path("a.xml")])
        assert d.due_in() > 0 or clock.now >= 101.0
    clock.now = 101.0
    assert d.due_in() == 0


def test_an_empty_batch_still_asks_for_a_build():
    clock = FakeClock()
    d = Debouncer(quiet=0.2, clock=clock)
    d.add([])
    clock.now += 1
    assert d.due_in() == 0
    assert d.take() == set()


def test_two_quick_edits_make_one_rebuild():
    builds: list[set[Path]] = []
    d = Debouncer(quiet=1.0)  # both edits come well inside one quiet spell
    loop = threading.Thread(target=rebuild_loop, args=(d, builds.append))
    loop.start()
    d.add([Path("a.xml")])
    d.add([Path("a.xml"), Path("b.xml")])
    eventually(lambda: builds, "the rebuild")
    d.close()
    loop.join(PATIENCE)
    assert builds == [{Path("a.xml"), Path("b.xml")}]


def test_changes_during_a_build_make_exactly_one_more():
    started, release = threading.Event(), threading.Event()
    builds: list[set[Path]] = []

    def build(batch: set[Path]) -> None:
        builds.append(batch)
        if len(builds) == 1:
            started.set()
            assert release.wait(PATIENCE)

    d = Debouncer(quiet=0.05)
    loop = threading.Thread(target=rebuild_loop, args=(d, build))
    loop.start()
    d.add([Path("a.xml")])
    assert started.wait(PATIENCE)
    for name in ("b.xml", "c.xml", "b.xml"):  # three saves while the first build runs
        d.add([Path(name)])
    release.set()
    eventually(lambda: len(builds) == 2, "the second build")
    assert d.due_in() is None  # nothing left over for a third
    d.close()
    loop.join(PATIENCE)
    assert builds == [{Path("a.xml")}, {Path("b.xml"), Path("c.xml")}]


def test_closing_stops_the_loop_even_with_nothing_to_do():
    d = Debouncer()
    loop = threading.Thread(target=rebuild_loop, args=(d, lambda batch: None))
    loop.start()
    d.close()
    loop.join(PATIENCE)
    assert not loop.is_alive()


# ------------------------------------------------------------------- a build's outcome


def diag(path: str, line: int, message: str, severity: str = ERROR) -> Diagnostic:
    return Diagnostic(path, line, 3, severity, message, "rng")


def test_outcome_of_a_report_with_a_document_not_rendered(tmp_path):
    project = load_project(_edition(tmp_path))
    report = BuildReport(output=project.output_dir, built=["a"], reused=["b"],
                         failed={"c": [diag("tei/c.xml", 4, "not well-formed")]},
                         findings=[diag("tei/a.xml", 2, "a warning", WARNING)], committed=True,
                         report_page=project.output_dir / "report.html")
    out = outcome_of(project, report)
    assert out.changed and (out.built, out.reused) == (["a"], 1)
    assert list(out.failed) == ["c"]
    assert [d.message for d in out.warnings] == ["a warning"]
    assert out.as_json() == {"report": "report.html", "problems": [
        {"path": "tei/c.xml", "line": 4, "column": 3, "severity": "error",
         "message": "not well-formed", "rule": "rng", "document": "c", "rendered": False,
         "everywhere": True}]}


def test_outcome_of_an_unchanged_build_does_not_reload(tmp_path):
    project = load_project(_edition(tmp_path))
    report = BuildReport(output=project.output_dir, reused=["a"], committed=True,
                         up_to_date=True)
    assert not outcome_of(project, report).changed


def test_validation_errors_show_on_their_page_and_once_edited_on_every_page(tmp_path):
    """An error a document had all along is shown on its own page; one of a document edited
    while serving on every page and in the terminal."""
    root = _edition(tmp_path)
    project = load_project(root)
    source = next((root / "tei").glob("*.xml"))
    name = source.stem
    report = BuildReport(output=project.output_dir, built=[name], committed=True,
                         invalid=[name], findings=[diag(f"tei/{source.name}", 9, "invalid")])
    out = outcome_of(project, report)
    assert out.errors == {name: [diag(f"tei/{source.name}", 9, "invalid")]}
    assert out.problems() == [] and out.warnings == []
    [item] = out.as_json()["problems"]
    assert (item["document"], item["rendered"], item["everywhere"]) == (name, True, False)
    assert [d.message for d in out.problems({name})] == ["invalid"]
    assert out.as_json({name})["problems"][0]["everywhere"]


def test_an_invalid_document_whose_errors_the_report_did_not_list(tmp_path):
    root = _edition(tmp_path)
    project = load_project(root)
    name = next((root / "tei").glob("*.xml")).stem
    report = BuildReport(output=project.output_dir, built=[name], invalid=[name],
                         committed=True)
    [problem] = outcome_of(project, report).errors[name]
    assert problem.path == f"tei/{name}.xml" and "teikit validate" in problem.message


def test_outcome_of_a_build_that_built_nothing(tmp_path):
    project = load_project(_edition(tmp_path))
    exc = BuildFailed("no document could be built", failures={"a": [diag("tei/a.xml", 1, "x")]})
    out = outcome_of(project, exc)
    assert not out.changed and list(out.failed) == ["a"]


def test_outcome_of_a_broken_setting_names_its_file_and_line(tmp_path):
    root = _edition(tmp_path)
    project = load_project(root)
    exc = ConfigError("not valid TOML: oops", path=root / "teikit.toml", line=3, column=7,
                      hint="see the docs")
    [problem] = outcome_of(project, exc).problems()
    assert (problem.path, problem.line, problem.column) == ("teikit.toml", 3, 7)
    assert problem.message == "not valid TOML: oops (see the docs)"


# -------------------------------------------------------------------- last good pages


def test_kept_pages_outlive_a_failing_document_only(tmp_path):
    html, kept = tmp_path / "html", KeptPages(tmp_path / "kept")
    html.mkdir()
    for name in ("a", "b", "index"):
        (html / f"{name}.html").write_text(f"<p>{name} v1</p>")
    kept.update(html)
    # a fails now (its page is gone), b was removed, a's page is the one kept
    (html / "a.html").unlink()
    (html / "b.html").unlink()
    (html / "index.html").write_text("<p>index v2</p>")
    kept.update(html, failing=["a"])
    assert kept.find("a").read_text() == "<p>a v1</p>"
    assert kept.find("b") is None
    assert kept.find("index").read_text() == "<p>index v2</p>"
    assert kept.find("../a") is None
    # a is mended: its new page is kept from now on
    (html / "a.html").write_text("<p>a v2</p>")
    kept.update(html)
    assert kept.find("a").read_text() == "<p>a v2</p>"


# ------------------------------------------------------------------------ what is watched


def _edition(tmp_path: Path, html_only: bool = False) -> Path:
    """A fresh edition as ``teikit init`` makes it (with ``html_only``: its web edition only,
    the fastest to rebuild)."""
    root = tmp_path / "ed"
    create(root, "Served edition")
    if html_only:
        config = root / "teikit.toml"
        lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
        config.write_text("".join('formats = ["html"]\n' if x.startswith("formats") else x
                                  for x in lines), encoding="utf-8")
    return root


def test_the_plan_watches_sources_overlays_and_overrides(tmp_path):
    root = _edition(tmp_path)
    (root / "xslt" / "html").mkdir(parents=True)
    (root / "style").mkdir()
    (root / "style" / "my-html.xsl").write_text("<x/>")
    (root / "i18n").mkdir()  # the edition's own interface strings
    with open(root / "teikit.toml", "a", encoding="utf-8") as fh:
        fh.write('stylesheets = {html = "style/my-html.xsl"}\n')
    project = load_project(root)
    p = plan(project)
    assert set(p.deep) == {root / "tei", root / "xslt", root / "style", root / "i18n"}
    assert p.flat == (root,)
    assert p.describe(project) == "i18n/, style/, tei/, xslt/, teikit.toml"


def test_an_override_in_the_project_folder_does_not_watch_all_of_it(tmp_path):
    root = _edition(tmp_path)
    (root / "my-html.xsl").write_text("<x/>")
    with open(root / "teikit.toml", "a", encoding="utf-8") as fh:
        fh.write('stylesheets = {html = "my-html.xsl"}\n')
    p = plan(load_project(root))
    assert (p.deep, p.flat) == ((root / "tei",), (root,))


def test_what_a_build_writes_and_editors_leave_is_not_a_change(tmp_path):
    root = _edition(tmp_path)
    project = load_project(root)
    test = relevant(project)
    assert test(root / "tei" / "letter.xml")
    assert test(root / "tei" / "sub" / "images" / "f1.png")
    assert test(root / "teikit.toml")
    assert test(root / "xslt")  # made anew: the plan then watches inside it
    assert test(root / "i18n")
    assert test(root / "my-html.xsl")  # an override in the project folder, named or not yet
    for ignored in ("output/html/index.html", ".output.staging-12-ab/x.html", "output.old-7",
                    ".teikit-cache/build/x/facts.json", "tei/.letter.xml.swp",
                    "tei/letter.xml~", "tei/.#letter.xml", "tei/4913", "README.md",
                    ".git/index"):
        assert not test(root / ignored), ignored


def test_the_watcher_reports_a_saved_file(tmp_path):
    root = _edition(tmp_path)
    project = load_project(root)
    seen: queue.Queue = queue.Queue()
    watcher = Watcher(seen.put)
    watcher.follow(plan(project), relevant(project))
    try:
        source = next((root / "tei").glob("*.xml"))
        found: set[Path] = set()

        def saved():
            source.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
            try:
                found.update(seen.get(timeout=0.5))
            except queue.Empty:
                pass
            return source in found

        eventually(saved, "the watcher to notice the save")
        assert all(relevant(project)(p) for p in found)
    finally:
        watcher.stop()


def test_the_watcher_follows_a_new_overlay_folder(tmp_path):
    root = _edition(tmp_path)
    project = load_project(root)
    seen: queue.Queue = queue.Queue()
    watcher = Watcher(seen.put)
    watcher.follow(plan(project), relevant(project))
    try:
        (root / "xslt" / "html").mkdir(parents=True)  # the session's next build follows:
        watcher.follow(plan(project), relevant(project))
        assert root / "xslt" in plan(project).deep
        overlay = root / "xslt" / "html" / "html-page.xsl"

        def saved():
            overlay.write_text("<x/>", encoding="utf-8")
            try:
                return overlay in seen.get(timeout=0.5)
            except queue.Empty:
                return False

        eventually(saved, "the watcher to notice a file in the new folder")
    finally:
        watcher.stop()


def test_without_file_events_the_watcher_polls(tmp_path, monkeypatch):
    """Where the system gives no file events (its limit of watches reached, a network file
    system), changes are still noticed, by polling, and the terminal says so."""
    real = watch.watchfiles.watch

    def no_events(*args, force_polling=None, **kw):
        if not force_polling:
            raise OSError("OS file watch limit reached")
        return real(*args, force_polling=force_polling, poll_delay_ms=50, **kw)

    monkeypatch.setattr(watch.watchfiles, "watch", no_events)
    root = _edition(tmp_path)
    project = load_project(root)
    seen: queue.Queue = queue.Queue()
    said: list[str] = []
    watcher = Watcher(seen.put, on_error=said.append)
    watcher.follow(plan(project), relevant(project))
    try:
        source = next((root / "tei").glob("*.xml"))
        n = [0]

        def saved():
            n[0] += 1
            source.write_text(source.read_text(encoding="utf-8") + f"<!-- {n[0]} -->",
                              encoding="utf-8")
            try:
                return source in seen.get(timeout=0.5)
            except queue.Empty:
                return False

        eventually(saved, "the polling watcher to notice the save")
    finally:
        watcher.stop()
    assert any("OS file watch limit reached" in m and "every 0.3 s instead" in m for m in said)


# ------------------------------------------------------------------------- the server


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=PATIENCE) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.fixture
def server(tmp_path):
    out = tmp_path / "output"
    (out / "html" / "assets").mkdir(parents=True)
    (out / "html" / "index.html").write_text("<!DOCTYPE html><html><head><title>i</title>"
                                             "</head><body>index</body></html>")
    (out / "html" / "assets" / "search-index.js").write_text("var x = 1;")
    (out / "html" / "graphics").mkdir()
    (out / "html" / "graphics" / "facsimile 1.png").write_bytes(b"\x89PNG\r\n\x1a\n...")
    (out / "text").mkdir()
    (out / "text" / "a.txt").write_text("reading text")
    (tmp_path / "secret.txt").write_text("not served")
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "gone.html").write_text("<html><head></head><body>last good</body></html>")
    state = LiveState()
    srv = PreviewServer(out, "127.0.0.1", 0, state,
                        lambda name: kept / "gone.html" if name == "gone" else None)
    srv.start()
    yield srv
    srv.stop()


def test_pages_get_the_reload_script_and_files_come_as_they_are(server):
    status, headers, body = get(server.url + "html/index.html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    build = server.state.build
    assert body.count(f'<script src="/__teikit__/reload.js" data-build="{build}" defer>'
                      '</script></head>'.encode()) == 1
    assert b"__teikit__" not in (server.root / "html" / "index.html").read_bytes()
    status, headers, body = get(server.url + "html/assets/search-index.js")
    assert (status, body) == (200, b"var x = 1;")
    assert headers["Content-Type"].startswith("text/javascript")
    assert get(server.url + "text/a.txt")[2] == b"reading text"
    status, headers, body = get(server.url + "html/graphics/facsimile%201.png")
    assert (status, headers["Content-Type"]) == (200, "image/png")
    assert body.startswith(b"\x89PNG")


def test_the_start_page_and_folders(server):
    status, _h, body = get(server.url)  # redirected to html/, then to its index.html
    assert status == 200 and b"index" in body
    status, _h, body = get(server.url + "html/")
    assert status == 200 and b"index" in body
    conn = socket.create_connection(("127.0.0.1", server.server_port), timeout=PATIENCE)
    conn.sendall(b"GET //html HTTP/1.0\r\n\r\n")  # not a redirect to another host
    assert b"\r\nLocation: /html/\r\n" in conn.recv(65536)
    conn.close()


def test_nothing_outside_the_output_is_served(server):
    for path in ("../secret.txt", "html/../../secret.txt", "%2e%2e/secret.txt",
                 "html/%2e%2e/%2e%2e/secret.txt", "html/..%5c..%5csecret.txt"):
        conn = socket.create_connection(("127.0.0.1", server.server_port), timeout=PATIENCE)
        conn.sendall(f"GET /{path} HTTP/1.0\r\n\r\n".encode())
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
        conn.close()
        assert reply.startswith(b"HTTP/1.0 404"), path
        assert b"not served" not in reply, path


def test_a_failing_documents_last_good_page_is_served(server):
    status, _h, body = get(server.url + "html/gone.html")
    assert status == 200 and b"last good" in body and b"reload.js" in body
    status, _h, body = get(server.url + "html/never.html")
    assert status == 404 and b"reload.js" in body  # reloads itself once the page exists


def test_the_preview_script_and_state(server):
    status, headers, body = get(server.url + RESERVED.lstrip("/") + "reload.js")
    assert status == 200 and b"EventSource" in body
    assert get(server.url + RESERVED.lstrip("/") + "reload.css")[0] == 200
    assert get(server.url + RESERVED.lstrip("/") + "../pyproject.toml")[0] == 404
    server.state.publish(changed=True, problems=[{"message": "x"}])
    state = json.loads(get(server.url + RESERVED.lstrip("/") + "state.json")[2])
    assert state["problems"] == [{"message": "x"}] and state["build"].endswith("-1")


def test_the_event_stream_sends_the_state_and_each_change(server):
    with urllib.request.urlopen(server.url + "__teikit__/events", timeout=PATIENCE) as r:
        assert r.headers["Content-Type"].startswith("text/event-stream")
        messages = _sse(r)
        first = next(messages)
        server.state.publish(changed=True, building=False)
        second = next(messages)
    assert first["build"] != second["build"]


def _sse(response):
    for raw in response:
        line = raw.decode().strip()
        if line.startswith("data: "):
            yield json.loads(line[len("data: "):])


def test_inject_without_a_head():
    assert inject(b"<p>x</p>", "b-1").startswith(b'<script src="/__teikit__/reload.js" '
                                                 b'data-build="b-1"')


def test_a_page_carries_the_build_it_is_of(server):
    before = server.state.build
    server.state.publish(changed=True)
    assert server.state.build != before
    assert f'data-build="{server.state.build}"'.encode() in get(server.url + "html/index.html")[2]


def test_other_host_names_are_refused(server):
    """A web site whose name was pointed at 127.0.0.1 (DNS rebinding) cannot read the
    preview; this machine's own names can."""
    for host, status in (("evil.example:80", 403), (f"localhost:{server.server_port}", 200),
                         (f"127.0.0.1:{server.server_port}", 200), ("[::1]:1", 200)):
        request = urllib.request.Request(server.url + "html/index.html", headers={"Host": host})
        try:
            with urllib.request.urlopen(request, timeout=PATIENCE) as r:
                got = r.status
        except urllib.error.HTTPError as e:
            got = e.code
        assert got == status, host


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(Exception) as info:
            PreviewServer(Path("."), "127.0.0.1", port, LiveState())
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in str(info.value)


# -------------------------------------------------------------- a session, end to end


@pytest.fixture
def session(tmp_path):
    root = _edition(tmp_path, html_only=True)
    lines: list[str] = []
    s = Session(load_project(root), ServeOptions(port=0, jobs=1), say=lines.append)
    s.lines = lines
    s.start()
    loop = threading.Thread(target=s.run, daemon=True)
    loop.start()
    eventually(lambda: s.builds >= 1, "the first build")
    yield s
    s.close()
    loop.join(PATIENCE)


def _state(s: Session) -> dict:
    return json.loads(get(s.url + "__teikit__/state.json")[2])


def test_a_session_rebuilds_on_save_and_shows_what_breaks(session):
    source = next((session.project.root / "tei").glob("*.xml"))
    good = source.read_text(encoding="utf-8")
    page = "html/" + source.stem + ".html"
    first = _state(session)
    assert first["problems"] == [] and first["ready"]

    source.write_text(good.replace("wrote a", "wrote a freshly edited"), encoding="utf-8")
    eventually(lambda: b"freshly edited" in get(session.url + page)[2], "the edited page")
    eventually(lambda: _state(session)["build"] != first["build"], "the pages told to reload")

    source.write_text(good.replace("</head>", "</hed>", 1), encoding="utf-8")
    broken = eventually(lambda: _state(session)["problems"], "the problem")
    assert [(p["path"], p["line"], p["rule"], p["document"]) for p in broken] == [
        (f"tei/{source.name}", 20, "xml-syntax", source.stem)]
    assert "mismatch" in broken[0]["message"]
    status, _h, body = get(session.url + page)
    assert status == 200 and b"freshly edited" in body  # the last good page stays
    eventually(lambda: any(f"tei/{source.name}:20:" in x for x in session.lines),
               "the problem in the terminal")

    source.write_text(good, encoding="utf-8")
    eventually(lambda: not _state(session)["problems"], "the problem to go")
    eventually(lambda: b"freshly edited" not in get(session.url + page)[2], "the mended page")
    eventually(lambda: "no problems left" in session.lines[-1], "the terminal's all clear")

    # Invalid but well-formed: the page is made all the same, and the error is shown.
    source.write_text(good.replace('wrote a', 'wrote <persName ref="#nobody">nobody</persName>')
                      , encoding="utf-8")
    eventually(lambda: b"wrote <" in get(session.url + page)[2] and b">nobody<"
               in get(session.url + page)[2], "the page made in spite of the error")
    [invalid] = eventually(lambda: _state(session)["problems"], "the validation error")
    assert (invalid["path"], invalid["line"], invalid["rendered"], invalid["everywhere"]) == (
        f"tei/{source.name}", 22, True, True)
    assert '"#nobody"' in invalid["message"]
    assert get(session.url + _state(session)["report"])[0] == 200  # the editors' report
    source.write_text(good, encoding="utf-8")
    eventually(lambda: not _state(session)["problems"], "the validation error to go")
    out = session.project.output_dir
    assert not any(b"__teikit__" in f.read_bytes() for f in out.rglob("*.html"))


def test_a_broken_setting_shows_and_the_old_output_stays(session):
    config = session.project.root / "teikit.toml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "title = \n", encoding="utf-8")
    [problem] = eventually(lambda: _state(session)["problems"], "the setting's problem")
    assert problem["path"] == "teikit.toml" and "TOML" in problem["message"]
    assert get(session.url + "html/index.html")[0] == 200
    config.write_text(good.replace("Served edition", "Renamed edition"), encoding="utf-8")
    eventually(lambda: b"Renamed edition" in get(session.url + "html/index.html")[2],
               "the renamed edition")
    eventually(lambda: _state(session)["problems"] == [], "the setting's problem to go")


def test_an_edited_stylesheet_override_rebuilds_the_pages(session):
    root = session.project.root
    override = root / "my-html.xsl"

    def write(word: str) -> None:
        override.write_text(
            '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"'
            ' xmlns:tei="http://www.tei-c.org/ns/1.0">\n'
            f'  <xsl:template match="tei:date" mode="#all" priority="10">{word}</xsl:template>\n'
            '</xsl:stylesheet>\n', encoding="utf-8")

    write("DATE-ONE")
    with (root / "teikit.toml").open("a", encoding="utf-8") as fh:
        fh.write('stylesheets = {html = "my-html.xsl"}\n')
    page = session.url + "html/" + next((root / "tei").glob("*.xml")).stem + ".html"
    eventually(lambda: b"DATE-ONE" in get(page)[2], "the page made with the override")
    write("DATE-TWO")
    eventually(lambda: b"DATE-TWO" in get(page)[2], "the page made with the edited override")


# -------------------------------------------------------------------- the command line


def test_bad_port_is_a_usage_error(teikit):
    res = teikit("serve", "--port", "70000")
    assert res.code == 2
    assert ("teikit: error: Invalid value for '--port' / '-p': 70000 is not in the range "
            "0<=x<=65535.") in res.err
    assert "Traceback" not in res.err


def test_port_in_use_is_a_clear_error(teikit, tmp_path):
    root = _edition(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = teikit("serve", str(root), "--port", str(port), "--format", "html")
    assert res.code == 2
    assert res.err.strip() == (f"teikit: error: cannot listen on 127.0.0.1:{port}: the port is "
                               "in use\n  hint: stop the program using it, or choose another "
                               "port with --port (--port 0 takes any free one)")


def start_serving(root: Path, *args: str) -> tuple[subprocess.Popen, str, queue.Queue]:
    """``teikit serve ROOT --port 0 ARGS`` in a subprocess; its URL and its stderr lines."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("FORCE_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", str(root), "--port", "0",
                             *args], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()
    url = wait_for_line(lines, "serving ", proc).split(" at ")[1].split()[0]
    return proc, url, lines


def wait_for_line(lines: queue.Queue, part: str, proc: subprocess.Popen,
                  seen: list | None = None) -> str:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None:
                pytest.fail(f"teikit serve ended ({proc.returncode}) before saying {part!r}")
            continue
        if seen is not None:
            seen.append(line)
        if part in line:
            return line
    pytest.fail(f"teikit serve never said {part!r}")


def test_ctrl_c_stops_cleanly_with_one_line(tmp_path):
    root = _edition(tmp_path)
    proc, url, lines = start_serving(root, "--format", "html")
    try:
        wait_for_line(lines, "rebuilt in", proc)
        assert get(url + "html/index.html")[0] == 200
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert proc.returncode == 0
    assert "Traceback" not in "".join(rest)
    assert [x.strip() for x in rest] == [
        "teikit: stopped serving; output/ holds the last complete build"]
