"""ODD compilation without Java, checked against TEI's own outputs, measured in the same run.

Needs what no package registry has, so the caller names them: a TEI release folder (an unpacked
release zip: ``xml/tei/custom/schema/relaxng/*.rng`` as TEI published them,
``xml/tei/odd/p5subset.xml``, ``xml/tei/custom/odd/*.odd``) and the TEI Stylesheets. For each of
tei_all, tei_lite and tei_bare it compiles the release's ODD with ``toolkit.validation.odd``
(cold, then cached, timed), then over ../shared/corpora (variety and bulk) compares

* jing's verdict with TEI's published RNG and jing's verdict with ours (the compile), and
* teikit's own verdict (``teikit validate`` against our compile: lxml on the grammar specialised
  to each document) with jing's on the same compile.

    python bench/odd_verdicts.py --release DIR --stylesheets DIR [--write]

With --write the table replaces the "## ODD compilation" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
sys.path.insert(0, str(REPO))
NAMES = ("tei_all", "tei_lite", "tei_bare")


def jing_invalid(rng: Path, files: list[Path]) -> set[str]:
    proc = subprocess.run(["jing", str(rng), *map(str, files)], capture_output=True, text=True)
    return {str(Path(m.group(1)).resolve()) for m in
            re.finditer(r"^(.*?):\d+:\d+: (?:fatal|error)", proc.stdout, re.M)}


def teikit_invalid(rng: Path, files: list[Path]) -> set[str]:
    from toolkit.load import load
    from toolkit.validation import relaxng

    bad = set()
    for f in files:
        doc, diags = load(f)
        if doc is None or any(d.rule in ("rng", "not-tei") for d in relaxng.check(doc, rng)):
            bad.add(str(f.resolve()))
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--release", type=Path, required=True)
    ap.add_argument("--stylesheets", type=Path, required=True)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"{CORPORA} is not present")
    files = sorted(p for part in ("variety", "bulk") for p in (CORPORA / part).rglob("*.xml"))
    os.environ["TEIKIT_CACHE"] = tempfile.mkdtemp(prefix="teikit-odd-bench-")
    from toolkit.validation import odd, schema

    schema.install(source=str(args.release))
    version = schema.status()["version"]
    rows = []
    for name in NAMES:
        source = next(args.release.rglob(f"custom/odd/{name}.odd"), None)
        published = next(args.release.rglob(f"custom/schema/relaxng/{name}.rng"), None)
        if source is None:
            continue
        t = time.perf_counter()
        compiled = odd.compile_odd(source, stylesheets=args.stylesheets)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        odd.compile_odd(source, stylesheets=args.stylesheets)
        cached = time.perf_counter() - t
        ours_jing = jing_invalid(compiled.rng, files)
        ours_teikit = teikit_invalid(compiled.rng, files)
        same_teikit = sum((str(f.resolve()) in ours_jing) == (str(f.resolve()) in ours_teikit)
                          for f in files)
        if published is not None:
            theirs = jing_invalid(published, files)
            same_published = sum((str(f.resolve()) in ours_jing) == (str(f.resolve()) in theirs)
                                 for f in files)
            pub = f"{same_published}/{len(files)}"
        else:
            pub = "(not in the release)"
        rows.append(f"| {name} | {cold:.1f} s | {cached:.3f} s | {pub} | {same_teikit}/"
                    f"{len(files)} | {len(ours_jing)} |")
    table = "\n".join([
        f"TEI release {version}, TEI Stylesheets {odd._version(args.stylesheets)}, "
        f"{len(files)} corpus files (variety + bulk). Command: `python bench/odd_verdicts.py "
        "--release DIR --stylesheets DIR`.", "",
        "| ODD | compile, cold | compile, cached | jing: published RNG = our compile | "
        "teikit = jing on our compile | invalid (jing, ours) |",
        "| --- | --- | --- | --- | --- | --- |", *rows])
    print(table)
    if args.write:
        results = REPO / "bench" / "RESULTS.md"
        text = results.read_text(encoding="utf-8")
        section = f"## ODD compilation ({version})\n\n{table}\n"
        pattern = re.compile(rf"## ODD compilation \({re.escape(version)}\)\n.*?(?=\n## |\Z)",
                             re.S)
        text = pattern.sub(section, text) if pattern.search(text) else \
            text.rstrip() + "\n\n" + section
        results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
