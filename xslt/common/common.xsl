<?xml version="1.0" encoding="UTF-8"?>
<!--
  The common layer: what the TEI means, decided once for every output.

  Each output (html/, text/, print/) imports this file and supplies the rendering. Functions here
  answer editorial questions; they never produce output markup. Overview (all in namespace tk):

    Editorial level     tk:chosen($choice, $level), tk:other($choice, $level), tk:is-original($el)
    Apparatus           apparatus.xsl: tk:base-reading($app), tk:witness-reading($app, $id), ...
    Pointers            tk:target($context, $pointer), tk:referrers($el); across the edition
                        (edition.xsl): tk:link($el, $value, $kind), tk:link-entry($link),
                        tk:nav($rel)
    Letters (letters.xsl) tk:correspondence($tei), tk:letter-parties($desc, $role),
                        tk:letter-places($desc, $action), tk:letter-dates($desc, $action)
    Quotation           tk:quote-marks($el)
    Spacing             tk:implicit-space($el), tk:token-join($el), tk:is-name-part($el),
                        tk:bears-tokens($el), tk:breaks-line($lb), tk:space-after-call($note),
                        tk:shows-page($pb)
    Structure           tk:is-block-element($el), tk:holds-blocks($el), tk:is-omitted($el),
                        tk:is-entity-list($el),
                        tk:cell-span($attribute)
    Layout hints        tk:rend-tokens($el), tk:alignment($el), tk:rend-is-block($el)
    Metadata            tk:plain($nodes), tk:title($tei), tk:main-title($tei), tk:subtitles($tei),
                        tk:authors($tei), tk:citation($bibl), tk:ms-identifier($ms),
                        tk:ms-parts($ms),
                        tk:source-descriptions($tei), tk:join-phrases($phrases, $separator)
    Interface words     tk:string($key, $args), tk:dating($el), tk:list($items) (i18n.xsl)
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tk="urn:teikit"
  exclude-result-prefixes="#all">

  <xsl:import href="params.xsl"/>
  <xsl:include href="edition.xsl"/>
  <xsl:include href="letters.xsl"/>
  <xsl:include href="i18n.xsl"/>
  <xsl:include href="apparatus.xsl"/>

  <xsl:key name="tk:id" match="*[@xml:id]" use="@xml:id"/>

  <!-- ================================================================== editorial level -->

  <!-- The children of a choice that belong to the original reading, and to the normalised one. -->
  <xsl:function name="tk:is-original" as="xs:boolean">
    <xsl:param name="reading-element" as="element()"/>
    <xsl:sequence select="exists($reading-element/(self::tei:sic | self::tei:orig | self::tei:abbr))"/>
  </xsl:function>

  <!-- The reading of a choice to show at the given level. Falls back to the first child when a
       choice lacks the preferred kind (e.g. two seg alternatives). -->
  <xsl:function name="tk:chosen" as="element()?">
    <xsl:param name="choice" as="element(tei:choice)"/>
    <xsl:param name="level" as="xs:string"/>
    <xsl:variable name="readings" as="element()*" select="$choice/*"/>
    <xsl:sequence select="
      if ($level = 'original')
      then ($readings[tk:is-original(.)], $readings)[1]
      else ($readings[self::tei:corr | self::tei:reg | self::tei:expan], $readings)[1]"/>
  </xsl:function>

  <!-- The reading not shown at the given level (shown on hover, in notes, etc.). -->
  <xsl:function name="tk:other" as="element()?">
    <xsl:param name="choice" as="element(tei:choice)"/>
    <xsl:param name="level" as="xs:string"/>
    <xsl:variable name="shown" as="element()?" select="tk:chosen($choice, $level)"/>
    <xsl:sequence select="$choice/*[not(. is $shown)][1]"/>
  </xsl:function>

  <!-- ========================================================================= pointers -->

  <!-- The element a local pointer ("#id") designates, if any. -->
  <xsl:function name="tk:target" as="element()?">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="
      if (starts-with($pointer, '#'))
      then key('tk:id', substring($pointer, 2), root($context))[1]
      else ()"/>
  </xsl:function>

  <xsl:key name="tk:pointed-at" match="*[@target]"
    use="tokenize(normalize-space(@target), ' ')[starts-with(., '#')] ! substring(., 2)"/>

  <!-- The elements whose @target points at $el ("#id"): the references to a note kept apart
       from the text, for instance. -->
  <xsl:function name="tk:referrers" as="element()*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="if ($el/@xml:id) then key('tk:pointed-at', string($el/@xml:id),
                          root($el)) else ()"/>
  </xsl:function>

  <!-- ======================================================================== quotation -->

  <!-- Quotation marks are rendered from markup (soCalled, q, quote, said), decided here: the
       opening and the closing mark, both '' when the element is shown without marks (block
       quotations, a bare quote, indirect speech). -->
  <xsl:function name="tk:quote-marks" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="
      if ($el/@rend = ('none', 'block') or $el/self::tei:quote[not(@rend)]
          or $el/self::tei:said[@direct = 'false'][not(@rend)]) then ('', '')
      else if ($el/@rend = ('single', 'sq')) then ('&#x2018;', '&#x2019;')
      else ('&#x201C;', '&#x201D;')"/>
  </xsl:function>

  <!-- ========================================================================== spacing -->

  <!-- Parts of a structured name or description (forename and surname, settlement and
       country, role and role description in a cast list): written side by side without
       whitespace, they are still separate words. -->
  <xsl:function name="tk:is-name-part" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/(self::tei:forename | self::tei:surname | self::tei:nameLink
                          | self::tei:addName | self::tei:roleName | self::tei:genName
                          | self::tei:settlement | self::tei:district | self::tei:region
                          | self::tei:country | self::tei:bloc | self::tei:role
                          | self::tei:roleDesc | self::tei:actor))"/>
  </xsl:function>

  <!-- Whether an element is (or holds) tokens of a tokenised text (w, pc). -->
  <xsl:function name="tk:bears-tokens" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el/(self::tei:w | self::tei:pc | descendant::tei:w))"/>
  </xsl:function>

  <!-- The word boundaries around a choice of abbreviation and expansion, as (before, after),
       each true or false: whitespace that one of its readings has at its edge (the source wrote
       <abbr>8ber </abbr><expan>October</expan>1836) is a boundary for both readings, except
       before punctuation (<abbr>Dtr </abbr><expan>Doktor</expan>! stays "Doktor!"). -->
  <xsl:function name="tk:choice-spaces" as="xs:boolean+">
    <xsl:param name="choice" as="element()"/>
    <xsl:variable name="abbr" as="xs:boolean" select="exists($choice/(tei:abbr | tei:expan))"/>
    <xsl:variable name="next" as="xs:string"
      select="substring(string($choice/following-sibling::node()[1]), 1, 1)"/>
    <xsl:sequence select="
      $abbr and (some $c in $choice/* satisfies matches($c, '^\s')),
      $abbr and not(matches($next, '[\p{Po}\p{Pe}\p{Pf}]'))
        and (some $c in $choice/* satisfies matches(tk:last-char($c), '\s'))"/>
  </xsl:function>

  <!-- A link target from the TEI that may become a link in any output: an absolute http(s) or
       mailto URL, or (); javascript:, data:, vbscript:, file: and anything else with a scheme
       is refused, also when disguised with blanks or controls. -->
  <xsl:function name="tk:link-url" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="u" as="xs:string" select="normalize-space($url)"/>
    <xsl:variable name="squeezed" as="xs:string" select="lower-case(replace($u, '[\s\p{C}]', ''))"/>
    <xsl:sequence select="
      if (matches($squeezed, '^(https?://[^/\\]|mailto:)') and not(matches($u, '[\s&quot;&lt;&gt;\\\p{C}]')))
      then $u else ()"/>
  </xsl:function>

  <!-- The first address of a pointer's @target if it is a web address (http, https), else ().
       Only such an address means something outside the edition. -->
  <xsl:function name="tk:web-address" as="xs:string?">
    <xsl:param name="target" as="attribute()?"/>
    <xsl:sequence select="tokenize(normalize-space($target), ' ')[1][matches(., '^https?://\S')]"/>
  </xsl:function>

  <!-- Whether a page or column break without @break stands inside a word: letters on both
       sides and no whitespace between (the source wrote anzuse<pb n="48"/>hen). A line break
       without @break is a word boundary, as TEI has it: sources often write one after the last
       word of a line without whitespace. -->
  <xsl:function name="tk:inside-word" as="xs:boolean">
    <xsl:param name="break" as="element()"/>
    <xsl:sequence select="$break/@break = 'no' or empty($break/@break)
      and exists($break/(self::tei:pb | self::tei:cb))
      and matches(tk:last-char(string($break/preceding-sibling::node()[1][self::text()])),
                  '[\p{L}\p{N}]')
      and matches(substring(string($break/following-sibling::node()[1][self::text()]), 1, 1),
                  '[\p{L}\p{N}]')"/>
  </xsl:function>

  <!-- The last character of a string ('' for ''). Saxon tries a pattern anchored only at the
       end, such as '\s$', at every position of the string: on a long text node that costs
       more than the rest of its rendering, while the same class tested on this one character
       costs nothing. -->
  <xsl:function name="tk:last-char" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="substring($s, string-length($s))"/>
  </xsl:function>

  <!-- Whether a line break (lb) starts a new line in every output: in lineated verse (lb in lg
       without l), in an address and in the parts of a letter (opener, closer, dateline, salute,
       signed) or of a title page (byline, docImprint), whose lines are their layout; elsewhere
       (prose, a verse line, a paragraph of a letter) it is a word boundary only. -->
  <xsl:function name="tk:breaks-line" as="xs:boolean">
    <xsl:param name="lb" as="element()"/>
    <xsl:sequence select="not($lb/@break = 'no') and exists($lb/ancestor::*[self::tei:l
      or self::tei:lg or self::tei:p or self::tei:ab or self::tei:head or self::tei:note
      or self::tei:address or self::tei:opener or self::tei:closer or self::tei:dateline
      or self::tei:salute or self::tei:signed or self::tei:byline or self::tei:docImprint][1]
      [not(self::tei:l or self::tei:p or self::tei:ab or self::tei:head or self::tei:note)])"/>
  </xsl:function>

  <!-- Whether a page break is shown as a page of the source: only one with a number (@n); one
       without says nothing a reader can use ("[Page]" between every two paragraphs of a
       letter) and is a word boundary only. -->
  <xsl:function name="tk:shows-page" as="xs:boolean">
    <xsl:param name="pb" as="element()"/>
    <xsl:sequence select="normalize-space($pb/@n) != ''"/>
  </xsl:function>

  <!-- A text node without the whitespace that is no word boundary: beside a break inside a
       word (lb, pb, cb or milestone with break="no": "Fortbil<lb break="no"/>(newline)dung",
       "<hi>majori</hi> <lb break="no"/>tätsantrages"), before a token that attaches to what
       precedes it (a comma, a closing quotation mark: "<w>September</w>(newline)<pc>,</pc>"
       reads "September,"), after one that attaches to what follows (an opening quotation
       mark), before the call of a note in running text (tk:is-anchored-note; where a word
       follows the note at once, the space goes after the call: tk:space-after-call). The text
       edition settles the same with its sentinels (text-inline.xsl). -->
  <xsl:function name="tk:text-spaced" as="xs:string">
    <xsl:param name="text" as="text()"/>
    <xsl:variable name="s" as="xs:string" select="string($text)"/>
    <xsl:variable name="next" as="element()?"
      select="if (matches(tk:last-char($s), '\s')) then tk:next-token($text) else ()"/>
    <xsl:variable name="t" as="xs:string" select="
      if (not(matches(tk:last-char($s), '\s'))) then $s
      else if ($text/following-sibling::node()[1]/@break = 'no'
               or tk:token-join($next) = ('left', 'both')
               or $next/self::tei:note and tk:is-anchored-note($next))
      then replace($s, '[ \t\r\n]+$', '') else $s"/>
    <xsl:sequence select="
      if (not(matches($t, '^\s'))) then $t
      else if ($text/preceding-sibling::node()[1]/@break = 'no'
               or tk:token-join(tk:previous-token($text)) = ('right', 'both'))
      then replace($t, '^[ \t\r\n]+', '') else $t"/>
  </xsl:function>

  <!-- A note whose call stands in running text (not one between blocks, as the endnotes of
       a novel): its call sticks to the word it comments on, so whitespace before it goes
       (and comes after the call where a word follows at once: tk:space-after-call). -->
  <xsl:function name="tk:is-anchored-note" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="exists($note/(preceding-sibling::node() | following-sibling::node())
                          [self::text()[normalize-space()]])"/>
  </xsl:function>

  <!-- Whether a note's call is followed by a space the source has before the note: whitespace
       before it (which the call, sticking to its word, takes away) and a word right after it.
       "Wort <note/>drin" reads "Wort[3] drin" in every output, never "Wort[3]drin". -->
  <xsl:function name="tk:space-after-call" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="matches(tk:last-char(string($note/preceding-sibling::node()[1][self::text()])), '\s')
      and matches(string($note/following-sibling::node()[1][not(self::tei:note)]), '^[\p{L}\p{N}]')
      and tk:is-anchored-note($note)"/>
  </xsl:function>

  <!-- The element next to $node (after it, before it) among its siblings, past whitespace and
       comments and out of the inline elements that end (begin) there, as in
       <rs><w>September</w> </rs> <pc>,</pc>; () when text or a block comes first. -->
  <xsl:function name="tk:next-token" as="element()?">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="next" as="node()?" select="$node/following-sibling::node()
      [not(self::comment() or self::processing-instruction() or self::text()[not(normalize-space())])][1]"/>
    <xsl:sequence select="
      if (exists($next)) then $next[self::*]
      else if ($node/parent::*[not(tk:is-block-element(.))]) then tk:next-token($node/..)
      else ()"/>
  </xsl:function>

  <xsl:function name="tk:previous-token" as="element()?">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="prev" as="node()?" select="$node/preceding-sibling::node()
      [not(self::comment() or self::processing-instruction() or self::text()[not(normalize-space())])][1]"/>
    <xsl:sequence select="
      if (exists($prev)) then $prev[self::*]
      else if ($node/parent::*[not(tk:is-block-element(.))]) then tk:previous-token($node/..)
      else ()"/>
  </xsl:function>

  <!-- True when a space belongs before $el although the source has no whitespace there: the
       element directly follows (no text between) a sibling token or name part, as in
       <w>such</w><w>is</w> or <forename>August</forename><surname>Kotzebue</surname>. Whether
       punctuation then attaches to its neighbour is tk:token-join's question. -->
  <xsl:function name="tk:implicit-space" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="prev" as="node()?" select="$el/preceding-sibling::node()[1]"/>
    <xsl:sequence select="
      $prev instance of element()
      and ((tk:is-name-part($el) and tk:is-name-part($prev))
           or (tk:bears-tokens($el) and tk:bears-tokens($prev)))"/>
  </xsl:function>

  <!-- Punctuation a tokeniser put after a verse line rather than inside it
       (<l>...<w>tongue</w></l> <pc>,</pc> <l>...): the tokens that attach to the line before
       them, which the outputs write at the end of that line. -->
  <xsl:function name="tk:line-end-punctuation" as="element()*">
    <xsl:param name="line" as="element()"/>
    <xsl:iterate select="$line/following-sibling::node()">
      <xsl:choose>
        <xsl:when test="self::text()[not(normalize-space())] or self::comment()"/>
        <xsl:when test="self::tei:pc and tk:token-join(.) = ('left', 'both')">
          <xsl:sequence select="."/>
        </xsl:when>
        <xsl:otherwise><xsl:break/></xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <xsl:function name="tk:ends-a-line" as="xs:boolean">
    <xsl:param name="pc" as="element()"/>
    <xsl:variable name="line" as="element()?" select="$pc/preceding-sibling::*[self::tei:l][1]"/>
    <xsl:sequence select="exists($line) and (some $p in tk:line-end-punctuation($line)
                          satisfies $p is $pc)"/>
  </xsl:function>

  <!-- Whether an output writes a space before $el where the source has none: a token or name
       part written right after another (tk:implicit-space), unless punctuation attaches the
       two (tk:token-join). -->
  <xsl:function name="tk:space-before" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="prev" as="node()?" select="$el/preceding-sibling::node()[1]"/>
    <xsl:sequence select="tk:implicit-space($el)
      and not(tk:token-join($el) = ('left', 'both'))
      and not($prev instance of element() and tk:token-join($prev) = ('right', 'both'))"/>
  </xsl:function>

  <!-- Which side(s) a token attaches to without a space: 'left', 'right', 'both' or 'no'.
       @join decides where present; otherwise punctuation (pc) that closes or separates
       attaches left (, . ; : ! ? ” ’ ) ] »), punctuation that opens attaches right (“ ‘ ( [ «). -->
  <xsl:function name="tk:token-join" as="xs:string">
    <xsl:param name="el" as="element()?"/>
    <xsl:variable name="t" as="xs:string" select="normalize-space($el)"/>
    <xsl:sequence select="
      if (empty($el)) then 'no'
      else if ($el/@join = ('left', 'right', 'both', 'no')) then string($el/@join)
      else if ($el/@join = 'overlap') then 'both'
      else if (not($el/self::tei:pc) or $t = '') then 'no'
      else if (matches($t, '^[\p{Pe}\p{Pf}.,;:!?%…]+$')) then 'left'
      else if (matches($t, '^[\p{Ps}\p{Pi}]+$')) then 'right'
      else 'no'"/>
  </xsl:function>

  <!-- ======================================================================== structure -->

  <!-- Elements that are blocks wherever they occur (they begin a new line in every output), and
       a seg that @rend lays out as one.
       Chameleons such as note, stage, quote, q, pb, bibl are not listed: they are blocks only
       between blocks (see the outputs), inline within a paragraph. -->
  <xsl:function name="tk:is-block-element" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="$el/self::tei:* and (map:contains($tk:block-names, local-name($el))
                          or exists($el/self::tei:seg[tk:rend-is-block(.)]))"/>
  </xsl:function>

  <!-- The layout hints of @rend as lower-case words: "right italic", "text-align: right" and
       "align(right)" all hold "right". -->
  <xsl:function name="tk:rend-tokens" as="xs:string*">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="tokenize(lower-case(normalize-space($el/@rend)), '[\s;,:()]+')[. != '']"/>
  </xsl:function>

  <!-- The alignment @rend asks for: 'left', 'right', 'center' or (). -->
  <xsl:function name="tk:alignment" as="xs:string?">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="r" as="xs:string*" select="tk:rend-tokens($el)"/>
    <xsl:sequence select="
      if ($r = ('right', 'flushright', 'align-right', 'right-aligned')) then 'right'
      else if ($r = ('center', 'centre', 'centered', 'centred', 'middle')) then 'center'
      else if ($r = ('left', 'flushleft', 'align-left', 'left-aligned')) then 'left'
      else ()"/>
  </xsl:function>

  <!-- Whether @rend lays a phrase out as a block of its own (a seg that is a line of a letter's
       closer, "Dr. jur. Paul Goldmann" above "Correspondant ..."): a block, or an alignment,
       which only a block can have, unless it also says inline. -->
  <xsl:function name="tk:rend-is-block" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:variable name="r" as="xs:string*" select="tk:rend-tokens($el)"/>
    <xsl:sequence select="not($r = ('inline', 'run-in')) and ($r = ('block', 'display-block',
                          'break', 'line') or exists(tk:alignment($el)))"/>
  </xsl:function>

  <xsl:variable name="tk:block-names" as="map(xs:string, xs:boolean)" select="map:merge((
      'p', 'ab', 'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6', 'div7', 'lg', 'l',
      'head', 'list', 'item', 'table', 'row', 'figure', 'sp', 'spGrp', 'speaker', 'castList',
      'castGroup', 'castItem', 'opener', 'closer', 'salute', 'signed', 'dateline', 'byline',
      'postscript', 'epigraph', 'argument', 'trailer', 'titlePage', 'docTitle', 'titlePart',
      'docAuthor', 'docEdition', 'docImprint', 'docDate', 'listBibl', 'address', 'addrLine',
      'floatingText', 'front', 'body', 'back', 'group', 'text', 'listPerson', 'listPlace',
      'listOrg', 'listEvent', 'person', 'place', 'org', 'event', 'u', 'camera', 'view'
      ) ! map:entry(., true()))"/>

  <!-- Whether an element that is not itself a block holds blocks (e.g. a q holding paragraphs,
       an s holding verse lines): then it must be laid out as a block too. Notes never count,
       they are taken out of the flow. -->
  <xsl:function name="tk:holds-blocks" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="some $c in $el/*[not(self::tei:note)]
                          satisfies (tk:is-block-element($c) or tk:holds-blocks($c))"/>
  </xsl:function>

  <!-- How many columns or rows a table cell spans (@cols, @rows): a whole number from 1 to 1000
       (HTML's limit for colspan), else () and the cell spans one. A layout engine given a
       span of 10^20 runs out of memory. -->
  <xsl:function name="tk:cell-span" as="xs:integer?">
    <xsl:param name="span" as="attribute()?"/>
    <xsl:sequence select="if ($span castable as xs:positiveInteger and xs:integer($span) le 1000)
                          then xs:integer($span) else ()"/>
  </xsl:function>

  <!-- Elements whose content is never part of the text in any output: metadata, facsimiles,
       index entries, alignment and interpretation apparatus, forme work, figure descriptions
       (shown by outputs as descriptions, never as text). -->
  <xsl:function name="tk:is-omitted" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="$el/self::tei:* and (map:contains($tk:omitted-names, local-name($el))
                          or tk:is-entity-list($el))"/>
  </xsl:function>

  <!-- The lists of persons, places, organisations, events or works that a text carries in its
       back (listPerson ... directly in back, as letter editions give the entities a letter
       mentions): data, like a standOff's, which the mentions point at (cards, registers,
       index), not text at the end of the letter. A listBibl with a head of its own is a
       bibliography to be read. -->
  <xsl:function name="tk:is-entity-list" as="xs:boolean">
    <xsl:param name="el" as="element()"/>
    <xsl:sequence select="exists($el[parent::tei:back][self::tei:listPerson or self::tei:listPlace
      or self::tei:listOrg or self::tei:listEvent or self::tei:listNym or self::tei:listObject
      or self::tei:listRelation or self::tei:listBibl[not(tei:head)]])"/>
  </xsl:function>

  <xsl:variable name="tk:omitted-names" as="map(xs:string, xs:boolean)" select="map:merge((
      'teiHeader', 'facsimile', 'sourceDoc', 'standOff', 'fw', 'index', 'interp', 'interpGrp',
      'link', 'linkGrp', 'join', 'joinGrp', 'span', 'spanGrp', 'alt', 'altGrp', 'certainty',
      'precision', 'respons', 'timeline', 'figDesc', 'graphic', 'binaryObject', 'media',
      'witDetail', 'wit', 'witStart', 'witEnd', 'lacunaStart', 'lacunaEnd', 'rdg', 'rdgGrp',
      'listApp'
      ) ! map:entry(., true()))"/>

  <!-- ========================================================================= metadata -->

  <!-- The plain text of some nodes at the configured reading level, whitespace normalised:
       for titles, names and citations. Notes and omitted elements are left out, choices and
       apparatus entries resolved, quotation marks added, implicit spaces kept. -->
  <xsl:function name="tk:plain" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="
      if (count($nodes) = 1 and tk:is-plain-name($nodes))
      then normalize-space(string-join($nodes/node() ! (
             if (. instance of element() and preceding-sibling::node()[1] instance of element())
             then ' ' || string(.) else string(.)), ''))
      else normalize-space(string-join($nodes ! tk:plain-parts(.), ''))"/>
  </xsl:function>

  <!-- A name as registers have thousands of: text, or name parts of text only (forename,
       surname ...). Its plain text is its text, a space between adjacent parts (what
       tk:plain-parts makes of it, at a fraction of the cost). -->
  <xsl:function name="tk:is-plain-name" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="$node instance of element()
      and $node/(self::tei:persName | self::tei:placeName | self::tei:orgName | self::tei:name
                 | self::tei:geogName | self::tei:settlement | self::tei:country | self::tei:region
                 | self::tei:occupation | self::tei:title | self::tei:birth | self::tei:death
                 | self::tei:desc | self::tei:eventName | self::tei:label)
      and (every $c in $node/* satisfies (tk:is-name-part($c) and empty($c/*)))"/>
  </xsl:function>

  <xsl:function name="tk:plain-parts" as="xs:string*">
    <xsl:param name="node" as="node()"/>
    <xsl:choose>
      <xsl:when test="$node instance of text()">
        <xsl:sequence select="tk:text-spaced($node)"/>
      </xsl:when>
      <xsl:when test="not($node instance of element())"/>
      <xsl:when test="$node/self::tei:note">
        <xsl:sequence select="if (tk:space-after-call($node)) then ' ' else ()"/>
      </xsl:when>
      <xsl:when test="$node/(self::tei:note | self::tei:idno | self::tei:del | self::tei:ptr)
                      or tk:is-omitted($node)"/>
      <xsl:when test="$node/self::tei:choice">
        <xsl:sequence select="tk:chosen($node, $reading) ! tk:plain-parts(.)"/>
      </xsl:when>
      <xsl:when test="$node/self::tei:app">
        <xsl:sequence select="tk:flow-reading($node) ! tk:plain-parts(.)"/>
      </xsl:when>
      <xsl:when test="$node/(self::tei:lb | self::tei:pb | self::tei:cb) and tk:inside-word($node)"/>
      <xsl:otherwise>
        <xsl:variable name="marks" as="xs:string*" select="
          if ($node/(self::tei:q | self::tei:quote | self::tei:said | self::tei:soCalled))
          then tk:quote-marks($node) else ('', '')"/>
        <xsl:variable name="spaced" as="xs:boolean"
          select="tk:is-block-element($node) or exists($node/(self::tei:lb | self::tei:pb
                  | self::tei:cb | self::tei:space))"/>
        <xsl:sequence select="
          if ($spaced or tk:implicit-space($node)) then ' ' else (),
          $marks[1], $node/node() ! tk:plain-parts(.), $marks[2],
          if ($spaced) then ' ' else ()"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The document's own titles (titleStmt): those of the series or journal it belongs to
       (level s, j) only where it has no other. -->
  <xsl:function name="tk:own-titles" as="element(tei:title)*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="titles" as="element(tei:title)*"
      select="($tei/tei:teiHeader/tei:fileDesc/tei:titleStmt)[1]/tei:title"/>
    <xsl:variable name="own" as="element(tei:title)*" select="$titles[not(@level = ('s', 'j'))]"/>
    <xsl:sequence select="if (exists($own)) then $own else $titles"/>
  </xsl:function>

  <!-- The main title of a TEI document or corpus, the one every output shows as its title: of
       its own titles the one typed main, else the analytic one (level a, a letter's or an
       article's), else the first that is no subtitle, short or alternative title, else the
       first. -->
  <xsl:function name="tk:main-title" as="element(tei:title)?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="own" as="element(tei:title)*" select="tk:own-titles($tei)"/>
    <xsl:sequence select="($own[@type = 'main'], $own[@level = 'a'],
      $own[not(@type = ('sub', 'subtitle', 'alt', 'short', 'desc'))], $own)[1]"/>
  </xsl:function>

  <!-- The subtitles of the document (its own titles typed sub or subtitle). -->
  <xsl:function name="tk:subtitles" as="element(tei:title)*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="main" as="element(tei:title)?" select="tk:main-title($tei)"/>
    <xsl:sequence select="tk:own-titles($tei)[@type = ('sub', 'subtitle')][not(. is $main)]"/>
  </xsl:function>

  <!-- The title of a TEI document or corpus as one string: the main title, then the subtitles
       after a colon. '' when the header names none. -->
  <xsl:function name="tk:title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="parts" as="xs:string*"
      select="(tk:main-title($tei), tk:subtitles($tei)) ! tk:plain(node())[. != '']"/>
    <xsl:sequence select="tk:join-phrases($parts, ': ')"/>
  </xsl:function>

  <!-- The authors of a TEI document (titleStmt/author), each as plain text. -->
  <xsl:function name="tk:authors" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:author
                          ! tk:plain(node())[. != '']"/>
  </xsl:function>

  <!-- The bibliographic descriptions of the source in sourceDesc, outermost first: bibl,
       biblStruct, biblFull, msDesc and bare paragraphs; nested bibls follow their parent. -->
  <xsl:function name="tk:source-descriptions" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc/(descendant::tei:bibl
      | descendant::tei:biblStruct | descendant::tei:biblFull | tei:msDesc | tei:p)
      [not(ancestor::tei:biblStruct | ancestor::tei:biblFull
      | ancestor::tei:msDesc)][tk:citation(.) != '']"/>
  </xsl:function>

  <!-- A bibliographic description as one line of plain text. A bibl written as prose (with its
       own punctuation) is kept as written; structured descriptions (biblStruct, a bibl made of
       elements only, biblFull, msDesc) are assembled: authors. title. editors. place: publisher,
       date. scope. URL. Nested bibls are left out: they are descriptions of their own. -->
  <xsl:function name="tk:citation" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:choose>
      <xsl:when test="$bibl/self::tei:msDesc">
        <xsl:sequence select="tk:join-phrases((tk:ms-identifier($bibl),
          $bibl/tei:head ! tk:plain(node()))[. != ''], ', ')"/>
      </xsl:when>
      <xsl:when test="$bibl/self::tei:biblFull">
        <xsl:sequence select="tk:citation-fields(($bibl/tei:titleStmt/(tei:author | tei:title
          | tei:editor), $bibl/tei:editionStmt/tei:edition,
          $bibl/tei:publicationStmt/(tei:pubPlace | tei:publisher | tei:date | tei:idno)))"/>
      </xsl:when>
      <xsl:when test="$bibl/self::tei:biblStruct">
        <xsl:variable name="analytic" as="xs:string" select="
          tk:citation-fields($bibl/tei:analytic/*)"/>
        <xsl:variable name="monogr" as="xs:string" select="
          tk:citation-fields(($bibl/tei:monogr/*, $bibl/tei:monogr/tei:imprint/*,
          $bibl/(tei:idno | tei:ref)))"/>
        <xsl:variable name="series" as="xs:string*" select="
          $bibl/tei:series ! tk:plain(tei:title[1]/node())[. != ''] ! concat('(', ., ')')"/>
        <xsl:sequence select="string-join((tk:join-phrases((
          $analytic[. != ''],
          (if ($analytic != '' and $monogr != '')
           then tk:string('bibl.in_label', map{'container': $monogr}) else $monogr)[. != '']),
          '. '), $series), ' ')"/>
      </xsl:when>
      <xsl:when test="$bibl/text()[normalize-space()]">
        <xsl:sequence select="tk:plain($bibl/node()[not(self::tei:bibl)])"/>
      </xsl:when>
      <xsl:when test="$bibl/*">
        <xsl:sequence select="tk:citation-fields(($bibl/*, $bibl/tei:imprint/*))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="tk:plain($bibl/node())"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A manuscript's identifier (msIdentifier of an msDesc or msPart) as one phrase, its parts
       in the order the source gives them: place, institution, repository, collection, the
       shelfmark (idno), the manuscript's name: "ZBZ, Nachl. O. Heer 184.1". Alternative
       identifiers are left out. -->
  <xsl:function name="tk:ms-identifier" as="xs:string">
    <xsl:param name="ms" as="element()"/>
    <xsl:sequence select="tk:join-phrases(($ms/tei:msIdentifier)[1]/*[not(self::tei:altIdentifier
      | self::tei:note)] ! tk:plain(node())[. != ''], ', ')"/>
  </xsl:function>

  <!-- The main parts of a manuscript's description, in this order and where present, each as
       (name, text) in a map {'part': ..., 'text': ...}: 'physical' (physDesc but its hands),
       'hands' (handDesc), 'history' (origin, provenance, acquisition). Outputs give them
       their labels. -->
  <xsl:function name="tk:ms-parts" as="map(xs:string, xs:string)*">
    <xsl:param name="ms" as="element()"/>
    <xsl:variable name="phys" as="element()*" select="$ms/tei:physDesc"/>
    <xsl:sequence select="(
      map{'part': 'physical', 'text': tk:description($phys/node()[not(self::tei:handDesc)])},
      map{'part': 'hands', 'text': tk:description($phys/tei:handDesc/node())},
      map{'part': 'history', 'text': tk:description($ms/tei:history/node())})[?text != '']"/>
  </xsl:function>

  <!-- Nodes of a description as sentences joined by full stops: a paragraph or an element with
       text of its own (an extent, a handNote) is a phrase, one made of elements only (objectDesc,
       supportDesc) the phrases of its parts, which are often written without whitespace
       between them ("<support>Papier</support><extent>2 Blätter</extent>"). -->
  <xsl:function name="tk:description" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="tk:join-phrases(tk:description-phrases($nodes), '. ')"/>
  </xsl:function>

  <xsl:function name="tk:description-phrases" as="xs:string*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="$nodes ! (
      if (not(. instance of element())) then normalize-space(.)
      else if (self::tei:p or self::tei:ab or text()[normalize-space()] or empty(*))
        then tk:plain(node())
      else tk:description-phrases(node()))[. != '']"/>
  </xsl:function>

  <!-- Fields of a structured description in citation order, joined with full stops. -->
  <xsl:function name="tk:citation-fields" as="xs:string">
    <xsl:param name="fields" as="element()*"/>
    <xsl:variable name="f" as="element()*" select="$fields[not(self::tei:bibl | self::tei:note
      | self::tei:respStmt | self::tei:availability | self::tei:imprint | self::tei:biblScope[@n
      = 'contents'])]"/>
    <xsl:variable name="place-publisher" as="xs:string" select="tk:join-phrases((
      tk:join-phrases($f[self::tei:pubPlace] ! tk:plain(node()), ', '),
      tk:join-phrases($f[self::tei:publisher] ! tk:plain(node()), ', '))[. != ''], ': ')"/>
    <xsl:variable name="imprint" as="xs:string" select="string-join(($place-publisher,
      $f[self::tei:date] ! tk:plain(node()))[. != ''], ', ')"/>
    <xsl:variable name="scope" as="xs:string*" select="$f[self::tei:biblScope] ! (
      let $n := tk:plain(node())
      return if (@unit = ('volume', 'vol')) then tk:string('bibl.volume', map{'n': $n})
      else if (@unit = ('page', 'pp')) then tk:string('bibl.page', map{'n': $n})
      else if (@unit = ('issue', 'number')) then tk:string('bibl.issue', map{'n': $n})
      else $n)"/>
    <xsl:variable name="urls" as="xs:string*" select="$f[self::tei:ref | self::tei:idno
      | self::tei:ptr] ! (
        if (self::tei:idno) then (if (@type = ('URL', 'URI', 'url', 'DOI', 'doi'))
          then normalize-space(.) else ())
        else if (normalize-space(.) != '' and starts-with(@target, 'http'))
          then concat(normalize-space(.), ' (', @target, ')')
        else if (normalize-space(.) != '') then normalize-space(.)
        else if (starts-with(@target, 'http')) then string(@target) else ())"/>
    <xsl:variable name="others" as="xs:string*" select="$f[not(self::tei:author
      | self::tei:title | self::tei:editor | self::tei:pubPlace | self::tei:publisher
      | self::tei:date | self::tei:biblScope | self::tei:ref | self::tei:idno | self::tei:ptr)]
      ! tk:plain(node())"/>
    <xsl:sequence select="tk:join-phrases((
      string-join($f[self::tei:author] ! tk:plain(node()[not(self::tei:idno)]), '; '),
      tk:join-phrases($f[self::tei:title] ! tk:plain(node()), ': '),
      (if ($f[self::tei:editor]) then tk:string('bibl.editor', map{'names':
        string-join($f[self::tei:editor] ! tk:plain(node()), '; ')}) else ''),
      $others, string-join(($imprint, $scope)[. != ''], ', '), $urls)[. != ''], '. ')"/>
  </xsl:function>

  <!-- Joins phrases with a separator such as '. ' or ': ', leaving out its punctuation where
       the previous phrase already ends with some (so "Mrs. Gaskell." is not doubled). -->
  <xsl:function name="tk:join-phrases" as="xs:string">
    <xsl:param name="phrases" as="xs:string*"/>
    <xsl:param name="separator" as="xs:string"/>
    <xsl:sequence select="string-join(
      for $i in 1 to count($phrases)
      return (
        if ($i = 1) then ()
        else if (matches(tk:last-char($phrases[$i - 1]), '[.:;,!?]')) then ' '
        else $separator,
        $phrases[$i]), '')"/>
  </xsl:function>
</xsl:stylesheet>
