"""``teikit init``: start an edition of one's own with a configuration, a first TEI file and a
``.gitignore`` that keeps the built edition out of the repository.

The first file is a small, valid TEI P5 document that already shows the conventions the toolkit
renders (a person in a standoff list, a regularised spelling, an editorial note, a date), so an
editor can learn by replacing its content.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from toolkit.errors import ConfigError

CONFIG = """\
# Settings of this edition for teikit (see `teikit build --help`).
title = {title}
formats = ["html", "text", "pdf"]
reading = "normalised"   # or "original"
paper = "a4"             # or "letter"
# language = "en"        # of the interface: en, de, fr, it, es (default: that of the texts)
"""

#: what an edition's git repository should not hold: the built edition (a build writes it, and
#: replaces it whole) and the staging folders of builds
GITIGNORE = """\
# Written by `teikit build`: the built edition and the folders builds stage it in.
/output/
/.output.staging-*
"""

FIRST_TEXT = """\
<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" \
type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{title}</title>
        <author><persName ref="#author">The Author</persName></author>
      </titleStmt>
      <publicationStmt>
        <p>Unpublished draft edition.</p>
      </publicationStmt>
      <sourceDesc>
        <bibl><author>The Author</author>, <title>The source</title>, <date when="1900">1900</date>.</bibl>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <head>{title}</head>
      <p>On <date when="1900-01-01">New Year's Day</date> <persName ref="#author">the author</persName>
        wrote a <choice><orig>shorte</orig><reg>short</reg></choice> text.<note type="editorial"
        resp="#editor">Replace this paragraph with your own text.</note></p>
    </body>
  </text>
  <standOff>
    <listPerson>
      <person xml:id="author">
        <persName>The Author</persName>
        <note>Who the author was.</note>
      </person>
      <person xml:id="editor">
        <persName>The Editor</persName>
      </person>
    </listPerson>
  </standOff>
</TEI>
"""


def create(directory: Path, title: str) -> list[Path]:
    """Create ``directory/teikit.toml``, ``directory/tei/<slug>.xml`` and a ``.gitignore`` (if
    there is none); never overwrite."""
    directory = Path(directory)
    config = directory / "teikit.toml"
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "edition"
    first = directory / "tei" / f"{slug}.xml"
    ignore = directory / ".gitignore"
    for path in (config, first):
        if path.exists():
            raise ConfigError(f"{path} exists already; not overwriting it",
                              hint="choose an empty folder")
    first.parent.mkdir(parents=True, exist_ok=True)
    safe_title = title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "'")
    # A JSON string is a TOML basic string: quotes, backslashes and controls escaped.
    config.write_text(CONFIG.format(title=json.dumps(title, ensure_ascii=False)),
                      encoding="utf-8")
    first.write_text(FIRST_TEXT.format(title=safe_title), encoding="utf-8")
    created = [config, first]
    if not ignore.exists():
        ignore.write_text(GITIGNORE, encoding="utf-8")
        created.append(ignore)
    return created
