"""The cyclic garbage collector during a build.

A build's main process holds millions of long-lived objects (the id index, the cache's
results, the search index's state) and makes few reference cycles itself: a full collection,
set off again and again by its allocations, scans every one of them each time (about a second
of a 6-second rebuild of one letter in an edition of 5,000). So the main process builds with
the collector paused (:func:`paused`); what it makes is freed by reference counting, and the
little cyclic garbage left is collected once the collector runs again, after the build.

A document built in the main process (one edited document, or ``--jobs 1``) is another
matter: rendering makes cycles by the hundred thousand (a 1,000-letter build with ``--jobs 1``
and no collector grew from 507 MB to 1,140 MB). It runs with the collector on
(:func:`for_new_objects`), scanning only what was made since it began, and a collection at its
end.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile (nested: restored as it was)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextlib.contextmanager
def for_new_objects() -> Iterator[None]:
    """The collector on meanwhile, for the objects made meanwhile only: those there before
    are set aside (frozen) and put back after, unless someone else froze objects first (a
    program's own ``gc.freeze()`` is left alone; then every object is scanned, as usual)."""
    was = gc.isenabled()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        # what became garbage since the last collection (a task's last trees, dropped as it
        # ends) is collected now: once the collector is paused again, nothing would
        gc.collect()
        if not was:
            gc.disable()
        if freeze:
            gc.unfreeze()
