<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page images of the source as plates at the end of the print edition, when the project
  asks for them (facsimile_plates = true): one page each, with its caption. The text itself
  keeps its page references as they are. toolkit/print/plates.py passes the images as the JSON
  parameter $facsimile ({"plates": [{"label": "1r", "src": "file:///…jpg"}]}): files the build
  made, nothing from the TEI. Included by print.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tkp="urn:teikit:print"
  exclude-result-prefixes="#all">

  <!-- Interface strings of the plates (keys as in the catalogue). -->
  <xsl:variable name="tkp:plate-words" as="map(xs:string, xs:string)" select="map{
    'facs.plates': 'Plates',
    'facs.plate': 'Plate {n}',
    'facs.plate_page': 'Plate {n}: p. {label}',
    'facs.plate_alt': 'Image of page {label} of the source'
  }"/>

  <xsl:function name="tkp:plate-word" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="replace(replace($tkp:plate-words($key), '\{n\}', string($n)),
                                  '\{label\}', replace($label, '\$', '\\\$'))"/>
  </xsl:function>

  <xsl:template name="tkp:plates" as="node()*">
    <xsl:variable name="plates" as="map(*)*" select="
      if (normalize-space($facsimile) = '') then ()
      else (parse-json($facsimile)?plates, [])[1]?*[matches(?src, '^file:///[^\s&quot;&lt;&gt;]+\.jpg$')]"/>
    <xsl:if test="exists($plates)">
      <section class="plates">
        <h2 class="plates-title"><xsl:value-of select="$tkp:plate-words('facs.plates')"/></h2>
        <xsl:for-each select="$plates">
          <xsl:variable name="label" as="xs:string" select="normalize-space(?label)"/>
          <figure class="plate">
            <img src="{?src}" alt="{if ($label) then tkp:plate-word('facs.plate_alt', position(), $label) else ''}"/>
            <figcaption>
              <xsl:value-of select="tkp:plate-word(if ($label) then 'facs.plate_page' else 'facs.plate',
                                                   position(), $label)"/>
            </figcaption>
          </figure>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
