<?xml version="1.0" encoding="UTF-8"?>
<!--
  Persons, places, organisations, works and events. A mention (persName, placeName, orgName,
  or name/rs with @ref or @key, a title with @ref or @key) links to its register entry
  (persons.html#ID …) and carries a card: the entity's normalised name, dates and role. Where
  the pointer leads is the build's word ($tk:edition, xslt/common/edition.xsl: an entry of any
  file of the edition, with its data and its register page); a document rendered on its own
  reads the lists of its standOff/teiHeader, or a file beside it (ref="persons.xml#id").
  Figurative uses (type="figurative" with @corresp) show the name used and who is meant.

  Without the build's word, register ids come from the pointer alone (h:entity-id), so the
  pages and the registers built by toolkit/html/site.py from the facts agree.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <xsl:key name="h:entity-key" match="tei:person | tei:personGrp | tei:place | tei:org | tei:event
    | tei:bibl[@xml:id] | tei:biblStruct[@xml:id]" use="@xml:id, normalize-space(@n)"/>

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
      else if ($entry/(self::tei:bibl | self::tei:biblStruct | self::tei:biblFull)) then 'work'
      else if ($entry/self::tei:event) then 'event'
      else if ($el/self::tei:persName) then 'person'
      else if ($el/self::tei:placeName) then 'place'
      else if ($el/self::tei:orgName) then 'org'
      else if ($el/self::tei:title) then 'work'
      else if (matches($t, 'pers|people|author')) then 'person'
      else if (matches($t, 'place|geo|settlement|country|city|region')) then 'place'
      else if (matches($t, 'org|institution|party|newspaper|agency')) then 'org'
      else if (matches($t, 'work|bibl|book|title|werk|opus')) then 'work'
      else if (matches($t, 'event|ereignis')) then 'event'
      else ''"/>
  </xsl:function>

  <xsl:function name="h:register-page" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="map{'person': 'persons', 'place': 'places', 'org': 'organisations',
                                'work': 'works', 'event': 'events'}($type)"/>
  </xsl:function>

  <!-- The elements of a text that may mention an entity. -->
  <xsl:function name="h:mention-elements" as="element()*">
    <xsl:param name="texts" as="element()*"/>
    <xsl:sequence select="$texts//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs
                          | tei:title[@ref or @key])[not(ancestor::*[tk:is-entity-list(.)])]"/>
  </xsl:function>

  <!-- The data of an entry as the build gives it (the attributes of its tk:entry). -->
  <xsl:function name="h:known-data" as="map(*)">
    <xsl:param name="entry" as="element(tk:entry)"/>
    <xsl:sequence select="map:merge($entry/@*[not(local-name() = ('id', 'href'))] ! map{local-name(): string(.)})"/>
  </xsl:function>

  <!-- The link to an entity's register entry: the build's, else the register page of its type. -->
  <xsl:function name="h:entity-href" as="xs:string">
    <xsl:param name="known" as="element(tk:entry)?"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if ($known/@href) then string($known/@href)
                          else h:register-page($type) || '.html#' || encode-for-uri($id)"/>
  </xsl:function>

  <!-- Everything known about a mention, or () if it is not a register entity. -->
  <xsl:function name="h:mention" as="map(*)?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="pointer" as="xs:string?" select="h:entity-pointer($el)"/>
    <xsl:variable name="kind" as="xs:string"
      select="if ($pointer = tokenize(normalize-space($el/@ref), ' ')[1]) then 'ptr' else 'key'"/>
    <!-- the build's word (an entry of the edition's data), else the document's own lists (the
         build leaves them to the page: it found them here too) -->
    <xsl:variable name="known" as="element(tk:entry)?" select="tk:link-entry(tk:link($el, $pointer, $kind))"/>
    <xsl:variable name="entry" as="element()?"
      select="if (exists($known)) then () else h:entity-entry($el, $pointer)"/>
    <xsl:variable name="type" as="xs:string" select="($known/@type, h:entity-type($el, $entry))[1]"/>
    <xsl:variable name="fig" as="xs:boolean" select="$el/@type = 'figurative' and normalize-space($el/@corresp) != ''"/>
    <xsl:variable name="meant-pointer" as="xs:string?" select="if ($fig) then tokenize(normalize-space($el/@corresp), ' ')[1] else ()"/>
    <xsl:variable name="meant-known" as="element(tk:entry)?"
      select="if ($fig) then tk:link-entry(tk:link($el, $meant-pointer, 'ptr')) else ()"/>
    <xsl:variable name="meant-entry" as="element()?"
      select="if ($fig and empty($meant-known)) then h:resolve($el, $meant-pointer) else ()"/>
    <xsl:variable name="id" as="xs:string?" select="($known/@id, $pointer ! h:entity-id(.))[1]"/>
    <xsl:variable name="meant-id" as="xs:string?" select="($meant-known/@id, $meant-pointer ! h:entity-id(.))[1]"/>
    <xsl:variable name="meant-type" as="xs:string?"
      select="if ($fig) then ($meant-known/@type, h:entity-type((), $meant-entry)[. != ''], $type)[1] else ()"/>
    <xsl:sequence select="
      if (empty($pointer) or $type = '') then ()
      else map{
        'id': $id,
        'written': h:text-of($el),
        'type': $type,
        'entry': $entry,
        'data': if ($known) then h:known-data($known) else h:entry-data($entry, $type),
        'href': h:entity-href($known, $type, $id),
        'figurative': $fig,
        'meant-id': $meant-id,
        'meant-type': $meant-type,
        'meant-data': if (not($fig)) then () else if ($meant-known) then h:known-data($meant-known)
                      else h:entry-data($meant-entry, $meant-type),
        'card': if ($fig) then 'tk-card-fig-' || $id || '-' || $meant-id
                else 'tk-card-' || $id
      }"/>
  </xsl:function>

  <!-- ===== data of an authority entry ===== -->

  <xsl:function name="h:entry-name" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="names" as="element()*"
      select="$entry/(tei:persName | tei:placeName | tei:orgName | tei:name | tei:geogName
              | tei:title | tei:eventName | tei:label | tei:head),
              $entry/self::tei:biblStruct/(tei:analytic, tei:monogr)[1]/tei:title"/>
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
    <xsl:sequence select="h:entry-sort($entry, h:entry-name($entry))"/>
  </xsl:function>

  <xsl:function name="h:entry-sort" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <xsl:param name="name" as="xs:string?"/>
    <xsl:variable name="n" as="element()?" select="($entry/tei:persName[tei:surname][not(@type) or @type = ('main', 'reg', 'full', 'display')], $entry/tei:persName[tei:surname])[1]"/>
    <!-- untagged personal names sort by their last word (Stalin, Joseph Vissarionovich) -->
    <xsl:sequence select="
      if ($n) then normalize-space(string-join(($n/tei:surname[1], $n/tei:forename) ! normalize-space(.), ', '))
      else if ($entry/(self::tei:person) and matches($name, '\s\S+$'))
        then replace(replace($name, '\s*[(\[].*$', ''), '^(.*\S)\s+(\S+)$', '$2, $1')
      else ()"/>
  </xsl:function>

  <xsl:function name="h:event-iso" as="xs:string?">
    <xsl:param name="ev" as="element()?"/>
    <xsl:sequence select="($ev/@when, $ev/@from, $ev/@notBefore, $ev/@to, $ev/@notAfter,
                           $ev/tei:date[1]/(@when, @from, @notBefore, @to, @notAfter))[1] ! string(.)"/>
  </xsl:function>

  <!-- A life event as shown in a register: its text, else its date. -->
  <xsl:function name="h:event-label" as="xs:string?">
    <xsl:param name="ev" as="element()?"/>
    <!-- parts without words between them (<date>1821</date><placeName>Berlin</placeName>)
         are joined as a list: "1821, Berlin" -->
    <xsl:variable name="text" as="xs:string" select="
      if (empty($ev)) then ''
      else if ($ev/* and not($ev/text()[normalize-space()])) then
        string-join($ev/* ! normalize-space(h:text-of(., 'normalised'))[. != ''], ', ')
      else normalize-space(h:text-of($ev, 'normalised'))"/>
    <!-- the element that carries the date: the event, else its first date -->
    <xsl:variable name="d" as="element()?" select="if ($ev/(@when | @from | @notBefore | @to | @notAfter)) then $ev else $ev/tei:date[1]"/>
    <xsl:variable name="dating" as="xs:string" select="tk:dating($d)"/>
    <xsl:sequence select="if ($text != '') then $text else if ($dating != '') then $dating else ()"/>
  </xsl:function>

  <!-- The dates of an event entry (its @when, or from … to). -->
  <xsl:function name="h:event-dates" as="xs:string">
    <xsl:param name="ev" as="element()"/>
    <xsl:variable name="from" as="xs:string?" select="($ev/@from, $ev/@notBefore)[1]"/>
    <xsl:variable name="to" as="xs:string?" select="($ev/@to, $ev/@notAfter)[1]"/>
    <xsl:sequence select="if ($ev/@when) then h:format-date($ev/@when)
                          else string-join(($from, $to) ! h:format-date(.), ' – ')"/>
  </xsl:function>

  <xsl:function name="h:year-text" as="xs:string?">
    <xsl:param name="ev" as="element()?"/>
    <xsl:variable name="t" as="xs:string" select="normalize-space(string($ev))"/>
    <xsl:sequence select="$t[matches(., '^((um|ca\.|c\.|vor|nach|before|after|about)\s*)?-?[0-9]{3,4}\??$')]"/>
  </xsl:function>

  <xsl:function name="h:life-dates" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <!-- a year from the date's attributes, else a text that is only a year ('1809', 'um 1750') -->
    <xsl:variable name="b" as="xs:string?" select="(h:year(h:event-iso($entry/tei:birth[1])), h:year-text($entry/tei:birth[1]))[1]"/>
    <xsl:variable name="d" as="xs:string?" select="(h:year(h:event-iso($entry/tei:death[1])), h:year-text($entry/tei:death[1]))[1]"/>
    <xsl:variable name="fl" as="element()?" select="$entry/tei:floruit[1]"/>
    <xsl:sequence select="
      if (exists($b) or exists($d)) then ($b, '?')[1] || '–' || ($d, '')[1]
      else if ($fl) then tk:string('register.floruit', map{'date': (h:event-label($fl), '')[1]})
      else if ($entry/self::tei:event and exists(h:event-iso($entry))) then h:event-dates($entry)
      else if ($entry/(self::tei:org | self::tei:place) and ($entry/@from or $entry/@when)) then ()
      else ()"/>
  </xsl:function>

  <xsl:function name="h:entry-role" as="xs:string?">
    <xsl:param name="entry" as="element()?"/>
    <!-- a work: who wrote it, where and when it appeared -->
    <xsl:variable name="work" as="element()*" select="
      $entry/self::tei:bibl/(tei:author | tei:editor | tei:pubPlace | tei:publisher | tei:date),
      $entry/self::tei:biblStruct/(tei:analytic/tei:author, tei:monogr/(tei:author | tei:editor | tei:imprint/(tei:pubPlace | tei:publisher | tei:date)))"/>
    <xsl:variable name="parts" as="xs:string*" select="
      ($work, $entry/(tei:occupation | tei:affiliation | tei:roleName | tei:state | tei:desc | tei:trait | tei:note[@type = ('role', 'context', 'function')]))
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
    <xsl:variable name="name" as="xs:string?" select="h:entry-name($entry)"/>
    <xsl:variable name="pairs" as="map(xs:string, xs:string)*" select="
      map{'type': $type},
      $name ! map{'name': .},
      h:entry-sort($entry, $name) ! map{'sort': .},
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

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:title[@ref or @key]" priority="1">
    <xsl:param name="h:in-link" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:variable name="m" as="map(*)?" select="h:mention(.)"/>
    <xsl:choose>
      <xsl:when test="empty($m) and self::tei:title"><xsl:next-match/></xsl:when>
      <xsl:when test="empty($m)">
        <span><xsl:call-template name="h:attrs"><xsl:with-param name="class" select="'name'"/></xsl:call-template>
          <xsl:apply-templates/></span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="data" as="map(*)" select="$m?data"/>
        <xsl:variable name="written" as="xs:string" select="h:text-of(.)"/>
        <xsl:variable name="title" as="xs:string" select="
          if ($m?figurative)
          then tk:quoted($written) || ' ' || tk:string('entity.figurative') || ' '
               || h:card-text($m?meant-data, $m?meant-id)
          else h:card-text($data, $written)"/>
        <xsl:element name="{if ($h:in-link) then 'span' else 'a'}">
          <xsl:if test="not($h:in-link)">
            <xsl:attribute name="href" select="$m?href"/>
          </xsl:if>
          <xsl:call-template name="h:attrs">
            <xsl:with-param name="class" select="'ent', 'ent-' || $m?type, if ($m?figurative) then 'ent-fig' else ()"/>
          </xsl:call-template>
          <xsl:attribute name="title" select="$title"/>
          <xsl:attribute name="data-card" select="$m?card"/>
          <xsl:attribute name="aria-describedby" select="$m?card"/>
          <xsl:choose>
            <xsl:when test="self::tei:title">
              <!-- a work: its title as the text shows titles, inside the link -->
              <xsl:next-match><xsl:with-param name="h:in-link" select="true()" tunnel="yes"/></xsl:next-match>
            </xsl:when>
            <xsl:otherwise>
              <xsl:apply-templates>
                <xsl:with-param name="h:in-link" select="true()" tunnel="yes"/>
              </xsl:apply-templates>
            </xsl:otherwise>
          </xsl:choose>
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
      select="h:mention-elements(//tei:text)[not(ancestor::tei:teiHeader)] ! h:mention(.),
              h:mention-elements(/*/tei:teiHeader/tei:profileDesc/tei:correspDesc) ! h:mention(.)"/>
    <xsl:if test="exists($mentions)">
      <div id="tk-cards" hidden="hidden">
        <xsl:for-each-group select="$mentions" group-by="?card">
          <xsl:variable name="m" as="map(*)" select="current-group()[1]"/>
          <xsl:variable name="data" as="map(*)" select="$m?data"/>
          <div class="card card-{$m?type}" id="{$m?card}">
            <xsl:choose>
              <xsl:when test="$m?figurative">
                <xsl:variable name="meant" as="map(*)" select="$m?meant-data"/>
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
    <xsl:apply-templates select=".//(tei:listPerson | tei:listPlace | tei:listOrg | tei:listBibl | tei:listEvent)[not(ancestor::tei:listPerson | ancestor::tei:listPlace | ancestor::tei:listOrg | ancestor::tei:listBibl | ancestor::tei:listEvent)]" mode="h:authority"/>
  </xsl:template>

  <!-- A list of an authority file: its entries (a short list), or how many it has and where
       the register shows them (a long one: its page stays small). -->
  <xsl:variable name="h:authority-shown" as="xs:integer" select="500"/>

  <xsl:template match="tei:listPerson | tei:listPlace | tei:listOrg | tei:listBibl | tei:listEvent" mode="h:authority">
    <xsl:variable name="register" as="xs:string" select="map{'listPerson': 'persons', 'listPlace': 'places', 'listOrg': 'organisations', 'listBibl': 'works', 'listEvent': 'events'}(local-name())"/>
    <xsl:variable name="entries" as="element()*" select=".//(tei:person | tei:personGrp | tei:place | tei:org | tei:bibl | tei:biblStruct | tei:event)"/>
    <section class="authority-list">
      <h2><xsl:value-of select="if (tei:head) then normalize-space(h:text-of(tei:head[1]))
                                else tk:string('nav.' || $register)"/></h2>
      <xsl:choose>
        <xsl:when test="count($entries) gt $h:authority-shown">
          <p class="authority-summary">
            <xsl:value-of select="h:lt-count('register.entries', count($entries)) || ' · '"/>
            <a href="{$site-root}{$register}.html"><xsl:value-of select="tk:string('nav.' || $register)"/></a>
          </p>
        </xsl:when>
        <xsl:otherwise>
          <ul class="authority">
            <xsl:for-each select="$entries">
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
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>
</xsl:stylesheet>
