"""One document's stages, as a worker runs them: load → validate → outputs, written into a
fresh folder beside the document's cache entry and renamed to it when complete.

Every well-formed document is rendered, whatever validation finds: the findings travel with
the result (and are kept in the cache entry) for the build to report. Only a document that
cannot be read (not well-formed, an include that cannot be resolved) has no outputs.

A :class:`Task` says what to build (it is pickled to a worker process); :func:`build_document`
returns a :class:`DocResult`. A document that fails is remembered in its cache entry with its
diagnostics, so that a rebuild does not check it all over again while nothing it depends on
changes. The worker keeps nothing of a document once it is done; the text editions of a lone
document may be made beside it by a helper process (:mod:`toolkit.text.sidecar`).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import collector, resident
from toolkit.diagnostics import ERROR, Diagnostic, with_levels
from toolkit.errors import SchemaError, ToolkitError
from toolkit.formats import FORMATS, Job
from toolkit.html.page import MENTIONS, split_mentions
from toolkit.load import load
from toolkit.project import confine
from toolkit.project.config import Project
from toolkit.text import sidecar
from toolkit.text.edition import write_texts
from toolkit.transform import parsed_once
from toolkit.validation import validate_document

FAILED = "failed.json"  # in a cache entry: the document failed, with these diagnostics
#: load diagnostics after which a document is not rendered: part of it is missing (an include
#: refused or not found, without fallback), so a page would publish a text that is not the one
UNRENDERABLE = {"xinclude"}
#: the folder of a cache entry's diagnostics (every finding, for the report)
DIAGNOSTICS = "diagnostics.json"


@dataclass
class DocResult:
    """What building one document produced (returned from a worker; pickleable)."""

    name: str
    source: str
    ok: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    facts: dict[str, Any] | None = None
    entry: str = ""  # cache entry folder holding the outputs
    reused: bool = False
    hidden: int = 0  # warnings left out of the report (see builder.edition.MAX_WARNINGS)


@dataclass
class Task:
    """One document to build: the source, its output name, the settings, its cache entry."""

    project: Project
    path: Path
    name: str
    formats: list[str]
    params: dict[str, Any]
    validate: bool
    entry: Path
    ids: Any = None
    #: make the text editions in a second process (see toolkit.text.sidecar)
    texts_beside: bool = False


def build_document(task: Task) -> DocResult:
    """Worker: all per-document stages for one source, outputs into a fresh cache entry."""
    shown = task.project.display(task.path)
    result = DocResult(name=task.name, source=shown, ok=False, entry=str(task.entry))
    stage(task.name, "reading")
    try:
        return _build_stages(task, shown, result)
    except ToolkitError:
        raise
    except Exception as exc:  # noqa: BLE001 - one document's bug must not stop a corpus build
        result.ok = False
        result.diagnostics.append(Diagnostic(
            shown, 1, 1, ERROR, f"internal error while building this document: "
            f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}; please report it "
            "(with the document) to the teikit developers", "internal"))
        return result


def _scratch(entry: Path) -> Path:
    """The folder a worker builds a cache entry in before renaming it: named after the machine
    and the process, as workers of a cluster share one cache (a task run again elsewhere while
    the first attempt still runs never writes into the same folder)."""
    return entry.with_name(f"{entry.name}.tmp-{socket.gethostname()}-{os.getpid()}")


def _build_stages(task: Task, shown: str, result: DocResult) -> DocResult:
    """Build into a fresh folder beside the cache entry, renamed to the entry when done."""
    tmp = _scratch(task.entry)
    helper = None
    if task.texts_beside and "text" in task.formats:
        helper = sidecar.start_texts(task.project, task.path, task.name, task.params,
                             tmp.with_name(tmp.name + "-texts"))
    try:
        return _build_in(task, shown, result, tmp, helper)
    finally:
        if helper is not None:
            helper.discard()


def _build_in(task: Task, shown: str, result: DocResult, tmp: Path, helper) -> DocResult:
    problem = confine.name_problem(task.path)
    if problem is not None:  # such a name cannot name a page, a link or a file safely
        result.diagnostics.append(Diagnostic(shown, 1, 1, ERROR, f"source refused: {problem}",
                                             "file-name"))
        return _remember_failure(task, result)
    doc, diags = load(task.path, display=shown, area=confine.sources(task.project))
    result.diagnostics.extend(with_levels(diags, task.project.rules))
    if doc is None or any(d.rule in UNRENDERABLE and d.is_error for d in diags):
        return _remember_failure(task, result)
    try:
        with parsed_once(doc.tree):  # one Saxon copy for Schematron and every output
            if task.validate:
                stage(task.name, "validating")
                result.diagnostics.extend(_validated(doc, task, shown))
            shutil.rmtree(tmp, ignore_errors=True)
            jobs = _write_formats(task, doc, tmp, result, texts=helper is None)
            if helper is not None and not helper.collect(tmp / FORMATS["text"].folder):
                # The helper died (killed, out of memory): make the texts here after all.
                write_texts(task.project, task.path, task.name, task.params, doc.tree,
                            tmp / FORMATS["text"].folder)
        del doc  # the TEI tree and Saxon's copy of it: a large document needs the memory
        for name, job in jobs.items():
            job.doc = None
            finish = FORMATS[name].finisher()
            if finish is not None:
                finish(job)
        if "mentions" in result.facts:
            (tmp / MENTIONS).write_text(json.dumps(split_mentions(result.facts),
                                                   ensure_ascii=False), encoding="utf-8")
        (tmp / "facts.json").write_text(json.dumps(result.facts, ensure_ascii=False),
                                        encoding="utf-8")
        (tmp / DIAGNOSTICS).write_text(
            json.dumps([d.__dict__ for d in result.diagnostics]), encoding="utf-8")
        _read_only(tmp)
        if task.entry.exists():
            shutil.rmtree(task.entry)
        os.rename(tmp, task.entry)
    except ToolkitError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        where = task.project.display(Path(exc.path)) if exc.path else shown
        result.diagnostics.append(Diagnostic(where, exc.line or 1, exc.column or 1, ERROR,
                                             exc.message, "transform"))
        return _remember_failure(task, result)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.ok = True
    return result


def _validated(doc, task: Task, shown: str) -> list[Diagnostic]:
    """Validation's findings; a schema that cannot be used (not installed, an ODD that does not
    compile) is a finding too: the document is rendered all the same."""
    try:
        return validate_document(doc, task.project, _id_index(task.ids))
    except SchemaError as exc:
        schema_file = f" ({exc.location()})" if exc.path else ""
        hint = f"; {exc.hint}" if exc.hint else ""
        return [Diagnostic(shown, 1, 1, ERROR,
                           f"not validated: {exc.message}{schema_file}{hint}", "schema")]


def _remember_failure(task: Task, result: DocResult) -> DocResult:
    """A document that fails fails again while nothing it depends on changes: keep its
    diagnostics in its cache entry, so that a rebuild does not check it all over again."""
    tmp = _scratch(task.entry)
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        (tmp / FAILED).write_text(json.dumps([d.__dict__ for d in result.diagnostics]),
                                  encoding="utf-8")
        if task.entry.exists():
            shutil.rmtree(task.entry)
        os.rename(tmp, task.entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # not remembered: checked again next time
    return result


def _read_only(folder: Path) -> None:
    """Cache files are linked into the output, never copied: make them read-only, so that an
    edit of an output file does not silently change the cache (for users other than root)."""
    for dirpath, _dirs, files in os.walk(folder):
        for f in files:
            os.chmod(os.path.join(dirpath, f), 0o444)


#: where a worker reports the stage a document is in (set by the pool's initializer, see
#: toolkit.builder.workers): anything with ``put((name, stage))``, or None
PROGRESS: Any = None


def stage(name: str, what: str) -> None:
    """Say which stage document ``name`` is in now (shown by the progress display)."""
    if PROGRESS is not None:
        try:
            PROGRESS.put((name, what))
        except (OSError, ValueError):  # the parent is gone or the queue closed: no display
            pass


_ids_memo: dict[str, Any] = {}


def remember_index(path: str, index, stamp: tuple[int, int, int] | None = None) -> None:
    """The id index pickled at ``path`` (as it was at ``stamp``, else now) is ``index``: this
    process (an inline or thread executor) needs no copy of it."""
    _ids_memo.clear()  # one build's index at a time
    _ids_memo[path] = (stamp or resident.stamp(path), index)


def forget_index(path: str) -> None:
    _ids_memo.pop(path, None)


def take_index(path: str):
    """The index remembered for ``path`` while the file is still the one it was read from or
    written to, else None; forgotten meanwhile (the caller changes it, and remembers it again
    once it is written)."""
    kept = _ids_memo.pop(path, None)
    return kept[1] if kept is not None and kept[0] == resident.stamp(path) else None


resident.on_leaving(_ids_memo.clear)


def _id_index(ids: Any):
    """The project's id index: given, or the path of its pickle (read once per worker, and
    again once a later build has replaced it: a cluster's workers outlive a build)."""
    if not isinstance(ids, str):
        return ids
    stamp = resident.stamp(ids)
    kept = _ids_memo.get(ids)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    with open(ids, "rb") as fh, collector.paused():
        index = pickle.load(fh)
    remember_index(ids, index, stamp)  # the stamp from before it was read
    return index


def _write_formats(task: Task, doc, out: Path, result: DocResult,
                   texts: bool = True) -> dict[str, Job]:
    """Every format's output of the document, by the writers of the format registry."""
    result.facts = {"name": task.name, "source": result.source}
    jobs = {}
    for name in task.formats:
        if name == "text" and not texts:
            continue  # made by the helper process
        fmt = FORMATS[name]
        stage(task.name, fmt.activity)
        job = Job(task.project, task.path, task.name, doc, task.params, out / fmt.folder,
                  result.facts)
        fmt.writer()(job)
        result.diagnostics.extend(with_levels(job.diagnostics, task.project.rules))
        jobs[name] = job
    return jobs
