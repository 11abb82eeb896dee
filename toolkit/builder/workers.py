"""Running document tasks: in this process (one document, or ``--jobs 1``) or on a pool of
worker processes, or on any :class:`concurrent.futures.Executor` a caller passes.

Only a few tasks are in flight at once, so that when a worker process dies (a crash in a native
library, the system out of memory) the suspects are known: each is run again alone in a fresh
process, and only the one that kills its worker again fails, with a message saying so.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from toolkit.builder.document import DocResult, Task, build_document
from toolkit.children import die_with_parent
from toolkit.diagnostics import ERROR, Diagnostic
from toolkit.errors import ToolkitError
from toolkit.project.config import Project


class InlineExecutor(Executor):
    """Runs tasks in the calling process: for one document or ``--jobs 1``."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller via the future
            fut.set_exception(exc)
        return fut


def make_executor(jobs: int, given: Executor | None, ntasks: int) -> tuple[Executor, bool]:
    """The executor to run ``ntasks`` tasks on, and whether it is ours (to shut down)."""
    if given is not None:
        return given, False
    if jobs <= 1 or ntasks <= 1:
        return InlineExecutor(), True
    return _pool(min(jobs, ntasks)), True


def _pool(workers: int) -> ProcessPoolExecutor:
    # Spawned, not forked (Saxon); each worker ends when the build does, even a killed one.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(
        "spawn"), initializer=die_with_parent, initargs=(os.getpid(),))


def run_tasks(project: Project, jobs: int, executor: Executor, owned: bool,
              tasks: list[Task], fn: Callable[[Task], DocResult] | None = None):
    """Yield the result of every task. Only a few tasks are in flight at once, so that when a
    worker process dies (a crash in a native library, the system out of memory) the suspects
    are known: each is run again alone, and only the one that kills its worker again fails."""
    replaced: list[Executor] = []
    try:
        yield from _task_loop(project, jobs, executor, owned, tasks, replaced,
                              fn or build_document)
    finally:
        for e in replaced:
            e.shutdown(wait=True, cancel_futures=True)


def _task_loop(project, jobs, executor, owned, tasks, replaced, fn):
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
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                t = running.pop(fut)
                try:
                    yield fut.result()
                except ToolkitError as exc:
                    yield _failed(project, t, exc.message, exc.path, exc.line, exc.column)
                except BrokenProcessPool:
                    suspects.append(t)
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

