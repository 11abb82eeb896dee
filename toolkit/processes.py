"""Child processes the toolkit starts (build workers, the text helper) never outlive it."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import threading
from concurrent.futures import Executor, ProcessPoolExecutor


def die_with_parent(parent: int | None = None) -> None:
    """Have the system kill this process when its parent dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG; elsewhere nothing). ``parent`` is the pid the parent had when it started
    this process: if it died before this call (while this process was starting), this process
    ends now. SIGTERM, held back by a :class:`WorkerPool` while it starts a worker, is let
    through again."""
    name = ctypes.util.find_library("c")
    if name is not None:
        try:
            ctypes.CDLL(name, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - not Linux
            pass
    if parent is not None and os.getppid() != parent:
        os._exit(1)
    if _MASKS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


_MASKS = hasattr(signal, "pthread_sigmask")  # not on Windows


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers are born ignoring Ctrl-C (SIGINT): a terminal sends it to
    the whole process group, and a worker still starting up (importing the toolkit, before its
    initializer could ignore it) would print a traceback. Ctrl-C is the main process's to
    handle; it stops the workers. A disposition of 'ignore' survives the exec of a spawned
    child, so SIGINT is ignored in the main process only while a worker is being started (a
    few milliseconds; an interrupt in that moment is not seen). SIGTERM (a CI timeout) is
    held back while a worker is started, and handled once it is: stopped half-way through
    reading what its parent sends it, a worker would print a traceback (the blocked signal
    is inherited; :func:`die_with_parent`, the first thing a worker does, unblocks it)."""

    def _spawn_process(self) -> None:  # ProcessPoolExecutor starts each worker here
        if threading.current_thread() is not threading.main_thread():
            super()._spawn_process()
            return
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}) if _MASKS else None
        try:
            super()._spawn_process()
        finally:
            if mask is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            signal.signal(signal.SIGINT, old)


def stop(executor: Executor) -> None:
    """Stop a pool at once (an interrupted build): its workers are killed, not waited for."""
    processes = getattr(executor, "_processes", None) or {}
    for proc in list(processes.values()):
        proc.kill()
    executor.shutdown(wait=False, cancel_futures=True)
