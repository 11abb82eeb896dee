<?xml version="1.0" encoding="UTF-8"?>
<!--
  Front matter of the print edition: the title page (title, author, full citation of the source
  and of this edition) and the editorial statement, rendered as prose from encodingDesc.
  Included by print.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:tkp="urn:teikit:print"
  exclude-result-prefixes="#all">

  <!-- Citation parts render in this mode: titles in italics, everything else as text. -->
  <xsl:mode name="tkp:cite" on-no-match="text-only-copy"/>

  <xsl:template name="tkp:title-page" as="element()">
    <header class="title-page" lang="{$language}">
      <p class="tp-series"><xsl:value-of select="$site-title"/></p>
      <div class="tp-block">
        <xsl:if test="exists($tkp:authors)">
          <p class="tp-author"><xsl:value-of select="string-join($tkp:authors, '; ')"/></p>
        </xsl:if>
        <h1 class="tp-title" lang="{$tkp:text-lang}"
          data-running-title="{tkp:shorten($tkp:title-main, 70)}">
          <xsl:value-of select="$tkp:title-main"/>
        </h1>
        <xsl:for-each select="$tkp:title-sub">
          <p class="tp-subtitle" lang="{$tkp:text-lang}"><xsl:value-of select="."/></p>
        </xsl:for-each>
        <xsl:variable name="editors" as="xs:string*"
          select="$tkp:header/tei:fileDesc/tei:titleStmt/tei:editor ! tkp:name(.)"/>
        <xsl:if test="exists($editors)">
          <p class="tp-editors">
            <xsl:value-of select="tk:string('print.edited_by', map{'names': tkp:join($editors)})"/>
          </p>
        </xsl:if>
      </div>
      <div class="tp-citations">
        <section class="tp-source">
          <h2><xsl:value-of select="tk:string('doc.source')"/></h2>
          <xsl:call-template name="tkp:source-citation">
            <xsl:with-param name="ms-parts" select="true()"/>
          </xsl:call-template>
        </section>
        <section class="tp-edition">
          <h2><xsl:value-of select="tk:string('print.this_edition')"/></h2>
          <xsl:call-template name="tkp:edition-citation"/>
        </section>
        <xsl:call-template name="tkp:title-page-extra"/>
      </div>
    </header>
  </xsl:template>

  <!-- "A, B and C" -->
  <xsl:function name="tkp:join" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="tk:list($items)"/>
  </xsl:function>

  <!-- ===== The source ===== -->
  <xsl:template name="tkp:source-citation" as="node()*">
    <!-- with the parts of a manuscript's description (on the title page, not in metadata) -->
    <xsl:param name="ms-parts" as="xs:boolean" select="false()"/>
    <xsl:variable name="desc" as="element(tei:sourceDesc)*" select="$tkp:header/tei:fileDesc/tei:sourceDesc"/>
    <xsl:variable name="items" as="element()*" select="
      $desc/(tei:biblStruct | tei:bibl | tei:biblFull | tei:msDesc | tei:p | tei:listBibl/tei:bibl | tei:listBibl/tei:biblStruct)"/>
    <xsl:for-each select="$items">
      <p class="citation"><xsl:apply-templates select="." mode="tkp:cite"/></p>
      <xsl:variable name="parts" as="map(*)*"
        select="if ($ms-parts) then self::tei:msDesc ! tk:ms-parts(.) else ()"/>
      <xsl:if test="exists($parts)">
        <dl class="ms-parts">
          <xsl:for-each select="$parts">
            <dt><xsl:value-of select="tk:string('ms.' || ?part)"/></dt>
            <dd><xsl:value-of select="?text"/></dd>
          </xsl:for-each>
        </dl>
      </xsl:if>
    </xsl:for-each>
    <xsl:if test="empty($items)">
      <p class="citation"><xsl:value-of select="string-join(($tkp:authors, $tkp:title-main), ', ')"/></p>
    </xsl:if>
  </xsl:template>

  <!-- The citation of the source as one line of text (PDF subject/description). -->
  <xsl:function name="tkp:source-citation-text" as="xs:string">
    <xsl:variable name="html" as="node()*">
      <xsl:call-template name="tkp:source-citation"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($html ! string(), ' '))"/>
  </xsl:function>

  <!-- Author, "Article", in Journal vol. 1, no. 16 (27 November 1937), p. 6.
       Author, Book, ed. Editor, vol. 1, Place: Publisher, 1908. -->
  <xsl:template match="tei:biblStruct" mode="tkp:cite" as="node()*">
    <xsl:variable name="analytic" as="element(tei:analytic)?" select="tei:analytic[1]"/>
    <xsl:variable name="monogr" as="element(tei:monogr)?" select="tei:monogr[1]"/>
    <xsl:variable name="imprint" as="element(tei:imprint)?" select="$monogr/tei:imprint[1]"/>
    <xsl:variable name="journal" as="xs:boolean"
      select="exists($monogr/tei:title[@level = ('j', 's')]) and exists($analytic)"/>
    <xsl:variable name="scopes" as="element(tei:biblScope)*"
      select="($monogr/tei:biblScope, $imprint/tei:biblScope, tei:biblScope)"/>
    <xsl:variable name="authors" as="xs:string*" select="($analytic, $monogr)[1]/tei:author ! tkp:name(.)"/>
    <xsl:if test="exists($authors)">
      <xsl:value-of select="tkp:join($authors) || ', '"/>
    </xsl:if>
    <xsl:if test="$analytic">
      <xsl:value-of select="tkp:quoted(string-join($analytic/tei:title ! tkp:plain(.), ': ')) || ', '"/>
    </xsl:if>
    <xsl:variable name="container" as="element()">
      <i class="title">
        <xsl:value-of select="string-join($monogr/tei:title ! tkp:plain(.), ': ')"/>
      </i>
    </xsl:variable>
    <xsl:sequence select="if ($analytic and not($journal))
                          then tk:string-parts('bibl.in', map{'container': $container})
                          else $container"/>
    <xsl:if test="$monogr/tei:editor">
      <xsl:value-of select="', ' || tk:string('bibl.editor', map{'names': tkp:join($monogr/tei:editor ! tkp:name(.))})"/>
    </xsl:if>
    <xsl:variable name="dates" as="xs:string*" select="$imprint/tei:date ! (tkp:plain(.)[. != ''], tk:dating(.))[. != ''][1]"/>
    <xsl:choose>
      <xsl:when test="$journal">
        <xsl:variable name="vol-no" as="xs:string*"
          select="$scopes[@unit = ('volume', 'vol', 'issue', 'number', 'no')] ! tkp:scope(.)"/>
        <xsl:value-of select="string-join((' ' || string-join($vol-no, ', '))[exists($vol-no)])"/>
        <xsl:if test="exists($dates)"><xsl:value-of select="' (' || string-join($dates, ', ') || ')'"/></xsl:if>
        <xsl:variable name="rest" as="xs:string*"
          select="$scopes[not(@unit = ('volume', 'vol', 'issue', 'number', 'no'))] ! tkp:scope(.)"/>
        <xsl:value-of select="string-join($rest ! (', ' || .))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="string-join($scopes ! (', ' || tkp:scope(.)))"/>
        <xsl:variable name="place" as="xs:string"
          select="string-join(($imprint/tei:pubPlace ! tkp:plain(.)), ', ')"/>
        <xsl:variable name="publisher" as="xs:string"
          select="string-join(($imprint/tei:publisher ! tkp:plain(.)), ', ')"/>
        <xsl:variable name="imprint-text" as="xs:string*"
          select="(string-join(($place[.], $publisher[.]), ': ')[.], $dates)"/>
        <xsl:value-of select="string-join($imprint-text ! (', ' || .))"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:for-each select="tei:series">
      <xsl:value-of select="' (' || string-join((tei:title[1] ! tkp:plain(.), tei:biblScope ! tkp:scope(.)), ' ') || ')'"/>
    </xsl:for-each>
    <xsl:text>.</xsl:text>
    <xsl:for-each select="(tei:ref, tei:idno[@type = ('URL', 'URI', 'url', 'DOI', 'doi')], $monogr/tei:idno[@type = ('URL', 'URI', 'DOI')])">
      <xsl:text> </xsl:text>
      <xsl:apply-templates select="." mode="tkp:cite"/>
    </xsl:for-each>
    <xsl:for-each select="tei:note">
      <xsl:value-of select="' ' || tkp:plain(.)"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:function name="tkp:scope" as="xs:string">
    <xsl:param name="s" as="element(tei:biblScope)"/>
    <xsl:variable name="value" as="xs:string" select="
      if ($s/@from and $s/@to and not(normalize-space($s))) then $s/@from || '–' || $s/@to
      else tkp:plain($s)"/>
    <xsl:variable name="unit" as="xs:string" select="string(($s/@unit, $s/@type)[1])"/>
    <xsl:sequence select="
      if (matches($value, '^\p{L}{1,5}\.')) then $value
      else if ($unit = ('volume', 'vol')) then tk:string('bibl.volume', map{'n': $value})
      else if ($unit = ('issue', 'number', 'no')) then tk:string('bibl.issue', map{'n': $value})
      else if ($unit = ('page', 'pp', 'pages')) then
        tk:string(if (matches($value, '[–\-]')) then 'bibl.pages' else 'bibl.page', map{'n': $value})
      else if ($unit = ('chapter', 'chap')) then tk:string('bibl.chapter', map{'n': $value})
      else $value"/>
  </xsl:function>

  <!-- A bibl with its own punctuation is printed as it stands; one without (just elements) is
       punctuated like a biblStruct. Nested bibls follow on their own. -->
  <xsl:template match="tei:bibl | tei:biblFull" mode="tkp:cite" as="node()*">
    <xsl:variable name="own" as="node()*" select="node() except (tei:bibl | tei:availability | tei:note[@type])"/>
    <xsl:choose>
      <xsl:when test="exists($own[self::text()][normalize-space()])">
        <xsl:apply-templates select="$own" mode="tkp:cite"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="parts" as="element()*" select="$own[self::*][normalize-space()]"/>
        <xsl:for-each select="$parts">
          <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
          <xsl:apply-templates select="." mode="tkp:cite"/>
        </xsl:for-each>
        <xsl:if test="exists($parts)"><xsl:text>.</xsl:text></xsl:if>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:for-each select="tei:bibl">
      <br/>
      <xsl:apply-templates select="." mode="tkp:cite"/>
    </xsl:for-each>
    <xsl:for-each select="tei:availability[normalize-space()]">
      <xsl:value-of select="' ' || tk:string('doc.licence', map{'licence': tkp:plain(.)})"/>
    </xsl:for-each>
  </xsl:template>

  <!-- A manuscript: its identifier worded as in every output (tk:ms-identifier), then its head. -->
  <xsl:template match="tei:msDesc" mode="tkp:cite" as="node()*">
    <xsl:value-of select="tk:ms-identifier(.)"/>
    <xsl:for-each select="tei:head[normalize-space()]">
      <xsl:value-of select="': ' || tkp:plain(.)"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:title[not(@level = ('a', 'u'))]" mode="tkp:cite" as="node()*">
    <i class="title"><xsl:value-of select="tkp:plain(.)"/></i>
  </xsl:template>

  <xsl:template match="tei:title[@level = ('a', 'u')]" mode="tkp:cite" as="node()*">
    <xsl:value-of select="tkp:quoted(tkp:plain(.))"/>
  </xsl:template>

  <!-- A title in quotation marks; quotation marks within it become single ones. -->
  <xsl:function name="tkp:quoted" as="xs:string">
    <xsl:param name="title" as="xs:string"/>
    <xsl:sequence select="tk:quoted(translate($title, '“”', '‘’'))"/>
  </xsl:function>

  <xsl:template match="tei:ref[@target] | tei:idno[matches(., '^(https?|doi):')]" mode="tkp:cite" as="node()*">
    <xsl:variable name="url" as="xs:string" select="string((@target, normalize-space(.))[1])"/>
    <xsl:variable name="label" as="xs:string" select="normalize-space(.)"/>
    <xsl:variable name="text" as="xs:string" select="if ($label and $label ne $url and not(self::tei:idno)) then $label || ' (' || $url || ')' else $url"/>
    <xsl:choose>
      <xsl:when test="exists(tk:link-url($url))"><a class="url" href="{tk:link-url($url)}"><xsl:value-of select="$text"/></a></xsl:when>
      <xsl:otherwise><span class="url"><xsl:value-of select="$text"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:author | tei:editor" mode="tkp:cite" as="node()*">
    <xsl:value-of select="tkp:name(.)"/>
  </xsl:template>

  <xsl:template match="tei:biblScope" mode="tkp:cite" as="node()*">
    <xsl:value-of select="tkp:scope(.)"/>
  </xsl:template>

  <xsl:template match="tei:note | tei:idno | tei:availability | tei:listBibl" mode="tkp:cite" as="empty-sequence()"/>

  <xsl:template match="tei:choice" mode="tkp:cite" as="node()*">
    <xsl:apply-templates select="tk:chosen(., $reading)" mode="tkp:cite"/>
  </xsl:template>

  <xsl:template match="tei:p" mode="tkp:cite" as="node()*">
    <xsl:apply-templates mode="tkp:cite"/>
  </xsl:template>

  <!-- ===== This edition ===== -->
  <xsl:template name="tkp:edition-citation" as="node()*">
    <xsl:variable name="pub" as="element(tei:publicationStmt)?" select="($tkp:header/tei:fileDesc/tei:publicationStmt)[1]"/>
    <xsl:variable name="editors" as="xs:string*" select="distinct-values((
      $tkp:header/tei:fileDesc/tei:titleStmt/tei:editor ! tkp:name(.),
      $tkp:header/tei:fileDesc/tei:titleStmt/tei:respStmt/(tei:name | tei:persName | tei:orgName) ! tkp:name(.)))"/>
    <xsl:variable name="publisher" as="xs:string*"
      select="$pub/(tei:publisher | tei:distributor | tei:authority)[1] ! tkp:plain(.)"/>
    <xsl:variable name="pub-date" as="xs:string*" select="$pub/tei:date[1] ! (tk:dating(.), tkp:plain(.))[normalize-space()][1]"/>
    <p class="citation">
      <xsl:if test="exists($tkp:authors)">
        <xsl:value-of select="tkp:join($tkp:authors) || ', '"/>
      </xsl:if>
      <i class="title"><xsl:value-of select="string-join(($tkp:title-main, $tkp:title-sub), ': ')"/></i>
      <xsl:if test="exists($editors)">
        <xsl:value-of select="', ' || tk:string('cite.edited_by', map{'names': tkp:join($editors)})"/>
      </xsl:if>
      <xsl:value-of select="', ' || $site-title"/>
      <xsl:value-of select="string-join(($publisher, $pub-date) ! (', ' || .))"/>
      <xsl:text>.</xsl:text>
      <xsl:if test="normalize-space($base-url)">
        <xsl:variable name="url" as="xs:string"
          select="replace(normalize-space($base-url), '/+$', '') || '/' || encode-for-uri($source-name) || '.html'"/>
        <xsl:text> </xsl:text>
        <xsl:choose>
          <xsl:when test="exists(tk:link-url($url))"><a class="url" href="{$url}"><xsl:value-of select="$url"/></a></xsl:when>
          <xsl:otherwise><span class="url"><xsl:value-of select="$url"/></span></xsl:otherwise>
        </xsl:choose>
      </xsl:if>
    </p>
    <xsl:for-each select="$pub/tei:availability[normalize-space()]">
      <xsl:variable name="licence" as="item()*">
        <xsl:apply-templates select="(tei:licence, tei:p)" mode="tkp:cite"/>
        <xsl:if test="not(tei:licence | tei:p)"><xsl:value-of select="tkp:plain(.)"/></xsl:if>
      </xsl:variable>
      <p class="licence">
        <xsl:sequence select="tk:string-parts('doc.licence', map{'licence': $licence})"/>
      </p>
    </xsl:for-each>
    <xsl:if test="normalize-space($build-date)">
      <p class="generated"><xsl:value-of select="tk:string('print.generated', map{'date': tk:date($build-date)})"/></p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:licence" mode="tkp:cite" as="node()*">
    <xsl:value-of select="tkp:plain(.)"/>
    <xsl:if test="@target and not(contains(., @target))">
      <xsl:text> (</xsl:text>
      <xsl:choose>
        <xsl:when test="exists(tk:link-url(@target))"><a class="url" href="{tk:link-url(@target)}"><xsl:value-of select="@target"/></a></xsl:when>
        <xsl:otherwise><span class="url"><xsl:value-of select="@target"/></span></xsl:otherwise>
      </xsl:choose>
      <xsl:text>)</xsl:text>
    </xsl:if>
    <xsl:text> </xsl:text>
  </xsl:template>

  <!-- ===== The editorial statement ===== -->
  <xsl:template name="tkp:editorial-page" as="element()">
    <xsl:variable name="enc" as="element(tei:encodingDesc)*" select="$tkp:header/tei:encodingDesc"/>
    <section class="editorial" lang="{$language}">
      <h2><xsl:value-of select="tk:string('print.editorial')"/></h2>
      <xsl:for-each select="$enc/tei:projectDesc[normalize-space()]">
        <xsl:apply-templates select="tei:p"/>
      </xsl:for-each>
      <xsl:variable name="decl" as="element()*" select="$enc/tei:editorialDecl/*"/>
      <xsl:for-each select="$decl">
        <xsl:choose>
          <xsl:when test="self::tei:p | self::tei:ab">
            <xsl:apply-templates select="."/>
          </xsl:when>
          <xsl:otherwise>
            <!-- normalization, correction, quotation, …: a run-in label, then its prose. -->
            <xsl:variable name="paras" as="element()*" select="tei:p | tei:ab"/>
            <p class="decl decl-{local-name()}">
              <span class="decl-label"><xsl:value-of select="tk:string('print.decl.' || local-name())"/>. </span>
              <xsl:choose>
                <xsl:when test="exists($paras)">
                  <xsl:apply-templates select="$paras[1]/node()">
                    <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
                  </xsl:apply-templates>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:value-of select="tkp:attributes-as-prose(.)"/>
                </xsl:otherwise>
              </xsl:choose>
            </p>
            <xsl:apply-templates select="$paras[position() gt 1]"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
      <xsl:if test="empty($decl)">
        <p class="decl"><xsl:value-of select="tk:string('print.no_editorial')"/></p>
      </xsl:if>
      <p class="decl decl-reading">
        <xsl:value-of select="tk:string(if ($reading = 'original') then 'print.reading.original' else 'print.reading.normalised')"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="tk:string('print.notes_statement', map{'example': tk:string('pb.numbered', map{'n': '6'})})"/>
      </p>
    </section>
  </xsl:template>

  <!-- e.g. <hyphenation eol="none"/> with no prose: name its attributes. -->
  <xsl:function name="tkp:attributes-as-prose" as="xs:string">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="string-join($el/@* ! (local-name() || ': ' || string()), '; ') || '.'"/>
  </xsl:function>
</xsl:stylesheet>
