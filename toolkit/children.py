"""The build's helper processes (document workers, the text helper) end when the build ends.

A build stopped by Ctrl-C or SIGTERM stops its workers itself; one that is killed (SIGKILL,
a CI timeout, the out-of-memory killer) cannot. So each helper asks the kernel, when it starts,
to kill it as soon as its parent is gone (Linux ``PR_SET_PDEATHSIG``), and exits at once if the
parent died before it could ask. Elsewhere nothing is done: there a helper ends when it next
finds its parent gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Make this process end when the process ``parent`` (the build) ends: the initializer of
    every worker process."""
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        try:
            libc = ctypes.CDLL(libc_name, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # not Linux
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the build died before the request was made
