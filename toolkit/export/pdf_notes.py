"""The source's footnotes in a bilingual PDF: after the body, under "Notes", in the source column.

Footnotes are kept out of the sentences (so out of translation and audio, see
``Speech.footnotes``); printed here, untranslated and with their marks, a reader still finds
what the original printed at the foot of its pages. A speech without footnotes gets nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.export.pdf_typeset import GREY, NUMBER_WIDTH, PAD, Typesetter

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

NOTES_HEADING = {
    "en": "Notes",
    "fr": "Notes",
    "es": "Notas",
    "ru": "Примечания",
    "ar": "الحواشي",
    "zh": "注",
}
"""Heading of the notes, by source language."""


def notes_heading(lang: str) -> str:
    """The heading of the notes in the source language (``Notes`` for any other)."""
    return NOTES_HEADING.get(lang, "Notes")


def notes_table(ts: Typesetter) -> Flowable | None:
    """The notes as a table aligned with the source column of the body, or None if none."""
    from reportlab.platypus import Table, TableStyle

    footnotes = ts.translated.speech.footnotes
    if not footnotes:
        return None
    src = ts.src
    columns = 2 if ts.options.layout == "side-by-side" else 1
    col = (ts.frame_w - 2 * NUMBER_WIDTH) / columns
    inner = col - 2 * PAD
    heading = ts.text.para(notes_heading(src), src, inner, 0.9, bold=True)
    data: list[list[Any]] = [["", heading, ""]]
    for note in footnotes:
        text = ts.text.para(note.text, src, inner, 0.85)
        data.append([ts.number(note.mark, False), text, ""])
    table = Table(data, colWidths=[NUMBER_WIDTH, col, ts.frame_w - NUMBER_WIDTH - col])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # empty cells are drawn with the cell font: keep it one the PDF embeds
                ("FONTNAME", (0, 0), (-1, -1), ts.scripts[src].regular.main),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEABOVE", (1, 0), (1, 0), 0.5, GREY),
            ]
        )
    )
    return table
