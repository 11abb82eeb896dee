"""Local page images made fit to publish: IIIF level-0 static tiles, or one web image each.

A scan of 20 MB is not what a page should load at once. :func:`publish` makes of a local
image either

- **tiles** (IIIF Image API 3.0, level 0, no server needed): ``{region}/{size}/0/default.jpg``
  in canonical form, the URLs OpenSeadragon asks a level-0 service for. Levels are scale
  factors 1, 2, 4 … until the whole image fits one tile and a thumbnail; every level that
  fits one tile is also written whole (``full/w,h/0/default.jpg``, listed in ``sizes``), and
  so is the level that fits :data:`VIEW` pixels, the image a reader without JavaScript is
  linked to. Large images (``facsimile_tiles = "auto"``: longer side above
  :data:`TILE_ABOVE`) or all of them (``"always"``) are tiled;
- **one image** (``"never"``, or small images): the file itself if it is a JPEG, PNG, GIF or
  WebP as its content says and needs no turning, else a JPEG of it; and a thumbnail.

What is made lies in a cache folder named by the image's content (SHA-256) and the way it was
made, shared by every document and build of the project, and is hard-linked into a page's
output (:func:`link_into`): an image is tiled once, however often it is built. Images of more
than :data:`BIG` pixels are tiled one at a time across the build's processes, for memory.
The print edition's plates are single JPEGs of at most :data:`PLATE` pixels (:func:`plate`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from toolkit.errors import InputError

TILE = 512  # tile size (pixels, square)
THUMB = 256  # a thumbnail's longer side at most
VIEW = 1600  # the image a reader without JavaScript gets: longer side at most
TILE_ABOVE = 2000  # "auto": images whose longer side is larger are tiled
PLATE = 2400  # a plate of the print edition: longer side at most
BIG = 40_000_000  # pixels: larger images are tiled one at a time (about 10 bytes a pixel)
QUALITY = 85
LAYOUT = "1"  # part of every cache folder's name: change it when the files made change
IMAGE3_CONTEXT = "http://iiif.io/api/image/3/context.json"
#: formats a browser shows as they are, by what Pillow reads in the file
_WEB_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}


@dataclass
class Published:
    """A local image as published: its folder (in the cache and under ``html/facs/``)."""

    folder: str
    width: int
    height: int
    tiled: bool
    view: str  # path inside the folder of the reading-size image (or the image itself)
    view_size: tuple[int, int]
    thumb: str
    thumb_size: tuple[int, int]
    factors: list[int] = field(default_factory=list)  # tiled: the scale factors
    sizes: list[tuple[int, int]] = field(default_factory=list)  # tiled: whole levels written

    def info(self, service_id: str) -> dict:
        """The level-0 ``info.json`` of a tiled image, its id ``service_id``."""
        return {
            "@context": IMAGE3_CONTEXT,
            "id": service_id.rstrip("/"),
            "type": "ImageService3",
            "protocol": "http://iiif.io/api/image",
            "profile": "level0",
            "width": self.width,
            "height": self.height,
            "sizes": [{"width": w, "height": h} for w, h in self.sizes],
            "tiles": [{"width": TILE, "height": TILE, "scaleFactors": self.factors}],
        }


def publish(path: Path, cache: Path, tiles: str = "auto") -> Published:
    """The published form of the image at ``path`` (made now, or found in ``cache``).
    Raises :class:`InputError` when the file is not an image Pillow can read."""
    path = Path(path)
    digest = content_digest(path, cache)
    width, height = _header(path)
    tiled = tiles == "always" or (tiles == "auto" and max(width, height) > TILE_ABOVE)
    folder = f"{digest[:24]}-{'t' if tiled else 'i'}{LAYOUT}"
    done = _read_meta(cache / folder)
    if done is not None:
        return done
    with _one_big_at_a_time(cache, width * height > BIG):
        done = _read_meta(cache / folder)  # made while this one waited
        if done is not None:
            return done
        tmp = cache / f".{folder}.{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir(parents=True)
        try:
            img, fmt, turned = _load(path)
            if tiled:
                pub = _tile(img, tmp, folder)
            else:
                pub = _single(path, img, fmt, turned, tmp, folder)
            del img
            (tmp / "meta.json").write_text(json.dumps(asdict(pub)), encoding="utf-8")
            try:
                os.rename(tmp, cache / folder)
            except OSError:  # another process made it meanwhile
                pass
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return pub


def plate(path: Path, cache: Path) -> Path:
    """A JPEG of the image for the print edition (longer side at most :data:`PLATE`)."""
    path = Path(path)
    target = cache / f"{content_digest(path, cache)[:24]}-p{LAYOUT}.jpg"
    if target.is_file():
        return target
    img, _fmt, _turned = _load(path)
    img.thumbnail((PLATE, PLATE), Image.Resampling.LANCZOS)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    _save(_rgb(img), tmp)
    os.replace(tmp, target)
    return target


def link_into(pub: Published, cache: Path, target: Path) -> None:
    """Put the files of ``pub`` into ``target`` (hard links; copies where links fail)."""
    source = cache / pub.folder
    for dirpath, _dirs, files in os.walk(source):
        into = target / os.path.relpath(dirpath, source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            if name == "meta.json":
                continue
            dst = into / name
            if dst.exists():
                continue
            try:
                os.link(os.path.join(dirpath, name), dst)
            except OSError:
                shutil.copyfile(os.path.join(dirpath, name), dst)


def prune(cache: Path, keep: set[str]) -> None:
    """Remove what was made of images whose content no document shows any more (``keep``:
    the digests, or the folder names, of those still shown)."""
    if not cache.is_dir():
        return
    digests = {name[:24] for name in keep}
    for entry in cache.iterdir():
        if entry.name == "stat":
            for memo in entry.iterdir():
                if memo.read_text(encoding="utf-8", errors="replace")[:24] not in digests:
                    memo.unlink(missing_ok=True)
        elif entry.name.startswith(".") or entry.name in ("big.lock", "remote"):
            continue
        elif entry.name[:24] not in digests:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def content_digest(path: Path, cache: Path) -> str:
    """SHA-256 of the file, remembered by its stat (read again only when it changes)."""
    st = os.stat(path)
    key = hashlib.sha1(f"{os.path.realpath(path)}\0{st.st_size}\0{st.st_mtime_ns}\0"
                       f"{st.st_ino}".encode()).hexdigest()
    memo = cache / "stat" / key
    try:
        known = memo.read_text(encoding="utf-8")
        if len(known) == 64:
            return known
    except OSError:
        pass
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    memo.parent.mkdir(parents=True, exist_ok=True)
    tmp = memo.with_name(f".{key}.{os.getpid()}")
    tmp.write_text(digest, encoding="utf-8")
    os.replace(tmp, memo)
    return digest


# --------------------------------------------------------------------------- the making


def _header(path: Path) -> tuple[int, int]:
    """Width and height of the image, from its header (the pixels are not read)."""
    try:
        with Image.open(path) as img:
            return img.size
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise InputError(f"page image {path.name} is not an image the toolkit can read: "
                         f"{exc}", path=path, hint="use a JPEG, PNG or TIFF file") from None
    except OSError as exc:
        raise InputError(f"page image {path.name} cannot be read: {exc}", path=path) from None


def _load(path: Path) -> tuple[Image.Image, str, bool]:
    """The image at ``path`` decoded and upright, its format, and whether it was turned."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(path)
            fmt = opened.format or ""
            opened.load()  # (closes the file of a single-frame image)
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        what = ("is too large to be an image of a page" if "pixels" in str(exc)
                else "is not an image the toolkit can read")
        raise InputError(f"page image {path.name} {what}: {exc}", path=path,
                         hint="use a JPEG, PNG or TIFF file") from None
    except OSError as exc:
        raise InputError(f"page image {path.name} cannot be read: {exc}", path=path,
                         hint="is the file complete?") from None
    turned = opened.getexif().get(0x0112, 1) not in (0, 1)  # the EXIF orientation
    if turned:
        ImageOps.exif_transpose(opened, in_place=True)
    return opened, fmt, turned


def _rgb(img: Image.Image) -> Image.Image:
    """The image in a mode a JPEG can hold (16-bit greys scaled, not clipped)."""
    if img.mode in ("RGB", "L"):
        return img
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        return img.point(lambda v: v / 256).convert("L")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        background = Image.new("RGB", img.size, "white")
        background.paste(img.convert("RGBA"), mask=img.convert("RGBA").getchannel("A"))
        return background
    return img.convert("RGB")


def _save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=QUALITY)


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    w, h = size
    scale = min(1.0, longest / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def _single(path: Path, img: Image.Image, fmt: str, turned: bool, out: Path,
            folder: str) -> Published:
    ext = _WEB_FORMATS.get(fmt.upper())
    if ext and not turned:
        name = "image" + ext
        shutil.copyfile(path, out / name)
    else:
        name = "image.jpg"
        _save(_rgb(img), out / name)
    thumb = _rgb(img).copy()
    thumb.thumbnail((THUMB, THUMB), Image.Resampling.LANCZOS)
    _save(thumb, out / "thumb.jpg")
    return Published(folder, img.width, img.height, False, name, img.size, "thumb.jpg",
                     thumb.size)


def scale_factors(width: int, height: int) -> list[int]:
    """1, 2, 4 … until the whole image fits one tile and a thumbnail."""
    factors = [1]
    while True:
        s = factors[-1]
        w, h = math.ceil(width / s), math.ceil(height / s)
        if w <= TILE and h <= TILE and max(w, h) <= THUMB:
            return factors
        factors.append(s * 2)


def region(x: int, y: int, w: int, h: int, width: int, height: int) -> str:
    """A region in canonical form (``full`` when it is the whole image)."""
    return "full" if (x, y, w, h) == (0, 0, width, height) else f"{x},{y},{w},{h}"


def size(w: int, h: int, width: int, height: int) -> str:
    """A size in canonical form (``max`` at full resolution)."""
    return "max" if (w, h) == (width, height) else f"{w},{h}"


def _tile(img: Image.Image, out: Path, folder: str) -> Published:
    img = _rgb(img)
    width, height = img.size
    factors = scale_factors(width, height)
    sizes: list[tuple[int, int]] = []
    view: tuple[int, int] | None = None
    level = img

    def whole(image: Image.Image) -> None:
        sizes.append(image.size)
        _save(image, out / "full" / size(*image.size, width, height) / "0" / "default.jpg")

    for s in factors:
        if s > 1:
            smaller = max(math.ceil(width / s), math.ceil(height / s))
            if view is None and smaller < VIEW:  # made from the last level larger than it
                view = _fit((width, height), VIEW)
                whole(level.resize(view, Image.Resampling.LANCZOS))
            level = level.reduce(2)  # rounds up, as the spec's ceil(width / s)
        lw, lh = level.size
        if view is None and max(lw, lh) <= VIEW:
            view = (lw, lh)
            whole(level)
        elif lw <= TILE and lh <= TILE:
            whole(level)
        step = TILE * s  # a tile's extent in full-resolution pixels
        for ty in range(math.ceil(lh / TILE)):
            for tx in range(math.ceil(lw / TILE)):
                x, y = tx * step, ty * step
                rw, rh = min(step, width - x), min(step, height - y)
                sw, sh = min(TILE, lw - tx * TILE), min(TILE, lh - ty * TILE)
                rel = out / region(x, y, rw, rh, width, height) / size(sw, sh, width, height)
                target = rel / "0" / "default.jpg"
                if not target.exists():  # a one-tile level is also its whole image
                    _save(level.crop((tx * TILE, ty * TILE, tx * TILE + sw, ty * TILE + sh)),
                          target)
    sizes = sorted(set(sizes))
    assert view is not None  # the last level fits a thumbnail
    small = sizes[0]
    return Published(folder, width, height, True,
                     f"full/{size(*view, width, height)}/0/default.jpg", view,
                     f"full/{size(*small, width, height)}/0/default.jpg", small,
                     factors, sizes)


@contextlib.contextmanager
def _one_big_at_a_time(cache: Path, big: bool) -> Iterator[None]:
    if not big:
        yield
        return
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "big.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_meta(folder: Path) -> Published | None:
    try:
        data = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for key in ("view_size", "thumb_size"):
        data[key] = tuple(data[key])
    data["sizes"] = [tuple(s) for s in data.get("sizes", [])]
    return Published(**data)
