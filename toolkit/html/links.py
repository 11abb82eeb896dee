"""The edition around each document: where each of its pointers leads and, for a letter, its
neighbours, as the parameter ``edition`` of every stylesheet (see xslt/common/edition.xsl).

The build knows, before any page is made, every file's ids, entries and pointers (the id index,
:mod:`toolkit.validation.index`, whose :meth:`~toolkit.validation.index.IdIndex.resolve` is the
one resolver), the data of every entry (the store), the page of every register entry
(:class:`~toolkit.html.registers.Layout`) and the order of the letters
(:mod:`toolkit.html.letters`). :class:`Edition` turns what a document points to into links:
a register entry (its card's data and its page), another document's page and the anchor in it.
:meth:`Edition.context_key` says what a document's context is made of without reading any
entry's data, so that the document is rebuilt exactly when something it shows changes (an
entry it names, the title of a letter it links to, its neighbours).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from toolkit.html.published import page_href
from toolkit.html.registers import Layout
from toolkit.html.store import Store
from toolkit.tei import TEIKIT_NS
from toolkit.validation.index import IdIndex, Target

#: a file's links as the build keeps them: (kind, value, xml:base chain) each
Link = tuple[str, str, str]
#: the card data a page is given of an entry
CARD_FIELDS = ("type", "name", "sort", "dates", "birth", "death", "role", "note", "located",
               "wikidata")


def pack_links(links: Iterable[Link]) -> str:
    """A file's links as one string (the parent keeps one per file of the edition)."""
    return "\x1e".join("\x1f".join(link) for link in links)


def unpack_links(packed: str) -> list[Link]:
    return [tuple(x.split("\x1f")) for x in packed.split("\x1e")] if packed else []  # type: ignore[misc]


def base_of_chain(source: str, chain: str) -> str | None:
    """The base an xml:base chain (outermost first, '|'-joined) gives inside ``source``."""
    if not chain:
        return None
    base = source
    for b in chain.split("|"):
        base = urljoin(base, b)
    return base


@dataclass
class Edition:
    """What the build knows of the edition before any page is made."""

    index: IdIndex
    pages: dict[str, str]  # file -> its page's name (without .html)
    eids: dict[tuple[str, str], str]  # entry (file, id) -> register id
    layout: Layout
    store: Store | None = None
    nav: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # file -> (rel, file)
    _memo: dict[tuple[str, str, str], Target | None] = field(default_factory=dict)

    def resolve(self, file: str, link: Link) -> Target | None:
        """Where one link of ``file`` leads (the index's resolver, remembered: most links of
        an edition are the same few thousand pointers into its registers)."""
        kind, value, chain = link
        if kind == "ptr" and value.startswith("#") and not chain:
            if value[1:] in self.index.ids.get(file, ()):
                return self.index.resolve(file, value)  # its own element
            memo = ("#", value, "")
        elif kind == "key":
            local = (file, value) in self.index.entries or any(
                f == file for f, _ in self.index.entry_keys.get(value, ()))
            if local:
                return self.index.resolve(file, value, key=True)
            memo = ("key", value, "")
        else:
            memo = (os.path.dirname(file), value, chain)
        if memo not in self._memo:
            self._memo[memo] = self.index.resolve(file, value, base_of_chain(file, chain),
                                                  key=kind == "key")
        return self._memo[memo]

    def described(self, file: str, links: Iterable[Link]):
        """(link, what it leads to) for the links of ``file`` that lead somewhere a page
        shows: (("entry", eid), ...) or (("page", href, title), ...)."""
        for link in links:
            t = self.resolve(file, link)
            if t is None:
                continue
            if t.kind == "entry":
                eid = self.eids.get((t.file, t.id or ""))
                if eid is not None:
                    yield link, ("entry", eid, t.file, t.id or "")
                continue
            if t.file == file or t.file not in self.pages:
                continue  # its own elements: the page links them itself
            href = page_href(self.pages[t.file], t.id or "")
            yield link, ("page", href, self.index.titles.get(t.file, self.pages[t.file]))

    def context_key(self, file: str, links: Iterable[Link]) -> str:
        """What the context of ``file`` is made of, digested: the targets of its links (with
        the digest of each entry's content), the pages they are on, its neighbours."""
        h = hashlib.sha256()
        entries = set()
        for link, what in self.described(file, links):
            h.update("\x1f".join(link).encode() + b"\x1e")
            if what[0] == "entry":
                eid, tfile, tid = what[1:]
                if eid not in entries:
                    entries.add(eid)
                    digest = self.index.entries.get((tfile, tid), ("", ""))[1]
                    page = self.layout.page_of.get(eid, "")
                    h.update(f"{eid}\x1f{digest}\x1f{page}".encode())
            else:
                h.update("\x1f".join(what[1:]).encode())
            h.update(b"\x1d")
        for rel, other in self.nav.get(file, ()):
            h.update(f"{rel}\x1f{self.pages.get(other)}\x1f{self.index.titles.get(other)}"
                     .encode())
        return h.hexdigest()

    def context(self, file: str, links: Iterable[Link], register: bool = False) -> str:
        """The ``edition`` parameter of the stylesheets for ``file`` (XML text); ``register``:
        the file is a register (its entries are shown in the registers' pages)."""
        root = etree.Element(f"{{{TEIKIT_NS}}}edition", nsmap={None: TEIKIT_NS})
        if register:
            root.set("register", "yes")
        wanted: dict[str, tuple[str, str]] = {}
        for link, what in self.described(file, links):
            el = etree.SubElement(root, f"{{{TEIKIT_NS}}}link", key="|".join(link))
            if what[0] == "entry":
                el.set("to", "entry")
                el.set("entry", what[1])
                wanted[what[1]] = (what[2], what[3])
            else:
                el.set("to", "page")
                el.set("href", what[1])
                el.set("title", what[2])
        data = self.store.entry_data(wanted.values()) if self.store is not None else {}
        for eid, key in wanted.items():
            d = data.get(key)
            if d is None:
                continue
            el = etree.SubElement(root, f"{{{TEIKIT_NS}}}entry", id=eid,
                                  href=self.layout.url(eid, d.get("type", "")))
            for k in CARD_FIELDS:
                if isinstance(d.get(k), str) and d[k]:
                    el.set(k, d[k])
        for rel, other in self.nav.get(file, ()):
            if other in self.pages:
                etree.SubElement(root, f"{{{TEIKIT_NS}}}nav", rel=rel,
                                 href=page_href(self.pages[other]),
                                 name=self.pages[other],
                                 title=self.index.titles.get(other, self.pages[other]))
        return etree.tostring(root, encoding="unicode")
