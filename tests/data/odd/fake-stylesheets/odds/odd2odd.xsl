<?xml version="1.0" encoding="UTF-8"?>
<!-- Test stand-in for the TEI Stylesheets' odd2odd.xsl (see ../README.md). -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
  <xsl:param name="defaultSource" select="''"/>
  <xsl:mode on-no-match="shallow-copy"/>
  <xsl:template match="tei:schemaSpec">
    <xsl:copy>
      <xsl:copy-of select="@*"/>
      <xsl:attribute name="n" select="'compiled against ' || $defaultSource"/>
      <xsl:if test="not(doc-available($defaultSource))">
        <xsl:message terminate="yes">no specifications at <xsl:value-of select="$defaultSource"/></xsl:message>
      </xsl:if>
      <xsl:apply-templates/>
      <!-- a chained ODD's deletions are kept, as odd2odd keeps what its source customised -->
      <xsl:if test="@source">
        <xsl:copy-of select="doc(resolve-uri(@source, base-uri(.)))//tei:elementSpec"/>
      </xsl:if>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
