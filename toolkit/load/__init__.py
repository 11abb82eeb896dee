"""Load: read sources safely (:mod:`~toolkit.load.source`), expand their XIncludes within the
edition (:mod:`~toolkit.load.xinclude`); :func:`load` (:mod:`~toolkit.load.reader`) does both."""

from toolkit.load.reader import load
from toolkit.load.source import Document, display_path, parse_bytes, safe_parser

__all__ = ["Document", "display_path", "load", "parse_bytes", "safe_parser"]
