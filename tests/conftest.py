"""Shared fixtures: paths, the shared corpora (skipped cleanly where absent), small editions,
and a runner for the command line as a user runs it (a subprocess, exact exit code)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
#: ../shared beside the repository; from a git worktree (../wt/NAME) the nearest one above.
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared" / "corpora").is_dir()),
              REPO.parent / "shared")
CORPORA = SHARED / "corpora"
FLAGSHIP = REPO / "tei" / "wright-1937-international-notes.xml"


def in_ci() -> bool:
    """CI (``CI=true``, set by .ci/run and by CI services): every tool is installed there."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


# Property-based tests: a thousand cases each in CI, the same ones every run (derandomised);
# fewer locally (TEIKIT_HYPOTHESIS_EXAMPLES, default 100), where a new run may find new cases.
# A test's own @settings(max_examples=...) wins over the profile.
settings.register_profile("ci", max_examples=1000, derandomize=True, deadline=None)
settings.register_profile(
    "dev", max_examples=int(os.environ.get("TEIKIT_HYPOTHESIS_EXAMPLES", "100")), deadline=None)
settings.load_profile("ci" if in_ci() else "dev")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (CI always runs them)")


def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    """Tests marked ``slow`` are deselected locally unless --slow (or -m naming them) is
    given; CI runs them all."""
    if in_ci() or config.getoption("--slow") or config.getoption("-m"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def shared_path(*parts: str) -> Path:
    """A path inside ../shared, or a clean skip where it is absent (as on a user's machine)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (the shared test material is only in the dev tree)")
    return path


@pytest.fixture
def corpora() -> Path:
    return shared_path("corpora")


@pytest.fixture
def flagship() -> Path:
    return FLAGSHIP


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_teikit(*args: str, cwd: Path | None = None, env: dict | None = None,
               timeout: float = 600) -> Result:
    """Run ``python -m toolkit ARGS`` in a subprocess and capture everything."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    proc = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd or REPO,
                          env=full_env, capture_output=True, text=True, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def teikit():
    return run_teikit


@pytest.fixture
def small_edition(tmp_path: Path) -> Path:
    """A fresh two-document edition made the way a user makes one (``teikit init``)."""
    from toolkit.project.scaffold import create

    root = tmp_path / "edition"
    create(root, "A small edition")
    second = root / "tei" / "second-letter.xml"
    first = next((root / "tei").glob("*.xml"))
    second.write_text(first.read_text(encoding="utf-8")
                      .replace("A small edition", "A second letter")
                      .replace("New Year's Day", "the first of May")
                      .replace('when="1900-01-01"', 'when="1900-05-01"'), encoding="utf-8")
    return root


def require(available: bool, reason: str) -> None:
    """Skip where a system tool is missing, as on a user's machine; in CI (CI=true), where
    .ci/run installs every tool, fail instead, so such tests always run there for real."""
    if available:
        return
    if in_ci():
        pytest.fail(f"CI must provide this: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


#: Debian's Chromium, as the browser tests drive it (Playwright), offline and quiet
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for a module's browser tests (each test opens its own context)."""
    require(CHROMIUM.exists(),
            "Debian's Chromium (/usr/bin/chromium) is not installed: apt-get install chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def render_all(root: Path, data: bytes, *, reading: str = "normalised",
               language: str = "en", pdf: bool = False) -> dict:
    """Every format's output of one document (``data``), made in ``root`` (emptied first) by the
    writers of the format registry as a build calls them: the page with its facts and search
    blocks, both text editions, the print edition's HTML (and with ``pdf`` the PDF). Returns
    page, facts, reading, diplomatic and print; any exception is the caller's failure."""
    from toolkit.formats import FORMATS, Job, stylesheet_params
    from toolkit.load import load
    from toolkit.project.config import Project
    from toolkit.transform import parsed_once, render

    if root.exists():
        shutil.rmtree(root)
    (root / "tei").mkdir(parents=True)
    path = root / "tei" / "case.xml"
    path.write_bytes(data)
    doc, diags = load(path)
    assert doc is not None, f"not well-formed: {diags[:1]}"
    formats = ["html", "text"] + (["pdf"] if pdf else [])
    project = Project(root=root, formats=formats, reading=reading, language=language)
    params = stylesheet_params(project, formats, "2026-01-01")
    out = root / "output"
    facts: dict = {"name": "case"}
    jobs = {}
    with parsed_once(doc.tree):
        for name in formats:
            job = Job(project, path, "case", doc, params, out / FORMATS[name].folder, facts)
            FORMATS[name].writer()(job)
            jobs[name] = job
        # the print edition's HTML is made by the PDF writer; without it, as it makes it
        print_html = render(doc.tree, "print", {**params, "source-name": "case"}, project, path)
    for name, job in jobs.items():
        finish = FORMATS[name].finisher()
        if finish is not None:
            job.doc = None
            finish(job)
    return {"facts": facts, "print": print_html,
            "page": (out / "html" / "case.html").read_text(encoding="utf-8"),
            "reading": (out / "text" / "case.txt").read_text(encoding="utf-8"),
            "diplomatic": (out / "text" / "case.diplomatic.txt").read_text(encoding="utf-8")}
