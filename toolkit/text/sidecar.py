"""A document's text editions, made in a second process beside the one building it.

When a build has a single document to make (the usual case of a rebuild after an edit, or an
edition of one file) and more than one core, the other core would idle. The two text editions
are then made by a helper process while the main one validates the document and makes its page:
:func:`start_texts` starts it at once, :meth:`TextHelper.collect` waits for its files and moves
them into the document's output (when the helper died, the main process makes them after all),
:meth:`TextHelper.discard` stops it when the document fails.

The helper writes only into a folder of its own beside the cache entry and reports a failure
in a small JSON file there, so that the main process can report it like one of its own.
The helper never sees an interrupt: SIGINT is blocked while it starts (a blocked signal stays
blocked across exec), so Ctrl-C reaches the main process alone, which stops the helper.

While builds are made one after the other (``teikit serve``, :mod:`toolkit.resident`), the
helper is kept between them, a pool of one worker that has the toolkit imported and the text
stylesheets compiled: a fresh process paid both for every saved document (about half a second).
Each of its jobs writes into a folder of its own; a job whose document failed is left to
finish, and its folder removed then.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import shutil
import signal
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from toolkit import resident
from toolkit.errors import ToolkitError, TransformError
from toolkit.load import load
from toolkit.processes import WorkerPool, die_with_parent, stop
from toolkit.project import confine
from toolkit.project.config import Project
from toolkit.text.edition import write_texts
from toolkit.transform import parsed_once

_ERROR = "error.json"


def _helper_main(project: Project, path: Path, name: str, params: dict[str, Any],
                 folder: Path, parent: int) -> None:
    """The helper process: load the document, write its texts, report what went wrong."""
    die_with_parent(parent)
    try:
        doc, _ = load(path, display=project.display(path), area=confine.sources(project))
        if doc is None:
            return  # the main process loads it too, and reports why it cannot
        with parsed_once(doc.tree):
            write_texts(project, path, name, params, doc.tree, folder / "text")
    except ToolkitError as exc:
        _report(folder, {"message": exc.message, "path": exc.path, "line": exc.line,
                         "column": exc.column, "hint": exc.hint})
    except BaseException as exc:  # noqa: BLE001 - reported by the main process, no traceback
        _report(folder, {"message": f"internal error while making the text editions: "
                         f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}; please "
                         "report it (with the document) to the teikit developers"})


def _report(folder: Path, error: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _ERROR).write_text(json.dumps(error), encoding="utf-8")


class TextHelper:
    """A running helper process and the folder it writes into."""

    def __init__(self, process, folder: Path) -> None:
        self.process = process
        self.folder = folder

    def collect(self, into: Path) -> bool:
        """Wait for the helper and move its text files into ``into`` (a folder it creates).
        Raises the helper's error as a :class:`TransformError`; False when it stopped
        without making them or saying why (killed, out of memory)."""
        self.process.join()
        error = self.folder / _ERROR
        if error.is_file():
            raise TransformError(**json.loads(error.read_text(encoding="utf-8")))
        made = self.folder / "text"
        if self.process.exitcode != 0 or not made.is_dir():
            return False
        into.parent.mkdir(parents=True, exist_ok=True)
        made.rename(into)
        return True

    def discard(self) -> None:
        """Stop the helper if it still runs and remove what it wrote."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)


class _KeptHelper(TextHelper):
    """A job of the helper kept between builds, and the folder it writes into."""

    def __init__(self, job: Future, folder: Path) -> None:
        self.job = job
        self.folder = folder

    def collect(self, into: Path) -> bool:
        try:
            self.job.result()
        except Exception:  # noqa: BLE001 - the worker died (killed, out of memory)
            _drop_helper()  # (a pool whose worker died takes no more jobs)
            return False
        error = self.folder / _ERROR
        if error.is_file():
            raise TransformError(**json.loads(error.read_text(encoding="utf-8")))
        made = self.folder / "text"
        if not made.is_dir():
            return False
        into.parent.mkdir(parents=True, exist_ok=True)
        made.rename(into)
        return True

    def discard(self) -> None:
        if self.job.cancel() or self.job.done():
            shutil.rmtree(self.folder, ignore_errors=True)
        else:  # it runs still: its folder goes once it has finished
            self.job.add_done_callback(
                lambda _job: shutil.rmtree(self.folder, ignore_errors=True))


_kept: WorkerPool | None = None
_jobs = itertools.count()


def _helper() -> WorkerPool:
    global _kept
    if _kept is None:
        _kept = WorkerPool(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                           initializer=die_with_parent, initargs=(os.getpid(),))
    return _kept


def _drop_helper() -> None:
    global _kept
    if _kept is not None:
        stop(_kept)  # (a job still running is not waited for: serve ends at once)
        _kept = None


resident.on_leaving(_drop_helper)


def start_texts(project: Project, path: Path, name: str, params: dict[str, Any],
                folder: Path) -> TextHelper:
    """Start a helper process writing the text editions of ``path`` under ``folder`` (while
    builds are made one after the other: give the kept helper the job, in a folder of its
    own beside ``folder``)."""
    if resident.active():
        own = folder.with_name(f"{folder.name}-{next(_jobs)}")
        shutil.rmtree(own, ignore_errors=True)
        job = _helper().submit(_helper_main, project, path, name, params, own, os.getpid())
        return _KeptHelper(job, own)
    shutil.rmtree(folder, ignore_errors=True)
    process = multiprocessing.get_context("spawn").Process(  # Saxon must not be forked
        target=_helper_main, args=(project, path, name, params, folder, os.getpid()), daemon=True)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    return TextHelper(process, folder)
