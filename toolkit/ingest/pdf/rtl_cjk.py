"""Right-to-left and CJK lines: the text repairs poppler's layout output needs for them.

Poppler gives Arabic and Hebrew in visual order (left to right on the page) and keeps the gaps
word processors "autospace" into Chinese; these functions give the text as it is read.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.ingest.pdf.lines import Line

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_CJK_CLASS = "[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
_CJK_AUTOSPACE = re.compile(
    f"(?<={_CJK_CLASS}) (?=[0-9A-Za-z]|{_CJK_CLASS})|(?<=[0-9A-Za-z]) (?={_CJK_CLASS})"
)
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]+")
_SPLIT_LAM_ALEF = re.compile("ا([اأإآ])ل")
_LAM_ALEF_HAMZA = re.compile("ال(?=[ءئ])")
_LONE_LAM_ALEF = re.compile("(?<![^\\W\\d_])([وف]?)ال(?![^\\W\\d_])")


def is_cjk_line(text: str) -> bool:
    """Most of the line's characters (spaces aside) are Chinese, Japanese or Korean."""
    if not _CJK.search(text):  # most lines: one C-speed scan, no counting
        return False
    return len(_CJK.findall(text)) > len(text.replace(" ", "")) / 2


def is_rtl(text: str) -> bool:
    """Most of the line's letters are Arabic or Hebrew."""
    if not _RTL.search(text):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return len(_RTL.findall(text)) > letters / 2


def read_right_to_left(line: Line, page_width: float) -> None:
    """An Arabic (or Hebrew) line: logical order, and x mirrored so rules 4–6 apply as for LTR.

    poppler's layout output gives right-to-left text in visual order (left to right on the
    page). The bidi algorithm applied to it gives the logical order back. A lam-alef ligature is
    one glyph whose text ("لإ") is already logical, so the reversal turns it round: the patterns
    this makes that Arabic never has are turned back ("اإلرهاب" → "الإرهاب", "الزمالء" →
    "الزملاء", a lone "ال" or "وال" → "لا", "ولا"); a ligature inside a word ("علاقة" read as
    "عالقة") cannot be told from a real word without a dictionary and is left as poppler gives
    it. Presentation forms (PDFs shaped by arabic-reshaper, as reportlab's) become letters.
    Mirroring x makes the right margin the line start: indentation, short last lines and the
    right-hand column first all read as they do in left-to-right text.
    """
    # python-bidi's default get_display does not mirror brackets: right here, because the
    # glyphs on the page are already mirrored and their text is the logical character
    from bidi import get_display

    text = get_display(line.text, base_dir="R")
    text = _PRESENTATION_FORM.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _SPLIT_LAM_ALEF.sub(lambda m: "ال" + m.group(1), text)
    text = _LAM_ALEF_HAMZA.sub("لا", text)
    line.text = _LONE_LAM_ALEF.sub(lambda m: m.group(1) + "لا", text)
    line.left, line.right = page_width - line.right, page_width - line.left


def without_cjk_autospace(text: str) -> str:
    """A Chinese line without the gaps word processors put between it and digits or Latin.

    Chinese has no spaces between characters: a gap poppler sees is typography.
    """
    return _CJK_AUTOSPACE.sub("", text)
