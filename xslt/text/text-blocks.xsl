<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain text, block level: TEI structure to a tree of layout boxes.

  The result is a temporary tree in no namespace, laid out by text-layout.xsl:
    <box sep="blank|line" kind="...">  children joined by a blank line or by a line break
    <b kind="p|head|line|speaker|stage|row|pb|figure|note|title|..." indent="n" hang="n"
       [level="n"] [prefix="..."] [open="..."] [close="..."]>raw inline text</b>
  indent is the first line's margin, hang the margin of the lines that follow (wrapping, hard
  breaks); prefix (a bullet, a note number) and open/close (quotation marks around a block
  quotation) are added to the text when it is laid out.

  Any element without a template here is a container: runs of inline content in it become
  paragraphs and its block children are processed in turn, so unknown elements never vanish.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:mode name="tk:text-block" on-no-match="shallow-skip"/>
  <!-- Copies a box tree, adding a prefix/opening mark to its first paragraph and a closing mark
       to its last. -->
  <xsl:mode name="tk:text-decorate" on-no-match="shallow-copy"/>

  <!-- Chameleons: blocks when they stand between blocks, inline inside a paragraph. -->
  <xsl:function name="tk:text-is-chameleon" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/(self::tei:note | self::tei:stage | self::tei:pb
      | self::tei:quote | self::tei:q | self::tei:said | self::tei:cit | self::tei:bibl
      | self::tei:label | self::tei:figure | self::tei:roleDesc | self::tei:set))"/>
  </xsl:function>

  <xsl:function name="tk:text-is-mixed" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/text()[normalize-space()])"/>
  </xsl:function>

  <!-- Whether a node starts a block of its own. $paragraph: the node is a child of a
       paragraph-level element, where chameleons stay inline. -->
  <xsl:function name="tk:text-is-block" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:param name="paragraph" as="xs:boolean"/>
    <xsl:sequence select="
      if (not($node instance of element())) then false()
      else if ($node/self::tei:note) then not($paragraph or tk:text-is-mixed($node/..))
      else if (tk:is-block-element($node) or tk:holds-blocks($node)) then true()
      else if (tk:text-is-chameleon($node)) then not($paragraph or tk:text-is-mixed($node/..))
      else false()"/>
  </xsl:function>

  <!-- Lays out a sequence of sibling nodes: runs of inline content become paragraphs (of the
       given kind), blocks are processed in block mode. -->
  <xsl:template name="tk:text-flow" as="element()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:param name="paragraph" as="xs:boolean" select="false()"/>
    <xsl:param name="kind" as="xs:string" select="'p'"/>
    <xsl:param name="hang" as="xs:integer" select="0"/>
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:choose>
      <!-- Only blocks and whitespace (a division, a speech): the blocks, written straight into
           the box that calls (no runs to group, nothing to merge, nothing copied). -->
      <xsl:when test="every $n in $nodes satisfies (if ($n instance of element())
                      then tk:text-is-block($n, $paragraph) else not($n/self::text()[normalize-space()]))">
        <xsl:apply-templates select="$nodes[self::*]" mode="tk:text-block"/>
      </xsl:when>
      <!-- Only inline content (most paragraphs): one run. -->
      <xsl:when test="every $n in $nodes[self::*] satisfies not(tk:text-is-block($n, $paragraph))">
        <xsl:sequence select="tk:text-run($nodes, $kind, $indent, $indent + $hang)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tk:text-flow-runs">
          <xsl:with-param name="nodes" select="$nodes"/>
          <xsl:with-param name="paragraph" select="$paragraph"/>
          <xsl:with-param name="kind" select="$kind"/>
          <xsl:with-param name="hang" select="$hang"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="tk:text-flow-runs" as="element()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:param name="paragraph" as="xs:boolean"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="hang" as="xs:integer"/>
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="blocks" as="element()*">
      <xsl:for-each-group select="$nodes" group-adjacent="tk:text-is-block(., $paragraph)">
        <xsl:choose>
          <xsl:when test="current-grouping-key()">
            <xsl:apply-templates select="current-group()" mode="tk:text-block"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:sequence select="tk:text-run(current-group(), $kind, $indent, $indent + $hang)"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:sequence select="if (exists($blocks[@glued])) then tk:text-merge-glued($blocks)
                          else $blocks"/>
  </xsl:template>

  <!-- A run of inline content as a paragraph of the given kind; none for whitespace only. -->
  <xsl:function name="tk:text-run" as="element()?">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="indent" as="xs:integer"/>
    <xsl:param name="hang" as="xs:integer"/>
    <xsl:if test="exists($nodes[self::* or self::text()[normalize-space()]])">
      <xsl:variable name="text" as="xs:string" select="tk:text-inline($nodes)"/>
      <b kind="{$kind}" indent="{$indent}" hang="{$hang}">
        <xsl:if test="starts-with(normalize-space(translate(substring($text, 1, 200),
                      $tk:SOFT, ' ')), $tk:GLUE-L)">
          <xsl:attribute name="glued" select="'yes'"/>
        </xsl:if>
        <xsl:value-of select="$text"/>
      </b>
    </xsl:if>
  </xsl:function>

  <!-- A run that begins with punctuation or a note marker glued to what precedes it (a comma
       tokenised outside its verse line) joins the block before it. -->
  <xsl:function name="tk:text-merge-glued" as="element()*">
    <xsl:param name="blocks" as="element()*"/>
    <xsl:iterate select="$blocks">
      <xsl:param name="prev" as="element()?" select="()"/>
      <xsl:on-completion select="$prev"/>
      <xsl:choose>
        <xsl:when test="$prev/self::b and self::b/@glued">
          <xsl:next-iteration>
            <xsl:with-param name="prev" as="element()">
              <b><xsl:copy-of select="$prev/@*"/><xsl:value-of select="$prev || ."/></b>
            </xsl:with-param>
          </xsl:next-iteration>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="$prev"/>
          <xsl:next-iteration>
            <xsl:with-param name="prev" select="."/>
          </xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <!-- ======================================================================= containers -->

  <!-- Any other element: a container (mixed content reads as a paragraph). -->
  <xsl:template match="*" mode="tk:text-block" as="element()*">
    <box sep="blank" kind="{local-name()}">
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes" select="node()"/>
        <xsl:with-param name="paragraph" select="tk:text-is-mixed(.)"/>
      </xsl:call-template>
    </box>
  </xsl:template>

  <xsl:template match="text()[normalize-space()]" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <b kind="p" indent="{$indent}" hang="{$indent}"><xsl:value-of select="."/></b>
  </xsl:template>

  <xsl:template match="*[tk:is-omitted(.)]" mode="tk:text-block" priority="5"
    as="element()*"/>

  <!-- Letters and title pages: each part on a line of its own, no blank lines between. -->
  <xsl:template match="tei:opener | tei:closer | tei:docTitle | tei:castList
    | tei:castGroup | tei:listBibl" mode="tk:text-block" as="element()">
    <box sep="line" kind="{local-name()}">
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes" select="node()"/>
        <xsl:with-param name="paragraph" select="tk:text-is-mixed(.)"/>
        <xsl:with-param name="hang" select="4"/>
      </xsl:call-template>
    </box>
  </xsl:template>

  <!-- An address, line below line (as on the page): each of its parts (addrLine, street,
       settlement ...) on a line of its own, a note or anchor with the part before it; where it
       has text of its own or line breaks, as written, each lb a new line. -->
  <xsl:template match="tei:address" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <box sep="line" kind="address">
      <xsl:choose>
        <xsl:when test="text()[normalize-space()] or tei:lb">
          <xsl:sequence select="tk:text-run(node(), 'p', $indent, $indent + 4)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each-group select="node()" group-starting-with="*[not(self::tei:note
            or self::tei:anchor or self::tei:pb or self::tei:milestone or self::tei:index)]">
            <xsl:sequence select="tk:text-run(current-group(), 'p', $indent, $indent + 4)"/>
          </xsl:for-each-group>
        </xsl:otherwise>
      </xsl:choose>
    </box>
  </xsl:template>

  <!-- ======================================================================= paragraphs -->

  <xsl:template match="tei:p | tei:ab | tei:byline | tei:dateline | tei:salute | tei:signed
    | tei:docAuthor | tei:docDate | tei:docEdition | tei:docImprint | tei:titlePart
    | tei:trailer | tei:addrLine | tei:seg | tei:castItem | tei:label | tei:bibl | tei:roleDesc | tei:set
    | tei:u | tei:camera | tei:view" mode="tk:text-block" as="element()*">
    <xsl:variable name="blocks" as="element()*">
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes" select="node()"/>
        <xsl:with-param name="paragraph" select="true()"/>
        <xsl:with-param name="hang" select="if (parent::tei:listBibl) then 4 else 0"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="if (count($blocks) = 1) then $blocks
                          else tk:text-box('blank', local-name(), $blocks)"/>
  </xsl:template>

  <xsl:function name="tk:text-box" as="element()">
    <xsl:param name="sep" as="xs:string"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="content" as="element()*"/>
    <box sep="{$sep}" kind="{$kind}"><xsl:sequence select="$content"/></box>
  </xsl:function>

  <!-- Headings: underlined in the reading text, by level (div depth). Adjacent headings
       ("Chapter I." + "A Mysterious Disappearance.") make one heading of several lines. A page
       break at the very start of a heading goes before it, not into the underlined line. -->
  <xsl:template match="tei:head[preceding-sibling::node()[not(self::comment()
    or self::text()[not(normalize-space())])][1][self::tei:head]]" mode="tk:text-block"
    priority="1" as="element()*"/>

  <xsl:template match="tei:head" mode="tk:text-block" as="element()*">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="leading-pb" as="element()*"
      select="tei:pb[not(preceding-sibling::node()[normalize-space()])]"/>
    <xsl:variable name="stop" as="node()?" select="following-sibling::node()[not(self::tei:head
      or self::comment() or self::text()[not(normalize-space())])][1]"/>
    <xsl:variable name="run" as="element()+"
      select="(., following-sibling::tei:head[empty($stop) or . &lt;&lt; $stop])"/>
    <xsl:variable name="divs" as="xs:integer"
      select="count(ancestor::*[self::tei:div or self::tei:div1 or self::tei:div2
              or self::tei:div3 or self::tei:div4 or self::tei:div5 or self::tei:div6
              or self::tei:div7])"/>
    <xsl:apply-templates select="$leading-pb" mode="tk:text-block"/>
    <xsl:variable name="text" as="xs:string"
      select="string-join($run ! tk:text-inline(node() except $leading-pb), $tk:BREAK)"/>
    <xsl:choose>
      <xsl:when test="parent::tei:div or parent::tei:div1 or parent::tei:div2
        or parent::tei:div3 or parent::tei:div4 or parent::tei:div5 or parent::tei:div6
        or parent::tei:div7 or parent::tei:body or parent::tei:front or parent::tei:back
        or parent::tei:text or parent::tei:group or parent::tei:lg or parent::tei:castList">
        <b kind="head" indent="{$indent}" hang="{$indent}"
          level="{max((1, $divs)) + (if (parent::tei:lg | parent::tei:castList) then 1 else 0)}">
          <xsl:value-of select="$text"/>
        </b>
      </xsl:when>
      <xsl:otherwise>
        <b kind="p" indent="{$indent}" hang="{$indent}"><xsl:value-of select="$text"/></b>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================================ verse -->

  <xsl:template match="tei:lg" mode="tk:text-block" as="element()">
    <box sep="{if (tei:lg and not(tei:l)) then 'blank' else 'line'}" kind="lg">
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes" select="node()"/>
        <xsl:with-param name="kind" select="'line'"/>
        <xsl:with-param name="hang" select="4"/>
      </xsl:call-template>
    </box>
  </xsl:template>

  <!-- A verse line: one line; in the reading text a long one wraps with a deeper indent. -->
  <xsl:template match="tei:l" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <b kind="line" indent="{$indent}" hang="{$indent + 4}">
      <xsl:value-of select="tk:text-inline(node())"/>
    </b>
  </xsl:template>

  <!-- ============================================================================ drama -->

  <!-- A speech: the speaker on a line of its own, what is said and done indented below. -->
  <xsl:template match="tei:sp" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <box sep="line" kind="sp">
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes" select="node()"/>
        <xsl:with-param name="indent" select="$indent + 4" tunnel="yes"/>
      </xsl:call-template>
    </box>
  </xsl:template>

  <xsl:template match="tei:speaker" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="at" as="xs:integer"
      select="if (parent::tei:sp) then max((0, $indent - 4)) else $indent"/>
    <b kind="speaker" indent="{$at}" hang="{$at + 4}">
      <xsl:value-of select="tk:text-inline(node())"/>
    </b>
  </xsl:template>

  <xsl:template match="tei:stage" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <b kind="stage" indent="{$indent}" hang="{$indent + 1}">
      <xsl:value-of select="tk:text-stage(tk:text-inline(node()))"/>
    </b>
  </xsl:template>

  <!-- ============================================================= lists and tables -->

  <!-- Items one per line: "- " or "1. " in the reading text, a label where the source has one;
       the diplomatic text adds no bullets. Continuation lines hang under the item's text. -->
  <xsl:template match="tei:list" mode="tk:text-block" as="element()">
    <xsl:variable name="ordered" as="xs:boolean"
      select="@type = ('ordered', 'numbered')
              or matches(@rend, 'numbered|ordered|decimal|arabic')"/>
    <xsl:variable name="list" as="element()" select="."/>
    <box sep="line" kind="list">
      <xsl:for-each select="node()[self::* or normalize-space()]">
        <xsl:choose>
          <xsl:when test="self::tei:item">
            <xsl:variable name="label" as="element()?"
              select="preceding-sibling::*[1][self::tei:label]"/>
            <xsl:variable name="prefix" as="xs:string" select="
              if ($label) then tk:text-tidy(tk:text-inline($label)) || ' '
              else if ($tk:diplomatic) then ''
              else if ($ordered) then (if (@n) then string(@n) else
                string(count(preceding-sibling::tei:item) + 1)) || '. '
              else '- '"/>
            <xsl:call-template name="tk:text-item">
              <xsl:with-param name="prefix" select="if ($prefix = ' ') then '' else $prefix"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:when test="self::tei:label[following-sibling::*[1][self::tei:item]]"/>
          <xsl:when test="self::tei:head">
            <xsl:call-template name="tk:text-flow">
              <xsl:with-param name="nodes" select="node()"/>
              <xsl:with-param name="paragraph" select="true()"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="tk:text-flow">
              <xsl:with-param name="nodes" select="."/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </box>
  </xsl:template>

  <!-- An item (or anything else given a prefix): its blocks, indented under the prefix. -->
  <xsl:template name="tk:text-item" as="element()*">
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="width" as="xs:integer"
      select="let $w := string-length($prefix) return if ($w gt 12) then 4 else $w"/>
    <xsl:variable name="blocks" as="element()*">
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes" select="node()"/>
        <xsl:with-param name="paragraph" select="true()"/>
        <xsl:with-param name="indent" select="$indent + $width" tunnel="yes"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:apply-templates select="$blocks" mode="tk:text-decorate">
      <xsl:with-param name="first" select="($blocks/descendant-or-self::b)[1]" tunnel="yes"/>
      <xsl:with-param name="prefix" select="$prefix" tunnel="yes"/>
      <xsl:with-param name="at" select="$indent" tunnel="yes"/>
    </xsl:apply-templates>
  </xsl:template>

  <xsl:template match="b" mode="tk:text-decorate" as="element()">
    <xsl:param name="first" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="last" as="element()?" tunnel="yes" select="()"/>
    <xsl:param name="prefix" as="xs:string" tunnel="yes" select="''"/>
    <xsl:param name="at" as="xs:integer?" tunnel="yes" select="()"/>
    <xsl:param name="open" as="xs:string" tunnel="yes" select="''"/>
    <xsl:param name="close" as="xs:string" tunnel="yes" select="''"/>
    <xsl:copy>
      <xsl:copy-of select="@*"/>
      <xsl:if test=". is $first">
        <xsl:if test="$prefix != ''"><xsl:attribute name="prefix" select="$prefix"/></xsl:if>
        <xsl:if test="exists($at)"><xsl:attribute name="indent" select="$at"/></xsl:if>
        <xsl:if test="$open != ''"><xsl:attribute name="open" select="$open"/></xsl:if>
      </xsl:if>
      <xsl:if test=". is $last and $close != ''">
        <xsl:attribute name="close" select="$close"/>
      </xsl:if>
      <xsl:copy-of select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Tables: a row per line, cells separated by " | ". -->
  <xsl:template match="tei:table" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <box sep="line" kind="table">
      <xsl:for-each select="tei:head | tei:row">
        <b kind="{if (self::tei:row) then 'row' else 'p'}" indent="{$indent}"
          hang="{$indent + 2}">
          <xsl:value-of select="if (self::tei:head) then tk:text-inline(node())
            else string-join(tei:cell ! tk:text-tidy(tk:text-inline(node())), ' | ')"/>
        </b>
      </xsl:for-each>
    </box>
  </xsl:template>

  <!-- ===================================================================== chameleons -->

  <!-- A block quotation (or q, said holding paragraphs): quotation marks around the whole;
       quote and cit are indented. -->
  <xsl:template match="tei:quote | tei:q | tei:said | tei:cit | tei:epigraph"
    mode="tk:text-block" as="element()*">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="marks" as="xs:string*"
      select="if (self::tei:cit | self::tei:epigraph) then ('', '') else tk:quote-marks(.)"/>
    <xsl:variable name="blocks" as="element()*">
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes" select="node()"/>
        <xsl:with-param name="paragraph" select="tk:text-is-mixed(.)"/>
        <xsl:with-param name="indent" tunnel="yes"
          select="if (self::tei:q or self::tei:said) then $indent else $indent + 4"/>
      </xsl:call-template>
    </xsl:variable>
    <box sep="blank" kind="{local-name()}">
      <xsl:apply-templates select="$blocks" mode="tk:text-decorate">
        <xsl:with-param name="first" select="($blocks/descendant-or-self::b)[1]" tunnel="yes"/>
        <xsl:with-param name="last" select="($blocks/descendant-or-self::b)[last()]"
          tunnel="yes"/>
        <xsl:with-param name="open" select="$marks[1]" tunnel="yes"/>
        <xsl:with-param name="close" select="$marks[2]" tunnel="yes"/>
      </xsl:apply-templates>
    </box>
  </xsl:template>

  <!-- A page break between blocks: a line of its own in the reading text (where it has a
       number: tk:shows-page). -->
  <xsl:template match="tei:pb" mode="tk:text-block" as="element()*">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:if test="not($tk:diplomatic) and tk:shows-page(.)">
      <b kind="pb" indent="{$indent}" hang="{$indent}"><xsl:value-of select="tk:text-page(.)"/></b>
    </xsl:if>
  </xsl:template>

  <!-- A note between blocks (not anchored in a sentence, e.g. the endnotes of a novel in
       back) stays where it is: under the label the text refers to it by (its @n, or the text
       of a ref pointing at it, such as "[1]"), else bracketed as [Note: ...]. -->
  <xsl:template match="tei:note" mode="tk:text-block" as="element()*">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <xsl:variable name="called" as="xs:string" select="normalize-space((@n,
      tk:referrers(.)[normalize-space()][1])[1])"/>
    <xsl:variable name="label" as="xs:string" select="
      if ($called = '') then '' else if (matches($called, '^\[.*\]$')) then $called
      else '[' || $called || ']'"/>
    <xsl:if test="not($tk:diplomatic)">
      <xsl:choose>
        <xsl:when test="$label != ''">
          <b kind="note" indent="{$indent}" hang="{$indent + string-length($label) + 1}"
            prefix="{$label} ">
            <xsl:value-of select="tk:text-inline(node())"/>
          </b>
        </xsl:when>
        <xsl:otherwise>
          <b kind="note" indent="{$indent}" hang="{$indent + 1}">
            <xsl:value-of select="tk:text-enclose(tk:text-inline(node()),
                                  tk:string-around('notes.inline', 'text'))"/>
          </b>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <!-- A figure: [Figure: heading — description] in the reading text, then any text it holds;
       the diplomatic text keeps only the figure's own text (heading, paragraphs). -->
  <xsl:template match="tei:figure" mode="tk:text-block" as="element()">
    <xsl:param name="indent" as="xs:integer" tunnel="yes" select="0"/>
    <box sep="blank" kind="figure">
      <xsl:if test="not($tk:diplomatic)">
        <b kind="figure" indent="{$indent}" hang="{$indent + 1}">
          <xsl:value-of select="tk:text-figure(.)"/>
        </b>
      </xsl:if>
      <xsl:call-template name="tk:text-flow">
        <xsl:with-param name="nodes"
          select="node()[not(self::tei:head and not($tk:diplomatic))]"/>
      </xsl:call-template>
    </box>
  </xsl:template>
</xsl:stylesheet>
