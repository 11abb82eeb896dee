"""Transform stage: run the XSLT 3.0 stylesheets with saxonche.

Our stylesheets live in ``xslt/`` (a common layer and one folder per output). A project can
replace single stylesheet files by putting files with the same relative path in its own
``xslt/`` folder (an overlay), and override single templates with ``stylesheets = {html = ...}``
in its configuration: that file is imported after ours, so its templates win by import
precedence. Compiled stylesheets are cached per process; saxonche is never touched before a
transformation is needed, so worker processes each start their own Saxon.

Saxon is confined (:mod:`toolkit.project.confine`, :mod:`toolkit.project.sandbox`): it reads
the stylesheets it compiles, ours and the project's (which must lie in the project folder and
are checked first: they may call no function that reads files or the environment); a running
stylesheet reads no file (the documents a page needs of other files are handed over as a
parameter, a map of the documents the build loaded inside the edition's sources), writes nothing
(``xsl:result-document`` is captured and refused), never reaches the network (no protocol but
``file:``) and never sees the environment (Saxon keeps the environment it found when it
started, and starts with one emptied of everything but the locale).

A document is handed to Saxon as a copy (serialised by lxml, parsed by Saxon). Every output of
one document needs the same copy: :func:`prepare` makes it once (pass it to :func:`render`
instead of the tree), and inside ``with parsed_once(tree):`` every render of that tree (also
those made by other modules, e.g. the site's facts and Schematron) reuses one copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from toolkit import i18n
from toolkit.errors import ToolkitError, TransformError
from toolkit.load import apparatus
from toolkit.load.source import safe_parser
from toolkit.project import confine, paths, sandbox
from toolkit.project.config import Project

#: stylesheet layer -> its entry point, relative to the xslt folder (every layer imports
#: ``common/``; a format of the build names the layer it renders with)
ENTRY_POINTS = {
    "html": "html/html.xsl",
    "text": "text/text.xsl",
    "print": "print/print.xsl",
}

#: files of the stylesheets a layer is given as parameters, read by us from the stylesheets in
#: use (ours or the project's overlay): a running stylesheet reads no file itself
FILE_PARAMS = {
    "print": {"print-css": "print/print.css"},
}

#: stylesheet modules renamed since an earlier release: a project's overlay of the old path
#: still replaces the module (see CHANGELOG.md)
RENAMED = {
    "print/front.xsl": "print/print-front.xsl",
    "print/text.xsl": "print/print-text.xsl",
    "print/index.xsl": "print/print-index.xsl",
}

_processor = None
_compiled: dict[tuple[str, str], Any] = {}


def xslt_dir() -> Path:
    """Our stylesheets: inside the installed package, or beside it in a checkout."""
    found = paths.xslt_dir()
    if found is not None:
        return found
    raise TransformError("the toolkit's stylesheets are missing from this installation",
                         hint="reinstall teikit")


def _files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".xsl", ".xslt",
                                                                                ".css", ".js"))


_fingerprints: dict[tuple, str] = {}


def fingerprint(project: Project | None, layers: list[str] | None = None) -> str:
    """A hash of every stylesheet that can affect the output of ``project``; with ``layers``
    (e.g. ``["text"]``) only of those layers and the common one."""
    roots = [xslt_dir()]
    if project is not None:
        overlay = paths.overlay_dir(project)
        if overlay.is_dir() and overlay.resolve() != roots[0]:
            roots.append(overlay)
    keep = None if layers is None else {"common", *layers}
    files = [(str(f.relative_to(root)), f) for root in roots for f in _files_under(root)
             if keep is None or len(f.relative_to(root).parts) == 1
             or f.relative_to(root).parts[0] in keep]
    if project is not None:
        files += [(layer, Path(path)) for layer, path in sorted(project.stylesheets.items())
                  if keep is None or layer in keep]
    # Called for every render: read the files again only when one's size or time changed.
    stamp = tuple((name, str(f), st.st_mtime_ns, st.st_size)
                  for name, f in files for st in [f.stat()])
    known = _fingerprints.get(stamp)
    if known is None:
        h = hashlib.sha256()
        for name, f in files:
            h.update(name.encode("utf-8", "surrogateescape"))
            h.update(f.read_bytes())
        if len(_fingerprints) > 64:
            _fingerprints.clear()
        known = _fingerprints[stamp] = h.hexdigest()
    return known


def _stylesheet_root(project: Project | None) -> Path:
    """Our xslt folder, or a copy overlaid with the project's own ``xslt/`` files."""
    ours = xslt_dir()
    if project is None:
        return ours
    overlay = paths.overlay_dir(project)
    if not overlay.is_dir() or overlay.resolve() == ours:
        return ours
    target = paths.overlaid_stylesheets(project) / fingerprint(project)[:16]
    if not target.is_dir():
        files = _overlay_files(project)
        # Several processes of one build (workers, the text helper) may get here at once: each
        # copies into a folder of its own, the first rename wins, the others throw theirs away.
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(ours, tmp)
        for f in files:  # each checked: a link out of the project is never copied
            dest = tmp / f.relative_to(overlay)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(confine.real(f), dest)
        for old, new in RENAMED.items():
            if (overlay / old).is_file() and not (overlay / new).is_file():
                shutil.copyfile(overlay / old, tmp / new)
        try:
            tmp.rename(target)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if not target.is_dir():
                raise
    return target


def _overlay_files(project: Project) -> list[Path]:
    """The files of the project's ``xslt/`` overlay, each inside the project folder."""
    overlay = paths.overlay_dir(project)
    area = confine.code(project)
    files = [p for p in sorted(overlay.rglob("*")) if not p.is_dir()]
    for f in files:
        why = area.file_problem(f)
        if why is not None:
            raise TransformError(f"the overlay file {project.display(f)} is refused: it {why}",
                                 path=f, hint="the files of xslt/ must be files of the project")
    return files


def _same_as_ours(f: Path, rel: str) -> bool:
    """Whether an overlay file holds exactly what the toolkit's own file of that name holds."""
    ours = xslt_dir() / rel
    try:
        return ours.is_file() and ours.read_bytes() == f.read_bytes()
    except OSError:
        return False


def _check_project_code(project: Project, root: Path) -> None:
    """The project's own stylesheets (overlay files where they were copied to, overrides) and
    what they import: see :mod:`toolkit.project.sandbox`. Our files are not checked."""
    mine = [Path(p) for p in project.stylesheets.values()]
    if root != xslt_dir():
        overlay = paths.overlay_dir(project)
        for f in _overlay_files(project):
            rel = str(f.relative_to(overlay))
            if _same_as_ours(f, rel):
                continue  # a copy of our own file (a checkout of the toolkit built as an edition)
            mine += [root / r for r in (rel, RENAMED.get(rel)) if r and r.endswith((".xsl",
                                                                                  ".xslt"))]
    if not mine:
        return
    theirs = {confine.real(p) for p in mine}
    ours = confine.Area("the toolkit", (*confine.toolkit_roots(), confine.real(root)))

    def trusted(path: Path) -> bool:
        return ours.allows(path) and confine.real(path) not in theirs

    try:
        sandbox.check_stylesheet(mine, confine.code(project, root), trusted)
    except ToolkitError as exc:
        raise TransformError(exc.message, path=exc.path, hint=exc.hint) from None


def _entry(project: Project | None, output: str) -> Path:
    root = _stylesheet_root(project)
    main = root / ENTRY_POINTS[output]
    overrides = []
    if project is not None:
        for name in ("common", output):
            if name in project.stylesheets:
                overrides.append(project.stylesheets[name])
    if not overrides:
        return main
    # A driver that imports ours first and the project's overrides after: theirs win.
    driver_dir = paths.stylesheet_drivers(project)
    driver_dir.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256("|".join(map(str, [main, *overrides])).encode(
        "utf-8", "surrogateescape")).hexdigest()[:16]
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
        with _lock:
            if _processor is None:
                # Imported here: starting Saxon costs time a command that runs no XSLT (such as
                # `teikit --version`) should not pay.
                from saxonche import PySaxonProcessor

                with _without_environment():  # Saxon keeps what it finds now, for good
                    proc = PySaxonProcessor(license=False)
                for name, value in _SAFE_SAXON.items():
                    proc.set_configuration_property(name, value)
                _processor = proc
    return _processor


#: the environment variables Saxon is started with (the locale); a CI token or a password in
#: the environment must not be readable by a stylesheet's environment-variable()
_KEEP_ENVIRONMENT = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR")


@contextlib.contextmanager
def _without_environment() -> Iterator[None]:
    saved = dict(os.environ)
    try:
        for name in list(os.environ):
            if name not in _KEEP_ENVIRONMENT:
                del os.environ[name]
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


_PARSER = "http://saxon.sf.net/feature/parserFeature?uri="
#: Saxon's parser must be as safe as ours: no external entities (no reading of local files
#: into the output), no external DTDs; and no protocol but file: (no network access from a
#: stylesheet, an import or a document). Saxon offers no hook to confine file: to folders
#: (saxonche has no URI resolver, and allowedProtocols, once narrowed, cannot be widened again
#: for the next compilation), so our stylesheets read no file while they run, and the
#: project's are checked before they are compiled (toolkit.project.sandbox).
_SAFE_SAXON = {
    _PARSER + "http%3A//xml.org/sax/features/external-general-entities": "false",
    _PARSER + "http%3A//xml.org/sax/features/external-parameter-entities": "false",
    _PARSER + "http%3A//apache.org/xml/features/nonvalidating/load-external-dtd": "false",
    "http://saxon.sf.net/feature/allowedProtocols": "file",
    # Saxon's parser refuses elements nested more than 100 deep; ours (lxml) 256 (a diagnostic
    # at load). A document that loads must reach the stylesheets.
    "http://saxon.sf.net/feature/parserProperty?uri="
    "http%3A//www.oracle.com/xml/jaxp/properties/maxElementDepth": "300",
}


def written_documents(exe, label: Path | str | None) -> None:
    """Refuse what a run of ``exe`` (capturing its result documents) wrote besides its output:
    an ``xsl:result-document`` with a file of its own was kept in memory, never written."""
    extra = exe.get_result_documents()
    if extra:
        uri = next(iter(extra))
        raise TransformError(f"the stylesheet writes a document of its own ({uri}), which is "
                             "refused: a stylesheet writes only its output", path=label,
                             hint="remove the xsl:result-document from the project's "
                                  "stylesheets")


def processor():
    """The process's Saxon processor, shared by every module that runs XSLT (a node made by one
    processor may not be usable by another)."""
    return _saxon()


_lock = threading.Lock()
_run_locks: dict[int, threading.Lock] = {}
#: id(root element) -> [root, the outputs' Saxon copy, the document's own (for validation),
#: whether the two are one (nothing to place)], each None until needed, and
#: {(language, strings, dates): the document's datings in words}
_reuse: dict[int, list] = {}


def _root_of(tree) -> etree._Element:
    return tree.getroot() if isinstance(tree, etree._ElementTree) else tree


def _to_saxon(root: etree._Element, source_path: Path | None = None):
    # Serialise the element only: no DOCTYPE, so Saxon never looks for a DTD.
    xml = etree.tostring(root, encoding="unicode")
    try:
        return _saxon().parse_xml(xml_text=xml)
    except Exception as exc:
        raise TransformError(f"cannot hand the document to Saxon: {exc}",
                             path=source_path) from None


def prepare(tree: etree._ElementTree | etree._Element, source_path: Path | None = None, *,
            outputs: bool = False):
    """Saxon's copy of a parsed document, to pass to :func:`render` (and to reuse: several
    outputs of one document need only one copy). Inside :func:`parsed_once` for this tree the
    same copy is returned every time. With ``outputs``, the copy the outputs are made from:
    apparatus entries kept apart from the text are placed at their words
    (:mod:`toolkit.load.apparatus`); validation sees the document as it is."""
    root = _root_of(tree)
    slot = _reuse.get(id(root))
    if slot is not None and slot[0] is root:
        if outputs and slot[1] is None:
            placed = apparatus.attach(root).root
            slot[3] = placed is root
            slot[1] = (slot[2] if slot[3] and slot[2] is not None
                       else _to_saxon(placed, source_path))
        if outputs:
            return slot[1]
        if slot[2] is None:
            slot[2] = slot[1] if slot[3] else _to_saxon(root, source_path)
        return slot[2]
    return _to_saxon(apparatus.attach(root).root if outputs else root, source_path)


@contextlib.contextmanager
def parsed_once(tree: etree._ElementTree | etree._Element) -> Iterator[None]:
    """Within the block, every render of ``tree`` (by any module) reuses one Saxon copy of it.
    The tree must not be changed inside the block."""
    root = _root_of(tree)
    key = id(root)
    _reuse[key] = [root, None, None, None, {}]
    try:
        yield
    finally:
        _reuse.pop(key, None)


def _executable(project: Project | None, output: str):
    path = _entry(project, output)
    key = (str(path), fingerprint(project) if project is not None else "")
    exe = _compiled.get(key)
    if exe is None:
        if project is not None:
            _check_project_code(project, _stylesheet_root(project))
        proc = _saxon()
        try:
            exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))
        except Exception as exc:  # saxonche raises PySaxonApiError
            raise TransformError(f"stylesheet does not compile: {exc}", path=path,
                                 hint="fix the stylesheet or remove the override") from None
        if exe is None:
            raise TransformError("stylesheet does not compile", path=path)
        exe.set_capture_result_documents(True)
        _compiled[key] = exe
    return exe


def stylesheet_file(project: Project | None, relative: str) -> Path:
    """One of the stylesheets' files (e.g. ``print/print.css``) as the build uses it: the
    project's overlay of it, else ours."""
    return _stylesheet_root(project) / relative


def _file_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TransformError(f"cannot read the stylesheet file: {exc}", path=path) from None


_maps: dict[int, tuple[dict, Any]] = {}


def _value(proc, value: Any):
    if isinstance(value, bool):
        return proc.make_boolean_value(value)
    if isinstance(value, int):
        return proc.make_integer_value(value)
    if isinstance(value, dict) and not all(isinstance(v, str) for v in value.values()):
        return proc.make_map2(dict(value))  # strings to Saxon values (documents, see prepare)
    if isinstance(value, dict):
        # A map of strings (the catalogue, the dates): made once for a dict of a build, kept
        # with the dict itself so that its id names it while it lives.
        known = _maps.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        made = proc.make_map({proc.make_string_value(str(k)): proc.make_string_value(str(v))
                              for k, v in value.items()})
        if len(_maps) > 16:
            _maps.clear()
        _maps[id(value)] = (value, made)
        return made
    return proc.make_string_value(str(value))


_entry_files: dict[tuple[str, int, int], dict[str, etree._Element]] = {}


def entries_of(path: Path, area: confine.Area) -> dict[str, etree._Element] | None:
    """The elements with an id of another file of the edition (for the datings of the entries
    a document points at), read once per process while the file is unchanged; None for a file
    outside ``area`` (the rule of every file a build opens) or not readable."""
    if area.file_problem(path) is not None:
        return None
    real = confine.real(path)
    st = real.stat()
    key = (str(real), st.st_mtime_ns, st.st_size)
    found = _entry_files.get(key)
    if found is None:
        try:
            root = etree.fromstring(real.read_bytes(), safe_parser())
        except (OSError, etree.XMLSyntaxError):
            return None
        found = {e.get(_XML_ID): e for e in root.iter()
                 if isinstance(e.tag, str) and e.get(_XML_ID)}
        if len(_entry_files) > 16:
            _entry_files.clear()
        _entry_files[key] = found
    return found


_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _with_interface(root: etree._Element | None, params: dict[str, Any],
                    project: Project | None, source_path: Path | None) -> dict[str, Any]:
    """The parameters with the interface completed: the strings of ``language`` where the
    caller gave none (a render outside a build), and the document's datings in words."""
    values = dict(params)
    if "strings" not in values:
        values.update(i18n.language_values(project, str(values.get("language") or "en"),
                                           str(values.get("build-date") or "")))
        values["site-title"] = params.get("site-title") or values["site-title"]
    if root is None:
        return values
    slot = _reuse.get(id(root))
    memo = slot[4] if slot is not None and slot[0] is root else {}
    key = (values["language"], id(values["strings"]), id(values.get("dates")))
    found = memo.get(key)
    if found is None:
        area = confine.sources(project) if project is not None else (
            confine.folder(source_path) if source_path is not None else None)
        found = memo[key] = i18n.document_values(
            values, root, source_path,
            None if area is None else lambda path: entries_of(path, area))["dates"]
    values["dates"] = found
    return values


def render(
    tree: etree._ElementTree | etree._Element,
    output: str,
    params: dict[str, Any] | None = None,
    project: Project | None = None,
    source_path: Path | None = None,
) -> str:
    """Run the ``output`` stylesheet (html, text or print) on a parsed document: an lxml tree
    or element, or the Saxon copy of one made by :func:`prepare`."""
    proc = _saxon()
    exe = _executable(project, output)
    if isinstance(tree, (etree._ElementTree, etree._Element)):
        node = prepare(tree, source_path, outputs=True)
        root = _root_of(tree)
    else:
        node, root = tree, None
    values = _with_interface(root, params or {}, project, source_path)
    for name, rel in FILE_PARAMS.get(output, {}).items():
        if name not in values:
            values[name] = _file_text(stylesheet_file(project, rel))
    with _run_locks.setdefault(id(exe), threading.Lock()):  # parameters live on the executable
        exe.clear_parameters()
        for name, value in values.items():
            exe.set_parameter(name, _value(proc, value))
        try:
            result = exe.transform_to_string(xdm_node=node)
        except Exception as exc:
            raise TransformError(f"{output} transformation failed: {exc}", path=source_path,
                                 hint="run with --debug for details") from None
        written_documents(exe, source_path)
    if result is None:
        raise TransformError(f"{output} transformation produced nothing", path=source_path)
    return result
