"""Growth of the edition-wide stages with the number of entities: linear, not quadratic.

    python bench/scale_entities.py --write                          # 1,000 .. 64,000 persons
    python bench/scale_entities.py --sizes 4000,8000,16000 --baseline 841f691

An edition of N persons, each mentioned once: a letter whose N paragraphs each name one person
(``<persName ref="persons.xml#pK">``) and an authority file listing them. Each size is built
with ``teikit build --format html --no-validate --jobs 1 --clean`` (the page, its facts, the
registers and the search index: the stages that span the edition), in a process of its own,
and the wall time per entity is given as a ratio to that of the smallest size: about 1 for every
size means linear growth (a quadratic step doubles it with each doubling of N). ``--baseline``
builds the same editions with the toolkit of a git revision, for comparison (the facts
stylesheet searched all mentions for each entity before).

The code under test is a snapshot of toolkit/ and xslt/ taken at start. With --write the results
replace the "## Entities" section of bench/RESULTS.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import re
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


def build_time(project: Path, env: dict, runs: int = 1,
               validate: bool = False) -> tuple[float, str]:
    """The fastest of ``runs`` builds of ``project`` (wall time, whole process)."""
    cmd = [sys.executable, "-m", "toolkit", "build", str(project), "--format", "html",
           "--jobs", "1", "--clean", "--date", "2026-01-01"] + ([] if validate
                                                                  else ["--no-validate"])
    best, last = float("inf"), "?"
    for _ in range(runs):
        start = time.perf_counter()
        res = subprocess.run(cmd, env=env, capture_output=True, text=True,
                             cwd=env["PYTHONPATH"])
        best = min(best, time.perf_counter() - start)
        last = (res.stderr.strip().splitlines() or ["?"])[-1]
        if res.returncode != 0:
            raise SystemExit(f"build of {project} failed ({res.returncode}): "
                             f"{res.stderr[-2000:]}")
    return best, re.sub(r" → .*", "", last)


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
            wall, result = build_time(project, env, args.runs, args.validate)
            rows.append((n, wall, result))
            print(f"{n:>6} entities: {wall:7.1f} s  ({result})", flush=True)
            if base_env is not None and n <= args.baseline_max:
                base_wall, _ = build_time(project, base_env, args.runs, args.validate)
                base_rows.append((n, base_wall))
                print(f"{n:>6} entities, {args.baseline}: {base_wall:7.1f} s", flush=True)
            shutil.rmtree(project)
    first_n, first_wall = rows[0][0], rows[0][1]
    lines = ["## Entities", "",
             f"Command: `python bench/scale_entities.py {' '.join(sys.argv[1:])}`".rstrip(),
             "",
             f"Code: {head}, snapshot taken at start. Machine: 2 cores, shared with other "
             "engineers (wall times are noisy; the ratios are what counts). One letter naming "
             "N persons once each, and their authority file; `teikit build --format html "
             f"{'' if args.validate else '--no-validate '}--jobs 1 --clean` (page, facts, "
             f"registers, search index{', validation' if args.validate else ''}), the fastest "
             f"of {args.runs} runs.", "",
             "| persons | build (s) | per 1,000 persons (s) | ratio per person to the first |"
             + (f" {args.baseline} (s) |" if base_rows else ""),
             "|---:|---:|---:|---:|" + ("---:|" if base_rows else "")]
    base = dict(base_rows)
    for n, wall, _result in rows:
        ratio = (wall / n) / (first_wall / first_n)
        extra = (f" {base[n]:.1f} |" if n in base else " |") if base_rows else ""
        lines.append(f"| {n:,} | {wall:.1f} | {1000 * wall / n:.2f} | {ratio:.2f} |{extra}")
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
