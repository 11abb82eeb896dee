"""Build: an edition's documents through load → validate → transform → write, incrementally and
in parallel, into a staging folder swapped in whole (:func:`build`, in :mod:`.edition`)."""

from toolkit.builder.edition import build, doc_name
from toolkit.builder.options import BuildOptions, BuildReport

__all__ = ["BuildOptions", "BuildReport", "build", "doc_name"]
