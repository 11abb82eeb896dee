<?xml version="1.0" encoding="UTF-8"?>
<!--
  Letters: who wrote a letter to whom, from where and when, as its correspDesc says, decided
  once for every output (the page's letter block, its facts for the letters' index and CMIF,
  the text edition's header). toolkit/validation/index.py (letter_facts) reads the same rule
  from the source for the letters' order, before any stylesheet runs; tests/test_letters.py
  checks that both agree.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <!-- The correspondence description of a document, if it has one. -->
  <xsl:function name="tk:correspondence" as="element(tei:correspDesc)?">
    <xsl:param name="tei" as="element()?"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:profileDesc/tei:correspDesc[1]"/>
  </xsl:function>

  <!-- The senders ($role 'sender') or addressees ('addressee') of a letter: the names in its
       correspAction of type sent (received). A name's own @type sender or addressee wins over
       its action's, as some editions write both in one action. -->
  <xsl:function name="tk:letter-parties" as="element()*">
    <xsl:param name="desc" as="element(tei:correspDesc)?"/>
    <xsl:param name="role" as="xs:string"/>
    <xsl:variable name="action" as="xs:string" select="if ($role = 'sender') then 'sent' else 'received'"/>
    <xsl:sequence select="$desc/tei:correspAction/(tei:persName | tei:orgName | tei:name)[
      if (lower-case(@type) = ('sender', 'addressee')) then lower-case(@type) = $role
      else lower-case(../@type) = $action]"/>
  </xsl:function>

  <!-- The places and dates of sending ($action 'sent') or of receipt ('received'). -->
  <xsl:function name="tk:letter-places" as="element()*">
    <xsl:param name="desc" as="element(tei:correspDesc)?"/>
    <xsl:param name="action" as="xs:string"/>
    <xsl:sequence select="$desc/tei:correspAction[lower-case(@type) = $action]/(tei:placeName | tei:settlement)"/>
  </xsl:function>

  <xsl:function name="tk:letter-dates" as="element()*">
    <xsl:param name="desc" as="element(tei:correspDesc)?"/>
    <xsl:param name="action" as="xs:string"/>
    <xsl:sequence select="$desc/tei:correspAction[lower-case(@type) = $action]/tei:date"/>
  </xsl:function>

  <!-- Whether the source is unsure of a date: @cert, @precision or @evidence say so. -->
  <xsl:function name="tk:date-uncertain" as="xs:boolean">
    <xsl:param name="date" as="element()"/>
    <xsl:sequence select="$date/@cert = ('low', 'medium', 'unknown')
                          or $date/(@precision, tei:precision/@precision) = ('low', 'medium')
                          or $date/@evidence = ('conjecture', 'internal', 'external')"/>
  </xsl:function>
</xsl:stylesheet>
