"""ISO Schematron: compile a schema to XSLT 3.0, run it with Saxon (saxonche), report diagnostics.

A compact compiler of our own (no Schematron implementation for saxonche exists): ``pattern``,
``rule`` (first matching rule per pattern wins), ``assert``, ``report``, ``let`` (schema, pattern
and rule level), ``value-of``, ``name``, ``ns``, ``diagnostics``, abstract rules with ``extends``,
``include`` and ``role`` (``warning``/``warn``/``nonfatal``/``info`` give warnings). Each failed
check carries the element-index path of its context node, mapped back to the lxml element for
line and column. Only rules whose context can match names present in the document are compiled
(TEI's embedded rules are many and mostly about elements an edition never uses); compiled
stylesheets are cached per process.

A project's Schematron is code from the project: it is read with the safe parser, its includes
must lie in the project folder or the toolkit (each read once, at most :data:`MAX_INCLUDES` of
them), and it may call no function that reads files or the environment, nor write files
(:mod:`toolkit.project.sandbox`; what it writes anyway is captured and refused).
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.diagnostics import ERROR, WARNING, Diagnostic
from toolkit.errors import SchemaError, ToolkitError
from toolkit.load.source import Document, base_url, safe_parser
from toolkit.project import confine, sandbox
from toolkit.tei import SCH_NS, TEI_NS, XML_NS, XS_NS, XSL_NS
from toolkit.transform import prepare, processor, written_documents

S = f"{{{SCH_NS}}}"
X = f"{{{XSL_NS}}}"
WARNING_ROLES = {"warning", "warn", "nonfatal", "info", "information", "caution"}
DEFAULT_NS = {"tei": TEI_NS, "xs": XS_NS, "xml": XML_NS,
              "teix": "http://www.tei-c.org/ns/Examples"}

Name = tuple[str, str]


@dataclass
class Rule:
    context: str
    body: list[etree._Element]  # let, assert, report (abstract rules already expanded)
    id: str | None = None


@dataclass
class Pattern:
    id: str
    rules: list[Rule]
    lets: list[etree._Element] = field(default_factory=list)


@dataclass
class Schema:
    """A Schematron schema, read and expanded, ready to be compiled for a document."""

    label: str
    ns: dict[str, str]
    patterns: list[Pattern]
    lets: list[etree._Element] = field(default_factory=list)
    diagnostics: dict[str, etree._Element] = field(default_factory=dict)
    rule_prefix: str = "sch:"

    def relevant(self, elements: set[Name], attributes: set[Name]) -> list[int]:
        """Indexes of the patterns one of whose rules can match in such a document."""
        return [i for i, p in enumerate(self.patterns)
                if any(_relevant(r.context, self.ns, elements, attributes) for r in p.rules)]


#: a Schematron file and the files it includes: at most this many includes in all, nested at
#: most this deep, bringing in at most this many elements (8 files each including the next 8
#: times would otherwise expand to millions)
MAX_INCLUDES = 200
MAX_INCLUDE_DEPTH = 10
MAX_INCLUDED_ELEMENTS = 100_000


def read(path: Path, rule_prefix: str = "sch:", area: confine.Area | None = None) -> Schema:
    """Read a ``.sch`` file (following ``sch:include`` inside ``area``, by default the file's
    folder); refuse it if it may read files (:mod:`toolkit.project.sandbox`)."""
    area = area or confine.folder(path)
    root = _parse(Path(path))
    _includes(root, Path(path), 0, area, {}, [0, 0])
    try:
        sandbox.check_schematron(root, str(path), area)
    except ToolkitError as exc:
        raise SchemaError(exc.message, path=path, hint=exc.hint) from None
    if root.tag != S + "schema":
        raise SchemaError(f"not an ISO Schematron schema (root {root.tag})", path=path,
                          hint=f"the root must be <schema xmlns=\"{SCH_NS}\">")
    return _build(root.iter(S + "pattern"), _ns(root), str(path), rule_prefix,
                  lets=root.findall(S + "let"), diags=root.findall(f"{S}diagnostics/{S}diagnostic"))


def from_grammar(items: list[tuple[etree._Element, dict]], label: str) -> Schema:
    """The Schematron embedded in a RELAX NG grammar (``sch:pattern`` and ``sch:ns``)."""
    ns = dict(DEFAULT_NS)
    for el, inscope in items:
        ns.update({k: v for k, v in inscope.items() if k and k not in ns})
        if el.tag == S + "ns":
            ns[el.get("prefix")] = el.get("uri")
        try:
            sandbox.check_schematron(el, label, confine.folder(label))
        except ToolkitError as exc:
            raise SchemaError(exc.message, path=label, hint=exc.hint) from None
    return _build([el for el, _ in items if el.tag == S + "pattern"], ns, label, "sch:")


def _parse(path: Path) -> etree._Element:
    try:
        return etree.fromstring(path.read_bytes(), safe_parser(), base_url=base_url(path))
    except (etree.XMLSyntaxError, OSError) as exc:
        raise SchemaError(f"cannot read the Schematron schema: {exc}", path=path) from None


def _includes(root: etree._Element, where: Path, depth: int, area: confine.Area,
              parsed: dict[Path, tuple[etree._Element, int]], count: list[int]) -> None:
    """Replace each ``sch:include`` by the element it names: each file is read and expanded
    once (then copied), within ``area``, bounded in depth, number and size. ``count`` holds
    the includes and the elements brought in so far."""
    for inc in list(root.iter(S + "include")):
        href = inc.get("href", "")
        target = where.parent / href
        if "://" in href and not href.startswith("file:"):
            raise SchemaError(f"sch:include of '{href}' refused: only local files are "
                              "included (nothing is fetched from the network)", path=where)
        why = area.file_problem(target)
        if why is not None and not target.exists():
            raise SchemaError(f"sch:include target not found: {href}", path=where)
        if why is not None:
            raise SchemaError(f"sch:include of '{href}' refused: the file {why}", path=where)
        count[0] += 1
        if depth >= MAX_INCLUDE_DEPTH or count[0] > MAX_INCLUDES:
            raise SchemaError(f"sch:include of '{href}' refused: more than {MAX_INCLUDES} "
                              f"includes, or nested deeper than {MAX_INCLUDE_DEPTH}",
                              path=where)
        key = confine.real(target)
        if key not in parsed:
            sub = _parse(key)
            _includes(sub, key, depth + 1, area, parsed, count)
            parsed[key] = (sub, sum(1 for _ in sub.iter()))
        sub, size = parsed[key]
        count[1] += size
        if count[1] > MAX_INCLUDED_ELEMENTS:
            raise SchemaError(f"sch:include of '{href}' refused: the includes would bring more "
                              f"than {MAX_INCLUDED_ELEMENTS} elements into the schema (files "
                              "including each other many times?)", path=where)
        parent = inc.getparent()
        if parent is None:
            raise SchemaError("a Schematron file cannot be only an include", path=where)
        parent.replace(inc, copy.deepcopy(sub))


def _ns(root: etree._Element) -> dict[str, str]:
    ns = dict(DEFAULT_NS)
    ns.update({k: v for k, v in root.nsmap.items() if k})
    for el in root.iter(S + "ns"):
        ns[el.get("prefix")] = el.get("uri")
    return ns


def _build(patterns, ns, label, prefix, lets=(), diags=()) -> Schema:
    patterns = [p for p in patterns if p.get("abstract") != "true"]
    abstract = {}
    for p in patterns:
        for r in p.iter(S + "rule"):
            if r.get("abstract") == "true" and r.get("id"):
                abstract[r.get("id")] = r
    out = []
    for n, p in enumerate(patterns):
        rules = []
        for r in p.findall(S + "rule"):
            if r.get("abstract") == "true" or not r.get("context"):
                continue
            rules.append(Rule(r.get("context"), _expand(r, abstract, 0), r.get("id")))
        if rules:
            out.append(Pattern(p.get("id") or f"pattern-{n + 1}", rules,
                               p.findall(S + "let")))
    return Schema(label, ns, out, list(lets), {d.get("id"): d for d in diags}, prefix)


def _expand(rule: etree._Element, abstract: dict, depth: int) -> list[etree._Element]:
    body = []
    for c in rule:
        if c.tag == S + "extends" and c.get("rule") in abstract and depth < 10:
            body += _expand(abstract[c.get("rule")], abstract, depth + 1)
        elif c.tag in (S + "let", S + "assert", S + "report"):
            body.append(c)
    return body


# ---------------------------------------------------------------------------------------------
# Deciding which rules can fire


def _split_top(expr: str, sep: str) -> list[str]:
    parts, depth, cur, quote = [], 0, [], None
    for ch in expr:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur))
    return parts


_STEP = re.compile(r"^\s*(?:(?:child|self|descendant|descendant-or-self)::)?(@|attribute::)?"
                   r"(?:([\w.\-]+):)?([\w.\-]+|\*)\s*(.*)$", re.S)


def _relevant(context: str, ns: dict, elements: set[Name], attributes: set[Name]) -> bool:
    """False only if no union branch of ``context`` can match in the document (conservative)."""
    for branch in _split_top(context, "|"):
        steps = [s for s in _split_top(branch, "/") if s.strip()]
        if not steps:
            return True
        m = _STEP.match(steps[-1])
        if not m:
            return True
        is_attr, prefix, local, rest = m.groups()
        if rest.lstrip().startswith("("):
            return True  # a function call such as id('x') or key(...): cannot tell
        uri = ns.get(prefix, "?") if prefix else ""
        if local != "*" and (uri, local) not in (attributes if is_attr else elements):
            continue
        needed = [p.strip()[1:-1].strip() for p in _predicates(rest)]
        if any(re.fullmatch(r"@[\w.\-]+", p) and ("", p[1:]) not in attributes for p in needed):
            continue
        return True
    return False


def _predicates(rest: str) -> list[str]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(rest):
        if ch == "[":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                out.append(rest[start:i + 1])
    return out


# ---------------------------------------------------------------------------------------------
# Compiling to XSLT 3.0

_PATH = ("string-join(for $a in ancestor-or-self::* return "
         "string(count($a/preceding-sibling::*) + 1), '/')")


def to_xslt(schema: Schema, indexes: list[int]) -> bytes:
    """An XSLT 3.0 stylesheet running the patterns ``indexes`` of ``schema``; its output is a
    ``<r>`` of ``<f kind pattern rule id role node attr>message</f>`` findings."""
    user = {k: v for k, v in schema.ns.items() if k and k not in ("xsl", "xml")}
    nsmap = {"xsl": XSL_NS, **user}
    xsl = etree.Element(X + "stylesheet", nsmap=nsmap, version="3.0")
    xsl.set("exclude-result-prefixes", "#all")
    etree.SubElement(xsl, X + "output", method="xml", indent="no")
    for let in schema.lets + [lt for i in indexes for lt in schema.patterns[i].lets]:
        _variable(xsl, let, global_=True)
    main = etree.SubElement(xsl, X + "template", match="/")
    r = etree.SubElement(main, "r")
    for i in indexes:
        pat = schema.patterns[i]
        mode = f"p{i}"
        etree.SubElement(xsl, X + "mode", name=mode, **{"on-no-match": "deep-skip"})
        union = " | ".join(f"({rule.context})" for rule in pat.rules)
        etree.SubElement(r, X + "apply-templates", select=f"//({union})", mode=mode)
        for n, rule in enumerate(pat.rules):
            t = etree.SubElement(xsl, X + "template", match=rule.context, mode=mode,
                                 priority=str(len(pat.rules) - n))
            for item in rule.body:
                if item.tag == S + "let":
                    _variable(t, item)
                    continue
                test = item.get("test", "true()")
                cond = f"not({test})" if item.tag == S + "assert" else f"({test})"
                iff = etree.SubElement(t, X + "if", test=cond)
                f = etree.SubElement(iff, "f")
                for attr, value in (("kind", etree.QName(item).localname), ("pattern", pat.id),
                                    ("rule", rule.id or ""), ("id", item.get("id") or ""),
                                    ("role", item.get("role") or "")):
                    a = etree.SubElement(f, X + "attribute", name=attr)
                    a.text = value
                etree.SubElement(f, X + "attribute", name="node", select=_PATH)
                etree.SubElement(f, X + "attribute", name="attr",
                                 select="if (. instance of attribute()) then name() else ''")
                _message(f, item)
                for d in (item.get("diagnostics") or "").split():
                    if d in schema.diagnostics:
                        etree.SubElement(f, X + "text").text = " "
                        _message(f, schema.diagnostics[d])
    return etree.tostring(xsl, encoding="utf-8")


def _variable(parent: etree._Element, let: etree._Element, global_: bool = False) -> None:
    v = etree.SubElement(parent, X + "variable", name=let.get("name"))
    if let.get("value") is not None:
        v.set("select", let.get("value"))
    else:
        for c in let:
            v.append(etree.fromstring(etree.tostring(c)))


def _message(out: etree._Element, item: etree._Element) -> None:
    def text(s: str | None) -> None:
        if s:
            words = " ".join(s.split())
            lead = " " if s[0].isspace() and words else ""
            trail = " " if s[-1].isspace() else ""
            etree.SubElement(out, X + "text").text = lead + words + trail

    text(item.text)
    for c in item:
        if c.tag == S + "name":
            sel = c.get("path")
            etree.SubElement(out, X + "value-of", select=f"name({sel})" if sel else "name()")
        elif c.tag == S + "value-of":
            etree.SubElement(out, X + "value-of", select=c.get("select", "."))
        elif isinstance(c.tag, str):  # emph, dir, span, foreign: their text
            _message(out, c)
        text(c.tail)


# ---------------------------------------------------------------------------------------------
# Running

_executables: dict[str, object] = {}
_by_rules: dict[tuple[int, tuple[int, ...]], tuple[Schema, object]] = {}
_MAX_COMPILED = 64  # distinct rule sets kept compiled per process (memory stays bounded)


def _saxon():
    return processor()  # one processor: a node it made can be handed to any stylesheet


def _executable(xslt: bytes, label: str):
    key = hashlib.sha256(xslt).hexdigest()
    if key not in _executables:
        proc = _saxon()
        compiler = proc.new_xslt30_processor()
        try:
            exe = compiler.compile_stylesheet(stylesheet_text=xslt.decode())
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise SchemaError(f"the Schematron rules cannot be compiled: {exc}",
                              path=label) from None
        exe.set_capture_result_documents(True)
        if len(_executables) >= _MAX_COMPILED:
            _executables.pop(next(iter(_executables)))
        _executables[key] = exe
    return _executables[key]


def _executable_for(schema: Schema, indexes: list[int]):
    """The compiled rules ``indexes`` of ``schema`` (generated and compiled once)."""
    key = (id(schema), tuple(indexes))
    hit = _by_rules.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    exe = _executable(to_xslt(schema, indexes), schema.label)
    if len(_by_rules) >= 4 * _MAX_COMPILED:
        _by_rules.pop(next(iter(_by_rules)))
    _by_rules[key] = (schema, exe)  # the schema is kept so that its id is never reused
    return exe


def check(doc: Document, schema: Schema, names: tuple[set[Name], set[Name]]) -> list[Diagnostic]:
    """Run the rules of ``schema`` that can fire on ``doc``."""
    indexes = schema.relevant(*names)
    if not indexes:
        return []
    exe = _executable_for(schema, indexes)
    try:
        node = _source_node(doc)
    except ToolkitError as exc:  # e.g. an entity reference left unexpanded (reported on load)
        return [Diagnostic(doc.display, 1, 1, ERROR,
                           f"Schematron rules of {Path(schema.label).name} not checked: "
                           f"{' '.join(exc.message.split())[:300]}", "sch-error")]
    try:
        result = exe.apply_templates_returning_string(xdm_value=node, encoding="utf-8")
        written_documents(exe, schema.label)
    except Exception as exc:  # a dynamic error in a rule's XPath
        return [Diagnostic(doc.display, 1, 1, ERROR,
                           f"Schematron rules of {Path(schema.label).name} failed to run: "
                           f"{' '.join(str(exc).split())[:300]}", "sch-error")]
    return _findings(doc, schema, result or "<r/>")


def _source_node(doc: Document):
    """Saxon's copy of the document, made once per document (and shared with the
    transformations inside :func:`toolkit.transform.parsed_once`)."""
    node = getattr(doc, "_saxon_node", None)
    if node is None:
        node = prepare(doc.tree, doc.path)
        doc._saxon_node = node  # type: ignore[attr-defined]
    return node


def _findings(doc: Document, schema: Schema, result: str) -> list[Diagnostic]:
    out = []
    root = etree.fromstring(result.encode("utf-8"))
    for f in root:
        el = _element_at(doc, f.get("node", ""))
        line, col = doc.locate(el) if el is not None else (1, 1)
        role = (f.get("role") or "").lower()
        severity = WARNING if role in WARNING_ROLES else ERROR
        rule = f.get("id") or f.get("rule") or f.get("pattern")
        msg = " ".join((f.text or "").split())
        if f.get("attr") and f"@{f.get('attr')}" not in msg and schema.rule_prefix:
            msg = f"@{f.get('attr')}: {msg}"
        out.append(Diagnostic(doc.display, line, col, severity, msg, schema.rule_prefix + rule))
    return out


def _element_at(doc: Document, path: str) -> etree._Element | None:
    el = None
    for step in path.split("/"):
        if not step:
            continue
        n = int(step)
        if el is None:
            el = doc.root
            continue
        kids = [c for c in el.iterchildren(tag=etree.Element)]
        if n > len(kids):
            return el
        el = kids[n - 1]
    return el
