"""Throughput and scale of `teikit build`, as ratios to a floor measured in the same run.

    python bench/throughput.py --runs 3 --write                     # floor, build, incremental
    python bench/throughput.py --scale 100M,500M,1G --synthetic 50M --write   # memory at scale
    python bench/throughput.py --stages                             # where the time goes

* floor: lxml parsing the bulk corpus (../shared/corpora/bulk, 120 files) and nothing else,
  in one process; the build is reported as a multiple of it. For scale, the least an XSLT
  build does per output: a Saxon copy of each file and one identity transformation.
* build: `teikit build --format html,text --jobs 2 --clean --keep-going` of the bulk corpus, and
  the same with `--no-validate`, median wall time of --runs, each a whole process.
* incremental: after a full build, a rebuild with nothing changed, and after editing one file
  (the smallest, the median and the largest of the corpus).
* scale: copies of the bulk files (bench/make_corpus.py, in /tmp) of each --scale size built
  with --jobs 2; peak resident memory of the parent, of the largest worker, of the whole tree
  (sampled from /proc every 0.1 s), and of the largest single process (wait4, exact).
* synthetic: one large generated TEI document validated and built.
* stages: serial per-stage CPU time over the bulk corpus in one process.

The code under test is a snapshot of toolkit/ and xslt/ taken at start (other work in the tree
cannot change it mid-run). With --write the results replace the "## Throughput" and "## Scale"
sections of bench/RESULTS.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import make_corpus  # noqa: E402

BUILD = ["build", "--format", "html,text", "--jobs", "2", "--keep-going", "--date",
         "2026-01-01"]


# ------------------------------------------------------------------------------ measuring


class Run:
    """One command, its wall time and the peak memory of its process tree."""

    def __init__(self, cmd: list[str], env: dict, cwd: Path | None = None) -> None:
        self.cmd, self.env, self.cwd = cmd, env, cwd or code_dir(env)
        self.wall = 0.0
        self.code = 0
        self.err = ""
        self.parent_peak = 0  # kB, VmHWM of the command's own process
        self.worker_peak = 0  # kB, the largest VmHWM of any descendant
        self.tree_peak = 0  # kB, the largest sum of VmRSS over the tree at one moment
        self.max_single = 0  # kB, wait4: the largest single process of the tree

    def __call__(self) -> Run:
        t = time.perf_counter()
        with tempfile.TemporaryFile() as errf:
            proc = subprocess.Popen(self.cmd, env=self.env, cwd=self.cwd,
                                    stdout=subprocess.DEVNULL, stderr=errf)
            done = threading.Event()
            sampler = threading.Thread(target=self._sample, args=(proc.pid, done))
            sampler.start()
            _, status, usage = os.wait4(proc.pid, 0)
            self.wall = time.perf_counter() - t
            done.set()
            sampler.join()
            proc.returncode = os.waitstatus_to_exitcode(status)
            self.code = proc.returncode
            errf.seek(0)
            self.err = errf.read().decode(errors="replace")
        self.max_single = usage.ru_maxrss
        if "build" in self.cmd and "built " not in self.err:  # no figure of a failed build
            tail = "\n".join(self.err.splitlines()[-5:])
            raise SystemExit(f"throughput.py: {' '.join(self.cmd)} wrote no summary "
                             f"(exit {self.code}):\n{tail}")
        return self

    def _sample(self, pid: int, done: threading.Event) -> None:
        while not done.is_set():
            tree = [pid] + _descendants(pid)
            total = 0
            for p in tree:
                hwm, rss = _mem(p)
                total += rss
                if p == pid:
                    self.parent_peak = max(self.parent_peak, hwm)
                else:
                    self.worker_peak = max(self.worker_peak, hwm)
            self.tree_peak = max(self.tree_peak, total)
            done.wait(0.1)

    def summary(self) -> str:
        m = [line for line in self.err.splitlines() if line.startswith("built ")]
        return m[-1].split(" → ")[0] if m else f"exit {self.code}"


def code_dir(env: dict) -> str:
    """The snapshot an environment runs. Commands run there: ``python -m toolkit`` and
    ``python -c`` put the working folder first on sys.path, so a run from the checkout would
    measure the checkout's code instead (which earlier versions of this script did)."""
    return env["PYTHONPATH"]


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        out += [int(k) for k in kids]
        todo += [int(k) for k in kids]
    return out


def _mem(pid: int) -> tuple[int, int]:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    hwm = re.search(r"VmHWM:\s+(\d+)", text)
    rss = re.search(r"VmRSS:\s+(\d+)", text)
    return (int(hwm.group(1)) if hwm else 0), (int(rss.group(1)) if rss else 0)


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def median_run(make, runs: int) -> tuple[float, Run]:
    """Median wall time of ``runs`` runs (each made fresh by ``make``), and the last run."""
    done = [make()() for _ in range(runs)]
    return statistics.median(r.wall for r in done), done[-1]


# ------------------------------------------------------------------------------ the parts


def snapshot(dest: Path) -> dict:
    """A copy of the code under test, and the environment that runs it."""
    for part in ("toolkit", "xslt", "tei"):
        shutil.copytree(REPO / part, dest / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _compile(dest)
    env = {**os.environ, "PYTHONPATH": str(dest)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def baseline_snapshot(dest: Path, rev: str) -> dict:
    """The whole toolkit (package and stylesheets) as of git revision ``rev``, to be measured
    in the same run as the code under test (read-only git)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "toolkit", "xslt", "tei"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    _compile(dest)
    return {**os.environ, "PYTHONPATH": str(dest)}


def _compile(dest: Path) -> None:
    """Byte-compile a snapshot, as pip does when it installs the toolkit (otherwise every run
    compiles the modules again where PYTHONDONTWRITEBYTECODE is set)."""
    import compileall

    compileall.compile_dir(str(dest / "toolkit"), quiet=1)


def teikit(env: dict, *args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", *args]


def floor(files: list[Path], runs: int) -> float:
    from lxml import etree

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        for f in files:
            etree.fromstring(f.read_bytes(), etree.XMLParser(huge_tree=False))
        times.append(time.perf_counter() - t)
    return statistics.median(times)


_SAXON_FLOOR = r"""
import sys, time
from pathlib import Path
from lxml import etree
from saxonche import PySaxonProcessor
proc = PySaxonProcessor(license=False)
ident = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=(
    '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:mode on-no-match="shallow-copy"/></xsl:stylesheet>'))
t = time.perf_counter()
for f in sys.argv[1:]:
    root = etree.fromstring(Path(f).read_bytes(), etree.XMLParser(huge_tree=False))
    node = proc.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
    ident.transform_to_string(xdm_node=node)
print(time.perf_counter() - t)
"""


def saxon_floor(env: dict, files: list[Path]) -> float:
    """What any XSLT build must do per document and output, once: lxml parses the file, Saxon
    gets a copy, one identity transformation runs. Serial, one process."""
    proc = subprocess.run([sys.executable, "-c", _SAXON_FLOOR, *map(str, files)], env=env,
                          cwd=code_dir(env),
                          capture_output=True, text=True, check=True)
    return float(proc.stdout.strip().splitlines()[-1])


def throughput(env: dict, work: Path, runs: int, lines: list[str],
               baseline: tuple[str, dict] | None = None) -> None:
    files = make_corpus.bulk_files()
    size = sum(f.stat().st_size for f in files)
    project = make_corpus.make_bulk(work / "bulk", files=files)
    for f in files[:3]:  # warm the page cache and the specialised-grammar cache
        subprocess.run(teikit(env, "validate", str(f)), env=env, capture_output=True,
                       cwd=code_dir(env))
    fl = floor(files, max(runs, 3))
    t_build, r_build = median_run(
        lambda: Run(teikit(env, *BUILD, "--clean", str(project)), env), runs)
    t_nov, r_nov = median_run(
        lambda: Run(teikit(env, *BUILD, "--clean", "--no-validate", str(project)), env), runs)
    base = None
    if baseline is not None:
        rev, benv = baseline
        base = median_run(lambda: Run(teikit(benv, *BUILD, "--clean", str(project)), benv),
                          runs)
    fl2 = floor(files, max(runs, 3))  # the floor again, after: the machine's load may drift
    fl_med = statistics.median([fl, fl2])
    sax = statistics.median([saxon_floor(env, files) for _ in range(max(runs, 3))])
    lines += [
        f"Corpus: {len(files)} files, {size / 1e6:.1f} MB (../shared/corpora/bulk).", "",
        "| measurement | wall time (s) | ratio to floor |",
        "|---|---:|---:|",
        f"| floor: lxml parses every file, one process (before / after: {fl:.2f} / {fl2:.2f}) "
        f"| {fl_med:.2f} | 1.0x |",
        f"| for scale: one Saxon copy and one identity transformation of every file, serial "
        f"| {sax:.2f} | {sax / fl_med:.1f}x |",
        f"| build html+text, --jobs 2 ({r_build.summary()}) | {t_build:.1f} | "
        f"{t_build / fl_med:.0f}x |",
        f"| build html+text, --jobs 2, --no-validate ({r_nov.summary()}) | {t_nov:.1f} | "
        f"{t_nov / fl_med:.0f}x |",
        *([f"| the same build with the toolkit of {baseline[0]} (package and stylesheets; "
           f"{base[1].summary()}) | {base[0]:.1f} | {base[0] / fl_med:.0f}x |"]
          if base else []),
        "",
        f"Peak memory of that build: parent {mb(r_build.parent_peak)}, largest worker "
        f"{mb(r_build.worker_peak)}, whole tree at once {mb(r_build.tree_peak)}.",
        "",
    ]
    print("\n".join(lines), flush=True)
    incremental(env, work, files, runs, lines)


def incremental(env: dict, work: Path, files: list[Path], runs: int, lines: list[str]) -> None:
    project = make_corpus.make_bulk(work / "bulk-copy", files=files)
    first = Run(teikit(env, *BUILD, str(project)), env)()
    built = {p.name.removesuffix(".txt") for p in (project / "output" / "text").glob("*.txt")}
    tei = sorted((p for p in (project / "tei").iterdir() if p.stem in built),
                 key=lambda p: p.stat().st_size)  # documents that build (valid ones)
    picks = {"smallest": tei[0], "median": tei[len(tei) // 2], "largest": tei[-1]}
    t_none, r_none = median_run(lambda: Run(teikit(env, *BUILD, str(project)), env), runs)
    lines += ["| incremental rebuild (after a full build of "
              f"{first.wall:.0f} s) | wall time (s) | the same, --jobs 1 (s) | result |",
              "|---|---:|---:|---|",
              f"| nothing changed | {t_none:.2f} | | {r_none.summary()} |"]
    counter = [0]

    def edit(path: Path, jobs: str):
        def make() -> Run:
            counter[0] += 1
            text = path.read_text(encoding="utf-8")
            path.chmod(0o644)
            path.write_text(re.sub(r"(</\w+>\s*)$", rf"<!-- edit {counter[0]} -->\1", text),
                            encoding="utf-8")
            return Run(teikit(env, *_jobs(BUILD, jobs), str(project)), env)
        return make

    # With --jobs 2 a single document's text editions are made by a second process
    # (toolkit/text/sidecar.py); --jobs 1 makes everything in one, for comparison in the same run.
    for label, path in picks.items():
        t, r = median_run(edit(path, "2"), runs)
        t1, _ = median_run(edit(path, "1"), runs)
        lines.append(f"| one file edited: the {label}, {path.name} "
                     f"({path.stat().st_size / 1e3:.0f} kB) | {t:.2f} | {t1:.2f} | "
                     f"{r.summary()} |")
        print(lines[-1], flush=True)
    lines.append("")


def _jobs(args: list[str], jobs: str) -> list[str]:
    at = args.index("--jobs")
    return [*args[:at + 1], jobs, *args[at + 2:]]


def project_caches(env: dict, project: Path):
    """The build cache folders of ``project`` in the user cache the build ran with."""
    base = Path(env["TEIKIT_CACHE"]) if env.get("TEIKIT_CACHE") else Path(
        env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "teikit"
    return (base / "projects").glob(f"{project.resolve().name}-*")


def scale(env: dict, work: Path, sizes: list[int], lines: list[str]) -> None:
    lines += ["| corpus | files | build (s) | MB/s | parent peak | largest worker | "
              "whole tree peak | largest process (wait4) | result |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for size in sizes:
        project = make_corpus.make_bulk(work / f"scale-{size}", size=size)
        tei = list((project / "tei").iterdir())
        total = sum(p.stat().st_size for p in tei)
        r = Run(teikit(env, *BUILD, str(project)), env)()
        caches = list(project_caches(env, project))
        facts = sum(p.stat().st_size for c in caches for p in c.rglob("facts.json"))
        lines.append(f"| {total / 1e6:.0f} MB | {len(tei)} | {r.wall:.0f} | "
                     f"{total / 1e6 / r.wall:.2f} | {mb(r.parent_peak)} | {mb(r.worker_peak)} | "
                     f"{mb(r.tree_peak)} | {mb(r.max_single)} | {r.summary()}; facts.json "
                     f"total {facts / 1e6:.1f} MB |")
        print(lines[-1], flush=True)
        shutil.rmtree(project, ignore_errors=True)
        for c in caches:
            shutil.rmtree(c, ignore_errors=True)
    lines.append("")


def synthetic(env: dict, work: Path, size: int, lines: list[str]) -> None:
    project = make_corpus.make_synthetic(work / "synthetic", size)
    doc = project / "tei" / "synthetic.xml"
    real = doc.stat().st_size
    v = Run(teikit(env, "validate", str(doc)), env)()
    b = Run(teikit(env, *BUILD, "--clean", str(project)), env)()
    out = project / "output"
    sizes = {p.name: p.stat().st_size for p in out.rglob("*") if p.is_file()
             and p.name.startswith("synthetic")}
    lines += [f"Synthetic document: {real / 1e6:.0f} MB, one TEI file (make_corpus.py "
              "synthetic; chapters of paragraphs with names, dates, notes, choices).", "",
              "| step | wall time (s) | peak memory (largest process) | result |",
              "|---|---:|---:|---|",
              f"| teikit validate | {v.wall:.1f} | {mb(v.max_single)} | exit {v.code} |",
              f"| teikit build html,text | {b.wall:.1f} | {mb(b.max_single)} (whole tree "
              f"{mb(b.tree_peak)}) | {b.summary()} |", "",
              "Outputs: " + ", ".join(f"{k} {v / 1e6:.0f} MB" for k, v in sorted(sizes.items())),
              ""]
    print("\n".join(lines[-8:]), flush=True)


_STAGES = r"""
import json, sys, time
from pathlib import Path
from toolkit.project.config import load_project
from toolkit.load import load
from toolkit.validation import validate_document, IdIndex
from toolkit.transform import render, parsed_once
from toolkit.html.page import document_facts
try:  # what the worker does for search: the page's blocks and their units' terms
    from toolkit.html.search import write_page_blocks
    def search_step(page_file):
        write_page_blocks(page_file, page_file.with_suffix(".blocks.json"), "normalised")
except ImportError:  # a toolkit from before the workers counted terms
    from toolkit.html.search import page_blocks
    def search_step(page_file):
        page_blocks(page_file, "normalised")
try:  # the text editions as the build makes them (their last layout steps in Python)
    from toolkit.text.edition import text_edition
except ImportError:  # a toolkit from before toolkit.text.layout
    def text_edition(tree, params, project, path):
        return render(tree, "text", params, project, path)
proj = load_project(Path(sys.argv[1]))
files = proj.tei_files()
T = {}
def t(k, fn, *a, **kw):
    s = time.process_time(); r = fn(*a, **kw); T[k] = T.get(k, 0) + time.process_time() - s
    return r
ids = t("id index", IdIndex.build, files)
for f in files[:1]:  # compile the stylesheets and grammars first: a worker does it once
    doc, d = load(f)
    with parsed_once(doc.tree):
        validate_document(doc, proj, ids)
        for out, v in (("html", ""), ("text", "reading")):
            render(doc.tree, out, {"variant": v, "source-name": f.stem}, proj, f)
for f in files:
    doc, d = t("load", load, f)
    with parsed_once(doc.tree):
        t("validate", validate_document, doc, proj, ids)
        p = {"reading": "normalised", "site-title": "x", "build-date": "2026-01-01",
             "base-url": "", "language": "en", "formats": "html,text", "paper": "a4",
             "source-name": f.stem}
        page = t("html page", render, doc.tree, "html", p, proj, f)
        page_file = Path(sys.argv[2]) / (f.stem + ".html")  # the build reads its page back
        page_file.write_text(page, encoding="utf-8")
        t("search blocks and terms", search_step, page_file)
        t("html facts", document_facts, doc, proj, f.stem)
        t("text diplomatic", text_edition, doc.tree, {**p, "variant": "diplomatic"}, proj, f)
        t("text reading", text_edition, doc.tree, {**p, "variant": "reading"}, proj, f)
print(json.dumps(T))
"""


def stages(env: dict, work: Path, lines: list[str]) -> None:
    project = make_corpus.make_bulk(work / "bulk-stages")
    pages = work / "stage-pages"
    pages.mkdir(exist_ok=True)
    proc = subprocess.run([sys.executable, "-c", _STAGES, str(project), str(pages)], env=env,
                          cwd=code_dir(env),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        lines.append(f"stages: failed: {proc.stderr[-500:]}")
        return
    t = json.loads(proc.stdout.strip().splitlines()[-1])
    total = sum(t.values())
    lines += ["| stage (every document, serial, one process) | CPU time (s) | share |",
              "|---|---:|---:|"]
    for k, v in sorted(t.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {k} | {v:.1f} | {100 * v / total:.0f}% |")
    lines += [f"| total | {total:.1f} | |", ""]
    print("\n".join(lines[-(len(t) + 4):]), flush=True)


# ------------------------------------------------------------------------------ main


def write(section: str, body: list[str], command: str) -> None:
    path = REPO / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    block = "\n".join([f"## {section}", "", f"Command: `{command}`", "", *body]).rstrip("\n")
    pattern = re.compile(rf"## {re.escape(section)}\n.*?(?=\n## |\Z)", re.S)
    # The section keeps its blank line before the next one.
    text = pattern.sub(lambda _m: block + "\n", text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + block
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scale", help="corpus sizes for the memory test, e.g. 100M,500M,1G")
    ap.add_argument("--synthetic", type=make_corpus.parse_size, help="e.g. 50M")
    ap.add_argument("--stages", action="store_true", help="per-stage CPU time (slow)")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--baseline", metavar="REV",
                    help="also build with the toolkit (package and stylesheets) of this git "
                         "revision")
    ap.add_argument("--work", type=Path, help="scratch folder (default: a new one in /tmp)")
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="teikit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = snapshot(work / "code")
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "toolkit", "xslt"],
                           capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0]
    note = (f"Code: {head}{' plus uncommitted changes' if dirty else ''}, snapshot taken at "
            f"start. Machine: {os.cpu_count()} cores, shared with other engineers' test runs "
            f"(load average {load:.1f} at start): wall times are noisy; ratios are taken "
            "against a floor measured in the same run.")
    cmd = "python bench/throughput.py " + " ".join(sys.argv[1:]).replace(" --write", "") \
        + " --write"
    try:
        if not args.skip_throughput or args.stages:
            body = [note, ""]
            if not args.skip_throughput:
                base = None
                if args.baseline:
                    base = (args.baseline, baseline_snapshot(work / "baseline", args.baseline))
                throughput(env, work, args.runs, body, base)
            if args.stages:
                stages(env, work, body)
            if args.write:
                write("Throughput", body, cmd)
        if args.scale or args.synthetic:
            body = [note, ""]
            if args.scale:
                scale(env, work, [make_corpus.parse_size(s) for s in args.scale.split(",")],
                      body)
            if args.synthetic:
                synthetic(env, work, args.synthetic, body)
            if args.write:
                write("Scale", body, cmd)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
