"""The edition-wide pages (index, letters, registers, search page) rendered outside the
build's main process when there are many of them.

Saxon keeps the memory a transformation used: rendering an edition's register pages in the
main process raised its peak from 250 MB to about 600 MB for 1,000 letters and to 1 GB for 5,000,
all of it held to the end of the build. The pages are therefore handed, as the site is put
together (the site file of each, serialised), to worker processes, which give their
memory back when they end, while the main process goes on with the search index and the
exports. A few pages (an edition without registers) are rendered here: a worker costs more to
start than they take.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from toolkit import collector
from toolkit.errors import ToolkitError, TransformError
from toolkit.processes import WorkerPool, die_with_parent
from toolkit.project.config import Project
from toolkit.transform import render

#: fewer pages than this are rendered in the main process
MIN_PAGES = 8
#: workers at most (each compiles the stylesheets once)
MAX_WORKERS = 4


@dataclass
class _Page:
    target: Path
    xml: bytes
    params: dict[str, Any]
    done: Callable[[], None]


def _worker_start(parent: int) -> None:
    die_with_parent(parent)


def _render_page(xml: bytes, params: dict[str, Any], project: Project | None,
                 target: str) -> str | None:
    """In a worker: render one site page into ``target``; what went wrong, or None."""
    try:
        tree = etree.fromstring(xml, etree.XMLParser(huge_tree=True, resolve_entities=False))
        html = render(tree.getroottree(), "html", params, project)
        Path(target).write_text(html, encoding="utf-8")
    except ToolkitError as exc:
        return str(exc)
    except Exception as exc:  # not the toolkit's: said as well as it can be, never a traceback
        return f"{type(exc).__name__}: {exc}"
    return None


class PageQueue:
    """Site pages to render: the first few are held; once there are :data:`MIN_PAGES`, the
    workers start and each page is handed to them as it comes (its site file is not kept
    here), while the site is put together further. :meth:`run` renders what is held, waits for
    the workers and calls each page's ``done``."""

    def __init__(self, project: Project | None) -> None:
        self.project = project
        self.held: list[_Page] = []
        self.pool: WorkerPool | None = None
        self.futures: dict[Future, _Page] = {}

    def add(self, target: Path, tree: etree._ElementTree, params: dict[str, Any],
            done: Callable[[], None]) -> None:
        """Queue the page ``target`` of the site file ``tree``; ``done`` is called once it is
        written."""
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        page = _Page(Path(target), etree.tostring(root), params, done)
        if self.pool is None:
            self.held.append(page)
            if len(self.held) < MIN_PAGES:
                return
            self.pool = WorkerPool(max_workers=min(os.cpu_count() or 1, MAX_WORKERS),
                                   mp_context=_context(), initializer=_worker_start,
                                   initargs=(os.getpid(),))
            pages, self.held = self.held, []
        else:
            pages = [page]
        for p in pages:
            self.futures[self.pool.submit(_render_page, p.xml, p.params, self.project,
                                          str(p.target))] = _Page(p.target, b"", {}, p.done)

    def run(self) -> None:
        """Every queued page rendered and its ``done`` called; a page that cannot be rendered
        stops the build as before (TransformError)."""
        held, self.held = self.held, []
        for p in held:  # here: with the collector on (rendering makes cycles, toolkit.collector)
            with collector.for_new_objects():
                problem = _render_page(p.xml, p.params, self.project, str(p.target))
            self._finish(p, problem)
        if self.pool is None:
            return
        futures, self.futures = self.futures, {}
        try:
            for future in as_completed(futures):
                try:
                    problem = future.result()
                except BrokenProcessPool:
                    problem = ("the process rendering it ended unexpectedly (out of memory?); "
                               "run the build again")
                self._finish(futures[future], problem)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (what they have not begun is not rendered)."""
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _finish(page: _Page, problem: str | None) -> None:
        if problem is not None:
            raise TransformError(f"{page.target.name}: {problem}")
        page.done()


def _context():
    return multiprocessing.get_context("spawn")  # no fork: Saxon's threads do not survive it
