"""What one rebuild of a served edition came to, in the terms the preview shows.

:func:`outcome_of` is the one place that reads the builder's answers (a
:class:`~toolkit.builder.BuildReport`, or the :class:`~toolkit.errors.ToolkitError` a build
raised) for ``teikit serve``: which documents have no page of their own now (their last good page
is shown instead), the problems the notice over the page and the terminal list, whether the
output changed (the open pages reload) and the counts of the terminal's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.builder import BuildReport
from toolkit.diagnostics import ERROR, Diagnostic, sort_diagnostics
from toolkit.errors import BuildFailed, ToolkitError
from toolkit.project.config import Project


@dataclass
class Outcome:
    """One rebuild, as the preview shows it."""

    #: documents whose source fails now, with their problems; their last good page is shown
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    #: problems not of one document (the settings, a stylesheet, another build running)
    general: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    changed: bool = False  # output/ was rewritten: the open pages reload
    built: int = 0
    reused: int = 0

    @property
    def problems(self) -> list[Diagnostic]:
        """Everything the notice lists, sorted by place."""
        return sort_diagnostics([*self.general, *(d for ds in self.failed.values() for d in ds)])

    def as_json(self) -> list[dict]:
        """The problems for the page's script: each with the document whose page it stops."""
        of = {id(d): name for name, ds in self.failed.items() for d in ds}
        items = [*self.general, *(d for ds in self.failed.values() for d in ds)]
        return [{"path": d.path, "line": d.line, "column": d.column, "severity": d.severity,
                 "message": d.message, "rule": d.rule, "document": of.get(id(d))}
                for d in sorted(items, key=Diagnostic.sort_key)]


def outcome_of(project: Project, result: BuildReport | ToolkitError) -> Outcome:
    """Read a build's report, or the error it raised (the build is run with ``keep_going``:
    it raises :class:`BuildFailed` only when no document could be built)."""
    if isinstance(result, BuildReport):
        # Errors among the report's findings are problems too (documents rendered in spite of
        # them); the failures' diagnostics are the errors of documents left without a page.
        return Outcome(
            failed={name: list(ds) for name, ds in result.failed.items()},
            general=[d for d in result.warnings if d.severity == ERROR],
            warnings=[d for d in result.warnings if d.severity != ERROR],
            changed=result.committed and not result.up_to_date,
            built=len(result.built), reused=len(result.reused))
    if isinstance(result, BuildFailed) and result.failures:
        return Outcome(failed={name: list(ds) for name, ds in result.failures.items()})
    where = project.display(result.path) if result.path else str(project.root)
    message = result.message + (f" ({result.hint})" if result.hint else "")
    return Outcome(general=[Diagnostic(where, result.line or 1, result.column or 1, ERROR,
                                       message, "build")])
