"""Validate stage: every check of a TEI document, collected into one sorted list of diagnostics.

For each document: the schema (the project's own, else the one its ``xml-model`` names if we
have it locally, else tei_all) through :mod:`~toolkit.validation.relaxng`; Schematron (the TEI
schema's embedded rules, the toolkit's built-in rules in ``toolkit/validation/rules/``, the
project's ``tei/*.sch`` and ``schematron`` setting, and Schematron named by ``xml-model``)
through :mod:`~toolkit.validation.schematron`; XInclude targets; and identifiers, pointers and
names through :mod:`~toolkit.validation.integrity`; the critical apparatus through
:mod:`~toolkit.validation.apparatus`. Bad input is a diagnostic, never an
exception; only an unusable schema raises :class:`~toolkit.errors.SchemaError`.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from toolkit.diagnostics import (
    ERROR,
    WARNING,
    Diagnostic,
    once_per_run,
    sort_diagnostics,
    with_levels,
)
from toolkit.load import Document, display_path, load
from toolkit.processes import WorkerPool, die_with_parent
from toolkit.project import confine
from toolkit.project.config import Project
from toolkit.project.paths import rules_dir, sources_dir
from toolkit.tei import RNG_NS, XSI_NS
from toolkit.validation import (
    apparatus,
    integrity,
    odd,
    relaxng,
    schema,
    schematron,
    store,
    xsd,
)
from toolkit.validation.index import IdIndex
from toolkit.validation.rng import compile as rngcompile
from toolkit.validation.rng import grammar as gr

__all__ = ["validate", "validate_document", "IdIndex", "schema_for"]

_PSEUDO = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def validate(paths: list[Path], project: Project | None = None, *,
             strict: bool = False, jobs: int | None = None) -> list[Diagnostic]:
    """Validate files and folders (every ``*.xml`` below a folder) and return all diagnostics,
    sorted. With ``strict`` warnings become errors. Many files are checked by ``jobs`` worker
    processes (default: one per core); the findings are the same."""
    # fails early, with the install hint, if there is no schema at all
    schema.schema_path(release=project.tei_release if project is not None else None)
    files, out = _files(paths, project)
    many = len(files) > 1 or project is not None
    ids = IdIndex.build(project.tei_files() if project is not None else files) if many else None
    jobs = min(jobs or os.cpu_count() or 1, len(files) // _FILES_PER_WORKER)
    out += _in_workers(files, project, ids, jobs) if jobs > 1 else _checked(files, project, ids)
    if strict:
        out = [replace(d, severity=ERROR) for d in out]
    return once_per_run(sort_diagnostics(out))


#: a worker process costs about as much to start as checking this many files of a corpus
_FILES_PER_WORKER = 8
_worker_ids: IdIndex | None = None


def _checked(files: list[Path], project: Project | None,
             ids: IdIndex | None) -> list[Diagnostic]:
    """Every finding of ``files``, checked in this process."""
    out: list[Diagnostic] = []
    for path in files:
        shown = project.display(path) if project is not None else display_path(path)
        doc, diags = load(path, shown, _area(path, project))
        out += with_levels(diags, project.rules if project is not None else {})
        if doc is not None:
            out += validate_document(doc, project, ids)
    return out


def _worker_start(ids: IdIndex | None, parent: int) -> None:
    """In each worker: the edition's id index (sent once), no interrupts (the parent stops the
    workers), and death with the parent."""
    global _worker_ids
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_ids = ids


def _worker_check(files: list[Path], project: Project | None) -> list[Diagnostic]:
    return _checked(files, project, _worker_ids)


def _in_workers(files: list[Path], project: Project | None, ids: IdIndex | None,
                jobs: int) -> list[Diagnostic]:
    """``_checked`` over ``jobs`` worker processes, a few files at a time (large and small
    files mixed evenly); the findings in the files' order. Should a worker die (a crash in a
    native library), the files it had not finished are checked in this process."""
    chunks = [files[i:i + 4] for i in range(0, len(files), 4)]
    context = multiprocessing.get_context("spawn")  # no fork: Saxon's threads do not survive
    pool = WorkerPool(max_workers=jobs, mp_context=context, initializer=_worker_start,
                      initargs=(ids, os.getpid()))
    done: dict[int, list[Diagnostic]] = {}
    try:
        futures = [pool.submit(_worker_check, c, project) for c in chunks]
        for i, fut in enumerate(futures):
            try:
                done[i] = fut.result()
            except BrokenProcessPool:
                done[i] = _checked(chunks[i], project, ids)
    except BaseException:
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.kill()  # interrupted: the workers are killed, not waited for
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [d for i in range(len(chunks)) for d in done[i]]


def _area(path: Path, project: Project | None) -> confine.Area:
    """The sources' area for the project's own sources (a link leading out is refused), the
    file's folder for a file named on its own."""
    if project is not None:
        base = Path(os.path.abspath(sources_dir(project)))
        if Path(os.path.abspath(path)).is_relative_to(base):
            return confine.sources(project)
    return confine.folder(path)


def _code_area(doc: Document, project: Project | None) -> confine.Area | None:
    """Where the schemas and Schematron a project's document is checked with may come from;
    None (anywhere) for a file checked on its own (``teikit validate FILE``: its xml-model may
    name a schema in a folder beside it)."""
    return confine.code(project) if project is not None else None


def _files(paths, project) -> tuple[list[Path], list[Diagnostic]]:
    """The files to check: those named, and every ``*.xml`` below a folder named, except what
    the project's build wrote there (``teikit validate .`` checks the sources, not the copies
    published in ``output/``; a folder inside ``output/`` named on its own is checked)."""
    def inside(path: Path, folder: Path | None) -> bool:
        return folder is not None and Path(os.path.abspath(path)).is_relative_to(folder)

    files, out = [], []
    built = Path(os.path.abspath(project.output_dir)) if project is not None else None
    for p in paths:
        p = Path(p)
        if p.is_dir():
            skip = None if inside(p, built) else built
            files += sorted(f for f in p.rglob("*.xml") if f.is_file() and not inside(f, skip))
        elif p.is_file():
            files.append(p)
        else:
            shown = project.display(p) if project is not None else str(p)
            out.append(Diagnostic(shown, 1, 1, ERROR, "no such file or folder", "io"))
    return list(dict.fromkeys(files)), out


def validate_document(doc: Document, project: Project | None,
                      ids: IdIndex | None = None) -> list[Diagnostic]:
    """Every check of one loaded document (safe to call in worker processes)."""
    schema_path, out = schema_for(doc, project)
    if schema_path.suffix == ".xsd":
        out += xsd.check(doc, schema_path)
        rng_path = None
    else:
        rng_diags = relaxng.check(doc, schema_path, _code_area(doc, project))
        out += rng_diags
        if any(d.rule == "not-tei" for d in rng_diags):
            return with_levels(out, project.rules if project is not None else {})
        rng_path = schema_path
    names = relaxng.names_used(doc.root)
    for sch in _schematron_for(doc, project, rng_path, out):
        out += schematron.check(doc, sch, names)
    out += _doctype(doc)
    out += integrity.check(doc, ids)
    out += apparatus.check(doc, project)
    return with_levels(_once(out), project.rules if project is not None else {})


def _once(diags: list[Diagnostic]) -> list[Diagnostic]:
    """One message per fault: a date attribute that is no ISO date and that the schema rejects
    too is the schema's error [rng], worded by our rule (which says what to write); our rule's
    own warning [date-invalid] stays only where the schema allows the value."""
    ours = {(d.line, d.column, d.message.split('"')[1]): d for d in diags
            if d.rule == "date-invalid" and d.message.count('"') >= 2}
    if not ours:
        return diags
    out, worded = [], set()
    for d in diags:
        key = (d.line, d.column, d.message.split('"')[1]) if d.message.count('"') >= 2 else None
        if d.rule == relaxng.RULE and d.message.startswith("value ") and key in ours:
            if key not in worded:
                worded.add(key)
                out.append(replace(d, message=ours[key].message))
            continue
        out.append(d)
    return [d for d in out if not (d.rule == "date-invalid" and (d.line, d.column,
                                                                d.message.split('"')[1]) in worded)]


# ---------------------------------------------------------------------------------------------
# Which schema


def _xml_models(doc: Document) -> list[dict[str, str]]:
    found = []
    node = doc.root.getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            attrs = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                     for m in _PSEUDO.finditer(node.text or "")}
            attrs["_line"] = str(node.sourceline or 1)
            found.append(attrs)
        node = node.getprevious()
    return list(reversed(found))


def schema_for(doc: Document, project: Project | None) -> tuple[Path, list[Diagnostic]]:
    """The schema for ``doc`` (RELAX NG, or W3C XML Schema where the path ends in ``.xsd``),
    and warnings about schemas named but not available. In this order: the project's
    configured ``schema``; the RELAX NG an ``xml-model`` names; the XML Schema
    ``xsi:schemaLocation`` (or ``xsi:noNamespaceSchemaLocation``) names; else tei_all."""
    release = project.tei_release if project is not None else None
    if project is not None and project.schema is not None:
        return _compiled_if_odd(Path(project.schema), release), []
    out = []
    root = project.root if project is not None else None
    for model in _xml_models(doc):
        href, typens = model.get("href", ""), model.get("schematypens", "")
        if typens != RNG_NS and not (not typens and href.endswith((".rng", ".odd"))) \
                and not href.endswith(".odd"):
            continue
        local, why = _resolve_model(href, doc, root, release)
        if local is not None:
            return _compiled_if_odd(local, release), out
        out.append(_unavailable(doc, int(model["_line"]), "xml-model names the schema", href,
                                why))
    for href in _schema_locations(doc):
        local, why = _resolve_model(href, doc, root, release)
        if local is not None:
            return local, out
        out.append(_unavailable(doc, doc.root.sourceline or 1, "xsi:schemaLocation names the "
                                "XML Schema", href, why))
    return schema.schema_path(release=release), out


def _compiled_if_odd(path: Path, release: str | None) -> Path:
    """An ODD is validated against the RELAX NG compiled from it (cached)."""
    if path.suffix != ".odd":
        return path
    return odd.compile_odd(path, release=release).rng


def _unavailable(doc: Document, line: int, what: str, href: str, why: str) -> Diagnostic:
    """One warning per schema and build (the build and `teikit validate` merge repeats)."""
    return Diagnostic(doc.display, line, 1, WARNING, f"{what} {href}, {why}; validating "
                      "against tei_all instead", SCHEMA_UNAVAILABLE)


SCHEMA_UNAVAILABLE = "schema-unavailable"
_XSI_LOCATION = f"{{{XSI_NS}}}schemaLocation"
_XSI_NO_NS = f"{{{XSI_NS}}}noNamespaceSchemaLocation"


def _schema_locations(doc: Document) -> list[str]:
    """The XML Schemas the root element names for its own namespace."""
    pairs = (doc.root.get(_XSI_LOCATION) or "").split()
    ns = etree.QName(doc.root).namespace or ""
    found = [pairs[i + 1] for i in range(0, len(pairs) - 1, 2) if pairs[i] == ns]
    if not ns and doc.root.get(_XSI_NO_NS):
        found.append(doc.root.get(_XSI_NO_NS))
    return found


def _resolve_model(href: str, doc: Document, project_root: Path | None,
                   release: str | None = None) -> tuple[Path | None, str]:
    if schema.is_tei_uri(href):
        local = schema.resolve_uri(href, release)
        if local is not None:
            return local, ""
        return None, ("which is not installed (installed: "
                      f"{', '.join(schema.status()['schemas'])}; a TEI release zip has them "
                      "all: teikit schema install --from tei-X.Y.Z.zip)")
    if re.match(r"^[a-z][\w+.-]*://", href, re.I) and not href.startswith("file:"):
        kept = store.lookup(project_root, href)
        if kept is not None:
            return kept, ""
        return None, ("which is not available locally (nothing is fetched while validating: "
                      f"`teikit schema add {href}` keeps a copy in the project)")
    target = Path(doc.path).parent / unquote(href.removeprefix("file://"))
    if os.path.isfile(target):
        area = confine.code(None, project_root) if project_root is not None else None
        why = area.file_problem(target) if area is not None else None
        return (None, f"which is refused (it {why})") if why else (target.resolve(), "")
    return None, f"which does not exist ({target})"


# ---------------------------------------------------------------------------------------------
# Which Schematron

_read_cache: dict[tuple[str, float], schematron.Schema] = {}


def _read_sch(path: Path, prefix: str = "sch:",
              area: confine.Area | None = None) -> schematron.Schema:
    path = Path(path)
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _read_cache:
        _read_cache[key] = schematron.read(path, prefix, area)
    return _read_cache[key]


def _embedded(rng_path: Path) -> schematron.Schema | None:
    """The Schematron embedded in a RELAX NG schema, extracted once into the cache."""
    cached = rngcompile.grammar_cache() / f"{gr.file_sha(rng_path)[:32]}.embedded-2.sch"
    if not cached.is_file():
        g = gr.load(rng_path)
        if not g.schematron:
            return None
        merged = schematron.from_grammar(g.schematron, str(rng_path))
        root = etree.Element(schematron.S + "schema", nsmap={None: schematron.SCH_NS},
                             queryBinding="xslt2")
        for prefix, uri in sorted(merged.ns.items()):
            etree.SubElement(root, schematron.S + "ns", prefix=prefix, uri=uri)
        for el, _ in g.schematron:
            if el.tag == schematron.S + "pattern":
                root.append(etree.fromstring(etree.tostring(el)))
        # A pattern copied out of a grammar whose default namespace is RELAX NG's keeps that
        # declaration; lxml would then write its Schematron children unprefixed under it.
        etree.cleanup_namespaces(root)
        rngcompile._write_atomic(cached, etree.tostring(root, encoding="utf-8"))
        if not cached.is_file():  # read-only cache: use it from memory
            return merged
    sch = _read_sch(cached)
    sch.label = str(rng_path)
    return sch


def _schematron_for(doc: Document, project: Project | None, rng_path: Path | None,
                    out: list[Diagnostic]) -> list[schematron.Schema]:
    found = []
    embedded = _embedded(rng_path) if rng_path is not None else None
    if embedded is not None:
        found.append(embedded)
    found += [_read_sch(p, "") for p in sorted(rules_dir().glob("*.sch"))]
    files: list[Path] = []
    if project is not None:
        files += sorted((project.root / "tei").glob("*.sch")) + list(project.schematron)
    root = project.root if project is not None else None
    for model in _xml_models(doc):
        href = model.get("href", "")
        if model.get("schematypens") == schematron.SCH_NS or href.endswith(".sch"):
            target, why = _resolve_model(href, doc, root)
            if target is None:
                out.append(Diagnostic(doc.display, int(model["_line"]), 1, WARNING,
                                      f"xml-model names the Schematron {href}, {why}; its "
                                      "rules are not checked", SCHEMA_UNAVAILABLE))
            elif target.suffix == ".sch":
                files.append(target)
            elif rng_path is None or target.resolve() != Path(rng_path).resolve():
                # Schematron embedded in a RELAX NG schema (as TEI's schemas carry it)
                extra = _embedded(target)
                if extra is not None:
                    found.append(extra)
    area = _code_area(doc, project)
    for f in dict.fromkeys(Path(f) for f in files):
        why = area.file_problem(f) if area is not None else None
        if why is not None:
            out.append(Diagnostic(doc.display, 1, 1, ERROR, f"the Schematron file {f} is "
                                  f"refused: it {why}", "confined"))
            continue
        found.append(_read_sch(confine.real(f), "sch:", area))
    return found


def _doctype(doc: Document) -> list[Diagnostic]:
    """A DOCTYPE naming a DTD: never read, so say so (P5 needs none). A local DTD that does not
    exist is an error, as for any missing file a document names (a validator that reads DTDs,
    such as jing, fails on it too): what it would have declared is unknown."""
    dtd = doc.tree.docinfo.system_url
    if not dtd:
        return []
    if not re.match(r"^[a-z][\w+.-]*:", dtd, re.I) or dtd.startswith("file:"):
        local = (Path(doc.path).parent / dtd.removeprefix("file://")).resolve()
        if not local.exists():
            return [Diagnostic(doc.display, 1, 1, ERROR,
                               f'the DOCTYPE names the DTD "{dtd}", which does not exist (and '
                               "DTDs are never read); TEI P5 needs no DTD: remove the DOCTYPE",
                               "doctype-ignored")]
    return [Diagnostic(doc.display, 1, 1, WARNING,
                       f'the DOCTYPE names the DTD "{dtd}", which is never read (no external '
                       "DTDs or entities are loaded); TEI P5 needs no DTD: remove the DOCTYPE",
                       "doctype-ignored")]
