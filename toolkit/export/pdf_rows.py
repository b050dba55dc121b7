"""The body of a bilingual PDF: one table row per paragraph, source beside the target (or
above it, or the target alone: the layout).

Body paragraphs are numbered 1, 2, 3… in the margin of both columns; headings, salutations
and the closing are not. A paragraph whose translation a person should check gets the
review mark (:data:`REVIEW_MARK`) in the margin beside the translation, and the masthead
says how many there are. A paragraph the reference translation lacks shows a grey
placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.document import Speech, TranslatedSpeech
from toolkit.export import pdf_strings
from toolkit.export.pdf_typeset import NUMBER_WIDTH, PAD, Typesetter

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

REVIEW_MARK = "\u25b2"
"""Margin mark of a row to review (▲), explained by a line in the masthead."""


def review_rows(translated: TranslatedSpeech) -> set[str]:
    """Body paragraphs whose translation a person should check (any flag on a sentence)."""
    from toolkit.translate.speech_alignment import rows_to_review

    return set(rows_to_review(translated))


def paragraph_numbers(speech: Speech) -> dict[str, str]:
    """Paragraph numbers: body paragraphs 1, 2, 3…; salutation and closing unnumbered."""
    numbers: dict[str, str] = {}
    count = 0
    for para in speech.body():
        if para.kind == "body":
            count += 1
            numbers[para.id] = str(count)
    return numbers


def body_table(ts: Typesetter) -> Flowable | None:
    """The speech as a table, one row per paragraph (two in the stacked layout), each with its
    number and review mark in the margin; None for a speech that is all front matter."""
    from reportlab.platypus import Table

    if not ts.translated.speech.body():
        return None  # reportlab refuses a table without rows; the masthead is the whole text

    layout = ts.options.layout
    targets = {p.id: p for p in ts.translated.paragraphs}
    numbers = paragraph_numbers(ts.translated.speech)
    rtl = ts.scripts[ts.tgt].rtl
    data: list[list[Any]] = []
    if layout == "side-by-side":
        col = (ts.frame_w - 2 * NUMBER_WIDTH) / 2
        widths = (
            [NUMBER_WIDTH, col, NUMBER_WIDTH, col]
            if not rtl
            else [NUMBER_WIDTH, col, col, NUMBER_WIDTH]
        )
    else:
        col = ts.frame_w - 2 * NUMBER_WIDTH
        widths = [NUMBER_WIDTH, col, NUMBER_WIDTH]
    inner = col - 2 * PAD
    review = review_rows(ts.translated)
    missing_text = pdf_strings.strings(ts.tgt).not_in_reference or "…"
    for para in ts.translated.speech.body():
        n = numbers.get(para.id, "")
        # the mark sits in the margin beside the translation, with the number if any
        t = (f"{n} {REVIEW_MARK}" if n else REVIEW_MARK) if para.id in review else n
        target = targets.get(para.id)
        target_text = target.text if target is not None else ""
        reference_lacks_it = not target_text and ts.translated.origin.from_reference
        placeholder = missing_text if reference_lacks_it else "…"
        heading = para.kind == "heading"  # bold, never numbered (paragraph_numbers: body only)
        src_cell = ts.text.para(para.text, ts.src, inner, bold=heading)
        tgt_cell = ts.text.para(
            target_text or placeholder, ts.tgt, inner, bold=heading, grey=not target_text
        )
        if layout == "side-by-side":
            if rtl:
                data.append([ts.number(n, False), src_cell, tgt_cell, ts.number(t, True)])
            else:
                data.append([ts.number(n, False), src_cell, ts.number(t, False), tgt_cell])
        elif layout == "stacked":
            data.append([ts.number(n, False), src_cell, ""])
            data.append(
                ["", tgt_cell, ts.number(t, True)] if rtl else [ts.number(t, False), tgt_cell, ""]
            )
        else:
            data.append(
                ["", tgt_cell, ts.number(t, True)] if rtl else [ts.number(t, False), tgt_cell, ""]
            )
    table = Table(data, colWidths=widths, splitByRow=1, splitInRow=1)
    table.setStyle(ts.table_style(len(data), masthead=False))
    return table


__all__ = ["REVIEW_MARK", "body_table", "paragraph_numbers", "review_rows"]
