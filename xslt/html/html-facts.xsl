<?xml version="1.0" encoding="UTF-8"?>
<!--
  The facts of a document (page='facts'): what the index, the registers and the letters' pages
  need, as JSON, so that toolkit/html/site.py never interprets the TEI itself. Entity ids,
  anchors and entity data come from the same functions the document page uses, so every link a
  register makes exists. Linear in the document: mentions are grouped once, by key.

  And the data of a file's entries (page='entries'): every identified person, place, org, work
  and event, as the cards and the registers show it, read once per file by the build
  (toolkit/html/registers.py) before any page is made.
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
    <xsl:variable name="desc" as="element(tei:correspDesc)?" select="tk:correspondence($tei)"/>
    <xsl:variable name="mentions" as="map(*)*" select="
      for $el in h:mention-elements($texts) return h:mention($el) ! map:put(., 'el', $el) ! map:put(., 'role', ''),
      for $role in ('sender', 'addressee'), $el in tk:letter-parties($desc, $role)
        return h:mention($el) ! map:put(., 'el', $el) ! map:put(., 'role', $role),
      for $el in $texts//(tei:ref | tei:ptr)[@target] return h:ref-mention($el) ! map:put(., 'el', $el) ! map:put(., 'role', ''),
      for $action in ('sent', 'received'), $el in tk:letter-places($desc, $action)
        return h:mention($el) ! map:put(., 'el', $el) ! map:put(., 'role', if ($action = 'sent') then 'sent-from' else 'received-at')"/>
    <xsl:variable name="sources" as="element()*"
      select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/(tei:biblStruct | tei:bibl | tei:msDesc | tei:listBibl/(tei:bibl | tei:biblStruct) | tei:p[normalize-space()])"/>
    <xsl:variable name="source-text" as="xs:string*">
      <xsl:for-each select="$sources">
        <xsl:variable name="html" as="item()*"><xsl:apply-templates select="." mode="h:cite"/></xsl:variable>
        <xsl:sequence select="normalize-space(string-join($html ! string(.), ''))"/>
      </xsl:for-each>
    </xsl:variable>
    <!-- Linear in the mentions: each group is the mentions of one id (no search of all the
         mentions per entity: 16,000 persons took minutes that way); an entity both mentioned
         and meant keeps the data of its first mention (map:merge, use-first). -->
    <xsl:variable name="entities" as="map(*)*">
      <xsl:for-each-group select="$mentions" group-by="?id">
        <xsl:sequence select="map{current-grouping-key(): current-group()[1]?data}"/>
      </xsl:for-each-group>
      <xsl:for-each-group select="$mentions[?figurative][exists(?meant-id)]" group-by="?meant-id">
        <xsl:sequence select="map{current-grouping-key(): current-group()[1]?meant-data}"/>
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
        'name': (?data?name, ?written)[1],
        'text': ?written,
        'original': h:text-of(?el, 'original'),
        'anchor': if (?role = '') then h:anchor(?el) else 'tk-letter-h',
        'figurative': ?figurative,
        'meant': (?meant-id, '')[1],
        'meant_type': (?meant-type, '')[1],
        'role': ?role
      } },
      'entities': map:merge($entities, map{'duplicates': 'use-first'}),
      'letter': if (empty($desc/tei:correspAction)) then () else h:letter-facts($desc)
    }"/>
  </xsl:function>

  <!-- A reference (ref, ptr) that leads to an entry of the edition's data: a mention of it. -->
  <xsl:function name="h:ref-mention" as="map(*)?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="entry" as="element(tk:entry)?"
      select="tk:link-entry(tk:link($el, tokenize(normalize-space($el/@target), ' ')[1], 'ptr'))"/>
    <xsl:sequence select="if (empty($entry)) then () else map{
      'id': string($entry/@id), 'type': string($entry/@type), 'written': h:text-of($el),
      'data': h:known-data($entry), 'href': string($entry/@href), 'figurative': false()}"/>
  </xsl:function>

  <!-- What the letters' index and CMIF need of a letter. -->
  <xsl:function name="h:letter-facts" as="map(*)">
    <xsl:param name="desc" as="element(tei:correspDesc)"/>
    <xsl:sequence select="map{
      'senders': array{ tk:letter-parties($desc, 'sender') ! h:party(.) },
      'addressees': array{ tk:letter-parties($desc, 'addressee') ! h:party(.) },
      'sent': h:action-facts($desc, 'sent'),
      'received': h:action-facts($desc, 'received')
    }"/>
  </xsl:function>

  <xsl:function name="h:party" as="map(*)">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="m" as="map(*)?" select="h:mention($el)"/>
    <xsl:sequence select="map{
      'name': ($m?data?name, normalize-space(h:text-of($el)))[. != ''][1],
      'text': normalize-space(h:text-of($el)),
      'id': ($m?id, '')[1],
      'type': ($m?type, if ($el/self::tei:orgName) then 'org' else 'person')[1],
      'href': ($m?href, '')[1],
      'sort': ($m?data?sort, '')[1],
      'evidence': string(($el/@evidence, $el/@cert)[1])
    }"/>
  </xsl:function>

  <xsl:function name="h:action-facts" as="map(*)">
    <xsl:param name="desc" as="element(tei:correspDesc)"/>
    <xsl:param name="action" as="xs:string"/>
    <xsl:sequence select="map{
      'places': array{ tk:letter-places($desc, $action) ! h:party(.) },
      'dates': array{ tk:letter-dates($desc, $action) ! map:merge((
        map{'label': h:letter-date(.)},
        (@when, @from, @to, @notBefore, @notAfter) ! map{local-name(): string(.)})) }
    }"/>
  </xsl:function>

  <!-- ===== the data of a file's entries (page='entries') ===== -->

  <xsl:function name="h:entries" as="array(*)">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:sequence select="array{
      $doc//(tei:person | tei:personGrp | tei:place | tei:org | tei:event | tei:bibl | tei:biblStruct)[@xml:id]
        ! h:entry-export(.) }"/>
  </xsl:function>

  <xsl:function name="h:entry-export" as="map(*)">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="data" as="map(*)" select="h:entry-data($entry, h:entity-type((), $entry))"/>
    <xsl:variable name="name-els" as="element()*"
      select="$entry/(tei:persName | tei:placeName | tei:orgName | tei:name | tei:geogName | tei:title | tei:eventName)"/>
    <xsl:variable name="geo" as="xs:string?" select="normalize-space(($entry/tei:location/tei:geo)[1])[. != '']"/>
    <xsl:sequence select="map:merge((
      $data,
      map{
        'id': string($entry/@xml:id),
        'key': h:sort-key(($data?sort, $data?name, string($entry/@xml:id))[1]),
        'initial': h:initial-of(h:sort-key(($data?sort, $data?name, string($entry/@xml:id))[1])),
        'names': array{ if (count($name-els) lt 2) then () else distinct-values(
          $name-els ! normalize-space(h:text-of(., 'normalised'))[. != ''][not(. = $data?name)]) },
        'idnos': array{ $entry/tei:idno ! [string(@type), normalize-space(.)] },
        'occupations': array{ $entry/tei:occupation ! normalize-space(h:text-of(., 'normalised'))[. != ''] }
      },
      $geo ! map{'geo': .}))"/>
  </xsl:function>
</xsl:stylesheet>
