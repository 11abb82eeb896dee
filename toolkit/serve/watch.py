"""What ``teikit serve`` watches, and the threads that watch it (watchfiles: inotify, FSEvents,
ReadDirectoryChangesW, or polling where none works).

:func:`plan` names the folders a build reads from: the sources' folder (from the ``sources``
pattern; entity files, Schematron and images beside them included), the project's ``xslt/``
overlay, the folders of the stylesheet overrides, the schema and the Schematron files, each with
its subfolders, and the project folder itself without them (its settings file, overrides and
rules kept there, a new ``xslt/`` folder). :func:`relevant` drops what a build writes (the
output folder, its staging folders, the project's cache) and editors' temporary and backup
files. :class:`Watcher` runs one watchfiles watch per kind of folder and follows a new plan when
the settings change.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from toolkit.project import paths
from toolkit.project.config import Project

#: settings files of a project folder (see toolkit.project.config.read_settings)
#: files editors write beside the one being saved: swap, backup, lock and temporary files
_EDITOR_FILES = re.compile(r"(~|\.sw[a-p]|\.bak|\.tmp|\.orig|___jb_\w+___)$|^(\.#|#.*#$)|^4913$")
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Plan:
    """Folders to watch: ``deep`` with their subfolders, ``flat`` without them."""

    deep: tuple[Path, ...]
    flat: tuple[Path, ...]

    def describe(self, project: Project) -> str:
        """The folders as the terminal line says them (``tei/, xslt/, teikit.toml``)."""
        names = [project.display(p).rstrip("/") + "/" for p in self.deep if p != project.root]
        if project.root in self.deep:
            names.insert(0, "./")
        if project.config_file is not None:
            names.append(project.display(project.config_file))
        return ", ".join(names) or "./"


def sources_folder(project: Project) -> Path:
    """The folder the ``sources`` pattern starts in (its part before the first wildcard)."""
    parts = []
    for part in Path(project.sources).parts:
        if _GLOB.search(part):
            break
        parts.append(part)
    folder = project.root.joinpath(*parts)
    return folder if folder.is_dir() else folder.parent if folder.parent.is_dir() else project.root


def plan(project: Project) -> Plan:
    """The folders a build of ``project`` reads from."""
    root = project.root
    deep = {sources_folder(project).resolve()}
    for folder in (paths.overlay_dir(project), paths.i18n_dir(project)):
        if folder.is_dir():
            deep.add(folder.resolve())
    files = [*project.stylesheets.values(), *project.schematron]
    if project.schema is not None:
        files.append(project.schema)
    deep |= {Path(f).resolve().parent for f in files}
    deep = {d for d in deep if d.is_dir() and (d != root or sources_folder(project) == root)}
    # A folder inside another watched with its subfolders is watched already.
    deep = {d for d in deep if not any(o != d and d.is_relative_to(o) for o in deep)}
    flat = () if root in deep else (root,)
    return Plan(tuple(sorted(deep)), flat)


#: files of the project folder itself that a build may read (settings, stylesheet overrides,
#: schemas and rules named by the settings); the same whatever the settings say now, so that
#: a file named by a setting being saved is noticed too
_AT_ROOT = (".toml", ".xsl", ".xslt", ".sch", ".rng")


def relevant(project: Project) -> Callable[[Path], bool]:
    """A test of one changed path: can it change what a build makes?"""
    root = project.root
    output = project.output_dir
    cache = paths.project_cache(project)
    top = sources_folder(project).resolve()
    # folders of the project folder that a build reads, noticed when they are made anew
    folders = {paths.overlay_dir(project).name, paths.i18n_dir(project).name}
    if top != root and top.is_relative_to(root):
        folders.add(top.relative_to(root).parts[0])

    def test(path: Path) -> bool:
        if path == output or path.is_relative_to(output) or path.is_relative_to(cache):
            return False
        name = path.name
        if name.startswith(paths.STAGING_PREFIX) or name.startswith(output.name + ".old-"):
            return False
        if _EDITOR_FILES.search(name):
            return False
        try:
            inside = path.relative_to(root).parts
        except ValueError:
            inside = ()  # a folder outside the project, named by the settings
        if any(part.startswith(".") for part in inside):
            return False
        if len(inside) == 1 and top != root:
            return name in folders or path.suffix.lower() in _AT_ROOT
        return True

    return test


class Watcher:
    """Watch a :class:`Plan` in background threads; report relevant changes to ``on_change``."""

    def __init__(self, on_change: Callable[[set[Path]], None],
                 on_error: Callable[[str], None] = lambda message: None) -> None:
        self._on_change = on_change
        self._on_error = on_error
        self._plan: Plan | None = None
        self._test: Callable[[Path], bool] = lambda path: True
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def follow(self, new: Plan, test: Callable[[Path], bool]) -> bool:
        """Watch ``new`` (a plan like the one watched already is left running); True if the
        watch was started anew (a change made meanwhile may have gone unnoticed)."""
        if new == self._plan:
            self._test = test
            return False
        self.stop()
        self._plan, self._test = new, test
        self._stop = threading.Event()
        for folders, deep in ((new.deep, True), (new.flat, False)):
            if folders:
                t = threading.Thread(target=self._run, args=(folders, deep, self._stop),
                                     name="teikit-watch", daemon=True)
                t.start()
                self._threads.append(t)
        return True

    def stop(self) -> None:
        """Stop watching (the threads end within one step of watchfiles)."""
        self._stop.set()
        for t in self._threads:
            t.join(timeout=2)
        self._threads = []
        self._plan = None

    def _run(self, folders: tuple[Path, ...], deep: bool, stop: threading.Event) -> None:
        polling = None  # file events where the system has them (WATCHFILES_FORCE_POLLING=1: not)
        while not stop.is_set():
            try:
                for changes in watchfiles.watch(*folders, recursive=deep, stop_event=stop,
                                                watch_filter=None, debounce=400, step=30,
                                                rust_timeout=500, raise_interrupt=False,
                                                force_polling=polling):
                    found = {Path(p) for _change, p in changes}
                    found = {p for p in found if self._test(p)}
                    if found and not stop.is_set():
                        self._on_change(found)
                return
            except Exception as exc:  # noqa: BLE001 - e.g. the system's limit of watches
                where = ", ".join(map(str, folders))
                if polling:
                    self._on_error(f"watching {where} stopped: {exc}")
                    return
                self._on_error(f"no file events for {where} ({exc}): looking for changes "
                               "every 0.3 s instead")
                polling = True
