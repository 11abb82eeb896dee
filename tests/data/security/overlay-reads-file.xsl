<?xml version="1.0" encoding="UTF-8"?>
<!-- An overlay of html-page.xsl's hook that reads a local file into every page. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tk="urn:teikit">
  <xsl:template name="tk:html-footer-extra">
    <p><xsl:value-of select="unparsed-text('SECRET-URI')"/></p>
  </xsl:template>
</xsl:stylesheet>
