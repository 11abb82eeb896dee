"""`teikit build` against the TEI Stylesheets run by Saxon-HE on Java, measured in the same run.

    python bench/stylesheets.py --runs 5 --write

What most editors run to get HTML is the TEI Stylesheets (``profiles/default/html/to.xsl``)
in one JVM over a folder: ``java -jar Saxon-HE.jar -s:IN -o:OUT -xsl:to.xsl``. The same corpus
(the bulk corpus, ../shared/corpora/bulk: ELTeC novels and GerDraCor plays, every document
rendered by both) is built by:

* the Stylesheets: HTML alone, one JVM (Debian's libsaxonhe-java), every file of the folder;
* teikit, full: ``build --format html,text --jobs 2 --clean --keep-going`` (validation, the
  web edition and both text editions of every document, the edition-wide pages);
* teikit, like for like: ``build --format html --no-validate --jobs 2 --clean``.

The machine is shared with other engineers: the three run interleaved (their order turns each
run), the load average is recorded before each, and the ratio is taken within each run before
the median over runs is reported. Wall time is what a user waits for; CPU time (user + system
of the whole process tree, from wait4) says what each side costs. The code under test is a
snapshot taken at start (bench/throughput.py). With --write the results replace the "## Build vs
TEI Stylesheets" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import make_corpus  # noqa: E402
import throughput  # noqa: E402

SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
TO_HTML = make_corpus.SHARED / "anchors" / "tei-stylesheets" / "profiles" / "default" / "html" \
    / "to.xsl"
FULL = ["build", "--format", "html,text", "--jobs", "2", "--clean", "--keep-going", "--date",
        "2026-01-01"]
HTML_ONLY = ["build", "--format", "html", "--no-validate", "--jobs", "2", "--clean",
             "--keep-going", "--date", "2026-01-01"]


def timed(cmd: list[str], env: dict | None = None,
          cwd: Path | None = None) -> tuple[float, float, int, str]:
    """Wall time, CPU time of the process tree (user + system), exit code, stderr."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        err.seek(0)
        text = err.read().decode(errors="replace")
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = ap.parse_args()
    java = shutil.which("java")
    if java is None or not SAXON_JAR.is_file() or not TO_HTML.is_file():
        sys.exit(f"needs java, {SAXON_JAR} (apt-get install libsaxonhe-java) and the TEI "
                 f"Stylesheets at {TO_HTML.parents[3]}")
    work = Path(tempfile.mkdtemp(prefix="teikit-bench-xsl-"))
    try:
        run(args, java, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, java: str, work: Path) -> None:
    env = throughput.snapshot(work / "code")
    files = make_corpus.bulk_files()
    size = sum(f.stat().st_size for f in files)
    project = make_corpus.make_bulk(work / "bulk", files=files)
    flat = project / "tei"  # one folder of the corpus's files (symlinks): Saxon's -s:
    out = work / "xsl-out"
    saxon = [java, "-jar", str(SAXON_JAR), f"-s:{flat}", f"-o:{out}", f"-xsl:{TO_HTML}"]
    cwd = throughput.code_dir(env)
    sides = {
        "stylesheets": lambda: saxon,
        "teikit full": lambda: throughput.teikit(env, *FULL, str(project)),
        "teikit html": lambda: throughput.teikit(env, *HTML_ONLY, str(project)),
    }
    # Warm the page cache, the JVM's files and teikit's specialised grammars once.
    out.mkdir()
    timed(saxon)
    timed(sides["teikit full"](), env, cwd)
    results: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
    loads, notes = [], {}
    order = list(sides)
    for i in range(args.runs):
        loads.append(os.getloadavg()[0])
        for name in order[i % 3:] + order[:i % 3]:
            if name == "stylesheets":
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()  # Saxon wants the folder to exist
            wall, cpu, code, err = timed(sides[name](), env if name != "stylesheets" else None,
                                         cwd if name != "stylesheets" else None)
            if name == "stylesheets":
                made = sum(1 for p in out.iterdir() if p.stat().st_size)  # named as the sources
                notes[name] = f"exit {code}, {made} of {len(files)} documents rendered"
            else:
                built = [line for line in err.splitlines() if line.startswith("built ")]
                pages = sum(1 for p in (project / "output").rglob("*.html")
                            if p.stem in {f.stem for f in files})
                notes[name] = (f"{built[-1].split(' → ')[0] if built else f'exit {code}'}; "
                               f"{pages} document pages")
                if not pages:  # a broken build is no measurement
                    sys.exit(f"{name} rendered no document (exit {code}):\n{err[-2000:]}")
            results[name].append((wall, cpu))
            print(f"run {i + 1} {name}: {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"(load {loads[-1]:.1f}) {notes[name]}", flush=True)
    lines = report(results, loads, notes, len(files), size)
    print("\n".join(lines))
    if args.write:
        throughput.write("Build vs TEI Stylesheets", lines,
                         f"python bench/stylesheets.py --runs {args.runs} --write")


def report(results, loads, notes, n_files: int, size: int) -> list[str]:
    xsl = results["stylesheets"]

    def med(name: str, k: int) -> float:
        return statistics.median(r[k] for r in results[name])

    def ratio(name: str, k: int) -> float:  # within each run, then the median over runs
        return statistics.median(r[k] / x[k] for r, x in zip(results[name], xsl, strict=True))

    lines = [
        f"Corpus: the bulk corpus, {n_files} files, {size / 1e6:.1f} MB (ELTeC novels and "
        "GerDraCor plays). TEI Stylesheets 7.58 `profiles/default/html/to.xsl`, Saxon-HE "
        "9.9 (Debian libsaxonhe-java) on OpenJDK 17, one JVM over the folder; teikit with "
        "--jobs 2 (the machine has 2 cores). "
        f"{len(xsl)} runs, the three commands interleaved (their order turned each run); "
        f"load average before each run: {', '.join(f'{x:.1f}' for x in loads)} (a machine "
        "shared with other engineers' test runs: wall times are noisy, ratios are taken "
        "within each run).", "",
        "| command | wall (s), median | CPU (s), median | wall / Stylesheets | "
        "CPU / Stylesheets | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    labels = {"stylesheets": "TEI Stylesheets, HTML only (`java -jar Saxon-HE.jar -s:tei "
                             "-o:out -xsl:to.xsl`)",
              "teikit full": "teikit build: validate, HTML, both text editions "
                             "(`--format html,text --jobs 2`)",
              "teikit html": "teikit build: HTML only, no validation "
                             "(`--format html --no-validate --jobs 2`)"}
    for name in results:
        lines.append(f"| {labels[name]} | {med(name, 0):.1f} | {med(name, 1):.1f} | "
                     f"{ratio(name, 0):.2f} | {ratio(name, 1):.2f} | {notes[name]} |")
    lines.append("")
    return lines


if __name__ == "__main__":
    main()
