"""Why a document is invalid against a RELAX NG grammar, said in the manner of jing but for
every offending element: unknown names (with the nearest TEI name), elements not allowed in
their parent (with what is allowed), attributes not allowed or missing, attribute values of the
wrong type, and children out of order or missing. The last kinds are found by checking each
element shallowly: the names of its children and where it has text against its own content
model, with the children's content and all attributes relaxed (attributes have checks of
their own). Small grammars made for these checks depend on the schema only and are kept per
process.
"""

from __future__ import annotations

import copy

from lxml import etree

from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.load.source import Document
from toolkit.tei import TEI_NS
from toolkit.validation.rng import grammar as gr
from toolkit.validation.rng.grammar import RULE, Name, qn
from toolkit.validation.suggest import nearest, show, show_list

R = gr.R
_ANY_DEF = "teikit.any"


class Explainer:
    """Finds and words every schema error of an invalid document."""

    def __init__(self, doc: Document, g: gr.Grammar) -> None:
        self.doc, self.g = doc, g
        self.known = g.element_names()
        self.out: list[Diagnostic] = []
        self._attr_rng = _ATTRIBUTE.setdefault(g.sha, {})  # (element, attribute) -> grammar
        self._memo: dict = {}
        self._typed: set[Name] = set()  # elements whose own text has a datatype or fixed value
        # The names the document uses: likely candidates when a long list is cut short.
        self.used = {show(qn(el)) for el in doc.root.iter(tag=etree.Element)}
        self.used_attributes = {show(_attr_name(a), True) for el in doc.root.iter(
            tag=etree.Element) for a in el.attrib}

    def say(self, el: etree._Element, msg: str) -> None:
        line, col = self.doc.locate(el)
        self.out.append(Diagnostic(self.doc.display, line, col, ERROR, msg, RULE))

    def run(self) -> list[Diagnostic]:
        localised = self._localised()
        if localised:
            return [localised]
        for el in self.doc.root.iter(tag=etree.Element):
            self._element(el)
        return self.out

    def _localised(self) -> Diagnostic | None:
        names = {qn(el) for el in self.doc.root.iter(tag=etree.Element)}
        tei = {n for n in names if n[0] == TEI_NS}
        unknown = sorted(n[1] for n in tei - self.known)
        if len(unknown) >= 5 and len(unknown) >= 0.3 * len(tei):
            line, col = self.doc.locate(self.doc.root)
            shown = ", ".join(f'"{u}"' for u in unknown[:6])
            return Diagnostic(self.doc.display, line, col, ERROR,
                              f"not a TEI P5 document: {len(unknown)} of its {len(tei)} element "
                              f"names are not TEI ({shown}, ...); localised element names must "
                              "be converted to TEI's before validation", "not-tei")
        return None

    def _element(self, el: etree._Element) -> None:
        name = qn(el)
        parent = el.getparent()
        if name not in self.known and name[0] == TEI_NS:
            pname = qn(parent) if parent is not None else None
            key = ("unknown", name, pname)
            if key not in self._memo:
                pool = self.g.children(pname) if pname in self.known else self.known
                near = nearest(name[1], [n[1] for n in pool if n[0] == TEI_NS]) or nearest(
                    name[1], [n[1] for n in self.known if n[0] == TEI_NS])
                msg = f'element "{name[1]}" is not defined in the schema'
                if near:
                    msg += f'; did you mean "{near}"?'
                elif pname in self.known:
                    msg += (f'; allowed in "{show(pname)}": '
                            f"{show_list(pool, like=name[1], known=self.used)}")
                self._memo[key] = msg
            self.say(el, self._memo[key])
            return
        if parent is not None and qn(parent) in self.known:
            allowed = self.g.children(qn(parent))
            if gr.ANY not in allowed and name not in allowed:
                key = ("child", name, qn(parent))
                if key not in self._memo:
                    self._memo[key] = (
                        f'element "{show(name)}" is not allowed in "{show(qn(parent))}"; '
                        f"allowed there: {show_list(allowed, like=name[1], known=self.used)}")
                self.say(el, self._memo[key])
        if name in self.known:
            bad_attr = self._attributes(el, name)
            bad_child = any(qn(c) not in self.known and qn(c)[0] == TEI_NS
                            or (gr.ANY not in self.g.children(name)
                                and qn(c) not in self.g.children(name))
                            for c in el.iterchildren(tag=etree.Element))
            if not bad_attr and not bad_child:
                self._sequence(el, name)

    # -- attributes -------------------------------------------------------------------------------

    def _attributes(self, el: etree._Element, name: Name) -> bool:
        allowed, required = self.g.attributes(name)
        found = False
        present = set()
        for a, value in el.attrib.items():
            an = _attr_name(a)
            present.add(an)
            if gr.ANY in allowed or an in allowed:
                if not self._value_ok(name, an, value):
                    found = True
                    self.say(el, f'value "{value}" of attribute "{show(an, True)}" on '
                                 f'"{show(name)}" is invalid; expected '
                                 f"{self._describe(name, an, value)}")
                continue
            found = True
            rest = frozenset(allowed - present - {gr.ANY})
            key = ("attribute", name, an, rest)  # a register repeats the same fault
            if key not in self._memo:
                near = nearest(an[1], [n[1] for n in allowed if n[0] == an[0]])
                msg = f'attribute "{show(an, True)}" is not allowed on "{show(name)}"'
                self._memo[key] = msg + (
                    f'; did you mean "{near}"?' if near else "; allowed: " + show_list(
                        rest, attribute=True, like=an[1], known=self.used_attributes))
            self.say(el, self._memo[key])
        for req in sorted(required - present):
            found = True
            self.say(el, f'element "{show(name)}" lacks the required attribute '
                         f'"{show(req, True)}"')
        return found

    def _attr_patterns(self, name: Name, attr: Name) -> list[etree._Element]:
        out = []
        for el in self.g.element_patterns().get(name, []):
            seen: set[str] = set()
            stack = list(el[1:])
            while stack:
                p = stack.pop()
                if not isinstance(p.tag, str) or p.tag == R + "element":
                    continue
                if p.tag == R + "attribute":
                    if attr in gr._names(p[0]):
                        out.append(p)
                    continue
                if p.tag == R + "ref":
                    if p.get("name") not in seen:
                        seen.add(p.get("name"))
                        stack.append(self.g.defines[p.get("name")])
                    continue
                stack.extend(p)
        return out

    def _value_ok(self, name: Name, attr: Name, value: str) -> bool:
        key = (name, attr, value)
        if key in self._memo:
            return self._memo[key]
        if (name, attr) not in self._attr_rng:
            pats = self._attr_patterns(name, attr)
            if not pats:
                self._attr_rng[(name, attr)] = None
            else:
                g = etree.Element(R + "grammar", nsmap={None: gr.RNG_NS})
                start = etree.SubElement(g, R + "start")
                e = etree.SubElement(start, R + "element")
                etree.SubElement(e, R + "anyName")
                box = etree.SubElement(e, R + "choice") if len(pats) > 1 else e
                for p in pats:
                    box.append(copy.deepcopy(p))
                self._attr_rng[(name, attr)] = self._mini(g)
        rng = self._attr_rng[(name, attr)]
        if rng is None:
            ok = True
        else:
            probe = etree.Element("probe")
            probe.set(gr.clark(attr), value)
            ok = rng.validate(etree.ElementTree(probe))
        self._memo[key] = ok
        return ok

    def _describe(self, name: Name, attr: Name, written: str = "") -> str:
        """The expected values of an attribute: a closed list, or its datatypes."""
        values: list[str] = []
        types: list[str] = []
        refs: list[str] = []
        seen: set[str] = set()
        stack = [c for p in self._attr_patterns(name, attr) for c in p[1:]]
        while stack:
            p = stack.pop(0)
            if not isinstance(p.tag, str):
                continue
            if p.tag == R + "value":
                values.append(p.text or "")
            elif p.tag == R + "data":
                t = p.get("type")
                pat = p.find(R + "param[@name='pattern']")
                types.append(f"{t} matching {pat.text}" if pat is not None else t)
            elif p.tag == R + "ref":
                n = p.get("name")
                if n not in seen:
                    seen.add(n)
                    refs.append(n)
                    stack.extend(self.g.defines[n])
            else:
                stack.extend(p)
        parts = []
        if values:
            shown = show_list([("", v) for v in dict.fromkeys(values)], True, like=written)
            parts.append("one of " + shown.replace('" or "', '", "'))
        if types:
            parts.append(" or ".join(dict.fromkeys(types)))
        text = " or ".join(parts) or "another value"
        if refs:
            text += f" ({refs[0]})"
        return text

    # -- child sequences ------------------------------------------------------------------------

    def _sequence(self, el: etree._Element, name: Name) -> None:
        rng = self._shallow_rng(name)
        if rng is None:
            return
        kids = _kept(el)
        key = (name, _signature(el, kids, name in self._typed))  # attributes play no part
        if key in self._memo:
            result = self._memo[key]
        else:
            ok = rng.validate(etree.ElementTree(_shallow(el, kids)))
            result = None if ok else self._locate_sequence_error(rng, el, name, kids)
            self._memo[key] = result
        if result is None:
            return
        idx, msg = result
        self.say(kids[idx] if idx is not None else el, msg)

    def _locate_sequence_error(self, rng, el, name, kids) -> tuple[int | None, str]:
        """Where the child sequence first goes wrong, and what was expected there."""

        def wrong(k: int) -> bool:  # the first k children contain an error
            if rng.validate(etree.ElementTree(_shallow(el, kids[:k]))):
                return False
            return not all(_incomplete(e) for e in rng.error_log)

        # Once a prefix is wrong every longer one is: the first wrong prefix by bisection.
        lo, hi = 0, len(kids)
        if hi and wrong(hi):  # without children the fault is the element's own (text, end)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if wrong(mid) else (mid, hi)
            child = qn(kids[hi - 1])
            exp = self._expected(el, kids[:hi - 1])
            if child in self.g.children(name):
                msg = (f'element "{show(child)}" is not allowed at this position in '
                       f'"{show(name)}"')
            else:
                msg = f'element "{show(child)}" is not allowed in "{show(name)}"'
            msg += f"; expected {exp}" if exp else "; expected the end of the element"
            return hi - 1, msg
        if any("text" in e.message.lower() for e in rng.error_log):
            return None, f'text is not allowed in "{show(name)}"'
        exp = self._expected(el, kids)
        return None, (f'element "{show(name)}" is incomplete'
                      + (f"; expected {exp}" if exp else ""))

    def _expected(self, el, kids: list[etree._Element]) -> str:
        """The element names that would be accepted after the children ``kids``."""
        rng = self._shallow_rng(qn(el))
        if rng is None:
            return ""
        ok = []
        for cand in sorted(self.g.children(qn(el)) - {gr.ANY}):
            probe = _shallow(el, kids)
            etree.SubElement(probe, gr.clark(cand))
            if rng.validate(etree.ElementTree(probe)) or all(
                    _incomplete(e) for e in rng.error_log):
                ok.append(cand)
        return f"element {show_list(ok, known=self.used)}" if ok else ""

    def _shallow_rng(self, name: Name) -> etree.RelaxNG | None:
        """``name``'s content model, any attributes allowed and its children's content relaxed
        (kept per process: it depends on the grammar only)."""
        key = (self.g.sha, name)
        if key not in _SHALLOW:
            _SHALLOW[key] = self._make_shallow(name)
        rng, typed = _SHALLOW[key]
        if typed:
            self._typed.add(name)
        return rng

    def _make_shallow(self, name: Name) -> tuple[etree.RelaxNG | None, bool]:
        pats = self.g.element_patterns().get(name, [])
        if not pats:
            return None, False
        g = etree.Element(R + "grammar", nsmap={None: gr.RNG_NS})
        start = etree.SubElement(g, R + "start")
        box = etree.SubElement(start, R + "choice") if len(pats) > 1 else start
        for p in pats:
            top = copy.deepcopy(p)
            _relax_nested(top, inner_only=True)
            box.append(top)
        todo = gr._refs(start)
        done: set[str] = {_ANY_DEF}
        while todo:
            n = todo.pop()
            if n in done:
                continue
            done.add(n)
            d = copy.deepcopy(self.g.defines[n])
            _relax_nested(d)
            g.append(d)
            todo.extend(r for r in gr._refs(d) if r not in done)
        # Attributes are checked on their own (_attributes): here any attribute is accepted, so
        # the check depends on the children and the text only, and elements that differ only
        # in their attributes (every entry of a register has its own xml:id) share one check.
        for a in list(g.iter(R + "attribute")):
            a.getparent().replace(a, etree.Element(R + "empty"))
        for top in box.iterchildren(R + "element"):
            any_attributes = etree.SubElement(etree.SubElement(top, R + "zeroOrMore"),
                                              R + "attribute")
            etree.SubElement(any_attributes, R + "anyName")
        anydef = etree.fromstring(
            f'<define xmlns="{gr.RNG_NS}" name="{_ANY_DEF}"><zeroOrMore><choice>'
            f"<attribute><anyName/></attribute><text/><element><anyName/>"
            f'<ref name="{_ANY_DEF}"/></element></choice></zeroOrMore></define>')
        g.append(anydef)
        return self._mini(g), _types_text(g)

    @staticmethod
    def _mini(g: etree._Element) -> etree.RelaxNG | None:
        try:
            return etree.RelaxNG(g)
        except etree.RelaxNGParseError:
            return None


def _attr_name(a: str) -> Name:
    """An attribute's (namespace, local name) from lxml's Clark notation."""
    return (a[1:].split("}", 1)[0], a.split("}", 1)[1]) if a[0] == "{" else ("", a)


#: grammar -> (element name, attribute name) -> a grammar for the attribute's values
_ATTRIBUTE: dict[str, dict[tuple[Name, Name], etree.RelaxNG | None]] = {}
#: (grammar, element name) -> (its shallow grammar, whether its text is typed)
_SHALLOW: dict[tuple[str, Name], tuple[etree.RelaxNG | None, bool]] = {}


def _relax_nested(tree: etree._Element, inner_only: bool = False) -> None:
    """Element patterns inside ``tree`` accept any content (their own checks come later)."""
    for pat in list(tree.iter(R + "element")):
        if inner_only and pat is tree:
            continue
        for c in list(pat)[1:]:
            pat.remove(c)
        etree.SubElement(pat, R + "ref", name=_ANY_DEF)


def _types_text(g: etree._Element) -> bool:
    """Whether a shallow grammar constrains its element's text by a datatype or a value (then
    the text itself matters, not only whether there is some)."""
    for d in g.iter(R + "data", R + "value"):
        if next(d.iterancestors(R + "attribute"), None) is None:
            return True
    return False


def _signature(el: etree._Element, kids: list[etree._Element], typed: bool) -> tuple:
    """What the check of ``_shallow(el, kids)`` depends on, without making it: the children's
    names and where there is text (the text itself only if ``typed``)."""
    names, texts = _parts(el, kids)
    if typed:
        return tuple(names), tuple(t or None for t in texts)
    return tuple(names), tuple(bool(t.strip()) for t in texts)


def _parts(el: etree._Element, kids: list[etree._Element]) -> tuple[list[str], list[str]]:
    """The names of ``kids`` (children of ``el`` in document order) and the texts around them,
    up to the last of them: the text after a child left out, or after a comment, joins the text
    before it."""
    names = []
    texts = [el.text or ""]
    wanted = {id(k) for k in kids}
    todo = len(kids)
    for c in el:
        if isinstance(c.tag, str):
            if todo == 0:
                break
            if id(c) in wanted:
                todo -= 1
                names.append(c.tag)
                texts.append(c.tail or "")
                continue
        texts[-1] += c.tail or ""
    return names, texts


#: A run of more same-named siblings than this is checked as this many of them: content models
#: have no counters, and libxml2 needs time that grows much faster than the length of the run
#: (a register's listPerson of 3,700 persons: 35 s).
_RUN = 3


def _kept(el: etree._Element) -> list[etree._Element]:
    """The children of ``el`` that its shallow checks look at (see _RUN)."""
    out = []
    prev = None
    run = 0
    for c in el.iterchildren(tag=etree.Element):
        token = (c.tag, bool(c.tail and c.tail.strip()))
        run = run + 1 if token == prev else 1
        prev = token
        if run <= _RUN:
            out.append(c)
    return out


def _shallow(el: etree._Element, kids: list[etree._Element]) -> etree._Element:
    """``el`` with its attributes and text but, of its children, only the names of ``kids``
    (from :func:`_kept`), with the texts around them as :func:`_parts` joins them."""
    names, texts = _parts(el, kids)
    out = etree.Element(el.tag, attrib=dict(el.attrib))
    out.text = texts[0] or None
    for name, tail in zip(names, texts[1:], strict=True):
        etree.SubElement(out, name).tail = tail or None
    return out


def _incomplete(entry) -> bool:
    """True for errors that only say content is missing at the end (the prefix is fine)."""
    m = entry.message
    return ("got nothing" in m or "failed to validate content" in m
            or entry.type_name in ("RELAXNG_ERR_NOELEM", "RELAXNG_ERR_CONTENTVALID",
                                   "RELAXNG_ERR_NOGRAMMAR", "RELAXNG_ERR_ELEMNOTEMPTY"))
