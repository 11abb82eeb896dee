"""Progress reporting for the command line: a bar on a terminal, plain lines otherwise.

The build reports events through a callback ``(kind, name, done, total)``; this module turns
them into a rich progress bar when stderr is a terminal and into one log line per document when
it is not (CI logs, pipes), so logs stay readable and greppable.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from toolkit.builder.options import Event
from toolkit.diagnostics import printable
from toolkit.formats import FORMATS

#: the stage a log line is written for (see toolkit.formats: the PDF's "activity")
SLOW_STAGE = FORMATS["pdf"].activity


@contextlib.contextmanager
def reporter(stream=None) -> Iterator[Event]:
    stream = stream or sys.stderr
    if stream.isatty():
        # The bar's own codes go to the terminal itself; a document's name is shown escaped.
        console = Console(file=getattr(stream, "raw", stream))
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[doc]}"), console=console, transient=True) as bar:
            task = bar.add_task("building", total=None, doc="")

            def on_event(kind: str, name: str, done: int, total: int) -> None:
                if kind == "assemble":
                    bar.update(task, description="writing site", doc="")
                else:
                    shown = escape(printable(name))
                    bar.update(task, completed=done, total=total, doc=shown)
                    if kind == "failed":
                        console.print(f"[red]not rendered[/red] {shown}")

            yield on_event
    else:
        def on_event(kind: str, name: str, done: int, total: int) -> None:
            if kind == "assemble":
                print("teikit: writing the edition's shared pages", file=stream, flush=True)
            elif kind == "stage":
                # A log gets a line for the one stage that can take minutes, not for every one.
                if name.endswith(f"({SLOW_STAGE})"):
                    print(f"teikit: [{done}/{total}] making {printable(name)}", file=stream,
                          flush=True)
            else:
                shown = "not rendered" if kind == "failed" else kind
                print(f"teikit: [{done}/{total}] {shown} {printable(name)}", file=stream,
                      flush=True)

        yield on_event
