"""Search at scale: generate an edition of letters, build its web edition, and measure in
Chromium, from file://, what the search page loads for the first query and how long it takes.

    python bench/search_scale.py                       # 5,000 letters in /tmp/teikit-search
    python bench/search_scale.py --letters 500 --write # and write bench/RESULTS.md's section

Letters are made of real paragraphs (the shared corpora's ELTeC novels, GerDraCor plays and the
Escher letters, ../shared/corpora), a run of consecutive paragraphs of one source per letter,
with a few per cent of the words in a historical-looking spelling, abbreviations as
choice/abbr/expan (the other reading) and names pointing into a register of persons and places
(the Escher people.xml and places.xml): a vocabulary that grows as a real edition's does.

Each query runs in a fresh browser context (a cold cache: a first query). Measured: the bytes
of every file the page loaded (HTML, CSS, fonts, scripts and index files, sizes on disk), the
index files alone (and gzipped, as a server would send them), and the time from typing to the
results shown (the page's own measure, without the input's debounce). For comparison, the size
of the single index file the toolkit wrote before (every page's text in one script, which the
search page loaded whole) is computed from the same blocks.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
#: ../shared/corpora beside the repository; from a git worktree (../wt/NAME) the nearest above
CORPORA = next((p / "shared" / "corpora" for p in REPO.parents
                if (p / "shared" / "corpora").is_dir()), REPO.parent / "shared" / "corpora")
TEI_NS = "{http://www.tei-c.org/ns/1.0}"
QUERIES = ["und", "geesundheit", "zür", "s", "Zürich Bern", '"lieber Freund"', "Freund",
           "xyzzyq"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_VARIANTS = [("th", "t"), ("ei", "ey"), ("ä", "ae"), ("ü", "ue"), ("ö", "oe"), ("c", "k"),
             ("k", "ck"), ("ss", "ß"), ("i", "y"), ("u", "v"), ("t", "tt"), ("e", "ee")]
_ABBR = {"und": "u.", "oder": "od.", "Herrn": "Hrn.", "and": "&amp;", "the": "ye",
         "which": "wch", "your": "yr"}
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]


def _text(el) -> str:
    return _SPACE.sub(" ", "".join(el.itertext())).strip()


def sources() -> list[list[str]]:
    """Each source file of the shared corpora as its list of paragraph texts."""
    files = sorted((CORPORA / "bulk").rglob("*.xml"))
    files += sorted((CORPORA / "variety" / "escher-briefe").glob("K_*.xml"))
    out = []
    for f in files:
        try:
            body = etree.parse(str(f)).find(f".//{TEI_NS}body")
        except etree.XMLSyntaxError:
            continue
        if body is None:
            continue
        paras = [p for p in (_text(p) for p in body.iter(f"{TEI_NS}p", f"{TEI_NS}l"))
                 if len(p) > 20]
        if len(paras) > 20:
            out.append(paras)
    return out


def register() -> list[tuple[str, str, str, str]]:
    """(kind, id, name, note) of the Escher persons and places."""
    out = []
    esc = CORPORA / "variety" / "escher-briefe"
    for kind, fname, tag, name_tag in (("person", "people.xml", "person", "persName"),
                                       ("place", "places.xml", "place", "placeName")):
        for el in etree.parse(str(esc / fname)).iter(f"{TEI_NS}{tag}"):
            name_el = el.find(f"{TEI_NS}{name_tag}")
            name = _text(name_el) if name_el is not None else ""
            if name:
                note = " ".join(_text(n) for n in el.iter(f"{TEI_NS}note", f"{TEI_NS}occupation"))
                out.append((kind, f"{kind[:2]}{len(out)}", name, note[:300]))
    return out


def _paragraph(text: str, rng: random.Random, people: list, places: list) -> str:
    """A paragraph's TEI: spelling variants, abbreviations (choice) and a name or two."""
    def word(m: re.Match) -> str:
        w = m.group(0)
        if w in _ABBR and rng.random() < 0.3:
            return f"<choice><abbr>{_ABBR[w]}</abbr><expan>{w}</expan></choice>"
        if len(w) > 3 and rng.random() < 0.03:
            a, b = rng.choice(_VARIANTS)
            return w.replace(a, b, 1)
        return w
    out = _WORD.sub(word, escape(text).replace("&amp;", "&#38;"))
    if rng.random() < 0.2:
        _k, pid, name, _n = rng.choice(people)
        out += f' <persName ref="register.xml#{pid}">{escape(name)}</persName>.'
    if rng.random() < 0.1:
        _k, pid, name, _n = rng.choice(places)
        out += f' <placeName ref="register.xml#{pid}">{escape(name)}</placeName>.'
    return out


def generate(folder: Path, letters: int, kb: float, seed: int = 1836) -> dict:
    """Write the edition (teikit.toml, tei/L00000.xml ..., tei/register.xml)."""
    rng = random.Random(seed)
    texts = sources()
    entries = register()
    people = [e for e in entries if e[0] == "person"]
    places = [e for e in entries if e[0] == "place"]
    tei = folder / "tei"
    tei.mkdir(parents=True, exist_ok=True)
    (folder / "teikit.toml").write_text(
        'title = "Generated letters"\nformats = ["html"]\nsources = "tei/*.xml"\n'
        'language = "de"\n', encoding="utf-8")
    total = 0
    for i in range(letters):
        src = rng.choice(texts)
        target = rng.lognormvariate(0, 0.6) * kb * 1000 * 0.85
        k = rng.randrange(len(src))
        sender, addressee = rng.choice(people)[2], rng.choice(people)[2]
        place = rng.choice(places)[2]
        year, month, day = rng.randint(1830, 1882), rng.randint(1, 12), rng.randint(1, 28)
        date = f"{day}. {MONTHS[month - 1]} {year}"
        paras, size = [], 0
        while size < target:
            text = src[k % len(src)]
            paras.append(f'<p xml:id="L{i}_p{len(paras) + 1}">'
                         f"{_paragraph(text, rng, people, places)}</p>")
            size += len(text)
            k += 1
        total += size
        title = escape(f"{sender} an {addressee}, {place}, {date}")
        (tei / f"L{i:05}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
            f"<teiHeader><fileDesc><titleStmt><title>{title}</title><author>{escape(sender)}"
            "</author></titleStmt><publicationStmt><p>Generated for bench/search_scale.py."
            "</p></publicationStmt><sourceDesc><p>Paragraphs of the shared corpora.</p>"
            f"</sourceDesc></fileDesc></teiHeader><text><body><div><opener><dateline>"
            f'{escape(place)}, <date when="{year}-{month:02}-{day:02}">{date}</date>'
            f"</dateline></opener>{''.join(paras)}</div></body></text></TEI>\n",
            encoding="utf-8")
    lists = []
    for kind, tag, name_tag in (("person", "listPerson", "persName"),
                                ("place", "listPlace", "placeName")):
        items = "".join(f'<{kind} xml:id="{pid}"><{name_tag}>{escape(name)}</{name_tag}>'
                        + (f"<note>{escape(note)}</note>" if note else "") + f"</{kind}>"
                        for k, pid, name, note in entries if k == kind)
        lists.append(f"<{tag}>{items}</{tag}>")
    (tei / "register.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">'
        "<teiHeader><fileDesc><titleStmt><title>Register</title></titleStmt><publicationStmt>"
        "<p>Generated.</p></publicationStmt><sourceDesc><p>Escher people and places.</p>"
        f"</sourceDesc></fileDesc></teiHeader><standOff>{''.join(lists)}</standOff></TEI>\n",
        encoding="utf-8")
    tei_bytes = sum(f.stat().st_size for f in tei.glob("*.xml"))
    return {"letters": letters, "entries": len(entries), "text_mb": total / 1e6,
            "tei_mb": tei_bytes / 1e6}


def build(folder: Path) -> dict:
    """Build the web edition (no validation: the benchmark is about the search)."""
    t0 = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).with_name("teikit")), "build", str(folder),
                           "--no-validate", "--jobs", "2"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return {"build_s": wall, "children_peak_mb":
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


_TIMING = """
import json, resource, sys, tempfile, time
from pathlib import Path
from toolkit.html.search import _cached_terms
from toolkit.html.search_index import write_index
files, with_terms = sys.argv[1:-1], sys.argv[-1] == "terms"
def docs():
    for f in files:
        blocks = json.loads(Path(f).read_text(encoding="utf-8"))
        yield {"u": f, "t": "", "m": ""}, blocks, _cached_terms(f) if with_terms else None
t0 = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp:
    write_index(docs(), Path(tmp))
print(json.dumps({"s": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def index_timing(folder: Path) -> dict:
    """The time and peak memory of putting the index together from the blocks the build
    kept, with the terms its workers made, and making the terms here (as without them)."""
    from toolkit.html.search import TERMS_VERSION, terms_file
    from toolkit.html.search_index import js, unit_terms
    from toolkit.project.config import load_project
    from toolkit.project.paths import project_cache

    files = sorted(str(p) for p in project_cache(load_project(folder)).rglob("search.json"))
    out = {}
    # an entry of a build before the workers kept terms gets them as a worker makes them
    t0, made = time.perf_counter(), 0
    for f in files:
        if not terms_file(f).is_file():
            blocks = json.loads(Path(f).read_text(encoding="utf-8"))
            terms_file(f).write_text(js({"v": TERMS_VERSION, "units": unit_terms(blocks)}),
                                     encoding="utf-8")
            made += 1
    out["made"] = {"files": made, "s": time.perf_counter() - t0}
    for mode in ("terms", "text"):
        proc = subprocess.run([sys.executable, "-c", _TIMING, *files, mode], cwd=REPO,
                              capture_output=True, text=True, check=True)
        out[mode] = json.loads(proc.stdout)
    return out


def old_single_index_bytes(html: Path) -> int:
    """The size of the one search-index.js of before: the text of every unit, as JSON (read
    one passage file at a time)."""
    from toolkit.html.search_index import _data

    size = len('window.TEIKIT_SEARCH = {"docs":[],"pages":[],"blocks":[]};\n')
    for f in (html / "assets" / "search" / "f").glob("*.js"):
        for u in _data(f).values():
            doc = {k: u[k] for k in ("u", "t", "m", "r") if k in u}
            blocks = [{"a": a, "t": t, "x": x} for a, t, x in u["b"]]
            size += len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
            size += len(json.dumps(blocks, ensure_ascii=False, separators=(",", ":")).encode())
            size += 2  # the commas
    return size


def measure(html: Path, queries: list[str], shot: Path | None = None) -> list[dict]:
    """Each query in a fresh context from file://: bytes loaded and time to results."""
    from playwright.sync_api import sync_playwright

    index = html / "assets" / "search"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for q in queries:
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            pg = ctx.new_page()
            urls: list[str] = []
            pg.on("request", lambda r, urls=urls: urls.append(r.url))
            pg.goto((html / "search.html").as_uri())
            pg.wait_for_function("window.teikitSearch !== undefined")
            t0 = time.perf_counter()
            pg.fill("#tk-q", q)
            pg.wait_for_function("q => window.teikitSearchLast && window.teikitSearchLast.query"
                                 " === q", arg=q, timeout=120_000)
            wall = time.perf_counter() - t0
            last = pg.evaluate("window.teikitSearchLast")
            files = [index / f for f in last.get("files", [])]
            page_bytes = sum(Path(unquote(urlsplit(u).path)).stat().st_size
                             for u in set(urls) if u.startswith("file:")
                             and Path(unquote(urlsplit(u).path)).is_file())
            summary = pg.text_content(".search-summary") or pg.text_content("#tk-results")
            rows.append({
                "query": q, "summary": (summary or "").strip(), "ms": last.get("ms"),
                "wall_ms": wall * 1000, "files": len(files),
                "index_bytes": sum(f.stat().st_size for f in files),
                "index_gzip": sum(len(gzip.compress(f.read_bytes(), 6)) for f in files),
                "page_bytes": page_bytes, "error": last.get("error"),
            })
            if shot and q == queries[0]:
                pg.screenshot(path=str(shot))
            ctx.close()
        browser.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--letters", type=int, default=5000)
    ap.add_argument("--kb", type=float, default=10.0, help="mean text per letter, kB")
    ap.add_argument("--folder", type=Path, default=Path("/tmp/teikit-search"))
    ap.add_argument("--skip-build", action="store_true", help="measure the last build again")
    ap.add_argument("--write", action="store_true", help="write bench/RESULTS.md's section")
    ap.add_argument("--shot", type=Path, help="a screenshot of the first query's results")
    a = ap.parse_args()
    if not (CORPORA / "bulk").is_dir():
        raise SystemExit(f"no shared corpora at {CORPORA}")
    code = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    corpus: dict = {}
    built: dict = {}
    if not a.skip_build:
        t0 = time.perf_counter()
        corpus = generate(a.folder, a.letters, a.kb)
        corpus["generate_s"] = time.perf_counter() - t0
        print(json.dumps(corpus))
        built = build(a.folder)
        print(json.dumps(built))
        (a.folder / "bench.json").write_text(json.dumps({"corpus": corpus, "built": built}))
    elif (a.folder / "bench.json").is_file():  # the figures of the build measured again
        kept = json.loads((a.folder / "bench.json").read_text())
        corpus, built = kept["corpus"], kept["built"]
    html = a.folder / "output" / "html"
    index = html / "assets" / "search"
    files = [f for f in index.rglob("*.js")]
    sizes = {sub: [f.stat().st_size for f in (index / sub).glob("*.js")] for sub in "tpf"}
    timing = index_timing(a.folder)  # first: a child's peak memory starts from this one's
    facts = {
        "manifest_kb": (index / "manifest.js").stat().st_size / 1000,
        "files": len(files), "total_mb": sum(f.stat().st_size for f in files) / 1e6,
        "largest_term_kb": max(sizes["t"], default=0) / 1000,
        "largest_prefix_kb": max(sizes["p"], default=0) / 1000,
        "largest_fragment_kb": max(sizes["f"], default=0) / 1000,
        "counts": {k: len(v) for k, v in sizes.items()},
        "old_index_mb": old_single_index_bytes(html) / 1e6,
    }
    facts["index"] = timing
    print(json.dumps(facts))
    rows = measure(html, QUERIES, a.shot)
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    if a.write:
        write_results(a, code, corpus, built, facts, rows)


def write_results(a, code: str, corpus: dict, built: dict, facts: dict, rows: list) -> None:
    load = os.getloadavg()[0]
    lines = [
        "## Search at scale", "",
        f"Command: `python bench/search_scale.py --letters {a.letters} --write`", "",
        f"Code: {code}. Machine: 2 cores, shared (load average {load:.1f} at the end); times "
        "are one run each, noisy.", "",
    ]
    if corpus:
        lines += [
            f"Edition: {corpus['letters']:,} generated letters ({corpus['tei_mb']:.0f} MB of TEI, "
            f"{corpus['text_mb']:.0f} MB of text) and a register of {corpus['entries']:,} persons "
            f"and places; `teikit build --no-validate --jobs 2` (html only): "
            f"{built['build_s']:.0f} s.", ""]
    lines += [
        f"Index: {facts['files']:,} files, {facts['total_mb']:.1f} MB in all "
        f"({facts['counts']['t']} term files of at most {facts['largest_term_kb']:.0f} kB, "
        f"{facts['counts']['p']} prefix lists of at most {facts['largest_prefix_kb']:.0f} kB, "
        f"{facts['counts']['f']:,} passage files of at most "
        f"{facts['largest_fragment_kb']:.0f} kB); "
        f"the manifest every search page loads: {facts['manifest_kb']:.1f} kB. The single "
        f"index of before, the same text in one script the page loaded whole: "
        f"**{facts['old_index_mb']:.1f} MB**.", "",
        f"Putting the index together (the build's last stage, one process): "
        f"{facts['index']['terms']['s']:.1f} s and {facts['index']['terms']['peak_mb']:.0f} MB "
        f"peak from the terms the workers made; {facts['index']['text']['s']:.1f} s and "
        f"{facts['index']['text']['peak_mb']:.0f} MB where it makes them itself"
        + (f" (the workers' share, the terms of {facts['index']['made']['files']:,} pages "
           f"made in one process: {facts['index']['made']['s']:.0f} s)"
           if facts['index']['made']['files'] else "") + ".", "",
        "First query in a fresh Chromium context, from `file://` (HTTP serves the same files):",
        "",
        "| query | results | index files | index kB (gzip) | page kB in all | ms | "
        "ratio to the old index |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ratio = r["page_bytes"] / (facts["old_index_mb"] * 1e6)
        lines.append(
            f"| `{r['query']}` | {r['summary']} | {r['files']} | "
            f"{r['index_bytes'] / 1000:.0f} ({r['index_gzip'] / 1000:.0f}) | "
            f"{r['page_bytes'] / 1000:.0f} | {r['ms']:.0f} | {ratio:.3f} |")
    lines += ["", "\"page kB in all\" counts every file the page loaded (HTML, CSS, fonts, "
              "scripts, index); the old index's size alone was what the old page loaded "
              "before the first query could run.", ""]
    results = REPO / "bench" / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    section = "\n".join(lines)
    if "## Search at scale" in text:
        text = re.sub(r"## Search at scale\n.*?(?=\n## |\Z)", lambda m: section.rstrip("\n"),
                      text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
