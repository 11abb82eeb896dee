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
      <xsl:when test="$page = ('persons', 'places', 'organisations')">
        <xsl:call-template name="h:register-page">
          <xsl:with-param name="type" select="map{'persons': 'person', 'places': 'place', 'organisations': 'org'}($page)"/>
        </xsl:call-template>
      </xsl:when>
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

  <xsl:template name="h:register-page">
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="entries" as="element(tk:entity)*" select="tk:entity[@type = $type]"/>
    <xsl:variable name="title" as="xs:string" select="tk:string('register.' || $page || '.title')"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="current" select="$page"/>
      <xsl:with-param name="content">
        <div class="site-page register register-{$type}">
          <h1><xsl:value-of select="$title"/></h1>
          <p class="register-count"><xsl:value-of select="tk:string('register.entries', map{'count': count($entries)})"/></p>
          <xsl:choose>
            <xsl:when test="empty($entries)"><p><xsl:value-of select="tk:string('register.no_entries')"/></p></xsl:when>
            <xsl:otherwise>
              <xsl:variable name="groups" as="element()*">
                <xsl:for-each-group select="$entries" group-by="h:initial(.)">
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
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="h:initial" as="xs:string">
    <xsl:param name="e" as="element(tk:entity)"/>
    <xsl:variable name="c" as="xs:string" select="upper-case(substring(h:sort-key(($e/@sort, $e/@name, $e/@id)[1]), 1, 1))"/>
    <xsl:sequence select="if (matches($c, '^\p{L}$')) then $c else tk:string('register.initial_other')"/>
  </xsl:function>

  <xsl:template match="tk:entity" mode="h:entry">
    <article class="entry" id="{@id}" aria-labelledby="tk-h-{@id}">
      <h3 id="tk-h-{@id}"><xsl:copy-of select="@lang"/><xsl:value-of select="(@name[. != ''], @id)[1]"/></h3>
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
      <xsl:if test="exists($wd)">
        <p class="entry-links"><a class="external" href="{$wd}"><xsl:value-of select="tk:string('register.wikidata', map{'id': string(@wikidata)})"/></a></p>
      </xsl:if>
      <xsl:if test="tk:mention">
        <div class="mentions">
          <p class="mentions-h"><xsl:value-of select="tk:string('register.mentioned_in')"/></p>
          <ul>
            <xsl:for-each-group select="tk:mention" group-by="@doc">
              <li>
                <a class="mention-doc" href="{encode-for-uri(@doc)}.html"><xsl:copy-of select="@lang"/><xsl:value-of select="(@doc-title, @doc)[1]"/></a>
                <xsl:text>: </xsl:text>
                <xsl:for-each-group select="current-group()" group-by="string(@anchor) || '|' || @text || '|' || @role">
                  <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                  <a class="mention" href="{encode-for-uri(@doc)}.html{if (@anchor != '') then '#' || encode-for-uri(@anchor) else ''}">
                    <xsl:copy-of select="@lang"/>
                    <xsl:value-of select="if (matches(@text, '^[&#x201C;&#x2018;&quot;&#xAB;&#x201E;]')) then @text else tk:quoted(@text)"/>
                  </a>
                  <xsl:choose>
                    <xsl:when test="@role = 'figurative' and @other != ''">
                      <span class="mention-fig">
                        <xsl:value-of select="' (' || tk:string('entity.figurative') || ' '"/>
                        <a href="{h:register-page(@other-type)}.html#{encode-for-uri(@other)}"><xsl:value-of select="(@other-name[. != ''], @other)[1]"/></a>
                        <xsl:text>)</xsl:text>
                      </span>
                    </xsl:when>
                    <xsl:when test="@role = 'meant' and @other != ''">
                      <span class="mention-fig">
                        <xsl:value-of select="' (' || tk:string('entity.as_figure') || ' '"/>
                        <a href="{h:register-page(@other-type)}.html#{encode-for-uri(@other)}"><xsl:value-of select="(@other-name[. != ''], @other)[1]"/></a>
                        <xsl:text>)</xsl:text>
                      </span>
                    </xsl:when>
                  </xsl:choose>
                  <xsl:if test="count(current-group()) gt 1">
                    <span class="mention-count"><xsl:value-of select="' ' || tk:string('register.mention_count', map{'count': count(current-group())})"/></span>
                  </xsl:if>
                </xsl:for-each-group>
              </li>
            </xsl:for-each-group>
          </ul>
        </div>
      </xsl:if>
    </article>
  </xsl:template>

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
