"""Transform stage: run the XSLT 3.0 stylesheets with saxonche.

Our stylesheets live in ``xslt/`` (a common layer and one folder per output). A project can
replace single stylesheet files by putting files with the same relative path in its own
``xslt/`` folder (an overlay), and override single templates with ``stylesheets = {html = ...}``
in its configuration: that file is imported after ours, so its templates win by import
precedence. Compiled stylesheets are cached per process; saxonche is never touched before a
transformation is needed, so worker processes each start their own Saxon.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from lxml import etree

from toolkit.config import Project
from toolkit.errors import TransformError

#: output -> stylesheet path relative to the xslt folder
ENTRY_POINTS = {
    "html": "html/html.xsl",
    "text": "text/text.xsl",
    "print": "print/print.xsl",
}
_LAYER_OF = {"html": "html", "text": "text", "print": "print"}

_processor = None
_compiled: dict[tuple[str, str], Any] = {}


def xslt_dir() -> Path:
    """Our stylesheets: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "xslt", here.parent / "xslt"):
        if (candidate / "common").is_dir():
            return candidate
    raise TransformError("the toolkit's stylesheets are missing from this installation",
                         hint="reinstall teikit")


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".xsl", ".xslt",
                                                                                ".css", ".js"))


def fingerprint(project: Project | None) -> str:
    """A hash of every stylesheet that can affect the output of ``project``."""
    h = hashlib.sha256()
    roots = [xslt_dir()]
    if project is not None:
        overlay = project.root / "xslt"
        if overlay.is_dir() and overlay.resolve() != roots[0]:
            roots.append(overlay)
    for root in roots:
        for f in _files_under(root):
            h.update(str(f.relative_to(root)).encode())
            h.update(f.read_bytes())
    if project is not None:
        for layer, path in sorted(project.stylesheets.items()):
            h.update(layer.encode())
            h.update(Path(path).read_bytes())
    return h.hexdigest()


def _stylesheet_root(project: Project | None) -> Path:
    """Our xslt folder, or a copy overlaid with the project's own ``xslt/`` files."""
    ours = xslt_dir()
    if project is None:
        return ours
    overlay = project.root / "xslt"
    if not overlay.is_dir() or overlay.resolve() == ours:
        return ours
    target = project.root / ".teikit-cache" / "xslt" / fingerprint(project)[:16]
    if not target.is_dir():
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(ours, tmp)
        shutil.copytree(overlay, tmp, dirs_exist_ok=True)
        tmp.rename(target)
    return target


def _entry(project: Project | None, output: str) -> Path:
    root = _stylesheet_root(project)
    main = root / ENTRY_POINTS[output]
    layer = _LAYER_OF[output]
    overrides = []
    if project is not None:
        for name in ("common", layer):
            if name in project.stylesheets:
                overrides.append(project.stylesheets[name])
    if not overrides:
        return main
    # A driver that imports ours first and the project's overrides after: theirs win.
    driver_dir = project.root / ".teikit-cache" / "drivers"
    driver_dir.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256("|".join(map(str, [main, *overrides])).encode()).hexdigest()[:16]
    driver = driver_dir / f"{output}-{key}.xsl"
    imports = "".join(f'  <xsl:import href="{Path(p).resolve().as_uri()}"/>\n'
                      for p in [main, *overrides])
    driver.write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n'
        f"{imports}</xsl:stylesheet>\n", encoding="utf-8")
    return driver


def _saxon():
    global _processor
    if _processor is None:
        from saxonche import PySaxonProcessor

        _processor = PySaxonProcessor(license=False)
    return _processor


def _executable(project: Project | None, output: str):
    path = _entry(project, output)
    key = (str(path), fingerprint(project) if project is not None else "")
    exe = _compiled.get(key)
    if exe is None:
        proc = _saxon()
        xslt = proc.new_xslt30_processor()
        try:
            exe = xslt.compile_stylesheet(stylesheet_file=str(path))
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise TransformError(f"stylesheet does not compile: {exc}", path=path,
                                 hint="fix the stylesheet or remove the override") from None
        if exe is None:
            raise TransformError("stylesheet does not compile", path=path)
        _compiled[key] = exe
    return exe


def _value(proc, value: Any):
    if isinstance(value, bool):
        return proc.make_boolean_value(value)
    if isinstance(value, int):
        return proc.make_integer_value(value)
    return proc.make_string_value(str(value))


def render(
    tree: etree._ElementTree | etree._Element,
    output: str,
    params: dict[str, Any] | None = None,
    project: Project | None = None,
    source_path: Path | None = None,
) -> str:
    """Run the ``output`` stylesheet (html, text or print) on a parsed document."""
    proc = _saxon()
    exe = _executable(project, output)
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    # Serialise the element only: no DOCTYPE, so Saxon never looks for a DTD.
    xml = etree.tostring(root, encoding="unicode")
    try:
        node = proc.parse_xml(xml_text=xml)
    except Exception as exc:
        raise TransformError(f"cannot hand the document to Saxon: {exc}",
                             path=source_path) from None
    exe.clear_parameters()
    for name, value in (params or {}).items():
        exe.set_parameter(name, _value(proc, value))
    try:
        result = exe.transform_to_string(xdm_node=node)
    except Exception as exc:
        raise TransformError(f"{output} transformation failed: {exc}", path=source_path,
                             hint="run with --debug for details") from None
    if result is None:
        raise TransformError(f"{output} transformation produced nothing", path=source_path)
    return result


def render_text(path: Path, variant: str = "reading", project: Project | None = None,
                **params: Any) -> str:
    """The plain-text edition of one file: ``variant`` is "diplomatic" or "reading"."""
    from toolkit.load import load

    doc, diags = load(Path(path))
    if doc is None:
        raise TransformError(diags[0].message, path=path, line=diags[0].line,
                             column=diags[0].column)
    return render(doc.tree, "text", {"variant": variant, **params}, project, Path(path))
