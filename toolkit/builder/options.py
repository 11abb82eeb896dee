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
    validate: bool | None = None  # None: the project's setting
    strict: bool | None = None  # validation errors fail the build; None: the project's setting
    build_date: str | None = None  # ISO date for citations; default SOURCE_DATE_EPOCH or today
    executor: Executor | None = None  # default: a process pool of ``jobs`` workers
    scheduler: str | None = None  # a Dask scheduler's address: build on that cluster


@dataclass
class BuildReport:
    """The outcome of a build: what was rendered, and what validation found.

    ``built`` and ``reused`` name the documents that have their outputs (made now, or taken
    from the cache); ``failed`` the documents that could not be rendered (not well-formed, an
    include that cannot be resolved), with why. ``findings`` are the validation findings of
    the rendered documents, as many as a summary shows (``hidden`` more, all counted in
    ``counts``); ``invalid`` names the rendered documents with validation errors. The full
    list is in ``report_file`` (``output/report.json``)."""

    output: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    findings: list[Diagnostic] = field(default_factory=list)
    hidden: int = 0
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    invalid: list[str] = field(default_factory=list)
    #: findings many documents share (a schema they all name), reported once: message -> how
    #: many documents
    shared: dict[str, int] = field(default_factory=dict)
    validated: bool = True  # False: built without validation (--no-validate)
    report_file: Path | None = None
    report_page: Path | None = None
    committed: bool = False
    up_to_date: bool = False  # nothing changed since the last build: output/ left untouched

    @property
    def errors(self) -> int:
        """Validation errors in the rendered documents."""
        return sum(n for (severity, _), n in self.counts.items() if severity == "error")

    @property
    def warnings(self) -> int:
        """Validation warnings (and notes) in the rendered documents."""
        return sum(n for (severity, _), n in self.counts.items() if severity != "error")


#: A build's events: ``(kind, document name, done, total)``; kinds are "built", "reused",
#: "failed" (one document each), "stage" (a document entered a stage: the name is then
#: ``"name (stage)"``) and "assemble" (the edition-wide pages).
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
