"""The web edition in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
Playwright, opening the built pages from file:// as a reader would.

Reading level switch (and that it is remembered), note popovers from the keyboard, entity cards
on focus, register → paragraph, offline search, no network request, axe-core accessibility
checks, and screenshots of every page type at phone and desktop widths (tests/artifacts/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, require
from test_site import FLAGSHIP, REPO, SAMPLE, build_site

ARTIFACTS = REPO / "tests" / "artifacts"
ARGS = CHROMIUM_ARGS
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}

require(CHROMIUM.exists(),
        "Debian's Chromium (/usr/bin/chromium) is not installed: apt-get install chromium")
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The sample edition and the flagship, built into one site."""
    out = tmp_path_factory.mktemp("browser") / "html"
    files = sorted((SAMPLE / "tei").glob("*.xml"))
    if FLAGSHIP.is_file():
        # one site holding both: the flagship beside the samples
        root = tmp_path_factory.mktemp("project")
        shutil.copytree(SAMPLE, root, dirs_exist_ok=True)
        shutil.copyfile(FLAGSHIP, root / "tei" / FLAGSHIP.name)
        return build_site(root, out)
    return build_site(SAMPLE, out, files)


@pytest.fixture
def page(browser):
    """A page that fails the test on any request that is not file:// (no network) and on any
    script error."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.requests_elsewhere = []
    pg.errors = []
    pg.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("file://", "data:", "about:"))
            else pg.requests_elsewhere.append(r.url)
        ),
    )
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    assert pg.requests_elsewhere == [], "the edition made network requests"
    assert pg.errors == [], "script errors"
    ctx.close()


def url(site: Path, name: str, frag: str = "") -> str:
    return (site / f"{name}.html").as_uri() + (f"#{frag}" if frag else "")


def main_doc(site: Path) -> str:
    return FLAGSHIP.stem if (site / f"{FLAGSHIP.stem}.html").exists() else "letter"


def test_reading_switch_and_it_is_remembered(site: Path, page) -> None:
    doc = main_doc(site)
    page.goto(url(site, doc))
    choice = page.locator(".choice", has_text="Azerbaijan").first
    assert choice.inner_text() == "Azerbaijan"
    page.get_by_label("Original").check()
    assert choice.inner_text() == "Azarbeidjan"
    # remembered on another page and back
    page.goto(url(site, "letter" if doc != "letter" else "miscellany"))
    assert "reading-original" in page.evaluate("document.documentElement.className")
    page.go_back()
    page.wait_for_load_state()
    choice = page.locator(".choice", has_text="Azarbeidjan").first
    assert choice.inner_text() == "Azarbeidjan"
    assert page.get_by_label("Original").is_checked()
    page.get_by_label("Normalised").check()
    assert page.locator(".choice", has_text="Azerbaijan").first.inner_text() == "Azerbaijan"
    page.reload()
    assert page.get_by_label("Normalised").is_checked()


def test_other_reading_shown_on_hover_and_focus(site: Path, page) -> None:
    page.goto(url(site, "letter"))
    choice = page.locator(".text .choice:not(a .choice)", has_text="becomes").first
    choice.hover()
    tip = page.locator("#tk-tip")
    assert tip.is_visible() and "become" in tip.inner_text()
    page.mouse.move(0, 0)
    choice.focus()
    assert tip.is_visible() and "As printed" in tip.inner_text()


def test_note_popover_from_the_keyboard(site: Path, page) -> None:
    page.goto(url(site, "letter"))
    marker = page.locator("a.note-ref").first
    # Tab until the first note marker has the focus
    for _ in range(80):
        page.keyboard.press("Tab")
        if marker.evaluate("m => m === document.activeElement"):
            break
    else:
        pytest.fail("the note marker cannot be reached with Tab")
    page.keyboard.press("Enter")
    popover = page.locator("#tk-popover")
    assert popover.is_visible()
    assert "reported in no other source" in popover.inner_text()
    assert marker.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert popover.count() == 0
    assert marker.evaluate("m => m === document.activeElement")
    page.keyboard.press(" ")
    assert page.locator("#tk-popover").is_visible()
    page.keyboard.press("Escape")


def test_notes_link_both_ways(site: Path, page) -> None:
    page.goto(url(site, "letter"))
    back = page.locator(".notes .note-num").first
    back.click()
    assert page.evaluate("location.hash") == "#tk-nref-1"


def test_entity_card_on_focus(site: Path, page) -> None:
    page.goto(url(site, "letter"))
    page.locator("a.ent", has_text="Stalin").first.focus()
    tip = page.locator("#tk-tip")
    assert tip.is_visible()
    assert "Joseph Vissarionovich Stalin" in tip.inner_text()
    assert "1878–1953" in tip.inner_text()
    # a figurative use shows the name used and who is meant
    page.locator("a.ent-fig").first.focus()
    text = tip.inner_text()
    assert "Yezhov" in text and "Balitsky" in text and "figuratively" in text


def test_highlight_entities_toggle(site: Path, page) -> None:
    page.goto(url(site, "letter"))
    ent = page.locator("a.ent-person").first
    before = ent.evaluate("e => getComputedStyle(e).backgroundColor")
    page.get_by_label("Highlight entities").check()
    after = ent.evaluate("e => getComputedStyle(e).backgroundColor")
    assert before != after
    style = page.locator("a.ent-place").first.evaluate(
        "e => getComputedStyle(e).textDecorationStyle"
    )
    assert style == "dashed", "places differ from persons by more than colour"
    assert page.locator(".legend").is_visible()
    page.get_by_label("Highlight entities").uncheck()


def test_register_links_back_to_the_paragraph(site: Path, page) -> None:
    page.goto(url(site, "persons", "stalin"))
    link = page.locator("#stalin a.mention").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    doc, _, frag = href.partition("#")
    assert page.url.endswith(f"{doc}#{frag}")
    target = page.locator(f"[id='{frag}']")
    assert target.is_visible()
    assert "Stalin" in target.inner_text()


def test_search_finds_balitsky(site: Path, page) -> None:
    page.goto(url(site, "search"))
    page.get_by_label("Search the edition").fill("Balitsky")
    results = page.locator("#tk-results .result")
    results.first.wait_for()
    hrefs = page.locator("#tk-results a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any(h.startswith(f"{main_doc(site)}.html#") for h in hrefs), hrefs
    assert page.locator("#tk-results mark", has_text="Balitsky").count() > 0
    # accents and case do not matter; nothing found says so
    page.get_by_label("Search the edition").fill("AZERBAIJAN")
    results.first.wait_for()
    page.get_by_label("Search the edition").fill("xyzzyq")
    page.wait_for_timeout(300)
    assert "Nothing found" in page.locator("#tk-results").inner_text()


def test_without_javascript(site: Path, browser) -> None:
    """No script: the default reading shows, the other is in the title attribute, the options
    that need a script are hidden, and notes are plain links to the notes section."""
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(url(site, "letter"))
    choice = pg.locator(".choice", has_text="Azerbaijan").first
    assert choice.inner_text() == "Azerbaijan"
    assert "Azarbeidjan" in choice.get_attribute("title")
    assert not pg.locator(".toolbar").is_visible()
    assert pg.locator("#tk-cite-text").is_visible()
    pg.locator("a.note-ref").first.click()
    assert pg.evaluate("location.hash").startswith("#tk-p")
    ctx.close()


@pytest.mark.parametrize("name", ["document", "persons", "search", "miscellany"])
def test_no_horizontal_scrolling_on_a_phone(site: Path, browser, name: str) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(url(site, main_doc(site) if name == "document" else name))
    overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ctx.close()
    assert overflow <= 0


PAGE_TYPES = {
    "document": lambda site: main_doc(site),
    "letter": lambda site: "letter",
    "miscellany": lambda site: "miscellany",
    "index": lambda site: "index",
    "persons": lambda site: "persons",
    "places": lambda site: "places",
    "organisations": lambda site: "organisations",
    "search": lambda site: "search",
}


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_accessibility_axe(site: Path, page, kind: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url(site, PAGE_TYPES[kind](site)))
    if kind == "search":
        page.get_by_label("Search the edition").fill("Stalin")
        page.locator("#tk-results .result").first.wait_for()
    if kind == "document":
        page.get_by_label("Highlight entities").check()
    results = Axe().run(page)
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]
    if kind == "document":
        page.get_by_label("Highlight entities").uncheck()
    assert violations == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots(site: Path, browser, width: str) -> None:
    """A picture of each page type at phone and desktop widths, for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    pg = ctx.new_page()
    shots = {
        "document": (main_doc(site), ""),
        "document-notes": (main_doc(site), "tk-notes"),
        "letter": ("letter", ""),
        "miscellany": ("miscellany", ""),
        "index": ("index", ""),
        "persons": ("persons", ""),
        "places": ("places", ""),
        "search": ("search", ""),
    }
    for kind, (name, frag) in shots.items():
        pg.goto(url(site, name, frag))
        if kind == "search":
            pg.get_by_label("Search the edition").fill("Stalin")
            pg.locator("#tk-results .result").first.wait_for()
        pg.wait_for_timeout(150)
        out = ARTIFACTS / f"{kind}-{width}.png"
        pg.screenshot(path=str(out))
        assert out.stat().st_size > 5000
    # a document with the popover open and entities highlighted
    pg.goto(url(site, main_doc(site)))
    pg.get_by_label("Highlight entities").check()
    marker = pg.locator("a.note-ref").nth(1)
    marker.scroll_into_view_if_needed()
    marker.click()
    pg.screenshot(path=str(ARTIFACTS / f"document-popover-{width}.png"))
    pg.get_by_label("Highlight entities").uncheck()
    ctx.close()
