"""Make a generated edition of letters, shaped like the Escher letters of the shared corpora
(../shared/corpora/variety/escher-briefe: a letter of ~20-50 kB with a correspDesc, a dateline,
an opener, paragraphs whose every line break has an xml:id, editorial notes, abbreviations,
names pointing into the edition's authority files) and its authority files (listperson.xml,
listplace.xml, listorg.xml, listbibl.xml, listevent.xml: GND, Wikidata and GeoNames idnos,
dates, occupations, coordinates).

    python bench/make_letters.py /tmp/teikit-letters --letters 5000       # ~120 MB + ~8 MB

Names point with ``ref="#id"`` (the ACDH editions' way) and one in ten by ``@key`` (Escher's:
the entry's @n); how often an entry is named follows a Zipf law, as in real correspondences
(a few persons in hundreds of letters, most in one). Every letter's correspContext names the
previous and next letter of the edition and of its correspondence by the letters' xml:ids.
Deterministic: the same arguments give the same files.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOML = ('title = "{title}"\nformats = ["html", "text"]\nsources = "tei/*.xml"\n'
        'language = "de"\nbase_url = "https://letters.example.org"\n'
        'editor = "Bench Editor"\n')
TEI = '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"'

_WORDS = ("und die der nicht ich ist mit den das zu sich sie in ein es auch wie so an dem "
          "von auf wir für noch wenn nur bei aus einer Brief Zeit Sache Herr Freund Tage "
          "schreiben gestern morgen heute Nachricht Reise Stadt Antwort Gesundheit Arbeit "
          "Regierung Bahn Gesellschaft Sitzung Frage Angelegenheit Erwartung Hoffnung").split()
_FORENAMES = ("Alfred Heinrich Johann Jakob Oswald Karl Anton Gottfried Lydia Clementine "
              "Friedrich Wilhelm Emil Rudolf Josef Maria Anna Elisabeth Konrad Ulrich").split()
_SURNAMES = ("Escher Heer Schweizer Landtwing Keller Furrer Stämpfli Welti Dubs Peyer Sulzer "
             "Bürkli Hüni Frey Wild Pestalozzi Zeller Bodmer Rieter Hirzel Ott Usteri Meyer "
             "Bluntschli Hess Wyss Näf Fierz Koller Steiner").split()
_PLACES = ("Zürich Bern Luzern Basel Winterthur Schaffhausen Glarus Chur Aarau Zug Wien Paris "
           "Berlin Mailand Turin Genf Lausanne Konstanz Baden Olten").split()
_JOBS = ("Politiker Kaufmann Jurist Naturforscher Ingenieur Bankier Arzt Pfarrer Lehrer "
         "Unternehmer Regierungsrat Nationalrat Offizier Redaktor").split()


def _zipf(rnd: random.Random, n: int) -> int:
    """An index in range(n), index k about 1/(k+1) as likely as index 0 (Zipf's law)."""
    return min(n - 1, int(math.exp(rnd.random() * math.log(n + 1))) - 1)


def person_names(count: int, rnd: random.Random) -> list[tuple[str, str]]:
    """(forename, surname) of every person of the register."""
    return [(rnd.choice(_FORENAMES), rnd.choice(_SURNAMES)) for _ in range(count)]


def _key(i: int, names: list[tuple[str, str]]) -> str:
    """A person's @n, which Escher's letters name it by (@key)."""
    return f"{names[i][1]} {names[i][0]} {i}"


def _person(i: int, rnd: random.Random, names: list[tuple[str, str]]) -> str:
    fn, sn = names[i]
    born = rnd.randint(1760, 1860)
    parts = [f'<person xml:id="pmb{i}" n="{_key(i, names)}"><persName><forename>{fn}</forename>'
             f"<surname>{sn}</surname></persName>",
             f'<birth><date when="{born}">{born}</date><placeName>{rnd.choice(_PLACES)}'
             f"</placeName></birth>",
             f'<death><date when="{born + rnd.randint(30, 90)}"/></death>',
             f"<occupation>{rnd.choice(_JOBS)}</occupation>"]
    if rnd.random() < 0.6:
        parts.append(f'<idno type="gnd">{100000000 + i * 7}</idno>')
    if rnd.random() < 0.4:
        parts.append(f'<idno type="URI">http://www.wikidata.org/entity/Q{1000 + i}</idno>')
    if rnd.random() < 0.3:
        parts.append(f"<note>Mitglied der {rnd.choice(_SURNAMES)}-Gesellschaft seit "
                     f"{born + 25}; vgl. die Briefe an {rnd.choice(_FORENAMES)} "
                     f"{rnd.choice(_SURNAMES)}.</note>")
    return "".join(parts) + "</person>\n"


def _place(i: int, rnd: random.Random) -> str:
    name = f"{rnd.choice(_PLACES)}-{i}"
    return (f'<place xml:id="pl{i}" n="{name}"><placeName type="main">{name}</placeName>'
            f"<location><geo>{rnd.uniform(45.8, 47.8):.5f} {rnd.uniform(5.9, 10.5):.5f}</geo>"
            f"</location><desc>Ort im Kanton {rnd.choice(_PLACES)}</desc>"
            f'<idno type="geonames">{2600000 + i}</idno></place>\n')


def _org(i: int, rnd: random.Random) -> str:
    return (f'<org xml:id="org{i}"><orgName>{rnd.choice(_SURNAMES)}sche Gesellschaft {i}'
            f"</orgName><desc>Gegründet {rnd.randint(1800, 1880)} in {rnd.choice(_PLACES)}"
            f'</desc><idno type="gnd">{200000000 + i}</idno></org>\n')


def _work(i: int, rnd: random.Random) -> str:
    return (f'<bibl xml:id="w{i}"><title>{rnd.choice(_WORDS).capitalize()} und '
            f"{rnd.choice(_WORDS)} {i}</title><author>{rnd.choice(_FORENAMES)} "
            f"{rnd.choice(_SURNAMES)}</author><date when=\"{rnd.randint(1780, 1880)}\"/></bibl>\n")


def _event(i: int, rnd: random.Random) -> str:
    y = rnd.randint(1830, 1880)
    return (f'<event xml:id="ev{i}" when="{y}-{rnd.randint(1, 12):02}"><label>Versammlung in '
            f"{rnd.choice(_PLACES)} {i}</label></event>\n")


def authority_files(counts: dict[str, int], rnd: random.Random,
                    names: list[tuple[str, str]]) -> dict[str, str]:
    """The authority files: name -> content."""
    def wrap(title: str, lst: str, body: str) -> str:
        return (f"{TEI}>\n<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>"
                "<publicationStmt><p>Generated by bench/make_letters.py.</p></publicationStmt>"
                "<sourceDesc><p>None: generated.</p></sourceDesc></fileDesc></teiHeader>\n"
                f"<standOff><{lst}>\n{body}</{lst}></standOff>\n</TEI>\n")

    return {
        "listperson.xml": wrap("Personen", "listPerson",
                               "".join(_person(i, rnd, names) for i in range(counts["person"]))),
        "listplace.xml": wrap("Orte", "listPlace",
                              "".join(_place(i, rnd) for i in range(counts["place"]))),
        "listorg.xml": wrap("Organisationen", "listOrg",
                            "".join(_org(i, rnd) for i in range(counts["org"]))),
        "listbibl.xml": wrap("Werke", "listBibl",
                             "".join(_work(i, rnd) for i in range(counts["work"]))),
        "listevent.xml": wrap("Ereignisse", "listEvent",
                              "".join(_event(i, rnd) for i in range(counts["event"]))),
    }


def letter(n: int, rnd: random.Random, counts: dict[str, int], names: list[tuple[str, str]],
           date: str,
           sender: int, addressee: int, prev: int | None, nxt: int | None,
           prev_c: int | None, next_c: int | None, lines: int) -> str:
    """One letter of about ``lines`` lines of text."""
    lid = f"L{n:05}"

    def name(kind: str) -> str:
        tag, prefix, count = {"person": ("persName", "pmb", counts["person"]),
                              "place": ("placeName", "pl", counts["place"]),
                              "org": ("orgName", "org", counts["org"]),
                              "work": ("title", "w", counts["work"]),
                              "event": ("rs", "ev", counts["event"])}[kind]
        i = _zipf(rnd, count)
        extra = ' type="event"' if kind == "event" else ""
        text = names[i][1] if kind == "person" else rnd.choice(_PLACES)
        if kind == "person" and rnd.random() < 0.1:
            return f'<{tag} key="{_key(i, names)}">{text}</{tag}>'
        return f'<{tag}{extra} ref="#{prefix}{i}">{text}</{tag}>'

    ctx = []
    for kind, other in (("previous", prev), ("next", nxt), ("previous-in-corresp", prev_c),
                        ("next-in-corresp", next_c)):
        if other is not None:
            ctx.append(f'<ref type="{kind}" target="L{other:05}"/>')
    head = (f'{TEI} xml:id="{lid}" type="Brief"><teiHeader><fileDesc><titleStmt><title>'
            f"Brief {n}: {rnd.choice(_FORENAMES)} an {rnd.choice(_FORENAMES)}, {date}</title>"
            "</titleStmt><publicationStmt><p>Generated by bench/make_letters.py.</p>"
            f"</publicationStmt><sourceDesc><msDesc><msIdentifier><institution>Archiv"
            f"</institution><idno>Nachlass {n}</idno></msIdentifier></msDesc></sourceDesc>"
            "</fileDesc><profileDesc><correspDesc><correspAction type=\"sent\">"
            f'<persName ref="#pmb{sender}">Absender</persName>'
            f'<placeName ref="#pl{_zipf(rnd, counts["place"])}">Ort</placeName>'
            f'<date when="{date}">{date}</date></correspAction><correspAction type="received">'
            f'<persName ref="#pmb{addressee}">Empfänger</persName></correspAction>'
            f"<correspContext>{''.join(ctx)}</correspContext></correspDesc></profileDesc>"
            "</teiHeader><text><front><div type=\"dateline\">"
            f'<p xml:id="{lid}_p1"><lb xml:id="{lid}-l0"/>{name("place")}, '
            f'<date when="{date}">{date}</date></p></div></front><body>\n')
    out = [head]
    line = notes = 0
    para = 1
    while line < lines:
        para += 1
        words = []
        for _ in range(rnd.randint(6, 14)):
            line += 1
            words.append(f'<lb xml:id="{lid}-l{line}"/>')
            for _ in range(rnd.randint(7, 10)):
                r = rnd.random()
                if r < 0.035:
                    words.append(name("person"))
                elif r < 0.06:
                    words.append(name("place"))
                elif r < 0.064:
                    words.append(name("org"))
                elif r < 0.067:
                    words.append(name("work"))
                elif r < 0.069:
                    words.append(name("event"))
                elif r < 0.075:
                    words.append("<choice><abbr>Hrn.</abbr><expan>Herrn</expan></choice>")
                elif r < 0.078:
                    notes += 1
                    words.append(f'<note xml:id="{lid}_c{notes}">Vgl. {name("person")} und '
                                 f"{name('place')}, {rnd.choice(_WORDS)}.</note>")
                else:
                    words.append(rnd.choice(_WORDS))
        out.append(f'<p xml:id="{lid}_p{para}">' + " ".join(words) + ".</p>\n")
    out.append('</body><back><div type="closer"><p>Ihr ergebener '
               f"{name('person')}</p></div></back></text>\n</TEI>\n")
    return "".join(out)


def make_letters(dest: Path, letters: int = 5000, lines: int = 190, seed: int = 1836,
                 authority: float = 1.0) -> Path:
    """An edition of ``letters`` letters and its authority files, in ``dest``."""
    dest = Path(dest)
    if dest.resolve().is_relative_to(REPO.resolve()):
        raise SystemExit("benchmark editions are made outside the repository (e.g. in /tmp)")
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "tei").mkdir(parents=True)
    (dest / "teikit.toml").write_text(TOML.format(title=f"{letters} letters"), encoding="utf-8")
    rnd = random.Random(seed)
    counts = {"person": int(20000 * authority), "place": int(7000 * authority),
              "org": int(1500 * authority), "work": int(2000 * authority),
              "event": int(800 * authority)}
    names = person_names(counts["person"], rnd)
    for name, text in authority_files(counts, rnd, names).items():
        (dest / "tei" / name).write_text(text, encoding="utf-8")
    correspondents = list(range(1, 81))
    dates = sorted(f"{rnd.randint(1831, 1882)}-{rnd.randint(1, 12):02}-{rnd.randint(1, 28):02}"
                   for _ in range(letters))
    plan = []
    for n, date in enumerate(dates, 1):
        other = correspondents[_zipf(rnd, len(correspondents))]
        plan.append((n, date, 0, other) if rnd.random() < 0.5 else (n, date, other, 0))
    by_pair: dict[int, list[int]] = {}
    for n, _, s, a in plan:
        by_pair.setdefault(s + a, []).append(n)
    for n, date, s, a in plan:
        pair = by_pair[s + a]
        k = pair.index(n)
        text = letter(n, rnd, counts, names, date, s, a, n - 1 if n > 1 else None,
                      n + 1 if n < letters else None, pair[k - 1] if k else None,
                      pair[k + 1] if k + 1 < len(pair) else None, lines)
        (dest / "tei" / f"L{n:05}.xml").write_text(text, encoding="utf-8")
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest", type=Path)
    ap.add_argument("--letters", type=int, default=5000)
    ap.add_argument("--lines", type=int, default=190, help="lines of text per letter")
    ap.add_argument("--authority", type=float, default=1.0,
                    help="size of the authority files (1.0: about 8 MB)")
    args = ap.parse_args()
    dest = make_letters(args.dest, args.letters, args.lines, authority=args.authority)
    files = list((dest / "tei").iterdir())
    total = sum(p.stat().st_size for p in files)
    regs = sum(p.stat().st_size for p in files if p.name.startswith("list"))
    print(f"{dest}: {len(files)} file(s), {total / 1e6:.1f} MB "
          f"(authority files {regs / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
