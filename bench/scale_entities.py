"""Growth of the edition-wide stages with the number of entities: linear, not quadratic.

    python bench/scale_entities.py --write                          # 1,000 .. 64,000 persons
    python bench/scale_entities.py --sizes 4000,8000,16000 --baseline 841f691

An edition of N persons, each mentioned once: a letter whose N paragraphs each name one person
(``<persName ref="persons.xml#pK">``) and an authority file listing them. Each size is built
with ``teikit build --format html --no-validate --jobs 1 --clean`` (the page, its facts, the
registers and the search index: the stages that span the edition), in a process of its own,
measured as the CPU time of that process (user and system: far less disturbed than the wall time
by other work on a shared machine). Linear growth shows as a constant cost of each thousand
persons added from one size to the next (the last column: its ratio to the first step stays
about 1; a quadratic step doubles it with each doubling of N). ``--baseline``
builds the same editions with the toolkit of a git revision, for comparison (the facts
stylesheet searched all mentions for each entity before).

The code under test is a snapshot of toolkit/ and xslt/ taken at start. With --write the results
replace the "## Entities" section of bench/RESULTS.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = ('<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
          "<publicationStmt><p>Benchmark.</p></publicationStmt><sourceDesc><p>Generated.</p>"
          "</sourceDesc></fileDesc></teiHeader>")
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0">'


def make_edition(root: Path, n: int) -> Path:
    """An edition of ``n`` persons, each mentioned once in one letter."""
    (root / "tei").mkdir(parents=True)
    (root / "teikit.toml").write_text('title = "Entities"\nformats = ["html"]\n',
                                      encoding="utf-8")
    paras = "".join(f'<p>The letter names <persName ref="persons.xml#p{k}">Person {k}</persName>'
                    " once.</p>\n" for k in range(n))
    (root / "tei" / "letter.xml").write_text(
        f"{TEI}{HEADER.format(title='A long letter')}<text><body>\n{paras}</body></text></TEI>\n",
        encoding="utf-8")
    people = "".join(f'<person xml:id="p{k}"><persName>Person {k}</persName>'
                     f"<note>Entry {k}.</note></person>\n" for k in range(n))
    (root / "tei" / "persons.xml").write_text(
        f"{TEI}{HEADER.format(title='Persons')}<standOff><listPerson>\n{people}"
        "</listPerson></standOff></TEI>\n", encoding="utf-8")
    return root


def snapshot(dest: Path, rev: str | None = None) -> dict:
    """A copy of the toolkit (the working tree's, or git revision ``rev``'s) and the
    environment that runs it."""
    dest.mkdir(parents=True)
    if rev is None:
        for part in ("toolkit", "xslt"):
            shutil.copytree(REPO / part, dest / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "toolkit", "xslt"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return {**os.environ, "PYTHONPATH": str(dest), "TEIKIT_CACHE": str(dest / "cache")}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_time(project: Path, env: dict, runs: int = 1,
               validate: bool = False) -> tuple[float, float, str]:
    """The least CPU time (and wall time) of ``runs`` builds of ``project``, whole process."""
    cmd = [sys.executable, "-m", "toolkit", "build", str(project), "--format", "html",
           "--jobs", "1", "--clean", "--date", "2026-01-01"] + ([] if validate
                                                                  else ["--no-validate"])
    best, best_wall, last = float("inf"), float("inf"), "?"
    for _ in range(runs):
        cpu, start = _children_cpu(), time.perf_counter()
        res = subprocess.run(cmd, env=env, capture_output=True, text=True,
                             cwd=env["PYTHONPATH"])
        best_wall = min(best_wall, time.perf_counter() - start)
        best = min(best, _children_cpu() - cpu)
        last = (res.stderr.strip().splitlines() or ["?"])[-1]
        if res.returncode != 0:
            raise SystemExit(f"build of {project} failed ({res.returncode}): "
                             f"{res.stderr[-2000:]}")
    return best, best_wall, re.sub(r" → .*", "", last)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,2000,4000,8000,16000,32000,64000")
    ap.add_argument("--baseline", metavar="REV", help="also build with this git revision "
                    "(up to --baseline-max entities)")
    ap.add_argument("--baseline-max", type=int, default=16000)
    ap.add_argument("--runs", type=int, default=2, help="builds per size; the fastest counts")
    ap.add_argument("--validate", action="store_true", help="validate too (schema, rules, "
                    "integrity)")
    ap.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    rows, base_rows = [], []
    with tempfile.TemporaryDirectory(prefix="teikit-entities-") as tmp:
        tmp = Path(tmp)
        env = snapshot(tmp / "code")
        base_env = snapshot(tmp / "base", args.baseline) if args.baseline else None
        for n in sizes:
            project = make_edition(tmp / f"ed-{n}", n)
            cpu, wall, result = build_time(project, env, args.runs, args.validate)
            rows.append((n, cpu, wall, result))
            print(f"{n:>6} entities: {cpu:7.1f} s CPU, {wall:7.1f} s wall ({result})",
                  flush=True)
            if base_env is not None and n <= args.baseline_max:
                base_cpu, _, _ = build_time(project, base_env, args.runs, args.validate)
                base_rows.append((n, base_cpu))
                print(f"{n:>6} entities, {args.baseline}: {base_cpu:7.1f} s CPU", flush=True)
            shutil.rmtree(project)
    lines = ["## Entities", "",
             f"Command: `python bench/scale_entities.py {' '.join(sys.argv[1:])}`".rstrip(),
             "",
             f"Code: {head}, snapshot taken at start. Machine: 2 cores, shared with other "
             "engineers (wall times are noisy; the ratios are what counts). One letter naming "
             "N persons once each, and their authority file; `teikit build --format html "
             f"{'' if args.validate else '--no-validate '}--jobs 1 --clean` (page, facts, "
             f"registers, search index{', validation' if args.validate else ''}), the least "
             f"CPU time of {args.runs} runs.", "",
             "| persons | build, CPU (s) | wall (s) | CPU per 1,000 persons added since the "
             "size before (s) | ratio to the first step |"
             + (f" {args.baseline}, CPU (s) | its cost per 1,000 added (s) |"
                if base_rows else ""),
             "|---:|---:|---:|---:|---:|" + ("---:|---:|" if base_rows else "")]
    base = dict(base_rows)
    first_step = None
    for i, (n, cpu, wall, _result) in enumerate(rows):
        step = ratio = base_step = ""
        if i:
            added = 1000 * (cpu - rows[i - 1][1]) / (n - rows[i - 1][0])
            first_step = first_step or added
            step, ratio = f"{added:.2f}", f"{added / first_step:.2f}"
            if n in base and rows[i - 1][0] in base:
                base_step = f"{1000 * (base[n] - base[rows[i - 1][0]]) / (n - rows[i - 1][0]):.2f}"
        extra = (f" {base[n]:.1f} | {base_step} |" if n in base else " | |") if base_rows else ""
        lines.append(f"| {n:,} | {cpu:.1f} | {wall:.1f} | {step} | {ratio} |{extra}")
    section = "\n".join(lines) + "\n"
    print(section)
    if args.write:
        path = REPO / "bench" / "RESULTS.md"
        text = path.read_text(encoding="utf-8")
        if "## Entities" in text:
            text = re.sub(r"## Entities\n.*?(?=\n## |\Z)", section.rstrip("\n") + "\n", text,
                          flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + section
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
