/* teikit serve: keeps an open page in step with the sources being edited. It reloads the page
   when the edition was rebuilt (at the same scroll position) and shows the build's problems over
   the page (file:line:column and message) until they are fixed. Served only by `teikit serve`
   (from a reserved path, added to pages as they are served); never part of a built edition. */
(function () {
  "use strict";
  var BASE = "/__teikit__/";
  var SCROLL = "teikit.serve.scroll:" + location.pathname;
  var me = document.currentScript;
  var seen = (me && me.dataset.build) || null;  /* the build the page is of */
  var hidden = null;      /* the problems the reader hid (shown again when they change) */
  var host, shadow, notice, badge;

  /* ------------------------------------------------------------ scroll across reloads */

  function restoreScroll() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(SCROLL) || "null"); } catch (e) { return; }
    if (!saved) { return; }
    try { sessionStorage.removeItem(SCROLL); } catch (e) { /* ignore */ }
    var go = function () { window.scrollTo(saved.x, saved.y); };
    go();
    /* fonts and images may still change the layout: once more when everything is in */
    window.addEventListener("load", go, { once: true });
  }

  function reload() {
    try {
      sessionStorage.setItem(SCROLL, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* ignore: the page reloads at its top */ }
    location.reload();
  }

  /* ------------------------------------------------------------ the notice and the badge */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function ensureHost() {
    if (host) { return; }
    host = el("teikit-serve");
    shadow = host.attachShadow({ mode: "open" });
    var css = el("link");
    css.rel = "stylesheet";
    css.href = BASE + "reload.css";
    shadow.appendChild(css);
    badge = el("p", "badge");
    badge.setAttribute("role", "status");
    badge.hidden = true;
    shadow.appendChild(badge);
    document.body.appendChild(host);
  }

  function thisPage(problem) {
    if (!problem.document) { return false; }
    var file = decodeURIComponent(location.pathname.split("/").pop() || "index.html");
    return file === problem.document + ".html";
  }

  function where(p) {
    return p.path + ":" + p.line + ":" + p.column;
  }

  function showProblems(problems) {
    var key = JSON.stringify(problems);
    if (notice) { notice.remove(); notice = null; }
    if (!problems.length || key === hidden) { return; }
    ensureHost();
    var mine = problems.filter(thisPage);
    notice = el("section", "notice");
    notice.setAttribute("role", "alert");
    notice.setAttribute("aria-labelledby", "tk-serve-title");
    var head = el("div", "head");
    var title = el("h2", "", problems.length === 1 ? "1 problem in the edition"
                                                    : problems.length + " problems in the edition");
    title.id = "tk-serve-title";
    head.appendChild(title);
    var close = el("button", "close", "Hide");
    close.type = "button";
    close.addEventListener("click", function () { hidden = key; showProblems(problems); });
    head.appendChild(close);
    notice.appendChild(head);
    if (mine.length) {
      notice.appendChild(el("p", "stale", "This page is the last good build of " + mine[0].path +
                            (mine.length === 1 ? ": once the problem below is fixed"
                                               : ": once the problems below are fixed") +
                            ", it shows the new one."));
    }
    var list = el("ol");
    mine.concat(problems.filter(function (p) { return !thisPage(p); })).forEach(function (p) {
      var item = el("li", p.severity);
      item.appendChild(el("code", "where", where(p)));
      item.appendChild(document.createTextNode(" " + p.severity + ": " + p.message + " "));
      item.appendChild(el("span", "rule", "[" + p.rule + "]"));
      list.appendChild(item);
    });
    notice.appendChild(list);
    shadow.appendChild(notice);
  }

  function showBadge(text) {
    if (!text && !host) { return; }
    ensureHost();
    badge.textContent = text || "";
    badge.hidden = !text;
  }

  var slow = null;  /* a build shorter than this is not worth a badge that flickers */
  function building(yes) {
    if (yes && slow === null) {
      slow = setTimeout(function () { showBadge("Rebuilding\u2026"); }, 400);
    } else if (!yes) {
      clearTimeout(slow);
      slow = null;
      showBadge("");
    }
  }

  /* ------------------------------------------------------------ the server's messages */

  function onState(state) {
    if (seen === null) {
      seen = state.build;
    } else if (state.build !== seen) {
      reload();
      return;
    }
    building(state.building);
    showProblems(state.problems || []);
  }

  var events = null;

  function connect() {
    if (events) { return; }
    events = new EventSource(BASE + "events");
    events.onmessage = function (ev) {
      try { onState(JSON.parse(ev.data)); } catch (e) { /* a garbled message: wait for the next */ }
    };
    events.onerror = function () {
      /* The browser tries again by itself (a restarted server's first message reloads the
         page); meanwhile say why nothing updates. */
      showBadge("Preview server not reachable: is teikit serve running?");
    };
  }

  /* A browser opens only a few connections to one server at a time, and each stream holds
     one: a tab in the background lets go of its stream and, back in front, asks again (and
     reloads if the edition was rebuilt meanwhile). */
  function followVisibility() {
    if (document.hidden) {
      if (events) { events.close(); events = null; }
    } else {
      connect();
    }
  }

  function start() {
    document.addEventListener("visibilitychange", followVisibility);
    followVisibility();
  }

  restoreScroll();
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
}());
