"""The page images of a document's web page: published beside it, described for its viewer.

:func:`page_images` is called by the page's writer before the page is rendered. It reads the
document's pages (:func:`toolkit.facsimile.pages.read_pages`), publishes its local images
into ``html/facs/<folder>/`` (tiles or one image each, :mod:`toolkit.facsimile.images`),
fetches remote ones only when ``facsimile_fetch`` allows it, writes the IIIF manifest
``html/iiif/<name>.json`` when the edition's address is known, and returns the viewer's data:
the JSON the stylesheets put on the page (``facsimile`` parameter, read by
``xslt/html/html-facsimile.xsl`` and ``assets/facs.js``). Problems become the document's
warnings (rule ``facsimile``); a page whose image cannot be had is shown as such.

The data: ``pages`` (each: ``label``, ``pb`` the place of its break among the document's pb,
``src`` what OpenSeadragon opens — an inline ``info.json`` with a relative id, an info.json URL
or ``{"type": "image", "url": …}`` —, ``alt`` a plain image to try should ``src`` fail,
``canvas`` an id or position in ``manifest``, ``link`` the image a reader without JavaScript
is given, ``space`` the zones' width and height, ``zones``, ``missing``), ``manifest`` (a IIIF
manifest the canvases come from: its ``url``, and its ``json`` when fetched), ``iiif`` (this
document's manifest) and ``origins`` (the remote hosts the page loads from, for its
Content-Security-Policy).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from toolkit.diagnostics import INFO, WARNING, Diagnostic
from toolkit.errors import InputError
from toolkit.facsimile import images, remote
from toolkit.facsimile.manifest import Canvas, check_manifest, manifest
from toolkit.facsimile.pages import CANVAS, IIIF, IMAGE, WEB_IMAGE, Page, read_pages
from toolkit.formats import Job
from toolkit.project.paths import image_cache

RULE = "facsimile"


def page_images(job: Job) -> dict[str, Any] | None:
    """Publish the document's page images; the viewer's data, or None when it has none."""
    project = job.project
    facs = read_pages(job.doc.root, project.facsimile_url, project.root)
    for el, message in facs.notes:
        _warn(job, el, message)
    if not facs:
        return None
    cache = image_cache(project)
    data: dict[str, Any] = {"pages": []}
    canvases: list[Canvas] | None = []
    folders: set[str] = set()
    base = project.base_url.rstrip("/")
    for page in facs.pages:
        entry, canvas = _page(job, page, cache, folders, base)
        data["pages"].append(entry)
        if canvases is not None and not entry.get("missing"):
            canvases = canvases + [canvas] if canvas is not None else None
    if facs.manifest:
        data["manifest"] = {"url": facs.manifest}
        if project.facsimile_fetch:
            try:
                data["manifest"]["json"] = remote.fetch_json(facs.manifest, cache)
            except InputError as exc:
                _warn(job, job.doc.root, exc.message)
    if canvases and base:
        _write_manifest(job, canvases, data)
    elif canvases is None and base and not facs.manifest:
        _warn(job, job.doc.root, "no IIIF manifest is written: the size of a remote page image "
              "is not known (give its graphic @width and @height, or set facsimile_fetch = "
              "true)", INFO)
    data["origins"] = sorted(_origins(data))
    job.facts["facsimile"] = {"pages": len(data["pages"]), "folders": sorted(folders)}
    return data


def data_json(data: dict[str, Any] | None, site_root: str = "") -> str:
    """The viewer's data as the stylesheet parameter ``facsimile`` ('' for no images), for a
    page ``site_root`` below ``html/`` (the page set of a further interface language): the
    images and manifests published in ``html/`` are reached through it."""
    if not data:
        return ""
    if site_root:
        data = _below(data, site_root)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _below(value: Any, site_root: str) -> Any:
    if isinstance(value, str):
        return site_root + value if value.startswith(_PUBLISHED) else value
    if isinstance(value, dict):
        return {k: _below(v, site_root) for k, v in value.items()}
    if isinstance(value, list):
        return [_below(v, site_root) for v in value]
    return value


#: the folders of html/ the data's own links point into (every other link is a web address)
_PUBLISHED = ("facs/", "iiif/")


# ----------------------------------------------------------------------------- each page


def _page(job: Job, page: Page, cache: Path, folders: set[str],
          base: str) -> tuple[dict[str, Any], Canvas | None]:
    """One page's entry in the data, and its canvas for this document's manifest (None when
    its size is not known)."""
    entry: dict[str, Any] = {"label": page.label, "pb": page.pb}
    project = job.project
    try:
        local = remote.local_copy(page, cache, project.facsimile_fetch)
        if local is not None:
            return _published(job, page, local, cache, folders, base, entry)
        if page.kind == IIIF:
            try:
                return _service(job, page, cache, entry)
            except InputError:
                if not page.fallback:
                    raise
                # no service there (an Image API address of a plain image): the image
                entry.pop("alt", None)
                path = remote.fetch_image(page.fallback, cache)
                return _published(job, page, path, cache, folders, base, entry)
    except InputError as exc:
        _warn(job, page.element, exc.message)
        entry["missing"] = True
        return entry, None
    if page.kind == IMAGE and not WEB_IMAGE.search(urlsplit(page.ref).path):
        _warn(job, page.element, f"browsers cannot show {page.ref.rsplit('/', 1)[-1]}: set "
              "facsimile_fetch = true to have it converted at build time")
        entry.update(missing=True, link=page.ref)
        return entry, None
    if page.kind == IMAGE:
        entry.update(src={"type": "image", "url": page.ref}, link=page.ref)
        _space(entry, page, None)
        w, h = page.space or (0, 0)
        return entry, Canvas(page.label, round(w), round(h), page.ref, None,
                             format=_format(page.ref)) if page.space else None
    if page.kind == CANVAS:
        entry["canvas"] = int(page.ref) if page.ref.isdigit() else page.ref
        _space(entry, page, None)
        return entry, None
    entry["missing"] = True  # MISSING: reported where it was read
    return entry, None


def _published(job: Job, page: Page, path: Path, cache: Path, folders: set[str], base: str,
               entry: dict[str, Any]) -> tuple[dict[str, Any], Canvas]:
    """A local image (or one fetched): its tiles or web image, beside the page."""
    pub = images.publish(path, cache, job.project.facsimile_tiles)
    folder = f"facs/{pub.folder}"
    if pub.folder not in folders:
        images.link_into(pub, cache, job.folder / folder)
        folders.add(pub.folder)
    entry["link"] = f"{folder}/{pub.view}"
    if pub.tiled:
        entry["src"] = pub.info(folder)
        if base:  # the info.json a IIIF viewer elsewhere reads: its id must be absolute
            info = job.folder / folder / "info.json"
            if not info.exists():
                info.write_text(json.dumps(pub.info(f"{base}/{folder}")), encoding="utf-8")
    else:
        entry["src"] = {"type": "image", "url": entry["link"]}
    _space(entry, page, (pub.width, pub.height))
    w, h = page.space or (pub.width, pub.height)
    canvas = Canvas(page.label, max(1, round(w)), max(1, round(h)),
                    f"{base}/{folder}/{pub.view}", pub.view_size,
                    format=_format(pub.view),
                    service=f"{base}/{folder}" if pub.tiled else None,
                    thumbnail=f"{base}/{folder}/{pub.thumb}", thumbnail_size=pub.thumb_size)
    return entry, canvas


def _service(job: Job, page: Page, cache: Path,
             entry: dict[str, Any]) -> tuple[dict[str, Any], Canvas | None]:
    """A IIIF image service: its info.json inline when fetched, else its address."""
    service = page.ref[: -len("/info.json")]
    entry["link"] = page.fallback or f"{service}/full/max/0/default.jpg"
    if page.fallback:
        entry["alt"] = page.fallback
    if not job.project.facsimile_fetch:  # (its version and size are not known here)
        entry["src"] = page.ref
        _space(entry, page, None)
        w, h = page.space or (0, 0)
        return entry, Canvas(page.label, round(w), round(h), entry["link"],
                             None) if page.space else None
    info = remote.fetch_json(page.ref, cache)
    width, height = info.get("width"), info.get("height")
    if not (isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0):
        raise InputError(f"{page.ref} is not a IIIF info.json (no width and height)")
    entry["src"] = info
    _space(entry, page, (width, height))
    three = "ImageService3" in (info.get("type"), info.get("@type")) or str(
        info.get("@context", "")).endswith("/3/context.json")
    w, h = page.space or (width, height)
    profile = info.get("profile")
    profile = profile[0] if isinstance(profile, list) and profile else profile
    level = next((lv for lv in ("level0", "level1", "level2") if lv in str(profile)), "level0")
    return entry, Canvas(page.label, round(w), round(h), entry["link"], None,
                         service=service,
                         service_type="ImageService3" if three else "ImageService2",
                         profile=level)


def _space(entry: dict[str, Any], page: Page, pixels: tuple[int, int] | None) -> None:
    """The zones and the coordinate space they are in (None: the image's, known later)."""
    space = page.space or pixels
    if space:
        entry["space"] = [_num(space[0]), _num(space[1])]
    if page.zones:
        entry["zones"] = [
            {"id": z.id, "rect": [_num(v) for v in z.rect]} if z.rect
            else {"id": z.id, "points": [[_num(x), _num(y)] for x, y in z.points or []]}
            for z in page.zones]


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(float(v), 2)


def _format(name: str) -> str:
    ext = os.path.splitext(urlsplit(name).path)[1].lower()
    return {".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}.get(
        ext, "image/jpeg")


# -------------------------------------------------------------------- the whole document


def _write_manifest(job: Job, canvases: list[Canvas], data: dict[str, Any]) -> None:
    base = job.project.base_url.rstrip("/")
    name = job.name
    title = _title(job)
    language = (job.doc.root.get("{http://www.w3.org/XML/1998/namespace}lang") or "none")
    m = manifest(f"{base}/iiif/{name}.json", title, canvases, language=language,
                 homepage=f"{base}/{name}.html", source=f"{base}/tei/{name}.xml")
    problems = check_manifest(m)
    if problems:  # our own mistake: say so rather than publish a broken manifest
        _warn(job, job.doc.root, "IIIF manifest not written: " + "; ".join(problems[:3]))
        return
    target = job.folder / "iiif" / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(m, ensure_ascii=False, indent=1), encoding="utf-8")
    data["iiif"] = f"iiif/{name}.json"


def _title(job: Job) -> str:
    ns = "{http://www.tei-c.org/ns/1.0}"
    for title in job.doc.root.iter(f"{ns}title"):
        text = " ".join("".join(title.itertext()).split())
        if text and any(a.tag == f"{ns}titleStmt" for a in title.iterancestors()):
            return text
    return job.name


def _origins(data: dict[str, Any]) -> set[str]:
    """The remote hosts the viewer loads from (images, info.json, tiles, manifests)."""
    found = set()

    def add(url: Any) -> None:
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            parts = urlsplit(url)
            found.add(f"{parts.scheme}://{parts.netloc}")

    for page in data["pages"]:
        src = page.get("src")
        add(src if isinstance(src, str) else (src or {}).get("id") or (src or {}).get(
            "@id") or (src or {}).get("url"))
        add(page.get("alt"))
        add(page.get("canvas"))
    manifest_data = data.get("manifest")
    if manifest_data:
        add(manifest_data["url"])
        if not manifest_data.get("json"):
            return found | {"https:"}  # its canvases are not known yet: any https host
        for value in _strings(manifest_data["json"]):
            add(value)
    return found


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k in ("id", "@id", "url"):
                yield from _strings(v)
            elif isinstance(v, dict | list):
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _warn(job: Job, el, message: str, severity: str = WARNING) -> None:
    line, column = job.doc.locate(el) if el is not None else (1, 1)
    job.diagnostics.append(Diagnostic(job.doc.display or str(job.path), line, column,
                                      severity, message, RULE))

