"""Property-based fuzzing: whatever a TEI file has become (cut off, bytes flipped, elements
swapped or duplicated, bad dates, dangling pointers, huge numbers, control characters, runaway
whitespace or nesting), the toolkit either builds it or reports diagnostics; it never fails with
an exception other than a ToolkitError and never hangs.

Seeds: the flagship and documents of the shared corpora, whole (the flagship) or as excerpts
(every element keeps its first few children: small documents that keep the structure, so that
a case costs tenths of a second). Each case runs the per-document stages of a build in this
process, as a `--no-validate` build would and more: load, validate, the facts of the web
edition, the HTML page and both text editions, whatever validation said. A few cases run the
whole command line.

How many cases: TEIKIT_FUZZ_EXAMPLES (default 1000 where CI is set, 150 otherwise). A hang is
caught by a watchdog that ends the test run with a traceback of every thread after
TEIKIT_FUZZ_CASE_LIMIT seconds (default 120) in one case.
"""

from __future__ import annotations

import copy
import faulthandler
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from toolkit.diagnostics import Diagnostic
from toolkit.errors import ToolkitError
from toolkit.html.page import document_facts
from toolkit.load import load, safe_parser
from toolkit.transform import parsed_once, render
from toolkit.validation import validate_document

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
FLAGSHIP = REPO / "tei" / "wright-1937-international-notes.xml"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
EXAMPLES = int(os.environ.get("TEIKIT_FUZZ_EXAMPLES", "1000" if IN_CI else "150"))
CASE_LIMIT = float(os.environ.get("TEIKIT_FUZZ_CASE_LIMIT", "120"))
CORPUS_SEEDS = [
    "variety/escher-briefe/K_0133_AE_an_Heer_Oswald_1836-10-12_1836-10-17.xml",
    "variety/gerdracor/glassbrenner-die-juengste-walpurgisnacht.xml",
    "variety/tei-guidelines/torture.xml",
    "variety/tei-guidelines/testnames.xml",
    "variety/perseus-latin/phi0474.phi002.perseus-lat2.xml",
    "bulk/eltec-eng/ENG18400_Trollope.xml",
]
PARAMS = {"reading": "normalised", "site-title": "Fuzz", "build-date": "2026-01-01",
          "base-url": "", "language": "en", "formats": "html,text", "source-name": "fuzz"}


def excerpt(data: bytes, keep: int = 4) -> bytes:
    """The document with every element cut down to its first ``keep`` element children."""
    root = etree.fromstring(data, safe_parser())
    for el in list(root.iter()):
        for child in [c for c in el if isinstance(c.tag, str)][keep:]:
            el.remove(child)
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)


def _seeds() -> list[tuple[str, bytes]]:
    flagship = FLAGSHIP.read_bytes()
    seeds = [("flagship", flagship), ("flagship-excerpt", excerpt(flagship)),
             ("flagship-excerpt-2", excerpt(flagship, 2))]
    for rel in CORPUS_SEEDS:
        path = CORPORA / rel
        if path.is_file():  # the shared corpora exist only in the development tree
            seeds.append((path.stem, excerpt(path.read_bytes())))
    return seeds


SEEDS = _seeds()


# ------------------------------------------------------------------------------ mutations

BAD_VALUES = [
    "1937-13-45", "2020-02-30", "-0000", "99999999-01-01", "1937-11-27T25:61:00", "", " ",
    "9" * 400, "1e999", "-1", "NaN", "0x1F", "#nowhere", "#", "##", "other.xml#x",
    "../../../etc/passwd#root", "/etc/passwd", "file:///etc/passwd", "javascript:alert(1)",
    "http://example.org/x.xml#a", "data:text/html,<b>x</b>", "a b c", "x" * 20000,
    "\u202eevil", "\U0001f600", "é" * 50, "<script>", "\"'&amp;", "ÿ\u00a0\u2028",
]
ATTRS = ["when", "notBefore", "notAfter", "from", "to", "ref", "target", "corresp", "who",
         "{http://www.w3.org/XML/1998/namespace}id", "{http://www.w3.org/XML/1998/namespace}lang",
         "n", "rend", "type", "cols", "rows", "quantity", "unit", "facs", "url", "key", "break",
         "place", "reason", "extent", "xpointer", "href"]
NAMES = ["p", "div", "note", "persName", "choice", "sic", "corr", "app", "lem", "rdg", "lb", "pb",
         "sp", "speaker", "l", "lg", "table", "row", "cell", "list", "item", "head", "q", "hi",
         "TEI", "text", "body", "teiHeader", "standOff", "unknownThing", "xi:include"]
CONTROL = [b"\x00", b"\x01", b"\x08", b"\x0b", b"\x1b", b"\x7f", b"\xef\xbf\xbe", b"\xed\xa0\x80",
           b"\xc3", b"\xff\xfe", b"&#0;", b"&#x1;", b"&#xFFFE;", b"]]>", b"<!--", b"<![CDATA[",
           b"&", b"<", b"&undefined;", b"&amp", b"\r", b"\xe2\x80\xae"]


def _elements(root) -> list:
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _tree_op(data: bytes, draw) -> bytes:
    """An edit of the parsed document (falls back to the bytes when they do not parse)."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        return data
    els = _elements(root)
    kind = draw(st.sampled_from(["swap", "duplicate", "delete", "attribute", "rename",
                                 "whitespace", "nest", "move-text", "no-namespace"]))
    a = els[draw(st.integers(0, len(els) - 1))]
    b = els[draw(st.integers(0, len(els) - 1))]
    if kind == "swap" and a is not b and b not in a.iterancestors() \
            and a not in b.iterancestors() and a.getparent() is not None \
            and b.getparent() is not None:
        pa, pb = a.getparent(), b.getparent()
        ta, tb = a.tail, b.tail
        mark_a, mark_b = etree.Comment("a"), etree.Comment("b")
        pa.replace(a, mark_a)
        pb.replace(b, mark_b)
        mark_a.getparent().replace(mark_a, b)
        mark_b.getparent().replace(mark_b, a)
        a.tail, b.tail = tb, ta
    elif kind == "duplicate" and a.getparent() is not None:
        a.addnext(copy.deepcopy(a))
    elif kind == "delete" and a.getparent() is not None:
        a.getparent().remove(a)
    elif kind == "attribute":
        name = draw(st.sampled_from(ATTRS))
        value = draw(st.sampled_from(BAD_VALUES))
        try:
            a.set(name, value)
        except ValueError:  # lxml refuses what XML cannot hold
            pass
    elif kind == "rename":
        name = draw(st.sampled_from(NAMES))
        if name.startswith("xi:"):
            a.tag = "{http://www.w3.org/2001/XInclude}" + name[3:]
            a.set("href", draw(st.sampled_from(["missing.xml", "fuzz.xml", "../x.xml",
                                                "http://example.org/x.xml", ""])))
        else:
            ns = etree.QName(a).namespace
            a.tag = f"{{{ns}}}{name}" if ns else name
    elif kind == "whitespace":
        size = draw(st.sampled_from([1000, 20000, 100000]))
        piece = draw(st.sampled_from([" ", "\n", "\u00a0", "\t", "x", "\u200b", "- "]))
        a.text = (a.text or "") + piece * (size // len(piece))
    elif kind == "nest":
        depth = draw(st.sampled_from([10, 100, 300]))
        ns = etree.QName(a).namespace or ""
        inner = a
        for _ in range(depth):
            wrapper = etree.Element(f"{{{ns}}}hi" if ns else "hi")
            parent = inner.getparent()
            if parent is None:
                break
            parent.replace(inner, wrapper)
            wrapper.append(inner)
            inner = wrapper
    elif kind == "move-text" and a.text:
        b.tail = (b.tail or "") + a.text
        a.text = None
    elif kind == "no-namespace":
        for e in _elements(root):
            e.tag = etree.QName(e).localname
        etree.cleanup_namespaces(root)
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True)


def _byte_op(data: bytes, draw) -> bytes:
    n = len(data)
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate"]))
    i = draw(st.integers(0, max(0, n - 1)))
    if kind == "truncate":
        return data[:max(1, i)]
    if kind == "flip":
        if not n:
            return data
        bit = draw(st.integers(0, 7))
        return data[:i] + bytes([data[i] ^ (1 << bit)]) + data[i + 1:]
    if kind == "insert":
        return data[:i] + draw(st.sampled_from(CONTROL)) + data[i:]
    j = min(n, i + draw(st.integers(1, 2000)))
    if kind == "delete":
        return data[:i] + data[j:]
    return data[:j] + data[i:j] + data[j:]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SEEDS))
    # Edits of the tree mostly, so that most cases get past the parser to the later stages;
    # edits of the bytes (most of which the parser refuses) now and then.
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 9)):
            data = _tree_op(data, draw)
        else:
            data = _byte_op(data, draw)
    return name, data


# ------------------------------------------------------------------------------ checking


@contextmanager
def watchdog(seconds: float):
    """A hang (in Python or in a native library) ends the run with every thread's traceback."""
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def check_diagnostics(diags: list[Diagnostic]) -> None:
    for d in diags:
        assert d.severity in ("error", "warning"), d
        assert d.line >= 1 and d.column >= 1, d
        assert d.message.strip() and d.rule, d
        assert "Traceback" not in d.message


def run_stages(path: Path, data: bytes) -> list[Diagnostic]:
    """The per-document stages of a build; ToolkitError is a reported failure, anything else
    propagates and fails the test."""
    path.write_bytes(data)
    doc, diags = load(path, display="fuzz.xml")
    check_diagnostics(diags)
    if doc is None:
        assert diags, "a document that cannot be loaded must say why"
        return diags
    out = list(diags)
    with parsed_once(doc.tree):
        try:
            out += validate_document(doc, None, None)
        except ToolkitError:
            pass
        check_diagnostics(out)
        for output, params in (("text", {**PARAMS, "variant": "diplomatic"}),
                               ("text", {**PARAMS, "variant": "reading"}),
                               ("html", PARAMS)):
            try:
                result = render(doc.tree, output, params, None, path)
            except ToolkitError:
                continue
            assert isinstance(result, str)
        try:
            document_facts(doc, None, name="fuzz")
        except ToolkitError:
            pass
    return out


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module", autouse=True)
def private_grammar_cache(tmp_path_factory):
    """Mutated names make new specialised grammars: keep them out of the user's cache."""
    from toolkit.validation.schema import cache_dir

    real = cache_dir()
    if not (real / "schemas").is_dir():
        pytest.skip("the TEI schema is not installed (teikit schema install)")
    fake = tmp_path_factory.mktemp("cache")
    (fake / "schemas").symlink_to(real / "schemas", target_is_directory=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TEIKIT_CACHE", str(fake))
        yield


def test_seeds_are_good_documents(scratch):
    """The seeds themselves load and render (else the mutations test little)."""
    assert len(SEEDS) >= 3
    for name, data in SEEDS:
        with watchdog(CASE_LIMIT * 3):
            diags = run_stages(scratch / "seed.xml", data)
        assert not [d for d in diags if d.rule in ("xml-syntax", "not-tei")], name


@settings(max_examples=EXAMPLES, deadline=None, derandomize=IN_CI,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_mutated_documents_never_crash_the_stages(scratch, case):
    _, data = case
    with watchdog(CASE_LIMIT):
        run_stages(scratch / "fuzz.xml", data)


CLI_EXAMPLES = int(os.environ.get("TEIKIT_FUZZ_CLI_EXAMPLES", "6" if IN_CI else "3"))


@settings(max_examples=CLI_EXAMPLES, deadline=None, derandomize=IN_CI,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(case=mutated(), no_validate=st.booleans())
def test_mutated_documents_through_the_command_line(tmp_path_factory, case, no_validate):
    """The whole command line, as a user runs it: exit code 0 (built) or 1 (failed, with
    path:line:col diagnostics), never a traceback, never a hang."""
    _, data = case
    root = tmp_path_factory.mktemp("cli")
    (root / "tei").mkdir()
    (root / "tei" / "fuzz.xml").write_bytes(data)
    (root / "tei" / "fine.xml").write_bytes(SEEDS[1][1])
    (root / "teikit.toml").write_text('formats = ["html", "text"]\n', encoding="utf-8")
    args = ["build", str(root), "--jobs", "1", "--date", "2026-01-01"]
    env = {**os.environ}
    env.pop("FORCE_COLOR", None)
    res = subprocess.run([sys.executable, "-m", "toolkit", *args]
                         + (["--no-validate"] if no_validate else []),
                         capture_output=True, text=True, timeout=600, env=env)
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    assert res.returncode in (0, 1), res.stderr
    if res.returncode == 1:
        assert re.search(r"^tei/\w+\.xml:\d+:\d+: error: .+ \[[\w:.\-]+\]$", res.stderr, re.M), \
            res.stderr[-2000:]
