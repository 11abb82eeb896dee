<?xml version="1.0" encoding="UTF-8"?>
<!--
  Parameters of the HTML output only (the shared ones are in ../common/params.xsl).
  toolkit/formats.py set them; each has a default.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">

  <!-- Comma-separated formats being built (html, text, pdf): which download links to offer. -->
  <xsl:param name="formats" as="xs:string" select="'html'"/>

  <!-- What to produce: 'document' (a TEI document's page; the default), 'facts' (JSON data the
       site's registers need, see toolkit/html/site.py), or, for a teikit site file, one of the site
       pages: 'index', 'persons', 'places', 'organisations', 'search'. -->
  <xsl:param name="page" as="xs:string" select="'document'"/>

  <!-- The site pages the navigation links to, in order (comma-separated): the build names
       the registers the edition has and the index of letters when it has letters. -->
  <xsl:param name="site-pages" as="xs:string" select="'index,persons,places,organisations,search'"/>

  <!-- Comma-separated interface languages of the edition, the main one first: with more than
       one, each has a page set of its own (the main one in html/, the others in html/<tag>/)
       and every page offers the others. -->
  <xsl:param name="languages" as="xs:string" select="''"/>

  <!-- The names of the interface languages, each in itself (tag → name): the language switch. -->
  <xsl:param name="language-names" as="map(xs:string, xs:string)" select="map{}"/>

  <!-- From a page to the folder of the web edition (html/): '' for the pages of the main
       language, '../' for those of another (html/<tag>/). Shared files (assets, TEI sources,
       images) and the other outputs are reached through it. -->
  <xsl:param name="site-root" as="xs:string" select="''"/>

  <!-- The files of the edition the document points into (ref="persons.xml#id"), by the path
       its pointers give: the build reads them (inside the edition's sources only) and hands
       them over, since a stylesheet reads no file itself (toolkit/html/page.py). -->
  <xsl:param name="documents" as="map(xs:string, document-node())" select="map{}"/>
</xsl:stylesheet>
