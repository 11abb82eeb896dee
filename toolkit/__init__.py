"""teikit: validate TEI P5 editions and build web, text and print editions from them.

The package is a library first; :mod:`toolkit.cli` is a thin command line over it. The library's
API is small::

    import toolkit

    project = toolkit.load_project("my-edition")        # teikit.toml or [tool.teikit]
    report = toolkit.build(project)                      # -> BuildReport
    diagnostics = toolkit.validate(["my-edition/tei"])   # -> list[Diagnostic]

The pipeline reads as its folders: :mod:`toolkit.project` (settings and paths),
:mod:`toolkit.load` (parse safely, XInclude), :mod:`toolkit.validation` (RELAX NG, Schematron,
integrity), :mod:`toolkit.transform` (XSLT 3.0 through saxonche), the formats
(:mod:`toolkit.formats`, written by :mod:`toolkit.html`, :mod:`toolkit.text`,
:mod:`toolkit.print`) and :mod:`toolkit.builder` (incremental, parallel, atomic).
"""

__version__ = "0.1.0"

# The API, imported after __version__ (the modules below read it).
from toolkit.builder import BuildOptions, BuildReport, build  # noqa: E402
from toolkit.diagnostics import Diagnostic  # noqa: E402
from toolkit.errors import (  # noqa: E402
    BuildFailed,
    ConfigError,
    InputError,
    SchemaError,
    ToolkitError,
    TransformError,
    ValidationFailed,
)
from toolkit.project import Project, load_project  # noqa: E402
from toolkit.validation import validate, validate_document  # noqa: E402

__all__ = [
    "BuildFailed", "BuildOptions", "BuildReport", "ConfigError", "Diagnostic", "InputError",
    "Project", "SchemaError", "ToolkitError", "TransformError", "ValidationFailed",
    "__version__", "build", "load_project", "validate", "validate_document",
]
