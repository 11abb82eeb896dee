<?xml version="1.0" encoding="UTF-8"?>
<!--
  The facts of a document (page='facts'): what the index and the registers need, as JSON, so
  that toolkit/html/site.py never interprets the TEI itself. Entity ids, anchors and entity data come
  from the same functions the document page uses, so every link a register makes exists.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <xsl:function name="h:facts" as="map(*)">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:variable name="tei" as="element()?" select="($doc/tei:TEI, $doc/tei:teiCorpus, $doc/*)[1]"/>
    <xsl:variable name="date" as="element()?" select="h:doc-date($tei)"/>
    <xsl:variable name="texts" as="element()*" select="$doc//tei:text[not(ancestor::tei:text)]"/>
    <xsl:variable name="els" as="element()*"
      select="$texts//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs)
              [not(ancestor::*[tk:is-entity-list(.)])]"/>
    <xsl:variable name="mentions" as="map(*)*" select="
      for $el in $els return h:mention($el) ! map:put(., 'el', $el)"/>
    <xsl:variable name="sources" as="element()*"
      select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/(tei:biblStruct | tei:bibl | tei:msDesc | tei:listBibl/(tei:bibl | tei:biblStruct) | tei:p[normalize-space()])"/>
    <xsl:variable name="source-text" as="xs:string*">
      <xsl:for-each select="$sources">
        <xsl:variable name="html" as="item()*"><xsl:apply-templates select="." mode="h:cite"/></xsl:variable>
        <xsl:sequence select="normalize-space(string-join($html ! string(.), ''))"/>
      </xsl:for-each>
    </xsl:variable>
    <!-- Linear in the mentions: each group is the mentions of one id (no search of all the
         mentions per entity: 16,000 persons took minutes that way), ids looked up in a map. -->
    <xsl:variable name="mentioned" as="map(xs:string, xs:boolean)"
      select="map:merge($mentions ! map:entry(string(?id), true()), map{'duplicates': 'use-first'})"/>
    <xsl:variable name="entities" as="map(*)*">
      <xsl:for-each-group select="$mentions" group-by="?id">
        <xsl:variable name="m" as="map(*)" select="current-group()[1]"/>
        <xsl:sequence select="map{current-grouping-key(): h:entry-data((current-group()?entry)[1], $m?type)}"/>
      </xsl:for-each-group>
      <xsl:for-each-group select="$mentions[?figurative][exists(?meant-id)]" group-by="?meant-id">
        <xsl:variable name="m" as="map(*)" select="current-group()[1]"/>
        <xsl:if test="not(map:contains($mentioned, string(current-grouping-key())))">
          <xsl:sequence select="map{current-grouping-key(): h:entry-data($m?meant-entry, $m?meant-type)}"/>
        </xsl:if>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:sequence select="map{
      'name': $source-name,
      'kind': if (exists($texts)) then 'text' else 'authority',
      'title': h:doc-title($tei),
      'subtitle': (h:doc-subtitle($tei), '')[1],
      'author': string-join(h:doc-authors($tei), ', '),
      'date': h:date-label($date),
      'date_iso': (if ($date) then h:datetime($date) else (), '')[1],
      'source': ($source-text[. != ''], '')[1],
      'sources': array{ $source-text[. != ''] },
      'language': (h:lang(($texts[1]/@xml:lang, $tei/@xml:lang)[1]), '')[1],
      'graphics': array{ distinct-values($texts//tei:graphic[not(ancestor::tei:figDesc)]/@url ! h:local-path(.)) },
      'mentions': array{ $mentions ! map{
        'id': ?id,
        'type': ?type,
        'name': (h:entry-name(?entry), ?written)[1],
        'text': ?written,
        'original': h:text-of(?el, 'original'),
        'anchor': h:anchor(?el),
        'figurative': ?figurative,
        'meant': (?meant-id, '')[1],
        'meant_type': (?meant-type, '')[1]
      } },
      'entities': map:merge($entities, map{'duplicates': 'use-first'})
    }"/>
  </xsl:function>
</xsl:stylesheet>
