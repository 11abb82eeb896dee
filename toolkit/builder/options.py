"""What a build is asked to do (:class:`BuildOptions`), what it reports (:class:`BuildReport`),
and the events it sends while it runs (:data:`Event`), for a progress display to listen to."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.diagnostics import Diagnostic


@dataclass
class BuildOptions:
    """How to build; every field has a sensible default."""

    formats: list[str] | None = None  # None: the project's formats
    jobs: int | None = None  # None: all cores
    clean: bool = False  # ignore the build cache
    keep_going: bool = False  # write what could be built even if some documents failed
    validate: bool | None = None  # None: the project's setting
    strict: bool = False  # warnings fail a document too
    build_date: str | None = None  # ISO date for citations; default SOURCE_DATE_EPOCH or today
    executor: Executor | None = None  # default: a process pool of ``jobs`` workers


@dataclass
class BuildReport:
    """The outcome of a build."""

    output: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    committed: bool = False
    up_to_date: bool = False  # nothing changed since the last build: output/ left untouched


#: A build's events: ``(kind, document name, done, total)``; kinds are "built", "reused",
#: "failed" (one document each) and "assemble" (the edition-wide pages).
Event = Callable[[str, str, int, int], None]


def build_date(options: BuildOptions) -> str:
    """The date citations give as the date of access: the option, else ``SOURCE_DATE_EPOCH``
    (reproducible builds), else today."""
    if options.build_date:
        return options.build_date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date().isoformat()
    return _dt.date.today().isoformat()
