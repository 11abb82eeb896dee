<?xml version="1.0" encoding="UTF-8"?>
<!--
  Letters in the web edition: a letter's page shows its correspondence description (who wrote
  to whom, from where and when, with register links; dates as the source gives them) and its
  neighbours (the previous and next letter of the edition and of its correspondence, from
  correspContext where the source names them, else by date: toolkit/html/links.py); the site's
  index of letters (letters.html: by date and by correspondent, with counts) is rendered from
  the site file. Who sent and who received is decided in the common layer (letters.xsl).

  The interface strings are the catalogue's (letters.*, register.*: toolkit/i18n/catalogues/);
  dates not written out are worded by Python (tk:dating).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- A string of the interface catalogue (tk:string), its {placeholders} filled from
       $values. -->
  <xsl:function name="h:lt" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="values" as="map(xs:string, item()*)"/>
    <xsl:sequence select="tk:string($key, $values)"/>
  </xsl:function>

  <xsl:function name="h:lt" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="tk:string($key)"/>
  </xsl:function>

  <!-- A count with its noun ('3 letters'): the plural form of $key the language's rule picks. -->
  <xsl:function name="h:lt-count" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="tk:string($key, map{'count': $n})"/>
  </xsl:function>

  <!-- ===== a letter's dates as the source gives them ===== -->

  <!-- The words of a date: its text where the source writes one; else from its attributes
       (between, after, before); marked when the source is unsure of it. -->
  <xsl:function name="h:letter-date" as="xs:string">
    <xsl:param name="date" as="element()"/>
    <xsl:variable name="text" as="xs:string" select="normalize-space(h:text-of($date))"/>
    <xsl:variable name="label" as="xs:string" select="if ($text != '') then $text else tk:dating($date)"/>
    <xsl:sequence select="if ($label != '' and tk:date-uncertain($date))
                          then h:lt('letters.uncertain', map{'date': $label}) else $label"/>
  </xsl:function>

  <!-- ===== the letter block of a page ===== -->

  <xsl:template name="h:letter-block">
    <xsl:param name="tei" as="element()?"/>
    <xsl:variable name="desc" as="element(tei:correspDesc)?" select="tk:correspondence($tei)"/>
    <xsl:if test="exists($desc/tei:correspAction)">
      <section class="letter-meta" aria-labelledby="tk-letter-h">
        <h2 id="tk-letter-h" class="visually-hidden"><xsl:value-of select="h:lt('letters.correspondence')"/></h2>
        <dl>
          <xsl:for-each select="('sender', 'addressee')">
            <xsl:variable name="role" as="xs:string" select="."/>
            <xsl:variable name="action" as="xs:string" select="if ($role = 'sender') then 'sent' else 'received'"/>
            <xsl:variable name="who" as="element()*" select="tk:letter-parties($desc, $role)"/>
            <xsl:variable name="where" as="element()*" select="tk:letter-places($desc, $action)"/>
            <xsl:variable name="when" as="element()*" select="tk:letter-dates($desc, $action)"/>
            <xsl:if test="exists(($who, $where, $when))">
              <div class="letter-{$action}">
                <dt><xsl:value-of select="h:lt(if ($role = 'sender') then 'letters.from' else 'letters.to')"/></dt>
                <dd>
                  <xsl:for-each select="$who">
                    <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
                    <span class="letter-party"><xsl:apply-templates select="."/></span>
                  </xsl:for-each>
                  <xsl:if test="empty($who)"><span class="letter-party unknown"><xsl:value-of select="h:lt('letters.unknown')"/></span></xsl:if>
                  <xsl:if test="exists(($where, $when))">
                    <span class="letter-where-when">
                      <xsl:for-each select="$where">
                        <xsl:text> · </xsl:text>
                        <xsl:apply-templates select="."/>
                      </xsl:for-each>
                      <xsl:for-each select="$when">
                        <xsl:text> · </xsl:text>
                        <xsl:call-template name="h:time">
                          <xsl:with-param name="el" select="."/>
                          <xsl:with-param name="label" select="h:letter-date(.)"/>
                        </xsl:call-template>
                      </xsl:for-each>
                    </span>
                  </xsl:if>
                </dd>
              </div>
            </xsl:if>
          </xsl:for-each>
        </dl>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Previous and next letter, of the edition and of the correspondence. -->
  <xsl:template name="h:letter-nav">
    <xsl:variable name="navs" as="element(tk:nav)*" select="('prev', 'next', 'prev-corresp', 'next-corresp') ! tk:nav(.)"/>
    <xsl:if test="exists($navs)">
      <nav class="letter-nav" aria-label="{h:lt('letters.nav')}">
        <ul>
          <xsl:for-each select="$navs">
            <xsl:variable name="key" as="xs:string" select="map{
              'prev': 'letters.previous', 'next': 'letters.next',
              'prev-corresp': 'letters.previous_in_correspondence',
              'next-corresp': 'letters.next_in_correspondence'}(@rel)"/>
            <li class="letter-nav-{@rel}">
              <a href="{@href}" rel="{if (starts-with(@rel, 'prev')) then 'prev' else 'next'}">
                <span class="letter-nav-label"><xsl:value-of select="h:lt($key)"/></span>
                <span class="letter-nav-title"><xsl:value-of select="@title"/></span>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- ===== the index of letters (site page 'letters') ===== -->

  <xsl:template name="h:letters-page">
    <xsl:variable name="letters" as="element(tk:letter)*" select="tk:letters/tk:letter"/>
    <xsl:variable name="title" as="xs:string" select="h:lt('letters.title')"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="current" select="'letters'"/>
      <xsl:with-param name="content">
        <div class="site-page letters-page">
          <h1><xsl:value-of select="$title"/></h1>
          <p class="register-count"><xsl:value-of select="h:lt-count('letters.count', count($letters))"/></p>
          <xsl:variable name="years" as="element()*">
            <xsl:for-each-group select="$letters" group-by="(substring(@date-iso, 1, 4)[matches(., '^[0-9]{4}$')], '')[1]">
              <xsl:sort select="if (current-grouping-key() = '') then '9999' else current-grouping-key()"/>
              <tk:year key="{current-grouping-key()}"><xsl:sequence select="current-group()"/></tk:year>
            </xsl:for-each-group>
          </xsl:variable>
          <section aria-labelledby="tk-by-date">
            <h2 id="tk-by-date"><xsl:value-of select="h:lt('letters.by_date')"/></h2>
            <xsl:if test="count($years) gt 1">
              <nav class="letters" aria-label="{h:lt('letters.jump')}">
                <ul>
                  <xsl:for-each select="$years">
                    <li><a href="#tk-year-{(@key[. != ''], 'undated')[1]}"><xsl:value-of select="(@key[. != ''], h:lt('letters.undated'))[1]"/></a></li>
                  </xsl:for-each>
                </ul>
              </nav>
            </xsl:if>
            <xsl:for-each select="$years">
              <section class="letter-year" aria-labelledby="tk-year-{(@key[. != ''], 'undated')[1]}">
                <h3 class="letter" id="tk-year-{(@key[. != ''], 'undated')[1]}">
                  <xsl:value-of select="(@key[. != ''], h:lt('letters.undated'))[1]"/>
                  <span class="count"><xsl:value-of select="' (' || count(tk:letter) || ')'"/></span>
                </h3>
                <ol class="letter-list">
                  <xsl:for-each select="tk:letter">
                    <xsl:sort select="(@date-iso, '9999')[1]"/>
                    <xsl:sort select="h:sort-key(@title)"/>
                    <li>
                      <a href="{encode-for-uri(@name)}.html"><xsl:value-of select="@title"/></a>
                      <xsl:if test="@date != '' or @place != ''">
                        <span class="letter-item-meta">
                          <xsl:value-of select="' · ' || string-join((@place[. != ''], @date[. != '']), ', ')"/>
                        </span>
                      </xsl:if>
                    </li>
                  </xsl:for-each>
                </ol>
              </section>
            </xsl:for-each>
          </section>
          <xsl:if test="tk:letters/tk:correspondent">
            <section aria-labelledby="tk-by-corr">
              <h2 id="tk-by-corr"><xsl:value-of select="h:lt('letters.by_correspondent')"/></h2>
              <ul class="correspondents">
                <xsl:for-each select="tk:letters/tk:correspondent">
                  <xsl:sort select="h:sort-key((@sort, @name)[1])"/>
                  <li>
                    <xsl:choose>
                      <xsl:when test="@href != ''"><a href="{@href}"><xsl:value-of select="@name"/></a></xsl:when>
                      <xsl:otherwise><xsl:value-of select="@name"/></xsl:otherwise>
                    </xsl:choose>
                    <span class="count">
                      <xsl:value-of select="' ' || h:lt-count('letters.count', xs:integer(@sent) + xs:integer(@received))
                        || ' (' || string-join((h:lt('letters.sent_count', map{'count': @sent})[current()/@sent != '0'],
                                                h:lt('letters.received_count', map{'count': @received})[current()/@received != '0']), ', ') || ')'"/>
                    </span>
                  </li>
                </xsl:for-each>
              </ul>
            </section>
          </xsl:if>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
