<?xml version="1.0" encoding="UTF-8"?>
<!--
  The print edition: one complete HTML document designed for CSS paged media (WeasyPrint), turned
  into a PDF by toolkit/print/pdf.py.

  Layout of the result: a title page (citation of the source and of this edition), the editorial
  statement, the text (footnotes, marginal page references of the source, verse line numbers),
  notes too long for a footnote, and an index of persons, places and organisations whose page numbers are live target-counter()
  references to anchors at each mention. The look lives in print.css, which toolkit/print/pdf.py
  reads from beside this file and hands over as $print-css (a stylesheet reads no file itself),
  so a project overlay of xslt/print/print.css wins like any other overlay.

  Modules: print-front.xsl (title page, citations, editorial statement), print-text.xsl (the text),
  print-apparatus.xsl (the critical apparatus, the sigla), print-index.xsl (index of names),
  print-plates.xsl (page images as plates, if asked for). Which reading of a choice is shown is
  decided in ../common/.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:tkp="urn:teikit:print"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">

  <xsl:import href="../common/common.xsl"/>

  <xsl:include href="print-front.xsl"/>
  <xsl:include href="print-text.xsl"/>
  <xsl:include href="print-index.xsl"/>
  <xsl:include href="print-plates.xsl"/>
  <xsl:include href="print-apparatus.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
    include-content-type="no"/>

  <!-- The print stylesheet (print.css, or the project's overlay of it), inlined in the head. -->
  <xsl:param name="print-css" as="xs:string" select="''"/>

  <!-- The text mode: unknown elements are handled by the fallback template in print-text.xsl. -->
  <xsl:mode on-no-match="text-only-copy"/>
  <!-- Plain strings (metadata, running heads, index names): text at the reading level, no notes. -->
  <xsl:mode name="tkp:plain" on-no-match="text-only-copy"/>

  <!-- The header that describes the document (a teiCorpus has one of its own). -->
  <xsl:variable name="tkp:header" as="element(tei:teiHeader)?" select="/*/tei:teiHeader[1]"/>

  <!-- ===== What the document is called, and by whom ===== -->
  <!-- The titles as every output decides them (tk:main-title, tk:subtitles). -->
  <xsl:variable name="tkp:title-main" as="xs:string"
    select="(tk:main-title(/*) ! tk:plain(node())[. != ''], tk:string('page.untitled'))[1]"/>

  <xsl:variable name="tkp:title-sub" as="xs:string*"
    select="tk:subtitles(/*) ! tk:plain(node())[. != '']"/>

  <xsl:variable name="tkp:authors" as="xs:string*"
    select="$tkp:header/tei:fileDesc/tei:titleStmt/tei:author ! tkp:name(.)"/>

  <!-- A personal name for display: "Forename Surname" when the parts are tagged. -->
  <xsl:function name="tkp:name" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="pers" as="element()"
      select="($el/descendant-or-self::tei:persName[1], $el/descendant-or-self::tei:orgName[1], $el)[1]"/>
    <xsl:sequence select="
      if ($pers/tei:surname)
      then normalize-space(string-join(($pers/(tei:roleName | tei:forename | tei:nameLink | tei:surname | tei:addName | tei:genName)) ! tkp:plain(.), ' '))
      else tkp:plain($pers)"/>
  </xsl:function>

  <!-- The text of an element at the reading level, without notes, whitespace normalised. -->
  <xsl:function name="tkp:plain" as="xs:string">
    <xsl:param name="el" as="node()?"/>
    <xsl:variable name="text" as="xs:string*">
      <xsl:apply-templates select="$el/node()" mode="tkp:plain"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($text))"/>
  </xsl:function>

  <!-- Language of the text for <html lang> (hyphenation, PDF /Lang): BCP 47, so ISO 639-2
       codes with a two-letter equivalent are shortened. -->
  <xsl:variable name="tkp:iso639" as="map(xs:string, xs:string)" select="map {
    'eng': 'en', 'deu': 'de', 'ger': 'de', 'fra': 'fr', 'fre': 'fr', 'lat': 'la', 'ita': 'it',
    'spa': 'es', 'rus': 'ru', 'nld': 'nl', 'dut': 'nl', 'por': 'pt', 'pol': 'pl', 'ces': 'cs',
    'cze': 'cs', 'ell': 'el', 'gre': 'el', 'heb': 'he', 'ara': 'ar', 'swe': 'sv', 'dan': 'da',
    'nor': 'no', 'fin': 'fi', 'hun': 'hu', 'ukr': 'uk', 'tur': 'tr', 'cat': 'ca', 'gle': 'ga',
    'cym': 'cy', 'wel': 'cy', 'zho': 'zh', 'chi': 'zh', 'jpn': 'ja'}"/>

  <xsl:function name="tkp:bcp47" as="xs:string">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:variable name="parts" as="xs:string*" select="tokenize(normalize-space($code), '[-_]')"/>
    <xsl:variable name="first" as="xs:string?" select="lower-case($parts[1])"/>
    <xsl:sequence select="
      if (empty($first)) then ''
      else string-join((($tkp:iso639($first), $first)[1], subsequence($parts, 2)), '-')"/>
  </xsl:function>

  <xsl:variable name="tkp:text-lang" as="xs:string">
    <xsl:variable name="declared" as="xs:string*" select="
      (/*/tei:text/@xml:lang, /*/@xml:lang,
       $tkp:header/tei:profileDesc/tei:langUsage/tei:language[1]/@ident)[normalize-space()]"/>
    <!-- a tag that is none ("123", "en-") is no language: xsl:sort refuses it as a collation's -->
    <xsl:sequence select="($declared ! tkp:bcp47(.)[. castable as xs:language], $language)[1]"/>
  </xsl:variable>

  <!-- Paper size keyword for @page. -->
  <xsl:variable name="tkp:page-size" as="xs:string"
    select="if (lower-case($paper) = 'letter') then 'letter' else 'A4'"/>

  <!-- A running head must fit on one line. -->
  <xsl:function name="tkp:shorten" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="
      if (string-length($s) le $max) then $s
      else replace(substring($s, 1, $max), '[\s,;:.(\-–/]+[^\s]*$', '') || '…'"/>
  </xsl:function>

  <!-- ===== Hooks for projects (override in a stylesheet imported after this one) ===== -->
  <!-- Extra markup in <head>, e.g. a <style> element. -->
  <xsl:template name="tkp:head-extra" as="node()*"/>
  <!-- Extra content at the foot of the title page. -->
  <xsl:template name="tkp:title-page-extra" as="node()*"/>
  <!-- Extra content after the index, at the very end. -->
  <xsl:template name="tkp:back-extra" as="node()*"/>

  <!-- ===== The document ===== -->
  <xsl:template match="/" as="node()*">
    <xsl:variable name="author" as="xs:string" select="string-join($tkp:authors, '; ')"/>
    <html lang="{$tkp:text-lang}" class="paper-{lower-case($paper)} reading-{$reading}">
      <head>
        <meta charset="utf-8"/>
        <title>
          <xsl:value-of select="string-join(($tkp:title-main, $tkp:title-sub), ': ')"/>
        </title>
        <xsl:for-each select="$tkp:authors">
          <meta name="author" content="{.}"/>
        </xsl:for-each>
        <meta name="description" content="{tkp:source-citation-text()}"/>
        <xsl:variable name="keywords" as="xs:string*"
          select="$tkp:header/tei:profileDesc/tei:textClass/tei:keywords/tei:term ! normalize-space()"/>
        <xsl:if test="exists($keywords)">
          <meta name="keywords" content="{string-join(distinct-values($keywords), ', ')}"/>
        </xsl:if>
        <meta name="generator" content="teikit"/>
        <xsl:if test="normalize-space($build-date)">
          <meta name="dcterms.created" content="{$build-date}"/>
          <meta name="dcterms.modified" content="{$build-date}"/>
        </xsl:if>
        <style>
          <xsl:value-of select="$print-css"/>
        </style>
        <style>
          <xsl:text>@page { size: </xsl:text>
          <xsl:value-of select="$tkp:page-size"/>
          <xsl:text>; }</xsl:text>
        </style>
        <xsl:call-template name="tkp:head-extra"/>
      </head>
      <body data-running-author="{tkp:shorten(if ($author) then $author else $site-title, 70)}">
        <xsl:call-template name="tkp:title-page"/>
        <xsl:call-template name="tkp:editorial-page"/>
        <xsl:call-template name="tkp:sigla-list"/>
        <main class="text" lang="{$tkp:text-lang}">
          <xsl:for-each select="/*/tei:text | /tei:teiCorpus/tei:TEI/tei:text">
            <xsl:if test="parent::tei:TEI/parent::tei:teiCorpus">
              <h2 class="corpus-member">
                <xsl:value-of select="(tk:title(..)[. != ''], tk:string('page.untitled'))[1]"/>
              </h2>
            </xsl:if>
            <xsl:apply-templates select="."/>
          </xsl:for-each>
          <xsl:if test="empty(/*/tei:text | /tei:teiCorpus/tei:TEI/tei:text)">
            <!-- Not TEI as we know it: keep every word of it. -->
            <div class="body"><xsl:apply-templates select="/*/node()"/></div>
          </xsl:if>
        </main>
        <xsl:call-template name="tkp:endnotes"/>
        <xsl:call-template name="tkp:plates"/>
        <xsl:call-template name="tkp:apparatus-after"/>
        <xsl:call-template name="tkp:index"/>
        <xsl:call-template name="tkp:back-extra"/>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
