"""Loading is safe and precise: hostile input is refused with a diagnostic, never a crash, a
network access or a read outside the edition; positions point at the right start tag."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from lxml import etree

from toolkit.load import load

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only(diags):
    assert len(diags) == 1, [d.format() for d in diags]
    return diags[0]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_entity_bomb_is_refused_quickly(tmp_path, no_network):
    levels = ['<!ENTITY a "' + "a" * 50 + '">'] + [
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)]
    doc = write(tmp_path / "bomb.xml", "<!DOCTYPE TEI [" + "\n".join(levels) + "]>\n"
                + TEI + "<text><body><p>&i;</p></body></text></TEI>")
    result, diags = load(doc)
    assert result is None
    d = only(diags)
    assert d.rule == "xml-syntax" and "entity bomb" in d.message


def test_external_entity_is_never_read(tmp_path, no_network):
    secret = write(tmp_path / "secret.txt", "TOP-SECRET")
    doc = write(tmp_path / "xxe.xml", f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
                + TEI + "<text><body><p>&x;</p></body></text></TEI>")
    result, diags = load(doc)
    assert result is None
    d = only(diags)
    assert d.line == 2 and "refers to an external resource" in d.message
    assert "TOP-SECRET" not in d.message


def test_remote_dtd_is_not_fetched(tmp_path, no_network):
    doc = write(tmp_path / "dtd.xml", '<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd">\n'
                + TEI + "<text><body><p>x</p></body></text></TEI>")
    result, diags = load(doc)
    assert result is not None and diags == []


def test_internal_entities_still_expand(tmp_path):
    doc = write(tmp_path / "ok.xml", '<!DOCTYPE TEI [<!ENTITY ed "the editor">]>\n'
                + TEI + "<text><body><p>by &ed;</p></body></text></TEI>")
    result, diags = load(doc)
    assert diags == []
    assert "".join(result.root.itertext()) == "by the editor"


def test_xinclude_of_local_files_only(tmp_path, no_network):
    write(tmp_path / "ed" / "part.xml", TEI + '<seg xml:id="x">included</seg>after</TEI>')
    write(tmp_path / "ed" / "t.txt", "TEXT")
    write(tmp_path / "outside.txt", "SECRET")
    doc = write(tmp_path / "ed" / "main.xml", TEI + "<text><body><p>A "
                '<xi:include href="part.xml" xpointer="x"/> B '
                '<xi:include href="t.txt" parse="text"/> C '
                '<xi:include href="http://example.org/x.xml"/> D '
                '<xi:include href="../outside.txt" parse="text"/> E '
                '<xi:include href="missing.xml"><xi:fallback>FB</xi:fallback></xi:include> F '
                '<xi:include href="gone.xml"/> G</p></body></text></TEI>')
    result, diags = load(doc)
    text = "".join(result.root.itertext())
    assert text == "A included B TEXT C  D  E FB F  G"
    assert "SECRET" not in text
    expected = ["xi:include of 'http://example.org/x.xml' refused: only local files",
                "xi:include of '../outside.txt' refused: it points outside the edition",
                "xi:include target not found: 'gone.xml'"]
    assert [d.rule for d in diags] == ["xinclude"] * 3
    for d, start in zip(diags, expected, strict=True):
        assert d.message.startswith(start), d.message
    cols = [d.column for d in diags]
    line = doc.read_text(encoding="utf-8")
    assert [line[c - 1:c + 11] for c in cols] == ["<xi:include "] * 3
    assert len(set(cols)) == 3


def test_xinclude_loop_is_refused(tmp_path):
    doc = write(tmp_path / "loop.xml", TEI + '<text><body><p><xi:include href="loop.xml"/>'
                "</p></body></text></TEI>")
    result, diags = load(doc)
    assert "includes itself" in only(diags).message


def test_xinclude_loop_through_another_file_is_refused(tmp_path):
    """a.xml includes b.xml, which includes a.xml: the loop is found across files (the depth
    guard counts the whole chain of includes, not one file's)."""
    write(tmp_path / "b.xml", TEI + '<text><body><p>B<xi:include href="a.xml"/></p></body>'
          "</text></TEI>")
    doc = write(tmp_path / "a.xml", TEI + '<text><body><p>A<xi:include href="b.xml"/></p>'
                "</body></text></TEI>")
    result, diags = load(doc)
    assert "includes itself, directly or through the files it includes" in only(diags).message
    assert "".join(result.root.itertext()) == "AB"


def test_xinclude_nesting_is_bounded_across_files(tmp_path, monkeypatch):
    from toolkit.load import xinclude

    monkeypatch.setattr(xinclude, "MAX_DEPTH", 3)
    for i in range(6):
        write(tmp_path / f"f{i}.xml", TEI + f'<text><body><p>{i}<xi:include href="f{i + 1}.xml"/>'
              "</p></body></text></TEI>")
    write(tmp_path / "f6.xml", TEI + "<text><body><p>6</p></body></text></TEI>")
    result, diags = load(tmp_path / "f0.xml")
    assert "nested deeper than 3" in only(diags).message
    assert "".join(result.root.itertext()) == "0123"


def test_xinclude_fan_out_is_bounded_and_each_target_read_once(tmp_path, monkeypatch):
    """Eight levels of files each including the next eight times would expand to 8^8 copies:
    the build stops at the size limit, fast, and reads each file once."""
    from toolkit.load import source, xinclude

    leaf = "x" * 1000
    write(tmp_path / "l8.xml", TEI + f"<text><body><p>{leaf}</p></body></text></TEI>")
    for level in range(8):
        incs = f'<xi:include href="l{level + 1}.xml"/>' * 8
        write(tmp_path / f"l{level}.xml", TEI + f"<text><body><p>{incs}</p></body></text></TEI>")
    parsed = []
    real = xinclude.parse_bytes

    def counting(data, path, shown):
        parsed.append(Path(path).name)
        return real(data, path, shown)

    monkeypatch.setattr(xinclude, "parse_bytes", counting)
    monkeypatch.setattr(xinclude, "MAX_EXPANDED", 2 * 1024 * 1024)
    result, diags = load(tmp_path / "l0.xml")
    assert sorted(parsed) == sorted(set(parsed))  # every target parsed once
    assert diags and all(d.rule == "xinclude" for d in diags)
    assert any("would bring more than 2 MB" in d.message for d in diags)
    assert len("".join(result.root.itertext())) <= 2 * 1024 * 1024 + 1000
    assert source is not None


def test_sgml_and_empty_files(tmp_path):
    for name, body, needle in [("a.tei", "<!SGML  \"ISO 8879:1986\"", "SGML declaration"),
                               ("b.xml", "  \n", "the file is empty")]:
        result, diags = load(write(tmp_path / name, body))
        assert result is None and needle in only(diags).message


def test_undeclared_latin1_is_an_encoding_error(tmp_path):
    path = tmp_path / "latin1.xml"
    path.write_bytes((TEI + "<text><body><p>caf\u00e9</p></body></text></TEI>").encode("latin-1"))
    result, diags = load(path)
    d = only(diags)
    assert result is None and "save it as UTF-8 or declare its real encoding" in d.message


def test_locate_points_at_the_start_tag(tmp_path):
    doc = write(tmp_path / "pos.xml", TEI + "\n<text><body><p>a <hi>b</hi> <hi\n  rend='x'>c</hi>"
                "</p></body></text></TEI>")
    result, _ = load(doc)
    his = result.root.findall(".//{http://www.tei-c.org/ns/1.0}hi")
    assert [result.locate(h) for h in his] == [(2, 18), (2, 29)]
    assert isinstance(result.tree, etree._ElementTree)


@pytest.mark.parametrize("name, needle", [
    ("perseus-latin/phi0972.phi001.perseus-eng1.xml", "entity &AElig; is not defined"),
    ("perseus-latin/phi0972.phi001p.perseus-lat1.xml", "content after the end of the root"),
    ("tei-guidelines/sgmldecl.tei", "SGML declaration"),
    ("tei-guidelines/testplus.xml", "xi:include target not found: 'plan.svg'"),
])
def test_edge_corpus_gets_clear_messages(corpora, name, needle, no_network):
    _, diags = load(corpora / "edge" / name)
    assert diags and needle in diags[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_noncharacters_are_taken_out_of_the_text_with_a_warning(tmp_path, encoding):
    """Unicode noncharacters are no text (the text editions use some as their own markers): a
    loaded document has none left, in text or attribute values, and one warning says where the
    first stood, written as the character or as a reference."""
    body = (f'<?xml version="1.0" encoding="{encoding}"?>\n' + TEI + "<text><body>\n"
            '<p n="a&#xfdd1;">one \ufdd5two\ufdd6 <hi>th&#64983;ree</hi>\U0010ffff</p>'
            "<!-- \ufdd0 in a comment stays -->\n</body></text></TEI>")
    path = tmp_path / "marks.xml"
    path.write_bytes(body.encode(encoding))
    result, diags = load(path)
    d = only(diags)
    assert (d.severity, d.rule, d.line, d.column) == ("warning", "noncharacter", 3, 8)
    assert "5 Unicode noncharacters, the first U+FDD1" in d.message
    p = result.root.find(".//{http://www.tei-c.org/ns/1.0}p")
    assert (p.get("n"), "".join(p.itertext())) == ("a", "one two three")
    assert "\ufdd0" in etree.tostring(result.root, encoding="unicode")  # (the comment)


def test_a_document_without_noncharacters_is_left_as_it_is(tmp_path):
    text = TEI + "<text><body><p>\u00b7\ufb01 &#xfdcf; &#xfdf0; \U0001f642 \uffef</p></body></text></TEI>"
    result, diags = load(write(tmp_path / "plain.xml", text))
    assert diags == []
    assert "".join(result.root.itertext()) == "\u00b7\ufb01 \ufdcf \ufdf0 \U0001f642 \uffef"
