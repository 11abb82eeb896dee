"""What the build keeps between runs in its caches as pickles: written in one step (a reader
never sees half a file), read back, or None where the file is absent, damaged or of another
form (then the caller makes it anew)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from toolkit.collector import paused

_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               TypeError, ValueError, IndexError)


def load(path: Path) -> Any | None:
    """The object kept in ``path``, or None."""
    try:
        with open(path, "rb") as fh, paused():
            return pickle.load(fh)
    except _UNREADABLE:
        return None


def save(path: Path, value: Any, *, fast: bool = False) -> bool:
    """Keep ``value`` in ``path``; False where it could not be written (nothing is left).
    ``fast``: no memo of the objects written (plain data, nothing shared: much less memory
    for a large value). Reading and writing pause the collector: a pickle of a million
    objects set it off again and again, each time scanning every object read so far."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh, paused():
            saver = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
            saver.fast = fast
            saver.dump(value)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
