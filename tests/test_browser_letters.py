"""The letters edition (tests/data/letters, built by `teikit build`) in a real browser: going
from letter to letter, cards that show the data of another file, register entries that lead
back to the passage, the index of letters, accessibility, and pictures at phone and desktop
widths (tests/artifacts/letters-*.png).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import ARTIFACTS, CHROMIUM, WIDTHS, page  # noqa: F401
from test_letters import build_letters

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
assert CHROMIUM  # the same Chromium and launch as test_browser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_letters(tmp_path_factory.mktemp("browser-letters") / "edition")


def url(site: Path, name: str, frag: str = "") -> str:
    return (site / f"{name}.html").as_uri() + (f"#{frag}" if frag else "")


def test_from_letter_to_letter(site: Path, page) -> None:  # noqa: F811
    page.goto(url(site, "L00001"))
    page.get_by_role("navigation", name="Letters of the edition").get_by_role(
        "link", name="Next letter").click()
    page.wait_for_load_state()
    assert page.url.endswith("/L00002.html")
    assert page.locator("h1").inner_text() == "Bahr an Schnitzler, Februar 1895"
    page.get_by_role("link", name="Previous letter").click()
    page.wait_for_load_state()
    assert page.url.endswith("/L00001.html")
    # a reference into another letter leads to the passage it names
    page.locator("a.ref-edition", has_text="Brief").click()
    page.wait_for_load_state()
    assert page.url.endswith("/L00002.html#L00002_p1")
    assert page.locator("[id='L00002_p1']").is_visible()


def test_card_shows_the_entry_of_the_authority_file(site: Path, page) -> None:  # noqa: F811
    page.goto(url(site, "L00001"))
    page.locator(".text a.ent", has_text="Bahr").first.focus()
    tip = page.locator("#tk-tip")
    assert tip.is_visible()
    text = tip.inner_text()
    assert "Hermann Bahr" in text and "1863–1934" in text
    assert "Schriftsteller, Kritiker" in text
    page.locator(".text a.ent", has_text="Reigen").hover()
    assert tip.is_visible() and "Reigen" in tip.inner_text()
    assert "Arthur Schnitzler" in tip.inner_text()


def test_register_entry_leads_back_to_the_passage(site: Path, page) -> None:  # noqa: F811
    page.goto(url(site, "persons", "pmb50"))
    assert page.locator("#pmb50").is_visible()
    link = page.locator("#pmb50 a.mention").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    doc, _, frag = href.partition("#")
    assert page.url.endswith(f"{doc}#{frag}")
    assert "Mildenburg" in page.locator(f"[id='{frag}']").inner_text()
    # the letters a correspondent sent are listed with the entry too
    page.goto(url(site, "persons", "pmb11"))
    entry = page.locator("#pmb11")
    entry.get_by_role("link", name="Bahr an Schnitzler, Februar 1895").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/L00002.html")


def test_index_of_letters_leads_to_letters_and_correspondents(site: Path, page) -> None:  # noqa: F811
    page.goto(url(site, "letters"))
    page.get_by_role("link", name="1896", exact=True).click()
    assert page.evaluate("location.hash") == "#tk-year-1896"
    page.get_by_role("link", name="Anna von Mildenburg").click()
    page.wait_for_load_state()
    assert page.url.endswith("/persons.html#pmb50")


@pytest.mark.parametrize("name", ["L00002", "persons", "letters"])
def test_accessibility_axe(site: Path, page, name: str) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url(site, name))
    results = Axe().run(page)
    assert [f"{v['id']}: {v['help']}" for v in results.response["violations"]] == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots(site: Path, browser, width: str) -> None:  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    pg = ctx.new_page()
    for name, frag in (("L00002", ""), ("persons", "pmb2121"), ("letters", "")):
        pg.goto(url(site, name, frag))
        pg.wait_for_timeout(150)
        out = ARTIFACTS / f"letters-{name}-{width}.png"
        pg.screenshot(path=str(out))
        assert out.stat().st_size > 5000
    overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    ctx.close()
    assert overflow <= 0
