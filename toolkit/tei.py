"""The XML vocabularies the toolkit reads and writes, named once.

Every module that looks at TEI, XInclude, RELAX NG, Schematron or XSLT elements takes the
namespace URIs from here; ``T`` and friends are the Clark-notation prefixes lxml uses for tags
(``T + "persName"`` is ``{http://www.tei-c.org/ns/1.0}persName``).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XS_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XHTML_NS = "http://www.w3.org/1999/xhtml"
SVG_NS = "http://www.w3.org/2000/svg"
#: the namespace of the toolkit's own intermediate files (the site file of the web edition)
TEIKIT_NS = "urn:teikit"

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
XML_BASE = f"{{{XML_NS}}}base"
#: prefixes for XPath over TEI documents
NS = {"tei": TEI_NS, "xi": XI_NS}


def site_element(parent: etree._Element, tag: str, **attrs: Any) -> etree._Element:
    """A child element of the toolkit's own vocabulary (the site file, the letters and register
    pages' data): keyword attributes with ``_`` written ``-``, those empty or None left out."""
    el = etree.SubElement(parent, f"{{{TEIKIT_NS}}}{tag}")
    for k, v in attrs.items():
        if v is not None and v != "":
            el.set(k.replace("_", "-"), str(v))
    return el
