"""Changes → rebuilds: a burst of changes becomes one rebuild, and changes made while a rebuild
runs become exactly one more.

:class:`Debouncer` collects the paths the watcher reports and says when they are due: once no
further change came for ``quiet`` seconds (an editor's save is often several writes: a temporary
file, a rename, a backup), or ``longest`` seconds after the first of them (a stream of changes
still gets built). :func:`rebuild_loop` takes one due batch at a time and rebuilds; what changes
while it rebuilds waits in the debouncer and makes the next batch.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: seconds without a further change before a batch is due
QUIET = 0.15
#: seconds after the first change of a batch at which it is due however many follow
LONGEST = 1.0
#: the longest one wait lasts in one go (a short one lets Ctrl-C through at once)
_TICK = 0.25


class Debouncer:
    """Changed paths, collected from any thread, taken in batches."""

    def __init__(self, quiet: float = QUIET, longest: float = LONGEST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet = quiet
        self.longest = longest
        self._clock = clock
        self._cond = threading.Condition()
        self._paths: set[Path] = set()
        self._first = self._last = 0.0
        self._asked = False  # a rebuild is asked for (by paths, or by an empty batch)
        self._closed = False

    def add(self, paths: Iterable[Path]) -> None:
        """Note changed paths (an empty batch still asks for a rebuild)."""
        with self._cond:
            now = self._clock()
            if not self._asked:
                self._first = now
                self._asked = True
            self._last = now
            self._paths.update(paths)
            self._cond.notify_all()

    def due_in(self) -> float | None:
        """Seconds until the changes collected are due (0: now); None when there are none."""
        with self._cond:
            return self._due_in(self._clock())

    def take(self) -> set[Path]:
        """The changes collected so far; the debouncer is empty after."""
        with self._cond:
            return self._take()

    def wait(self) -> set[Path] | None:
        """Block until a batch is due and take it; None once :meth:`close` was called."""
        with self._cond:
            while not self._closed:
                due = self._due_in(self._clock())
                if due == 0:
                    return self._take()
                self._cond.wait(_TICK if due is None else min(due, _TICK))
            return None

    def close(self) -> None:
        """Stop :meth:`wait` (and so :func:`rebuild_loop`)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _take(self) -> set[Path]:
        batch, self._paths, self._asked = self._paths, set(), False
        return batch

    def _due_in(self, now: float) -> float | None:
        if not self._asked:
            return None
        due = min(self._last + self.quiet, self._first + self.longest)
        return max(0.0, due - now)


def rebuild_loop(changes: Debouncer, rebuild: Callable[[set[Path]], object]) -> None:
    """Call ``rebuild`` with each due batch of ``changes``, one at a time, until the debouncer
    is closed. Changes during a rebuild are the next batch: one more rebuild for all of them."""
    while (batch := changes.wait()) is not None:
        rebuild(batch)
