"""A IIIF image server and a web server of images on loopback, for the facsimile tests.

:func:`serve` makes, in a folder, what the test edition's remote pages name (the hosts
``https://iiif.example.org`` and ``https://images.example.org`` of
``tests/data/facsimile/edition`` become this server): two IIIF level-0 services made by the
toolkit's own tiler (``/iiif/Hs-30885,146_001``, ``/iiif/p2``), an Image API request without
a service (``/iiif/only-image/full/max/0/default.jpg``), plain images (``/scans/p4.jpg``,
``/scans/p5.tif``), a Presentation 3 manifest of three canvases (``/manifest.json``) and a
redirect to an ftp address (``/to-ftp``). Every answer allows any origin (CORS), as IIIF
servers do; the server counts the requests it gets.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image

from toolkit.facsimile import images

REPO = Path(__file__).resolve().parents[1]
EDITION = REPO / "tests" / "data" / "facsimile" / "edition"
IMG = EDITION / "tei" / "img"
HOSTS = ("https://iiif.example.org", "https://images.example.org")


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    root: Path
    requests: list[str] = field(default_factory=list)


def _content(root: Path, base: str) -> None:
    cache = root.parent / "tiles-cache"
    for name, source in (("Hs-30885,146_001", IMG / "p1.jpg"), ("p2", IMG / "p3.jpg")):
        pub = images.publish(source, cache, "always")
        shutil.copytree(cache / pub.folder, root / "iiif" / name,
                        ignore=shutil.ignore_patterns("meta.json"))
        (root / "iiif" / name / "info.json").write_text(
            json.dumps(pub.info(f"{base}/iiif/{name}")), encoding="utf-8")
    only = root / "iiif" / "only-image" / "full" / "max" / "0"
    only.mkdir(parents=True)
    shutil.copyfile(IMG / "p3.jpg", only / "default.jpg")
    (root / "scans").mkdir()
    shutil.copyfile(IMG / "p1.jpg", root / "scans" / "p4.jpg")
    Image.open(IMG / "p1.jpg").save(root / "scans" / "p5.tif")
    canvases = []
    for n, (cid, service) in enumerate((("c1", "Hs-30885,146_001"), ("c2", "p2"),
                                        ("c3", "Hs-30885,146_001")), 1):
        canvas_id = f"{base}/canvas/{cid}"
        canvases.append({
            "id": canvas_id, "type": "Canvas", "label": {"none": [f"canvas {n}"]},
            "width": 700, "height": 900,
            "items": [{"id": f"{canvas_id}/p", "type": "AnnotationPage", "items": [{
                "id": f"{canvas_id}/p/a", "type": "Annotation", "motivation": "painting",
                "target": canvas_id,
                "body": {"id": f"{base}/iiif/{service}/full/max/0/default.jpg",
                         "type": "Image", "format": "image/jpeg",
                         "service": [{"id": f"{base}/iiif/{service}",
                                      "type": "ImageService3", "profile": "level0"}]}}]}]})
    (root / "manifest.json").write_text(json.dumps({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": f"{base}/manifest.json", "type": "Manifest",
        "label": {"en": ["Three canvases"]}, "items": canvases}), encoding="utf-8")


class _Handler(SimpleHTTPRequestHandler):
    counter: list[str]

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        self.counter.append(self.path)
        if self.path == "/to-ftp":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/secret.json")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args) -> None:  # quiet
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[Server]:
    """Serve the remote images in ``folder`` (made there) on a free loopback port."""
    root = Path(folder) / "site"
    root.mkdir(parents=True)
    counter: list[str] = []
    handler = type("Handler", (_Handler,), {"counter": counter})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(handler, directory=str(root)))
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _content(root, base)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(base, root, counter)
    finally:
        httpd.shutdown()
        httpd.server_close()


def edition_copy(target: Path, base: str | None, extra: str = "") -> Path:
    """The test edition copied to ``target``, its remote hosts made ``base`` (None: kept),
    with ``extra`` lines added to its teikit.toml."""
    shutil.copytree(EDITION, target)
    if base:
        for f in [*target.glob("tei/*.xml"), target / "teikit.toml"]:
            text = f.read_text(encoding="utf-8")
            for host in HOSTS:
                text = text.replace(host, base)
            f.write_text(text, encoding="utf-8")
    if extra:
        with open(target / "teikit.toml", "a", encoding="utf-8") as fh:
            fh.write("\n" + extra + "\n")
    return target
