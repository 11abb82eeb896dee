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
(``avglen`` is rounded to three digits, so that an edit leaves the weights of the other units
as they were.) With a store, the next build patches the index instead (see
:func:`write_index`).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import shutil
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, chain
from operator import methodcaller, sub
from pathlib import Path
from typing import Any

from toolkit import pickled, resident
from toolkit.html import terms as terms_module
from toolkit.html.terms import ACCENTED, term_counts, tokens
from toolkit.html.terms import VERSION as TERMS_VERSION

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
    (it is shared with the output of earlier builds) and used again only while it is as it
    was written (its size, time and inode, ``known``: a file changed through a link in an
    output folder is written anew). Each file's digest is noted (``names``) for the index's
    build number."""

    def __init__(self, store: Path | None, known: dict[str, tuple] | None = None) -> None:
        self.store = store
        self.known = known or {}
        self.names: dict[str, str] = {}  # file (relative to the index) -> digest of its content
        self.stamps: dict[str, tuple] = {}  # kept file -> its stamp, of the files used
        if store is not None:
            store.mkdir(parents=True, exist_ok=True)

    def _stamp(self, name: str) -> tuple | None:
        try:
            st = os.stat(self.store / name)  # type: ignore[operator]
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ino)

    def write(self, folder: Path, rel: str, data: bytes) -> str:
        name = hashlib.sha1(data).hexdigest()[:24] + ".js"
        self.names[rel] = name
        if self.store is None:
            (folder / rel).write_bytes(data)
            return name
        if name not in self.stamps:  # (not written already by this index)
            stamp = self._stamp(name)
            if stamp is None or self.known.get(name) != stamp:
                kept = self.store / name
                tmp = kept.with_name(f".{name}.{os.getpid()}")
                tmp.write_bytes(data)
                os.chmod(tmp, 0o444)
                os.replace(tmp, kept)
                stamp = self._stamp(name)
            self.stamps[name] = stamp  # type: ignore[assignment]
        self._put(folder, rel, name)
        return name

    def link(self, folder: Path, rel: str, name: str) -> None:
        """Put the kept file ``name`` into the index as ``rel`` (KeyError: it is gone, or not
        as it was written)."""
        stamp = self._stamp(name)
        if stamp is None or self.known.get(name) != stamp:
            raise KeyError(name)
        self.names[rel] = name
        self.stamps[name] = stamp
        self._put(folder, rel, name)

    def _put(self, folder: Path, rel: str, name: str) -> None:
        kept = self.store / name  # type: ignore[operator]
        try:
            os.link(kept, folder / rel)
        except OSError:
            shutil.copyfile(kept, folder / rel)

    def read(self, name: str) -> bytes:
        """A kept file's content (KeyError: gone, or not as it was written)."""
        known = self.known.get(name)
        if known is None or self._stamp(name) != known:
            raise KeyError(name)
        try:
            return (self.store / name).read_bytes()  # type: ignore[operator]
        except OSError as exc:
            raise KeyError(name) from exc

    def prune(self) -> None:
        """Forget the kept files this index does not use."""
        if self.store is None:
            return
        for f in self.store.iterdir():
            if f.name not in self.stamps and f.name != _STATE and not f.name.startswith("."):
                f.unlink(missing_ok=True)


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
    return [term_counts([t for blk in run for t in (blk.get("t", ""), blk.get("x", ""))])
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


#: a kept index's state (in its store, beside the files): what the next build patches
_STATE = "state.pickle"
_STATE_FORMAT = 5
#: when more documents than this changed, the index is put together from all of them again
MAX_PATCHED = 32


class _State:
    """What an index is made of, kept in its store so that the next build can patch it: each
    document's identity and first unit, the postings with their term frequencies, each unit's
    length and the size of its entry in the fragments, and what was written (each term's
    encoded postings, each prefix list's, the fragments' unit ranges and stored files)."""

    def __init__(self, params: tuple) -> None:
        self.params = params
        self.ids: list[tuple] = []
        self.firsts: list[int] = [0]
        self.lists: dict[str, tuple[array, array]] = {}
        self.lengths = array("I")
        self.sizes = array("I")
        self.multi: list[int] = []
        self.registers: list[int] = []
        self.avg = 0.0
        self.order: list[str] = []  # the terms, in the order of the term files
        self.encoded: list[str] = []  # their encoded postings, in that order
        self.weights: dict[str, bytes] = {}
        self.prefix_enc: dict[str, str] = {}
        self.prefix_raw: dict[str, tuple[array, bytes]] = {}  # units and their best weights
        self.frags: list[tuple[int, int, str, int]] = []  # units [from, to), file, bytes
        #: each term file's first and last term, its stored file and its size in bytes
        self.tfiles: list[tuple[str, str, str, int]] = []
        self.stamps: dict[str, tuple] = {}  # the kept files, as written (see _Files)

    def __getstate__(self) -> dict[str, Any]:
        # The postings pickled flat (every term's in one array, their lengths beside):
        # pickling a quarter of a million small arrays one by one took most of a patched
        # build's second.
        fields = dict(vars(self))
        fields["lists"] = _Lists.flatten(fields["lists"])
        return fields

    def __setstate__(self, fields: dict[str, Any]) -> None:
        params = fields.get("params") or (None,)
        if params[0] == _STATE_FORMAT:  # (a state of another form is not used: left as read)
            fields["lists"] = _Lists(*fields["lists"])
        vars(self).update(fields)


class _Lists:
    """The postings of a kept state: each term's units and frequencies as slices of two flat
    arrays, a term's own arrays made only when it is looked up (to be patched or read), so that
    a kept state of a large vocabulary is read and written in a few calls. Supports what
    :func:`_patched` and :func:`_finish` do with a dict of ``term -> (units, tfs)``."""

    def __init__(self, terms: list[str], lengths: array, units: array, tfs: array) -> None:
        self.terms, self.lengths, self.units, self.tfs = terms, lengths, units, tfs
        self.offsets = array("Q", accumulate(lengths, initial=0))
        self.where = {t: i for i, t in enumerate(terms)}
        self.own: dict[str, tuple[array, array]] = {}  # looked up, added or changed
        self.gone: set[str] = set()

    @staticmethod
    def flatten(lists: Any) -> tuple[list[str], array, array, array]:
        """The flat form of ``lists`` (a :class:`_Lists` or a dict): the terms, the length of
        each one's postings, all units and all frequencies, one term's after the other's."""
        if isinstance(lists, _Lists):
            return lists._flat()
        values = list(lists.values())
        return (list(lists), array("I", [len(u) for u, _ in values]),
                _joined("I", [u for u, _ in values]), _joined("H", [f for _, f in values]))

    def _flat(self) -> tuple[list[str], array, array, array]:
        # the runs of terms between those looked up or gone are copied whole
        own, gone, where, offsets = self.own, self.gone, self.where, self.offsets
        us, fs, ls = memoryview(self.units), memoryview(self.tfs), memoryview(self.lengths)
        breaks = sorted(where[t] for t in chain(own, gone) if t in where)
        terms: list[str] = []
        parts: tuple[list, list, list] = ([], [], [])
        prev = 0
        for i in [*breaks, len(self.terms)]:
            if i > prev:
                terms += self.terms[prev:i]
                for part, piece in zip(parts, (ls[prev:i], us[offsets[prev]:offsets[i]],
                                               fs[offsets[prev]:offsets[i]]), strict=True):
                    part.append(piece)
            if i < len(self.terms) and self.terms[i] not in gone:
                terms.append(self.terms[i])
                self._own_parts(self.terms[i], parts)
            prev = i + 1
        for t in own:
            if t not in where:
                terms.append(t)
                self._own_parts(t, parts)
        return (terms, _joined("I", parts[0]), _joined("I", parts[1]),
                _joined("H", parts[2]))

    def _own_parts(self, term: str, parts: tuple[list, list, list]) -> None:
        u, f = self.own[term]
        parts[0].append(array("I", [len(u)]))
        parts[1].append(u)
        parts[2].append(f)

    def get(self, term: str, default: Any = None) -> tuple[array, array] | Any:
        entry = self.own.get(term)
        if entry is not None:
            return entry
        i = self.where.get(term)
        if i is None or term in self.gone:
            return default
        a, b = self.offsets[i], self.offsets[i + 1]
        entry = self.own[term] = (self.units[a:b], self.tfs[a:b])
        return entry

    def __getitem__(self, term: str) -> tuple[array, array]:
        entry = self.get(term)
        if entry is None:
            raise KeyError(term)
        return entry

    def __setitem__(self, term: str, entry: tuple[array, array]) -> None:
        self.own[term] = entry
        self.gone.discard(term)

    def __delitem__(self, term: str) -> None:
        self[term]  # noqa: B018 - KeyError for a term not there, as a dict
        del self.own[term]
        if term in self.where:
            self.gone.add(term)

    def __contains__(self, term: object) -> bool:
        return term in self.own or (term in self.where and term not in self.gone)

    def __iter__(self) -> Iterator[str]:
        gone = self.gone
        yield from (t for t in self.terms if t not in gone)
        yield from (t for t in self.own if t not in self.where)

    def __len__(self) -> int:
        return len(self.terms) - len(self.gone) + sum(1 for t in self.own if t not in self.where)

    def remove(self, ranges: list[tuple[int, int]],
               taken: dict[str, tuple[array, array]] | None = None) -> set[str]:
        """Take out the postings of the units in ``ranges`` ([from, to)); the terms that had
        any. With ``taken``, each of those terms' postings taken out are noted there (its
        units and frequencies, of all ranges in their order)."""
        hit = [t for t in self.own if any(_within(self.own[t][0], a, b) for a, b in ranges)]
        us, offsets, own, gone = self.units, self.offsets, self.own, self.gone
        for i, t in enumerate(self.terms):
            if t in own or t in gone:
                continue
            lo, hi = offsets[i], offsets[i + 1]
            for a, b in ranges:
                j = bisect.bisect_left(us, a, lo, hi)
                if j < hi and us[j] < b:
                    hit.append(t)
                    break
        for t in hit:
            units, tfs = self[t]
            out = (array("I"), array("H"))
            for a, b in ranges:
                i = bisect.bisect_left(units, a)
                j = bisect.bisect_left(units, b, i)
                if i < j:
                    if taken is not None:
                        out[0].extend(units[i:j])
                        out[1].extend(tfs[i:j])
                    del units[i:j]
                    del tfs[i:j]
            if taken is not None:
                taken[t] = out
        return set(hit)


def _joined(code: str, pieces: list) -> array:
    """One array of type ``code`` of the arrays (or their memoryviews) ``pieces``."""
    out = array(code)
    out.frombytes(b"".join(pieces))
    return out


def _within(units: array, a: int, b: int) -> bool:
    """Whether the sorted ``units`` hold one in [a, b)."""
    i = bisect.bisect_left(units, a)
    return i < len(units) and units[i] < b


def _any_within(keys: list[bytes], lo: bytes, hi: bytes) -> bool:
    """Whether the sorted ``keys`` hold one in [lo, hi]."""
    i = bisect.bisect_left(keys, lo)
    return i < len(keys) and keys[i] <= hi


@functools.cache
def _code() -> str:
    """A digest of the code that writes the index and makes its terms: a kept state made by
    other code is not patched."""
    h = hashlib.sha1()
    for module in (__file__, terms_module.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


def _identity(doc: dict[str, Any]) -> tuple:
    """What makes a document's share of the index the same as in the last build: its line in
    the results and ``k``, the key its maker gives its content (None: never the same)."""
    return (doc.get("u", ""), doc.get("t", ""), doc.get("m", ""), bool(doc.get("r")),
            doc.get("l") or "", doc.get("k"))


def _head(d: int, doc: dict[str, Any]) -> str:
    return (f'{{"d":{d},"u":{js(doc.get("u", ""))},"t":{js(doc.get("t", ""))},'
            f'"m":{js(doc.get("m", ""))}' + (',"r":1' if doc.get("r") else "")
            + (f',"l":{js(doc["l"])}' if doc.get("l") else "") + ',"b":')


def _units(doc: dict[str, Any], rest: tuple, unit_chars: int,
           title_boost: int) -> tuple[list[dict[str, int]], list[str]]:
    """A document's units: the terms of each (the title and meta line counted ``title_boost``
    times in the first) and its text. ``rest`` is what follows the document in the item: its
    blocks and what was made beforehand, or a maker of those."""
    if rest and callable(rest[0]):
        rest = tuple(rest[0]())
    blocks, made = (rest[0] if rest else None), rest[1:]
    terms_of = made[0] if made else None
    texts = made[1] if len(made) > 1 else None
    if terms_of is None or texts is None or len(texts) != len(terms_of):
        runs = list(units_of(blocks or [], unit_chars))
        texts = [unit_text(run) for run in runs]
        if terms_of is None or len(terms_of) != len(runs):
            terms_of = unit_terms(blocks or [], unit_chars)
    title = tokens(" ".join(x for x in (doc.get("t"), doc.get("m")) if x))
    out = []
    for part, counts in enumerate(terms_of):
        if part == 0 and title:
            counts = dict(counts)
            for t in title:
                counts[t] = counts.get(t, 0) + title_boost
        out.append(counts)
    return out, texts


def _length(counts: dict[str, int]) -> int:
    return sum(counts.values()) - sum(map(counts.__getitem__, filter(_accented, counts)))


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
    ``{"u": link, "t": title, "m": meta line, "r": 1 for a register entry, "l": language,
    "k": a key of its content}`` and its blocks ``[{"a": anchor, "t": text, "x": words of the
    other reading}, ...]``, and optionally third the terms of its units (:func:`unit_terms`)
    and fourth their texts (:func:`unit_text`), made beforehand (then the blocks may be None;
    missing: made here); or the document and a maker of the rest. One document is held at a
    time.

    With a ``store`` (a folder of its own), the files are kept there by content and linked
    (see :class:`_Files`), and the index's state is kept beside them: the next build with the
    same documents, a few of them changed (same ``k``: unchanged, not even read) and each of
    the same number of units, patches the postings of those few instead of putting every
    document's together again. Either way the files are the same, byte for byte."""
    folder = Path(folder)
    params = (_STATE_FORMAT, _code(), TERMS_VERSION, unit_chars, chunk_bytes, fragment_bytes,
              max_prefix_chunks, title_boost, K1, B)
    kw = {"unit_chars": unit_chars, "chunk_bytes": chunk_bytes,
          "fragment_bytes": fragment_bytes, "max_prefix_chunks": max_prefix_chunks,
          "title_boost": title_boost}
    old = _load_state(store, params) if store is not None else None
    if old is not None:
        items = list(documents)
        _clear(folder)
        files = _Files(store, old.stamps)
        try:
            patched = _patched(items, old, folder, files, **kw)
        except KeyError:  # a kept file is gone: put together anew
            patched = None
        if patched is not None:
            return patched
        documents = items
    _clear(folder)
    files = _Files(store, old.stamps if old is not None else None)
    state = _State(params)
    pending: list[bytes] = []  # the entries of the fragment being filled
    size = 0
    for d, (doc, *rest) in enumerate(documents):
        first = len(state.lengths)
        units, texts = _units(doc, tuple(rest), unit_chars, title_boost)
        head = _head(d, doc)
        for part, counts in enumerate(units):
            u = len(state.lengths)
            state.lengths.append(_length(counts))
            for term, tf in counts.items():
                entry = state.lists.get(term)
                if entry is None:
                    entry = state.lists[term] = (array("I"), array("H"))
                entry[0].append(u)
                entry[1].append(tf if tf < 65536 else 65535)
            data = f'"{u}":{head}{texts[part]}}}'.encode()
            state.sizes.append(len(data))
            if pending and size + len(data) > fragment_bytes:
                _fragment(folder, files, state, pending, u)
                pending, size = [], 0
            if not pending:
                state.frags.append((u, u, "", 0))
            pending.append(data)
            size += len(data) + 1
        unit = len(state.lengths)
        state.ids.append(_identity(doc))
        state.firsts.append(unit)
        if unit - first > 1:
            state.multi += [first, unit - first]
        if doc.get("r"):
            if state.registers and state.registers[-1] == first:
                state.registers[-1] = unit
            else:
                state.registers += [first, unit]
    if pending:
        _fragment(folder, files, state, pending, len(state.lengths))
    return _finish(folder, files, state, None, None, store, max_prefix_chunks, chunk_bytes)


def _fragment(folder: Path, files: _Files, state: _State, entries: list[bytes],
              end: int) -> None:
    """Write the fragment being filled, of the units up to ``end`` (its first noted already)."""
    n = len(state.frags) - 1
    data = b'teikitSearchChunk("f%d",{' % n + b",".join(entries) + b"});\n"
    name = files.write(folder, f"f/{n}.js", data)
    state.frags[n] = (state.frags[n][0], end, name, len(data))


#: the state last written to each store, kept in this process with the state file's stat while
#: builds are made one after the other (:func:`toolkit.resident.between_builds`): the next
#: build patches it without reading it back. It is taken out while a build patches it (a
#: build that fails half-way leaves none behind).
_kept: dict[str, tuple[tuple[int, int, int], _State]] = {}
resident.on_leaving(_kept.clear)


def _load_state(store: Path, params: tuple) -> _State | None:
    kept = _kept.pop(str(store / _STATE), None)
    if kept is not None and kept[0] == resident.stamp(store / _STATE):
        state = kept[1]
    else:  # (none kept, or the file written since by another process)
        state = pickled.load(store / _STATE)
    if not isinstance(state, _State) or state.params != params or not all(
            hasattr(state, name) for name in vars(_State(params))):
        return None  # of another form (a toolkit of before): put together anew
    return state


def _patched(items: list[tuple], state: _State, folder: Path, files: _Files, *,
             unit_chars: int, chunk_bytes: int, fragment_bytes: int, max_prefix_chunks: int,
             title_boost: int) -> dict[str, Any] | None:
    """The index of ``items`` made by patching the last one (``state``): None when it cannot
    be (other documents, too many changed, a changed one of another number of units)."""
    ids = [_identity(doc) for doc, *_ in items]
    if len(ids) != len(state.ids):
        return None
    changed = [d for d, (new, was) in enumerate(zip(ids, state.ids, strict=True))
               if new != was or new[-1] is None]
    if len(changed) > MAX_PATCHED:
        return None
    made = {}
    for d in changed:
        doc, *rest = items[d]
        units, texts = _units(doc, tuple(rest), unit_chars, title_boost)
        if len(units) != state.firsts[d + 1] - state.firsts[d]:
            return None
        made[d] = (_head(d, doc), units, texts)
    ranges = [(state.firsts[d], state.firsts[d + 1]) for d in changed]
    dirty: set[str] = set()
    taken: dict[str, tuple[array, array]] = {}  # those postings, by term
    if ranges:  # the postings of the changed units out
        dirty = state.lists.remove(ranges, taken)
    was = {u: state.lengths[u] for a, b in ranges for u in range(a, b)}
    entries: dict[int, bytes] = {}
    for d, (head, units, texts) in made.items():  # and their new postings in
        for part, counts in enumerate(units):
            u = state.firsts[d] + part
            state.lengths[u] = _length(counts)
            for term, tf in counts.items():
                entry = state.lists.get(term)
                if entry is None:
                    entry = state.lists[term] = (array("I"), array("H"))
                i = bisect.bisect_left(entry[0], u)
                entry[0].insert(i, u)
                entry[1].insert(i, tf if tf < 65536 else 65535)
                dirty.add(term)
            entries[u] = f'"{u}":{head}{texts[part]}}}'.encode()
            state.sizes[u] = len(entries[u])
    for term in [t for t in dirty if not state.lists[t][0]]:
        del state.lists[term]
    state.ids = ids
    _patch_fragments(folder, files, state, entries, fragment_bytes)
    # the terms whose postings in the changed units came out as they were, none of them in a
    # unit whose length changed: their weights and encoding are as they were (a word or two
    # edited leave most of a document's words so; those of a unit grown or shrunk by a word
    # are weighted again, and most come out as they were, see _finish)
    same = set()
    resized = {u for u, n in was.items() if state.lengths[u] != n}
    for t in dirty:
        old = taken.get(t)
        entry = state.lists.get(t)
        if old is None or entry is None:
            continue
        units, tfs = entry
        got_u, got_f = array("I"), array("H")
        for a, b in ranges:
            i = bisect.bisect_left(units, a)
            j = bisect.bisect_left(units, b, i)
            got_u.extend(units[i:j])
            got_f.extend(tfs[i:j])
        if got_u == old[0] and got_f == old[1] and not (resized and resized.intersection(got_u)):
            same.add(t)
    return _finish(folder, files, state, dirty, entries, files.store, max_prefix_chunks,
                   chunk_bytes, same)


def _patch_fragments(folder: Path, files: _Files, state: _State, entries: dict[int, bytes],
                     limit: int) -> None:
    """The fragments cut again from the units' sizes: a fragment of the same units as before,
    none of them changed, is the kept file; another is put together from the changed units'
    entries and the others' entries in the kept fragments."""
    cuts: list[tuple[int, int]] = []
    size = 0
    for u, n in enumerate(state.sizes):
        if cuts and cuts[-1][1] > cuts[-1][0] and size + n > limit:
            cuts.append((u, u))
            size = 0
        if not cuts:
            cuts.append((u, u))
        cuts[-1] = (cuts[-1][0], u + 1)
        size += n + 1
    old = state.frags
    old_starts = [f[0] for f in old]
    changed = sorted(entries)
    read: dict[int, dict[int, bytes]] = {}

    def entry(u: int) -> bytes:
        if u in entries:
            return entries[u]
        k = bisect.bisect_right(old_starts, u) - 1
        if k not in read:
            read[k] = _fragment_entries(files.read(old[k][2]))
        return read[k][u]

    frags = []
    for n, (s, e) in enumerate(cuts):
        i = bisect.bisect_left(changed, s)
        if n < len(old) and old[n][:2] == (s, e) and not (i < len(changed) and changed[i] < e):
            files.link(folder, f"f/{n}.js", old[n][2])
            frags.append(old[n])
            continue
        data = (b'teikitSearchChunk("f%d",{' % n + b",".join(entry(u) for u in range(s, e))
                + b"});\n")
        frags.append((s, e, files.write(folder, f"f/{n}.js", data), len(data)))
    state.frags = frags


def _fragment_entries(data: bytes) -> dict[int, bytes]:
    """The entries (``"unit":{...}``, as written) of a fragment file, by unit."""
    text = data.decode()
    decoder = json.JSONDecoder()
    pos = text.index("{", text.index(",")) + 1
    out: dict[int, bytes] = {}
    while text[pos] != "}":
        key, end = decoder.raw_decode(text, pos)
        _, end = decoder.raw_decode(text, end + 1)  # after the ':'
        out[int(key)] = text[pos:end].encode()
        pos = end + 1 if text[end] == "," else end
    return out


def _finish(folder: Path, files: _Files, state: _State, dirty: set[str] | None,
            changed: dict[int, bytes] | None, store: Path | None, max_prefix_chunks: int,
            chunk_bytes: int, same: set[str] | None = None) -> dict[str, Any]:
    """The term files, prefix lists and manifest of ``state``, its fragments written; the terms
    whose postings changed are ``dirty`` (None: all), the others' encoding is the last one's;
    of the dirty ones, those postings in changed units are as they were are ``same`` (their
    encoding too, unless every weight moved)."""
    lists, lengths = state.lists, state.lengths
    n_units = len(lengths)
    # the average unit length to 3 digits: an edit or two leave it (and so the weights of
    # every unit not edited) as it was
    avg = float(f"{sum(lengths) / n_units:.3g}") if n_units else 1.0
    if dirty is not None and avg != state.avg:
        dirty = None  # every unit's weights moved: everything encoded again
    state.avg = avg
    norms = [K1 * (1 - B + B * (n / avg)) for n in lengths]
    scale = 63 / (K1 + 1)

    def weight(tf: int, norm: float) -> int:
        return max(1, min(63, round(tf * (K1 + 1) / (tf + norm) * scale)))

    # each unit's weights of the frequencies most terms have, looked up instead of computed
    # (one table per distinct unit length: many units are of the same length)
    tables: dict[float, bytes] = {}
    small = [tables.get(n) or tables.setdefault(n, bytes(weight(tf, n) for tf in range(_TABLE)))
             for n in norms] if dirty is None or dirty else []
    lo_changed, hi_changed = (min(changed), max(changed) + 1) if changed else (0, 0)

    def weighted(t: str, old: bytes | None = None) -> tuple[str, bytes]:
        """The encoded postings of ``t`` and their weights; with its ``old`` weights (the
        average length as before), those of the units before and after the changed ones
        are taken from them (the same units, the same weights)."""
        units, tfs = lists[t]
        i, j = 0, len(units)
        if old is not None and hi_changed:
            i = bisect.bisect_left(units, lo_changed)
            j = bisect.bisect_left(units, hi_changed, i)
        mid = bytes(small[u][tf] if tf < _TABLE else weight(tf, norms[u])
                    for u, tf in zip(units[i:j], tfs[i:j], strict=True))
        ws = mid if (i, j) == (0, len(units)) else (
            old[:i] + mid + old[len(old) - (len(units) - j):])  # type: ignore[index]
        return _encode_run(units, ws, 0, len(units), n_units), ws

    moved_terms = dirty  # the terms whose encoded postings changed (None: all)
    if dirty is not None:
        # the last build's words in their order, with their encodings: those gone taken out,
        # those new put in their places, and only the changed ones encoded again
        terms, encoded, weights = state.order, state.encoded, state.weights
        gone = {t for t in dirty if t not in lists}
        terms, encoded = list(terms), list(encoded)
        for t in gone:  # (each was one of the last build's terms)
            i = bisect.bisect_left(terms, u16(t), key=u16)
            if i < len(terms) and terms[i] == t:
                del terms[i], encoded[i]
            weights.pop(t, None)
        for t in sorted((t for t in dirty if t in lists and t not in weights), key=u16):
            i = bisect.bisect_left(terms, u16(t), key=u16)
            terms.insert(i, t)
            encoded.insert(i, "")
        todo = [t for t in dirty if t in lists and not (same and t in same)]
        if todo:
            # where each is: looked up one by one when they are few
            where = ({t: bisect.bisect_left(terms, u16(t), key=u16) for t in todo}
                     if len(todo) < 64 else {t: i for i, t in enumerate(terms)})
            unmoved = []  # those whose postings came out encoded as they were
            for t in todo:
                old = weights.get(t)
                enc, ws = weighted(t, old)
                if old is not None and enc == encoded[where[t]]:
                    unmoved.append(t)
                encoded[where[t]], weights[t] = enc, ws
            moved_terms = dirty.difference(same or (), unmoved)
        else:
            moved_terms = dirty.difference(same or ())
    else:
        terms = sorted(lists, key=u16)
        encoded = []
        weights = {}
        for t in terms:
            enc, weights[t] = weighted(t)
            encoded.append(enc)
    state.order, state.encoded, state.weights = terms, encoded, weights

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
    # a term file of the same number, first and last term as the last build's, and no term
    # between them changed, new or gone, is the kept file
    kept_files = state.tfiles if dirty is not None else []
    touched = sorted(map(u16, moved_terms or ()))
    tfiles = []
    for c, start in enumerate(starts):
        end = starts[c + 1] if c + 1 < len(starts) else len(terms)
        if c:
            separators.append(_separator(terms[start - 1], terms[start]))
        first, last = terms[start], terms[end - 1]
        kept = kept_files[c] if c < len(kept_files) else None
        if kept is not None and kept[:2] == (first, last) and not _any_within(
                touched, u16(first), u16(last)):
            files.link(folder, f"t/{c}.js", kept[2])
            tfiles.append(kept)
            t_bytes += kept[3]
            continue
        # a term is letters, digits, marks and "~": nothing JSON would escape (checked)
        body = ",".join(f'{_quoted(terms[i])}:"{encoded[i]}"' for i in range(start, end))
        data = f'teikitSearchChunk("t{c}",{{{body}}});\n'.encode()
        tfiles.append((first, last, files.write(folder, f"t/{c}.js", data), len(data)))
        t_bytes += len(data)
    state.tfiles = tfiles

    # merged lists of the prefixes whose terms span more than max_prefix_chunks files
    sep_keys = [u16(x) for x in separators]
    keys: list[bytes] = []  # the terms' sort keys, made when a list is merged anew

    def file_of(term: str) -> int:
        return bisect.bisect_right(sep_keys, u16(term)) - 1

    candidates = {terms[s][:i] for s in starts[1:] for i in range(1, len(terms[s]) + 1)}
    prefixes = [q for q in sorted(candidates, key=u16)
                if file_of(q + "\uffff") - file_of(q) + 1 > max_prefix_chunks]
    p_bytes = 0
    best = bytearray(n_units)
    old_prefix = state.prefix_enc if dirty is not None else {}
    old_raw = state.prefix_raw if dirty is not None else {}
    prefix_enc: dict[str, str] = {}
    prefix_raw: dict[str, tuple[array, bytes]] = {}
    for n, q in enumerate(prefixes):
        enc, raw = old_prefix.get(q), old_raw.get(q)
        # whether a term under q was encoded anew (else the list is as it was)
        moved_under = any(t.startswith(q) for t in moved_terms or ())
        if moved_under and enc is not None and raw is not None and changed is not None:
            under = [t for t in dirty or () if t.startswith(q)]  # the changed units' terms
            # Only the changed units' best weights can have moved (the average length is the
            # same, so every other unit's weights are): those taken out, made again from
            # the changed terms under q (every term with a posting in a changed unit is one).
            moved: dict[int, int] = {}
            for t in (t for t in under if t in weights):  # (not those gone)
                units, ws = lists[t][0], weights[t]
                for i in range(bisect.bisect_left(units, lo_changed),
                               bisect.bisect_left(units, hi_changed)):
                    u = units[i]
                    if u in changed and ws[i] > moved.get(u, 0):
                        moved[u] = ws[i]
            kept = [(u, w) for u, w in zip(raw[0], raw[1], strict=True) if u not in changed]
            merged = sorted(chain(kept, moved.items()))
            raw = (array("I", [u for u, _ in merged]), bytes(w for _, w in merged))
            enc = _encode_run(raw[0], raw[1], 0, len(raw[0]), n_units)
        elif moved_under or enc is None or raw is None:
            touched: list[int] = []
            if not keys:
                keys += map(u16, terms)
            lo = bisect.bisect_left(keys, u16(q))
            hi = bisect.bisect_left(keys, u16(q + "\uffff"))
            for i in range(lo, hi):
                units = lists[terms[i]][0]
                for u, w in zip(units, weights[terms[i]], strict=True):
                    if w > best[u]:
                        if not best[u]:
                            touched.append(u)
                        best[u] = w
            touched.sort()
            raw = (array("I", touched), bytes(best[u] for u in touched))
            enc = _encode_run(raw[0], raw[1], 0, len(touched), n_units)
            for u in touched:
                best[u] = 0
        prefix_enc[q] = enc
        prefix_raw[q] = raw
        data = f'teikitSearchChunk("p{n}","{enc}");\n'.encode()
        files.write(folder, f"p/{n}.js", data)
        p_bytes += len(data)
    state.prefix_raw = prefix_raw
    state.prefix_enc = prefix_enc

    digest = hashlib.sha1()
    for rel in sorted(files.names):
        digest.update(f"{rel}\0{files.names[rel]}\n".encode())
    starts_f, prev = [], 0
    for s, *_ in state.frags:
        starts_f.append(s - prev)
        prev = s
    manifest = {
        "v": 1,
        "build": digest.hexdigest()[:12],
        "units": n_units,
        "docs": len(state.ids),
        "wscale": (K1 + 1) / 63,
        "chunks": separators,
        "prefixes": prefixes,
        "frag": encode_ints(starts_f),
        "multi": encode_ints(state.multi),
        "reg": encode_ints(state.registers),
    }
    data = f"window.TEIKIT_SEARCH_MANIFEST = {js(manifest)};\n".encode()
    (folder / "manifest.js").write_bytes(data)
    if store is not None:
        files.prune()
        state.stamps = files.stamps
        if pickled.save(store / _STATE, state, fast=True) and resident.active():
            if not isinstance(state.lists, _Lists):  # (put together anew: as read back)
                state.lists = _Lists(*_Lists.flatten(state.lists))
            _kept[str(store / _STATE)] = (resident.stamp(store / _STATE), state)
    return {
        "docs": len(state.ids), "units": n_units, "terms": len(terms),
        "term_files": len(starts), "prefix_lists": len(prefixes),
        "fragment_files": len(state.frags), "manifest_bytes": len(data),
        "term_bytes": t_bytes, "prefix_bytes": p_bytes,
        "fragment_bytes": sum(f[3] for f in state.frags),
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
