"""Running document tasks: in this process (one document, or ``--jobs 1``) or on a pool of
worker processes, or on any :class:`concurrent.futures.Executor` a caller passes.

Only a few tasks are in flight at once, so that when a worker process dies (a crash in a native
library, the system out of memory) the suspects are known: each is run again alone in a fresh
process, and only the one that kills its worker again fails, with a message saying so.

Workers never outlive the build: they ignore the terminal's interrupt (the main process stops
them, :func:`stop`, so that Ctrl-C ends a build at once with one line, not a traceback per
worker), and the system kills them when the main process dies, even by SIGKILL. They report the
stage each document is in through a queue the main process reads while it waits.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from toolkit import collector
from toolkit.builder import cluster, document
from toolkit.builder.document import DocResult, Task, build_document
from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.errors import ToolkitError
from toolkit.processes import WorkerPool, die_with_parent, stop
from toolkit.project.config import Project


class InlineExecutor(Executor):
    """Runs tasks in the calling process: for one document or ``--jobs 1``. A task runs with
    the cyclic collector on, for what it makes (rendering makes many cycles; the build's main
    process pauses the collector otherwise: :mod:`toolkit.collector`)."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        fut: Future = Future()
        try:
            with collector.for_new_objects():
                value = fn(*args, **kwargs)
            fut.set_result(value)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller via the future
            fut.set_exception(exc)
        return fut


def make_executor(jobs: int, given: Executor | None, ntasks: int,
                  scheduler: str | None = None) -> tuple[Executor, bool]:
    """The executor to run ``ntasks`` tasks on, and whether it is ours (to shut down)."""
    if given is not None:
        return given, False
    if scheduler:
        return cluster.connect(scheduler), True
    if jobs <= 1 or ntasks <= 1:
        return InlineExecutor(), True
    return _pool(min(jobs, ntasks)), True


_CONTEXT = multiprocessing.get_context("spawn")  # no fork: Saxon's threads do not survive it
_stages: multiprocessing.queues.Queue | None = None


def _stage_queue():
    """The queue the workers of this process's pools report stages through (made once)."""
    global _stages
    if _stages is None:
        _stages = _CONTEXT.Queue()
    return _stages


def _pool(workers: int) -> ProcessPoolExecutor:
    return WorkerPool(max_workers=workers, mp_context=_CONTEXT,
                               initializer=_worker_start,
                               initargs=(_stage_queue(), os.getpid()))


def _worker_start(stages, parent: int) -> None:
    """In each worker process: stages go to the main process; interrupts are the main
    process's to handle; die with the main process."""
    die_with_parent(parent)
    document.PROGRESS = stages
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Direct:
    """Stages of documents built in this process, handed on at once."""

    def __init__(self, on_stage: Callable[[str, str], None]) -> None:
        self.on_stage = on_stage

    def put(self, item: tuple[str, str]) -> None:
        self.on_stage(*item)


def run_tasks(project: Project, jobs: int, executor: Executor, owned: bool,
              tasks: list[Task], fn: Callable[[Task], DocResult] | None = None,
              on_stage: Callable[[str, str], None] | None = None):
    """Yield the result of every task. Only a few tasks are in flight at once, so that when a
    worker process dies (a crash in a native library, the system out of memory) the suspects
    are known: each is run again alone, and only the one that kills its worker again fails.
    ``on_stage(name, stage)`` hears which stage each document is in."""
    replaced: list[Executor] = []
    report = on_stage or (lambda name, what: None)
    inline = isinstance(executor, InlineExecutor)
    if inline:
        document.PROGRESS = _Direct(report)
    try:
        yield from _task_loop(project, jobs, executor, owned, tasks, replaced,
                              fn or build_document, report)
    except BaseException:
        for e in replaced:
            stop(e)
        replaced.clear()
        raise
    finally:
        if inline:
            document.PROGRESS = None
        for e in replaced:
            e.shutdown(wait=True, cancel_futures=True)


def _drain(report: Callable[[str, str], None]) -> None:
    """Hand on the stages the workers reported since the last look."""
    if _stages is None:
        return
    while True:
        try:
            report(*_stages.get_nowait())
        except queue.Empty:
            return
        except (OSError, ValueError, EOFError):  # pragma: no cover - queue torn down
            return


def _task_loop(project, jobs, executor, owned, tasks, replaced, fn, report):
    limit = max(2, 2 * jobs)
    # Largest first, so that no worker is left with a long document at the end while the
    # others idle (results are put back in the sources' order by the caller).
    pending = sorted(tasks, key=_size)
    running: dict[Future, Task] = {}
    suspects: list[Task] = []
    while pending or running:
        while pending and len(running) < limit and not suspects:
            t = pending.pop()
            try:
                running[executor.submit(fn, t)] = t
            except BrokenProcessPool:
                suspects.append(t)
        if running:
            finished: set = set()
            while not finished:  # look at the stages reported at least every half second
                finished, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
                _drain(report)
            for fut in finished:
                t = running.pop(fut)
                try:
                    yield fut.result()
                except ToolkitError as exc:
                    yield _failed(project, t, exc.message, exc.path, exc.line, exc.column)
                except BrokenProcessPool:
                    suspects.append(t)
                except Exception as exc:  # noqa: BLE001 - an executor of the caller's (a
                    # cluster whose worker died: Dask's KilledWorker) fails that document only
                    yield _failed(project, t, f"the executor could not build this document: "
                                  f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}")
        if not suspects:
            continue
        suspects += running.values()
        running.clear()
        if not (owned and isinstance(executor, ProcessPoolExecutor)):
            # An executor we did not create cannot be started again.
            for t in suspects + pending[::-1]:
                yield _failed(project, t, _DIED)
            return
        executor.shutdown(wait=True, cancel_futures=True)
        for t in suspects:
            yield _run_isolated(project, t, fn)
        suspects.clear()
        if pending:
            executor = _pool(max(1, min(jobs, len(pending))))
            replaced.append(executor)


def _size(task: Task) -> int:
    try:
        return task.path.stat().st_size
    except OSError:
        return 0


_DIED = ("the worker process building this document stopped unexpectedly (a crash in a native "
         "library, or the system ran out of memory); build it alone with --jobs 1 to see more")


def _failed(project: Project, t: Task, message: str, path=None, line=None,
            column=None) -> DocResult:
    shown = project.display(t.path)
    return DocResult(t.name, shown, False,
                     [Diagnostic(path or shown, line or 1, column or 1, ERROR, message, "build")])


def _run_isolated(project: Project, t: Task, fn) -> DocResult:
    with _pool(1) as one:
        try:
            return one.submit(fn, t).result()
        except ToolkitError as exc:
            return _failed(project, t, exc.message, exc.path, exc.line, exc.column)
        except BrokenProcessPool:
            return _failed(project, t, _DIED)

