"""The project's own copies of schemas named by URL.

Documents often name their schema by a web address (``<?xml-model href="https://…/letters.rng"?>``).
A build never fetches it: ``teikit schema add URL`` downloads it once into the project's
``schemas/`` folder (with the files it includes or imports, found relative to it), and records
where each file came from, its digest and when, in ``schemas/sources.json``; validation then
finds the copy by the URL the document names (:func:`lookup`). The copies are the project's
files, to be committed with it, so that every editor and CI validate against the same schema.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

from lxml import etree

from toolkit.errors import SchemaError
from toolkit.load.source import safe_parser
from toolkit.tei import RNG_NS, SCH_NS, XS_NS

STORE = "schemas"
INDEX = "sources.json"
#: at most this many files are fetched for one schema (its includes and imports counted)
MAX_FILES = 200
MAX_BYTES = 64 * 1024 * 1024

#: where a schema names the files it needs: (namespace, element) -> attribute
_REFERENCES = {
    (RNG_NS, "include"): "href", (RNG_NS, "externalRef"): "href",
    (SCH_NS, "include"): "href", (SCH_NS, "extends"): "href",
    (XS_NS, "include"): "schemaLocation", (XS_NS, "import"): "schemaLocation",
    (XS_NS, "redefine"): "schemaLocation",
}


def store_dir(project_root: Path) -> Path:
    return Path(project_root) / STORE


def _index(project_root: Path) -> dict:
    return _read(store_dir(project_root))


def lookup(project_root: Path | None, url: str, near: Path | None = None) -> Path | None:
    """The kept copy of the file at ``url``: in the project's store, or in the store that holds
    the file ``near`` (a kept schema naming another by its URL)."""
    stores = [store_dir(project_root)] if project_root is not None else []
    if near is not None:
        stores += [d for d in Path(near).resolve().parents if (d / INDEX).is_file()][:1]
    for store in stores:
        entry = _read(store).get(url)
        if not entry:
            continue
        path = (store / entry["file"]).resolve()
        if path.is_relative_to(store.resolve()) and path.is_file():
            return path
    return None


def _read(store: Path) -> dict:
    try:
        return json.loads((store / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def status(project_root: Path) -> list[dict]:
    """Every schema file the project keeps: url, file, sha256, downloaded, and whether the
    file is there and unchanged."""
    out = []
    for url, entry in sorted(_index(project_root).items()):
        path = store_dir(project_root) / entry["file"]
        state = "missing"
        if path.is_file():
            same = hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256")
            state = "ok" if same else "changed since download"
        out.append({"url": url, **entry, "state": state})
    return out


def _local_name(url: str) -> str:
    """Where the copy of ``url`` goes below schemas/: host and path, so that the files a schema
    names relative to itself keep their relative places."""
    parts = urlparse(url)
    path = parts.path.lstrip("/") or "index"
    clean = "/".join(re.sub(r"[^\w.\-]+", "_", p) for p in path.split("/")
                     if p not in ("", ".", ".."))
    host = re.sub(r"[^\w.\-]+", "_", parts.netloc) or "local"
    return f"{host}/{clean}"


def _fetch(url: str, timeout: float) -> bytes:
    if urlparse(url).scheme not in ("http", "https"):
        raise SchemaError(f"not a web address: {url}", hint="give an http:// or https:// URL")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            data = resp.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SchemaError(f"cannot download {url}: {reason}",
                          hint="check the address and the network, or copy the schema into "
                               "the project and point the document to it by a relative path"
                          ) from None
    if len(data) > MAX_BYTES:
        raise SchemaError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data


def _references(data: bytes, url: str) -> list[str]:
    """The URLs of the files a schema includes or imports."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise SchemaError(f"{url} is not well-formed XML: {exc}") from None
    found = []
    for el in root.iter(tag=etree.Element):
        q = etree.QName(el)
        attr = _REFERENCES.get((q.namespace, q.localname))
        if attr and el.get(attr):
            found.append(urljoin(url, el.get(attr)))
    return found


def add(project_root: Path, url: str, *, timeout: float = 30) -> list[Path]:
    """Download the schema at ``url`` and every file it includes into the project; returns the
    files written. A file already kept is downloaded again (to update it)."""
    root = store_dir(project_root)
    index = _index(project_root)
    queue, seen, written = [url], set(), []
    when = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    while queue:
        current = queue.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if len(seen) > MAX_FILES:
            raise SchemaError(f"{url} includes more than {MAX_FILES} files; not added")
        data = _fetch(current, timeout)
        queue += _references(data, current)
        name = _local_name(current)
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        index[current] = {"file": name, "sha256": hashlib.sha256(data).hexdigest(),
                          "downloaded": when, "for": url}
        written.append(target)
    (root / INDEX).write_text(json.dumps(index, indent=2, sort_keys=True) + "\n",
                              encoding="utf-8")
    return written
