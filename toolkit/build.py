"""The build: load → validate → transform → write, for every document of an edition.

:func:`build` plans which documents need work (a document whose content, stylesheets and
settings are unchanged is reused from the build cache), runs the per-document stages through a
:class:`concurrent.futures.Executor` (processes by default; any executor can be passed, so a
cluster executor can be plugged in), then writes the cross-document parts (the web edition's
index, registers and search) and swaps the finished output in whole (:mod:`toolkit.output`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import multiprocessing
import os
import re
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.config import FORMATS, Project
from toolkit.diagnostics import ERROR, Diagnostic, sort_diagnostics
from toolkit.errors import BuildFailed, ConfigError, ToolkitError
from toolkit.output import Staging, locked, remove_stale_staging

#: formats -> the output folders they fill
FOLDERS = {"html": "html", "text": "text", "pdf": "pdf"}


@dataclass
class BuildOptions:
    """How to build; every field has a sensible default."""

    formats: list[str] | None = None  # None: the project's formats
    jobs: int | None = None  # None: all cores
    clean: bool = False  # ignore the build cache
    keep_going: bool = False  # write what could be built even if some documents failed
    validate: bool | None = None  # None: the project's setting
    strict: bool = False  # warnings fail a document too
    build_date: str | None = None  # ISO date for citations; default SOURCE_DATE_EPOCH or today
    executor: Executor | None = None  # default: a process pool of ``jobs`` workers


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


@dataclass
class BuildReport:
    """The outcome of a build."""

    output: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    committed: bool = False


Event = Callable[[str, str, int, int], None]  # (kind, document name, done, total)


def doc_name(project: Project, path: Path) -> str:
    """Output name of a source: its path below the sources' base folder, '/' as '_'."""
    base = project.sources.split("*")[0].rstrip("/")
    base_dir = (project.root / base) if base else project.root
    try:
        rel = Path(path).resolve().relative_to(base_dir.resolve())
    except ValueError:
        rel = Path(Path(path).name)
    return "_".join(rel.with_suffix("").parts)


def build_date(options: BuildOptions) -> str:
    if options.build_date:
        return options.build_date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return _dt.date.today().isoformat()


def cache_dir(project: Project) -> Path:
    return project.output_dir.parent / ".teikit-cache" / "build"


def _settings_key(project: Project, formats: list[str], validate: bool, strict: bool) -> str:
    from toolkit.transform import fingerprint

    h = hashlib.sha256()
    for part in (__version__, project.title, project.reading, project.paper, project.language,
                 project.base_url, ",".join(formats), str(validate), str(strict),
                 fingerprint(project)):
        h.update(part.encode())
        h.update(b"\0")
    for path in ([project.schema] if project.schema else []) + list(project.schematron) + sorted(
            project.root.glob("tei/*.sch")):
        h.update(Path(path).read_bytes())
    try:
        from toolkit.schema import status

        h.update(json.dumps(status(), sort_keys=True, default=str).encode())
    except Exception:  # noqa: BLE001 - schema module missing or broken: key without it
        pass
    return h.hexdigest()


@dataclass
class _Task:
    project: Project
    path: Path
    name: str
    formats: list[str]
    params: dict[str, Any]
    validate: bool
    strict: bool
    entry: Path
    ids: Any = None


def _build_one(task: _Task) -> DocResult:
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


def _build_stages(task: _Task, shown: str, result: DocResult) -> DocResult:
    from toolkit.load import load
    from toolkit.transform import parsed_once

    doc, diags = load(task.path, display=shown, allowed_root=task.project.root)
    result.diagnostics.extend(diags)
    if doc is None:
        return result
    with parsed_once(doc.tree):  # one Saxon copy for Schematron and every output
        if task.validate:
            from toolkit.validate import validate_document

            result.diagnostics.extend(validate_document(doc, task.project,
                                                        _id_index(task.ids)))
        failing = [d for d in result.diagnostics if d.severity == ERROR or task.strict]
        if failing:
            return result
        tmp = task.entry.with_name(task.entry.name + f".tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            _write_formats(task, doc, tmp, result)
            facts_path = tmp / "facts.json"
            facts_path.write_text(json.dumps(result.facts, ensure_ascii=False),
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
            return result
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    result.ok = True
    return result


def _read_only(folder: Path) -> None:
    """Cache files are linked into the output, never copied: make them read-only, so that an
    edit of an output file does not silently change the cache (for users other than root)."""
    for dirpath, _dirs, files in os.walk(folder):
        for f in files:
            os.chmod(os.path.join(dirpath, f), 0o444)


_ids_memo: dict[str, Any] = {}


def _id_index(ids: Any):
    """The project's id index: given, or the path of its pickle (read once per worker)."""
    if not isinstance(ids, str):
        return ids
    index = _ids_memo.get(ids)
    if index is None:
        import pickle

        with open(ids, "rb") as fh:
            index = pickle.load(fh)
        _ids_memo.clear()  # one build's index at a time
        _ids_memo[ids] = index
    return index


def _write_formats(task: _Task, doc, out: Path, result: DocResult) -> None:
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
        try:
            from toolkit.site import document_facts
        except ImportError:  # site assembly not available: pages only
            pass
        else:
            result.facts.update(document_facts(doc, project, name=name))
    if "text" in task.formats:
        text_dir = out / "text"
        text_dir.mkdir(parents=True)
        for variant, filename in (("diplomatic", f"{name}.diplomatic.txt"),
                                  ("reading", f"{name}.txt")):
            text = render(doc.tree, "text", {**params, "source-name": name, "variant": variant},
                          project, task.path)
            (text_dir / filename).write_text(text, encoding="utf-8")
    if "pdf" in task.formats:
        from toolkit.pdf import write_pdf

        pdf_dir = out / "pdf"
        pdf_dir.mkdir(parents=True)
        html = render(doc.tree, "print", {**params, "source-name": name}, project, task.path)
        write_pdf(html, pdf_dir / f"{name}.pdf", paper=project.paper)


class _InlineExecutor(Executor):
    """Runs tasks in the calling process: for one document or ``--jobs 1``."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller via the future
            fut.set_exception(exc)
        return fut


def _executor(options: BuildOptions, ntasks: int) -> tuple[Executor, bool]:
    if options.executor is not None:
        return options.executor, False
    jobs = options.jobs or os.cpu_count() or 1
    if jobs <= 1 or ntasks <= 1:
        return _InlineExecutor(), True
    ctx = multiprocessing.get_context("spawn")  # Saxon must not be forked
    return ProcessPoolExecutor(max_workers=min(jobs, ntasks), mp_context=ctx), True


def build(project: Project, options: BuildOptions | None = None,
          on_event: Event | None = None) -> BuildReport:
    """Build ``project`` into its output folder. Raises :class:`BuildFailed` when documents
    fail (after reporting all of them) unless ``keep_going``; the output is untouched then."""
    options = options or BuildOptions()
    formats = list(options.formats or project.formats)
    for f in formats:
        if f not in FORMATS:
            raise ConfigError(f"unknown format {f!r}", hint="known formats: " + ", ".join(FORMATS))
    validate = project.validate if options.validate is None else options.validate
    files = project.tei_files()
    if not files:
        raise ConfigError(f"no TEI sources match '{project.sources}'", path=project.root,
                          hint="put the edition's TEI files in tei/ or set 'sources'")
    names: dict[str, Path] = {}
    for f in files:
        n = doc_name(project, f)
        if n in names:
            raise ConfigError(f"two sources would have the same output name '{n}'", path=f,
                              hint=f"rename one of {names[n].name} and {f.name}")
        names[n] = f
    report = BuildReport(output=project.output_dir)
    emit = on_event or (lambda *a: None)
    project.output_dir.parent.mkdir(parents=True, exist_ok=True)
    with locked(project.output_dir):
        remove_stale_staging(project.output_dir)
        results = _run_documents(project, options, formats, validate, names, emit)
        for r in results:
            if r.ok:
                (report.reused if r.reused else report.built).append(r.name)
                report.warnings.extend(r.diagnostics)
            else:
                errors = [d for d in r.diagnostics if d.severity == ERROR or options.strict]
                report.failed[r.name] = sort_diagnostics(errors or r.diagnostics)
        if report.failed and not options.keep_going:
            raise BuildFailed(f"{len(report.failed)} of {len(results)} document(s) failed; "
                              "output/ left as it was", failures=report.failed)
        ok = [r for r in results if r.ok]
        if not ok:
            raise BuildFailed("no document could be built; output/ left as it was",
                              failures=report.failed)
        staging = Staging(project.output_dir)
        try:
            emit("assemble", "", 0, 0)
            _assemble(project, formats, ok, staging.path, options)
            staging.commit()
        except BaseException:
            staging.discard()
            raise
        report.committed = True
        _prune_cache(project, ok)
    return report


def _run_documents(project, options, formats, validate, names, emit) -> list[DocResult]:
    key = _settings_key(project, formats, validate, options.strict)
    cdir = cache_dir(project)
    cdir.mkdir(parents=True, exist_ok=True)
    params = {
        "reading": project.reading, "site-title": project.title,
        "build-date": build_date(options), "base-url": project.base_url,
        "language": project.language, "formats": ",".join(formats), "paper": project.paper,
    }
    ids = None
    if validate:
        from toolkit.validate import IdIndex

        ids = IdIndex.build(list(names.values()))
    tasks, results = [], []
    for name, path in names.items():
        h = hashlib.sha256(key.encode())
        h.update(path.read_bytes())
        for other in _referenced_files(path):  # entity data may live in another file
            h.update(other.read_bytes())
        entry = cdir / f"{name}-{h.hexdigest()[:20]}"
        if not options.clean and (entry / "facts.json").is_file():
            results.append(_reuse(project, name, path, entry))
            continue
        tasks.append(_Task(project, path, name, formats, params, validate, options.strict,
                           entry, ids))
    total = len(names)
    done = len(results)
    for r in results:
        emit("reused", r.name, done, total)
    executor, owned = _executor(options, len(tasks))
    try:
        futures = [executor.submit(_build_one, t) for t in tasks]
        for t, fut in zip(tasks, futures, strict=True):
            try:
                r = fut.result()
            except ToolkitError as exc:
                r = DocResult(t.name, project.display(t.path), False,
                              [Diagnostic(exc.path or project.display(t.path), exc.line or 1,
                                          exc.column or 1, ERROR, exc.message, "build")])
            done += 1
            emit("built" if r.ok else "failed", r.name, done, total)
            results.append(r)
    finally:
        if owned:
            executor.shutdown(wait=True, cancel_futures=True)
    order = {n: i for i, n in enumerate(names)}
    return sorted(results, key=lambda r: order[r.name])


_XML_POINTER = re.compile(rb"""["'\s]([\w./-]+\.xml)#""")


def _referenced_files(path: Path) -> list[Path]:
    """Other local files a source points into (``persons.xml#id``), whose content counts too."""
    found = set()
    for m in _XML_POINTER.finditer(path.read_bytes()):
        target = (path.parent / m.group(1).decode()).resolve()
        if target.is_file() and target != path.resolve():
            found.add(target)
    return sorted(found)


def _reuse(project: Project, name: str, path: Path, entry: Path) -> DocResult:
    facts = json.loads((entry / "facts.json").read_text(encoding="utf-8"))
    diags = [Diagnostic(**d) for d in
             json.loads((entry / "diagnostics.json").read_text(encoding="utf-8"))]
    return DocResult(name, project.display(path), True, diags, facts, str(entry), reused=True)


def _assemble(project: Project, formats: list[str], ok: Iterable[DocResult], out: Path,
              options: BuildOptions) -> None:
    ok = list(ok)
    for r in ok:
        entry = Path(r.entry)
        for folder in FOLDERS.values():
            src = entry / folder
            if src.is_dir():
                shutil.copytree(src, out / folder, dirs_exist_ok=True)
    if "html" in formats:
        try:
            from toolkit.site import write_site
        except ImportError:
            return
        params = {"reading": project.reading, "site-title": project.title,
                  "build-date": build_date(options), "base-url": project.base_url,
                  "language": project.language, "formats": ",".join(formats)}
        write_site(project, [r.facts for r in ok], out / "html", params)


def _prune_cache(project: Project, kept: list[DocResult]) -> None:
    """Drop cache entries no longer used by any document."""
    keep = {Path(r.entry).name for r in kept}
    for p in cache_dir(project).iterdir():
        if p.is_dir() and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
