<?xml version="1.0" encoding="UTF-8"?>
<!--
  The text beside its page images. Which image belongs to which page break, and which zones
  the lines point to, is decided once, by toolkit/facsimile/pages.py; the build passes the
  result as the JSON parameter $facsimile (toolkit/html/facsimile.py describes it). This module
  only marks the page for the viewer (assets/facs.js):
    - a pb with an image: data-facs-page (the image's place in the data), its label a link to
      the image for readers without JavaScript;
    - an element whose @facs points to a zone of a page: data-zone; a line begun by an
      lb/@facs: its text in spans with data-zone, up to the next lb or pb;
    - the pane of the viewer (hidden without JavaScript), with the data as a
      <script type="application/json"> (no script runs from the page itself), and the button
      that shows the image on a phone;
    - the IIIF manifest among the downloads.
  A page without images is exactly what it was without this module.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:tk="urn:teikit"
  xmlns:h="urn:teikit:html"
  exclude-result-prefixes="#all">

  <!-- ===== the data ===== -->

  <xsl:variable name="h:facs" as="map(*)?"
    select="if (normalize-space($facsimile) = '') then () else parse-json($facsimile)"/>

  <!-- The pages, each with its place in the data (0-based, as facs.js counts). -->
  <xsl:variable name="h:facs-pages" as="map(*)*" select="
    for $i in 1 to array:size(($h:facs?pages, [])[1])
    return map:put($h:facs?pages($i), 'index', $i - 1)"/>

  <xsl:variable name="h:facs-shown" as="xs:boolean"
    select="exists($h:facs-pages[not(?missing)])"/>

  <xsl:variable name="h:facs-by-pb" as="map(xs:integer, map(*))" select="map:merge(
    $h:facs-pages[exists(?pb)] ! map:entry(xs:integer(?pb), .), map{'duplicates': 'use-first'})"/>

  <xsl:variable name="h:facs-zones" as="map(xs:string, xs:boolean)" select="map:merge(
    $h:facs-pages[not(?missing)] ! (?zones, [])[1]?* ! map:entry(string(?id), true()),
    map{'duplicates': 'use-first'})"/>

  <xsl:variable name="h:facs-lines" as="xs:boolean"
    select="map:size($h:facs-zones) gt 0 and exists(//tei:lb[@facs])"/>

  <!-- The place of each pb among all pb of the document, as toolkit/facsimile/pages.py
       counts them. -->
  <xsl:accumulator name="h:pb" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:pb" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The zone of the line being read: set by an lb pointing to one, ended by the next lb
       or pb, or by the end of the block it is in (a paragraph after it is not of that line). -->
  <xsl:accumulator name="h:line-zone" as="xs:string" initial-value="''">
    <xsl:accumulator-rule match="tei:lb" select="(h:zone-of(.), '')[1]"/>
    <xsl:accumulator-rule match="tei:pb | tei:cb" select="''"/>
    <xsl:accumulator-rule phase="end" select="''" match="tei:p | tei:ab | tei:head | tei:l
      | tei:lg | tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6
      | tei:div7 | tei:item | tei:list | tei:table | tei:cell | tei:sp | tei:stage | tei:opener
      | tei:closer | tei:postscript | tei:floatingText | tei:body | tei:front | tei:back"/>
  </xsl:accumulator>

  <xsl:function name="h:facs-page" as="map(*)?">
    <xsl:param name="pb" as="element(tei:pb)"/>
    <xsl:sequence select="if (exists($h:facs)) then $h:facs-by-pb($pb ! accumulator-before('h:pb'))
                          else ()"/>
  </xsl:function>

  <!-- The zone an element points to: the first of its @facs that is a zone of a page. -->
  <xsl:function name="h:zone-of" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="(tokenize(normalize-space($el/@facs), ' ')[starts-with(., '#')]
                           ! substring(., 2))[map:contains($h:facs-zones, .)][1]"/>
  </xsl:function>

  <!-- A link of the data: our own files (facs/…) or a web address; anything else, nothing. -->
  <xsl:function name="h:facs-href" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:sequence select="
      if (matches(string($url), '^facs/[0-9a-f]+-[a-z0-9]+/[A-Za-z0-9_/,.\-]+$')
          and not(contains($url, '..'))) then $url
      else h:external-url($url)"/>
  </xsl:function>

  <!-- ===== marks in the text ===== -->

  <!-- On a pb's span: which page image it begins (called by the pb template). -->
  <xsl:template name="h:facs-pb">
    <xsl:param name="page" as="map(*)?"/>
    <xsl:if test="exists($page)">
      <xsl:attribute name="data-facs-page" select="$page?index"/>
    </xsl:if>
  </xsl:template>

  <!-- On an element's HTML element (called by h:attrs): the zone it points to. -->
  <xsl:template name="h:facs-zone">
    <xsl:param name="h:ids" as="xs:boolean" tunnel="yes" select="true()"/>
    <xsl:if test="$h:ids and exists($h:facs) and @facs">
      <xsl:variable name="zone" as="xs:string?" select="h:zone-of(.)"/>
      <xsl:if test="exists($zone)">
        <xsl:attribute name="data-zone" select="$zone"/>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- The text of a line begun by an lb pointing to a zone (notes aside). -->
  <xsl:template match="text()[$h:facs-lines][normalize-space()]
                       [accumulator-before('h:line-zone') != ''][not(ancestor::tei:note)]"
    priority="10">
    <xsl:param name="h:ids" as="xs:boolean" tunnel="yes" select="true()"/>
    <xsl:choose>
      <xsl:when test="$h:ids">
        <span class="zl" data-zone="{accumulator-before('h:line-zone')}"><xsl:next-match/></span>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== the viewer ===== -->

  <!-- Classes of the document's article. -->
  <xsl:function name="h:facs-classes" as="xs:string*">
    <xsl:sequence select="if ($h:facs-shown) then 'has-facs' else ()"/>
  </xsl:function>

  <!-- Scripts and stylesheets a page with images loads (beside edition.js and .css). -->
  <xsl:function name="h:facs-scripts" as="xs:string*">
    <xsl:sequence select="if ($h:facs-shown) then ('assets/openseadragon.min.js', 'assets/facs.js')
                          else ()"/>
  </xsl:function>
  <xsl:function name="h:facs-styles" as="xs:string*">
    <xsl:sequence select="if (exists($h:facs-pages)) then 'assets/facs.css' else ()"/>
  </xsl:function>

  <!-- Before the text: the button that shows the image (on a phone, or when hidden), or the
       note that the images named are not to be had. -->
  <xsl:template name="h:facs-before-text">
    <xsl:choose>
      <xsl:when test="$h:facs-shown">
        <p class="facs-open-line js-only">
          <button type="button" class="facs-open" aria-controls="tk-facs" aria-expanded="false">
            <xsl:value-of select="tk:string('facs.show')"/>
          </button>
        </p>
      </xsl:when>
      <xsl:when test="exists($h:facs-pages)">
        <p class="facs-none"><xsl:value-of select="tk:string('facs.none')"/></p>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The pane: toolbar, viewer, the data. -->
  <xsl:template name="h:facs-pane">
    <xsl:if test="$h:facs-shown">
      <xsl:variable name="total" as="xs:integer" select="count($h:facs-pages)"/>
      <section id="tk-facs" class="facs-pane js-only" aria-label="{tk:string('facs.heading')}">
        <div class="facs-toolbar" role="toolbar" aria-label="{tk:string('facs.toolbar')}">
          <button type="button" data-act="prev" aria-label="{tk:string('facs.previous')}">&#x2039;</button>
          <span class="facs-position" id="tk-facs-position">
            <xsl:value-of select="tk:string('facs.position', map{'n': 1, 'total': $total})"/>
          </span>
          <button type="button" data-act="next" aria-label="{tk:string('facs.next')}">&#x203A;</button>
          <span class="facs-zoom">
            <button type="button" data-act="zoom-in" aria-label="{tk:string('facs.zoom_in')}">+</button>
            <button type="button" data-act="zoom-out" aria-label="{tk:string('facs.zoom_out')}">&#x2212;</button>
            <button type="button" data-act="home" aria-label="{tk:string('facs.zoom_reset')}">&#x2922;</button>
          </span>
          <button type="button" data-act="close" class="facs-close"
                  aria-label="{tk:string('facs.hide')}">&#xD7;</button>
        </div>
        <div id="tk-facs-viewer" class="facs-viewer"></div>
        <p class="facs-unavailable" hidden="hidden"><xsl:value-of select="tk:string('facs.unavailable_plain')"/></p>
        <!-- Data only (the page's CSP runs no inline script); '<' written as an escape, so
             the JSON cannot end the element. -->
        <script type="application/json" id="tk-facs-data">
          <xsl:value-of select="replace(replace($facsimile, '&lt;', '\\u003c'), '&gt;', '\\u003e')"/>
        </script>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Among the downloads: this document's IIIF manifest, or the one its images come from. -->
  <xsl:template name="h:facs-downloads">
    <xsl:variable name="href" as="xs:string?"
      select="($h:facs?iiif[matches(., '^iiif/[^/]+\.json$')], h:external-url($h:facs?manifest?url))[1]"/>
    <xsl:if test="exists($href)">
      <li><a href="{$href}" type="application/ld+json"><xsl:value-of select="tk:string('facs.manifest')"/></a></li>
    </xsl:if>
  </xsl:template>

  <!-- A Content-Security-Policy with what the viewer of this page needs added: the empty
       inline style OpenSeadragon looks for (facs.js puts it there, so that OpenSeadragon
       inserts no style of its own), and the remote hosts its images, info.json and manifests
       come from (img-src, connect-src). Unchanged for a page without images. -->
  <xsl:function name="h:with-csp" as="xs:string">
    <xsl:param name="policy" as="xs:string"/>
    <xsl:variable name="origins" as="xs:string*"
      select="($h:facs?origins, [])[1]?*[matches(., '^(https?://[A-Za-z0-9.\-]+(:[0-9]+)?|https:)$')]"/>
    <xsl:variable name="add" as="map(xs:string, xs:string*)" select="
      if (not($h:facs-shown)) then map{}
      else map{
        'style-src': &quot;'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='&quot;,
        'img-src': $origins,
        'connect-src': ($origins)}"/>
    <xsl:variable name="directives" as="xs:string*"
      select="tokenize($policy, ';') ! normalize-space()[. != '']"/>
    <xsl:variable name="names" as="xs:string*" select="$directives ! tokenize(., ' ')[1]"/>
    <xsl:variable name="extended" as="xs:string*">
      <xsl:for-each select="$directives">
        <xsl:variable name="name" as="xs:string" select="tokenize(., ' ')[1]"/>
        <xsl:variable name="more" as="xs:string*"
          select="$add($name)[not(. = tokenize(current(), ' '))]"/>
        <xsl:sequence select="string-join((replace(., &quot;^(\S+) 'none'$&quot;, '$1'), $more), ' ')"/>
      </xsl:for-each>
      <xsl:for-each select="map:keys($add)[not(. = $names)][exists($add(.))]">
        <xsl:sort select="."/>
        <xsl:sequence select="string-join((., &quot;'self'&quot;, $add(.)), ' ')"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($extended ! (if (matches(., '^\S+$')) then . || &quot; 'none'&quot; else .), '; ')"/>
  </xsl:function>
</xsl:stylesheet>
