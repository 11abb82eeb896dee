"""Draw the page images of the facsimile test edition (tests/data/facsimile/edition/tei/img/).

    python tests/data/facsimile/make_images.py

Each page is a sheet with dark bars where its lines are, numbered, so that a screenshot shows
whether a zone lights up over its line. Line i of a page is the bar from (LEFT, top(i)) to
(RIGHT, top(i) + HEIGHT) in the image's pixels; the zones in letter.xml are these boxes, on
page 1 in a surface twice the image's size (its zones are in that space).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent / "edition" / "tei" / "img"
LEFT, RIGHT, HEIGHT, FIRST, STEP = 80, 620, 34, 170, 62


def top(i: int) -> int:
    """Top of line i (0-based) in pixels."""
    return FIRST + i * STEP


def sheet(name: str, size: tuple[int, int], lines: int, title: str, mode: str = "RGB") -> None:
    img = Image.new("RGB", size, "#efe4c8")
    d = ImageDraw.Draw(img)
    d.rectangle([8, 8, size[0] - 9, size[1] - 9], outline="#b9a77e", width=3)
    # the heading, drawn as a slanted band (its zone is a polygon)
    d.polygon([(230, 60), (480, 52), (486, 118), (236, 126)], fill="#7a5a33")
    d.text((300, 80), title, fill="#f4ecd8")
    for i in range(lines):
        d.rectangle([LEFT, top(i), RIGHT, top(i) + HEIGHT], fill="#3a3a3a")
        d.text((LEFT + 8, top(i) + 10), f"line {i + 1}", fill="#f4ecd8")
    OUT.mkdir(parents=True, exist_ok=True)
    if mode == "P":
        img.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(OUT / name)
    else:
        img.save(OUT / name, quality=70)


if __name__ == "__main__":
    sheet("p1.jpg", (700, 900), 10, "page 1")
    sheet("p2.png", (700, 900), 10, "page 2", mode="P")
    sheet("p3.jpg", (700, 900), 6, "page 3")
    for f in sorted(OUT.iterdir()):
        print(f.name, f.stat().st_size, "bytes")
