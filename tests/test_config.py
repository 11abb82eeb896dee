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


def test_the_sources_are_listed_as_paths_order_them_once_each_outside_the_output(tmp_path):
    """The sources' listing (made with strings for speed) is what the Path-based one was: in
    the order of the paths' parts (``a/b.xml`` before ``a-b.xml``, unlike the strings' order),
    a file reached twice (through a link) once, the first name kept, a link to a file listed
    as itself, links to folders or to nothing and files below the output folder left out."""
    import os

    from toolkit.project import paths

    root = tmp_path / "ed"
    for rel in ("tei/a/b.xml", "tei/a-b.xml", "tei/a/c.xml", "tei/z.xml", "tei/out/x.xml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("<TEI/>", encoding="utf-8")
    (root / "tei" / "m-link.xml").symlink_to(root / "tei" / "z.xml")  # z.xml twice
    (root / "tei" / "0-link.xml").symlink_to(root / "tei" / "a" / "c.xml")  # before c.xml
    (root / "tei" / "dead.xml").symlink_to(root / "tei" / "gone.xml")
    (root / "tei" / "folder.xml").symlink_to(root / "tei" / "a")
    (root / "tei" / "folder.xml.d").mkdir()
    (root / "teikit.toml").write_text('sources = "tei/**/*.xml"\noutput = "tei/out"\n',
                                      encoding="utf-8")
    project = load_project(root)
    paths.forget_resolved()

    def by_paths() -> list[Path]:  # the listing as it was made with Paths
        seen: dict[Path, Path] = {}
        for p in sorted(project.root.glob(project.sources)):
            if p.is_file() and not Path(os.path.abspath(p)).is_relative_to(project.output_dir):
                seen.setdefault(Path(p).resolve(), Path(os.path.abspath(p)))
        return sorted(seen.values())

    listed = project.tei_files()
    assert listed == by_paths()
    assert [str(p.relative_to(root / "tei")) for p in listed] == [
        "0-link.xml", "a/b.xml", "a-b.xml", "m-link.xml"], listed
    # what the listing found is how the build resolves the files later
    assert [paths.resolved(p) for p in listed] == [p.resolve() for p in listed]
