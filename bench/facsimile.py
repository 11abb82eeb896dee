"""What page images cost a build: tiling a scan, against the floor of decoding it.

A synthetic scan (default 6000 x 8000 pixels, JPEG, about a 48-megapixel camera's page) is
decoded once by Pillow (the floor: nothing can publish it faster), then published as IIIF
level-0 tiles by :func:`toolkit.facsimile.images.publish` (first build), published again (the
cache: a rebuild), and made a plate of the print edition. Ratios are to the floor measured in
the same run; the machine's load makes the seconds themselves noisy.

    python bench/facsimile.py                 # 6000 x 8000
    python bench/facsimile.py --size 3000x4000
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from toolkit.facsimile import images  # noqa: E402


def scan(path: Path, width: int, height: int) -> Path:
    """A page: paper, ruled lines of 'writing', some noise so that JPEG has work to do."""
    img = Image.effect_noise((width, height), 18).convert("RGB")
    paper = Image.new("RGB", (width, height), (236, 226, 200))
    img = Image.blend(paper, img, 0.15)
    draw = ImageDraw.Draw(img)
    for y in range(height // 10, height - height // 10, max(8, height // 40)):
        for x in range(width // 10, width - width // 10, max(6, width // 120)):
            if (x * 7 + y * 3) % 11:
                draw.line([(x, y), (x + width // 150, y - height // 200)], fill=(60, 45, 30),
                          width=max(1, width // 1200))
    img.save(path, quality=90)
    return path


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="6000x8000", help="width x height of the scan")
    ap.add_argument("--runs", type=int, default=3, help="runs of the floor (the best counts)")
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    work = Path(tempfile.mkdtemp(prefix="teikit-bench-facs-"))
    try:
        src = scan(work / "scan.jpg", width, height)

        def decode() -> None:
            with Image.open(src) as im:
                im.load()

        floor = best_of(args.runs, decode)
        t = time.perf_counter()
        pub = images.publish(src, work / "cache", "auto")
        first = time.perf_counter() - t
        again = best_of(args.runs, lambda: images.publish(src, work / "cache", "auto"))
        t = time.perf_counter()
        images.plate(src, work / "cache")
        plate = time.perf_counter() - t
        files = sum(1 for _ in (work / "cache" / pub.folder).rglob("*.jpg"))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"scan {width} x {height}, {src.stat().st_size / 2**20:.1f} MB JPEG\n")
        print("| measurement | wall time (s) | ratio to floor |")
        print("|---|---:|---:|")
        print(f"| floor: Pillow decodes the scan | {floor:.2f} | 1.0x |")
        print(f"| tiles, first build ({files} files) | {first:.2f} | {first / floor:.1f}x |")
        print(f"| tiles, a rebuild (cache) | {again:.4f} | {again / floor:.3f}x |")
        print(f"| a plate of the PDF | {plate:.2f} | {plate / floor:.1f}x |")
        print(f"\npeak memory of the process: {peak:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
