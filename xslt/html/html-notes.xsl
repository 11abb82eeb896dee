<?xml version="1.0" encoding="UTF-8"?>
<!--
  Notes. A note is a numbered marker in the text (a link to the note; the script turns it into a
  button opening a popover) and an entry in the notes section at the end, which links back to
  the marker. The critical apparatus is html-apparatus.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- Notes shown as markers: those of the text, except in figure descriptions (alt text), in
       the entity lists of a back (data, not shown) and the notes of apparatus entries (part of
       their entry). -->
  <xsl:function name="h:is-shown-note" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="exists($note/self::tei:note[ancestor::tei:text][not(ancestor::tei:figDesc)]
                          [not(ancestor::*[tk:is-entity-list(.)])][not(parent::tei:app)])"/>
  </xsl:function>

  <xsl:accumulator name="h:note" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:note[h:is-shown-note(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <xsl:function name="h:note-no" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note ! accumulator-before('h:note')"/>
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

</xsl:stylesheet>
