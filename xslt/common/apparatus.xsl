<?xml version="1.0" encoding="UTF-8"?>
<!--
  The critical apparatus, decided once for every output: which reading of an entry (app) the
  text follows, which reading each witness has, what a witness is called, and what an entry says
  (its lemma, its readings with their sigla, omissions and additions, its notes). Each output
  renders these answers; none decides them itself. Included by common.xsl.

  Entries kept apart from the text (location-referenced, double-end-point-attached) have been
  placed at their words before the stylesheets run (toolkit/load/apparatus.py), so every entry
  stands where its words are, as in parallel segmentation. What could not be placed carries
  tk:unattached (no place: listed, not in the text) or tk:placed="line" (at the end of its
  line, its lemma not marked in the text).

    Readings        tk:readings($app), tk:base-reading($app), tk:witness-reading($app, $id),
                    tk:shown-reading($app), tk:flow-reading($app), tk:reading-witnesses($r)
    Witnesses       $tk:witness-ids, tk:witness-members($id), tk:siglum($id),
                    tk:witness-description($id), tk:witness-list(), $tk:witness-texts
    Entries         tk:is-entry($app), tk:entries($root), $tk:all-entries, tk:is-placed($app),
                    tk:placement($app),
                    tk:entry-parts($app), tk:lemma-label($app), tk:app-line($app)
    Lacunae         tk:marker-witnesses($marker), tk:witness-absent($node)
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:key name="tk:witness" match="tei:witness[@xml:id] | tei:listWit[@xml:id]" use="@xml:id"/>

  <!-- ========================================================================= readings -->

  <!-- The readings of an entry (lem and rdg, also those grouped in rdgGrp), in document order;
       not those of entries nested in them. -->
  <xsl:function name="tk:readings" as="element()*">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:sequence select="$app/(tei:lem | tei:rdg | tei:rdgGrp/descendant::*[self::tei:lem
                          or self::tei:rdg][ancestor::tei:app[1] is $app])"/>
  </xsl:function>

  <!-- The witness ids a reading names in @wit ("#A #B" → A, B), as written (groups not
       expanded). -->
  <xsl:function name="tk:named-witnesses" as="xs:string*">
    <xsl:param name="reading" as="element()?"/>
    <xsl:sequence select="tokenize(normalize-space($reading/@wit), ' ')
                          ! replace(., '^[^#]*#', '')[. != '']"/>
  </xsl:function>

  <!-- The witnesses of a group (a listWit, or a witness holding one) by their ids, or the id
       itself for a single witness. -->
  <xsl:function name="tk:witness-members" as="xs:string*">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="w" as="element()?" select="$tk:root ! key('tk:witness', $id, .)[1]"/>
    <xsl:variable name="members" as="xs:string*"
      select="$w//tei:witness[normalize-space(@xml:id)][not(.//tei:witness)]/string(@xml:id)"/>
    <xsl:sequence select="if (exists($members)) then $members else $id"/>
  </xsl:function>

  <!-- The document (the attached copy the stylesheets run on). -->
  <xsl:variable name="tk:root" as="document-node()?" select="/"/>

  <!-- The witnesses of the document, each by its id: the witnesses of its listWit (not the
       groups), in their order; without a listWit, every witness the readings name. -->
  <xsl:variable name="tk:witness-ids" as="xs:string*" select="
    let $listed := $tk:root//tei:listWit//tei:witness[normalize-space(@xml:id)][not(.//tei:witness)]/string(@xml:id)
    return if (exists($listed)) then distinct-values($listed)
           else distinct-values($tk:root//(tei:lem | tei:rdg)[ancestor::tei:app] ! tk:named-witnesses(.)
                ! tk:witness-members(.))"/>

  <!-- The witnesses whose reading an entry's reading is, by id: those @wit names (groups
       expanded); for a lemma without @wit, every witness no other reading names. -->
  <xsl:function name="tk:reading-witnesses" as="xs:string*">
    <xsl:param name="reading" as="element()"/>
    <xsl:variable name="app" as="element(tei:app)?" select="$reading/ancestor::tei:app[1]"/>
    <xsl:variable name="named" as="xs:string*"
      select="tk:named-witnesses($reading) ! tk:witness-members(.)"/>
    <xsl:sequence select="
      if (exists($named)) then distinct-values($named)
      else if ($reading/self::tei:lem and exists($app)) then
        let $others := (tk:readings($app) except $reading) ! tk:named-witnesses(.)
                       ! tk:witness-members(.)
        return $tk:witness-ids[not(. = $others)]
      else ()"/>
  </xsl:function>

  <!-- The reading the edited text follows: the lemma; where an entry has none, the reading
       of the configured base witness ($base-witness), else the first reading. -->
  <xsl:function name="tk:base-reading" as="element()?">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:variable name="readings" as="element()*" select="tk:readings($app)"/>
    <xsl:sequence select="($readings[self::tei:lem],
      if ($base-witness = '') then ()
      else $readings[tk:named-witnesses(.) ! tk:witness-members(.) = $base-witness],
      $readings)[1]"/>
  </xsl:function>

  <!-- The reading of witness $id: the one whose @wit names it (or a group it belongs to);
       else a lemma without @wit (the reading of every witness not named); else the base
       reading (a witness the entry does not mention agrees with the edited text). -->
  <xsl:function name="tk:witness-reading" as="element()?">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="readings" as="element()*" select="tk:readings($app)"/>
    <xsl:sequence select="($readings[tk:named-witnesses(.) ! tk:witness-members(.) = $id],
      $readings[self::tei:lem][empty(tk:named-witnesses(.))], tk:base-reading($app))[1]"/>
  </xsl:function>

  <!-- The reading of an entry an output shows in the text: the base reading, or with the
       parameter $witness (the text edition of one witness), that witness's. -->
  <xsl:function name="tk:shown-reading" as="element()?">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:sequence select="if ($witness != '' and tk:is-placed($app))
                          then tk:witness-reading($app, $witness) else tk:base-reading($app)"/>
  </xsl:function>

  <!-- What of an entry stands in the running text: its shown reading, nothing for an entry
       not placed at its words (its lemma is in the text already, or it has no place). -->
  <xsl:function name="tk:flow-reading" as="element()?">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:sequence select="if (tk:is-placed($app)) then tk:shown-reading($app) else ()"/>
  </xsl:function>

  <!-- Whether an entry stands at its words (not unattached, not only at its line). -->
  <xsl:function name="tk:is-placed" as="xs:boolean">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:sequence select="empty($app/(@tk:unattached | @tk:placed))"/>
  </xsl:function>

  <!-- ======================================================================== witnesses -->

  <!-- How a witness (or group) is cited: its siglum (abbr type="siglum", else its abbr), its
       @n, else its id. -->
  <xsl:function name="tk:siglum" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="w" as="element()?" select="$tk:root ! key('tk:witness', $id, .)[1]"/>
    <xsl:variable name="abbr" as="element()*"
      select="($w/tei:abbr, $w/tei:head/tei:abbr, $w/tei:label/tei:abbr)"/>
    <xsl:sequence select="head(((($abbr[@type = 'siglum'], $abbr)[1] ! normalize-space(),
                          normalize-space($w/@n), $id)[. != ''], '?'))"/>
  </xsl:function>

  <!-- What a witness is: its description without its siglum (a group: its heading). -->
  <xsl:function name="tk:witness-description" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="w" as="element()?" select="$tk:root ! key('tk:witness', $id, .)[1]"/>
    <xsl:variable name="parts" as="node()*" select="
      if ($w/self::tei:listWit) then $w/tei:head/node()[not(self::tei:abbr)]
      else $w/node()[not(self::tei:abbr | self::tei:listWit | self::tei:head)]"/>
    <xsl:sequence select="replace(tk:plain($parts), '^[\s,:;.\-–—]+', '')"/>
  </xsl:function>

  <!-- The witnesses and groups to list (a conspectus siglorum): the elements of the
       document's listWit with an id, in order; () without a listWit. -->
  <xsl:function name="tk:witness-list" as="element()*">
    <xsl:sequence select="$tk:root//tei:listWit//(tei:witness | tei:listWit)[normalize-space(@xml:id)]"/>
  </xsl:function>

  <!-- ========================================================================== entries -->

  <!-- An apparatus entry to show: an app with readings to compare or notes of its own (an app
       with a lemma alone, as in the lemma of an apparatus note, is not). -->
  <xsl:function name="tk:is-entry" as="xs:boolean">
    <xsl:param name="app" as="element()"/>
    <xsl:sequence select="exists($app/self::tei:app[tei:rdg | tei:rdgGrp | tei:note
                          | tei:witDetail][not(ancestor::tei:teiHeader)])"/>
  </xsl:function>

  <!-- The entries of the apparatus, in document order: in the text and in lists of their own,
       not those in notes (a note is where they are read). -->
  <xsl:function name="tk:entries" as="element(tei:app)*">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="$root//tei:app[tk:is-entry(.)][not(ancestor::tei:note)]"/>
  </xsl:function>

  <!-- The entries of the document (the one the stylesheets run on), once. -->
  <xsl:variable name="tk:all-entries" as="element(tei:app)*" select="$tk:root ! tk:entries(.)"/>

  <!-- The witnesses whose texts the text edition writes ($witness-texts). -->
  <xsl:variable name="tk:witness-texts" as="xs:string*" select="
    if ($witness-texts = 'all') then $tk:witness-ids
    else tokenize($witness-texts, '[\s,]+')[. = $tk:witness-ids]"/>

  <!-- The plain words of a reading at the reading level (nested entries at their base). -->
  <xsl:function name="tk:reading-text" as="xs:string">
    <xsl:param name="reading" as="element()?"/>
    <xsl:sequence select="if (empty($reading)) then '' else tk:plain($reading/node())"/>
  </xsl:function>

  <!-- What an entry says, part by part, for every output to write the same way:
         map{'part': 'lemma', 'label': …, 'sigla': ids, 'reading': the base reading,
             'empty': whether it is empty (an addition: "post cano add. nunc B", no "]")}
         map{'part': 'reading', 'reading': rdg, 'kind': 'text' | 'om' | 'add', 'sigla': ids,
             'qualifiers': (type, cause), 'details': witDetails, 'wit': a wit element}
         map{'part': 'note', 'note': note}
       Readings in document order, the base reading left out. The lemma's label is '' where
       the base reading is empty (the entry records an addition: the readings say where). -->
  <xsl:function name="tk:entry-parts" as="map(*)*">
    <xsl:param name="app" as="element(tei:app)"/>
    <!-- An entry kept apart from the text without a lemma has no base reading: the text
         does not follow one of its readings. -->
    <xsl:variable name="base" as="element()?" select="if (tk:is-placed($app) or $app/tei:lem)
                                                      then tk:base-reading($app) else ()"/>
    <xsl:variable name="empty-base" as="xs:boolean" select="exists($base)
      and tk:reading-text($base) = ''
      and empty($base//(tei:gap | tei:lacunaStart | tei:lacunaEnd | tei:witStart | tei:witEnd))"/>
    <xsl:sequence select="map{'part': 'lemma', 'label': if (exists($base))
                          then tk:lemma-label($app) else '', 'sigla': tk:named-witnesses($base),
                          'reading': $base, 'empty': $empty-base}"/>
    <xsl:for-each select="tk:readings($app) except $base">
      <xsl:variable name="words" as="xs:boolean" select="tk:reading-text(.) != ''"/>
      <xsl:variable name="marks" as="xs:boolean"
        select="exists(.//(tei:gap | tei:lacunaStart | tei:lacunaEnd | tei:witStart | tei:witEnd))"/>
      <xsl:sequence select="map{'part': 'reading', 'reading': .,
        'kind': if (not($words or $marks) and not($empty-base)) then 'om'
                else if ($empty-base and $words) then 'add' else 'text',
        'sigla': tk:named-witnesses(.),
        'qualifiers': distinct-values((@type, @cause, parent::tei:rdgGrp[current() is
                      (tei:lem | tei:rdg)[last()]]/@type) ! normalize-space()[. != '']),
        'details': $app//tei:witDetail[tokenize(normalize-space(@target), ' ')
                   = current()/@xml:id ! ('#' || .)],
        'wit': following-sibling::*[1][self::tei:wit]}"/>
    </xsl:for-each>
    <xsl:for-each select="$app/tei:note | $app/tei:witDetail[empty(@target)]">
      <xsl:sequence select="map{'part': 'note', 'note': .}"/>
    </xsl:for-each>
  </xsl:function>

  <!-- What an entry not placed at its words says of its place, if anything: 'unplaced' (it
       has none: listed only), 'unmarked' (at the end of its line, its lemma not marked in the
       text), or () (placed; or at its line without a lemma, as location-referenced entries
       are). -->
  <xsl:function name="tk:placement" as="xs:string?">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:sequence select="if ($app/@tk:unattached) then 'unplaced'
      else if ($app/@tk:placed and tk:reading-text($app/tei:lem) != '') then 'unmarked'
      else ()"/>
  </xsl:function>

  <!-- The lemma as an entry cites it: its words (a long lemma by its first and last word,
       "saevae … Iunonis"); for an entry whose base reading is empty (an addition), where the
       words are added: "post cano" (after the word before), "ante Troiae" at the start of a
       passage. -->
  <xsl:function name="tk:lemma-label" as="xs:string">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:variable name="words" as="xs:string*"
      select="tokenize(tk:reading-text(tk:base-reading($app)), '\s+')[. != '']"/>
    <xsl:choose>
      <xsl:when test="count($words) gt 4">
        <xsl:sequence select="$words[1] || ' &#x2026; ' || $words[last()]"/>
      </xsl:when>
      <xsl:when test="exists($words)">
        <xsl:sequence select="string-join($words, ' ')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="before" as="xs:string?" select="tk:word-beside($app, false())"/>
        <xsl:variable name="after" as="xs:string?" select="tk:word-beside($app, true())"/>
        <xsl:sequence select="
          if (exists($before)) then tk:apparatus-word('after') || ' ' || $before
          else if (exists($after)) then tk:apparatus-word('before') || ' ' || $after
          else ''"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The word of the text just before (or after) an entry, within its block. -->
  <xsl:function name="tk:word-beside" as="xs:string?">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:param name="after" as="xs:boolean"/>
    <xsl:variable name="block" as="element()?"
      select="$app/ancestor::*[tk:is-block-element(.) or self::tei:l][1]"/>
    <xsl:variable name="texts" as="text()*" select="
      $block//text()[if ($after) then . &gt;&gt; $app else . &lt;&lt; $app]
      [not(ancestor::tei:note | ancestor::tei:rdg | ancestor::tei:rdgGrp | ancestor::tei:witDetail)]
      [not(ancestor::tei:app[not(tk:is-placed(.))])]"/>
    <xsl:variable name="words" as="xs:string*"
      select="tokenize(string-join($texts), '[\s\p{P}]+')[. != '']"/>
    <xsl:sequence select="if ($after) then $words[1] else $words[last()]"/>
  </xsl:function>

  <!-- The Latin words of an apparatus ("post", "ante"): the same in every language, as
       editors write them. -->
  <xsl:function name="tk:apparatus-word" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="map{'after': 'post', 'before': 'ante'}($key)"/>
  </xsl:function>

  <!-- The verse line an entry stands in, by its number (@n, else its place among the lines of
       the text); () outside verse. -->
  <xsl:function name="tk:app-line" as="xs:string?">
    <xsl:param name="app" as="element(tei:app)"/>
    <xsl:variable name="l" as="element()?" select="$app/ancestor::tei:l[1]"/>
    <xsl:sequence select="if (empty($l)) then ()
      else if (normalize-space($l/@n) != '') then normalize-space($l/@n)
      else string(count($l/preceding::tei:l[ancestor::tei:text]) + 1)"/>
  </xsl:function>

  <!-- ========================================================================== lacunae -->

  <!-- The witnesses a lacuna or fragment marker (lacunaStart, lacunaEnd, witStart, witEnd)
       is about: those its @wit names; else those whose reading holds it (every entry around it
       taken into account). -->
  <xsl:function name="tk:marker-witnesses" as="xs:string*">
    <xsl:param name="marker" as="element()"/>
    <xsl:variable name="named" as="xs:string*"
      select="tk:named-witnesses($marker) ! tk:witness-members(.)"/>
    <xsl:variable name="readings" as="element()*"
      select="$marker/ancestor::*[self::tei:lem or self::tei:rdg][ancestor::tei:app]"/>
    <xsl:sequence select="
      if (exists($named)) then distinct-values($named)
      else if (empty($readings)) then ()
      else for $w in $tk:witness-ids return $w[every $r in $readings satisfies
             tk:witness-reading($r/ancestor::tei:app[1], $w) is $r]"/>
  </xsl:function>

  <!-- The lacuna and fragment markers of the witness $witness, in document order. -->
  <xsl:variable name="tk:witness-markers" as="element()*" select="
    if ($witness = '') then ()
    else $tk:root//(tei:lacunaStart | tei:lacunaEnd | tei:witStart | tei:witEnd)[ancestor::tei:text]
         [tk:marker-witnesses(.) = $witness]"/>

  <!-- Whether the witness $witness has no text at $node: after a lacunaStart or witEnd of
       its own (until its lacunaEnd or witStart), or before its first witStart (or a
       lacunaEnd that ends a lacuna open from the start). -->
  <xsl:function name="tk:witness-absent" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="last" as="element()?" select="$tk:witness-markers[. &lt;&lt; $node][last()]"/>
    <xsl:sequence select="
      if (empty($tk:witness-markers)) then false()
      else if (exists($last)) then exists($last/(self::tei:lacunaStart | self::tei:witEnd))
      else exists($tk:witness-markers[1]/(self::tei:witStart | self::tei:lacunaEnd))"/>
  </xsl:function>
</xsl:stylesheet>
