"""The search page in headless Chromium, from file:// and served by a plain HTTP server: ranked
results with the matching passage marked, a word's beginning, a phrase, accents, nothing found,
the keyboard; on a generated edition, the counts the page gives against brute force and what a
first query loads against the bound the chunk sizes set.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from test_browser import ARTIFACTS, WIDTHS
from test_search import brute_units, generated
from test_site import SAMPLE, build_site

from toolkit.html.search_index import MAX_PREFIX_CHUNKS, write_index
from toolkit.html.terms import tokens

pytestmark = pytest.mark.browser

#: the generated edition's file sizes: small, so that it has many files of each kind
SMALL = {"unit_chars": 6000, "chunk_bytes": 6000, "fragment_bytes": 5000}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return build_site(SAMPLE, tmp_path_factory.mktemp("search") / "html")


@pytest.fixture(scope="module")
def big(sample, tmp_path_factory) -> tuple[Path, list]:
    """The sample site's pages with the index of a generated edition of 400 documents."""
    site = tmp_path_factory.mktemp("generated") / "html"
    shutil.copytree(sample, site)
    docs = generated()
    write_index(iter(docs), site / "assets" / "search", **SMALL)
    return site, docs


@pytest.fixture(scope="module", params=["file", "http"])
def served(request, sample, big):
    """How the sites are opened: from file://, or from python -m http.server."""
    if request.param == "file":
        yield lambda site: site.as_uri()
        return
    root = sample.parent.parent
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                             "127.0.0.1", "-d", str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield lambda site: f"http://127.0.0.1:{port}/" + quote(str(site.relative_to(root)))
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.requests = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    # a file that is missing (the browser's own favicon.ico request aside) is an error
    pg.on("response", lambda r: pg.errors.append(f"{r.status} {r.url}")
          if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    yield pg
    assert pg.errors == [], "script errors"
    ctx.close()


def search(pg, base: str, query: str) -> dict:
    """Open the search page at ``base``, type ``query`` and wait for its results."""
    if not pg.url.startswith(base):
        pg.goto(base + "/search.html")
    pg.get_by_label("Search the edition").fill(query)
    pg.wait_for_function("q => window.teikitSearchLast && window.teikitSearchLast.query === q",
                         arg=query, timeout=20_000)
    last = pg.evaluate("window.teikitSearchLast")
    assert not last.get("error"), last
    return last


def marks(pg) -> list[str]:
    return pg.locator("#tk-results .result-hits mark").all_inner_texts()


# ------------------------------------------------------------------------ the sample site


def test_a_word_gives_ranked_results_with_the_passage_marked(sample, served, page) -> None:
    base = served(sample)
    search(page, base, "Balitsky")
    assert page.locator(".search-summary").inner_text() == "1 document, 1 register entry"
    title = page.locator("#tk-results .result-title").nth(1)  # after the register entry
    assert title.inner_text() == "A Letter from Baku"
    passage = page.locator("#tk-results .result-hits a").first
    assert passage.get_attribute("href").startswith("letter.html#")
    assert "Balitsky" in marks(page)
    assert page.locator(".search-registers a").inner_text() == "Vsevolod Apollonovich Balitsky"
    # the register entry's link leads to its entry
    assert page.locator(".search-registers a").get_attribute("href") == "persons.html#balitsky"
    # only the index files the query needs were loaded, and nothing from elsewhere
    assert not [u for u in page.requests if not u.startswith(base[:7])]
    assert not [u for u in page.requests if "search-index" in u]


def test_the_last_word_is_also_a_beginning_and_accents_and_case_do_not_matter(
        sample, served, page) -> None:
    base = served(sample)
    search(page, base, "Bali")
    assert "Balitsky" in marks(page)
    search(page, base, "bali ")  # a space after it: the whole word only
    assert page.locator(".search-summary").inner_text().startswith("Nothing found")
    search(page, base, "AZERBAIJAN")
    assert "Azerbaijan" in marks(page)


def test_the_other_reading_is_found_and_said_to_be_one(sample, served, page) -> None:
    search(page, served(sample), "Azarbeidjan")
    other = page.locator("#tk-results .result-other").first
    assert "other reading" in other.inner_text()
    assert other.locator("mark").inner_text() == "Azarbeidjan"


def test_a_phrase_must_stand_together_and_only_it_is_marked(sample, served, page) -> None:
    base = served(sample)
    search(page, base, '"Yezhov of the Ukraine"')
    assert page.locator(".search-summary").inner_text() == "1 document has the phrase."
    assert marks(page)[:4] == ["Yezhov", "of", "the", "Ukraine"]
    search(page, base, '"Ukraine Yezhov"')
    assert page.locator(".search-summary").inner_text().startswith("Nothing found")
    assert page.locator("#tk-results .result").count() == 0


def test_nothing_found_says_so(sample, served, page) -> None:
    search(page, served(sample), "xyzzyq")
    assert page.locator("#tk-results").inner_text() == "Nothing found for “xyzzyq”."


def test_a_query_in_the_address_is_run_and_the_keyboard_reaches_every_result(
        sample, page) -> None:
    page.goto(sample.as_uri() + "/search.html?q=Stalin")
    page.locator("#tk-results .result").first.wait_for()
    box = page.get_by_label("Search the edition")
    assert box.input_value() == "Stalin"
    box.fill("Baku")
    box.press("Enter")  # Enter searches at once, the page stays
    page.wait_for_function("() => window.teikitSearchLast.query === 'Baku'")
    assert page.url.endswith("search.html?q=Stalin")
    box.press("ArrowDown")
    first = page.locator("#tk-results a").first
    assert first.evaluate("a => a === document.activeElement")
    page.keyboard.press("ArrowDown")
    second = page.locator("#tk-results a").nth(1)
    assert second.evaluate("a => a === document.activeElement")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert box.evaluate("b => b === document.activeElement")
    box.press("ArrowDown")
    target = first.get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert unquote(urlsplit(page.url).path).endswith("/" + target.split("#")[0])


def test_screenshots_of_the_search_page(big, browser) -> None:
    """Results for a word and a phrase at phone and desktop widths, for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    site, _docs = big
    for width, (w, h) in WIDTHS.items():
        ctx = browser.new_context(viewport={"width": w, "height": h})
        pg = ctx.new_page()
        pg.goto(site.as_uri() + "/search.html")
        search(pg, site.as_uri(), "Zür")
        pg.screenshot(path=str(ARTIFACTS / f"search-generated-{width}.png"))
        assert pg.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        ctx.close()


# ------------------------------------------------------------------- the generated edition

QUERIES = ["und", "zur", "Zür", "Ber", "lieber Freund", "freund brief zeit", "café", "Œuvre",
           "s", "strasse Reise", "xq"]


@pytest.mark.parametrize("query", QUERIES)
def test_counts_agree_with_brute_force(big, served, page, query) -> None:
    """Documents and register entries having every word (the last also as a beginning), as
    the page counts them and as brute force over the generated edition's units finds them."""
    site, docs = big
    last = search(page, served(site), query)
    words = tokens(query, accented=False)
    found: dict[bool, set[int]] = {True: set(), False: set()}
    for d, register, terms in brute_units(docs, SMALL["unit_chars"]):
        if all(w in terms for w in words[:-1]) and any(t.startswith(words[-1]) for t in terms):
            found[register].add(d)
    assert (last["results"], last["registers"]) == (len(found[False]), len(found[True]))
    shown = page.locator("#tk-results .search-list > .result").count()
    assert shown == min(10, len(found[False]))


def test_a_word_typed_with_accents_ranks_its_accented_matches_first(big, page) -> None:
    site, docs = big
    search(page, site.as_uri(), "Zür")
    first = page.locator("#tk-results .result-hits").first.locator("mark").all_inner_texts()
    assert first and all(m.lower().startswith("zür") for m in first[:1]), first
    search(page, site.as_uri(), "zur")
    assert page.locator("#tk-results .result-hits mark").count() > 0


@pytest.mark.parametrize("query", ["und", "s", "Zür", "lieber Freund", '"lieber Freund"',
                                   "freund brief zeit"])
def test_a_first_query_loads_only_what_the_chunk_sizes_allow(big, served, page, query) -> None:
    """Per word at most MAX_PREFIX_CHUNKS term files, or a prefix list and one term file; then
    the passages of ten results (two units each; 24 documents for a phrase): bounded by the
    file sizes, whatever the edition's, which here is many times more."""
    site, _docs = big
    index = site / "assets" / "search"
    last = search(page, served(site), query)
    sizes = {sub: max(f.stat().st_size for f in (index / sub).glob("*.js")) for sub in "tpf"}
    n_words = len(tokens(query, accented=False))
    docs = 24 if '"' in query else 10
    bound = (n_words * (MAX_PREFIX_CHUNKS * sizes["t"] + sizes["p"])
             + (docs * 2 + 10) * sizes["f"])
    loaded = sum((index / f).stat().st_size for f in last["files"])
    total = sum(f.stat().st_size for f in index.rglob("*.js"))
    assert 0 < loaded <= bound, last["files"]
    assert loaded < total / 4
    assert len(last["files"]) == len(set(last["files"]))


def test_register_entries_and_documents_are_listed_a_page_at_a_time(big, page) -> None:
    site, _docs = big
    last = search(page, site.as_uri(), "s")
    assert last["registers"] > 10 and last["results"] > 20
    entries = page.locator(".search-registers li")
    assert entries.count() == 5
    page.locator(".search-registers .search-more").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.search-registers li').length === 10")
    assert page.evaluate("document.activeElement.closest('li')") is not None
    results = page.locator("#tk-results .search-list > .result")
    assert results.count() == 10
    page.locator(".search-results > .search-more").click()
    # a result's item is there at once, its title once its fragment is loaded: wait for both
    # (a function, not an expression: Playwright polls an expression with eval, which the
    # page's Content-Security-Policy refuses)
    page.wait_for_function(
        "() => document.querySelectorAll('#tk-results .search-list > .result').length === 20 && "
        "document.querySelectorAll('#tk-results .search-list > .result .result-title')"
        ".length === 20")
    titles = results.locator(".result-title").all_inner_texts()
    assert len(set(titles)) == 20, "no document twice"


def test_an_edition_without_text_finds_nothing_and_says_so(sample, tmp_path, page) -> None:
    site = tmp_path / "html"
    shutil.copytree(sample, site)
    write_index(iter([]), site / "assets" / "search")
    search(page, site.as_uri(), "Stalin")
    assert page.locator("#tk-results").inner_text() == "Nothing found for “Stalin”."


def test_a_missing_index_is_said_to_be_missing(sample, tmp_path, page) -> None:
    site = tmp_path / "html"
    shutil.copytree(sample, site)
    shutil.rmtree(site / "assets" / "search")
    page.goto(site.as_uri() + "/search.html")
    assert "index is missing" in page.locator("#tk-results").inner_text()


def test_a_document_found_by_its_title_shows_the_beginning_of_its_text(
        sample, served, page) -> None:
    search(page, served(sample), "Correspondent")  # the letter's author, not in its text
    result = page.locator("#tk-results .search-list > .result").first
    assert result.locator(".result-title").inner_text() == "A Letter from Baku"
    passage = result.locator(".result-hits a").first
    assert passage.get_attribute("href").startswith("letter.html#")
    assert passage.inner_text() and result.locator("mark").count() == 0
