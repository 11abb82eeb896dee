<?xml version="1.0" encoding="UTF-8"?>
<!--
  The site pages, rendered from the site file toolkit/html/site.py writes (<tk:site>, made from the
  facts of every document): the list of documents (index), the registers of persons, places
  and organisations (each entry with its data and every mention linked back to the paragraph it
  is in), and the search page. $page says which one.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <xsl:function name="h:sort-key" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="replace(normalize-unicode(lower-case(normalize-space($s)), 'NFD'), '[\p{M}\p{P}]', '')"/>
  </xsl:function>

  <xsl:template match="tk:site" mode="h:site">
    <xsl:choose>
      <xsl:when test="$page = 'index'"><xsl:call-template name="h:index-page"/></xsl:when>
      <xsl:when test="$page = 'letters'"><xsl:call-template name="h:letters-page"/></xsl:when>
      <xsl:when test="$page = 'register'"><xsl:apply-templates select="tk:register" mode="h:site"/></xsl:when>
      <xsl:when test="$page = 'search'"><xsl:call-template name="h:search-page"/></xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">unknown site page '<xsl:value-of select="$page"/>'</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== index ===== -->

  <xsl:template name="h:index-page">
    <xsl:variable name="texts" as="element(tk:document)*" select="tk:document[not(@kind = 'authority')]"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="$site-title"/>
      <xsl:with-param name="current" select="'index'"/>
      <xsl:with-param name="content">
        <div class="site-page">
          <h1><xsl:value-of select="$site-title"/></h1>
          <section aria-labelledby="tk-docs-h">
            <h2 id="tk-docs-h"><xsl:value-of select="tk:string('nav.documents')"/></h2>
            <xsl:choose>
              <xsl:when test="exists($texts)">
                <ol class="doc-list">
                  <xsl:for-each select="$texts">
                    <xsl:sort select="(@date-iso, '9999')[1]"/>
                    <xsl:sort select="h:sort-key(@title)"/>
                    <xsl:apply-templates select="." mode="h:doc-item"/>
                  </xsl:for-each>
                </ol>
              </xsl:when>
              <xsl:otherwise><p><xsl:value-of select="tk:string('index.no_documents')"/></p></xsl:otherwise>
            </xsl:choose>
          </section>
          <xsl:if test="tk:document[@kind = 'authority']">
            <section aria-labelledby="tk-data-h">
              <h2 id="tk-data-h"><xsl:value-of select="tk:string('register.authority')"/></h2>
              <ul class="data-list">
                <xsl:for-each select="tk:document[@kind = 'authority']">
                  <xsl:sort select="@name"/>
                  <li><a href="{encode-for-uri(@name)}.html"><xsl:value-of select="@title"/></a></li>
                </xsl:for-each>
              </ul>
            </section>
          </xsl:if>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tk:document" mode="h:doc-item">
    <li class="doc-item">
      <h3 class="doc-item-title"><a href="{encode-for-uri(@name)}.html"><xsl:copy-of select="@lang"/><xsl:value-of select="@title"/></a></h3>
      <p class="doc-item-meta">
        <xsl:value-of select="string-join((@author[. != ''], ())[1], '')"/>
        <xsl:if test="@author != '' and @date != ''"><xsl:text> · </xsl:text></xsl:if>
        <xsl:if test="@date != ''">
          <xsl:choose>
            <xsl:when test="h:is-datetime(@date-iso)"><time datetime="{@date-iso}"><xsl:value-of select="@date"/></time></xsl:when>
            <xsl:otherwise><xsl:value-of select="@date"/></xsl:otherwise>
          </xsl:choose>
        </xsl:if>
      </p>
      <xsl:if test="@source != ''">
        <p class="doc-item-source"><xsl:value-of select="@source"/></p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- ===== registers ===== -->

  <!-- One page of a register (toolkit/html/registers.py): the whole register, or its overview
       (the pages by initial letter, and the names no entry of the edition's data has), or the
       entries of one letter. -->
  <xsl:template match="tk:register" mode="h:site">
    <xsl:variable name="type" as="xs:string" select="@type"/>
    <xsl:variable name="register" as="xs:string" select="@register"/>
    <xsl:variable name="entries" as="element(tk:entity)*" select="tk:entity"/>
    <xsl:variable name="overview" as="xs:boolean" select="exists(tk:page) and @page = @register"/>
    <xsl:variable name="title" as="xs:string" select="
      tk:string('register.' || $register || '.title')
      || (if (@label != '') then ': ' || @label else '')"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="current" select="$register"/>
      <xsl:with-param name="content">
        <div class="site-page register register-{$type}">
          <h1><xsl:value-of select="$title"/></h1>
          <p class="register-count"><xsl:value-of select="h:lt-count('register.entries', xs:integer((@count, count($entries))[1]))"/></p>
          <xsl:if test="exists(tk:page)">
            <nav class="letters register-pages" aria-label="{h:lt('register.pages')}">
              <ul>
                <xsl:for-each select="tk:page">
                  <li>
                    <a href="{encode-for-uri(@name)}.html" title="{h:lt-count('register.entries', xs:integer(@count))}">
                      <xsl:if test="@current = 'yes'"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>
                      <xsl:value-of select="@label"/>
                    </a>
                  </li>
                </xsl:for-each>
              </ul>
            </nav>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="empty($entries) and not($overview)"><p><xsl:value-of select="tk:string('register.no_entries')"/></p></xsl:when>
            <xsl:when test="exists(tk:page)">
              <!-- a page of a split register: its entries, in order; the overview: the names no
                   entry of the edition's data has -->
              <xsl:if test="exists($entries)">
                <section class="letter-group" aria-labelledby="tk-entries-h">
                  <h2 class="letter" id="tk-entries-h"><xsl:value-of select="if ($overview) then h:lt('register.unlisted') else @label"/></h2>
                  <xsl:apply-templates select="$entries" mode="h:entry"/>
                </section>
              </xsl:if>
            </xsl:when>
            <xsl:otherwise>
              <xsl:variable name="groups" as="element()*">
                <xsl:for-each-group select="$entries" group-by="h:initial(.)">
                  <xsl:sort select="current-grouping-key() = tk:string('register.initial_other')"/>
                  <xsl:sort select="current-grouping-key()"/>
                  <tk:group key="{current-grouping-key()}">
                    <xsl:sequence select="current-group()"/>
                  </tk:group>
                </xsl:for-each-group>
              </xsl:variable>
              <xsl:if test="count($groups) gt 1">
                <nav class="letters" aria-label="{tk:string('register.jump')}">
                  <ul>
                    <xsl:for-each select="$groups">
                      <li><a href="#tk-letter-{h:slug(@key)}"><xsl:value-of select="@key"/></a></li>
                    </xsl:for-each>
                  </ul>
                </nav>
              </xsl:if>
              <xsl:for-each select="$groups">
                <section class="letter-group" aria-labelledby="tk-letter-{h:slug(@key)}">
                  <h2 class="letter" id="tk-letter-{h:slug(@key)}"><xsl:value-of select="@key"/></h2>
                  <xsl:for-each select="tk:entity">
                    <xsl:sort select="h:sort-key((@sort, @name, @id)[1])"/>
                    <xsl:apply-templates select="." mode="h:entry"/>
                  </xsl:for-each>
                </section>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:if test="xs:integer((@unmentioned[. != ''], 0)[1]) gt 0 and (@page = @register)">
            <p class="register-note"><xsl:value-of select="h:lt-count('register.unmentioned', xs:integer(@unmentioned))"/></p>
          </xsl:if>
          <xsl:if test="@page = @register">
            <p class="register-downloads">
              <xsl:value-of select="h:lt('register.download') || ': '"/>
              <a href="{$site-root}data/registers.csv" type="text/csv"><xsl:value-of select="h:lt('register.csv')"/></a>
              <xsl:text> · </xsl:text>
              <a href="{$site-root}data/registers.jsonld" type="application/ld+json"><xsl:value-of select="h:lt('register.jsonld')"/></a>
            </p>
          </xsl:if>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="h:initial" as="xs:string">
    <xsl:param name="e" as="element(tk:entity)"/>
    <xsl:sequence select="h:initial-of(h:sort-key(($e/@sort, $e/@name, $e/@id)[1]))"/>
  </xsl:function>

  <!-- The letter a register files a sort key under: its first letter, '#' for the rest. -->
  <xsl:function name="h:initial-of" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="c" as="xs:string" select="upper-case(substring($key, 1, 1))"/>
    <xsl:sequence select="if (matches($c, '^\p{L}$')) then $c else tk:string('register.initial_other')"/>
  </xsl:function>

  <xsl:template match="tk:entity" mode="h:entry">
    <article class="entry" id="{@id}" aria-labelledby="tk-h-{@id}">
      <h3 id="tk-h-{@id}"><xsl:value-of select="(@name[. != ''], @id)[1]"/></h3>
      <xsl:if test="tk:name">
        <p class="entry-names"><xsl:value-of select="h:lt('register.also_named') || ': ' || string-join(tk:name, '; ')"/></p>
      </xsl:if>
      <xsl:if test="@dates != '' or @birth != '' or @death != ''">
        <p class="entry-dates">
          <xsl:choose>
            <xsl:when test="@birth != '' or @death != ''">
              <xsl:value-of select="string-join((@birth[. != ''] ! tk:string('register.born', map{'date': string(.)}), @death[. != ''] ! tk:string('register.died', map{'date': string(.)})), '; ')"/>
            </xsl:when>
            <xsl:otherwise><xsl:value-of select="@dates"/></xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:if>
      <xsl:if test="@role != ''"><p class="entry-role"><xsl:copy-of select="@lang"/><xsl:value-of select="@role"/></p></xsl:if>
      <xsl:if test="@located != ''"><p class="entry-located"><xsl:copy-of select="@lang"/><xsl:value-of select="@located"/></p></xsl:if>
      <xsl:if test="@note != ''"><p class="entry-note"><xsl:copy-of select="@lang"/><xsl:value-of select="@note"/></p></xsl:if>
      <xsl:variable name="wd" as="xs:string?" select="h:wikidata-url(@wikidata)"/>
      <xsl:variable name="links" as="element()*" select="tk:idno[h:external-url(@href)][not(exists($wd) and contains(@href, 'wikidata.org'))]"/>
      <xsl:if test="exists($wd) or exists($links)">
        <p class="entry-links">
          <xsl:if test="exists($wd)">
            <a class="external" href="{$wd}"><xsl:value-of select="tk:string('register.wikidata', map{'id': string(@wikidata)})"/></a>
          </xsl:if>
          <xsl:for-each select="$links">
            <xsl:if test="exists($wd) or position() gt 1"><xsl:text> · </xsl:text></xsl:if>
            <a class="external" href="{h:external-url(@href)}"><xsl:value-of select="@label || ' ' || (if (matches(., '^https?:')) then replace(replace(., '^https?://(www\.)?', ''), '/+$', '') else string(.))"/></a>
          </xsl:for-each>
        </p>
      </xsl:if>
      <xsl:for-each-group select="tk:mention" group-by="h:mention-group(@role)">
        <xsl:sort select="index-of(('sender', 'addressee', 'sent-from', 'received-at', 'name'), current-grouping-key())"/>
        <div class="mentions mentions-{current-grouping-key()}">
          <p class="mentions-h"><xsl:value-of select="map{
            'sender': h:lt('register.letters_from'), 'addressee': h:lt('register.letters_to'),
            'sent-from': h:lt('register.sent_from'), 'received-at': h:lt('register.received_at'),
            'name': tk:string('register.mentioned_in')}(current-grouping-key())"/></p>
          <xsl:variable name="list" as="element()">
          <ul>
            <xsl:for-each-group select="current-group()" group-by="@doc">
              <li>
                <a class="mention-doc" href="{encode-for-uri(@doc)}.html"><xsl:value-of select="(@doc-title, @doc)[1]"/></a>
                <xsl:if test="current-grouping-key() = 'name' or h:mention-group(@role) = 'name'">
                  <xsl:text>: </xsl:text>
                  <xsl:for-each-group select="current-group()" group-by="string(@anchor) || '|' || @text || '|' || @role">
                    <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                    <a class="mention" href="{encode-for-uri(@doc)}.html{if (@anchor != '') then '#' || encode-for-uri(@anchor) else ''}">
                      <xsl:value-of select="if (matches(@text, '^[&#x201C;&#x2018;&quot;&#xAB;&#x201E;]')) then @text else tk:quoted(string(@text))"/>
                    </a>
                    <xsl:choose>
                      <xsl:when test="@role = 'figurative' and @other != ''">
                        <span class="mention-fig">
                          <xsl:value-of select="' (' || tk:string('entity.figurative') || ' '"/>
                          <a href="{(@other-href, h:register-page(@other-type) || '.html#' || encode-for-uri(@other))[1]}"><xsl:value-of select="(@other-name[. != ''], @other)[1]"/></a>
                          <xsl:text>)</xsl:text>
                        </span>
                      </xsl:when>
                      <xsl:when test="@role = 'meant' and @other != ''">
                        <span class="mention-fig">
                          <xsl:value-of select="' (' || tk:string('entity.as_figure') || ' '"/>
                          <a href="{(@other-href, h:register-page(@other-type) || '.html#' || encode-for-uri(@other))[1]}"><xsl:value-of select="(@other-name[. != ''], @other)[1]"/></a>
                          <xsl:text>)</xsl:text>
                        </span>
                      </xsl:when>
                    </xsl:choose>
                    <xsl:if test="count(current-group()) gt 1">
                      <span class="mention-count"><xsl:value-of select="' ' || tk:string('register.mention_count', map{'count': count(current-group())})"/></span>
                    </xsl:if>
                  </xsl:for-each-group>
                </xsl:if>
              </li>
            </xsl:for-each-group>
          </ul>
          </xsl:variable>
          <!-- a long list (a correspondent of every letter) is folded: the entry stays short -->
          <xsl:variable name="docs" as="xs:integer" select="count(distinct-values(current-group()/@doc))"/>
          <xsl:choose>
            <xsl:when test="$docs gt 12">
              <details class="mentions-more">
                <summary><xsl:value-of select="h:lt-count(if (current-grouping-key() = 'name') then 'register.documents'
                                                         else 'letters.count', $docs)"/></summary>
                <xsl:sequence select="$list"/>
              </details>
            </xsl:when>
            <xsl:otherwise><xsl:sequence select="$list"/></xsl:otherwise>
          </xsl:choose>
        </div>
      </xsl:for-each-group>
    </article>
  </xsl:template>

  <!-- Which list of an entry a mention goes in: letters from, to, sent from, received at, or
       the passages that mention it. -->
  <xsl:function name="h:mention-group" as="xs:string">
    <xsl:param name="role" as="xs:string?"/>
    <xsl:sequence select="if ($role = ('sender', 'addressee', 'sent-from', 'received-at')) then $role else 'name'"/>
  </xsl:function>

  <!-- ===== search ===== -->

  <xsl:template name="h:search-page">
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="tk:string('search.title')"/>
      <xsl:with-param name="current" select="'search'"/>
      <xsl:with-param name="scripts" select="('assets/search' || (if ($site-root = '') then '' else '.' || $language) || '/manifest.js', 'assets/search.js')"/>
      <xsl:with-param name="content">
        <div class="site-page search-page">
          <h1><xsl:value-of select="tk:string('search.title')"/></h1>
          <form class="search-form" role="search" action="search.html" method="get" id="tk-search-form">
            <label for="tk-q"><xsl:value-of select="tk:string('search.label')"/></label>
            <div class="search-row">
              <input type="search" id="tk-q" name="q" autocomplete="off" spellcheck="false"/>
              <button type="submit"><xsl:value-of select="tk:string('search.button')"/></button>
            </div>
            <p class="search-hint"><xsl:value-of select="tk:string('search.hint')"/></p>
          </form>
          <noscript><p class="noscript"><xsl:value-of select="tk:string('search.noscript')"/></p></noscript>
          <div id="tk-results" class="search-results" aria-live="polite"></div>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
