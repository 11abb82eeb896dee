<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain text, inline level: the text of a run of nodes as one string.

  Whitespace is not settled here. The string keeps the source's whitespace and carries
  sentinel characters (noncharacters U+FDD0..U+FDD7, see text.xsl) where spacing is decided by
  markup: a line break without a word break joins, punctuation glues to its neighbour, tokens
  written side by side get a space. text-layout.xsl resolves them once the whole block is known,
  so no space is ever lost or added between words across element boundaries.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <!-- Unknown elements keep their text: the built-in rule processes their children. -->
  <xsl:mode name="tk:text-inline" on-no-match="text-only-copy"/>

  <!-- The inline text of some nodes (raw: with sentinels, whitespace unresolved). -->
  <xsl:function name="tk:text-inline" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="tk:text-inline"/>
    </xsl:variable>
    <xsl:sequence select="string-join($parts, '')"/>
  </xsl:function>

  <!-- Puts marks around a string, leaving its leading and trailing whitespace outside them:
       <q> Yes </q> gives ' “Yes” ', never '“ Yes ”' and never losing the space. -->
  <xsl:function name="tk:text-enclose" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="open" as="xs:string"/>
    <xsl:param name="close" as="xs:string"/>
    <!-- Spaces and soft spaces become ' ' (same length), then the edges are measured. -->
    <xsl:variable name="flat" as="xs:string"
      select="translate($s, '&#9;&#10;&#13;' || $tk:SOFT, '    ')"/>
    <xsl:variable name="lead-length" as="xs:integer"
      select="string-length($flat) - string-length(replace($flat, '^ +', ''))"/>
    <xsl:variable name="reversed" as="xs:string"
      select="codepoints-to-string(reverse(string-to-codepoints($flat)))"/>
    <xsl:variable name="trail-length" as="xs:integer" select="if ($lead-length = string-length($s))
      then 0 else string-length($reversed) - string-length(replace($reversed, '^ +', ''))"/>
    <xsl:variable name="lead" as="xs:string" select="substring($s, 1, $lead-length)"/>
    <xsl:variable name="core" as="xs:string" select="substring($s, $lead-length + 1,
      string-length($s) - $lead-length - $trail-length)"/>
    <xsl:variable name="trail" as="xs:string"
      select="substring($s, string-length($s) - $trail-length + 1)"/>
    <xsl:sequence select="concat($lead, $open, $core, $close, $trail)"/>
  </xsl:function>

  <!-- The same with the opening and closing strings as a pair (tk:string-around). -->
  <xsl:function name="tk:text-enclose" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="around" as="xs:string+"/>
    <xsl:sequence select="tk:text-enclose($s, $around[1], string($around[2]))"/>
  </xsl:function>

  <!-- Parentheses for a stage direction in the reading text, unless it brings its own. -->
  <xsl:function name="tk:text-stage" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="
      if ($tk:diplomatic or matches($s, '^[\s&#xFDD7;]*[(\[]')) then $s
      else tk:text-enclose($s, '(', ')')"/>
  </xsl:function>

  <!-- ==================================================================== plain content -->

  <xsl:template match="text()" mode="tk:text-inline" as="xs:string">
    <xsl:sequence select="string(.)"/>
  </xsl:template>

  <!-- Words written side by side without whitespace (w, pc, name parts) stay apart. -->
  <xsl:template match="*[tk:implicit-space(.)]" mode="tk:text-inline" priority="10"
    as="xs:string*">
    <xsl:sequence select="$tk:SOFT"/>
    <xsl:next-match/>
  </xsl:template>

  <!-- Never part of the text (header, facsimile, index terms, figure descriptions, readings
       of an apparatus other than the base text, ...). -->
  <xsl:template match="*[tk:is-omitted(.)]" mode="tk:text-inline" priority="5" as="xs:string*"/>

  <!-- Blocks met inside a paragraph-level run (a list in a note, a p in a cell): a word
       boundary on either side. -->
  <xsl:template match="*[tk:is-block-element(.)]" mode="tk:text-inline" priority="-0.25"
    as="xs:string*">
    <xsl:sequence select="$tk:SOFT, tk:text-inline(node()), $tk:SOFT"/>
  </xsl:template>

  <!-- Verse lines run into a paragraph (a poem quoted in a note): separated by slashes. -->
  <xsl:template match="tei:l" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="
      if (not($tk:diplomatic) and preceding-sibling::tei:l) then ' / ' else $tk:SOFT,
      tk:text-inline(node()), $tk:SOFT"/>
  </xsl:template>

  <xsl:template match="tei:w | tei:pc" mode="tk:text-inline" as="xs:string*">
    <xsl:variable name="join" as="xs:string" select="tk:token-join(.)"/>
    <xsl:sequence select="
      if ($join = ('left', 'both')) then $tk:GLUE-L else (),
      tk:text-inline(node()),
      if ($join = ('right', 'both')) then $tk:GLUE-R else ()"/>
  </xsl:template>

  <!-- ================================================================ editorial level -->

  <!-- The chosen reading, with the word boundaries of tk:choice-spaces around it. -->
  <xsl:template match="tei:choice" mode="tk:text-inline" as="xs:string*">
    <xsl:variable name="spaces" as="xs:boolean+" select="tk:choice-spaces(.)"/>
    <xsl:sequence select="if ($spaces[1]) then $tk:SOFT else (),
      tk:text-inline(tk:chosen(., $tk:level)/node()), if ($spaces[2]) then $tk:SOFT else ()"/>
  </xsl:template>

  <!-- Deletions: the diplomatic text shows what the source shows, marked ⟦…⟧ (Leiden); the
       reading text leaves them out. Additions are text in both. -->
  <xsl:template match="tei:del" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="if ($tk:diplomatic)
      then tk:text-enclose(tk:text-inline(node()), tk:string-around('sigla.deleted', 'text')) else ()"/>
  </xsl:template>

  <!-- An editor's expansion outside a choice: in parentheses in the diplomatic text. -->
  <xsl:template match="tei:ex" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="if ($tk:diplomatic) then concat('(', tk:text-inline(node()), ')')
                          else tk:text-inline(node())"/>
  </xsl:template>

  <xsl:template match="tei:gap" mode="tk:text-inline" as="xs:string">
    <xsl:sequence select="tk:string('sigla.gap')"/>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="tk:text-enclose(tk:text-inline(node()), tk:string-around('sigla.unclear', 'text'))"/>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="tk:text-enclose(tk:text-inline(node()), tk:string-around('sigla.supplied', 'text'))"/>
  </xsl:template>

  <!-- ================================================================== quotation marks -->

  <xsl:template match="tei:q | tei:quote | tei:said | tei:soCalled" mode="tk:text-inline"
    as="xs:string">
    <xsl:variable name="marks" as="xs:string*" select="tk:quote-marks(.)"/>
    <xsl:sequence select="tk:text-enclose(tk:text-inline(node()), $marks[1], $marks[2])"/>
  </xsl:template>

  <!-- A word or phrase mentioned (not used): between quotation marks in the reading text,
       where there are no italics to show it. -->
  <xsl:template match="tei:mentioned" mode="tk:text-inline" as="xs:string">
    <xsl:variable name="marks" as="xs:string*"
      select="if ($tk:diplomatic) then ('', '') else tk:quote-marks(.)"/>
    <xsl:sequence select="tk:text-enclose(tk:text-inline(node()), $marks[1], $marks[2])"/>
  </xsl:template>

  <!-- ============================================================ breaks and milestones -->

  <!-- A line break is a word boundary unless @break="no"; in lineated verse (lb directly in lg,
       without l), an address or the parts of a letter it is a line break of the text
       (tk:breaks-line). -->
  <xsl:template match="tei:lb" mode="tk:text-inline" as="xs:string">
    <xsl:sequence select="
      if (@break = 'no') then $tk:JOIN
      else if (tk:breaks-line(.)) then $tk:BREAK
      else $tk:SOFT"/>
  </xsl:template>

  <!-- Page breaks: a marker [p. 6] in the reading text (where the break has a number:
       tk:shows-page), nothing in the diplomatic one. -->
  <xsl:template match="tei:pb" mode="tk:text-inline" as="xs:string*">
    <xsl:variable name="edge" as="xs:string" select="if (tk:inside-word(.)) then $tk:JOIN
                                                     else $tk:SOFT"/>
    <xsl:sequence select="$edge, if ($tk:diplomatic or not(tk:shows-page(.))) then ()
                                 else (tk:text-page(.), $edge)"/>
  </xsl:template>

  <xsl:template match="tei:cb" mode="tk:text-inline" as="xs:string">
    <xsl:sequence select="if (tk:inside-word(.)) then $tk:JOIN else $tk:SOFT"/>
  </xsl:template>

  <xsl:template match="tei:space" mode="tk:text-inline" as="xs:string">
    <xsl:sequence select="$tk:SOFT"/>
  </xsl:template>

  <xsl:template match="tei:milestone | tei:anchor | tei:ptr" mode="tk:text-inline"
    as="xs:string*"/>

  <!-- A pointer without text of its own (ptr, an empty ref) to a web address: in the reading
       text the address, in angle brackets (as RFC 3986 suggests for addresses in plain text);
       to anything else (a place in the text, another file), and in the diplomatic text:
       nothing, as it is no text of the source. -->
  <xsl:template match="tei:ptr[tk:web-address(@target)] | tei:ref[tk:web-address(@target)]
    [not(normalize-space()) and not(*)]" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="if ($tk:diplomatic) then ()
                          else ($tk:SOFT, '&lt;' || tk:web-address(@target) || '&gt;')"/>
  </xsl:template>

  <!-- ========================================================== notes, stage, figures -->

  <!-- A note: a marker whose number is given once the whole text is laid out; its content goes
       to the end. None in the diplomatic text, none in header fields. A note inside a note
       runs on in parentheses. -->
  <xsl:template match="tei:note" mode="tk:text-inline" as="xs:string*">
    <xsl:choose>
      <xsl:when test="$tk:diplomatic or ancestor::tei:teiHeader"/>
      <xsl:when test="ancestor::tei:note">
        <xsl:sequence select="$tk:SOFT, '(', $tk:GLUE-R, tk:text-inline(node()), $tk:GLUE-L,
                              ')'"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$tk:GLUE-L, $tk:NOTE-START, generate-id(.), $tk:NOTE-END,
                              if (tk:space-after-call(.)) then $tk:SOFT else ()"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:stage" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="$tk:SOFT, tk:text-stage(tk:text-inline(node())), $tk:SOFT"/>
  </xsl:template>

  <xsl:template match="tei:figure" mode="tk:text-inline" as="xs:string*">
    <xsl:sequence select="$tk:SOFT,
      if ($tk:diplomatic) then tk:text-inline(tei:head) else tk:text-figure(.), $tk:SOFT"/>
  </xsl:template>
</xsl:stylesheet>
