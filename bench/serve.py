"""How fast `teikit serve` starts on a built edition and shows an edit, as ratios to floors
measured in the same run.

    python bench/serve.py --runs 3 --write

* editions: the bulk corpus (../shared/corpora/bulk, 120 files, copied to /tmp by
  make_corpus.py; formats html and text) and the bundled flagship (one file, all three formats,
  html alone too), each built once with `teikit build` before anything is measured.
* floors: `teikit --version` (a process that imports the toolkit and does nothing) and
  `teikit build` with nothing changed (what serve's first build does on a built edition).
* start: from launching `teikit serve --port 0` to the first answer of html/index.html, and
  to the terminal's line saying the first build is done (the edition is then current).
* edit: from writing a changed TEI file to the served page carrying the change (watch, debounce,
  rebuild, serve), for the smallest and the median file of the corpus.
* stop: from Ctrl-C (SIGINT) to the process's end.

Medians of --runs. With --write the results replace the "## Serve" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import make_corpus  # noqa: E402

TEXT_START = re.compile(r"<(p|l|ab)(\s[^>]*)?>")
TEIKIT = [sys.executable, "-m", "toolkit"]
ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": "1767225600"}


def wall(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True)  # exit 1: some failed
    return time.perf_counter() - t


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


class Served:
    """`teikit serve EDITION --port 0 ARGS` and its terminal lines, timed from launch."""

    def __init__(self, edition: Path, args: list[str]) -> None:
        self.began = time.perf_counter()
        self.proc = subprocess.Popen([*TEIKIT, "serve", str(edition), "--port", "0", *args],
                                     cwd=REPO, env=ENV, stderr=subprocess.PIPE, text=True,
                                     stdout=subprocess.DEVNULL)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put((time.perf_counter(), x))
                                         for x in self.proc.stderr], daemon=True).start()
        self.url = self.wait_for("serving ")[1].split(" at ")[1].split()[0]

    def wait_for(self, *parts: str, timeout: float = 600) -> tuple[float, str]:
        """The first line from now on that holds one of ``parts``, and when it came."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                at, line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise SystemExit(f"teikit serve ended with {self.proc.returncode}") from None
                continue
            if any(p in line for p in parts):
                return at, line
        raise SystemExit(f"teikit serve never said any of {parts}")

    def first_answer(self, path: str) -> float:
        while fetch(self.url + path) is None:
            time.sleep(0.005)
        return time.perf_counter() - self.began

    def stop(self) -> float:
        t = time.perf_counter()
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=60)
        return time.perf_counter() - t


def edit_shown(served: Served, source: Path, page: str, marker: str) -> float:
    """Seconds from saving an edit of ``source`` to the served ``page`` showing it."""
    text = source.read_text(encoding="utf-8")
    # the start of the first paragraph, verse line or block of the body
    at = TEXT_START.search(text, text.index("<body")).end()
    t = time.perf_counter()
    source.write_text(text[:at] + marker + " " + text[at:], encoding="utf-8")
    while marker.encode() not in (fetch(served.url + page) or b""):
        time.sleep(0.01)
    took = time.perf_counter() - t
    served.wait_for("changed: ")
    return took


def measure(label: str, edition: Path, args: list[str], runs: int, edits: list[Path]) -> dict:
    """Start, first build, two edits of each file (the first in a fresh process, the second
    with its stylesheets compiled), stop; each file is put back as it was after its edits."""
    start, current, stop = [], [], []
    shown = {(f.name, k): [] for f in edits for k in ("first", "next")}
    for run in range(runs):
        served = Served(edition, args)
        start.append(served.first_answer("html/index.html"))
        at, _line = served.wait_for("output unchanged (", "rebuilt in ")  # the first build
        current.append(at - served.began)
        for i, f in enumerate(edits):
            original = f.read_text(encoding="utf-8")
            page = "html/" + f.stem + ".html"
            try:
                for k in ("first", "next"):
                    marker = f"teikitbench{abs(hash((label, run, i, k)))}x"
                    shown[(f.name, k)].append(edit_shown(served, f, page, marker))
            finally:
                f.write_text(original, encoding="utf-8")
                served.wait_for("changed: ")
        stop.append(served.stop())
    return {"start": statistics.median(start), "current": statistics.median(current),
            "stop": statistics.median(stop),
            "shown": {k: statistics.median(v) for k, v in shown.items()},
            "sizes": {f.name: f.stat().st_size for f in edits}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="teikit-serve-bench-"))
    rows = []
    try:
        editions = []
        if make_corpus.BULK.is_dir():
            bulk = make_corpus.make_bulk(work / "bulk")
            editions.append(("bulk corpus, 120 files, html+text", bulk, [], None))
        flagship = work / "flagship"
        (flagship / "tei").mkdir(parents=True)
        for f in (REPO / "tei").glob("*.xml"):
            shutil.copyfile(f, flagship / "tei" / f.name)
        (flagship / "teikit.toml").write_text('title = "Flagship"\n', encoding="utf-8")
        main_file = flagship / "tei" / "wright-1937-international-notes.xml"
        editions.append(("flagship, 1 file, html+text+pdf", flagship, [], [main_file]))
        editions.append(("flagship, --format html", flagship, ["--format", "html"], [main_file]))
        for label, edition, args, edits in editions:
            subprocess.run([*TEIKIT, "build", str(edition), *args], cwd=REPO,
                           env=ENV, capture_output=True)
            if edits is None:  # the smallest and the median of the files that have a page
                files = sorted((f for f in edition.glob("tei/*.xml")
                                if (edition / "output" / "html" / f"{f.stem}.html").is_file()),
                               key=lambda f: f.stat().st_size)
                edits = [files[0], files[len(files) // 2]]
            version = statistics.median(wall([*TEIKIT, "--version"], REPO) for _ in range(a.runs))
            unchanged = statistics.median(wall([*TEIKIT, "build", str(edition),
                                                *args], REPO) for _ in range(a.runs))
            m = measure(label, edition, args, a.runs, edits)
            rows.append((label, version, unchanged, m, edits))
            print(label, round(version, 2), round(unchanged, 2), m, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = render(rows, a.runs)
    print(report)
    if a.write:
        write(report)


def render(rows, runs: int) -> str:
    load = os.getloadavg()[0]
    code = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                          text=True).stdout.strip()
    out = ["## Serve", "", f"Command: `python bench/serve.py --runs {runs} --write`", "",
           f"Code: {code}. Machine: 2 cores, shared with other engineers' work (load average "
           f"{load:.1f} at the end): wall times are noisy; each is the median of {runs} runs, "
           "with its floors measured in the same run.", "",
           "| edition | floor: `teikit --version` (s) | floor: `teikit build`, nothing changed "
           "(s) | serve: first page answered (s) | serve: first build done (s) | ratio to "
           "the build floor | Ctrl-C to exit (s) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, version, unchanged, m, _edits in rows:
        out.append(f"| {label} | {version:.2f} | {unchanged:.2f} | {m['start']:.2f} | "
                   f"{m['current']:.2f} | {m['current'] / unchanged:.1f}x | {m['stop']:.2f} |")
    out += ["", "| edition | file edited | size | saved → the served page shows it: first edit "
            "of the session (s) | the next edits (s) |", "|---|---|---:|---:|---:|"]
    for label, _v, _u, m, edits in rows:
        for f in edits:
            out.append(f"| {label} | {f.name} | {m['sizes'][f.name] / 1000:.0f} kB | "
                       f"{m['shown'][(f.name, 'first')]:.2f} | "
                       f"{m['shown'][(f.name, 'next')]:.2f} |")
    return "\n".join(out) + "\n"


def write(section: str) -> None:
    results = REPO / "bench" / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    start = text.find("## Serve")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("" if end < 0 else text[end:])
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
