"""An edition of letters at scale (issue 16): a generated edition of 5,000 letters (~120 MB)
and its authority files (~9 MB), built on two cores, as ratios to a floor measured in the same
run, with the peak memory of the build's processes.

    python bench/letters.py --write                      # 5,000 letters, results into RESULTS.md
    python bench/letters.py --letters 500                # a quicker look

* floor: lxml parses every file of the edition, one process.
* full build: `teikit build --jobs 2 --clean` (html and text, validated), wall time, peak
  memory of the parent, of the largest worker and of the whole process tree.
* rebuilds: nothing changed; one letter edited (a word of its text); one entry of the persons'
  register edited (the letters that name it are rebuilt, no other).
* registers: how many pages, the largest; the largest page of the whole edition.
* a register's print edition: the places' register alone with registers_pdf = true, seconds
  per MB of TEI.

The corpus is made by bench/make_letters.py in /tmp. The code under test is a snapshot of
toolkit/ and xslt/ taken at start (bench/throughput.py). With --write the results replace the
"## Letters at scale" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import make_letters  # noqa: E402
from throughput import Run, floor, mb, snapshot, teikit  # noqa: E402

DATE = ["--date", "2026-01-01"]


def build(env: dict, root: Path, *extra: str) -> Run:
    return Run(teikit(env, "build", str(root), "--jobs", "2", *DATE, *extra), env)()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def few_letters_person(files: list[Path], people: Path, want: int = 5) -> tuple[str, int]:
    """A person of the register with an occupation that about ``want`` letters name."""
    counts: dict[str, int] = {}
    for f in files:
        if not f.name.startswith("list"):
            for ident in set(re.findall(rb'ref="#(pmb\d+)"', f.read_bytes())):
                counts[ident.decode()] = counts.get(ident.decode(), 0) + 1
    text = people.read_text(encoding="utf-8")
    with_job = set(re.findall(r'<person xml:id="(pmb\d+)"[^>]*>(?:(?!</person>).)*<occupation>',
                              text))
    n, ident = min((abs(n - want), i) for i, n in counts.items() if i in with_job)
    return ident, counts[ident]


def edit_entry(path: Path, ident: str, old: str, new: str) -> None:
    """Replace the first ``old`` after the start of the entry ``ident``."""
    text = path.read_text(encoding="utf-8")
    at = text.index(f'xml:id="{ident}"')
    at = text.index(old, at)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def built_count(run: Run) -> str:
    return run.summary()


def page_sizes(html: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in html.glob("*.html")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=5000)
    ap.add_argument("--corpus", type=Path, help="an edition made by make_letters.py already")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="teikit-letters-bench-"))
    env = snapshot(work / "code")
    root = args.corpus or make_letters.make_letters(work / "edition", args.letters)
    files = sorted((root / "tei").glob("*.xml"))
    size = sum(f.stat().st_size for f in files)
    regs = [f for f in files if f.name.startswith("list")]
    load = os.getloadavg()[0]
    base = floor(files, 1)
    rows = []

    full = build(env, root, "--clean")
    assert full.code in (0, 1), full.err[-2000:]
    rows.append(("full build, --jobs 2 --clean, html + text, validated", full))
    same = build(env, root)
    rows.append(("rebuild, nothing changed", same))
    letter = root / "tei" / f"L{len(files) // 2:05}.xml"
    edit(letter, "Nachricht", "Botschaft")
    one = build(env, root)
    rows.append((f"rebuild, one letter edited ({letter.name}, one word of its text)", one))
    edit(letter, "Nachricht", "Kunde")  # a second edit: a warm cache, as an editor has it
    one_again = build(env, root)
    rows.append((f"the same once more ({letter.name}, another word)", one_again))
    people = root / "tei" / "listperson.xml"
    # a person a few letters name, then the one every letter names (the central correspondent)
    few, n_few = few_letters_person(files, people)
    edit_entry(people, few, "<occupation>", "<occupation>Geehrter ")
    rare = build(env, root)
    rows.append((f"rebuild, the entry of a person {n_few} letters name edited ({few}: its "
                 "letters and register page are rebuilt)", rare))
    edit(people, '<occupation>', '<occupation>Geehrter ')  # the first person's occupation
    entry = build(env, root)
    n_all = sum(1 for f in files if b'ref="#pmb0"' in f.read_bytes())
    rows.append((f"rebuild, the entry of the person {n_all} letters name edited (pmb0: its "
                 "letters are rebuilt)", entry))

    html = root / "output" / "html"
    sizes = page_sizes(html)
    register_pages = {n: s for n, s in sizes.items()
                      if re.match(r"(persons|places|organisations|works|events)(-\w+)?\.html$",
                                  n)}
    biggest = max(sizes.items(), key=lambda kv: kv[1])

    # a register's print edition, asked for
    pdf_root = work / "pdf"
    (pdf_root / "tei").mkdir(parents=True)
    shutil.copyfile(root / "tei" / "listplace.xml", pdf_root / "tei" / "listplace.xml")
    (pdf_root / "teikit.toml").write_text('title = "Orte"\nformats = ["pdf"]\n'
                                          "registers_pdf = true\nvalidate = false\n")
    t = time.perf_counter()
    pdf = Run(teikit(env, "build", str(pdf_root), "--jobs", "1", *DATE), env)()
    pdf_wall = time.perf_counter() - t
    pdf_mb = (pdf_root / "tei" / "listplace.xml").stat().st_size / 1e6

    size_arg = f" --letters {args.letters}" if args.letters != 5000 else ""
    lines = [
        "## Letters at scale",
        "",
        f"Command: `python bench/letters.py{size_arg} --write`",
        "",
        f"Corpus: bench/make_letters.py, {len(files) - len(regs)} letters and {len(regs)} "
        f"authority files, {size / 1e6:.0f} MB ({sum(f.stat().st_size for f in regs) / 1e6:.1f} MB "
        f"of them authority files). Machine: 2 cores, shared (load average {load:.1f} at "
        "start): wall times are noisy; the ratios are to a floor measured in the same run.",
        "",
        "| step | wall time (s) | ratio to floor | parent peak | largest worker | whole tree "
        "| result |",
        "|---|---:|---:|---:|---:|---:|---|",
        f"| floor: lxml parses every file, one process | {base:.1f} | 1.0x | | | | |",
    ]
    for label, run in rows:
        lines.append(f"| {label} | {run.wall:.1f} | {run.wall / base:.1f}x | "
                     f"{mb(run.parent_peak)} | {mb(run.worker_peak)} | {mb(run.tree_peak)} | "
                     f"{built_count(run)} |")
    lines += [
        "",
        f"Rebuilds against the full build: nothing changed {same.wall / full.wall:.2f}x, one "
        f"letter edited {one.wall / full.wall:.2f}x (again: {one_again.wall / full.wall:.2f}x), "
        f"a person's entry edited {rare.wall / full.wall:.2f}x (the central person's: "
        f"{entry.wall / full.wall:.2f}x); load average at the end "
        f"{os.getloadavg()[0]:.1f}.",
        "",
        f"Registers: {len(register_pages)} pages, the largest "
        f"{max(register_pages.values()) / 1e6:.2f} MB "
        f"({max(register_pages, key=register_pages.get)}); the largest page of the edition: "
        f"{biggest[0]}, {biggest[1] / 1e6:.2f} MB.",
        "",
        f"A register's print edition (registers_pdf = true): listplace.xml, {pdf_mb:.1f} MB, "
        f"{pdf_wall:.1f} s ({pdf_wall / pdf_mb:.1f} s per MB), largest process "
        f"{mb(pdf.max_single)}; {built_count(pdf)}.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        results = REPO / "bench" / "RESULTS.md"
        old = results.read_text(encoding="utf-8")
        if "## Letters at scale" in old:
            head, _, rest = old.partition("## Letters at scale")
            nxt = re.search(r"^## ", rest, flags=re.M)
            old = head + (rest[nxt.start():] if nxt else "")
        results.write_text(old.rstrip() + "\n\n" + text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
