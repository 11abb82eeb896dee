"""The search index of the web edition, in files small enough that a query loads only the few it
needs, and loadable from ``file://``: there a page may load data only with ``<script>``
elements (``fetch()``, module imports and WebAssembly are refused), so every file is a script
that hands its data to ``teikitSearchChunk(id, data)``:

    assets/search/manifest.js   window.TEIKIT_SEARCH_MANIFEST = {...}    (always loaded)
    assets/search/t/N.js        a range of the sorted terms: {term: postings, ...}
    assets/search/p/N.js        the merged postings of a short prefix (many term files' terms)
    assets/search/f/N.js        the texts of consecutive units: {unit: {d, u, t, m, b}, ...}

*Units.* A document's blocks in runs of at most ``unit_chars`` characters (a letter is one unit,
a long document several): what is ranked and what a query of several words intersects. The
reader groups them by document again (``multi`` in the manifest: first unit and count of each
document of several units; ``reg``: the unit ranges of register entries).

*Postings.* ``varint(df)``, then for each unit ``varint(unit - previous unit)`` and one
character, the BM25 term-frequency part ``tf(k1+1) / (tf + k1(1 - b + b·len/avglen))``
quantised to 1..63 (the title and meta line counted ``title_boost`` times in a document's first
unit); the reader multiplies it by the term's idf, so no table of lengths is needed. Varints use
the 64 characters of :data:`ALPHABET`, 5 bits each, low bits first; one of 32 or more means
"more follows".

*Term files* are cut every ``chunk_bytes`` of sorted terms (in UTF-16 order, as JavaScript
compares strings); the manifest keeps, for each, the shortest prefix of its first term that
sorts after the last term of the one before, so the reader finds a term's file by binary
search. The last word of a query is also a prefix: where the terms it begins span more than
``max_prefix_chunks`` files, a merged list (``p/N.js``, the best weight per unit) is written,
so even a one-letter prefix costs one list of at most one entry per unit.

What a query loads is therefore bounded by the sizes of these files, not by the size of the
edition; ``?v=<build>`` on every URL keeps a served edition from mixing files of two builds.
The writer holds only the postings in memory; the texts are written as they stream in.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from operator import methodcaller, sub
from pathlib import Path
from typing import Any

from toolkit.html.terms import ACCENTED, term_counts, tokens

#: the folder of the index, relative to html/
FOLDER = "assets/search"
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
#: sizes (bytes, characters) the files are cut at; a query's transfer is bounded by them
UNIT_CHARS = 24_000
CHUNK_BYTES = 48_000
FRAGMENT_BYTES = 24_000
MAX_PREFIX_CHUNKS = 2
TITLE_BOOST = 3
K1, B = 1.2, 0.75
_SMALL = [""] * 2048
_TABLE = 16  # term frequencies below this have their weight looked up (see write_index)
_VARINT_TABLE = 1 << 17  # indexes of fewer units look their deltas up (a 7 MB table at most)
_VARINTS: list[str] = []
_accented = methodcaller("startswith", ACCENTED)


def varint(n: int) -> str:
    """``n`` (>= 0) in 5-bit groups, low group first; a character >= 32 means 'more follows'."""
    if n < 2048 and _SMALL[n]:
        return _SMALL[n]
    out, m = [], n
    while m >= 32:
        out.append(ALPHABET[32 | (m & 31)])
        m >>= 5
    out.append(ALPHABET[m])
    s = "".join(out)
    if n < 2048:
        _SMALL[n] = s
    return s


def encode_ints(values: Iterable[int]) -> str:
    return "".join(varint(v) for v in values)


def encode_postings(units: Sequence[int], weights: Sequence[int]) -> str:
    """``varint(df)``, then per posting ``varint(unit - previous unit)`` and a weight char."""
    parts, prev = [varint(len(units))], 0
    for u, w in zip(units, weights, strict=True):
        parts.append(varint(u - prev))
        parts.append(ALPHABET[w])
        prev = u
    return "".join(parts)


def _varints(n: int) -> list[str]:
    """``varint(i)`` for every i below ``n``, made once and grown as needed."""
    if len(_VARINTS) < n:
        _VARINTS[:] = [varint(i) for i in range(n)]
    return _VARINTS


def _encode_run(units: Sequence[int], weights: bytes | bytearray, a: int, b: int,
                n_units: int) -> str:
    """:func:`encode_postings` of ``units[a:b]`` and ``weights[a:b]``, the same text made by
    C loops (the deltas between units are looked up, all below ``n_units``)."""
    us = units[a:b]
    if n_units > _VARINT_TABLE:
        return encode_postings(us, weights[a:b])
    table = _varints(n_units + 1)
    deltas = map(table.__getitem__, map(sub, us, chain((0,), us)))
    return varint(b - a) + "".join(chain.from_iterable(
        zip(deltas, map(ALPHABET.__getitem__, weights[a:b]), strict=True)))


def decode_postings(text: str) -> list[tuple[int, int]]:
    """(unit, weight) pairs of an encoded list (for tests and tools)."""
    values = [ALPHABET.index(c) for c in text]
    pos = 0

    def nxt() -> int:
        nonlocal pos
        n = shift = 0
        while True:
            v = values[pos]
            pos += 1
            n |= (v & 31) << shift
            shift += 5
            if v < 32:
                return n
    df, unit, out = nxt(), 0, []
    for _ in range(df):
        unit += nxt()
        out.append((unit, values[pos]))
        pos += 1
    return out


def js(value: Any) -> str:
    # "</" cannot end a script that only holds data; kept safe to inline anyway
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _quoted(term: str) -> str:
    return f'"{term}"' if term.isprintable() and '"' not in term and "\\" not in term \
        else js(term)


def u16(s: str) -> bytes:
    """Sort key in the order of JavaScript's string comparison (UTF-16 code units)."""
    return s.encode("utf-16-be")


class _Files:
    """Writes the index's files; with a ``store``, each file is kept there by its content and
    hard-linked into the index, so that a build whose files are mostly the same as the last
    one's (one document edited) writes only the few that changed. A kept file is read-only
    (it is shared with the output of earlier builds)."""

    def __init__(self, store: Path | None) -> None:
        self.store = store
        self.used: set[str] = set()
        if store is not None:
            store.mkdir(parents=True, exist_ok=True)

    def write(self, path: Path, data: bytes) -> None:
        if self.store is None:
            path.write_bytes(data)
            return
        name = hashlib.sha1(data).hexdigest()[:24] + path.suffix
        kept = self.store / name
        self.used.add(name)
        if not kept.is_file():
            tmp = kept.with_name(f".{name}.{os.getpid()}")
            tmp.write_bytes(data)
            os.chmod(tmp, 0o444)
            os.replace(tmp, kept)
        try:
            os.link(kept, path)
        except OSError:
            shutil.copyfile(kept, path)

    def prune(self) -> None:
        """Forget the kept files this index does not use."""
        if self.store is None:
            return
        for f in self.store.iterdir():
            if f.name not in self.used and not f.name.startswith("."):
                f.unlink(missing_ok=True)


class _Fragments:
    """Packs consecutive units' texts into f/N.js files of about ``limit`` bytes."""

    def __init__(self, folder: Path, limit: int, digest, files: _Files) -> None:
        self.folder, self.limit, self.digest, self.files = folder, limit, digest, files
        self.starts: list[int] = []  # the first unit of each file
        self.buf: list[bytes] = []
        self.size = 0
        self.bytes = 0

    def add_text(self, unit: int, payload: str) -> None:
        """Add a unit whose payload is JSON text already (see :func:`unit_text`)."""
        data = f'"{unit}":{payload}'.encode()
        if self.buf and self.size + len(data) > self.limit:
            self.flush()
        if not self.buf:
            self.starts.append(unit)
        self.buf.append(data)
        self.size += len(data) + 1

    def flush(self) -> None:
        if not self.buf:
            return
        n = len(self.starts) - 1
        data = b'teikitSearchChunk("f%d",{' % n + b",".join(self.buf) + b"});\n"
        self.files.write(self.folder / f"{n}.js", data)
        self.digest.update(data)
        self.bytes += len(data)
        self.buf, self.size = [], 0


def units_of(blocks: list[dict[str, str]], unit_chars: int = UNIT_CHARS
             ) -> Iterator[list[dict[str, str]]]:
    """A document's blocks in runs of at most ``unit_chars`` characters (one run at least; a
    single longer block is a run of its own)."""
    run: list[dict[str, str]] = []
    size = 0
    for b in blocks:
        n = len(b.get("t", "")) + len(b.get("x", ""))
        if run and size + n > unit_chars:
            yield run
            run, size = [], 0
        run.append(b)
        size += n
    yield run


def unit_terms(blocks: list[dict[str, str]], unit_chars: int = UNIT_CHARS
               ) -> list[dict[str, int]]:
    """The terms of each unit of a document's blocks with their frequencies: the work of
    indexing a document, done in the build's worker beside its page (see
    :func:`toolkit.html.search.write_page_blocks`) so the index is only put together."""
    return [dict(term_counts([t for blk in run for t in (blk.get("t", ""), blk.get("x", ""))]))
            for run in units_of(blocks, unit_chars)]


def unit_text(run: list[dict[str, str]]) -> str:
    """The blocks of a unit as the search page gets them, JSON text (``[[anchor, text, other
    reading], ...]``): made by the build's worker beside the unit's terms, so that the index is
    only put together."""
    return js([[b.get("a", ""), b.get("t", ""), b.get("x", "")] for b in run])


def _separator(prev: str, first: str) -> str:
    """The shortest prefix of ``first`` that sorts after ``prev`` (in UTF-16 order)."""
    for i in range(1, len(first) + 1):
        if u16(first[:i]) > u16(prev):
            return first[:i]
    return first


def _clear(folder: Path) -> None:
    for part in ("t", "p", "f"):
        (folder / part).mkdir(parents=True, exist_ok=True)
        for old in (folder / part).glob("*.js"):
            old.unlink()


def write_index(
    documents: Iterable[tuple[Any, ...]],
    folder: Path,
    *,
    unit_chars: int = UNIT_CHARS,
    chunk_bytes: int = CHUNK_BYTES,
    fragment_bytes: int = FRAGMENT_BYTES,
    max_prefix_chunks: int = MAX_PREFIX_CHUNKS,
    title_boost: int = TITLE_BOOST,
    store: Path | None = None,
) -> dict[str, Any]:
    """Write the index of ``documents`` into ``folder`` and return figures about it.

    ``documents`` yields, in the order results of equal rank are listed, pairs of a document
    ``{"u": link, "t": title, "m": meta line, "r": 1 for a register entry, "l": language}``
    and its blocks ``[{"a": anchor, "t": text, "x": words of the other reading}, ...]``, and
    optionally third the terms of its units (:func:`unit_terms`) and fourth their texts
    (:func:`unit_text`), made beforehand (then the blocks may be None; missing: made here);
    one document is held at a time. With a ``store`` (a folder of its own), the files are kept
    there by content and linked (see :class:`_Files`)."""
    folder = Path(folder)
    _clear(folder)
    files = _Files(store)
    digest = hashlib.sha1()
    lists: dict[str, tuple[array, array]] = {}  # term -> (units, term frequencies)
    lengths = array("I")
    fragments = _Fragments(folder / "f", fragment_bytes, digest, files)
    multi: list[int] = []  # first unit, count: documents of more than one unit
    registers: list[int] = []  # [start, end) unit ranges of register entries
    unit = n_docs = 0
    for d, (doc, blocks, *made) in enumerate(documents):
        n_docs += 1
        first = unit
        title = tokens(" ".join(x for x in (doc.get("t"), doc.get("m")) if x))
        terms_of = made[0] if made else None
        texts = made[1] if len(made) > 1 else None
        if terms_of is None or texts is None or len(texts) != len(terms_of):
            runs = list(units_of(blocks or [], unit_chars))
            texts = [unit_text(run) for run in runs]
            if terms_of is None or len(terms_of) != len(runs):
                terms_of = unit_terms(blocks or [], unit_chars)
        head = (f'{{"d":{d},"u":{js(doc.get("u", ""))},"t":{js(doc.get("t", ""))},'
                f'"m":{js(doc.get("m", ""))}' + (',"r":1' if doc.get("r") else "")
                + (f',"l":{js(doc["l"])}' if doc.get("l") else "") + ',"b":')
        for part, counts in enumerate(terms_of):
            if part == 0 and title:
                counts = dict(counts)
                for t in title:
                    counts[t] = counts.get(t, 0) + title_boost
            lengths.append(sum(counts.values())
                           - sum(map(counts.__getitem__, filter(_accented, counts))))
            for term, tf in counts.items():
                entry = lists.get(term)
                if entry is None:
                    entry = lists[term] = (array("I"), array("H"))
                entry[0].append(unit)
                entry[1].append(tf if tf < 65536 else 65535)
            fragments.add_text(unit, head + texts[part] + "}")
            unit += 1
        if unit - first > 1:
            multi += [first, unit - first]
        if doc.get("r"):
            if registers and registers[-1] == first:
                registers[-1] = unit
            else:
                registers += [first, unit]
    fragments.flush()
    n_units = unit

    avg = (sum(lengths) / n_units) if n_units else 1.0
    norms = [K1 * (1 - B + B * (n / avg)) for n in lengths]
    scale = 63 / (K1 + 1)

    def weight(tf: int, norm: float) -> int:
        return max(1, min(63, round(tf * (K1 + 1) / (tf + norm) * scale)))

    # each unit's weights of the frequencies most terms have, looked up instead of computed
    # (one table per distinct unit length: many units are of the same length)
    tables: dict[float, bytes] = {}
    small = [tables.get(n) or tables.setdefault(n, bytes(weight(tf, n) for tf in range(_TABLE)))
             for n in norms]
    terms = sorted(lists, key=u16)
    encoded: list[str] = []
    for t in terms:
        units, tfs = lists[t]
        ws = array("B", (small[u][tf] if tf < _TABLE else weight(tf, norms[u])
                         for u, tf in zip(units, tfs, strict=True)))
        lists[t] = (units, ws)  # the frequencies are not needed any more
        encoded.append(_encode_run(units, ws, 0, len(units), n_units))

    # term files: contiguous ranges of about chunk_bytes
    starts: list[int] = []
    size = chunk_bytes
    for i, (t, enc) in enumerate(zip(terms, encoded, strict=True)):
        entry = len(t.encode()) + len(enc) + 6
        if size + entry > chunk_bytes:
            starts.append(i)
            size = 0
        size += entry
    separators = [""] if starts else []
    t_bytes = 0
    for c, start in enumerate(starts):
        end = starts[c + 1] if c + 1 < len(starts) else len(terms)
        if c:
            separators.append(_separator(terms[start - 1], terms[start]))
        # a term is letters, digits, marks and "~": nothing JSON would escape (checked)
        body = ",".join(f'{_quoted(terms[i])}:"{encoded[i]}"' for i in range(start, end))
        data = f'teikitSearchChunk("t{c}",{{{body}}});\n'.encode()
        files.write(folder / "t" / f"{c}.js", data)
        digest.update(data)
        t_bytes += len(data)
    del encoded

    # merged lists of the prefixes whose terms span more than max_prefix_chunks files
    sep_keys = [u16(x) for x in separators]
    keys = [u16(t) for t in terms]

    def file_of(term: str) -> int:
        return bisect.bisect_right(sep_keys, u16(term)) - 1

    candidates = {terms[s][:i] for s in starts[1:] for i in range(1, len(terms[s]) + 1)}
    prefixes = [q for q in sorted(candidates, key=u16)
                if file_of(q + "\uffff") - file_of(q) + 1 > max_prefix_chunks]
    p_bytes = 0
    best = bytearray(n_units)
    for n, q in enumerate(prefixes):
        touched: list[int] = []
        lo, hi = bisect.bisect_left(keys, u16(q)), bisect.bisect_left(keys, u16(q + "\uffff"))
        for i in range(lo, hi):
            units, ws = lists[terms[i]]
            for u, w in zip(units, ws, strict=True):
                if w > best[u]:
                    if not best[u]:
                        touched.append(u)
                    best[u] = w
        touched.sort()
        enc = _encode_run(touched, bytes(best[u] for u in touched), 0, len(touched), n_units)
        data = f'teikitSearchChunk("p{n}","{enc}");\n'
        for u in touched:
            best[u] = 0
        files.write(folder / "p" / f"{n}.js", data.encode())
        digest.update(data.encode())
        p_bytes += len(data)

    starts_f, prev = [], 0
    for s in fragments.starts:
        starts_f.append(s - prev)
        prev = s
    manifest = {
        "v": 1,
        "build": digest.hexdigest()[:12],
        "units": n_units,
        "docs": n_docs,
        "wscale": (K1 + 1) / 63,
        "chunks": separators,
        "prefixes": prefixes,
        "frag": encode_ints(starts_f),
        "multi": encode_ints(multi),
        "reg": encode_ints(registers),
    }
    data = f"window.TEIKIT_SEARCH_MANIFEST = {js(manifest)};\n".encode()
    (folder / "manifest.js").write_bytes(data)
    files.prune()
    return {
        "docs": n_docs, "units": n_units, "terms": len(terms),
        "postings": sum(len(v[0]) for v in lists.values()),
        "term_files": len(starts), "prefix_lists": len(prefixes),
        "fragment_files": len(fragments.starts), "manifest_bytes": len(data),
        "term_bytes": t_bytes, "prefix_bytes": p_bytes, "fragment_bytes": fragments.bytes,
        "build": manifest["build"],
    }


def _data(path: Path) -> Any:
    """The data a file of the index hands to teikitSearchChunk() (or the manifest's)."""
    text = path.read_text(encoding="utf-8")
    if path.name == "manifest.js":
        return json.loads(text[text.index("=") + 1:].strip().rstrip(";"))
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def read_index(folder: Path) -> dict[str, Any]:
    """An index read back whole (for tests and tools, never for the page): ``manifest``,
    ``units`` (each unit's payload as the page gets it, with its number ``n``), ``terms``
    (term -> [(unit, weight)]) and ``prefixes`` (prefix -> [(unit, weight)])."""
    folder = Path(folder)
    manifest = _data(folder / "manifest.js")
    units: dict[int, dict[str, Any]] = {}
    for f in sorted((folder / "f").glob("*.js")):
        units.update({int(k): {**v, "n": int(k)} for k, v in _data(f).items()})
    terms: dict[str, list[tuple[int, int]]] = {}
    for f in sorted((folder / "t").glob("*.js")):
        terms.update({k: decode_postings(v) for k, v in _data(f).items()})
    prefixes = {q: decode_postings(_data(folder / "p" / f"{n}.js"))
                for n, q in enumerate(manifest["prefixes"])}
    return {"manifest": manifest, "units": [units[n] for n in sorted(units)], "terms": terms,
            "prefixes": prefixes}
