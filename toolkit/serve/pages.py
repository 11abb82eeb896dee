"""The last good page of every document, kept while ``teikit serve`` runs.

A build publishes every document it can render and leaves one it cannot (not well-formed, an
include that cannot be resolved) without a page. While its source is mended the reader should see
what it looked like: after every build each page of the web edition is hard-linked into a folder
of the project's cache (no copying; a page unchanged since the last build costs one ``stat``), and
a page is dropped there only once its document neither has a page nor fails (it was removed).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path


class KeptPages:
    """The pages (``NAME.html``) of the last builds, by document name."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def update(self, html_dir: Path, failing: Iterable[str] = ()) -> None:
        """Keep every page now in ``html_dir``; of the pages gone from it, keep those of the
        ``failing`` documents only."""
        self.folder.mkdir(parents=True, exist_ok=True)
        now: set[str] = set()
        if html_dir.is_dir():
            for entry in os.scandir(html_dir):
                if entry.name.endswith(".html") and entry.is_file():
                    now.add(entry.name)
                    self._keep(Path(entry.path), self.folder / entry.name)
        failing = {f"{name}.html" for name in failing}
        for entry in os.scandir(self.folder):
            if entry.name not in now and entry.name not in failing:
                os.unlink(entry.path)

    def find(self, name: str) -> Path | None:
        """The kept page of document ``name``, if there is one."""
        page = self.folder / f"{name}.html"
        return page if "/" not in name and page.is_file() else None

    @staticmethod
    def _keep(page: Path, kept: Path) -> None:
        try:
            if os.path.samefile(page, kept):
                return
        except OSError:
            pass  # not kept yet
        tmp = kept.with_name(f".{kept.name}.{os.getpid()}.tmp")
        try:
            os.link(page, tmp)
        except OSError:  # another file system: a copy
            shutil.copyfile(page, tmp)
        os.replace(tmp, kept)
