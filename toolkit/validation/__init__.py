"""Validate: every check of a TEI document, as diagnostics an editor can act on.

:func:`validate` (files and folders) and :func:`validate_document` (one loaded document) are in
:mod:`~toolkit.validation.checks`; the checks themselves are RELAX NG (:mod:`relaxng`, the
grammars in :mod:`rng`, the explanations in :mod:`explain`), Schematron (:mod:`schematron`, the
toolkit's own rules in ``rules/``) and reference integrity (:mod:`integrity`, against the
edition's id index, :mod:`index`). :mod:`schema` installs and finds the TEI schemas.
"""

from toolkit.validation.checks import schema_for, validate, validate_document
from toolkit.validation.index import IdIndex

__all__ = ["IdIndex", "schema_for", "validate", "validate_document"]
