"""RELAX NG grammars: read one, specialise it to a document, and answer questions about it (which
elements and attributes are allowed where).

libxml2 needs 6-10 s to compile all of tei_all, but a document uses a few dozen of its ~600
elements. :meth:`Grammar.specialise` turns every element or attribute pattern whose name the
document never uses into ``<notAllowed/>`` (a pattern that cannot match anything in the document
cannot change its verdict) and drops the definitions no longer reachable; the result, simplified
(:mod:`toolkit.validation.rng.simplify`), compiles in milliseconds. Specialised grammars are
compiled and cached by :mod:`toolkit.validation.rng.compile`, keyed by the schema's hash and the
document's element and attribute names. Nothing is ever fetched: ``include`` of a TEI Consortium
URL resolves to the installed copy (:func:`toolkit.validation.schema.resolve_uri`), any other
remote reference is refused.
"""

from __future__ import annotations

import copy
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.errors import SchemaError
from toolkit.project.confine import Area
from toolkit.tei import SCH_NS, XML_ID, XML_NS  # noqa: F401 - SCH_NS, XML_NS used by callers
from toolkit.validation import schema, store
from toolkit.validation.rng.simplify import RNG_NS, R, deambiguate, simplify
from toolkit.validation.rng.simplify import refs as _refs

ANY = ("*", "*")  # stands for "any name" in the name sets below

Name = tuple[str, str]  # (namespace, local name)
#: the rule name of schema diagnostics
RULE = "rng"
_FORMAT = "specialised-4"  # changes whenever specialise() changes what it writes


def clark(name: Name) -> str:
    return f"{{{name[0]}}}{name[1]}" if name[0] else name[1]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False,
                           remove_comments=True, collect_ids=False)


@dataclass
class Grammar:
    """A RELAX NG grammar (XML syntax), flattened and with every name made explicit."""

    path: Path
    sha: str
    root: etree._Element
    defines: dict[str, etree._Element]
    start: etree._Element
    specialisable: bool = True
    schematron: list[tuple[etree._Element, dict]] = field(default_factory=list)
    _content: dict = field(default_factory=dict, repr=False)
    _by_name: dict | None = field(default=None, repr=False)

    # -- specialisation ------------------------------------------------------------------------

    def specialise(self, elements: set[Name], attributes: set[Name]) -> bytes:
        """The grammar restricted to documents using only these element and attribute names."""
        out = etree.Element(R + "grammar", nsmap={None: RNG_NS})
        start = copy.deepcopy(self.start)
        _restrict(start, elements, attributes)
        out.append(start)
        todo = _refs(start)
        done: set[str] = set()
        while todo:
            name = todo.pop()
            if name in done:
                continue
            done.add(name)
            d = copy.deepcopy(self.defines[name])
            _restrict(d, elements, attributes)
            out.append(d)
            todo.extend(n for n in _refs(d) if n not in done)
        return etree.tostring(deambiguate(simplify(out)), encoding="utf-8")

    def key(self, elements: set[Name], attributes: set[Name]) -> str:
        return grammar_key(self.sha, elements, attributes)

    # -- questions about the grammar ------------------------------------------------------------

    def element_patterns(self) -> dict[Name, list[etree._Element]]:
        """Every element pattern with a simple name, by that name."""
        if self._by_name is None:
            found: dict[Name, list[etree._Element]] = {}
            for el in self.root.iter(R + "element"):
                for n in _names(el[0]):
                    found.setdefault(n, []).append(el)
            self._by_name = found
        return self._by_name

    def element_names(self) -> set[Name]:
        return {n for n in self.element_patterns() if n != ANY}

    def attribute_names(self) -> set[Name]:
        return {n for a in self.root.iter(R + "attribute") for n in _names(a[0]) if n != ANY}

    def start_names(self) -> set[Name]:
        return self._collect(self.start)[0]

    def children(self, name: Name) -> set[Name]:
        """Element names allowed anywhere in the content of element ``name``."""
        if ("children", name) in self._content:
            return self._content[("children", name)]
        out: set[Name] = set()
        for el in self.element_patterns().get(name, []):
            out |= self._collect_body(el)[0]
        self._content[("children", name)] = out
        return out

    def attributes(self, name: Name) -> tuple[set[Name], set[Name]]:
        """(allowed, required) attribute names of element ``name``."""
        if ("attributes", name) in self._content:
            return self._content[("attributes", name)]
        self._content[("attributes", name)] = result = self._attributes(name)
        return result

    def _attributes(self, name: Name) -> tuple[set[Name], set[Name]]:
        allowed: set[Name] = set()
        required: set[Name] | None = None
        for el in self.element_patterns().get(name, []):
            a, r = self._collect_body(el)[1:]
            allowed |= a
            required = r if required is None else required & r
        return allowed, required or set()

    def _collect_body(self, el: etree._Element) -> tuple[set, set, set]:
        elems: set[Name] = set()
        attrs: set[Name] = set()
        req: set[Name] = set()
        for child in el[1:]:
            e, a, r = self._collect(child)
            elems |= e
            attrs |= a
            req |= r
        return elems, attrs, req

    def _collect(self, pat: etree._Element, optional: bool = False) -> tuple[set, set, set]:
        """Element names, attribute names and required attribute names a pattern can contain
        directly (not inside nested elements)."""
        tag = pat.tag
        if tag == R + "element":
            return set(_names(pat[0])), set(), set()
        if tag == R + "attribute":
            names = set(_names(pat[0]))
            return set(), names, (set() if optional or len(names) != 1 else names)
        if tag == R + "ref":
            name = pat.get("name")
            if name not in self._content:
                self._content[name] = (set(), set(), set())  # guards against cycles
                self._content[name] = self._collect(self.defines[name])
            e, a, r = self._content[name]
            return e, a, (set() if optional else r)
        if tag in (R + "optional", R + "zeroOrMore"):
            optional = True
        elems: set[Name] = set()
        attrs: set[Name] = set()
        reqs: list[set[Name]] = []
        for child in pat:
            if not isinstance(child.tag, str):
                continue
            e, a, r = self._collect(child, optional)
            elems |= e
            attrs |= a
            reqs.append(r)
        if tag == R + "choice":
            req = set.intersection(*reqs) if reqs else set()
        else:
            req = set().union(*reqs) if reqs else set()
        return elems, attrs, req


def grammar_key(sha: str, elements: set[Name], attributes: set[Name]) -> str:
    """The cache key of a schema (by hash) specialised to these names."""
    h = hashlib.sha256(f"{_FORMAT}\0{sha}".encode())
    for n in sorted(elements):
        h.update(("\0e" + clark(n)).encode())
    for n in sorted(attributes):
        h.update(("\0a" + clark(n)).encode())
    return h.hexdigest()[:32]


# ---------------------------------------------------------------------------------------------
# Loading

_loaded: dict[tuple, Grammar] = {}


def load(path: Path, area: Area | None = None) -> Grammar:
    """Read and flatten the grammar at ``path`` (cached per process); with ``area`` (see
    :func:`toolkit.project.confine.code`) every file it includes must lie there."""
    path = Path(path).resolve()
    try:
        key = (str(path), path.stat().st_mtime, area.roots if area else None)
    except OSError:
        raise SchemaError(f"schema not found: {path}") from None
    if key not in _loaded:
        _loaded[key] = _load(path, area)
    return _loaded[key]


def file_sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _read(path: Path) -> etree._Element:
    try:
        return etree.parse(str(path), _parser()).getroot()
    except etree.XMLSyntaxError as exc:
        raise SchemaError(f"the schema is not well-formed XML: {exc}", path=path) from None
    except OSError as exc:
        raise SchemaError(f"cannot read the schema: {exc}", path=path) from None


def _load(path: Path, area: Area | None) -> Grammar:
    sha = hashlib.sha256()
    root = _read(path)
    if root.tag != R + "grammar":
        if root.tag.startswith(R):
            # A bare pattern: wrap it as the start of a grammar.
            g = etree.Element(R + "grammar", nsmap={None: RNG_NS})
            s = etree.SubElement(g, R + "start")
            s.append(root)
            root = g
        else:
            raise SchemaError("not a RELAX NG schema in XML syntax (expected <grammar> in "
                              f"{RNG_NS}, found {root.tag})", path=path,
                              hint="compact-syntax (.rnc) schemas must be converted with trang")
    # Embedded Schematron, with the namespaces in scope (lost once annotations are dropped).
    # Copied by serialising, before the tree is changed: moving a subtree makes lxml rebind
    # namespace prefixes, and TEI's rules bind sch: on the rule element itself.
    sch = [(etree.fromstring(etree.tostring(el)), dict(el.nsmap))
           for el in root.iter(f"{{{SCH_NS}}}pattern", f"{{{SCH_NS}}}ns")]
    specialisable = True
    defines: dict[str, etree._Element] = {}
    starts: list[etree._Element] = []

    def absorb(grammar: etree._Element, where: Path, overrides: set[str], depth: int) -> None:
        nonlocal specialisable
        sha.update(where.read_bytes())
        _normalise(grammar)
        for child in list(grammar):
            if not isinstance(child.tag, str):
                continue
            if child.tag == R + "include":
                target = _resolve(child.get("href", ""), where, area)
                if depth > 20:
                    raise SchemaError("schema includes nest too deeply", path=where)
                inc = _read(target)
                inner = {d.get("name") for d in child.iter(R + "define")}
                has_start = child.find(R + "start") is not None
                if has_start:
                    for s in inc.iter(R + "start"):
                        if s.getparent() is inc:
                            inc.remove(s)
                for d in list(inc):
                    if d.tag == R + "define" and d.get("name") in inner:
                        inc.remove(d)
                absorb(inc, target, overrides | inner, depth + 1)
                absorb(child, where, overrides, depth + 1)
            elif child.tag == R + "define":
                _add_define(defines, child)
            elif child.tag == R + "start":
                starts.append(child)
        # A nested grammar, parentRef or externalRef needs the full simplification algorithm.
        if any(True for _ in grammar.iter(R + "grammar", R + "parentRef", R + "externalRef")
               if _ is not grammar):
            specialisable = False

    absorb(root, path, set(), 0)
    if not starts:
        raise SchemaError("the schema has no <start>", path=path)
    start = _combine(starts, R + "start")
    flat = etree.Element(R + "grammar", nsmap={None: RNG_NS})
    flat.append(start)
    for d in defines.values():
        flat.append(d)
    missing = sorted({r.get("name") for r in flat.iter(R + "ref")} - set(defines))
    if missing and specialisable:
        raise SchemaError(f"the schema refers to undefined patterns: {', '.join(missing[:5])}",
                          path=path)
    return Grammar(path=path, sha=sha.hexdigest(), root=flat if specialisable else root,
                   defines=defines, start=start, specialisable=specialisable, schematron=sch)


def _add_define(defines: dict[str, etree._Element], d: etree._Element) -> None:
    name = d.get("name")
    if name in defines:
        defines[name] = _combine([defines[name], d], R + "define")
    else:
        defines[name] = d


def _combine(parts: list[etree._Element], tag: str) -> etree._Element:
    if len(parts) == 1:
        return parts[0]
    how = next((p.get("combine") for p in parts if p.get("combine")), "choice")
    out = etree.Element(tag, nsmap={None: RNG_NS})
    if parts[0].get("name"):
        out.set("name", parts[0].get("name"))
    box = etree.SubElement(out, R + how)
    for p in parts:
        inner = [c for c in p if isinstance(c.tag, str)]
        grp = etree.SubElement(box, R + "group") if len(inner) > 1 else box
        for c in inner:
            grp.append(c)
    return out


def _resolve(href: str, where: Path, area: Area | None = None) -> Path:
    if href.startswith(("http://", "https://")):
        local = schema.resolve_uri(href) or store.lookup(None, href, near=where)
        if local is None:
            raise SchemaError(f"the schema includes {href}, which is not available locally "
                              "(nothing is fetched from the network)", path=where,
                              hint="teikit schema add URL keeps a copy in the project, or save "
                                   "that schema beside yours and include it by file name")
        return local
    if href.startswith("file:"):
        href = href[5:].lstrip("/")
        href = "/" + href
    target = where.parent / href
    if not os.path.isfile(target):
        raise SchemaError(f"the schema includes {href}, which does not exist", path=where)
    why = area.file_problem(target) if area is not None else None
    if why is not None:
        raise SchemaError(f"the schema's include of {href} is refused: the file {why}",
                          path=where, hint="keep the schema's files inside the project folder")
    return target.resolve()


def _normalise(grammar: etree._Element) -> None:
    """Make names, namespaces and datatype libraries explicit; drop annotations and <div>."""
    for el in list(grammar.iter()):
        if not isinstance(el.tag, str):
            continue
        if not el.tag.startswith(R):
            parent = el.getparent()
            # Remove only the outermost foreign element; its subtree (e.g. sch:rule) stays whole.
            if parent is not None and isinstance(parent.tag, str) and parent.tag.startswith(R):
                parent.remove(el)
            continue
        tag = el.tag[len(R):]
        if tag in ("element", "attribute") and el.get("name") is not None:
            qname = el.attrib.pop("name").strip()
            if tag == "attribute" and ":" not in qname:
                ns = el.get("ns", "")
            else:
                ns = _inherited_ns(el)
            ns, local = _qname(el, qname, ns)
            nm = etree.Element(R + "name", ns=ns)
            nm.text = local
            el.insert(0, nm)
        elif tag == "name":
            ns, local = _qname(el, (el.text or "").strip(), _inherited_ns(el))
            el.text = local
            el.set("ns", ns)
        elif tag == "nsName":
            el.set("ns", _inherited_ns(el))
        elif tag == "data" or (tag == "value" and el.get("type") is not None):
            el.set("datatypeLibrary", _inherited(el, "datatypeLibrary"))
        elif tag == "value":
            el.set("type", "token")
            el.set("datatypeLibrary", "")
    for el in list(grammar.iter(R + "div")):
        parent = el.getparent()
        if parent is None:
            continue
        idx = parent.index(el)
        for i, child in enumerate(list(el)):
            parent.insert(idx + i, child)
        parent.remove(el)


def _inherited(el: etree._Element, attr: str) -> str:
    while el is not None:
        v = el.get(attr)
        if v is not None:
            return v
        el = el.getparent()
    return ""


def _inherited_ns(el: etree._Element) -> str:
    return _inherited(el, "ns")


def _qname(el: etree._Element, qname: str, default_ns: str) -> Name:
    if ":" in qname:
        prefix, local = qname.split(":", 1)
        if prefix == "xml":
            return XML_NS, local
        ns = el.nsmap.get(prefix)
        if ns is None:
            raise SchemaError(f"undeclared prefix {prefix!r} in name {qname!r}")
        return ns, local
    return default_ns, qname


def _names(nc: etree._Element) -> list[Name]:
    """The names a name class matches: a finite list, or [ANY] for anyName/nsName."""
    tag = nc.tag
    if tag == R + "name":
        return [(nc.get("ns", ""), (nc.text or "").strip())]
    if tag == R + "choice":
        out: list[Name] = []
        for c in nc:
            if isinstance(c.tag, str):
                out += _names(c)
        return out
    return [ANY]


def _restrict(tree: etree._Element, elements: set[Name], attributes: set[Name]) -> None:
    """Replace element/attribute patterns the document cannot match by <notAllowed/>."""
    for pat in list(tree.iter(R + "element", R + "attribute")):
        names = _names(pat[0])
        if ANY in names:
            continue
        used = elements if pat.tag == R + "element" else attributes
        if not any(n in used for n in names):
            parent = pat.getparent()
            if parent is None:
                continue
            na = etree.Element(R + "notAllowed")
            na.tail = pat.tail
            parent.replace(pat, na)


_last_names: list = [None, None]  # [root, its names]: checks of one document ask several times


def names_used(root: etree._Element) -> tuple[set[Name], set[Name]]:
    """The element and attribute names a document uses, as (namespace, local) pairs. Do not
    change a tree between calls (the answer for the last root asked about is kept)."""
    if _last_names[0] is root:
        return _last_names[1]
    tags: set[str] = set()
    keys: set[str] = set()
    for el in root.iter(tag=etree.Element):
        tags.add(el.tag)
        keys.update(el.keys())
    result = {_split(t) for t in tags}, {_split(a) for a in keys}
    _last_names[:] = [root, result]
    return result


def _split(clark: str) -> Name:
    if clark[0] == "{":
        ns, local = clark[1:].split("}", 1)
        return ns, local
    return "", clark


def qn(el: etree._Element) -> Name:
    """(namespace, local name) of an element (asked for every element of large documents)."""
    tag = el.tag
    name = _QN.get(tag)
    if name is None:
        name = _QN[tag] = _split(tag)
    return name


_QN: dict[str, Name] = {}
