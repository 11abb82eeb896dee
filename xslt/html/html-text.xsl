<?xml version="1.0" encoding="UTF-8"?>
<!--
  The text of a document in HTML: divisions and headings, paragraphs, inline markup, the two
  readings of a choice, quotation, dates, page breaks, drama, verse, letters, lists, tables,
  figures, and a fallback that keeps the text of any element not known here.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- ===== block or inline ===== -->

  <!-- Elements always rendered as blocks. -->
  <xsl:variable name="h:always-block" as="xs:string*" select="
    'p', 'ab', 'lg', 'l', 'list', 'table', 'figure', 'sp', 'div', 'div1', 'div2', 'div3', 'div4',
    'div5', 'div6', 'div7', 'castList', 'listBibl', 'floatingText', 'opener', 'closer',
    'postscript', 'titlePage', 'argument', 'epigraph', 'listPerson', 'listPlace', 'listOrg',
    'listEvent', 'eg', 'egXML', 'address', 'addrLine'"/>

  <!-- Always a block: by its name, or a seg that @rend lays out as one (tk:rend-is-block). -->
  <xsl:function name="h:is-always-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="local-name($el) = $h:always-block
                          or exists($el/self::tei:seg[tk:rend-is-block(.)])"/>
  </xsl:function>

  <!-- Elements that are blocks or inline depending on where they stand (speaker, stage, salute,
       dateline, bibl …): blocks when they stand alone between blocks. -->
  <xsl:variable name="h:contextual" as="xs:string*" select="
    'salute', 'signed', 'dateline', 'byline', 'trailer', 'docAuthor', 'docDate', 'docImprint',
    'docEdition', 'titlePart', 'speaker', 'stage', 'label', 'bibl', 'head'"/>

  <!-- Quotation can be inline or a block: a block when it holds blocks of its own. -->
  <xsl:variable name="h:chameleons" as="xs:string*" select="'quote', 'q', 'said', 'cit'"/>

  <!-- Parents rendered as blocks, in which a contextual element with no text beside it stands
       alone. -->
  <xsl:variable name="h:containers" as="xs:string*" select="
    'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'body', 'front', 'back',
    'text', 'group', 'opener', 'closer', 'sp', 'lg', 'castList', 'castGroup', 'postscript',
    'argument', 'epigraph', 'titlePage', 'docTitle', 'figure', 'note', 'floatingText',
    'listBibl', 'item', 'cell', 'address', 'lem', 'rdg', 'list', 'table'"/>

  <!-- Elements whose templates choose between block and inline markup themselves. -->
  <xsl:variable name="h:handles-blocks" as="xs:string*" select="
    $h:always-block, $h:contextual, $h:chameleons, $h:containers, 'soCalled', 'row', 'castItem',
    'choice', 'app', 'teiHeader', 'standOff', 'facsimile', 'sourceDoc', 'figDesc', 'fw', 'TEI',
    'teiCorpus'"/>

  <!-- Does the element hold elements that are always blocks (notes aside: shown elsewhere)? -->
  <xsl:function name="h:strict-blocks" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el//tei:*[h:is-always-block(.)]
      [not(ancestor::tei:note[. >> $el])][not(ancestor::tei:figDesc)])"/>
  </xsl:function>

  <xsl:function name="h:stands-alone" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="parent" as="element()?" select="$el/.."/>
    <xsl:sequence select="exists($parent) and not($parent/text()[normalize-space()])
      and (local-name($parent) = $h:containers
           or (local-name($parent) = $h:chameleons and h:strict-blocks($parent)))"/>
  </xsl:function>

  <!-- Does the element contain something rendered as a block? Then it cannot be an HTML <p>
       or <span>. -->
  <xsl:function name="h:has-blocks" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el//tei:*[h:is-always-block(.)
      or (local-name() = $h:contextual and h:stands-alone(.))]
      [not(ancestor::tei:note[. >> $el])][not(ancestor::tei:figDesc)])"/>
  </xsl:function>

  <!-- Any other element that holds blocks becomes a div, so the page stays valid HTML. -->
  <xsl:template match="tei:*[not(local-name() = $h:handles-blocks)][h:has-blocks(.)]" priority="5">
    <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'tei-' || h:slug(local-name())"/></xsl:call-template>
      <xsl:apply-templates/></div>
  </xsl:template>

  <!-- Tokens and name parts written without whitespace between them are still words. -->
  <xsl:template match="tei:*[tk:implicit-space(.)]" priority="20">
    <xsl:if test="tk:space-before(.)"><xsl:text> </xsl:text></xsl:if>
    <xsl:next-match/>
  </xsl:template>

  <!-- ===== structure ===== -->

  <xsl:template match="tei:text">
    <xsl:choose>
      <xsl:when test="ancestor::tei:text">
        <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'text-part'"/></xsl:call-template>
          <xsl:apply-templates/>
        </div>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group">
    <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="local-name()"/></xsl:call-template>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7">
    <xsl:element name="{if (tei:head) then 'section' else 'div'}">
      <xsl:call-template name="h:attrs">
        <xsl:with-param name="class" select="'div', @type ! ('div-' || h:slug(lower-case(.)))"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:function name="h:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="depth" as="xs:integer" select="count($head/ancestor::tei:*[matches(local-name(), '^div[1-7]?$')])"/>
    <xsl:sequence select="min((6, max((2, $depth + 1))))"/>
  </xsl:function>

  <xsl:template match="tei:head">
    <xsl:choose>
      <xsl:when test="not(h:stands-alone(.))">
        <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'head'"/></xsl:call-template><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:when test="(parent::tei:body or parent::tei:front or parent::tei:back or matches(local-name(..), '^div[1-7]?$'))
                      and not(preceding-sibling::tei:head)">
        <xsl:element name="h{h:heading-level(.)}">
          <xsl:call-template name="h:attrs"/>
          <xsl:apply-templates/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <p><xsl:call-template name="h:attrs">
          <xsl:with-param name="class" select="'head', 'head-' || local-name(..)"/>
        </xsl:call-template><xsl:apply-templates/></p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab">
    <xsl:choose>
      <xsl:when test="h:has-blocks(.)">
        <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'p'"/></xsl:call-template>
          <xsl:apply-templates/></div>
      </xsl:when>
      <xsl:otherwise>
        <p><xsl:call-template name="h:attrs"/><xsl:apply-templates/></p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Parts of letters, title pages and drama that stand as blocks, or run in the text. -->
  <xsl:template match="tei:salute | tei:signed | tei:dateline | tei:byline | tei:trailer
                       | tei:docAuthor | tei:docDate | tei:docImprint | tei:docEdition
                       | tei:titlePart | tei:speaker | tei:stage | tei:label | tei:bibl">
    <xsl:element name="{if (h:has-blocks(.)) then 'div' else if (h:stands-alone(.)) then 'p' else 'span'}">
      <xsl:call-template name="h:attrs">
        <xsl:with-param name="class" select="lower-case(local-name()),
          if (self::tei:titlePart) then @type ! ('title-part-' || h:slug(lower-case(.))) else ()"/>
      </xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:argument | tei:epigraph
                       | tei:titlePage | tei:docTitle | tei:floatingText
                       | tei:castGroup[not(parent::tei:castList or parent::tei:castGroup)]">
    <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="lower-case(local-name())"/></xsl:call-template>
      <xsl:apply-templates/></div>
  </xsl:template>

  <!-- An address, line below line: each of its parts (addrLine, street, settlement ...) on a
       line of its own, or, where it has text of its own or line breaks, as written. Every part
       is kept, whatever it is. -->
  <xsl:template match="tei:address">
    <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'address'"/></xsl:call-template>
      <xsl:choose>
        <xsl:when test="text()[normalize-space()] or tei:lb">
          <xsl:apply-templates/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="marks" as="element()*" select="tei:note | tei:anchor | tei:pb
                        | tei:milestone | tei:index"/>
          <xsl:for-each select="node()">
            <xsl:if test="self::* except $marks and preceding-sibling::* except $marks"><br/></xsl:if>
            <xsl:apply-templates select="."/>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>
  <!-- An address line: a line of its address, or a line of its own elsewhere (in an opener). -->
  <xsl:template match="tei:addrLine">
    <xsl:element name="{if (parent::tei:address) then 'span' else if (h:has-blocks(.)) then 'div' else 'p'}">
      <xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'addrline'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== verse ===== -->

  <xsl:template match="tei:lg">
    <div><xsl:call-template name="h:attrs">
      <xsl:with-param name="class" select="'lg', @type ! ('lg-' || h:slug(lower-case(.)))"/>
    </xsl:call-template>
      <xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:l">
    <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'l'"/></xsl:call-template>
      <xsl:if test="@n and (not(@n castable as xs:integer) or xs:integer(@n) mod 5 = 0)">
        <span class="lnum"><xsl:value-of select="@n"/></span>
      </xsl:if>
      <xsl:apply-templates/>
      <xsl:if test="following-sibling::*[1][self::tei:pc]">
        <xsl:apply-templates select="tk:line-end-punctuation(.)/node()"/>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- Punctuation after a verse line is written at its end (tk:line-end-punctuation). -->
  <xsl:template match="tei:pc[preceding-sibling::*[1][self::tei:l or self::tei:pc]]
                       [tk:ends-a-line(.)]" priority="30"/>

  <!-- ===== drama ===== -->

  <xsl:template match="tei:sp">
    <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'sp'"/></xsl:call-template>
      <xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:castList">
    <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'castlist'"/></xsl:call-template>
      <xsl:apply-templates select="tei:head"/>
      <xsl:if test="tei:castItem | tei:castGroup">
        <ul><xsl:apply-templates select="tei:castItem | tei:castGroup"/></ul>
      </xsl:if>
      <xsl:apply-templates select="* except (tei:head | tei:castItem | tei:castGroup)"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:castGroup[parent::tei:castList or parent::tei:castGroup]">
    <li><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'castgroup'"/></xsl:call-template>
      <xsl:apply-templates select="tei:head | tei:roleDesc | tei:trailer"/>
      <ul><xsl:apply-templates select="tei:castItem | tei:castGroup"/></ul>
    </li>
  </xsl:template>

  <xsl:template match="tei:castItem">
    <xsl:element name="{if (parent::tei:castList or parent::tei:castGroup) then 'li' else 'span'}">
      <xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'castitem'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:role | tei:roleDesc | tei:actor">
    <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="lower-case(local-name())"/></xsl:call-template>
      <xsl:apply-templates/></span>
  </xsl:template>

  <!-- ===== lists, tables, figures ===== -->

  <xsl:template match="tei:list">
    <xsl:variable name="kind" as="xs:string" select="
      if (tei:label or @type = 'gloss') then 'dl'
      else if (matches(lower-case(string-join((@type, @rend), ' ')), 'order|number|decimal|arabic|roman|alpha'))
      then 'ol' else 'ul'"/>
    <xsl:variable name="list" as="element()">
      <xsl:element name="{$kind}">
        <xsl:call-template name="h:attrs">
          <xsl:with-param name="class" select="'list', @type ! ('list-' || h:slug(lower-case(.)))"/>
        </xsl:call-template>
        <xsl:choose>
          <xsl:when test="$kind = 'dl'">
            <xsl:for-each-group select="tei:label | tei:item" group-starting-with="tei:label">
              <xsl:for-each select="current-group()">
                <xsl:element name="{if (self::tei:label) then 'dt' else 'dd'}">
                  <xsl:call-template name="h:attrs"/>
                  <xsl:apply-templates/>
                </xsl:element>
              </xsl:for-each>
            </xsl:for-each-group>
          </xsl:when>
          <xsl:otherwise><xsl:apply-templates select="tei:item"/></xsl:otherwise>
        </xsl:choose>
      </xsl:element>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="tei:head">
        <div class="list-wrap">
          <xsl:apply-templates select="tei:head"/>
          <xsl:sequence select="$list"/>
        </div>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="$list"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:item">
    <li><xsl:call-template name="h:attrs"/><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="tei:table">
    <div class="table-wrap">
      <table><xsl:call-template name="h:attrs"/>
        <xsl:if test="tei:head">
          <caption><xsl:apply-templates select="tei:head[1]/node()"/></caption>
        </xsl:if>
        <tbody><xsl:apply-templates select="tei:row"/></tbody>
      </table>
    </div>
  </xsl:template>

  <xsl:template match="tei:row">
    <tr><xsl:call-template name="h:attrs"/><xsl:apply-templates select="tei:cell"/></tr>
  </xsl:template>

  <xsl:template match="tei:cell">
    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
      <xsl:call-template name="h:attrs"/>
      <xsl:for-each select="tk:cell-span(@cols)">
        <xsl:attribute name="colspan" select="."/>
      </xsl:for-each>
      <xsl:for-each select="tk:cell-span(@rows)">
        <xsl:attribute name="rowspan" select="."/>
      </xsl:for-each>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:figure">
    <figure><xsl:call-template name="h:attrs"/>
      <xsl:variable name="desc" as="xs:string" select="normalize-space(string-join(tei:figDesc ! h:text-of(node()), ' '))"/>
      <xsl:variable name="images" as="element()*" select="tei:graphic[exists(h:local-path(@url))]"/>
      <xsl:for-each select="$images">
        <img src="{$site-root}{h:local-path(@url)}" alt="{$desc}" loading="lazy"/>
      </xsl:for-each>
      <xsl:if test="empty($images) and $desc != ''">
        <p class="figure-desc"><xsl:value-of select="tk:string('figure.described', map{'description': $desc})"/></p>
      </xsl:if>
      <xsl:apply-templates select="* except (tei:head | tei:figDesc | tei:graphic)"/>
      <xsl:if test="tei:head">
        <figcaption><xsl:apply-templates select="tei:head/node()"/></figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <xsl:template match="tei:graphic">
    <xsl:variable name="src" as="xs:string?" select="h:local-path(@url)"/>
    <xsl:if test="exists($src)">
      <img src="{$site-root}{$src}" alt="{normalize-space(string-join((../tei:figDesc, tei:desc) ! h:text-of(node()), ' '))}" loading="lazy"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:figDesc"/>

  <!-- ===== quotation ===== -->

  <xsl:template match="tei:quote | tei:q | tei:said | tei:soCalled">
    <xsl:variable name="marks" as="xs:string*" select="tk:quote-marks(.)"/>
    <xsl:choose>
      <xsl:when test="h:has-blocks(.) or (self::tei:quote and @rend = 'block' and h:stands-alone(.))">
        <blockquote><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="lower-case(local-name())"/></xsl:call-template>
          <xsl:apply-templates/></blockquote>
      </xsl:when>
      <xsl:otherwise>
        <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="lower-case(local-name())"/></xsl:call-template>
          <xsl:value-of select="$marks[1]"/><xsl:apply-templates/><xsl:value-of select="$marks[2]"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:cit">
    <xsl:element name="{if (h:has-blocks(.) or tei:quote[@rend = 'block']) then 'div' else 'span'}">
      <xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'cit'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== inline ===== -->

  <xsl:template match="tei:hi">
    <xsl:variable name="r" as="xs:string" select="lower-case(normalize-space(@rend))"/>
    <xsl:variable name="name" as="xs:string" select="
      if (matches($r, '^(sup|superscript)$')) then 'sup'
      else if (matches($r, '^(sub|subscript)$')) then 'sub'
      else if (matches($r, '^(bold|b)$')) then 'b'
      else if ($r = '' or matches($r, '^(italic|italics|i)$')) then 'i'
      else 'span'"/>
    <xsl:element name="{$name}">
      <xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'hi'"/></xsl:call-template>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:emph">
    <em><xsl:call-template name="h:attrs"/><xsl:apply-templates/></em>
  </xsl:template>

  <xsl:template match="tei:foreign | tei:mentioned | tei:term[not(parent::tei:keywords)]">
    <i><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="lower-case(local-name())"/></xsl:call-template>
      <xsl:apply-templates/></i>
  </xsl:template>

  <xsl:template match="tei:title">
    <xsl:choose>
      <xsl:when test="@level = ('a', 'u')">
        <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'title', 'title-' || @level"/></xsl:call-template>
          <xsl:text>&#x201C;</xsl:text><xsl:apply-templates/><xsl:text>&#x201D;</xsl:text></span>
      </xsl:when>
      <xsl:otherwise>
        <cite><xsl:call-template name="h:attrs">
          <xsl:with-param name="class" select="'title', @level ! ('title-' || h:slug(.))"/>
        </xsl:call-template><xsl:apply-templates/></cite>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:code | tei:gi | tei:att | tei:tag | tei:val | tei:ident">
    <code><xsl:call-template name="h:attrs"/><xsl:apply-templates/></code>
  </xsl:template>

  <xsl:template match="tei:eg | tei:egXML">
    <pre><xsl:call-template name="h:attrs"/><xsl:value-of select="."/></pre>
  </xsl:template>

  <!-- A seg that @rend lays out as a block (right, centre, block ...): a line of its own. -->
  <xsl:template match="tei:seg[tk:rend-is-block(.)]">
    <p><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'seg'"/></xsl:call-template>
      <xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="tei:seg | tei:distinct | tei:gloss | tei:num | tei:measure | tei:s | tei:phr
                       | tei:cl | tei:formula | tei:orig[not(parent::tei:choice)] | tei:reg[not(parent::tei:choice)]
                       | tei:abbr[not(parent::tei:choice)] | tei:expan[not(parent::tei:choice)]
                       | tei:am | tei:damage | tei:secl | tei:surplus | tei:metamark">
    <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="lower-case(local-name())"/></xsl:call-template>
      <xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:ex">
    <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'ex'"/></xsl:call-template>
      <xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:sic[not(parent::tei:choice)]">
    <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'sic'"/></xsl:call-template>
      <xsl:apply-templates/></span>
    <span class="sic-mark"><xsl:value-of select="' ' || tk:string('sigla.sic')"/></span>
  </xsl:template>

  <xsl:template match="tei:corr[not(parent::tei:choice)]">
    <span title="{tk:string('choice.corr')}"><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'corr'"/></xsl:call-template>
      <xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <span title="{tk:string('text.supplied')}"><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'supplied'"/></xsl:call-template>
      <xsl:variable name="content" as="item()*"><xsl:apply-templates/></xsl:variable>
      <xsl:sequence select="tk:string-parts('sigla.supplied', map{'text': $content})"/></span>
  </xsl:template>

  <xsl:template match="tei:unclear">
    <span title="{tk:string('text.unclear')}"><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'unclear'"/></xsl:call-template>
      <xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:gap">
    <xsl:variable name="what" as="xs:string*" select="tk:string('text.gap'), tk:gap-reason(.), tk:gap-extent(.)"/>
    <span title="{string-join($what, '; ')}"><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'gap'"/></xsl:call-template><xsl:value-of select="tk:string('sigla.gap')"/></span>
  </xsl:template>

  <xsl:template match="tei:del">
    <del title="{tk:string('text.deleted')}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></del>
  </xsl:template>

  <xsl:template match="tei:add">
    <ins title="{tk:added(.)}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></ins>
  </xsl:template>

  <xsl:template match="tei:space">
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- Whitespace that is no word boundary (beside a break inside a word, before a comma of a
       tokenised text or a note's call, see tk:text-spaced). Only documents with such breaks or
       tokens need every text node looked at. -->
  <xsl:variable name="h:spacing" as="xs:boolean"
    select="exists(/descendant::*[self::tei:pc or @join or @break = 'no'][1])"/>
  <xsl:template match="text()[$h:spacing]" mode="#default h:plain" priority="1">
    <xsl:value-of select="tk:text-spaced(.)"/>
  </xsl:template>
  <!-- Elsewhere only the text just before a note's call needs it (the call sticks to its
       word). Only the text right before the note is looked at: whitespace at the end of an
       inline element before a note stays (looking there too cost a tenth of a page's time). -->
  <xsl:template match="text()[following-sibling::node()[1][self::tei:note]]"
    mode="#default h:plain" priority="0.9">
    <xsl:value-of select="tk:text-spaced(.)"/>
  </xsl:template>

  <xsl:template match="tei:lb">
    <xsl:choose>
      <xsl:when test="@break = 'no'"/>
      <xsl:when test="tk:breaks-line(.)"><br/></xsl:when>
      <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A page break without a number (tk:shows-page) stays an anchor where it has an id. -->
  <xsl:template match="tei:pb[not(tk:shows-page(.))]">
    <xsl:variable name="page" as="map(*)?" select="h:facs-page(.)"/>
    <xsl:choose>
      <xsl:when test="exists($page)">
        <!-- no label (it is no page break a reader sees), but where its page image begins -->
        <span class="facs-mark"><xsl:call-template name="h:id"/>
          <xsl:call-template name="h:facs-pb"><xsl:with-param name="page" select="$page"/></xsl:call-template></span>
      </xsl:when>
      <xsl:when test="@xml:id"><span class="anchor"><xsl:call-template name="h:id"/></span></xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:pb">
    <xsl:variable name="label" as="xs:string"
      select="tk:string('pb.numbered', map{'n': normalize-space(@n)})"/>
    <xsl:variable name="page" as="map(*)?" select="h:facs-page(.)"/>
    <xsl:variable name="facs" as="xs:string?" select="if (exists($page)) then h:facs-href($page?link)
      else h:external-url(tokenize(normalize-space(@facs), ' ')[1])"/>
    <span class="pb">
      <xsl:call-template name="h:id"/>
      <xsl:call-template name="h:facs-pb"><xsl:with-param name="page" select="$page"/></xsl:call-template>
      <xsl:choose>
        <xsl:when test="exists($facs) and exists($page)"><a class="pb-label" href="{$facs}" title="{tk:string('facs.open')}" lang="{$language}"><xsl:value-of select="$label"/></a></xsl:when>
        <xsl:when test="exists($facs)"><a class="pb-label" href="{$facs}" lang="{$language}"><xsl:value-of select="$label"/></a></xsl:when>
        <xsl:otherwise><span class="pb-label" lang="{$language}"><xsl:value-of select="$label"/></span></xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="tei:cb | tei:milestone | tei:gb | tei:fw | tei:interp | tei:interpGrp | tei:link
                       | tei:linkGrp | tei:join | tei:joinGrp | tei:span | tei:spanGrp | tei:alt | tei:altGrp
                       | tei:timeline | tei:witDetail | tei:fs | tei:fLib | tei:fvLib | tei:index">
    <xsl:if test="@xml:id and not(self::tei:fw)"><span id="{@xml:id}"></span></xsl:if>
  </xsl:template>

  <xsl:template match="tei:anchor">
    <span class="anchor"><xsl:call-template name="h:id"/></span>
  </xsl:template>

  <!-- ===== the two readings of a choice ===== -->

  <!-- Both readings are in the page; the class reading-original / reading-normalised on <html>
       shows one (set from $reading, switched by the reader). Which child is which is decided by
       tk:chosen in the common layer. The other reading is in the title attribute too, so it can
       be reached without JavaScript. -->
  <xsl:template match="tei:choice">
    <xsl:variable name="orig" as="element()?" select="tk:chosen(., 'original')"/>
    <xsl:variable name="norm" as="element()?" select="tk:chosen(., 'normalised')"/>
    <xsl:variable name="shown" as="element()?" select="tk:chosen(., $reading)"/>
    <xsl:variable name="other" as="element()?" select="tk:other(., $reading)"/>
    <xsl:variable name="tag" as="xs:string" select="if (h:has-blocks(.)) then 'div' else 'span'"/>
    <xsl:variable name="spaces" as="xs:boolean+" select="tk:choice-spaces(.)"/>
    <xsl:if test="$spaces[1]"><xsl:text> </xsl:text></xsl:if>
    <xsl:element name="{$tag}">
      <xsl:attribute name="data-o" select="h:reading-label($orig)"/>
      <xsl:attribute name="data-n" select="h:reading-label($norm)"/>
      <xsl:call-template name="h:attrs">
        <xsl:with-param name="class" select="'choice', 'choice-' || local-name(($norm, $orig)[1])"/>
      </xsl:call-template>
      <xsl:if test="exists($other)">
        <xsl:attribute name="title" select="h:reading-label($other) || ': ' || h:text-of($other, if ($other is $orig) then 'original' else 'normalised')"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$orig is $norm or empty($orig) or empty($norm)">
          <xsl:element name="{$tag}"><xsl:attribute name="class" select="'rd-both'"/><xsl:apply-templates select="$shown"/></xsl:element>
        </xsl:when>
        <xsl:otherwise>
          <xsl:element name="{$tag}"><xsl:attribute name="class" select="'rd-o'"/><xsl:apply-templates select="$orig"/></xsl:element>
          <xsl:element name="{$tag}"><xsl:attribute name="class" select="'rd-n'"/><xsl:apply-templates select="$norm"/></xsl:element>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:element>
    <xsl:if test="$spaces[2]"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <xsl:function name="h:reading-label" as="xs:string">
    <xsl:param name="el" as="element()?"/>
    <xsl:sequence select="if (local-name($el) = ('sic', 'corr', 'orig', 'reg', 'abbr', 'expan'))
                          then tk:string('choice.' || local-name($el)) else tk:string('choice.alternative')"/>
  </xsl:function>

  <xsl:template match="tei:choice/*">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- ===== dates ===== -->

  <xsl:template match="tei:date | tei:time">
    <xsl:call-template name="h:time">
      <xsl:with-param name="el" select="."/>
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- <time datetime> when the element gives a valid value, else a span. -->
  <xsl:template name="h:time">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="label" as="xs:string?" select="()"/>
    <xsl:param name="content" as="item()*" select="$label"/>
    <xsl:variable name="dt" as="xs:string?" select="h:datetime($el)"/>
    <xsl:variable name="readable" as="xs:string?" select="tk:dating($el)[. != '']"/>
    <xsl:element name="{if (exists($dt)) then 'time' else 'span'}">
      <xsl:if test="$el is . or empty($label)">
        <xsl:for-each select="$el"><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'date'"/></xsl:call-template></xsl:for-each>
      </xsl:if>
      <xsl:if test="exists($dt)"><xsl:attribute name="datetime" select="$dt"/></xsl:if>
      <xsl:if test="exists($readable) and normalize-space(string-join($content)) != $readable">
        <xsl:attribute name="title" select="$readable"/>
      </xsl:if>
      <xsl:sequence select="$content"/>
    </xsl:element>
  </xsl:template>

  <!-- ===== links ===== -->

  <xsl:template match="tei:ref | tei:ptr">
    <xsl:param name="h:in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="target" as="xs:string" select="(tokenize(normalize-space(@target), ' ')[1], '')[1]"/>
    <xsl:variable name="local" as="element()?" select="tk:target(., $target)"/>
    <!-- elsewhere in the edition (the build's word): a register entry, another document -->
    <xsl:variable name="link" as="element(tk:link)?" select="if ($local) then () else tk:link(., $target, 'ptr')"/>
    <xsl:variable name="entry" as="element(tk:entry)?" select="tk:link-entry($link)"/>
    <xsl:variable name="external" as="xs:string?" select="h:external-url($target)"/>
    <xsl:variable name="href" as="xs:string?" select="
      if ($h:in-link) then ()
      else if ($local[ancestor::tei:text][not(ancestor::tei:figDesc)]) then '#' || h:rendered-id($local)
      else if ($entry/@href) then string($entry/@href)
      else if ($link/@href) then string($link/@href)
      else $external"/>
    <!-- A pointer without text of its own: the page names it (a label it makes) -->
    <xsl:variable name="bare" as="xs:boolean" select="exists(self::tei:ptr) or normalize-space(.) = '' and not(*)"/>
    <xsl:variable name="content" as="item()*">
      <xsl:choose>
        <xsl:when test="$bare and exists($local)">
          <!-- a pointer into the text is named by the beginning of what it points at -->
          <xsl:value-of select="tk:string('link.pointer', map{'target': (h:shorten(h:text-of($local), 40)[. != ''], $target)[1]})"/>
        </xsl:when>
        <xsl:when test="$bare and exists(($entry, $link/@title))">
          <xsl:value-of select="'&#x2192; ' || ($entry/@name, $link/@title, $target)[1]"/>
        </xsl:when>
        <xsl:when test="$bare and exists($href)">
          <xsl:value-of select="$target"/>
        </xsl:when>
        <xsl:when test="$bare">
          <!-- a pointer to something outside the edition (another letter of a collection) -->
          <xsl:value-of select="tk:string('link.pointer', map{'target': $target})"/>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates><xsl:with-param name="h:in-link" select="exists($href)" tunnel="yes"/></xsl:apply-templates></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="generated" as="xs:boolean" select="$bare and $target != ''"/>
    <!-- A label the edition makes stands apart from the word before it ("Bevers → K_0124"). -->
    <xsl:if test="$generated and preceding-sibling::node()[1][self::text()][matches(tk:last-char(.), '\S')]">
      <xsl:text> </xsl:text>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="exists($href)">
        <a href="{$href}"><xsl:call-template name="h:attrs">
          <xsl:with-param name="class" select="'ref', if ($href = $external) then 'external' else if ($entry) then ('ent', 'ent-' || $entry/@type) else if ($link) then 'ref-edition' else (), if ($generated) then 'ref-pointer' else ()"/>
        </xsl:call-template><xsl:sequence select="$content"/></a>
      </xsl:when>
      <xsl:otherwise>
        <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'ref', if ($generated) then 'ref-pointer' else ()"/></xsl:call-template>
          <xsl:sequence select="$content"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The id an element of the text has in the page. -->
  <xsl:function name="h:rendered-id" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if (h:is-block($el)) then h:block-id($el) else string($el/@xml:id)"/>
  </xsl:function>

  <!-- ===== not shown in the text ===== -->

  <xsl:template match="tei:teiHeader | tei:facsimile | tei:sourceDoc | tei:standOff"/>
  <!-- the entity lists of a back: data for the cards and registers (tk:is-entity-list) -->
  <xsl:template match="tei:*[tk:is-entity-list(.)]" priority="6"/>

  <!-- ===== fallback: unknown elements keep their text ===== -->

  <xsl:template match="tei:* | *" priority="-1">
    <xsl:choose>
      <xsl:when test="h:has-blocks(.)">
        <div><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'tei-' || h:slug(local-name())"/></xsl:call-template>
          <xsl:apply-templates/></div>
      </xsl:when>
      <xsl:when test="@xml:id or h:is-block(.)">
        <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'tei-' || h:slug(local-name())"/></xsl:call-template>
          <xsl:apply-templates/></span>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
