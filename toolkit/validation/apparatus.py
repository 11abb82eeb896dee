"""The critical apparatus: what the outputs cannot show as the source says it.

* ``apparatus-unattached`` (warning): an entry kept apart from the text (in a ``listApp``, with
  ``@loc`` or ``@from``/``@to``) that cannot be placed at its words: a pointer that names no
  element, words in two elements, a ``@loc`` that names no place. It is listed in every
  apparatus, without a place in the text.
* ``apparatus-overlap`` (warning): the words of an entry cross those of another (they share
  words, neither holds the other); the later one is not placed.
* ``apparatus-lemma`` (warning): a location-referenced entry whose lemma is not in its line as
  plain text (the entry stands at the end of the line; the text of a witness cannot show its
  readings), or occurs there more than once, or whose ``@loc`` names several places; (info) one
  without a lemma.
* ``lacuna-unbalanced`` (warning): a ``lacunaEnd`` of a witness without a ``lacunaStart`` before
  it, a lacuna that never ends, a marker that names no witness (no ``@wit``, in no reading with
  one).
* ``apparatus-base-witness`` (warning): the configured ``base_witness`` is not a witness of the
  document, or an entry without a lemma has no reading of it (the text follows its first
  reading).

Where entries are placed is decided in one place, :mod:`toolkit.load.apparatus`, which the
outputs use too; this module reports what it found.
"""

from __future__ import annotations

from lxml import etree

from toolkit.diagnostics import INFO, WARNING, Diagnostic
from toolkit.load.apparatus import APP, LEM, attach, witness_ids
from toolkit.load.source import Document
from toolkit.project.config import Project
from toolkit.tei import XML_ID, T

RULE_LACUNA = "lacuna-unbalanced"
RULE_BASE = "apparatus-base-witness"
_MARKERS = (T + "lacunaStart", T + "lacunaEnd", T + "witStart", T + "witEnd")
_READINGS = (LEM, T + "rdg")


def check(doc: Document, project: Project | None = None) -> list[Diagnostic]:
    """The apparatus diagnostics of one document (none for a document without apparatus)."""
    root = doc.root
    if next(root.iter(APP, *_MARKERS), None) is None:
        return []
    out: list[Diagnostic] = []

    def say(el: etree._Element, severity: str, message: str, rule: str) -> None:
        line, col = doc.locate(el)
        out.append(Diagnostic(doc.display, line, col, severity, message, rule))

    for problem in attach(root).problems:
        say(problem.element, INFO if problem.severity == "info" else WARNING, problem.message,
            problem.rule)
    groups = _groups(root)
    _lacunae(root, groups, say)
    base = project.base_witness if project is not None else ""
    if base:
        _base_witness(root, base, groups, say)
    return out


def _groups(root: etree._Element) -> dict[str, list[str]]:
    """Groups of witnesses (a listWit or a witness holding witnesses) by id: their members."""
    found = {}
    for el in root.iter(T + "listWit", T + "witness"):
        members = [w.get(XML_ID) for w in el.iterdescendants(T + "witness")
                   if w.get(XML_ID) and next(w.iterdescendants(T + "witness"), None) is None]
        if el.get(XML_ID) and members:
            found[el.get(XML_ID)] = members
    return found


def _named(el: etree._Element, groups: dict[str, list[str]]) -> list[str]:
    ids = [token.split("#", 1)[-1] for token in (el.get("wit") or "").split()]
    return [m for i in ids if i for m in groups.get(i, [i])]


def _marker_witnesses(marker: etree._Element, groups: dict[str, list[str]]) -> list[str]:
    """Whose lacuna a marker marks: its @wit, else that of the reading holding it."""
    named = _named(marker, groups)
    if named:
        return named
    reading = next((a for a in marker.iterancestors(*_READINGS)), None)
    return _named(reading, groups) if reading is not None else []


def _lacunae(root: etree._Element, groups: dict[str, list[str]], say) -> None:
    name = {T + "lacunaStart": "lacunaStart", T + "lacunaEnd": "lacunaEnd",
            T + "witStart": "witStart", T + "witEnd": "witEnd"}
    open_: dict[str, etree._Element] = {}
    for marker in root.iter(*_MARKERS):
        witnesses = _marker_witnesses(marker, groups)
        if not witnesses:
            say(marker, WARNING, f"this {name[marker.tag]} names no witness: give it @wit, or "
                "put it in the reading (rdg with @wit) of the witness it is about", RULE_LACUNA)
            continue
        for wit in witnesses:
            if marker.tag == T + "lacunaStart":
                if wit in open_:
                    say(marker, WARNING, f"a lacuna of witness {wit} begins again here before "
                        f"the one that begins at line {open_[wit].sourceline} ends (lacunaEnd)",
                        RULE_LACUNA)
                open_[wit] = marker
            elif marker.tag == T + "lacunaEnd":
                if open_.pop(wit, None) is None:
                    say(marker, WARNING, f"this lacunaEnd ends a lacuna of witness {wit} that "
                        "never began: no lacunaStart of that witness comes before it (the text "
                        "of the witness is taken to be missing from the start)", RULE_LACUNA)
    for wit, start in open_.items():
        say(start, WARNING, f"the lacuna of witness {wit} that begins here never ends: the rest "
            "of the text is missing from that witness (add a lacunaEnd where it resumes, or use "
            "witEnd where the witness ends)", RULE_LACUNA)


def _base_witness(root: etree._Element, base: str, groups: dict[str, list[str]], say) -> None:
    ids = witness_ids(root)
    if ids and base not in ids:
        say(next(root.iter(T + "listWit"), root), WARNING, f"the base witness '{base}' "
            "(base_witness in the configuration) is not a witness of this document: "
            f"known are {', '.join(ids)}", RULE_BASE)
        return
    for app in root.iter(APP):
        if app.find(LEM) is not None or next(app.iter(T + "rdg"), None) is None:
            continue
        readings = [r for r in app.iter(T + "rdg")
                    if next(r.iterancestors(APP), None) is app]
        if not any(base in _named(r, groups) for r in readings):
            say(app, WARNING, f"this entry has no lemma and no reading of the base witness "
                f"'{base}': the text follows its first reading", RULE_BASE)
