"""The build: load → validate → transform → write, for every document of an edition.

:func:`build` names its stages in order: plan (which documents need work: a document whose
content, stylesheets and settings are unchanged is reused from the cache, :mod:`.cache`), index
(the edition's ids, :mod:`toolkit.validation.index`), run the per-document stages
(:mod:`.document`) through a :class:`concurrent.futures.Executor` (:mod:`.workers`: processes by
default; any executor can be passed), assemble (the documents' outputs and the web edition's
edition-wide pages into a staging folder) and commit (swap it in whole, :mod:`.staging`).

Every well-formed document is rendered, whatever validation finds; the findings are counted and
reported (a summary in the :class:`BuildReport`, every one in ``output/report.json`` and on the
editors' page ``output/report.html``). ``strict`` (``--strict``, ``strict = true``) makes
validation errors fail the build, leaving output/ as it was, for CI. At scale: the parent keeps
only each document's facts and the findings a summary shows (capped; the report is written from
the cache entries one document at a time), workers keep nothing of a document once it is done,
failures are remembered in the cache like successes, each page's search blocks are made by the
worker and kept with the page, finished outputs are hard-linked from the cache into the staging
folder rather than copied, and a build in which nothing changed leaves output/ untouched.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from toolkit import collector, resident
from toolkit.builder import cache
from toolkit.builder.cluster import ClusterExecutor
from toolkit.builder.context import Prepared, Workers, prepare
from toolkit.builder.digests import Digests
from toolkit.builder.document import DocResult, Task, forget_index
from toolkit.builder.options import BuildOptions, BuildReport, Event, build_date
from toolkit.builder.report import REPORT_JSON, REPORT_PAGE, write_report
from toolkit.builder.staging import (
    Staging,
    drop_changed_entries,
    entry_files,
    link_files,
    locked,
    remove_stale_staging,
)
from toolkit.builder.workers import InlineExecutor, run_tasks, stop
from toolkit.diagnostics import (
    ERROR,
    ONCE_PER_RUN,
    WARNING,
    Diagnostic,
    counts_by_rule,
    sort_diagnostics,
)
from toolkit.errors import BuildFailed, ConfigError
from toolkit.facsimile import images
from toolkit.formats import FORMATS, stylesheet_params
from toolkit.html import site
from toolkit.html.page import MENTIONS
from toolkit.html.registers import REGISTERS
from toolkit.html.search import search_blocks_file
from toolkit.project import confine, paths
from toolkit.project.config import Project

__all__ = ["BuildOptions", "BuildReport", "DocResult", "build", "doc_name"]


def doc_name(project: Project, path: Path) -> str:
    """Output name of a source: its path below the sources' base folder, '/' as '_'."""
    base_dir = str(_resolved(paths.sources_dir(project)))
    text = str(paths.resolved(path))
    if text.startswith(base_dir.rstrip(os.sep) + os.sep) and not text.endswith("."):
        parts = text[len(base_dir.rstrip(os.sep)) + 1:].split(os.sep)
        parts[-1] = os.path.splitext(parts[-1])[0]  # as Path.with_suffix("") has it
        return "_".join(parts)
    try:
        rel = Path(text).relative_to(base_dir)
    except ValueError:
        rel = Path(Path(path).name)
    return "_".join(rel.with_suffix("").parts)


@functools.lru_cache(maxsize=64)
def _resolved(path: Path) -> Path:
    return path.resolve()


def build(project: Project, options: BuildOptions | None = None,
          on_event: Event | None = None) -> BuildReport:
    """Build ``project`` into its output folder: every well-formed document is rendered, and
    validation's findings are reported (:class:`BuildReport`, ``output/report.json``). Raises
    :class:`BuildFailed`, leaving the output as it was, when no document can be rendered, or
    when ``strict`` and validation found errors (or a document could not be rendered)."""
    with collector.paused():  # see toolkit.collector: the main process makes few cycles
        return _build(project, options or BuildOptions(), on_event)


def _build(project: Project, options: BuildOptions, on_event: Event | None) -> BuildReport:
    paths.forget_resolved()  # a folder may have become a link since the last build
    formats = list(options.formats or project.formats)
    for f in formats:
        if f not in FORMATS:
            raise ConfigError(f"unknown format {f!r}", hint="known formats: " + ", ".join(FORMATS))
    validate = project.validate if options.validate is None else options.validate
    strict = project.strict if options.strict is None else options.strict
    confine.check_output(project)  # never .git, the sources, or a folder of someone else's
    names = _plan_names(project)
    params = stylesheet_params(project, formats, build_date(options))
    report = BuildReport(output=project.output_dir, validated=validate)
    emit = on_event or (lambda *a: None)
    project.output_dir.parent.mkdir(parents=True, exist_ok=True)
    with locked(paths.build_lock(project)):
        remove_stale_staging(project.output_dir)
        results, prepared, kept = _run_documents(project, options, formats, params, validate,
                                                 names, emit, report)
        if strict and (report.failed or report.invalid):
            raise BuildFailed(
                f"strict: {len(report.invalid)} document(s) with validation errors and "
                f"{len(report.failed)} that could not be rendered; output/ left as it was",
                failures={**report.failed, **_errors_of(report)})
        ok = [r for r in results if r.ok]
        if not ok:
            raise BuildFailed("no document could be rendered; output/ left as it was",
                              failures=report.failed)
        build_stamp = cache.stamp(project, formats, params, results)
        report.report_file = project.output_dir / REPORT_JSON
        if project.report != "off":
            report.report_page = project.output_dir / REPORT_PAGE
        if not options.clean and all(r.reused for r in ok) and cache.unchanged(project,
                                                                               build_stamp):
            report.committed = report.up_to_date = True
            return report
        staging = Staging(project.output_dir)
        try:
            emit("assemble", "", 0, 0)
            linked = _assemble(project, formats, ok, staging.path, params, prepared, kept)
            write_report(staging.path, project, results, report, formats, kept.findings)
            staging.commit()
        except BaseException:
            staging.discard()
            raise
        report.committed = True
        kept.save()  # (with the listings of the entries' files)
        cache.prune(project, results)
        images.prune(paths.image_cache(project), {
            name for r in ok for name in (*(r.facts or {}).get("facsimile", {}).get(
                "folders", []), *(r.facts or {}).get("plates", []))})
        cache.record(project, build_stamp, linked)
    return report


def _errors_of(report: BuildReport) -> dict[str, list[Diagnostic]]:
    """The errors shown for each invalid document (for a strict build's failure)."""
    out: dict[str, list[Diagnostic]] = {}
    for d in report.findings:
        if d.is_error:
            out.setdefault(d.path, []).append(d)
    return out


def _plan_names(project: Project) -> dict[str, Path]:
    """The sources by output name; two sources may not share one."""
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
    return names


#: A build's summary shows at most this many findings, and this many per document: a corpus
#: of thousands of documents would otherwise print (and hold in memory) hundreds of thousands of
#: lines; every one is counted, and listed in output/report.json.
MAX_SHOWN = 1000
MAX_PER_DOCUMENT = 50


def _take(r: DocResult, report: BuildReport, budget: list[int]) -> DocResult:
    """Count a document's result into the report and keep what the summary shows of it; the
    result itself keeps no diagnostics (the cache entry has them all, for the report file)."""
    if not r.ok:
        report.failed[r.name] = _capped(sort_diagnostics(
            [d for d in r.diagnostics if d.is_error] or r.diagnostics), r.source)
        r.diagnostics = []
        return r
    (report.reused if r.reused else report.built).append(r.name)
    kept = []
    for d in r.diagnostics:
        if d.rule in ONCE_PER_RUN:
            report.shared[d.message] = report.shared.get(d.message, 0) + 1
            if report.shared[d.message] > 1:
                continue
        kept.append(d)
    r.diagnostics = kept
    for key, n in counts_by_rule(r.diagnostics).items():
        report.counts[key] = report.counts.get(key, 0) + n
    if any(d.is_error for d in r.diagnostics):
        report.invalid.append(r.name)
    ordered = sorted(sort_diagnostics(r.diagnostics), key=lambda d: not d.is_error)
    shown = ordered[:max(0, min(MAX_PER_DOCUMENT, budget[0]))]
    budget[0] -= len(shown)
    report.findings.extend(shown)
    report.hidden += len(r.diagnostics) - len(shown)
    r.diagnostics = []
    return r


def _capped(errors: list[Diagnostic], source: str) -> list[Diagnostic]:
    """At most MAX_PER_DOCUMENT, every kind of problem at least once."""
    if len(errors) <= MAX_PER_DOCUMENT:
        return errors
    more = len(errors) - MAX_PER_DOCUMENT
    first: dict[str, Diagnostic] = {}
    for d in errors:
        first.setdefault(d.rule, d)
    chosen = list(first.values())[:MAX_PER_DOCUMENT]
    taken = {id(d) for d in chosen}
    chosen += [d for d in errors if id(d) not in taken][:MAX_PER_DOCUMENT - len(chosen)]
    return sort_diagnostics(chosen) + [Diagnostic(
        source, 1, 1, ERROR, f"... and {more} more error(s) in this document; "
        f"`teikit validate {source}` lists every one", "build")]


def _run_documents(project: Project, options: BuildOptions, formats: list[str], params: dict,
                   validate: bool, names: dict[str, Path], emit: Event,
                   report: BuildReport) -> tuple[list[DocResult], Prepared, cache.Results]:
    key = cache.settings_key(project, formats, validate)
    paths.build_cache(project).mkdir(parents=True, exist_ok=True)
    tasks, results = [], []
    budget = [MAX_SHOWN]
    digests = Digests(paths.digests_file(project))
    kept = cache.Results(project)
    workers = Workers(options.jobs or os.cpu_count() or 1, options.executor,
                      options.scheduler or project.scheduler)
    prepared = None
    try:
        emit("stage", "the edition's index and registers", 0, len(names))
        prepared = prepare(project, names, digests, params, key, workers, validate)
        params_key = cache.params_text(params)
        for name, path in names.items():
            context, make_context = prepared.context(path)
            entry = cache.entry_for(project, name, path, key, params_key, digests, context)
            if not options.clean and cache.is_cached(entry):
                results.append(_take(cache.reuse(project, name, path, entry, kept), report,
                                     budget))
                continue
            own = _formats_of(project, prepared, path, formats)
            task_params = {**params, "edition": make_context(), "formats": ",".join(own)}
            tasks.append(Task(project, path, name, own, task_params, validate, entry,
                              None if prepared.index_file is None else str(prepared.index_file)))
        digests.save()
        total = len(names)
        done = len(results)
        for r in results:
            emit("reused" if r.ok else "failed", r.name, done, total)
        if tasks:
            executor, owned = (workers.get(len(tasks)) if len(tasks) > 1 or workers.pool
                               or workers.scheduler else (InlineExecutor(), True))
            # On a cluster: as many documents in flight as it has threads, unless told otherwise.
            jobs = options.jobs or (executor.slots() if isinstance(executor, ClusterExecutor)
                                    else os.cpu_count() or 1)
            if isinstance(executor, InlineExecutor) and len(tasks) == 1 and jobs > 1:
                tasks[0].texts_beside = True  # one document: its texts on the second core

            def on_stage(name: str, what: str) -> None:
                emit("stage", f"{name} ({what})", done, total)

            for r in run_tasks(project, jobs, executor, owned,
                               tasks, on_stage=on_stage):
                done += 1
                emit("built" if r.ok else "failed", r.name, done, total)
                kept.put(r)
                results.append(_take(r, report, budget))
        kept.save()
    except BaseException:
        if workers.pool is not None:
            stop(workers.pool)  # interrupted: the workers are killed, not waited for
            workers.pool = None
        raise
    finally:
        if workers.pool is not None:
            workers.pool.shutdown(wait=True, cancel_futures=True)
        if prepared is not None and prepared.index_file is not None and not resident.active():
            forget_index(str(prepared.index_file))  # (kept for the next build: teikit serve)
    report.findings = [
        replace(d, message=f"{d.message} (and in {report.shared[d.message] - 1} more "
                "document(s))") if report.shared.get(d.message, 1) > 1 else d
        for d in report.findings]
    if report.hidden:
        report.findings.append(Diagnostic(
            str(project.root), 1, 1, WARNING, f"... and {report.hidden} more finding(s) not "
            "shown here: output/report.json lists every one", "build"))
    order = {n: i for i, n in enumerate(names)}
    return sorted(results, key=lambda r: order[r.name]), prepared, kept


def _formats_of(project: Project, prepared: Prepared, path: Path,
                formats: list[str]) -> list[str]:
    """The formats a source is built in: a register file (lists of entries, no running text)
    has no print edition of its own unless ``registers_pdf`` asks for one."""
    if "pdf" in formats and not project.registers_pdf and prepared.index.is_register(
            str(Path(path).resolve())):
        return [f for f in formats if f != "pdf"]
    return formats


def _assemble(project: Project, formats: list[str], ok: Iterable[DocResult], out: Path,
              params: dict, prepared: Prepared, kept: cache.Results) -> dict[str, list[int]]:
    """The documents' outputs (hard links to their cache entries) and the edition-wide pages;
    returns the linked files' stats by their paths in ``out``."""
    ok = list(ok)
    linked: list[tuple[str, str, tuple[int, int]]] = []
    folders = {f.folder for f in FORMATS.values()}
    for r in ok:
        files = kept.files(r.entry)  # (an entry never changes: its listing is kept)
        if files is not None:
            try:
                link_files(r.entry, files, out, linked)
                continue
            except FileNotFoundError:  # (a damaged entry: listed again)
                pass
        files = entry_files(r.entry, folders)
        link_files(r.entry, files, out, linked)
        kept.put_files(r.entry, files)
    if "html" in formats:
        html_dir = out / FORMATS["html"].folder
        try:
            data = prepared.site
            _store_mentions(data, ok)
            facts = [{**r.facts, "search": str(search_blocks_file(r.entry))} for r in ok]
            for f in facts:  # a register file is shown in the registers, not as a text
                if f.get("name") in prepared.register_names:
                    f["kind"] = "authority"
            site.write_site(project, facts, html_dir, params, data)
        finally:
            drop_changed_entries(linked)
    return {a[len(entry) + 1:]: [size, mtime] for a, entry, (size, mtime) in linked}


def _store_mentions(data: site.SiteData, ok: list[DocResult]) -> None:
    """The store's mentions of each document as its cache entry has them: read (one document
    at a time) for the documents built or changed since the store last saw them."""
    known = data.store.docs()
    listed = set(data.eids.values())
    for r in ok:
        entry = Path(r.entry)
        if known.get(r.name) == entry.name:
            continue
        try:
            raw = json.loads((entry / MENTIONS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {"mentions": [], "entities": {}}
        mentions = raw.get("mentions") or []
        entities = raw.get("entities") or {}
        others = {(m["id"], m["type"]): entities.get(m["id"]) or {"name": m.get("name")}
                  for m in mentions if m.get("type") in REGISTERS and m["id"] not in listed}
        data.store.put_mentions(r.name, entry.name, site.mention_rows(mentions),
                                [(e, t, d) for (e, t), d in others.items()],
                                title=(r.facts or {}).get("title") or r.name)
    data.store.drop_docs({r.name for r in ok})
