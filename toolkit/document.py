"""One document's stages, as a worker runs them: load → validate → outputs, written into a
fresh folder beside the document's cache entry and renamed to it when complete.

A :class:`Task` says what to build (it is pickled to a worker process); :func:`build_document`
returns a :class:`DocResult`. A document that fails is remembered in its cache entry with its
diagnostics, so that a rebuild does not check it all over again while nothing it depends on
changes. The worker keeps nothing of a document once it is done; the text editions of a lone
document may be made beside it by a helper process (:mod:`toolkit.sidecar`).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.config import Project
from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.errors import ToolkitError

FAILED = "failed.json"  # in a cache entry: the document failed, with these diagnostics
SEARCH = "search.json"  # in a cache entry: the searchable blocks of the document's page


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
    hidden: int = 0  # warnings left out of the report (see toolkit.build.MAX_WARNINGS)


@dataclass
class Task:
    """One document to build: the source, its output name, the settings, its cache entry."""

    project: Project
    path: Path
    name: str
    formats: list[str]
    params: dict[str, Any]
    validate: bool
    strict: bool
    entry: Path
    ids: Any = None
    #: make the text editions in a second process (see toolkit.sidecar)
    texts_beside: bool = False


def build_document(task: Task) -> DocResult:
    """Worker: all per-document stages for one source, outputs into a fresh cache entry."""
    shown = task.project.display(task.path)
    result = DocResult(name=task.name, source=shown, ok=False, entry=str(task.entry))
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


def _build_stages(task: Task, shown: str, result: DocResult) -> DocResult:
    """Build into a fresh folder beside the cache entry, renamed to the entry when done."""
    tmp = task.entry.with_name(task.entry.name + f".tmp-{os.getpid()}")
    helper = None
    if task.texts_beside and "text" in task.formats:
        from toolkit.sidecar import start_texts

        helper = start_texts(task.project, task.path, task.name, task.params,
                             tmp.with_name(tmp.name + "-texts"))
    try:
        return _build_in(task, shown, result, tmp, helper)
    finally:
        if helper is not None:
            helper.discard()


def _build_in(task: Task, shown: str, result: DocResult, tmp: Path, helper) -> DocResult:
    from toolkit.load import load
    from toolkit.transform import parsed_once

    doc, diags = load(task.path, display=shown, allowed_root=task.project.root)
    result.diagnostics.extend(diags)
    if doc is None:
        return _remember_failure(task, result)
    try:
        with parsed_once(doc.tree):  # one Saxon copy for Schematron and every output
            if task.validate:
                from toolkit.validate import validate_document

                result.diagnostics.extend(validate_document(doc, task.project,
                                                            _id_index(task.ids)))
            failing = [d for d in result.diagnostics if d.severity == ERROR or task.strict]
            if failing:
                return _remember_failure(task, result)
            shutil.rmtree(tmp, ignore_errors=True)
            _write_formats(task, doc, tmp, result, texts=helper is None)
            if helper is not None and not helper.collect(tmp / "text"):
                # The helper died (killed, out of memory): make the texts here after all.
                from toolkit.sidecar import write_texts

                write_texts(task.project, task.path, task.name, task.params, doc.tree,
                            tmp / "text")
        del doc  # the TEI tree and Saxon's copy of it: a large document needs the memory
        if "html" in task.formats:
            from toolkit.site import write_page_blocks

            write_page_blocks(tmp / "html" / f"{task.name}.html", tmp / SEARCH,
                              task.project.reading)
        (tmp / "facts.json").write_text(json.dumps(result.facts, ensure_ascii=False),
                                        encoding="utf-8")
        (tmp / "diagnostics.json").write_text(
            json.dumps([d.__dict__ for d in result.diagnostics]), encoding="utf-8")
        _read_only(tmp)
        if task.entry.exists():
            shutil.rmtree(task.entry)
        os.rename(tmp, task.entry)
    except ToolkitError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        result.diagnostics.append(Diagnostic(exc.path or shown, exc.line or 1,
                                             exc.column or 1, ERROR, exc.message,
                                             "transform"))
        return _remember_failure(task, result)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.ok = True
    return result


def _remember_failure(task: Task, result: DocResult) -> DocResult:
    """A document that fails fails again while nothing it depends on changes: keep its
    diagnostics in its cache entry, so that a rebuild does not check it all over again."""
    tmp = task.entry.with_name(task.entry.name + f".tmp-{os.getpid()}")
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


_ids_memo: dict[str, Any] = {}


def remember_index(path: str, index) -> None:
    """The id index pickled at ``path`` is ``index``: this process (an inline or thread
    executor) needs no copy of it."""
    _ids_memo.clear()  # one build's index at a time
    _ids_memo[path] = index


def forget_index(path: str) -> None:
    _ids_memo.pop(path, None)


def _id_index(ids: Any):
    """The project's id index: given, or the path of its pickle (read once per worker)."""
    if not isinstance(ids, str):
        return ids
    index = _ids_memo.get(ids)
    if index is None:
        import pickle

        with open(ids, "rb") as fh:
            index = pickle.load(fh)
        remember_index(ids, index)
    return index


def _write_formats(task: Task, doc, out: Path, result: DocResult, texts: bool = True) -> None:
    from toolkit.sidecar import write_texts
    from toolkit.transform import render

    project, name, params = task.project, task.name, task.params
    result.facts = {"name": name, "source": result.source}
    if "html" in task.formats:
        html_dir = out / "html"
        (html_dir / "tei").mkdir(parents=True)
        page = render(doc.tree, "html", {**params, "source-name": name,
                                         "source-uri": task.path.resolve().as_uri()},
                      project, task.path)
        (html_dir / f"{name}.html").write_text(page, encoding="utf-8")
        shutil.copyfile(task.path, html_dir / "tei" / f"{name}.xml")
        del page  # written; its search blocks are read from the file, once the TEI is gone
        from toolkit.site import document_facts

        result.facts.update(document_facts(doc, project, name=name))
    if "text" in task.formats and texts:
        write_texts(project, task.path, name, params, doc.tree, out / "text")
    if "pdf" in task.formats:
        from toolkit.pdf import write_pdf

        pdf_dir = out / "pdf"
        pdf_dir.mkdir(parents=True)
        html = render(doc.tree, "print", {**params, "source-name": name}, project, task.path)
        write_pdf(html, pdf_dir / f"{name}.pdf", paper=project.paper)

