"""Real TEI corpora (../shared/corpora, skipped where absent): every well-formed document is
rendered by the plain `teikit build`, validation's verdict agrees with jing's, and every hostile
or broken file gets a clear message.

What `teikit build` does with a well-formed document that is invalid against tei_all (several
corpus files are, per jing, as most real documents are against tei_all: their projects validate
against customisations): it renders it, like every other document, and reports the findings
(a summary on stderr, every finding in output/report.json). Only a document that cannot be read
(not well-formed, an include that cannot be resolved) has no page; with `--strict` validation
errors fail the build.

The corpus builds are slow (minutes): they are marked slow (run in CI, or with --slow).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPORA, require

JING = Path("/usr/bin/jing")
RNG_RULES = {"rng", "not-tei", "id-duplicate"}  # what jing checks: the schema (xml:id is an ID)
LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                  r"(?P<msg>.+) \[(?P<rule>[\w:.\-]+)\]$")

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(),
                                reason=f"{CORPORA} is not present (the shared corpora are only "
                                       "in the development tree)")


def corpus_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(p for part in ("variety", "bulk") for p in (CORPORA / part).rglob("*.xml"))


def edge_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(p for p in (CORPORA / "edge").rglob("*") if p.is_file())


def ident(path: Path) -> str:
    return str(path.relative_to(CORPORA))


def cli(*args: str, timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=cwd)


def diagnostics(text: str) -> list[dict]:
    return [m.groupdict() for m in map(LINE.match, text.splitlines()) if m]


def make_edition(root: Path, files: list[Path], sources: str = "tei/**/*.xml") -> Path:
    """An edition holding copies of ``files`` (never writing into ../shared), one folder per
    corpus part and project so that names stay distinct (eltec-eng is in variety and bulk)."""
    for f in files:
        target = root / "tei" / f.relative_to(CORPORA)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    (root / "teikit.toml").write_text(f'title = "Corpus"\nformats = ["html", "text"]\n'
                                      f'sources = "{sources}"\n', encoding="utf-8")
    return root


def output_name(rel: str) -> str:
    """The output name of a source copied by make_edition (its path below tei/, '_' joined)."""
    return "_".join(Path(rel).with_suffix("").parts)


# ------------------------------------------------------------------------------- jing


@pytest.fixture(scope="session")
def jing_verdicts(request) -> dict[str, bool]:
    """jing's verdict (valid?) on every corpus file against tei_all: jing runs once, in one JVM,
    on the files whose verdict is not cached yet (pytest's cache, keyed by the schema and the
    file's content)."""
    require(JING.exists(), f"{JING} is not installed (Debian: apt-get install jing)")
    from toolkit.validation.schema import schema_path

    rng = schema_path()
    schema_sha = hashlib.sha256(rng.read_bytes()).hexdigest()
    files = corpus_files()
    keys = {f: hashlib.sha256(schema_sha.encode() + f.read_bytes()).hexdigest() for f in files}
    store = getattr(request.config, "cache", None)  # absent with -p no:cacheprovider
    cached = store.get("teikit/jing-verdicts", {}) if store is not None else {}
    todo = [f for f in files if keys[f] not in cached]
    if todo:
        proc = subprocess.run([str(JING), str(rng), *map(str, todo)], capture_output=True,
                              text=True, timeout=3600)
        bad = {str(Path(m.group(1)).resolve()) for m in
               re.finditer(r"^(.*?):\d+:\d+: (?:fatal|error)", proc.stdout + proc.stderr, re.M)}
        for f in todo:
            cached[keys[f]] = str(f.resolve()) not in bad
        if store is not None:
            store.set("teikit/jing-verdicts", cached)
    return {ident(f): cached[keys[f]] for f in files}


# ------------------------------------------------------------------------- corpus build


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    """Every corpus document built at once with the plain command: the result, and the
    findings of each file from output/report.json."""
    files = corpus_files()
    root = make_edition(tmp_path_factory.mktemp("corpus") / "edition", files)
    res = cli("build", str(root), "--format", "html,text", "--jobs", "2",
              "--date", "2026-01-01", timeout=3600)
    report = json.loads((root / "output" / "report.json").read_text(encoding="utf-8"))
    by_file = {d["source"]: [{"path": x["path"], "line": x["line"], "col": x["column"],
                              "sev": x["severity"], "msg": x["message"], "rule": x["rule"]}
                             for x in d["diagnostics"]] for d in report["documents"]}
    return root, res, by_file, report


@pytest.mark.slow
def test_corpus_build_renders_every_document_and_reports_the_invalid_ones(corpus_build):
    root, res, by_file, report = corpus_build
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert res.returncode == 0, res.stderr[-3000:]
    files = corpus_files()
    assert f"built {len(files)}, reused 0, not rendered 0" in res.stderr
    for f in files:
        name = output_name(ident(f))
        for out in (f"text/{name}.txt", f"text/{name}.diplomatic.txt", f"html/{name}.html"):
            assert (root / "output" / out).stat().st_size > 0, out
    invalid = {p for p, ds in by_file.items() if any(d["sev"] == "error" for d in ds)}
    assert invalid  # several corpus files are invalid against tei_all (per jing)
    assert report["summary"] == {**report["summary"], "documents": len(files),
                                 "rendered": len(files), "invalid": len(invalid)}
    assert f"{len(invalid)} of {len(files)} document(s) with errors" in res.stderr
    assert "every finding: " in res.stderr and "report.json" in res.stderr
    page = (root / "output" / "report.html").read_text(encoding="utf-8")
    assert all(p in page for p in invalid)


@pytest.mark.slow
@pytest.mark.parametrize("name", [ident(f) for f in corpus_files()])
def test_verdict_agrees_with_jing(corpus_build, jing_verdicts, name):
    """teikit's schema verdict ([rng], [not-tei], [id-duplicate] errors; Schematron and
    pointer checks go beyond what jing checks) equals jing's, and an invalid document is told
    where: path:line:col of each problem."""
    _, _, by_file, _ = corpus_build
    ours = [d for d in by_file.get("tei/" + name, [])
            if d["sev"] == "error" and d["rule"] in RNG_RULES]
    assert (not ours) == jing_verdicts[name], (
        f"jing says {'valid' if jing_verdicts[name] else 'invalid'}; teikit: "
        + "; ".join(f"{d['line']}:{d['col']} {d['msg']}" for d in ours[:3]))
    for d in ours:
        assert int(d["line"]) >= 1 and int(d["col"]) >= 1 and len(d["msg"]) > 20


@pytest.mark.slow
def test_a_strict_corpus_build_fails_and_publishes_nothing(corpus_build, tmp_path):
    _, _, by_file, _ = corpus_build
    invalid = sorted(p for p, ds in by_file.items() if any(d["sev"] == "error" for d in ds))
    files = [CORPORA / p.removeprefix("tei/") for p in invalid[:3]]
    root = make_edition(tmp_path / "edition", files)
    res = cli("build", str(root), "--format", "text", "--strict", "--jobs", "2",
              "--date", "2026-01-01", timeout=3600)
    assert res.returncode == 1, res.stderr[-3000:]
    assert "strict: 3 document(s) with validation errors" in res.stderr
    assert not (root / "output").exists()


# ------------------------------------------------------------------------------- edge


#: the first error each edge file must get: its line and what the message says
EDGE = {
    "perseus-latin/phi0972.phi001.perseus-eng1.xml": (745, "entity &AElig; is not defined"),
    "perseus-latin/phi0972.phi001p.perseus-lat1.xml": (526, "content after the end of the root"),
    "perseus-latin/phi1351.phi003.perseus-lat1.xml": (5, "a TEI P5 document needs no DOCTYPE"),
    "tei-guidelines/guidelines-en.xml": (None, "xi:include target not found"),
    "tei-guidelines/names-demo-en.xml": (1, "not a TEI P5 document: root element \"listPerson\""),
    "tei-guidelines/sgmldecl.tei": (1, "SGML declaration, not XML"),
    "tei-guidelines/testcorpus.xml": (1, "which does not exist"),
    "tei-guidelines/testdrama.xml": (None, "is not allowed on \"teiHeader\""),
    "tei-guidelines/testi18n.xml": (2, "element names are not TEI"),
    "tei-guidelines/testoucs.xml": (3, "root element TEI.2 is TEI P4; convert it"),
    "tei-guidelines/testp4compat.xml": (2, "root element TEI.2 is TEI P4; convert it"),
    "tei-guidelines/testplus.xml": (None, "xi:include target not found: 'plan.svg'"),
}


def test_every_edge_file_has_an_expectation():
    assert sorted(ident(f).removeprefix("edge/") for f in edge_files()) == sorted(EDGE)


def _check_edge(output: str, shown: str, name: str) -> None:
    line, needle = EDGE[name]
    errors = [d for d in diagnostics(output) if d["sev"] == "error"]
    assert errors, output[-2000:]
    assert all(d["path"] == shown for d in errors), [d["path"] for d in errors]
    match = [d for d in errors if needle in d["msg"]]
    assert match, f"no error says {needle!r}: {[d['msg'] for d in errors[:5]]}"
    if line is not None:
        assert int(match[0]["line"]) == line
    assert "Traceback" not in output


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EDGE))
def test_edge_file_validate_says_what_is_wrong(name):
    path = CORPORA / "edge" / name
    res = cli("validate", str(path), timeout=300, cwd=CORPORA)
    assert res.returncode == 1, res.stdout + res.stderr
    _check_edge(res.stdout + res.stderr, f"edge/{name}", name)


#: edge files that are well-formed: rendered (as whatever text they hold), their faults reported
RENDERED = {"tei-guidelines/names-demo-en.xml", "tei-guidelines/testcorpus.xml",
            "tei-guidelines/testdrama.xml", "tei-guidelines/testi18n.xml",
            "tei-guidelines/testoucs.xml", "tei-guidelines/testp4compat.xml"}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EDGE))
def test_edge_file_build_renders_what_it_can_and_says_what_is_wrong(tmp_path, name):
    path = CORPORA / "edge" / name
    root = tmp_path / "edition"
    (root / "tei").mkdir(parents=True)
    shutil.copyfile(path, root / "tei" / path.name)
    (root / "teikit.toml").write_text('formats = ["html", "text"]\nsources = "tei/*"\n',
                                      encoding="utf-8")
    res = cli("build", str(root), timeout=300)
    assert "Traceback" not in res.stderr
    if name in RENDERED:
        assert res.returncode == 0, res.stderr
        report = json.loads((root / "output" / "report.json").read_text(encoding="utf-8"))
        (doc,) = report["documents"]
        lines = "\n".join(f"{d['path']}:{d['line']}:{d['column']}: {d['severity']}: "
                          f"{d['message']} [{d['rule']}]" for d in doc["diagnostics"])
        _check_edge(lines, f"tei/{path.name}", name)
        assert (root / "output" / "html" / f"{path.stem}.html").is_file()
    else:
        assert res.returncode == 1, res.stderr
        _check_edge(res.stderr, f"tei/{path.name}", name)
        assert "teikit: error: no document could be rendered; output/ left as it was" \
            in res.stderr
        assert not (root / "output").exists()
