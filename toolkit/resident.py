"""Whether this process builds the edition again and again (``teikit serve``).

A build's edition-wide state that is costly to read back from the cache (the id index, 20 MB
for 5,000 letters; the search index's state, tens of MB for a corpus of novels) is dropped by a
build of its own once used: it would only add to the memory of what the build does next.
While :func:`between_builds` is in force, the modules that hold such state keep it in memory
for the next build instead, each with the stat of the file it wrote, so that a file replaced
since (by another process's build) is read again rather than trusted; the process that makes
a document's text editions is kept too (:mod:`toolkit.text.sidecar`). On leaving, everything
kept is dropped (:func:`on_leaving` names what to drop).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

_depth = 0
_drops: list[Callable[[], None]] = []


def active() -> bool:
    """Whether state is kept between builds now."""
    return _depth > 0


def on_leaving(drop: Callable[[], None]) -> None:
    """Have ``drop`` called when the last :func:`between_builds` ends (what it kept freed)."""
    if drop not in _drops:
        _drops.append(drop)


@contextlib.contextmanager
def between_builds() -> Iterator[None]:
    """Keep the edition-wide state in memory between the builds made meanwhile (nested: the
    outermost one frees it)."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth:
            for drop in _drops:
                drop()


def stamp(path: str | os.PathLike) -> tuple[int, int, int]:
    """What tells one version of the file at ``path`` from the next: its inode, size and
    modification time, as git's index trusts them ((0, 0, 0): there is none)."""
    try:
        st = os.stat(path)
    except OSError:
        return (0, 0, 0)
    return (st.st_ino, st.st_size, st.st_mtime_ns)
