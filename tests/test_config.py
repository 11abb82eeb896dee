"""Configuration: [tool.teikit] and teikit.toml are read and every key is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import ConfigError
from toolkit.project.config import load_project


def write(root: Path, text: str, name: str = "teikit.toml") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "tei").mkdir(exist_ok=True)
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_configuration(tmp_path):
    (tmp_path / "tei").mkdir()
    p = load_project(tmp_path)
    assert (p.reading, p.paper, p.formats) == ("normalised", "a4", ["html", "text", "pdf"])
    assert p.output_dir == tmp_path.resolve() / "output"


def test_teikit_toml_is_read(tmp_path):
    write(tmp_path, 'title = "Letters"\nformats = ["html"]\nreading = "original"\n'
                    'paper = "Letter"\n')
    p = load_project(tmp_path)
    assert (p.title, p.formats, p.reading, p.paper) == ("Letters", ["html"], "original", "letter")


def test_pyproject_table_is_read(tmp_path):
    write(tmp_path, '[project]\nname = "x"\n[tool.teikit]\ntitle = "From pyproject"\n',
          "pyproject.toml")
    assert load_project(tmp_path).title == "From pyproject"


def test_unknown_key_suggests_the_nearest(tmp_path):
    path = write(tmp_path, 'titel = "Typo"\n')
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path)
    assert info.value.message == "unknown setting 'titel'"
    assert info.value.hint == "did you mean 'title'?"
    assert info.value.path == str(path)


@pytest.mark.parametrize("text, message", [
    ('reading = "modern"\n', "setting 'reading': expected one of normalised, original, got 'modern'"),
    ('paper = "a5"\n', "setting 'paper': expected one of a4, letter, got 'a5'"),
    ('formats = ["html", "epub"]\n', "setting 'formats': unknown format 'epub'; known: html, text, pdf"),
    ('formats = []\n', 'setting \'formats\': expected a list such as ["html", "text"]'),
    ('validate = "yes"\n', "setting 'validate': expected true or false, got 'yes'"),
    ('schema = "missing.rng"\n', "setting 'schema': file not found: missing.rng"),
    ('stylesheets = {epub = "x.xsl"}\n',
     "setting 'stylesheets': unknown layer 'epub'; known: common, html, text, print"),
    ('output = "."\n', "setting 'output': the output folder must be a sub-folder, not the project itself"),
])
def test_bad_values_are_named(tmp_path, text, message):
    write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path)
    assert info.value.message == message


def test_toml_syntax_error_has_line(tmp_path):
    write(tmp_path, 'title = "ok"\nformats = [html]\n')
    with pytest.raises(ConfigError) as info:
        load_project(tmp_path)
    assert info.value.line == 2
    assert info.value.message.startswith("not valid TOML")


def test_overrides_win(tmp_path):
    write(tmp_path, 'title = "T"\n')
    assert load_project(tmp_path, {"title": "Other"}).title == "Other"


def test_stylesheet_override_must_exist_and_is_resolved(tmp_path):
    write(tmp_path, 'stylesheets = {html = "my.xsl"}\n')
    (tmp_path / "my.xsl").write_text("<x/>", encoding="utf-8")
    assert load_project(tmp_path).stylesheets["html"] == (tmp_path / "my.xsl").resolve()


def test_project_folder_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="no such folder"):
        load_project(tmp_path / "nowhere")
