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
    host.lang = "en";  /* the preview's words are the command line's, whatever the page's */
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

  function plural(n, one, many) { return n === 1 ? one : n + " " + many; }

  /* The problems this page shows: those of its own document, and those every page shows (of
     documents that could not be rendered, of documents edited while serving, of the edition
     as a whole); the errors other documents had all along are only counted. */
  function showProblems(problems, report) {
    var mine = problems.filter(thisPage);
    var shown = mine.concat(problems.filter(function (p) { return p.everywhere && !thisPage(p); }));
    var others = problems.length - shown.length;
    var key = JSON.stringify(shown);
    if (notice) { notice.remove(); notice = null; }
    if (!shown.length || key === hidden) { return; }
    ensureHost();
    notice = el("section", "notice");
    notice.setAttribute("role", "alert");
    notice.setAttribute("aria-labelledby", "tk-serve-title");
    var head = el("div", "head");
    var title = el("h2", "", plural(shown.length, "1 problem", "problems") +
                   (mine.length === shown.length ? " in " + mine[0].path : " in the edition"));
    title.id = "tk-serve-title";
    head.appendChild(title);
    var close = el("button", "close", "Hide");
    close.type = "button";
    close.addEventListener("click", function () { hidden = key; showProblems(problems, report); });
    head.appendChild(close);
    notice.appendChild(head);
    var unrendered = mine.filter(function (p) { return !p.rendered; });
    if (unrendered.length) {
      notice.appendChild(el("p", "stale", "This page is the last good build of " +
                            unrendered[0].path + ": it could not be rendered now. Once " +
                            (unrendered.length === 1 ? "the problem below is" : "the problems below are") +
                            " fixed, the page shows the new text."));
    }
    var list = el("ol");
    shown.forEach(function (p) {
      var item = el("li", p.severity);
      item.appendChild(el("code", "where", where(p)));
      item.appendChild(document.createTextNode(" " + p.severity + ": " + p.message + " "));
      item.appendChild(el("span", "rule", "[" + p.rule + "]"));
      list.appendChild(item);
    });
    notice.appendChild(list);
    if (others > 0) {
      var more = el("p", "more", "And " + plural(others, "1 more", "more") +
                    " in documents not edited while serving");
      if (report) {
        more.appendChild(document.createTextNode(": "));
        var link = el("a", "", "the report lists every finding");
        link.href = "/" + report;
        more.appendChild(link);
      }
      more.appendChild(document.createTextNode("."));
      notice.appendChild(more);
    }
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
    showProblems(state.problems || [], state.report);
    document.documentElement.setAttribute("data-teikit-serve", state.build);  /* in step */
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
