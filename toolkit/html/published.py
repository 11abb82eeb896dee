"""What the web edition publishes of the sources themselves, made unable to run anything.

The web edition is meant to be put on a web server, where a file that runs script runs it with
the site's origin. So the toolkit publishes only what cannot: images only as raster images whose
content is what their name says (:func:`image_problem`; an SVG can hold script and is refused),
the copy of each TEI source for download without what a browser would run when it opens it
(:func:`tei_copy`: XHTML, SVG and XUL elements, MathML links, ``xml-stylesheet`` instructions),
and links only to web addresses or inside the edition (:func:`safe_href`, used for the search
data; the stylesheets apply the same rule, ``tk:external-url``).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from toolkit.load.source import safe_parser
from toolkit.project.confine import Area

#: raster image formats published, by the bytes their files begin with
_RASTER = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP",
             ".avif": "AVIF"}


def _kind(head: bytes) -> str | None:
    for magic, kind in _RASTER:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "AVIF"
    return None


def image_problem(path: Path, area: Area) -> str | None:
    """Why the image at ``path`` is not published, or None: it must lie in ``area`` and be a
    raster image of the kind its name says (a file named .png holding HTML or SVG is not)."""
    why = area.file_problem(path)
    if why is not None:
        return f"it {why}"
    expected = _SUFFIXES.get(Path(path).suffix.lower())
    if expected is None:
        return ("only raster images (PNG, JPEG, GIF, WebP, AVIF) are published: an SVG or "
                "other file can hold script; convert it to PNG")
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    found = _kind(head)
    if found != expected:
        return (f"its content is not a {expected} image"
                + (f" but {found}" if found else "") + ": only images that are what their "
                "name says are published")
    return None


# ------------------------------------------------------------------------------ TEI copies

XHTML_NS = "http://www.w3.org/1999/xhtml"
SVG_NS = "http://www.w3.org/2000/svg"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
XUL_NS = "http://www.mozilla.org/keymaster/gatekeeper/there.is.only.xul"
XLINK_NS = "http://www.w3.org/1999/xlink"
#: elements a browser renders, and runs script in, wherever they are in an XML file
ACTIVE = (XHTML_NS, SVG_NS, XUL_NS)
_SUSPECT = tuple(ns.encode() for ns in (*ACTIVE, MATHML_NS, XLINK_NS)) + (b"xml-stylesheet",)


_EMPTY = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- teikit: not a TEI document, not '
          b'published -->\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>\n')
_STYLESHEET_PI = re.compile(rb"<\?xml-stylesheet(?:[^?]|\?(?!>))*\?>")


def tei_copy(data: bytes) -> bytes:
    """The bytes to publish as the downloadable copy of a TEI source: the source itself, but
    without what a browser opening it would render or run (XHTML, SVG, XUL elements, each
    replaced by a comment; links of MathML and XLink that are not web addresses; the
    ``xml-stylesheet`` instructions that make a browser transform it)."""
    if not any(s in data for s in _SUSPECT):
        return data  # the usual case: published byte for byte
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        return data  # not well-formed: a browser shows the parse error, it runs nothing
    changed = False
    for el in list(root.iter(*(f"{{{ns}}}*" for ns in ACTIVE))):
        parent = el.getparent()
        if parent is None:  # the root itself is foreign: publish nothing of it
            return _EMPTY
        if any(etree.QName(a).namespace in ACTIVE for a in el.iterancestors()):
            continue  # removed with its ancestor
        note = etree.Comment(f" teikit: a {etree.QName(el).namespace} element was removed "
                             "from this copy (it could run script in a browser) ")
        note.tail = el.tail
        parent.replace(el, note)
        changed = True
    for el in root.iter(tag=etree.Element):
        mathml = etree.QName(el).namespace == MATHML_NS
        for name in list(el.attrib):
            qname = etree.QName(name)
            link = qname.namespace == XLINK_NS or (mathml and qname.localname == "href")
            if (mathml and qname.localname.lower().startswith("on")) or (
                    link and safe_href(el.get(name)) is None):
                del el.attrib[name]
                changed = True
    out = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    # xml-stylesheet instructions, before the root element or inside it (text and attribute
    # values are escaped in the serialisation, so only instructions match)
    out, removed = _STYLESHEET_PI.subn(b"", out)
    return out if changed or removed else data


# ------------------------------------------------------------------------------- links

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def safe_href(url: str | None) -> str | None:
    """``url`` if a link to it cannot run anything: an http(s) or mailto address, or a path
    inside the edition (no scheme, not absolute, no ``..``); else None. Blanks and control
    characters a browser would ignore cannot disguise a scheme."""
    if url is None:
        return None
    squeezed = re.sub(r"[\s\x00-\x1f\x7f-\x9f]", "", url)
    if _SCHEME.match(squeezed):
        return url if re.match(r"^(https?://[^/\\\s]|mailto:)", squeezed, re.I) and \
            squeezed == url.strip() else None
    if squeezed.startswith(("/", "\\")) or ".." in squeezed.split("#")[0]:
        return None
    return url


def page_href(name: str, anchor: str = "") -> str:
    """The relative link to the page ``name`` (a document's output name), encoded so that no
    name (``javascript:alert(1)``) reads as a scheme: ``javascript%3Aalert(1).html``."""
    href = quote(f"{name}.html", safe="")
    return href + ("#" + quote(anchor, safe="") if anchor else "")
