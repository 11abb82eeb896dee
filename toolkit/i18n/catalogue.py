"""The string catalogues: one TOML file per language in ``catalogues/``, English the reference,
and the project's own strings over them.

A language's strings are English, overlaid key by key by the toolkit's catalogue of the language
(``de.toml`` also serves ``de-CH``), then by the project's file for it (``i18n/de.toml`` in the
edition's folder, which may also bring a language of its own), then, for the edition's main
interface language, by the ``[strings]`` table of its configuration. A project's key must be one
of ours (a typo would silently change nothing) or begin with ``project.`` (strings for the
project's own stylesheets and scripts), and may only use the placeholders ours has.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import ConfigError, ToolkitError, read_toml

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from toolkit.project.config import Project

#: the toolkit's catalogues, one ``<language>.toml`` each
CATALOGUES = Path(__file__).resolve().parent / "catalogues"
#: the catalogue every other follows, and the fallback of a key a language lacks
REFERENCE = "en"
#: keys a project may add for its own stylesheets and scripts
OWN_PREFIX = "project."
#: the CLDR plural categories a plural key may have a form for
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` of a string."""
    return set(_PLACEHOLDER.findall(text))


def primary(tag: str) -> str:
    """The primary language subtag: ``de`` of ``de-CH``."""
    return tag.replace("_", "-").split("-")[0].lower()


def builtin_languages() -> tuple[str, ...]:
    """The languages the toolkit has a catalogue of, English first."""
    names = sorted(p.stem for p in CATALOGUES.glob("*.toml"))
    return (REFERENCE, *(n for n in names if n != REFERENCE))


@cache
def builtin(language: str) -> Mapping[str, str]:
    """The toolkit's own catalogue of a language (primary subtag), or an empty one."""
    path = CATALOGUES / f"{primary(language)}.toml"
    if not path.is_file() and language == REFERENCE:
        raise ToolkitError("the toolkit's interface strings are missing from this installation",
                           path=path, hint="reinstall teikit")
    return read_strings(path) if path.is_file() else {}


def read_strings(path: Path) -> dict[str, str]:
    """The strings of a catalogue file, keys flattened (``nav.skip``)."""
    return flatten(read_toml(path), path)


def flatten(table: Mapping[str, Any], where: Path | str, prefix: str = "") -> dict[str, str]:
    """A nested TOML table as dotted keys; a value that is no string is an error."""
    out: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(flatten(value, where, f"{prefix}{key}."))
        elif isinstance(value, str):
            out[prefix + key] = value
        else:
            raise ConfigError(f"string '{prefix}{key}': expected text in quotes, got "
                              f"{value!r}", path=where)
    return out


def check(strings: Mapping[str, str], where: Path | str) -> None:
    """A project's strings: every key one of ours (or ``project.…``), no placeholder ours
    lacks."""
    reference = builtin(REFERENCE)
    for key, value in strings.items():
        if key.startswith(OWN_PREFIX):
            continue
        known = _reference_form(key, reference)
        if known is None:
            near = difflib.get_close_matches(key, reference, n=1)
            hint = (f"did you mean '{near[0]}'?" if near else
                    f"keys are those of {CATALOGUES / 'en.toml'}; strings of your own begin "
                    f"with '{OWN_PREFIX}'")
            raise ConfigError(f"unknown string '{key}'", path=where, hint=hint)
        extra = placeholders(value) - placeholders(known)
        if extra:
            allowed = ", ".join("{" + p + "}" for p in sorted(placeholders(known))) or "none"
            raise ConfigError(f"string '{key}': unknown placeholder "
                              f"{{{sorted(extra)[0]}}}", path=where,
                              hint=f"this string's placeholders: {allowed}")


def _reference_form(key: str, reference: Mapping[str, str]) -> str | None:
    """English's string for a key, or for another plural form of it (``.few`` of a key with
    ``.one`` and ``.other``); None for a key that is not ours."""
    if key in reference:
        return reference[key]
    base, _, form = key.rpartition(".")
    if form in PLURAL_FORMS and f"{base}.other" in reference:
        return reference[f"{base}.other"]
    return None


def project_layers(language: str, project: Project | None,
                   main: bool = True) -> list[tuple[Path | str, dict[str, str]]]:
    """The project's strings for ``language``, weakest first, each with where it is from:
    its file of the primary language, of the full tag, and (``main``: for its main interface
    language) its ``[strings]`` table."""
    if project is None:
        return []
    layers: list[tuple[Path | str, dict[str, str]]] = []
    tags = [primary(language)]
    if language.lower() != tags[0]:
        tags.append(language)
    for tag in tags:
        path = project.i18n_files.get(tag.lower())
        if path is not None:
            layers.append((path, read_strings(path)))
    if project.strings and main:
        where = project.config_file or project.root
        layers.append((where, flatten(project.strings, where)))
    for where, strings in layers:
        check(strings, where)
    return layers


def catalogue(language: str, project: Project | None = None,
              main: bool = True) -> dict[str, str]:
    """Every string of ``language`` (a BCP 47 tag): English, then ours for the language,
    then the project's (its ``[strings]`` table only for its ``main`` language)."""
    strings = dict(builtin(REFERENCE))
    strings.update(builtin(language))
    for _where, layer in project_layers(language, project, main):
        strings.update(layer)
    return strings


def has_catalogue(language: str, project: Project | None = None) -> bool:
    """Whether the toolkit or the project has strings for ``language``."""
    if primary(language) in builtin_languages():
        return True
    files = project.i18n_files if project is not None else {}
    return primary(language) in files or language.lower() in files


def own_name(language: str, project: Project | None = None) -> str | None:
    """The language's name in itself, as its catalogue says it (``meta.name``), or None
    when its catalogue does not say (a project's language without it)."""
    strings: dict[str, str] = dict(builtin(language))
    for _where, layer in project_layers(language, project, main=False):
        strings.update(layer)
    return strings.get("meta.name")
