"""Diagnostics: one finding of validation or build, and the formats they are reported in.

A :class:`Diagnostic` is a plain value (path, line, column, severity, message, rule). Checkers
return lists of them; nothing here decides what is an error. Reports are sorted by place so that
output is stable, and rendered as text (``path:line:col: severity: message [rule]``), JSON or JUnit
XML for CI; none of them lets a control character through as it is (:func:`printable`: a file
name with terminal escape codes must not rewrite the terminal or a CI log).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from xml.sax.saxutils import quoteattr

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
#: what a project may set a rule to (``[rules]`` in its configuration); "off" drops the rule
RULE_LEVELS = (*SEVERITIES, "off")


@dataclass(frozen=True, order=False)
class Diagnostic:
    """One problem found in one file."""

    path: str
    line: int
    column: int
    severity: str
    message: str
    rule: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.severity != ERROR, self.rule, self.message)

    def format(self) -> str:
        """The one-line form: ``path:line:col: severity: message [rule]``."""
        return (
            f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"
        )

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


#: the characters that must not reach a terminal or a CI log as they are: controls (C0 but tab
#: and newline, DEL, C1), lone surrogates (undecodable bytes of a file name), the characters that
#: reorder the text around them (a name can hide what follows) and the line and paragraph
#: separators; one class, so that a long report's strings are checked in one search each
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f"
                     "\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def unsafe_char(ch: str) -> bool:
    """A character that must not reach a terminal or a CI log as it is."""
    return _UNSAFE.match(ch) is not None


def printable(text: str) -> str:
    """``text`` with control characters (terminal escape codes, C1 controls, text direction
    overrides, undecodable bytes of a file name) shown as ``\\x1b``-style escapes: safe to
    print on a terminal or in a CI log."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                       else f"\\u{ord(m[0]):04x}", text)


def json_safe(text: str) -> str:
    """JSON text with every character :func:`unsafe_char` names written as a ``\\uXXXX``
    escape (still the same JSON value)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line, column; duplicates (same place, rule and message) dropped."""
    return sorted(set(diags), key=Diagnostic.sort_key)


def with_levels(diags: Iterable[Diagnostic], levels: dict[str, str]) -> list[Diagnostic]:
    """The diagnostics with each rule's severity as the project set it (``{"rule": "off" |
    "info" | "warning" | "error"}``); rules not named keep theirs."""
    if not levels:
        return list(diags)
    out = []
    for d in diags:
        level = levels.get(d.rule)
        if level is None or level == d.severity:
            out.append(d)
        elif level != "off":
            out.append(replace(d, severity=level))
    return out


#: rules whose findings concern something many documents share (a schema they all name):
#: reported once for all of them, not once per document
ONCE_PER_RUN = frozenset({"schema-unavailable"})


def once_per_run(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with the repeats of a shared finding (same rule and message, another
    document) merged into the first, which says how many documents it concerns."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for d in diags:
        if d.rule in ONCE_PER_RUN:
            key = (d.rule, d.message)
            if key in seen:
                seen[key] += 1
                continue
            seen[key] = 1
        out.append(d)
    return [replace(d, message=f"{d.message} (and in {seen[(d.rule, d.message)] - 1} more "
                    "document(s))") if seen.get((d.rule, d.message), 1) > 1 else d
            for d in out]


def counts_by_rule(diags: Iterable[Diagnostic]) -> dict[tuple[str, str], int]:
    """How many findings of each (severity, rule)."""
    counts: dict[tuple[str, str], int] = {}
    for d in diags:
        counts[(d.severity, d.rule)] = counts.get((d.severity, d.rule), 0) + 1
    return counts


def has_errors(diags: Iterable[Diagnostic], strict: bool = False) -> bool:
    """True if any diagnostic is an error (or, with ``strict``, any at all)."""
    return any(strict or d.is_error for d in diags)


def render_text(diags: Iterable[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in sort_diagnostics(diags))


def render_json(diags: Iterable[Diagnostic], files: Iterable[str] = ()) -> str:
    diags = sort_diagnostics(diags)
    doc = {
        "files": sorted(set(files) | {d.path for d in diags}),
        "errors": sum(d.is_error for d in diags),
        "warnings": sum(not d.is_error for d in diags),
        "diagnostics": [asdict(d) for d in diags],
    }
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def render_junit(diags: Iterable[Diagnostic], files: Iterable[str] = ()) -> str:
    """JUnit XML: one test case per file, failing with its errors (warnings as system-out)."""
    diags = sort_diagnostics(diags)
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in files}
    for d in diags:
        by_file.setdefault(d.path, []).append(d)
    failures = sum(any(d.is_error for d in ds) for ds in by_file.values())
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuite name="teikit validate" tests="{len(by_file)}" failures="{failures}">',
    ]
    for path in sorted(by_file):
        ds = by_file[path]
        errors = [d for d in ds if d.is_error]
        warnings = [d for d in ds if not d.is_error]
        out.append(f"  <testcase classname=\"teikit\" name={quoteattr(printable(path))}>")
        if errors:
            body = "\n".join(d.format() for d in errors)
            out.append(
                f"    <failure message={quoteattr(f'{len(errors)} error(s)')}>"
                f"{_escape(body)}</failure>"
            )
        if warnings:
            body = "\n".join(d.format() for d in warnings)
            out.append(f"    <system-out>{_escape(body)}</system-out>")
        out.append("  </testcase>")
    out.append("</testsuite>")
    return "\n".join(out) + "\n"


def _escape(text: str) -> str:
    # Control characters are not allowed in XML 1.0 (and unsafe in a log): shown as escapes.
    return printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
