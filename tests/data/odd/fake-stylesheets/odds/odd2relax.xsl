<?xml version="1.0" encoding="UTF-8"?>
<!-- Test stand-in for the TEI Stylesheets' odd2relax.xsl (see ../README.md): a grammar of a few
     TEI elements, each allowing any of them inside, less those the ODD deletes. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns="http://relaxng.org/ns/structure/1.0"
    xmlns:sch="http://purl.oclc.org/dsdl/schematron" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    exclude-result-prefixes="#all">
  <xsl:param name="defaultSource" select="''"/>
  <xsl:output indent="yes"/>
  <xsl:variable name="known" as="xs:string*" select="('TEI', 'teiHeader', 'fileDesc',
    'titleStmt', 'title', 'publicationStmt', 'sourceDesc', 'text', 'body', 'div', 'head', 'p',
    'said', 'quote', 'persName')"/>
  <xsl:template match="/">
    <xsl:variable name="deleted" select="//tei:elementSpec[@mode = 'delete']/@ident"/>
    <grammar ns="http://www.tei-c.org/ns/1.0">
      <xsl:comment>TEI Edition: P5 Version 9.9.9. Test stand-in.</xsl:comment>
      <xsl:for-each select="//tei:constraintSpec[@scheme = 'schematron']/tei:constraint">
        <sch:pattern><xsl:copy-of select="*" copy-namespaces="no"/></sch:pattern>
      </xsl:for-each>
      <start><ref name="TEI"/></start>
      <define name="any">
        <zeroOrMore>
          <choice>
            <text/>
            <xsl:for-each select="$known[not(. = $deleted)][. != 'TEI']">
              <ref name="{.}"/>
            </xsl:for-each>
          </choice>
        </zeroOrMore>
      </define>
      <xsl:for-each select="$known[not(. = $deleted)]">
        <define name="{.}">
          <element name="{.}">
            <zeroOrMore><attribute><anyName/></attribute></zeroOrMore>
            <ref name="any"/>
          </element>
        </define>
      </xsl:for-each>
    </grammar>
  </xsl:template>
</xsl:stylesheet>
