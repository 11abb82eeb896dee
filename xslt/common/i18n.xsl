<?xml version="1.0" encoding="UTF-8"?>
<!--
  The interface's words, looked up in one way by every output. Each string the toolkit itself
  writes (a heading, a label, a tooltip, a citation's "edited by", a text edition's header) is
  a key of the catalogue (toolkit/i18n/catalogues/<language>.toml) that Python passes as
  $strings: English, overlaid by the interface language's catalogue and the project's own
  strings. Dates come formatted from Python too ($dates, made with Babel from CLDR data):
  Saxon-HE knows no month names but English, and a stylesheet never formats a date itself.

    tk:string($key)                 the string ('notes.heading' → 'Anmerkungen')
    tk:string($key, $args)          with {name} placeholders filled from $args; an integer
                                    'count' picks the plural form (key.one, key.other, …) by
                                    the language's CLDR rule, and is written with its digits
                                    grouped as the language groups them
    tk:string-parts($key, $args)    the same as text and the arguments' own items, for an
                                    argument that is markup (a <cite>, a link)
    tk:string-around($key, $name)   what the string puts before and after {name}
    tk:number($n)                   an integer as the language writes it (12.345)
    tk:list($items)                 "A, B and C" in the language's words
    tk:quoted($text)                $text in the interface language's quotation marks
    tk:term($prefix, $value)        a TEI value in words (add.place.above: "above the line")
    tk:gap-reason, tk:gap-extent,   what the editors' markup says, in words: a gap's reason
    tk:added                        and extent, an addition's place
    tk:dating($el)                  the date of an element (its @when, @from/@to,
                                    @notBefore/@notAfter or their -iso twins) in words:
                                    "27. November 1937", "zwischen 1936 und 1938"; ''
                                    when it has none; tk:has-dating($el) whether it is
                                    a date Python could word
    tk:date($iso)                   one date value in words ("27 November 1937")

  A key the catalogue lacks comes out as the key itself, visible and never an empty label
  (the tests fail on it). Quotation marks of the text itself (q, quote, soCalled) follow the
  text, not the interface: they are not here.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:function name="tk:string" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="($strings($key), $key)[1]"/>
  </xsl:function>

  <xsl:function name="tk:string" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="args" as="map(xs:string, item()*)"/>
    <xsl:sequence select="string-join(tk:string-parts($key, $args) ! string(.))"/>
  </xsl:function>

  <!-- Nodes only (text nodes for the string's own words), so that it fits wherever markup
       goes. -->
  <xsl:function name="tk:string-parts" as="node()*">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="args" as="map(xs:string, item()*)"/>
    <xsl:analyze-string select="tk:template($key, $args)" regex="\{{(\w+)\}}">
      <xsl:matching-substring>
        <xsl:variable name="value" as="item()*" select="$args(regex-group(1))"/>
        <xsl:choose>
          <xsl:when test="not(map:contains($args, regex-group(1)))"><xsl:value-of select="."/></xsl:when>
          <xsl:when test="$value instance of xs:integer"><xsl:value-of select="tk:number($value)"/></xsl:when>
          <xsl:otherwise>
            <xsl:for-each select="$value">
              <xsl:choose>
                <xsl:when test=". instance of node()"><xsl:sequence select="."/></xsl:when>
                <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:matching-substring>
      <xsl:non-matching-substring>
        <xsl:value-of select="."/>
      </xsl:non-matching-substring>
    </xsl:analyze-string>
  </xsl:function>

  <!-- The string of a key before its placeholders are filled: for an integer count, the
       plural form the language's rule chooses, else the form for other numbers. -->
  <xsl:function name="tk:template" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="args" as="map(xs:string, item()*)"/>
    <xsl:variable name="count" as="item()*" select="$args?count"/>
    <xsl:sequence select="
      if ($count instance of xs:integer)
      then ($strings($key || '.' || tk:plural($count)), $strings($key || '.other'),
            $strings($key), $key)[1]
      else ($strings($key), $key)[1]"/>
  </xsl:function>

  <!-- The CLDR plural category of a count ('one', 'few', 'many', 'other' …): Python passes
       the language's rule as an XPath expression over $n (toolkit/i18n/plurals.py). -->
  <xsl:function name="tk:plural" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:evaluate xpath="$locale?plural" with-params="map{xs:QName('n'): abs($n)}"
      as="xs:string"/>
  </xsl:function>

  <xsl:function name="tk:number" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="translate(format-integer($n, '#,##0'), ',', $locale?group)"/>
  </xsl:function>

  <!-- "A", "A and B", "A, B and C" (the CLDR list patterns of the language). -->
  <xsl:function name="tk:list" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="
      if (count($items) le 1) then string($items[1])
      else if (count($items) = 2) then tk:string('list.pair', map{'0': $items[1], '1': $items[2]})
      else fold-left(subsequence($items, 2, count($items) - 2), $items[1],
                     function($a, $b) { tk:string('list.middle', map{'0': $a, '1': $b}) })
           ! tk:string('list.end', map{'0': ., '1': $items[last()]})"/>
  </xsl:function>

  <xsl:function name="tk:quoted" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="tk:string('punct.quote', map{'text': $text})"/>
  </xsl:function>

  <!-- What a string puts before and after one of its placeholders: ('[', ']') for
       '[{text}]'; for output that wraps content of its own (the text edition's). -->
  <xsl:function name="tk:string-around" as="xs:string+">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="s" as="xs:string" select="tk:template($key, map{})"/>
    <xsl:variable name="mark" as="xs:string" select="'{' || $name || '}'"/>
    <xsl:sequence select="if (contains($s, $mark))
                          then (substring-before($s, $mark), substring-after($s, $mark))
                          else ($s, '')"/>
  </xsl:function>

  <!-- A TEI value in the interface's words: the catalogue's $prefix.$value ('add.place' and
       'above' → "above the line"), else the value as the encoder wrote it. -->
  <xsl:function name="tk:term" as="xs:string">
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="v" as="xs:string" select="normalize-space($value)"/>
    <xsl:sequence select="($strings($prefix || '.' || $v), $v)[1]"/>
  </xsl:function>

  <!-- Why text is missing (a gap's @reason, its tokens), in words; () when not said. -->
  <xsl:function name="tk:gap-reason" as="xs:string?">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="reasons" as="xs:string*"
      select="tokenize(normalize-space($gap/@reason), ' ') ! tk:term('gap.reason', .)"/>
    <xsl:sequence select="string-join($reasons, ', ')[. != '']"/>
  </xsl:function>

  <!-- How much is missing: a count of a known unit in words ("3 characters"), else the
       gap's @quantity, @extent and @unit as written; () when not said. -->
  <xsl:function name="tk:gap-extent" as="xs:string?">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="unit" as="xs:string?" select="map{
      'char': 'chars', 'chars': 'chars', 'character': 'chars', 'characters': 'chars',
      'letter': 'chars', 'letters': 'chars', 'word': 'words', 'words': 'words',
      'line': 'lines', 'lines': 'lines', 'page': 'pages', 'pages': 'pages'}
      (lower-case(normalize-space($gap/@unit)))"/>
    <xsl:sequence select="
      if (exists($unit) and normalize-space($gap/@quantity) castable as xs:integer
          and empty($gap/@extent))
      then tk:string('gap.unit.' || $unit, map{'count': xs:integer(normalize-space($gap/@quantity))})
      else string-join(($gap/@quantity, $gap/@extent, $gap/@unit) ! normalize-space(.)[. != ''],
                       ' ')[. != '']"/>
  </xsl:function>

  <!-- What an addition's note says: "added", "added above the line" (@place). -->
  <xsl:function name="tk:added" as="xs:string">
    <xsl:param name="add" as="element()"/>
    <xsl:variable name="places" as="xs:string*"
      select="tokenize(normalize-space($add/@place), ' ') ! tk:term('add.place', .)"/>
    <xsl:sequence select="if (exists($places))
      then tk:string('text.added_at', map{'place': string-join($places, ', ')})
      else tk:string('text.added')"/>
  </xsl:function>

  <!-- ============================================================================= dates -->

  <!-- The attributes that date an element, in the order Python reads them
       (toolkit/i18n/dates.py, dating_key): each the plain or the -iso form. -->
  <xsl:variable name="tk:dating-attributes" as="xs:string+"
    select="'when', 'from', 'to', 'notBefore', 'notAfter'"/>

  <!-- The values that date an element, as (name, value) pairs in tk:dating-attributes order. -->
  <xsl:function name="tk:dating-values" as="xs:string*">
    <xsl:param name="el" as="element()?"/>
    <xsl:sequence select="
      for $name in $tk:dating-attributes
      return ($el/@*[local-name() = $name][namespace-uri() = ''],
              $el/@*[local-name() = $name || '-iso'][namespace-uri() = ''])[normalize-space()][1]
             ! ($name, normalize-space(.))"/>
  </xsl:function>

  <!-- The key of an element's dating in $dates: 'when=1937-11-27',
       'notBefore=1936 notAfter=1938'; '' when it has none. -->
  <xsl:function name="tk:dating-key" as="xs:string">
    <xsl:param name="el" as="element()?"/>
    <xsl:variable name="v" as="xs:string*" select="tk:dating-values($el)"/>
    <xsl:sequence select="string-join(for $i in 1 to count($v) idiv 2
                          return $v[2 * $i - 1] || '=' || $v[2 * $i], ' ')"/>
  </xsl:function>

  <!-- Python words every dating of the document that is a date, of the entries it points at
       in other files, and the build date; anything else (a value that is no date, a stylesheet
       run by hand) shows its values as they are written. -->
  <xsl:function name="tk:dating" as="xs:string">
    <xsl:param name="el" as="element()?"/>
    <xsl:variable name="v" as="xs:string*" select="tk:dating-values($el)"/>
    <xsl:sequence select="($dates(tk:dating-key($el)),
      string-join(for $i in 1 to count($v) idiv 2 return $v[2 * $i], ' – '))[1]"/>
  </xsl:function>

  <!-- Whether Python found the element's dating to be a date it could word (a value such as
       '1846-06-31' is none). -->
  <xsl:function name="tk:has-dating" as="xs:boolean">
    <xsl:param name="el" as="element()?"/>
    <xsl:sequence select="map:contains($dates, tk:dating-key($el))"/>
  </xsl:function>

  <xsl:function name="tk:date" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="v" as="xs:string" select="normalize-space($iso)"/>
    <xsl:sequence select="if ($v = '') then '' else ($dates('when=' || $v), $v)[1]"/>
  </xsl:function>
</xsl:stylesheet>
