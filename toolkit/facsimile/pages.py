"""Which image belongs to which page break, and which zones of it the text points to.

:func:`read_pages` reads a document's ``pb`` elements in document order and the
``<facsimile>``. A ``pb/@facs`` may be

- a URL: an image (``https://…/p4.jpg``), a IIIF Image API service (``…/info.json``, or a
  service base with ``/iiif/`` in its path), an Image API request
  (``…/full/max/0/default.jpg``: the service is tried first, the image is the fallback);
- a path relative to the TEI file (``img/f1r.jpg``, also through ``xml:base``);
- a pointer to a ``surface`` (its first ``graphic``) or a ``graphic`` (``#s1``; the ``#``
  forgotten is forgiven when the name is an id of the document);
- a bare identifier (``Hs-30885,146_001``), or a ``graphic/@url`` holding one, which the
  ``facsimile_url`` pattern makes a URL.

A document may also name a IIIF Presentation manifest (``facsimile/@sameAs``, or a
``graphic/@url`` or ``pb/@facs`` ending in ``manifest.json`` or ``/manifest``): page breaks
without an image of their own then take its canvases in order, and a ``pb/@facs`` that is some
other web address names a canvas. When no page break has ``@facs``, the surfaces are paired
with the page breaks in order if there are as many of each, and are pages of their own (not
tied to a place in the text) otherwise.

Zones (``zone`` with ``@ulx @uly @lrx @lry`` or ``@points``) are kept in the coordinates of
their surface (``surface/@ulx…@lry``, else ``graphic/@width/@height`` in pixels, else the
image's own pixels, known only once the image is read), moved to start at 0,0. Only zones that
an element of the text points to (``lb``, ``l``, ``seg``, ``head``… with ``@facs="#z1"``) are
kept. Nothing here reads an image or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from lxml import etree

from toolkit.project import confine
from toolkit.tei import TEI_NS

LOCAL = "local"  # a file of the edition: ref is its absolute path
IMAGE = "image"  # a web image: ref is its URL
IIIF = "iiif"  # a IIIF Image API service: ref is its info.json URL
CANVAS = "canvas"  # a canvas of the document's manifest: ref is its id, or "" (by position)
MISSING = "missing"  # named, but not to be had: ``problem`` says why

_T = f"{{{TEI_NS}}}"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|tiff?|jp2|jpx|bmp)$", re.IGNORECASE)
#: what a browser shows by itself (anything else must be converted at build time)
WEB_IMAGE = re.compile(r"\.(jpe?g|png|gif|webp)$", re.IGNORECASE)
_INFO_JSON = re.compile(r"/info\.json$")
#: an Image API request: {service}/{region}/{size}/{rotation}/{quality}.{format}
_IMAGE_REQUEST = re.compile(
    r"^(https?://.+?)/(full|square|\d+,\d+,\d+,\d+|pct:[\d.,]+)/"
    r"(max|full|\^?!?\d*,\d*|\^?pct:[\d.]+|\^max)/!?\d+(\.\d+)?/"
    r"(default|color|gray|bitonal|native)\.(jpe?g|png|webp|gif|tiff?)$")
_MANIFEST = re.compile(r"(manifest(\.json)?|/manifest)$", re.IGNORECASE)
#: characters of an identifier left as they are in a URL path segment ("," as in IIIF ids)
_ID_SAFE = "-_.~,;:@!$'()*+="


@dataclass
class Zone:
    """A region of a page: a rectangle (x, y, width, height) or a polygon, in page space."""

    id: str
    rect: tuple[float, float, float, float] | None = None
    points: list[tuple[float, float]] | None = None


@dataclass
class Page:
    """The image of one page of the source."""

    label: str  # pb/@n (or surface/@n), "" when there is none
    pb: int | None  # the break's place among all pb of the document (1-based); None: no break
    kind: str  # LOCAL, IMAGE, IIIF, CANVAS or MISSING
    ref: str  # see the kinds above; for MISSING, the reference as the TEI writes it
    element: etree._Element  # where the reference is written (for messages)
    fallback: str | None = None  # a plain image to show should the IIIF service fail
    space: tuple[float, float] | None = None  # width, height of the zones' coordinates
    zones: list[Zone] = field(default_factory=list)
    problem: str | None = None  # why a MISSING page has no image


@dataclass
class Facsimile:
    """A document's page images: the pages, a manifest they come from, what was wrong."""

    pages: list[Page] = field(default_factory=list)
    manifest: str | None = None  # URL of a IIIF Presentation manifest
    notes: list[tuple[etree._Element, str]] = field(default_factory=list)  # (where, what)

    def __bool__(self) -> bool:
        return bool(self.pages)


def read_pages(root: etree._Element, pattern: str = "",
               allowed_root: Path | None = None) -> Facsimile:
    """The page images of the document at ``root`` (see the module's description).
    ``pattern`` is the ``facsimile_url`` setting; local files outside ``allowed_root`` (the
    project's folder) are not images of the edition."""
    reader = _Reader(root, pattern, allowed_root)
    return reader.read()


class _Reader:
    def __init__(self, root: etree._Element, pattern: str, allowed: Path | None) -> None:
        self.root = root
        self.pattern = pattern
        self.allowed = Path(allowed).resolve() if allowed is not None else None
        self.facs = Facsimile()
        self.ids: dict[str, etree._Element] = {}
        for el in root.iter(f"{_T}surface", f"{_T}graphic", f"{_T}zone"):
            if el.get(_XML_ID):
                self.ids.setdefault(el.get(_XML_ID), el)

    def read(self) -> Facsimile:
        self.facs.manifest = self._manifest()
        breaks = list(self.root.iter(f"{_T}pb"))
        text_breaks = [(n, pb) for n, pb in enumerate(breaks, 1) if _in_text(pb)]
        if any(pb.get("facs", "").strip() for _, pb in text_breaks) or self.facs.manifest:
            canvas = 0
            for n, pb in text_breaks:
                page = self._page_of_break(pb, n)
                if page is None and self.facs.manifest:
                    page = Page(pb.get("n", "").strip(), n, CANVAS, str(canvas), pb)
                    canvas += 1
                if page is not None:
                    self.facs.pages.append(page)
        else:
            self._pair_surfaces(text_breaks)
        if any(page.zones for page in self.facs.pages):
            referenced = self._referenced_zones()
            for page in self.facs.pages:
                page.zones = [z for z in page.zones if z.id in referenced]
        return self.facs

    # ------------------------------------------------------------------- the references

    def _manifest(self) -> str | None:
        for el in self.root.iter(f"{_T}facsimile"):
            url = _web_url(el.get("sameAs", "").split()[0] if el.get("sameAs") else "")
            if url:
                return url
        for el in self.root.iter(f"{_T}graphic", f"{_T}pb"):
            for token in (el.get("url") or el.get("facs") or "").split():
                url = _web_url(urljoin(el.base or "", token)) if "://" in token else None
                if url and _MANIFEST.search(urlsplit(url).path):
                    return url
        return None

    def _page_of_break(self, pb: etree._Element, n: int) -> Page | None:
        """The page of a break with @facs (None: it has none, or it names the manifest)."""
        tokens = pb.get("facs", "").split()
        label = pb.get("n", "").strip()
        first_missing = None
        for token in tokens:
            page = self._resolve(token, pb, label, n)
            if page is None:
                continue
            if page.kind != MISSING:
                return page
            first_missing = first_missing or page
        if first_missing is not None and first_missing.problem:
            self.facs.notes.append((pb, first_missing.problem))
        return first_missing

    def _resolve(self, token: str, pb: etree._Element, label: str, n: int) -> Page | None:
        target = self.ids.get(token[1:] if token.startswith("#") else token)
        if token.startswith("#") and target is None:
            exists = bool(self.root.xpath("//*[@xml:id = $i]", i=token[1:]))
            return Page(label, n, MISSING, token, pb, problem=(
                f"pb/@facs points to {token}, which is no surface or graphic of this document"
                if exists else None))  # (a pointer to nothing: the integrity check says so)
        if target is not None and target.tag in (f"{_T}surface", f"{_T}graphic"):
            return self._page_of_target(target, label, n, pb)
        if target is not None:  # a zone: the page of its surface
            surface = next(target.iterancestors(f"{_T}surface"), None)
            if surface is not None:
                return self._page_of_target(surface, label, n, pb)
        url = _web_url(urljoin(pb.base or "", token)) if "://" in token else None
        if url and self.facs.manifest and (url == self.facs.manifest):
            return None  # the page takes the manifest's next canvas
        if url and self.facs.manifest and _kind_of_url(url)[0] == IMAGE \
                and not _IMAGE_FILE.search(urlsplit(url).path):
            return Page(label, n, CANVAS, url, pb)  # a canvas of the manifest, by its id
        page = self._page_of_reference(token, pb, label, n)
        return page

    def _page_of_target(self, target: etree._Element, label: str, n: int | None,
                        where: etree._Element) -> Page:
        surface = target if target.tag == f"{_T}surface" else target.getparent()
        if surface is not None and surface.tag != f"{_T}surface":
            surface = None
        graphic = target if target.tag == f"{_T}graphic" else _main_graphic(target)
        label = label or (surface.get("n", "").strip() if surface is not None else "")
        if graphic is None or not graphic.get("url", "").strip():
            name = target.get(_XML_ID) or "the surface"
            page = Page(label, n, MISSING, f"#{name}", where,
                        problem=f"surface {name} has no graphic with a url: its page has no image")
        else:
            page = self._page_of_reference(graphic.get("url").strip(), graphic, label, n)
        page.space = _space(surface, graphic)
        origin = _origin(surface)
        if surface is not None:
            page.zones = [z for z in (_zone(el, origin) for el in surface.iter(f"{_T}zone"))
                          if z is not None]
        return page

    def _page_of_reference(self, value: str, el: etree._Element, label: str,
                           n: int | None) -> Page:
        """A URL, a relative path or a bare identifier, as written on ``el``."""
        if value.startswith("#"):
            return Page(label, n, MISSING, value, el, problem=(
                f"{value} is no surface or graphic of this document"))
        scheme = urlsplit(value).scheme.lower()
        if scheme and len(scheme) > 1:  # (a one-letter "scheme" is a Windows drive)
            url = _web_url(value)
            if url is None:
                return Page(label, n, MISSING, value, el, problem=(
                    f"'{_short(value)}' is not an image: only http(s) addresses and paths "
                    "relative to the TEI file are"))
            kind, ref, fallback = _kind_of_url(url)
            return Page(label, n, kind, ref, el, fallback=fallback)
        base = el.base or ""
        if base.startswith(("http://", "https://")):  # xml:base made it a web address
            return self._page_of_reference(urljoin(base, value), el, label, n)
        if _IMAGE_FILE.search(value) or "/" in value:
            return self._local(value, base, el, label, n)
        if self.pattern:
            url = self.pattern.replace("{facs}", quote(value, safe=_ID_SAFE))
            kind, ref, fallback = _kind_of_url(url)
            return Page(label, n, kind, ref, el, fallback=fallback)
        return Page(label, n, MISSING, value, el, problem=(
            f"'{_short(value)}' is an identifier, not a file or a web address: set "
            "facsimile_url to the pattern of your image server's addresses, e.g. "
            "\"https://iiif.example.org/{facs}/info.json\""))

    def _local(self, value: str, base: str, el: etree._Element, label: str,
               n: int | None) -> Page:
        folder = Path(base[7:] if base.startswith("file://") else base or ".")
        if base and not base.endswith("/"):
            folder = folder.parent
        path = (folder / unquote(value)).resolve()
        if self.allowed is not None and not _inside(path, self.allowed):
            return Page(label, n, MISSING, value, el, problem=(
                f"page image {_short(value)} is outside the edition's folder: it is not "
                "published"))
        if not path.is_file():
            return Page(label, n, MISSING, value, el, problem=(
                f"page image not found: {_short(value)} (the page break is shown without it)"))
        return Page(label, n, LOCAL, str(path), el)

    # ------------------------------------------------------------- pages without @facs

    def _pair_surfaces(self, text_breaks: list[tuple[int, etree._Element]]) -> None:
        """No break names an image: the surfaces in order, with the breaks if they agree."""
        surfaces = [s for f in self.root.iter(f"{_T}facsimile")
                    for s in f.iter(f"{_T}surface") if _main_graphic(s) is not None]
        if not surfaces:
            surfaces = [g for f in self.root.iter(f"{_T}facsimile")
                        for g in f.iter(f"{_T}graphic") if g.getparent().tag != f"{_T}surface"]
        if not surfaces:
            return
        paired = len(surfaces) == len(text_breaks)
        if text_breaks and not paired:
            self.facs.notes.append((surfaces[0], (
                f"{len(text_breaks)} page breaks and {len(surfaces)} surfaces, and no pb with "
                "@facs: the images are shown apart from the text; give each pb "
                "@facs=\"#surface-id\" to tie them to their pages")))
        for i, surface in enumerate(surfaces):
            n, pb = text_breaks[i] if paired else (None, None)
            label = pb.get("n", "").strip() if pb is not None else ""
            page = self._page_of_target(surface, label, n, surface)
            if page.kind == MISSING:
                self.facs.notes.append((surface, page.problem or "no image"))
            self.facs.pages.append(page)

    # -------------------------------------------------------------------------- zones

    def _referenced_zones(self) -> set[str]:
        """Zones an element of the text points to."""
        found = set()
        for el in self.root.iter():
            value = el.get("facs") if isinstance(el.tag, str) else None
            if not value or el.tag in (f"{_T}pb", f"{_T}surface", f"{_T}zone"):
                continue
            for token in value.split():
                target = self.ids.get(token[1:]) if token.startswith("#") else None
                if target is not None and target.tag == f"{_T}zone":
                    found.add(token[1:])
        return found


# ------------------------------------------------------------------------------ helpers


def _in_text(pb: etree._Element) -> bool:
    return any(a.tag == f"{_T}text" for a in pb.iterancestors())


def _main_graphic(surface: etree._Element) -> etree._Element | None:
    """The graphic that shows a surface: the first that is not a thumbnail."""
    graphics = [g for g in surface.findall(f"{_T}graphic") if g.get("url", "").strip()]
    full = [g for g in graphics if g.get("type", "").lower() not in ("thumbnail", "thumb")]
    return (full or graphics or [None])[0]


def _web_url(value: str) -> str | None:
    """An absolute http(s) address without blanks, quotes or controls, or None."""
    value = value.strip()
    if re.match(r"https?://[^/\\\s]", value, re.IGNORECASE) and not re.search(
            r"[\s\"'<>\\\x00-\x1f\x7f]", value):
        return value
    return None


def _kind_of_url(url: str) -> tuple[str, str, str | None]:
    """(kind, ref, fallback) of a web address."""
    path = urlsplit(url).path
    if _INFO_JSON.search(path):
        return IIIF, url, None
    m = _IMAGE_REQUEST.match(url)
    if m:
        return IIIF, m.group(1) + "/info.json", url
    if not _IMAGE_FILE.search(path) and "/iiif/" in path.lower() and not path.endswith("/"):
        return IIIF, url + "/info.json", None
    return IMAGE, url, None


def _number(value: str | None) -> float | None:
    """A coordinate or a size in pixels ("6000", "6000px"); other units say nothing."""
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(px)?\s*", value or "")
    return float(m.group(1)) if m else None


def _origin(surface: etree._Element | None) -> tuple[float, float]:
    if surface is None:
        return 0.0, 0.0
    x, y = _number(surface.get("ulx")), _number(surface.get("uly"))
    return (x or 0.0, y or 0.0) if x is not None and y is not None else (0.0, 0.0)


def _space(surface: etree._Element | None,
           graphic: etree._Element | None) -> tuple[float, float] | None:
    if surface is not None:
        c = [_number(surface.get(a)) for a in ("ulx", "uly", "lrx", "lry")]
        if all(v is not None for v in c) and c[2] > c[0] and c[3] > c[1]:
            return (c[2] - c[0], c[3] - c[1])
    if graphic is not None:
        w, h = _number(graphic.get("width")), _number(graphic.get("height"))
        if w and h and w > 0 and h > 0:
            return (w, h)
    return None


def _zone(el: etree._Element, origin: tuple[float, float]) -> Zone | None:
    zid = el.get(_XML_ID)
    if not zid:
        return None
    ox, oy = origin
    if el.get("points"):
        pts = []
        for pair in el.get("points").split():
            xy = pair.split(",")
            nums = [_number(v) for v in xy] if len(xy) == 2 else [None]
            if None in nums:
                return None
            pts.append((nums[0] - ox, nums[1] - oy))
        return Zone(zid, points=pts) if len(pts) >= 3 else None
    c = [_number(el.get(a)) for a in ("ulx", "uly", "lrx", "lry")]
    if any(v is None for v in c) or c[2] <= c[0] or c[3] <= c[1]:
        return None
    return Zone(zid, rect=(c[0] - ox, c[1] - oy, c[2] - c[0], c[3] - c[1]))


def _inside(path: Path, root: Path) -> bool:
    """Inside ``root`` (symlinks followed), in no hidden folder or file (.git, caches): the
    rule of every file a build reads (:mod:`toolkit.project.confine`)."""
    return confine.Area("the edition's folder", (confine.real(root),)).allows(path)


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit - 1] + "…"
