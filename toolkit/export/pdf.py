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

This module is the public face and assembles the document (story, page template,
metadata). The parts are set by :mod:`~toolkit.export.pdf_typeset` (geometry, styles, the
shared :class:`~toolkit.export.pdf_typeset.Typesetter`), :mod:`~toolkit.export.pdf_masthead`,
:mod:`~toolkit.export.pdf_rows` (paragraph rows, numbers, review marks),
:mod:`~toolkit.export.pdf_notes` and :mod:`~toolkit.export.pdf_page` (header, foot,
bookmarks), with fonts from :mod:`~toolkit.export.pdf_fonts` and fixed strings from
:mod:`~toolkit.export.pdf_strings`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.document import TranslatedSpeech
from toolkit.export import pdf_strings
from toolkit.export.paths import write_bytes_atomic
from toolkit.export.pdf_masthead import masthead
from toolkit.export.pdf_notes import notes_heading, notes_table
from toolkit.export.pdf_page import bookmark, decorate_page, numbered_canvas_class
from toolkit.export.pdf_rows import body_table
from toolkit.export.pdf_typeset import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, Typesetter
from toolkit.languages import get_language

# The options (and the layouts and papers they accept) are validated in toolkit.options.
from toolkit.options import LAYOUTS, PAPERS, PdfOptions

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable


def _creator(translated: TranslatedSpeech) -> str:
    """The PDF's /Creator: the toolkit and the translation's signature."""
    provenance = translated.provenance
    signature = provenance.signature if provenance else f"engine:{translated.engine}"
    return f"toolkit {__version__} ({signature})"


def _story(ts: Typesetter) -> list[Flowable]:
    """Masthead, body and notes, each behind a bookmark."""
    from reportlab.platypus import Spacer

    src_s = pdf_strings.strings(ts.src)
    tgt_s = pdf_strings.strings(ts.tgt)
    story: list[Flowable] = [
        bookmark("masthead", f"{src_s.masthead} / {tgt_s.masthead}"),
        masthead(ts),
    ]
    body = body_table(ts)
    if body is not None:
        story += [Spacer(1, 10), bookmark("body", f"{src_s.body} / {tgt_s.body}"), body]
    notes = notes_table(ts)  # the source's footnotes, if it has any
    if notes is not None:
        story += [Spacer(1, 10), bookmark("notes", notes_heading(ts.src)), notes]
    return story


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

    ts = Typesetter(translated, options)
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
        initialFontName=ts.scripts[translated.source_lang].regular.main,
        pageCompression=1,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        ts.frame_w,
        ts.page_h - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    page_count = 0

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        nonlocal page_count
        page_count = pages  # known once the document is saved: see pdf_page
        decorate_page(ts, canvas, page, pages)

    doc.build(_story(ts), canvasmaker=numbered_canvas_class(decorate))
    return buffer.getvalue(), page_count


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
