/* The interface's strings in the browser: window.TEIKIT_STRINGS (assets/strings.js, written by
   the build from the same catalogue as the pages) holds the strings of each interface language
   by its tag; the page's <html lang> says which one it speaks.

   teikit.t(key, args)      the string, its {name} placeholders filled from args; with a
                            number args.count, the plural form the language's CLDR rule picks
                            (key.one, key.few, key.other …, as Intl.PluralRules gives it);
                            numbers written as the language writes them; the key itself when
                            the catalogue lacks it (visible, never an empty label)
   teikit.t.parts(key, args) the same as a list of strings and the args' own values, for a
                            caller that puts nodes in (append them; never innerHTML) */
(function () {
  "use strict";
  var all = window.TEIKIT_STRINGS || {};
  var lang = document.documentElement.lang || "en";
  var strings = all[lang] || all[lang.split("-")[0]] || all[Object.keys(all)[0]] || {};
  var rules = null, numbers = null;
  try { rules = new Intl.PluralRules(lang); } catch (e) { /* an old browser: one and other */ }
  try { numbers = new Intl.NumberFormat(lang); } catch (e) { /* String(n) */ }

  function category(n) {
    return rules ? rules.select(n) : (n === 1 ? "one" : "other");
  }
  function template(key, args) {
    if (args && typeof args.count === "number") {
      var s = strings[key + "." + category(args.count)];
      if (s == null) s = strings[key + ".other"];
      if (s != null) return s;
    }
    return strings[key] != null ? strings[key] : key;
  }
  function value(v) {
    return typeof v === "number" && numbers ? numbers.format(v) : v;
  }
  function parts(key, args) {
    var s = template(key, args), out = [], re = /\{(\w+)\}/g, at = 0, m;
    while ((m = re.exec(s))) {
      if (!args || !(m[1] in args)) continue;
      out.push(s.slice(at, m.index), value(args[m[1]]));
      at = re.lastIndex;
    }
    out.push(s.slice(at));
    return out.filter(function (p) { return p !== ""; });
  }
  function t(key, args) {
    return parts(key, args).map(String).join("");
  }
  t.parts = parts;
  t.lang = lang;
  window.teikit = window.teikit || {};
  window.teikit.t = t;
})();
