"""What one rebuild of a served edition came to, in the terms the preview shows.

:func:`outcome_of` is the one place that reads the builder's answers (a
:class:`~toolkit.builder.BuildReport`, or the :class:`~toolkit.errors.ToolkitError` a build
raised) for ``teikit serve``: which documents could not be rendered (their last good page is
shown instead), the validation errors of the rendered ones, problems of the edition as a whole
(its settings, a stylesheet), whether the output changed (the open pages reload) and the counts
of the terminal's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.builder import BuildReport, doc_name
from toolkit.diagnostics import ERROR, WARNING, Diagnostic, sort_diagnostics
from toolkit.errors import BuildFailed, ToolkitError
from toolkit.project.config import Project


@dataclass
class Outcome:
    """One rebuild, as the preview shows it."""

    #: documents that could not be rendered (not well-formed, ...), with why
    failed: dict[str, list[Diagnostic]] = field(default_factory=dict)
    #: validation errors of rendered documents, by document ("" where none could be named)
    errors: dict[str, list[Diagnostic]] = field(default_factory=dict)
    #: problems of the edition as a whole (the settings, a stylesheet, another build running)
    general: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    changed: bool = False  # output/ was rewritten: the open pages reload
    built: list[str] = field(default_factory=list)  # documents made by this build
    reused: int = 0
    report_page: str | None = None  # the editors' page of findings, relative to output/

    def problems(self, touched: set[str] = frozenset()) -> list[Diagnostic]:
        """What the terminal and every page show: the edition's problems, the documents not
        rendered, and the errors of the ``touched`` documents (those edited while serving)."""
        return sort_diagnostics([*self.general, *_of(self.failed),
                                 *_of({n: ds for n, ds in self.errors.items() if n in touched})])

    def as_json(self, touched: set[str] = frozenset()) -> dict:
        """The problems for the pages' script: each with its document, and whether every page
        shows it (else only the document's own page, and the others count it)."""
        items = []
        for group, rendered in ((self.failed, False), (self.errors, True)):
            for name, diags in group.items():
                for d in diags:
                    items.append(_item(d, name or None, rendered,
                                       everywhere=not rendered or name in touched))
        items += [_item(d, None, True, everywhere=True) for d in self.general]
        items.sort(key=lambda i: (not i["everywhere"], i["path"], i["line"], i["column"]))
        return {"problems": items, "report": self.report_page}


def outcome_of(project: Project, result: BuildReport | ToolkitError) -> Outcome:
    """Read a build's report, or the error it raised (a non-strict build raises
    :class:`BuildFailed` only when no document could be rendered)."""
    if isinstance(result, BuildReport):
        names = _names(project)
        errors: dict[str, list[Diagnostic]] = {}
        for d in result.findings:
            if d.severity == ERROR:
                errors.setdefault(names.get(d.path, ""), []).append(d)
        for name in result.invalid:  # errors the report had no room to list
            if name not in errors:
                errors[name] = [Diagnostic(_source(names, name), 1, 1, ERROR,
                                           "validation errors: teikit validate lists them",
                                           "build")]
        page = result.report_page
        return Outcome(
            failed={name: list(ds) for name, ds in result.failed.items()}, errors=errors,
            warnings=[d for d in result.findings if d.severity == WARNING and d.rule != "build"],
            changed=result.committed and not result.up_to_date, built=list(result.built),
            reused=len(result.reused),
            report_page=page.relative_to(result.output).as_posix() if page else None)
    if isinstance(result, BuildFailed) and result.failures:
        return Outcome(failed={name: list(ds) for name, ds in result.failures.items()})
    where = project.display(result.path) if result.path else str(project.root)
    message = result.message + (f" ({result.hint})" if result.hint else "")
    return Outcome(general=[Diagnostic(where, result.line or 1, result.column or 1, ERROR,
                                       message, "build")])


def _names(project: Project) -> dict[str, str]:
    """Each source's path as diagnostics give it → its document's name."""
    return {project.display(p): doc_name(project, p) for p in project.tei_files()}


def _source(names: dict[str, str], name: str) -> str:
    return next((path for path, n in names.items() if n == name), name)


def _of(groups: dict[str, list[Diagnostic]]) -> list[Diagnostic]:
    return [d for ds in groups.values() for d in ds]


def _item(d: Diagnostic, document: str | None, rendered: bool, everywhere: bool) -> dict:
    return {"path": d.path, "line": d.line, "column": d.column, "severity": d.severity,
            "message": d.message, "rule": d.rule, "document": document,
            "rendered": rendered, "everywhere": everywhere}
