"""Two faults of WeasyPrint's layout (70, and the versions with the same code), mended in its
own functions before the first layout, and one thing it cannot do; where its code differs,
nothing is changed and the checks of :mod:`toolkit.print.pdf` remain:

- a line ending in an inline element is broken after its first word (hyphenated) when the text
  before the element fits only once its trailing space hangs: a short line stretched to the full
  measure;
- a line that overflows the page where a break before it would leave an orphan is kept by moving
  footnotes already on the page to the next one: the notes called in that line are lost, the
  moved ones land after notes that follow them, and notes leave the page of their call. With the
  mend the line goes to the next page instead (orphans and widows decide, as without notes);
- a page has one footnote area, and its notes stand in the order of their calls: a critical
  edition needs a second series below the notes, its apparatus. Entries of the apparatus are
  footnotes of their own class (``fn-app``, see ``xslt/print/print-apparatus.xsl``): on each
  page they are set after the notes (each series keeps its order), run on as one paragraph, with
  the top margin of an entry's style as the gap above that paragraph.
"""

from __future__ import annotations

import inspect
import textwrap
import threading
from math import inf
from typing import Any

_MENDED = False
_MEND_LOCK = threading.Lock()

# In WeasyPrint's line layout (weasyprint.layout.block._linebox_layout): a line that overflows
# the page where a break before it would leave an orphan is kept by "reporting" the page's
# footnotes to the next page. The mended function never does that, and the line breaks as it would
# on a page without notes.
_REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"


def mend_weasyprint() -> None:
    """Mend two faults of WeasyPrint's layout (70 and the versions with the same code); where its
    code differs, nothing is changed and the checks of the layout remain."""
    global _MENDED
    with _MEND_LOCK:
        if _MENDED:
            return
        _MENDED = True
        from weasyprint.layout import block, inline  # only when a PDF is made: see pdf._layout

        try:
            source = inspect.getsource(block._linebox_layout)
        except (OSError, TypeError):  # no source (a frozen installation)
            source = ""
        if source.count(_REPORT_LINE) == 1:
            code = textwrap.dedent(source).replace(_REPORT_LINE, "report = False")
            namespace: dict[str, Any] = {}
            try:
                exec(
                    compile(code, inspect.getsourcefile(block) or "<block>", "exec"),
                    block.__dict__,
                    namespace,
                )
            except Exception:  # pragma: no cover - WeasyPrint's own code, recompiled
                pass
            else:
                block._linebox_layout = namespace["_linebox_layout"]

        split_first_line = inline.split_first_line

        def split_first_line_hanging(
            text,
            style,
            context,
            max_width,
            justification_spacing,
            is_line_start=True,
            minimum=False,
        ):
            """WeasyPrint's split_first_line, except that text whose trailing spaces would hang
            past the line's end is not broken (WeasyPrint 70 measures those spaces, finds the
            text too wide, and breaks it at its first word)."""
            result = split_first_line(
                text,
                style,
                context,
                max_width,
                justification_spacing,
                is_line_start=is_line_start,
                minimum=minimum,
            )
            if (
                result[2] is None  # all of it fits
                or minimum
                or max_width is None
                or max_width == inf
                or not text.endswith(" ")
                or style["white_space"] not in ("normal", "pre-line")
            ):
                return result
            stripped = text.rstrip(" ")
            if not stripped or len(stripped) * 0.2 * style["font_size"] > max_width:
                return result  # cannot fit: no need to measure
            measured = split_first_line(
                stripped, style, context, None, justification_spacing, is_line_start=is_line_start
            )
            if measured[2] is not None or measured[3] > max_width:
                return result
            return split_first_line(
                text, style, context, None, justification_spacing, is_line_start=is_line_start
            )

        inline.split_first_line = split_first_line_hanging
        _apparatus_after_notes()


#: the class of the footnotes that are entries of the critical apparatus
APPARATUS_CLASS = "fn-app"


def is_apparatus_entry(box) -> bool:
    """Whether a footnote box (or its element) is an entry of the critical apparatus."""
    element = getattr(box, "element", box)
    return APPARATUS_CLASS in ((element.get("class") if element is not None else "") or "").split()


def _apparatus_after_notes() -> None:
    """The apparatus as a second series of footnotes, below the notes of each page."""
    from weasyprint.formatting_structure import boxes, build
    from weasyprint.layout import LayoutContext

    update = LayoutContext._update_footnote_area

    def update_footnote_area(self):
        # The area's children are this very list: notes first, then the entries, each series
        # in the order of its calls (a stable sort).
        self.current_page_footnotes.sort(key=is_apparatus_entry)
        return update(self)

    LayoutContext._update_footnote_area = update_footnote_area
    anonymous_boxes = build.create_anonymous_boxes

    def create_anonymous_boxes(box):
        box = anonymous_boxes(box)
        if isinstance(box, boxes.FootnoteAreaBox):
            for i, child in enumerate(box.children):
                entries = [c for c in getattr(child, "children", ()) for c in
                           getattr(c, "children", ()) if is_apparatus_entry(c)]
                if i and entries and child.element is box.element:  # the entries' paragraph
                    child.style = child.style.copy()
                    child.style["margin_top"] = entries[0].style["margin_top"]
                    break
        return box

    build.create_anonymous_boxes = create_anonymous_boxes
