"""Bilingual PDFs: the English original beside (or above) each UN language, paragraph by paragraph.

What a PDF holds (see the README section "Bilingual PDFs"):

- page 1 starts with a masthead in both languages: "Original: English", the date written
  the way each language writes it, title, subtitle, event, venue, speaker and role, and a
  provenance notice in both languages (machine translation with engine and model version,
  or reference translation with its source file);
- then the speech: one table row per paragraph, English left, target right, both starting
  on the same line. Body paragraphs are numbered 1, 2, 3… in the margin of *both* columns,
  as UN texts are cited by paragraph; salutations ("Excellencies, …") and the closing
  ("Thank you.") are not numbered, as in UN documents. A long row splits across pages
  between lines (reportlab ``splitInRow``), never cut off;
- a running header (short title, language pair) and "Page X of Y" on every page;
- bookmarks for the masthead and the text; ``/Title`` ``/Author`` ``/Subject`` ``/Lang``
  ``/Creator`` metadata; every font embedded and subset; identical bytes for identical input.

The front-matter paragraphs (title, subtitle, dateline, byline) are shown through the
masthead's ``Meta`` fields; when a speech has no title in its ``Meta``, the front-matter
paragraphs themselves are printed in the masthead instead.

Arabic and Chinese lines are broken by :mod:`toolkit.export.bidi_text`, not by reportlab.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.document import FRONT_MATTER_KINDS, Meta, TranslatedSpeech
from toolkit.export import pdf_strings
from toolkit.export.bidi_text import Fonts, arabic_lines, cjk_lines, shape_arabic, visual_rtl
from toolkit.export.paths import write_bytes_atomic
from toolkit.export.pdf_fonts import ScriptFonts, script_fonts
from toolkit.export.pdf_notes import notes_heading, notes_table
from toolkit.languages import get_language

# The options (and the layouts and papers they accept) are validated in toolkit.options.
from toolkit.options import LAYOUTS, PAPERS, PdfOptions

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

# Page geometry (points).
MARGIN_X = 48.0
MARGIN_TOP = 62.0
MARGIN_BOTTOM = 48.0
NUMBER_WIDTH = 22.0
PAD = 5.0
GREY = (0.38, 0.38, 0.38)


class _Text:
    """Builds reportlab Paragraphs for any of the six languages at a given width."""

    def __init__(self, scripts: dict[str, ScriptFonts]) -> None:
        from reportlab.lib.enums import TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.scripts = scripts
        self._style_cls = ParagraphStyle
        self._left, self._right = TA_LEFT, TA_RIGHT
        self._styles: dict[tuple[str, float, bool, bool], Any] = {}

    def style(self, lang: str, scale: float, bold: bool, grey: bool) -> Any:
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
        from reportlab.platypus import Paragraph

        return Paragraph(
            self.markup(text, lang, width, scale, bold), self.style(lang, scale, bold, grey)
        )


def _bookmark(key: str, title: str) -> Flowable:
    """A zero-size flowable that bookmarks the page it lands on and adds an outline entry."""
    from reportlab.platypus import Flowable

    class Bookmark(Flowable):
        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
            return (0, 0)

        def draw(self) -> None:
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=0, closed=False)

    return Bookmark()


def _make_canvas_class(decorate: Callable[[Canvas, int, int], None]) -> type:
    """A canvas that holds pages back until the end, so each page can say "page X of Y".

    Bookmarks are recorded per page and set while the held-back pages are written, because
    a bookmark names the page being written at the time of the call.
    """
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []

        def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # noqa: N802 - reportlab API
            self._page_bookmarks.append((key, kwargs))

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._held.append(dict(self.__dict__))
            self._page_bookmarks = []
            self._startPage()

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                decorate(self, number, pages)
                for key, kwargs in state["_page_bookmarks"]:
                    Canvas.bookmarkPage(self, key, **kwargs)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _short(text: str, fonts: Fonts, width: float, rtl: bool) -> str:
    """``text`` cut at a word boundary (with an ellipsis) so that it fits ``width``."""
    words = text.split()
    for count in range(len(words), 0, -1):
        candidate = " ".join(words[:count]) + ("" if count == len(words) else " …")
        probe = shape_arabic(candidate) if rtl else candidate
        if fonts.width(probe) <= width:
            return candidate
    return ""


def _draw(
    canvas: Canvas, text: str, script: ScriptFonts, fonts: Fonts, x: float, y: float, align: str
) -> None:
    """Draw one line of any script at ``(x, y)``; ``align`` is ``left`` or ``right``."""
    line = visual_rtl(shape_arabic(text)) if script.rtl else text
    width = fonts.width(line)
    cursor = x - width if align == "right" else x
    for font, run in fonts.runs(line):
        canvas.setFont(font, fonts.size)
        canvas.drawString(cursor, y, run)
        cursor += fonts.width(run)


def _title_of(meta: Meta) -> str:
    return meta.subtitle or meta.title or ""


def _creator(translated: TranslatedSpeech) -> str:
    """The PDF's /Creator: the toolkit and the translation's signature."""
    provenance = translated.provenance
    signature = provenance.signature if provenance else f"engine:{translated.engine}"
    return f"toolkit {__version__} ({signature})"


_DELIVERY_INDEX = {"as delivered": 0, "as prepared for delivery": 1, "check against delivery": 2}

REVIEW_MARK = "\u25b2"
"""Margin mark of a row to review (▲), explained by a line in the masthead."""


def _is_default_notice(translated: TranslatedSpeech) -> bool:
    """The translation's notice is only the generated "Reference translation: <file>"."""
    notice = translated.notice or ""
    return translated.engine == "reference" and notice.startswith("Reference translation: ")


def _notice(translated: TranslatedSpeech, lang: str) -> str:
    provenance = translated.provenance
    named: dict[str, object] = {}
    if provenance is not None:
        named = {
            "model": provenance.model,
            "model_version": provenance.model_version,
            "reference": provenance.reference,
        }
    return pdf_strings.notice(lang, translated.engine, named)


class _Builder:
    """Turns one TranslatedSpeech into the story (flowables) of its PDF."""

    def __init__(self, translated: TranslatedSpeech, options: PdfOptions) -> None:
        self.t = translated
        self.options = options
        self.src = translated.source_lang
        self.tgt = translated.lang
        langs = dict.fromkeys((self.src, self.tgt))
        self.scripts = {lang: script_fonts(lang, options.font_dir) for lang in langs}
        self.text = _Text(self.scripts)
        self.page_w, self.page_h = PAPERS[options.paper]
        self.frame_w = self.page_w - 2 * MARGIN_X
        self.pages = 0

    # -- the masthead -------------------------------------------------------------------

    def masthead_cells(self, lang: str, width: float) -> list[Flowable]:
        """The masthead of one language, as a list of paragraphs."""
        from reportlab.platypus import Spacer

        strings = pdf_strings.strings(lang)
        meta = self.t.speech.meta if lang == self.src else self.t.meta
        source_meta = self.t.speech.meta
        inner = width - 2 * PAD
        p = self.text.para
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
            front = self.t.speech.paragraphs if lang == self.src else self.t.paragraphs
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
        role = meta.role or (source_meta.role if lang == self.src else None)
        if speaker or role:
            line = (
                strings.speaker_line.format(speaker=speaker, role=role)
                if speaker and role
                else speaker or role or ""
            )
            out.append(Spacer(1, 4))
            out.append(p(line, lang, inner, bold=True))
        out.append(Spacer(1, 8))
        notice = _notice(self.t, lang)
        # A notice the reference file carries is said once, in the English column; the
        # default "Reference translation: <file>" is already what _notice says.
        if lang == self.src and self.t.notice and not _is_default_notice(self.t):
            notice = f"{self.t.notice} {notice}"
        out.append(p(notice, lang, inner, 0.85, grey=True))
        review = len(self.review_rows())
        if review:
            out.append(Spacer(1, 4))
            line = strings.review.format(mark=REVIEW_MARK, count=review)
            out.append(p(line, lang, inner, 0.9, bold=True))
        return out

    def review_rows(self) -> set[str]:
        """Body paragraphs whose translation a person should check (any flag on a sentence)."""
        from toolkit.translate.speech_alignment import rows_to_review

        return set(rows_to_review(self.t))

    def masthead(self) -> Flowable:
        from reportlab.platypus import Table

        layout = self.options.layout
        if layout == "side-by-side":
            col = (self.frame_w - 2 * NUMBER_WIDTH) / 2
            widths = [NUMBER_WIDTH, col, col, NUMBER_WIDTH]
            row = ["", self.masthead_cells(self.src, col), self.masthead_cells(self.tgt, col), ""]
            data = [row]
        else:
            col = self.frame_w - 2 * NUMBER_WIDTH
            widths = [NUMBER_WIDTH, col, NUMBER_WIDTH]
            data = [["", self.masthead_cells(self.tgt, col), ""]]
            if layout == "stacked":
                data.insert(0, ["", self.masthead_cells(self.src, col), ""])
        table = Table(data, colWidths=widths, splitByRow=1, splitInRow=1)
        table.setStyle(self._table_style(len(data), masthead=True))
        return table

    # -- the body -----------------------------------------------------------------------

    def numbers(self) -> dict[str, str]:
        """Paragraph numbers: body paragraphs 1, 2, 3…; salutation and closing unnumbered."""
        numbers: dict[str, str] = {}
        count = 0
        for para in self.t.speech.body():
            if para.kind == "body":
                count += 1
                numbers[para.id] = str(count)
        return numbers

    def number(self, value: str, lang_rtl: bool) -> Flowable:
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

    def body(self) -> Flowable:
        from reportlab.platypus import Table

        layout = self.options.layout
        targets = {p.id: p for p in self.t.paragraphs}
        numbers = self.numbers()
        rtl = self.scripts[self.tgt].rtl
        data: list[list[Any]] = []
        if layout == "side-by-side":
            col = (self.frame_w - 2 * NUMBER_WIDTH) / 2
            widths = (
                [NUMBER_WIDTH, col, NUMBER_WIDTH, col]
                if not rtl
                else [NUMBER_WIDTH, col, col, NUMBER_WIDTH]
            )
        else:
            col = self.frame_w - 2 * NUMBER_WIDTH
            widths = [NUMBER_WIDTH, col, NUMBER_WIDTH]
        inner = col - 2 * PAD
        review = self.review_rows()
        missing_text = pdf_strings.strings(self.tgt).not_in_reference or "…"
        for para in self.t.speech.body():
            n = numbers.get(para.id, "")
            # the mark sits in the margin beside the translation, with the number if any
            t = (f"{n} {REVIEW_MARK}" if n else REVIEW_MARK) if para.id in review else n
            target = targets.get(para.id)
            target_text = target.text if target is not None else ""
            reference_lacks_it = not target_text and self.t.engine == "reference"
            placeholder = missing_text if reference_lacks_it else "…"
            heading = para.kind == "heading"  # bold, and never numbered (numbers(): body only)
            src_cell = self.text.para(para.text, self.src, inner, bold=heading)
            tgt_cell = self.text.para(
                target_text or placeholder, self.tgt, inner, bold=heading, grey=not target_text
            )
            if layout == "side-by-side":
                if rtl:
                    data.append([self.number(n, False), src_cell, tgt_cell, self.number(t, True)])
                else:
                    data.append([self.number(n, False), src_cell, self.number(t, False), tgt_cell])
            elif layout == "stacked":
                data.append([self.number(n, False), src_cell, ""])
                data.append(
                    ["", tgt_cell, self.number(t, True)]
                    if rtl
                    else [self.number(t, False), tgt_cell, ""]
                )
            else:
                data.append(
                    ["", tgt_cell, self.number(t, True)]
                    if rtl
                    else [self.number(t, False), tgt_cell, ""]
                )
        table = Table(data, colWidths=widths, splitByRow=1, splitInRow=1)
        table.setStyle(self._table_style(len(data), masthead=False))
        return table

    def _table_style(self, rows: int, masthead: bool) -> Any:
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

    # -- the document -------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        from reportlab.platypus import Spacer

        src_s = pdf_strings.strings(self.src)
        tgt_s = pdf_strings.strings(self.tgt)
        story: list[Flowable] = [
            _bookmark("masthead", f"{src_s.masthead} / {tgt_s.masthead}"),
            self.masthead(),
            Spacer(1, 10),
            _bookmark("body", f"{src_s.body} / {tgt_s.body}"),
            self.body(),
        ]
        notes = notes_table(self)  # the source's footnotes, if it has any
        if notes is not None:
            story += [Spacer(1, 10), _bookmark("notes", notes_heading(self.src)), notes]
        return story

    def decorate(self, canvas: Canvas, page: int, pages: int) -> None:
        """Running header and page counter, drawn on every page once the total is known."""
        self.pages = pages
        canvas.saveState()
        canvas.setFillColorRGB(*GREY)
        top = self.page_h - MARGIN_TOP + 22
        left, right = MARGIN_X, self.page_w - MARGIN_X
        src, tgt = self.scripts[self.src], self.scripts[self.tgt]
        src_f, tgt_f = src.sized(8), tgt.sized(8.5 if tgt.rtl else 8)
        half = (right - left) / 2 - 10
        if self.options.layout != "target-only":
            _draw(
                canvas,
                _short(_title_of(self.t.speech.meta), src_f, half, False),
                src,
                src_f,
                left,
                top,
                "left",
            )
            _draw(
                canvas,
                _short(_title_of(self.t.meta), tgt_f, half, tgt.rtl),
                tgt,
                tgt_f,
                right,
                top,
                "right",
            )
        else:
            _draw(
                canvas,
                _short(_title_of(self.t.meta), tgt_f, 2 * half, tgt.rtl),
                tgt,
                tgt_f,
                right if tgt.rtl else left,
                top,
                "right" if tgt.rtl else "left",
            )
        canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
        canvas.setLineWidth(0.4)
        canvas.line(left, top - 5, right, top - 5)
        bottom = MARGIN_BOTTOM - 24
        # The language pair: each native name in its own script and direction.
        src_name = f"{get_language(self.src).native_name} – "
        _draw(canvas, src_name, src, src_f, left, bottom, "left")
        _draw(
            canvas,
            get_language(self.tgt).native_name,
            tgt,
            tgt_f,
            left + src_f.width(src_name),
            bottom,
            "left",
        )
        counter_src = pdf_strings.strings(self.src).page_of.format(page=page, pages=pages)
        counter_tgt = pdf_strings.strings(self.tgt).page_of.format(page=page, pages=pages)
        _draw(canvas, counter_tgt, tgt, tgt_f, right, bottom, "right")
        if self.options.layout != "target-only":
            offset = tgt_f.width(visual_rtl(shape_arabic(counter_tgt)) if tgt.rtl else counter_tgt)
            _draw(canvas, f"{counter_src}  ·  ", src, src_f, right - offset, bottom, "right")
        canvas.restoreState()


@dataclass(frozen=True)
class PdfResult:
    """One PDF written by :func:`write_pdf`."""

    path: Path
    """Where it is."""
    lang: str
    """Target language."""
    pages: int
    """Number of pages."""
    changed: bool
    """False when the file already held exactly these bytes and was left untouched."""


def render_pdf_bytes(translated: TranslatedSpeech, options: PdfOptions | None = None) -> bytes:
    """The PDF for ``translated`` as bytes (identical bytes for identical input)."""
    return _render(translated, options or PdfOptions())[0]


def write_pdf(
    translated: TranslatedSpeech, path: Path, options: PdfOptions | None = None
) -> PdfResult:
    """Like :func:`render_pdf`, and say how many pages it has and whether the file changed."""
    data, pages = _render(translated, options or PdfOptions())
    changed = write_bytes_atomic(path, data)
    return PdfResult(path, translated.lang, pages, changed)


def _render(translated: TranslatedSpeech, options: PdfOptions) -> tuple[bytes, int]:
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    builder = _Builder(translated, options)
    buffer = io.BytesIO()
    meta_t, meta_s = translated.meta, translated.speech.meta
    target = get_language(translated.lang)
    source_title = meta_s.title or meta_s.subtitle or translated.slug
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAPERS[options.paper],
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=meta_t.title or source_title,
        author=meta_s.speaker or "",
        subject=(
            f"{get_language(translated.source_lang).name}–{target.name} "
            f"({options.layout}) translation of: {source_title}"
        ),
        creator=_creator(translated),
        keywords=translated.slug,
        lang=target.code,
        invariant=1,
        # Without this the canvas declares Helvetica, a font that is never embedded.
        initialFontName=builder.scripts[translated.source_lang].regular.main,
        pageCompression=1,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        builder.frame_w,
        builder.page_h - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(builder.story(), canvasmaker=_make_canvas_class(builder.decorate))
    return buffer.getvalue(), builder.pages


def render_pdf(translated: TranslatedSpeech, path: Path, options: PdfOptions | None = None) -> Path:
    """Write the PDF of ``translated`` to ``path`` atomically (an identical file is kept)."""
    write_pdf(translated, path, options)
    return path


__all__ = [
    "LAYOUTS",
    "PAPERS",
    "PdfOptions",
    "PdfResult",
    "render_pdf",
    "render_pdf_bytes",
    "write_pdf",
]
