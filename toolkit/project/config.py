"""Configuration: find an edition's project folder and read its ``[tool.teikit]`` settings.

Settings live in ``teikit.toml`` or in the ``[tool.teikit]`` table of the edition's
``pyproject.toml``. Every key is checked: an unknown key or a bad value is a
:class:`~toolkit.errors.ConfigError` naming the file, the key and what is allowed, with the nearest
known key suggested for a typo.
"""

from __future__ import annotations

import difflib
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.diagnostics import RULE_LEVELS
from toolkit.errors import ConfigError, read_toml
from toolkit.formats import LAYERS
from toolkit.formats import NAMES as FORMATS
from toolkit.project import confine, paths

READINGS = ("normalised", "original")
PAPERS = ("a4", "letter")

#: key -> (description, default); the single source for validation and documentation.
KEYS: dict[str, tuple[str, Any]] = {
    "title": ("Site title of the edition (unset: the interface language's word for a TEI "
              "edition)", ""),
    "formats": ("Formats built by default: any of html, text, pdf", list(FORMATS)),
    "reading": ("Default reading level: normalised (corr, reg, expan) or original", "normalised"),
    "paper": ("Paper size of the print edition: a4 or letter", "a4"),
    "sources": ("Glob of TEI sources, relative to the project", "tei/**/*.xml"),
    "output": ("Output folder, relative to the project", "output"),
    "schema": ("The edition's own schema, used instead of tei_all: a RELAX NG file (.rng), or "
               "an ODD customisation (.odd), compiled with the TEI Stylesheets", None),
    "tei_release": ("The installed TEI release to validate against (e.g. \"4.3.0\"; default: "
                    "the current one, see teikit schema status)", None),
    "schematron": ("Extra Schematron files (.sch) of the edition", []),
    "stylesheets": ("Overrides: {common|html|text|print = path to an .xsl importing ours}", {}),
    "validate": ("Validate before building: true, or false to skip", True),
    "language": ("Language of the interface (BCP 47: en, de, fr, it, es, or one the edition "
                 "adds in i18n/); default: the language the TEI files declare, else en", None),
    "languages": ("Interface languages a reader can switch between; the first is the main "
                  "one (the web edition gets a page set for each)", []),
    "strings": ("Interface strings of the edition's own over the toolkit's: a table of keys "
                "such as {\"nav.persons\" = \"People\"}", {}),
    "base_url": ("Public URL of the web edition, used in citations and in the letters' CMIF "
                 "file (written only when it is set)", ""),
    "editor": ("Editor(s) of the edition, named in the CMIF file", ""),
    "edition_id": ("A UUID naming the edition in its CMIF file (correspSearch); default: "
                   "one derived from base_url", ""),
    "licence": ("Licence of the edition's data exports (CMIF, registers), as a URL",
                "https://creativecommons.org/licenses/by/4.0/"),
    "registers_unmentioned": ("List the entries of the edition's data files that no document "
                              "mentions in the registers too: true or false", False),
    "registers_pdf": ("Make the print edition (PDF) of register files too (files of lists "
                      "without running text): true or false", False),
    "scheduler": ("A Dask scheduler to build on (e.g. \"tcp://host:8786\"): the documents are "
                  "built by its workers, which must see the project at the same path", None),
    "strict": ("Validation errors make the build fail (for CI): true or false", False),
    "rules": ("Severity per rule: {rule-name = \"error\" | \"warning\" | \"info\" | \"off\"}",
              {}),
    "report": ("The editors' validation report page: \"editors\" (output/report.html, outside "
               "the web edition), \"web\" (also html/report.html) or \"off\"", "editors"),
    "facsimile_url": ("Pattern making a page image's bare identifier (pb/@facs, graphic/@url) a "
                      "URL: an http(s) address with {facs}", ""),
    "facsimile_fetch": ("Download remote page images, IIIF info.json and manifests at build "
                        "time (the edition then shows them offline): true or false", False),
    "facsimile_tiles": ("Local page images as IIIF level-0 tiles for deep zoom: \"auto\" "
                        "(images over 2000 px), \"always\" or \"never\" (one image each)",
                        "auto"),
    "facsimile_plates": ("The PDF ends with the page images as plates: true or false", False),
    "base_witness": ("Critical editions: the witness (xml:id of a listWit witness) whose reading "
                     "the text follows where an apparatus entry has no lem", ""),
    "witness_texts": ("Critical editions: also write the text of each witness, reconstructed "
                      "from the apparatus (NAME.witness-ID.txt): true for every witness, or a "
                      "list of witness ids", False),
}
REPORTS = ("editors", "web", "off")
TILES = ("auto", "always", "never")


@dataclass
class Project:
    """Where an edition lives and how it is to be built."""

    root: Path
    config_file: Path | None = None
    title: str = ""  # unset: the catalogue's site.untitled, in each interface language
    formats: list[str] = field(default_factory=lambda: list(FORMATS))
    reading: str = "normalised"
    paper: str = "a4"
    sources: str = "tei/**/*.xml"
    output: str = "output"
    schema: Path | None = None
    schematron: list[Path] = field(default_factory=list)
    stylesheets: dict[str, Path] = field(default_factory=dict)
    validate: bool = True
    #: the interface language as configured ('': the edition's own, see toolkit.i18n)
    language: str = ""
    languages: list[str] = field(default_factory=list)
    #: interface strings of the project's own (the ``[strings]`` table), key -> text
    strings: dict[str, Any] = field(default_factory=dict)
    #: the project's catalogue files (``i18n/<language>.toml``), by lower-case language tag
    i18n_files: dict[str, Path] = field(default_factory=dict)
    base_url: str = ""
    editor: str = ""
    edition_id: str = ""
    licence: str = "https://creativecommons.org/licenses/by/4.0/"
    registers_unmentioned: bool = False
    registers_pdf: bool = False
    tei_release: str | None = None
    scheduler: str | None = None
    strict: bool = False
    rules: dict[str, str] = field(default_factory=dict)
    report: str = "editors"
    facsimile_url: str = ""
    facsimile_fetch: bool = False
    facsimile_tiles: str = "auto"
    facsimile_plates: bool = False
    base_witness: str = ""
    witness_texts: bool | list[str] = False

    @property
    def output_dir(self) -> Path:
        return paths.resolved(self.root / self.output)

    def tei_files(self) -> list[Path]:
        """The edition's TEI sources, sorted; Schematron and non-XML files are not included.
        A symbolic link is listed as itself (the build refuses one leading out of the
        sources folder, :mod:`toolkit.project.confine`); a file reached twice, once."""
        seen: dict[str, str] = {}
        out = os.fspath(self.output_dir)
        below_out = out.rstrip(os.sep) + os.sep
        # (strings rather than Paths, ordered as Paths are, by their parts: thousands of files)
        for text in sorted(map(os.path.abspath, self.root.glob(self.sources)), key=_parts):
            if text == out or text.startswith(below_out):
                continue
            real = paths.listed_file(text)
            if real is not None:
                seen.setdefault(real, text)
        return [Path(t) for t in sorted(seen.values(), key=_parts)]

    def readable_sources(self) -> list[Path]:
        """The TEI sources a build may read: a name it can print, a regular file inside the
        sources folder (the others it refuses, saying why: :mod:`toolkit.project.confine`)."""
        area = confine.sources(self)
        return [f for f in self.tei_files()
                if confine.name_problem(f) is None and area.file_problem(f) is None]

    def display(self, path: Path) -> str:
        """A path as the user should see it: relative to the project root where possible."""
        try:
            return str(paths.resolved(path).relative_to(self.root))
        except ValueError:
            return str(path)


def _parts(path: str) -> list[str]:
    return path.split(os.sep)


def is_project(path: Path) -> bool:
    """True if ``path`` looks like an edition: a config file or a ``tei/`` folder."""
    path = Path(path)
    if (path / "teikit.toml").is_file() or (path / "tei").is_dir():
        return True
    return _pyproject_table(path / "pyproject.toml") is not None


def bundled_edition() -> Path:
    """The flagship edition shipped with the toolkit (checkout or installed wheel)."""
    found = paths.bundled_edition()
    if found is not None:
        return found
    raise ConfigError("the bundled edition is not installed with this copy of teikit",
                      hint="pass the folder of an edition: teikit build PATH")


def load_project(root: Path | None = None, overrides: dict[str, Any] | None = None) -> Project:
    """Read the project at ``root`` (default: the current folder, which must be an edition).
    ``overrides`` are settings from the command line; they win."""
    overrides = dict(overrides or {})
    if root is None:
        if not is_project(Path.cwd()):
            raise ConfigError(
                f"this folder is not an edition: {Path.cwd()} has no teikit.toml, no "
                "[tool.teikit] table in a pyproject.toml and no tei/ folder",
                hint="pass the edition's folder (teikit build PATH), start one with "
                     "teikit init DIR, or build the bundled example edition with "
                     "teikit build --flagship")
        root = Path.cwd()
    root = Path(root).resolve()
    if not root.exists():
        raise ConfigError(f"no such folder: {root}", hint="pass the folder of an edition")
    if root.is_file():
        raise ConfigError(f"{root} is a file; pass the edition's folder",
                          hint="to check single files use: teikit validate FILE")
    settings, source = read_settings(root)
    _check_paths(root, settings, source or root)
    settings.update({k: v for k, v in overrides.items() if v is not None})
    return _make_project(root, settings, source)


def load_flagship(overrides: dict[str, Any] | None = None) -> Project:
    """The bundled flagship edition, to be built into ``./output`` of the current folder (not
    beside its sources, which may be inside an installed package)."""
    overrides = {"output": str(Path.cwd() / "output"), **(overrides or {})}
    return load_project(bundled_edition(), overrides)


def _check_paths(root: Path, s: dict[str, Any], where: Path) -> None:
    """The settings file may not send the build outside the project: ``output`` must resolve
    (symlinks followed) inside it, ``sources`` must be a relative pattern. A folder elsewhere
    can still be named explicitly on the command line (``teikit build -o DIR``)."""
    out = s.get("output")
    if isinstance(out, str) and out.strip():
        target = (root / out).resolve()
        if not target.is_relative_to(root):
            raise ConfigError(f"setting 'output': {out!r} is outside the project folder "
                              f"({target})", path=where,
                              hint="use a folder inside the project, or pass -o DIR to "
                                   "teikit build to write elsewhere")
    src = s.get("sources")
    if isinstance(src, str) and (Path(src).is_absolute() or ".." in Path(src).parts):
        raise ConfigError(f"setting 'sources': {src!r} leads outside the project folder",
                          path=where,
                          hint="give a pattern inside the project folder, e.g. 'tei/**/*.xml' "
                               "(copy the files kept elsewhere into the project)")


def read_settings(root: Path) -> tuple[dict[str, Any], Path | None]:
    """The raw settings table of the project at ``root`` and the file it came from."""
    toml = root / "teikit.toml"
    if toml.is_file():
        data = read_toml(toml)
        table = _table(data, toml)
        return dict(data if table is None else table), toml
    table = _pyproject_table(root / "pyproject.toml")
    if table is not None:
        return dict(table), root / "pyproject.toml"
    return {}, None


def _table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """The ``[tool.teikit]`` table of a TOML file, or None; a ``tool`` or ``tool.teikit`` that
    is not a table is an error (``[tool] teikit = 5``)."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(f"'tool' must be a table, not {type(tool).__name__} {tool!r}",
                          path=path, hint="settings go in a [tool.teikit] table")
    table = tool.get("teikit")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"'tool.teikit' must be a table of settings, not "
                          f"{type(table).__name__} {table!r}", path=path,
                          hint="write the settings under a [tool.teikit] heading")
    return table


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    return _table(read_toml(path), path)


def _make_project(root: Path, s: dict[str, Any], source: Path | None) -> Project:
    where = source or root

    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"setting '{key}': {why}", path=where,
                           hint=f"'{key}': {KEYS[key][0]}")

    for key in s:
        if key not in KEYS:
            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean '{near[0]}'?" if near else "known settings: " + ", ".join(KEYS)
            raise ConfigError(f"unknown setting '{key}'", path=where, hint=hint)

    p = Project(root=root, config_file=source)
    for key in ("title", "reading", "paper", "sources", "output", "language", "base_url",
                "editor", "edition_id", "licence"):
        if key in s:
            if not isinstance(s[key], str) or (key not in ("base_url", "editor", "edition_id")
                                               and not s[key].strip()):
                raise bad(key, f"expected a non-empty string, got {s[key]!r}")
            setattr(p, key, s[key])
    if p.reading not in READINGS:
        raise bad("reading", f"expected one of {', '.join(READINGS)}, got {p.reading!r}")
    if p.paper.lower() not in PAPERS:
        raise bad("paper", f"expected one of {', '.join(PAPERS)}, got {p.paper!r}")
    p.paper = p.paper.lower()
    if "formats" in s:
        fmts = s["formats"]
        if isinstance(fmts, str):
            fmts = [f.strip() for f in fmts.split(",") if f.strip()]
        if not isinstance(fmts, list) or not fmts:
            raise bad("formats", "expected a list such as [\"html\", \"text\"]")
        unknown = [f for f in fmts if f not in FORMATS]
        if unknown:
            raise bad("formats", f"unknown format {unknown[0]!r}; known: {', '.join(FORMATS)}")
        p.formats = list(dict.fromkeys(fmts))
    if p.edition_id:
        try:
            uuid.UUID(p.edition_id)
        except ValueError:
            raise bad("edition_id", f"expected a UUID such as "
                      f"\"{uuid.uuid4()}\", got {p.edition_id!r}") from None
    if p.base_url and not re.match(r"^https?://[^/\s]+", p.base_url):
        raise bad("base_url", f"expected an http(s) address, got {p.base_url!r}")
    if not re.match(r"^https?://\S+$", p.licence):
        raise bad("licence", f"expected the address of a licence, got {p.licence!r}")
    if "languages" in s:
        langs = s["languages"]
        if not isinstance(langs, list) or not langs or not all(
                isinstance(x, str) and x.strip() for x in langs):
            raise bad("languages", "expected a list of language tags such as [\"de\", \"en\"]")
        p.languages = [x.strip() for x in langs]
    if "strings" in s:
        if not isinstance(s["strings"], dict):
            raise bad("strings", "expected a table such as {\"nav.persons\" = \"People\"}")
        p.strings = s["strings"]
    folder = paths.i18n_dir(p)
    if folder.is_dir():
        p.i18n_files = {f.stem.lower(): f for f in sorted(folder.glob("*.toml"))}
    for key in ("validate", "strict", "registers_unmentioned", "registers_pdf",
                "facsimile_fetch", "facsimile_plates"):
        if key in s:
            if not isinstance(s[key], bool):
                raise bad(key, f"expected true or false, got {s[key]!r}")
            setattr(p, key, s[key])
    if "rules" in s:
        table = s["rules"]
        if not isinstance(table, dict):
            raise bad("rules", 'expected a table such as {mention-untagged = "off"}')
        for rule, level in table.items():
            if level not in RULE_LEVELS:
                raise bad("rules", f"{rule}: expected one of {', '.join(RULE_LEVELS)}, got "
                          f"{level!r}")
        p.rules = dict(table)
    if "report" in s:
        if s["report"] not in REPORTS:
            raise bad("report", f"expected one of {', '.join(REPORTS)}, got {s['report']!r}")
        p.report = s["report"]
    if "scheduler" in s:
        if not isinstance(s["scheduler"], str) or "://" not in s["scheduler"]:
            raise bad("scheduler", f"expected an address such as \"tcp://host:8786\", got "
                      f"{s['scheduler']!r}")
        p.scheduler = s["scheduler"]
    if "tei_release" in s:
        if not isinstance(s["tei_release"], str) or not re.fullmatch(r"[\w.\-]+",
                                                                     s["tei_release"]):
            raise bad("tei_release", f"expected a release such as \"4.3.0\", got "
                      f"{s['tei_release']!r}")
        p.tei_release = s["tei_release"]
    if "facsimile_tiles" in s:
        if s["facsimile_tiles"] not in TILES:
            raise bad("facsimile_tiles", f"expected one of {', '.join(TILES)}, got "
                      f"{s['facsimile_tiles']!r}")
        p.facsimile_tiles = s["facsimile_tiles"]
    if "facsimile_url" in s:
        p.facsimile_url = _url_pattern(s["facsimile_url"], bad)
    if "base_witness" in s:
        value = s["base_witness"]
        if not isinstance(value, str) or not re.fullmatch(r"#?[\w.\-]*", value.strip()):
            raise bad("base_witness", f"expected the xml:id of a witness, got {value!r}")
        p.base_witness = value.strip().lstrip("#")
    if "witness_texts" in s:
        value = s["witness_texts"]
        if isinstance(value, list) and all(isinstance(v, str) and re.fullmatch(
                r"#?[\w.\-]+", v.strip()) for v in value):
            p.witness_texts = [v.strip().lstrip("#") for v in value]
        elif isinstance(value, bool):
            p.witness_texts = value
        else:
            raise bad("witness_texts", "expected true, false or a list of witness ids such as "
                      f"[\"A\", \"B\"], got {value!r}")
    if s.get("schema"):
        if not isinstance(s["schema"], str):
            raise bad("schema", "expected the path of a .rng or .odd file")
        p.schema = _existing(root, s["schema"], "schema", where)
    if "schematron" in s:
        items = s["schematron"]
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise bad("schematron", "expected a list of .sch paths")
        p.schematron = [_existing(root, i, "schematron", where) for i in items]
    if "stylesheets" in s:
        table = s["stylesheets"]
        if not isinstance(table, dict):
            raise bad("stylesheets", "expected a table such as {html = \"my-html.xsl\"}")
        for name, value in table.items():
            if name not in LAYERS:
                raise bad("stylesheets", f"unknown layer {name!r}; known: "
                          + ", ".join(LAYERS))
            if not isinstance(value, str):
                raise bad("stylesheets", f"{name}: expected a path")
            p.stylesheets[name] = _existing(root, value, "stylesheets", where)
    out = (root / p.output).resolve()
    if out == root or root.is_relative_to(out):
        raise bad("output", "the output folder must be a sub-folder, not the project itself")
    return p


def _url_pattern(value: Any, bad) -> str:
    """``facsimile_url``: empty, or an http(s) address holding ``{facs}`` once or more."""
    if not isinstance(value, str):
        raise bad("facsimile_url", f"expected a string, got {value!r}")
    value = value.strip()
    if value and (not re.match(r"https?://[^/\s]", value) or "{facs}" not in value
                  or re.search(r"[\s\"<>\\]", value)):
        raise bad("facsimile_url", f"expected an http(s) address with {{facs}} where the "
                  f"identifier goes, e.g. \"https://iiif.example.org/{{facs}}/info.json\"; "
                  f"got {value!r}")
    return value


def _existing(root: Path, value: str, key: str, where: Path) -> Path:
    """A file the settings name: it must exist inside the project folder (symlinks
    followed; see :mod:`toolkit.project.confine`)."""
    path = root / value
    why = confine.Area("the project folder", (confine.real(root),)).file_problem(path)
    if why is not None and why.startswith("cannot be read"):
        raise ConfigError(f"setting '{key}': file not found: {value}", path=where,
                          hint="paths are relative to the project folder")
    if why is not None:
        raise ConfigError(f"setting '{key}': {value!r} refused: it {why}", path=where,
                          hint="keep the edition's stylesheets, rules and schemas inside its "
                               "folder")
    return confine.real(path)
