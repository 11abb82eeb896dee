<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain-text editions (entry point). Parameters: see ../common/params.xsl ($variant, $reading,
  $wrap, $site-title, $build-date, $base-url, $language, $source-name).

  variant="diplomatic": the text as the source has it, for comparison with it word for word.
    Original readings of every choice (sic, orig, abbr), the lemma of an apparatus; no header,
    no notes, no page markers, no bullets, no underlines; deletions kept as ⟦…⟧; one line per
    paragraph (no wrapping); prose line breaks (lb) are word boundaries, lb break="no" joins.
  variant="reading": the $reading level (normalised by default), word-wrapped at $wrap columns,
    under a header citing the source (sourceDesc) and this edition; notes as [1], [2] ... with
    the numbered notes at the end; page breaks as [p. 6]; headings underlined (= top level,
    - below); list bullets; stage directions in parentheses; deletions left out.
  Both: blocks separated by one blank line (verse lines, list items, table rows, the parts of a
    speech and of a letter's opener/closer one per line); quotation marks from q, quote, said,
    soCalled (tk:quote-marks); [...] for gap, [text] for supplied, text[?] for unclear; verse
    lines one per line (lb directly inside lg breaks the line too); speeches: the speaker on
    a line of its own, the speech indented by 4; tables as rows of cells separated by " | ".

  Pipeline: text-blocks.xsl turns TEI into a tree of boxes (mode tk:text-block), using
  text-inline.xsl for the text of each block (mode tk:text-inline); text-layout.xsl settles
  whitespace, numbers notes, wraps and joins. Projects override single templates of these modes,
  or fill the hooks tk:text-header-extra and tk:text-footer-extra (below).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:import href="../common/common.xsl"/>
  <xsl:include href="text-inline.xsl"/>
  <xsl:include href="text-blocks.xsl"/>
  <xsl:include href="text-layout.xsl"/>
  <xsl:include href="text-letters.xsl"/>
  <xsl:include href="text-apparatus.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:mode on-no-match="shallow-skip"/>
  <xsl:mode name="tk:text-document" on-no-match="shallow-skip"/>

  <xsl:key name="tk:note-by-gid" match="tei:note" use="generate-id()"/>

  <!-- ====================================================================== settings -->

  <xsl:variable name="tk:diplomatic" as="xs:boolean" select="$variant = 'diplomatic'"/>

  <!-- The reading level shown: the original in the diplomatic text, else $reading. -->
  <xsl:variable name="tk:level" as="xs:string"
    select="if ($tk:diplomatic) then 'original' else $reading"/>

  <!-- Sentinels of the inline level, resolved by tk:text-tidy. Noncharacters: never text.
       The regular expressions of text-layout.xsl write them as literal code points (spacing:
       U+FDD0-FDD3 and U+FDD7; notes: U+FDD5, U+FDD6): Saxon compiles a constant pattern once,
       a pattern built from variables on every call. -->
  <xsl:variable name="tk:JOIN" as="xs:string" select="'&#xFDD0;'"/>   <!-- no space here -->
  <xsl:variable name="tk:BREAK" as="xs:string" select="'&#xFDD1;'"/>  <!-- line break -->
  <xsl:variable name="tk:GLUE-L" as="xs:string" select="'&#xFDD2;'"/> <!-- no space before -->
  <xsl:variable name="tk:GLUE-R" as="xs:string" select="'&#xFDD3;'"/> <!-- no space after -->
  <xsl:variable name="tk:NOTE-START" as="xs:string" select="'&#xFDD5;'"/>
  <xsl:variable name="tk:NOTE-END" as="xs:string" select="'&#xFDD6;'"/>
  <xsl:variable name="tk:SOFT" as="xs:string" select="'&#xFDD7;'"/>   <!-- a word boundary -->
  <!-- All of them, U+FDD0 to U+FDD7, for the final clean-up; but U+FDD4, the line marker of
       an apparatus entry, which text-apparatus.xsl resolves last. -->
  <xsl:variable name="tk:text-sentinel-chars" as="xs:string+"
    select="(64976 to 64983)[. != 64980] ! codepoints-to-string(.)"/>

  <xsl:function name="tk:text-page" as="xs:string">
    <xsl:param name="pb" as="element()"/>
    <xsl:sequence select="tk:string('pb.numbered', map{'n': normalize-space($pb/@n)})"/>
  </xsl:function>

  <xsl:function name="tk:text-figure" as="xs:string">
    <xsl:param name="figure" as="element()"/>
    <xsl:variable name="parts" as="xs:string*" select="(
      tk:text-tidy(tk:text-inline($figure/tei:head)),
      tk:text-tidy(tk:text-inline($figure/tei:figDesc/node())))[. != '']"/>
    <xsl:sequence select="if (exists($parts))
      then tk:string('figure.described', map{'description': string-join($parts, ' &#x2014; ')})
      else tk:string('figure.undescribed')"/>
  </xsl:function>

  <!-- ========================================================================= hooks -->

  <!-- Extra lines for the header of the reading text (context: the TEI element). -->
  <xsl:template name="tk:text-header-extra" as="xs:string*"/>

  <!-- Extra lines at the end of the reading text of a document (context: the TEI element). -->
  <xsl:template name="tk:text-footer-extra" as="xs:string*"/>

  <!-- ====================================================================== document -->

  <xsl:template match="/" as="xs:string">
    <!-- error() rather than xsl:message: its description reaches the caller's exception. -->
    <xsl:if test="not($variant = ('diplomatic', 'reading'))">
      <xsl:sequence select="error(xs:QName('tk:bad-parameter'), 'the parameter variant must be '
        || '''diplomatic'' or ''reading'', not ''' || $variant || '''')"/>
    </xsl:if>
    <xsl:if test="not($reading = ('normalised', 'original'))">
      <xsl:sequence select="error(xs:QName('tk:bad-parameter'), 'the parameter reading must be '
        || '''normalised'' or ''original'', not ''' || $reading || '''')"/>
    </xsl:if>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="*" mode="tk:text-document"/>
    </xsl:variable>
    <xsl:variable name="joined" as="xs:string" select="string-join($parts[. != ''], '&#10;&#10;')"/>
    <xsl:sequence select="if ($tk:text-deferred) then $tk:LAID-OUT-BY-CALLER || $joined
                          else tk:text-apparatus-finish(tk:text-finish($joined))"/>
  </xsl:template>

  <!-- A corpus: its header, then each of its texts under its title. -->
  <xsl:template match="tei:teiCorpus" mode="tk:text-document" as="xs:string*">
    <xsl:param name="member" as="xs:boolean" select="false()"/>
    <xsl:if test="not($tk:diplomatic) and not($member)">
      <xsl:sequence select="tk:text-layout(tk:text-box('blank', 'header',
                            tk:text-header(.)), map {})"/>
    </xsl:if>
    <xsl:if test="$member">
      <xsl:sequence select="tk:text-layout(tk:text-title-heading(.), map {})"/>
    </xsl:if>
    <xsl:apply-templates select="tei:TEI | tei:teiCorpus" mode="tk:text-document">
      <xsl:with-param name="member" select="true()"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- A document: (reading) header, text, notes. -->
  <xsl:template match="tei:TEI" mode="tk:text-document" as="xs:string*">
    <xsl:param name="member" as="xs:boolean" select="false()"/>
    <xsl:variable name="body" as="element()*">
      <xsl:if test="$member">
        <xsl:sequence select="tk:text-title-heading(.)"/>
      </xsl:if>
      <xsl:apply-templates select="tei:text" mode="tk:text-block"/>
    </xsl:variable>
    <xsl:variable name="numbers" as="map(xs:string, xs:integer)"
      select="if ($tk:diplomatic) then map {} else tk:text-note-numbers($body//b ! string())"/>
    <xsl:variable name="ids" as="xs:string*" select="sort(map:keys($numbers), (), $numbers)"/>
    <xsl:if test="not($tk:diplomatic) and not($member)">
      <xsl:sequence select="tk:text-layout(tk:text-box('blank', 'header', tk:text-header(.)),
                            $numbers)"/>
    </xsl:if>
    <xsl:sequence select="$body ! tk:text-layout(., $numbers)"/>
    <xsl:if test="exists($ids)">
      <xsl:variable name="root" as="node()" select="root(.)"/>
      <xsl:variable name="notes" as="element()">
        <box sep="blank" kind="notes">
          <b kind="head" level="2" indent="0"><xsl:value-of select="tk:string('notes.heading')"/></b>
          <box sep="line" kind="notelist">
            <xsl:for-each select="$ids">
              <xsl:variable name="prefix" as="xs:string" select="'[' || position() || '] '"/>
              <xsl:variable name="content" as="xs:string"
                select="tk:text-inline(key('tk:note-by-gid', ., $root)/node())"/>
              <!-- An empty note keeps its entry (its number alone), as its marker has one. -->
              <b kind="note" indent="0" hang="{string-length($prefix)}">
                <xsl:choose>
                  <xsl:when test="tk:text-tidy($content) = ''">
                    <xsl:value-of select="normalize-space($prefix)"/>
                  </xsl:when>
                  <xsl:otherwise>
                    <xsl:attribute name="prefix" select="$prefix"/>
                    <xsl:value-of select="$content"/>
                  </xsl:otherwise>
                </xsl:choose>
              </b>
            </xsl:for-each>
          </box>
        </box>
      </xsl:variable>
      <xsl:sequence select="tk:text-layout($notes, $numbers)"/>
    </xsl:if>
    <xsl:sequence select="tk:text-apparatus-place(.)"/>
    <xsl:if test="not($tk:diplomatic)">
      <xsl:variable name="extra" as="xs:string*">
        <xsl:call-template name="tk:text-footer-extra"/>
      </xsl:variable>
      <xsl:sequence select="tk:text-layout(tk:text-box('line', 'footer', $extra ! tk:text-line(.,
                            '', 0)), $numbers)"/>
    </xsl:if>
  </xsl:template>

  <!-- Anything else as the root (a bare text, a fragment, not TEI at all): its text. -->
  <xsl:template match="*" mode="tk:text-document" as="xs:string">
    <xsl:variable name="body" as="element()*">
      <xsl:apply-templates select="." mode="tk:text-block"/>
    </xsl:variable>
    <xsl:sequence select="string-join($body ! tk:text-layout(., map {}), '&#10;&#10;')"/>
  </xsl:template>

  <!-- ======================================================================== header -->

  <xsl:function name="tk:text-title-heading" as="element()">
    <xsl:param name="tei" as="element()"/>
    <b kind="head" level="1" indent="0" hang="0">
      <xsl:value-of select="(tk:title($tei)[. != ''], $source-name)[1]"/>
    </b>
  </xsl:function>

  <!-- A line of the header, with an optional label and the text hanging under it. -->
  <xsl:function name="tk:text-line" as="element()">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="width" as="xs:integer"/>
    <b kind="field" indent="0" hang="{$width}">
      <xsl:if test="$label != ''">
        <xsl:attribute name="prefix"
          select="$label || tk:text-spaces($width - string-length($label))"/>
      </xsl:if>
      <xsl:value-of select="$text"/>
    </b>
  </xsl:function>

  <!-- The citation header of the reading text: title, authors, the source as sourceDesc
       describes it, this edition; closed by a centred * * *. -->
  <xsl:template name="tk:text-header-blocks" as="element()*">
    <xsl:context-item as="element()" use="required"/>
    <xsl:variable name="source" as="xs:string" select="tk:string('text.header.source')"/>
    <xsl:variable name="edition" as="xs:string" select="tk:string('text.header.edition')"/>
    <xsl:variable name="width" as="xs:integer"
      select="max((string-length($source), string-length($edition))) + 1"/>
    <xsl:variable name="extra" as="xs:string*">
      <xsl:call-template name="tk:text-header-extra"/>
    </xsl:variable>
    <box sep="line" kind="title">
      <b kind="title" indent="0" hang="0">
        <xsl:value-of select="(tk:title(.)[. != ''], $source-name)[1]"/>
      </b>
      <xsl:for-each select="tk:authors(.)">
        <b kind="p" indent="0" hang="0"><xsl:value-of select="."/></b>
      </xsl:for-each>
    </box>
    <box sep="line" kind="citation">
      <xsl:for-each select="tk:source-descriptions(.)">
        <xsl:variable name="citation" as="xs:string" select="tk:citation(.)"/>
        <xsl:sequence select="tk:text-line(if (matches(tk:last-char($citation), '[\p{L}\p{N}]')
          and not(matches($citation, '\S*://\S*$'))) then $citation || '.' else $citation,
          $source, $width)"/>
      </xsl:for-each>
      <xsl:sequence select="tk:text-line(string-join((
        tk:string('text.header.edition_line', map{'site': $site-title,
          'edition': tk:string('text.edition'),
          'variant': if ($witness != '') then tk:text-witness-label()
                     else tk:string('text.variant.reading'),
          'level': tk:string('text.level.' || $reading)}),
        tk:date($build-date)[. != '']), ', ') || '.'
        || (if ($base-url != '') then ' ' || $base-url else ''), $edition, $width)"/>
      <xsl:sequence select="$extra ! tk:text-line(., '', 0)"/>
    </box>
    <xsl:variable name="letter" as="xs:string*" select="tk:text-letter-lines(.)"/>
    <xsl:if test="exists($letter)">
      <box sep="line" kind="letter">
        <xsl:for-each select="$letter">
          <b kind="p" indent="0" hang="2"><xsl:value-of select="."/></b>
        </xsl:for-each>
      </box>
    </xsl:if>
    <xsl:sequence select="tk:text-witness-lines(.)"/>
    <b kind="rule" indent="{max((0, ($wrap - 5) idiv 2))}">* * *</b>
  </xsl:template>

  <xsl:function name="tk:text-header" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:for-each select="$tei">
      <xsl:call-template name="tk:text-header-blocks"/>
    </xsl:for-each>
  </xsl:function>
</xsl:stylesheet>
