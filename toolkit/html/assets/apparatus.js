/* teikit web edition, critical apparatus: the witness switch. Shows the text of one witness,
   reconstructed from the apparatus: in each entry (span.app) the reading whose data-wit names
   the witness (decided by the stylesheets, xslt/common/apparatus.xsl), and nothing where the
   witness has no text (after its lacunaStart or witEnd markers, before its witStart). Without
   this script the page shows the edited text and the apparatus list; nothing here is needed to
   read it. No network. */
(function () {
  "use strict";

  /* The interface's strings (assets/t.js, from the catalogue); the key itself if they did
     not load. */
  var t = (window.teikit && window.teikit.t) || function (key) { return key; };

  var text = document.querySelector(".text");
  var select = document.getElementById("tk-witness");
  var status = document.getElementById("tk-witness-status");
  if (!text || !select) return;

  var absent = [];  // wrappers around text the witness lacks, undone at the next switch

  function witnesses(el) {
    return (el.getAttribute("data-wit") || "").split(/\s+/).filter(Boolean);
  }

  function isHidden(node) {
    for (var el = node.nodeType === 1 ? node : node.parentElement; el && el !== text; el = el.parentElement) {
      if (el.hidden) return true;
    }
    return false;
  }

  function reset() {
    absent.forEach(function (w) {
      if (w.classList.contains("app-absent-el")) {
        w.hidden = false;
        w.classList.remove("app-absent-el");
      } else if (w.parentNode) {
        w.replaceWith.apply(w, Array.prototype.slice.call(w.childNodes));
      }
    });
    absent = [];
    text.normalize();
    text.querySelectorAll(".app-rdg").forEach(function (r) {
      r.hidden = !r.classList.contains("app-base");
      r.classList.remove("app-shown");
    });
    text.querySelectorAll(".app-marker").forEach(function (m) { m.hidden = true; });
  }

  /* Each entry shows the reading of the witness (outer entries first: an entry inside a
     reading that is not shown does not matter). */
  function chooseReadings(wit) {
    text.querySelectorAll(".app").forEach(function (app) {
      var readings = Array.prototype.filter.call(app.children, function (c) {
        return c.classList.contains("app-rdg");
      });
      var pick = readings.filter(function (r) { return witnesses(r).indexOf(wit) >= 0; })[0]
        || readings.filter(function (r) { return r.classList.contains("app-base"); })[0];
      readings.forEach(function (r) {
        r.hidden = r !== pick;
        r.classList.toggle("app-shown", r === pick && !r.classList.contains("app-base"));
      });
    });
  }

  /* Hide what the witness lacks: walk the shown text in order, following its markers. */
  function hideLacunae(wit) {
    var markers = Array.prototype.filter.call(text.querySelectorAll(".app-marker"), function (m) {
      return witnesses(m).indexOf(wit) >= 0 && !isHidden(m.parentElement);
    });
    if (!markers.length) return;
    var kind = function (m) { return m.getAttribute("data-kind"); };
    var missing = kind(markers[0]) === "wit-start" || kind(markers[0]) === "lacuna-end";
    var walker = document.createTreeWalker(text, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        if (n.nodeType === 1 && n.hidden && !n.classList.contains("app-marker")) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var texts = [], calls = [];
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 1) {
        if (markers.indexOf(n) >= 0) {
          var k = kind(n);
          missing = k === "lacuna-start" || k === "wit-end";
          if (k === "lacuna-start") n.hidden = false;
        } else if (missing && n.matches("sup.note-sup")) {
          calls.push(n);
        }
      } else if (missing && n.nodeValue.trim() && !n.parentElement.closest(".app-marker")) {
        texts.push(n);
      }
    }
    texts.forEach(function (node) {
      var wrap = document.createElement("span");
      wrap.className = "app-absent";
      wrap.hidden = true;
      node.replaceWith(wrap);
      wrap.appendChild(node);
      absent.push(wrap);
    });
    calls.forEach(function (c) {
      c.hidden = true;
      c.classList.add("app-absent-el");
      absent.push(c);
    });
  }

  /* What the status line says: whose text this is, and which of the witness's readings are
     in entries that have no place in the text. */
  function say(wit) {
    if (!status) return;
    status.replaceChildren();
    if (!wit) return;
    var option = select.options[select.selectedIndex];
    var siglum = option ? option.textContent.split(" \u2014 ")[0] : wit;
    status.append(t("apparatus.showing", { siglum: siglum }));
    var unplaced = Array.prototype.filter.call(
      document.querySelectorAll("#tk-apparatus li.app-unplaced"),
      function (li) { return witnesses(li).indexOf(wit) >= 0; });
    if (unplaced.length) {
      var links = document.createDocumentFragment();
      unplaced.forEach(function (li, i) {
        var a = document.createElement("a");
        a.href = "#" + li.id;
        var num = li.querySelector(".note-num");
        a.textContent = num && num.lastChild ? num.lastChild.textContent.trim() : li.id;
        if (i) links.append(", ");
        links.append(a);
      });
      status.append(" ");
      status.append.apply(status, t.parts ? t.parts("apparatus.not_shown", {
        count: unplaced.length, entries: links }) : ["apparatus.not_shown", links]);
    }
  }

  function show(wit) {
    reset();
    document.documentElement.classList.toggle("witness-view", !!wit);
    if (wit) {
      chooseReadings(wit);
      hideLacunae(wit);
    }
    say(wit);
  }

  select.addEventListener("change", function () { show(select.value); });
  if (select.value) show(select.value);  // a value the browser restored
})();
