"""The output formats, stated once: what each is called, which folder of the output it fills,
which stylesheet layer renders it, and which function writes one document's output of it;
and the stylesheet parameters every format is given.

The writers are named rather than imported (``"toolkit.html.page:write_document"``): this
registry sits below the configuration, which checks format names against it, and above it sit
the writers, which need the configuration. :meth:`Format.writer` imports the function when a
build first asks for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import i18n

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from toolkit.diagnostics import Diagnostic
    from toolkit.load.source import Document
    from toolkit.project.config import Project


@dataclass(frozen=True)
class Format:
    """One output format of the build."""

    name: str  # as in the configuration and on the command line
    folder: str  # the output folder it fills (output/<folder>/)
    layer: str  # the xslt/ folder that renders it (besides common/)
    write: str  # "module:function" writing one document's output: ``function(job: Job)``
    description: str
    activity: str  # what a progress display says while a document's output is made
    #: "module:function" run with the job once the TEI tree is released (for work on the
    #: written output that needs memory, such as the search blocks of a large page)
    after: str | None = None

    def writer(self) -> Callable[[Job], None]:
        """The function that writes one document's output of this format."""
        return _resolve(self.write)

    def finisher(self) -> Callable[[Job], None] | None:
        """The function to run once the TEI tree is released, if any."""
        return _resolve(self.after) if self.after else None


def _resolve(name: str) -> Callable[[Job], None]:
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


@dataclass
class Job:
    """One document's output of one format, as its writer sees it."""

    project: Project
    path: Path  # the TEI source
    name: str  # the output name (``<name>.html``, ``<name>.txt``, ...)
    doc: Document | None  # the loaded document (None once released, for ``after``)
    params: dict[str, Any]  # the build's stylesheet parameters
    folder: Path  # where this format's files of the document go
    facts: dict[str, Any]  # what the edition-wide pages learn about the document
    #: warnings of writing the output (an image not published, a page image not found),
    #: reported with the document
    diagnostics: list[Diagnostic] = field(default_factory=list)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", "html", "html", "toolkit.html.page:write_document",
           "static web edition: a page per document, registers, search", "page",
           after="toolkit.html.search:write_document_blocks"),
    Format("text", "text", "text", "toolkit.text.edition:write_document",
           "plain-text editions: the reading text and the diplomatic text", "text editions"),
    Format("pdf", "pdf", "print", "toolkit.print.pdf:write_document",
           "print edition: one PDF per document", "PDF"),
)}
NAMES = tuple(FORMATS)
#: the stylesheet layers: the common one, and those the formats render with
LAYERS = ("common", *dict.fromkeys(f.layer for f in FORMATS.values()))


def stylesheet_params(project: Project, formats: list[str], build_date: str) -> dict[str, Any]:
    """The parameters every stylesheet of a build is given (``xslt/common/params.xsl`` and
    ``xslt/html/html-params.xsl`` declare them). Per-document ones (``source-name``,
    ``documents``, ``variant``, ``page``, ``facsimile``) are added by the writers, a
    document's datings by the transformation (:func:`toolkit.i18n.document_values`).

    The interface (:func:`toolkit.i18n.stylesheet_values`): ``site-title`` (the configured
    title, else the language's word for an edition), ``language`` (the main interface
    language), ``strings`` (its catalogue, with the project's strings), ``locale`` (its plural
    rule and digit grouping), ``dates`` (the build date in words), ``languages`` (all
    interface languages)."""
    return {
        "reading": project.reading,
        "build-date": build_date,
        "base-url": project.base_url,
        "formats": ",".join(formats),
        "paper": project.paper,
        "base-witness": project.base_witness,
        "witness-texts": ("all" if project.witness_texts is True
                          else ",".join(project.witness_texts or [])),
        **i18n.stylesheet_values(project, build_date),
    }


@dataclass(frozen=True)
class PageSet:
    """The web edition in one interface language: its pages' folder below ``html/`` ('' for
    the main language, else the language's tag) and its stylesheet parameters."""

    language: str
    folder: str
    params: dict[str, Any]


def page_sets(project: Project | None, params: dict[str, Any]) -> list[PageSet]:
    """The page sets of the web edition, the main language's first: one for each interface
    language of ``params`` (the build's :func:`stylesheet_params`). The pages of another
    language are in ``html/<tag>/`` and reach the shared files (assets, TEI sources, images)
    through ``site-root`` (``../``)."""
    build_date = str(params.get("build-date") or "")
    if "strings" not in params:  # parameters made by hand (tests): the language's interface
        params = {**params, **i18n.language_values(project, str(params.get("language") or "en"),
                                                   build_date)}
    languages = [t for t in str(params.get("languages") or "").split(",") if t]
    main = params["language"]
    sets = [PageSet(main, "", {**params, "site-root": ""})]
    for tag in languages[1:]:
        values = i18n.language_values(project, tag, build_date, main=False)
        sets.append(PageSet(values["language"], values["language"],
                            {**params, **values, "site-root": "../"}))
    return sets
