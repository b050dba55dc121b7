"""What is on every page of a bilingual PDF besides the text: the running header (short
titles), the language pair and "Page X of Y" at the foot, and the bookmarks.

"Page X of Y" needs the page count before any page is written, so the canvas holds the
pages back and draws the header and foot on each when the document is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from toolkit.document import Meta
from toolkit.export import pdf_strings
from toolkit.export.bidi_text import Fonts, shape_arabic, visual_rtl
from toolkit.export.pdf_fonts import ScriptFonts
from toolkit.export.pdf_typeset import GREY, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, Typesetter
from toolkit.languages import get_language

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable


def bookmark(key: str, title: str) -> Flowable:
    """A zero-size flowable that bookmarks the page it lands on and adds an outline entry."""
    from reportlab.platypus import Flowable

    class Bookmark(Flowable):
        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
            return (0, 0)

        def draw(self) -> None:
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=0, closed=False)

    return Bookmark()


def numbered_canvas_class(decorate: Callable[[Canvas, int, int], None]) -> type:
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


def decorate_page(ts: Typesetter, canvas: Canvas, page: int, pages: int) -> None:
    """Running header and page counter, drawn on every page once the total is known."""
    canvas.saveState()
    canvas.setFillColorRGB(*GREY)
    top = ts.page_h - MARGIN_TOP + 22
    left, right = MARGIN_X, ts.page_w - MARGIN_X
    src, tgt = ts.scripts[ts.src], ts.scripts[ts.tgt]
    src_f, tgt_f = src.sized(8), tgt.sized(8.5 if tgt.rtl else 8)
    half = (right - left) / 2 - 10
    if ts.options.layout != "target-only":
        _draw(
            canvas,
            _short(_title_of(ts.translated.speech.meta), src_f, half, False),
            src,
            src_f,
            left,
            top,
            "left",
        )
        _draw(
            canvas,
            _short(_title_of(ts.translated.meta), tgt_f, half, tgt.rtl),
            tgt,
            tgt_f,
            right,
            top,
            "right",
        )
    else:
        _draw(
            canvas,
            _short(_title_of(ts.translated.meta), tgt_f, 2 * half, tgt.rtl),
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
    src_name = f"{get_language(ts.src).native_name} – "
    _draw(canvas, src_name, src, src_f, left, bottom, "left")
    _draw(
        canvas,
        get_language(ts.tgt).native_name,
        tgt,
        tgt_f,
        left + src_f.width(src_name),
        bottom,
        "left",
    )
    counter_src = pdf_strings.strings(ts.src).page_of.format(page=page, pages=pages)
    counter_tgt = pdf_strings.strings(ts.tgt).page_of.format(page=page, pages=pages)
    _draw(canvas, counter_tgt, tgt, tgt_f, right, bottom, "right")
    if ts.options.layout != "target-only":
        offset = tgt_f.width(visual_rtl(shape_arabic(counter_tgt)) if tgt.rtl else counter_tgt)
        _draw(canvas, f"{counter_src}  ·  ", src, src_f, right - offset, bottom, "right")
    canvas.restoreState()


__all__ = ["bookmark", "decorate_page", "numbered_canvas_class"]
