"""CLDR plural rules for counts, as the stylesheets use them: an XPath expression over an
integer ``$n`` that gives the category (``'one'``, ``'few'``, ``'many'``, ``'other'`` …), made
from Babel's rule for the language, so that a register's "1 Eintrag / 2 Einträge" follows the
same rule in XSLT as in Python (Babel) and in the browser (``Intl.PluralRules``).

For an integer the CLDR operands are i = n and v = w = f = t = e = c = 0, so every rule becomes
a little arithmetic on ``$n``; conditions on the zero operands are decided here and dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from babel import Locale

#: operands that are 0 for an integer
_ZERO = {"v", "w", "f", "t", "e", "c"}


def _xpath(node) -> str | bool:
    """XPath for a node of Babel's rule, or True/False where integers decide it already."""
    op, args = node
    if op in ("n", "i"):
        return "$n"
    if op in _ZERO:
        return "0"
    if op == "value":
        return str(args[0])
    if op == "mod":
        return f"{_xpath(args[0])} mod {_xpath(args[1])}"
    if op == "not":
        inner = _xpath(args[0])
        return (not inner) if isinstance(inner, bool) else f"not({inner})"
    if op in ("and", "or"):
        a, b = _xpath(args[0]), _xpath(args[1])
        if isinstance(a, bool) or isinstance(b, bool):
            known, other = (a, b) if isinstance(a, bool) else (b, a)
            if op == "and":
                return other if known else False
            return True if known else other
        return f"({a}) {op} ({b})"
    if op == "relation":
        _method, expr, (_, ranges) = args
        e = _xpath(expr)
        tests: list[str | bool] = []
        for lo, hi in ranges:
            lo, hi = int(_xpath(lo)), int(_xpath(hi))
            if e == "0":
                tests.append(lo <= 0 <= hi)
            else:
                tests.append(f"{e} = {lo}" if lo == hi else f"{e} = ({lo} to {hi})")
        if any(t is True for t in tests):
            return True
        kept = [t for t in tests if t is not False]
        return " or ".join(str(t) for t in kept) if kept else False
    raise ValueError(f"unknown operator in a plural rule: {op}")


def plural_xpath(locale: Locale) -> str:
    """The locale's plural rule for counts as an XPath expression over ``$n``."""
    out = "'other'"
    for tag, ast in reversed(locale.plural_form.abstract):
        test = _xpath(ast)
        if test is True:
            out = f"'{tag}'"
        elif test is not False:
            test = re.sub(r"not\(\$n = (\d+)\)", r"$n ne \1", str(test))
            out = f"if ({test}) then '{tag}' else {out}"
    return out

