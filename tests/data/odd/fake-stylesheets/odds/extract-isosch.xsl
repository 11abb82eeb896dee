<?xml version="1.0" encoding="UTF-8"?>
<!-- Test stand-in for the TEI Stylesheets' extract-isosch.xsl (see ../README.md). -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns="http://purl.oclc.org/dsdl/schematron"
    exclude-result-prefixes="#all">
  <xsl:template match="/">
    <schema queryBinding="xslt2">
      <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
      <xsl:for-each select="//tei:constraintSpec[@scheme = 'schematron']/tei:constraint">
        <pattern><xsl:copy-of select="*" copy-namespaces="no"/></pattern>
      </xsl:for-each>
    </schema>
  </xsl:template>
</xsl:stylesheet>
