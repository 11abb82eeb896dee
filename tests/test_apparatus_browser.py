"""The critical apparatus in a real browser (headless Chromium, as tests/test_browser.py): the
witness switch shows each witness's text as written by hand beside the test editions
(tests/data/apparatus/<doc>.<witness>.txt) and back the edited text; it works from the
keyboard and says what it shows; an entry opens as a popover from the keyboard; the entries
without a place in the text are named for the witness they concern; axe-core finds nothing;
screenshots at phone and desktop widths go to tests/artifacts/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_browser import ARTIFACTS, WIDTHS
from test_site import build_site

DATA = Path(__file__).parent / "data" / "apparatus"
EXPECTED = sorted(DATA.glob("*.*.txt"))

pytestmark = pytest.mark.browser

#: The words of the text as shown: calls of notes and entries, verse numbers left out.
SHOWN_TEXT = """() => {
  const text = document.querySelector('.text');
  const hide = text.querySelectorAll('sup.note-sup, .lnum');
  hide.forEach(e => e.style.display = 'none');
  const shown = text.innerText;
  hide.forEach(e => e.style.display = '');
  return shown.replace(/\\u2060/g, '');
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("apparatus-project")
    (root / "tei").mkdir()
    for source in DATA.glob("*.xml"):
        shutil.copyfile(source, root / "tei" / source.name)
    (root / "teikit.toml").write_text('title = "Apparatus"\n', encoding="utf-8")
    return build_site(root, tmp_path_factory.mktemp("apparatus-site") / "html")


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.elsewhere = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: None if r.url.startswith(("file://", "data:", "about:"))
          else pg.elsewhere.append(r.url))
    yield pg
    assert pg.errors == [], "script errors"
    assert pg.elsewhere == [], "the edition made network requests"
    ctx.close()


def url(site: Path, name: str) -> str:
    return (site / f"{name}.html").as_uri()


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem)
def test_witness_switch_shows_the_text_of_the_witness(site: Path, page, expected: Path):
    doc, witness = expected.name.split(".")[:2]
    page.goto(url(site, doc))
    edited = words(page.evaluate(SHOWN_TEXT))
    page.select_option("#tk-witness", witness)
    assert words(page.evaluate(SHOWN_TEXT)) == words(expected.read_text(encoding="utf-8"))
    assert page.locator("#tk-witness-status").inner_text().startswith(
        "Showing the text of witness")
    page.select_option("#tk-witness", "")
    assert words(page.evaluate(SHOWN_TEXT)) == edited, "back to the edited text"
    assert page.locator("#tk-witness-status").inner_text() == ""


def test_witness_switch_from_the_keyboard(site: Path, page):
    page.goto(url(site, "parallel"))
    select = page.locator("#tk-witness")
    for _ in range(40):
        page.keyboard.press("Tab")
        if select.evaluate("s => s === document.activeElement"):
            break
    else:
        pytest.fail("the witness switch cannot be reached with Tab")
    assert page.get_by_label("Text of").evaluate("s => s.id") == "tk-witness"
    page.keyboard.press("ArrowDown")  # the first witness, A
    page.keyboard.press("ArrowDown")  # B
    assert select.input_value() == "B"
    status = page.locator("#tk-witness-status")
    assert status.get_attribute("role") == "status"
    assert "witness B" in status.inner_text()
    assert "virosque" in page.evaluate(SHOWN_TEXT)
    # where the witness reads otherwise than the edited text, it is marked
    assert page.locator(".text .app-shown", has_text="virosque").count() == 1


def test_entry_popover_from_the_keyboard(site: Path, page):
    page.goto(url(site, "parallel"))
    call = page.locator("a.app-ref").first
    assert call.get_attribute("aria-label") == "Apparatus entry a: virumque"
    call.focus()
    page.keyboard.press("Enter")
    popover = page.locator("#tk-popover")
    assert popover.is_visible()
    assert words(popover.inner_text()).startswith("a virumque A] virosque B; uirumque C")
    assert call.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert popover.count() == 0
    assert call.evaluate("c => c === document.activeElement")
    # the list links back to the text
    page.locator("#tk-app-1 a.note-num").click()
    assert page.evaluate("location.hash") == "#tk-aref-1"


def test_readings_without_a_place_are_named(site: Path, page):
    page.goto(url(site, "located"))
    page.select_option("#tk-witness", "P")
    status = page.locator("#tk-witness-status")
    assert "Not shown in the text (2)" in status.inner_text()
    links = status.locator("a")
    assert [links.nth(i).inner_text() for i in range(links.count())] == ["g", "h"]
    assert links.nth(1).get_attribute("href") == "#tk-app-8"


def test_accessibility_axe(site: Path, page):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url(site, "parallel"))
    page.select_option("#tk-witness", "C")
    page.locator("a.app-ref").nth(2).click()  # a popover open
    results = Axe().run(page)
    violations = [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})"
                  for v in results.response["violations"]]
    assert violations == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots(site: Path, browser, width: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    w, h = WIDTHS[width]
    ctx = browser.new_context(viewport={"width": w, "height": h})
    pg = ctx.new_page()
    pg.goto(url(site, "parallel"))
    pg.screenshot(path=str(ARTIFACTS / f"apparatus-{width}.png"), full_page=True)
    pg.select_option("#tk-witness", "B")
    pg.locator("a.app-ref").nth(7).click()
    pg.screenshot(path=str(ARTIFACTS / f"apparatus-witness-popover-{width}.png"), full_page=True)
    assert pg.evaluate("document.documentElement.scrollWidth") <= w, "no horizontal scrolling"
    ctx.close()
