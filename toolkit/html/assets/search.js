/* Offline full-text search over assets/search-index.js (window.TEIKIT_SEARCH), loaded by a
   plain <script>: works from file:// where fetch() and module imports are refused.
   Words match from their beginning; case and accents are ignored. Results are built with DOM
   methods only (textContent), never from HTML strings. */
(function () {
  "use strict";
  var data = window.TEIKIT_SEARCH || { docs: [], blocks: [] };
  /* The interface's strings (assets/t.js); the key itself if they did not load. */
  var t = (window.teikit && window.teikit.t) || function (key) { return key; };
  var folded = null;
  /* The index keeps each page's blocks together (pages[i] belongs to docs[i]): one flat
     list with the document's number on each block is what the search works on. */
  (function flatten() {
    var flat = [];
    (data.pages || []).forEach(function (blocks, d) {
      blocks.forEach(function (b) { b.d = d; flat.push(b); });
    });
    data.blocks = flat.concat(data.blocks || []);
  })();

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function prepare() {
    if (folded) return;
    folded = data.blocks.map(function (b) { return words(b.t + " " + (b.x || "")); });
  }

  function matches(blockWords, terms) {
    return terms.every(function (t) {
      return blockWords.some(function (w) { return w.indexOf(t) === 0; });
    });
  }

  /* A snippet of the text around the first hit, with the hits marked. */
  function snippet(text, terms) {
    var f = fold(text);
    var first = -1;
    terms.forEach(function (t) {
      var re = new RegExp("(^|[^\\p{L}\\p{N}])" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u");
      var m = re.exec(f);
      if (m) {
        var at = m.index + m[1].length;
        if (first < 0 || at < first) first = at;
      }
    });
    var start = Math.max(0, first - 80), end = Math.min(text.length, Math.max(first, 0) + 160);
    while (start > 0 && !/\s/.test(text[start - 1])) start--;
    while (end < text.length && !/\s/.test(text[end])) end++;
    var frag = document.createDocumentFragment();
    var piece = text.slice(start, end), fp = fold(piece);
    if (start > 0) frag.append("… ");
    var i = 0;
    while (i < piece.length) {
      var hit = -1, len = 0;
      terms.forEach(function (t) {
        var j = fp.indexOf(t, i);
        while (j > 0 && /[\p{L}\p{N}]/u.test(fp[j - 1])) j = fp.indexOf(t, j + 1);
        if (j >= 0 && (hit < 0 || j < hit)) { hit = j; len = t.length; }
      });
      if (hit < 0) { frag.append(piece.slice(i)); break; }
      frag.append(piece.slice(i, hit));
      var m = document.createElement("mark");
      m.textContent = piece.slice(hit, hit + len);
      frag.append(m);
      i = hit + len;
    }
    if (end < text.length) frag.append(" …");
    return frag;
  }

  /* A link into the edition from the index, or null: it must resolve to this page's scheme
     and host (no javascript: or data:, no //elsewhere), whatever the index holds, and be
     relative; the anchor is encoded. */
  function link(u, anchor) {
    if (typeof u !== "string" || /^[\s\u0000-\u001f]*[\/\\]/.test(u)) return null;
    var here = new URL(document.baseURI), url;
    try { url = new URL(u, here); } catch (e) { return null; }
    if (url.protocol !== here.protocol || url.host !== here.host) return null;
    return anchor ? u.split("#")[0] + "#" + encodeURIComponent(anchor) : u;
  }

  function run(query, out) {
    out.replaceChildren();
    var terms = words(query);
    if (!terms.length) return;
    prepare();
    var byDoc = new Map();
    data.blocks.forEach(function (b, i) {
      if (matches(folded[i], terms)) {
        if (!byDoc.has(b.d)) byDoc.set(b.d, []);
        byDoc.get(b.d).push(b);
      }
    });
    var count = 0;
    byDoc.forEach(function (hits) { count += hits.length; });
    var summary = document.createElement("p");
    summary.textContent = count ? t("search.summary", {
      passages: t("search.passages", { count: count }),
      pages: t("search.pages", { count: byDoc.size })
    }) : t("search.none", { query: query });
    out.append(summary);
    if (!count) return;
    var list = document.createElement("ol");
    Array.from(byDoc.keys()).sort(function (a, b) {
      var ra = data.docs[a].r ? 1 : 0, rb = data.docs[b].r ? 1 : 0;
      return ra - rb || byDoc.get(b).length - byDoc.get(a).length || a - b;
    }).forEach(function (d) {
      var doc = data.docs[d], hits = byDoc.get(d);
      var li = document.createElement("li");
      li.className = "result";
      var href = link(doc.u);
      if (href === null) return;
      var title = document.createElement("a");
      title.className = "result-title";
      title.href = href;
      title.textContent = doc.t;
      if (doc.l) title.lang = doc.l;  // the document's language; the page speaks the reader's
      li.append(title);
      if (doc.m) {
        var meta = document.createElement("div");
        meta.className = "result-meta";
        meta.textContent = doc.m;
        li.append(meta);
      }
      if (!doc.r) {
        var ul = document.createElement("ul");
        ul.className = "result-hits";
        if (doc.l) ul.lang = doc.l;
        hits.slice(0, 5).forEach(function (b) {
          var h = document.createElement("li");
          var a = document.createElement("a");
          a.href = link(doc.u, b.a);
          a.append(snippet(b.t, terms));
          h.append(a);
          ul.append(h);
        });
        if (hits.length > 5) {
          var more = document.createElement("li");
          more.textContent = t("search.more", { count: hits.length - 5 });
          more.lang = document.documentElement.lang;
          ul.append(more);
        }
        li.append(ul);
      }
      list.append(li);
    });
    out.append(list);
  }

  function init() {
    var form = document.getElementById("tk-search-form");
    var input = document.getElementById("tk-q");
    var out = document.getElementById("tk-results");
    if (!form || !input || !out) return;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, out); }, 120);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      run(input.value, out);
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) { input.value = q; run(q, out); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
