"""The web edition as a whole: index, registers, search index, assets, links and HTML validity.

A small edition (tests/data/html/edition) and the flagship are built the way toolkit/builder/
builds them (``build_site`` below follows the same contract), then crawled: every relative
href/src must exist and every #fragment must be an id in the target page. The Nu Html Checker
(vnu.jar, run with java) checks every page when it is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import require
from lxml import html as lxml_html

from toolkit.errors import ConfigError
from toolkit.html.page import document_facts, documents_for
from toolkit.html.search_index import read_index
from toolkit.html.site import SITE_PAGES, write_site
from toolkit.load import load
from toolkit.project.config import load_project
from toolkit.project.confine import sources
from toolkit.transform import render

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "data" / "html" / "edition"
FLAGSHIP = REPO / "tei" / "wright-1937-international-notes.xml"
BUILD_DATE = "2026-11-25"


def build_site(
    root: Path, out: Path, files: list[Path] | None = None, formats: str = "html"
) -> Path:
    """Build the web edition of the project at ``root`` into ``out`` as toolkit.build does:
    one page per document (+ its TEI copy and facts), then write_site."""
    project = load_project(root)
    shutil.rmtree(out, ignore_errors=True)
    (out / "tei").mkdir(parents=True)
    params = {
        "reading": project.reading,
        "site-title": project.title,
        "build-date": BUILD_DATE,
        "base-url": project.base_url,
        "language": project.language,
        "formats": formats,
    }
    facts = []
    for path in files or project.tei_files():
        doc, diags = load(path)
        assert doc is not None, diags
        name = path.stem
        page = render(
            doc.tree,
            "html",
            {**params, "source-name": name, "documents": documents_for(doc, sources(project))},
            project,
            path,
        )
        (out / f"{name}.html").write_text(page, encoding="utf-8")
        shutil.copyfile(path, out / "tei" / f"{name}.xml")
        facts.append(json.loads(json.dumps(document_facts(doc, project, name=name))))
    write_site(project, facts, out, params)
    return out


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    return build_site(SAMPLE, tmp_path_factory.mktemp("sample") / "html")


@pytest.fixture(scope="module")
def flagship_site(tmp_path_factory) -> Path:
    if not FLAGSHIP.is_file():
        pytest.skip("the flagship edition is not in tei/ yet")
    return build_site(REPO, tmp_path_factory.mktemp("flagship") / "html", [FLAGSHIP])


def parse(page: Path):
    return lxml_html.parse(str(page)).getroot()


def cls(tag: str, name: str) -> str:
    """XPath for descendants ``tag`` having the class ``name``."""
    return f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


# ------------------------------------------------------------------------------ pages


def test_site_pages_exist(sample_site: Path) -> None:
    for page in SITE_PAGES:
        assert (sample_site / f"{page}.html").is_file(), page
    for asset in (
        "edition.css",
        "edition.js",
        "prefs.js",
        "search.js",
        "search/manifest.js",
        "fonts/OFL.txt",
    ):
        assert (sample_site / "assets" / asset).is_file(), asset


def test_index_lists_documents_with_metadata(sample_site: Path) -> None:
    root = parse(sample_site / "index.html")
    items = root.xpath(cls("li", "doc-item"))
    titles = [i.xpath(cls("h3", "doc-item-title") + "/a")[0].text_content() for i in items]
    assert (
        "A Letter from Baku: On the Purge in the Provinces" in titles
        or "A Letter from Baku" in " ".join(titles)
    )
    letter = next(i for i in items if "Baku" in i.text_content())
    assert letter.xpath(".//a")[0].get("href") == "letter.html"
    assert "A. Correspondent" in letter.text_content()
    assert "27 November 1937" in letter.text_content()
    assert "Socialist Appeal" in letter.text_content()
    # the authority file is listed apart, not as a text
    assert "entities.html" not in [a.get("href") for i in items for a in i.xpath(".//a")]


def test_registers_have_data_and_link_back_to_paragraphs(sample_site: Path) -> None:
    persons = parse(sample_site / "persons.html")
    stalin = persons.get_element_by_id("stalin")
    assert "Joseph Vissarionovich Stalin" in stalin.text_content()
    assert "1878" in stalin.text_content() and "General Secretary" in stalin.text_content()
    assert stalin.xpath('.//a[@href="https://www.wikidata.org/wiki/Q855"]')
    links = [a.get("href") for a in stalin.xpath(cls("a", "mention"))]
    assert links == ["letter.html#p-first"]
    # data from another file of the edition (entities.xml#balitsky)
    balitsky = persons.get_element_by_id("balitsky")
    assert "Vsevolod Apollonovich Balitsky" in balitsky.text_content()
    assert "1892" in balitsky.text_content()
    # the figurative use: named under Yezhov, meant under Balitsky, both ways linked
    yezhov = persons.get_element_by_id("yezhov")
    assert "used figuratively for" in yezhov.text_content()
    assert yezhov.xpath('.//a[@href="persons.html#balitsky"]')
    assert "referred to figuratively as" in balitsky.text_content()
    places = parse(sample_site / "places.html")
    baku = [a.get("href") for a in places.get_element_by_id("baku").xpath(cls("a", "mention"))]
    assert baku and all(h.startswith("letter.html#") for h in baku)
    orgs = parse(sample_site / "organisations.html")
    assert "NKVD" in orgs.get_element_by_id("nkvd").text_content()


def test_registers_sorted_with_letter_navigation(sample_site: Path) -> None:
    persons = parse(sample_site / "persons.html")
    names = [h.text_content() for h in persons.xpath(cls("article", "entry") + "/h3")]
    assert names.index("Nikolai Yezhov") > names.index("Joseph Vissarionovich Stalin"), (
        "persons are sorted by surname where the name is tagged so (Yezhov under Y)"
    )


def search_index(site: Path) -> dict:
    """The search index read back whole: the documents (``docs``, as the page gets them) and
    every block with its document's number ``d``."""
    data = read_index(site / "assets" / "search")
    docs: dict[int, dict] = {}
    blocks = []
    for unit in data["units"]:
        docs.setdefault(unit["d"], {k: unit[k] for k in ("u", "t", "m", "r") if k in unit})
        blocks += [{"d": unit["d"], "a": a, "t": t, "x": x} for a, t, x in unit["b"]]
    return {"docs": [docs[d] for d in sorted(docs)], "blocks": blocks}


def test_search_index(sample_site: Path) -> None:
    data = search_index(sample_site)
    docs = {d["u"] for d in data["docs"]}
    assert "letter.html" in docs and "entities.html" not in docs
    letter = [b for b in data["blocks"] if data["docs"][b["d"]]["u"] == "letter.html"]
    text = " ".join(b["t"] for b in letter)
    assert "Azerbaijan" in text and "Balitsky" in text
    assert any("Azarbeidjan" in b["x"] for b in letter), "the other reading is searchable too"
    assert "AzarbeidjanAzerbaijan" not in text
    assert all(b["a"] for b in letter)


def test_search_text_keeps_the_parts_of_a_note_apart(flagship_site: Path) -> None:
    """A note's number, its label and its paragraphs stand side by side in the HTML without
    whitespace; in the search text they are separate words."""
    notes = [b["t"] for b in search_index(flagship_site)["blocks"]
             if b["t"].startswith("19 ")]
    assert notes and notes[0].startswith("19 Editorial note · the teikit editors False on both")
    assert not any("editorsFalse" in b["t"] for b in search_index(flagship_site)["blocks"])


def test_build_puts_the_search_index_together_from_blocks_kept_with_each_page(
    sample_site: Path, tmp_path: Path, monkeypatch
) -> None:
    """The build's workers keep each page's search blocks in the cache; the parent only joins
    them (it never parses a page again) and gets the same index as from the pages."""
    from toolkit.builder import BuildOptions, build
    from toolkit.html import search

    edition = tmp_path / "edition"
    shutil.copytree(SAMPLE, edition)
    parse_page, keep_blocks = search.page_blocks, search.write_page_blocks
    in_worker = []

    def kept_by_the_worker(*args, **kwargs):
        in_worker.append(True)
        try:
            return keep_blocks(*args, **kwargs)
        finally:
            in_worker.pop()

    def parse_only_in_the_worker(page, reading="normalised"):
        assert in_worker, f"the search index parsed {page} again"
        return parse_page(page, reading)

    monkeypatch.setattr(search, "write_page_blocks", kept_by_the_worker)
    monkeypatch.setattr(search, "page_blocks", parse_only_in_the_worker)
    project = load_project(edition)
    build(project, BuildOptions(formats=["html"], jobs=1, validate=False, build_date=BUILD_DATE))
    built = project.output_dir / "html" / "assets" / "search"
    assert read_index(built) == read_index(sample_site / "assets" / "search")
    # the workers also kept the terms of each page's units, which the index was made from
    from toolkit.project.paths import project_cache

    kept = list(project_cache(project).rglob("search-terms.json"))
    assert len(kept) == len(list(project.tei_files())), kept


def test_write_site_refuses_a_document_named_like_a_site_page(tmp_path: Path) -> None:
    facts = [{"name": "persons", "kind": "text", "title": "Persons", "mentions": []}]
    with pytest.raises(ConfigError, match="persons.html"):
        write_site(None, facts, tmp_path, {"site-title": "x"})


# ----------------------------------------------------------------------- links resolve


def _crawl(site: Path) -> list[str]:
    problems = []
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = set(parse(page).xpath("//@id"))
        return ids[page]

    for page in sorted(site.glob("*.html")):
        root = parse(page)
        for el in root.xpath("//*[@href or @src]"):
            url = el.get("href") or el.get("src")
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if el.tag in ("script", "link", "img", "iframe", "source", "video", "audio"):
                    problems.append(f"{page.name}: loads from the network: {url}")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                if parts.path.startswith("../text/") or parts.path.startswith("../pdf/"):
                    continue  # other formats' folders; not built in this test
                problems.append(f"{page.name}: missing {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in ids_of(target):
                    problems.append(f"{page.name}: no #{parts.fragment} in {target.name}")
    return problems


def test_every_internal_link_resolves(sample_site: Path) -> None:
    assert _crawl(sample_site) == []


def test_every_internal_link_resolves_flagship(flagship_site: Path) -> None:
    assert _crawl(flagship_site) == []


def test_every_mention_anchor_exists(sample_site: Path) -> None:
    """Property: each register link points at an element of the document page."""
    for register in ("persons", "places", "organisations"):
        for a in parse(sample_site / f"{register}.html").xpath(cls("a", "mention")):
            page, _, frag = a.get("href").partition("#")
            assert frag in set(parse(sample_site / page).xpath("//@id")), a.get("href")


# ------------------------------------------------------------------------- validity


def vnu_jar() -> Path | None:
    candidates = [os.environ.get("VNU_JAR", "")]
    for base in (
        REPO,
        Path.home(),
        Path("/usr/local/lib"),
        Path("/usr/lib"),
    ):
        candidates.append(str(base / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))
    try:
        npm_root = subprocess.run(
            ["npm", "root", "-g"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
        candidates.append(f"{npm_root}/vnu-jar/build/dist/vnu.jar")
    except (OSError, subprocess.TimeoutExpired):
        pass
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


def run_vnu(pages: list[Path]) -> list[str]:
    jar = vnu_jar()
    if jar is None or shutil.which("java") is None:
        require(False, "the Nu Html Checker is not installed (npm install vnu-jar; needs java)")
    proc = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(urlsplit(m.get('url', '')).path).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]


def test_pages_are_valid_html(sample_site: Path, flagship_site: Path) -> None:
    pages = sorted(sample_site.glob("*.html")) + sorted(flagship_site.glob("*.html"))
    assert run_vnu(pages) == []


def test_pages_have_lang_title_and_landmarks(sample_site: Path) -> None:
    for page in sample_site.glob("*.html"):
        root = parse(page)
        assert root.get("lang"), page.name
        assert root.findtext(".//title").strip(), page.name
        for landmark in ("header", "nav", "main", "footer"):
            assert root.findall(f".//{landmark}"), f"{page.name}: no <{landmark}>"
        assert len(root.findall(".//h1")) == 1, page.name
        assert root.xpath('.//meta[@name="viewport"]'), page.name


def test_no_script_or_style_from_elsewhere(sample_site: Path) -> None:
    for page in sample_site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', text), page.name
    css = (sample_site / "assets" / "edition.css").read_text(encoding="utf-8")
    assert not re.search(r"url\((['\"]?)(https?:)?//", css)
    assert "@import" not in css


def test_the_store_keeps_what_each_entity_is_mentioned_by_across_changes() -> None:
    """Store.mentioned() keeps each entity's count and a digest of its documents' digests,
    made again only for the entities of documents put or dropped since: after any sequence of
    puts and drops it is what counting every mention anew gives."""
    import hashlib
    import random

    from toolkit.html.store import Store

    def counted(store: Store) -> dict:
        rows = store.db.execute(
            "SELECT eid, type, count(*), group_concat(digest, ',') FROM (SELECT de.eid, "
            "de.type, d.digest FROM doc_entities de JOIN docs d ON d.name = de.doc "
            "ORDER BY de.eid, de.type, de.doc) GROUP BY eid, type")
        return {(e, t): (n, hashlib.sha256(ds.encode()).hexdigest()) for e, t, n, ds in rows}

    rng = random.Random(5)
    store = Store(":memory:")
    docs = [f"d{i}" for i in range(30)]
    for step in range(300):
        doc = rng.choice(docs)
        if rng.random() < 0.2:
            store.drop_docs(set(docs) - {doc})
        else:
            mentions = [{"eid": f"e{rng.randint(0, 12)}", "type": rng.choice(["person", "place"]),
                         "anchor": f"a{k}", "text": rng.choice(["Anna", "Bern", "Zug"])}
                        for k in range(rng.randint(0, 6))]
            store.put_mentions(doc, f"entry-{step}", mentions, title=f"T{step % 4}")
        if step % 7 == 0 or step == 299:
            assert store.mentioned() == counted(store), step
    assert store.mentioned()  # the sequence left mentions to count


def test_a_mention_with_no_text_of_its_own_is_listed_in_its_register(tmp_path) -> None:
    """A name element with nothing written in it (``<persName ref="#wright"/>``) still points
    to its entry: the persons' register is written and lists the mention (found by the
    command-line fuzz test: the register's page failed, "an empty sequence is not allowed as
    the first argument of tk:quoted()")."""
    from toolkit.builder import BuildOptions, build

    (tmp_path / "tei").mkdir()
    (source,) = (REPO / "tei").glob("*.xml")
    text = source.read_text(encoding="utf-8")
    written = '<docAuthor><persName ref="#wright">J.G. Wright</persName>'
    assert written in text  # the byline, in the text
    (tmp_path / "tei" / source.name).write_text(
        text.replace(written, '<docAuthor><persName ref="#wright"/>'), encoding="utf-8")
    build(load_project(tmp_path), BuildOptions(formats=["html"], validate=False,
                                               build_date="2026-01-01"))
    page = lxml_html.parse(str(tmp_path / "output" / "html" / "persons.html"))
    links = [a.get("href") for a in page.iter("a") if "mention" in (a.get("class") or "")]
    assert any(h.startswith(source.stem + ".html") for h in links)
