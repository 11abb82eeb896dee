<?xml version="1.0" encoding="UTF-8"?>
<!--
  A project's override for the facsimile tests: every page gets the strict
  Content-Security-Policy the web edition is to carry (nothing but its own files; no inline
  script or style), with what the page's viewer needs added (h:with-csp). The browser tests
  run the viewer under it.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">
  <xsl:template name="tk:html-head-extra">
    <meta http-equiv="Content-Security-Policy" content="{h:with-csp(
      &quot;default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; &quot;
      || &quot;font-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'&quot;)}"/>
  </xsl:template>
</xsl:stylesheet>
