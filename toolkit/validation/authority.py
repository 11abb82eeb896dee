"""Authority identifiers: the one web address an entry's ``idno`` stands for (GND, VIAF,
Wikidata, GeoNames, ...), for the registers' links, the data exports and CMIF, and the form in
which two addresses of the same record compare equal, so that a pointer written as such an
address (``<persName ref="https://d-nb.info/gnd/118540238">``) leads to the entry that has it.

Editions write the same record in many ways: ``<idno type="gnd">118540238</idno>``,
``http://d-nb.info/gnd/118540238/``, ``https://www.wikidata.org/wiki/Q42`` beside
``http://www.wikidata.org/entity/Q42``, ``sws.geonames.org/2657896/`` beside
``https://www.geonames.org/2657896/zurich.html``. :func:`authority_uri` makes a link of an idno;
:func:`match_key` reduces an address to what identifies the record.
"""

from __future__ import annotations

import re

#: idno/@type (lower case) -> how a bare identifier of that authority becomes its address
_BARE = {
    "gnd": "https://d-nb.info/gnd/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "wikidata": "https://www.wikidata.org/entity/{}",
    "wd": "https://www.wikidata.org/entity/{}",
    "qid": "https://www.wikidata.org/entity/{}",
    "geonames": "https://www.geonames.org/{}",
    "lcnaf": "https://id.loc.gov/authorities/names/{}",
    "lc": "https://id.loc.gov/authorities/names/{}",
    "orcid": "https://orcid.org/{}",
    "isni": "https://isni.org/isni/{}",
    "pmb": "https://pmb.acdh.oeaw.ac.at/entity/{}/",
    "tgn": "http://vocab.getty.edu/page/tgn/{}",
}
#: what the identifier of each authority looks like, to refuse a bare value that is not one
_SHAPE = {
    "gnd": r"[0-9X-]{6,12}",
    "viaf": r"[0-9]{1,22}",
    "wikidata": r"Q[0-9]+", "wd": r"Q[0-9]+", "qid": r"Q[0-9]+",
    "geonames": r"[0-9]{1,10}",
    "lcnaf": r"n[a-z]?[0-9]{6,10}", "lc": r"n[a-z]?[0-9]{6,10}",
    "orcid": r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]",
    "isni": r"[0-9]{15}[0-9X]",
    "pmb": r"[0-9]+",
    "tgn": r"[0-9]+",
}
#: the name of the authority an address belongs to (for labels), by host
AUTHORITIES = {
    "d-nb.info": "GND", "viaf.org": "VIAF", "wikidata.org": "Wikidata",
    "geonames.org": "GeoNames", "id.loc.gov": "LC", "orcid.org": "ORCID", "isni.org": "ISNI",
    "pmb.acdh.oeaw.ac.at": "PMB", "vocab.getty.edu": "TGN", "hls-dhs-dss.ch": "HLS",
    "deutsche-biographie.de": "NDB/ADB", "data.cerl.org": "CERL", "id.erfgoed.net": "Erfgoed",
}
_URL = re.compile(r"^https?://[^\s/\\\"<>]+[^\s\"<>\\]*$", re.IGNORECASE)


def authority_uri(value: str | None, kind: str | None = None) -> str | None:
    """The address an idno (text ``value``, ``@type`` ``kind``) stands for: the value itself
    when it is an http(s) address, else the authority's address for a bare identifier of a
    known type; None otherwise (a shelfmark, an identifier of a kind we do not know)."""
    v = " ".join((value or "").split())
    if not v:
        return None
    if _URL.match(v):
        return canonical_uri(v)
    k = (kind or "").strip().lower()
    if k in _BARE and re.fullmatch(_SHAPE[k], v, flags=re.IGNORECASE):
        return _BARE[k].format(v.upper() if k in ("wikidata", "wd", "qid") else v)
    return None


def canonical_uri(uri: str) -> str:
    """The address of a record as its authority writes it (Wikidata's entity, GeoNames'
    record, the GND's https address); other addresses as they are."""
    k = match_key(uri)
    if k is None:
        return uri
    if k.startswith("wikidata.org/"):
        return "https://www.wikidata.org/entity/" + k.split("/", 1)[1]
    if k.startswith("geonames.org/"):
        return "https://www.geonames.org/" + k.split("/", 1)[1]
    if k.startswith("d-nb.info/gnd/"):
        return "https://" + k
    return uri


def match_key(uri: str) -> str | None:
    """What identifies the record an address names, so that the ways of writing one compare
    equal: no scheme, no ``www.``, no trailing slash, Wikidata's page and entity addresses
    alike, a GeoNames id without its name page; None for what is no http(s) address."""
    v = uri.strip()
    if not _URL.match(v):
        return None
    v = re.sub(r"^https?://(www\.)?", "", v, flags=re.IGNORECASE)
    host, _, rest = v.partition("/")
    host = host.lower()
    rest = rest.split("#")[0].rstrip("/")
    if host.endswith("wikidata.org"):
        m = re.search(r"(Q[0-9]+)", rest)
        return f"wikidata.org/{m.group(1)}" if m else None
    if host.endswith("geonames.org"):
        m = re.match(r"([0-9]+)", rest)
        return f"geonames.org/{m.group(1)}" if m else None
    if host == "d-nb.info":
        return "d-nb.info/" + rest
    return f"{host}/{rest}"


def authority_name(uri: str) -> str:
    """A short label for the authority an address belongs to ("GND", "Wikidata"), else its
    host."""
    host = re.sub(r"^https?://(www\.)?", "", uri, flags=re.IGNORECASE).split("/")[0].lower()
    for known, label in AUTHORITIES.items():
        if host == known or host.endswith("." + known):
            return label
    return host
