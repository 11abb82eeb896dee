"""Findings an editor can trust: the toolkit's editorial rules are warnings with stable names,
and their precision does not regress, on small labelled documents and on the findings over the
shared corpora that a person has judged (tests/data/findings/<rule>.tsv, made by
bench/findings.py; the corpus part is skipped where the corpora are absent)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from conftest import CORPORA
from lxml import etree

from toolkit.load import load
from toolkit.project.paths import rules_dir
from toolkit.tei import T
from toolkit.validation import integrity, relaxng, schematron
from toolkit.validation.index import IdIndex

DATA = Path(__file__).resolve().parent / "data" / "findings"
SCHEMATRON_RULES = ("date-invalid", "date-range", "choice-incomplete", "name-empty")
INTEGRITY_RULES = ("mention-untagged", "entry-unused", "ref-unresolved", "decl-unresolved")


def test_the_toolkits_schematron_rules_are_named_warnings():
    root = etree.parse(str(rules_dir() / "teikit.sch")).getroot()
    checks = root.iter(schematron.S + "assert", schematron.S + "report")
    found = {(c.get("id"), c.get("role")) for c in checks}
    assert found == {(r, "warning") for r in SCHEMATRON_RULES}


@pytest.mark.parametrize("name", ["mentions-en.xml", "mentions-de.xml"])
def test_labelled_mentions(name):
    """Every paragraph labelled n="true" is reported, none labelled n="false" is: common
    nouns, titles, kinship words, a surname that is another person's, title pages, stage
    directions and notes stay quiet."""
    doc, _ = load(DATA / name)
    labelled = {p.sourceline: p.get("n") for p in doc.root.iter(T + "p") if p.get("n")}
    reported = {d.line for d in integrity.check(doc) if d.rule == "mention-untagged"}
    assert reported == {line for line, n in labelled.items() if n == "true"}


def judged(rule: str) -> list[dict]:
    path = DATA / f"{rule}.tsv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["verdict"] in ("true", "false")]


def subject(message: str) -> str:
    m = re.search(r'"([^"]*)"', message)
    return m.group(1) if m else ""


def findings_now(rule: str, files: list[str]) -> set[tuple[str, int, int, str]]:
    """The rule's findings today on the judged files, each file checked as part of its
    folder's edition (as bench/findings.py validated them)."""
    out = set()
    by_folder: dict[Path, list[str]] = {}
    for f in files:
        by_folder.setdefault((CORPORA / f).parent, []).append(f)
    sch = schematron.read(rules_dir() / "teikit.sch", "")
    for folder, names in sorted(by_folder.items()):
        index = IdIndex.build([folder]) if rule in INTEGRITY_RULES else None
        for f in names:
            doc, _ = load(CORPORA / f)
            if rule in INTEGRITY_RULES:
                diags = integrity.check(doc, index)
            else:
                diags = schematron.check(doc, sch, relaxng.names_used(doc.root))
            out |= {(f, d.line, d.column, subject(d.message)) for d in diags if d.rule == rule}
    return out


@pytest.mark.parametrize("rule", [r for r in INTEGRITY_RULES + SCHEMATRON_RULES if judged(r)])
def test_judged_findings_stay_precise(rule):
    """Of today's findings that a person has judged, at least 90% are true; and the rule still
    finds at least 80% of those judged true in its latest sample (a rule that says nothing
    would be precise too)."""
    if not CORPORA.is_dir():
        pytest.skip(f"{CORPORA} is not present (the shared corpora are only in the dev tree)")
    rows = judged(rule)
    verdict = {(r["file"], int(r["line"]), int(r["col"]), r["subject"]): r["verdict"]
               for r in rows}
    now = findings_now(rule, sorted({r["file"] for r in rows}))
    seen = [verdict[k] for k in now if k in verdict]
    assert seen, "no judged finding is reported any more"
    precision = seen.count("true") / len(seen)
    assert precision >= 0.9, f"{seen.count('false')} of {len(seen)} judged findings are false"
    latest = max((r["drawn"].split(",")[-1] for r in rows), key=_label_order)
    kept = [k for k, v in verdict.items() if v == "true" and latest in
            next(r["drawn"] for r in rows if (r["file"], int(r["line"]), int(r["col"]),
                                               r["subject"]) == k).split(",")]
    assert sum(k in now for k in kept) >= 0.8 * len(kept)


def _label_order(label: str) -> tuple[int, str]:
    return (label != "before", label)


def test_whole_words_are_found_where_the_word_runs_are():
    """mentions._whole_word_starts (str.find and a look at both neighbours) gives the starts
    of exactly the matches of _RUN that are the word: hyphens, apostrophes, digits and
    underscores join a word, other punctuation and spaces do not."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from toolkit.validation import mentions

    texts = st.text("Anna-ß’'_1 .,;\u00e9\u0301x", max_size=60)

    @settings(max_examples=400, deadline=None)
    @given(texts, st.sampled_from(["Anna", "A", "nn", "Anna-", "x", "é"]))
    def check(text, word):
        expected = [m.start() for m in mentions._RUN.finditer(text) if m.group() == word]
        assert list(mentions._whole_word_starts(text, word)) == expected

    check()
