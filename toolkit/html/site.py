"""The edition-wide pages of the web edition: ``index.html``, the registers (``persons.html``,
``places.html``, ``organisations.html``), ``search.html`` with its index, and ``assets/`` (CSS,
JavaScript, fonts).

Each document's page is written by :mod:`toolkit.html.page` in the build's workers; this module
puts together what spans documents from their facts: a site file (:func:`site_tree`) that the
HTML stylesheets render into the site pages, the registers' data
(:mod:`toolkit.html.registers`) and the search index (:mod:`toolkit.html.search`). Every page
works from ``file://`` and makes no network request.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from lxml import etree

from toolkit import i18n
from toolkit.errors import ConfigError
from toolkit.formats import PageSet, page_sets
from toolkit.html.published import image_problem
from toolkit.html.registers import merge_entities
from toolkit.html.search import search_blocks_file, write_search_index
from toolkit.html.search_index import FOLDER as SEARCH_FOLDER
from toolkit.project import confine
from toolkit.project.config import Project
from toolkit.project.paths import assets_dir
from toolkit.tei import TEIKIT_NS as SITE_NS
from toolkit.transform import render

#: the site pages write_site makes, in navigation order
SITE_PAGES = ("index", "persons", "places", "organisations", "search")


def write_site(
    project: Project | None, facts: list[dict[str, Any]], html_dir: Path, params: dict[str, Any]
) -> None:
    """Write the index, the registers, the search page and index (of each interface language:
    the main one's in ``html_dir``, another's in ``html_dir/<tag>/``), and the assets, with
    the interface's strings for the scripts (``assets/strings.js``)."""
    html_dir = Path(html_dir)
    html_dir.mkdir(parents=True, exist_ok=True)
    facts = [f for f in facts if f and f.get("name")]
    _check_names(facts)
    copy_assets(html_dir, facsimile=any(f.get("facsimile") for f in facts))
    _copy_graphics(facts, html_dir, project)
    sets = page_sets(project, params)
    (html_dir / "assets" / "strings.js").write_text(
        i18n.script({ps.params["language"]: ps.params["strings"] for ps in sets}),
        encoding="utf-8")
    for ps in sets:
        folder = html_dir / ps.folder
        folder.mkdir(exist_ok=True)
        own = [_facts_of(f, ps.folder) for f in facts]
        site = site_tree(own)
        for page in SITE_PAGES:
            out = render(site, "html", {**ps.params, "page": page}, project)
            (folder / f"{page}.html").write_text(out, encoding="utf-8")
        write_search_index(own, folder, reading=str(params.get("reading", "normalised")),
                           strings=ps.params["strings"], target=html_dir / search_index(ps))


def search_index(ps: PageSet) -> str:
    """The folder of a page set's search index, relative to ``html/``."""
    return f"{SEARCH_FOLDER}.{ps.folder}" if ps.folder else SEARCH_FOLDER


def _facts_of(f: dict[str, Any], folder: str) -> dict[str, Any]:
    """A document's facts as the page set in ``folder`` has them (its dates in its words)."""
    if not folder:
        return f
    own = {**f, **f.get("page_sets", {}).get(folder, {})}
    if f.get("search"):
        own["search"] = str(search_blocks_file(Path(f["search"]).parent, folder))
    return own


def _check_names(facts: list[dict[str, Any]]) -> None:
    """A document page may not take the name of a site page (authority files may: their
    entries are shown in the registers instead)."""
    for f in facts:
        if f["name"] in SITE_PAGES and f.get("kind") != "authority":
            raise ConfigError(
                f"the document '{f['name']}' would overwrite the site page {f['name']}.html",
                path=f.get("source"),
                hint="rename the TEI file",
            )


#: the viewer of page images and its library: copied only for an edition that has images
FACSIMILE_ASSETS = ("facs.*", "openseadragon.*")


def copy_assets(html_dir: Path, facsimile: bool = True) -> None:
    """Copy the stylesheet, scripts and fonts into ``html_dir/assets`` (the page images'
    viewer only if ``facsimile``)."""
    target = Path(html_dir) / "assets"
    skip = ("__pycache__", "*.md", "*.py") + (() if facsimile else FACSIMILE_ASSETS)
    shutil.copytree(
        assets_dir(),
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(*skip),
    )


def _copy_graphics(facts: list[dict[str, Any]], html_dir: Path,
                   project: Project | None = None) -> None:
    """Images the pages show (relative paths, checked by the stylesheet and by the page's
    writer) are copied from beside their TEI source, if they are raster images inside the
    edition's sources (:func:`toolkit.html.published.image_problem`: checked again, the file
    may have changed); any other is left out, and the page keeps its description."""
    for f in facts:
        src_dir = Path(f.get("source_dir", ""))
        area = confine.sources(project) if project is not None else confine.Area(
            "the document's folder", (confine.real(src_dir),))
        for rel in f.get("graphics", []):
            src, dst = src_dir / rel, html_dir / rel
            if image_problem(src, area) is None and not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(confine.real(src), dst)


# ---------------------------------------------------------------------------- the site file


def _el(parent: etree._Element, tag: str, **attrs: Any) -> etree._Element:
    el = etree.SubElement(parent, f"{{{SITE_NS}}}{tag}")
    for k, v in attrs.items():
        if v is None or v == "":
            continue
        el.set(k.replace("_", "-"), str(v))
    return el


def site_tree(facts: list[dict[str, Any]]) -> etree._ElementTree:
    """The site file the stylesheet renders the site pages from: documents and entities."""
    root = etree.Element(f"{{{SITE_NS}}}site", nsmap={None: SITE_NS})
    for f in facts:
        _el(
            root,
            "document",
            name=f["name"],
            kind=f.get("kind", "text"),
            title=f.get("title") or f["name"],
            author=f.get("author"),
            date=f.get("date"),
            date_iso=f.get("date_iso"),
            source=f.get("source_citation"),
            lang=f.get("language"),
        )
    for e in merge_entities(facts).values():
        el = _el(
            root,
            "entity",
            id=e["id"],
            type=e["type"],
            name=e.get("name"),
            sort=e.get("sort"),
            dates=e.get("dates"),
            birth=e.get("birth"),
            death=e.get("death"),
            role=e.get("role"),
            note=e.get("note"),
            located=e.get("located"),
            wikidata=e.get("wikidata"),
            lang=e.get("lang"),
        )
        for m in e["mentions"]:
            _el(
                el,
                "mention",
                doc=m["doc"],
                doc_title=m["doc_title"],
                anchor=m["anchor"],
                text=m["text"],
                role=m["role"],
                other=m["other"],
                other_type=m["other_type"],
                other_name=m.get("other_name"),
                lang=m.get("lang"),
            )
    return etree.ElementTree(root)


