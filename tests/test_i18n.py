"""The interface in the edition's language: one catalogue (toolkit/i18n/catalogues/) for the web
pages and their scripts, the text editions and the PDF, in English, German, French, Italian and
Spanish; the project's own strings and languages; dates and plurals by CLDR (Babel).

The property that matters: a German letter built with each interface language has not one word
in its outputs that is neither the letter's own nor its language's (catalogue, CLDR dates), so
a string written into a stylesheet, a script or Python past the catalogue fails the test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel import Locale
from conftest import REPO, require
from lxml import etree
from lxml import html as lxml_html

import toolkit
from toolkit import i18n, load_project
from toolkit.errors import ConfigError
from toolkit.formats import stylesheet_params
from toolkit.i18n.catalogue import PLURAL_FORMS, builtin, builtin_languages, placeholders
from toolkit.i18n.dates import DateWords, TeiDate
from toolkit.i18n.plurals import plural_xpath
from toolkit.load import load
from toolkit.transform import processor, render

DATA = REPO / "tests" / "data" / "i18n"
LETTER = DATA / "tei" / "brief.xml"
LANGUAGES = ("en", "de", "fr", "it", "es")
BUILD_DATE = "2024-05-01"
TITLE = "Briefe Alfred Eschers"
WORD = re.compile(r"[^\W\d_]+")
#: attributes whose values a reader meets (tooltips, names for screen readers)
READ_ATTRIBUTES = ("title", "aria-label", "alt", "data-o", "data-n")


def words(text: str) -> set[str]:
    return set(WORD.findall(text))


def page_text(path: Path) -> str:
    """What a reader of a page meets: its text and the attributes that are read out."""
    tree = lxml_html.parse(str(path))
    parts = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            if el.tail:
                parts.append(el.tail)
            continue
        if el.tag not in ("script", "style") and el.text:
            parts.append(el.text)
        parts += [el.get(a) for a in READ_ATTRIBUTES if el.get(a)]
        if el.tail:
            parts.append(el.tail)
    return " ".join(parts)


def tei_words() -> set[str]:
    """Every word of the test edition's sources (text and attribute values) and its title."""
    found = words(TITLE)
    for f in (DATA / "tei").glob("*.xml"):
        for el in etree.parse(str(f)).iter():
            found |= words(el.text or "") | words(el.tail or "")
            for v in el.attrib.values():
                found |= words(v)
    return found | {w[0].upper() for w in found}  # the initials of a register's letters


def date_words(language: str, strings: dict[str, str]) -> set[str]:
    """Every word CLDR gives the language's dates: month and era names, pattern literals."""
    w = DateWords(language, strings)
    found: set[str] = set()
    for m in range(1, 13):
        for d in (TeiDate(1846, m, 15), TeiDate(1846, m), TeiDate(-44, m, 1), TeiDate(None, m)):
            found |= words(w.one(d))
        found |= words(w.interval(TeiDate(1846, m, 1), TeiDate(1846, m, 3)))
        found |= words(w.interval(TeiDate(1846, m, 1), TeiDate(1847, 1, 3)))
        found |= words(w.interval(TeiDate(1846, m), TeiDate(1846, 12)))
    return found


def allowed(language: str) -> set[str]:
    """The words an output in ``language`` may have: the sources', its catalogue's, its dates'."""
    strings = i18n.catalogue(language)
    said = {w for v in strings.values() for w in words(re.sub(r"\{\w+\}", " ", v))}
    calls = set("abcdefghijklmnopqrstuvwxyz")  # the apparatus's letters: a, b, c
    return tei_words() | said | date_words(language, strings) | calls


def write_project(root: Path, settings: str = "") -> Path:
    """The test edition (the letter and its persons) in ``root``, with settings."""
    shutil.copytree(DATA / "tei", root / "tei")
    (root / "teikit.toml").write_text(f'title = "{TITLE}"\nvalidate = false\n{settings}',
                                      encoding="utf-8")
    return root


def build(root: Path, formats: tuple[str, ...] = ("html", "text")) -> Path:
    project = toolkit.load_project(root)
    toolkit.build(project, toolkit.BuildOptions(formats=list(formats), jobs=1,
                                                build_date=BUILD_DATE))
    return project.output_dir


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The test edition built with each interface language (web and text editions), and the
    print edition's HTML of the letter beside them (print/brief.html)."""
    out = {}
    doc, diags = load(LETTER)
    assert doc is not None, diags
    for lang in LANGUAGES:
        root = write_project(tmp_path_factory.mktemp(f"edition-{lang}"),
                             f'language = "{lang}"\nwitness_texts = true\n')
        out[lang] = build(root)
        project = toolkit.load_project(root)
        params = stylesheet_params(project, ["html", "text", "pdf"], BUILD_DATE)
        (out[lang] / "print").mkdir()
        (out[lang] / "print" / "brief.html").write_text(
            render(doc.tree, "print", {**params, "source-name": "brief"}, project, LETTER),
            encoding="utf-8")
    return out


def outputs(folder: Path) -> dict[str, str]:
    """Every page, text edition and print HTML of a build, by path: what a reader meets (not
    the editors' validation report beside them, which is English like the command line)."""
    found = {}
    for f in sorted(folder.rglob("*")):
        parts = f.relative_to(folder).parts
        if parts[0] not in ("html", "text", "print") or "assets" in parts:
            continue  # the report; fonts and their licence
        if f.suffix == ".html":
            found[str(f.relative_to(folder))] = page_text(f)
        elif f.suffix == ".txt":
            found[str(f.relative_to(folder))] = f.read_text(encoding="utf-8")
    return found


# ------------------------------------------------------------------------ the catalogues


def test_the_five_languages_are_there():
    assert set(LANGUAGES) <= set(builtin_languages())


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_catalogue_has_every_key_with_its_placeholders(language: str):
    en, other = builtin("en"), builtin(language)
    missing = sorted(set(en) - set(other))
    assert not missing, f"{language}.toml lacks {missing}"
    for key, text in other.items():
        base, _, form = key.rpartition(".")
        reference = en.get(key) or (en.get(f"{base}.other") if form in PLURAL_FORMS else None)
        assert reference is not None, f"{language}.toml: '{key}' is no key of en.toml"
        assert text.strip(), f"{language}.toml: '{key}' is empty"
        if form in PLURAL_FORMS:  # "und eine weitere" may say its count in words
            assert placeholders(text) <= placeholders(reference), key
        else:
            assert placeholders(text) == placeholders(reference), key


def _sources(pattern: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(REPO.glob(pattern)))


def test_every_key_is_used_and_every_key_used_exists():
    """The catalogue does not rot: each of its keys is looked up somewhere (literally, or by a
    prefix the code completes: 'choice.' || local-name()), and each key looked up is in it."""
    xslt = _sources("xslt/**/*.xsl")
    js = "\n".join(p.read_text(encoding="utf-8")  # ours, not the vendored viewer's
                   for p in sorted(REPO.glob("toolkit/html/assets/*.js"))
                   if not p.name.startswith("openseadragon"))
    py = _sources("toolkit/**/*.py")
    en = builtin("en")
    bases = {re.sub(r"\.(" + "|".join(PLURAL_FORMS) + r")$", "", k) for k in en}
    literal = set(re.findall(r"'([a-z]+(?:\.[A-Za-z_]+)+)'", xslt))
    literal |= set(re.findall(r'\bt\("([a-z]+(?:\.[a-z_]+)+)"', js))
    literal |= set(re.findall(r'"((?:meta|date|nav|site)\.[a-z_]+)"', py))
    prefixes = set(re.findall(r"'([a-z]+(?:\.[a-z]+)*\.)' \|\|", xslt))
    prefixes |= {p + "." for p in re.findall(r"tk:term\('([a-z.]+)'", xslt)}
    prefixes |= {p for p in re.findall(r'f"((?:[a-z]+\.)+)\{', py)}
    unused = sorted(b for b in bases if b not in literal and not any(b.startswith(p)
                                                                        for p in prefixes))
    assert not unused, f"keys no code looks up: {unused}"
    looked_up = {k for k in re.findall(r"tk:string(?:-parts|-around)?\('([^']+)'", xslt)}
    looked_up |= set(re.findall(r'\bt\("([^"]+)"', js))
    unknown = sorted(k for k in looked_up if k not in bases and not k.endswith("."))
    assert not unknown, f"keys looked up but not in en.toml: {unknown}"


# ------------------------------------------------------------------- which language


def test_the_language_is_the_configured_one_else_the_editions(tmp_path):
    assert i18n.interface_languages(toolkit.load_project(write_project(tmp_path / "a"))) == ["de"]
    root = write_project(tmp_path / "b", 'language = "fr"\n')
    assert i18n.interface_languages(toolkit.load_project(root)) == ["fr"]
    root = write_project(tmp_path / "c", 'languages = ["it", "en"]\n')
    assert i18n.interface_languages(toolkit.load_project(root)) == ["it", "en"]
    # a language the toolkit has no strings for: English, as before
    root = write_project(tmp_path / "d")
    for f in (root / "tei").glob("*.xml"):
        f.write_text(f.read_text(encoding="utf-8").replace('xml:lang="de"', 'xml:lang="la"'),
                     encoding="utf-8")
    assert i18n.interface_languages(toolkit.load_project(root)) == ["en"]


def test_iso_639_2_codes_and_regions_are_read():
    assert i18n.language.normalise("deu") == "de"
    assert i18n.language.normalise("ger") == "de"
    assert i18n.language.normalise("de_ch") == "de-CH"
    assert i18n.language.normalise("sr-latn") == "sr-Latn"


def test_a_language_without_strings_is_a_clear_error(tmp_path):
    root = write_project(tmp_path, 'language = "nl"\n')
    with pytest.raises(ConfigError) as err:
        i18n.interface_languages(toolkit.load_project(root))
    assert "no interface strings for 'nl'" in err.value.message
    assert "i18n/nl.toml" in err.value.hint and "de" in err.value.hint


# ------------------------------------------------------------------ the outputs


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_word_of_an_output_is_in_another_language(built, language: str):
    """Every word a reader meets in the web pages, the text editions and the print edition is
    the letter's own or one of the interface language's: nothing bypasses the catalogue."""
    ok = allowed(language)
    found = outputs(built[language])
    assert len(found) >= 12  # pages (letter, persons, registers, index, search), texts, print
    stray = {name: sorted(words(text) - ok) for name, text in found.items()}
    stray = {name: w for name, w in stray.items() if w}
    assert not stray, f"words in no {language} catalogue and not in the letter: {stray}"


def test_german_and_english_builds_differ_in_every_interface_string(built):
    """The same letter with language de and en: the words the toolkit wrote (those not in the
    letter) are German in one and English in the other, except the few the two catalogues
    share (Person, Downloads, om.), and they are the catalogue's."""
    source = tei_words()
    shared = ({w for v in builtin("de").values() for w in words(v)}
              & {w for v in builtin("en").values() for w in words(v)})
    shared |= date_words("de", builtin("de")) & date_words("en", builtin("en"))  # September
    shared |= set("abcdefghijklmnopqrstuvwxyz")  # the apparatus's letters
    for name in ("html/brief.html", "html/persons.html", "html/search.html", "text/brief.txt",
                 "print/brief.html"):
        de = words(outputs(built["de"])[name]) - source
        en = words(outputs(built["en"])[name]) - source
        assert len(de) >= 4 and len(en) >= 4, name
        assert not (de & en) - shared, f"{name}: the same in both: {sorted((de & en) - shared)}"
    page = outputs(built["de"])["html/brief.html"]
    for said in ("Anmerkungen", "Zitiervorschlag", "Textgestalt", "Quelle", "Lesefassung"):
        assert said in page
    assert "Personenregister" in outputs(built["de"])["html/persons.html"]
    assert "Index of persons" in outputs(built["en"])["html/persons.html"]
    text = outputs(built["de"])["text/brief.txt"]
    assert "Anmerkungen" in text and "Quelle:" in text and "1. Mai 2024" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_lang_is_the_interfaces_and_the_text_keeps_its_own(built, language: str):
    page = lxml_html.parse(str(built[language] / "html" / "brief.html")).getroot()
    assert page.get("lang") == language
    assert page.find_class("text")[0].get("lang") == "de"
    assert page.get_element_by_id("tk-title").get("lang") == "de"
    assert {li.get("lang") for li in page.find_class("notes-list")[0]} == {"de"}
    for label in page.find_class("pb-label"):
        assert label.get("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_on_the_page_are_pythons_in_the_language(built, language: str):
    """The page's dates are CLDR's in the interface language (Saxon-HE knows only English)."""
    w = DateWords(language, i18n.catalogue(language))
    page = outputs(built[language])["html/brief.html"]
    for attrs in ({"when": "1846-06-01"}, {"from": "1846-06-10", "to": "1846-06-12"},
                  {"notBefore": "1846-07"}, {"notAfter": "1846-08-01"}):
        assert w.dating(attrs) in page, attrs
    persons = outputs(built[language])["html/persons.html"]
    for attrs in ({"when": "1819-02-20"}, {"notBefore": "1883-09-01", "notAfter": "1883-09-30"},
                  {"notAfter": "1819-07-19"}):  # in the persons' file of their own
        assert w.dating(attrs) in persons, attrs


DATES = {
    "en": ["27 November 1937", "November 1937", "1 November 1937", "15 March 44 BC",
           "between 1936 and 1938", "not before 27 November 1937", "27\u2009–\u200929 November 1937"],
    "de": ["27. November 1937", "November 1937", "1. November 1937", "15. März 44 v. Chr.",
           "zwischen 1936 und 1938", "nicht vor dem 27. November 1937", "27.–29. November 1937"],
    "fr": ["27 novembre 1937", "novembre 1937", "1er novembre 1937", "15 mars 44 av. J.-C.",
           "entre 1936 et 1938", "pas avant le 27 novembre 1937", "27–29 novembre 1937"],
    "it": ["27 novembre 1937", "novembre 1937", "1º novembre 1937", "15 marzo 44 a.C.",
           "tra il 1936 e il 1938", "non prima del 27 novembre 1937", "27–29 novembre 1937"],
    "es": ["27 de noviembre de 1937", "noviembre de 1937", "1 de noviembre de 1937",
           "15 de marzo de 44 a. C.", "entre 1936 y 1938", "no antes del 27 de noviembre de 1937",
           "27–29 de noviembre de 1937"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_per_language(language: str):
    w = DateWords(language, i18n.catalogue(language))
    got = [w.dating(a) for a in ({"when": "1937-11-27"}, {"when": "1937-11"},
                                 {"when": "1937-11-01"}, {"when": "-0044-03-15"},
                                 {"notBefore": "1936", "notAfter": "1938"},
                                 {"notBefore": "1937-11-27"},
                                 {"from": "1937-11-27", "to": "1937-11-29"})]
    assert got == DATES[language]


def test_dates_that_are_none_are_shown_as_written():
    w = DateWords("it", i18n.catalogue("it"))
    assert w.dating({"when": "1937-02-30"}) is None
    assert w.dating({"when": "0000"}) is None
    # Italian elides the article before a number read with a vowel
    assert w.dating({"notBefore": "1937-03-08", "notAfter": "1937-04-11"}) == \
        "tra l’8 marzo 1937 e l’11 aprile 1937"
    assert DateWords("en-US", i18n.catalogue("en-US")).dating({"when": "1937-11-27"}) == \
        "November 27, 1937"


@pytest.mark.parametrize("language", [*LANGUAGES, "pl", "ru", "ar"])
def test_plurals_in_xslt_follow_babel(language: str):
    """The plural rule the stylesheets evaluate picks what Babel (CLDR) picks, for every count."""
    locale = Locale.parse(language)
    counts = [*range(0, 130), 1000, 1001, 1000000, 2000000, 1000001]
    xslt = f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tk="urn:teikit"><xsl:import href="{(REPO / 'xslt/common/common.xsl').as_uri()}"/>
        <xsl:output method="text"/>
        <xsl:template name="xsl:initial-template">
          <xsl:value-of select="{counts!r} ! tk:plural(.)" separator=" "/>
        </xsl:template></xsl:stylesheet>""".replace("[", "(").replace("]", ")")
    proc = processor()
    exe = proc.new_xslt30_processor().compile_stylesheet(stylesheet_text=xslt)
    exe.set_parameter("locale", proc.make_map({
        proc.make_string_value("plural"): proc.make_string_value(plural_xpath(locale)),
        proc.make_string_value("group"): proc.make_string_value(",")}))
    got = exe.call_template_returning_string(None).split()
    assert got == [locale.plural_form(n) for n in counts]


def test_register_counts_take_the_plural_form(built):
    assert "3 Einträge" in outputs(built["de"])["html/persons.html"]
    assert "3 entries" in outputs(built["en"])["html/persons.html"]
    assert "1 entry" in outputs(built["en"])["html/organisations.html"]
    assert "1 entrée" in outputs(built["fr"])["html/organisations.html"]


# ------------------------------------------------------------- a project's own strings


def test_a_project_overrides_strings_and_adds_a_language(tmp_path):
    root = write_project(tmp_path / "own", 'language = "nl"\n[strings]\n'
                         '"nav.persons" = "Mensen"\n"register.entries.other" = "{count} items"\n')
    (root / "i18n").mkdir()
    (root / "i18n" / "nl.toml").write_text(
        'meta.name = "Nederlands"\nnav.skip = "Naar de tekst"\nnotes.heading = "Noten"\n'
        'register.persons.title = "Personenregister"\n', encoding="utf-8")
    out = build(root, ("html",))
    page = lxml_html.parse(str(out / "html" / "brief.html")).getroot()
    assert page.get("lang") == "nl"
    text = page_text(out / "html" / "brief.html")
    assert "Naar de tekst" in text and "Noten" in text and "Mensen" in text
    assert "1 juni 1846" in text  # Dutch dates, from CLDR
    assert "Source" in text  # a key the project's language lacks: English
    persons = page_text(out / "html" / "persons.html")
    assert "Personenregister" in persons and "3 items" in persons
    strings = (out / "html" / "assets" / "strings.js").read_text(encoding="utf-8")
    assert '"nl":' in strings and '"Mensen"' in strings


def test_the_main_languages_strings_override_a_builtin_language(tmp_path):
    root = write_project(tmp_path, 'language = "de"\n[strings]\n"notes.heading" = "Kommentar"\n')
    out = build(root, ("html", "text"))
    assert "Kommentar" in page_text(out / "html" / "brief.html")
    assert "Kommentar" in (out / "text" / "brief.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("settings, message", [
    ('[strings]\n"nav.person" = "Leute"\n', "unknown string 'nav.person'"),
    ('[strings]\n"notes.call" = "Anmerkung {number}"\n', "unknown placeholder {number}"),
    ('[strings]\n"nav.persons" = 3\n', "expected text in quotes"),
    ('languages = "de"\n', "setting 'languages'"),
])
def test_bad_project_strings_are_clear_errors(tmp_path, settings: str, message: str):
    root = write_project(tmp_path, settings)
    with pytest.raises(ConfigError) as err:
        stylesheet_params(toolkit.load_project(root), ["html"], BUILD_DATE)
    assert message in err.value.message
    if "nav.person'" in message:
        assert err.value.hint == "did you mean 'nav.persons'?"


def test_a_project_may_add_strings_of_its_own(tmp_path):
    root = write_project(tmp_path, '[strings]\n"project.funding" = "Gefördert vom SNF"\n')
    params = stylesheet_params(toolkit.load_project(root), ["html"], BUILD_DATE)
    assert params["strings"]["project.funding"] == "Gefördert vom SNF"


def test_a_broken_catalogue_file_names_its_line(tmp_path):
    root = write_project(tmp_path, 'language = "de"\n')
    (root / "i18n").mkdir()
    (root / "i18n" / "de.toml").write_text('nav.skip = "Zum Text\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        stylesheet_params(toolkit.load_project(root), ["html"], BUILD_DATE)
    assert err.value.path.endswith("de.toml") and err.value.line == 1


# ------------------------------------------------------------------ several languages


def test_the_dates_of_entries_are_read_only_inside_the_sources(tmp_path):
    """The datings of the entries a letter points at are read from their file only where a
    build may read it (toolkit.project.confine): not through a link out of the sources."""
    from toolkit.html.page import document_facts
    from toolkit.project import confine
    from toolkit.transform import entries_of

    root = write_project(tmp_path / "ed")
    project = toolkit.load_project(root)
    area = confine.sources(project)
    inside = entries_of(root / "tei" / "personen.xml", area)
    assert inside is not None and "escher" in inside
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "tei" / "personen.xml").rename(elsewhere / "personen.xml")
    (root / "tei" / "personen.xml").symlink_to(elsewhere / "personen.xml")
    assert entries_of(root / "tei" / "personen.xml", area) is None
    (root / "tei" / "personen.xml").unlink()
    (elsewhere / "personen.xml").rename(root / "tei" / "personen.xml")
    # inside, they are what the registers show: Escher's birth in the interface's words
    doc, _ = load(root / "tei" / "brief.xml")
    facts = document_facts(doc, project, "brief",
                           params=stylesheet_params(project, ["html"], BUILD_DATE))
    assert facts["entities"]["escher"]["birth"] == "20. Februar 1819"


def test_an_edition_in_several_languages_has_a_page_set_for_each(tmp_path):
    out = build(write_project(tmp_path, 'languages = ["de", "en"]\n'), ("html",)) / "html"
    main, en = lxml_html.parse(str(out / "brief.html")).getroot(), \
        lxml_html.parse(str(out / "en" / "brief.html")).getroot()
    assert main.get("lang") == "de" and en.get("lang") == "en"
    assert "Anmerkungen" in page_text(out / "brief.html")
    assert "Notes" in page_text(out / "en" / "brief.html")
    assert "Index of persons" in page_text(out / "en" / "persons.html")
    # the switch leads to the same page in the other language
    switch = en.find_class("language-switch")[0]
    assert [(a.get("hreflang"), a.get("href")) for a in switch.iter("a")] == [("de", "../brief.html")]
    assert [(a.get("hreflang"), a.get("href")) for a in main.find_class("language-switch")[0]
            .iter("a")] == [("en", "en/brief.html")]
    # every file a page of either set refers to is there (assets, sources, images, pages)
    for page in [*out.glob("*.html"), *(out / "en").glob("*.html")]:
        tree = lxml_html.parse(str(page))
        for ref in tree.xpath("//@href | //@src"):
            target = ref.split("#")[0]
            if not target or re.match(r"^[a-z]+:", target) or target.startswith("../text/"):
                continue
            if target.startswith(("../../text/", "../../pdf/", "../pdf/")):
                continue  # formats not built here
            assert (page.parent / target).exists(), f"{page.name}: {ref}"
    from toolkit.html.search_index import read_index

    def kinds(folder: str) -> set[str]:
        return {u["m"] for u in read_index(out / "assets" / folder)["units"] if u.get("r")}

    assert "Persons" in kinds("search.en") and "Personen" in kinds("search")
    assert "Personen" not in kinds("search.en") and "Persons" not in kinds("search")
    strings = json.loads((out / "assets" / "strings.js").read_text(encoding="utf-8")
                         .split("=", 1)[1].strip().rstrip(";"))
    assert set(strings) == {"de", "en"} and strings["en"]["notes.close"] == "Close"


# --------------------------------------------------------------- the PDF and the browser


def test_the_german_pdf_says_nothing_in_another_language(tmp_path):
    require(bool(shutil.which("pdftotext")), "poppler-utils (pdftotext) is not installed")
    root = write_project(tmp_path, 'language = "de"\n')
    (root / "tei" / "personen.xml").unlink()  # one PDF is enough
    out = build(root, ("pdf",))
    printed = subprocess.run(["pdftotext", str(out / "pdf" / "brief.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert "Editorische Notiz" in printed and "Register" in printed
    assert not words(printed) - allowed("de")


@pytest.mark.browser
def test_the_scripts_speak_the_interface_language(built):
    """Popovers, tooltips, the copy button and the search's results in German: every word the
    page shows once its scripts ran is the letter's or German."""
    require(Path("/usr/bin/chromium").exists(), "Debian's Chromium is not installed")
    api = pytest.importorskip("playwright.sync_api")
    html = built["de"] / "html"
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((html / "brief.html").as_uri())
        page.click("a.note-ref >> nth=0")
        popover = page.locator("#tk-popover")
        assert popover.get_attribute("aria-label") == "Anmerkung 1"
        assert "Anmerkungen ↓" in popover.inner_text() and "Schließen" in popover.inner_text()
        page.keyboard.press("Escape")
        page.click("a.app-ref >> nth=0")
        assert popover.get_attribute("aria-label") == "Apparateintrag a: gewiss"
        assert "Apparat ↓" in popover.inner_text()
        page.keyboard.press("Escape")
        # the witness switch: C's readings of the entry kept apart are not in the text
        page.select_option("#tk-witness", "C")
        status = page.locator("#tk-witness-status").inner_text()
        assert status.startswith("Angezeigt wird der Text des Zeugen C, aus dem Apparat "
                                 "erschlossen. Nicht im Text angezeigt (1):"), status
        # the page image beside the text (facs.js)
        page.wait_for_function("() => document.getElementById('tk-facs-position').textContent"
                               ".indexOf(': ') > 0")
        assert page.locator("#tk-facs-position").inner_text() == "Seitenbild 1 von 1: S. 1"
        said = page.eval_on_selector_all(
            "#tk-facs [aria-label], #tk-facs [aria-roledescription], .text [aria-label]",
            "els => els.map(e => (e.getAttribute('aria-label') || '') + ' '"
            " + (e.getAttribute('aria-roledescription') || '')).join(' ')")
        assert "Die Pfeiltasten verschieben das Bild" in said
        shown = page.locator("body").inner_text() + " " + said
        page.goto((html / "search.html").as_uri() + "?q=Z%C3%BCrich")
        page.wait_for_function("() => window.teikitSearchLast && window.teikitSearchLast.query")
        results = page.locator("#tk-results").inner_text()
        assert re.match(r"\d+ Dokumente?(, \d+ Registereintr(ag|äge))?\n", results), results
        page.goto((html / "search.html").as_uri() + "?q=Quagga")
        page.wait_for_selector("#tk-results p")
        missing = page.locator("#tk-results").inner_text()
        assert missing == "Nichts gefunden für „Quagga“."
        browser.close()
    assert not errors
    # (headings are in capitals by the stylesheet: compared without case)
    ok = {w.lower() for w in allowed("de")}
    assert not {w for w in words(shown + results) if w.lower() not in ok}


def test_an_untitled_edition_is_named_in_its_language(tmp_path):
    """Without a configured title the site is called a TEI edition in the interface's words;
    a configured one is kept as written."""
    for language, word in (("fr", "Édition TEI"), ("de", "TEI-Edition")):
        root = tmp_path / language
        (root / "tei").mkdir(parents=True)
        (root / "tei" / "a.xml").write_text(
            '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            "<title>Ein Brief</title></titleStmt><publicationStmt><p/></publicationStmt>"
            "<sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body><p>Text.</p>"
            "</body></text></TEI>", encoding="utf-8")
        (root / "teikit.toml").write_text(f'language = "{language}"\nformats = ["html"]\n',
                                          encoding="utf-8")
        out = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"])).output
        home = (out / "html" / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{word}</h1>" in home and "TEI edition" not in home
    (root / "teikit.toml").write_text('title = "Briefe"\nlanguage = "de"\n', encoding="utf-8")
    out = toolkit.build(load_project(root), toolkit.BuildOptions(formats=["html"])).output
    assert "<h1>Briefe</h1>" in (out / "html" / "index.html").read_text(encoding="utf-8")


def test_a_files_declared_language_is_read_again_only_once_the_file_changed(tmp_path,
                                                                          monkeypatch):
    """A process that builds again (teikit serve) does not read every source's start for the
    edition's language each time: a file is read again once its stat changed."""
    from toolkit.i18n import language

    path = tmp_path / "a.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="de"/>', encoding="utf-8")
    assert language.declared_language(path) == "de"
    reads = []
    real = language._read_declared_language
    monkeypatch.setattr(language, "_read_declared_language",
                        lambda p: reads.append(p) or real(p))
    assert language.declared_language(path) == "de" and reads == []
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="fr-CH"/>',
                    encoding="utf-8")
    assert language.declared_language(path) == "fr-CH" and reads == [path]
    path.unlink()
    assert language.declared_language(path) is None
