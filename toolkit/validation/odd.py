"""A project's ODD customisation compiled to RELAX NG and Schematron, without Java.

TEI's own toolchain does it: the TEI Stylesheets' ``odds/odd2odd.xsl`` (merge the customisation
with the specifications of a release, ``p5subset.xml``), ``odds/odd2relax.xsl`` (RELAX NG, the
Schematron of the constraintSpecs embedded) and ``odds/extract-isosch.xsl`` (the Schematron on
its own), all XSLT 3.0 that saxonche runs. Neither the Stylesheets nor a release's
specifications are published on a package registry, so both are installed from files the user
has (``teikit schema install --from tei-X.Y.Z.zip``, ``teikit schema install-stylesheets
--from tei-xsl-X.Y.Z.zip``). A compiled schema is cached, keyed by the content of the ODD and of
every ODD it chains to (``schemaSpec/@source``), the specifications and the Stylesheets'
version. Nothing is fetched: a ``tei:`` or remote ``@source`` must be a local file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from toolkit.errors import SchemaError
from toolkit.load.source import safe_parser
from toolkit.project.paths import grammar_cache, user_cache
from toolkit.tei import TEI_NS
from toolkit.transform import processor
from toolkit.validation import schema

#: what a copy of the TEI Stylesheets must hold to compile ODDs
REQUIRED = ("odds/odd2odd.xsl", "odds/odd2relax.xsl", "odds/extract-isosch.xsl")
_FORMAT = "odd-1"  # changes whenever what compile() writes changes
_lock = threading.Lock()
_compiled: dict[str, object] = {}


@dataclass(frozen=True)
class Compiled:
    """The schemas compiled from one ODD."""

    rng: Path
    schematron: Path
    odd: Path  # the compiled ODD (odd2odd's output), for chaining and other tools


# ------------------------------------------------------------------- the TEI Stylesheets


def stylesheets_dir() -> Path:
    return user_cache() / "tei-stylesheets"


def installed_stylesheets() -> Path | None:
    """The installed TEI Stylesheets (their root, holding odds/), or None."""
    try:
        name = (stylesheets_dir() / "current").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    root = stylesheets_dir() / name
    return root if all((root / r).is_file() for r in REQUIRED) else None


def _root_of(names: list[str]) -> str | None:
    """The prefix under which the ODD stylesheets sit in a list of paths."""
    for n in names:
        if n.endswith(REQUIRED[0]):
            return n[: -len(REQUIRED[0])]
    return None


def install_stylesheets(source: str) -> Path:
    """Install the TEI Stylesheets from a release zip (tei-xsl-X.Y.Z.zip) or a folder (an
    unpacked release or a checkout); returns the installed root."""
    local = Path(source).expanduser()
    with tempfile.TemporaryDirectory(prefix="teikit-xsl-") as tmp:
        unpacked = Path(tmp) / "x"
        if local.is_dir():
            files = sorted(str(p.relative_to(local)) for p in local.rglob("*") if p.is_file())
            prefix = _root_of(files)
            if prefix is None:
                raise SchemaError(f"{local} holds no {REQUIRED[0]}",
                                  hint="pass the TEI Stylesheets (a release zip or folder)")
            shutil.copytree(local / prefix if prefix else local, unpacked,
                            ignore=shutil.ignore_patterns(".git"))
        elif local.is_file() and zipfile.is_zipfile(local):
            with zipfile.ZipFile(io.BytesIO(local.read_bytes())) as zf:
                prefix = _root_of(zf.namelist())
                if prefix is None:
                    raise SchemaError(f"{local} holds no {REQUIRED[0]}",
                                      hint="pass a TEI Stylesheets release zip")
                for info in zf.infolist():
                    if info.is_dir() or not info.filename.startswith(prefix):
                        continue
                    rel = Path(info.filename[len(prefix):])
                    if rel.is_absolute() or ".." in rel.parts:
                        continue  # never outside the folder
                    target = unpacked / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(info))
        else:
            raise SchemaError(f"no such zip or folder: {source}",
                              hint="pass the TEI Stylesheets (tei-xsl-X.Y.Z.zip or a folder)")
        version = _version(unpacked)
        target = stylesheets_dir() / version
        stylesheets_dir().mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(unpacked), target)
    (stylesheets_dir() / "current").write_text(version + "\n", encoding="utf-8")
    return target


def _version(root: Path) -> str:
    for name in ("VERSION", "../VERSION"):
        try:
            text = (root / name).read_text(encoding="utf-8").strip()
        except OSError:
            continue
        if re.fullmatch(r"[\w.\-]+", text):
            return text
    digest = hashlib.sha256()
    for r in REQUIRED:
        digest.update((root / r).read_bytes())
    return "unknown-" + digest.hexdigest()[:8]


# ------------------------------------------------------------------------------ compiling


def chain(odd: Path) -> list[Path]:
    """``odd`` and every local ODD it builds on through ``schemaSpec/@source``, in order."""
    seen: list[Path] = []
    todo = [Path(odd).resolve()]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        try:
            root = etree.fromstring(path.read_bytes(), safe_parser(), base_url=str(path))
        except (OSError, etree.XMLSyntaxError) as exc:
            raise SchemaError(f"the ODD cannot be read: {exc}", path=path) from None
        for spec in root.iter(f"{{{TEI_NS}}}schemaSpec"):
            source = spec.get("source")
            if source:
                todo.append(_local_source(source, path))
    return seen


def _local_source(source: str, where: Path) -> Path:
    url = urlparse(source)
    if url.scheme in ("http", "https") or source.startswith("tei:"):
        raise SchemaError(f"the ODD builds on {source}, which is not a local file (nothing is "
                          "fetched)", path=where,
                          hint="leave @source out (the installed release is used) or point it "
                               "to a local compiled ODD or p5subset.xml")
    path = (where.parent / unquote(url.path if url.scheme == "file" else source)).resolve()
    if not path.is_file():
        raise SchemaError(f"the ODD builds on {source}, which does not exist ({path})",
                          path=where)
    return path


def _key(odd: Path, subset: Path, xsl: Path) -> str:
    h = hashlib.sha256(_FORMAT.encode())
    for path in chain(odd):
        h.update(path.read_bytes())
    h.update(hashlib.sha256(subset.read_bytes()).digest())
    h.update(_version(xsl).encode())
    for r in REQUIRED:
        h.update((xsl / r).read_bytes())
    return h.hexdigest()[:32]


def compile_odd(odd: Path, *, release: str | None = None,
                stylesheets: Path | None = None) -> Compiled:
    """Compile ``odd`` against the specifications of the installed ``release`` with the TEI
    Stylesheets (given, else installed); cached by content."""
    odd = Path(odd).resolve()
    if not odd.is_file():
        raise SchemaError(f"no such ODD: {odd}")
    xsl = Path(stylesheets).resolve() if stylesheets else installed_stylesheets()
    if xsl is None or not all((xsl / r).is_file() for r in REQUIRED):
        raise SchemaError(
            "compiling an ODD needs the TEI Stylesheets (odds/odd2odd.xsl, odd2relax.xsl, "
            "extract-isosch.xsl), which are not installed", path=odd,
            hint="teikit schema install-stylesheets --from tei-xsl-X.Y.Z.zip (the TEI "
                 "Stylesheets release), once")
    subset = schema.p5subset(release)
    folder = grammar_cache() / "odd" / _key(odd, subset, xsl)
    out = Compiled(folder / f"{odd.stem}.rng", folder / f"{odd.stem}.sch",
                   folder / f"{odd.stem}.compiled.odd")
    if out.rng.is_file() and out.schematron.is_file():
        return out
    tmp = Path(tempfile.mkdtemp(prefix=".odd-", dir=schema.ensure_cache_folder(folder.parent)))
    try:
        params = {"defaultSource": subset.as_uri(),
                  # where odd2odd would look up tei: sources: a local folder, never the web
                  "defaultTEIServer": subset.parent.as_uri() + "/",
                  "defaultTEIVersion": "current"}
        compiled = tmp / out.odd.name
        _run(xsl / REQUIRED[0], odd, compiled, params)
        _run(xsl / REQUIRED[1], compiled, tmp / out.rng.name, params)
        _run(xsl / REQUIRED[2], compiled, tmp / out.schematron.name, params)
        (tmp / "info.json").write_text(json.dumps({
            "odd": str(odd), "chain": [str(p) for p in chain(odd)], "specifications":
            str(subset), "stylesheets": _version(xsl)}, indent=2) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        try:
            os.replace(tmp, folder)
        except OSError:  # another process compiled it at the same moment
            if not out.rng.is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _run(xsl: Path, source: Path, target: Path, params: dict[str, str]) -> None:
    proc = processor()
    with _lock:
        exe = _compiled.get(str(xsl))
        if exe is None:
            try:
                exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(xsl))
            except Exception as exc:  # saxonche raises PySaxonApiError
                raise SchemaError(f"the TEI Stylesheets do not compile: {exc}",
                                  path=xsl) from None
            _compiled[str(xsl)] = exe
        exe.clear_parameters()
        for name, value in params.items():
            exe.set_parameter(name, proc.make_string_value(value))
        exe.set_cwd(str(source.parent))
        try:
            exe.transform_to_file(source_file=str(source), output_file=str(target))
        except Exception as exc:
            raise SchemaError(f"compiling the ODD failed in {xsl.name}: "
                              f"{' '.join(str(exc).split())[:600]}", path=source,
                              hint="check the ODD (its schemaSpec, module and element "
                                   "references) against the TEI release installed") from None
    if not target.is_file() or target.stat().st_size == 0:
        raise SchemaError(f"{xsl.name} wrote nothing for {source.name}", path=source)
