"""The README: its command reference matches the real --help texts, and it starts with the two
commands a new user runs."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO

from toolkit.cli.clidoc import BEGIN, END, reference


def test_cli_reference_in_readme_is_current():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    assert section.strip() == reference().strip(), (
        "README.md's CLI reference is out of date: run `python -m toolkit.cli.clidoc`")


def test_readme_starts_with_build_and_test_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in text.split("```sh\n")[1:3]]
    assert "teikit build" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[0] in ci and blocks[1] in ci, ".ci/run must run the README's commands"


def test_code_passes_the_linter():
    """ruff (the rules in pyproject.toml) finds nothing in the package, the tests or bench/."""
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    proc = subprocess.run([ruff, "check", "toolkit", "tests", "bench"], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
