/* Runs before the page is drawn: marks that scripts run, and restores the reader's reading
   level and entity highlighting (remembered across pages in localStorage). */
(function () {
  var d = document.documentElement;
  d.classList.remove("no-js");
  d.classList.add("js");
  try {
    var r = window.localStorage.getItem("teikit.reading");
    if (r === "original" || r === "normalised") {
      d.classList.remove("reading-original", "reading-normalised");
      d.classList.add("reading-" + r);
    }
    if (window.localStorage.getItem("teikit.highlight") === "on") {
      d.classList.add("hl-entities");
    }
  } catch (e) { /* storage unavailable: the page's defaults stay */ }
})();
