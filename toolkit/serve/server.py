"""The preview's HTTP server: the output folder as a static host serves it, plus a live channel.

Every file of the output folder is served as it is (pages, search index, images, fonts, the
text and PDF editions), with one difference: an HTML page gets a ``<script src>`` from a
reserved path (:data:`RESERVED`) before its ``</head>``. The script, ``assets/reload.js``,
listens to ``RESERVED + "events"`` (Server-Sent Events): the state of :class:`LiveState` each
time it changes (which build the output is, whether a build runs, the problems); it reloads the
page on a new build, keeping its scroll position, and shows the problems over the page (its
style, ``reload.css``, in a shadow root of its own). Being files of the same origin, both pass a
Content-Security-Policy of ``script-src 'self'``; they are never written into the output. A
page whose document fails now is served from the last good pages (:mod:`toolkit.serve.pages`).
While the server listens on this machine only, a request naming another host is refused (a web
site pointing its own name at 127.0.0.1 cannot read the preview).
"""

from __future__ import annotations

import errno
import json
import mimetypes
import posixpath
import secrets
import shutil
import socket
import socketserver
import threading
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.formats import FORMATS
from toolkit.project.paths import serve_assets_dir

#: the URL path of the preview's own files; no file of the output is served under it
RESERVED = "/__teikit__/"
#: how a served HTML page loads the preview's script (with the build it was served from)
INJECTED = f'<script src="{RESERVED}reload.js" data-build="{{build}}" defer></script>'
#: host names of this machine: a page asking with another (DNS rebinding) is refused
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html",
          ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain",
          ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff",
          ".pdf": "application/pdf"}
#: types sent with "charset=utf-8" (what the build writes); an XML file says its own encoding
_TEXT = ("text/", "application/json")
#: seconds between two keep-alive comments on an idle event stream (a closed tab is noticed)
_KEEPALIVE = 15.0


class LiveState:
    """What the open pages are told; any thread may publish, the event streams wait."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._version = 0
        self._token = secrets.token_hex(4)  # a restarted server reloads the pages too
        self._generation = 0
        self._state: dict[str, Any] = {"building": False, "problems": [], "report": None,
                                       "ready": False}
        self.closed = False

    def publish(self, *, changed: bool = False, **fields: Any) -> None:
        """Change the state; ``changed``: the output is a new build (the pages reload)."""
        with self._cond:
            if changed:
                self._generation += 1
            self._state.update(fields)
            self._version += 1
            self._cond.notify_all()

    @property
    def build(self) -> str:
        """Which build the output is now (the pages served carry it)."""
        with self._cond:
            return f"{self._token}-{self._generation}"

    def snapshot(self) -> tuple[int, dict[str, Any]]:
        """The state now, and its version."""
        with self._cond:
            return self._version, self._current()

    def wait(self, version: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        """The state once its version is not ``version``; None after ``timeout`` or when
        closed."""
        with self._cond:
            self._cond.wait_for(lambda: self._version != version or self.closed, timeout)
            if self._version == version or self.closed:
                return None
            return self._version, self._current()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def _current(self) -> dict[str, Any]:
        return {**self._state, "build": f"{self._token}-{self._generation}"}


class PreviewServer(ThreadingHTTPServer):
    """Serves ``root`` (the output folder) on ``host:port``; ``kept(name)`` finds the last good
    page of a document whose page is missing now."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, root: Path, host: str, port: int, state: LiveState,
                 kept: Callable[[str], Path | None] = lambda name: None) -> None:
        self.root = Path(root)
        self.state = state
        self.kept = kept
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            super().__init__((host, port), _Handler)
        except socket.gaierror:
            raise ToolkitError(f"cannot listen on {host!r}: no such address on this machine",
                               hint="use --host 127.0.0.1 (the default) or an address of "
                                    "this machine") from None
        except OSError as exc:
            raise _bind_error(host, port, exc) from None
        self._thread: threading.Thread | None = None

    def server_bind(self) -> None:
        # Not HTTPServer's: its reverse look-up of the host name can take seconds.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    @property
    def url(self) -> str:
        """Where a browser on this machine finds the preview."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.server_name, self.server_name)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.server_port}/"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="teikit-http", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving: the event streams end, the port is freed."""
        self.state.close()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=2)
        self.server_close()


def _bind_error(host: str, port: int, exc: OSError) -> ToolkitError:
    if exc.errno == errno.EADDRINUSE:
        return ToolkitError(f"cannot listen on {host}:{port}: the port is in use",
                            hint="stop the program using it, or choose another port with "
                                 "--port (--port 0 takes any free one)")
    if exc.errno == errno.EACCES:
        return ToolkitError(f"cannot listen on {host}:{port}: not allowed (ports below 1024 "
                            "need administrator rights)", hint="choose a port above 1024")
    if exc.errno == errno.EADDRNOTAVAIL:
        return ToolkitError(f"cannot listen on {host}: not an address of this machine",
                            hint="use --host 127.0.0.1 (the default)")
    return ToolkitError(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


def inject(page: bytes, build: str) -> bytes:
    """``page`` with the preview's script in its head (before ``</head>``, else at its start);
    ``build`` says which build the page is of (the script reloads it if a newer one is done by
    the time it asks)."""
    at = page.lower().find(b"</head>")
    if at < 0:
        at = 0
    return page[:at] + INJECTED.format(build=build).encode() + page[at:]


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "teikit-serve"
    protocol_version = "HTTP/1.0"  # one response per connection; an event stream is one

    def do_HEAD(self) -> None:  # noqa: N802 - the name http.server calls
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the terminal shows builds, not requests

    def _respond(self, head: bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        try:
            if not self._host_allowed():
                return self._send(HTTPStatus.FORBIDDEN, "text/plain",
                                  b"teikit serve answers this machine's own names only", head)
            if path.startswith(RESERVED):
                self._reserved(path[len(RESERVED):], head)
            else:
                self._file(path, head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away

    def _host_allowed(self) -> bool:
        """Served on this machine only, a page is asked for by one of its names: another
        (a web site's own name, pointed at 127.0.0.1) is a site trying to read the preview."""
        if self.server.server_name not in ("127.0.0.1", "::1"):
            return True  # the user chose to serve other machines
        host = self.headers.get("Host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host[1:].split("]")[0]
        return not host or name.lower() in LOOPBACK

    # ----------------------------------------------------------------- the preview's own

    def _reserved(self, name: str, head: bool) -> None:
        if name == "events":
            return self._events()
        if name == "state.json":
            _version, state = self.server.state.snapshot()
            return self._send(HTTPStatus.OK, "application/json",
                              json.dumps(state).encode(), head)
        asset = serve_assets_dir() / name
        if "/" in name or not asset.is_file():
            return self._not_found(head)
        self._send(HTTPStatus.OK, _type(asset), asset.read_bytes(), head)

    def _events(self) -> None:
        """A Server-Sent Events stream: the state now, then at every change."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        version, current = state.snapshot()
        self.wfile.write(b"retry: 1000\n\n" + _event(current))
        self.wfile.flush()
        while not state.closed:
            news = state.wait(version, _KEEPALIVE)
            if state.closed:
                return
            if news is None:
                self.wfile.write(b": still here\n\n")
            else:
                version, current = news
                self.wfile.write(_event(current))
            self.wfile.flush()

    # ------------------------------------------------------------------ the output's files

    def _file(self, path: str, head: bool) -> None:
        root = self.server.root
        parts = [p for p in posixpath.normpath(path).split("/") if p not in ("", ".")]
        if any(p == ".." or "\\" in p or "\0" in p for p in parts):
            return self._not_found(head)
        html = FORMATS["html"].folder
        if not parts and not (root / "index.html").is_file():
            return self._redirect(f"/{html}/")
        target = root.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(urllib.parse.quote("/" + "/".join(parts) + "/"))
            target = target / "index.html"
        try:
            inside = target.resolve().is_relative_to(root.resolve())
        except OSError:
            inside = False
        if not inside:
            return self._not_found(head)
        if not target.is_file():
            name = parts[-1][:-len(".html")] if parts and parts[-1].endswith(".html") else None
            kept = self.server.kept(name) if name and parts[:-1] == [html] else None
            if kept is None:
                return self._not_found(head)
            target = kept
        try:
            with open(target, "rb") as fh:
                if target.suffix == ".html":
                    page = inject(fh.read(), self.server.state.build)
                    return self._send(HTTPStatus.OK, "text/html", page, head)
                size = target.stat().st_size
                self._headers(HTTPStatus.OK, _type(target), size)
                if not head:
                    shutil.copyfileobj(fh, self.wfile)
        except (FileNotFoundError, IsADirectoryError):
            self._not_found(head)  # swapped away by a build meanwhile

    def _not_found(self, head: bool) -> None:
        """A small page that reloads itself once a build makes what was asked for."""
        building = not self.server.state.snapshot()[1].get("ready")
        text = ("The edition is being built; this page shows it when it is ready."
                if building else f"Not found: {self.path}")
        page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>teikit "
                f"serve</title></head><body><p>{_escape(text)}</p>"
                f"<p><a href=\"/{FORMATS['html'].folder}/\">The edition's start page</a></p>"
                "</body></html>").encode()
        self._send(HTTPStatus.NOT_FOUND, "text/html", inject(page, self.server.state.build), head)

    def _redirect(self, to: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, ctype: str, body: bytes, head: bool) -> None:
        self._headers(status, ctype, len(body))
        if not head:
            self.wfile.write(body)

    def _headers(self, status: HTTPStatus, ctype: str, length: int) -> None:
        self.send_response(status)
        if ctype.startswith(_TEXT):
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")  # a reload shows the new build
        self.end_headers()


def _type(path: Path) -> str:
    return (_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
            or "application/octet-stream")


def _event(state: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(state, ensure_ascii=False).encode() + b"\n\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
