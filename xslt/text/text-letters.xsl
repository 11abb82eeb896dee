<?xml version="1.0" encoding="UTF-8"?>
<!--
  Letters in the text editions: the reading text's header says who wrote to whom, from where
  and when (the correspDesc, as xslt/common/letters.xsl reads it), and names the previous and
  next letter of the edition and of the correspondence (the build's word, $tk:edition), with
  the file of each one's reading text. The words are the catalogue's (text.header.*).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <!-- A label of the header: the catalogue's text.header.*, letters.unknown as it is. -->
  <xsl:function name="tk:text-letter-label" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="tk:string(if ($key = 'letters.unknown') then $key
                                    else 'text.header.' || substring-after($key, 'letters.'))"/>
  </xsl:function>

  <!-- The lines of the header that present a letter (none for other documents). -->
  <xsl:function name="tk:text-letter-lines" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="desc" as="element(tei:correspDesc)?" select="tk:correspondence($tei)"/>
    <xsl:for-each select="('sender', 'addressee')[exists($desc/tei:correspAction)]">
      <xsl:variable name="action" as="xs:string" select="if (. = 'sender') then 'sent' else 'received'"/>
      <xsl:variable name="parts" as="xs:string*" select="
        string-join((tk:letter-parties($desc, .) ! tk:plain(.))[. != ''], ', ')[. != ''],
        tk:letter-places($desc, $action) ! tk:plain(.)[. != ''],
        tk:letter-dates($desc, $action) ! (tk:plain(.)[. != ''], tk:dating(.)[. != ''])[1]"/>
      <xsl:if test="exists($parts)">
        <xsl:sequence select="tk:text-letter-label(if (. = 'sender') then 'letters.from' else 'letters.to') || ' '
          || (if (empty(tk:letter-parties($desc, .))) then tk:text-letter-label('letters.unknown') || ', ' else '')
          || string-join($parts, ', ')"/>
      </xsl:if>
    </xsl:for-each>
    <xsl:for-each select="('prev', 'next', 'prev-corresp', 'next-corresp') ! tk:nav(.)">
      <xsl:variable name="key" as="xs:string" select="map{
        'prev': 'letters.previous', 'next': 'letters.next',
        'prev-corresp': 'letters.previous_in_correspondence',
        'next-corresp': 'letters.next_in_correspondence'}(@rel)"/>
      <xsl:sequence select="tk:text-letter-label($key) || ' ' || @title || ' (' || @name || '.txt)'"/>
    </xsl:for-each>
  </xsl:function>
</xsl:stylesheet>
