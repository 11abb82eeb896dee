"""RELAX NG grammars: reading and specialising (:mod:`grammar`), simplifying (:mod:`simplify`)
and compiling them with libxml2, safely and once (:mod:`compile`)."""
