<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain text, the critical apparatus. The reading text follows the base reading of each entry
  (tk:shown-reading, ../common/apparatus.xsl) and ends with an apparatus section: one entry per
  line, keyed by the line of this file where its lemma begins, written as an editor writes it
  (lemma and sigla, "]", the readings with their sigla; "om." and "add." named; qualifiers,
  witness details and notes kept). The header lists the witnesses.

  With the parameter $witness the text is the text of that witness, reconstructed from the
  apparatus: its reading in each entry, nothing where it has a lacuna (marked [lacuna]) or has
  not begun or has ended (witStart, witEnd); no apparatus section.

  Line keys: each entry of the running text leaves a marker (U+FDD4, its id, U+FDD4) at the
  start of its lemma, which the layout counts as no column (text-layout.xsl); once the whole
  text is laid out, tk:text-apparatus-finish reads the line of each marker, removes them and
  writes the section where its placeholder (U+FDD4 @id U+FDD4) stands.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:fn="http://www.w3.org/2005/xpath-functions"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:variable name="tk:APP" as="xs:string" select="'&#xFDD4;'"/>

  <!-- Whether the entries of this text are keyed (the reading text of the edition). -->
  <xsl:variable name="tk:text-keyed" as="xs:boolean"
    select="not($tk:diplomatic) and $witness = ''"/>

  <xsl:key name="tk:text-by-gid" match="tei:TEI | tei:app" use="generate-id()"/>

  <!-- ================================================================ in the running text -->

  <!-- An entry: the reading shown (the base reading; a witness's in its text), after the
       marker of its line. In a note, the whole entry, as the note's words. -->
  <xsl:template match="tei:app" mode="tk:text-inline" as="xs:string*">
    <xsl:choose>
      <xsl:when test="ancestor::tei:note and tk:is-entry(.) and not($tk:diplomatic)">
        <xsl:sequence select="$tk:SOFT, tk:text-entry(.), $tk:SOFT"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:if test="$tk:text-keyed and tk:is-entry(.) and not(ancestor::tei:note)">
          <xsl:sequence select="$tk:APP || generate-id() || $tk:APP"/>
        </xsl:if>
        <xsl:apply-templates select="tk:flow-reading(.)/node()" mode="tk:text-inline"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The text of a witness: nothing where the witness has none (a lacuna, before it begins,
       after it ends); [lacuna] where a lacuna of its own begins. -->
  <xsl:template match="text()[$witness != ''][exists($tk:witness-markers)][tk:witness-absent(.)]"
    mode="tk:text-inline" priority="1" as="xs:string?"/>

  <xsl:template match="tei:lacunaStart[$witness != ''][. intersect $tk:witness-markers]"
    mode="tk:text-inline" priority="6" as="xs:string*">
    <xsl:sequence select="$tk:SOFT, '[' || tk:string('apparatus.lacuna') || ']', $tk:SOFT"/>
  </xsl:template>

  <!-- ========================================================================== entries -->

  <!-- An entry as one line of words: "virumque A] virosque B; uirumque C". -->
  <xsl:function name="tk:text-entry" as="xs:string">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:variable name="parts" as="map(*)*" select="tk:entry-parts($app)"/>
    <xsl:variable name="lemma" as="map(*)" select="$parts[?part = 'lemma']"/>
    <xsl:variable name="head" as="xs:string" select="
      if ($lemma?label = '') then ''
      else if ($lemma?empty) then $lemma?label
      else string-join(($lemma?label, tk:text-sigla($lemma?sigla)), ' ') || ']'"/>
    <xsl:variable name="readings" as="xs:string*" select="$parts[?part = 'reading'] ! (
      let $words := tk:text-reading(?reading),
          $sigla := if (exists(?wit)) then tk:plain(?wit/node()) else tk:text-sigla(?sigla)
      return string-join((
        if (?kind = 'om') then tk:string('apparatus.omitted')
        else if (?kind = 'add') then tk:string('apparatus.added') || ' ' || $words
        else $words,
        $sigla[. != ''],
        ?qualifiers ! ('(' || . || ')'),
        ?details ! ('(' || string-join((tk:text-sigla(tk:named-witnesses(.)),
                    tk:plain(node())), ' ') || ')')), ' '))"/>
    <xsl:variable name="notes" as="xs:string*"
      select="$parts[?part = 'note'] ! tk:text-tidy(tk:text-inline(?note/node()))[. != '']"/>
    <xsl:sequence select="tk:text-unmark(string-join((
      string-join(($head[. != ''], string-join($readings, '; ')), ' '),
      $notes ! ('&#x2013; ' || .)), ' '))"/>
  </xsl:function>

  <xsl:function name="tk:text-sigla" as="xs:string?">
    <xsl:param name="ids" as="xs:string*"/>
    <xsl:sequence select="if (empty($ids)) then () else string-join($ids ! tk:siglum(.), ' ')"/>
  </xsl:function>

  <!-- The words of a reading, its lacuna and fragment markers named ("lac. inc."). -->
  <xsl:function name="tk:text-reading" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:sequence select="tk:text-tidy(string-join($reading/node() ! (
      if (self::tei:lacunaStart) then ' ' || tk:string('apparatus.lacuna_start') || ' '
      else if (self::tei:lacunaEnd) then ' ' || tk:string('apparatus.lacuna_end') || ' '
      else if (self::tei:witStart) then ' ' || tk:string('apparatus.wit_start') || ' '
      else if (self::tei:witEnd) then ' ' || tk:string('apparatus.wit_end') || ' '
      else tk:text-inline(.))))"/>
  </xsl:function>

  <!-- A line without the line markers of entries, and without the space a marker standing
       between spaces leaves (it is a word of no columns to the layout). -->
  <xsl:function name="tk:text-unmark" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (not(contains($s, $tk:APP))) then $s else
      replace(replace(replace(replace($s,
        '^( *)&#xFDD4;[^&#xFDD4;]*&#xFDD4; +', '$1'),
        ' +&#xFDD4;[^&#xFDD4;]*&#xFDD4; *$', ''),
        ' &#xFDD4;[^&#xFDD4;]*&#xFDD4; ', ' '),
        '&#xFDD4;[^&#xFDD4;]*&#xFDD4;', '')"/>
  </xsl:function>

  <!-- ====================================================================== the section -->

  <!-- Where a document's apparatus section goes (after its notes): a placeholder line. -->
  <xsl:function name="tk:text-apparatus-place" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="if ($tk:text-keyed and exists(tk:entries($tei)))
                          then $tk:APP || '@' || generate-id($tei) || $tk:APP else ()"/>
  </xsl:function>

  <!-- The finished text with its entries keyed: each marker's line read, the markers removed,
       each placeholder replaced by its document's apparatus section. -->
  <xsl:function name="tk:text-apparatus-finish" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="not(contains($text, $tk:APP))">
        <xsl:sequence select="$text"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="lines" as="xs:string*" select="tokenize($text, '&#10;')"/>
        <xsl:variable name="at" as="map(xs:string, xs:integer)" select="map:merge(
          for $i in 1 to count($lines) return
            if (contains($lines[$i], $tk:APP))
            then analyze-string($lines[$i], '&#xFDD4;([^&#xFDD4;@][^&#xFDD4;]*)&#xFDD4;')
                 //fn:group[@nr = 1] ! map:entry(string(.), $i)
            else (), map{'duplicates': 'use-first'})"/>
        <xsl:sequence select="string-join($lines ! (
          if (not(contains(., $tk:APP))) then .
          else if (matches(., '^&#xFDD4;@[^&#xFDD4;]*&#xFDD4;$'))
          then tk:text-apparatus-section(key('tk:text-by-gid',
                 replace(., '^&#xFDD4;@([^&#xFDD4;]*)&#xFDD4;$', '$1'), $tk:root), $at)
          else tk:text-unmark(.)), '&#10;')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A document's apparatus: heading, then each entry under the line of its lemma. Entries
       not placed in the text say so; an entry in a reading of another (not in the edited text)
       takes the line of that one. -->
  <xsl:function name="tk:text-apparatus-section" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="at" as="map(xs:string, xs:integer)"/>
    <xsl:variable name="entries" as="element(tei:app)*" select="tk:entries($tei)"/>
    <xsl:variable name="keys" as="xs:string*" select="$entries ! (
      let $line := (ancestor-or-self::tei:app ! $at(generate-id(.)))[last()]
      return if (exists($line)) then string($line) else '&#x2013;')"/>
    <xsl:variable name="width" as="xs:integer" select="max(($keys ! string-length(.), 1))"/>
    <xsl:variable name="box" as="element()">
      <box sep="blank" kind="apparatus">
        <b kind="head" level="2" indent="0">
          <xsl:value-of select="tk:string('text.apparatus')"/>
        </b>
        <box sep="line" kind="notelist">
          <xsl:for-each select="$entries">
            <xsl:variable name="i" as="xs:integer" select="position()"/>
            <xsl:variable name="prefix" as="xs:string"
              select="tk:text-spaces($width - string-length($keys[$i])) || $keys[$i] || '  '"/>
            <b kind="note" indent="0" hang="{string-length($prefix)}" prefix="{$prefix}">
              <xsl:variable name="app" as="element(tei:app)" select="."/>
              <xsl:value-of select="string-join((tk:text-entry(.), tk:placement(.) ! ('('
                || string-join(($app/@loc ! tk:string('apparatus.locus', map{'loc': string(.)}),
                tk:string('apparatus.' || .)), ', ') || ')')), ' ')"/>
            </b>
          </xsl:for-each>
        </box>
      </box>
    </xsl:variable>
    <xsl:sequence select="tk:text-layout($box, map{})"/>
  </xsl:function>

  <!-- ======================================================================== witnesses -->

  <!-- The witnesses, for the header: "A  Codex Mediceus, Florence", one per line. -->
  <xsl:function name="tk:text-witness-lines" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="witnesses" as="element()*" select="tk:witness-list()[ancestor::* intersect $tei]"/>
    <xsl:if test="exists($witnesses) and exists(tk:entries($tei))">
      <xsl:variable name="sigla" as="xs:string*" select="$witnesses ! tk:siglum(@xml:id)"/>
      <xsl:variable name="width" as="xs:integer" select="max($sigla ! string-length(.)) + 2"/>
      <box sep="line" kind="witnesses">
        <b kind="field" indent="0" hang="0">
          <xsl:value-of select="tk:string('text.witnesses')"/>
        </b>
        <xsl:for-each select="$witnesses">
          <xsl:variable name="i" as="xs:integer" select="position()"/>
          <b kind="field" indent="0" hang="{$width}"
             prefix="{$sigla[$i] || tk:text-spaces($width - string-length($sigla[$i]))}">
            <xsl:value-of select="tk:witness-description(@xml:id)"/>
          </b>
        </xsl:for-each>
      </box>
    </xsl:if>
  </xsl:function>

  <!-- The edition line of the header of a witness's text. -->
  <xsl:function name="tk:text-witness-label" as="xs:string">
    <xsl:sequence select="tk:string('apparatus.witness_text', map{'siglum': tk:siglum($witness)})"/>
  </xsl:function>
</xsl:stylesheet>
