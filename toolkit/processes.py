"""Child processes the toolkit starts (build workers, the text helper) never outlive it."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal


def die_with_parent(parent: int | None = None) -> None:
    """Have the system kill this process when its parent dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG; elsewhere nothing). ``parent`` is the pid the parent had when it started
    this process: if it died before this call (while this process was starting), this process
    ends now."""
    name = ctypes.util.find_library("c")
    if name is not None:
        try:
            ctypes.CDLL(name, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - not Linux
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)
