"""The build cache: what a document's outputs are made of, and what the last build wrote.

A document's cache entry (``<build cache>/<name>-<key>``) is keyed by everything its outputs
depend on: its content and that of the files it points into, the settings and stylesheet
parameters, the stylesheets (with the project's overlays and overrides), the schemas and rules,
and the toolkit's own code (:func:`code_fingerprint`, a hash of the whole package tree, so that
a changed or moved module is noticed). The output manifest records the stamp of the last build
and the files it left in the output folder: a build that would write the same again leaves the
output folder untouched.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from toolkit import __version__, pickled
from toolkit.builder.digests import Digests
from toolkit.builder.document import DIAGNOSTICS, FAILED, DocResult
from toolkit.builder.staging import files_below
from toolkit.diagnostics import Diagnostic
from toolkit.formats import FORMATS
from toolkit.project import confine, paths
from toolkit.project.config import Project
from toolkit.transform import fingerprint
from toolkit.validation import schema


@functools.cache
def code_fingerprint() -> str:
    """A hash of every file of the toolkit's package: a changed toolkit rebuilds everything,
    even when its version number did not change (a development checkout)."""
    h = hashlib.sha256()
    for f in sorted(paths.PACKAGE.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc":
            h.update(str(f.relative_to(paths.PACKAGE)).encode() + b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()


def settings_key(project: Project, formats: list[str], validate: bool) -> str:
    """What every document's outputs depend on besides its own content and parameters."""
    h = hashlib.sha256()
    layers = [FORMATS[f].layer for f in formats]
    paper = project.paper if "print" in layers else ""  # print only, see stylesheet_params
    for part in (__version__, project.title, project.reading, paper, project.language,
                 project.base_url, ",".join(formats), str(validate),
                 json.dumps([project.facsimile_url, project.facsimile_fetch,
                             project.facsimile_tiles, project.facsimile_plates]),
                 json.dumps(project.rules, sort_keys=True), str(project.tei_release),
                 json.dumps(project.witness_texts),
                 fingerprint(project, layers), code_fingerprint()):
        h.update(part.encode() + b"\0")
    for path in ([project.schema] if project.schema else []) + list(project.schematron) + sorted(
            project.root.glob("tei/*.sch")) + sorted(project.i18n_files.values()):
        h.update(Path(path).read_bytes())
    h.update(json.dumps([project.languages, project.strings], sort_keys=True).encode())
    h.update(json.dumps(schema.status(), sort_keys=True, default=str).encode())
    return h.hexdigest()


def entry_for(project: Project, name: str, path: Path, key: str, params_key: str,
              digests: Digests, context: str = "") -> Path:
    """The cache entry of one document: its settings, parameters (``params_key``) and
    content, what the edition around it says (``context``: the digest of where its pointers
    lead and of its neighbours, :meth:`toolkit.html.links.Edition.context_key`), and the
    content of the files it points into by name (``persons.xml#id``)."""
    # the settings and the parameters (e.g. the date in citations) as params_text() gives
    # them: the same for every document, hashed once (15 kB, with the interface's strings)
    h = _hashed(key, params_key).copy()
    h.update(digests.digest(path).encode())
    h.update(context.encode())
    others = digests.references(path)
    if others:
        area = confine.sources(project)  # the files the pages may read (toolkit.html.page)
        for other in others:
            if area.file_problem(other) is None:
                h.update(digests.digest(other).encode())
    return paths.build_cache(project) / f"{name}-{h.hexdigest()[:20]}"


def params_text(params: dict) -> str:
    """The stylesheet parameters as a cache entry's key has them."""
    return json.dumps(params, sort_keys=True)


def is_cached(entry: Path) -> bool:
    """The entry holds a finished document, or a remembered failure."""
    folder = os.fspath(entry)  # (thousands of entries: no Paths made)
    return (os.path.isfile(os.path.join(folder, "facts.json"))
            or os.path.isfile(os.path.join(folder, FAILED)))


class Results:
    """The facts and findings of the cache entries the last build used, kept in one file of
    the project's cache (``results.pickle``), so that a build reusing thousands of documents
    reads one file rather than two per document. An entry's outputs never change once it is
    written (its name is the digest of what made them), so what is kept for it stays true;
    a document with more than :data:`FEW` findings has them read from its entry."""

    FEW = 8

    def __init__(self, project: Project) -> None:
        self.path = paths.project_cache(project) / "results.pickle"
        found = pickled.load(self.path)
        self.kept: dict = found if isinstance(found, dict) else {}
        self.now: dict = {}
        self._changed = False  # (files listed since the last save)

    def get(self, entry: Path) -> tuple[dict, list[dict] | None] | None:
        """What is kept of ``entry``: its facts and its findings (None: too many, or none
        kept), or None when it is not kept."""
        found = self.kept.get(entry.name)
        if found is not None:
            self.now[entry.name] = found
        return found

    def put(self, r: DocResult) -> None:
        """Keep a document's result (a rendered one) for the next build."""
        if r.ok and r.facts is not None and r.entry:
            few = [d.__dict__ for d in r.diagnostics] if len(r.diagnostics) <= self.FEW else None
            name = Path(r.entry).name
            # (an entry made now is listed again: its files are new, if of the same name)
            self.now[name] = (r.facts, few, self._files_of(self.kept.get(name))
                              if r.reused else None)

    def files(self, entry: str) -> list[tuple[str, int, int]] | None:
        """The files of ``entry``'s format folders as :func:`~toolkit.builder.staging.
        entry_files` listed them, when kept (None: list them)."""
        return self._files_of(self.now.get(Path(entry).name))

    def put_files(self, entry: str, files: list[tuple[str, int, int]]) -> None:
        """Keep the listing of an entry's files (of a result this build used)."""
        name = Path(entry).name
        found = self.now.get(name)
        if found is not None:
            self.now[name] = (found[0], found[1], files)
            self._changed = True

    @staticmethod
    def _files_of(found: tuple | None) -> list[tuple[str, int, int]] | None:
        return found[2] if found is not None and len(found) > 2 else None

    def findings(self, entry: Path) -> list[dict] | None:
        """The findings kept of ``entry`` (None: read them from the entry)."""
        found = self.now.get(Path(entry).name)
        return None if found is None else found[1]

    def save(self) -> None:
        """Keep what this build used, when it is not what was kept already."""
        if self.now.keys() == self.kept.keys() and not self._changed:
            return
        pickled.save(self.path, self.now, fast=True)  # not kept: the next build reads the entries
        self.kept, self._changed = self.now, False


@functools.lru_cache(maxsize=8)
def _hashed(key: str, params_key: str) -> Any:
    h = hashlib.sha256(key.encode())
    h.update(params_key.encode())
    return h


def reuse(project: Project, name: str, path: Path, entry: Path,
          kept: Results | None = None) -> DocResult:
    """The result of a document built before, read from its cache entry (or from what
    ``kept`` has of it)."""
    found = kept.get(entry) if kept is not None else None
    if found is not None and found[1] is not None:
        return DocResult(name, project.display(path), True,
                         [Diagnostic(**d) for d in found[1]], found[0], str(entry),
                         reused=True)
    if (entry / FAILED).is_file():
        diags = [Diagnostic(**d) for d in
                 json.loads((entry / FAILED).read_text(encoding="utf-8"))]
        return DocResult(name, project.display(path), False, diags, None, str(entry),
                         reused=True)
    facts = json.loads((entry / "facts.json").read_text(encoding="utf-8"))
    diags = [Diagnostic(**d) for d in
             json.loads((entry / DIAGNOSTICS).read_text(encoding="utf-8"))]
    r = DocResult(name, project.display(path), True, diags, facts, str(entry), reused=True)
    if kept is not None:
        kept.put(r)
    return r


def stamp(project: Project, formats: list[str], params: dict, results: list[DocResult]) -> str:
    """What the output of this build is made of: every document's cache entry (content,
    settings, parameters), the failures, the formats, the parameters and the code that
    assembles the edition-wide pages."""
    h = hashlib.sha256()
    for part in (__version__, str(project.output_dir), ",".join(formats),
                 json.dumps(params, sort_keys=True), code_fingerprint()):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for r in results:  # a name may hold undecodable bytes (refused, but still a result)
        h.update(f"{r.name}\0{r.ok}\0{Path(r.entry).name}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def unchanged(project: Project, build_stamp: str) -> bool:
    """The last build had the same stamp and output/ still holds exactly what it wrote."""
    try:
        last = json.loads(paths.output_manifest(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if last.get("stamp") != build_stamp or not project.output_dir.is_dir():
        return False
    return files_below(project.output_dir) == last.get("files")


def record(project: Project, build_stamp: str, known: dict[str, list[int]] | None = None) -> None:
    """Remember what this build wrote into the output folder (and, for the user cache's sake,
    which project this cache belongs to; the caches of projects gone are removed); ``known``:
    the stats of the files linked from the cache entries (a stat that is no longer true makes
    the next build assemble the output again, never the reverse)."""
    _claim(project)
    path = paths.output_manifest(project)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"stamp": build_stamp,
                                   "files": files_below(project.output_dir, known=known)}),
                       encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # no manifest: the next build assembles the output again


_OWNER = "project.txt"


_SWEPT = ".swept"  # in the projects' cache folder: when the caches of projects gone were removed
#: how often a build looks for the caches of projects gone (removing many takes seconds, which
#: a rebuild after one edit should not pay every time)
SWEEP_EVERY = 3600.0


def _claim(project: Project) -> None:
    """Write the project's path into its cache folder and, at most once an hour, remove the
    cache folders of projects whose folder no longer exists (e.g. editions built from
    temporary folders)."""
    mine = paths.project_cache(project)
    try:
        (mine / _OWNER).write_text(str(project.root), encoding="utf-8",
                                   errors="surrogateescape")
        swept = paths.projects_cache() / _SWEPT
        try:
            if time.time() - swept.stat().st_mtime < SWEEP_EVERY:
                return
        except OSError:
            pass  # never swept
        swept.touch()
        for other in paths.projects_cache().iterdir():
            if other == mine or not other.is_dir():
                continue
            try:
                owner = (other / _OWNER).read_text(encoding="utf-8", errors="surrogateescape")
            except OSError:
                continue  # being made by a build right now, or not ours to judge
            if not os.path.isdir(owner):
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        pass  # the cache is only a cache


def prune(project: Project, kept: list[DocResult]) -> None:
    """Drop cache entries no longer used by any document."""
    keep = {Path(r.entry).name for r in kept}
    for p in paths.build_cache(project).iterdir():
        if p.is_dir() and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
