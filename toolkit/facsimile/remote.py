"""Remote page images, IIIF ``info.json`` and manifests, fetched at build time.

Only when the project says so (``facsimile_fetch = true``): a build otherwise makes no network
request, and the reader's browser loads remote images itself. Fetched is only what a page
names, over http(s) only (a redirect elsewhere is refused), with a time limit and a size limit
(:data:`MAX_IMAGE`, :data:`MAX_JSON`). What was fetched is kept in the project's image cache,
by address, and is not fetched again: delete ``remote/`` there to have it fetched anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.errors import InputError
from toolkit.facsimile.pages import IMAGE, LOCAL, Page

MAX_IMAGE = 300 * 1024 * 1024  # bytes: a page image larger than this is not fetched
MAX_JSON = 10 * 1024 * 1024  # bytes: an info.json or manifest
TIMEOUT = 30  # seconds without an answer
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
               "image/webp": ".webp", "image/tiff": ".tif", "image/jp2": ".jp2"}


class _HttpOnly(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib would also follow one to ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        if not re.match(r"https?://", newurl, re.IGNORECASE):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {newurl} refused",
                                         headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_HttpOnly)


def local_copy(page: Page, cache: Path, fetch: bool) -> Path | None:
    """The file to make the image of ``page`` from: a local one, or a remote one downloaded
    when ``fetch`` allows it; None for a page whose image stays where it is."""
    if page.kind == LOCAL:
        return Path(page.ref)
    if page.kind == IMAGE and fetch:
        return fetch_image(page.ref, cache)
    return None


def fetch_image(url: str, cache: Path) -> Path:
    """The image at ``url``, downloaded into ``cache/remote/`` (once)."""
    return _fetch(url, cache, MAX_IMAGE, image=True)


def fetch_json(url: str, cache: Path) -> dict[str, Any]:
    """The JSON object at ``url`` (an info.json or a manifest), downloaded once."""
    path = _fetch(url, cache, MAX_JSON, image=False)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        path.unlink(missing_ok=True)
        raise InputError(f"{url} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        path.unlink(missing_ok=True)
        raise InputError(f"{url} is not a JSON object")
    return data


def _fetch(url: str, cache: Path, limit: int, *, image: bool) -> Path:
    if not re.match(r"https?://[^/\s]", url, re.IGNORECASE):
        raise InputError(f"only http(s) addresses are fetched, not {url}")
    folder = cache / "remote"
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    for known in folder.glob(key + ".*"):
        if not known.name.endswith(".part"):
            return known
    folder.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": f"teikit/{__version__}"})
    part = folder / f"{key}.{os.getpid()}.part"
    try:
        with _opener.open(request, timeout=TIMEOUT) as answer:
            kind = (answer.headers.get_content_type() or "").lower()
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise InputError(f"{url} is {int(length) // 2**20} MB, more than the "
                                 f"{limit // 2**20} MB the build fetches")
            got = 0
            with open(part, "wb") as fh:
                while chunk := answer.read(1 << 16):
                    got += len(chunk)
                    if got > limit:
                        raise InputError(f"{url} is more than the {limit // 2**20} MB the "
                                         "build fetches")
                    fh.write(chunk)
    except InputError:
        part.unlink(missing_ok=True)
        raise
    except (urllib.error.URLError, OSError, ValueError) as exc:
        part.unlink(missing_ok=True)
        why = getattr(exc, "reason", None) or exc
        raise InputError(f"cannot fetch {url}: {why}",
                         hint="check the address, or set facsimile_fetch = false to let the "
                              "reader's browser load it") from None
    if image:
        ext = _EXTENSIONS.get(kind) or (Path(url.split("?")[0]).suffix.lower()[:5] or ".img")
    else:
        ext = ".json"
    target = folder / (key + ext)
    os.replace(part, target)
    return target
