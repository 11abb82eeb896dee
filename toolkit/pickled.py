"""What the build keeps between runs in its caches as pickles: written in one step (a reader
never sees half a file), read back, or None where the file is absent, damaged or of another
form (then the caller makes it anew)."""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               TypeError, ValueError, IndexError)


def load(path: Path) -> Any | None:
    """The object kept in ``path``, or None."""
    try:
        with open(path, "rb") as fh, no_collection():
            return pickle.load(fh)
    except _UNREADABLE:
        return None


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: reading a pickle of a million objects set it off
    again and again, scanning every object read so far (more than half the time of reading the
    id index of 1,000 letters); what a pickle holds is freed by reference counting."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def save(path: Path, value: Any, *, fast: bool = False) -> bool:
    """Keep ``value`` in ``path`` (the collector paused, as in :func:`load`); False where it
    could not be written (nothing is left). ``fast``: no memo of the objects written (plain
    data, nothing shared: much less memory for a large value)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh, no_collection():
            saver = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
            saver.fast = fast
            saver.dump(value)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
