"""Source digests remembered between builds (toolkit/builder/digests.py): unchanged files are not read
again, and any change of content or of a file pointed into is seen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.builder import BuildOptions, build
from toolkit.builder.digests import Digests, pointed_into
from toolkit.project.config import load_project


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "a.xml"
    f.write_text('<TEI ref="persons.xml#x"/>', encoding="utf-8")
    (tmp_path / "persons.xml").write_text("<listPerson/>", encoding="utf-8")
    first = Digests(tmp_path / "record.json")
    digest = first.digest(f)
    assert first.references(f) == [(tmp_path / "persons.xml").resolve()]
    first.save()

    def no_reading(self):
        raise AssertionError(f"{self} was read again")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    again = Digests(tmp_path / "record.json")
    assert again.digest(f) == digest
    assert again.references(f) == [(tmp_path / "persons.xml").resolve()]


def test_a_change_is_seen_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    f = tmp_path / "a.xml"
    f.write_text("<TEI>one</TEI>", encoding="utf-8")
    first = Digests(tmp_path / "record.json")
    before = first.digest(f)
    first.save()
    st = f.stat()
    replacement = tmp_path / "b.xml"  # a new file (a new inode), same size, same time
    replacement.write_text("<TEI>two</TEI>", encoding="utf-8")
    os.utime(replacement, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(replacement, f)
    assert Digests(tmp_path / "record.json").digest(f) != before


@pytest.mark.parametrize("record", ["", "not json", "[1, 2]", '{"x": [1]}'])
def test_a_damaged_record_only_means_reading_again(tmp_path: Path, record: str) -> None:
    f = tmp_path / "a.xml"
    f.write_text("<TEI/>", encoding="utf-8")
    (tmp_path / "record.json").write_text(record, encoding="utf-8")
    import hashlib

    assert Digests(tmp_path / "record.json").digest(f) == hashlib.sha256(b"<TEI/>").hexdigest()


def test_files_pointed_into_count_once_they_exist(tmp_path: Path) -> None:
    (tmp_path / "persons.xml").write_text("<x/>", encoding="utf-8")
    f = tmp_path / "a.xml"
    f.write_bytes(b'<p ref="persons.xml#a places.xml#b"/><q target="#c"/>')
    assert pointed_into(f) == [(tmp_path / n).resolve() for n in ("persons.xml", "places.xml")]
    first = Digests(tmp_path / "record.json")
    assert first.references(f) == [(tmp_path / "persons.xml").resolve()]
    first.save()
    (tmp_path / "places.xml").write_text("<y/>", encoding="utf-8")  # a.xml stays as it was
    assert Digests(tmp_path / "record.json").references(f) == [
        (tmp_path / n).resolve() for n in ("persons.xml", "places.xml")]


def test_editing_a_file_pointed_into_rebuilds_the_document(small_edition: Path) -> None:
    tei = small_edition / "tei"
    register = tei / "register.xml"
    register.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson>'
        '<person xml:id="ann"><persName>Ann</persName></person></listPerson></standOff></TEI>',
        encoding="utf-8")
    letter = next(p for p in tei.glob("*.xml") if p.name not in ("register.xml",
                                                                  "second-letter.xml"))
    letter.write_text(letter.read_text(encoding="utf-8").replace(
        "<body>", '<body><p><persName ref="register.xml#ann">Ann</persName></p>', 1),
        encoding="utf-8")
    project = load_project(small_edition)
    opts = BuildOptions(formats=["text"], validate=False, jobs=1, build_date="2026-01-01")
    build(project, opts)
    assert build(project, opts).built == []
    register.write_text(register.read_text(encoding="utf-8").replace("Ann<", "Anne<"),
                        encoding="utf-8")
    # The register itself and the letter that points into it; not the other letter.
    assert sorted(build(project, opts).built) == sorted([letter.stem, "register"])


def test_the_index_keeps_one_part_per_source_as_files_change_and_go(small_edition: Path) -> None:
    """The edition's id index keeps each source's part (its ids, links, entries) by content:
    an edited file's old part is removed with the next build, as is the part of a file gone."""
    from toolkit.project import paths

    project = load_project(small_edition)
    tei = small_edition / "tei"
    (tei / "third-letter.xml").write_text((tei / "second-letter.xml").read_text(
        encoding="utf-8").replace("A second letter", "A third letter"), encoding="utf-8")

    def parts() -> set[str]:
        return {p.name for p in paths.ids_cache(project).glob("*.json")}

    build(project, BuildOptions(formats=["html"]))
    first = parts()
    assert len(first) == 3
    doc = tei / "second-letter.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("</body>", "<p>Mehr.</p></body>", 1),
                   encoding="utf-8")
    build(project, BuildOptions(formats=["html"]))
    second = parts()
    assert len(second) == 3 and len(second - first) == 1
    (tei / "third-letter.xml").unlink()
    build(project, BuildOptions(formats=["html"]))
    assert len(parts()) == 2 and parts() < second
