"""teikit: validate TEI P5 editions and build web, text and print editions from them.

The package is a library first; :mod:`toolkit.cli` is a thin command line over it. The pipeline
reads as its modules: :mod:`toolkit.load` (parse safely), :mod:`toolkit.validate` (schema,
Schematron, integrity), :mod:`toolkit.transform` (XSLT 3.0 through saxonche), :mod:`toolkit.build`
(incremental, atomic writes; one document's stages in :mod:`toolkit.document`, run in parallel
by :mod:`toolkit.workers`).
"""

__version__ = "0.1.0"
