"""``serve()``: build, serve, watch, rebuild, until interrupted.

The main thread builds (so that Ctrl-C stops a build under way as it stops ``teikit build``:
the output stays as the last complete build left it); the HTTP server and the watchers run in
background threads. A build is the library's own (:func:`toolkit.builder.build`, incremental,
never strict: a broken document does not hold back the others), into the project's output
folder, which is what is served.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from toolkit import resident
from toolkit.builder import BuildOptions, build
from toolkit.builder.options import Event
from toolkit.errors import ToolkitError
from toolkit.formats import FORMATS
from toolkit.project import paths
from toolkit.project.config import Project, load_project
from toolkit.serve.debounce import Debouncer, rebuild_loop
from toolkit.serve.outcome import Outcome, outcome_of
from toolkit.serve.pages import KeptPages
from toolkit.serve.server import LiveState, PreviewServer
from toolkit.serve.watch import Watcher, plan, relevant

#: the address served unless another is asked for: this machine only
HOST = "127.0.0.1"
PORT = 8000
#: problems the terminal lists after a build (the page's notice lists all)
MAX_SHOWN = 20


@dataclass
class ServeOptions:
    """How to serve; every field has a sensible default."""

    host: str = HOST
    port: int = PORT  # 0: any free port
    formats: list[str] | None = None  # None: the project's, as `teikit build` builds
    jobs: int | None = None  # None: all cores
    open_browser: bool = False


Say = Callable[[str], None]


class Session:
    """One ``teikit serve``: the project, its server, its watchers and what the last build
    came to. :meth:`start` binds the port (a clear error if it cannot) and starts watching;
    :meth:`run` builds and rebuilds until :meth:`close` or Ctrl-C."""

    def __init__(self, project: Project, options: ServeOptions | None = None,
                 say: Say = print,
                 progress: Callable[[], AbstractContextManager[Event]] | None = None) -> None:
        self.project = project
        self.options = options or ServeOptions()
        self.say = say
        self.progress = progress
        self.changes = Debouncer()
        self.state = LiveState()
        self.kept = KeptPages(paths.kept_pages(project))
        self.watcher = Watcher(self.changes.add, on_error=lambda m: self.say(f"teikit: {m}"))
        self.server: PreviewServer | None = None
        self.builds = 0
        self._warned: set[str] = set()  # the warnings the terminal has shown
        #: documents built again while serving (edited, or what they point into): every
        #: page shows their errors, the others' only on their own page
        self.touched: set[str] = set()
        self._problems = False

    @property
    def html_dir(self) -> Path:
        return self.project.output_dir / FORMATS["html"].folder

    @property
    def url(self) -> str:
        return self.server.url if self.server else ""

    def start(self) -> None:
        """Keep the pages built before, listen, watch."""
        self.kept.update(self.html_dir)
        self.server = PreviewServer(self.project.output_dir, self.options.host,
                                    self.options.port, self.state, self.kept.find)
        self.watcher.follow(plan(self.project), relevant(self.project))
        self.server.start()

    def run(self) -> None:
        """Build once (whatever changed since the last build), then once per batch of
        changes, until closed; the edition-wide state is kept in memory meanwhile."""
        with resident.between_builds():
            self.rebuild(set())
            rebuild_loop(self.changes, self.rebuild)

    def close(self) -> None:
        """Stop rebuilding, watching and serving (Ctrl-C is ignored meanwhile)."""
        with _no_interrupts():
            self.changes.close()
            self.watcher.stop()
            if self.server is not None:
                self.server.stop()

    # ------------------------------------------------------------------------ one build

    def rebuild(self, changed: set[Path]) -> Outcome:
        """Build the edition again and tell the open pages and the terminal what came of it."""
        self.state.publish(building=True)
        began = time.perf_counter()
        outcome = self._build()
        took = time.perf_counter() - began
        if self.builds:  # what the first build made was not edited while serving
            self.touched.update(outcome.built)
        self.builds += 1
        self.kept.update(self.html_dir, outcome.failed)
        self.state.publish(changed=outcome.changed, building=False, ready=True,
                           **outcome.as_json(self.touched))
        self._tell(outcome, took, changed)
        if self.watcher.follow(plan(self.project), relevant(self.project)):
            self.changes.add(())  # one more look, for what changed while the watch restarted
        return outcome

    def _build(self) -> Outcome:
        try:
            # The settings may have changed; the output folder stays the one being served.
            self.project = load_project(self.project.root,
                                        {"output": str(self.project.output_dir)})
            # Never strict: a preview shows what validation finds, it does not stop for it.
            options = BuildOptions(formats=self.options.formats, jobs=self.options.jobs,
                                   strict=False)
            with self.progress() if self.progress else _silent() as on_event:
                report = build(self.project, options, on_event)
        except ToolkitError as exc:
            return outcome_of(self.project, exc)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the preview: say it
            return outcome_of(self.project, ToolkitError(
                f"internal error while building: {type(exc).__name__}: {exc}",
                hint="please report it to the teikit developers; teikit build --debug shows "
                     "the traceback"))
        return outcome_of(self.project, report)

    def _tell(self, outcome: Outcome, took: float, changed: set[Path]) -> None:
        """The terminal's lines: what was rebuilt; the problems of the edition, of documents
        not rendered and of documents edited while serving; new warnings; fixes."""
        stamp = time.strftime("%H:%M:%S")
        what = self._changed_files(changed)
        counts = f"built {len(outcome.built)}, reused {outcome.reused}"
        if outcome.failed:
            counts += f", not rendered {len(outcome.failed)}: the last good page is shown"
        head = f"teikit: {stamp} " + (f"{what} changed: " if what else "")
        if outcome.changed:
            self.say(head + f"rebuilt in {took:.1f} s ({counts})")
        else:
            self.say(head + f"output unchanged ({counts})")
        problems = [d.format() for d in outcome.problems(self.touched)]
        for line in problems[:MAX_SHOWN]:
            self.say(line)
        if len(problems) > MAX_SHOWN:
            self.say(f"teikit: ... and {len(problems) - MAX_SHOWN} more problem(s): the page "
                     "lists them all")
        others = {n: ds for n, ds in outcome.errors.items() if n not in self.touched}
        if others and self.builds == 1:
            where = f": {outcome.report_page} lists them" if outcome.report_page else ""
            self.say(f"teikit: validation errors in {len(others)} document(s) not edited yet"
                     f"{where} (each document's page shows its own)")
        warnings = [d.format() for d in outcome.warnings]
        for line in warnings:  # a warning once, not at every build
            if line not in self._warned:
                self.say(line)
        self._warned = set(warnings)
        if self._problems and not problems:
            self.say(f"teikit: {stamp} no problems left")
        self._problems = bool(problems)

    #: files an editor or a build may change that are not themselves temporary
    _KINDS = (".xml", ".xsl", ".xslt", ".css", ".js", ".sch", ".rng", ".toml")

    def _changed_files(self, changed: set[Path]) -> str:
        """The changed files as the terminal names them: those there now, and the removed ones
        that look like the edition's files (an editor's temporary files come and go)."""
        names = sorted(self.project.display(p) + ("" if p.exists() else " (removed)")
                       for p in changed if p.exists() or p.suffix.lower() in self._KINDS)
        if len(names) > 3:
            return ", ".join(names[:3]) + f" and {len(names) - 3} more"
        return ", ".join(names)


def serve(project: Project, options: ServeOptions | None = None, say: Say = print,
          progress: Callable[[], AbstractContextManager[Event]] | None = None) -> None:
    """Serve the web edition of ``project`` on ``options.host:options.port`` and rebuild it
    whenever its sources, settings or stylesheets change, until interrupted (Ctrl-C: the
    :class:`KeyboardInterrupt` is raised again once everything has stopped). Raises
    :class:`~toolkit.errors.ToolkitError` when the port cannot be had."""
    session = Session(project, options, say, progress)
    session.start()
    try:
        say(f"teikit: serving {project.display(project.output_dir)}/ at {session.url} "
            "(Ctrl-C stops)")
        say(f"teikit: watching {plan(project).describe(project)}")
        if "pdf" in (session.options.formats or project.formats):
            say("teikit: note: the PDF takes seconds per saved document; "
                "--format html previews fastest")
        if session.options.host not in ("127.0.0.1", "localhost", "::1"):
            say(f"teikit: note: {session.options.host} can be reached from other machines")
        if session.options.open_browser:
            threading.Thread(target=webbrowser.open, args=(session.url,), daemon=True).start()
        session.run()
    finally:
        session.close()


@contextlib.contextmanager
def _silent() -> Iterator[Event]:
    yield lambda *event: None


@contextlib.contextmanager
def _no_interrupts() -> Iterator[None]:
    """A second Ctrl-C while stopping does not cut the stopping short (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

