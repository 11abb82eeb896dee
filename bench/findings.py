"""How far an editor can trust the toolkit's own findings: precision per rule, from a sample
read by a person.

Every project folder of the shared corpora (``variety/*``, ``bulk/*``) is validated as one
edition, as ``teikit validate FOLDER`` would (the same file in two folders counts once). Then:

``counts``
    findings by rule and severity, and the longest messages (for bench/RESULTS.md);
``sample --label NAME``
    draws a seeded, reproducible sample of (at most) 50 findings of each editorial rule and
    merges it into ``tests/data/findings/<rule>.tsv``: rows already judged keep their verdict
    (a finding is the same if its file, line, column, rule and subject, the first quoted part
    of its message, are), new rows get the verdict ``?`` and a context to judge them by; a
    label drawn again is drawn afresh (judged rows that leave its sample stay, as data for
    tests/test_findings.py);
``precision``
    verdicts per rule and sample label.

A verdict is ``true`` when reading the document shows that the finding is right and worth an
editor's time (see the criteria in bench/RESULTS.md), ``false`` otherwise.

    python bench/findings.py counts
    python bench/findings.py sample --label after
    python bench/findings.py precision
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
import re
import sys
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
#: ../shared/corpora beside the repository (from a git worktree: the nearest one above).
CORPORA = next((p / "shared" / "corpora" for p in REPO.parents
                if (p / "shared" / "corpora").is_dir()), REPO.parent / "shared" / "corpora")
DATA = REPO / "tests" / "data" / "findings"
sys.path.insert(0, str(REPO))

from toolkit.load import load  # noqa: E402
from toolkit.validation import validate  # noqa: E402

#: The toolkit's own editorial rules (rules/teikit.sch and integrity.py).
EDITORIAL = ("mention-untagged", "entry-unused", "ref-unresolved", "decl-unresolved",
             "date-invalid", "date-range",
             "choice-incomplete", "name-empty", "id-duplicate")
SIZE = 50
SEED = 13
FIELDS = ("rule", "file", "line", "col", "subject", "message", "context", "drawn", "verdict",
          "note")


def editions() -> list[Path]:
    return [p for top in ("variety", "bulk") for p in sorted((CORPORA / top).iterdir())
            if p.is_dir()]


def findings(only: tuple[str, ...] | None = None):
    """Every diagnostic over the corpora, once per file name, line, column, rule and message."""
    seen = set()
    for edition in editions():
        for d in validate([edition]):
            key = (Path(d.path).name, d.line, d.column, d.rule, d.message)
            if key in seen or (only and d.rule not in only):
                continue
            seen.add(key)
            yield d


def relative(path: str) -> str:
    p = Path(path).resolve()
    try:
        return str(p.relative_to(CORPORA.resolve()))
    except ValueError:
        return str(p)


def subject(message: str) -> str:
    m = re.search(r'"([^"]*)"', message)
    return m.group(1) if m else ""


def key(row: dict) -> tuple:
    return (row["rule"], row["file"], str(row["line"]), str(row["col"]), row["subject"])


# ---------------------------------------------------------------------------------------------
# Context for the person who judges


_docs: dict[str, object] = {}


def _element_at(path: str, line: int, col: int):
    if path not in _docs:
        doc, _ = load(Path(path))
        places = {}
        if doc is not None:
            for el in doc.root.iter(tag=etree.Element):
                places.setdefault(doc.locate(el), el)
        _docs.clear()  # one document at a time: the sample is sorted by file
        _docs[path] = places
    return _docs[path].get((line, col))


def context(d) -> str:
    el = _element_at(d.path, d.line, d.column)
    if el is None:
        return ""
    name = etree.QName(el).localname
    if d.rule == "mention-untagged":
        text = " ".join("".join(el.itertext()).split())
        word = subject(d.message)
        m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)
        if m:
            a, b = max(0, m.start() - 160), m.end() + 160
            text = text[a:m.start()] + "«" + word + "»" + text[m.end():b]
        return f"<{name}> {text}"
    head = etree.tostring(el, encoding="unicode", with_tail=False)
    return " ".join(head.split())[:300]


# ---------------------------------------------------------------------------------------------
# Commands


def read_rows(rule: str) -> list[dict]:
    path = DATA / f"{rule}.tsv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def write_rows(rule: str, rows: list[dict]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    rows.sort(key=lambda r: (r["file"], int(r["line"]), int(r["col"]), r["subject"]))
    with open(DATA / f"{rule}.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, FIELDS, delimiter="\t", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: " ".join(str(r.get(k, "")).split()) for k in FIELDS})


def draw(rule: str, found: list, label: str, seed: int) -> list:
    """The sample of one rule: ``SIZE`` findings drawn with a seed fixed per rule and label."""
    found = sorted(found, key=lambda d: (relative(d.path), d.line, d.column, d.message))
    rnd = random.Random(f"{seed}:{label}:{rule}")
    return sorted(rnd.sample(found, min(SIZE, len(found))),
                  key=lambda d: (relative(d.path), d.line, d.column))


def cmd_sample(args) -> None:
    by_rule = collections.defaultdict(list)
    for d in findings(EDITORIAL):
        by_rule[d.rule].append(d)
    for rule in EDITORIAL:
        old = {key(r): r for r in read_rows(rule)}
        for r in old.values():  # this label is drawn afresh; judged rows keep their verdicts
            r["drawn"] = ",".join(x for x in r["drawn"].split(",") if x and x != args.label)
        for d in draw(rule, by_rule[rule], args.label, args.seed):
            row = {"rule": rule, "file": relative(d.path), "line": d.line, "col": d.column,
                   "subject": subject(d.message), "message": d.message}
            k = key(row)
            if k in old:
                old[k]["drawn"] = ",".join(x for x in old[k]["drawn"].split(",") + [args.label]
                                           if x)
                old[k]["message"] = d.message
                continue
            row.update(context=context(d), drawn=args.label, verdict="?", note="")
            old[k] = row
        old = {k: r for k, r in old.items() if r["drawn"] or r["verdict"] in ("true", "false")}
        if old:
            write_rows(rule, list(old.values()))
        print(f"{rule}: {len(by_rule[rule])} findings, "
              f"{sum(args.label in r['drawn'].split(',') for r in old.values())} in the sample")


def precision(rule: str) -> dict[str, tuple[int, int, int]]:
    """label -> (true, judged, unjudged) for one rule's sample file."""
    out: dict[str, list[int]] = {}
    for r in read_rows(rule):
        for label in filter(None, r["drawn"].split(",")):
            c = out.setdefault(label, [0, 0, 0])
            if r["verdict"] in ("true", "false"):
                c[0] += r["verdict"] == "true"
                c[1] += 1
            else:
                c[2] += 1
    return {k: tuple(v) for k, v in out.items()}


def cmd_precision(args) -> None:
    print("| rule | sample | true / judged | precision |")
    print("|---|---|---:|---:|")
    for rule in EDITORIAL:
        for label, (t, n, todo) in sorted(precision(rule).items()):
            extra = f" ({todo} not judged)" if todo else ""
            print(f"| {rule} | {label} | {t} / {n}{extra} | {t / n:.0%} |" if n
                  else f"| {rule} | {label} | 0 / 0{extra} | |")


def cmd_counts(args) -> None:
    counts = collections.Counter()
    longest = []
    for d in findings():
        counts[(d.rule, d.severity)] += 1
        longest.append((len(d.message), relative(d.path), d.line, d.message))
    print("| rule | severity | findings |")
    print("|---|---|---:|")
    for (rule, sev), n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        print(f"| {rule} | {sev} | {n} |")
    total = collections.Counter(sev for (_, sev), n in counts.items() for _ in range(n))
    print(f"\ntotal: {dict(total)}")
    longest.sort(reverse=True)
    print("\nlongest messages (characters):", [n for n, *_ in longest[:5]])
    for n, path, line, msg in longest[:args.show]:
        print(f"  {path}:{line} ({n}): {msg[:400]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--label", required=True, help="the name of this sample: before, after, ...")
    s.add_argument("--seed", type=int, default=SEED)
    sub.add_parser("precision")
    c = sub.add_parser("counts")
    c.add_argument("--show", type=int, default=3, help="how many of the longest messages")
    args = ap.parse_args()
    if args.cmd != "precision" and not CORPORA.is_dir():
        sys.exit(f"{CORPORA} is absent: the shared corpora only exist in the dev tree")
    {"sample": cmd_sample, "counts": cmd_counts, "precision": cmd_precision}[args.cmd](args)


if __name__ == "__main__":
    main()
