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
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from toolkit.builder import BuildOptions, build
from toolkit.errors import BuildFailed, ConfigError, SchemaError
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
    formats = "" if "formats =" in config else 'formats = ["html", "text"]\n'
    (root / "teikit.toml").write_text('title = "Security"\n' + formats + config,
                                      encoding="utf-8")
    for name, text in docs.items():
        path = root / "tei" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run_cli(*args: str, env: dict | None = None, prefix: tuple = (),
            timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, **(env or {})}
    full.pop("FORCE_COLOR", None)
    return subprocess.run([*prefix, sys.executable, "-m", "toolkit", *args], env=full,
                          capture_output=True, text=True, timeout=timeout, cwd=cwd)


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
    # Rendered all the same (the build renders, validation reports): the finding says why the
    # document was not validated; a strict build fails on it.
    assert res.returncode == 0, res.stderr
    assert "error: not validated: the schema includes" in res.stderr
    assert "not available locally (nothing is fetched from the network)" in res.stderr
    assert "custom.rng" in res.stderr and "Traceback" not in res.stderr
    assert run_cli("build", str(root), "--format", "text", "--strict").returncode == 1


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
        res = run_cli("build", str(root), "--format", "html,text", *extra,
                      timeout=120)
        assert res.returncode == 1, res.stderr
        assert f"tei/{name}.xml:" in res.stderr and needle in res.stderr
        assert "Traceback" not in res.stderr
        assert "built 1, reused 0, not rendered 1" in res.stderr or "built 0, reused 1, not rendered 1" \
            in res.stderr


def test_external_entity_is_never_read_by_the_build(tmp_path, secret):
    doc = tei("<p>&x;</p>", before=f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n')
    param = tei("<p>x</p>", before=f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{secret.as_uri()}"> '
                                   "%p;]>\n")
    root = edition(tmp_path / "ed", {"xxe.xml": doc, "param.xml": param,
                                     "fine.xml": tei("<p>fine</p>")})
    for extra in ((), ("--no-validate",)):
        res = run_cli("build", str(root), "--format", "html,text", *extra)
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
        res = run_cli("build", str(root), "--format", "html,text", *extra)
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
        res = run_cli("build", str(root), "--format", "html,text", *extra)
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
    res = run_cli("build", str(root), "--no-validate", "--date", "2026-01-01",
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
                     {"build-date": "2026-01-01"}, False, cache / n) for n in names]
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    try:
        results = list(run_tasks(project, 2, pool, True, tasks, fn=crash_on_bad))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    by_name = {r.name: r for r in results}
    assert sorted(by_name) == names
    assert [n for n in names if not by_name[n].ok] == ["bad"]
    assert "stopped unexpectedly" in by_name["bad"].diagnostics[0].message


# ===================================================================== issue 14: confinement
# A project received from someone else: every file any stage opens lies inside the edition's
# sources (documents, images, XIncludes, files pointed into) or the project and the toolkit
# (stylesheets, rules, schemas), symlinks followed; nothing published can run.

DATA = Path(__file__).parent / "data" / "security"
#: a 1x1 PNG
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201"
                    "e5274fde0000000049454e44ae426082")
FIGURE = '<figure><graphic url="{url}"/><figDesc>Figure {url}</figDesc></figure>'


def ok_build(root: Path, *args: str, env: dict | None = None,
             code: int = 0) -> subprocess.CompletedProcess:
    res = run_cli("build", str(root), "--date", "2026-01-01", *args, env=env)
    assert res.returncode == code, res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    return res


def test_images_are_published_only_from_the_sources_and_as_raster_images(tmp_path, secret):
    """A symlink to a local file (/proc/self/environ, a secret), an SVG that can hold script,
    or HTML named .png is not published, with a warning each; a real PNG is."""
    outside = secret.parent
    (outside / "img").mkdir()
    (outside / "img" / "x.png").write_bytes(PNG + SECRET.encode())
    docs = {"a.xml": tei(FIGURE.format(url="env.png") + FIGURE.format(url="leak.png")
                         + FIGURE.format(url="linked/x.png") + FIGURE.format(url="script.svg")
                         + FIGURE.format(url="page.png") + FIGURE.format(url="fine.png"))}
    root = edition(tmp_path / "ed", docs, 'formats = ["html"]\n')
    tei_dir = root / "tei"
    (tei_dir / "env.png").symlink_to("/proc/self/environ")
    (tei_dir / "leak.png").symlink_to(secret)
    (tei_dir / "linked").symlink_to(outside / "img", target_is_directory=True)
    shutil.copyfile(DATA / "script.svg", tei_dir / "script.svg")
    (tei_dir / "page.png").write_text("<html><script>alert(1)</script></html>")
    (tei_dir / "fine.png").write_bytes(PNG)
    res = ok_build(root, "--no-validate", env={"CI_TOKEN": SECRET})
    html = root / "output" / "html"
    assert sorted(p.name for p in html.iterdir() if p.suffix in (".png", ".svg")) == [
        "fine.png"]
    assert not (html / "linked").exists()
    warnings = [line for line in res.stderr.splitlines() if "[image]" in line]
    assert len(warnings) == 5, res.stderr
    assert any("env.png not published: it lies outside the edition's sources folder" in w
               and "/proc/" in w for w in warnings)
    assert any("script.svg not published: only raster images" in w for w in warnings)
    assert any("page.png not published: its content is not a PNG image" in w for w in warnings)
    assert not leaked(root / "output")
    page = (html / "a.html").read_text(encoding="utf-8")
    assert 'src="fine.png"' in page and "script.svg" not in page.split("<main")[1].split(
        "figure-desc")[0] or "[Figure: Figure script.svg]" in page


def test_pointers_through_a_symlinked_folder_are_not_read(tmp_path, secret):
    """persName ref="ext/secret.xml#s1" where tei/ext links to a folder elsewhere: the entry
    is not read (nor republished), while one inside the sources is."""
    outside = secret.parent
    (outside / "secret.xml").write_text(
        f"{TEI_OPEN}{HEADER.format(title='Secret')}<standOff><listPerson><person xml:id='s1'>"
        f"<persName>{SECRET}</persName><note>{SECRET}</note></person></listPerson></standOff>"
        "</TEI>\n", encoding="utf-8")
    people = (f"{TEI_OPEN}{HEADER.format(title='People')}<standOff><listPerson>"
              '<person xml:id="p1"><persName>Ada Lovelace</persName></person></listPerson>'
              "</standOff></TEI>\n")
    root = edition(tmp_path / "ed", {
        "people.xml": people,
        "letter.xml": tei('<p><persName ref="ext/secret.xml#s1">Someone</persName> and '
                          '<persName ref="people.xml#p1">Ada</persName>.</p>')},
        'formats = ["html"]\n')
    (root / "tei" / "ext").symlink_to(outside, target_is_directory=True)
    ok_build(root, "--no-validate")
    assert not leaked(root / "output")
    persons = (root / "output" / "html" / "persons.html").read_text(encoding="utf-8")
    assert "Ada Lovelace" in persons


@pytest.mark.parametrize("sources, href", [
    ("tei/*.xml", "../.git/config"),
    ("tei/*.xml", "../.env"),
    ("*.xml", ".git/config"),
    ("*.xml", ".env"),
])
def test_xinclude_reads_only_the_sources_folder(tmp_path, sources, href):
    """The whole project folder is not the edition's: .git/config (a remote URL with its
    token) and .env are never included, not even when the sources are the project folder."""
    root = tmp_path / "ed"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text(f"url = https://user:{SECRET}@example.org/r.git\n")
    (root / ".env").write_text(f"TOKEN={SECRET}\n")
    folder = root / "tei" if sources.startswith("tei/") else root
    folder.mkdir(exist_ok=True)
    (folder / "inc.xml").write_text(tei(f'<p><xi:include href="{href}" parse="text"/></p>'),
                                    encoding="utf-8")
    (root / "teikit.toml").write_text(f'title = "X"\nformats = ["html", "text"]\n'
                                      f'sources = "{sources}"\n', encoding="utf-8")
    res = ok_build(root, "--no-validate", code=1)
    assert "[xinclude]" in res.stderr and ("hidden file or folder" in res.stderr
                                           or "points outside the edition's sources"
                                           in res.stderr), res.stderr
    assert SECRET not in res.stderr
    assert not (root / "output").exists() or not leaked(root / "output")


def test_schematron_include_fan_out_is_bounded(tmp_path):
    """A 3 kB Schematron file including 8 files 8 levels deep (16 million includes if each
    were read again) is refused at once, each file read once, with the reason."""
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")})
    sch = '<schema xmlns="http://purl.oclc.org/dsdl/schematron">{body}</schema>'
    for level in range(8):
        body = "".join(f'<include href="l{level + 1}.sch"/>' for _ in range(8)) if level < 7 \
            else '<pattern><rule context="*"><assert test="true()">x</assert></rule></pattern>'
        inner = sch.format(body=body) if level == 0 else (
            '<pattern xmlns="http://purl.oclc.org/dsdl/schematron">'
            + body.replace("<include", "<rule context='x'/><include") + "</pattern>")
        (root / "tei" / ("rules.sch" if level == 0 else f"l{level}.sch")).write_text(
            inner, encoding="utf-8")
    (root / "tei" / "l8.sch").write_text(
        '<pattern xmlns="http://purl.oclc.org/dsdl/schematron"><rule context="x">'
        '<assert test="true()">x</assert></rule></pattern>', encoding="utf-8")
    from toolkit.validation import schematron

    with pytest.raises(SchemaError) as info:
        schematron.read(root / "tei" / "rules.sch")
    assert "more than" in info.value.message and "refused" in info.value.message
    res = run_cli("validate", "--project", str(root), timeout=120)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "sch:include" in res.stdout + res.stderr


def test_a_projects_schematron_cannot_read_local_files(tmp_path, secret):
    """tei/*.sch with unparsed-text('file:///…') in a report: refused before it runs; the
    secret is in no build log and no validate --format json/junit report (CI logs)."""
    rules = (DATA / "reads-file.sch").read_text(encoding="utf-8").replace(
        "SECRET-URI", secret.as_uri())
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")})
    (root / "tei" / "rules.sch").write_text(rules, encoding="utf-8")
    res = run_cli("build", str(root), "--format", "text")
    assert "Traceback" not in res.stderr  # rendered all the same, "not validated" reported
    assert "calls unparsed-text()" in res.stderr, res.stderr
    assert SECRET not in res.stderr + res.stdout
    assert not leaked(root / "output")  # nor in report.json / report.html
    for fmt in ("text", "json", "junit"):
        res = run_cli("validate", "--project", str(root), "--format", fmt, cwd=root)
        assert SECRET not in res.stdout + res.stderr
        assert "unparsed-text()" in res.stdout + res.stderr


@pytest.mark.parametrize("kind, code, needle", [
    ("unparsed-text", "<xsl:value-of select=\"unparsed-text('SECRET-URI')\"/>",
     "calls unparsed-text()"),
    ("doc", "<xsl:value-of select=\"doc('SECRET-URI')\"/>", "calls doc()"),
    ("doc-in-avt", "<a title=\"{ (: hidden :) fn:doc ('SECRET-URI') }\"/>", "calls doc()"),
    ("function-reference", "<xsl:value-of select=\"Q{http://www.w3.org/2005/xpath-functions}"
     "unparsed-text#1('SECRET-URI')\"/>", "calls unparsed-text()"),
    ("environment", "<xsl:value-of select=\"available-environment-variables()\"/>",
     "calls available-environment-variables()"),
    ("static", "", "calls unparsed-text()"),
    ("result-document", "<xsl:result-document href=\"../../../escaped.txt\" method=\"text\">"
     "x</xsl:result-document>", "xsl:result-document writes a file of its own"),
    ("evaluate", "<xsl:evaluate xpath=\"'doc(1)'\"/>", "xsl:evaluate"),
    ("import", "", "xsl:import of"),
])
def test_a_projects_stylesheets_cannot_read_write_or_see_the_environment(tmp_path, secret,
                                                                         kind, code, needle):
    """An overlay (xslt/html/...) or an override (stylesheets = {html = ...}) that reads a
    local file, the environment, evaluates strings or writes elsewhere is refused before it
    is compiled, saying where and why; nothing of the secret is anywhere."""
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, 'formats = ["html"]\n')
    body = code.replace("SECRET-URI", secret.as_uri())
    top = ""
    if kind == "static":
        top = (f'<xsl:param name="tk:leak" static="yes" as="xs:string" '
               f"select=\"unparsed-text('{secret.as_uri()}')\"/>")
    if kind == "import":
        top = f'<xsl:import href="{os.path.relpath(secret.parent, root)}/evil.xsl"/>'
        (secret.parent / "evil.xsl").write_text(
            '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>')
    sheet = ('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
             'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
             'xmlns:fn="http://www.w3.org/2005/xpath-functions" xmlns:tk="urn:teikit">'
             f'{top}<xsl:template name="tk:html-footer-extra">{body}</xsl:template>'
             "</xsl:stylesheet>")
    (root / "mine.xsl").write_text(sheet, encoding="utf-8")
    (root / "teikit.toml").write_text('title = "S"\nformats = ["html"]\n'
                                      'stylesheets = {html = "mine.xsl"}\n')
    res = run_cli("build", str(root), "--no-validate", env={"CI_TOKEN": SECRET})
    assert res.returncode == 1, res.stderr
    assert "Traceback" not in res.stderr
    assert needle in res.stderr and "mine.xsl:1:" in res.stderr, res.stderr
    assert SECRET not in res.stderr
    assert not (tmp_path / "escaped.txt").exists()
    assert not (root / "output").exists()


def test_an_overlay_that_reads_a_file_is_refused(tmp_path, secret):
    """The same for a file of the project's xslt/ overlay."""
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, 'formats = ["html"]\n')
    overlay = root / "xslt" / "html"
    overlay.mkdir(parents=True)
    ours = (Path(__file__).resolve().parents[1] / "xslt" / "html" / "html.xsl").read_text(
        encoding="utf-8")
    hook = (DATA / "overlay-reads-file.xsl").read_text(encoding="utf-8")
    hook = hook.split('<xsl:template name="tk:html-footer-extra">')[1].split(
        "</xsl:template>")[0].replace("SECRET-URI", secret.as_uri())
    (overlay / "html.xsl").write_text(ours.replace(
        '<xsl:template name="tk:html-footer-extra"/>',
        f'<xsl:template name="tk:html-footer-extra">{hook}</xsl:template>'), encoding="utf-8")
    res = run_cli("build", str(root), "--no-validate")
    assert res.returncode == 1 and "calls unparsed-text()" in res.stderr, res.stderr
    assert SECRET not in res.stderr


def test_an_overlay_file_linked_from_elsewhere_is_refused(tmp_path, secret):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, 'formats = ["html"]\n')
    (root / "xslt" / "html").mkdir(parents=True)
    (root / "xslt" / "html" / "html-page.xsl").symlink_to(secret)
    res = run_cli("build", str(root), "--no-validate")
    assert res.returncode == 1 and "overlay file" in res.stderr and "refused" in res.stderr
    assert SECRET not in res.stderr


def test_saxon_never_sees_the_environment(tmp_path):
    """Saxon keeps the environment it was started with: the toolkit starts it with the locale
    only, so no stylesheet (not even one we did not check) can read a CI token."""
    script = (
        "from toolkit import transform\n"
        "p = transform.processor()\n"
        "x = p.new_xslt30_processor().compile_stylesheet(stylesheet_text='"
        '<xsl:stylesheet version=\"3.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">'
        '<xsl:template match=\"/\"><xsl:value-of select=\"environment-variable(&apos;CI_TOKEN'
        "&apos;), available-environment-variables()\"/></xsl:template></xsl:stylesheet>')\n"
        "print(x.transform_to_string(xdm_node=p.parse_xml(xml_text='<a/>')))\n"
        "import os; print('still here:', os.environ['CI_TOKEN'])\n")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={**os.environ, "CI_TOKEN": SECRET}, timeout=120)
    assert res.returncode == 0, res.stderr
    saxon, python = res.stdout.split("still here:")
    assert SECRET not in saxon and "CI_TOKEN" not in saxon
    assert SECRET in python  # the process's own environment is given back whole


def test_a_stylesheet_that_writes_a_document_of_its_own_is_refused(tmp_path):
    """Even where the check could be got around, xsl:result-document is captured in memory,
    never written, and the document fails."""
    from toolkit import transform
    from toolkit.errors import TransformError

    exe = transform.processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        f'<xsl:template match="/"><xsl:result-document href="{(tmp_path / "w.txt").as_uri()}"'
        ' method="text">x</xsl:result-document><r/></xsl:template></xsl:stylesheet>'))
    exe.set_capture_result_documents(True)
    exe.transform_to_string(xdm_node=transform.processor().parse_xml(xml_text="<a/>"))
    with pytest.raises(TransformError) as info:
        transform.written_documents(exe, "x.xsl")
    assert "writes a document of its own" in info.value.message
    assert not (tmp_path / "w.txt").exists()


@pytest.mark.parametrize("setting", [
    'sources = "../../secret/*.xml"', 'schema = "link.rng"', 'schematron = ["link.sch"]',
    'stylesheets = {html = "link.xsl"}',
])
def test_settings_cannot_name_files_outside_the_project(tmp_path, secret, setting):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, setting + "\n")
    for name in ("link.rng", "link.sch", "link.xsl"):
        (root / name).symlink_to(secret)
    with pytest.raises(ConfigError) as info:
        load_project(root)
    assert "outside the project folder" in info.value.message
    res = run_cli("build", str(root))
    assert res.returncode == 2 and SECRET not in res.stderr


@pytest.mark.slow
def test_print_edition_fetches_nothing_and_links_only_to_the_web(tmp_path, secret, canary):
    """A print.css overlay asking for a web address and a local file gets neither (warnings
    say so); javascript: and file:// targets in the header are no PDF link actions; a
    base_url makes the edition's link (it made every PDF fail before)."""
    pypdf = pytest.importorskip("pypdf")
    header = ('<teiHeader><fileDesc><titleStmt><title>Links</title></titleStmt>'
              '<publicationStmt><p>P</p><availability><licence target="javascript:alert(1)">'
              'CC</licence></availability></publicationStmt><sourceDesc><bibl><title>S'
              '</title> <ref target="file://host/share/x">share</ref> <ref target="'
              'https://example.org/ok">ok</ref></bibl></sourceDesc></fileDesc></teiHeader>')
    doc = (f"{TEI_OPEN}{header}<text><body><p>Text <ref target=\"javascript:alert(2)\">js"
           '</ref> <ref target="data:text/html,x">data</ref> <ref target="https://'
           'example.org/web">web</ref>.</p></body></text></TEI>\n')
    root = edition(tmp_path / "ed", {"a.xml": doc},
                   'formats = ["pdf"]\nbase_url = "https://edition.example/ed/"\n')
    (root / "xslt" / "print").mkdir(parents=True)
    ours = (Path(__file__).resolve().parents[1] / "xslt" / "print" / "print.css").read_text(
        encoding="utf-8")
    (root / "xslt" / "print" / "print.css").write_text(
        f'@import url("{canary}/evil.css");\n'
        f'body {{ background: url("{secret.as_uri()}"); }}\n' + ours, encoding="utf-8")
    res = ok_build(root, "--no-validate")
    assert res.stderr.count("[print-fetch]") == 2, res.stderr
    pdf = root / "output" / "pdf" / "a.pdf"
    assert SECRET.encode() not in pdf.read_bytes()
    uris = sorted(a.get_object()["/A"]["/URI"] for page in pypdf.PdfReader(pdf).pages
                  for a in page.get("/Annots") or [] if "/A" in a.get_object()
                  and "/URI" in a.get_object()["/A"])
    assert uris == ["https://edition.example/ed/a.html", "https://example.org/ok",
                    "https://example.org/web"]


# ------------------------------------------------------------------- what is published


def test_published_tei_copies_run_no_script(tmp_path):
    """The copy of a source in html/tei/ has no XHTML, SVG or script-capable MathML link, no
    xml-stylesheet instruction; a source without any of these is published byte for byte."""
    root = edition(tmp_path / "ed", {"plain.xml": tei("<p>plain</p>")}, 'formats = ["html"]\n')
    shutil.copyfile(DATA / "xenodata-script.xml", root / "tei" / "foreign.xml")
    ok_build(root, "--no-validate")
    out = root / "output" / "html" / "tei"
    assert (out / "plain.xml").read_bytes() == (root / "tei" / "plain.xml").read_bytes()
    copy = (out / "foreign.xml").read_text(encoding="utf-8")
    for bad in ("<h:script", "<script", "onerror", "onload", "javascript:", "xml-stylesheet",
                "http://www.w3.org/2000/svg\"", "PWNED"):
        assert bad not in copy, bad
    assert "Text of the letter." in copy and "teikit: a http://www.w3.org/1999/xhtml element" \
        " was removed" in copy


def crafted_names() -> list[str]:
    return ["javascript:alert(document.domain).xml", "a#b.xml", "q?x=1.xml", "%41.xml",
            'say "hi".xml', "<b>.xml", "two words.xml", "Zürich.xml"]


def test_every_link_of_a_site_with_crafted_file_names_works(tmp_path):
    """Source names that look like schemes, queries, fragments, escapes or markup: every page
    is written, and every link of every page and of the search data is relative and leads to
    a file that exists."""
    from lxml import html as lxml_html

    docs = {name: tei(f"<p>Text of {name.replace('<', '&lt;').replace('&', '&amp;')}</p>",
                      title="T") for name in crafted_names()}
    root = edition(tmp_path / "ed", docs, 'formats = ["html"]\n')
    ok_build(root, "--no-validate")
    html = root / "output" / "html"
    for name in crafted_names():
        assert (html / (name[:-4] + ".html")).is_file(), name
    for page in html.glob("*.html"):
        for el in lxml_html.parse(str(page)).iter("a", "link", "script", "img"):
            url = el.get("href") or el.get("src")
            if not url or url.startswith(("https://", "mailto:")):
                continue
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, (page.name, url)
            if parts.path:
                assert (page.parent / unquote(parts.path)).exists(), (page.name, url)
    from toolkit.html.search_index import read_index

    units = read_index(html / "assets" / "search")["units"]
    assert len({u["u"] for u in units if not u.get("r")}) == len(crafted_names())
    for doc in units:
        parts = urlsplit(doc["u"])
        assert not parts.scheme and not parts.netloc, doc["u"]
        assert (html / unquote(parts.path)).is_file(), doc["u"]


def test_every_page_has_a_strict_content_security_policy(tmp_path):
    from lxml import html as lxml_html

    root = edition(tmp_path / "ed", {"a.xml": tei('<p><persName ref="#p">A</persName></p>')},
                   'formats = ["html"]\n')
    ok_build(root, "--no-validate")
    pages = sorted((root / "output" / "html").glob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        tree = lxml_html.parse(str(page))
        csp = tree.xpath("//head/meta[@http-equiv='Content-Security-Policy']/@content")
        assert csp and "default-src 'none'" in csp[0] and "script-src 'self'" in csp[0], page
        assert "unsafe-inline" not in csp[0]
        assert not tree.xpath("//script[not(@src)] | //*[@style] | //style"), page
        assert not [a for el in tree.iter() for a in el.attrib if a.startswith("on")], page


# ----------------------------------------------------------------------- the project folder


def test_a_shipped_cache_has_no_effect(tmp_path, secret):
    """Earlier versions kept the build cache in PROJECT/.teikit-cache: a received project's
    cache (stylesheets replaced, a cached page) is never read, even without --clean."""
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>the real text</p>")},
                   'formats = ["html"]\n')
    shipped = root / ".teikit-cache"
    for sub in ("xslt/0123456789abcdef/html", "build/a-0000/html", "drivers"):
        (shipped / sub).mkdir(parents=True)
    (shipped / "xslt" / "0123456789abcdef" / "html" / "html.xsl").write_text(
        (DATA / "overlay-reads-file.xsl").read_text().replace("SECRET-URI", secret.as_uri()))
    (shipped / "build" / "a-0000" / "html" / "a.html").write_text(f"<p>{SECRET}</p>")
    (shipped / "build" / "a-0000" / "facts.json").write_text('{"name": "a"}')
    before = files_under(shipped)
    for extra in ((), ("--clean",)):
        ok_build(root, "--no-validate", *extra, env={"TEIKIT_CACHE": str(tmp_path / "uc")})
        assert not leaked(root / "output")
        assert "the real text" in (root / "output" / "html" / "a.html").read_text()
    assert files_under(shipped) == before
    assert not list((tmp_path / "uc").rglob("*.teikit-cache*"))


@pytest.mark.parametrize("output, why", [
    (".git", "hidden folder"), ("tei", "sources folder"), ("xslt", "stylesheets folder"),
    ("notes", "holds files a build did not write"),
])
def test_output_may_only_be_a_folder_a_build_made(tmp_path, output, why):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, f'output = "{output}"\n')
    for folder in (".git", "xslt", "notes"):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "keep.txt").write_text("precious")
    before = files_under(root, skip=())
    res = run_cli("build", str(root), "--no-validate")
    assert res.returncode == 2 and why in res.stderr and "refused" in res.stderr, res.stderr
    assert files_under(root, skip=()) == before


def test_output_folder_is_marked_and_a_foreign_folder_is_refused(tmp_path):
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>x</p>")}, 'formats = ["text"]\n')
    ok_build(root, "--no-validate")
    assert (root / "output" / paths.OUTPUT_MARKER).is_file()
    ok_build(root, "--no-validate", "--clean")  # its own folder: replaced
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    res = run_cli("build", str(root), "--no-validate", "-o", str(home))
    assert res.returncode == 2 and "holds files a build did not write (thesis.tex)" in res.stderr
    assert (home / "thesis.tex").read_text() == "years of work"
    empty = tmp_path / "empty"
    empty.mkdir()
    ok_build(root, "--no-validate", "-o", str(empty))


def test_init_writes_a_gitignore(tmp_path):
    res = run_cli("init", str(tmp_path / "ed"))
    assert res.returncode == 0, res.stderr
    ignore = (tmp_path / "ed" / ".gitignore").read_text()
    assert "/output/" in ignore and "/.output.staging-*" in ignore


# --------------------------------------------------------------- crashes become diagnostics


def test_file_names_that_are_not_utf8_or_hold_escape_codes(tmp_path):
    """Each such source fails alone with a clear message; what the CLI prints holds no raw
    control character (a name can neither colour nor rewrite the terminal or a CI log)."""
    root = edition(tmp_path / "ed", {"fine.xml": tei("<p>fine</p>")}, 'formats = ["html"]\n')
    tei_dir = os.fsencode(root / "tei")
    for raw in (b"caf\xe9.xml", b"x\x1b[31mRED\x1b[0m.xml", b"rtl\xe2\x80\xaelmx.xml"):
        with open(os.path.join(tei_dir, raw), "w") as fh:
            fh.write(tei("<p>odd</p>"))
    res = ok_build(root, "--no-validate", code=1)
    assert "built 1, reused 0, not rendered 3" in res.stderr
    assert res.stderr.count("[file-name]") == 3, res.stderr
    assert "\x1b" not in res.stderr and "\u202e" not in res.stderr
    assert "x\\x1b[31mRED\\x1b[0m" in res.stderr and "caf\\udce9" in res.stderr
    for fmt in ("text", "json", "junit"):
        out = run_cli("validate", str(root / "tei"), "--format", fmt)
        assert "Traceback" not in out.stderr and "internal error" not in out.stderr
        assert "\x1b" not in out.stdout + out.stderr and "\u202e" not in out.stdout
        if fmt == "junit":
            from lxml import etree as _etree

            _etree.fromstring(out.stdout.encode())  # well-formed XML


def test_a_pointer_to_an_overlong_file_name_is_a_diagnostic(tmp_path):
    root = edition(tmp_path / "ed", {"a.xml": tei(f'<p><persName ref="{"n" * 300}.xml#x">N'
                                                  "</persName></p>")}, 'formats = ["html"]\n')
    for extra in ((), ("--no-validate",)):
        res = run_cli("build", str(root), *extra)
        assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    res = run_cli("build", str(root))
    assert "[ref-unresolved]" in res.stderr


@pytest.mark.parametrize("text, needle", [
    ("[tool]\nteikit = 5\n", "'tool.teikit' must be a table"),
    ("tool = 5\n", "'tool' must be a table"),
    ("[tool.teikit]\ntitle = 5\n", "setting 'title': expected a non-empty string"),
    ("[tool.teikit]\nformats = 5\n", "setting 'formats'"),
    ("[tool.teikit]\nstylesheets = 5\n", "setting 'stylesheets'"),
    ("[tool.teikit]\nschematron = [5]\n", "setting 'schematron'"),
])
def test_config_values_of_the_wrong_type_are_diagnostics(tmp_path, text, needle):
    root = tmp_path / "ed"
    (root / "tei").mkdir(parents=True)
    (root / "tei" / "a.xml").write_text(tei("<p>x</p>"))
    (root / "pyproject.toml").write_text(text)
    res = run_cli("build", str(root))
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr and "internal error" not in res.stderr, res.stderr


# ---------------------------------------------------------------------- property tests


def test_link_rules_hold_for_any_value():
    """For any attribute value: a link the toolkit keeps (in the search data, the PDF, the
    stylesheets' tk:link-url) has no scheme but http(s) or mailto, even after a browser drops
    blanks and control characters; and a page link made from any name is relative."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from toolkit.html.published import page_href, safe_href

    tricky = st.sampled_from(["javascript:", "JaVaScRiPt:", " java\tscript:", "data:", "file:",
                              "vbscript:", "//", "\\\\", "https://", "http:", "mailto:", "#",
                              "..", "/", "\x00", "\x1b", "\u202e", ":", "%3A", "&#58;"])
    values = st.lists(st.one_of(tricky, st.text(max_size=6)), max_size=6).map("".join)

    def scheme(url: str) -> str:
        # As a browser reads a URL: leading controls and blanks dropped, tabs and newlines
        # removed anywhere; a scheme is a letter, then letters, digits, + - . up to ':'.
        squeezed = re.sub(r"[\t\n\r]", "", url.lstrip("".join(map(chr, range(33)))))
        m = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", squeezed)
        return m.group(1).lower() if m else ""

    @settings(max_examples=400, deadline=None)
    @given(values)
    def check(value):
        kept = safe_href(value)
        if kept is not None:
            assert scheme(kept) in ("", "http", "https", "mailto"), kept
            if scheme(kept) == "":
                path = kept.split("#")[0]
                assert not path.strip().startswith(("/", "\\")) and ".." not in path
        href = page_href(value or "x", value)
        assert ":" not in href.split("#")[0] and not href.startswith(("/", "\\"))

    check()


def test_the_stylesheets_link_rule_holds_for_any_attribute_value():
    """A page rendered from a document whose @target, @facs, @url and @ref hold crafted values
    has only links that are anchors, relative paths inside the edition or web addresses."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from lxml import etree as _etree
    from lxml import html as lxml_html

    from toolkit.transform import render

    tricky = st.sampled_from(["javascript:alert(1)", "JAVASCRIPT:x", "java\u00a0script:x",
                              "data:text/html,x", "file:///etc/passwd", "//evil.org/x",
                              "https://ok.org/a", "mailto:a@b.org", "#x", "../x.png",
                              "x.png", "a b", '"><script>', "vbscript:x", "\ttel:1"])
    xml_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    values = st.one_of(tricky, st.text(xml_chars, max_size=12))

    @settings(max_examples=60, deadline=None)
    @given(values, values, values)
    def check(target, facs, url):
        doc = _etree.fromstring(tei("<p xml:id='x'>a</p>").replace(
            "<p xml:id='x'>a</p>", "<p xml:id='x'><pb/><ref/> <ptr/><graphic/></p>").encode())
        ns = {"t": "http://www.tei-c.org/ns/1.0"}
        doc.find(".//t:ref", ns).set("target", target)
        doc.find(".//t:ptr", ns).set("target", target)
        doc.find(".//t:pb", ns).set("facs", facs)
        doc.find(".//t:graphic", ns).set("url", url)
        page = lxml_html.document_fromstring(render(doc, "html", {"source-name": "a"}))
        for el in page.iter():
            for attr in ("href", "src", "action", "formaction"):
                value = el.get(attr)
                if value is None:
                    continue
                low = "".join(value.split()).lower()
                assert low.startswith(("#", "https://", "http://", "mailto:")) or (
                    ":" not in low.split("/")[0] and not low.startswith(("/", "\\"))
                    and ".." not in low), (attr, value)
            assert not [a for a in el.attrib if a.lower().startswith("on")]

    check()


# ------------------------------------------------------------------------ in a real browser

def _open(browser, url: str):
    """A page opened at ``url`` that records dialogs (alert), script errors and requests."""
    pg = browser.new_page()
    pg.dialogs, pg.errors, pg.elsewhere = [], [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: None if r.url.startswith(("file://", "data:", "about:"))
          else pg.elsewhere.append(r.url))
    pg.goto(url)
    pg.wait_for_load_state("load")
    return pg


@pytest.mark.browser
def test_search_result_of_a_document_named_javascript_opens_the_page(tmp_path, browser):
    """A source named javascript:alert(document.domain).xml: its search result is a link to
    its page, and clicking it opens the page instead of running the script."""
    name = "javascript:alert(document.domain)"
    root = edition(tmp_path / "ed", {f"{name}.xml": tei("<p>needle in the letter</p>",
                                                        title="The letter")},
                   'formats = ["html"]\n')
    ok_build(root, "--no-validate")
    html = root / "output" / "html"
    pg = _open(browser, (html / "search.html").as_uri() + "?q=needle")
    pg.wait_for_selector("#tk-results a.result-title")
    links = pg.eval_on_selector_all("#tk-results a", "els => els.map(a => a.href)")
    assert links and all(u.startswith("file://") for u in links), links
    pg.click("#tk-results a.result-title")
    pg.wait_for_load_state("load")
    assert pg.dialogs == [] and pg.errors == []
    assert Path(unquote(urlsplit(pg.url).path)) == html / f"{name}.html"
    assert "The letter" in pg.title()
    assert pg.elsewhere == []
    pg.close()


@pytest.mark.browser
def test_search_makes_no_link_of_a_scheme_whatever_the_index_holds(tmp_path, browser):
    """search.js checks every link again: an index naming javascript:, data: or another host
    (a hand-made or old index) gives no link at all."""
    root = edition(tmp_path / "ed", {"a.xml": tei("<p>needle</p>")}, 'formats = ["html"]\n')
    ok_build(root, "--no-validate")
    html = root / "output" / "html"
    bad = ["javascript:alert(1)", " JaVaScRiPt:alert(2)", "java\tscript:alert(3)",
           "data:text/html,<script>alert(4)</script>", "//evil.example/x", "https://evil.example/"]
    from toolkit.html.search_index import write_index

    docs = [{"u": u, "t": f"bad {i}", "m": "", "r": i % 2} for i, u in enumerate(bad)]
    pages = [[{"a": "x\" onmouseover=\"alert(5)", "t": "needle", "x": ""}] for _ in bad]
    write_index(zip(docs, pages, strict=True), html / "assets" / "search")
    pg = _open(browser, (html / "search.html").as_uri() + "?q=needle")
    pg.wait_for_timeout(300)
    hrefs = pg.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if ":" in h.split("/")[0] or h.startswith("//")], hrefs
    assert pg.locator("#tk-results a").count() == 0
    assert pg.dialogs == [] and pg.errors == []
    pg.close()


@pytest.mark.browser
def test_published_tei_copy_and_pages_run_nothing_in_a_browser(tmp_path, browser):
    """The TEI copy of a source whose xenoData holds XHTML script (and SVG, MathML links, an
    xml-stylesheet instruction) runs nothing when opened; the pages run our scripts only, under
    their Content-Security-Policy, and load nothing from elsewhere."""
    root = edition(tmp_path / "ed", {}, 'formats = ["html"]\n')
    shutil.copyfile(DATA / "xenodata-script.xml", root / "tei" / "foreign.xml")
    ok_build(root, "--no-validate")
    html = root / "output" / "html"
    pg = _open(browser, (html / "tei" / "foreign.xml").as_uri())
    pg.wait_for_timeout(300)
    assert "PWNED" not in pg.title() and pg.dialogs == []
    pg.close()
    for page in sorted(html.glob("*.html")):
        pg = _open(browser, page.as_uri())
        messages = []
        pg.on("console", lambda m, messages=messages: messages.append(m.text))
        pg.reload()
        pg.wait_for_load_state("load")
        assert pg.evaluate("document.documentElement.classList.contains('js')"), page.name
        assert not [m for m in messages if "Content Security Policy" in m], messages
        assert pg.dialogs == [] and pg.errors == [] and pg.elsewhere == []
        pg.close()


@pytest.mark.parametrize("expr, refused", [
    ("doc('x')", True), ("fn:doc('x')", True), ("doc ('x')", True), ("doc(: c :)('x')", True),
    ("Q{http://www.w3.org/2005/xpath-functions}doc('x')", True), ("doc#1", True),
    ("'x' => unparsed-text()", True), ("a/collection()", True), ("uri-collection()", True),
    ("environment-variable('X')", True), ("function-lookup(xs:QName('fn:doc'), 1)", True),
    ("saxon:eval('1')", True), ("json-doc('x')", True), ("transform(map{})", True),
    ("'doc(1)'", False), ('"unparsed-text(1)"', False), ("(: doc('x') :) 1", False),
    ("tk:doc('x')", False), ("my-doc(1)", False), ("document-node()", False),
    ("$doc('x')", False), ("key('doc', 'x')", False), ("parse-xml('<a/>')", False),
])
def test_the_code_check_reads_expressions_not_strings_or_comments(expr, refused):
    from toolkit.project.sandbox import FN_NS, _expression_problem

    nsmap = {"fn": FN_NS, "tk": "urn:teikit", "saxon": "http://saxon.sf.net/",
             "xs": "http://www.w3.org/2001/XMLSchema"}
    assert (_expression_problem(expr, nsmap) is not None) == refused, expr


def test_the_unsafe_characters_are_controls_surrogates_and_reordering_marks() -> None:
    """unsafe_char() (one regular expression, so printable() and json_safe() check a string
    in one search) names exactly, over every code point: the controls but tab and newline,
    lone surrogates, the bidirectional marks and overrides, the line and paragraph separators;
    and printable() and json_safe() escape exactly those."""
    import json
    import unicodedata

    from toolkit.diagnostics import json_safe, printable, unsafe_char

    bidi = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

    def expected(ch: str) -> bool:
        cat = unicodedata.category(ch)
        return (cat == "Cc" and ch not in "\n\t") or cat == "Cs" or ch in bidi \
            or ch in "\u2028\u2029"

    differ = [hex(c) for c in range(0x110000) if unsafe_char(chr(c)) != expected(chr(c))]
    assert differ == []
    text = "a\x1b[31mb\u202ec\udcffd\te\u2028"
    assert printable(text) == "a\\x1b[31mb\\u202ec\\udcffd\te\\u2028"
    assert json.loads(f'"{json_safe(text)}"'.replace("\t", "\\t")) == text
