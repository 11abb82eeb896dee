"""Site assembly: the parts of the web edition that span documents.

The build renders each document's page itself (``render(tree, "html", …)``); this module owns
what comes after. :func:`document_facts` asks the HTML stylesheets for a document's facts (title,
author, date, source citation, every entity mention with the paragraph it is in, the data of each
entity), so ids and anchors are computed once, in XSLT, by the same functions that make the page;
:func:`write_page_blocks` keeps the page's searchable text beside it. :func:`write_site` then
writes ``index.html``, the registers (``persons.html``, ``places.html``, ``organisations.html``),
``search.html`` with its offline index, and the ``assets/`` folder (CSS, JavaScript, fonts).
Every page works from ``file://`` and makes no network request.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from toolkit.config import Project
from toolkit.errors import ConfigError

ASSETS = Path(__file__).resolve().parent / "assets"
SITE_NS = "urn:teikit"
#: the site pages write_site makes, in navigation order
SITE_PAGES = ("index", "persons", "places", "organisations", "search")
REGISTERS = {"person": "persons", "place": "places", "org": "organisations"}
_PARAMS = ("reading", "site-title", "build-date", "base-url", "language", "formats")


def document_facts(doc, project: Project | None, name: str) -> dict[str, Any]:
    """What the index and the registers need to know about one document (JSON-serialisable).

    Keys: name, kind ("text", or "authority" for a file of standOff lists only), title, subtitle,
    author, date, date_iso, source_citation, language, graphics (local image paths), mentions
    (id, type, name, text, original, anchor, figurative, meant, meant_type) and entities
    (id -> type, name, dates, birth, death, role, note, located, wikidata).
    """
    from toolkit.transform import render

    params = {
        "page": "facts",
        "source-name": name,
        "source-uri": Path(doc.path).resolve().as_uri(),
        "reading": project.reading if project else "normalised",
        "language": project.language if project else "en",
    }
    facts = json.loads(render(doc.tree, "html", params, project, Path(doc.path)))
    facts["source_citation"] = facts.pop("source", "")
    facts["source_dir"] = str(Path(doc.path).resolve().parent)
    return facts


def write_site(
    project: Project | None, facts: list[dict[str, Any]], html_dir: Path, params: dict[str, Any]
) -> None:
    """Write the index, the registers, the search page and index, and the assets."""
    html_dir = Path(html_dir)
    html_dir.mkdir(parents=True, exist_ok=True)
    facts = [f for f in facts if f and f.get("name")]
    _check_names(facts)
    copy_assets(html_dir)
    _copy_graphics(facts, html_dir)
    site = site_tree(facts)
    from toolkit.transform import render

    base = {k: v for k, v in params.items() if k in _PARAMS}
    for page in SITE_PAGES:
        out = render(site, "html", {**base, "page": page}, project)
        (html_dir / f"{page}.html").write_text(out, encoding="utf-8")
    write_search_index(facts, html_dir, reading=str(params.get("reading", "normalised")))


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


def copy_assets(html_dir: Path) -> None:
    """Copy the stylesheet, scripts and fonts into ``html_dir/assets``."""
    target = Path(html_dir) / "assets"
    shutil.copytree(
        ASSETS,
        target,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.md", "*.py"),
    )


def _copy_graphics(facts: list[dict[str, Any]], html_dir: Path) -> None:
    """Images the pages show (relative paths, checked by the stylesheet) are copied from beside
    their TEI source; a missing one is left out, and the page keeps its description."""
    for f in facts:
        src_dir = Path(f.get("source_dir", ""))
        for rel in f.get("graphics", []):
            src, dst = src_dir / rel, html_dir / rel
            if src.is_file() and not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)


# ---------------------------------------------------------------------------- the site file


def _el(parent: etree._Element, tag: str, **attrs: Any) -> etree._Element:
    el = etree.SubElement(parent, f"{{{SITE_NS}}}{tag}")
    for k, v in attrs.items():
        if v is None or v == "":
            continue
        el.set(k.replace("_", "-"), str(v))
    return el


def merge_entities(facts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every entity of every document: data merged (first value wins), mentions collected."""
    entities: dict[str, dict[str, Any]] = {}

    def entity(eid: str, etype: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        e = entities.setdefault(eid, {"id": eid, "type": etype, "mentions": []})
        for k, v in (data or {}).items():
            if v and not e.get(k):
                e[k] = v
        return e

    for f in facts:
        data = f.get("entities", {})
        for m in f.get("mentions", []):
            if m.get("type") not in REGISTERS:
                continue
            e = entity(m["id"], m["type"], data.get(m["id"]))
            e.setdefault("name", m.get("name"))
            meant = m.get("meant") or ""
            meant_type = m.get("meant_type") or m["type"]
            e["mentions"].append(
                {
                    "doc": f["name"],
                    "doc_title": f.get("title", f["name"]),
                    "anchor": m.get("anchor", ""),
                    "text": m.get("text", ""),
                    "role": "figurative" if m.get("figurative") and meant else "name",
                    "other": meant,
                    "other_type": meant_type if meant else "",
                }
            )
            if m.get("figurative") and meant and meant_type in REGISTERS:
                target = entity(meant, meant_type, data.get(meant))
                target["mentions"].append(
                    {
                        "doc": f["name"],
                        "doc_title": f.get("title", f["name"]),
                        "anchor": m.get("anchor", ""),
                        "text": m.get("text", ""),
                        "role": "meant",
                        "other": m["id"],
                        "other_type": m["type"],
                    }
                )
    names = {eid: e.get("name") or eid for eid, e in entities.items()}
    for e in entities.values():
        for m in e["mentions"]:
            if m["other"]:
                m["other_name"] = names.get(m["other"], m["other"])
    return entities


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
            )
    return etree.ElementTree(root)


# ------------------------------------------------------------------------------- search


_SKIP = ("note-sup", "pb", "lnum", "visually-hidden", "sic-mark")
_BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "figcaption",
    "div",
    "blockquote",
}


def _block_text(el, hidden_class: str, blocks: set) -> tuple[str, str]:
    """Text of a block in the default reading, and the words of the other reading."""
    shown: list[str] = []
    other: list[str] = []

    def walk(node, sink):
        if node.text:
            sink.append(node.text)
        for child in node:
            cls = (child.get("class") or "").split()
            if child in blocks or any(c in _SKIP for c in cls):
                pass
            elif hidden_class in cls:
                walk(child, other)
            elif child.tag in _BLOCK_TAGS or child.tag == "br":
                # A paragraph inside the block (a note's label and its text) is apart from
                # what is beside it, even where the HTML has no whitespace between them.
                sink.append(" ")
                walk(child, sink)
                sink.append(" ")
            else:
                walk(child, sink)
            if child.tail:
                sink.append(child.tail)

    walk(el, shown)
    return " ".join("".join(shown).split()), " ".join("".join(other).split())


def page_blocks(page: Path, reading: str = "normalised") -> list[dict[str, str]]:
    """The searchable blocks of a document page: anchor, text, other reading."""
    tree = lxml_html.parse(str(page))
    hidden = "rd-o" if reading != "original" else "rd-n"
    scope = tree.xpath(
        "//div[contains(concat(' ', @class, ' '), ' text ')] | //section[@id='tk-notes']"
    )
    candidates = [
        el
        for s in scope
        for el in s.iter(*_BLOCK_TAGS)
        if el.get("id")
        and (
            el.tag != "div"
            or "l" in (el.get("class") or "").split()
            or "p" in (el.get("class") or "").split()
        )
    ]
    blocks = set(candidates)
    out = []
    for el in candidates:
        text, alt = _block_text(el, hidden, blocks)
        if text:
            out.append({"a": el.get("id"), "t": text, "x": alt})
    return out


def write_search_index(
    facts: list[dict[str, Any]], html_dir: Path, reading: str = "normalised"
) -> Path:
    """``assets/search-index.js``: the text of every page, loaded by a plain <script> (a fetch
    of JSON, or Pagefind's module import, is refused by browsers on ``file://``).

    ``{"docs": [...], "pages": [...], "blocks": [...]}``: ``pages[i]`` holds the blocks of the
    page ``docs[i]`` (see :func:`page_blocks`), ``blocks`` the register entries (with their
    document number ``d``). A page's blocks are read as JSON text from the file its facts name
    under ``search`` (written by the build's worker, see :func:`write_page_blocks`), else made
    from the page, and written one page at a time: the index of a large edition is never held
    in memory, nor parsed again."""
    docs, sources = [], []
    for f in sorted(facts, key=lambda f: (f.get("date_iso") or "9999", f.get("title") or "")):
        page = Path(html_dir) / f"{f['name']}.html"
        if f.get("kind") == "authority" or not page.is_file():
            continue
        meta = " · ".join(x for x in (f.get("author"), f.get("date")) if x)
        docs.append({"u": f"{f['name']}.html", "t": f.get("title") or f["name"], "m": meta})
        sources.append((f.get("search"), page))
    registers = []
    for eid, e in sorted(merge_entities(facts).items()):
        page = REGISTERS[e["type"]]
        docs.append(
            {"u": f"{page}.html#{eid}", "t": e.get("name") or eid, "m": page.capitalize(), "r": 1}
        )
        text = " ".join(x for x in (e.get("name"), e.get("role"), e.get("note")) if x)
        registers.append({"d": len(docs) - 1, "a": "", "t": text, "x": ""})
    target = Path(html_dir) / "assets" / "search-index.js"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8") as out:
        out.write('window.TEIKIT_SEARCH = {"docs":' + _js_json(docs) + ',"pages":[')
        for i, (cached, page) in enumerate(sources):
            out.write("," if i else "")
            out.write(_cached_blocks(cached) or _js_json(page_blocks(page, reading)))
        out.write('],"blocks":' + _js_json(registers) + "};\n")
    return target


def write_page_blocks(page: Path, target: Path, reading: str = "normalised") -> None:
    """Store the searchable blocks of a page as JSON in ``target``: the build does this in its
    worker, once per page, so that the search index is only put together."""
    Path(target).write_text(_js_json(page_blocks(page, reading)), encoding="utf-8")


def _cached_blocks(path: str | None) -> str | None:
    """The JSON text of a page's blocks kept by the build, or None (not there: use the page)."""
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return None
    return text if text.startswith("[") and text.endswith("]") else None


def _js_json(value: Any) -> str:
    # "</" cannot end a script that only assigns data, but keep the file safe to inline anyway.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
