"""Compiling RELAX NG grammars with libxml2, safely and once.

A compiled grammar is kept per process and its text on disk (``grammars/`` in the cache folder),
keyed by the caller (for specialised grammars: the schema's hash and the document's names,
:func:`toolkit.validation.rng.grammar.grammar_key`). A grammar not seen before is first compiled
in a forked child with a time limit, because libxml2 is known to hang on some customised
schemas.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

from toolkit.errors import SchemaError
from toolkit.project.paths import grammar_cache as _grammar_cache
from toolkit.validation.rng.grammar import _parser


def compile_timeout() -> float:
    """Seconds a schema may take to compile (``$TEIKIT_SCHEMA_TIMEOUT``, default 120)."""
    try:
        return float(os.environ.get("TEIKIT_SCHEMA_TIMEOUT", "120"))
    except ValueError:
        return 120.0


_compiled: dict[str, etree.RelaxNG] = {}


def grammar_cache() -> Path:
    """Where compiled grammars are kept on disk."""
    return _grammar_cache()


def compile_cached(key: str, make: callable, label: str) -> etree.RelaxNG:
    """The compiled grammar ``key``; ``make()`` gives its text on a cache miss. A grammar not
    seen before is first compiled in a child process with a time limit."""
    if key in _compiled:
        return _compiled[key]
    path = grammar_cache() / f"{key}.rng"
    try:
        text = path.read_bytes()
    except OSError:
        text = make()
        _trial_compile(text, label)
        _write_atomic(path, text)
    schema = _compile(text, label)
    _compiled[key] = schema
    return schema


def _compile(text: bytes, label: str) -> etree.RelaxNG:
    try:
        return etree.RelaxNG(etree.fromstring(text, _parser()))
    except etree.RelaxNGParseError as exc:
        first = next(iter(exc.error_log), None)
        msg = first.message if first is not None else str(exc)
        raise SchemaError(f"the schema cannot be compiled: {msg}", path=label) from None


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # the cache is an optimisation; a read-only cache only costs time


def _trial_compile(text: bytes, label: str) -> None:
    """Compile ``text`` in a child with a time limit; SchemaError if it fails or hangs."""
    timeout = compile_timeout()
    if hasattr(os, "fork"):
        status, message = _trial_fork(text, timeout)
    else:  # pragma: no cover - Windows
        status, message = _trial_subprocess(text, timeout)
    if status == "timeout":
        raise SchemaError(
            f"compiling the schema took longer than {timeout:g} s and was stopped (libxml2 is "
            "known to hang on some customised TEI schemas)", path=label,
            hint="set TEIKIT_SCHEMA_TIMEOUT to allow longer, or check the schema with jing")
    if status == "error":
        raise SchemaError(f"the schema cannot be compiled: {message}", path=label)


_CHILD = """
import sys
from lxml import etree
try:
    etree.RelaxNG(etree.fromstring(sys.stdin.buffer.read()))
except etree.RelaxNGParseError as exc:
    e = next(iter(exc.error_log), None)
    sys.stdout.write(e.message if e is not None else str(exc)); sys.exit(1)
"""


def _trial_subprocess(text: bytes, timeout: float) -> tuple[str, str]:
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD], input=text, capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    return ("ok", "") if proc.returncode == 0 else ("error", proc.stdout.decode(errors="replace"))


def _child_verdict(text: bytes) -> bytes:
    """What the forked child reports: ``ok``, or ``error:`` and libxml2's message."""
    try:
        etree.RelaxNG(etree.fromstring(text, _parser()))
    except etree.RelaxNGParseError as exc:
        e = next(iter(exc.error_log), None)
        return b"error:" + (e.message if e is not None else str(exc)).encode()
    return b"ok"


def _trial_fork(text: bytes, timeout: float) -> tuple[str, str]:
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: compile, report, leave without running any cleanup
        code = 0
        try:
            os.close(rfd)
            os.write(wfd, _child_verdict(text)[:4000])
        except BaseException:  # noqa: BLE001 - never return into the parent's code
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)
    deadline = time.monotonic() + timeout
    chunks = []
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                return "timeout", ""
            ready, _, _ = select.select([rfd], [], [], left)
            if ready:
                data = os.read(rfd, 4096)
                if not data:
                    break
                chunks.append(data)
    finally:
        os.close(rfd)
        os.waitpid(pid, 0)
    out = b"".join(chunks).decode(errors="replace")
    if out == "ok":
        return "ok", ""
    return "error", out[6:] if out.startswith("error:") else "the compiler crashed"
