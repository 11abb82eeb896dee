<?xml version="1.0" encoding="UTF-8"?>
<!--
  Notes and the critical apparatus. A note is a numbered marker in the text (a link to the note;
  the script turns it into a button opening a popover) and an entry in the notes section at the
  end, which links back to the marker. An apparatus entry (app with rdg) keeps the lemma in the
  text, shows the readings on hover, and lists them with their witnesses after the notes.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- Notes shown as markers: those of the text, except in figure descriptions (alt text) and in
       the entity lists of a back (data, not shown). -->
  <xsl:function name="h:is-shown-note" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="exists($note/self::tei:note[ancestor::tei:text][not(ancestor::tei:figDesc)]
                          [not(ancestor::*[tk:is-entity-list(.)])])"/>
  </xsl:function>

  <xsl:accumulator name="h:note" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:note[h:is-shown-note(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- Apparatus entries with readings, in the text (an app inside a note is part of the note). -->
  <xsl:function name="h:is-apparatus" as="xs:boolean">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="exists($app/self::tei:app[tei:rdg][ancestor::tei:text][not(ancestor::tei:note | ancestor::tei:figDesc)]
                          [not(ancestor::*[tk:is-entity-list(.)])])"/>
  </xsl:function>

  <xsl:accumulator name="h:app" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:app[h:is-apparatus(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <xsl:function name="h:note-no" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note ! accumulator-before('h:note')"/>
  </xsl:function>

  <xsl:function name="h:app-no" as="xs:integer">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="$app ! accumulator-before('h:app')"/>
  </xsl:function>

  <!-- a, b, … z, aa, ab … for apparatus markers -->
  <xsl:function name="h:letters" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="if ($n le 26) then codepoints-to-string(96 + $n)
                          else h:letters(($n - 1) idiv 26) || codepoints-to-string(97 + ($n - 1) mod 26)"/>
  </xsl:function>

  <!-- ===== notes ===== -->

  <xsl:template match="tei:note">
    <xsl:param name="h:ids" as="xs:boolean" tunnel="yes" select="true()"/>
    <xsl:param name="h:in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="n" as="xs:integer" select="h:note-no(.)"/>
    <!-- U+2060 WORD JOINER: no line break between the word (or its full stop) and the call -->
    <sup class="note-sup">&#x2060;<xsl:element name="{if ($h:in-link) then 'span' else 'a'}">
        <xsl:if test="not($h:in-link)">
          <xsl:attribute name="href" select="'#' || h:block-id(.)"/>
          <xsl:attribute name="data-note" select="h:block-id(.)"/>
          <!-- the link's name for screen readers: a hidden word inside it would be a place
               where the browser may break the line, leaving the call alone on the next -->
          <xsl:attribute name="aria-label" select="tk:string('notes.call', map{'n': string($n)})"/>
        </xsl:if>
        <xsl:attribute name="class" select="'note-ref' || (if (h:is-editorial(.)) then ' note-ref-ed' else '')"/>
        <xsl:if test="$h:ids"><xsl:attribute name="id" select="'tk-nref-' || $n"/></xsl:if>
        <xsl:if test="$h:in-link">
          <span class="visually-hidden"><xsl:value-of select="tk:string('notes.note') || ' '"/></span>
        </xsl:if>
        <xsl:value-of select="$n"/>
      </xsl:element>
    </sup>
    <xsl:if test="tk:space-after-call(.)"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <xsl:function name="h:is-editorial" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/@type = ('editorial', 'commentary', 'gloss', 'ed') or exists($note/@resp)"/>
  </xsl:function>

  <!-- Who is responsible for a note (@resp="#id" → the name of that person or respStmt). -->
  <xsl:function name="h:resp-name" as="xs:string?">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="who" as="element()?" select="h:resolve($note, tokenize(normalize-space($note/@resp), ' ')[1])"/>
    <xsl:variable name="name" as="element()?" select="($who/(tei:persName | tei:name | tei:orgName), $who)[1]"/>
    <xsl:sequence select="if ($who/(self::tei:person | self::tei:org | self::tei:personGrp)) then h:entry-name($who)
                          else if ($name) then normalize-space(h:text-of($name))[. != ''] else ()"/>
  </xsl:function>

  <xsl:template name="h:notes-section">
    <xsl:variable name="notes" as="element()*" select="//tei:note[h:is-shown-note(.)]"/>
    <xsl:if test="exists($notes)">
      <section class="notes" id="tk-notes" aria-labelledby="tk-notes-h">
        <h2 id="tk-notes-h"><xsl:value-of select="tk:string('notes.heading')"/></h2>
        <ol class="notes-list">
          <xsl:for-each select="$notes">
            <xsl:variable name="n" as="xs:integer" select="h:note-no(.)"/>
            <li id="{h:block-id(.)}">
              <xsl:attribute name="class" select="'note' || (if (h:is-editorial(.)) then ' note-editorial' else '')"/>
              <!-- a note is in the language of the text around it, or its own -->
              <xsl:for-each select="h:lang-of(.)"><xsl:attribute name="lang" select="."/></xsl:for-each>
              <a href="#tk-nref-{$n}" class="note-num">
                <span class="visually-hidden" lang="{$language}"><xsl:value-of select="tk:string('notes.back') || ', ' || tk:string('notes.note') || ' '"/></span>
                <xsl:value-of select="$n"/>
              </a>
              <div class="note-body">
                <xsl:if test="h:is-editorial(.)">
                  <p class="note-label" lang="{$language}">
                    <xsl:value-of select="string-join((tk:string('notes.editorial'), h:resp-name(.)), ' · ')"/>
                  </p>
                </xsl:if>
                <xsl:choose>
                  <xsl:when test="h:has-blocks(.)"><xsl:apply-templates/></xsl:when>
                  <xsl:otherwise><p><xsl:apply-templates/></p></xsl:otherwise>
                </xsl:choose>
              </div>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== critical apparatus ===== -->

  <xsl:template match="tei:app">
    <xsl:param name="h:ids" as="xs:boolean" tunnel="yes" select="true()"/>
    <xsl:param name="h:in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="lem" as="element()?" select="tk:base-reading(.)"/>
    <xsl:choose>
      <xsl:when test="h:is-apparatus(.)">
        <xsl:variable name="n" as="xs:integer" select="h:app-no(.)"/>
        <span class="app" title="{h:readings-text(.)}">
          <xsl:call-template name="h:id"/>
          <span class="lem"><xsl:apply-templates select="$lem/node()"/></span>
        </span>
        <sup class="note-sup">&#x2060;<xsl:element name="{if ($h:in-link) then 'span' else 'a'}">
            <xsl:if test="not($h:in-link)">
              <xsl:attribute name="href" select="'#tk-app-' || $n"/>
              <xsl:attribute name="data-note" select="'tk-app-' || $n"/>
              <xsl:attribute name="aria-label" select="tk:string('apparatus.call', map{'n': h:letters($n)})"/>
            </xsl:if>
            <xsl:attribute name="class" select="'note-ref app-ref'"/>
            <xsl:if test="$h:ids"><xsl:attribute name="id" select="'tk-aref-' || $n"/></xsl:if>
            <xsl:if test="$h:in-link">
              <span class="visually-hidden"><xsl:value-of select="tk:string('apparatus.readings') || ' '"/></span>
            </xsl:if>
            <xsl:value-of select="h:letters($n)"/>
          </xsl:element>
        </sup>
      </xsl:when>
      <xsl:when test="ancestor::tei:note">
        <!-- the lemma of an apparatus note: "lemma]" -->
        <span class="lem"><xsl:apply-templates select="$lem/node()"/></span>
        <xsl:text>] </xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="$lem/node()"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:function name="h:witnesses" as="xs:string?">
    <xsl:param name="rdg" as="element()"/>
    <xsl:variable name="w" as="xs:string*" select="
      tokenize(normalize-space($rdg/@wit), ' ') ! replace(., '^.*#', '')[. != '']"/>
    <xsl:sequence select="if (exists($w)) then string-join($w, ' ') else ()"/>
  </xsl:function>

  <xsl:function name="h:readings-text" as="xs:string">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="string-join($app/tei:rdg ! (
      (if (h:text-of(node()) = '') then tk:string('apparatus.omitted') else h:text-of(node()))
      || (h:witnesses(.) ! (' ' || .))), '; ')"/>
  </xsl:function>

  <xsl:template name="h:apparatus-section">
    <xsl:variable name="apps" as="element()*" select="//tei:app[h:is-apparatus(.)]"/>
    <xsl:if test="exists($apps)">
      <section class="apparatus notes" id="tk-apparatus" aria-labelledby="tk-apparatus-h">
        <h2 id="tk-apparatus-h"><xsl:value-of select="tk:string('apparatus.heading')"/></h2>
        <ol class="notes-list apparatus-list">
          <xsl:for-each select="$apps">
            <xsl:variable name="n" as="xs:integer" select="h:app-no(.)"/>
            <li id="tk-app-{$n}" class="note">
              <xsl:for-each select="h:lang-of(.)"><xsl:attribute name="lang" select="."/></xsl:for-each>
              <a href="#tk-aref-{$n}" class="note-num">
                <span class="visually-hidden" lang="{$language}"><xsl:value-of select="tk:string('notes.back') || ', '"/></span>
                <xsl:value-of select="h:letters($n)"/>
              </a>
              <div class="note-body">
                <p>
                  <span class="lem">
                    <xsl:apply-templates select="tk:base-reading(.)/node()">
                      <xsl:with-param name="h:ids" select="false()" tunnel="yes"/>
                    </xsl:apply-templates>
                  </span>
                  <xsl:for-each select="tei:lem[@wit]">
                    <xsl:value-of select="' ' || h:witnesses(.)"/>
                  </xsl:for-each>
                  <xsl:text>] </xsl:text>
                  <xsl:for-each select="(tei:rdg, tei:rdgGrp/tei:rdg)[not(. is tk:base-reading(current()))]">
                    <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
                    <span class="rdg">
                      <xsl:call-template name="h:id"/>
                      <xsl:choose>
                        <xsl:when test="normalize-space(.) = '' and not(*)"><i><xsl:value-of select="tk:string('apparatus.omitted')"/></i></xsl:when>
                        <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
                      </xsl:choose>
                    </span>
                    <xsl:for-each select="h:witnesses(.)">
                      <xsl:text> </xsl:text><span class="wit"><xsl:value-of select="."/></span>
                    </xsl:for-each>
                  </xsl:for-each>
                </p>
              </div>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
