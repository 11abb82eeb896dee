"""The build's report of what validation found: ``output/report.json`` (every finding of every
document, for tools) and ``output/report.html`` (the editors' page: which documents are valid,
what is wrong where). The page sits beside the web edition, not in it, so that it is not
published with it; ``report = "web"`` puts a copy into ``html/`` as well, ``"off"`` writes none.

Both are written from the documents' cache entries one document at a time, so a report of
thousands of documents is never held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path

from toolkit import __version__
from toolkit.builder.document import DIAGNOSTICS, FAILED, DocResult
from toolkit.builder.options import BuildReport
from toolkit.diagnostics import Diagnostic, json_safe, sort_diagnostics
from toolkit.project.config import Project

REPORT_JSON = "report.json"
REPORT_PAGE = "report.html"
#: the page lists at most this many findings of one document, and this many in all (the JSON
#: file has every one)
PAGE_PER_DOCUMENT = 200
PAGE_TOTAL = 20000


#: the findings a build kept of a cache entry, None where they are to be read from it
Kept = Callable[[Path], "list[dict] | None"] | None


def _findings(r: DocResult, kept: Kept = None) -> list[Diagnostic]:
    """Every finding of one document, read from its cache entry (or as ``kept`` has them)."""
    entry = Path(r.entry)
    few = kept(entry) if kept is not None and r.ok else None
    if few is not None:
        return sort_diagnostics(Diagnostic(**d) for d in few)
    for name in (DIAGNOSTICS, FAILED):
        try:
            raw = json.loads((entry / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return sort_diagnostics(Diagnostic(**d) for d in raw)
    return []


def _documents(results: list[DocResult],
               kept: Kept = None) -> Iterator[tuple[DocResult, list[Diagnostic]]]:
    for r in results:
        yield r, _findings(r, kept)


def write_report(out: Path, project: Project, results: list[DocResult], report: BuildReport,
                 formats: list[str], kept: Kept = None) -> None:
    """Write ``report.json`` and (unless ``report = "off"``) the editors' page into ``out``;
    ``kept`` has the findings of the entries whose findings the build kept
    (:meth:`toolkit.builder.cache.Results.findings`)."""
    _write_json(out / REPORT_JSON, project, results, report, kept)
    if project.report == "off":
        return
    html = "html" in formats
    page = _page(results, report, html_prefix="html/" if html else None, kept=kept)
    # A name's undecodable bytes (refused, but reported) are shown as escapes.
    (out / REPORT_PAGE).write_text(page, encoding="utf-8", errors="backslashreplace")
    if project.report == "web" and html:
        (out / "html" / REPORT_PAGE).write_text(_page(results, report, html_prefix="",
                                                      kept=kept),
                                                encoding="utf-8", errors="backslashreplace")


def _summary(results: list[DocResult], report: BuildReport) -> dict:
    rendered = [r for r in results if r.ok]
    return {"documents": len(results), "rendered": len(rendered),
            "not_rendered": len(results) - len(rendered),
            "valid": len(rendered) - len(report.invalid), "invalid": len(report.invalid),
            "errors": report.errors, "warnings": report.warnings}


def _rules(report: BuildReport) -> list[dict]:
    return [{"rule": rule, "severity": severity, "count": n} for (severity, rule), n in
            sorted(report.counts.items(), key=lambda kv: (kv[0][0] != "error", -kv[1], kv[0]))]


def _write_json(target: Path, project: Project, results: list[DocResult],
                report: BuildReport, kept: Kept = None) -> None:
    # No absolute paths: the same sources give the same report wherever they are built.
    head = {"toolkit": f"teikit {__version__}", "summary": _summary(results, report),
            "rules": _rules(report)}
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "documents": [')
        for i, (r, found) in enumerate(_documents(results, kept)):
            fh.write(",\n" if i else "\n")
            # json_safe: a name's control characters and undecodable bytes as \u escapes
            fh.write(json_safe(json.dumps({
                "name": r.name, "source": r.source, "rendered": r.ok,
                "errors": sum(d.is_error for d in found),
                "warnings": sum(not d.is_error for d in found),
                "diagnostics": [d.__dict__ for d in found]}, ensure_ascii=False)))
        fh.write("\n]}\n")


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
       color: #1b1b1b; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: .25rem .75rem; border-bottom: 1px solid #ddd; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: #a40000; } .warning { color: #7a5200; } .info { color: #35586b; }
.ok { color: #1d6b2b; }
ol.findings { font-family: ui-monospace, monospace; font-size: 13px; padding-left: 1.5rem; }
ol.findings li { margin: .2rem 0; }
"""


def _page(results: list[DocResult], report: BuildReport, html_prefix: str | None,
          kept: Kept = None) -> str:
    """The editors' page: summary, findings by rule, documents, each document's findings."""
    s = _summary(results, report)
    out = ['<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           'style-src \'unsafe-inline\'">',
           '<meta name="robots" content="noindex">',
           "<title>Validation report</title>", f"<style>{_STYLE}</style></head><body>",
           "<h1>Validation report</h1>",
           f"<p>{s['documents']} documents: {s['rendered']} rendered"
           + (f", <span class=\"error\">{s['not_rendered']} not rendered</span>"
              if s["not_rendered"] else "")
           + f"; {s['valid']} valid, {s['invalid']} with errors. "
           f"{s['errors']} errors, {s['warnings']} warnings in all.</p>"]
    rules = _rules(report)
    if rules:
        out.append("<h2>Findings by rule</h2><table><thead><tr><th>Rule</th><th>Severity</th>"
                   "<th>Count</th></tr></thead><tbody>")
        for row in rules:
            out.append(f"<tr><td>{escape(row['rule'])}</td><td class=\"{row['severity']}\">"
                       f"{row['severity']}</td><td class=\"n\">{row['count']}</td></tr>")
        out.append("</tbody></table>")
    out.append("<h2>Documents</h2><table><thead><tr><th>Document</th><th>State</th>"
               "<th>Errors</th><th>Warnings</th></tr></thead><tbody>")
    details = []
    budget = PAGE_TOTAL
    for r, found in _documents(results, kept):
        errors = sum(d.is_error for d in found)
        warnings = len(found) - errors
        if not r.ok:
            state = '<span class="error">not rendered</span>'
        elif errors:
            state = '<span class="error">invalid</span>'
        else:
            state = '<span class="ok">valid</span>'
        name = escape(r.source)
        label = (f'<a href="{escape(html_prefix + r.name)}.html">{name}</a>'
                 if html_prefix is not None and r.ok else name)
        anchor = f"d-{escape(r.name)}"
        if found:
            label += f' · <a href="#{anchor}">findings</a>'
        out.append(f"<tr><td>{label}</td><td>{state}</td><td class=\"n\">{errors}</td>"
                   f"<td class=\"n\">{warnings}</td></tr>")
        if found and budget > 0:
            shown = found[:min(PAGE_PER_DOCUMENT, budget)]
            budget -= len(shown)
            items = "".join(
                f'<li><span class="{d.severity}">{d.severity}</span> {d.line}:{d.column} '
                f"{escape(d.message)} [{escape(d.rule)}]</li>" for d in shown)
            more = (f"<p>… and {len(found) - len(shown)} more in report.json.</p>"
                    if len(found) > len(shown) else "")
            details.append(f'<section id="{anchor}"><h3>{name}</h3>'
                           f'<ol class="findings">{items}</ol>{more}</section>')
    out.append("</tbody></table>")
    if details:
        out.append("<h2>Findings by document</h2>")
        out.extend(details)
    out.append("</body></html>\n")
    return "\n".join(out)
