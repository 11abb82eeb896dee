"""The plain-text editions (xslt/text/): golden files for small samples, properties for real TEI.

Golden files: each hand-written sample tests/data/text/<name>.xml, rendered in both variants with
fixed parameters, must equal <name>.diplomatic.txt / <name>.reading.txt beside it. A failing
output is saved beside the golden file as <name>.<variant>.txt.actual (git-ignored) for
inspection. After an intended change, regenerate with ``python tests/regen_golden.py`` and read
the diff before committing it.

Properties, over every file of ../shared/corpora/variety (skipped where ../shared is absent):
the diplomatic text holds every word of the document's text (outside notes and the header, one
alternative of each choice or apparatus entry), the reading text keeps within its width, no
markup leaks, the output is well formed as text (one final newline, no trailing spaces, no runs
of blank lines) and identical when rendered again.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import CORPORA
from lxml import etree
from regen_golden import PARAMS, SAMPLES, VARIANTS, golden_path, render_sample, samples

from toolkit.errors import TransformError
from toolkit.text.edition import render_text

REPO = Path(__file__).resolve().parents[1]
VARIETY = CORPORA / "variety"

TEI_NS = "http://www.tei-c.org/ns/1.0"
T = f"{{{TEI_NS}}}"

#: Elements whose content is never in the text (the common layer's tk:is-omitted and notes).
NOT_TEXT = {T + name for name in (
    "teiHeader", "note", "facsimile", "sourceDoc", "standOff", "fw", "index", "interp",
    "interpGrp", "link", "linkGrp", "join", "joinGrp", "span", "spanGrp", "alt", "altGrp",
    "certainty", "precision", "respons", "timeline", "figDesc", "graphic", "binaryObject",
    "media", "witDetail", "wit", "witStart", "witEnd", "lacunaStart", "lacunaEnd")}
#: Elements whose children are alternatives: the text shows one of them.
ALTERNATIVES = {T + "choice", T + "app", T + "rdgGrp"}


def variety_files() -> list:
    if not VARIETY.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"{VARIETY} is not present (shared test material, development tree only)"))]
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}")
            for p in sorted(VARIETY.glob("*/*.xml"))]


@functools.cache
def rendered(path: Path, variant: str) -> str:
    return render_text(path, variant)


def columns(line: str) -> int:
    """Width of a line in columns: characters, combining marks not counted."""
    return sum(1 for c in line if not unicodedata.combining(c))


# ---------------------------------------------------------------------------------------------
# golden files


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("sample", samples(), ids=lambda p: p.stem)
def test_golden(sample: Path, variant: str):
    golden = golden_path(sample, variant)
    actual_path = golden.with_name(golden.name + ".actual")
    got = render_sample(sample, variant)
    want = golden.read_text(encoding="utf-8") if golden.exists() else None
    if got == want:
        actual_path.unlink(missing_ok=True)
        return
    actual_path.write_text(got, encoding="utf-8")
    pytest.fail(f"{golden.relative_to(REPO)} differs from the output, saved as "
                f"{actual_path.relative_to(REPO)}; if the change is intended, run "
                f"`python tests/regen_golden.py {sample.stem}` and review the diff")


# ---------------------------------------------------------------------------------------------
# properties of any output


def assert_well_formed_text(text: str, what: str) -> None:
    assert text.endswith("\n") and not text.endswith("\n\n"), f"{what}: not one final newline"
    assert text == "\n" or not text.startswith("\n"), f"{what}: starts with a blank line"
    assert "\n\n\n" not in text, f"{what}: more than one blank line in a row"
    for number, line in enumerate(text.split("\n"), 1):
        assert line == line.rstrip(), f"{what}:{number}: trailing whitespace in {line!r}"
    stray = re.search("[\ufdd0-\ufdd7]", text)
    assert stray is None, f"{what}: an internal marker leaked at offset {stray.start()}"


#: What may stand before a single word too long for the line: an indent, a bullet, a note
#: number, a header label.
LINE_PREFIX = re.compile(r"^(?:[-\u2013]|\d+\.|\[\d+\]|[^\s:]+:)?$")


def assert_within_width(text: str, width: int, what: str) -> None:
    for number, line in enumerate(text.split("\n"), 1):
        if columns(line) <= width:
            continue
        head, _, _word = line.strip().rpartition(" ")
        assert LINE_PREFIX.match(head.strip()), (
            f"{what}:{number}: {columns(line)} columns, and not a single overlong word: {line!r}")


def assert_no_markup(text: str, source_text: str, what: str) -> None:
    for escape in ("&lt;", "&gt;", "&amp;", "&#", "&quot;"):
        if escape not in source_text:
            assert escape not in text, f"{what}: escaped markup {escape!r} in the text"
    if "<" not in source_text:
        text = re.sub(r"<https?://[^\s<>]+>", "", text)  # web addresses of pointers
        assert "<" not in text, f"{what}: a '<' in the text: {text[text.index('<'):][:60]!r}"


def assert_notes_resolve(text: str, what: str, literal_brackets: bool = False) -> None:
    """The list of notes at the end numbers its entries 1..N, and each marker [n] has its
    entry. ``literal_brackets``: the source may itself have bracketed numbers such as [12]."""
    lines = text.split("\n")
    heads = [i for i in range(len(lines) - 1) if lines[i] in ("Notes", "Anmerkungen")
             and set(lines[i + 1]) == {"-"}]
    if not heads:
        return  # no notes of ours (a source's own notes in its back matter are its text)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", "\n".join(lines[:heads[-1]]))}
    entries = [int(m.group(1)) for line in lines[heads[-1]:]
               for m in [re.match(r"\[(\d+)\](?: |$)", line)] if m]
    assert entries == list(range(1, len(entries) + 1)), f"{what}: note entries {entries}"
    assert set(entries) <= markers, f"{what}: entries without a marker"
    if not literal_brackets:
        assert markers <= set(entries), f"{what}: markers {sorted(markers - set(entries))} " \
                                        "without an entry"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("sample", samples(), ids=lambda p: p.stem)
def test_samples_are_well_formed_text(sample: Path, variant: str):
    text = render_sample(sample, variant)
    assert_well_formed_text(text, f"{sample.name} ({variant})")
    assert_no_markup(text, "".join(etree.parse(str(sample)).getroot().itertext()), sample.name)
    if variant == "reading":
        assert_within_width(text, PARAMS["wrap"], sample.name)
        assert_notes_resolve(text, sample.name)
    assert render_sample(sample, variant) == text, f"{sample.name}: not deterministic"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("path", variety_files())
def test_corpus_output_is_well_formed_text(path: Path, variant: str):
    text = rendered(path, variant)
    source_text = "".join(etree.parse(str(path)).getroot().itertext())
    assert_well_formed_text(text, f"{path.name} ({variant})")
    assert_no_markup(text, source_text, f"{path.name} ({variant})")
    if variant == "reading":
        assert_within_width(text, 72, path.name)
        assert_notes_resolve(text, path.name, literal_brackets=True)


@pytest.mark.parametrize("path", [p for p in variety_files() if p.values[0] is None
                                  or p.values[0].parent.name in ("gerdracor", "escher-briefe")
                                  and p.values[0].stat().st_size < 100_000])
def test_corpus_output_is_deterministic(path: Path):
    first = rendered(path, "reading")
    assert render_text(path, "reading") == first, f"{path.name}: a second rendering differs"


# ---------------------------------------------------------------------------------------------
# the diplomatic text holds the whole text


def word_stream(text: str) -> str:
    """The letters and digits of a text, case-folded: what a word-for-word comparison compares,
    blind to the spacing, punctuation, quotation marks and sigla ([…], ⟦⟧) a rendering adds."""
    return "".join(re.findall(r"\w", text.casefold()))


def expected_pieces(el: etree._Element) -> list:
    """The text of ``el`` as a list of pieces: word streams (required, in order) and lists of
    alternatives (each itself a list of pieces; one of them must follow). Notes, the header
    and the like are left out."""
    pieces: list = []

    def add(text: str | None) -> None:
        stream = word_stream(text or "")
        if not stream:
            return
        if pieces and isinstance(pieces[-1], str):
            pieces[-1] += stream
        else:
            pieces.append(stream)

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in NOT_TEXT:
            return
        if node.tag in ALTERNATIVES:
            options = [p for alt in alternatives(node) if (p := expected_pieces(alt))]
            if options:
                pieces.append(options)
            return
        add(node.text)
        for child in node:
            walk(child)
            add(child.tail)

    walk(el)
    return pieces


def alternatives(node: etree._Element) -> list[etree._Element]:
    """The readings of a choice or an apparatus entry (those of a reading group included)."""
    out = []
    for child in node:
        if not isinstance(child.tag, str) or child.tag in NOT_TEXT:
            continue
        out.extend(alternatives(child) if child.tag == T + "rdgGrp" else [child])
    return out


def match(pieces: list, stream: str, at: int = 0) -> int | None:
    """Where the pieces end when they occur in ``stream`` in order from ``at``, else None."""
    for piece in pieces:
        if isinstance(piece, str):
            found = stream.find(piece, at)
            if found < 0:
                return None
            at = found + len(piece)
        else:
            ends = [end for option in piece if (end := match(option, stream, at)) is not None]
            if not ends:
                return None
            at = min(ends)
    return at


def find_in_order(pieces: list, stream: str) -> str | None:
    """None when every piece occurs in ``stream`` in order, else a description of the first
    one that does not."""
    at = 0
    for piece in pieces:
        end = match([piece], stream, at)
        if end is None and isinstance(piece, str):
            # The longest beginning of the run that is there, to show where the text departs.
            lo, hi = 0, len(piece)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if stream.find(piece[:mid], at) >= 0 else (lo, mid - 1)
            where = stream.find(piece[:lo], at) + lo
            return (f"after {piece[max(0, lo - 40):lo]!r} the text lacks {piece[lo:lo + 60]!r}"
                    f" and goes on with {stream[where:where + 60]!r}")
        if end is None:
            shown = " | ".join(
                "".join(p if isinstance(p, str) else "(...)" for p in option)
                for option in piece)
            return f"missing {shown[:100]!r}; the text goes on with {stream[at:at + 60]!r}"
        at = end
    return None


def body_texts(root: etree._Element) -> list[etree._Element]:
    """The outermost text elements of a TEI document or corpus, in document order."""
    return [t for t in root.iter(T + "text")
            if not any(a.tag == T + "text" for a in t.iterancestors())]


@pytest.mark.parametrize("path", variety_files())
def test_diplomatic_text_holds_every_word_of_the_text(path: Path):
    root = etree.parse(str(path)).getroot()
    pieces = [p for text in body_texts(root) for p in expected_pieces(text)]
    got = rendered(path, "diplomatic")
    if not pieces:
        assert got == "\n", f"{path.name} has no text, yet its diplomatic text is {got[:80]!r}"
        return
    problem = find_in_order(pieces, word_stream(got))
    assert problem is None, f"{path.name}: {problem}"


def test_the_word_check_can_fail():
    """The comparison above catches a lost word, a lost choice and a reordering."""
    tei = etree.fromstring(
        f'<text xmlns="{TEI_NS}"><body><p>alpha <choice><sic>beta</sic><corr>gamma</corr>'
        "</choice> delta<note>never</note></p><p>epsilon</p></body></text>")
    pieces = expected_pieces(tei)
    assert find_in_order(pieces, word_stream("alpha beta delta\n\nepsilon")) is None
    assert find_in_order(pieces, word_stream("alpha gamma delta epsilon")) is None
    assert find_in_order(pieces, word_stream("alpha beta epsilon")) is not None
    assert find_in_order(pieces, word_stream("alpha delta epsilon")) is not None
    assert find_in_order(pieces, word_stream("epsilon alpha beta delta")) is not None


# ---------------------------------------------------------------------------------------------
# conventions the golden files rely on, stated once more where a reader looks for them


SAMPLE = Path(__file__).resolve().parent / "data" / "text"


def test_header_and_out_of_flow_content_never_read_as_text():
    for variant in VARIANTS:
        text = render_sample(SAMPLE / "unknown.xml", variant)
        for hidden in ("HEADER-ONLY", "FACSIMILE-ONLY", "STANDOFF-ONLY", "INDEX-ONLY",
                       "FW-ONLY"):
            assert hidden not in text, f"{hidden} shows in the {variant} text"
        for kept in ("unknown inline", "made-up TEI", "An unknown block",
                     "Unknown mixed content with markup.", "Back matter is part of the text."):
            assert kept in text, f"{kept!r} vanished from the {variant} text"


def test_reading_level_is_a_parameter():
    prose = SAMPLE / "prose.xml"
    original = render_text(prose, "reading", reading="original", **{"build-date": "2024-01-01"})
    normalised = render_text(prose, "reading", **{"build-date": "2024-01-01"})
    assert "it become evident" in original and "C.P." in original
    assert "it becomes evident" in normalised and "Communist Party" in normalised
    assert "original readings" in " ".join(original.split())
    assert "normalised readings" in " ".join(normalised.split())


def test_wrap_width_is_a_parameter():
    text = render_text(SAMPLE / "prose.xml", "reading", wrap=40)
    assert max(columns(line) for line in text.split("\n")) <= 40
    assert_within_width(text, 40, "prose.xml at 40 columns")


def test_diplomatic_paragraphs_are_single_lines():
    text = render_sample(SAMPLE / "prose.xml", "diplomatic")
    assert ("From day to day it become evident that the proceeding purges pale. The target is "
            "the C.P. and the \u201cruling party\u201d") in text


@pytest.mark.parametrize("name, value", [("variant", "fancy"), ("reading", "modern")])
def test_bad_parameter_is_an_error_naming_it(name: str, value: str):
    params = {"variant": "reading", name: value}
    with pytest.raises(TransformError) as info:
        render_text(SAMPLE / "prose.xml", **params)
    assert name in str(info.value) and value in str(info.value)


# ------------------------------------------------------------------------------ word wrap

_WRAP_PROBE = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tk="urn:teikit">
  <xsl:import href="{text_xsl}"/>
  <xsl:param name="s" as="xs:string"/>
  <xsl:param name="first" as="xs:integer"/>
  <xsl:param name="rest" as="xs:integer"/>
  <xsl:output method="text"/>
  <xsl:template name="probe">
    <xsl:value-of select="string-join(tk:text-wrap($s, $first, $rest), '&#10;'), '|',
                          string-join(tk:text-wrap-words($s, $first, $rest), '&#10;')"
                  separator=""/>
  </xsl:template>
</xsl:stylesheet>"""


@functools.cache
def _wrap_probe():
    from toolkit.transform import processor, xslt_dir

    text_xsl = (xslt_dir() / "text" / "text.xsl").as_uri()
    return processor().new_xslt30_processor().compile_stylesheet(
        stylesheet_text=_WRAP_PROBE.format(text_xsl=text_xsl))


def wrap_both(text: str, first: int, rest: int) -> tuple[str, str]:
    """tk:text-wrap (the fast path by position) and tk:text-wrap-words (word by word)."""
    from toolkit.transform import processor

    exe, proc = _wrap_probe(), processor()
    exe.clear_parameters()
    exe.set_parameter("s", proc.make_string_value(text))
    exe.set_parameter("first", proc.make_integer_value(first))
    exe.set_parameter("rest", proc.make_integer_value(rest))
    fast, words = exe.call_template_returning_string("probe").split("|")
    return fast, words


@pytest.mark.parametrize("text, first, rest, expected", [
    ("", 20, 20, ""),
    ("one two three", 20, 20, "one two three"),
    ("aaaa bbbb cccc", 9, 9, "aaaa bbbb\ncccc"),  # a space right after a full line
    ("aaaa bbbb cccc", 8, 8, "aaaa\nbbbb\ncccc"),
    ("tiny enormouslylongword x", 6, 6, "tiny\nenormouslylongword\nx"),
    ("enormouslylongword", 5, 5, "enormouslylongword"),
    ("a bb ccc dddd", 4, 6, "a bb\nccc\ndddd"),
])
def test_wrap_cases(text, first, rest, expected):
    assert wrap_both(text, first, rest) == (expected, expected)


def test_wrap_by_position_equals_wrap_by_words():
    """The fast path gives exactly the lines of the word-by-word algorithm."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = st.lists(st.text("abcdéẞ—[1]", min_size=1, max_size=30), min_size=0, max_size=40)

    @settings(max_examples=300, deadline=None)
    @given(words, st.integers(1, 80), st.integers(1, 80))
    def check(ws, first, rest):
        fast, slow = wrap_both(" ".join(ws), first, rest)
        assert fast == slow

    check()


# ------------------------------------------------------------- the last layout steps in Python

def stylesheet_text(path: Path, variant: str, **params) -> str:
    """A text edition laid out by the stylesheet alone (no ``caller-layout``)."""
    from toolkit.load import load
    from toolkit.transform import render

    doc, _ = load(path)
    return render(doc.tree, "text", {"variant": variant, **params}, None, path)


def raw_deferred(path: Path, variant: str = "reading") -> str:
    """What the stylesheet leaves to toolkit.text.layout, unfinished."""
    from toolkit.load import load
    from toolkit.transform import render

    doc, _ = load(path)
    return render(doc.tree, "text", {"variant": variant, "caller-layout": True}, None, path)


def test_python_wrap_equals_the_stylesheets():
    """toolkit.text.layout.wrap cuts every text where tk:text-wrap does: combining marks, the
    space separators that are not word boundaries, runs of spaces, words longer than a line."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from toolkit.text.layout import wrap

    words = st.lists(st.text("abcdéẞ—[1]\u0301\u00a0", min_size=0, max_size=30),
                     min_size=0, max_size=40)

    @settings(max_examples=300, deadline=None)
    @given(words, st.sampled_from([" ", "  "]), st.integers(1, 80), st.integers(1, 80))
    def check(ws, sep, first, rest):
        text = sep.join(ws)
        assert "\n".join(wrap(text, first, rest)) == wrap_both(text, first, rest)[0]

    check()


@pytest.mark.parametrize("text, first, rest, expected", [
    ("aaaa bbbb cccc", 9, 9, ["aaaa bbbb", "cccc"]),
    ("tiny enormouslylongword x", 6, 6, ["tiny", "enormouslylongword", "x"]),
    ("e\u0301e\u0301e\u0301 fff", 7, 7, ["e\u0301e\u0301e\u0301 fff"]),  # marks take no column
    ("a  b", 20, 20, ["a b"]),
])
def test_python_wrap_cases(text, first, rest, expected):
    from toolkit.text.layout import wrap

    assert wrap(text, first, rest) == expected


def test_finish_cleans_up_as_the_stylesheet_does():
    from toolkit.text.layout import DEFERRED, finish

    raw = (DEFERRED + "\n\nTitle\u00a0 \n\n\n\n  \ufdd8" + "12 10 2\ufdd9"
           + "one two three four five\ufdda\ufdd7 \n \t\n")
    assert finish(raw) == "Title\n\n  one two\n  three four\n  five\n"
    assert finish("kept  \n\n\n as it is") == "kept  \n\n\n as it is"
    # a text with combining marks: they take no column
    marked = DEFERRED + "\ufdd8" + "7 7 2\ufdd9e\u0301e\u0301e\u0301 fff ggg\ufdda"
    assert finish(marked) == "e\u0301e\u0301e\u0301 fff\n  ggg\n"


@pytest.mark.parametrize("sample", samples(), ids=lambda p: p.stem)
def test_caller_layout_equals_the_stylesheets_layout(sample: Path):
    """The texts laid out in Python are the texts the stylesheet lays out, byte for byte."""
    for variant, kw in (("reading", {}), ("reading", {"wrap": 30}), ("reading", {"wrap": 0}),
                        ("reading", {"reading": "original"}), ("diplomatic", {})):
        assert render_text(sample, variant, **kw) == stylesheet_text(sample, variant, **kw)


def test_caller_layout_is_used_where_it_can_be():
    """Not a comparison of one path with itself: the prose sample's lines come from Python,
    the keyed apparatus's from the stylesheet (it numbers lines after wrapping)."""
    from toolkit.text.layout import DEFERRED

    prose = raw_deferred(SAMPLES / "prose.xml")
    assert prose.startswith(DEFERRED) and "\ufdd8" in prose
    assert not raw_deferred(SAMPLES / "apparatus.xml").startswith(DEFERRED)
    assert raw_deferred(SAMPLES / "apparatus.xml", "diplomatic").startswith(DEFERRED)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("path", variety_files())
def test_caller_layout_equals_the_stylesheets_layout_on_real_tei(path: Path, variant: str):
    assert rendered(path, variant) == stylesheet_text(path, variant), path.name


def test_noncharacters_in_the_source_are_not_taken_for_the_layouts_markers():
    """Source text holding the noncharacters the layout marks notes and spacing with (its
    generated case in tests/data/robust/) reads as its words, its note numbered, the same by
    both layout paths."""
    path = Path(__file__).parent / "data" / "robust" / "noncharacters-in-the-text.xml"
    for variant in VARIANTS:
        text = render_text(path, variant)
        assert text == stylesheet_text(path, variant)
        assert_well_formed_text(text, variant)
        assert re.search(r"\bx\b", text) and "and y end." in text, text
    reading = render_text(path, "reading")
    assert "one[1]" in reading and "[1] A note." in reading, reading


def test_caller_layout_equals_the_stylesheets_layout_on_generated_tei(tmp_path):
    import teigen
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=20, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=teigen.documents())
    def check(data):
        path = tmp_path / "generated.xml"
        path.write_bytes(data)
        for variant in VARIANTS:
            assert render_text(path, variant) == stylesheet_text(path, variant)

    check()
