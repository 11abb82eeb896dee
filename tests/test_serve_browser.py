"""``teikit serve`` in a real browser (Debian's Chromium through Playwright): a page opened
through the server follows the edits of its TEI file. An edit shows as new text (at the same
scroll position), a break shows as a notice over the last good page (file:line:column and
message), the mend takes the notice away. Screenshots of the notice go to tests/artifacts/."""

from __future__ import annotations

import signal

import pytest
from test_browser import ARGS, ARTIFACTS, CHROMIUM, WIDTHS, playwright_api
from test_serve import PATIENCE, _edition, eventually, start_serving, wait_for_line

pytestmark = pytest.mark.browser
expect = playwright_api.expect
#: milliseconds Playwright waits for what a rebuild shows (well above the second it takes)
DEADLINE = int(PATIENCE * 1000)


@pytest.fixture
def served(tmp_path):
    """An edition of one long letter, served by ``teikit serve`` in a subprocess."""
    root = _edition(tmp_path, html_only=True)
    source = next((root / "tei").glob("*.xml"))
    filler = "".join(f"      <p>Paragraph {i} of the letter, to give the page a length.</p>\n"
                     for i in range(60))
    source.write_text(source.read_text(encoding="utf-8").replace(
        "      <p>On <date", filler + "      <p>On <date", 1), encoding="utf-8")
    proc, url, lines = start_serving(root)
    try:
        wait_for_line(lines, "rebuilt in", proc)
        yield url, source, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=PATIENCE)
            except Exception:  # noqa: BLE001 - a server that does not stop is killed
                proc.kill()


@pytest.fixture
def page():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        ctx = browser.new_context(viewport={"width": WIDTHS["desktop"][0],
                                            "height": WIDTHS["desktop"][1]})
        pg = ctx.new_page()
        pg.errors, pg.elsewhere = [], []
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        pg.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1:", "data:"))
              else pg.elsewhere.append(r.url))
        yield pg
        assert pg.errors == [], "script errors"
        assert pg.elsewhere == [], "requests to elsewhere than the preview server"
        browser.close()


def _scroll_y(page) -> float | None:
    try:
        return page.evaluate("window.scrollY")
    except playwright_api.Error:  # between two documents while it reloads
        return None


def test_the_open_page_follows_edits_breaks_and_fixes(served, page):
    url, source, proc = served
    good = source.read_text(encoding="utf-8")
    page.goto(url + f"html/{source.stem}.html")
    text = page.locator("main")
    expect(text).to_contain_text("Paragraph 59")
    page.evaluate("window.scrollTo(0, 1200)")  # well inside the page, not at its end
    y = eventually(lambda: _scroll_y(page), "the page to scroll")
    assert y == 1200

    # An edit: the page reloads with the new text, where the reader was.
    source.write_text(good.replace("wrote a", "wrote a freshly edited"), encoding="utf-8")
    expect(text).to_contain_text("wrote a freshly edited", timeout=DEADLINE)
    eventually(lambda: (_scroll_y(page) or 0) > y - 80, "the scroll position to be restored")
    assert abs(_scroll_y(page) - y) < 80

    # A break: a notice over the page says where and what; the last good text stays.
    source.write_text(good.replace("wrote a", "wrote a freshly edited")
                      .replace("</head>", "</hed>", 1), encoding="utf-8")
    notice = page.locator("teikit-serve .notice")
    expect(notice).to_be_visible(timeout=DEADLINE)
    line = good[:good.index("</head>")].count("\n") + 1
    expect(notice).to_contain_text(f"tei/{source.name}:{line}:")
    expect(notice).to_contain_text("Opening and ending tag mismatch")
    expect(notice).to_contain_text(f"This page is the last good build of tei/{source.name}")
    expect(text).to_contain_text("wrote a freshly edited")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-notice-desktop.png"))
    page.set_viewport_size({"width": WIDTHS["phone"][0], "height": WIDTHS["phone"][1]})
    page.screenshot(path=str(ARTIFACTS / "serve-notice-phone.png"))
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})

    # The fix: the notice goes and the page shows the mended text.
    source.write_text(good.replace("wrote a", "wrote a mended"), encoding="utf-8")
    expect(text).to_contain_text("wrote a mended", timeout=DEADLINE)
    expect(notice).to_have_count(0, timeout=DEADLINE)

    # Invalid but well-formed: the page shows the new text, the notice the error.
    invalid = good.replace("wrote a", 'wrote <persName ref="#nobody">to nobody</persName> a')
    source.write_text(invalid, encoding="utf-8")
    line = invalid[:invalid.index("#nobody")].count("\n") + 1
    expect(text).to_contain_text("wrote to nobody", timeout=DEADLINE)
    expect(notice).to_contain_text(f"tei/{source.name}:{line}:", timeout=DEADLINE)
    expect(notice).to_contain_text('"#nobody"')
    expect(notice).not_to_contain_text("last good build")
    page.screenshot(path=str(ARTIFACTS / "serve-invalid-desktop.png"))
    source.write_text(good, encoding="utf-8")
    expect(notice).to_have_count(0, timeout=DEADLINE)
    assert proc.poll() is None


def test_served_as_a_static_host_serves_it(served, page):
    """The search page finds what an edit added (its index is served and rebuilt too); the
    reload script is in served pages only, never in the output."""
    url, source, _proc = served
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("wrote a", "wrote a quixotic"), encoding="utf-8")
    page.goto(url + "html/search.html")
    box = page.get_by_label("Search the edition")

    def found() -> bool:
        try:
            box.fill("quixotic")
            page.wait_for_timeout(200)
            return page.locator("#tk-results mark", has_text="quixotic").count() > 0
        except playwright_api.Error:  # the page reloading after the rebuild
            return False

    eventually(found, "the edit in the search results")
    expect(page.locator('script[src="/__teikit__/reload.js"]')).to_have_count(1)
    out = source.parent.parent / "output"
    assert not [f for f in out.rglob("*") if f.is_file() and b"__teikit__" in f.read_bytes()]


def test_errors_a_document_had_all_along_show_on_its_own_page_only(tmp_path, page):
    root = _edition(tmp_path, html_only=True)
    first = next((root / "tei").glob("*.xml"))
    other = first.with_name("other-letter.xml")
    other.write_text(first.read_text(encoding="utf-8").replace('ref="#author">the author',
                                                               'ref="#nobody">the author'),
                     encoding="utf-8")
    proc, url, lines = start_serving(root)
    try:
        wait_for_line(lines, "rebuilt in", proc)
        page.goto(url + f"html/{other.stem}.html")
        notice = page.locator("teikit-serve .notice")
        expect(notice).to_contain_text(f"tei/{other.name}:")
        expect(notice).to_contain_text('"#nobody"')
        page.goto(url + f"html/{first.stem}.html")
        expect(page.locator("main")).to_contain_text("wrote a")
        expect(page.locator("html[data-teikit-serve]")).to_have_count(1)  # the state is in
        expect(notice).to_have_count(0)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=PATIENCE)
