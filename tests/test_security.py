"""Hostile input cannot make a build reach the network, read files it was not given or write
outside the output folder.

Network access is caught two ways: a canary HTTP server on 127.0.0.1 that every remote
reference of the test documents points at (any request it receives fails the test, whichever
library made it: lxml, Saxon, Python), and, where the system allows it, the command line run in
a network namespace of its own without any network (``unshare --net``), where it must neither
hang nor crash. File disclosure is caught by a secret outside the edition that must appear in no
output and no message. (The sanitising of the web edition's HTML is tested in test_html.py.)
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from toolkit.builder import BuildOptions, build
from toolkit.errors import BuildFailed, ConfigError
from toolkit.project import paths
from toolkit.project.config import load_project
from toolkit.validation import validate

HEADER = ('<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
          "<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc>"
          "</fileDesc></teiHeader>")
TEI_OPEN = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" '
            'xmlns:xi="http://www.w3.org/2001/XInclude">')
SECRET = "TOP-SECRET-7f3a9c"


def tei(body: str, title: str = "A document", before: str = "") -> str:
    return (f"{before}{TEI_OPEN}{HEADER.format(title=title)}<text><body>{body}</body></text>"
            "</TEI>\n")


def edition(root: Path, docs: dict[str, str], config: str = "") -> Path:
    (root / "tei").mkdir(parents=True, exist_ok=True)
    (root / "teikit.toml").write_text('title = "Security"\nformats = ["html", "text"]\n'
                                      + config, encoding="utf-8")
    for name, text in docs.items():
        path = root / "tei" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run_cli(*args: str, env: dict | None = None, prefix: tuple = (),
            timeout: float = 300) -> subprocess.CompletedProcess:
    full = {**os.environ, **(env or {})}
    full.pop("FORCE_COLOR", None)
    return subprocess.run([*prefix, sys.executable, "-m", "toolkit", *args], env=full,
                          capture_output=True, text=True, timeout=timeout)


def files_under(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file below ``folder`` (but not below the ``skip`` folders) with a digest."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if rel.parts and rel.parts[0] in skip:
            continue
        if p.is_file() and not p.is_symlink():
            out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def leaked(folder: Path, needle: str = SECRET) -> list[str]:
    return [str(p) for p in folder.rglob("*")
            if p.is_file() and needle.encode() in p.read_bytes()]


# ------------------------------------------------------------------------------- network


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server interface
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(f"<x>{SECRET}</x>".encode())

    def log_message(self, *args):  # silence
        pass


@pytest.fixture
def canary():
    """A local HTTP server; the test fails if anything asks it for anything."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Canary.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    assert _Canary.hits == [], f"network requests were made: {_Canary.hits}"


@pytest.fixture
def no_sockets(monkeypatch):
    """Any Python-level attempt to connect fails the test (the canary catches native ones)."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted during a test that forbids it")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"connections attempted: {attempts}"


def remote_edition(root: Path, url: str) -> Path:
    """Every way a TEI edition can name a remote resource."""
    letter = tei(
        f'<p>Hello <persName ref="people.xml#p1">Ada</persName>, see '
        f'<ref target="{url}/page.html">a page</ref> and <ptr target="{url}/x.xml#a"/>'
        f'<xi:include href="{url}/part.xml"><xi:fallback>fallback text</xi:fallback>'
        f'</xi:include>.</p><figure><graphic url="{url}/img.png"/></figure>',
        before=(f'<?xml-model href="{url}/tei_all.rng" '
                'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
                f'<?xml-model href="{url}/rules.sch" '
                'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
                f'<!DOCTYPE TEI SYSTEM "{url}/tei.dtd">\n'))
    people = (f'<!DOCTYPE TEI SYSTEM "{url}/people.dtd">\n{TEI_OPEN}'
              f'{HEADER.format(title="People")}<standOff><listPerson><person xml:id="p1">'
              "<persName>Ada Lovelace</persName></person></listPerson></standOff></TEI>\n")
    return edition(root, {"letter.xml": letter, "people.xml": people})


def test_validation_and_build_in_process_never_touch_the_network(tmp_path, canary,
                                                                  no_sockets):
    root = remote_edition(tmp_path / "ed", canary)
    diags = validate([root / "tei"], load_project(root))
    rules = sorted({d.rule for d in diags})
    assert rules == ["doctype-ignored", "schema-unavailable"], [d.format() for d in diags]
    assert not any(d.is_error for d in diags)
    report = build(load_project(root), BuildOptions(jobs=1, build_date="2026-01-01"))
    assert sorted(report.built) == ["letter", "people"]
    page = (root / "output" / "html" / "letter.html").read_text(encoding="utf-8")
    assert "fallback text" in page and SECRET not in page


def test_command_line_build_never_touches_the_network(tmp_path, canary):
    root = remote_edition(tmp_path / "ed", canary)
    res = run_cli("build", str(root), "--jobs", "2", "--date", "2026-01-01")
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert "[schema-unavailable]" in res.stderr
    assert not leaked(root / "output")


def _can_unshare() -> bool:
    try:
        return subprocess.run(["unshare", "--net", "true"], capture_output=True,
                              timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def test_build_without_any_network_neither_hangs_nor_crashes(tmp_path):
    """In a network namespace with no interface at all: every connection fails at once."""
    if not _can_unshare():
        pytest.skip("cannot create a network namespace here (unshare --net needs root or "
                    "user namespaces)")
    root = remote_edition(tmp_path / "ed", "http://example.org")
    res = run_cli("build", str(root), "--date", "2026-01-01", prefix=("unshare", "--net"),
                  timeout=300)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    res = run_cli("validate", str(root / "tei"), prefix=("unshare", "--net"), timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr


def test_remote_schema_include_is_refused_not_fetched(tmp_path, canary):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, 'schema = "custom.rng"\n')
    (root / "custom.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
        f'<include href="{canary}/other.rng"/></grammar>', encoding="utf-8")
    res = run_cli("build", str(root), "--format", "text")
    assert res.returncode == 1, res.stderr
    assert "custom.rng:1:1: error: the schema includes" in res.stderr
    assert "not available locally (nothing is fetched from the network)" in res.stderr
    assert "Traceback" not in res.stderr


def test_remote_stylesheet_import_is_refused_not_fetched(tmp_path, canary):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")},
                   'stylesheets = {text = "mine.xsl"}\n')
    (root / "mine.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:import href="{canary}/evil.xsl"/></xsl:stylesheet>', encoding="utf-8")
    res = run_cli("build", str(root), "--format", "text", "--no-validate")
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    assert "mine.xsl" in res.stderr or "does not compile" in res.stderr


# ------------------------------------------------------------------- entities, disclosure


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET, encoding="utf-8")
    return path


def bomb(levels: int = 9) -> str:
    defs = ['<!ENTITY a0 "' + "lol" * 20 + '">'] + [
        f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">' for i in range(1, levels)]
    return tei(f"<p>&a{levels - 1};</p>", before="<!DOCTYPE TEI [" + "".join(defs) + "]>\n")


def quadratic() -> str:
    big = "x" * 100_000
    return tei("<p>" + "&big;" * 20_000 + "</p>",
               before=f'<!DOCTYPE TEI [<!ENTITY big "{big}">]>\n')


@pytest.mark.parametrize("name, text, needle", [
    ("billion-laughs", bomb(), "entity bomb"),
    ("quadratic-blowup", quadratic(), "entity bomb"),
])
def test_entity_expansion_is_refused_by_the_build(tmp_path, name, text, needle):
    root = edition(tmp_path / "ed", {f"{name}.xml": text, "fine.xml": tei("<p>fine</p>")})
    for extra in ((), ("--no-validate",)):
        res = run_cli("build", str(root), "--format", "html,text", "--keep-going", *extra,
                      timeout=120)
        assert res.returncode == 1, res.stderr
        assert f"tei/{name}.xml:" in res.stderr and needle in res.stderr
        assert "Traceback" not in res.stderr
        assert "built 1, reused 0, failed 1" in res.stderr or "built 0, reused 1, failed 1" \
            in res.stderr


def test_external_entity_is_never_read_by_the_build(tmp_path, secret):
    doc = tei("<p>&x;</p>", before=f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n')
    param = tei("<p>x</p>", before=f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{secret.as_uri()}"> '
                                   "%p;]>\n")
    root = edition(tmp_path / "ed", {"xxe.xml": doc, "param.xml": param,
                                     "fine.xml": tei("<p>fine</p>")})
    for extra in ((), ("--no-validate",)):
        res = run_cli("build", str(root), "--keep-going", "--format", "html,text", *extra)
        assert res.returncode == 1, res.stderr
        assert "tei/xxe.xml:2:" in res.stderr and "tei/param.xml:1:" in res.stderr
        assert "external entities are never read" in res.stderr
        assert SECRET not in res.stderr + res.stdout
        assert not leaked(root / "output")


def test_entity_in_a_file_the_web_edition_reads_is_not_disclosed(tmp_path, secret):
    """The web edition reads the entries other files hold (``people.xml#p1``) through Saxon's
    own parser: it must not expand an external entity there either, even when that file is
    not built (it fails to load) or nothing is validated."""
    letter = tei('<p>Letter of <persName ref="people.xml#p1">Ada</persName>.</p>')
    people = (f'<!DOCTYPE TEI [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n{TEI_OPEN}'
              f'{HEADER.format(title="People")}<standOff><listPerson><person xml:id="p1">'
              "<persName>&s;</persName><note>&s;</note></person></listPerson></standOff>"
              "</TEI>\n")
    root = edition(tmp_path / "ed", {"letter.xml": letter, "people.xml": people})
    for extra in ((), ("--no-validate",)):
        res = run_cli("build", str(root), "--keep-going", "--format", "html,text", *extra)
        assert res.returncode == 1, res.stderr
        assert (root / "output" / "html" / "letter.html").is_file()
        assert SECRET not in res.stderr
        assert not leaked(root / "output")


# ------------------------------------------------------------------------------- XInclude


def test_xinclude_cannot_read_outside_the_edition(tmp_path, secret):
    tei_dir = tmp_path / "ed" / "tei"
    tei_dir.mkdir(parents=True)
    (tei_dir / "link.txt").symlink_to(secret)  # a link inside, pointing out
    rel = os.path.relpath(secret, tei_dir)
    includes = "".join(
        f'<xi:include href="{href}" parse="text"/>'
        for href in (rel, str(secret), secret.as_uri(), "link.txt", "../../outside/secret.txt"))
    root = edition(tmp_path / "ed", {"inc.xml": tei(f"<p>{includes}</p>"),
                                     "fine.xml": tei("<p>fine</p>")})
    for extra in ((), ("--no-validate",)):
        res = run_cli("build", str(root), "--keep-going", "--format", "html,text", *extra)
        assert res.returncode == 1, res.stderr
        refused = [line for line in res.stderr.splitlines()
                   if "[xinclude]" in line and "points outside the edition" in line]
        assert len(refused) == 5, res.stderr
        assert SECRET not in res.stderr
        assert not leaked(root / "output")


# ------------------------------------------------------------------------------- writing


def test_nothing_is_written_outside_output_and_the_cache(tmp_path, secret):
    """A build with odd names (a document called ..xml, ids with slashes, a source-name with
    path separators is impossible: names come from file names) writes only into output/ of
    the project and the user cache named by TEIKIT_CACHE; a hidden source (..xml) and a link
    to a source outside the sources folder are refused, saying why."""
    outside = tmp_path / "corpus"
    outside.mkdir()
    (outside / "linked.xml").write_text(
        tei('<p xml:id="a/../../b">linked <xi:include href="../outside/secret.txt" '
            'parse="text"><xi:fallback>fb</xi:fallback></xi:include></p>'), encoding="utf-8")
    root = edition(tmp_path / "ed", {
        "..xml": tei("<p>dots</p>", title="Dots"),
        "sub/deep.xml": tei('<p xml:id="x"><ref target="#x">self</ref> '
                            '<persName ref="../../../etc/passwd#root">root</persName></p>'),
        "-o.xml": tei("<p>option-like name</p>"),
    })
    (root / "tei" / "outside-link.xml").symlink_to(outside / "linked.xml")
    cache = tmp_path / "user-cache"
    before_tree = files_under(tmp_path, skip=("ed", "user-cache"))
    before_project = files_under(root, skip=("output",))
    res = run_cli("build", str(root), "--no-validate", "--keep-going", "--date", "2026-01-01",
                  env={"TEIKIT_CACHE": str(cache)})
    assert "Traceback" not in res.stderr
    assert res.returncode == 1, res.stderr
    assert "tei/..xml:1:1: error: source refused: it is or lies in a hidden file" in res.stderr
    assert "outside-link.xml:1:1: error: source refused: it lies outside the edition's " \
        "sources folder" in res.stderr and "through a symbolic link" in res.stderr
    assert files_under(tmp_path, skip=("ed", "user-cache")) == before_tree
    assert files_under(root, skip=("output",)) == before_project
    out = root / "output"
    names = sorted(p.name for p in (out / "text").iterdir())
    assert names == ["-o.diplomatic.txt", "-o.txt", "sub_deep.diplomatic.txt", "sub_deep.txt"]
    for p in out.rglob("*"):
        assert p.resolve().is_relative_to(out.resolve())
    assert not leaked(out)


@pytest.mark.parametrize("setting", ['output = "../elsewhere"', 'output = "/tmp/teikit-out"',
                                     'output = "link-out"', 'sources = "/etc/*.xml"'])
def test_settings_cannot_send_the_build_outside_the_project(tmp_path, setting):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, setting + "\n")
    (root / "link-out").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(ConfigError) as info:
        load_project(root)
    assert "outside the project" in info.value.message or "absolute" in info.value.message
    res = run_cli("build", str(root), "--no-validate", "--format", "text")
    assert res.returncode == 2 and "teikit: error:" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_output_elsewhere_must_be_asked_for_on_the_command_line(tmp_path):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")})
    target = tmp_path / "chosen"
    res = run_cli("build", str(root), "--no-validate", "--format", "text", "-o", str(target))
    assert res.returncode == 0, res.stderr
    assert (target / "text" / "a.txt").is_file()


def test_cache_files_are_not_changed_through_the_output(tmp_path):
    """Outputs are hard links to the build cache: an authority file whose page the site
    replaces (persons.html) must not change its cache entry, and a rebuild is still right."""
    people = (f"{TEI_OPEN}{HEADER.format(title='People')}<standOff><listPerson>"
              '<person xml:id="p1"><persName>Ada Lovelace</persName></person></listPerson>'
              "</standOff></TEI>\n")
    root = edition(tmp_path / "ed", {
        "persons.xml": people,
        "letter.xml": tei('<p>By <persName ref="persons.xml#p1">Ada</persName>.</p>')})
    project = load_project(root)
    try:
        build(project, BuildOptions(jobs=1, validate=False, build_date="2026-01-01"))
    except BuildFailed as exc:  # the site may refuse the name: then nothing was linked
        pytest.skip(f"the site refuses a document named persons: {exc}")
    cache = paths.build_cache(project)
    entries = {p.name: files_under(p) for p in cache.iterdir() if p.is_dir()}
    first = files_under(root / "output")
    shutil.rmtree(root / "output")
    build(project, BuildOptions(jobs=1, validate=False, build_date="2026-01-01"))
    assert files_under(root / "output") == first
    for p in cache.iterdir():
        if p.is_dir() and p.name in entries:
            assert files_under(p) == entries[p.name], f"cache entry {p.name} changed"


@pytest.mark.parametrize("body, needle", [
    ("<p>" + "<hi>" * 300 + "deep" + "</hi>" * 300 + "</p>", "nest too deeply"),
    ("<p>" + "x" * 11_000_000 + "</p>", "safety limit (10 MB)"),
])
def test_parser_safety_limits_are_explained(tmp_path, body, needle):
    """huge_tree stays off: runaway nesting and giant text nodes are refused, saying why."""
    from toolkit.load import load

    path = tmp_path / "big.xml"
    path.write_text(TEI_OPEN + body + "</TEI>", encoding="utf-8")
    doc, diags = load(path)
    assert doc is None and needle in diags[0].message
    assert "XML_PARSE_HUGE" not in diags[0].message


def crash_on_bad(task):
    """A stand-in for a document that crashes a native library: its worker dies."""
    from toolkit.builder.document import build_document

    if task.name == "bad":
        os._exit(3)
    return build_document(task)


def test_a_document_that_kills_its_worker_fails_alone(tmp_path):
    """When a worker process dies, the documents it may have been building are run again one
    by one in fresh workers: only the culprit fails, with a message; the others are built."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from toolkit.builder.document import Task
    from toolkit.builder.workers import run_tasks

    names = ["a", "bad", "c", "d", "e"]
    root = edition(tmp_path / "ed", {f"{n}.xml": tei(f"<p>{n}</p>") for n in names})
    project = load_project(root)
    cache = paths.build_cache(project)
    cache.mkdir(parents=True, exist_ok=True)
    tasks = [Task(project, root / "tei" / f"{n}.xml", n, ["text"],
                     {"build-date": "2026-01-01"}, False, False, cache / n) for n in names]
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    try:
        results = list(run_tasks(project, 2, pool, True, tasks, fn=crash_on_bad))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    by_name = {r.name: r for r in results}
    assert sorted(by_name) == names
    assert [n for n in names if not by_name[n].ok] == ["bad"]
    assert "stopped unexpectedly" in by_name["bad"].diagnostics[0].message
