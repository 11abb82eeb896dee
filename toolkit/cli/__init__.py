"""The command line (``teikit``): a thin layer over the library. :mod:`.main` holds the commands,
:mod:`.progress` shows a build's events, :mod:`.clidoc` writes the README's command reference."""

from toolkit.cli.main import cli, main

__all__ = ["cli", "main"]
