"""The build: load → validate → transform → write, for every document of an edition.

:func:`build` plans which documents need work (a document whose content, stylesheets and
settings are unchanged is reused from the build cache), runs the per-document stages
(:mod:`toolkit.document`) through a :class:`concurrent.futures.Executor` (:mod:`toolkit.workers`:
processes by default; any executor can be passed, so a cluster executor can be plugged in),
then writes the cross-document parts (the web edition's
index, registers and search) and swaps the finished output in whole (:mod:`toolkit.output`).

A document that is well-formed but invalid fails the build (nothing is published then);
``keep_going`` builds the others and reports every failure at the end; ``validate=False``
(``--no-validate``) builds it anyway. At scale: the parent keeps only each document's facts and
the diagnostics a report shows (capped), workers keep nothing of a document once it is done,
failures are remembered in the cache like successes (a rebuild does not check an unchanged
invalid document again), each page's search blocks are made by the worker and kept with the page
(the parent only streams them into the search index), finished outputs are hard-linked from the
cache into the staging folder rather than copied, and a build in which nothing changed leaves
output/ untouched.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import __version__
from toolkit.config import FORMATS, Project
from toolkit.diagnostics import ERROR, WARNING, Diagnostic, sort_diagnostics
from toolkit.digests import Digests
from toolkit.document import FAILED, SEARCH, DocResult, Task, forget_index, remember_index
from toolkit.errors import BuildFailed, ConfigError
from toolkit.output import Staging, locked, remove_stale_staging
from toolkit.workers import InlineExecutor, make_executor, run_tasks

__all__ = ["BuildOptions", "BuildReport", "DocResult", "build", "doc_name", "cache_dir"]

#: formats -> the output folders they fill
FOLDERS = {"html": "html", "text": "text", "pdf": "pdf"}
#: formats -> the stylesheet layers (xslt/ folders) they use, besides common/
_LAYERS = {"html": "html", "text": "text", "pdf": "print"}


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
class BuildReport:
    """The outcome of a build."""

    output: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    committed: bool = False
    up_to_date: bool = False  # nothing changed since the last build: output/ left untouched


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


@functools.cache
def _code_fingerprint() -> str:
    """A hash of the toolkit's own modules and assets: a changed toolkit rebuilds everything,
    even when its version number did not change (a development checkout)."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for f in sorted(package.rglob("*")):
        wanted = f.suffix in (".py", ".sch", ".css", ".js") and "__pycache__" not in f.parts
        if wanted and f.is_file():
            h.update(str(f.relative_to(package)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _settings_key(project: Project, formats: list[str], validate: bool, strict: bool) -> str:
    from toolkit.transform import fingerprint

    h = hashlib.sha256()
    for part in (__version__, project.title, project.reading, project.paper, project.language,
                 project.base_url, ",".join(formats), str(validate), str(strict),
                 fingerprint(project, [_LAYERS[f] for f in formats])):
        h.update(part.encode())
        h.update(b"\0")
    h.update(_code_fingerprint().encode())
    for path in ([project.schema] if project.schema else []) + list(project.schematron) + sorted(
            project.root.glob("tei/*.sch")):
        h.update(Path(path).read_bytes())
    try:
        from toolkit.schema import status

        h.update(json.dumps(status(), sort_keys=True, default=str).encode())
    except Exception:  # noqa: BLE001 - schema module missing or broken: key without it
        pass
    return h.hexdigest()


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
        hidden = 0
        for r in results:
            if r.ok:
                (report.reused if r.reused else report.built).append(r.name)
                report.warnings.extend(r.diagnostics)
                hidden += r.hidden
            else:
                report.failed[r.name] = r.diagnostics
        if hidden:
            report.warnings.append(Diagnostic(
                str(project.root), 1, 1, WARNING, f"... and {hidden} more warning(s) not "
                "shown here; `teikit validate` lists every one", "build"))
        if report.failed and not options.keep_going:
            raise BuildFailed(f"{len(report.failed)} of {len(results)} document(s) failed; "
                              "output/ left as it was", failures=report.failed)
        ok = [r for r in results if r.ok]
        if not ok:
            raise BuildFailed("no document could be built; output/ left as it was",
                              failures=report.failed)
        stamp = _stamp(project, formats, options, results)
        if not options.clean and all(r.reused for r in ok) and _unchanged(project, stamp):
            report.committed = report.up_to_date = True
            return report
        staging = Staging(project.output_dir)
        try:
            emit("assemble", "", 0, 0)
            _assemble(project, formats, ok, staging.path, options)
            staging.commit()
        except BaseException:
            staging.discard()
            raise
        report.committed = True
        _prune_cache(project, results)
        _record(project, stamp)
    return report


#: A build's report shows at most this many warnings, and this many errors per document:
#: a corpus of thousands of documents would otherwise print (and hold in memory) hundreds of
#: thousands of lines; `teikit validate` lists them all.
MAX_WARNINGS = 1000
MAX_ERRORS_PER_DOCUMENT = 50


def _trim(r: DocResult, strict: bool, budget: list[int]) -> DocResult:
    """Keep what the report shows of a result: its errors (at most MAX_ERRORS_PER_DOCUMENT)
    if it failed, else its warnings while the build's ``budget`` of warnings lasts."""
    if r.ok:
        keep = r.diagnostics[:max(0, budget[0])]
        r.hidden += len(r.diagnostics) - len(keep)
        budget[0] -= len(keep)
        r.diagnostics = keep
        return r
    errors = sort_diagnostics([d for d in r.diagnostics if d.severity == ERROR or strict]
                              or r.diagnostics)
    if len(errors) > MAX_ERRORS_PER_DOCUMENT:
        more = len(errors) - MAX_ERRORS_PER_DOCUMENT
        # Every kind of problem is shown at least once, however many there are of another.
        first = {}
        for d in errors:
            first.setdefault(d.rule, d)
        chosen = list(first.values())[:MAX_ERRORS_PER_DOCUMENT]
        taken = {id(d) for d in chosen}
        chosen += [d for d in errors if id(d) not in taken][:MAX_ERRORS_PER_DOCUMENT
                                                            - len(chosen)]
        errors = sort_diagnostics(chosen) + [Diagnostic(
            r.source, 1, 1, ERROR, f"... and {more} more error(s) in this document; "
            f"`teikit validate {r.source}` lists every one", "build")]
    r.diagnostics = errors
    return r


def _manifest(project: Project) -> Path:
    return cache_dir(project).parent / "output.json"


def _stamp(project: Project, formats: list[str], options: BuildOptions,
           results: list[DocResult]) -> str:
    """What the output of this build is made of: every document's cache entry (content,
    settings, parameters), the failures, the formats, the date and the code that assembles."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for part in (__version__, str(project.output_dir), ",".join(formats), build_date(options),
                 project.title, project.reading, project.language, project.base_url):
        h.update(part.encode() + b"\0")
    for r in results:
        h.update(f"{r.name}\0{r.ok}\0{Path(r.entry).name}\0".encode())
    for f in [here / "build.py", here / "site.py", *sorted((here / "assets").rglob("*"))]:
        if f.is_file():
            h.update(f.read_bytes())
    return h.hexdigest()


def _output_files(out: Path) -> dict[str, list[int]]:
    files = {}
    for dirpath, _dirs, names in os.walk(out):
        for n in names:
            p = os.path.join(dirpath, n)
            st = os.stat(p)
            files[os.path.relpath(p, out)] = [st.st_size, st.st_mtime_ns]
    return files


def _unchanged(project: Project, stamp: str) -> bool:
    """The last build had the same stamp and output/ still holds exactly what it wrote."""
    try:
        last = json.loads(_manifest(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if last.get("stamp") != stamp or not project.output_dir.is_dir():
        return False
    return _output_files(project.output_dir) == last.get("files")


def _record(project: Project, stamp: str) -> None:
    path = _manifest(project)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"stamp": stamp, "files": _output_files(project.output_dir)}),
                       encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # no manifest: the next build assembles the output again


def _run_documents(project, options, formats, validate, names, emit) -> list[DocResult]:
    key = _settings_key(project, formats, validate, options.strict)
    cdir = cache_dir(project)
    cdir.mkdir(parents=True, exist_ok=True)
    params = {
        "reading": project.reading, "site-title": project.title,
        "build-date": build_date(options), "base-url": project.base_url,
        "language": project.language, "formats": ",".join(formats), "paper": project.paper,
    }
    tasks, results = [], []
    budget = [MAX_WARNINGS]
    digests = Digests(cdir.parent / "sources.json")
    for name, path in names.items():
        h = hashlib.sha256(key.encode())
        h.update(json.dumps(params, sort_keys=True).encode())  # e.g. the date in citations
        h.update(digests.digest(path).encode())
        for other in digests.references(path):  # entity data may live in another file
            h.update(digests.digest(other).encode())
        entry = cdir / f"{name}-{h.hexdigest()[:20]}"
        if not options.clean and ((entry / "facts.json").is_file()
                                  or (entry / FAILED).is_file()):
            results.append(_trim(_reuse(project, name, path, entry), options.strict, budget))
            continue
        tasks.append(Task(project, path, name, formats, params, validate, options.strict,
                           entry, None))
    digests.save()
    total = len(names)
    done = len(results)
    for r in results:
        emit("reused" if r.ok else "failed", r.name, done, total)
    if tasks:
        jobs = options.jobs or os.cpu_count() or 1
        executor, owned = make_executor(jobs, options.executor, len(tasks))
        if owned and isinstance(executor, InlineExecutor) and len(tasks) == 1 and jobs > 1:
            tasks[0].texts_beside = True  # one document: its texts on the second core
        index_file = None
        try:
            if validate:
                index_file = _write_index(project, executor, names, digests)
                for t in tasks:
                    t.ids = str(index_file)
            for r in run_tasks(project, jobs, executor, owned, tasks):
                done += 1
                emit("built" if r.ok else "failed", r.name, done, total)
                results.append(_trim(r, options.strict, budget))
        finally:
            if owned:
                executor.shutdown(wait=True, cancel_futures=True)
            if index_file is not None:
                index_file.unlink(missing_ok=True)
                forget_index(str(index_file))
    order = {n: i for i, n in enumerate(names)}
    return sorted(results, key=lambda r: order[r.name])


def _write_index(project: Project, executor: Executor, names: dict[str, Path],
                 digests: Digests) -> Path:
    """The id index of every source (each file's part cached by content; the others parsed by
    the executor's workers), pickled once for the workers to read once each."""
    import pickle

    from toolkit.integrity import IdIndex, index_part, part_file

    icache = cache_dir(project).parent / "ids"
    paths = list(names.values())
    parts = {p: index_part(p, icache, digests.digest(p), parse=False) for p in paths}
    missing = [p for p in paths if parts[p] is None]
    if len(missing) > 4 and not isinstance(executor, InlineExecutor):
        chunks = [missing[i:i + 8] for i in range(0, len(missing), 8)]
        futures = [executor.submit(_index_parts, c, icache, [digests.digest(p) for p in c])
                   for c in chunks]
        for c, fut in zip(chunks, futures, strict=True):
            parts.update(zip(c, fut.result(), strict=True))
    for p in missing:
        if parts[p] is None:
            parts[p] = index_part(p, icache, digests.digest(p))
    index = IdIndex()
    for p in paths:  # in the sources' order: the first entry of a name wins
        index.merge(parts[p])
    used = {part_file(icache, p, digests.digest(p)).name for p in paths}
    for old in icache.glob("*.json"):  # parts of files changed or gone since
        if old.name not in used:
            old.unlink(missing_ok=True)
    target = cache_dir(project).parent / f"ids-{os.getpid()}.pickle"
    with open(target, "wb") as fh:
        pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    remember_index(str(target), index)
    return target


def _index_parts(paths: list[Path], cache: Path, digests: list[str]) -> list:
    from toolkit.integrity import index_part

    return [index_part(p, cache, d) for p, d in zip(paths, digests, strict=True)]


def _reuse(project: Project, name: str, path: Path, entry: Path) -> DocResult:
    if (entry / FAILED).is_file():
        diags = [Diagnostic(**d) for d in
                 json.loads((entry / FAILED).read_text(encoding="utf-8"))]
        return DocResult(name, project.display(path), False, diags, None, str(entry),
                         reused=True)
    facts = json.loads((entry / "facts.json").read_text(encoding="utf-8"))
    diags = [Diagnostic(**d) for d in
             json.loads((entry / "diagnostics.json").read_text(encoding="utf-8"))]
    return DocResult(name, project.display(path), True, diags, facts, str(entry), reused=True)


def _assemble(project: Project, formats: list[str], ok: Iterable[DocResult], out: Path,
              options: BuildOptions) -> None:
    ok = list(ok)
    linked: list[tuple[str, str, tuple[int, int]]] = []
    for r in ok:
        entry = Path(r.entry)
        for folder in FOLDERS.values():
            src = entry / folder
            if src.is_dir():
                _link_tree(src, out / folder, entry, linked)
    if "html" in formats:
        from toolkit import site
        from toolkit.site import write_site

        for page in site.SITE_PAGES:  # files the site writes: own copies
            _unlink_copy(out / "html" / f"{page}.html")
        params = {"reading": project.reading, "site-title": project.title,
                  "build-date": build_date(options), "base-url": project.base_url,
                  "language": project.language, "formats": ",".join(formats)}
        try:
            facts = [{**r.facts, "search": str(Path(r.entry) / SEARCH)} for r in ok]
            write_site(project, facts, out / "html", params)
        finally:
            _drop_changed_entries(linked)


def _link_tree(src: Path, dst: Path, entry: Path, linked: list) -> None:
    """Put the files of ``src`` into ``dst`` as hard links (a copy where links are impossible,
    e.g. across file systems): assembling a large edition then costs no copying at all."""
    for dirpath, _dirs, files in os.walk(src):
        target = dst / os.path.relpath(dirpath, src)
        target.mkdir(parents=True, exist_ok=True)
        for f in files:
            a, b = os.path.join(dirpath, f), target / f
            if b.exists() or b.is_symlink():
                b.unlink()
            try:
                os.link(a, b)
            except OSError:
                shutil.copy2(a, b)
                continue
            st = os.stat(a)
            linked.append((a, str(entry), (st.st_size, st.st_mtime_ns)))


def _unlink_copy(path: Path) -> None:
    """Replace a hard link by a writable copy of its own."""
    if not path.is_file():
        return
    tmp = path.with_name(path.name + ".copy")
    shutil.copyfile(path, tmp)
    os.replace(tmp, path)


def _drop_changed_entries(linked: list) -> None:
    """A cache file changed through its link in the staging folder (a later stage wrote into
    it rather than replacing it): the output is right, but that cache entry no longer is."""
    bad = set()
    for path, entry, (size, mtime) in linked:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            bad.add(entry)
    for entry in bad:
        shutil.rmtree(entry, ignore_errors=True)


def _prune_cache(project: Project, kept: list[DocResult]) -> None:
    """Drop cache entries no longer used by any document."""
    keep = {Path(r.entry).name for r in kept}
    for p in cache_dir(project).iterdir():
        if p.is_dir() and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
