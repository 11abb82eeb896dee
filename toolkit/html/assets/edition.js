/* teikit web edition: reading level, entity highlighting, tooltips and entity cards, note
   popovers, copying the citation. Everything works without it; it only adds. No network. */
(function () {
  "use strict";
  var root = document.documentElement;
  /* The interface's strings (assets/t.js); the key itself if they did not load. */
  var t = (window.teikit && window.teikit.t) || function (key) { return key; };

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* ignore */ }
  }
  function currentReading() {
    return root.classList.contains("reading-original") ? "original" : "normalised";
  }

  /* ---------------------------------------------------------------- reading level */

  function setReading(level) {
    root.classList.remove("reading-original", "reading-normalised");
    root.classList.add("reading-" + level);
    store("teikit.reading", level);
    document.querySelectorAll('input[name="tk-reading"]').forEach(function (r) {
      r.checked = r.value === level;
    });
    hideTip();
  }

  function initToolbar() {
    document.querySelectorAll('input[name="tk-reading"]').forEach(function (r) {
      r.checked = r.value === currentReading();
      r.addEventListener("change", function () { if (r.checked) setReading(r.value); });
    });
    var hl = document.getElementById("tk-highlight");
    if (hl) {
      hl.checked = root.classList.contains("hl-entities");
      hl.addEventListener("change", function () {
        root.classList.toggle("hl-entities", hl.checked);
        store("teikit.highlight", hl.checked ? "on" : "off");
      });
    }
  }

  /* ------------------------------------------------------------- tooltips and cards */

  var tip = null, tipOwner = null;

  function tipElement() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "tk-tip";
      tip.className = "tip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  /* Put a floating box under (or above) its target, inside the viewport. Coordinates are
     relative to the box's containing block, wherever the box sits in the document. */
  function place(box, target) {
    box.style.left = "0px";
    box.style.top = "0px";
    var r = target.getBoundingClientRect();
    var origin = box.getBoundingClientRect();  // where (0, 0) of the containing block is
    var vw = document.documentElement.clientWidth;
    var w = box.offsetWidth, h = box.offsetHeight;
    var left = Math.min(Math.max(8, r.left), Math.max(8, vw - w - 8));
    var top = r.bottom + 6;
    if (top + h > window.innerHeight - 8 && r.top - h - 6 > 8) top = r.top - h - 6;
    box.style.left = (left - origin.left) + "px";
    box.style.top = (top - origin.top) + "px";
  }

  function label(text) {
    var p = document.createElement("p");
    p.className = "tip-label";
    p.textContent = text;
    return p;
  }

  function para(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  /* What the tooltip of an element says, as nodes; null when it has nothing to say. */
  function tipContent(el) {
    var nodes = [];
    if (el.classList.contains("choice")) {
      var hidden = el.querySelector(":scope > " + (currentReading() === "original" ? ".rd-n" : ".rd-o"));
      if (hidden) {
        var key = currentReading() === "original" ? "n" : "o";
        nodes.push(label(el.getAttribute("data-" + key) || ""));
        nodes.push(para(hidden.textContent.replace(/\s+/g, " ").trim()));
      } else if (el.dataset.title) {
        nodes.push(para(el.dataset.title));
      }
    } else if (el.classList.contains("ent")) {
      var card = document.getElementById(el.getAttribute("data-card") || "");
      if (card) {
        var copy = card.cloneNode(true);
        copy.removeAttribute("id");
        nodes.push(copy);
      } else if (el.dataset.title) {
        nodes.push(para(el.dataset.title));
      }
      // A choice inside the link cannot take the focus itself: its other reading goes here.
      el.querySelectorAll(".choice").forEach(function (c) {
        var more = tipContent(c);
        if (more) nodes = nodes.concat(more);
      });
    } else if (el.dataset.title) {
      if (el.dataset.tiplabel) nodes.push(label(el.dataset.tiplabel));
      nodes.push(para(el.dataset.title));
    }
    return nodes.length ? nodes : null;
  }

  function showTip(el) {
    var content = tipContent(el);
    if (!content) return;
    var t = tipElement();
    t.replaceChildren.apply(t, content);
    t.hidden = false;
    tipOwner = el;
    if (!el.classList.contains("ent")) el.setAttribute("aria-describedby", "tk-tip");
    place(t, el);
  }

  function hideTip() {
    if (tip) tip.hidden = true;
    if (tipOwner && !tipOwner.classList.contains("ent")) tipOwner.removeAttribute("aria-describedby");
    tipOwner = null;
  }

  function initTips() {
    var els = document.querySelectorAll(".text .choice, .notes .choice, a.ent, span.ent");
    els.forEach(function (el) {
      // The title attribute serves readers without JavaScript; here the richer tooltip does.
      if (el.hasAttribute("title")) {
        el.dataset.title = el.getAttribute("title");
        el.removeAttribute("title");
      }
      // Focusable so keyboard readers get the tooltip too, unless inside a link (no nesting).
      if (!el.matches("a[href]") && !el.closest("a[href]") && el.tabIndex < 0) el.tabIndex = 0;
      el.addEventListener("mouseenter", function () { showTip(el); });
      el.addEventListener("mouseleave", function () { if (tipOwner === el) hideTip(); });
      el.addEventListener("focus", function () { showTip(el); });
      el.addEventListener("blur", function () { if (tipOwner === el) hideTip(); });
    });
  }

  /* ------------------------------------------------------------------ note popovers */

  var pop = null, popOwner = null;

  function closePopover(returnFocus) {
    if (!pop) return;
    pop.remove();
    pop = null;
    if (popOwner) {
      popOwner.setAttribute("aria-expanded", "false");
      if (returnFocus) popOwner.focus();
    }
    popOwner = null;
  }

  function openPopover(marker) {
    var note = document.getElementById(marker.getAttribute("data-note"));
    if (!note) return;
    closePopover(false);
    hideTip();
    var body = note.querySelector(".note-body") || note;
    var copy = body.cloneNode(true);
    copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    copy.removeAttribute("id");
    var box = document.createElement("span");
    box.className = "popover";
    box.id = "tk-popover";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", marker.getAttribute("aria-label") ||
      marker.textContent.replace(/\s+/g, " ").trim());
    var head = document.createElement("span");
    head.className = "popover-h";
    head.style.display = "block";
    head.textContent = marker.textContent.replace(/\s+/g, " ").trim();
    var actions = document.createElement("span");
    actions.className = "popover-actions";
    var go = document.createElement("a");
    go.href = "#" + note.id;
    go.textContent = note.closest("#tk-apparatus") ? t("apparatus.to_apparatus") : t("notes.to_notes");
    go.addEventListener("click", function () { closePopover(false); });
    var close = document.createElement("button");
    close.type = "button";
    close.className = "popover-close";
    close.textContent = t("notes.close");
    close.addEventListener("click", function () { closePopover(true); });
    actions.append(go, close);
    copy.style.display = "block";
    box.append(head, copy, actions);
    // Right after the marker, so Tab moves from the marker into the note.
    var anchor = marker.closest("sup") || marker;
    anchor.after(box);
    marker.setAttribute("aria-expanded", "true");
    pop = box;
    popOwner = marker;
    place(box, marker);
  }

  function initNotes() {
    document.querySelectorAll("a.note-ref[data-note]").forEach(function (m) {
      m.setAttribute("role", "button");
      m.setAttribute("aria-expanded", "false");
      m.setAttribute("aria-controls", "tk-popover");
      m.addEventListener("click", function (ev) {
        ev.preventDefault();
        if (popOwner === m) closePopover(false); else openPopover(m);
      });
      m.addEventListener("keydown", function (ev) {
        if (ev.key === " " || ev.key === "Spacebar") {
          ev.preventDefault();
          if (popOwner === m) closePopover(false); else openPopover(m);
        }
      });
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") {
        if (pop) { ev.preventDefault(); closePopover(true); }
        hideTip();
      }
    });
    document.addEventListener("click", function (ev) {
      if (pop && !pop.contains(ev.target) && ev.target !== popOwner && !popOwner.contains(ev.target)) {
        closePopover(false);
      }
    });
    window.addEventListener("resize", function () { if (pop && popOwner) place(pop, popOwner); hideTip(); });
  }

  /* ------------------------------------------------------------------ copy citation */

  function initCopy() {
    document.querySelectorAll("button[data-copy]").forEach(function (b) {
      b.addEventListener("click", function () {
        var src = document.getElementById(b.getAttribute("data-copy"));
        if (!src) return;
        var text = src.textContent.replace(/\s+/g, " ").trim();
        var status = b.parentNode.querySelector(".copy-status");
        function done() { if (status) status.textContent = t("cite.copied"); }
        function fallback() {
          var sel = window.getSelection(), range = document.createRange();
          range.selectNodeContents(src);
          sel.removeAllRanges();
          sel.addRange(range);
          try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  function init() {
    initToolbar();
    initTips();
    initNotes();
    initCopy();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
