"""IIIF Presentation 3.0 manifests: one per document with page images, and their check.

:func:`manifest` writes the structure the specification requires of a manifest of images:
``@context``, an HTTP(S) ``id``, ``type``, a language-map ``label``, and for each page a
Canvas (its ``height`` and ``width``: the zones' coordinate space, or the image's pixels)
holding one AnnotationPage with one ``painting`` Annotation, whose body is the Image with, for
tiled images, its level-0 ``ImageService3``. ``homepage`` is the document's page of the edition,
``seeAlso`` its TEI source. The ids must be absolute, so a manifest is only written where the
edition's public address is known (``base_url``).

:func:`check_manifest` lists what breaks a MUST of the specification among the properties a
manifest of images uses (sections 2–5 of Presentation 3.0): a validator that does not coerce
(``iiif-prezi3`` turns a string label into a language map and accepts it; the specification's
JSON schema is in no package that can be installed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PRESENTATION3_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
IMAGE_SERVICES = ("ImageService1", "ImageService2", "ImageService3")
MOTIVATIONS = ("painting", "supplementing", "commenting", "tagging", "linking", "describing",
               "highlighting", "identifying", "bookmarking", "classifying", "editing",
               "moderating", "questioning", "replying", "assessing")


@dataclass
class Canvas:
    """One page of a manifest."""

    label: str
    width: int  # the canvas: zones' coordinate space, or the image's pixels
    height: int
    image: str  # absolute URL of the image shown whole
    image_size: tuple[int, int] | None  # its pixels, where known
    format: str = "image/jpeg"
    service: str | None = None  # absolute id of a IIIF image service
    service_type: str = "ImageService3"
    profile: str = "level0"
    thumbnail: str | None = None
    thumbnail_size: tuple[int, int] | None = None


def manifest(manifest_id: str, label: str, canvases: list[Canvas], *, language: str = "none",
             homepage: str | None = None, source: str | None = None) -> dict[str, Any]:
    """The manifest at ``manifest_id`` (an absolute URL ending in .json) of ``canvases``."""
    base = re.sub(r"\.json$", "", manifest_id)
    lang = language or "none"
    items = []
    for n, c in enumerate(canvases, 1):
        canvas_id = f"{base}/canvas/{n}"
        body: dict[str, Any] = {"id": c.image, "type": "Image", "format": c.format}
        if c.image_size:
            body["width"], body["height"] = c.image_size
        if c.service:
            body["service"] = [{"id": c.service, "type": c.service_type, "profile": c.profile}]
        canvas: dict[str, Any] = {
            "id": canvas_id, "type": "Canvas", "label": {"none": [c.label or str(n)]},
            "height": c.height, "width": c.width,
            "items": [{
                "id": f"{canvas_id}/page", "type": "AnnotationPage",
                "items": [{"id": f"{canvas_id}/page/image", "type": "Annotation",
                           "motivation": "painting", "body": body, "target": canvas_id}],
            }],
        }
        if c.thumbnail:
            thumb: dict[str, Any] = {"id": c.thumbnail, "type": "Image", "format": "image/jpeg"}
            if c.thumbnail_size:
                thumb["width"], thumb["height"] = c.thumbnail_size
            canvas["thumbnail"] = [thumb]
        items.append(canvas)
    out: dict[str, Any] = {"@context": PRESENTATION3_CONTEXT, "id": manifest_id,
                           "type": "Manifest", "label": {lang: [label]}, "items": items}
    if homepage:
        out["homepage"] = [{"id": homepage, "type": "Text", "format": "text/html",
                            "label": {lang: [label]}}]
    if source:
        out["seeAlso"] = [{"id": source, "type": "Dataset", "format": "application/tei+xml",
                           "profile": "http://www.tei-c.org/ns/1.0"}]
    return out


# ---------------------------------------------------------------------------- the check


def _is_uri(v: Any) -> bool:
    return isinstance(v, str) and re.match(r"https?://[^/\s]+", v) is not None \
        and not re.search(r"\s", v)


def _is_language_map(v: Any) -> bool:
    return (isinstance(v, dict) and bool(v) and all(
        isinstance(k, str) and re.fullmatch(r"none|[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", k)
        and isinstance(x, list) and x and all(isinstance(s, str) for s in x)
        for k, x in v.items()))


def _is_dimension(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


class _Check:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.ids: dict[str, str] = {}

    def add(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def resource(self, obj: Any, where: str, kind: str, unique: bool = True) -> bool:
        """An object with an HTTP(S) id and the type ``kind``."""
        if not isinstance(obj, dict):
            self.add(where, f"a {kind} must be a JSON object")
            return False
        rid = obj.get("id")
        if not _is_uri(rid):
            self.add(where, f"id must be an HTTP(S) URI, got {rid!r}")
        elif unique:
            if rid in self.ids:
                self.add(where, f"id {rid} is also the id of {self.ids[rid]}")
            self.ids[rid] = where
        if obj.get("type") != kind:
            self.add(where, f"type must be {kind!r}, got {obj.get('type')!r}")
        if "label" in obj and not _is_language_map(obj["label"]):
            self.add(where, 'label must be a language map such as {"en": ["…"]}')
        return True

    def links(self, m: dict, key: str, where: str) -> None:
        value = m.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            self.add(where, f"{key} must be a list")
            return
        for i, link in enumerate(value):
            if isinstance(link, dict) and not isinstance(link.get("type"), str):
                self.add(f"{where}.{key}[{i}]", "type is required")
            if not isinstance(link, dict) or not _is_uri(link.get("id")):
                self.add(f"{where}.{key}[{i}]", "id must be an HTTP(S) URI")

    def body(self, body: Any, where: str) -> None:
        if not self.resource(body, where, body.get("type") if isinstance(body, dict)
                             and body.get("type") in ("Image", "Choice") else "Image",
                             unique=False):
            return
        fmt = body.get("format")
        if fmt is not None and not (isinstance(fmt, str) and fmt.startswith("image/")):
            self.add(where, f"format of an Image must be an image/* media type, got {fmt!r}")
        for k in ("width", "height"):
            if k in body and not _is_dimension(body[k]):
                self.add(where, f"{k} must be a positive integer")
        services = body.get("service", [])
        if not isinstance(services, list):
            self.add(where, "service must be a list")
            services = []
        for i, s in enumerate(services):
            ws = f"{where}.service[{i}]"
            sid = s.get("id", s.get("@id")) if isinstance(s, dict) else None
            stype = s.get("type", s.get("@type")) if isinstance(s, dict) else None
            if not _is_uri(sid):
                self.add(ws, "id must be an HTTP(S) URI")
            if stype not in IMAGE_SERVICES:
                self.add(ws, f"type must be one of {', '.join(IMAGE_SERVICES)}, got {stype!r}")
            elif stype == "ImageService3" and s.get("profile") not in ("level0", "level1",
                                                                      "level2"):
                self.add(ws, "the profile of an ImageService3 must be level0, level1 or level2")

    def canvas(self, c: Any, where: str) -> None:
        if not self.resource(c, where, "Canvas"):
            return
        if ("width" in c) != ("height" in c):
            self.add(where, "a Canvas with a width must have a height, and the reverse")
        if not ("width" in c or "duration" in c):
            self.add(where, "a Canvas of an image must have a height and a width")
        for k in ("width", "height"):
            if k in c and not _is_dimension(c[k]):
                self.add(where, f"{k} must be a positive integer")
        pages = c.get("items", [])
        if not isinstance(pages, list):
            self.add(where, "items must be a list of AnnotationPages")
            pages = []
        for pi, page in enumerate(pages):
            wp = f"{where}.items[{pi}]"
            if not self.resource(page, wp, "AnnotationPage"):
                continue
            annotations = page.get("items", [])
            if not isinstance(annotations, list):
                self.add(wp, "items must be a list of Annotations")
                continue
            for ai, a in enumerate(annotations):
                wa = f"{wp}.items[{ai}]"
                if not self.resource(a, wa, "Annotation"):
                    continue
                motivation = a.get("motivation")
                motivations = motivation if isinstance(motivation, list) else [motivation]
                if not all(isinstance(x, str) and x for x in motivations):
                    self.add(wa, "motivation must be a string (or a list of strings)")
                elif "painting" not in motivations:
                    self.add(wa, "an Annotation in a Canvas's items must have the motivation "
                                 "painting")
                target = a.get("target")
                tid = target.get("id") if isinstance(target, dict) else target
                if not isinstance(tid, str) or tid.split("#")[0] != c.get("id"):
                    self.add(wa, f"target must be the Canvas {c.get('id')}, got {tid!r}")
                body = a.get("body")
                if body is None:
                    self.add(wa, "body is required")
                for bi, b in enumerate(body if isinstance(body, list) else [body]):
                    if b is not None:
                        self.body(b, f"{wa}.body" + (f"[{bi}]" if isinstance(body, list)
                                                     else ""))
        for i, thumb in enumerate(c.get("thumbnail", []) or []):
            self.resource(thumb, f"{where}.thumbnail[{i}]", "Image", unique=False)


def check_manifest(m: Any) -> list[str]:
    """What in ``m`` breaks a MUST of IIIF Presentation 3.0 (empty: nothing)."""
    check = _Check()
    if not isinstance(m, dict):
        return ["the manifest must be a JSON object"]
    context = m.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if PRESENTATION3_CONTEXT not in contexts or contexts[-1] != PRESENTATION3_CONTEXT:
        check.add("Manifest", f"@context must be, or end with, {PRESENTATION3_CONTEXT}")
    check.resource(m, "Manifest", "Manifest")
    if not _is_language_map(m.get("label")):
        check.add("Manifest", 'label is required and must be a language map such as '
                              '{"en": ["…"]}')
    items = m.get("items")
    if not isinstance(items, list) or not items:
        check.add("Manifest", "items must be a list of one or more Canvases")
        items = []
    for i, c in enumerate(items):
        check.canvas(c, f"items[{i}]")
    for key in ("homepage", "seeAlso", "rendering"):
        check.links(m, key, "Manifest")
    if "rights" in m and not _is_uri(m["rights"]):
        check.add("Manifest", "rights must be a URI")
    return check.problems
