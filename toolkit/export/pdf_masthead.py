"""The masthead of a bilingual PDF: the front matter, in each language of the page.

Per language: the document symbol, "Original: English" and the delivery mark; the title,
subtitle and event (or, for a speech without a title, its front-matter paragraphs); venue
and date as that language writes them; speaker and role; the provenance notice; and, when
rows are marked for review, the line that explains the mark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.document import FRONT_MATTER_KINDS, TranslatedSpeech
from toolkit.export import pdf_strings
from toolkit.export.pdf_rows import REVIEW_MARK, review_rows
from toolkit.export.pdf_typeset import NUMBER_WIDTH, PAD, Typesetter

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

_DELIVERY_INDEX = {"as delivered": 0, "as prepared for delivery": 1, "check against delivery": 2}


def _is_default_notice(translated: TranslatedSpeech) -> bool:
    """The translation's notice is only the generated "Reference translation: <file>"."""
    notice = translated.notice or ""
    return translated.origin.from_reference and notice.startswith("Reference translation: ")


def _notice(translated: TranslatedSpeech, lang: str) -> str:
    return pdf_strings.notice(lang, translated.origin)


def masthead_cells(ts: Typesetter, lang: str, width: float) -> list[Flowable]:
    """The masthead of one language, as a list of paragraphs."""
    from reportlab.platypus import Spacer

    strings = pdf_strings.strings(lang)
    meta = ts.translated.speech.meta if lang == ts.src else ts.translated.meta
    source_meta = ts.translated.speech.meta
    inner = width - 2 * PAD
    p = ts.text.para
    out: list[Flowable] = []
    date = meta.date or source_meta.date
    # the document symbol (language-neutral) and the delivery mark, in this language
    top = [strings.original]
    symbol = meta.symbol or source_meta.symbol
    if symbol:
        top.insert(0, symbol)
    delivery = meta.delivery or source_meta.delivery
    if delivery in _DELIVERY_INDEX:
        top.append(strings.delivery[_DELIVERY_INDEX[delivery]])
    out.append(p(" · ".join(top), lang, inner, 0.85, grey=True))
    out.append(Spacer(1, 6))
    if meta.title or source_meta.title:
        out.append(p(meta.title or source_meta.title or "", lang, inner, 1.35, bold=True))
        title = meta.title or source_meta.title or ""
        for value in (meta.subtitle, meta.event):
            # The event is often the title's own first words: print it only when it adds.
            if value and value not in title:
                out.append(Spacer(1, 3))
                out.append(p(value, lang, inner, 1.1, bold=True))
    else:
        front = ts.translated.speech.paragraphs if lang == ts.src else ts.translated.paragraphs
        for para in front:
            if para.kind in FRONT_MATTER_KINDS and para.text:
                out.append(p(para.text, lang, inner, 1.1, bold=para.kind == "title"))
    place = strings.comma.join(
        v for v in (meta.venue, pdf_strings.format_date(date, lang) if date else None) if v
    )
    if place:
        out.append(Spacer(1, 4))
        out.append(p(place, lang, inner))
    speaker = meta.speaker or source_meta.speaker
    role = meta.role or (source_meta.role if lang == ts.src else None)
    if speaker or role:
        line = (
            strings.speaker_line.format(speaker=speaker, role=role)
            if speaker and role
            else speaker or role or ""
        )
        out.append(Spacer(1, 4))
        out.append(p(line, lang, inner, bold=True))
    out.append(Spacer(1, 8))
    notice = _notice(ts.translated, lang)
    # A notice the reference file carries is said once, in the English column; the
    # default "Reference translation: <file>" is already what _notice says.
    if lang == ts.src and ts.translated.notice and not _is_default_notice(ts.translated):
        notice = f"{ts.translated.notice} {notice}"
    out.append(p(notice, lang, inner, 0.85, grey=True))
    review = len(review_rows(ts.translated))
    if review:
        out.append(Spacer(1, 4))
        line = strings.review.format(mark=REVIEW_MARK, count=review)
        out.append(p(line, lang, inner, 0.9, bold=True))
    return out


def masthead(ts: Typesetter) -> Flowable:
    """The masthead table: one language's cell per column (side by side), or one above the
    other (stacked), or the target's alone (target-only)."""
    from reportlab.platypus import Table

    layout = ts.options.layout
    if layout == "side-by-side":
        col = (ts.frame_w - 2 * NUMBER_WIDTH) / 2
        widths = [NUMBER_WIDTH, col, col, NUMBER_WIDTH]
        row = ["", masthead_cells(ts, ts.src, col), masthead_cells(ts, ts.tgt, col), ""]
        data = [row]
    else:
        col = ts.frame_w - 2 * NUMBER_WIDTH
        widths = [NUMBER_WIDTH, col, NUMBER_WIDTH]
        data = [["", masthead_cells(ts, ts.tgt, col), ""]]
        if layout == "stacked":
            data.insert(0, ["", masthead_cells(ts, ts.src, col), ""])
    table = Table(data, colWidths=widths, splitByRow=1, splitInRow=1)
    table.setStyle(ts.table_style(len(data), masthead=True))
    return table


__all__ = ["masthead", "masthead_cells"]
