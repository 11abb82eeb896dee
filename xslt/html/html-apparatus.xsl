<?xml version="1.0" encoding="UTF-8"?>
<!--
  The critical apparatus on the page. What an entry says and which reading each witness has is
  decided in ../common/apparatus.xsl; this module shows it.

  In the text, an entry's words are a span (class app) holding every reading of the entry, each
  a span (class app-rdg) whose data-wit lists the witnesses that read it; all but the base
  reading are hidden. A small letter after it (a link, a button when scripts run) opens the
  entry as a popover; the entry also stands in the apparatus list below the text (separate from
  the notes), which links back. The witness switch of the toolbar (assets/apparatus.js) shows the
  readings of one witness instead, and hides what it lacks (its lacunae, before it begins, after
  it ends: the markers, class app-marker, say where). The witnesses are listed with their
  descriptions; each siglum links to its witness.

  Entries that could not be placed at their words (tk:unattached, tk:placed, see
  toolkit/load/apparatus.py) are in the list, marked as such; an entry at the end of its line
  has its letter there.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- ======================================================================== numbering -->

  <!-- Entries shown in the apparatus: in the text or in a list of their own, not in notes or
       figure descriptions (an entry in a note is read there), nor in the entity lists of a back
       (data, not shown). -->
  <xsl:function name="h:is-apparatus" as="xs:boolean">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="tk:is-entry($app) and empty($app/ancestor::tei:note | $app/ancestor::tei:figDesc
                          | $app/ancestor::*[tk:is-entity-list(.)])"/>
  </xsl:function>

  <xsl:accumulator name="h:app" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:app[h:is-apparatus(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <xsl:function name="h:app-no" as="xs:integer">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="$app ! accumulator-before('h:app')"/>
  </xsl:function>

  <!-- a, b, … z, aa, ab … for apparatus calls -->
  <xsl:function name="h:letters" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="if ($n le 26) then codepoints-to-string(96 + $n)
                          else h:letters(($n - 1) idiv 26) || codepoints-to-string(97 + ($n - 1) mod 26)"/>
  </xsl:function>

  <!-- The witnesses (ids) whose reading of $app is $reading. -->
  <xsl:function name="h:readers" as="xs:string*">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:param name="reading" as="element()?"/>
    <xsl:sequence select="$tk:witness-ids[tk:witness-reading($app, .) is $reading]"/>
  </xsl:function>

  <!-- ====================================================================== in the text -->

  <xsl:template match="tei:app">
    <xsl:param name="h:in-entry" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:choose>
      <!-- the words of an entry within another entry (a nested one): its base reading -->
      <xsl:when test="$h:in-entry">
        <xsl:apply-templates select="tk:flow-reading(.)/node()"/>
      </xsl:when>
      <xsl:when test="ancestor::tei:note and tk:is-entry(.)">
        <span class="app-inline">
          <xsl:call-template name="h:entry-words">
            <xsl:with-param name="app" select="."/>
          </xsl:call-template>
        </span>
      </xsl:when>
      <xsl:when test="ancestor::tei:note">
        <!-- the lemma of an apparatus note: "lemma]" -->
        <span class="lem"><xsl:apply-templates select="tk:base-reading(.)/node()"/></span>
        <xsl:text>] </xsl:text>
      </xsl:when>
      <xsl:when test="h:is-apparatus(.) and tk:is-placed(.)">
        <xsl:variable name="tag" as="xs:string" select="if (h:has-blocks(.)) then 'div' else 'span'"/>
        <xsl:variable name="app" as="element(tei:app)" select="."/>
        <xsl:variable name="base" as="element()?" select="tk:base-reading(.)"/>
        <xsl:element name="{$tag}">
          <xsl:attribute name="class" select="'app'"/>
          <xsl:attribute name="data-app" select="h:app-no(.)"/>
          <xsl:call-template name="h:id"/>
          <xsl:for-each select="tk:readings(.)">
            <xsl:element name="{$tag}">
              <xsl:attribute name="class" select="'app-rdg' || (if (. is $base) then ' app-base' else '')"/>
              <xsl:attribute name="data-wit" select="string-join(h:readers($app, .), ' ')"/>
              <xsl:if test="not(. is $base)">
                <xsl:attribute name="hidden" select="'hidden'"/>
              </xsl:if>
              <xsl:apply-templates/>
            </xsl:element>
          </xsl:for-each>
        </xsl:element>
        <xsl:call-template name="h:app-call"/>
      </xsl:when>
      <xsl:when test="h:is-apparatus(.) and @tk:placed">
        <xsl:call-template name="h:app-call"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="tk:flow-reading(.)/node()"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The call of an entry: its letter, a link to it in the list (a button for the popover
       when scripts run). -->
  <xsl:template name="h:app-call">
    <xsl:param name="h:ids" as="xs:boolean" tunnel="yes" select="true()"/>
    <xsl:param name="h:in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="n" as="xs:integer" select="h:app-no(.)"/>
    <xsl:variable name="label" as="xs:string"
      select="tk:string('apparatus.call_lemma', map{'n': h:letters($n), 'lemma': h:lemma-title(.)})"/>
    <sup class="note-sup">&#x2060;<xsl:element name="{if ($h:in-link) then 'span' else 'a'}">
        <xsl:if test="not($h:in-link)">
          <xsl:attribute name="href" select="'#tk-app-' || $n"/>
          <xsl:attribute name="data-note" select="'tk-app-' || $n"/>
          <xsl:attribute name="aria-label" select="$label"/>
        </xsl:if>
        <xsl:attribute name="class" select="'note-ref app-ref'"/>
        <xsl:if test="$h:ids"><xsl:attribute name="id" select="'tk-aref-' || $n"/></xsl:if>
        <xsl:choose>
          <xsl:when test="$h:in-link">
            <!-- inside a link no aria-label: the call's name is its hidden text -->
            <span class="visually-hidden"><xsl:value-of select="tk:string('apparatus.call', map{'n': h:letters($n)})"/></span>
            <span aria-hidden="true"><xsl:value-of select="h:letters($n)"/></span>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="h:letters($n)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:element>
    </sup>
  </xsl:template>

  <!-- How an entry is named for screen readers: its lemma. -->
  <xsl:function name="h:lemma-title" as="xs:string">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:variable name="parts" as="map(*)*" select="tk:entry-parts($app)"/>
    <xsl:sequence select="($parts[?part = 'lemma']?label[. != ''],
                          tk:string('apparatus.added_title'))[1]"/>
  </xsl:function>

  <!-- Entries kept apart from the text are shown in the apparatus, not where they stand. -->
  <xsl:template match="tei:listApp"/>

  <!-- Where a witness breaks off, resumes, begins or ends: a marker the witness view uses
       (hidden; a lacuna's beginning shows "lacuna" there). -->
  <xsl:template match="tei:lacunaStart | tei:lacunaEnd | tei:witStart | tei:witEnd">
    <xsl:param name="h:in-entry" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="kind" as="xs:string" select="
      map{'lacunaStart': 'lacuna-start', 'lacunaEnd': 'lacuna-end', 'witStart': 'wit-start',
          'witEnd': 'wit-end'}(local-name())"/>
    <xsl:choose>
      <xsl:when test="$h:in-entry or ancestor::tei:note">
        <xsl:variable name="key" as="xs:string" select="'apparatus.' || translate($kind, '-', '_')"/>
        <xsl:text> </xsl:text>
        <abbr class="app-lac" title="{tk:string($key || '_title')}"><xsl:value-of select="tk:string($key)"/></abbr>
        <xsl:text> </xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <span class="app-marker" data-kind="{$kind}" hidden="hidden"
              data-wit="{string-join(tk:marker-witnesses(.), ' ')}">
          <xsl:if test="$kind = 'lacuna-start'">
            <xsl:value-of select="' [' || tk:string('apparatus.lacuna') || '] '"/>
          </xsl:if>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ========================================================================= an entry -->

  <!-- What an entry says: "virumque A] virosque B; uirumque C", with sigla linked to the
       witness list, "om." and "add." named, qualifiers, witness details and notes kept. -->
  <xsl:template name="h:entry-words">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:variable name="parts" as="map(*)*" select="tk:entry-parts($app)"/>
    <xsl:variable name="lemma" as="map(*)" select="$parts[?part = 'lemma']"/>
    <xsl:if test="$lemma?label != ''">
      <span class="lem"><xsl:value-of select="$lemma?label"/></span>
      <xsl:if test="not($lemma?empty)">
        <xsl:sequence select="h:sigla($lemma?sigla)"/>
        <span class="app-sep">]</span>
      </xsl:if>
      <xsl:text> </xsl:text>
    </xsl:if>
    <xsl:for-each select="$parts[?part = 'reading']">
      <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
      <xsl:variable name="r" as="map(*)" select="."/>
      <xsl:choose>
        <xsl:when test="$r?kind = 'om'">
          <i class="app-om" title="{tk:string('apparatus.omitted_title')}"><xsl:value-of select="tk:string('apparatus.omitted')"/></i>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="$r?kind = 'add'">
            <i class="app-add" title="{tk:string('apparatus.added_title')}"><xsl:value-of select="tk:string('apparatus.added')"/></i>
            <xsl:text> </xsl:text>
          </xsl:if>
          <span class="rdg">
            <xsl:for-each select="$r?reading">
              <xsl:call-template name="h:lang"/>
              <xsl:apply-templates>
                <xsl:with-param name="h:ids" select="false()" tunnel="yes"/>
                <xsl:with-param name="h:in-entry" select="true()" tunnel="yes"/>
              </xsl:apply-templates>
            </xsl:for-each>
          </span>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="exists($r?wit)">
          <xsl:text> </xsl:text>
          <span class="wit"><xsl:value-of select="tk:plain($r?wit/node())"/></span>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="h:sigla($r?sigla)"/></xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="$r?qualifiers">
        <xsl:text> </xsl:text>
        <span class="app-qual"><xsl:value-of select="'(' || . || ')'"/></span>
      </xsl:for-each>
      <xsl:for-each select="$r?details">
        <xsl:text> </xsl:text>
        <span class="app-detail">
          <xsl:text>(</xsl:text>
          <xsl:sequence select="tail(h:sigla(tk:named-witnesses(.)))"/>
          <xsl:text> </xsl:text>
          <xsl:apply-templates>
            <xsl:with-param name="h:ids" select="false()" tunnel="yes"/>
            <xsl:with-param name="h:in-entry" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
          <xsl:text>)</xsl:text>
        </span>
      </xsl:for-each>
    </xsl:for-each>
    <xsl:for-each select="$parts[?part = 'note']">
      <xsl:text> </xsl:text>
      <span class="app-note">
        <xsl:text>&#x2013; </xsl:text>
        <xsl:apply-templates select="?note/node()">
          <xsl:with-param name="h:ids" select="false()" tunnel="yes"/>
          <xsl:with-param name="h:in-entry" select="true()" tunnel="yes"/>
        </xsl:apply-templates>
      </span>
    </xsl:for-each>
  </xsl:template>

  <!-- Sigla, each a link to its witness in the list (its description as the title). -->
  <xsl:function name="h:sigla" as="node()*">
    <xsl:param name="ids" as="xs:string*"/>
    <xsl:for-each select="$ids">
      <xsl:text> </xsl:text>
      <xsl:variable name="known" as="xs:boolean" select="exists($tk:root ! key('tk:witness', current(), .))"/>
      <xsl:variable name="description" as="xs:string" select="tk:witness-description(.)"/>
      <xsl:element name="{if ($known) then 'a' else 'span'}">
        <xsl:attribute name="class" select="'siglum'"/>
        <xsl:if test="$known">
          <xsl:attribute name="href" select="'#tk-wit-' || h:slug(.)"/>
        </xsl:if>
        <xsl:if test="$description != ''">
          <xsl:attribute name="title" select="$description"/>
        </xsl:if>
        <xsl:value-of select="tk:siglum(.)"/>
      </xsl:element>
    </xsl:for-each>
  </xsl:function>

  <!-- ======================================================================= the list -->

  <xsl:template name="h:apparatus-section">
    <xsl:variable name="apps" as="element()*" select="$tk:all-entries"/>
    <xsl:if test="exists($apps)">
      <section class="apparatus notes" id="tk-apparatus" aria-labelledby="tk-apparatus-h">
        <h2 id="tk-apparatus-h"><xsl:value-of select="tk:string('apparatus.heading')"/></h2>
        <ol class="notes-list apparatus-list">
          <xsl:for-each select="$apps">
            <xsl:variable name="n" as="xs:integer" select="h:app-no(.)"/>
            <xsl:variable name="app" as="element(tei:app)" select="."/>
            <xsl:variable name="called" as="xs:boolean" select="tk:is-placed(.) or exists(@tk:placed)"/>
            <li id="tk-app-{$n}">
              <xsl:attribute name="class" select="'note app-entry' || (if (tk:is-placed(.)) then '' else ' app-unplaced')"/>
              <xsl:if test="not(tk:is-placed(.))">
                <!-- the witnesses whose readings the text cannot show -->
                <xsl:attribute name="data-wit" select="string-join(distinct-values(
                  tk:entry-parts(.)[?part = 'reading']?sigla ! tk:witness-members(.)), ' ')"/>
              </xsl:if>
              <xsl:choose>
                <xsl:when test="$called">
                  <a href="#tk-aref-{$n}" class="note-num">
                    <span class="visually-hidden"><xsl:value-of select="tk:string('apparatus.back') || ', '"/></span>
                    <xsl:value-of select="h:letters($n)"/>
                  </a>
                </xsl:when>
                <xsl:otherwise>
                  <span class="note-num"><xsl:value-of select="h:letters($n)"/></span>
                </xsl:otherwise>
              </xsl:choose>
              <div class="note-body">
                <p>
                  <xsl:for-each select="tk:app-line(.)">
                    <span class="app-key" title="{tk:string('apparatus.line', map{'n': string(.)})}"><xsl:value-of select="."/></span>
                    <xsl:text> </xsl:text>
                  </xsl:for-each>
                  <xsl:call-template name="h:entry-words">
                    <xsl:with-param name="app" select="."/>
                  </xsl:call-template>
                  <xsl:for-each select="tk:placement(.)">
                    <xsl:text> </xsl:text>
                    <span class="app-unplaced-note">
                      <xsl:value-of select="'(' || string-join(($app/@loc ! tk:string('apparatus.locus', map{'loc': string(.)}),
                        tk:string('apparatus.' || .)), ', ') || ')'"/>
                    </span>
                  </xsl:for-each>
                </p>
              </div>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ======================================================================== witnesses -->

  <!-- The witnesses with their descriptions, before the text (unless the text has its own
       listWit, which is shown where it stands). -->
  <xsl:template name="h:witnesses-section">
    <xsl:if test="exists($tk:all-entries) and exists(tk:witness-list())
                  and empty(//tei:text//tei:listWit)">
      <section class="witnesses" id="tk-witnesses" aria-labelledby="tk-witnesses-h">
        <h2 id="tk-witnesses-h"><xsl:value-of select="tk:string('apparatus.witnesses')"/></h2>
        <xsl:call-template name="h:witness-dl"/>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:listWit[not(ancestor::tei:listWit)]">
    <div class="witnesses">
      <xsl:call-template name="h:id"/>
      <xsl:apply-templates select="tei:head"/>
      <xsl:call-template name="h:witness-dl"/>
    </div>
  </xsl:template>

  <xsl:template name="h:witness-dl">
    <dl class="witness-list">
      <xsl:for-each select="tk:witness-list()">
        <dt id="tk-wit-{h:slug(@xml:id)}"><xsl:value-of select="tk:siglum(@xml:id)"/></dt>
        <dd>
          <xsl:value-of select="tk:witness-description(@xml:id)"/>
          <xsl:if test="self::tei:listWit">
            <xsl:value-of select="' (' || string-join(tk:witness-members(@xml:id) ! tk:siglum(.), ', ') || ')'"/>
          </xsl:if>
        </dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <!-- The witness switch of the toolbar (shown when scripts run). -->
  <xsl:template name="h:witness-switch">
    <xsl:if test="exists($tk:all-entries[tk:is-placed(.)]) and exists($tk:witness-ids)">
      <div class="witness-switch">
        <label for="tk-witness"><xsl:value-of select="tk:string('apparatus.witness_view')"/></label>
        <xsl:text> </xsl:text>
        <select id="tk-witness" aria-describedby="tk-witness-status">
          <option value=""><xsl:value-of select="tk:string('apparatus.base_text')"/></option>
          <xsl:for-each select="$tk:witness-ids">
            <option value="{.}">
              <xsl:value-of select="string-join((tk:siglum(.), tk:witness-description(.)[. != '']), ' &#x2014; ')"/>
            </option>
          </xsl:for-each>
        </select>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The texts of the witnesses, among the downloads (witness_texts). -->
  <xsl:template name="h:witness-downloads">
    <xsl:for-each select="$tk:witness-texts[exists($tk:all-entries)]">
      <li><a href="{$site-root}../text/{encode-for-uri($source-name)}.witness-{encode-for-uri(.)}.txt" type="text/plain">
        <xsl:value-of select="tk:string('apparatus.witness_download', map{'siglum': tk:siglum(.)})"/></a></li>
    </xsl:for-each>
  </xsl:template>

  <!-- Where the script says which witness is shown (above the text). -->
  <xsl:template name="h:witness-status">
    <xsl:if test="exists($tk:all-entries[tk:is-placed(.)]) and exists($tk:witness-ids)">
      <p class="witness-status js-only" id="tk-witness-status" role="status"></p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
