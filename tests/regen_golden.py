"""Regenerate the golden files of the plain-text tests (tests/test_text.py).

    python tests/regen_golden.py            # every sample in tests/data/text/
    python tests/regen_golden.py prose verse  # only the named samples

Each hand-written sample ``tests/data/text/<name>.xml`` is rendered in both variants with the
fixed parameters below and written to ``<name>.diplomatic.txt`` and ``<name>.reading.txt``
beside it. The script prints which files changed. A golden file is a claim that the output is
right: read the diff (``git diff tests/data/text``) before committing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "data" / "text"
VARIANTS = ("diplomatic", "reading")

#: Fixed parameters: the output depends on nothing but the sample and the stylesheets.
PARAMS = {"site-title": "Test Edition", "build-date": "2024-01-01", "base-url": "",
          "language": "en", "wrap": 72}


def samples() -> list[Path]:
    """The sample documents, sorted by name."""
    return sorted(SAMPLES.glob("*.xml"))


def golden_path(sample: Path, variant: str) -> Path:
    return sample.with_name(f"{sample.stem}.{variant}.txt")


def render_sample(sample: Path, variant: str) -> str:
    """The text edition of a sample as the golden file holds it (line ends normalised)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from toolkit.text.edition import render_text

    return render_text(sample, variant, **PARAMS).replace("\r\n", "\n")


def main(names: list[str]) -> int:
    chosen = [s for s in samples() if not names or s.stem in names]
    unknown = set(names) - {s.stem for s in chosen}
    if unknown:
        print(f"no such sample: {', '.join(sorted(unknown))} (see {SAMPLES})", file=sys.stderr)
        return 2
    for sample in chosen:
        for variant in VARIANTS:
            path = golden_path(sample, variant)
            text = render_sample(sample, variant)
            old = path.read_text(encoding="utf-8") if path.exists() else None
            if old != text:
                path.write_text(text, encoding="utf-8")
                print(f"{'updated' if old is not None else 'created'} {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
