<?xml version="1.0" encoding="UTF-8"?>
<!--
  The common layer: what the TEI means, decided once for every output.

  Each output (html/, text/, print/) imports this file and supplies the rendering. Functions here
  answer editorial questions; they never produce output markup.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:import href="params.xsl"/>

  <xsl:key name="tk:id" match="*[@xml:id]" use="@xml:id"/>

  <!-- The children of a choice that belong to the original reading, and to the normalised one. -->
  <xsl:function name="tk:is-original" as="xs:boolean">
    <xsl:param name="reading-element" as="element()"/>
    <xsl:sequence select="exists($reading-element/(self::tei:sic | self::tei:orig | self::tei:abbr))"/>
  </xsl:function>

  <!-- The reading of a choice to show at the given level. Falls back to the first child when a
       choice lacks the preferred kind (e.g. two seg alternatives). -->
  <xsl:function name="tk:chosen" as="element()?">
    <xsl:param name="choice" as="element(tei:choice)"/>
    <xsl:param name="level" as="xs:string"/>
    <xsl:variable name="readings" as="element()*" select="$choice/*"/>
    <xsl:sequence select="
      if ($level = 'original')
      then ($readings[tk:is-original(.)], $readings)[1]
      else ($readings[self::tei:corr | self::tei:reg | self::tei:expan], $readings)[1]"/>
  </xsl:function>

  <!-- The reading not shown at the given level (shown on hover, in notes, etc.). -->
  <xsl:function name="tk:other" as="element()?">
    <xsl:param name="choice" as="element(tei:choice)"/>
    <xsl:param name="level" as="xs:string"/>
    <xsl:variable name="shown" as="element()?" select="tk:chosen($choice, $level)"/>
    <xsl:sequence select="$choice/*[not(. is $shown)][1]"/>
  </xsl:function>

  <!-- The element a local pointer ("#id") designates, if any. -->
  <xsl:function name="tk:target" as="element()?">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="
      if (starts-with($pointer, '#'))
      then key('tk:id', substring($pointer, 2), root($context))[1]
      else ()"/>
  </xsl:function>

  <!-- Quotation marks are rendered from markup (soCalled, q, quote, said), decided here. -->
  <xsl:function name="tk:quote-marks" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="
      if ($el/@rend = ('none', 'block') or $el/self::tei:quote[not(@rend)]) then ('', '')
      else if ($el/@rend = ('single', 'sq')) then ('&#x2018;', '&#x2019;')
      else ('&#x201C;', '&#x201D;')"/>
  </xsl:function>
</xsl:stylesheet>
