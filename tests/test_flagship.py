"""The flagship edition (tei/wright-1937-international-notes.xml) against its source and research.

Property checks, not golden files: the diplomatic text equals the body of the ETOL transcription
word for word; every pointer resolves and every register entry is used; every spelling variant,
date, statement and entity of the editors' research file (../shared/research/, present only in
the development tree) is encoded as the research says. Where the edition departs from the
research file on purpose, the exception is named here with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FLAGSHIP = REPO / "tei" / "wright-1937-international-notes.xml"
RESEARCH = ("research", "wright-1937-editorial-research.md")
SEED = ("seed", "etol-wright-1937-international-notes.txt")

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": TEI_NS}

ORIGINAL = {T + "sic", T + "orig", T + "abbr"}
REGULAR = {T + "corr", T + "reg", T + "expan"}
QUOTING = {T + "soCalled", T + "q", T + "quote"}
BLOCKS = {T + "p", T + "head", T + "byline", T + "dateline", T + "ab", T + "item"}
POINTER_ATTRS = ("ref", "corresp", "resp", "target", "who", "source", "ana", "rendition",
                 "sameAs", "next", "prev", "facs", "scheme")
ENTRY_TAGS = {"person": T + "person", "place": T + "place", "org": T + "org",
              "event": T + "event"}
NAME_TAGS = {"person": T + "persName", "place": T + "placeName", "org": T + "orgName",
             "event": T + "label"}


# ---------------------------------------------------------------------------------------------
# fixtures and helpers


def shared_file(parts: tuple[str, ...]) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared research not present: {path} (only in the development tree)")
    return path


@pytest.fixture(scope="module")
def tei() -> etree._ElementTree:
    return etree.parse(str(FLAGSHIP))


@pytest.fixture(scope="module")
def research() -> str:
    return shared_file(RESEARCH).read_text(encoding="utf-8")


def render(el: etree._Element, mode: str, skip=lambda e: False) -> str:
    """Text of ``el`` as a renderer gives it: notes dropped, quotation marks from markup, the
    original (``mode="original"``) or regular (``"regular"``) reading of each choice."""
    if not isinstance(el.tag, str) or el.tag == T + "note" or skip(el):
        return ""
    if el.tag == T + "choice":
        pick = ORIGINAL if mode == "original" else REGULAR
        branch = next((c for c in el if c.tag in pick), None)
        return "" if branch is None else render(branch, mode, skip)
    parts = [el.text or ""]
    for child in el:
        parts.append(render(child, mode, skip))
        parts.append(child.tail or "")
    text = "".join(parts)
    return f"\u201c{text}\u201d" if el.tag in QUOTING else text


def squash(s: str) -> str:
    return " ".join(s.split())


def key(s: str) -> str:
    """Letters only, without diacritics or case, for loose comparison of names."""
    s = unicodedata.normalize("NFKD", re.sub(r"\([^)]*\)", " ", s))
    return "".join(c for c in s.casefold() if "a" <= c <= "z")


def table(md: str, heading: str) -> list[dict[str, str]]:
    """The rows of the first Markdown table after ``## heading``, as dicts keyed by column."""
    section = md.split(f"## {heading}", 1)
    assert len(section) == 2, f"research file has no section {heading!r}"
    lines: list[str] = []
    for ln in section[1].splitlines():
        if ln.startswith("|"):
            lines.append(ln.strip())
        elif lines:
            break  # the table ends at its first non-row line
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    header, rows = cells[0], cells[2:]  # cells[1] is the |---| separator
    assert all(len(r) == len(header) for r in rows), f"ragged table under {heading!r}"
    return [dict(zip(header, r, strict=True)) for r in rows]


def first_alternative(cell: str) -> str:
    """``Musabekov (Az. Musabəyov)`` -> ``Musabekov``; ``a / b`` -> ``a``."""
    return squash(re.sub(r"\([^)]*\)", " ", cell.split(" / ")[0]))


def seed_body() -> list[str]:
    lines = shared_file(SEED).read_text(encoding="utf-8").splitlines()
    start = lines.index("J.G. Wright")
    end = max(i for i, ln in enumerate(lines) if ln.rstrip().endswith("Stalin\u2019s Russia."))
    paratext = ("From Socialist Appeal", "Transcribed & marked up")
    return [ln for ln in lines[start:end + 1] if not ln.startswith(paratext)]


def first_mismatch(got: list[str], want: list[str]) -> str:
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if g != w:
            return (f"first difference at token {i}: got {g!r}, want {w!r}\n"
                    f"  got : ...{' '.join(got[max(0, i - 10):i + 10])}...\n"
                    f"  want: ...{' '.join(want[max(0, i - 10):i + 10])}...")
    shorter = "rendering" if len(got) < len(want) else "source"
    i = min(len(got), len(want))
    return (f"same first {i} tokens, but the {shorter} ends early; "
            f"rest of the longer: {' '.join((got if len(got) > len(want) else want)[i:i + 20])}")


# ---------------------------------------------------------------------------------------------
# 1. fidelity


def test_diplomatic_text_equals_source_body():
    want = " ".join(seed_body()).split()  # skips first where ../shared is absent
    from toolkit.text.edition import render_text

    got = render_text(FLAGSHIP, "diplomatic").split()
    assert got == want, first_mismatch(got, want)


def test_reading_text_applies_corrections_and_regularisations():
    shared_file(SEED)
    from toolkit.text.edition import render_text

    text = squash(render_text(FLAGSHIP, "reading"))
    for expected in ("it becomes increasingly evident", "All the preceding purges",
                     "Neue Zürcher Zeitung computes", "Azerbaijan \u201cKalinin\u201d",
                     "Chairman of the CEC", "Musabekov,", "In Ulan-Ude,",
                     "Trotsky-Serebryakov-Pyatakov", "the Levanevsky flight"):
        assert expected in text, f"the reading text lacks {expected!r}"


def test_quotation_marks_come_from_markup(tei):
    """Double quotation marks are rendered from soCalled/q/quote, so the text holds none, except
    the literal characters of the Kalinin slip, kept as <pc> inside <sic>."""
    text = tei.getroot().find(T + "text")
    stray = []
    quotes = re.compile("[\u201c\u201d\"]|\u2019\u2019")
    for el in text.iter():
        if not isinstance(el.tag, str) or any(a.tag == T + "note" for a in el.iterancestors()):
            continue
        own_text_exempt = el.tag == T + "note" or (
            el.tag == T + "pc" and el.getparent().tag in ORIGINAL)
        for s in ([] if own_text_exempt else [el.text]) + [el.tail]:
            if s and quotes.search(s):
                stray.append(f"line {el.sourceline}: {s.strip()[:40]!r}")
    assert not stray, "quotation marks typed as characters instead of markup:\n" + "\n".join(stray)


# ---------------------------------------------------------------------------------------------
# 2. pointers and register


def test_every_ref_resolves_and_every_entry_is_used(tei):
    root = tei.getroot()
    ids = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    unresolved, used = [], {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in POINTER_ATTRS:
            for ptr in (el.get(attr) or "").split():
                if not ptr.startswith("#"):
                    continue
                if ptr[1:] not in ids:
                    unresolved.append(f"line {el.sourceline}: @{attr}={ptr!r}")
                if not any(a.tag == T + "standOff" for a in el.iterancestors()):
                    used[ptr[1:]] = used.get(ptr[1:], 0) + 1
    assert not unresolved, "pointers that resolve to no xml:id:\n" + "\n".join(unresolved)

    entries = root.xpath("//tei:standOff//tei:person | //tei:standOff//tei:place"
                         " | //tei:standOff//tei:org | //tei:standOff//tei:event",
                         namespaces=NS)
    assert entries, "the standOff register is empty"
    unused = [e.get(XML_ID) for e in entries if e.get(XML_ID) not in used]
    assert not unused, f"register entries never referenced from header or text: {unused}"

    # Every name in the text points with a single @ref at an entry of the matching kind.
    kinds = {T + "persName": "person", T + "placeName": "place", T + "orgName": "org"}
    rs_kinds = {"person": "person", "eponym": "person", "place": "place", "org": "org",
                "event": "event"}
    text = root.find(T + "text")
    bad = []
    for el in text.iter(T + "persName", T + "placeName", T + "orgName", T + "rs"):
        if any(a.tag == T + "note" for a in el.iterancestors()):
            continue
        kind = kinds.get(el.tag) or rs_kinds.get(el.get("type", ""))
        ptrs = (el.get("ref") or "").split()
        target = ids.get(ptrs[0][1:]) if len(ptrs) == 1 and ptrs[0].startswith("#") else None
        if target is None or kind is None or target.tag != ENTRY_TAGS[kind]:
            bad.append(f"line {el.sourceline}: <{etree.QName(el).localname}"
                       f" type={el.get('type')!r} ref={el.get('ref')!r}>")
    assert not bad, "names without a single @ref to an entry of their kind:\n" + "\n".join(bad)


# ---------------------------------------------------------------------------------------------
# 3. spelling variants and slips

#: Kinds the research file itself calls acceptable or merely historical: left unmarked by design.
UNMARKED_KINDS = {"variant transliteration (acceptable)", "variant (acceptable)",
                  "period usage", "anachronistic name"}


def test_research_variants_are_encoded(tei, research):
    root = tei.getroot()
    choices = []
    for ch in root.iter(T + "choice"):
        o = next((c for c in ch if c.tag in ORIGINAL), None)
        r = next((c for c in ch if c.tag in REGULAR), None)
        if o is not None and r is not None:
            choices.append((render(o, "original"), render(r, "regular")))

    # Where an unmarked occurrence would be an error: the text, and the quoted ETOL paratext.
    outside = lambda e: e.tag == T + "choice"  # noqa: E731
    scope = [root.find(T + "text"), *root.iter(T + "quote")]
    bare = "\n".join(render(el, "original", outside) for el in scope)

    rows = table(research, "Spelling variants and slips an editor flags")
    assert len(rows) >= 20, "the variants table was not parsed"
    problems, checked = [], 0
    for row in rows:
        if row["kind"] in UNMARKED_KINDS:
            continue
        printed = row["as printed"]
        normal = first_alternative(row["normalised / corrected"])
        checked += 1
        hits = [(o, r) for o, r in choices
                if o and r and o != r and (printed in o or o in printed)
                and (normal in r or r in normal) and r not in printed]
        if not hits:
            problems.append(f"{printed!r} is not encoded as sic/orig with corr/reg ≈ {normal!r}")
            continue
        plural = "plural" in row["note"].lower()
        for o, _ in hits:
            core = re.escape(o) + ("s?" if plural else "")
            if re.search(rf"(?<!\w){core}(?!\w)", bare):
                problems.append(f"{o!r} also occurs outside a choice")
    assert checked >= 14, f"only {checked} variant rows were checked"
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# 4. dates


def test_research_dates_are_encoded(tei, research):
    root = tei.getroot()
    header, text = root.find(T + "teiHeader"), root.find(T + "text")
    rows = table(research, "Date expressions and their normalisation")
    assert len(rows) >= 10, "the date table was not parsed"
    wanted: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        attrs = dict(re.findall(r"@(\w+)=([\w-]+)", row["normalisation"]))
        assert attrs, f"no normalisation parsed for {row['text']!r}"
        wanted.setdefault(squash(row["text"]), []).append(attrs | {"_note": row["note"]})

    problems = []
    for label, variants in wanted.items():
        attrs = {k: v for k, v in variants[0].items() if not k.startswith("_")}
        paratext = "ETOL paratext" in variants[0]["_note"]
        where = header if paratext else root
        dates = [d for d in where.iter(T + "date") if squash(render(d, "original")) == label]
        if not dates:
            problems.append(f"no <date> with the text {label!r}")
            continue
        if paratext and any(squash(render(d, "original")) == label for d in text.iter(T + "date")):
            problems.append(f"{label!r} is ETOL paratext but is dated in the text")
        if not paratext and not any(d in set(text.iter(T + "date")) for d in dates):
            problems.append(f"{label!r} is not encoded in the text itself")
        good = [d for d in dates if not _date_problems(d, attrs)]
        if len(good) < len(variants):
            detail = "; ".join(_date_problems(d, attrs) for d in dates)
            problems.append(f"{label!r}: {len(good)} of {len(variants)} required dates carry "
                            f"{attrs}: {detail}")
    assert not problems, "\n".join(problems)


def _date_problems(date: etree._Element, attrs: dict[str, str]) -> str:
    """What ``date`` lacks of ``attrs``, or ``""``.

    TEI forbids @when beside @notBefore/@notAfter/@from/@to (Schematron rule
    att-datable-w3c-when). Where the research gives both, the range goes on the date and the
    point value on a <date> inside the editorial note that directly follows it.
    """
    wanted = dict(attrs)
    ranged = {"notBefore", "notAfter", "from", "to"} & wanted.keys()
    if "when" in wanted and ranged:
        when = wanted.pop("when")
        note = date.getnext()
        if note is None or note.tag != T + "note" or not any(
                d.get("when") == when for d in note.iter(T + "date")):
            return f"line {date.sourceline}: no note after it giving @when={when}"
        if date.get("when"):
            return f"line {date.sourceline}: @when beside a range"
    missing = [f"@{k}={v}" for k, v in wanted.items() if date.get(k) != v]
    return f"line {date.sourceline}: lacks {', '.join(missing)}" if missing else ""


# ---------------------------------------------------------------------------------------------
# 5. statements that need a note

STATEMENT = re.compile(r'^- "(?P<text>.+?)": (?P<body>.*)\[(?P<status>[^\]]+)\]\s*'
                       r"Sources:\s*(?P<sources>.*)$")


def norm_statement(s: str) -> str:
    return squash(re.sub("[\u201c\u201d\"]", "", s)).casefold()


def expected_subtype(status: str) -> str:
    if status.strip().startswith("unverified"):
        return "unverified"
    if "unverified" in status or "partly" in status:
        return "partly-verified"
    return "verified"


def test_research_statements_have_notes(tei, research):
    root = tei.getroot()
    ids = {el.get(XML_ID): el for el in root.iter() if el.get(XML_ID)}
    section = research.split("## Statements that need an editorial note", 1)[1]
    statements = [m.groupdict() for m in map(STATEMENT.match, section.splitlines()) if m]
    assert len(statements) >= 20, f"only {len(statements)} statements parsed"

    notes = [n for n in root.find(T + "text").iter(T + "note") if n.get("type") == "editorial"]
    contexts = [(n, norm_statement(_commented_text(n, ids))) for n in notes]

    problems = []
    for st in statements:
        wanted = norm_statement(st["text"])
        urls = {u.strip() for u in st["sources"].split(";") if u.strip().startswith("http")}
        placed = [n for n, before in contexts
                  if wanted in before and len(before) - before.rfind(wanted) - len(wanted) <= 3]
        if not placed:
            problems.append(f"no editorial note directly after {st['text']!r}")
            continue
        cited = [n for n in placed if urls & _cited(n)] if urls else [
            n for n in placed if "unverified" in squash("".join(n.itertext())).lower()]
        if not cited:
            what = f"one of {sorted(urls)}" if urls else "the word unverified"
            problems.append(f"the note after {st['text']!r} does not cite {what}")
            continue
        note = cited[0]
        if not (note.get("resp") or "").startswith("#"):
            problems.append(f"the note after {st['text']!r} has no @resp")
        want_subtype = expected_subtype(st["status"])
        if note.get("subtype") != want_subtype:
            problems.append(f"the note after {st['text']!r} has subtype={note.get('subtype')!r};"
                            f" the research status [{st['status']}] means {want_subtype!r}")
        words = squash("".join(note.itertext())).lower()
        if "unverified" in st["status"] and "unverified" not in words:
            problems.append(f"the note after {st['text']!r} hides that part is unverified")
    assert not problems, "\n".join(problems)


def _commented_text(note: etree._Element, ids: dict) -> str:
    """The text a note comments on: its block up to the note, or its @target's text."""
    target = (note.get("target") or "").split()
    if target and target[0].startswith("#") and target[0][1:] in ids:
        anchor = ids[target[0][1:]]
        if anchor.tag != T + "anchor":
            return render(anchor, "original")
        note = anchor
    block = next((a for a in note.iterancestors() if a.tag in BLOCKS), note.getparent())
    stop = {"hit": False}

    def after(e):  # everything from the note (or anchor) on is not "preceding"
        if e is note:
            stop["hit"] = True
        return stop["hit"]

    return _render_until(block, after)


def _render_until(el, stop) -> str:
    if stop(el):
        return ""
    if el.tag == T + "note":
        return ""
    if el.tag == T + "choice":
        branch = next((c for c in el if c.tag in ORIGINAL), None)
        return "" if branch is None else _render_until(branch, stop)
    parts = [el.text or ""]
    for child in el:
        parts.append(_render_until(child, stop))
        if stop(child):
            break
        parts.append(child.tail or "")
    text = "".join(parts)
    return f"\u201c{text}\u201d" if el.tag in QUOTING else text


def _cited(note: etree._Element) -> set[str]:
    return {t for el in note.iter(T + "ref", T + "ptr") for t in (el.get("target") or "").split()}


# ---------------------------------------------------------------------------------------------
# 6. register entries

#: Research keys the edition links elsewhere on purpose, and how.
LINKED_ELSEWHERE = {"russia": "ussr"}  # the research: "link to ussr rather than ... Russia"


def test_entities_from_research_have_entries(tei, research):
    root = tei.getroot()
    standoff = root.find(T + "standOff")
    entries = {e.get(XML_ID): e for e in standoff.iter(*ENTRY_TAGS.values())}
    rows = table(research, "Entities")
    assert len(rows) >= 50, "the entity table was not parsed"
    research_keys = {r["key"] for r in rows}

    problems = []
    strays = sorted(set(entries) - research_keys)
    if strays:
        problems.append(f"register ids that are not research keys: {strays}")
    for row in rows:
        k, kind = row["key"], row["type"]
        entry = entries.get(k)
        if k in LINKED_ELSEWHERE:
            target = LINKED_ELSEWHERE[k]
            if entry is not None:
                problems.append(f"{k!r} has an entry, though its mentions are linked to {target!r}")
            tagged = root.xpath(f"//tei:text//*[@ref='#{target}']", namespaces=NS)
            if not any(squash("".join(t.itertext())) == row["normalised name"].split(" (")[0]
                       for t in tagged):
                problems.append(f"no mention of {k!r} is linked to #{target}")
            continue
        if entry is None:
            if "borderline only" not in row["role in 1937 / note"].lower():
                problems.append(f"research entity {k!r} has no register entry")
            continue
        if entry.tag != ENTRY_TAGS[kind]:
            problems.append(f"{k!r} is a <{etree.QName(entry).localname}>, not a {kind}")
            continue
        name_el = entry.find(NAME_TAGS[kind])
        wanted, got = key(row["normalised name"]), key("".join(name_el.itertext())) if (
            name_el is not None) else ""
        short, long_ = sorted((wanted, got), key=len)
        if not got or short not in long_ or len(short) < 0.5 * len(long_):
            problems.append(f"{k!r}: name {got!r} does not match {row['normalised name']!r}")
        for field, tag in (("born", "birth"), ("died", "death")):
            if row[field]:
                el = entry.find(T + tag)
                if el is None or el.get("when") != row[field]:
                    problems.append(f"{k!r}: <{tag}> should have @when={row[field]}")
        qids = [i.text.strip() for i in entry.iter(T + "idno") if i.get("type") == "wikidata"]
        expected = [row["Wikidata"]] if row["Wikidata"] else []
        if qids != expected:
            problems.append(f"{k!r}: Wikidata {qids} but the research gives {expected}")
    all_qids = [i for i in root.iter(T + "idno") if i.get("type") == "wikidata"]
    outside = [i.text for i in all_qids if i.getparent().get(XML_ID) not in research_keys]
    if outside:
        problems.append(f"Wikidata ids outside research entries: {outside}")
    assert not problems, "\n".join(problems)
