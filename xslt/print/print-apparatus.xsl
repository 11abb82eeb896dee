<?xml version="1.0" encoding="UTF-8"?>
<!--
  The critical apparatus of the print edition, at the foot of each page below the footnotes,
  keyed by line number as a printed critical edition sets it: "3 cano M] canto P R; om. V".
  What an entry says is decided in ../common/apparatus.xsl; this module prints it.

  Each entry is a footnote of its own (class fn fn-app) called, without a mark, at the start of
  its lemma (span.app, id tk-pa-…): WeasyPrint keeps it on the page of that line (footnote-
  policy: line) and toolkit/print/mends.py sets the entries of a page after its notes, run on as
  one paragraph. The line number: where every entry stands in verse, the number of its verse
  line (the lines are numbered in the margin every five, print-text.xsl); otherwise the printed
  line of its page, which only the layout knows: the entry carries a placeholder
  (b.app-ln[data-for]) that toolkit/print/lines.py fills, and it numbers the lines of each
  page in the margin every five. An entry too long for the foot of a page (more than
  $tkp:long-entry-chars characters), and an entry without a place in the text, are printed
  after the text, under "Apparatus" (its lemma's line given where it has one).

  The sigla of the witnesses are listed after the editorial statement.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:tkp="urn:teikit:print"
  exclude-result-prefixes="#all">

  <!-- The entries printed, and how they are keyed. -->
  <xsl:variable name="tkp:entries" as="element(tei:app)*" select="$tk:all-entries"/>
  <xsl:variable name="tkp:verse-keys" as="xs:boolean"
    select="every $a in $tkp:entries[not(tkp:is-after-text(.))] satisfies exists($a/ancestor::tei:l)"/>
  <xsl:variable name="tkp:long-entry-chars" as="xs:integer" select="1500"/>

  <!-- Entries printed after the text: too long for a page, or without a place. -->
  <xsl:function name="tkp:is-after-text" as="xs:boolean">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:sequence select="not(tk:is-placed($app) or $app/@tk:placed)
                          or string-length(normalize-space($app)) gt $tkp:long-entry-chars"/>
  </xsl:function>

  <xsl:function name="tkp:app-id" as="xs:string">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:sequence select="'tk-pa-' || generate-id($app)"/>
  </xsl:function>

  <!-- ====================================================================== in the text -->

  <xsl:template match="tei:app" as="node()*">
    <xsl:param name="in-note" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:choose>
      <xsl:when test="$in-note or ancestor::tei:note">
        <xsl:choose>
          <xsl:when test="tk:is-entry(.)">
            <span class="app-inline">
              <xsl:call-template name="tkp:attrs"/>
              <xsl:call-template name="tkp:entry-words"/>
            </span>
          </xsl:when>
          <xsl:otherwise>
            <!-- the lemma of an apparatus note: "lemma]" -->
            <span class="app-inline">
              <span class="lemma"><xsl:apply-templates select="tk:base-reading(.)/node()"/></span>
              <xsl:text>]</xsl:text>
            </span>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:when test="tk:is-entry(.) and (tk:is-placed(.) or @tk:placed)">
        <span class="app" id="{tkp:app-id(.)}">
          <xsl:if test="@xml:id"><xsl:attribute name="data-id" select="@xml:id"/></xsl:if>
          <xsl:apply-templates select="tk:flow-reading(.)/node()"/>
        </span>
        <xsl:choose>
          <xsl:when test="tkp:is-after-text(.)">
            <a class="endnote-call" href="#tk-pae-{generate-id()}">
              <sup><xsl:value-of select="'*'"/></sup>
            </a>
          </xsl:when>
          <xsl:otherwise>
            <span class="fn fn-app">
              <xsl:call-template name="tkp:line-key"/>
              <xsl:call-template name="tkp:entry-words"/>
              <!-- where the next entry may begin a line -->
              <xsl:text> </xsl:text>
            </span>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="tk:flow-reading(.)/node()"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The line number of an entry: its verse line, or a placeholder for the printed line
       (filled by toolkit/print/lines.py: "00" is about as wide as the numbers it gets). -->
  <xsl:template name="tkp:line-key" as="element()">
    <xsl:context-item as="element(tei:app)" use="required"/>
    <xsl:choose>
      <xsl:when test="$tkp:verse-keys">
        <!-- toolkit/print/lines.py leaves out a number the entry before has too -->
        <b class="app-ln" data-verse=""><xsl:value-of select="tk:app-line(.)"/></b>
      </xsl:when>
      <xsl:otherwise>
        <b class="app-ln" data-for="{tkp:app-id(.)}">00</b>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:listApp" as="empty-sequence()"/>

  <!-- Lacunae and fragments mark a reading in an entry ("lac. inc."); the text shows none. -->
  <xsl:template match="tei:lacunaStart | tei:lacunaEnd | tei:witStart | tei:witEnd" as="node()*">
    <xsl:param name="in-entry" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:if test="$in-entry">
      <xsl:text> </xsl:text>
      <i class="app-lac">
        <xsl:value-of select="tk:string('apparatus.' || map{'lacunaStart': 'lacuna_start',
          'lacunaEnd': 'lacuna_end', 'witStart': 'wit_start', 'witEnd': 'wit_end'}(local-name()))"/>
      </i>
      <xsl:text> </xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:lem | tei:rdg | tei:rdgGrp" as="node()*">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- ========================================================================= an entry -->

  <!-- What an entry says: "cano M] canto P R; om. V", notes and details kept. -->
  <xsl:template name="tkp:entry-words" as="node()*">
    <xsl:context-item as="element(tei:app)" use="required"/>
    <xsl:variable name="app" as="element(tei:app)" select="."/>
    <xsl:variable name="parts" as="map(*)*" select="tk:entry-parts(.)"/>
    <xsl:variable name="lemma" as="map(*)" select="$parts[?part = 'lemma']"/>
    <!-- As few elements as may be: WeasyPrint lays out a page's entries again for each entry
         it adds, and each inline element costs. -->
    <xsl:if test="$lemma?label != ''">
      <xsl:value-of select="$lemma?label"/>
      <xsl:if test="not($lemma?empty)">
        <xsl:sequence select="tkp:sigla($lemma?sigla)"/>
        <xsl:text>]</xsl:text>
      </xsl:if>
      <xsl:text> </xsl:text>
    </xsl:if>
    <xsl:for-each select="$parts[?part = 'reading']">
      <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
      <xsl:variable name="r" as="map(*)" select="."/>
      <xsl:choose>
        <xsl:when test="$r?kind = 'om'">
          <i class="app-om"><xsl:value-of select="tk:string('apparatus.omitted')"/></i>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="$r?kind = 'add'">
            <i class="app-add"><xsl:value-of select="tk:string('apparatus.added')"/></i>
            <xsl:text> </xsl:text>
          </xsl:if>
          <xsl:variable name="words" as="node()*">
            <xsl:apply-templates select="$r?reading/node()">
              <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
              <xsl:with-param name="in-note" select="true()" tunnel="yes"/>
              <xsl:with-param name="in-entry" select="true()" tunnel="yes"/>
            </xsl:apply-templates>
          </xsl:variable>
          <xsl:choose>
            <xsl:when test="$r?reading/@xml:lang">
              <span lang="{tkp:bcp47($r?reading/@xml:lang)}"><xsl:sequence select="$words"/></span>
            </xsl:when>
            <xsl:otherwise><xsl:sequence select="$words"/></xsl:otherwise>
          </xsl:choose>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="exists($r?wit)">
          <xsl:text> </xsl:text>
          <i class="sigla"><xsl:value-of select="tk:plain($r?wit/node())"/></i>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="tkp:sigla($r?sigla)"/></xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="$r?qualifiers">
        <xsl:value-of select="' (' || . || ')'"/>
      </xsl:for-each>
      <xsl:for-each select="$r?details">
        <xsl:text> (</xsl:text>
        <xsl:sequence select="tail(tkp:sigla(tk:named-witnesses(.)))"/>
        <xsl:text> </xsl:text>
        <xsl:apply-templates>
          <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
          <xsl:with-param name="in-note" select="true()" tunnel="yes"/>
          <xsl:with-param name="in-entry" select="true()" tunnel="yes"/>
        </xsl:apply-templates>
        <xsl:text>)</xsl:text>
      </xsl:for-each>
    </xsl:for-each>
    <xsl:for-each select="$parts[?part = 'note']">
      <xsl:text> &#x2013; </xsl:text>
      <xsl:apply-templates select="?note/node()">
        <xsl:with-param name="in-p" select="true()" tunnel="yes"/>
        <xsl:with-param name="in-note" select="true()" tunnel="yes"/>
        <xsl:with-param name="in-entry" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:for-each>
  </xsl:template>

  <!-- Sigla, in italics: " A B". -->
  <xsl:function name="tkp:sigla" as="node()*">
    <xsl:param name="ids" as="xs:string*"/>
    <xsl:if test="exists($ids)">
      <xsl:text> </xsl:text>
      <i class="sigla"><xsl:value-of select="$ids ! tk:siglum(.)" separator=" "/></i>
    </xsl:if>
  </xsl:function>

  <!-- ========================================================== after the text, the sigla -->

  <!-- Entries too long for the foot of a page, and entries without a place in the text. -->
  <xsl:template name="tkp:apparatus-after" as="node()*">
    <xsl:variable name="after" as="element(tei:app)*" select="$tkp:entries[tkp:is-after-text(.)]"/>
    <xsl:if test="exists($after)">
      <section class="apparatus-after endnotes" lang="{$tkp:text-lang}">
        <h2 lang="{$language}"><xsl:value-of select="tk:string('apparatus.long')"/></h2>
        <xsl:for-each select="$after">
          <xsl:variable name="app" as="element(tei:app)" select="."/>
          <div class="endnote app-after" id="tk-pae-{generate-id()}">
            <xsl:if test="tk:is-placed(.) or @tk:placed">
              <a class="endnote-back" href="#{tkp:app-id(.)}">
                <xsl:value-of select="tk:string('apparatus.page') || ' '"/>
              </a>
            </xsl:if>
            <xsl:call-template name="tkp:entry-words"/>
            <xsl:for-each select="tk:placement(.)">
              <xsl:value-of select="' (' || string-join(($app/@loc ! tk:string('apparatus.locus', map{'loc': string(.)}),
                tk:string('apparatus.' || .)), ', ') || ')'"/>
            </xsl:for-each>
          </div>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- The sigla of the witnesses, after the editorial statement (a listWit of the text is
       printed where it stands). -->
  <xsl:template name="tkp:sigla-list" as="node()*">
    <xsl:if test="exists($tkp:entries) and exists(tk:witness-list())
                  and empty(//tei:text//tei:listWit)">
      <section class="sigla-list">
        <h2><xsl:value-of select="tk:string('apparatus.sigla')"/></h2>
        <xsl:call-template name="tkp:witness-lines"/>
        <p><xsl:value-of select="tk:string(if ($tkp:verse-keys) then 'apparatus.keyed_verse'
                                 else 'apparatus.keyed_lines')"/></p>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A listWit of the text: siglum, then description. -->
  <xsl:template match="tei:listWit[not(ancestor::tei:listWit)]" as="node()*">
    <xsl:param name="in-p" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{tkp:block('div', $in-p)}">
      <xsl:call-template name="tkp:attrs"><xsl:with-param name="class" select="'listWit blk'"/></xsl:call-template>
      <xsl:apply-templates select="tei:head"/>
      <xsl:call-template name="tkp:witness-lines"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tkp:witness-lines" as="node()*">
    <span class="listWit blk">
      <xsl:for-each select="tk:witness-list()">
        <span class="witness blk">
          <i class="sigla"><xsl:value-of select="tk:siglum(@xml:id)"/></i>
          <xsl:text> </xsl:text>
          <xsl:value-of select="tk:witness-description(@xml:id)"/>
          <xsl:if test="self::tei:listWit">
            <xsl:value-of select="' (' || string-join(tk:witness-members(@xml:id) ! tk:siglum(.), ', ') || ')'"/>
          </xsl:if>
        </span>
      </xsl:for-each>
    </span>
  </xsl:template>
</xsl:stylesheet>
