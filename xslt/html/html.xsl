<?xml version="1.0" encoding="UTF-8"?>
<!--
  The HTML output: one page per TEI document, plus the site pages (index, registers, search)
  rendered from the site file toolkit/html/site.py writes, plus the JSON facts the registers are
  built from (page='facts').

  Entry point. The common layer decides what the TEI means (which reading of a choice, quote
  marks, pointers); the files included here only decide how it looks in HTML:
    html-params.xsl   the parameters of this output
    html-util.xsl     interface strings, ids, URLs (security), dates, languages
    html-page.xsl     the page shell and the title block (citations, downloads)
    html-text.xsl     the text: structure, inline markup, choice, drama, verse, letters, tables
    html-entities.xsl persons, places, organisations, works, events: links, cards, entry data
    html-letters.xsl  a letter's correspondence and neighbours, the index of letters
    html-facsimile.xsl the page images beside the text: marks for the viewer, its pane
    html-notes.xsl    notes
    html-apparatus.xsl the critical apparatus: readings, witness view, entries, witnesses
    html-site.xsl     index, registers and search pages
    html-facts.xsl    the facts (JSON) for toolkit/html/site.py, the data of a file's entries
  Nothing here ever copies a TEI attribute into a URL, event handler or style attribute without
  checking it, and output escaping is never disabled.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <xsl:import href="../common/common.xsl"/>

  <xsl:include href="html-params.xsl"/>
  <xsl:include href="html-util.xsl"/>
  <xsl:include href="html-page.xsl"/>
  <xsl:include href="html-text.xsl"/>
  <xsl:include href="html-entities.xsl"/>
  <xsl:include href="html-letters.xsl"/>
  <xsl:include href="html-notes.xsl"/>
  <xsl:include href="html-facsimile.xsl"/>
  <xsl:include href="html-apparatus.xsl"/>
  <xsl:include href="html-site.xsl"/>
  <xsl:include href="html-facts.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
    include-content-type="no"/>
  <xsl:output name="h:json" method="json" encoding="UTF-8" indent="no"/>

  <!-- The text of the document. Unknown elements keep their text (see the fallback template in
       html-text.xsl). -->
  <xsl:mode on-no-match="text-only-copy" use-accumulators="#all"/>
  <!-- Plain text of a node at a reading level: title attributes, cards, citations, facts. -->
  <xsl:mode name="h:plain" on-no-match="text-only-copy" use-accumulators="#all"/>
  <!-- Bibliographic descriptions (sourceDesc) as a formatted citation. -->
  <xsl:mode name="h:cite" on-no-match="text-only-copy" use-accumulators="#all"/>
  <!-- The site pages, from a tk:site document. -->
  <xsl:mode name="h:site" on-no-match="shallow-skip"/>

  <!-- Hooks for a project's own stylesheet (stylesheets = {html = ...}): empty by default. -->
  <!-- Extra elements in <head> (e.g. a link to the project's own CSS in assets/). -->
  <xsl:template name="tk:html-head-extra"/>
  <!-- Extra content at the end of the site footer. -->
  <xsl:template name="tk:html-footer-extra"/>
  <!-- Extra content after the title block of a document page. -->
  <xsl:template name="tk:html-after-title-block"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="tk:site">
        <xsl:apply-templates select="tk:site" mode="h:site"/>
      </xsl:when>
      <xsl:when test="$page = 'facts'">
        <xsl:result-document format="h:json">
          <xsl:sequence select="h:facts(/)"/>
        </xsl:result-document>
      </xsl:when>
      <xsl:when test="$page = 'entries'">
        <xsl:result-document format="h:json">
          <xsl:sequence select="h:entries(/)"/>
        </xsl:result-document>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="h:document-page"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
