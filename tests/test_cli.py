"""The command line as a user meets it: help everywhere, exact exit codes and messages for
bad input, and never a traceback."""

from __future__ import annotations

import click
import pytest

from toolkit.cli.clidoc import _walk
from toolkit.cli.main import cli


def all_commands():
    return [(" ".join(path[1:]), cmd) for path, cmd in _walk(cli, ["teikit"])]


@pytest.mark.parametrize("name, cmd", all_commands(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_and_option_has_help(teikit, name, cmd):
    assert cmd.help, f"command '{name}' has no help text"
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, f"option {param.opts} of '{name}' has no help text"
    res = teikit(*name.split(), "--help")
    assert res.code == 0, res.err
    assert res.out.startswith("Usage: teikit")


def test_version_names_the_tei_release(teikit):
    res = teikit("--version")
    assert res.code == 0
    assert res.out.startswith("teikit 0.")
    assert "TEI" in res.out


def test_unknown_command_is_a_usage_error(teikit):
    res = teikit("bulid")
    assert res.code == 2
    assert "teikit: error: No such command 'bulid'" in res.err
    assert "Traceback" not in res.err


def test_unknown_format_is_a_usage_error(teikit, tmp_path):
    res = teikit("build", str(tmp_path), "--format", "html,epub")
    assert res.code == 2
    assert "teikit: error: Invalid value: unknown format 'epub'; choose from html, text, pdf" \
        in res.err


def test_missing_project_folder(teikit, tmp_path):
    res = teikit("build", str(tmp_path / "nowhere"))
    assert res.code == 2
    assert res.err.strip() == (f"teikit: error: no such folder: {tmp_path / 'nowhere'}\n"
                               "  hint: pass the folder of an edition")


def test_bad_configuration_names_file_and_key(teikit, tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "teikit.toml").write_text('titel = "x"\n', encoding="utf-8")
    res = teikit("build", str(tmp_path))
    assert res.code == 2
    assert res.err.strip() == (f"teikit: error: {tmp_path / 'teikit.toml'}: unknown setting "
                               "'titel'\n  hint: did you mean 'title'?")


def test_project_without_sources(teikit, tmp_path):
    (tmp_path / "tei").mkdir()
    res = teikit("build", str(tmp_path), "--no-validate")
    assert res.code == 2
    assert "teikit: error:" in res.err and "no TEI sources match 'tei/**/*.xml'" in res.err


def test_validate_missing_path(teikit, tmp_path):
    res = teikit("validate", str(tmp_path / "absent.xml"))
    assert res.code == 2
    assert f"teikit: error: no such file or folder: {tmp_path / 'absent.xml'}" in res.err


def test_init_creates_an_edition_and_refuses_to_overwrite(teikit, tmp_path):
    res = teikit("init", str(tmp_path / "ed"), "--title", "My Letters")
    assert res.code == 0, res.err
    assert (tmp_path / "ed" / "teikit.toml").is_file()
    assert (tmp_path / "ed" / "tei" / "my-letters.xml").is_file()
    again = teikit("init", str(tmp_path / "ed"), "--title", "My Letters")
    assert again.code == 2
    assert "exists already; not overwriting it" in again.err
