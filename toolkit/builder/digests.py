"""Content digests of an edition's sources, remembered between builds.

A build keys its cache by what the sources contain (SHA-256), not by their file times; reading
and hashing every source again for each build costs time in proportion to the edition, though.
:class:`Digests` keeps, per source, the digest and the other local files it points into
(``persons.xml#id``) together with the file's size, modification time and inode, as git's
index does: a file whose stat is unchanged is not read again. Whatever changes a file changes
its stat, so a stale digest is never used; a lost or damaged record only means reading again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from toolkit.project.paths import resolved

_XML_POINTER = re.compile(rb"""["'\s]([\w./-]+\.xml)#""")
#: a page image named by a relative path (``pb/@facs``, ``graphic/@url``): the page shows it
_IMAGE_PATH = re.compile(
    rb"""\b(?:url|facs)\s*=\s*["']([\w][\w./,-]*\.(?:jpe?g|png|gif|webp|tiff?))["']""",
    re.IGNORECASE)


def pointed_into(path: Path, data: bytes | None = None) -> list[Path]:
    """Other local files a source points into (``persons.xml#id``) or shows (its page images,
    which become tiles of its page), whether they exist or not (one that does not yet may be
    written later), whose content counts too."""
    found = set()
    data = Path(path).read_bytes() if data is None else data
    here = Path(path).resolve()
    # most sources point into no other file and show no image: skip the regexes
    if b".xml#" in data:
        for m in _XML_POINTER.finditer(data):
            target = (Path(path).parent / m.group(1).decode()).resolve()
            if target != here:
                found.add(target)
    if (b"url" in data or b"facs" in data) and here.suffix.lower() == ".xml":
        for m in _IMAGE_PATH.finditer(data):
            found.add((Path(path).parent / m.group(1).decode()).resolve())
    return sorted(found)


class Digests:
    """Digests of source files, by file stat; ``save()`` keeps them for the next build."""

    def __init__(self, record: Path) -> None:
        self.record = Path(record)
        try:
            self._known = json.loads(self.record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._known = {}
        if not isinstance(self._known, dict):
            self._known = {}
        self._now: dict[str, list] = {}
        self._resolved: dict[str, str] = {}  # a path as asked about -> as kept

    def _entry(self, path: Path) -> list:
        given = str(path)
        key = self._resolved.get(given)
        if key is None:
            key = self._resolved[given] = str(resolved(path))
        if key in self._now:
            return self._now[key]
        st = os.stat(key)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        known = self._known.get(key)
        if isinstance(known, list) and len(known) == 5 and known[:3] == stamp:
            entry = known
        else:
            data = Path(key).read_bytes()
            entry = stamp + [hashlib.sha256(data).hexdigest(),
                             [str(p) for p in pointed_into(Path(key), data)]]
        self._now[key] = entry
        return entry

    def digest(self, path: Path) -> str:
        """SHA-256 of the file's content (hex)."""
        return self._entry(path)[3]

    def references(self, path: Path) -> list[Path]:
        """The existing local files the source points into (see :func:`pointed_into`): asked
        each time, since a file pointed into may appear while the source stays the same."""
        return [Path(p) for p in self._entry(path)[4] if os.path.isfile(p)]

    def save(self) -> None:
        """Keep the digests of the files asked about in this build (others are forgotten)."""
        tmp = self.record.with_name(f".{self.record.name}.{os.getpid()}.tmp")
        try:
            self.record.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(self._now), encoding="utf-8")
            os.replace(tmp, self.record)
        except OSError:
            tmp.unlink(missing_ok=True)  # not kept: the next build reads the files again
