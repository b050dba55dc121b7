"""Line breaking and visual ordering for Arabic and Chinese, ready for reportlab.

reportlab lays out neither script correctly by itself (see FIELD-NOTES, "PDF with
reportlab"): it keeps Arabic words left to right and its ``wordWrap='RTL'`` is silently
ignored without ``rlbidi``; its CJK wrap hangs at most one closing mark in the margin.
So for these two scripts we break lines ourselves and hand reportlab one finished line at a
time, joined with ``<br/>``:

- Arabic: shape with arabic-reshaper (harakat kept) → break into lines by measured width
  (``stringWidth``) → reorder each line with the Unicode bidi algorithm, base direction RTL
  → right-align. Reordering *after* breaking keeps the line order right; reordering the
  whole paragraph first would put its last words on the first line.
- Chinese: break between characters, never before closing punctuation (，。、；：？！）」』…)
  and never after opening punctuation (（「『“…), and never inside a Latin word or number.

Each character is drawn with the language's font when it has a glyph, else with the
fallback font (Noto Naskh Arabic has no Latin letters, brackets or dashes): see
:class:`Fonts`. Text is XML-escaped here, after measuring, because reportlab's
``Paragraph`` reads markup.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

CJK_CANNOT_START = "，。、；：？！）」』】》〉〕］｝”’・…‥—％‰°·,.;:?!)]}%"
"""Characters that must not begin a line of Chinese (kinsoku: closing punctuation)."""
CJK_CANNOT_END = "（「『【《〈〔［｛“‘([{"
"""Characters that must not end a line of Chinese (opening punctuation)."""


def _escape(text: str) -> str:
    """``<``, ``>`` and ``&`` as entities: reportlab's Paragraph reads its text as markup.

    (html.escape with quote=False; xml.sax.saxutils would pull in urllib and email: 50 ms.)
    """
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class Fonts:
    """The fonts one block of text is drawn with, and how to measure it."""

    main: str
    """reportlab name of the language's font."""
    fallback: str
    """reportlab name of the font for characters ``main`` lacks."""
    main_chars: frozenset[int]
    """Code points ``main`` has glyphs for."""
    size: float
    """Font size in points."""

    def font_for(self, char: str) -> str:
        """The font that draws ``char``."""
        if ord(char) in self.main_chars or unicodedata.category(char) in ("Zs", "Mn"):
            return self.main
        return self.fallback

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into ``(font, text)`` runs."""
        runs: list[tuple[str, str]] = []
        for char in text:
            font = self.font_for(char)
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def width(self, text: str) -> float:
        """Width of ``text`` in points, as reportlab will draw it."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(run, font, self.size) for font, run in self.runs(text))

    def markup(self, text: str) -> str:
        """``text`` escaped for a reportlab ``Paragraph``, fallback runs in ``<font>`` tags."""
        parts = []
        for font, run in self.runs(text):
            if font == self.main:
                parts.append(_escape(run))
            else:
                parts.append(f'<font face="{font}">{_escape(run)}</font>')
        return "".join(parts)


@lru_cache(maxsize=1)
def _reshaper() -> Callable[[str], str]:
    import arabic_reshaper

    reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})
    return reshaper.reshape


def shape_arabic(text: str) -> str:
    """Join Arabic letters (contextual presentation forms), keeping the harakat."""
    return _reshaper()(text)


def visual_rtl(line: str) -> str:
    """One *logical* line of (shaped) RTL text → left-to-right drawing order.

    python-bidi's Python implementation is used because it applies rule L4 (mirrored
    brackets: a logical ``(`` in RTL text is drawn as ``)``); its Rust ``get_display`` does
    not, which draws ``(2017)`` as ``)2017(``. Combining marks (harakat) are then moved
    after their base letter so that, drawn left to right with zero advance, they sit on it.
    """
    from bidi.algorithm import get_display

    visual = str(get_display(line, base_dir="R"))
    return _marks_after_base(visual)


def _marks_after_base(visual: str) -> str:
    out: list[str] = []
    pending: list[str] = []
    for char in visual:
        if unicodedata.category(char) == "Mn":
            pending.append(char)
            continue
        out.append(char)
        out.extend(pending)
        pending = []
    out.extend(pending)
    return "".join(out)


def _greedy(tokens: Iterable[str], width: float, fonts: Fonts, sep: str) -> list[str]:
    """Fill lines with tokens (joined by ``sep``) up to ``width``; split over-long tokens.

    Widths add up exactly (reportlab applies no kerning), so each token is measured once.
    """
    sep_width = fonts.width(sep) if sep else 0.0
    lines: list[str] = []
    current, current_width = "", 0.0
    for token in tokens:
        if not current and token.isspace():
            continue  # no line starts with a space
        token_width = fonts.width(token)
        if current and current_width + sep_width + token_width <= width:
            current, current_width = current + sep + token, current_width + sep_width + token_width
            continue
        if current:
            lines.append(current.rstrip())
        current, current_width = ("", 0.0) if token.isspace() else (token, token_width)
        while current_width > width and len(current) > 1:
            # One token wider than the column (a long URL, a long number): cut it by
            # characters rather than let it overflow the cell.
            cut = len(current) - 1
            while cut > 1 and fonts.width(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
            current_width = fonts.width(current)
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def arabic_lines(text: str, fonts: Fonts, width: float) -> list[str]:
    """Break Arabic ``text`` into lines fitting ``width``; each line in drawing order."""
    shaped = shape_arabic(" ".join(text.split()))
    logical = _greedy(shaped.split(" "), width, fonts, " ")
    return [visual_rtl(line) for line in logical]


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x3000 <= code <= 0x303F
    )


def cjk_tokens(text: str) -> list[str]:
    """Unbreakable units of Chinese text: characters, Latin words, numbers, spaces.

    Closing punctuation is glued to what precedes it and opening punctuation to what
    follows, so a line can never start with ``，`` or end with ``（``.
    """
    units: list[str] = []
    for char in text:
        prev = units[-1] if units else ""
        if (
            prev
            and not char.isspace()
            and not _is_cjk(char)
            and not prev[-1].isspace()
            and not _is_cjk(prev[-1])
            and char not in CJK_CANNOT_END
            and prev[-1] not in CJK_CANNOT_START
        ):
            units[-1] = prev + char  # extend a Latin word / number
        else:
            units.append(char)
    tokens: list[str] = []
    glue_next = False
    for unit in units:
        if tokens and (glue_next or unit[0] in CJK_CANNOT_START):
            tokens[-1] += unit
        else:
            tokens.append(unit)
        glue_next = unit[-1] in CJK_CANNOT_END
    return tokens


def cjk_lines(text: str, fonts: Fonts, width: float) -> list[str]:
    """Break Chinese ``text`` into lines fitting ``width`` with the kinsoku rules above."""
    return _greedy(cjk_tokens(text), width, fonts, "")


__all__ = [
    "CJK_CANNOT_END",
    "CJK_CANNOT_START",
    "Fonts",
    "arabic_lines",
    "cjk_lines",
    "cjk_tokens",
    "shape_arabic",
    "visual_rtl",
]
