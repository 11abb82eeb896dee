<?xml version="1.0" encoding="UTF-8"?>
<!--
  The edition around a document: what the build knows of the other files (toolkit/html/links.py
  makes it from the edition's id index, passed as the parameter $edition). Where each pointer
  of the document leads (an entry of a register, with the data its card shows and its register
  page; another document's page, and the anchor in it), and for a letter its neighbours among
  the letters. Every output reads it here; without it (a document rendered on its own) they
  resolve pointers inside the document only.

    <edition xmlns="urn:teikit">
      <link key="ptr|#pmb2121|" to="entry" entry="pmb2121"/>   (key: kind|value|xml:base chain)
      <link key="ptr|L02112|" to="document" href="L02112.html" title="..."/>
      <entry id="pmb2121" type="person" href="persons.html#pmb2121" name="..." dates="..." .../>
      <nav rel="prev|next|prev-corresp|next-corresp" href="..." name="..." title="..." date="..."/>
    </edition>
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:variable name="tk:edition" as="document-node()?"
    select="if (normalize-space($edition) != '') then parse-xml($edition) else ()"/>

  <xsl:key name="tk:link" match="tk:link" use="@key"/>
  <xsl:key name="tk:entry" match="tk:entry" use="@id"/>

  <!-- The xml:base values in effect at $el, outermost first, joined by '|' ('' where there is
       none): with the pointer, what the build resolved. -->
  <xsl:function name="tk:base-chain" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="string-join($el/ancestor-or-self::*/@xml:base ! string(.), '|')"/>
  </xsl:function>

  <!-- Where a pointer written on $el leads, as the build resolved it: its tk:link, or ().
       $kind is 'key' for the value of @key, 'ptr' for every other pointer. -->
  <xsl:function name="tk:link" as="element(tk:link)?">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="
      if (empty($tk:edition) or empty($value)) then ()
      else key('tk:link', $kind || '|' || (if ($kind = 'key') then normalize-space($value) else $value)
               || '|' || tk:base-chain($el), $tk:edition)[1]"/>
  </xsl:function>

  <!-- The register entry a link leads to, or (). -->
  <xsl:function name="tk:link-entry" as="element(tk:entry)?">
    <xsl:param name="link" as="element(tk:link)?"/>
    <xsl:sequence select="if ($link/@to = 'entry') then key('tk:entry', string($link/@entry), root($link))[1] else ()"/>
  </xsl:function>

  <!-- The letters before and after this one: 'prev', 'next' (in the edition), 'prev-corresp',
       'next-corresp' (in its correspondence). -->
  <xsl:function name="tk:nav" as="element(tk:nav)?">
    <xsl:param name="rel" as="xs:string"/>
    <xsl:sequence select="$tk:edition/tk:edition/tk:nav[@rel = $rel][1]"/>
  </xsl:function>
</xsl:stylesheet>
