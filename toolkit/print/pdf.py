"""PDF stage: lay out the print edition's HTML with WeasyPrint and write a tagged PDF/UA-1 file.

The HTML from ``xslt/print/print.xsl`` carries its stylesheet and metadata; this module owns what
stylesheets cannot do: the paper size option, the PDF variant (tags, language, title, author,
embedded fonts), one page reference per page in the index of names (CSS cannot drop repeated
generated numbers, so the anchors' pages are learnt from a first layout), and making sure
WeasyPrint lost no footnote and printed the notes of every page in their order.

Two faults of WeasyPrint's own layout are mended before it runs (:mod:`toolkit.print.mends`).

WeasyPrint fetches nothing but the toolkit's own files and ``data:`` URLs (:func:`_fetcher`:
no network, no local file of the project's choosing, whatever a print.css overlay asks for),
and every link in the PDF leads inside the document or to a web address (:func:`safe_links`:
no ``javascript:`` or ``file:`` link actions).
"""

from __future__ import annotations

import contextvars
import os
import re
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from toolkit.diagnostics import WARNING, Diagnostic
from toolkit.errors import TransformError
from toolkit.formats import Job
from toolkit.html.published import safe_href
from toolkit.print import lines
from toolkit.print.mends import is_apparatus_entry, mend_weasyprint
from toolkit.print.plates import plates_json
from toolkit.project import confine
from toolkit.project.config import PAPERS
from toolkit.project.paths import image_cache
from toolkit.transform import render, xslt_dir

#: paper option -> CSS page size
PAGE_SIZES = {"a4": "A4", "letter": "letter"}

#: PDF/UA-1 turns on tagging and the metadata it requires (PDF 1.7).
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}

# Second attempt after a lost footnote (user !important rules win over the document's).
_NO_WIDOW_CONTROL = "* { orphans: 1 !important; widows: 1 !important; }"
#: the last resort where WeasyPrint loses a footnote however laid out: every note printed in
#: brackets where its call would stand (the document is printed whole, not refused)
_NOTES_IN_TEXT = (_NO_WIDOW_CONTROL
                  + " .fn { float: none !important; display: inline !important;"
                  " font-size: 0.85em; }"
                  " .fn::before { content: ' ['; } .fn::after { content: ']'; }")

# <span class="ix-pages" data-mentions="id1 id2">…links…</span>, as print-index.xsl writes it.
_INDEX_PAGES = re.compile(
    r'(<span class="ix-pages" data-mentions=")([^"]*)(">)(.*?)(</span>)', re.S
)
_INDEX_SECTION = re.compile(r"<!--tk:index-->.*?<!--/tk:index-->", re.S)
_FOOTNOTE_CLASS = re.compile(r'class="fn(?:\s[^"]*)?"')


class _LostFootnotes(Exception):
    """A layout placed fewer footnotes than the HTML has."""


class _DisorderedFootnotes(_LostFootnotes):
    """A layout printed footnotes out of the order of their calls."""


def write_pdf(html: str, target: Path, *, paper: str = "a4") -> None:
    """Write the PDF of ``html`` (the print stylesheet's output) to ``target``."""
    doc, _ = render_document(safe_links(html), paper=paper)
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        doc.write_pdf(tmp, **PDF_OPTIONS)
        os.replace(tmp, target)
    except OSError as exc:
        raise TransformError(f"cannot write the PDF: {exc}", path=target) from None
    except Exception as exc:  # WeasyPrint raises many kinds
        raise TransformError(
            f"WeasyPrint could not write the PDF: {exc}",
            path=target,
            hint="report this with the document that caused it",
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def render_document(html: str, *, paper: str = "a4"):
    """Lay out ``html``; return the WeasyPrint document and the final HTML (index deduplicated)."""
    size = PAGE_SIZES.get(str(paper).lower())
    if size is None or str(paper).lower() not in PAPERS:
        raise TransformError(
            f"unknown paper size {paper!r}", hint="use one of: " + ", ".join(PAPERS)
        )
    # Should WeasyPrint still lose a footnote or print the notes out of their order (its faults
    # mended here were two causes; widow and orphan control is part of both), the layout is redone
    # without that control. Notes out of order that stay so are printed all the same, from the
    # first such layout; notes still lost are printed in the text.
    disordered: str | None = None
    for extra in ("", _NO_WIDOW_CONTROL):
        try:
            return _render(html, size, extra)
        except _DisorderedFootnotes:
            if disordered is None:
                disordered = extra
        except _LostFootnotes:
            pass
    if disordered is not None:
        return _render(html, size, disordered, order=False)
    # Lost however laid out (a WeasyPrint fault: seen with a note and an apparatus entry that
    # only fail together): the notes go into the text, in brackets, rather than no PDF at all.
    inline = notes_inline.get()
    if inline is not None:
        inline.append(True)
    return _render(html, size, _NOTES_IN_TEXT, order=False, footnotes=False)


def _render(html: str, size: str, extra_css: str, *, order: bool = True,
            footnotes: bool = True):
    html = lines.verse_keys(html)
    # The first layout only has to place the anchors, which all lie before the index (it comes
    # last). The index then gets one link per page, to the first mention on it, showing that
    # page's number; if the final layout puts an anchor elsewhere, the index falls back to the
    # stylesheet's target-counter() links, right by construction but slower (WeasyPrint lays out
    # a page with generated numbers three times, balancing the index columns each time).
    def check(html: str, doc) -> None:
        if not footnotes:
            return
        _check_footnotes(html, doc)
        if order:
            _check_footnote_order(doc)

    without_index = _INDEX_SECTION.sub("", html)
    doc = _layout(without_index, size, extra_css)
    check(without_index, doc)
    if lines.wanted(html):  # a critical edition: its pages' lines numbered, its entries keyed

        def layout(h: str):
            d = _layout(h, size, extra_css)
            check(h, d)
            return d

        html, without_index, doc = lines.number(html, without_index, doc, layout)
    if without_index == html:
        return doc, html
    pages = anchor_pages(doc)
    final = dedupe_index(html, pages, numbers=True)
    doc = _layout(final, size, extra_css)
    check(final, doc)
    final_pages = anchor_pages(doc)
    if any(final_pages.get(a) != p for a, p in _index_links(final)):
        final = dedupe_index(html, final_pages, numbers=False)
        doc = _layout(final, size, extra_css)
        check(final, doc)
    return doc, final


def anchor_pages(doc) -> dict[str, int]:
    """Anchor (HTML id) -> number of the page it lies on, counting from 1."""
    pages: dict[str, int] = {}
    for number, page in enumerate(doc.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def dedupe_index(html: str, pages: dict[str, int], *, numbers: bool = True) -> str:
    """Keep, for each index entry, one link per page: the first mention on that page. With
    ``numbers`` the link shows the page number from ``pages``; without, print.css generates it."""

    def one_per_page(match: re.Match) -> str:
        first_on_page: dict[int, str] = {}
        for anchor in match.group(2).split():
            page = pages.get(anchor)
            if page is not None:
                first_on_page.setdefault(page, anchor)
        if not first_on_page:
            return match.group(0)
        if numbers:
            links = (
                f'<a class="ix-page" href="#{escape(first_on_page[p])}">{p}</a>'
                for p in sorted(first_on_page)
            )
        else:
            links = (
                f'<a class="ix-ref" href="#{escape(first_on_page[p])}"></a>'
                for p in sorted(first_on_page)
            )
        return match.group(1) + match.group(2) + match.group(3) + ", ".join(links) + match.group(5)

    return _INDEX_PAGES.sub(one_per_page, html)


def _index_links(html: str) -> list[tuple[str, int]]:
    """(anchor, page number shown) of each numbered index link."""
    return [
        (a, int(p)) for a, p in re.findall(r'<a class="ix-page" href="#([^"]+)">(\d+)</a>', html)
    ]


def _layout(html: str, size: str, extra_css: str = ""):
    try:
        # Imported here: WeasyPrint takes about a second to import, which a build without a
        # print edition (and every command but build) should not pay.
        import weasyprint
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise TransformError(
            f"WeasyPrint is not available: {exc}", hint="install teikit with its dependencies"
        ) from None

    mend_weasyprint()
    fetcher = _fetcher(weasyprint)
    # A user !important rule: wins over the size the HTML asks for.
    user_css = [weasyprint.CSS(string=f"@page {{ size: {size} !important; }} {extra_css}",
                               url_fetcher=fetcher)]
    try:
        document = weasyprint.HTML(string=html, base_url=str(xslt_dir() / "print"),
                                   url_fetcher=fetcher)
        return document.render(stylesheets=user_css, **PDF_OPTIONS)
    except Exception as exc:
        raise TransformError(
            f"WeasyPrint could not lay out the document: {exc}",
            hint="check the print stylesheet (xslt/print/)",
        ) from None


#: the URLs WeasyPrint was refused while laying out the current document
refused: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("refused",
                                                                          default=None)
#: folders besides the toolkit's whose files the current document may load (the plates the
#: build made of its page images, in the image cache)
#: set to a list by write_document: True is appended when the notes went into the text
notes_inline: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar(
    "notes_inline", default=None)
loadable: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("loadable",
                                                                           default=())


def _allowed(url: str) -> bool:
    """WeasyPrint may load ``data:`` URLs, the toolkit's own files (fonts, print.css) and the
    images the build made for this document (:data:`loadable`)."""
    scheme = url.partition(":")[0].lower()
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    path = url2pathname(urlparse(url).path)
    roots = (*confine.toolkit_roots(), *(confine.real(p) for p in loadable.get()))
    return confine.Area("the toolkit", roots).file_problem(path) is None


def _fetcher(weasyprint):
    """A URL fetcher for WeasyPrint that refuses what :func:`_allowed` does not allow (and
    remembers it in :data:`refused`)."""

    def check(url: str) -> None:
        if not _allowed(url):
            found = refused.get()
            if found is not None and url not in found:
                found.append(url)
            raise ValueError(f"refused by teikit (not a file of the toolkit): {url}")

    base = getattr(weasyprint, "URLFetcher", None)
    if base is None:  # WeasyPrint before 68: a function
        def fetch(url, *args, **kwargs):
            check(url)
            return weasyprint.default_url_fetcher(url, *args, **kwargs)

        return fetch

    class Fetcher(base):
        def fetch(self, url, headers=None):
            check(url)
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols=("file", "data"), allow_redirects=False)


_HREF = re.compile(r'(\s)href="([^"]*)"')


def safe_links(html: str) -> str:
    """``html`` with every link that is not an anchor in the document or a web address
    dropped (its text stays): a PDF link action never runs script nor opens a local file,
    whatever the stylesheets (or a project's override) made."""

    def keep(m: re.Match) -> str:
        url = unescape(m.group(2))
        if url.startswith("#") or (safe_href(url) is not None and ":" in url.split("/")[0]):
            return m.group(0)
        return m.group(1) + 'data-refused-href=""'

    return _HREF.sub(keep, html)


def _check_footnotes(html: str, doc) -> None:
    """Every footnote of ``html`` must be on a page, and whole."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    expected = len(_FOOTNOTE_CLASS.findall(html))
    placed: set[int] = set()
    for number, page in enumerate(doc.pages, start=1):
        box = page._page_box
        placed.update(id(e) for e in _collect_footnotes(box))
        for area in box.children:
            if isinstance(area, FootnoteAreaBox) and area.position_y < box.content_box_y() - 1:
                raise TransformError(
                    f"the footnotes of page {number} are taller than the page",
                    hint="a note is too long to print as a footnote; shorten or split it",
                )
    if len(placed) < expected:
        raise _LostFootnotes(f"{len(placed)} of {expected} footnotes were placed")


def _check_footnote_order(doc) -> None:
    """The footnotes must be printed in the order of the text: on each page in their order, and
    none before a note of an earlier page (a note carried over to the next page keeps its
    place among the notes there). The notes and the entries of the critical apparatus are two
    series, each in its order (the entries of a page follow its notes)."""
    if not doc.pages:
        return
    root = doc.pages[0]._page_box.children[0].element
    order = {id(e): i for i, e in enumerate(root.iter())}
    last, seen = {False: -1, True: -1}, set()
    for number, page in enumerate(doc.pages, start=1):
        for element in _collect_footnotes(page._page_box):
            if id(element) in seen:  # the rest of a note split over pages
                continue
            seen.add(id(element))
            series = is_apparatus_entry(element)
            place = order.get(id(element), last[series])
            if place < last[series]:
                raise _DisorderedFootnotes(
                    f"page {number} prints a footnote after one that follows it in the text"
                )
            last[series] = place


def _collect_footnotes(box) -> list:
    """The footnote elements laid out under ``box``, in the order of the footnote areas."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    if isinstance(box, FootnoteAreaBox):
        # Notes are blocks of the area; entries of the apparatus are inline, in the lines of
        # an anonymous block (which has the area's element).
        found = []
        for child in box.children:
            element = getattr(child, "element", None)
            if element is not None and element is not box.element:
                if "fn" in (element.get("class") or "").split():
                    found.append(element)
                continue
            for line in getattr(child, "children", ()):
                found += [c.element for c in getattr(line, "children", ())
                          if getattr(c, "element", None) is not None
                          and "fn" in (c.element.get("class") or "").split()]
        return found
    found = []
    for child in getattr(box, "children", ()):
        found += _collect_footnotes(child)
    return found


def write_document(job: Job) -> None:
    """The format registry's writer of the print edition: ``<name>.pdf``."""
    job.folder.mkdir(parents=True)
    html = render(job.doc.tree, "print", {**job.params, "source-name": job.name,
                                          "facsimile": plates_json(job)}, job.project, job.path)
    token, images = refused.set([]), loadable.set((image_cache(job.project),))
    inline = notes_inline.set([])
    try:
        write_pdf(html, job.folder / f"{job.name}.pdf", paper=job.project.paper)
        if notes_inline.get():
            job.diagnostics.append(Diagnostic(
                job.doc.display, 1, 1, WARNING, "the print edition has its notes in the text, "
                "in brackets: WeasyPrint lost some of them at the foot of the page however the "
                "pages were laid out (the web and text editions are not affected)",
                "print-notes"))
        for url in refused.get() or []:
            job.diagnostics.append(Diagnostic(
                job.doc.display, 1, 1, WARNING, f"the print edition asked for {url}, which "
                "was not loaded: the PDF is made from the toolkit's own files only (no network, "
                "no other local file but its page images)", "print-fetch"))
    finally:
        refused.reset(token)
        loadable.reset(images)
        notes_inline.reset(inline)
