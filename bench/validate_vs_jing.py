"""Benchmark `teikit validate` against jing on the same files, measured in the same run.

Reports (1) cold single-document time, whole process start (`python -m toolkit validate FILE` vs
`jing tei_all.rng FILE`), median of --runs, with a warm specialised-grammar cache and with a cold
one; (2) whole-corpus time (variety + bulk, one process each); (3) RELAX NG verdict agreement per
file (teikit's verdict: any [rng], [not-tei] or [id-duplicate] error). With --write the results
replace the "## Validation vs jing" section of bench/RESULTS.md.

    python bench/validate_vs_jing.py --runs 5 --write
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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = next((p / "shared" / "corpora" for p in REPO.parents
                if (p / "shared" / "corpora").is_dir()), REPO.parent / "shared" / "corpora")
sys.path.insert(0, str(REPO))

from toolkit.validation import schema  # noqa: E402

RNG_RULES = {"rng", "not-tei", "id-duplicate"}  # xml:id is typed ID in tei_all


def timed(cmd: list[str], env: dict | None = None, cwd: Path = REPO) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    return time.perf_counter() - t, proc.stdout


def median_time(cmd, runs, env=None, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(timed(cmd, env)[0])
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = ap.parse_args()
    rng = schema.install()
    jing = shutil.which("jing") or sys.exit("jing is not installed (apt-get install jing)")
    py = [sys.executable, "-m", "toolkit", "validate"]
    env = {k: v for k, v in os.environ.items() if k != "TEIKIT_CACHE"}
    lines = []

    singles = [REPO / "tei" / "wright-1937-international-notes.xml",
               CORPORA / "variety/escher-briefe/K_0133_AE_an_Heer_Oswald_1836-10-12_1836-10-17.xml",
               CORPORA / "variety/gerdracor/kotzebue-der-hyperboreische-esel.xml",
               CORPORA / "variety/tei-guidelines/testnames.xml"]
    singles = [s for s in singles if s.is_file()]
    cold_cache = Path(tempfile.mkdtemp(prefix="teikit-bench-cache-"))
    cold_env = {**env, "TEIKIT_CACHE": str(cold_cache)}
    subprocess.run([sys.executable, "-m", "toolkit", "schema", "install", "--from", str(rng)],
                   env=cold_env, cwd=REPO, capture_output=True, check=True)

    def wipe() -> None:
        shutil.rmtree(cold_cache / "grammars", ignore_errors=True)

    lines.append("| document | jing (s) | teikit, warm cache (s) | ratio | teikit, cold cache (s) "
                 "| ratio |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for f in singles:
        timed(py + [str(f)], env)  # warm the specialised-grammar cache
        tj = median_time([jing, str(rng), str(f)], args.runs)
        tw = median_time(py + [str(f)], args.runs, env)
        tc = median_time(py + [str(f)], args.runs, cold_env, before=wipe)
        name = f.relative_to(REPO) if f.is_relative_to(REPO) else f.relative_to(CORPORA)
        lines.append(f"| {name} | {tj:.2f} | {tw:.2f} | {tj / tw:.1f}x | {tc:.2f} | "
                     f"{tj / tc:.1f}x |")
        print(lines[-1], flush=True)
    shutil.rmtree(cold_cache, ignore_errors=True)

    corpus = sorted(p for d in ("variety", "bulk") for p in (CORPORA / d).rglob("*.xml"))
    timed(py + ["--format", "json", *map(str, corpus)], env)  # warm cache
    # jing, teikit in one process and teikit with its workers, interleaved (the order turned
    # each run): the machine is shared, so each ratio is taken within a run.
    sides = {"jing": [jing, str(rng), *map(str, corpus)],
             "one": py + ["--jobs", "1", "--format", "json", *map(str, corpus)],
             "workers": py + ["--format", "json", *map(str, corpus)]}
    took: dict[str, list[float]] = {k: [] for k in sides}
    loads = []
    for i in range(args.runs):
        loads.append(os.getloadavg()[0])
        order = list(sides)[i % 3:] + list(sides)[:i % 3]
        for k in order:
            t, output = timed(sides[k], env if k != "jing" else None)
            took[k].append(t)
            if k == "jing":
                jout = output
            elif k == "workers":
                oout = output
    tj = statistics.median(took["jing"])
    to1 = statistics.median(took["one"])
    to = statistics.median(took["workers"])
    r1 = statistics.median(j / o for j, o in zip(took["jing"], took["one"], strict=True))
    rw = statistics.median(j / o for j, o in zip(took["jing"], took["workers"], strict=True))
    jing_bad = {str(Path(m.group(1)).resolve())
                for m in re.finditer(r"^(.*?):\d+:\d+: (?:fatal|error)", jout, re.M)}
    ours = json.loads(oout)
    ours_bad = {str(Path(d["path"]).resolve()) for d in ours["diagnostics"]
                if d["rule"] in RNG_RULES and d["severity"] == "error"}
    agree = [f for f in corpus if (str(f) in jing_bad) == (str(f) in ours_bad)]
    disagree = sorted(set(map(str, corpus)) - set(map(str, agree)))
    lines.append("")
    lines.append(f"Whole corpus (variety + bulk, {len(corpus)} files; {args.runs} runs "
                 "interleaved, load average before each: "
                 f"{', '.join(f'{x:.1f}' for x in loads)}), medians:")
    lines.append("")
    lines.append("| command | wall (s) | jing / teikit (median of the runs' ratios) |")
    lines.append("|---|---:|---:|")
    lines.append(f"| jing, one JVM (RELAX NG only) | {tj:.1f} | |")
    lines.append(f"| teikit validate --jobs 1 (one process: RELAX NG, Schematron, integrity, "
                 f"every error explained) | {to1:.1f} | {r1:.2f} |")
    lines.append(f"| teikit validate (workers, one per core) | {to:.1f} | {rw:.2f} |")
    lines.append("")
    lines.append(f"Verdict agreement with jing: {len(agree)}/{len(corpus)} files "
                 f"({100 * len(agree) / len(corpus):.0f}%); invalid per jing: {len(jing_bad)}, "
                 f"per teikit: {len(ours_bad)}.")
    for d in disagree:
        lines.append(f"- disagreement: {d} (jing {'invalid' if d in jing_bad else 'valid'})")
    print("\n".join(lines[-(2 + len(disagree)):]))
    if args.write:
        write(lines, args.runs)


def write(lines: list[str], runs: int) -> None:
    path = REPO / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    section = ["## Validation vs jing", "",
               f"Command: `python bench/validate_vs_jing.py --runs {runs} --write` "
               f"(2-core machine shared with other jobs; medians of {runs} runs; whole process "
               "start each run; jing 20220510 on OpenJDK 17, TEI 4.3.0 tei_all).", "",
               *lines, ""]
    body = "\n".join(section)
    pattern = re.compile(r"## Validation vs jing\n.*?(?=\n## |\Z)", re.S)
    text = pattern.sub(lambda _m: body.rstrip("\n") + "\n", text) if pattern.search(text) else \
        text.rstrip("\n") + "\n\n" + body
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
