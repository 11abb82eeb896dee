"""Output folder handling: stage a build beside ``output/`` and swap it in whole.

A build never writes into the live output folder. It fills a staging folder next to it and,
only when everything succeeded, exchanges the two in one step (Linux ``renameat2`` with
``RENAME_EXCHANGE``; two renames elsewhere). A failed, interrupted or killed build therefore
leaves the previous output exactly as it was; leftovers of a killed build are removed by the next
one. A lock file keeps two builds of one project from interleaving. The documents' outputs are
put into the staging folder as hard links to their cache entries (:func:`link_files`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

from toolkit import resident
from toolkit.errors import ToolkitError
from toolkit.project.paths import OUTPUT_MARKER, STAGING_PREFIX

KEEP = ("README.md",)  # files of the output folder that belong to the project, not the build

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(output_dir: Path) -> None:
    """Delete staging folders left by builds that were killed."""
    parent = output_dir.parent
    if not parent.is_dir():
        return
    for p in parent.glob(STAGING_PREFIX + "*"):
        try:
            pid = int(p.name[len(STAGING_PREFIX):].split("-")[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold the project's build lock (a second concurrent build fails at once, clearly)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ToolkitError("another build of this project is running",
                               path=lock_path, hint="wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Staging:
    """A staging folder for one build; ``commit()`` swaps it in, ``discard()`` drops it."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = Path(output_dir)
        self.path = self.output_dir.parent / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path.mkdir(parents=True)
        _made_folders.clear()  # those of earlier builds are gone
        # The mark of a folder a build made: only such a folder is ever replaced by a build.
        (self.path / OUTPUT_MARKER).write_text(
            "This folder was written by teikit: a build replaces it whole.\n", encoding="utf-8")

    def commit(self) -> None:
        out = self.output_dir
        for name in KEEP:
            if (out / name).is_file() and not (self.path / name).exists():
                shutil.copy2(out / name, self.path / name)
        if not out.exists():
            os.rename(self.path, out)
            return
        if _exchange(self.path, out):
            _remove(self.path)  # (the previous output, now here)
            return
        old = out.with_name(out.name + f".old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        os.rename(out, old)
        os.rename(self.path, out)
        _remove(old)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def entry_files(entry: str, folders: set[str]) -> list[tuple[str, int, int]]:
    """The files of a cache entry's format ``folders`` (``html``, ``text``, ...), each with
    its path below the entry ('/'-separated), size and modification time. A link to a folder
    is not followed. An entry never changes once written, so this is kept for it
    (:class:`toolkit.builder.cache.Results`)."""
    try:
        with os.scandir(entry) as found:
            todo = sorted((e.path, e.name + "/") for e in found
                          if e.name in folders and e.is_dir(follow_symlinks=False))
    except FileNotFoundError:
        return []
    return [(rel, size, mtime) for here, prefix in todo
            for rel, (size, mtime) in files_below(here, prefix).items()]


def files_below(folder: str | os.PathLike, prefix: str = "",
                known: dict[str, list[int]] | None = None) -> dict[str, list[int]]:
    """Every file below ``folder`` (a link to a folder is not followed) by its path below it
    ('/'-separated, after ``prefix``), with its size and modification time; those of
    ``known`` as it has them (no stat asked)."""
    known = known or {}
    files: dict[str, list[int]] = {}
    todo = [(os.fspath(folder), prefix)]
    while todo:
        here, rel = todo.pop()
        with os.scandir(here) as found:
            for e in found:
                if e.is_dir(follow_symlinks=False):
                    todo.append((e.path, f"{rel}{e.name}/"))
                elif not e.is_dir():
                    name = f"{rel}{e.name}"
                    stat = known.get(name)
                    if stat is None:
                        st = e.stat()
                        stat = [st.st_size, st.st_mtime_ns]
                    files[name] = stat
    return files


def link_files(entry: str, files: list[tuple[str, int, int]], out: Path, linked: list) -> None:
    """Put an entry's ``files`` (:func:`entry_files`) into ``out`` as hard links (a copy where
    links are impossible, e.g. across file systems): assembling a large edition then costs no
    copying, and one system call a file (each folder is made once)."""
    made = _made_folders.setdefault(str(out), set())
    base = os.path.normpath(out)
    for rel, size, mtime in files:
        a, b = f"{entry}/{rel}", f"{base}/{rel}"
        folder = os.path.dirname(b)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(a, b)
        except FileExistsError:
            os.unlink(b)
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)
            continue
        linked.append((a, entry, (size, mtime)))


#: folders link_files has made, by destination (a staging folder is new for every build)
_made_folders: dict[str, set[str]] = {}


def unlink_copy(path: Path) -> None:
    """Replace a hard link by a writable copy of its own."""
    if not path.is_file():
        return
    tmp = path.with_name(path.name + ".copy")
    shutil.copyfile(path, tmp)
    os.replace(tmp, path)


def drop_changed_entries(linked: list) -> None:
    """A cache file changed through its link in the staging folder (a later stage wrote into
    it rather than replacing it): the output is right, but that cache entry no longer is."""
    bad = set()
    for path, entry, (size, mtime) in linked:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            bad.add(entry)
    for entry in bad:
        shutil.rmtree(entry, ignore_errors=True)


def _remove(folder: Path) -> None:
    """Remove the previous output, swapped out: while builds follow one another in this
    process (``teikit serve``, :mod:`toolkit.resident`), beside the next steps rather than
    before them (tens of thousands of links; a process that ends waits for it)."""
    if not resident.active():
        shutil.rmtree(folder, ignore_errors=True)
        return
    threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True},
                     name="teikit-remove-old-output").start()
