<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain text, layout: a box tree (text-blocks.xsl) to lines of text.

  Whitespace is settled per block (tk:text-tidy): runs of whitespace become one space, the
  sentinels of the inline level are resolved, the block's edges are trimmed. The reading text is
  then word-wrapped at $wrap columns (tk:text-wrap: never inside a word; a word longer than the
  line stays whole on a line of its own); the diplomatic text keeps one line per paragraph.
  Columns are Unicode characters, combining marks not counted.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:fn="http://www.w3.org/2005/xpath-functions"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <!-- ======================================================================== whitespace -->

  <!-- A block's raw inline text with whitespace settled: one space between words, no space at
       a joined line break or beside glued punctuation, a line break at a hard break, edges (of
       the block and of its lines) trimmed of every kind of space, so that a paragraph of
       no-break spaces is empty. Note markers are left for tk:text-number-notes. Saxon's regular
       expressions are slow on long strings where they match often, hence normalize-space and
       translate for the common work, and regexes only where a rare sentinel is present. -->
  <xsl:function name="tk:text-tidy" as="xs:string">
    <xsl:param name="raw" as="xs:string"/>
    <xsl:variable name="spaced" as="xs:string"
      select="normalize-space(translate($raw, $tk:SOFT, ' '))"/>
    <xsl:variable name="joined" as="xs:string" select="
      if (not(contains($spaced, $tk:JOIN))) then $spaced
      else replace($spaced, ' ?&#xFDD0; ?', '')"/>
    <xsl:variable name="glued-left" as="xs:string" select="
      if (not(contains($joined, $tk:GLUE-L))) then $joined
      else replace($joined, ' ?&#xFDD2;', '')"/>
    <xsl:variable name="glued" as="xs:string" select="
      if (not(contains($glued-left, $tk:GLUE-R))) then $glued-left
      else replace($glued-left, '&#xFDD3; ?', '')"/>
    <xsl:choose>
      <xsl:when test="contains($glued, $tk:BREAK)">
        <xsl:sequence select="tk:text-trim(string-join(tokenize($glued, $tk:BREAK)
                              ! tk:text-trim(.), '&#10;'))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="tk:text-trim($glued)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A string without spaces of any kind (and without line breaks) at its edges. -->
  <xsl:function name="tk:text-trim" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="left" as="xs:string"
      select="if (not(matches(substring($s, 1, 1), '[\p{Zs}&#10;&#xFDD0;-&#xFDD3;&#xFDD7;]')))
              then $s else replace($s, '^[\p{Zs}&#10;&#xFDD0;-&#xFDD3;&#xFDD7;]+', '')"/>
    <xsl:variable name="n" as="xs:integer" select="string-length($left)"/>
    <xsl:sequence select="
      if ($n gt 0 and matches(substring($left, $n), '[\p{Zs}&#10;&#xFDD0;-&#xFDD3;&#xFDD7;]'))
      then tk:text-trim(substring($left, 1, $n - 1))
      else $left"/>
  </xsl:function>

  <!-- The notes marked in laid-out text, numbered in the order of their first marker: a map
       from a note's generated id to its number. (Not distinct-values: its order is not
       guaranteed.) -->
  <xsl:function name="tk:text-note-numbers" as="map(xs:string, xs:integer)">
    <xsl:param name="strings" as="xs:string*"/>
    <xsl:variable name="ids" as="xs:string*" select="$strings[contains(., $tk:NOTE-START)]
      ! analyze-string(., '&#xFDD5;([^&#xFDD6;]*)&#xFDD6;')//fn:group[@nr = 1] ! string()"/>
    <xsl:sequence select="fold-left($ids, map {}, function($numbers, $id) {
      if (map:contains($numbers, $id)) then $numbers
      else map:put($numbers, $id, map:size($numbers) + 1) })"/>
  </xsl:function>

  <!-- Replaces note markers by their numbers: [1], [2], ... -->
  <xsl:function name="tk:text-number-notes" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="numbers" as="map(xs:string, xs:integer)"/>
    <xsl:sequence select="if (not(contains($s, $tk:NOTE-START))) then $s
      else string-join(analyze-string($s, '&#xFDD5;([^&#xFDD6;]*)&#xFDD6;')/* ! (
        if (self::fn:match) then '[' || $numbers(string(fn:group)) || ']' else string(.)), '')"/>
  </xsl:function>

  <!-- ========================================================================== wrapping -->

  <!-- Combining marks and the line markers of apparatus entries (text-apparatus.xsl) take no
       column. -->
  <xsl:function name="tk:text-columns" as="xs:integer">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="if (matches($s, '[\p{M}&#xFDD4;]'))
      then string-length(replace(replace($s, '&#xFDD4;[^&#xFDD4;]*&#xFDD4;', ''), '\p{M}', ''))
      else string-length($s)"/>
  </xsl:function>

  <!-- Word wrap: the lines of a text (single spaces between words) for a first line of $first
       columns and following lines of $rest columns: greedy, never inside a word, a word longer
       than the line on a line of its own. The common case (no combining marks) cuts the text
       at the last space of each line's window, by position; the general one goes word by
       word, counting columns. -->
  <xsl:function name="tk:text-wrap" as="xs:string*">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="first" as="xs:integer"/>
    <xsl:param name="rest" as="xs:integer"/>
    <xsl:variable name="n" as="xs:integer" select="string-length($text)"/>
    <xsl:variable name="single-spaced" as="xs:boolean" select="not(contains($text, '  ')
      or starts-with($text, ' ') or ends-with($text, ' '))"/>
    <xsl:choose>
      <xsl:when test="$n le $first and $single-spaced">
        <xsl:sequence select="$text[. != '']"/>
      </xsl:when>
      <xsl:when test="not($single-spaced) or matches($text, '[\p{M}&#xFDD4;]')">
        <xsl:sequence select="tk:text-wrap-words($text, $first, $rest)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:iterate select="1 to $n">
          <xsl:param name="pos" as="xs:integer" select="1"/>
          <xsl:param name="width" as="xs:integer" select="$first"/>
          <xsl:choose>
            <xsl:when test="$n - $pos + 1 le $width">
              <xsl:sequence select="substring($text, $pos)"/>
              <xsl:break/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:variable name="window" as="xs:string"
                select="substring($text, $pos, $width + 1)"/>
              <!-- The line ends before the window's last space (the window is one longer than
                   the line, so a space just after a full line counts); looked for from the
                   end, where it is found after a few characters. -->
              <xsl:variable name="space" as="xs:integer"
                select="(reverse(1 to $width + 1)[substring($window, ., 1) = ' '], 0)[1]"/>
              <xsl:variable name="length" as="xs:integer" select="
                if ($space gt 0) then $space - 1
                else string-length(substring-before(substring($text, $pos) || ' ', ' '))"/>
              <xsl:sequence select="substring($text, $pos, $length)"/>
              <xsl:choose>
                <xsl:when test="$pos + $length ge $n">
                  <xsl:break/>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:next-iteration>
                    <xsl:with-param name="pos" select="$pos + $length + 1"/>
                    <xsl:with-param name="width" select="$rest"/>
                  </xsl:next-iteration>
                </xsl:otherwise>
              </xsl:choose>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:iterate>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Wrapping and the final clean-up left to the caller ($caller-layout; not for a reading
       text with keyed apparatus entries, whose line numbers are needed here): the text starts
       with U+FDDB, and each segment to wrap is written as U+FDD8 first rest hang U+FDD9 text
       U+FDDA after its lead (toolkit/text/layout.py, which does what tk:text-wrap-lines and
       tk:text-finish do, in the same way). -->
  <xsl:variable name="tk:text-deferred" as="xs:boolean"
    select="$caller-layout and not($tk:text-keyed and exists($tk:root//tei:app))"/>
  <xsl:variable name="tk:LAID-OUT-BY-CALLER" as="xs:string" select="'&#xFDDB;'"/>

  <!-- A segment wrapped at $wrap columns: the first line after $lead ($columns wide), the
       others indented by $hang. -->
  <xsl:function name="tk:text-wrap-lines" as="xs:string*">
    <xsl:param name="segment" as="xs:string"/>
    <xsl:param name="lead" as="xs:string"/>
    <xsl:param name="columns" as="xs:integer"/>
    <xsl:param name="hang" as="xs:integer"/>
    <xsl:variable name="lines" as="xs:string*"
      select="tk:text-wrap($segment, max((20, $wrap - $columns)), max((20, $wrap - $hang)))"/>
    <xsl:sequence select="$lead || $lines[1], subsequence($lines, 2) ! (tk:text-spaces($hang) || .)"/>
  </xsl:function>

  <!-- The lines of tk:text-wrap-lines as one string, or the segment marked for the caller. -->
  <xsl:function name="tk:text-wrap-block" as="xs:string">
    <xsl:param name="segment" as="xs:string"/>
    <xsl:param name="lead" as="xs:string"/>
    <xsl:param name="columns" as="xs:integer"/>
    <xsl:param name="hang" as="xs:integer"/>
    <xsl:sequence select="if (not($tk:text-deferred))
      then string-join(tk:text-wrap-lines($segment, $lead, $columns, $hang), '&#10;')
      else concat($lead, '&#xFDD8;', max((20, $wrap - $columns)), ' ', max((20, $wrap - $hang)),
                  ' ', $hang, '&#xFDD9;', $segment, '&#xFDDA;')"/>
  </xsl:function>

  <xsl:function name="tk:text-wrap-words" as="xs:string*">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="first" as="xs:integer"/>
    <xsl:param name="rest" as="xs:integer"/>
    <xsl:variable name="marks" as="xs:boolean" select="matches($text, '[\p{M}&#xFDD4;]')"/>
    <xsl:iterate select="tokenize($text, ' ')[. != '']">
      <xsl:param name="line" as="xs:string" select="''"/>
      <xsl:param name="used" as="xs:integer" select="0"/>
      <xsl:param name="width" as="xs:integer" select="$first"/>
      <xsl:on-completion select="$line[. != '']"/>
      <xsl:variable name="word" as="xs:string" select="."/>
      <xsl:variable name="w" as="xs:integer"
        select="if ($marks) then tk:text-columns($word) else string-length($word)"/>
      <xsl:choose>
        <xsl:when test="$line = '' or $used + 1 + $w le $width">
          <xsl:next-iteration>
            <xsl:with-param name="line"
              select="if ($line = '') then $word else concat($line, ' ', $word)"/>
            <xsl:with-param name="used" select="if ($line = '') then $w else $used + 1 + $w"/>
          </xsl:next-iteration>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="$line"/>
          <xsl:next-iteration>
            <xsl:with-param name="line" select="$word"/>
            <xsl:with-param name="used" select="$w"/>
            <xsl:with-param name="width" select="$rest"/>
          </xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <xsl:function name="tk:text-spaces" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="if ($n le 64) then substring($tk:text-64-spaces, 1, $n)
                          else string-join((1 to $n) ! ' ', '')"/>
  </xsl:function>

  <xsl:variable name="tk:text-64-spaces" as="xs:string"
    select="string-join((1 to 64) ! ' ', '')"/>

  <!-- ============================================================================ layout -->

  <!-- The text of a box or block: '' when it has nothing to show. -->
  <xsl:function name="tk:text-layout" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="numbers" as="map(xs:string, xs:integer)"/>
    <xsl:sequence select="string-join(tk:text-layout-parts($node, $numbers), '')"/>
  </xsl:function>

  <!-- The same as pieces, joined once by tk:text-layout rather than at every level of boxes
       (a novel's text is not copied once for each division it is in): the texts of the parts
       that show something, with the line breaks between them. -->
  <xsl:function name="tk:text-layout-parts" as="xs:string*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="numbers" as="map(xs:string, xs:integer)"/>
    <xsl:choose>
      <xsl:when test="$node/self::box">
        <xsl:variable name="by-line" as="xs:boolean" select="$node/@sep = 'line'"/>
        <xsl:iterate select="$node/*">
          <xsl:param name="prev" as="element()?" select="()"/>
          <xsl:variable name="parts" as="xs:string*" select="tk:text-layout-parts(., $numbers)"/>
          <xsl:choose>
            <xsl:when test="empty($parts)">
              <xsl:next-iteration>
                <xsl:with-param name="prev" select="$prev"/>
              </xsl:next-iteration>
            </xsl:when>
            <xsl:otherwise>
              <xsl:if test="exists($prev)">
                <xsl:sequence select="
                  if ($by-line and not($prev/@kind = 'lg' and @kind = 'lg')) then '&#10;'
                  else if ($prev/self::b/@kind = ('line', 'note')
                           and self::b/@kind = $prev/@kind) then '&#10;'
                  else '&#10;&#10;'"/>
              </xsl:if>
              <xsl:sequence select="$parts"/>
              <xsl:next-iteration>
                <xsl:with-param name="prev" select="."/>
              </xsl:next-iteration>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:iterate>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="tk:text-block-lines($node, $numbers)[. != '']"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="tk:text-block-lines" as="xs:string">
    <xsl:param name="b" as="element()"/>
    <xsl:param name="numbers" as="map(xs:string, xs:integer)"/>
    <xsl:variable name="tidy" as="xs:string"
      select="tk:text-number-notes(tk:text-tidy(string($b)), $numbers)"/>
    <xsl:variable name="text" as="xs:string" select="
      if ($tidy = '') then ''
      else if ($b/@kind = 'speaker' and not($tk:diplomatic) and matches(tk:last-char($tidy), '[\p{L}\p{N}]'))
      then $tidy || '.'
      else $tidy"/>
    <xsl:choose>
      <xsl:when test="$text = '' and not($b/@prefix)">
        <xsl:sequence select="''"/>
      </xsl:when>
      <!-- The common case, said shortly: a plain block on one line, or one to wrap. -->
      <xsl:when test="not($b/(@prefix | @open | @close)) and not(contains($text, '&#10;'))
                      and not($b/@kind = ('head', 'title', 'rule'))">
        <xsl:variable name="indent" as="xs:integer" select="xs:integer(($b/@indent, 0)[1])"/>
        <xsl:variable name="lead" as="xs:string" select="tk:text-spaces($indent)"/>
        <xsl:sequence select="
          if ($tk:diplomatic or $wrap le 0) then $lead || $text
          else tk:text-wrap-block($text, $lead, $indent, xs:integer(($b/@hang, $indent)[1]))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="indent" as="xs:integer" select="xs:integer(($b/@indent, 0)[1])"/>
        <xsl:variable name="hang" as="xs:integer" select="xs:integer(($b/@hang, $indent)[1])"/>
        <xsl:variable name="prefix" as="xs:string" select="string($b/@prefix)"/>
        <xsl:variable name="full" as="xs:string" select="concat($b/@open, $text, $b/@close)"/>
        <xsl:variable name="wrapped" as="xs:boolean"
          select="not($tk:diplomatic) and $wrap gt 0 and not($b/@kind = 'rule')"/>
        <!-- The prefix (bullet, label, note number) goes before the first line only. -->
        <xsl:variable name="lines" as="xs:string*" select="
          let $segments := if (contains($full, '&#10;')) then tokenize($full, '&#10;')
                           else $full[. != ''] return
          for $i in 1 to count($segments) return
          let $segment := $segments[$i],
              $lead := tk:text-spaces($indent) || (if ($i = 1) then $prefix else '')
          return
            if ($segment = '') then replace($lead, ' +$', '')
            else if (not($wrapped)) then $lead || $segment
            else if ($b/@kind = ('head', 'title'))
            then tk:text-wrap-lines($segment, $lead, tk:text-columns($lead), $hang)
            else tk:text-wrap-block($segment, $lead, tk:text-columns($lead), $hang)"/>
        <xsl:variable name="underline" as="xs:string?" select="
          if ($b/@kind = ('head', 'title') and not($tk:diplomatic))
          then tk:text-spaces($indent) || string-join((1 to max($lines !
               tk:text-columns(substring(., $indent + 1)))) !
               (if ($b/@kind = 'title' or $b/@level = '1') then '=' else '-'), '')
          else ()"/>
        <xsl:sequence select="string-join(($lines, $underline), '&#10;')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The whole output: no trailing spaces, never more than one blank line in a row, no
       leading blank lines, exactly one newline at the end. Layout already guarantees most of
       this; the costly replacements only run where a check finds something to do. -->
  <xsl:function name="tk:text-finish" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="clean" as="xs:string"
      select="if (not(some $c in $tk:text-sentinel-chars satisfies contains($s, $c))) then $s
              else translate($s, string-join($tk:text-sentinel-chars), '')"/>
    <xsl:variable name="lines" as="xs:string" select="
      if (some $space in $tk:text-spaces-before-newline satisfies contains($clean, $space))
      then replace($clean, '[\p{Zs}\t]+&#10;', '&#10;') else $clean"/>
    <xsl:variable name="blank" as="xs:string" select="
      if (contains($lines, '&#10;&#10;&#10;'))
      then replace($lines, '&#10;&#10;&#10;+', '&#10;&#10;') else $lines"/>
    <xsl:sequence select="tk:text-trim-end(if (starts-with($blank, '&#10;'))
                          then replace($blank, '^&#10;+', '') else $blank) || '&#10;'"/>
  </xsl:function>

  <!-- Space characters (\p{Zs} and tab) followed by a line break: a regular expression over a
       whole text is slow in Saxon, a search for each of these strings is not. -->
  <xsl:variable name="tk:text-spaces-before-newline" as="xs:string+" select="
    (9, 32, 160, 5760, 8192 to 8202, 8239, 8287, 12288) ! (codepoints-to-string(.) || '&#10;')"/>

  <xsl:function name="tk:text-trim-end" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="n" as="xs:integer" select="string-length($s)"/>
    <xsl:sequence select="if ($n gt 0 and matches(substring($s, $n), '[\s\p{Zs}]'))
                          then tk:text-trim-end(substring($s, 1, $n - 1)) else $s"/>
  </xsl:function>
</xsl:stylesheet>
