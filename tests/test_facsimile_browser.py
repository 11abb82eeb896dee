"""The text beside its page images, in a real browser (Debian's Chromium driven by
Playwright): the test edition (tests/data/facsimile/edition) under the strict
Content-Security-Policy every page carries (xslt/html/html-page.xsl), opened from
file:// as a reader would, its remote images served on loopback (tests/facsimile_server.py).

Scroll sync both ways, zoom, zones lit from the text and lines found from the image, by mouse
and keyboard; the phone layout opening the image on demand; remote images, IIIF services and
a manifest; pages whose images are missing, and a page without any, unchanged; over http;
no violation of the policy, no script error, no failed request; axe-core; screenshots at
desktop and phone widths (tests/artifacts/).
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from facsimile_server import edition_copy, serve
from test_browser import ARTIFACTS

import toolkit
from toolkit.project.config import load_project

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}

pytestmark = pytest.mark.browser

#: records what the page's Content-Security-Policy refused, before any script of the page runs
RECORD_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("server")) as s:
        yield s


@pytest.fixture(scope="module")
def site(tmp_path_factory, server) -> Path:
    root = edition_copy(tmp_path_factory.mktemp("facs") / "edition", server.base)
    report = toolkit.build(load_project(root), toolkit.BuildOptions(
        formats=["html"], build_date="2026-01-01"))
    return report.output / "html"


class Reader:
    """A page opened in a fresh context, with what went wrong recorded."""

    def __init__(self, browser, site: Path, server, kind: dict) -> None:
        self.site, self.allowed = site, ("file://", "data:", "about:", "blob:", server.base)
        self.context = browser.new_context(reduced_motion="reduce", **kind)
        self.context.add_init_script(RECORD_CSP)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.elsewhere: list[str] = []
        self.requested: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(
            f"{m.text} ({m.location.get('url', '')})") if m.type == "error" else None)
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("response", lambda r: self.failed.append(r.url) if r.status >= 400
                     else None)
        self.page.on("request", self._request)

    def _request(self, r) -> None:
        self.requested.append(r.url)
        if not r.url.startswith(self.allowed):
            self.elsewhere.append(r.url)

    def open(self, name: str, base: str | None = None) -> Reader:
        url = f"{base}/{name}.html" if base else (self.site / f"{name}.html").as_uri()
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        return self

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def until(self, expression: str, timeout: float = 15.0):
        """Wait for ``expression`` to be true in the page (polling; no time is asserted)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        pytest.fail(f"never true in the page: {expression}")

    def loaded(self, page: int) -> None:
        """Wait until page ``page``'s image is open and drawn whole."""
        self.until(f"""(() => {{ const v = window.tkFacs && tkFacs.viewer();
            return tkFacs.opened() === {page} && v && v.world.getItemCount() === 1
                   && v.world.getItemAt(0).getFullyLoaded(); }})()""")

    def clean(self) -> None:
        """Nothing refused by the policy, no script error, no failed or foreign request."""
        assert self.js("window.__csp") == []
        assert self.errors == []
        assert self.failed == []
        assert self.elsewhere == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def reader(browser, site, server):
    readers = []

    def make(kind: dict = DESKTOP) -> Reader:
        r = Reader(browser, site, server, kind)
        readers.append(r)
        return r

    yield make
    for r in readers:
        r.close()


def _rect(r: Reader, selector: str) -> dict:
    return r.js(f"""(() => {{ const b = document.querySelector({selector!r})
        .getBoundingClientRect(); return {{x: b.x, y: b.y, w: b.width, h: b.height}}; }})()""")


def _item_rect(r: Reader) -> dict:
    """Where the image is on the screen (the page's CSS pixels)."""
    return r.js("""(() => { const v = tkFacs.viewer(), b = v.world.getItemAt(0).getBounds(true);
        const tl = v.viewport.viewportToWindowCoordinates(b.getTopLeft());
        const br = v.viewport.viewportToWindowCoordinates(b.getBottomRight());
        return {x: tl.x - scrollX, y: tl.y - scrollY, w: br.x - tl.x, h: br.y - tl.y}; })()""")


# --------------------------------------------------------------------------------- desktop


def test_the_image_opens_beside_the_text(reader):
    r = reader().open("letter")
    r.loaded(0)
    assert r.js("tkFacs.viewer().drawer.getType()") == "canvas"  # file://: WebGL cannot
    assert r.js("document.getElementById('tk-facs-position').textContent") == (
        "Page image 1 of 3: p. 1r")
    text, pane = _rect(r, ".facs-main .text"), _rect(r, "#tk-facs")
    assert pane["x"] >= text["x"] + text["w"] and pane["w"] > 300  # beside, not below
    r.clean()


def test_scrolling_the_text_turns_the_image(reader):
    r = reader().open("letter")
    r.loaded(0)
    for n in (1, 2):
        r.js(f"document.querySelectorAll('.text .pb')[{n}].scrollIntoView({{block: 'start'}})")
        r.loaded(n)
        assert r.js("tkFacs.page()") == n
    r.js("window.scrollTo(0, 0)")
    r.loaded(0)
    r.clean()


def test_turning_the_image_moves_the_text(reader):
    r = reader().open("letter")
    r.loaded(0)
    r.page.click("[data-act=next]")
    r.loaded(1)
    r.until("Math.abs(document.querySelectorAll('.text .pb')[1].getBoundingClientRect().top)"
            " < 5")
    r.page.click("[data-act=prev]")
    r.loaded(0)
    assert r.js("document.querySelector('[data-act=prev]').disabled")
    r.clean()


def test_a_line_lights_its_zone_where_it_is_on_the_image(reader):
    r = reader().open("letter")
    r.loaded(0)
    r.page.hover("[data-zone='z1-3']")
    r.until("document.querySelector('.facs-zones [data-zone=\"z1-3\"]')"
            ".classList.contains('is-active')")
    assert r.js("document.querySelector('.text [data-zone=\"z1-3\"]')"
                ".classList.contains('is-active')")
    # the zone lies where line 3 is drawn: in the surface's space (twice the image's pixels)
    zone, item = _rect(r, ".facs-zones [data-zone='z1-3']"), _item_rect(r)
    assert abs((zone["y"] - item["y"]) / item["h"] - 294 / 900) < 0.01
    assert abs((zone["x"] - item["x"]) / item["w"] - 80 / 700) < 0.01
    assert abs(zone["w"] / item["w"] - 540 / 700) < 0.01
    r.page.mouse.move(5, 5)
    r.until("!document.querySelector('.facs-zones .is-active')")
    r.clean()


def test_a_click_on_a_zone_brings_its_line(reader):
    r = reader().open("letter")
    r.loaded(0)
    zone = _rect(r, ".facs-zones [data-zone='z1-7']")
    r.page.mouse.click(zone["x"] + zone["w"] / 3, zone["y"] + zone["h"] / 2)
    r.until("document.activeElement.getAttribute('data-zone') === 'z1-7'")
    top = r.js("document.activeElement.getBoundingClientRect().top")
    assert 0 < top < 900
    # a polygon: the heading's slanted band
    head = _rect(r, ".facs-zones [data-zone='z1-head']")
    r.page.mouse.click(head["x"] + head["w"] / 2, head["y"] + head["h"] / 2)
    r.until("document.activeElement.getAttribute('data-zone') === 'z1-head'")
    assert r.js("document.activeElement.tagName") == "H2"
    r.clean()


def test_lines_by_keyboard(reader):
    r = reader().open("letter")
    r.loaded(0)
    # one line in the tab order, not one per line
    assert r.js("document.querySelectorAll('.facs-line[tabindex=\"0\"]').length") == 1
    r.js("document.querySelector('.facs-line[tabindex=\"0\"]').focus()")
    assert r.js("document.activeElement.getAttribute('data-zone')") == "z1-head"
    r.page.keyboard.press("ArrowDown")
    r.page.keyboard.press("ArrowDown")
    assert r.js("document.activeElement.getAttribute('data-zone')") == "z1-2"
    assert r.js("tkFacs.zone()") == "z1-2"
    assert r.js("document.activeElement.getAttribute('tabindex')") == "0"
    home = r.js("tkFacs.viewer().viewport.getHomeZoom()")
    r.page.keyboard.press("Enter")
    r.until(f"tkFacs.viewer().viewport.getZoom() > {home} * 1.2")  # the line fills the width
    # a line of the next page: the image turns to it, its zone lit
    r.js("document.querySelector('.zl[data-zone=\"z2-4\"]').focus()")
    r.loaded(1)
    r.until("tkFacs.zone() === 'z2-4' && document.querySelector("
            "'.facs-zones [data-zone=\"z2-4\"]').classList.contains('is-active')")
    assert r.js("Array.from(document.querySelectorAll('.zl[data-zone=\"z2-4\"]'))"
                ".every(s => s.classList.contains('is-active'))")
    r.clean()


def test_zoom_by_buttons_and_keys(reader):
    r = reader().open("letter")
    r.loaded(0)
    home = r.js("tkFacs.viewer().viewport.getHomeZoom()")
    r.page.click("[data-act=zoom-in]")
    r.until(f"tkFacs.viewer().viewport.getZoom() > {home} * 1.4")
    r.page.click("[data-act=home]")
    r.until(f"Math.abs(tkFacs.viewer().viewport.getZoom() - {home}) < 1e-6")
    r.page.focus(".openseadragon-canvas")
    r.page.keyboard.press("+")
    r.until(f"tkFacs.viewer().viewport.getZoom() > {home} * 1.05")
    r.page.focus("[data-act=zoom-out]")
    r.page.keyboard.press("Enter")
    r.page.keyboard.press("Enter")
    r.until(f"tkFacs.viewer().viewport.getZoom() < {home}")
    r.clean()


def test_the_reader_may_hide_the_image(reader):
    r = reader().open("letter")
    r.loaded(0)
    r.page.click("[data-act=close]")
    assert r.js("getComputedStyle(document.getElementById('tk-facs')).display") == "none"
    assert r.js("document.activeElement.className") == "facs-open"
    text = _rect(r, ".facs-main .text")
    assert text["w"] > 500
    r.page.click(".facs-open")
    r.until("getComputedStyle(document.getElementById('tk-facs')).display !== 'none'")
    r.loaded(0)
    r.clean()


# ----------------------------------------------------------------------------------- phone


def test_on_a_phone_the_image_opens_on_demand(reader):
    r = reader(PHONE).open("letter")
    assert r.js("tkFacs.viewer()") is None
    assert not any("/facs/" in u for u in r.requested)  # no image loaded until asked
    assert r.page.is_visible(".facs-open") and not r.page.is_visible("#tk-facs")
    r.js("document.querySelectorAll('.text .pb')[1].scrollIntoView({block: 'start'})")
    r.page.click(".facs-open")
    r.loaded(1)  # the page being read
    assert r.js("document.getElementById('tk-facs').getAttribute('role')") == "dialog"
    assert r.js("document.activeElement.getAttribute('data-act')") == "close"
    assert r.page.get_attribute(".facs-open", "aria-expanded") == "true"
    pane = _rect(r, "#tk-facs")
    assert pane["w"] == 390 and pane["h"] == 844
    r.page.keyboard.press("Escape")
    r.until("!document.getElementById('tk-facs').classList.contains('is-open')")
    assert r.js("document.activeElement.className") == "facs-open"
    assert r.page.get_attribute(".facs-open", "aria-expanded") == "false"
    # a page break's label opens its page
    r.page.click(".text .pb >> nth=2 >> a")
    r.loaded(2)
    r.clean()


def test_on_a_phone_a_zone_brings_its_line_and_closes_the_image(reader):
    r = reader(PHONE).open("letter")
    r.page.click(".facs-open")
    r.loaded(0)
    zone = r.js("""(() => { const v = tkFacs.viewer(), s = tkFacs.viewer().world.getItemAt(0);
        const b = s.getBounds(true);
        const p = v.viewport.viewportToWindowCoordinates(new OpenSeadragon.Point(
            b.x + b.width * 350 / 700, b.y + b.height * 480 / 900));
        return {x: p.x - scrollX, y: p.y - scrollY}; })()""")  # line 6 of page 1
    r.page.touchscreen.tap(zone["x"], zone["y"])
    r.until("document.activeElement.getAttribute('data-zone') === 'z1-6'")
    assert not r.page.is_visible("#tk-facs")
    r.clean()


# --------------------------------------------------------------------- every kind of image


def test_remote_images_services_and_fallbacks(reader, server):
    r = reader().open("remote")
    r.loaded(0)  # a bare identifier, completed by facsimile_url: a IIIF service's tiles
    assert any(u.startswith(f"{server.base}/iiif/Hs-30885,146_001/") and u.endswith(
        "default.jpg") for u in r.requested)
    r.page.hover("[data-zone='r-z1']")
    r.until("document.querySelector('.facs-zones [data-zone=\"r-z1\"]')"
            ".classList.contains('is-active')")
    for n in (1, 2, 3):  # an info.json; an Image API address (its image); a plain image
        r.page.click("[data-act=next]")
        r.loaded(n)
    r.page.click("[data-act=next]")  # a TIFF: said to be not available, no broken viewer
    r.until("!document.querySelector('.facs-unavailable').hidden")
    assert r.js("document.querySelector('.facs-unavailable').textContent") == (
        "The image of page 5 is not available.")
    assert r.js("tkFacs.viewer().world.getItemCount()") == 0
    # the Image API address has no service: its info.json is not found, its image is shown
    info = f"{server.base}/iiif/only-image/info.json"
    assert r.failed == [info]
    r.failed = []
    r.errors = [e for e in r.errors if info not in e]  # (the browser and OpenSeadragon say so)
    r.clean()


def test_pages_from_a_manifest(reader, server):
    r = reader().open("manifest")
    r.loaded(0)
    assert any(u == f"{server.base}/manifest.json" for u in r.requested)
    assert r.js("tkFacs.viewer().world.getItemAt(0).source.width") == 700
    r.js("document.querySelectorAll('.text .pb')[2].scrollIntoView({block: 'start'})")
    r.loaded(2)  # named by its canvas id
    r.clean()


def test_missing_images_leave_no_broken_viewer(reader):
    r = reader().open("missing")
    assert r.js("document.getElementById('tk-facs')") is None
    assert r.js("typeof window.OpenSeadragon") == "undefined"
    assert r.page.is_visible("text=The page images of this document are not available.")
    r.clean()


def test_a_page_without_images_is_unchanged(reader):
    r = reader().open("plain")
    assert r.js("typeof window.OpenSeadragon") == "undefined"
    assert not any(u.rsplit("/", 1)[-1].startswith(("facs", "openseadragon"))
                   for u in r.requested)
    assert r.js("document.querySelector('.facs-pane, [data-facs-page], .facs-open')") is None
    assert r.js("getComputedStyle(document.querySelector('.document')).display") == "block"
    r.clean()


def test_served_over_http(reader, site):
    handler = functools.partial(type("Quiet", (SimpleHTTPRequestHandler,), {
        "log_message": lambda *a: None}), directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        r = reader()
        r.allowed = (*r.allowed, base)
        r.open("letter", base)
        r.loaded(0)
        assert r.js("tkFacs.viewer().drawer.getType()") == "webgl"  # same origin: it can
        r.page.hover("[data-zone='z1-5']")
        r.until("document.querySelector('.facs-zones [data-zone=\"z1-5\"]')"
                ".classList.contains('is-active')")
        # (the browser asks the server for a favicon.ico it does not have)
        r.errors = [e for e in r.errors if e != "Failed to load resource: the server "
                    f"responded with a status of 404 (File not found) ({base}/favicon.ico)"]
        r.clean()
    finally:
        httpd.shutdown()
        httpd.server_close()


# ----------------------------------------------------------- accessibility, how it looks


def _axe(r: Reader) -> list:
    from axe_playwright_python.sync_playwright import Axe
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in Axe().run(r.page).response["violations"]]


@pytest.mark.parametrize("case", ["desktop", "phone", "phone-open", "missing"])
def test_accessibility_axe(reader, case):
    r = reader(PHONE if case.startswith("phone") else DESKTOP)
    r.open("missing" if case == "missing" else "letter")
    if case == "desktop":
        r.loaded(0)
    if case == "phone-open":
        r.page.click(".facs-open")
        r.loaded(0)
    assert _axe(r) == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_screenshots(reader, width):
    ARTIFACTS.mkdir(exist_ok=True)
    r = reader(DESKTOP if width == "desktop" else PHONE).open("letter")
    if width == "desktop":
        r.loaded(0)
        r.js("document.querySelectorAll('.text .pb')[1].scrollIntoView({block: 'start'})")
        r.loaded(1)
        r.page.hover("[data-zone='z2-4']")
        r.until("tkFacs.zone() === 'z2-4'")
        r.page.screenshot(path=str(ARTIFACTS / "facsimile-desktop.png"))
    else:
        r.js("window.scrollTo(0, 600)")
        r.page.screenshot(path=str(ARTIFACTS / "facsimile-phone-text.png"))
        r.page.click(".facs-open")
        r.loaded(0)
        r.page.screenshot(path=str(ARTIFACTS / "facsimile-phone-image.png"))
    r.clean()
