"""Page images: which image belongs to which page break (every kind of reference), zones,
IIIF level-0 tiles and web images, the IIIF Presentation 3 manifest and its check, fetching
at build time (only when allowed), the settings, and the web page, text and PDF a build makes
of the test edition (tests/data/facsimile/edition; its images are made by make_images.py).

What a reader sees of them, in a real browser, is tests/test_facsimile_browser.py.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, require, shared_path
from facsimile_server import EDITION, edition_copy, serve
from lxml import etree
from lxml import html as lxml_html
from PIL import Image, ImageChops, ImageDraw

import toolkit
from toolkit.builder.digests import pointed_into
from toolkit.errors import ConfigError, InputError
from toolkit.facsimile import images, remote
from toolkit.facsimile.manifest import Canvas, check_manifest, manifest
from toolkit.facsimile.pages import CANVAS, IIIF, IMAGE, LOCAL, MISSING, read_pages
from toolkit.load import load
from toolkit.project.config import load_project
from toolkit.transform import render

TEI_NS = "http://www.tei-c.org/ns/1.0"
PATTERN = "https://iiif.example.org/iiif/{facs}/info.json"


def pages_of(path: Path, pattern: str = PATTERN, allowed: Path | None = EDITION):
    return read_pages(etree.parse(str(path)).getroot(), pattern, allowed)


def tei(tmp_path: Path, body: str, facsimile: str = "", name: str = "doc.xml") -> Path:
    """A small TEI document in ``tmp_path`` with ``body`` in its text."""
    path = tmp_path / name
    path.write_text(f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title>
      </titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>
      </fileDesc></teiHeader>{facsimile}<text><body>{body}</body></text></TEI>""",
                    encoding="utf-8")
    return path


def image(path: Path, size=(60, 80), mode="RGB", fmt=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new(mode, size, 128 if mode in ("L", "I;16") else (200, 180, 150))
    img.save(path, fmt)
    return path


# ------------------------------------------------------------------- which image, which page


def test_each_kind_of_local_reference():
    facs = pages_of(EDITION / "tei" / "letter.xml")
    assert [(p.label, p.pb, p.kind) for p in facs.pages] == [
        ("1r", 1, LOCAL), ("1v", 2, LOCAL), ("2r", 3, LOCAL)]
    assert [Path(p.ref).name for p in facs.pages] == ["p1.jpg", "p2.png", "p3.jpg"]
    first, second, third = facs.pages
    # #s1: a surface with coordinates, its zones in that space; the head's zone a polygon
    assert first.space == (1400.0, 1800.0)
    assert len(first.zones) == 11
    assert first.zones[0].id == "z1-head" and first.zones[0].points[0] == (460.0, 120.0)
    assert first.zones[1].rect == (160.0, 340.0, 1080.0, 68.0)
    # #g2: a graphic in a surface without coordinates: the image's pixels, known later
    assert second.space is None and second.zones[1].rect == (80.0, 170.0, 540.0, 34.0)
    # a path relative to the TEI file: no surface, no zones
    assert third.space is None and third.zones == []
    assert facs.notes == []


def test_each_kind_of_remote_reference():
    facs = pages_of(EDITION / "tei" / "remote.xml")
    got = [(p.kind, p.ref, p.fallback) for p in facs.pages]
    assert got == [
        # a bare identifier made a URL by the pattern; its comma kept, as IIIF ids have it
        (IIIF, "https://iiif.example.org/iiif/Hs-30885,146_001/info.json", None),
        (IIIF, "https://iiif.example.org/iiif/p2/info.json", None),
        # an Image API request: the service first, the image itself should it fail
        (IIIF, "https://iiif.example.org/iiif/only-image/info.json",
         "https://iiif.example.org/iiif/only-image/full/max/0/default.jpg"),
        (IMAGE, "https://images.example.org/scans/p4.jpg", None),
        (IMAGE, "https://images.example.org/scans/p5.tif", None)]
    assert facs.pages[0].space == (700.0, 900.0) and facs.pages[0].zones[0].id == "r-z1"


def test_pages_of_a_manifest():
    facs = pages_of(EDITION / "tei" / "manifest.xml")
    assert facs.manifest == "https://iiif.example.org/manifest.json"
    assert [(p.label, p.kind, p.ref) for p in facs.pages] == [
        ("i", CANVAS, "0"), ("ii", CANVAS, "1"),
        ("iii", CANVAS, "https://iiif.example.org/canvas/c3")]


def test_references_that_name_no_image():
    facs = pages_of(EDITION / "tei" / "missing.xml")
    assert [p.kind for p in facs.pages] == [MISSING] * 3
    messages = [m for _, m in facs.notes]
    assert "page image not found: img/absent-1.jpg" in messages[0]
    # '#nowhere' points to nothing: the integrity check reports it, not this
    assert len(messages) == 2
    assert "'javascript:alert(1)' is not an image" in messages[1]


def test_a_bare_identifier_needs_the_pattern(tmp_path):
    doc = tei(tmp_path, '<pb n="1" facs="#s"/>',
              '<facsimile><surface xml:id="s"><graphic url="Hs 30885/146"/></surface></facsimile>')
    facs = read_pages(etree.parse(str(doc)).getroot(), "", tmp_path)
    # (a "/" makes it a path: a file that is not there)
    assert facs.pages[0].kind == MISSING
    doc = tei(tmp_path, '<pb n="1" facs="Hs-1"/>')
    facs = read_pages(etree.parse(str(doc)).getroot(), "", tmp_path)
    assert facs.pages[0].kind == MISSING and "set facsimile_url" in facs.notes[0][1]
    facs = read_pages(etree.parse(str(doc)).getroot(), "https://x.org/{facs}/full/max/0/"
                      "default.jpg", tmp_path)
    assert (facs.pages[0].kind, facs.pages[0].ref) == (IIIF, "https://x.org/Hs-1/info.json")
    # an identifier is one path segment of the URL: its "/" and blanks are escaped
    doc = tei(tmp_path, '<pb n="1" facs="#g"/>', '<facsimile><graphic xml:id="g" '
              'url="a&#x20;b?c"/></facsimile>')
    facs = read_pages(etree.parse(str(doc)).getroot(), "https://x.org/{facs}.jpg", tmp_path)
    assert facs.pages[0].ref == "https://x.org/a%20b%3Fc.jpg"


def test_pointers_bases_and_kinds(tmp_path):
    image(tmp_path / "scans" / "a.jpg")
    image(tmp_path / "b.png")
    doc = tei(tmp_path, """
      <pb n="1" facs="s1"/><pb n="2" facs="#z9"/><pb n="3" facs="#g3"/>
      <pb n="4" facs="absent.jpg b.png"/><pb n="5"/>""", """
      <facsimile xml:base="scans/">
        <surface xml:id="s1"><graphic url="thumb.jpg" type="thumbnail"/><graphic url="a.jpg"/></surface>
        <surface xml:id="s2" ulx="100" uly="50" lrx="1100" lry="1050">
          <graphic url="a.jpg" width="12cm" height="16cm"/>
          <zone xml:id="z9" ulx="200" uly="150" lrx="300" lry="175"/></surface>
      </facsimile>
      <facsimile xml:base="https://img.example.org/iiif/"><graphic xml:id="g3" url="c"/></facsimile>""")
    facs = read_pages(etree.parse(str(doc)).getroot(), "", tmp_path)
    p1, p2, p3, p4 = facs.pages  # the fifth break names no image: no page
    # a pointer without its "#" is forgiven when it is an id; the thumbnail is passed over
    assert (p1.kind, Path(p1.ref)) == (LOCAL, tmp_path / "scans" / "a.jpg")
    # a pointer to a zone: the page of its surface; zones moved to start at the origin;
    # a size in centimetres says nothing about pixels, the surface's coordinates do
    assert p2.kind == LOCAL and p2.space == (1000.0, 1000.0)
    assert facs.pages[1].zones == []  # no element of the text points to z9 (the pb's page)
    # xml:base made the identifier a web address, of a IIIF server
    assert (p3.kind, p3.ref) == (IIIF, "https://img.example.org/iiif/c/info.json")
    # the first of several references that can be had
    assert (p4.kind, Path(p4.ref).name) == (LOCAL, "b.png")


def test_zones_kept_only_where_the_text_points_and_moved_to_the_origin(tmp_path):
    doc = tei(tmp_path, '<pb facs="#s"/><p><lb facs="#a"/>x <seg facs="#b #c">y</seg></p>', """
      <facsimile><surface xml:id="s" ulx="100" uly="50" lrx="1100" lry="1050">
        <graphic url="https://x.org/a.jpg"/>
        <zone xml:id="a" ulx="200" uly="150" lrx="300" lry="175"/>
        <zone xml:id="b" points="100,50 200,50 150,100"/>
        <zone xml:id="c" points="1,1 2,2"/>
        <zone xml:id="d" ulx="1" uly="1" lrx="2" lry="2"/></surface></facsimile>""")
    page = read_pages(etree.parse(str(doc)).getroot()).pages[0]
    assert [z.id for z in page.zones] == ["a", "b"]  # c: two points are no polygon
    assert page.zones[0].rect == (100.0, 100.0, 100.0, 25.0)
    assert page.zones[1].points == [(0.0, 0.0), (100.0, 0.0), (50.0, 50.0)]


def test_surfaces_paired_with_breaks_when_none_names_one(tmp_path):
    facsimile = ('<facsimile><surface n="A"><graphic url="https://x.org/1.jpg"/></surface>'
                 '<surface n="B"><graphic url="https://x.org/2.jpg"/></surface></facsimile>')
    doc = tei(tmp_path, '<pb n="1"/><p>a</p><pb n="2"/><p>b</p>', facsimile)
    facs = read_pages(etree.parse(str(doc)).getroot())
    assert [(p.label, p.pb, p.ref[-5:]) for p in facs.pages] == [("1", 1, "1.jpg"),
                                                                  ("2", 2, "2.jpg")]
    assert facs.notes == []
    # as many breaks as surfaces, or the images are pages of their own, and that is said
    doc = tei(tmp_path, '<pb n="1"/><p>a</p>', facsimile)
    facs = read_pages(etree.parse(str(doc)).getroot())
    assert [(p.label, p.pb) for p in facs.pages] == [("A", None), ("B", None)]
    assert "1 page breaks and 2 surfaces" in facs.notes[0][1]
    # no break at all: the surfaces, not tied to the text, without a word
    doc = tei(tmp_path, '<p>a</p>', facsimile)
    facs = read_pages(etree.parse(str(doc)).getroot())
    assert len(facs.pages) == 2 and facs.notes == []


def test_images_outside_the_edition_are_not_its_images(tmp_path):
    project = tmp_path / "project"
    image(tmp_path / "private.jpg")
    image(project / ".git" / "x.jpg")
    image(project / "tei" / "ok.jpg")
    os.symlink(tmp_path / "private.jpg", project / "tei" / "link.jpg")
    doc = tei(project / "tei", '<pb facs="../../private.jpg"/><pb facs="../.git/x.jpg"/>'
              '<pb facs="link.jpg"/><pb facs="ok.jpg"/>')
    facs = read_pages(etree.parse(str(doc)).getroot(), "", project)
    assert [p.kind for p in facs.pages] == [MISSING, MISSING, MISSING, LOCAL]
    assert all("outside the edition's folder" in m for _, m in facs.notes)


def test_a_document_without_page_images_has_none(tmp_path):
    assert not read_pages(etree.parse(str(EDITION / "tei" / "plain.xml")).getroot())
    # @facs on anything but a page break, pointing nowhere (tei_lite's <p facs="wibble">)
    doc = tei(tmp_path, '<p facs="wibble">text</p><pb n="8"/>')
    facs = read_pages(etree.parse(str(doc)).getroot())
    assert not facs and facs.notes == []


def test_the_build_cache_depends_on_the_images_a_source_shows():
    found = pointed_into(EDITION / "tei" / "letter.xml")
    assert {p.name for p in found} == {"p1.jpg", "p2.png", "p3.jpg"}


# ------------------------------------------------------------------------------- the tiles


def _tile_urls(info: dict) -> list[str]:
    """Every tile a level-0 client may ask for (Image API 3.0, canonical form), computed here
    from info.json alone."""
    w, h = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    urls = []
    for s in info["tiles"][0]["scaleFactors"]:
        lw, lh = -(-w // s), -(-h // s)
        for ty in range(-(-lh // tile)):
            for tx in range(-(-lw // tile)):
                x, y = tx * tile * s, ty * tile * s
                rw, rh = min(tile * s, w - x), min(tile * s, h - y)
                sw, sh = min(tile, lw - tx * tile), min(tile, lh - ty * tile)
                region = "full" if (x, y, rw, rh) == (0, 0, w, h) else f"{x},{y},{rw},{rh}"
                size = "max" if (sw, sh) == (w, h) else f"{sw},{sh}"
                urls.append((f"{region}/{size}/0/default.jpg", (x, y, rw, rh), (sw, sh)))
    return urls


def test_tiles_are_what_a_level0_client_asks_for(tmp_path):
    src = tmp_path / "scan.png"
    img = Image.new("RGB", (2300, 1700), "white")
    draw = ImageDraw.Draw(img)
    for x in range(0, 2300, 160):  # blocks of their own colour: a tile in the wrong place
        for y in range(0, 1700, 160):  # or at the wrong scale would not match
            draw.rectangle([x, y, x + 159, y + 159], fill=(x * 7 % 256, y * 5 % 256, 90))
    img.save(src)
    pub = images.publish(src, tmp_path / "cache", "auto")
    assert pub.tiled and (pub.width, pub.height) == (2300, 1700)
    info = pub.info("https://example.org/facs/x")
    assert info["profile"] == "level0" and info["type"] == "ImageService3"
    assert info["tiles"][0]["scaleFactors"] == [1, 2, 4, 8, 16]
    folder = tmp_path / "cache" / pub.folder
    urls = _tile_urls(info)
    files = {str(p.relative_to(folder)) for p in folder.rglob("*.jpg")}
    assert {u for u, _, _ in urls} <= files
    for url, region, size in urls:  # every tile is its region of the image, scaled
        with Image.open(folder / url) as got:
            assert got.size == size, url
            want = img.crop((region[0], region[1], region[0] + region[2],
                             region[1] + region[3])).resize(size, Image.Resampling.BOX)
            diff = ImageChops.difference(got.convert("RGB"), want).convert("L")
            mean = sum(i * n for i, n in enumerate(diff.histogram())) / (size[0] * size[1])
            assert mean < 6, (url, mean)
    # every size listed is a file; the reading-size image fits VIEW
    for s in info["sizes"]:
        assert (folder / "full" / f"{s['width']},{s['height']}" / "0" / "default.jpg").is_file()
    assert max(pub.view_size) == images.VIEW and (folder / pub.view).is_file()
    assert max(pub.thumb_size) <= images.THUMB


def test_small_images_stay_one_image_and_are_made_once(tmp_path):
    src = image(tmp_path / "page.jpg", (800, 1000))
    cache = tmp_path / "cache"
    pub = images.publish(src, cache, "auto")
    assert not pub.tiled and pub.view == "image.jpg"
    assert (cache / pub.folder / "image.jpg").read_bytes() == src.read_bytes()
    made = (cache / pub.folder / "image.jpg").stat().st_mtime_ns
    assert images.publish(src, cache, "auto") == pub
    assert (cache / pub.folder / "image.jpg").stat().st_mtime_ns == made
    assert images.publish(src, cache, "always").tiled
    big = image(tmp_path / "big.jpg", (2100, 900))
    assert images.publish(big, cache, "auto").tiled
    assert not images.publish(big, cache, "never").tiled


def test_images_browsers_cannot_show_are_converted(tmp_path):
    cache = tmp_path / "cache"
    tif = image(tmp_path / "scan.tif", (300, 400), "L", "TIFF")
    pub = images.publish(tif, cache, "never")
    assert pub.view == "image.jpg"
    with Image.open(cache / pub.folder / "image.jpg") as got:
        assert got.format == "JPEG" and got.size == (300, 400)
    grey16 = tmp_path / "scan16.tif"
    Image.new("I;16", (50, 50), 40000).save(grey16)
    pub = images.publish(grey16, cache, "never")
    with Image.open(cache / pub.folder / "image.jpg") as got:
        assert 150 < got.getpixel((25, 25)) < 160  # 40000/65535 of white, not clipped
    # a photograph taken on its side is published upright
    turned = tmp_path / "turned.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to show
    Image.new("RGB", (400, 300), "white").save(turned, exif=exif.tobytes())
    pub = images.publish(turned, cache, "never")
    assert (pub.width, pub.height) == (300, 400) and pub.view == "image.jpg"


def test_a_file_that_is_no_image_is_said_to_be_one(tmp_path):
    fake = tmp_path / "page.jpg"
    fake.write_text("<svg onload='alert(1)'/>", encoding="utf-8")
    with pytest.raises(InputError, match="not an image the toolkit can read"):
        images.publish(fake, tmp_path / "cache")


def test_what_no_document_shows_is_pruned(tmp_path):
    cache = tmp_path / "cache"
    a = images.publish(image(tmp_path / "a.jpg"), cache)
    b = images.publish(image(tmp_path / "b.jpg", (70, 90)), cache)
    images.prune(cache, {a.folder})
    assert (cache / a.folder).is_dir() and not (cache / b.folder).exists()
    assert len(list((cache / "stat").iterdir())) == 1


# ------------------------------------------------------------------------------ manifests


def _a_manifest() -> dict:
    base = "https://example.org/ed"
    canvases = [Canvas(str(n), 1400, 1800, f"{base}/facs/x{n}/full/max/0/default.jpg",
                       (700, 900), service=f"{base}/facs/x{n}",
                       thumbnail=f"{base}/facs/x{n}/thumb.jpg", thumbnail_size=(200, 257))
                for n in (1, 2)]
    return manifest(f"{base}/iiif/letter.json", "A letter", canvases, language="en",
                    homepage=f"{base}/letter.html", source=f"{base}/tei/letter.xml")


def test_a_written_manifest_keeps_the_specification():
    m = _a_manifest()
    assert check_manifest(m) == []
    canvas = m["items"][0]
    assert (canvas["width"], canvas["height"]) == (1400, 1800)
    annotation = canvas["items"][0]["items"][0]
    assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
    assert annotation["body"]["service"][0] == {
        "id": "https://example.org/ed/facs/x1", "type": "ImageService3", "profile": "level0"}


def _broken(change) -> dict:
    m = copy.deepcopy(_a_manifest())
    change(m)
    return m


BROKEN = {
    "label not a language map": (lambda m: m.update(label="A letter"), "label"),
    "relative id": (lambda m: m.update(id="iiif/letter.json"), "HTTP(S) URI"),
    "wrong type": (lambda m: m.update(type="Manifesto"), "type must be 'Manifest'"),
    "no items": (lambda m: m.update(items=[]), "one or more Canvases"),
    "wrong context": (lambda m: m.update({"@context": "http://iiif.io/api/presentation/2/"
                                                      "context.json"}), "@context"),
    "canvas without height": (lambda m: m["items"][0].pop("height"), "height"),
    "width as text": (lambda m: m["items"][0].update(width="1400"), "positive integer"),
    "canvas wrong type": (lambda m: m["items"][0].update(type="Page"), "'Canvas'"),
    "ids not unique": (lambda m: m["items"][1].update(id=m["items"][0]["id"]),
                       "also the id of"),
    "motivation a number": (lambda m: m["items"][0]["items"][0]["items"][0].update(
        motivation=7), "motivation"),
    "not painting": (lambda m: m["items"][0]["items"][0]["items"][0].update(
        motivation="commenting"), "painting"),
    "no target": (lambda m: m["items"][0]["items"][0]["items"][0].pop("target"), "target"),
    "target elsewhere": (lambda m: m["items"][0]["items"][0]["items"][0].update(
        target="https://example.org/other"), "target"),
    "service of no kind": (lambda m: m["items"][0]["items"][0]["items"][0]["body"][
        "service"][0].update(type="ImageServiceX"), "ImageService"),
    "body not an image format": (lambda m: m["items"][0]["items"][0]["items"][0]["body"]
                                 .update(format="text/html"), "image/*"),
    "homepage without id": (lambda m: m["homepage"][0].pop("id"), "homepage"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_the_check_finds_each_broken_must(case):
    change, expected = BROKEN[case]
    problems = check_manifest(_broken(change))
    assert problems and any(expected in p for p in problems), problems


# ---------------------------------------------------------------------------- the settings


@pytest.mark.parametrize("text, message", [
    ('facsimile_url = "https://iiif.example.org/x.jpg"', "with {facs}"),
    ('facsimile_url = "ftp://iiif.example.org/{facs}"', "http(s) address"),
    ('facsimile_url = "javascript:alert({facs})"', "http(s) address"),
    ('facsimile_url = 3', "expected a string"),
    ('facsimile_tiles = "some"', "expected one of auto, always, never"),
    ('facsimile_fetch = "yes"', "expected true or false"),
    ('facsimile_plates = 1', "expected true or false"),
])
def test_bad_settings_are_named(tmp_path, text, message):
    (tmp_path / "teikit.toml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_project(tmp_path)


def test_the_settings_and_their_defaults(tmp_path):
    p = load_project(tmp_path)
    assert (p.facsimile_url, p.facsimile_fetch, p.facsimile_tiles, p.facsimile_plates) == (
        "", False, "auto", False)
    p = load_project(EDITION)
    assert p.facsimile_url == PATTERN and p.facsimile_tiles == "always"


# ------------------------------------------------------------------------- the whole build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The test edition built (web edition), its remote hosts left as they are."""
    root = edition_copy(tmp_path_factory.mktemp("facs") / "edition", None)
    project = load_project(root)
    report = toolkit.build(project, toolkit.BuildOptions(build_date="2026-01-01"))
    return project.output_dir / "html", report


def _page(built, name: str):
    return lxml_html.parse(str(built[0] / f"{name}.html")).getroot()


def _data(page) -> dict:
    return json.loads(page.get_element_by_id("tk-facs-data").text)


def test_the_page_marks_breaks_lines_and_zones(built):
    page = _page(built, "letter")
    pbs = page.xpath("//span[@class='pb']")
    assert [pb.get("data-facs-page") for pb in pbs] == ["0", "1", "2"]
    # each label links to its image for a reader without JavaScript (a file of the edition)
    links = [pb.xpath("a/@href")[0] for pb in pbs]
    assert all((built[0] / link).is_file() for link in links)
    lines = page.xpath("//*[@class='text']//*[@data-zone]")
    zones = [el.get("data-zone") for el in lines]
    assert zones[:11] == ["z1-head"] + [f"z1-{i}" for i in range(1, 11)]
    assert [el.tag for el in lines[:3]] == ["h2", "div", "div"]
    # the text of a line an lb points to: spans up to the next lb
    spans = page.xpath("//span[@class='zl']")
    assert [s.get("data-zone") for s in spans] == [f"z2-{i}" for i in range(1, 11)]
    assert spans[3].text_content().startswith("my heart.")
    data = _data(page)
    assert [p["label"] for p in data["pages"]] == ["1r", "1v", "2r"]
    assert data["pages"][0]["space"] == [1400, 1800]  # the surface's space
    assert data["pages"][1]["space"] == [700, 900]  # the image's pixels
    assert data["pages"][0]["src"]["id"].startswith("facs/")  # relative: works anywhere
    assert data["iiif"] == "iiif/letter.json"
    assert page.xpath("//ul[@class='downloads']//a[@href='iiif/letter.json']")


def test_no_script_runs_from_the_page_itself(built):
    for name in ("letter", "remote", "manifest", "missing", "plain"):
        page = _page(built, name)
        for script in page.iter("script"):
            assert script.get("src") or script.get("type") == "application/json", name
        assert not page.xpath("//@*[starts-with(name(), 'on')]") and not page.xpath(
            "//@style"), name
        raw = (built[0] / f"{name}.html").read_text(encoding="utf-8")
        block = re.search(r'id="tk-facs-data">(.*?)</script>', raw, re.S)
        if block:
            assert "<" not in block.group(1) and json.loads(block.group(1))


def test_the_images_are_published_as_tiles(built):
    html = built[0]
    data = _data(_page(built, "letter"))
    for p in data["pages"]:
        folder = html / p["src"]["id"]
        assert (folder / "info.json").is_file()  # for IIIF viewers: an absolute id
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        assert info["id"] == "https://example.org/facsimile/" + p["src"]["id"]
        assert {u for u, _, _ in _tile_urls(p["src"])} <= {
            str(f.relative_to(folder)) for f in folder.rglob("*.jpg")}


def test_the_document_manifest_is_written_and_valid(built):
    m = json.loads((built[0] / "iiif" / "letter.json").read_text(encoding="utf-8"))
    assert check_manifest(m) == []
    assert m["id"] == "https://example.org/facsimile/iiif/letter.json"
    assert [(c["label"]["none"][0], c["width"], c["height"]) for c in m["items"]] == [
        ("1r", 1400, 1800), ("1v", 700, 900), ("2r", 700, 900)]
    body = m["items"][0]["items"][0]["items"][0]["body"]
    assert body["service"][0]["id"].startswith("https://example.org/facsimile/facs/")
    assert m["homepage"][0]["id"] == "https://example.org/facsimile/letter.html"


def test_what_cannot_be_shown_is_reported_and_said(built):
    _, report = built
    found = {(Path(d.path).name, d.line, d.message.split(":")[0]) for d in report.findings
             if d.rule == "facsimile"}
    assert ("missing.xml", 13, "page image not found") in found
    assert any(f[0] == "remote.xml" and "browsers cannot show p5.tif" in f[2] for f in found)
    page = _page(built, "missing")
    assert not page.xpath("//*[@id='tk-facs']") and not page.xpath("//script[contains("
                                                                    "@src, 'facs')]")
    assert page.xpath("//p[@class='facs-none']")[0].text == (
        "The page images of this document are not available.")
    assert page.xpath("//a[@class='pb-label' and contains(@href, 'javascript')]") == []


def test_a_page_without_images_is_as_it_was(built, tmp_path):
    raw = (built[0] / "plain.html").read_text(encoding="utf-8")
    for mark in ("data-facs", "tk-facs", "facs.js", "facs.css", "openseadragon", "data-zone"):
        assert mark not in raw
    # the same page as the stylesheets make it without any page images given
    project = load_project(EDITION)
    doc, _ = load(EDITION / "tei" / "plain.xml")
    params = toolkit.formats.stylesheet_params(project, ["html"], "2026-01-01")
    alone = render(doc.tree, "html", {**params, "source-name": "plain", "source-uri": (
        EDITION / "tei" / "plain.xml").resolve().as_uri()}, project, doc.path)
    assert raw == alone
    # an edition without images has none of the viewer's files
    root = tmp_path / "plain"
    (root / "tei").mkdir(parents=True)
    shutil.copyfile(EDITION / "tei" / "plain.xml", root / "tei" / "plain.xml")
    out = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"])).output
    assert not list((out / "html" / "assets").glob("facs.*"))
    assert not list((out / "html" / "assets").glob("openseadragon.*"))


def test_the_csp_gets_what_the_viewer_needs(tmp_path):
    root = edition_copy(tmp_path / "e", None)
    out = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"])).output

    def policy(name: str) -> str:
        page = lxml_html.parse(str(out / "html" / f"{name}.html")).getroot()
        return page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]

    base = policy("plain")  # unchanged where there is no image
    assert base.startswith("default-src 'none'; script-src 'self'; style-src 'self';")
    letter = policy("letter")
    assert "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='" in letter
    assert "img-src 'self';" in letter and "http" not in letter
    remote_page = policy("remote")
    assert ("img-src 'self' https://iiif.example.org https://images.example.org"
            in remote_page)
    assert "connect-src 'self' https://iiif.example.org https://images.example.org" in (
        remote_page)
    # canvases of a manifest not read at build time may come from any https host
    assert "img-src 'self' https: https://iiif.example.org;" in policy("manifest")


def test_text_editions_keep_their_page_references(tmp_path):
    with_images = toolkit.build(load_project(edition_copy(tmp_path / "a", None)),
                                toolkit.BuildOptions(formats=["text"], build_date="2026-01-01"))
    root = edition_copy(tmp_path / "b", None)
    for f in (root / "tei").glob("*.xml"):  # the same documents, with no image at all
        f.write_text(re.sub(r'\s(facs|url)="[^"]*"', "", f.read_text(encoding="utf-8")),
                     encoding="utf-8")
    without = toolkit.build(load_project(root), toolkit.BuildOptions(
        formats=["text"], build_date="2026-01-01"))
    for name in ("letter.txt", "letter.diplomatic.txt", "remote.txt"):
        a = (with_images.output / "text" / name).read_text(encoding="utf-8")
        assert a == (without.output / "text" / name).read_text(encoding="utf-8")
    reading = (with_images.output / "text" / "letter.txt").read_text("utf-8")
    assert "[p. 1r]" in reading and "[p. 2r]" in reading


def test_the_pdf_ends_with_plates_when_asked(tmp_path):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    root = edition_copy(tmp_path / "e", None, 'facsimile_plates = true')
    text = (root / "teikit.toml").read_text(encoding="utf-8")
    # (no base_url: the print edition's citation cannot take one yet, see the security work)
    (root / "teikit.toml").write_text(re.sub(r"(?m)^base_url.*$", "", text).replace(
        'formats = ["html"]', 'formats = ["pdf"]'), encoding="utf-8")
    for name in ("remote", "manifest", "missing", "plain"):
        (root / "tei" / f"{name}.xml").unlink()
    report = toolkit.build(load_project(root))
    pdf = report.output / "pdf" / "letter.pdf"
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Plates" in out
    assert [m for m in re.findall(r"Plate \d: p\. \w+", out)] == [
        "Plate 1: p. 1r", "Plate 2: p. 1v", "Plate 3: p. 2r"]
    assert "[p. 1r]" in out or "1r" in out  # the text's own references stay


def test_a_changed_image_is_published_anew(tmp_path):
    root = edition_copy(tmp_path / "e", None)
    for name in ("remote", "manifest", "missing", "plain"):
        (root / "tei" / f"{name}.xml").unlink()
    project = load_project(root)
    first = toolkit.build(project, toolkit.BuildOptions(formats=["html"]))
    before = _data(lxml_html.parse(str(first.output / "html" / "letter.html")).getroot())
    image(root / "tei" / "img" / "p3.jpg", (500, 700))
    again = toolkit.build(project, toolkit.BuildOptions(formats=["html"]))
    assert again.built == ["letter"]
    after = _data(lxml_html.parse(str(again.output / "html" / "letter.html")).getroot())
    assert after["pages"][2]["src"]["id"] != before["pages"][2]["src"]["id"]
    assert after["pages"][2]["src"]["width"] == 500
    assert (again.output / "html" / after["pages"][2]["src"]["id"]).is_dir()
    assert not (again.output / "html" / before["pages"][2]["src"]["id"]).exists()


# ------------------------------------------------------------- fetching, only when allowed


def test_no_request_at_build_time_unless_allowed(tmp_path):
    with serve(tmp_path / "server") as server:
        root = edition_copy(tmp_path / "e", server.base)
        report = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"]))
        assert server.requests == []
        data = _data(lxml_html.parse(str(report.output / "html" / "remote.html")).getroot())
        assert data["pages"][0]["src"] == f"{server.base}/iiif/Hs-30885,146_001/info.json"
        assert data["origins"] == [server.base]


def test_fetched_at_build_time_when_allowed(tmp_path):
    with serve(tmp_path / "server") as server:
        root = edition_copy(tmp_path / "e", server.base, "facsimile_fetch = true")
        report = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"]))
        html = report.output / "html"
        data = _data(lxml_html.parse(str(html / "remote.html")).getroot())
        # the info.json inline (works from file:// without CORS), the tiles stay remote
        assert data["pages"][0]["src"]["id"] == f"{server.base}/iiif/Hs-30885,146_001"
        # a plain image and one browsers cannot show: fetched, published as the edition's own
        for p in data["pages"][3:]:
            assert p["link"].startswith("facs/") and (html / p["link"]).is_file()
        manifest_page = _data(lxml_html.parse(str(html / "manifest.html")).getroot())
        assert manifest_page["manifest"]["json"]["type"] == "Manifest"
        m = json.loads((html / "iiif" / "remote.json").read_text(encoding="utf-8"))
        assert check_manifest(m) == [] and len(m["items"]) == 5
        asked = len(server.requests)
        toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"], clean=True))
        # what was fetched is kept in the image cache; what was not there is asked again
        assert server.requests[asked:] == ["/iiif/only-image/info.json"]


def test_fetching_refuses_what_it_should(tmp_path, monkeypatch):
    with serve(tmp_path / "server") as server:
        with pytest.raises(InputError, match="redirect to ftp"):
            remote.fetch_json(f"{server.base}/to-ftp", tmp_path / "cache")
        with pytest.raises(InputError, match="only http"):
            remote.fetch_json("file:///etc/passwd", tmp_path / "cache")
        monkeypatch.setattr(remote, "MAX_JSON", 100)
        with pytest.raises(InputError, match="more than"):
            remote.fetch_json(f"{server.base}/manifest.json", tmp_path / "cache")
        with pytest.raises(InputError, match="cannot fetch"):
            remote.fetch_image(f"{server.base}/scans/none.jpg", tmp_path / "cache")
        assert not list((tmp_path / "cache" / "remote").glob("*.part"))


# ------------------------------------------------------------------ documents of the corpora


def test_corpus_documents_with_facs_degrade_gracefully(tmp_path):
    corpora = shared_path("corpora")
    found = [p for p in corpora.rglob("*.xml") if b"facs=" in p.read_bytes()]
    assert found, "no document of the corpora carries @facs"
    root = tmp_path / "corpus"
    (root / "tei").mkdir(parents=True)
    for p in found:
        shutil.copyfile(p, root / "tei" / p.name)
    report = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"],
                                                                    validate=False))
    assert not report.failed
    for p in found:
        page = lxml_html.parse(str(report.output / "html" / f"{p.stem}.html")).getroot()
        data = page.xpath("//*[@id='tk-facs-data']")
        facs = read_pages(etree.parse(str(p)).getroot(), "", root)
        if not facs:  # @facs that names no page image (tei_lite's <p facs="wibble">)
            assert not data and not page.xpath("//*[@data-facs-page]")
        elif all(pg.kind == MISSING for pg in facs.pages):  # images that are absent
            assert not data and page.xpath("//p[@class='facs-none']")


# ---------------------------------------------------------------------- the vendored viewer


def test_openseadragon_is_the_release_its_licence_beside_it():
    import hashlib
    assets = Path(toolkit.__file__).parent / "html" / "assets"
    # the file of the npm package openseadragon@6.1.1 (build/openseadragon/), unchanged
    digest = hashlib.sha256((assets / "openseadragon.min.js").read_bytes()).hexdigest()
    assert digest == "14d587cd3ee7c4861f1a41077ce642029364a21029956ba635bd8fb1202cf9ad"
    licence = (assets / "openseadragon.LICENSE.txt").read_text(encoding="utf-8")
    assert "OpenSeadragon contributors" in licence and "Redistributions in binary form" in (
        licence)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "OpenSeadragon 6.1.1" in readme and "BSD-3-Clause" in readme


def test_a_break_without_a_number_still_marks_where_its_image_begins(tmp_path):
    root = tmp_path / "e"
    image(root / "tei" / "img" / "a.jpg")
    tei(root / "tei", '<pb facs="img/a.jpg"/><p>first page</p><pb n="2" facs="img/a.jpg"/>'
        '<p>second</p>', name="doc.xml")
    out = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"])).output
    page = lxml_html.parse(str(out / "html" / "doc.html")).getroot()
    marks = page.xpath("//*[@data-facs-page]")
    assert [(m.get("class"), m.get("data-facs-page"), m.text_content()) for m in marks] == [
        ("facs-mark", "0", ""), ("pb", "1", "[p. 2]")]
