/* Full-text search over the edition's chunked index (assets/search/, written by
   toolkit/html/search_index.py). A plain script, no modules: every index file is a <script>
   that calls teikitSearchChunk(), the only way data reaches a page opened from file://. The
   page loads the small manifest (window.TEIKIT_SEARCH_MANIFEST) before this file; a query then
   loads one term file (or prefix list) per word and the passage files of the results shown.

   Words are matched whole, the last one also as a beginning ("zur" finds "Zürich"); case and
   accents are ignored, but a word typed with accents ranks matches with them first; "quoted
   words" must stand together. Results are ranked (BM25) and built with DOM methods only
   (textContent), never from HTML strings; every link is checked again before it is made. */
(function () {
  "use strict";
  var M = window.TEIKIT_SEARCH_MANIFEST;
  var PAGE = 10;            // documents per page of results
  var PASSAGES = 3;         // passages shown per document
  var REGISTER_ROWS = 5;    // register entries listed at a time
  var PREFIX_WEIGHT = 0.8;  // a completion of the last word counts less than the word itself
  var ACCENT_MISS = 0.5;    // "zür" also finds "zur", but below "zürich"
  var PHRASE_TRIES = 24;    // documents read per page to find a phrase (keeps it under ~1 MB)

  /* The interface's strings (assets/t.js, search.* in the catalogues); the key itself if they
     did not load. */
  var t = (window.teikit && window.teikit.t) || function (key) { return key; };

  /* ------------------------------------------------------------------ normalisation
     The steps of toolkit/html/terms.py: lower case, NFKD, nonspacing marks dropped, a few
     letters spelled out; a word folding changed is also kept accented, as "~zürich". */
  var SPELLED = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ĸ": "k", "ς": "σ" };
  var SPELL_RE = /[ßæœøłđðþıĸς]/g;
  var MN_RE = /\p{Mn}+/gu;
  var RAW_RE = /[\p{L}\p{N}\p{M}]+/gu;
  var TOKEN_RE = /[\p{L}\p{N}\p{Mc}\p{Me}]+/gu;
  var WHOLE_RE = /^[\p{L}\p{N}\p{Mc}\p{Me}]+$/u;
  var ASCII_RE = /^[\x00-\x7f]*$/;
  var ACCENTED = "~";
  var MAX_TERM = 40;
  var folds = new Map();

  function strip(s) {
    return s.replace(MN_RE, "").replace(SPELL_RE, function (c) { return SPELLED[c]; });
  }
  function foldToken(raw) {
    var got = folds.get(raw);
    if (got) return got;
    var nfc = raw.normalize("NFC");
    var folded = strip(nfc.normalize("NFKD")).match(TOKEN_RE) || [];
    if (folded.length === 1 && WHOLE_RE.test(nfc) && strip(nfc.normalize("NFD")) !== nfc) {
      folded = [folded[0], ACCENTED + nfc];
    }
    folds.set(raw, folded);
    return folded;
  }
  /* the index terms of a text, in order (terms.tokens() in Python) */
  function tokens(s, accented) {
    var out = [];
    (s.toLowerCase().match(RAW_RE) || []).forEach(function (raw) {
      if (ASCII_RE.test(raw)) { if (raw.length <= MAX_TERM) out.push(raw); return; }
      foldToken(raw).forEach(function (w) {
        if (w.charAt(0) === ACCENTED) { if (accented !== false && w.length <= MAX_TERM + 1) out.push(w); }
        else if (w.length <= MAX_TERM) out.push(w);
      });
    });
    return out;
  }
  function words(s) { return tokens(s, false); }

  /* ------------------------------------------------------------------ decoding */
  var ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var VAL = new Int8Array(128);
  for (var i = 0; i < ALPHABET.length; i++) VAL[ALPHABET.charCodeAt(i)] = i;

  function reader(s) {
    var pos = 0;
    return {
      more: function () { return pos < s.length; },
      next: function () {
        var n = 0, mul = 1, v;
        do { v = VAL[s.charCodeAt(pos++)]; n += (v & 31) * mul; mul *= 32; } while (v >= 32);
        return n;
      },
      char: function () { return VAL[s.charCodeAt(pos++)]; }
    };
  }
  function ints(s) {
    var r = reader(s || ""), out = [];
    while (r.more()) out.push(r.next());
    return out;
  }
  /* "df, then (unit delta, weight char)*" -> {df, units, w} */
  function postings(s, factor) {
    var r = reader(s), df = r.next(), units = new Int32Array(df), w = new Float64Array(df);
    var scale = M.wscale * (factor || 1), u = 0;
    for (var k = 0; k < df && r.more(); k++) {
      u += r.next();
      units[k] = u;
      w[k] = r.char() * scale;
    }
    return { df: df, units: units, w: w };
  }
  var EMPTY = { df: 0, units: new Int32Array(0), w: new Float64Array(0) };

  /* ------------------------------------------------------------------ the manifest */
  var BASE = "", fragStarts = [], multi = [], regs = [], multiFirst = [], multiExtra = [];
  if (M) (function () {
    /* the index files lie beside the manifest, wherever the page that loads it is */
    var el = document.querySelector('script[src$="manifest.js"]');
    BASE = el ? el.src.replace(/[^\/]*$/, "") : "assets/search/";
    var acc = 0;
    ints(M.frag).forEach(function (d) { acc += d; fragStarts.push(acc); });
    multi = ints(M.multi);
    regs = ints(M.reg);
    var extra = 0;
    for (var j = 0; j < multi.length; j += 2) {
      multiFirst.push(multi[j]);
      multiExtra.push(extra);
      extra += multi[j + 1] - 1;
    }
  })();

  function lastAtMost(arr, x) {  // the largest i with arr[i] <= x, or -1
    var lo = 0, hi = arr.length - 1, ans = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] <= x) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }
  function chunkOf(term) { return Math.max(0, lastAtMost(M.chunks, term)); }
  function prefixList(q) {
    var i = lastAtMost(M.prefixes, q);
    return i >= 0 && M.prefixes[i] === q ? i : -1;
  }
  /* the document of a unit: units are numbered in document order; a document of several is
     listed in multi as (first unit, count) */
  function docOf(u) {
    var j = lastAtMost(multiFirst, u);
    if (j < 0) return u;
    var first = multiFirst[j], count = multi[2 * j + 1];
    if (u < first + count) return first - multiExtra[j];
    return u - multiExtra[j] - (count - 1);
  }
  function isRegister(u) {
    for (var j = 0; j < regs.length; j += 2) if (u >= regs[j] && u < regs[j + 1]) return true;
    return false;
  }

  /* ------------------------------------------------------------------ loading */
  var cache = {}, pending = {}, log = [];
  window.teikitSearchChunk = function (id, data) {
    if (pending[id]) { pending[id].data = data; pending[id].got = true; }
  };
  function load(id, path) {
    if (cache[id]) return cache[id];
    log.push(path);
    var p = new Promise(function (resolve, reject) {
      var entry = pending[id] = { got: false };
      var s = document.createElement("script");
      s.src = BASE + path + "?v=" + encodeURIComponent(M.build);
      s.async = true;
      s.onload = function () {
        delete pending[id];
        s.remove();
        if (entry.got) resolve(entry.data);
        else { delete cache[id]; reject(new Error(path + " is not of this build")); }
      };
      s.onerror = function () {
        delete pending[id];
        s.remove();
        delete cache[id];
        reject(new Error(path + " could not be loaded"));
      };
      document.head.appendChild(s);
    });
    cache[id] = p;
    return p;
  }
  function termChunk(c) { return load("t" + c, "t/" + c + ".js"); }
  function has(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  /* the postings of a term, or (prefix) of every term it begins, weights times factor */
  function lookup(term, prefix, factor) {
    if (!M.chunks.length) return Promise.resolve(EMPTY);  // an edition without words
    var c = chunkOf(term);
    if (!prefix) {
      return termChunk(c).then(function (data) {
        return has(data, term) ? postings(data[term], factor) : EMPTY;
      });
    }
    var pl = prefixList(term);
    if (pl >= 0) {  // a short prefix: its merged list, and the word itself for its bonus
      return Promise.all([load("p" + pl, "p/" + pl + ".js"), termChunk(c)]).then(function (r) {
        var merged = postings(r[0], PREFIX_WEIGHT * factor);
        return has(r[1], term) ? union([merged, postings(r[1][term], factor)], true) : merged;
      });
    }
    var last = chunkOf(term + "\uffff"), wanted = [];
    for (var k = c; k <= last; k++) wanted.push(termChunk(k));
    return Promise.all(wanted).then(function (chunks) {
      var lists = [];
      chunks.forEach(function (data) {
        Object.keys(data).forEach(function (w) {
          if (w.lastIndexOf(term, 0) === 0) {
            lists.push(postings(data[w], (w === term ? 1 : PREFIX_WEIGHT) * factor));
          }
        });
      });
      return union(lists, true);
    });
  }
  /* a query word: its folded form; typed with accents, the matches with the same accents
     count fully and the others ACCENT_MISS */
  function lookupWord(w) {
    if (!w.acc) return lookup(w.t, w.prefix, 1);
    return Promise.all([lookup(w.t, w.prefix, ACCENT_MISS), lookup(w.acc, w.prefix, 1)])
      .then(function (r) { return union(r, true); });
  }
  /* the units of any list; weight the best (maxOf) or the sum of theirs */
  function union(lists, maxOf) {
    if (!lists.length) return EMPTY;
    if (lists.length === 1) return lists[0];
    var acc = new Map();
    lists.forEach(function (l) {
      for (var k = 0; k < l.units.length; k++) {
        var u = l.units[k], old = acc.get(u);
        acc.set(u, old === undefined ? l.w[k] : maxOf ? Math.max(old, l.w[k]) : old + l.w[k]);
      }
    });
    var units = Int32Array.from(acc.keys()).sort(), w = new Float64Array(units.length);
    for (var k = 0; k < units.length; k++) w[k] = acc.get(units[k]);
    return { df: units.length, units: units, w: w };
  }
  function idf(df) { return Math.log(1 + (M.units - df + 0.5) / (df + 0.5)); }

  /* ------------------------------------------------------------------ ranking */
  function rank(lists, all) {
    var scored = new Map();
    var order = lists.slice().sort(function (a, b) { return a.df - b.df; });
    if (all) {  // every word: intersect, the shortest list first
      var first = order[0], f = idf(first.df);
      for (var k = 0; k < first.units.length; k++) scored.set(first.units[k], first.w[k] * f);
      for (var j = 1; j < order.length && scored.size; j++) {
        var l = order[j], g = idf(l.df), next = new Map();
        for (var k2 = 0; k2 < l.units.length; k2++) {
          var s = scored.get(l.units[k2]);
          if (s !== undefined) next.set(l.units[k2], s + l.w[k2] * g);
        }
        scored = next;
      }
    } else {
      order.forEach(function (l) {
        var g = idf(l.df);
        for (var k = 0; k < l.units.length; k++) {
          var u = l.units[k];
          scored.set(u, (scored.get(u) || 0) + l.w[k] * g);
        }
      });
    }
    return Array.from(scored.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }

  /* ------------------------------------------------------------------ the query */
  function parse(query) {
    var list = [], phrases = [], re = /"([^"]*)"?|[^\s"]+/g, m;
    function add(text, inPhrase) {
      tokens(text).forEach(function (w) {
        var prev = list[list.length - 1];
        if (w.charAt(0) === ACCENTED) { if (prev) prev.acc = w; return; }
        list.push({ t: w, acc: null, prefix: false, inPhrase: inPhrase });
      });
    }
    while ((m = re.exec(query))) {
      if (m[1] !== undefined) {
        var ph = words(m[1]);
        if (ph.length > 1) phrases.push(ph);
        add(m[1], ph.length > 1);
      } else {
        add(m[0], false);
      }
    }
    var unclosed = (query.match(/"/g) || []).length % 2 === 1;
    if (list.length && /[^\s"]$/.test(query) && !unclosed) list[list.length - 1].prefix = true;
    var seen = {}, out = [];  // a word asked twice counts once
    list.forEach(function (w) {
      var k = (w.acc || w.t) + (w.prefix ? "*" : "");
      if (seen[k] !== undefined) { out[seen[k]].inPhrase = out[seen[k]].inPhrase && w.inPhrase; return; }
      seen[k] = out.length;
      out.push(w);
    });
    return { words: out, phrases: phrases };
  }

  function matchWord(tok, w) { return w.prefix ? tok.lastIndexOf(w.t, 0) === 0 : tok === w.t; }

  /* the words of a text with their places: [{s, e, n: folded terms}] */
  function spans(text) {
    var out = [], m, re = new RegExp(TOKEN_RE.source, "gu");
    while ((m = re.exec(text))) {
      var parts = words(m[0]);
      if (parts.length) out.push({ s: m.index, e: m.index + m[0].length, n: parts });
    }
    return out;
  }
  /* which words of a text are hits (1: a word, 2: part of a phrase) */
  function hits(sp, q) {
    var marked = new Uint8Array(sp.length), found = {};
    sp.forEach(function (x, k) {
      q.words.forEach(function (w, wi) {
        if (x.n.some(function (n) { return matchWord(n, w); })) {
          found[wi] = 1;
          if (!w.inPhrase) marked[k] = 1;
        }
      });
    });
    var phraseOk = q.phrases.map(function (ph) {
      var ok = false;
      for (var k = 0; k + ph.length <= sp.length; k++) {
        var here = true;
        for (var j = 0; j < ph.length && here; j++) here = sp[k + j].n.indexOf(ph[j]) >= 0;
        if (here) { ok = true; for (var j2 = 0; j2 < ph.length; j2++) marked[k + j2] = 2; }
      }
      return ok;
    });
    return { marked: marked, words: Object.keys(found).length, phrases: phraseOk };
  }

  function snippet(text, sp, marked) {
    var first = marked.findIndex(function (v) { return v > 0; });
    var at = first >= 0 ? sp[first].s : 0;
    var start = Math.max(0, at - 80), end = Math.min(text.length, at + 160);
    while (start > 0 && !/\s/.test(text[start - 1])) start--;
    while (end < text.length && !/\s/.test(text[end])) end++;
    var frag = document.createDocumentFragment(), pos = start;
    if (start > 0) frag.append("… ");
    sp.forEach(function (x, k) {
      if (!marked[k] || x.s < start || x.e > end) return;
      frag.append(text.slice(pos, x.s));
      frag.append(el("mark", null, text.slice(x.s, x.e)));
      pos = x.e;
    });
    frag.append(text.slice(pos, end));
    if (end < text.length) frag.append(" …");
    return frag;
  }

  /* a unit's blocks that match, best first */
  function passages(unit, q) {
    var out = [];
    unit.b.forEach(function (blk) {
      var sp = spans(blk[1]), h = hits(sp, q);
      var spx = blk[2] ? spans(blk[2]) : [], hx = hits(spx, q);
      var found = Math.max(h.words, hx.words);
      if (!found) return;
      var phrases = h.phrases.filter(Boolean).length + hx.phrases.filter(Boolean).length;
      var marks = h.marked.reduce(function (s, v) { return s + (v ? 1 : 0); }, 0);
      out.push({ a: blk[0], text: blk[1], sp: sp, h: h, x: blk[2], spx: spx, hx: hx,
                 score: phrases * 100 + found * 10 + marks });
    });
    return out.sort(function (a, b) { return b.score - a.score; });
  }

  /* ------------------------------------------------------------------ links
     A link into the edition from the index, or null: it must resolve to this page's scheme
     and host (no javascript: or data:, no //elsewhere), whatever the index holds, and be
     relative; the anchor is encoded. */
  function link(u, anchor) {
    if (typeof u !== "string" || /^[\s\u0000-\u001f]*[\/\\]/.test(u)) return null;
    var here = new URL(document.baseURI), url;
    try { url = new URL(u, here); } catch (e) { return null; }
    if (url.protocol !== here.protocol || url.host !== here.host) return null;
    return anchor ? u.split("#")[0] + "#" + encodeURIComponent(anchor) : u;
  }

  /* ------------------------------------------------------------------ rendering */
  var runId = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function run(query, out) {
    var id = ++runId, t0 = performance.now(), logStart = log.length;
    var q = parse(query);
    out.replaceChildren();
    if (!q.words.length) return Promise.resolve();
    return Promise.all(q.words.map(lookupWord))
      .then(function (lists) {
        if (id !== runId) return;
        var ranked = rank(lists, true), partial = false;
        if (!ranked.length && lists.length > 1 && !q.phrases.length) {
          ranked = rank(lists, false);
          partial = true;
        }
        var docs = [], byDoc = new Map(), registers = [];
        ranked.forEach(function (r) {
          var u = r[0];
          if (isRegister(u)) { registers.push(u); return; }
          var d = docOf(u);
          if (!byDoc.has(d)) { byDoc.set(d, []); docs.push(d); }
          byDoc.get(d).push(u);
        });
        var st = { id: id, q: q, docs: docs, byDoc: byDoc, registers: registers, next: 0,
                   dropped: 0, out: out, query: query };
        st.summary = el("p", "search-summary", summary(docs.length, registers.length, query, partial));
        st.list = el("ol", "search-list");
        out.append(st.summary, st.list);
        var work = [showMore(st)];
        if (registers.length) work.push(showRegisters(st));
        return Promise.all(work).then(function () {
          if (id !== runId) return;
          window.teikitSearchLast = { query: query, ms: performance.now() - t0,
                                      files: log.slice(logStart), results: docs.length,
                                      registers: registers.length };
        });
      })
      .catch(function (err) {
        if (id !== runId) return;
        out.replaceChildren(el("p", "search-error", t("search.error", { error: err.message })));
        window.teikitSearchLast = { query: query, error: String(err), files: log.slice(logStart) };
      });
  }

  function summary(nDocs, nRegs, query, partial) {
    if (!nDocs && !nRegs) return t("search.none", { query: query });
    var d = t("search.documents", { count: nDocs }), r = t("search.entries", { count: nRegs });
    var s = !nRegs ? d : !nDocs ? r : t("search.found_both", { documents: d, entries: r });
    return partial ? t("search.partial") + " " + s : s;
  }

  function fragmentOf(u) {
    var f = lastAtMost(fragStarts, u);
    return load("f" + f, "f/" + f + ".js").then(function (data) { return data[u]; });
  }

  /* The next PAGE documents: their best units' passages, in rank order. With a phrase, a
     document whose passages lack it is left out and the next tried, up to PHRASE_TRIES. */
  function showMore(st) {
    if (st.more) { st.more.remove(); st.more = null; }
    var shown = 0, tries = st.q.phrases.length ? PHRASE_TRIES : PAGE, firstNew = null;
    function batch() {
      var slice = st.docs.slice(st.next, st.next + Math.min(PAGE - shown, tries));
      st.next += slice.length;
      tries -= slice.length;
      return Promise.all(slice.map(function (d) {
        var li = el("li", "result");
        st.list.append(li);
        return Promise.all(st.byDoc.get(d).slice(0, 2).map(fragmentOf)).then(function (parts) {
          if (st.id !== runId) return;
          if (renderDoc(li, parts, st.q)) { shown++; if (!firstNew) firstNew = li; }
          else { li.remove(); st.dropped++; }
        });
      })).then(function () {
        if (st.id === runId && shown < PAGE && tries > 0 && st.next < st.docs.length) return batch();
      });
    }
    return batch().then(function () {
      if (st.id !== runId) return;
      if (st.q.phrases.length) {
        var have = st.next - st.dropped;
        st.summary.textContent = !have && st.next >= st.docs.length ? t("search.none", { query: st.query })
          : st.next >= st.docs.length ? t("search.phrase", { count: have })
          : t("search.phrase_some", { documents: t("search.documents", { count: have }),
                                      tried: st.next, total: st.docs.length });
      }
      if (st.next < st.docs.length) {
        var btn = el("button", "search-more", t("search.more_results"));
        btn.type = "button";
        btn.addEventListener("click", function () {
          showMore(st).then(function (li) {
            var a = li && li.querySelector("a");
            if (a) a.focus();
          });
        });
        st.more = btn;
        st.out.append(btn);
      }
      return firstNew;
    });
  }

  /* one result; false (nothing shown) where a phrase of the query is not in its passages */
  function renderDoc(li, parts, q) {
    var doc = parts[0], href = doc && link(doc.u);
    if (href === null || !doc) return false;
    var found = [];
    parts.forEach(function (p) { if (p) found = found.concat(passages(p, q)); });
    if (q.phrases.length) {
      found = found.filter(function (p) {
        return p.h.phrases.every(Boolean) || p.hx.phrases.every(Boolean);
      });
      if (!found.length) return false;
    }
    found.sort(function (x, y) { return y.score - x.score; });
    var a = el("a", "result-title", doc.t);
    a.href = href;
    if (doc.l) a.lang = doc.l;  // the document's language; the page speaks the reader's
    li.append(a);
    if (doc.m) li.append(el("div", "result-meta", doc.m));
    var ul = el("ul", "result-hits");
    if (doc.l) ul.lang = doc.l;
    if (!found.length) {  // found by its title: the beginning of its text
      var opening = doc.b.filter(function (b) { return b[1]; })[0];
      if (opening) {
        var start = el("li"), link0 = link(doc.u, opening[0]), box0 = link0 === null ? el("span") : el("a");
        if (link0 !== null) box0.href = link0;
        box0.append(snippet(opening[1], spans(opening[1]), new Uint8Array(0)));
        start.append(box0);
        ul.append(start);
        li.append(ul);
      }
      return true;
    }
    found.slice(0, PASSAGES).forEach(function (p) {
      var h = el("li"), target = link(doc.u, p.a);
      var box = target === null ? el("span") : el("a");
      if (target !== null) box.href = target;
      box.append(snippet(p.text, p.sp, p.h.marked));
      if (p.hx.words && !p.h.words) {
        var o = el("span", "result-other");
        o.append(" (" + t("search.other_reading") + ": ", snippet(p.x, p.spx, p.hx.marked), ")");
        box.append(o);
      }
      h.append(box);
      ul.append(h);
    });
    if (found.length > PASSAGES) {
      var more = el("li", "result-more", t("search.more", { count: found.length - PASSAGES }));
      more.lang = document.documentElement.lang;
      ul.append(more);
    }
    li.append(ul);
    return true;
  }

  /* The register entries found, REGISTER_ROWS at a time, above the documents. */
  function showRegisters(st) {
    var sec = el("section", "search-registers"), ul = el("ul"), next = 0, btn = null;
    sec.append(el("h2", null, t("search.registers")), ul);
    st.out.insertBefore(sec, st.list);
    function more() {
      var units = st.registers.slice(next, next + REGISTER_ROWS);
      next += units.length;
      return Promise.all(units.map(fragmentOf)).then(function (parts) {
        if (st.id !== runId) return;
        var firstNew = null;
        parts.forEach(function (p) {
          var href = p && link(p.u);
          if (!href) return;
          var li = el("li"), a = el("a", "result-title", p.t);
          a.href = href;
          if (p.l) a.lang = p.l;
          li.append(a);
          if (p.m) li.append(" · ", el("span", "result-meta", p.m));
          ul.append(li);
          firstNew = firstNew || a;
        });
        if (btn) { btn.remove(); btn = null; }
        if (next < st.registers.length) {
          btn = el("button", "search-more", t("search.more_entries",
                                               { count: st.registers.length - next }));
          btn.type = "button";
          btn.addEventListener("click", function () {
            more().then(function (a) { if (a) a.focus(); });
          });
          sec.append(btn);
        }
        return firstNew;
      });
    }
    return more();
  }

  /* ------------------------------------------------------------------ the page */
  /* Arrow keys: from the box down into the results, and between their links. */
  function keys(input, out) {
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") {
        var first = out.querySelector("a");
        if (first) { ev.preventDefault(); first.focus(); }
      }
    });
    out.addEventListener("keydown", function (ev) {
      if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(out.querySelectorAll("a, button"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      ev.preventDefault();
      if (ev.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
      else if (ev.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
    });
  }

  function init() {
    var form = document.getElementById("tk-search-form");
    var input = document.getElementById("tk-q");
    var out = document.getElementById("tk-results");
    if (!form || !input || !out) return;
    if (!M) { out.replaceChildren(el("p", "search-error", t("search.missing"))); return; }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, out); }, 150);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      run(input.value, out);
    });
    keys(input, out);
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; run(q, out); }
  }
  window.teikitSearch = { run: run, parse: parse, tokens: tokens, words: words, log: log };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
