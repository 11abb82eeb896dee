"""The chunked search index (toolkit/html/search_index.py, toolkit/html/terms.py): the terms
Python indexes are the terms search.js looks up; every posting list and prefix list holds
exactly the units brute force finds; every file stays within its size bound and the reader's
way of finding a term's file finds it. What a query loads in the browser: test_search_browser.
"""

from __future__ import annotations

import bisect
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import require

from toolkit.html.search_index import (
    read_index,
    u16,
    units_of,
    write_index,
)
from toolkit.html.terms import normalise, tokens

REPO = Path(__file__).resolve().parents[1]
SEARCH_JS = REPO / "toolkit" / "html" / "assets" / "search.js"

SAMPLES = [
    "Zürich", "ZÜRICH Zurich", "Straße STRASSE straße", "ſein Leſen", "Œuvre æther Søren Łódź",
    "naïve café résumé", "Ἀθῆναι ΟΔΟΣ οδός", "İstanbul", "ﬁnden", "½ ² 12/17ten",
    "don't Mater's", "Fraumünster-Kirche", "u.u.u.Dem.", "नमस्ते दुनिया", "日本語のテキスト",
    "Ǆemal ǅ", "a_b c-d", "x" * 45 + " kurz", "1836-10-12", "Ⅻ Ⅳ", "עִבְרִית", "Ş ş ț",
    "e\u0301 é", "Þórr Đakovo ıi ĸ", "ΣΟΦΟΣ σοφός", "𝔉𝔯𝔞𝔨𝔱𝔲𝔯 𝐛𝐨𝐥𝐝", "Å̲ a\u0332",
    "Hrn.Hrn. Dr.med.", "«Guillemets» „Anführung“", "tab\there\nnew line",
]

# ------------------------------------------------------------------- a generated edition

_COMMON = ("und die der nicht ich ist mit den das zu sich sie in ein es auch wie so an dem von "
           "auf wir lieber Freund Brief Zeit Zürich zur Zurich Straße strasse café Cafe Bern "
           "Bernhard Berner Œuvre naïve Ἀθῆναι Gesundheit Reise").split()


def generated(n_docs: int = 400, n_registers: int = 40, seed: int = 7):
    """Documents of random words (a Zipf-like mix of common words, accented words and a long
    tail of rare ones), some long enough to be several units, then register entries."""
    rng = random.Random(seed)
    rare = ["".join(rng.choice("abcdefghijklmnoprstuvwyzäöü") for _ in range(rng.randint(3, 9)))
            for _ in range(4000)]

    def text(words: int) -> str:
        return " ".join(rng.choice(_COMMON) if rng.random() < 0.5 else
                        rare[min(int(rng.paretovariate(0.6)) - 1, len(rare) - 1)]
                        for _ in range(words))

    out = []
    for d in range(n_docs):
        blocks = []
        size = rng.choice([1, 1, 1, 2, 3]) * rng.randint(30, 400)
        if d % 97 == 5:
            size = 9000  # several units
        while size > 0:
            words = min(size, rng.randint(20, 160))
            other = text(rng.randint(0, 4)) if rng.random() < 0.3 else ""
            blocks.append({"a": f"d{d}-p{len(blocks)}", "t": text(words), "x": other})
            size -= words
        out.append(({"u": f"doc{d}.html", "t": f"Letter {d} {text(3)}", "m": text(2)}, blocks))
    for r in range(n_registers):
        out.append(({"u": f"persons.html#e{r}", "t": text(2), "m": "Persons", "r": 1},
                    [{"a": "", "t": text(12), "x": ""}]))
    return out


def brute_units(docs, unit_chars: int) -> list[tuple[int, bool, set[str]]]:
    """(document, is a register entry, its terms) of every unit, computed directly."""
    units = []
    for d, (doc, blocks) in enumerate(docs):
        title = set(tokens(" ".join(x for x in (doc.get("t"), doc.get("m")) if x)))
        for part, run in enumerate(units_of(blocks, unit_chars)):
            terms = set()
            for b in run:
                terms.update(tokens(b["t"]))
                terms.update(tokens(b.get("x", "")))
            units.append((d, bool(doc.get("r")), terms | title if part == 0 else terms))
    return units


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """The generated edition written with small files (so that it has many of each)."""
    folder = tmp_path_factory.mktemp("index") / "search"
    docs = generated()
    stats = write_index(iter(docs), folder, unit_chars=6000, chunk_bytes=6000,
                        fragment_bytes=5000)
    return docs, folder, stats, read_index(folder)


# ---------------------------------------------------------------------------- the terms


def test_terms_fold_case_accents_and_spelled_letters() -> None:
    assert tokens("Zürich") == ["zurich", "~zürich"]
    assert tokens("Zürich", accented=False) == ["zurich"]
    assert normalise("STRASSE Straße") == "strasse strasse"
    assert normalise("ſein ﬁnden") == "sein finden"  # compatibility forms: no accented term
    assert tokens("ſein") == ["sein"]
    assert normalise("Œuvre Søren Łódź") == "oeuvre soren lodz"
    assert normalise("e\u0301 é") == "e e"
    assert tokens("x" * 41 + " kurz") == ["kurz"]
    assert normalise("don't a_b") == "don t a b"


def test_python_and_javascript_make_the_same_terms() -> None:
    """search.js's tokens() (run in node with the page stubbed) gives, for every sample and
    every block of the test editions, exactly the terms the index was written with."""
    node = shutil.which("node")
    require(node is not None, "node is not installed (apt-get install nodejs)")
    samples = list(SAMPLES)
    for doc, blocks in generated(60, 5, seed=3):
        samples += [doc["t"]] + [b["t"] for b in blocks[:3]]
    for page in sorted((REPO / "tests" / "data").rglob("*.xml"))[:40]:
        samples.append(page.read_text(encoding="utf-8", errors="replace")[:3000])
    prog = (
        "var window = {}; var document = {readyState: 'complete', querySelector: function () "
        "{ return null; }, getElementById: function () { return null; }};"
        + SEARCH_JS.read_text(encoding="utf-8")
        + ";var S = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(S.map(function (s) {"
        " return [window.teikitSearch.tokens(s), window.teikitSearch.words(s)]; })));"
    )
    got = json.loads(subprocess.run([node, "-e", prog], input=json.dumps(samples),
                                    capture_output=True, text=True, check=True).stdout)
    differ = [(s[:50], tokens(s)[:6], js[0][:6]) for s, js in zip(samples, got, strict=True)
              if js != [tokens(s), tokens(s, accented=False)]]
    assert differ == []
    assert len(samples) > 150


# ---------------------------------------------------------------------------- the index


def test_postings_hold_exactly_the_units_brute_force_finds(small_index) -> None:
    docs, _folder, stats, index = small_index
    units = brute_units(docs, 6000)
    assert stats["units"] == len(units) > stats["docs"] == len(docs)
    expected: dict[str, set[int]] = {}
    for u, (_d, _r, terms) in enumerate(units):
        for t in terms:
            expected.setdefault(t, set()).add(u)
    got = {t: {u for u, _w in p} for t, p in index["terms"].items()}
    assert got == expected
    assert all(1 <= w <= 63 for p in index["terms"].values() for _u, w in p)
    for q, merged in index["prefixes"].items():
        assert {u for u, _w in merged} == {u for t, us in expected.items()
                                           if t.startswith(q) for u in us}, q
    assert any(len(q) == 1 for q in index["prefixes"]), "short prefixes have merged lists"


def test_units_know_their_document_and_registers_are_marked(small_index) -> None:
    docs, _folder, _stats, index = small_index
    for unit in index["units"]:
        doc, blocks = docs[unit["d"]]
        assert (unit["u"], unit["t"], bool(unit.get("r"))) == (doc["u"], doc["t"],
                                                               bool(doc.get("r")))
        assert all(b[0] in {x["a"] for x in blocks} for b in unit["b"])
    manifest = index["manifest"]
    assert manifest["units"] == len(index["units"])
    first_register = next(u["n"] for u in index["units"] if u.get("r"))
    assert [u["n"] for u in index["units"] if u.get("r")] == list(
        range(first_register, len(index["units"])))


def test_every_file_stays_within_its_bound_and_every_term_is_where_the_reader_looks(
        small_index) -> None:
    docs, folder, _stats, index = small_index
    overhead = 40  # the call around the data
    for f in (folder / "t").glob("*.js"):
        data = json.loads(f.read_text("utf-8")[f.read_text("utf-8").index(",") + 1:-3])
        assert f.stat().st_size <= 6000 + overhead or len(data) == 1, f.name
    for f in (folder / "f").glob("*.js"):
        data = json.loads(f.read_text("utf-8")[f.read_text("utf-8").index(",") + 1:-3])
        assert f.stat().st_size <= 5000 + overhead or len(data) == 1, f.name
    # a term's file: the last separator (UTF-16 order, as JavaScript compares) not after it
    separators = [u16(s) for s in index["manifest"]["chunks"]]
    assert separators == sorted(separators) and len(separators) > 20
    for f in (folder / "t").glob("*.js"):
        n = int(f.stem)
        for term in json.loads(f.read_text("utf-8")[f.read_text("utf-8").index(",") + 1:-3]):
            assert bisect.bisect_right(separators, u16(term)) - 1 == n, term


def test_ranking_weights_favour_the_document_that_says_it_more(tmp_path) -> None:
    docs = [({"u": "a.html", "t": "A", "m": ""}, [{"a": "p", "t": "quagga " * 1 + "x " * 50}]),
            ({"u": "b.html", "t": "B", "m": ""}, [{"a": "p", "t": "quagga " * 8 + "x " * 43}]),
            ({"u": "c.html", "t": "Quagga", "m": ""}, [{"a": "p", "t": "x " * 51}])]
    write_index(iter(docs), tmp_path)
    weights = dict(read_index(tmp_path)["terms"]["quagga"])
    assert weights[1] > weights[0]
    assert weights[2] > weights[0], "a title counts more than one word of the text"


def test_an_empty_edition_has_an_index_that_finds_nothing(tmp_path) -> None:
    stats = write_index(iter([]), tmp_path)
    index = read_index(tmp_path)
    assert stats["units"] == 0 and index["terms"] == {} and index["manifest"]["chunks"] == []


def test_a_build_writes_the_index_again_without_files_of_before(tmp_path) -> None:
    docs = generated(50, 0)
    write_index(iter(docs), tmp_path, chunk_bytes=2000)
    many = len(list((tmp_path / "t").glob("*.js")))
    write_index(iter(docs[:3]), tmp_path, chunk_bytes=2000)
    assert len(list((tmp_path / "t").glob("*.js"))) < many
    assert {u["d"] for u in read_index(tmp_path)["units"]} == {0, 1, 2}


def test_terms_made_beforehand_are_used_and_a_mismatch_is_made_again(tmp_path) -> None:
    """The build's workers hand over the terms of each page's units (unit_terms); the writer
    takes them as they are, unless they do not fit the blocks (then it makes them)."""
    from toolkit.html.search_index import unit_terms

    blocks = [{"a": "p1", "t": "Zürich und Bern", "x": ""}]
    made = unit_terms(blocks)
    assert made == [{"zurich": 1, "~zürich": 1, "und": 1, "bern": 1}]
    docs = [({"u": "a.html", "t": "A", "m": ""}, blocks, [{**made[0], "kept": 2}]),
            ({"u": "b.html", "t": "B", "m": ""}, blocks, [made[0], made[0]])]
    write_index(iter(docs), tmp_path)
    terms = read_index(tmp_path)["terms"]
    assert [u for u, _w in terms["kept"]] == [0]
    assert [u for u, _w in terms["bern"]] == [0, 1]


def test_units_handed_over_by_the_workers_make_the_same_index(tmp_path) -> None:
    """What the build's workers keep per page (the terms and the JSON text of each unit, see
    write_page_blocks) is put together into exactly the index the blocks themselves make:
    every file byte for byte."""
    from toolkit.html.search_index import unit_terms, unit_text

    docs = generated(n_docs=150, n_registers=10, seed=11)
    kw = {"unit_chars": 6000, "chunk_bytes": 6000, "fragment_bytes": 5000}
    write_index(iter(docs), tmp_path / "blocks", **kw)
    handed = [(doc, None, unit_terms(blocks, 6000),
               [unit_text(run) for run in units_of(blocks, 6000)]) for doc, blocks in docs]
    write_index(iter(handed), tmp_path / "handed", **kw)
    files = sorted(p.relative_to(tmp_path / "blocks") for p in (tmp_path / "blocks").rglob("*.js"))
    assert len(files) > 20
    assert files == sorted(p.relative_to(tmp_path / "handed")
                           for p in (tmp_path / "handed").rglob("*.js"))
    differ = [f for f in files
              if (tmp_path / "blocks" / f).read_bytes() != (tmp_path / "handed" / f).read_bytes()]
    assert differ == []


def _versioned(docs, versions: dict[int, int], read: list[int]):
    """The documents for write_index, each keyed by its version, with a maker of its blocks
    that notes in ``read`` which documents were read."""
    for d, (doc, blocks) in enumerate(docs):
        yield {**doc, "k": f"{d}-{versions[d]}"}, lambda d=d, b=blocks: (
            read.append(d) or (b,))


def _js_files(folder: Path) -> dict[str, bytes]:
    """Every script file of an index folder, by its path in the folder."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.js")}


@pytest.mark.parametrize("in_memory", [False, True], ids=["state-read-back", "state-kept"])
def test_an_index_kept_by_content_is_the_same_and_a_rebuild_writes_only_what_changed(
        tmp_path, monkeypatch, in_memory) -> None:
    """With a store (the site cache's folder), the index's files are kept there by content
    and linked, and its state beside them: after edits of a few documents the next index is
    patched (only the edited documents are read) and is, byte for byte, the index put
    together from every document; a rebuild adds only the files that changed and prunes
    those no index uses. Edits of every kind, over many rounds: words added and taken away,
    a document grown by a unit, a title changed, a document made the same again. The same
    with the state kept in memory between builds (as teikit serve keeps it): then it is never
    read back."""
    import contextlib

    from toolkit import pickled, resident
    from toolkit.html import search_index

    state_reads = []
    real_load = pickled.load
    monkeypatch.setattr(pickled, "load", lambda path: state_reads.append(path) or real_load(path))
    with resident.between_builds() if in_memory else contextlib.nullcontext():
        _kept_rounds(tmp_path)
    # (the first build looks for a state, and finds none)
    assert len(state_reads) == (1 if in_memory else 13), state_reads
    assert search_index._kept == {}  # (nothing kept once the builds are over)


def _kept_rounds(tmp_path) -> None:
    rng = random.Random(3)
    docs = generated(n_docs=150, n_registers=10, seed=5)
    kw = {"unit_chars": 6000, "chunk_bytes": 6000, "fragment_bytes": 5000}
    store = tmp_path / "store"
    versions = {d: 0 for d in range(len(docs))}
    read: list[int] = []

    def items():
        return _versioned(docs, versions, read)

    write_index(items(), tmp_path / "kept0", store=store, **kw)
    assert _js_files(tmp_path / "kept0") == _js_files(write_plain(docs, tmp_path / "plain0", kw))
    first = {p.name for p in store.iterdir()} - {"state.pickle"}
    assert len(first) == len(_js_files(tmp_path / "kept0")) - 1  # all but the manifest
    linked = tmp_path / "kept0" / "f" / "0.js"
    assert linked.stat().st_nlink == 2 and not linked.stat().st_mode & 0o222
    patched = 0
    for n in range(1, 13):
        edited = rng.sample(range(len(docs)), rng.choice([1, 1, 2, 3]))
        for d in edited:
            doc, blocks = docs[d]
            b = dict(blocks[0])
            how = rng.choice(["add", "drop", "grow", "title", "same"])
            if how == "add":
                b["t"] += " " + rng.choice(["Nachtrag", "und", "Zürich", "qqq" + str(n)])
            elif how == "drop":
                b["t"] = b["t"].rsplit(" ", 1)[0]
            elif how == "grow":
                b["t"] += " wort" * 1500  # another unit
            elif how == "title":
                doc = {**doc, "t": doc["t"] + " (neu)"}
            docs[d] = (doc, [b, *blocks[1:]])
            versions[d] += how != "same"
        read.clear()
        write_index(items(), tmp_path / f"kept{n}", store=store, **kw)
        plain = _js_files(write_plain(docs, tmp_path / f"plain{n}", kw))
        assert _js_files(tmp_path / f"kept{n}") == plain, n
        if len(read) < len(docs):
            patched += 1
            assert set(read) <= set(edited)  # only the edited documents were read
        now = {p.name for p in store.iterdir()} - {"state.pickle"}
        assert len(now) == len(plain) - 1  # the files of before are pruned
    assert patched >= 6
    assert _js_files(tmp_path / "kept0") == _js_files(tmp_path / "plain0")  # the first index intact


def test_a_word_changed_encodes_and_writes_only_what_it_moved(tmp_path, monkeypatch) -> None:
    """A word of a long document replaced by another (the units' lengths the same): only the
    two words' postings are encoded again and only the term files that hold them written
    (the document's other words came out of the patch as they were, and their files are the
    kept ones); the index is the one made from every document."""
    from toolkit.html import search_index

    docs = generated(n_docs=120, n_registers=5, seed=13)
    kw = {"unit_chars": 6000, "chunk_bytes": 3000, "fragment_bytes": 5000}
    store = tmp_path / "store"
    versions = dict.fromkeys(range(len(docs)), 0)
    read: list[int] = []
    d = max(range(len(docs)), key=lambda i: len(docs[i][1][0]["t"]))
    write_index(_versioned(docs, versions, read), tmp_path / "0", store=store, **kw)
    doc, blocks = docs[d]
    first, rest = blocks[0]["t"].split(" ", 1)
    new = ("zq" * 9)[:max(2, len(first))]  # (as long: the units cut where they were)
    docs[d] = (doc, [{**blocks[0], "t": f"{new} {rest}"}, *blocks[1:]])
    versions[d] += 1
    encoded, term_files = [], []
    real_run, real_write = search_index._encode_run, search_index._Files.write
    monkeypatch.setattr(search_index, "_encode_run",
                        lambda units, *a: encoded.append(len(units)) or real_run(units, *a))
    monkeypatch.setattr(search_index._Files, "write", lambda self, folder, rel, data: (
        term_files.append(rel) if rel.startswith("t/") else None,
        real_write(self, folder, rel, data))[1])
    read.clear()
    figures = write_index(_versioned(docs, versions, read), tmp_path / "1", store=store, **kw)
    assert read == [d]  # patched
    words = len(set(tokens(blocks[0]["t"])))
    assert words > 30 and figures["term_files"] > 10
    # the two words' terms (a word with accents is also a term without them), and each
    # prefix list merged again: a handful, not the document's words
    moved = len(set(tokens(first))) + len(set(tokens(new)))
    assert moved <= len(encoded) <= moved + figures["prefix_lists"], (words, encoded)
    assert 1 <= len(term_files) <= 4, term_files
    monkeypatch.undo()
    assert _js_files(tmp_path / "1") == _js_files(write_plain(docs, tmp_path / "plain", kw))
    # A word added to a document of several units: its unit one word longer, so the
    # weights of that unit's words are made again (most come out as they were); the other
    # units' words are not looked at.
    d = 5  # a document of several units (see generated)
    doc, blocks = docs[d]
    assert sum(len(b["t"]) for b in blocks) > 3 * kw["unit_chars"]
    docs[d] = (doc, [{**blocks[0], "t": "Zuwachswort " + blocks[0]["t"]}, *blocks[1:]])
    versions[d] += 1
    doc_words = {t for b in blocks for t in tokens(b["t"])} | set(tokens(doc["t"]))
    encoded.clear()
    monkeypatch.setattr(search_index, "_encode_run",
                        lambda units, *a: encoded.append(len(units)) or real_run(units, *a))
    write_index(_versioned(docs, versions, read), tmp_path / "2", store=store, **kw)
    monkeypatch.undo()
    assert len(encoded) < len(doc_words) / 2, (len(encoded), len(doc_words))
    assert _js_files(tmp_path / "2") == _js_files(write_plain(docs, tmp_path / "plain2", kw))


def test_a_kept_index_changed_behind_its_back_is_put_together_anew(tmp_path) -> None:
    """A kept file no longer what its name says (written through a link in an old output
    folder) or gone: the patch is not made from it, the index is put together from every
    document, the same as ever."""
    docs = generated(n_docs=60, n_registers=5, seed=9)
    kw = {"unit_chars": 6000, "chunk_bytes": 6000, "fragment_bytes": 5000}
    store = tmp_path / "store"
    items = [({**doc, "k": str(d)}, blocks) for d, (doc, blocks) in enumerate(docs)]
    write_index(iter(items), tmp_path / "first", store=store, **kw)
    for f in (tmp_path / "first" / "f").glob("*.js"):
        f.chmod(0o644)
        f.write_bytes(f.read_bytes().replace(b'"t":"', b'"t":"Falsch ', 1))
    doc, blocks = items[30]
    items[30] = ({**doc, "k": "30b"}, [{**blocks[0], "t": blocks[0]["t"] + " Nachtrag"}])
    write_index(iter(items), tmp_path / "again", store=store, **kw)
    plain = write_plain([(doc, blocks) for doc, blocks in items], tmp_path / "plain", kw)
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").rglob("*.js")} == {
        p.name: p.read_bytes() for p in plain.rglob("*.js")}


def test_a_state_kept_in_memory_is_not_used_once_its_file_was_replaced(tmp_path) -> None:
    """Kept in memory between builds, the state is used only while its file is the one this
    process wrote: replaced by another process's build, the file is read."""
    import shutil

    from toolkit import resident
    from toolkit.html import search_index

    docs = generated(n_docs=40, n_registers=3, seed=4)
    store, other = tmp_path / "store", tmp_path / "other"
    items = [({**doc, "k": str(d)}, blocks) for d, (doc, blocks) in enumerate(docs)]
    with resident.between_builds():
        write_index(iter(items), tmp_path / "first", store=store)
        doc, blocks = items[5]
        items[5] = ({**doc, "k": "5b"}, [{**blocks[0], "t": blocks[0]["t"] + " Nachtrag"}])
        write_index(iter(items), tmp_path / "elsewhere", store=other)  # (kept too)
        shutil.copytree(other, store, dirs_exist_ok=True)  # another process's build
        kept = search_index._kept[str(store / "state.pickle")][1]
        items[6] = ({**items[6][0], "k": "6b"}, [{**items[6][1][0], "t": "anders"}])
        write_index(iter(items), tmp_path / "again", store=store)
        assert search_index._kept[str(store / "state.pickle")][1] is not kept
    plain = write_plain([(doc, blocks) for doc, blocks in items], tmp_path / "plain", {})
    assert _js_files(tmp_path / "again") == _js_files(plain)


def test_a_kept_state_of_another_form_is_not_used(tmp_path) -> None:
    """A state kept by another version of the toolkit (here: one that lacks a part) or a
    damaged one: the index is put together from every document."""
    import pickle

    docs = generated(n_docs=30, n_registers=3, seed=2)
    store = tmp_path / "store"
    items = [({**doc, "k": str(d)}, blocks) for d, (doc, blocks) in enumerate(docs)]
    write_index(iter(items), tmp_path / "first", store=store)
    state = pickle.loads((store / "state.pickle").read_bytes())
    del state.stamps
    (store / "state.pickle").write_bytes(pickle.dumps(state))
    write_index(iter(items), tmp_path / "again", store=store)
    (store / "state.pickle").write_bytes(b"not a pickle")
    write_index(iter(items), tmp_path / "third", store=store)
    plain = write_plain(docs, tmp_path / "plain", {})
    for folder in ("again", "third"):
        assert {p.name: p.read_bytes() for p in (tmp_path / folder).rglob("*.js")} == {
            p.name: p.read_bytes() for p in plain.rglob("*.js")}


def write_plain(docs, folder: Path, kw) -> Path:
    write_index(iter(docs), folder, **kw)
    return folder


def test_counted_terms_are_the_terms_of_tokens() -> None:
    """term_counts (how the workers count a unit's terms: runs between spaces first) counts
    exactly what tokens() yields, over the samples and over generated text of any
    characters."""
    from collections import Counter

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from toolkit.html.terms import term_counts

    def counted(texts):
        out: Counter = Counter()
        for t in texts:
            out.update(tokens(t))
        return out

    assert term_counts(SAMPLES) == counted(SAMPLES)

    words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
    spaces = st.sampled_from([" ", "\n", "\u00a0", "\u2003", "\t", "", "-", "\u3000"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.lists(st.tuples(words, spaces), max_size=8), max_size=4))
    def check(parts):
        texts = ["".join(w + s for w, s in p) for p in parts]
        assert term_counts(texts) == counted(texts)

    check()


@pytest.mark.parametrize("n_units", [50, 10_000, 1 << 18])
def test_encoded_runs_are_the_encoded_postings(n_units) -> None:
    """The writer's fast encoding of a posting list (deltas looked up in a table, for
    indexes of up to 2**17 units; computed beyond) is encode_postings' text."""
    from toolkit.html.search_index import _encode_run, encode_postings

    rng = random.Random(n_units)
    for _ in range(200):
        units = sorted(rng.sample(range(n_units), rng.randint(0, min(40, n_units))))
        weights = bytes(rng.randint(1, 63) for _ in units)
        a = rng.randint(0, len(units))
        b = rng.randint(a, len(units))
        assert _encode_run(units, weights, a, b, n_units) == encode_postings(units[a:b],
                                                                              weights[a:b])


def test_kept_postings_behave_as_the_dict_they_were_made_from() -> None:
    """The kept state's postings (flat arrays, a term's own arrays made when looked up) do
    what the index does with a dict of term -> (units, tfs): looked up, patched in place,
    added, deleted, units taken out, iterated, counted; and pickled again, at any point of
    that, they are those postings still."""
    import pickle
    from array import array

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from toolkit.html.search_index import _Lists

    def as_dict(lists) -> dict:
        return {t: (list(lists[t][0]), list(lists[t][1])) for t in lists}

    postings = st.dictionaries(st.sampled_from("abcdefghij"), st.lists(
        st.integers(0, 40), unique=True, min_size=1, max_size=8).map(sorted), max_size=8)

    op = st.one_of(
        st.tuples(st.just("insert"), st.sampled_from("abcdefghijk"), st.integers(0, 40)),
        st.tuples(st.just("delete"), st.sampled_from("abcdefghijk"), st.just(0)),
        st.tuples(st.just("remove"), st.integers(0, 40), st.integers(1, 10)),
        st.tuples(st.just("pickle"), st.just(""), st.just(0)))

    @settings(max_examples=300, deadline=None)
    @given(postings, st.lists(op, max_size=12))
    def check(start, ops):
        plain = {t: (array("I", us), array("H", [u % 7 + 1 for u in us]))
                 for t, us in start.items()}
        kept = _Lists(*_Lists.flatten({t: (array("I", u), array("H", f))
                                       for t, (u, f) in plain.items()}))
        for what, a, b in ops:
            if what == "insert":
                for lists in (plain, kept):
                    entry = lists.get(a)
                    if entry is None:
                        entry = lists[a] = (array("I"), array("H"))
                    if b not in entry[0]:
                        i = bisect.bisect_left(entry[0], b)
                        entry[0].insert(i, b)
                        entry[1].insert(i, 3)
            elif what == "delete":
                if a in plain:
                    del plain[a]
                    del kept[a]
                else:
                    with pytest.raises(KeyError):
                        del kept[a]
            elif what == "remove":
                hit = set()
                for t, (us, fs) in plain.items():
                    i = bisect.bisect_left(us, a)
                    j = bisect.bisect_left(us, a + b, i)
                    if i < j:
                        del us[i:j]
                        del fs[i:j]
                        hit.add(t)
                assert kept.remove([(a, a + b)]) == hit
            else:
                kept = pickle.loads(pickle.dumps(_Lists.flatten(kept)))
                kept = _Lists(*kept)
            assert as_dict(kept) == as_dict(plain)
            assert len(kept) == len(plain) and set(kept) == set(plain)
            assert all((t in kept) == (t in plain) for t in "abcdefghijk")

    check()


def test_a_block_of_text_alone_is_read_as_any_other_block(tmp_path) -> None:
    """page_blocks reads a block that holds text alone (most blocks) without walking it: what
    it finds is what the walk finds, for blocks with and without markup inside, spaces and
    line breaks of every kind, and empty blocks (which are left out)."""
    from toolkit.html.search import _block_text, page_blocks

    rng = random.Random(11)
    words = ["Wort", "Zürich", "  ", "\n", "\u00a0", "a\tb", "", "ſchön", "x"]
    inner = ['<span class="pb">[3]</span>', '<i class="hi">kursiv</i>', '<em>so</em>',
             '<span class="rd-o">orig</span>', '<br/>', '<sup class="note-sup">1</sup>']
    body = []
    for n in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
        if rng.random() < 0.4:
            text += rng.choice(inner) + rng.choice(words)
        body.append(f'<p id="b{n}">{text}</p>')
    page = tmp_path / "page.html"
    page.write_text('<html><body><div class="text">' + "".join(body) + "</div></body></html>",
                    encoding="utf-8")
    from lxml import html as lxml_html

    blocks = lxml_html.parse(str(page)).xpath("//p")
    walked = []
    for el in blocks:
        text, alt = _block_text(el, "rd-o", set(blocks))
        if text:
            walked.append({"a": el.get("id"), "t": text, "x": alt})
    found = page_blocks(page)
    assert found == walked
    assert sum(1 for b in found if b["x"]) > 10 and len(found) > 200


def test_a_word_new_to_the_edition_and_gone_again_is_patched_in_and_out(tmp_path) -> None:
    """A word no other document has, added by an edit and taken out by the next: each patched
    index is, byte for byte, the one made from every document (the word is put in its place
    among the kept words, then taken out), and only the edited document is read."""
    docs = generated(n_docs=40, n_registers=3, seed=21)
    kw = {"unit_chars": 6000, "chunk_bytes": 6000, "fragment_bytes": 5000}
    store = tmp_path / "store"
    read: list[int] = []
    versions = dict.fromkeys(range(len(docs)), 0)

    def items():
        return _versioned(docs, versions, read)

    write_index(items(), tmp_path / "0", store=store, **kw)
    doc, blocks = docs[7]
    for n, text in enumerate([blocks[0]["t"] + " Quintessenzwort", blocks[0]["t"]], start=1):
        docs[7] = (doc, [{**blocks[0], "t": text}, *blocks[1:]])
        versions[7] += 1
        read.clear()
        write_index(items(), tmp_path / str(n), store=store, **kw)
        assert read == [7]
        plain = write_plain(docs, tmp_path / f"plain{n}", kw)
        assert _js_files(tmp_path / str(n)) == _js_files(plain)
    assert b"quintessenzwort" in b"".join(_js_files(tmp_path / "1").values())
    assert b"quintessenzwort" not in b"".join(_js_files(tmp_path / "2").values())
