<?xml version="1.0" encoding="UTF-8"?>
<!--
  Every parameter the toolkit passes to the stylesheets, in one place. The Python driver
  (toolkit/formats.py) sets them; each has a default so a stylesheet can also
  be run by hand with Saxon.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  exclude-result-prefixes="#all">

  <!-- Which reading of a tei:choice is shown: 'normalised' (corr, reg, expan) or
       'original' (sic, orig, abbr). The one editorial decision every output obeys. -->
  <xsl:param name="reading" as="xs:string" select="'normalised'"/>

  <!-- Critical editions: the witness (an xml:id in listWit) whose reading the text follows
       where an apparatus entry has no lem; '' for the first reading. -->
  <xsl:param name="base-witness" as="xs:string" select="''"/>

  <!-- Critical editions: the witnesses whose texts the text edition writes (witness_texts):
       '' for none, 'all', or their ids separated by commas. -->
  <xsl:param name="witness-texts" as="xs:string" select="''"/>

  <!-- Text output only: the witness whose text is written, reconstructed from the apparatus
       (the text edition of one witness); '' for the edited text. -->
  <xsl:param name="witness" as="xs:string" select="''"/>

  <!-- Text output only: 'diplomatic' (original readings, no notes, no header) or
       'reading' (the reading level above, wrapped, notes at the end, a citation header). -->
  <xsl:param name="variant" as="xs:string" select="'reading'"/>

  <!-- File name of the source without extension; outputs are named after it. -->
  <xsl:param name="source-name" as="xs:string" select="'document'"/>

  <!-- Title of the whole edition (site title). -->
  <xsl:param name="site-title" as="xs:string" select="''"/>

  <!-- Date of the build (ISO 8601), used in citations ("accessed"); fixed in tests. -->
  <xsl:param name="build-date" as="xs:string" select="''"/>

  <!-- Public URL of the web edition, for citations; empty when unknown. -->
  <xsl:param name="base-url" as="xs:string" select="''"/>

  <!-- Interface language of the edition (BCP 47): the language of every string the toolkit
       writes (the text keeps its own xml:lang). -->
  <xsl:param name="language" as="xs:string" select="'en'"/>

  <!-- The interface's strings, key → text (see common/i18n.xsl): the catalogue of the
       interface language merged by Python with English and the project's own strings.
       Empty (a stylesheet run by hand): every string shows as its key. -->
  <xsl:param name="strings" as="map(xs:string, xs:string)" select="map{}"/>

  <!-- Dates in words, written by Python (Babel) in the interface language: the key of a
       dating (tk:dating-key: 'when=1937-11-27', 'notBefore=1936 notAfter=1938') → its text. -->
  <xsl:param name="dates" as="map(xs:string, xs:string)" select="map{}"/>

  <!-- How the interface language writes numbers: 'plural' (its CLDR plural rule for an
       integer $n, an XPath expression) and 'group' (the separator of digit groups). -->
  <xsl:param name="locale" as="map(xs:string, xs:string)"
    select="map{'plural': 'if ($n = 1) then ''one'' else ''other''', 'group': ','}"/>

  <!-- Print only: paper size, 'a4' or 'letter'. -->
  <xsl:param name="paper" as="xs:string" select="'a4'"/>

  <!-- The edition around the document (XML text, see edition.xsl): where its pointers into
       other files lead, and a letter's neighbours. Empty: the document is rendered on its own. -->
  <xsl:param name="edition" as="xs:string" select="''"/>

  <!-- The document's page images, as JSON (toolkit/html/facsimile.py for the web page,
       toolkit/print/plates.py for the PDF's plates); '' when it has none. -->
  <xsl:param name="facsimile" as="xs:string" select="''"/>

  <!-- Text only: column at which the reading text is wrapped (0: no wrapping). -->
  <xsl:param name="wrap" as="xs:integer" select="72"/>

  <!-- Text only: true() when the caller lays out the text's lines itself (toolkit/text/
       layout.py): paragraphs to wrap come out marked, and the final clean-up is left to it. -->
  <xsl:param name="caller-layout" as="xs:boolean" select="false()"/>
</xsl:stylesheet>
