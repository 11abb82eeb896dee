/* teikit web edition: the text beside its page images.
   Reads the page's images from the data block #tk-facs-data (written by the build, see
   toolkit/html/facsimile.py) and shows the current page's image in OpenSeadragon (vendored,
   openseadragon.LICENSE.txt); keeps text and image in step both ways: scrolling the text
   turns the image to the page break nearest the top, turning the image scrolls the text.
   Lines that point to zones of a page (data-zone) light up their zone when hovered or
   focused, and a click on a zone brings its line into view. On a phone the image opens on
   demand, over the text. Loads nothing but the images (and a IIIF manifest or info.json the
   page names); runs under a Content-Security-Policy without inline script or style. Without
   JavaScript each page break links to its image. */
(function () {
  "use strict";

  /* The interface's strings (assets/t.js, from the catalogue); the key itself if they did
     not load. */
  var t = (window.teikit && window.teikit.t) || function (key) { return key; };

  var dataEl = document.getElementById("tk-facs-data");
  var pane = document.getElementById("tk-facs");
  var host = document.getElementById("tk-facs-viewer");
  var article = pane && pane.closest(".document");
  if (!dataEl || !pane || !host || !article || typeof window.OpenSeadragon !== "function") return;

  var SVG = "http://www.w3.org/2000/svg";
  var data;
  try { data = JSON.parse(dataEl.textContent); } catch (e) { return; }
  var pages = data.pages || [];
  if (!pages.length) return;
  var phone = window.matchMedia("(max-width: 47.99rem)");
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
  var openBtn = document.querySelector(".facs-open");
  var unavailable = pane.querySelector(".facs-unavailable");
  var position = document.getElementById("tk-facs-position");

  var viewer = null;       // made when the pane is first shown
  var current = -1;        // the page shown (or to be shown) in the viewer
  var opened = -1;         // the page whose image is open in the viewer now
  var activeZone = null;   // the zone lit now
  var shapes = {};         // zone id -> its SVG shape on the page shown
  var zoneIndex = {};      // zone id -> {page, zone}
  var linesOf = {};        // zone id -> the text elements pointing to it
  var stops = [];          // one focusable element per zone, in text order
  var manifest = null;     // canvases of the document's IIIF manifest, once read

  /* ------------------------------------------------------------------ addresses */

  /* Only the edition's own files (relative) and web addresses are ever opened. */
  function safe(u) {
    if (typeof u !== "string" || !u) return null;
    try {
      var url = new URL(u, document.baseURI);
      if (url.protocol === "http:" || url.protocol === "https:") return url.href;
      if (url.protocol === "file:" && !/^[a-z][a-z0-9+.-]*:/i.test(u)) return url.href;
    } catch (e) { /* not an address */ }
    return null;
  }

  /* What OpenSeadragon opens for a page: ids of tiles made by the build are relative to the
     page, so the same edition works from file://, from a folder or from any host. */
  function tileSource(src) {
    if (!src) return null;
    if (typeof src === "string") return safe(src);
    var copy = JSON.parse(JSON.stringify(src));
    if (copy.type === "image") {
      copy.url = safe(copy.url);
      return copy.url ? copy : null;
    }
    var id = copy.id !== undefined ? "id" : "@id";
    copy[id] = safe(copy[id]);
    return copy[id] ? copy : null;
  }

  /* ------------------------------------------------------------ a IIIF manifest */

  function label(v) {
    if (typeof v === "string") return v;
    if (v && typeof v === "object") {
      for (var k in v) if (Array.isArray(v[k]) && v[k].length) return String(v[k][0]);
    }
    return "";
  }
  function first(v) { return Array.isArray(v) ? v[0] : v; }
  /* The canvases of a Presentation 3 or 2 manifest: id, label, what to open, size. */
  function canvasesOf(m) {
    var out = [];
    var list = m.items || (m.sequences && m.sequences[0] && m.sequences[0].canvases) || [];
    list.forEach(function (c) {
      if (!c || typeof c !== "object") return;
      var body = null, service = null;
      if (c.items) {             // version 3
        var page = first(c.items), anno = page && first(page.items);
        body = anno && first(anno.body);
        if (body && body.type === "Choice") body = first(body.items);
      } else if (c.images) {     // version 2
        body = first(c.images) && first(c.images).resource;
      }
      if (!body) return;
      service = first(body.service);
      var src = null;
      if (service && (service.id || service["@id"])) {
        src = String(service.id || service["@id"]).replace(/\/$/, "") + "/info.json";
      } else if (body.id || body["@id"]) {
        src = { type: "image", url: body.id || body["@id"] };
      }
      out.push({ id: c.id || c["@id"], label: label(c.label), src: src,
                 width: c.width, height: c.height });
    });
    return out;
  }
  function applyManifest(m) {
    var canvases = canvasesOf(m), byId = {};
    canvases.forEach(function (c) { byId[c.id] = c; });
    pages.forEach(function (p) {
      if (p.canvas === undefined || p.canvas === null) return;
      var c = typeof p.canvas === "number" ? canvases[p.canvas] : byId[p.canvas];
      if (!c || !c.src) { p.missing = true; return; }
      p.src = c.src;
      if (!p.label) p.label = c.label;
      if (!p.space && c.width && c.height) p.space = [c.width, c.height];
    });
    manifest = canvases;
  }
  function loadManifest(done) {
    var info = data.manifest;
    if (!info) { done(); return; }
    if (info.json) { applyManifest(info.json); done(); return; }
    var url = safe(info.url);
    if (!url || typeof window.fetch !== "function") { failManifest(); done(); return; }
    window.fetch(url, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (m) { applyManifest(m); }, failManifest).then(done);
  }
  function failManifest() {
    pages.forEach(function (p) { if (p.canvas !== undefined && p.canvas !== null) p.missing = true; });
  }

  /* ------------------------------------------------------------ the lines and zones */

  pages.forEach(function (p, i) {
    (p.zones || []).forEach(function (z) { zoneIndex[z.id] = { page: i, zone: z }; });
  });
  var pbs = Array.prototype.slice.call(document.querySelectorAll(".text [data-facs-page]"));
  Array.prototype.forEach.call(article.querySelectorAll(".text [data-zone]"), function (el) {
    var id = el.getAttribute("data-zone");
    if (!zoneIndex[id]) return;
    if (!linesOf[id]) { linesOf[id] = []; stops.push(el); }
    linesOf[id].push(el);
  });
  var hint = document.createElement("span");
  hint.id = "tk-facs-line-hint";
  hint.className = "visually-hidden";
  hint.textContent = t("facs.line");
  pane.appendChild(hint);
  /* One line in the tab order (the one last visited), the others by the arrow keys: a page
     of hundreds of lines is not hundreds of tab stops. */
  stops.forEach(function (el, k) {
    el.tabIndex = k === 0 ? 0 : -1;
    el.classList.add("facs-line");
    el.setAttribute("aria-describedby", hint.id);
  });

  function bbox(z) {
    if (z.rect) return z.rect;
    var xs = z.points.map(function (p) { return p[0]; });
    var ys = z.points.map(function (p) { return p[1]; });
    var x = Math.min.apply(null, xs), y = Math.min.apply(null, ys);
    return [x, y, Math.max.apply(null, xs) - x, Math.max.apply(null, ys) - y];
  }
  function inside(z, x, y) {
    if (z.rect) {
      var r = z.rect;
      return x >= r[0] && y >= r[1] && x <= r[0] + r[2] && y <= r[1] + r[3];
    }
    var pts = z.points, hit = false;
    for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      var xi = pts[i][0], yi = pts[i][1], xj = pts[j][0], yj = pts[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) hit = !hit;
    }
    return hit;
  }
  /* The space the zones of page i are in: as the TEI says, else the image's pixels. */
  function space(i) {
    if (pages[i].space) return pages[i].space;
    var item = viewer && opened === i && viewer.world.getItemAt(0);
    if (!item) return null;
    var d = item.source.dimensions;
    return [d.x, d.y];
  }
  /* A zone's box in viewport coordinates (the image's bounds scaled by the space). */
  function zoneRect(i, z) {
    var item = viewer && opened === i && viewer.world.getItemAt(0), s = space(i);
    if (!item || !s) return null;
    var b = item.getBounds(), r = bbox(z);
    return new OpenSeadragon.Rect(b.x + r[0] / s[0] * b.width, b.y + r[1] / s[1] * b.height,
                                  r[2] / s[0] * b.width, r[3] / s[1] * b.height);
  }

  /* ------------------------------------------------------------------ the viewer */

  function withoutInlineStyle() {
    /* OpenSeadragon adds a <style> of its own (it hides the canvas's focus ring on touch
       screens, which should stay) unless one marked data-openseadragon-mobile-css exists. An
       empty one is the only inline style the page's policy allows (its hash is listed). */
    if (document.querySelector("style[data-openseadragon-mobile-css]")) return;
    var mark = document.createElement("style");
    mark.setAttribute("data-openseadragon-mobile-css", "true");
    document.head.appendChild(mark);
  }

  /* WebGL draws best (no seams between tiles on HiDPI screens) but cannot draw images the
     page may not read: any from file://, or from another host. The 2D canvas can. */
  function drawer() {
    if (location.protocol === "file:" || data.manifest) return "canvas";
    var remote = pages.some(function (p) {
      var src = tileSource(p.src), u = typeof src === "string" ? src : src && (src.url || src.id || src["@id"]);
      try { return !!u && new URL(u).origin !== location.origin; } catch (e) { return true; }
    });
    return remote ? "canvas" : ["webgl", "canvas"];
  }

  function createViewer() {
    if (viewer) return;
    withoutInlineStyle();
    viewer = OpenSeadragon({
      element: host,
      drawer: drawer(),
      showNavigationControl: false,   // our own buttons: no images of OpenSeadragon's needed
      gestureSettingsMouse: { clickToZoom: false },
      visibilityRatio: 0.5,
      crossOriginPolicy: false,
      preserveViewport: false,
      animationTime: reduced.matches ? 0 : 1.2
    });
    var canvas = viewer.canvas;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-roledescription", t("facs.viewer_role"));
    viewer.addHandler("open", function () {
      unavailable.hidden = true;
      drawZones();
      if (pending) { var p = pending; pending = null; focusZone(p.id, p.zoom); }
    });
    viewer.addHandler("open-failed", function () {
      var p = pages[opened];
      if (p && p.alt && !p.triedAlt) {   // a IIIF service that failed: its plain image
        p.triedAlt = true;
        var alt = safe(p.alt);
        if (alt) { viewer.open({ type: "image", url: alt }); return; }
      }
      showUnavailable(opened);
    });
    viewer.addHandler("canvas-click", function (e) {
      if (!e.quick) return;                     // a drag, not a click
      var item = viewer.world.getItemAt(0), s = space(opened);
      if (!item || !s) return;
      var pt = viewer.viewport.pointFromPixel(e.position), b = item.getBounds();
      var x = (pt.x - b.x) / b.width * s[0], y = (pt.y - b.y) / b.height * s[1];
      var best = null, area = Infinity;
      (pages[opened].zones || []).forEach(function (z) {
        var r = bbox(z);
        if (linesOf[z.id] && inside(z, x, y) && r[2] * r[3] < area) { best = z; area = r[2] * r[3]; }
      });
      if (best) goToLine(best.id);
    });
    openPage(current < 0 ? 0 : current);
  }

  function showUnavailable(i) {
    viewer.close();
    shapes = {};
    var p = pages[i];
    unavailable.textContent = p && p.label ? t("facs.unavailable", { label: p.label })
                                           : t("facs.unavailable_plain");
    unavailable.hidden = false;
  }

  /* Open page i's image in the viewer. */
  function openPage(i) {
    current = i;
    updateToolbar();
    if (!viewer || opened === i) return;
    opened = i;
    shapes = {};
    var p = pages[i], src = p.missing ? null : tileSource(p.src);
    if (!src) {
      if (p.canvas !== undefined && p.canvas !== null && !manifest && data.manifest && !p.missing) {
        viewer.close();        // the manifest is still being read: opened when it is
        opened = -1;
        return;
      }
      showUnavailable(i);
      return;
    }
    viewer.open(src);
  }

  function drawZones() {
    viewer.clearOverlays();
    shapes = {};
    var item = viewer.world.getItemAt(0), p = pages[opened], s = space(opened);
    if (!item || !p || !p.zones || !p.zones.length || !s) return;
    var box = document.createElement("div");
    box.className = "facs-zones";
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + s[0] + " " + s[1]);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", "100%");
    svg.setAttribute("aria-hidden", "true");
    p.zones.forEach(function (z) {
      var el;
      if (z.rect) {
        el = document.createElementNS(SVG, "rect");
        el.setAttribute("x", z.rect[0]); el.setAttribute("y", z.rect[1]);
        el.setAttribute("width", z.rect[2]); el.setAttribute("height", z.rect[3]);
      } else {
        el = document.createElementNS(SVG, "polygon");
        el.setAttribute("points", z.points.map(function (q) { return q.join(","); }).join(" "));
      }
      el.setAttribute("class", "zone" + (z.id === activeZone ? " is-active" : ""));
      el.setAttribute("data-zone", z.id);
      shapes[z.id] = el;
      svg.appendChild(el);
    });
    box.appendChild(svg);
    viewer.addOverlay({ element: box, location: item.getBounds() });
  }

  function positionText(i) {
    var args = { n: i + 1, total: pages.length };
    var lab = pages[i] && pages[i].label;
    if (lab) args.label = t("facs.page", { label: lab });
    return lab ? t("facs.position_label", args) : t("facs.position", args);
  }
  function updateToolbar() {
    var i = Math.max(current, 0);
    position.textContent = positionText(i);
    if (viewer) viewer.canvas.setAttribute("aria-label", t("facs.viewer", { position: positionText(i) }));
    pane.querySelectorAll("[data-act=prev], [data-act=next]").forEach(function (b) {
      b.disabled = b.getAttribute("data-act") === "prev" ? i <= 0 : i >= pages.length - 1;
    });
  }

  /* ------------------------------------------------------------ text <-> image */

  function visible(el) { return el.getClientRects().length > 0; }
  function pbOf(i) {
    for (var k = 0; k < pbs.length; k++) {
      if (+pbs[k].getAttribute("data-facs-page") === i && visible(pbs[k])) return pbs[k];
    }
    return null;
  }
  function scrollTextTo(i) {
    var pb = pbOf(i);
    if (!pb) return;
    ignoreScrollUntil = Date.now() + (reduced.matches ? 100 : 1200);
    pb.scrollIntoView({ block: "start", behavior: reduced.matches ? "auto" : "smooth" });
  }

  /* The page whose break is the last one above the reading line (a third down the
     viewport); the breaks are in text order, so a binary search finds it. */
  function pageAtTop() {
    var shown = pbs.filter(visible);
    if (!shown.length) return null;
    var mark = window.innerHeight / 3, lo = 0, hi = shown.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (shown[mid].getBoundingClientRect().top <= mark) { found = mid; lo = mid + 1; }
      else hi = mid - 1;
    }
    return +shown[Math.max(found, 0)].getAttribute("data-facs-page");
  }
  var ticking = false, ignoreScrollUntil = 0;
  function onScroll() {
    if (ticking) return;
    ticking = true;
    window.requestAnimationFrame(function () {
      ticking = false;
      if (Date.now() < ignoreScrollUntil) return;  // the viewer moved the text itself
      if (phone.matches && pane.classList.contains("is-open")) return;  // over the text
      var a = document.activeElement;
      if (a && stops.indexOf(a) >= 0) {          // a line read by keyboard: its page wins
        var r = a.getBoundingClientRect();
        if (r.bottom > 0 && r.top < window.innerHeight) return;
      }
      var p = pageAtTop();
      if (p !== null && p !== current) openPage(p);
    });
  }

  function highlight(id, on) {
    if (on) {
      if (activeZone && activeZone !== id) highlight(activeZone, false);
      activeZone = id;
    } else if (activeZone === id) {
      activeZone = null;
    }
    var shape = shapes[id];
    if (shape) shape.setAttribute("class", "zone" + (on ? " is-active" : ""));
    (linesOf[id] || []).forEach(function (el) { el.classList.toggle("is-active", on); });
  }

  var pending = null;  // a zone to show once its page is open
  function focusZone(id, zoom) {
    var z = zoneIndex[id];
    if (!z || !viewer) return;
    if (z.page !== opened) { pending = { id: id, zoom: zoom }; openPage(z.page); return; }
    var r = zoneRect(z.page, z.zone);
    if (!r) { pending = { id: id, zoom: zoom }; return; }
    if (zoom) {
      /* Close enough to read: the zone and a margin across the viewer, or, for a line as
         wide as the page, its height an eighth of the viewer's (at most twice closer), its
         beginning in view. */
      var vp = viewer.viewport, now = vp.getZoom(), seen = vp.getBounds();
      var m = r.height * 0.5;
      var across = now * seen.width / (r.width + 2 * m);
      var tall = now * seen.height / (r.height * 8);
      var z = Math.max(across, Math.min(tall, across * 2)), width = seen.width * now / z;
      var c = r.getCenter();
      if (r.width + 2 * m > width) c.x = r.x - m + width / 2;
      vp.zoomTo(z);
      vp.panTo(c);
    } else if (!viewer.viewport.getBounds(true).containsPoint(r.getCenter())) {
      viewer.viewport.panTo(r.getCenter());
    }
  }

  function goToLine(id) {
    var el = (linesOf[id] || [])[0];
    if (!el) return;
    if (phone.matches) closePane(false);
    stopOf(el);
    ignoreScrollUntil = Date.now() + (reduced.matches ? 100 : 1200);
    el.scrollIntoView({ block: "center", behavior: reduced.matches ? "auto" : "smooth" });
    el.focus({ preventScroll: true });
    (linesOf[id] || []).forEach(function (l) { l.classList.add("is-flash"); });
    window.setTimeout(function () {
      (linesOf[id] || []).forEach(function (l) { l.classList.remove("is-flash"); });
    }, 1200);
  }
  function stopOf(el) {
    stops.forEach(function (s) { s.tabIndex = s === el ? 0 : -1; });
  }

  Object.keys(linesOf).forEach(function (id) {
    linesOf[id].forEach(function (el) {
      el.addEventListener("mouseenter", function () {
        if (zoneIndex[id].page === opened) highlight(id, true);
      });
      el.addEventListener("mouseleave", function () {
        if (document.activeElement !== linesOf[id][0]) highlight(id, false);
      });
    });
    var stop = linesOf[id][0];
    stop.addEventListener("focus", function () {
      stopOf(stop);
      highlight(id, true);
      if (isShown()) focusZone(id, false);
    });
    stop.addEventListener("blur", function () { highlight(id, false); });
    stop.addEventListener("keydown", function (e) {
      var k = stops.indexOf(stop);
      if (e.key === "Enter") {
        e.preventDefault();
        if (!isShown()) openPane();
        focusZone(id, true);
      } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && !e.altKey && !e.ctrlKey && !e.metaKey) {
        var next = stops[k + (e.key === "ArrowDown" ? 1 : -1)];
        if (next) { e.preventDefault(); next.focus(); }
      }
    });
  });

  /* ------------------------------------------------------------ showing and hiding */

  function isShown() {
    return phone.matches ? pane.classList.contains("is-open") : !article.classList.contains("facs-hidden");
  }
  /* Show the pane (on a phone: over the text, as a dialog) at page i, or at the page read. */
  function openPane(i) {
    if (phone.matches) {
      pane.classList.add("is-open");
      pane.setAttribute("role", "dialog");
      pane.setAttribute("aria-modal", "true");
      document.documentElement.classList.add("facs-modal");
    } else {
      article.classList.remove("facs-hidden");
    }
    if (openBtn) openBtn.setAttribute("aria-expanded", "true");
    var p = typeof i === "number" ? i : pageAtTop();
    if (p !== null) current = p;
    createViewer();
    viewer.forceResize();
    openPage(current);
    if (phone.matches) pane.querySelector("[data-act=close]").focus();
  }
  function closePane(refocus) {
    if (phone.matches) {
      if (!pane.classList.contains("is-open")) return;
      pane.classList.remove("is-open");
      pane.removeAttribute("role");
      pane.removeAttribute("aria-modal");
      document.documentElement.classList.remove("facs-modal");
    } else {
      article.classList.add("facs-hidden");
    }
    if (openBtn) {
      openBtn.setAttribute("aria-expanded", "false");
      if (refocus !== false) openBtn.focus();
    }
  }
  if (openBtn) openBtn.addEventListener("click", function () { openPane(); });
  pane.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && phone.matches) { e.preventDefault(); closePane(); return; }
    if (e.key === "Tab" && phone.matches && pane.classList.contains("is-open")) {
      /* keep the focus in the open dialog */
      var f = Array.prototype.filter.call(
        pane.querySelectorAll("button:not([disabled]), [tabindex='0']"), visible);
      if (!f.length) return;
      var firstEl = f[0], lastEl = f[f.length - 1];
      if (e.shiftKey && document.activeElement === firstEl) { e.preventDefault(); lastEl.focus(); }
      else if (!e.shiftKey && document.activeElement === lastEl) { e.preventDefault(); firstEl.focus(); }
    }
  });
  pane.querySelector(".facs-toolbar").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-act]");
    if (!b) return;
    var act = b.getAttribute("data-act");
    if (act === "close") { closePane(); return; }
    if (!viewer) return;
    var vp = viewer.viewport;
    switch (act) {
      case "prev": turn(current - 1); break;
      case "next": turn(current + 1); break;
      case "zoom-in": vp.zoomBy(1.5); vp.applyConstraints(); break;
      case "zoom-out": vp.zoomBy(1 / 1.5); vp.applyConstraints(); break;
      case "home": vp.goHome(); break;
    }
  });
  /* Turned in the viewer: the text follows (unless the page has no break of its own). */
  function turn(i) {
    if (i < 0 || i >= pages.length) return;
    openPage(i);
    if (!phone.matches) scrollTextTo(i);
  }
  pbs.forEach(function (pb) {
    var a = pb.querySelector("a.pb-label");
    if (!a) return;
    a.addEventListener("click", function (e) {
      e.preventDefault();
      ignoreScrollUntil = Date.now() + 300;  // the page chosen, not the one at the top
      var i = +pb.getAttribute("data-facs-page");
      if (isShown()) openPage(i);
      else openPane(i);
    });
  });

  function layout() {
    if (phone.matches) {
      article.classList.remove("facs-hidden");
    } else {
      if (pane.classList.contains("is-open")) closePane(false);
      if (isShown()) createViewer();
    }
    if (viewer) viewer.forceResize();
  }
  (phone.addEventListener ? phone.addEventListener.bind(phone, "change") : phone.addListener.bind(phone))(layout);
  window.addEventListener("scroll", onScroll, { passive: true });
  var start = pageAtTop();
  current = start === null ? 0 : start;
  updateToolbar();
  loadManifest(function () {
    if (viewer && opened < 0) { var c = current; current = -1; openPage(c); }
    layout();
  });

  /* for tests */
  window.tkFacs = {
    viewer: function () { return viewer; },
    page: function () { return current; },
    opened: function () { return opened; },
    zone: function () { return activeZone; }
  };
})();
