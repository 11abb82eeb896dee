<?xml version="1.0" encoding="UTF-8"?>
<!--
  Persons, places and organisations. A mention (persName, placeName, orgName, or name/rs with
  @ref or @key) links to its register entry (persons.html#ID …) and carries a card: the entity's
  normalised name, dates and role, read from the document's standOff/teiHeader lists or from
  another file of the edition (ref="persons.xml#id"). Figurative uses (type="figurative" with
  @corresp) show the name used and who is meant.

  Register ids come from the pointer alone (h:entity-id), so the pages and the registers built
  by toolkit/html/site.py from the facts always agree.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <xsl:key name="h:entity-key" match="tei:person | tei:personGrp | tei:place | tei:org"
    use="@xml:id, normalize-space(@n)"/>

  <!-- The element a pointer designates: "#id" in this document, or "file.xml#id" in a file of
       the edition beside it (never an absolute path, a parent folder or a URL). -->
  <xsl:function name="h:resolve" as="element()?">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="p" as="xs:string" select="normalize-space($pointer)"/>
    <xsl:choose>
      <xsl:when test="starts-with($p, '#')">
        <xsl:sequence select="tk:target($context, $p)"/>
      </xsl:when>
      <xsl:when test="matches($p, '^([\p{L}\p{N}_][\p{L}\p{N}_.\-]*/)*[\p{L}\p{N}_][\p{L}\p{N}_.\-]*\.xml#[\p{L}\p{N}_.\-]+$')
                      and not(contains($p, '..'))">
        <xsl:variable name="file" as="document-node()?" select="$documents(substring-before($p, '#'))"/>
        <xsl:sequence select="if ($file) then key('tk:id', substring-after($p, '#'), $file)[1] else ()"/>
      </xsl:when>
    </xsl:choose>
  </xsl:function>

  <!-- The pointer of a mention: the first of @ref, else @key. -->
  <xsl:function name="h:entity-pointer" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="p" as="xs:string?" select="(tokenize(normalize-space($el/@ref), ' ')[1], normalize-space($el/@key)[. != ''])[1]"/>
    <!-- a pointer that is a script, a path out of the edition, or the like is no entity -->
    <xsl:sequence select="$p[not(matches(lower-case(replace(., '[\s\p{C}]', '')), '^(javascript|data|vbscript|file):|^/|\.\./'))]"/>
  </xsl:function>

  <xsl:function name="h:entity-id" as="xs:string">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:sequence select="h:slug(if (contains($pointer, '#')) then substring-after($pointer, '#') else $pointer)"/>
  </xsl:function>

  <!-- The authority entry (person, place, org …) a pointer or key leads to, if any. -->
  <xsl:function name="h:entity-entry" as="element()?">
    <xsl:param name="el" as="element()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="
      if (empty($pointer)) then ()
      else if (normalize-space($el/@ref) != '') then h:resolve($el, $pointer)
      else key('h:entity-key', $pointer, root($el))[1]"/>
  </xsl:function>

  <xsl:function name="h:entity-type" as="xs:string">
    <xsl:param name="el" as="element()?"/>
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="t" as="xs:string" select="lower-case(string(($el/@type[not(. = 'figurative')], '')[1]))"/>
    <xsl:sequence select="
      if ($entry/(self::tei:person | self::tei:personGrp)) then 'person'
      else if ($entry/self::tei:place) then 'place'
      else if ($entry/self::tei:org) then 'org'
      else if ($el/self::tei:persName) then 'person'
      else if ($el/self::tei:placeName) then 'place'
      else if ($el/self::tei:orgName) then 'org'
      else if (matches($t, 'pers|people|author')) then 'person'
      else if (matches($t, 'place|geo|settlement|country|city|region')) then 'place'
      else if (matches($t, 'org|institution|party|newspaper|agency')) then 'org'
      else ''"/>
  </xsl:function>

  <xsl:function name="h:register-page" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="map{'person': 'persons', 'place': 'places', 'org': 'organisations'}($type)"/>
  </xsl:function>

  <!-- Everything known about a mention, or () if it is not a register entity. -->
  <xsl:function name="h:mention" as="map(*)?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="pointer" as="xs:string?" select="h:entity-pointer($el)"/>
    <xsl:variable name="entry" as="element()?" select="h:entity-entry($el, $pointer)"/>
    <xsl:variable name="type" as="xs:string" select="h:entity-type($el, $entry)"/>
    <xsl:variable name="fig" as="xs:boolean" select="$el/@type = 'figurative' and normalize-space($el/@corresp) != ''"/>
    <xsl:variable name="meant-pointer" as="xs:string?" select="if ($fig) then tokenize(normalize-space($el/@corresp), ' ')[1] else ()"/>
    <xsl:variable name="meant-entry" as="element()?" select="if ($fig) then h:resolve($el, $meant-pointer) else ()"/>
    <xsl:sequence select="
      if (empty($pointer) or $type = '') then ()
      else map{
        'id': h:entity-id($pointer),
        'written': h:text-of($el),
        'type': $type,
        'entry': $entry,
        'figurative': $fig,
        'meant-id': $meant-pointer ! h:entity-id(.),
        'meant-type': if ($fig) then (h:entity-type((), $meant-entry)[. != ''], $type)[1] else (),
        'meant-entry': $meant-entry,
        'card': if ($fig) then 'tk-card-fig-' || h:entity-id($pointer) || '-' || h:entity-id($meant-pointer)
                else 'tk-card-' || h:entity-id($pointer)
      }"/>
  </xsl:function>

  <!-- ===== data of an authority entry ===== -->

  <xsl:function name="h:entry-name" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="names" as="element()*"
      select="$entry/(tei:persName | tei:placeName | tei:orgName | tei:name | tei:geogName)"/>
    <xsl:variable name="n" as="element()?" select="(
      $names[@type = ('main', 'reg', 'regularised', 'normalised', 'normalized', 'full', 'standard', 'preferred', 'display')],
      $names[not(@type)],
      $names[not(@type = ('alt', 'variant', 'birth', 'pseudonym', 'nickname', 'real', 'short', 'abbr', 'parent'))],
      $names)[1]"/>
    <xsl:sequence select="
      if ($n) then normalize-space(h:text-of($n, 'normalised'))
      else if ($entry/@n) then normalize-space($entry/@n)
      else ()"/>
  </xsl:function>

  <!-- Sort key of a person: "surname, forename" when the name is so tagged. -->
  <xsl:function name="h:entry-sort" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="n" as="element()?" select="($entry/tei:persName[tei:surname][not(@type) or @type = ('main', 'reg', 'full', 'display')], $entry/tei:persName[tei:surname])[1]"/>
    <xsl:variable name="name" as="xs:string?" select="h:entry-name($entry)"/>
    <!-- untagged personal names sort by their last word (Stalin, Joseph Vissarionovich) -->
    <xsl:sequence select="
      if ($n) then normalize-space(string-join(($n/tei:surname[1], $n/tei:forename) ! normalize-space(.), ', '))
      else if ($entry/(self::tei:person) and matches($name, '\s\S+$'))
        then replace(replace($name, '\s*[(\[].*$', ''), '^(.*\S)\s+(\S+)$', '$2, $1')
      else ()"/>
  </xsl:function>

  <xsl:function name="h:event-iso" as="xs:string?">
    <xsl:param name="ev" as="element()?"/>
    <xsl:sequence select="($ev/@when, $ev/@from, $ev/@notBefore, $ev/@to, $ev/@notAfter)[1] ! string(.)"/>
  </xsl:function>

  <!-- A life event as shown in a register: its text, else its date. -->
  <xsl:function name="h:event-label" as="xs:string?">
    <xsl:param name="ev" as="element()?"/>
    <xsl:variable name="text" as="xs:string" select="if ($ev) then normalize-space(h:text-of($ev, 'normalised')) else ''"/>
    <xsl:variable name="dating" as="xs:string" select="tk:dating($ev)"/>
    <xsl:sequence select="
      if ($text != '') then $text
      else if ($dating != '') then $dating
      else ()"/>
  </xsl:function>

  <xsl:function name="h:life-dates" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="b" as="xs:string?" select="h:year(h:event-iso($entry/tei:birth[1]))"/>
    <xsl:variable name="d" as="xs:string?" select="h:year(h:event-iso($entry/tei:death[1]))"/>
    <xsl:variable name="fl" as="element()?" select="$entry/tei:floruit[1]"/>
    <xsl:sequence select="
      if (exists($b) or exists($d)) then ($b, '?')[1] || '–' || ($d, '')[1]
      else if ($fl) then tk:string('register.floruit', map{'date': (h:event-label($fl), '')[1]})
      else if ($entry/(self::tei:org | self::tei:place) and ($entry/@from or $entry/@when)) then ()
      else ()"/>
  </xsl:function>

  <xsl:function name="h:entry-role" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="parts" as="xs:string*" select="
      $entry/(tei:occupation | tei:affiliation | tei:roleName | tei:state | tei:desc | tei:trait | tei:note[@type = ('role', 'context', 'function')])
      ! normalize-space(h:text-of(., 'normalised'))[. != '']"/>
    <xsl:sequence select="if (exists($parts)) then string-join(distinct-values($parts), '; ') else ()"/>
  </xsl:function>

  <xsl:function name="h:entry-note" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="parts" as="xs:string*" select="
      $entry/tei:note[not(@type = ('role', 'context', 'function'))] ! normalize-space(h:text-of(., 'normalised'))[. != '']"/>
    <xsl:sequence select="if (exists($parts)) then string-join($parts, ' ') else ()"/>
  </xsl:function>

  <xsl:function name="h:entry-place" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="parts" as="xs:string*" select="
      $entry/(tei:location/(tei:settlement | tei:region | tei:country | tei:district | tei:bloc | tei:placeName), tei:country, tei:region, tei:settlement)
      ! normalize-space(h:text-of(., 'normalised'))[. != '']"/>
    <xsl:sequence select="if (exists($parts)) then string-join(distinct-values($parts), ', ') else ()"/>
  </xsl:function>

  <xsl:function name="h:entry-wikidata" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="cands" as="xs:string*" select="
      $entry/tei:idno[matches(lower-case(@type), '^(wikidata|wd|qid)$')] ! normalize-space(.),
      ($entry/tei:idno, $entry/@sameAs, $entry/@ref, $entry/@corresp, $entry/*/@ref)[contains(., 'wikidata.org')]
        ! replace(normalize-space(.), '^.*wikidata\.org/(wiki|entity)/(Q[0-9]+).*$', '$2')"/>
    <xsl:sequence select="$cands[matches(., '^Q[0-9]+$')][1]"/>
  </xsl:function>

  <xsl:function name="h:entry-data" as="map(xs:string, xs:string)">
    <xsl:param name="entry" as="element()?"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="pairs" as="map(xs:string, xs:string)*" select="
      map{'type': $type},
      h:entry-name($entry) ! map{'name': .},
      h:entry-sort($entry) ! map{'sort': .},
      h:life-dates($entry) ! map{'dates': .},
      h:event-label($entry/tei:birth[1]) ! map{'birth': .},
      h:event-label($entry/tei:death[1]) ! map{'death': .},
      h:entry-role($entry) ! map{'role': .},
      h:entry-note($entry) ! map{'note': .},
      h:entry-place($entry) ! map{'located': .},
      h:entry-wikidata($entry) ! map{'wikidata': .},
      h:lang-of($entry) ! map{'lang': .}"/>
    <xsl:sequence select="map:merge($pairs)"/>
  </xsl:function>

  <xsl:function name="h:shorten" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="if (string-length($s) le $max) then $s
                          else replace(substring($s, 1, $max), '\s+\S*$', '') || '…'"/>
  </xsl:function>

  <!-- The card of an entity as one line of text (title attribute, no JavaScript). -->
  <xsl:function name="h:card-text" as="xs:string">
    <xsl:param name="data" as="map(*)"/>
    <xsl:param name="written" as="xs:string"/>
    <xsl:sequence select="string-join((
      ($data?name, $written)[1] || $data?dates ! (' (' || . || ')'),
      ($data?role, $data?located)[1] ! h:shorten(., 160)), ': ')"/>
  </xsl:function>

  <!-- ===== mentions in the text ===== -->

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs">
    <xsl:param name="h:in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="m" as="map(*)?" select="h:mention(.)"/>
    <xsl:choose>
      <xsl:when test="empty($m)">
        <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'name'"/></xsl:call-template>
          <xsl:apply-templates/></span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="data" as="map(*)" select="h:entry-data($m?entry, $m?type)"/>
        <xsl:variable name="written" as="xs:string" select="h:text-of(.)"/>
        <xsl:variable name="title" as="xs:string" select="
          if ($m?figurative)
          then tk:quoted($written) || ' ' || tk:string('entity.figurative') || ' '
               || h:card-text(h:entry-data($m?meant-entry, $m?meant-type), $m?meant-id)
          else h:card-text($data, $written)"/>
        <xsl:element name="{if ($h:in-link) then 'span' else 'a'}">
          <xsl:if test="not($h:in-link)">
            <xsl:attribute name="href" select="h:register-page($m?type) || '.html#' || encode-for-uri($m?id)"/>
          </xsl:if>
          <xsl:call-template name="h:attrs">
            <xsl:with-param name="class" select="'ent', 'ent-' || $m?type, if ($m?figurative) then 'ent-fig' else ()"/>
          </xsl:call-template>
          <xsl:attribute name="title" select="$title"/>
          <xsl:attribute name="data-card" select="$m?card"/>
          <xsl:attribute name="aria-describedby" select="$m?card"/>
          <xsl:apply-templates>
            <xsl:with-param name="h:in-link" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Name parts in the text: transparent. -->
  <xsl:template match="tei:forename | tei:surname | tei:addName | tei:nameLink | tei:roleName | tei:genName | tei:settlement | tei:country | tei:region">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- The cards of the entities mentioned, once each; the script shows them on hover and focus,
       and screen readers read them as the links' descriptions. -->
  <xsl:template name="h:cards">
    <xsl:variable name="mentions" as="map(*)*"
      select="//tei:text//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs)[not(ancestor::tei:teiHeader)]
              [not(ancestor::*[tk:is-entity-list(.)])] ! h:mention(.)"/>
    <xsl:if test="exists($mentions)">
      <div id="tk-cards" hidden="hidden">
        <xsl:for-each-group select="$mentions" group-by="?card">
          <xsl:variable name="m" as="map(*)" select="current-group()[1]"/>
          <xsl:variable name="data" as="map(*)" select="h:entry-data($m?entry, $m?type)"/>
          <div class="card card-{$m?type}" id="{$m?card}">
            <xsl:choose>
              <xsl:when test="$m?figurative">
                <xsl:variable name="meant" as="map(*)" select="h:entry-data($m?meant-entry, $m?meant-type)"/>
                <p class="card-kind"><xsl:value-of select="tk:string('entity.' || $m?type)"/></p>
                <p class="card-name"><xsl:value-of select="($data?name, $m?id)[1]"/></p>
                <p class="card-fig"><xsl:value-of select="tk:string('entity.figurative')"/></p>
                <xsl:call-template name="h:card-body">
                  <xsl:with-param name="data" select="$meant"/>
                  <xsl:with-param name="fallback" select="$m?meant-id"/>
                </xsl:call-template>
              </xsl:when>
              <xsl:otherwise>
                <p class="card-kind"><xsl:value-of select="tk:string('entity.' || $m?type)"/></p>
                <xsl:call-template name="h:card-body">
                  <xsl:with-param name="data" select="$data"/>
                  <xsl:with-param name="fallback" select="$m?written"/>
                </xsl:call-template>
              </xsl:otherwise>
            </xsl:choose>
          </div>
        </xsl:for-each-group>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template name="h:card-body">
    <xsl:param name="data" as="map(*)"/>
    <xsl:param name="fallback" as="xs:string?"/>
    <p class="card-name">
      <xsl:for-each select="$data?lang"><xsl:attribute name="lang" select="."/></xsl:for-each>
      <xsl:value-of select="($data?name, $fallback[. != ''], '?')[1]"/>
      <xsl:if test="$data?dates"><span class="card-dates"><xsl:value-of select="' (' || $data?dates || ')'"/></span></xsl:if>
    </p>
    <xsl:for-each select="($data?role, $data?located)[1]">
      <p class="card-role">
        <xsl:for-each select="$data?lang"><xsl:attribute name="lang" select="."/></xsl:for-each>
        <xsl:value-of select="h:shorten(., 220)"/></p>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== authority files (a document with only standOff lists) ===== -->

  <xsl:template match="tei:standOff" mode="h:authority">
    <xsl:apply-templates select=".//(tei:listPerson | tei:listPlace | tei:listOrg)[not(ancestor::tei:listPerson | ancestor::tei:listPlace | ancestor::tei:listOrg)]" mode="h:authority"/>
  </xsl:template>

  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg" mode="h:authority">
    <section class="authority-list">
      <h2><xsl:value-of select="if (tei:head) then normalize-space(h:text-of(tei:head[1])) else tk:string('nav.' || map{'listPerson': 'persons', 'listPlace': 'places', 'listOrg': 'organisations'}(local-name()))"/></h2>
      <ul class="authority">
        <xsl:for-each select=".//(tei:person | tei:personGrp | tei:place | tei:org)">
          <xsl:variable name="data" as="map(*)" select="h:entry-data(., h:entity-type((), .))"/>
          <li>
            <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
            <xsl:value-of select="($data?name, @xml:id, '?')[1]"/>
            <xsl:if test="$data?dates"><xsl:value-of select="' (' || $data?dates || ')'"/></xsl:if>
            <xsl:for-each select="($data?role, $data?located)[1]">
              <xsl:value-of select="': ' || h:shorten(., 200)"/>
            </xsl:for-each>
          </li>
        </xsl:for-each>
      </ul>
    </section>
  </xsl:template>
</xsl:stylesheet>
