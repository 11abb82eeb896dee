"""A real installation: ``pip install .`` (not editable) into a new virtual environment outside
the checkout, then the installed ``teikit`` builds a second edition and the bundled one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(REPO)],
                         capture_output=True, text=True, timeout=900)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return venv / "bin" / "teikit"


def run(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=900, env=env)


def test_installed_teikit_builds_another_edition(installed, small_edition, tmp_path):
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    res = run(installed, "build", str(small_edition), "--format", "text,html", cwd=elsewhere)
    assert res.returncode == 0, res.stderr
    out = small_edition / "output"
    assert (out / "text" / "second-letter.txt").is_file()
    assert (out / "html" / "second-letter.html").is_file()
    # the interface's strings came with it (a missing catalogue would show the keys)
    assert "Edition:" in (out / "text" / "second-letter.txt").read_text(encoding="utf-8")
    assert "teikit.t" in (out / "html" / "assets" / "t.js").read_text(encoding="utf-8")
    # The stylesheets came from the installed package, not from this checkout.
    where = subprocess.run([str(installed.parent / "python"), "-c",
                            "import toolkit.transform as t; print(t.xslt_dir())"],
                           capture_output=True, text=True, cwd=elsewhere)
    assert "site-packages" in where.stdout, where.stdout + where.stderr


def test_installed_teikit_builds_the_bundled_edition_into_the_current_folder(installed,
                                                                             tmp_path):
    res = run(installed, "build", "--flagship", "--format", "text", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    text = tmp_path / "output" / "text" / "wright-1937-international-notes.diplomatic.txt"
    assert "Stalin’s Purge of Blood" in text.read_text(encoding="utf-8")


def test_the_readme_build_works_in_a_checkout(installed, tmp_path):
    """The README's first command, as on a fresh machine: the installed package (not an
    editable one) builds the checkout itself, whose xslt/ folder then reads as the project's
    overlay: copies of the toolkit's own stylesheets are not refused as a project's code."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copyfile(REPO / "pyproject.toml", checkout / "pyproject.toml")
    for folder in ("tei", "xslt"):
        shutil.copytree(REPO / folder, checkout / folder)
    res = run(installed, "build", "--format", "html,text", cwd=checkout)
    assert res.returncode == 0, res.stderr
    assert (checkout / "output" / "html" / "wright-1937-international-notes.html").is_file()
    # an overlay file that differs from ours is still checked
    i18n = checkout / "xslt" / "common" / "i18n.xsl"
    i18n.write_text(i18n.read_text(encoding="utf-8").replace(
        "<!-- The CLDR plural", "<!-- changed --><!-- The CLDR plural"), encoding="utf-8")
    res = run(installed, "build", "--format", "text", cwd=checkout)
    assert res.returncode != 0 and "xsl:evaluate" in res.stderr, res.stderr
