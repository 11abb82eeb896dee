<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page shell shared by every page (head, site header and navigation, footer) and, for a
  TEI document, the title block: author, title, date, the citation of the source (sourceDesc),
  "Cite this edition" and the download links.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- ===== the shell ===== -->

  <!-- The Content-Security-Policy of every page: scripts, styles, fonts and images only from
       the edition itself, connections only to it (the preview's event stream, teikit serve),
       no plugins, no <base>, forms only to the edition. (frame-ancestors cannot be set in a
       <meta>: see the README on headers when hosting.) -->
  <xsl:variable name="h:csp" as="xs:string" select="
    &quot;default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; &quot;
    || &quot;font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; &quot;
    || &quot;object-src 'none'&quot;"/>

  <xsl:template name="h:shell">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="current" as="xs:string" select="''"/>
    <xsl:param name="toolbar" as="xs:boolean" select="false()"/>
    <xsl:param name="scripts" as="xs:string*" select="()"/>
    <xsl:param name="styles" as="xs:string*" select="()"/>
    <xsl:param name="content" as="item()*"/>
    <html lang="{$language}"
          class="no-js reading-{if ($reading = 'original') then 'original' else 'normalised'}">
      <head>
        <meta charset="utf-8"/>
        <!-- Nothing but the edition's own files may load or run (no inline script or style). -->
        <meta http-equiv="Content-Security-Policy" content="{h:with-csp($h:csp)}"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="if ($title = $site-title or $title = '') then $site-title
                                else tk:string('page.title', map{'title': $title, 'site': $site-title})"/>
        </title>
        <meta name="generator" content="teikit"/>
        <link rel="stylesheet" href="{$site-root}assets/edition.css"/>
        <xsl:for-each select="$styles">
          <link rel="stylesheet" href="{$site-root}{.}"/>
        </xsl:for-each>
        <!-- Sets the remembered reading and highlighting before the page is drawn. -->
        <script src="{$site-root}assets/prefs.js"></script>
        <!-- The interface's strings for the scripts and their lookup (teikit.t), before them. -->
        <script src="{$site-root}assets/strings.js" defer="defer"></script>
        <script src="{$site-root}assets/t.js" defer="defer"></script>
        <script src="{$site-root}assets/edition.js" defer="defer"></script>
        <xsl:for-each select="$scripts">
          <script src="{$site-root}{.}" defer="defer"></script>
        </xsl:for-each>
        <xsl:for-each select="$h:languages[. != $language]">
          <link rel="alternate" hreflang="{.}" href="{h:page-in(., $current)}"/>
        </xsl:for-each>
        <xsl:call-template name="tk:html-head-extra"/>
      </head>
      <body class="page-{$current}">
        <a class="skip-link" href="#tk-main"><xsl:value-of select="tk:string('nav.skip')"/></a>
        <header class="site-header">
          <div class="site-header-inner">
            <p class="site-title"><a href="index.html"><xsl:value-of select="$site-title"/></a></p>
            <nav class="site-nav" aria-label="{tk:string('nav.site')}">
              <ul>
                <xsl:for-each select="tokenize($site-pages, ',')[. != '']">
                  <li>
                    <a href="{.}.html">
                      <xsl:if test=". = $current">
                        <xsl:attribute name="aria-current" select="'page'"/>
                      </xsl:if>
                      <xsl:value-of select="tk:string('nav.' || (if (. = 'index') then 'documents' else .))"/>
                    </a>
                  </li>
                </xsl:for-each>
              </ul>
            </nav>
            <xsl:call-template name="h:language-switch">
              <xsl:with-param name="current" select="$current"/>
            </xsl:call-template>
          </div>
        </header>
        <xsl:if test="$toolbar">
          <xsl:call-template name="h:toolbar"/>
        </xsl:if>
        <main id="tk-main" tabindex="-1">
          <xsl:sequence select="$content"/>
        </main>
        <footer class="site-footer">
          <p>
            <xsl:value-of select="$site-title"/>
            <xsl:if test="$build-date != ''">
              <xsl:text> · </xsl:text>
              <xsl:variable name="date" as="item()">
                <xsl:choose>
                  <xsl:when test="h:is-datetime($build-date)">
                    <time datetime="{$build-date}"><xsl:value-of select="h:format-date($build-date)"/></time>
                  </xsl:when>
                  <xsl:otherwise><xsl:value-of select="$build-date"/></xsl:otherwise>
                </xsl:choose>
              </xsl:variable>
              <xsl:sequence select="tk:string-parts('footer.built', map{'date': $date})"/>
            </xsl:if>
          </p>
          <xsl:call-template name="tk:html-footer-extra"/>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- ===== the interface languages (an edition that offers several) ===== -->

  <xsl:variable name="h:languages" as="xs:string*"
    select="tokenize($languages, ',')[. != '']"/>

  <!-- The same page in the page set of another interface language: the main language's
       pages are in html/, another's in html/<tag>/. -->
  <xsl:function name="h:page-in" as="xs:string">
    <xsl:param name="target" as="xs:string"/>
    <xsl:param name="current" as="xs:string"/>
    <xsl:variable name="file" as="xs:string"
      select="(if ($current = 'document') then encode-for-uri($source-name) else $current) || '.html'"/>
    <xsl:sequence select="$site-root || (if ($target = $h:languages[1]) then '' else $target || '/')
                          || $file"/>
  </xsl:function>

  <!-- Links to the page in the other languages, each named in its own. -->
  <xsl:template name="h:language-switch">
    <xsl:param name="current" as="xs:string"/>
    <xsl:if test="count($h:languages) gt 1">
      <nav class="language-switch" aria-label="{tk:string('language.label')}">
        <ul>
          <xsl:for-each select="$h:languages">
            <li lang="{.}">
              <xsl:choose>
                <xsl:when test=". = $language">
                  <span aria-current="page"><xsl:value-of select="($language-names(.), .)[1]"/></span>
                </xsl:when>
                <xsl:otherwise>
                  <a href="{h:page-in(., $current)}" hreflang="{.}"><xsl:value-of select="($language-names(.), .)[1]"/></a>
                </xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- Reading level and entity highlighting: shown only when JavaScript runs (class js). -->
  <xsl:template name="h:toolbar">
    <div class="toolbar js-only" role="region" aria-label="{tk:string('toolbar.label')}">
      <div class="toolbar-inner">
        <fieldset class="reading-switch">
          <legend><xsl:value-of select="tk:string('reading.label')"/></legend>
          <xsl:for-each select="('normalised', 'original')">
            <label>
              <input type="radio" name="tk-reading" value="{.}" id="tk-reading-{.}">
                <xsl:if test=". = (if ($reading = 'original') then 'original' else 'normalised')">
                  <xsl:attribute name="checked" select="'checked'"/>
                </xsl:if>
              </input>
              <xsl:text> </xsl:text>
              <xsl:value-of select="tk:string('reading.' || .)"/>
            </label>
          </xsl:for-each>
        </fieldset>
        <div class="highlight-switch">
          <label>
            <input type="checkbox" id="tk-highlight"/>
            <xsl:text> </xsl:text>
            <xsl:value-of select="tk:string('highlight.label')"/>
          </label>
          <ul class="legend" aria-label="{tk:string('highlight.legend')}">
            <xsl:for-each select="('person', 'place', 'org')">
              <li><span class="ent ent-{.}"><xsl:value-of select="tk:string('entity.' || .)"/></span></li>
            </xsl:for-each>
          </ul>
        </div>
        <xsl:call-template name="h:witness-switch"/>
      </div>
    </div>
  </xsl:template>

  <!-- ===== a document's page ===== -->

  <xsl:template name="h:document-page">
    <xsl:variable name="tei" as="element()?" select="(/tei:TEI, /tei:teiCorpus, /*)[1]"/>
    <xsl:call-template name="h:shell">
      <xsl:with-param name="title" select="h:doc-title($tei)"/>
      <xsl:with-param name="current" select="'document'"/>
      <xsl:with-param name="toolbar" select="true()"/>
      <xsl:with-param name="scripts"
        select="(h:facs-scripts(), 'assets/apparatus.js'[exists($tk:all-entries)])"/>
      <xsl:with-param name="styles"
        select="(h:facs-styles(), 'assets/apparatus.css'[exists($tk:all-entries)])"/>
      <xsl:with-param name="content">
        <article class="{string-join(('document', h:facs-classes()), ' ')}" aria-labelledby="tk-title">
          <xsl:choose>
            <xsl:when test="$h:facs-shown">
              <!-- the text on one side, its page images on the other -->
              <div class="facs-main">
                <xsl:call-template name="h:document-main"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
              </div>
              <xsl:call-template name="h:facs-pane"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:call-template name="h:document-main"><xsl:with-param name="tei" select="$tei"/></xsl:call-template>
            </xsl:otherwise>
          </xsl:choose>
        </article>
        <xsl:call-template name="h:cards"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The document's title block, text, notes and apparatus. -->
  <xsl:template name="h:document-main">
    <xsl:param name="tei" as="element()?"/>
    <xsl:call-template name="h:title-block">
      <xsl:with-param name="tei" select="$tei"/>
    </xsl:call-template>
    <xsl:call-template name="tk:html-after-title-block"/>
    <xsl:call-template name="h:witnesses-section"/>
    <xsl:call-template name="h:witness-status"/>
    <xsl:call-template name="h:facs-before-text"/>
    <div class="text">
      <xsl:variable name="texts" as="element(tei:text)*"
        select="//tei:text[not(ancestor::tei:text)]"/>
      <xsl:variable name="lang" as="xs:string?"
        select="h:lang(($texts[1]/@xml:lang, $tei/@xml:lang)[1])"/>
      <xsl:if test="exists($lang)">
        <xsl:attribute name="lang" select="$lang"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="exists($texts) and not($tk:edition/tk:edition/@register = 'yes')">
          <xsl:apply-templates select="$texts"/>
        </xsl:when>
        <xsl:otherwise>
          <!-- An authority file (lists of entries only): its entries, or, for a long
               one, what it holds and where the registers show it. -->
          <xsl:apply-templates select="//tei:standOff | //tei:teiHeader//(tei:listPerson | tei:listPlace | tei:listOrg)[not(ancestor::tei:listPerson | ancestor::tei:listPlace | ancestor::tei:listOrg)]
                                       | $texts//(tei:listPerson | tei:listPlace | tei:listOrg | tei:listBibl | tei:listEvent)[not(ancestor::tei:listPerson | ancestor::tei:listPlace | ancestor::tei:listOrg | ancestor::tei:listBibl | ancestor::tei:listEvent)]" mode="h:authority"/>
        </xsl:otherwise>
      </xsl:choose>
    </div>
    <xsl:call-template name="h:notes-section"/>
    <xsl:call-template name="h:apparatus-section"/>
  </xsl:template>

  <!-- The document's title: its main title (tk:main-title), else the file's name. -->
  <xsl:function name="h:doc-title" as="xs:string">
    <xsl:param name="tei" as="element()?"/>
    <xsl:variable name="t" as="xs:string?" select="$tei ! tk:main-title(.) ! h:text-of(node())"/>
    <xsl:sequence select="($t[. != ''], $source-name)[1]"/>
  </xsl:function>

  <!-- Its subtitles, joined as tk:title joins them, or (). -->
  <xsl:function name="h:doc-subtitle" as="xs:string?">
    <xsl:param name="tei" as="element()?"/>
    <xsl:variable name="t" as="xs:string*" select="$tei ! tk:subtitles(.) ! h:text-of(node())[. != '']"/>
    <xsl:sequence select="if (exists($t)) then tk:join-phrases($t, ': ') else ()"/>
  </xsl:function>

  <xsl:function name="h:doc-authors" as="xs:string*">
    <xsl:param name="tei" as="element()?"/>
    <xsl:variable name="fd" as="element()?" select="($tei/tei:teiHeader/tei:fileDesc)[1]"/>
    <xsl:variable name="a" as="element()*" select="
      if ($fd/tei:titleStmt/tei:author) then $fd/tei:titleStmt/tei:author
      else ($fd/tei:sourceDesc//tei:author)[1]"/>
    <xsl:sequence select="$a ! normalize-space(h:text-of(.))[. != '']"/>
  </xsl:function>

  <!-- The date of the document itself: of its source, else of its creation or sending. -->
  <xsl:function name="h:doc-date" as="element()?">
    <xsl:param name="tei" as="element()?"/>
    <xsl:variable name="h" as="element()?" select="$tei/tei:teiHeader[1]"/>
    <xsl:sequence select="(
      $h/tei:fileDesc/tei:sourceDesc/tei:biblStruct/tei:monogr/tei:imprint/tei:date,
      $h/tei:fileDesc/tei:sourceDesc/tei:bibl//tei:date,
      $h/tei:profileDesc/tei:creation//tei:date,
      $h/tei:profileDesc/tei:correspDesc/tei:correspAction[@type = 'sent']/tei:date,
      $h/tei:fileDesc/tei:sourceDesc//tei:date,
      $tei/tei:text//tei:docDate)[1]"/>
  </xsl:function>

  <xsl:function name="h:date-label" as="xs:string">
    <xsl:param name="date" as="element()?"/>
    <xsl:sequence select="
      if (empty($date)) then ''
      else if (tk:has-dating($date)) then tk:dating($date)
      else if (normalize-space($date) != '') then normalize-space(h:text-of($date))
      else tk:dating($date)"/>
  </xsl:function>

  <xsl:function name="h:edition-url" as="xs:string?">
    <xsl:sequence select="
      if (normalize-space($base-url) = '') then ()
      else replace(normalize-space($base-url), '/+$', '') || '/' || $source-name || '.html'"/>
  </xsl:function>

  <xsl:template name="h:title-block">
    <xsl:param name="tei" as="element()?"/>
    <xsl:variable name="authors" as="xs:string*" select="h:doc-authors($tei)"/>
    <xsl:variable name="date" as="element()?" select="h:doc-date($tei)"/>
    <!-- the title is in the language of the header, the page in the interface's -->
    <xsl:variable name="title-lang" as="xs:string?"
      select="h:lang-of(($tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title, $tei)[1])"/>
    <header class="title-block">
      <xsl:if test="exists($authors)">
        <p class="doc-author"><xsl:value-of select="string-join($authors, ', ')"/></p>
      </xsl:if>
      <h1 id="tk-title">
        <xsl:if test="exists($title-lang)"><xsl:attribute name="lang" select="$title-lang"/></xsl:if>
        <xsl:value-of select="h:doc-title($tei)"/></h1>
      <xsl:if test="h:doc-subtitle($tei)">
        <p class="doc-subtitle">
          <xsl:if test="exists($title-lang)"><xsl:attribute name="lang" select="$title-lang"/></xsl:if>
          <xsl:value-of select="h:doc-subtitle($tei)"/></p>
      </xsl:if>
      <xsl:if test="$date and empty(tk:correspondence($tei)/tei:correspAction)">
        <p class="doc-date">
          <xsl:call-template name="h:time">
            <xsl:with-param name="el" select="$date"/>
            <xsl:with-param name="label" select="h:date-label($date)"/>
          </xsl:call-template>
        </p>
      </xsl:if>
      <xsl:call-template name="h:letter-block">
        <xsl:with-param name="tei" select="$tei"/>
      </xsl:call-template>
      <xsl:call-template name="h:letter-nav"/>
      <div class="about">
        <xsl:variable name="sources" as="element()*"
          select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/(tei:biblStruct | tei:bibl | tei:msDesc | tei:listBibl/(tei:bibl | tei:biblStruct) | tei:p[normalize-space()] | tei:recordingStmt)"/>
        <xsl:if test="exists($sources)">
          <section class="about-source" aria-labelledby="tk-source-h">
            <h2 id="tk-source-h"><xsl:value-of select="tk:string('doc.source')"/></h2>
            <xsl:for-each select="$sources">
              <p class="citation">
                <xsl:for-each select="h:lang-of(.)"><xsl:attribute name="lang" select="."/></xsl:for-each>
                <xsl:apply-templates select="." mode="h:cite"/></p>
              <!-- a manuscript: its physical description, hands and history (tk:ms-parts) -->
              <xsl:variable name="parts" as="map(*)*" select="self::tei:msDesc ! tk:ms-parts(.)"/>
              <xsl:variable name="ms-lang" as="xs:string?" select="h:lang-of(.)"/>
              <xsl:if test="exists($parts)">
                <dl class="ms-parts">
                  <xsl:for-each select="$parts">
                    <dt><xsl:value-of select="tk:string('ms.' || ?part)"/></dt>
                    <dd><xsl:for-each select="$ms-lang"><xsl:attribute name="lang" select="."/></xsl:for-each><xsl:value-of select="?text"/></dd>
                  </xsl:for-each>
                </dl>
              </xsl:if>
            </xsl:for-each>
          </section>
        </xsl:if>
        <section class="about-cite" aria-labelledby="tk-cite-h">
          <h2 id="tk-cite-h"><xsl:value-of select="tk:string('cite.heading')"/></h2>
          <p class="citation" id="tk-cite-text">
            <xsl:sequence select="h:edition-citation($tei)"/>
          </p>
          <p class="js-only">
            <button type="button" class="copy-button" data-copy="tk-cite-text">
              <xsl:value-of select="tk:string('cite.copy')"/>
            </button>
            <span class="copy-status" role="status"></span>
          </p>
        </section>
        <section class="about-downloads" aria-labelledby="tk-downloads-h">
          <h2 id="tk-downloads-h"><xsl:value-of select="tk:string('doc.downloads')"/></h2>
          <ul class="downloads">
            <li><a href="{$site-root}tei/{encode-for-uri($source-name)}.xml" type="application/xml" download="">
              <xsl:value-of select="tk:string('download.tei')"/></a></li>
            <xsl:if test="$h:formats = 'text'">
              <li><a href="{$site-root}../text/{encode-for-uri($source-name)}.txt" type="text/plain">
                <xsl:value-of select="tk:string('download.text')"/></a></li>
              <li><a href="{$site-root}../text/{encode-for-uri($source-name)}.diplomatic.txt" type="text/plain">
                <xsl:value-of select="tk:string('download.diplomatic')"/></a></li>
              <xsl:call-template name="h:witness-downloads"/>
            </xsl:if>
            <xsl:if test="$h:formats = 'pdf'">
              <li><a href="{$site-root}../pdf/{encode-for-uri($source-name)}.pdf" type="application/pdf">
                <xsl:value-of select="tk:string('download.pdf')"/></a></li>
            </xsl:if>
            <xsl:call-template name="h:facs-downloads"/>
          </ul>
        </section>
      </div>
    </header>
  </xsl:template>

  <!-- "Cite this edition": author, “title”, date, edition (site) title, editors, URL, accessed. -->
  <xsl:function name="h:edition-citation" as="item()*">
    <xsl:param name="tei" as="element()?"/>
    <xsl:variable name="authors" as="xs:string*" select="h:doc-authors($tei)"/>
    <xsl:variable name="ts" as="element()?" select="($tei/tei:teiHeader/tei:fileDesc/tei:titleStmt)[1]"/>
    <!-- a respStmt names editors when one of its resp says so (it may have many) -->
    <xsl:variable name="editors" as="xs:string*" select="
      ($ts/tei:editor, $ts/tei:respStmt[some $r in tei:resp satisfies matches(lower-case($r), '(^|\W)(edit(or|ed|ing|orial)|encod)')]/(tei:persName | tei:name | tei:orgName))
      ! normalize-space(h:text-of(.))[. != '']"/>
    <xsl:variable name="date" as="xs:string" select="h:date-label(h:doc-date($tei))"/>
    <xsl:variable name="pubdate" as="element()?" select="($tei/tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:date)[1]"/>
    <xsl:variable name="url" as="xs:string?" select="h:edition-url()"/>
    <xsl:if test="exists($authors)">
      <!-- "Lyall, Edna (1857-1903)." as a header writes it: its closing full stop would stand
           before the comma -->
      <xsl:value-of select="replace(string-join($authors, ', '), '([\p{Ll}\p{N})\]])\.$', '$1')
                            || ', '"/>
    </xsl:if>
    <xsl:value-of select="tk:quoted(h:doc-title($tei))"/>
    <xsl:if test="$date != ''">
      <xsl:value-of select="' (' || $date || ')'"/>
    </xsl:if>
    <xsl:text>, </xsl:text>
    <cite><xsl:value-of select="$site-title"/></cite>
    <xsl:if test="exists(distinct-values($editors))">
      <xsl:value-of select="', ' || tk:string('cite.edited_by', map{'names': tk:list(distinct-values($editors))})"/>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="$pubdate">
        <xsl:value-of select="', ' || h:date-label($pubdate)"/>
      </xsl:when>
      <xsl:when test="matches($build-date, '^[0-9]{4}')">
        <xsl:value-of select="', ' || substring($build-date, 1, 4)"/>
      </xsl:when>
    </xsl:choose>
    <xsl:if test="exists($url)">
      <xsl:text>, </xsl:text>
      <span class="url"><xsl:value-of select="$url"/></span>
    </xsl:if>
    <xsl:if test="$build-date != '' and exists($url)">
      <xsl:value-of select="' (' || tk:string('cite.accessed', map{'date': h:format-date($build-date)}) || ')'"/>
    </xsl:if>
    <xsl:text>.</xsl:text>
  </xsl:function>

  <!-- ===== citations of the source (mode h:cite) ===== -->

  <xsl:template match="tei:biblStruct" mode="h:cite">
    <!-- each part a wrapper element, so that a part made of several nodes stays one part -->
    <xsl:variable name="parts" as="element(h:part)*">
      <xsl:for-each select="tei:analytic">
        <xsl:sequence select="h:part(h:cite-names(tei:author))"/>
        <xsl:sequence select="h:part(h:cite-title(tei:title))"/>
      </xsl:for-each>
      <xsl:for-each select="tei:monogr">
        <xsl:if test="empty(../tei:analytic)">
          <xsl:sequence select="h:part(h:cite-names(tei:author))"/>
        </xsl:if>
        <xsl:sequence select="h:part(h:cite-title(tei:title))"/>
        <xsl:sequence select="h:part(h:cite-names(tei:editor))"/>
        <xsl:sequence select="h:part(tei:edition ! normalize-space(.))"/>
        <xsl:sequence select="h:part(string-join((tei:biblScope, tei:imprint/tei:biblScope)[not(@unit = ('page', 'pp', 'pages'))] ! h:scope(.), ' '))"/>
        <xsl:sequence select="h:part(string-join((tei:imprint/tei:pubPlace, tei:imprint/tei:publisher) ! normalize-space(.)[. != ''], ': '))"/>
        <xsl:for-each select="tei:imprint/tei:date[1]">
          <xsl:variable name="d" as="item()*">
            <xsl:call-template name="h:time">
              <xsl:with-param name="el" select="."/>
              <xsl:with-param name="label" select="h:date-label(.)"/>
            </xsl:call-template>
          </xsl:variable>
          <xsl:sequence select="h:part($d)"/>
        </xsl:for-each>
        <xsl:sequence select="h:part(string-join((tei:biblScope, tei:imprint/tei:biblScope)[@unit = ('page', 'pp', 'pages')] ! h:scope(.), ', '))"/>
      </xsl:for-each>
      <xsl:for-each select="tei:series">
        <xsl:sequence select="h:part('(' || h:text-of(.) || ')')"/>
      </xsl:for-each>
      <xsl:for-each select="tei:idno | tei:ptr | tei:ref">
        <xsl:variable name="r" as="item()*"><xsl:apply-templates select="." mode="h:cite"/></xsl:variable>
        <xsl:sequence select="h:part($r)"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:for-each select="$parts">
      <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
      <xsl:copy-of select="node()" copy-namespaces="no"/>
    </xsl:for-each>
    <xsl:text>.</xsl:text>
  </xsl:template>

  <!-- A bibl made of citation fields only (no punctuation of its own, as ELTeC's sourceDesc
       has it): its parts in citation order, as the text edition's tk:citation has them. A bibl
       written as prose, or holding other things (a nested bibl, availability), keeps its own
       wording (the template for bibl below). -->
  <xsl:template match="tei:bibl[*][not(text()[normalize-space()])][every $c in * satisfies
    $c/(self::tei:author | self::tei:title | self::tei:editor | self::tei:edition
        | self::tei:pubPlace | self::tei:publisher | self::tei:date | self::tei:biblScope
        | self::tei:idno | self::tei:ptr | self::tei:ref)]" mode="h:cite" priority="1">
    <xsl:variable name="parts" as="element(h:part)*">
      <xsl:sequence select="h:part(h:cite-names(tei:author))"/>
      <xsl:sequence select="h:part(h:cite-title(tei:title))"/>
      <xsl:sequence select="h:part(h:cite-names(tei:editor))"/>
      <xsl:sequence select="h:part(tei:edition ! normalize-space(.))"/>
      <xsl:sequence select="h:part(string-join(tei:biblScope[not(@unit = ('page', 'pp', 'pages'))] ! h:scope(.), ' '))"/>
      <xsl:sequence select="h:part(string-join((tei:pubPlace, tei:publisher) ! normalize-space(.)[. != ''], ': '))"/>
      <xsl:for-each select="tei:date[1]">
        <xsl:variable name="d" as="item()*">
          <xsl:call-template name="h:time">
            <xsl:with-param name="el" select="."/>
            <xsl:with-param name="label" select="h:date-label(.)"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:sequence select="h:part($d)"/>
      </xsl:for-each>
      <xsl:sequence select="h:part(string-join(tei:biblScope[@unit = ('page', 'pp', 'pages')] ! h:scope(.), ', '))"/>
      <xsl:for-each select="tei:idno | tei:ptr | tei:ref">
        <xsl:variable name="r" as="item()*"><xsl:apply-templates select="." mode="h:cite"/></xsl:variable>
        <xsl:sequence select="h:part($r)"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:for-each select="$parts">
      <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
      <xsl:copy-of select="node()" copy-namespaces="no"/>
    </xsl:for-each>
    <xsl:if test="exists($parts)"><xsl:text>.</xsl:text></xsl:if>
  </xsl:template>

  <!-- A part of a citation, or nothing when it is empty. -->
  <xsl:function name="h:part" as="element(h:part)?">
    <xsl:param name="content" as="item()*"/>
    <xsl:if test="normalize-space(string-join($content ! string(.))) != ''">
      <h:part><xsl:sequence select="$content"/></h:part>
    </xsl:if>
  </xsl:function>

  <!-- Main title and subtitles: "Title: Subtitle", in quotes (article) or italics (journal, book). -->
  <xsl:function name="h:cite-title" as="item()*">
    <xsl:param name="titles" as="element(tei:title)*"/>
    <xsl:variable name="main" as="element()?" select="($titles[@type = 'main'], $titles[not(@type = ('sub', 'short', 'alt', 'desc'))], $titles)[1]"/>
    <xsl:variable name="text" as="xs:string" select="string-join(($main, $titles[@type = 'sub']) ! h:text-of(.)[. != ''], ': ')"/>
    <xsl:choose>
      <xsl:when test="empty($main)"/>
      <xsl:when test="$main/@level = ('a', 'u')"><xsl:sequence select="tk:quoted(translate($text, '&#x201C;&#x201D;', '&#x2018;&#x2019;'))"/></xsl:when>
      <xsl:otherwise><cite><xsl:value-of select="$text"/></cite></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="h:cite-names" as="xs:string?">
    <xsl:param name="names" as="element()*"/>
    <xsl:sequence select="if (exists($names))
      then string-join($names ! normalize-space(h:text-of(.)), ', ') else ()"/>
  </xsl:function>

  <xsl:function name="h:scope" as="xs:string">
    <xsl:param name="s" as="element()"/>
    <xsl:variable name="v" as="xs:string" select="normalize-space(($s[normalize-space()], $s/@n, string-join(($s/@from, $s/@to), '–'))[1])"/>
    <xsl:variable name="unit" as="xs:string" select="lower-case(($s/@unit, $s/@type, '')[1])"/>
    <xsl:sequence select="
      if (matches($v, '[\p{L}]')) then $v
      else if ($unit = ('volume', 'vol')) then tk:string('bibl.volume', map{'n': $v})
      else if ($unit = ('issue', 'number', 'no')) then tk:string('bibl.issue', map{'n': $v})
      else if ($unit = ('page', 'pp', 'pages')) then tk:string(if (matches($v, '[\-–,]')) then 'bibl.pages' else 'bibl.page', map{'n': $v})
      else if ($unit = ('chapter', 'chap')) then tk:string('bibl.chapter', map{'n': $v})
      else $v"/>
  </xsl:function>

  <xsl:template match="tei:title" mode="h:cite">
    <xsl:choose>
      <xsl:when test="@level = ('a', 'u')">
        <xsl:variable name="title" as="item()*"><xsl:apply-templates mode="h:cite"/></xsl:variable>
        <xsl:sequence select="tk:string-parts('punct.quote', map{'text': $title})"/>
      </xsl:when>
      <xsl:otherwise><cite><xsl:apply-templates mode="h:cite"/></cite></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:bibl | tei:msDesc | tei:p" mode="h:cite">
    <xsl:apply-templates mode="h:cite"/>
  </xsl:template>

  <!-- A manuscript's identifier with its shelfmark, worded as in every output (tk:ms-identifier). -->
  <xsl:template match="tei:msIdentifier" mode="h:cite">
    <xsl:value-of select="tk:ms-identifier(..)"/>
    <xsl:text>. </xsl:text>
  </xsl:template>
  <xsl:template match="tei:msDesc/*[not(self::tei:msIdentifier | self::tei:head)]" mode="h:cite"/>

  <xsl:template match="tei:choice" mode="h:cite">
    <xsl:apply-templates select="tk:chosen(., $reading)" mode="h:cite"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="h:cite"/>

  <xsl:template match="tei:ref[@target] | tei:ptr[@target]" mode="h:cite">
    <xsl:variable name="url" as="xs:string?" select="h:external-url(@target)"/>
    <xsl:choose>
      <xsl:when test="exists($url)">
        <a href="{$url}" class="external">
          <xsl:value-of select="if (normalize-space(.) != '') then normalize-space(.) else $url"/>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="h:cite"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:idno" mode="h:cite">
    <xsl:variable name="url" as="xs:string?" select="h:external-url(.)"/>
    <xsl:choose>
      <xsl:when test="exists($url)"><a href="{$url}" class="external"><xsl:value-of select="$url"/></a></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="text()" mode="h:cite">
    <xsl:value-of select="replace(., '\s+', ' ')"/>
  </xsl:template>

  <!-- ===== plain text (mode h:plain) ===== -->

  <!-- The plain text of a node at the configured reading level: the common layer's tk:plain. -->
  <xsl:function name="h:text-of" as="xs:string">
    <xsl:param name="node" as="node()*"/>
    <xsl:sequence select="tk:plain($node)"/>
  </xsl:function>

  <!-- The plain text at another reading level (e.g. the original spelling of a name, or the
       reading not shown), for title attributes and the registers. -->
  <xsl:function name="h:text-of" as="xs:string">
    <xsl:param name="node" as="node()*"/>
    <xsl:param name="level" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="$level = $reading"><xsl:sequence select="tk:plain($node)"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="t" as="xs:string*">
          <xsl:apply-templates select="$node" mode="h:plain">
            <xsl:with-param name="h:level" select="$level" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:variable>
        <xsl:sequence select="normalize-space(string-join($t))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:template match="tei:choice" mode="h:plain">
    <xsl:param name="h:level" as="xs:string" tunnel="yes"/>
    <xsl:apply-templates select="tk:chosen(., $h:level)" mode="h:plain"/>
  </xsl:template>
  <xsl:template match="tei:app" mode="h:plain">
    <xsl:apply-templates select="tk:flow-reading(.)" mode="h:plain"/>
  </xsl:template>
  <xsl:template match="tei:note | tei:idno | tei:del | tei:ptr | tei:*[tk:is-omitted(.)]" mode="h:plain"/>
  <xsl:template match="tei:note[tk:space-after-call(.)]" mode="h:plain" priority="1">
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="(tei:lb | tei:cb | tei:pb)[not(tk:inside-word(.))]" mode="h:plain">
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:soCalled | tei:q | tei:quote | tei:said" mode="h:plain">
    <xsl:variable name="marks" as="xs:string*" select="tk:quote-marks(.)"/>
    <xsl:value-of select="$marks[1]"/>
    <xsl:apply-templates mode="h:plain"/>
    <xsl:value-of select="$marks[2]"/>
  </xsl:template>
  <xsl:template match="tei:forename | tei:surname | tei:addName | tei:nameLink | tei:roleName | tei:genName" mode="h:plain">
    <!-- forename, surname … are often not separated by blanks in the source -->
    <xsl:if test="preceding-sibling::* and not(preceding-sibling::node()[1][self::text()][matches(tk:last-char(.), '\s')])">
      <xsl:text> </xsl:text>
    </xsl:if>
    <xsl:apply-templates mode="h:plain"/>
  </xsl:template>
</xsl:stylesheet>
