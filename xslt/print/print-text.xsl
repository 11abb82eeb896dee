<?xml version="1.0" encoding="UTF-8"?>
<!--
  The text of the print edition in the default mode: TEI elements become HTML for print.css.

  HTML parsers close an open <p> at any block element, so inside a paragraph (tunnel parameter
  in-p) block-like TEI (lists, tables, verse, quotations, notes with paragraphs) is written as
  <span> with a class that print.css displays as a block. Notes become footnotes (float:
  footnote); the critical apparatus is print-apparatus.xsl.
  Unknown elements keep their text. Included by print.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:tkp="urn:teikit:print"
  exclude-result-prefixes="#all">

  <!-- Notes that point at the text from elsewhere (note/@target) are printed at their target. -->
  <xsl:key name="tkp:note-at" match="tei:note[@target]" use="substring-after(tokenize(@target)[1], '#')"/>

  <!-- The element a note with @target is printed at, if that element is printed. -->
  <xsl:function name="tkp:note-place" as="element()?">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:sequence select="tk:target($note, tokenize($note/@target)[1])
      [not(self::tei:note)][ancestor::tei:text][tkp:is-shown(.)]"/>
  </xsl:function>

  <!-- Block-like TEI: decides div vs. span for wrappers and unknown elements. -->
  <xsl:function name="tkp:has-blocks" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/(tei:p | tei:ab | tei:div | tei:lg | tei:l | tei:list | tei:table
      | tei:sp | tei:head | tei:quote[tkp:has-blocks(.)] | tei:floatingText | tei:figure
      | *[starts-with(local-name(), 'div')]))"/>
  </xsl:function>

  <!-- Element name for a block: a span displayed as a block when inside a paragraph. -->
  <xsl:function name="tkp:block" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="in-p" as="xs:boolean"/>
    <xsl:sequence select="if ($in-p) then 'span' else $name"/>
  </xsl:function>

  <!-- id and lang of the TEI element on the HTML one. -->
  <xsl:template as="attribute()*" name="tkp:attrs">
    <xsl:param name="class" as="xs:string?" select="()"/>
    <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="tkp:bcp47(@xml:lang)"/></xsl:if>
    <xsl:if test="$class"><xsl:attribute name="class" select="normalize-space($class)"/></xsl:if>
  </xsl:template>

  <!-- A generic wrapper: div (or span.blk inside a paragraph) around the element's content. -->
  <xsl:template name="tkp:block" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:element name="{tkp:block('div', $in-p)}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="$class || ' blk' || (@type ! (' type-' || replace(., '[^\w-]', '')))
          || (tk:alignment(.) ! (' rend-' || .))"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== Never printed ===== -->
  <xsl:template match="tei:teiHeader | tei:standOff | tei:facsimile | tei:sourceDoc | tei:fw
    | tei:index | tei:interp | tei:interpGrp | tei:link | tei:linkGrp | tei:join | tei:joinGrp
    | tei:alt | tei:altGrp | tei:span | tei:spanGrp | tei:certainty | tei:precision | tei:respons
    | tei:witDetail | tei:fs | tei:fLib | tei:fvLib | tei:timeline | tei:listAnnotation
    | tei:xenoData | tei:binaryObject | tei:cb[not(@n)] | tei:handShift | tei:caesura" as="empty-sequence()"/>

  <!-- The entity lists of a back: data for the index (tk:is-entity-list), not text. -->
  <xsl:template match="tei:*[tk:is-entity-list(.)]" priority="3" as="empty-sequence()"/>

  <!-- A note printed at its target is not printed where it stands. -->
  <xsl:template match="tei:note[@target][exists(tkp:note-place(.))]" priority="2" as="empty-sequence()"/>

  <!-- … and is printed at the end of the element it points at. -->
  <xsl:template match="*[@xml:id][key('tkp:note-at', @xml:id)[tkp:note-place(.)]]" priority="5" as="node()*">
    <xsl:variable name="notes" as="node()*">
      <xsl:apply-templates select="key('tkp:note-at', @xml:id)" mode="tkp:note"/>
    </xsl:variable>
    <xsl:variable name="out" as="node()*"><xsl:next-match/></xsl:variable>
    <xsl:variable name="last" as="element()?" select="$out[self::element()][last()]"/>
    <xsl:for-each select="$out">
      <xsl:choose>
        <xsl:when test=". is $last">
          <xsl:copy>
            <xsl:sequence select="@*, node(), $notes"/>
          </xsl:copy>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="."/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
    <xsl:if test="empty($last)"><xsl:sequence select="$notes"/></xsl:if>
  </xsl:template>

  <!-- ===== Structure ===== -->
  <xsl:template match="tei:text" as="node()*">
    <xsl:call-template name="tkp:block">
      <xsl:with-param name="class" select="'tei-text'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group | tei:floatingText | tei:argument
    | tei:epigraph | tei:trailer | tei:postscript | tei:opener | tei:closer | tei:castList
    | tei:castGroup | tei:set | tei:docImprint | tei:byline | tei:docEdition
    | tei:dateline | tei:salute | tei:signed | tei:cit | tei:listBibl | tei:titlePage | tei:docTitle" as="node()*">
    <xsl:call-template name="tkp:block"/>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('section', $in-p)}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'div blk' || (@type ! (' type-' || replace(., '[^\w-]', '')))"/>
      </xsl:call-template>
      <!-- A numbered section without a heading (classical texts): its number in the margin. -->
      <xsl:if test="@n and not(tei:head) and not(*[1][self::tei:milestone or self::tei:pb])">
        <span class="section-mark" aria-hidden="true"><xsl:value-of select="@n"/></span>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- Heading levels: h1 is the title page; heads of the body itself are h2 and push the
       divisions one level down. -->
  <xsl:template match="tei:head" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="divs" as="xs:integer"
      select="count(ancestor::*[self::tei:div or matches(local-name(), '^div\d$')])"/>
    <xsl:variable name="outer" as="xs:integer"
      select="if (ancestor::*[self::tei:body or self::tei:front or self::tei:back][1]/tei:head) then 1 else 0"/>
    <xsl:variable name="name" as="xs:string" select="
      if ($in-p or not(parent::*[self::tei:div or matches(local-name(), '^div\d$') or self::tei:body
          or self::tei:front or self::tei:back or self::tei:group or self::tei:text]))
      then tkp:block('div', $in-p)
      else 'h' || min((max(($divs + $outer, 1)) + 1, 6))"/>
    <xsl:element name="{$name}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'head head-' || local-name(..) || ' blk'
          || (@type ! (' type-' || replace(., '[^\w-]', '')))"/>
      </xsl:call-template>
      <xsl:apply-templates>
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($in-p) then 'span' else 'p'}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'p blk' || (@rend ! (' rend-' || replace(., '[^\w-]', '')))"/>
      </xsl:call-template>
      <xsl:apply-templates>
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Tokens and name parts written without whitespace between them are still words. -->
  <xsl:template match="tei:*[tk:implicit-space(.)]" priority="20" as="node()*">
    <xsl:if test="tk:space-before(.)"><xsl:text> </xsl:text></xsl:if>
    <xsl:next-match/>
  </xsl:template>

  <!-- ===== Text nodes and breaks ===== -->
  <!-- Whitespace is settled as in every output (tk:text-spaced: a word broken at a line end
       printed whole, a note's call sticking to its word so that it cannot open a line of its
       own) and collapsed: WeasyPrint 70 breaks a footnote's line at a newline character. -->
  <xsl:template match="text()" as="node()*">
    <xsl:value-of select="replace(tk:text-spaced(.), '\s+', ' ')"/>
  </xsl:template>

  <!-- Line breaks of the source matter in verse-like and address-like places only. -->
  <xsl:template match="tei:lb" as="node()*">
    <xsl:choose>
      <xsl:when test="@break = 'no'"/>
      <xsl:when test="tk:breaks-line(.) or ancestor::*[self::tei:head or self::tei:titlePage]"><br/></xsl:when>
      <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A page break of the source: a bar in the text where inside running text, the page number
       in the margin. -->
  <xsl:template match="tei:pb" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:if test="tk:shows-page(.)">
      <span class="pb" aria-hidden="true">
        <xsl:call-template name="tkp:attrs"/>
        <xsl:attribute name="class" select="if ($in-p) then 'pb pb-inline' else 'pb'"/>
        <xsl:if test="$in-p"><span class="pb-bar">|</span></xsl:if>
        <span class="pb-mark">
          <xsl:value-of select="tk:string('pb.numbered', map{'n': string(@n)})"/>
        </span>
      </span>
    </xsl:if>
  </xsl:template>

  <!-- Chapters and the like (milestone, column breaks) in the right margin, named by unit. -->
  <xsl:template match="tei:milestone[@n] | tei:cb[@n]" as="node()*">
    <!-- marks that follow one another (a column break, then a chapter) take a line each,
         where they would stand on one another -->
    <xsl:variable name="before" as="xs:integer" select="count(tkp:marks-before(.))"/>
    <span class="milestone-mark" aria-hidden="true">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'milestone-mark' || (if ($before gt 0)
          then ' mark-' || min(($before + 1, 3)) else '')"/>
      </xsl:call-template>
      <xsl:value-of select="if (self::tei:cb and empty(@unit)) then tk:string('pb.column', map{'n': string(@n)})
                            else string-join((@unit ! tk:term('milestone.unit', .), @n), ' ')"/>
    </span>
  </xsl:template>

  <!-- The margin marks just before $mark, with nothing but white space between. -->
  <xsl:function name="tkp:marks-before" as="element()*">
    <xsl:param name="mark" as="element()"/>
    <xsl:variable name="prev" as="node()?"
      select="$mark/preceding-sibling::node()[not(self::text()[not(normalize-space())])][1]"/>
    <xsl:sequence select="if ($prev[self::tei:milestone[@n] or self::tei:cb[@n]])
                          then (tkp:marks-before($prev), $prev) else ()"/>
  </xsl:function>

  <xsl:template match="tei:milestone | tei:anchor" as="node()*">
    <xsl:if test="@xml:id"><span id="{@xml:id}" class="anchor"/></xsl:if>
  </xsl:template>

  <!-- ===== Notes (the apparatus: print-apparatus.xsl) ===== -->
  <xsl:template match="tei:note" as="node()*">
    <xsl:apply-templates select="." mode="tkp:note"/>
    <xsl:if test="tk:space-after-call(.)"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- WeasyPrint cannot break a footnote across pages: a note too long for one page is printed
       after the text instead, its call a letter. -->
  <xsl:variable name="tkp:endnote-chars" as="xs:integer" select="2500"/>
  <xsl:variable name="tkp:endnotes" as="element(tei:note)*"
    select="//tei:text//tei:note[not(ancestor::tei:note or ancestor::tei:rdg or ancestor::tei:rdgGrp)]
            [string-length(normalize-space(.)) gt $tkp:endnote-chars][tkp:is-shown(.)]"/>

  <xsl:function name="tkp:endnote-label" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="n" as="xs:integer?"
      select="(for $i in 1 to count($tkp:endnotes) return $i[$tkp:endnotes[$i] is $note])[1]"/>
    <xsl:number value="$n" format="a"/>
  </xsl:function>

  <xsl:template match="tei:note" mode="tkp:note" as="node()*">
    <xsl:param name="in-note" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:choose>
      <xsl:when test="exists($tkp:endnotes[. is current()]) and not($in-note)">
        <xsl:variable name="label" as="xs:string" select="tkp:endnote-label(.)"/>
        <a class="endnote-call" id="tk-enc-{$label}" href="#tk-en-{$label}">
          <sup><xsl:value-of select="$label"/></sup>
        </a>
      </xsl:when>
      <xsl:when test="$in-note">
        <!-- A note in a note cannot be a footnote: it is printed in brackets. -->
        <span class="note-inline">
          <xsl:call-template name="tkp:attrs"/>
          <xsl:text> [</xsl:text>
          <xsl:apply-templates/>
          <xsl:text>]</xsl:text>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="tkp:attrs">
            <xsl:with-param name="class" select="'fn' || (@type ! (' fn-' || replace(., '[^\w-]', '')))"/>
          </xsl:call-template>
          <xsl:apply-templates>
            <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
            <xsl:with-param name="in-note" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The notes too long for the foot of a page. -->
  <xsl:template name="tkp:endnotes" as="node()*">
    <xsl:if test="exists($tkp:endnotes)">
      <section class="endnotes" lang="{$tkp:text-lang}">
        <h2 lang="{$language}"><xsl:value-of select="tk:string('notes.longer')"/></h2>
        <xsl:for-each select="$tkp:endnotes">
          <xsl:variable name="label" as="xs:string" select="tkp:endnote-label(.)"/>
          <div class="endnote" id="tk-en-{$label}">
            <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="tkp:bcp47(@xml:lang)"/></xsl:if>
            <a class="endnote-back" href="#tk-enc-{$label}"><xsl:value-of select="$label"/></a>
            <xsl:text> </xsl:text>
            <xsl:apply-templates>
              <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
              <xsl:with-param name="in-note" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
          </div>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== The editorial level ===== -->
  <xsl:template match="tei:choice" as="node()*">
    <xsl:variable name="spaces" as="xs:boolean+" select="tk:choice-spaces(.)"/>
    <xsl:if test="$spaces[1]"><xsl:text> </xsl:text></xsl:if>
    <xsl:apply-templates select="tk:chosen(., $reading)"/>
    <xsl:if test="$spaces[2]"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- A seg that @rend lays out as a block (a line of a closer): a block of its own. -->
  <xsl:template match="tei:seg[tk:rend-is-block(.)]" as="node()*">
    <xsl:call-template name="tkp:block"/>
  </xsl:template>

  <!-- An address, line below line: each of its parts on a line of its own, or, where it has
       text of its own or line breaks, as written (as on the page). -->
  <xsl:template match="tei:address" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('div', $in-p)}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'address blk' || (tk:alignment(.) ! (' rend-' || .))"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="text()[normalize-space()] or tei:lb">
          <xsl:apply-templates/>
        </xsl:when>
        <xsl:otherwise>
          <!-- address lines are blocks here; the other parts are lines by a break between -->
          <xsl:variable name="marks" as="element()*" select="tei:note | tei:anchor | tei:pb
                        | tei:milestone | tei:index"/>
          <xsl:for-each select="node()">
            <xsl:if test="(self::* except ($marks | tei:addrLine))
                          and (preceding-sibling::* except $marks)[last()][not(self::tei:addrLine)]"><br/></xsl:if>
            <xsl:apply-templates select="."/>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:element>
  </xsl:template>

  <!-- An address line: always a line (also where it stands outside an address). -->
  <xsl:template match="tei:addrLine" as="node()*">
    <xsl:call-template name="tkp:block"/>
  </xsl:template>

  <xsl:template match="tei:sic | tei:corr | tei:orig | tei:reg | tei:abbr | tei:expan | tei:ex
    | tei:am | tei:subst | tei:add | tei:damage | tei:surplus | tei:seg | tei:w | tei:c | tei:pc
    | tei:g | tei:unclear | tei:secl | tei:restore | tei:orgName[not(@ref or @key)] | tei:rs[not(@ref or @key)]" as="node()*">
    <span>
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:del" as="node()*">
    <s class="del"><xsl:call-template name="tkp:attrs"/><xsl:apply-templates/></s>
  </xsl:template>

  <xsl:template match="tei:supplied" as="node()*">
    <xsl:variable name="content" as="item()*"><xsl:apply-templates/></xsl:variable>
    <span class="supplied"><xsl:call-template name="tkp:attrs"/><xsl:sequence select="tk:string-parts('sigla.supplied', map{'text': $content})"/></span>
  </xsl:template>

  <xsl:template match="tei:gap" as="node()*">
    <span class="gap" title="{string-join((tk:string('text.gap'), tk:gap-reason(.), tk:gap-extent(.)), '; ')}"><xsl:value-of select="tk:string('sigla.gap')"/></span>
  </xsl:template>

  <xsl:template match="tei:space" as="node()*">
    <span class="space"><xsl:text>   </xsl:text></span>
  </xsl:template>

  <!-- ===== Names: anchors for the index ===== -->
  <xsl:template match="*[tkp:is-mention(.)]" priority="1" as="node()*">
    <span id="{tkp:mention-id(.)}">
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="tkp:bcp47(@xml:lang)"/></xsl:if>
      <xsl:attribute name="class" select="'name ' || local-name()"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName
    | tei:settlement | tei:country | tei:region | tei:bloc | tei:district | tei:roleName
    | tei:forename | tei:surname | tei:addName | tei:genName | tei:nameLink | tei:date | tei:time
    | tei:num | tei:measure | tei:term | tei:gloss | tei:origDate | tei:origPlace | tei:affiliation" as="node()*">
    <span>
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- ===== Phrase level ===== -->
  <xsl:template match="tei:hi" as="node()*">
    <xsl:variable name="rend" as="xs:string*" select="tokenize(lower-case(string-join((@rend, @rendition ! replace(., '#', '')), ' ')), '[\s,;()]+')[.]"/>
    <xsl:variable name="classes" as="xs:string*" select="
      for $r in $rend return
        if ($r = ('i', 'it', 'ital', 'italic', 'italics', 'slanted', 'oblique')) then 'r-italic'
        else if ($r = ('b', 'bold', 'strong')) then 'r-bold'
        else if ($r = ('sup', 'super', 'superscript', 'sup.')) then 'r-sup'
        else if ($r = ('sub', 'subscript')) then 'r-sub'
        else if ($r = ('u', 'ul', 'underline', 'underlined')) then 'r-underline'
        else if ($r = ('sc', 'smallcaps', 'small-caps', 'smcap', 'smcaps')) then 'r-smallcaps'
        else if ($r = ('caps', 'allcaps', 'uppercase')) then 'r-caps'
        else if ($r = ('spaced', 'letterspace', 'letter-spaced', 'gesperrt', 'g', 'expanded', 'spaced-out')) then 'r-spaced'
        else if ($r = ('strike', 'strikethrough', 'line-through', 'overstrike')) then 'r-strike'
        else if ($r = ('roman', 'rm', 'normal', 'upright')) then 'r-roman'
        else if ($r = ('large', 'larger', 'big')) then 'r-large'
        else if ($r = ('small', 'smaller')) then 'r-small'
        else if ($r = ('center', 'centre', 'centered')) then 'r-center'
        else ()"/>
    <xsl:variable name="tag" as="xs:string" select="
      if ($classes = 'r-sup') then 'sup' else if ($classes = 'r-sub') then 'sub' else 'span'"/>
    <xsl:element name="{$tag}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="string-join(('hi', if (empty($classes)) then 'r-default' else $classes), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:emph | tei:mentioned | tei:foreign[@rend = 'italic'] | tei:distinct" as="node()*">
    <em class="{local-name()}"><xsl:call-template name="tkp:attrs"/><xsl:apply-templates/></em>
  </xsl:template>

  <xsl:template match="tei:foreign | tei:lang" as="node()*">
    <span><xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Titles in italics; titles of articles and unpublished pieces in quotation marks. -->
  <xsl:template match="tei:title" as="node()*">
    <xsl:choose>
      <xsl:when test="@level = ('a', 'u')">
        <span><xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'title title-a'"/></xsl:call-template>
          <xsl:text>“</xsl:text><xsl:apply-templates/><xsl:text>”</xsl:text></span>
      </xsl:when>
      <xsl:otherwise>
        <i><xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'title'"/></xsl:call-template><xsl:apply-templates/></i>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Quotation marks come from markup, decided in the common layer. -->
  <xsl:template match="tei:soCalled | tei:q | tei:said | tei:quote[not(tkp:has-blocks(.))][not(@rend = 'block')]" priority="0.6" as="node()*">
    <xsl:variable name="marks" as="xs:string*" select="tk:quote-marks(.)"/>
    <span>
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      <xsl:value-of select="$marks[1]"/>
      <xsl:apply-templates/>
      <xsl:value-of select="$marks[2]"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q[tkp:has-blocks(.)] | tei:said[tkp:has-blocks(.)]" priority="0.5" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('blockquote', $in-p)}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'quote-block blk'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:ref | tei:ptr" as="node()*">
    <xsl:param name="in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="target" as="xs:string?" select="tokenize(@target)[1]"/>
    <xsl:variable name="local" as="element()?" select="tk:target(., $target)"/>
    <xsl:choose>
      <xsl:when test="$in-link or empty($target) or (starts-with($target, '#') and empty($local))
                      or not(starts-with($target, '#') or exists(tk:link-url($target)))">
        <span class="ref"><xsl:call-template name="tkp:attrs"/><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:when test="self::tei:ptr and $local">
        <xsl:text> (</xsl:text>
        <a class="ptr-page" href="{$target}"><xsl:value-of select="tk:string('print.see_page')"/><xsl:text> </xsl:text></a>
        <xsl:text>)</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <a class="ref" href="{$target}">
          <xsl:call-template name="tkp:attrs"/>
          <xsl:apply-templates>
            <xsl:with-param name="in-link" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
          <xsl:if test="self::tei:ptr or not(normalize-space())"><xsl:value-of select="$target"/></xsl:if>
        </a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Documentation elements (in editorial statements) -->
  <xsl:template match="tei:gi" as="node()*">
    <code class="gi">&lt;<xsl:apply-templates/>&gt;</code>
  </xsl:template>
  <xsl:template match="tei:tag" as="node()*">
    <code class="tag">&lt;<xsl:apply-templates/>&gt;</code>
  </xsl:template>
  <xsl:template match="tei:att" as="node()*">
    <code class="att">@<xsl:apply-templates/></code>
  </xsl:template>
  <xsl:template match="tei:val | tei:code | tei:ident" as="node()*">
    <code class="{local-name()}"><xsl:apply-templates/></code>
  </xsl:template>
  <xsl:template match="tei:eg | tei:egXML" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('pre', $in-p)}">
      <xsl:attribute name="class" select="'eg blk'"/>
      <xsl:value-of select="."/>
    </xsl:element>
  </xsl:template>

  <!-- ===== Verse and drama ===== -->
  <xsl:template match="tei:lg" as="node()*">
    <xsl:call-template name="tkp:block"/>
  </xsl:template>

  <xsl:template match="tei:l" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('div', $in-p)}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'l blk' || (@rend ! (' rend-' || replace(., '[^\w-]', '')))"/>
      </xsl:call-template>
      <xsl:if test="@n castable as xs:integer and xs:integer(@n) mod 5 = 0">
        <span class="lnum" aria-hidden="true"><xsl:value-of select="@n"/></span>
      </xsl:if>
      <xsl:apply-templates>
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
      <xsl:if test="following-sibling::*[1][self::tei:pc]">
        <xsl:apply-templates select="tk:line-end-punctuation(.)/node()"/>
      </xsl:if>
    </xsl:element>
  </xsl:template>

  <!-- Punctuation after a verse line is printed at its end (tk:line-end-punctuation). -->
  <xsl:template match="tei:pc[preceding-sibling::*[1][self::tei:l or self::tei:pc]]
                       [tk:ends-a-line(.)]" priority="30" as="empty-sequence()"/>

  <xsl:template match="tei:sp" as="node()*">
    <xsl:call-template name="tkp:block"/>
  </xsl:template>

  <xsl:template match="tei:speaker" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('div', $in-p)}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'speaker blk'"/></xsl:call-template>
      <xsl:apply-templates>
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Stage directions: a block between speeches, inline within a line or paragraph. -->
  <xsl:template match="tei:stage | tei:move" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($in-p) then 'span' else 'div'}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'stage' || (if ($in-p) then ' stage-inline' else ' blk')"/>
      </xsl:call-template>
      <xsl:apply-templates>
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:castItem | tei:docAuthor | tei:docDate | tei:titlePart | tei:role
    | tei:roleDesc | tei:actor" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="block" as="xs:boolean"
      select="not($in-p) and not(self::tei:role or self::tei:roleDesc or self::tei:actor)"/>
    <xsl:element name="{if ($block) then 'div' else 'span'}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="local-name() || (@type ! (' type-' || .)) || (if ($block) then ' blk' else '')"/>
      </xsl:call-template>
      <xsl:apply-templates>
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
    <xsl:if test="(self::tei:role and following-sibling::tei:roleDesc)"><xsl:text>, </xsl:text></xsl:if>
  </xsl:template>

  <!-- ===== Lists and tables ===== -->
  <xsl:template match="tei:list | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:apply-templates select="tei:head"/>
    <xsl:variable name="gloss" as="xs:boolean" select="exists(tei:label) or @type = 'gloss'"/>
    <xsl:variable name="ordered" as="xs:boolean"
      select="@rend = ('numbered', 'ordered') or @type = ('ordered', 'numbered')"/>
    <xsl:element name="{if ($in-p) then 'span' else if ($gloss) then 'dl' else if ($ordered) then 'ol' else 'ul'}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'list blk' || (if ($gloss) then ' gloss' else if ($ordered) then ' ordered' else '')
          || (@rend ! (' rend-' || replace(., '[^\w-]', '')))"/>
      </xsl:call-template>
      <xsl:apply-templates select="node() except tei:head"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:item | tei:person | tei:place | tei:org | tei:event" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="gloss" as="xs:boolean" select="exists(../tei:label) or ../@type = 'gloss'"/>
    <xsl:element name="{if ($in-p) then 'span' else if ($gloss) then 'dd' else 'li'}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'item'"/></xsl:call-template>
      <xsl:if test="@n and not($gloss)"><span class="item-n"><xsl:value-of select="@n"/> </span></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:label" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if (not($in-p) and parent::tei:list) then 'dt' else 'span'}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'label'"/></xsl:call-template>
      <xsl:apply-templates>
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:table" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($in-p) then 'span' else 'table'}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'table'"/></xsl:call-template>
      <xsl:for-each select="tei:head">
        <xsl:element name="{if ($in-p) then 'span' else 'caption'}">
          <xsl:attribute name="class" select="'caption'"/>
          <xsl:apply-templates><xsl:with-param name="in-p" select="true()" tunnel="yes"/></xsl:apply-templates>
        </xsl:element>
      </xsl:for-each>
      <xsl:element name="{if ($in-p) then 'span' else 'tbody'}">
        <xsl:attribute name="class" select="'tbody'"/>
        <xsl:apply-templates select="tei:row"/>
      </xsl:element>
    </xsl:element>
    <xsl:apply-templates select="node() except (tei:head | tei:row)"/>
  </xsl:template>

  <xsl:template match="tei:row" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($in-p) then 'span' else 'tr'}">
      <xsl:attribute name="class" select="'row' || (@role ! (' role-' || .))"/>
      <xsl:apply-templates select="tei:cell"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:cell" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="header" as="xs:boolean" select="(@role, ../@role)[1] = 'label'"/>
    <xsl:element name="{if ($in-p) then 'span' else if ($header) then 'th' else 'td'}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'cell'"/></xsl:call-template>
      <xsl:if test="not($in-p)">
        <xsl:for-each select="tk:cell-span(@cols)"><xsl:attribute name="colspan" select="."/></xsl:for-each>
        <xsl:for-each select="tk:cell-span(@rows)"><xsl:attribute name="rowspan" select="."/></xsl:for-each>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== Figures: no images in print, their description instead ===== -->
  <xsl:template match="tei:figure" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('div', $in-p)}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'figure blk'"/></xsl:call-template>
      <span class="figure-label">
        <xsl:choose>
          <xsl:when test="tei:figDesc[normalize-space()]">
            <xsl:variable name="description" as="item()*">
              <xsl:apply-templates select="tei:figDesc/node()"/>
            </xsl:variable>
            <xsl:sequence select="tk:string-parts('figure.illustration', map{'description': $description})"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="tk:string('figure.illustration_bare')"/></xsl:otherwise>
        </xsl:choose>
      </span>
      <xsl:apply-templates select="node() except (tei:figDesc | tei:graphic)">
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:graphic | tei:media" as="empty-sequence()"/>

  <!-- ===== Everything else keeps its text ===== -->
  <xsl:template match="*" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if (not($in-p) and tkp:has-blocks(.)) then 'div' else 'span'}">
      <xsl:call-template name="tkp:attrs">
        <xsl:with-param name="class" select="'tei-' || local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== Plain strings ===== -->
  <xsl:template match="tei:note | tei:fw | tei:index | tei:interp | tei:rdg | tei:rdgGrp | tei:witDetail
    | tei:figDesc | tei:teiHeader | tei:standOff" mode="tkp:plain" as="empty-sequence()"/>
  <xsl:template match="tei:choice" mode="tkp:plain" as="node()*">
    <xsl:apply-templates select="tk:chosen(., $reading)" mode="tkp:plain"/>
  </xsl:template>
  <xsl:template match="tei:app" mode="tkp:plain" as="node()*">
    <xsl:apply-templates select="tk:flow-reading(.)" mode="tkp:plain"/>
  </xsl:template>
  <xsl:template match="(tei:lb | tei:cb | tei:pb)[not(tk:inside-word(.))]" mode="tkp:plain" as="node()*">
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:soCalled | tei:q | tei:said | tei:quote" mode="tkp:plain" as="node()*">
    <xsl:variable name="marks" as="xs:string*" select="tk:quote-marks(.)"/>
    <xsl:value-of select="$marks[1]"/>
    <xsl:apply-templates mode="tkp:plain"/>
    <xsl:value-of select="$marks[2]"/>
  </xsl:template>
  <xsl:template match="*" mode="tkp:plain" as="node()*">
    <!-- Element boundaries in names and titles are word boundaries when the parts are blocks. -->
    <xsl:apply-templates mode="tkp:plain"/>
    <xsl:if test="self::tei:l or self::tei:p or self::tei:item or self::tei:titlePart"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>
</xsl:stylesheet>
