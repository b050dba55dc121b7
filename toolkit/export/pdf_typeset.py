"""What every part of a bilingual PDF is set with: the page geometry, the paragraph styles of
each script, and :class:`Typesetter` (one translation's fonts, text frame and table cells).

The masthead (:mod:`toolkit.export.pdf_masthead`), the paragraph rows
(:mod:`toolkit.export.pdf_rows`), the notes (:mod:`toolkit.export.pdf_notes`) and the page
furniture (:mod:`toolkit.export.pdf_page`) all read one :class:`Typesetter`, so the same
fonts, widths and styles are used throughout the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.document import TranslatedSpeech
from toolkit.export.bidi_text import arabic_lines, cjk_lines
from toolkit.export.pdf_fonts import ScriptFonts, script_fonts
from toolkit.options import PAPERS, PdfOptions

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

# Page geometry (points).
MARGIN_X = 48.0
MARGIN_TOP = 62.0
MARGIN_BOTTOM = 48.0
NUMBER_WIDTH = 22.0
PAD = 5.0
GREY = (0.38, 0.38, 0.38)


class PdfText:
    """Builds reportlab Paragraphs for any of the six languages at a given width."""

    def __init__(self, scripts: dict[str, ScriptFonts]) -> None:
        from reportlab.lib.enums import TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.scripts = scripts
        self._style_cls = ParagraphStyle
        self._left, self._right = TA_LEFT, TA_RIGHT
        self._styles: dict[tuple[str, float, bool, bool], Any] = {}

    def style(self, lang: str, scale: float, bold: bool, grey: bool) -> Any:
        """The ParagraphStyle of ``lang`` at ``scale`` (made once, then reused)."""
        key = (lang, scale, bold, grey)
        if key not in self._styles:
            script = self.scripts[lang]
            fonts = script.sized(script.regular.size * scale, bold)
            self._styles[key] = self._style_cls(
                f"{lang}-{scale}-{bold}-{grey}",
                fontName=fonts.main,
                fontSize=fonts.size,
                leading=script.leading * scale,
                alignment=self._right if script.rtl else self._left,
                wordWrap="CJK" if script.cjk else None,
                textColor=GREY if grey else (0, 0, 0),
                spaceAfter=0,
                allowWidows=1,
                allowOrphans=1,
            )
        return self._styles[key]

    def markup(
        self, text: str, lang: str, width: float, scale: float = 1.0, bold: bool = False
    ) -> str:
        """Paragraph markup for ``text``: escaped, fallback fonts tagged, lines pre-broken for
        Arabic and Chinese."""
        script = self.scripts[lang]
        fonts = script.sized(script.regular.size * scale, bold)
        # A point of slack: reportlab must never find our line too wide and re-break it.
        usable = width - 1.0
        if script.rtl:
            return "<br/>".join(fonts.markup(line) for line in arabic_lines(text, fonts, usable))
        if script.cjk:
            return "<br/>".join(fonts.markup(line) for line in cjk_lines(text, fonts, usable))
        return fonts.markup(" ".join(text.split()))

    def para(
        self,
        text: str,
        lang: str,
        width: float,
        scale: float = 1.0,
        bold: bool = False,
        grey: bool = False,
    ) -> Flowable:
        """A Paragraph of ``text`` in ``lang``, set to fit ``width``."""
        from reportlab.platypus import Paragraph

        return Paragraph(
            self.markup(text, lang, width, scale, bold), self.style(lang, scale, bold, grey)
        )


class Typesetter:
    """One translation's PDF as it is set: its languages, their fonts and text styles, the
    page and the text frame, and the cells and table style both tables share.

    The functions that set a part of the PDF take it as ``ts``.
    """

    def __init__(self, translated: TranslatedSpeech, options: PdfOptions) -> None:
        self.translated = translated
        self.options = options
        self.src = translated.source_lang
        self.tgt = translated.lang
        langs = dict.fromkeys((self.src, self.tgt))
        self.scripts = {lang: script_fonts(lang, options.font_dir) for lang in langs}
        self.text = PdfText(self.scripts)
        self.page_w, self.page_h = PAPERS[options.paper]
        self.frame_w = self.page_w - 2 * MARGIN_X

    def number(self, value: str, lang_rtl: bool) -> Flowable:
        """A margin cell: a paragraph number (or review mark), grey, toward the text."""
        from reportlab.lib.enums import TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        fonts = self.scripts[self.src].regular
        style = ParagraphStyle(
            f"num-{lang_rtl}",
            fontName=fonts.main,
            fontSize=8,
            leading=self.scripts[self.src].leading,
            textColor=GREY,
            alignment=TA_LEFT if lang_rtl else TA_RIGHT,
        )
        return Paragraph(value, style)

    def table_style(self, rows: int, masthead: bool) -> Any:
        """The style of the masthead and body tables (a rule under the masthead; between
        paragraphs in the stacked layout)."""
        from reportlab.platypus import TableStyle

        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # Empty cells are drawn with the cell font: keep it one we embed (not Helvetica).
            ("FONTNAME", (0, 0), (-1, -1), self.scripts[self.src].regular.main),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        if masthead:
            commands.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, (0, 0, 0)))
        elif self.options.layout == "stacked":
            for row in range(1, rows, 2):
                commands.append(("LINEBELOW", (1, row), (1, row), 0.3, (0.75, 0.75, 0.75)))
        return TableStyle(commands)


__all__ = [
    "GREY",
    "MARGIN_BOTTOM",
    "MARGIN_TOP",
    "MARGIN_X",
    "NUMBER_WIDTH",
    "PAD",
    "PdfText",
    "Typesetter",
]
