"""What the project's own code may do: its stylesheets (overlays in ``xslt/``, overrides named
by ``stylesheets``) and its Schematron files run inside the build, so a project received from
someone else must not be able to use them to read files, the environment or the network, or to
write anywhere.

Saxon has no hook to confine the files a stylesheet reads (saxonche offers no URI resolver),
so what a stylesheet could read with is checked here, before anything is compiled:
:func:`check_stylesheet` and :func:`check_schematron` refuse the functions and instructions
that read or write resources or run code given as a string (also at compile time: in
``use-when``, static parameters, shadow attributes), calls into Saxon's, Java's or EXPath's
extension namespaces, and imports or includes of files outside the allowed area
(:mod:`toolkit.project.confine`). Besides, :mod:`toolkit.transform` hands the stylesheets the
documents they need as parameters, captures ``xsl:result-document``, allows no protocol but
``file:`` and starts Saxon without the environment. The check reads every XPath expression of the
file, with its comments and string literals set aside, so a name inside a string or comment is
not taken for a call; it is conservative: an expression it cannot tell about is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from toolkit.errors import InputError
from toolkit.load.source import base_url, safe_parser
from toolkit.project.confine import Area
from toolkit.tei import SCH_NS, XSL_NS

FN_NS = "http://www.w3.org/2005/xpath-functions"
#: functions that read files, folders, the network or the environment, or run code given as
#: a string; refused in a project's stylesheets and Schematron
FORBIDDEN_FUNCTIONS = frozenset({
    "doc", "document", "doc-available", "unparsed-text", "unparsed-text-lines",
    "unparsed-text-available", "json-doc", "collection", "uri-collection",
    "environment-variable", "available-environment-variables", "transform",
    "load-xquery-module", "function-lookup",
})
#: XSLT instructions that read or write documents, or evaluate a string as XPath
FORBIDDEN_INSTRUCTIONS = frozenset({"evaluate", "source-document", "stream", "import-schema",
                                    "use-package", "merge-source"})
#: namespaces of extension functions (Saxon's, Java and .NET calls)
_EXTENSION = re.compile(r"^(http://saxon\.sf\.net/|java:|clitype:|http://expath\.org/ns/)")
_INCLUDES = {f"{{{XSL_NS}}}import", f"{{{XSL_NS}}}include"}

_COMMENT = re.compile(r"\(:(?:(?!\(:|:\)).)*:\)", re.S)
_STRING = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
_CALL = re.compile(r"(?<![\w.\-:}$])(?:(?P<prefix>[A-Za-z_][\w.\-]*):|Q\{(?P<uri>[^}]*)\})?"
                   r"(?P<name>[A-Za-z_][\w.\-]*)\s*(?P<how>\(|#\s*\d)")


def _calls(expr: str) -> list[tuple[str | None, str | None, str]]:
    """(prefix, namespace URI, local name) of every function call or named function reference
    in ``expr``, comments and string literals set aside."""
    text = expr
    for _ in range(20):  # comments may nest: remove the innermost first
        stripped = _COMMENT.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = _STRING.sub("''", text)
    return [(m.group("prefix"), m.group("uri"), m.group("name")) for m in _CALL.finditer(text)]


def _expression_problem(expr: str, nsmap: dict) -> str | None:
    for prefix, uri, name in _calls(expr):
        ns = uri if uri is not None else (nsmap.get(prefix) if prefix else FN_NS)
        if ns is None and prefix in ("fn",):
            ns = FN_NS
        if ns == FN_NS and name in FORBIDDEN_FUNCTIONS:
            return f"calls {name}(), which reads files, the environment or runs other code"
        if ns is not None and _EXTENSION.match(ns):
            return f"calls the extension function {prefix or 'Q{' + ns + '}'}:{name}()"
    return None


def _problems(root: etree._Element, path: Path, area: Area, schematron: bool,
              imports: list[Path]) -> list[str]:
    out = []

    def say(el: etree._Element, what: str) -> None:
        out.append(f"{path}:{el.sourceline or 1}: {what}")

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ns, _, local = el.tag[1:].partition("}") if el.tag.startswith("{") else ("", "", el.tag)
        is_xsl, is_sch = ns == XSL_NS, ns == SCH_NS
        if is_xsl and local in FORBIDDEN_INSTRUCTIONS:
            say(el, f"xsl:{local} reads documents or evaluates strings as code")
        if is_xsl and local == "result-document" and (el.get("href") or el.get("_href")):
            say(el, "xsl:result-document writes a file of its own (a stylesheet writes only "
                    "its output)")
        if el.tag in _INCLUDES or (is_sch and local in ("include", "extends") and el.get("href")):
            href = el.get("href", "")
            target = _local(href, path)
            if el.get("_href") is not None or target is None:
                say(el, f"{'xsl' if is_xsl else 'sch'}:{local} of '{href}' refused: only "
                        "files named by a relative path or a file: URI are imported")
            else:
                why = area.file_problem(target)
                if why is not None:
                    say(el, f"{'xsl' if is_xsl else 'sch'}:{local} of '{href}' refused: the "
                            f"file {why}")
                else:
                    imports.append(target)
        for name, value in el.attrib.items():
            if name.startswith("{"):
                attr_ns = name[1:].partition("}")[0]
                if attr_ns == XSL_NS:  # xsl:use-when on a literal result element
                    why = _expression_problem(value, el.nsmap)
                    if why is not None:
                        say(el, f"@{name} {why}")
                continue
            # Expressions: every attribute of XSLT and Schematron elements (names and modes
            # never look like calls); elsewhere attribute value templates, with braces.
            if is_xsl or is_sch or "{" in value:
                why = _expression_problem(value, el.nsmap)
                if why is not None:
                    say(el, f"@{name} {why}")
        if not schematron or is_xsl:
            for text in (el.text,):
                if text and "{" in text:  # a text value template
                    why = _expression_problem(text, el.nsmap)
                    if why is not None:
                        say(el, f"a text value template {why}")
        if _EXTENSION.match(ns):
            say(el, f"uses the extension instruction {el.tag}")
    return out


def _local(href: str, base: Path) -> Path | None:
    """The local file ``href`` names (relative to ``base``'s folder, or a file: URI), or None
    for anything else (a network address)."""
    url = urlparse(href)
    if url.scheme == "file":
        return Path(unquote(url.path))
    if url.scheme and len(url.scheme) > 1:
        return None
    return base.parent / unquote(url.path) if href else None


def _read(path: Path) -> etree._Element:
    try:
        return etree.fromstring(path.read_bytes(), safe_parser(), base_url=base_url(path))
    except (etree.XMLSyntaxError, OSError) as exc:
        raise InputError(f"cannot be read as XML: {exc}", path=path) from None


def check_stylesheet(paths: list[Path], area: Area,
                     trusted: Callable[[Path], bool] | None = None) -> None:
    """Check the project's stylesheet files ``paths`` and every file they import or include
    (inside ``area``; files ``trusted`` says are the toolkit's own are not checked).
    Raises :class:`~toolkit.errors.InputError` listing what is refused."""
    seen: set[Path] = set()
    todo = [Path(p) for p in paths]
    problems: list[str] = []
    while todo:
        path = todo.pop()
        if path in seen or (trusted is not None and trusted(path)):
            continue
        seen.add(path)
        if len(seen) > 500:
            problems.append(f"{path}: more than 500 stylesheet files import each other")
            break
        imports: list[Path] = []
        problems += _problems(_read(path), path, area, False, imports)
        todo += imports
    _raise(problems, "stylesheet")


def check_schematron(root: etree._Element, label: str, area: Area) -> None:
    """Check a Schematron schema (its includes already expanded)."""
    _raise(_problems(root, Path(label), area, True, []), "Schematron")


def _raise(problems: list[str], what: str) -> None:
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise InputError(f"the project's {what} is refused: " + "; ".join(problems[:5]) + more,
                         hint="a project's stylesheets and rules may not read files or the "
                              "environment, nor write files: the build gives them the "
                              "documents they need (see the README's Security section)")
