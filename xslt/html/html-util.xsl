<?xml version="1.0" encoding="UTF-8"?>
<!--
  Helpers of the HTML output: element ids and anchors, URL safety, dates (<time datetime>),
  language tags and class names. No output markup except attribute nodes. The interface's
  words are looked up with tk:string (../common/i18n.xsl).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- ===== ids and anchors ===== -->

  <!-- The elements that are anchors for the registers: every one is rendered with an id, either
       its xml:id or a generated 'tk-pN'; toolkit/html/site.py links mentions to them. -->
  <xsl:variable name="h:block-names" as="xs:string*" select="
    'p', 'ab', 'head', 'l', 'item', 'stage', 'speaker', 'dateline', 'byline', 'salute', 'signed',
    'trailer', 'castItem', 'titlePart', 'docAuthor', 'docDate', 'docImprint', 'note', 'cell',
    'label', 'addrLine', 'bibl', 'docEdition', 'argument', 'epigraph'"/>

  <xsl:variable name="h:block-name-set" as="map(xs:string, xs:boolean)"
    select="map:merge($h:block-names ! map:entry(., true()))"/>

  <xsl:function name="h:is-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="$el/self::tei:* and map:contains($h:block-name-set, local-name($el))
                          and exists($el/ancestor::tei:text)"/>
  </xsl:function>

  <xsl:accumulator name="h:block" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:*[h:is-block(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <xsl:function name="h:block-id" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if ($el/@xml:id) then string($el/@xml:id)
                          else 'tk-p' || $el ! accumulator-before('h:block')"/>
  </xsl:function>

  <!-- The anchor in the page where an element (e.g. an entity mention) is: the id of the nearest
       enclosing block, or '' when there is none. -->
  <xsl:function name="h:anchor" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="block" as="element()?" select="
      ($el/ancestor-or-self::tei:*[h:is-block(.)][not(ancestor::tei:figDesc)])[last()]"/>
    <xsl:sequence select="if ($block) then h:block-id($block) else ''"/>
  </xsl:function>

  <!-- id attribute of the rendered element; suppressed (tunnel $h:ids) where a piece of text is
       rendered a second time, so ids stay unique. -->
  <xsl:template name="h:id">
    <xsl:param name="h:ids" as="xs:boolean" tunnel="yes" select="true()"/>
    <xsl:if test="$h:ids">
      <xsl:choose>
        <xsl:when test="h:is-block(.)">
          <xsl:attribute name="id" select="h:block-id(.)"/>
        </xsl:when>
        <xsl:when test="@xml:id">
          <xsl:attribute name="id" select="@xml:id"/>
        </xsl:when>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- id, lang and class for the element rendering a TEI element. -->
  <xsl:template name="h:attrs">
    <xsl:param name="class" as="xs:string*" select="()"/>
    <xsl:call-template name="h:id"/>
    <xsl:call-template name="h:lang"/>
    <xsl:call-template name="h:facs-zone"/>
    <xsl:variable name="all" as="xs:string*" select="$class, @rend ! h:rend-classes(..)"/>
    <xsl:if test="exists($all)">
      <xsl:attribute name="class" select="string-join(distinct-values($all), ' ')"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="h:lang">
    <xsl:variable name="lang" as="xs:string?" select="@xml:lang ! h:lang(.)"/>
    <xsl:if test="exists($lang)">
      <xsl:attribute name="lang" select="$lang"/>
    </xsl:if>
  </xsl:template>

  <!-- Classes from @rend/@type that the stylesheet knows how to show: a fixed list, so a TEI
       attribute never becomes arbitrary markup. -->
  <xsl:variable name="h:known-rend" as="xs:string*" select="
    'italic', 'bold', 'underline', 'smallcaps', 'small-caps', 'sup', 'superscript', 'sub',
    'subscript', 'strikethrough', 'right', 'left', 'center', 'centre', 'indent', 'noindent',
    'block', 'spaced', 'uppercase', 'large', 'small', 'i', 'b', 'u', 'sc'"/>

  <xsl:function name="h:rend-classes" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="
      distinct-values((tk:rend-tokens($el)[. = $h:known-rend], tk:alignment($el)))
      ! ('r-' || .)"/>
  </xsl:function>

  <!-- Register ids: from the pointer alone, so the page and the registers agree without looking
       the entity up. Letters, digits, '_', '.', '-' are kept; anything else becomes '-'. -->
  <xsl:function name="h:slug" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="t" as="xs:string"
      select="replace(replace(normalize-space($s), '[^\p{L}\p{N}_.\-]+', '-'), '^-+|-+$', '')"/>
    <xsl:sequence select="if ($t = '') then 'x' else $t"/>
  </xsl:function>

  <!-- ===== languages ===== -->

  <xsl:variable name="h:lang-3to2" as="map(xs:string, xs:string)" select="map{
    'lat': 'la', 'eng': 'en', 'ger': 'de', 'deu': 'de', 'fre': 'fr', 'fra': 'fr', 'ita': 'it',
    'spa': 'es', 'rus': 'ru', 'gre': 'el', 'ell': 'el', 'heb': 'he', 'ara': 'ar', 'dut': 'nl',
    'nld': 'nl', 'pol': 'pl', 'por': 'pt', 'swe': 'sv', 'dan': 'da', 'nor': 'no', 'cze': 'cs',
    'ces': 'cs', 'hun': 'hu', 'fin': 'fi', 'ukr': 'uk', 'wel': 'cy', 'cym': 'cy', 'ice': 'is',
    'isl': 'is', 'chi': 'zh', 'zho': 'zh', 'jpn': 'ja', 'tur': 'tr', 'gle': 'ga'}"/>

  <!-- Script subtags kept in language tags (others are dropped: validators check the registry). -->
  <xsl:variable name="h:scripts" as="xs:string*" select="
    'Latn', 'Cyrl', 'Grek', 'Hebr', 'Arab', 'Armn', 'Geor', 'Copt', 'Goth', 'Runr', 'Syrc',
    'Ethi', 'Deva', 'Hans', 'Hant', 'Jpan', 'Kore', 'Thai', 'Glag', 'Ogam', 'Zyyy'"/>

  <!-- The language of a piece of the TEI (its own xml:lang or the nearest ancestor's), as
       HTML's lang wants it; () when none is declared. For what is shown outside the text
       (a title, a note, an entity's data), which the page's lang (the interface's) does not
       cover. -->
  <xsl:function name="h:lang-of" as="xs:string?">
    <xsl:param name="node" as="node()?"/>
    <xsl:sequence select="h:lang(($node/ancestor-or-self::*/@xml:lang)[last()])"/>
  </xsl:function>

  <!-- A language tag HTML accepts, from an xml:lang value; () when there is none. -->
  <xsl:function name="h:lang" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="v" as="xs:string" select="normalize-space($value)"/>
    <xsl:variable name="primary" as="xs:string" select="lower-case(tokenize($v, '-')[1])"/>
    <xsl:variable name="p" as="xs:string" select="($h:lang-3to2($primary), $primary)[1]"/>
    <xsl:variable name="rest" as="xs:string*" select="tail(tokenize($v, '-'))"/>
    <xsl:sequence select="
      if (not(matches($primary, '^[a-z]{2,3}$'))) then ()
      else if (matches($v, '^[A-Za-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$')
               and (every $r in $rest satisfies (string-length($r) != 4 or $r = $h:scripts)))
        then string-join(($p, $rest), '-')
      else $p"/>
  </xsl:function>

  <!-- ===== URLs: nothing from the TEI becomes a link unless it is safe ===== -->

  <!-- An absolute http(s) or mailto URL, or (): the rule of every output (tk:link-url). -->
  <xsl:function name="h:external-url" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:sequence select="tk:link-url($url)"/>
  </xsl:function>

  <!-- A relative path to a local file below the page's folder (images), or (). -->
  <xsl:function name="h:local-path" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="u" as="xs:string" select="normalize-space($url)"/>
    <xsl:sequence select="
      if (matches($u, '^[\p{L}\p{N}_][\p{L}\p{N}_.\-]*(/[\p{L}\p{N}_][\p{L}\p{N}_.\-]*)*$')
          and not(contains($u, '..'))
          and matches(lower-case($u), '\.(png|jpe?g|gif|webp|avif)$'))
      then $u else ()"/>
  </xsl:function>

  <!-- The Wikidata page of an entity id (Q…), or (). -->
  <xsl:function name="h:wikidata-url" as="xs:string?">
    <xsl:param name="qid" as="xs:string?"/>
    <xsl:sequence select="if (matches(string($qid), '^Q[0-9]+$'))
                          then 'https://www.wikidata.org/wiki/' || $qid else ()"/>
  </xsl:function>

  <!-- ===== dates ===== -->

  <xsl:function name="h:is-datetime" as="xs:boolean">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:sequence select="matches(string($v),
      '^([0-9]{4,}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T[0-2][0-9]:[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+\-][0-2][0-9]:[0-5][0-9])?)?)?)?|--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])|[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?)$')
      and not(matches(string($v), '^0000'))"/>
  </xsl:function>

  <!-- The value for <time datetime>: @when; else the start of a range (@from, @notBefore) when
       the range lies within one day, month or year, that being its common precision; else (). -->
  <xsl:function name="h:datetime" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="when" as="xs:string?" select="($el/@when, $el/@when-iso)[1]"/>
    <xsl:variable name="start" as="xs:string?" select="($el/@from, $el/@notBefore, $el/@from-iso, $el/@notBefore-iso)[1]"/>
    <xsl:variable name="end" as="xs:string?" select="($el/@to, $el/@notAfter, $el/@to-iso, $el/@notAfter-iso)[1]"/>
    <xsl:sequence select="
      if (h:is-datetime($when)) then string($when)
      else if (h:is-datetime($start) and empty($end)) then string($start)
      else if (h:is-datetime($end) and empty($start)) then string($end)
      else if (h:is-datetime($start) and h:is-datetime($end)) then
        (for $len in (10, 7, 4)
         return if (string-length($start) ge $len and substring($start, 1, $len) = substring($end, 1, $len))
                then substring($start, 1, $len) else ())[1]
      else ()"/>
  </xsl:function>

  <!-- A readable form of an ISO date in the interface language (1937-11-27 → 27 November
       1937), as Python wrote it (tk:date). -->
  <xsl:function name="h:format-date" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="tk:date($iso)"/>
  </xsl:function>

  <!-- The year of an ISO date, for short life dates (1878–1953). -->
  <xsl:function name="h:year" as="xs:string?">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="if (matches(string($iso), '^-?[0-9]{1,4}'))
                          then replace(string($iso), '^(-?)0*([0-9]+).*$', '$1$2') else ()"/>
  </xsl:function>

  <!-- The output formats being built. -->
  <xsl:variable name="h:formats" as="xs:string*"
    select="tokenize(lower-case($formats), '[\s,]+')[. != '']"/>
</xsl:stylesheet>
