"""PDF → :class:`SourceText`, reading the layout instead of guessing it from text.

The layout comes from poppler's ``pdftohtml -xml`` (:mod:`~toolkit.ingest.pdf.poppler`, which
says why poppler): pages, and per text run its position, font size and weight.

What is read from the layout (each a general rule, none knows a particular string):

1. **Lines.** Runs on one baseline are one line, unless a wide gap separates them (columns).
   A small run of 1–3 digits or ``*†‡`` raised beside body text is a footnote mark: removed.
2. **Running headers and footers** are lines in the top or bottom fifth of the page whose text
   (digits ignored, so "Page 2 of 7" matches "Page 3 of 7") recurs at the same height on two
   or more pages. **Page numbers** are lines in those zones that are only a number
   (``3``, ``- 3 -``, ``Page 3 of 7``). All are dropped and recorded.
3. **Footnotes** are lines below the page's body text in a smaller font than the body; a line
   starting with a mark starts a new footnote. They go to ``SourceText.footnotes``.
4. **Columns.** A page whose body lines leave a vertical gutter near the middle (lines on both
   sides, none crossing it but full-width ones) is read left column first, then right; a
   full-width line (a heading) closes a band of columns.
5. **Paragraphs.** Inside a column a new paragraph starts when the vertical gap to the previous
   line is clearly wider than the line pitch, when the line is indented, when weight or size
   change, or when the previous line ends a sentence well before the right margin.
6. **Across page and column breaks** the paragraph continues when the last line before the
   break runs to the right margin and the text does not end a sentence (or the next line starts
   in lower case), and the first line after it is not indented. Each such join is recorded.
7. **Hyphenated line ends** are joined by the segmenter's own rule (the word is rebuilt unless
   the hyphenated form occurs elsewhere or the first part is a prefix such as "counter-").

Refused with one line and a hint: no text layer (a scan: run OCRmyPDF), encrypted, damaged, and
over :data:`MAX_PDF_PAGES` pages or :data:`MAX_PDF_BYTES` bytes.

One module per step, in the order :func:`layout_to_source` runs them:

* :mod:`~toolkit.ingest.pdf.poppler` — run ``pdftohtml -xml``, refuse what it cannot read,
  parse its XML into positioned runs;
* :mod:`~toolkit.ingest.pdf.lines` — runs → lines, footnote marks out (rule 1), with
  :mod:`~toolkit.ingest.pdf.rtl_cjk` putting right-to-left and Chinese text in reading form;
* :mod:`~toolkit.ingest.pdf.running_lines` — headers, footers, page numbers (rule 2);
* :mod:`~toolkit.ingest.pdf.footnotes` — the footnote area of each page (rule 3);
* :mod:`~toolkit.ingest.pdf.columns` — gutters and reading order (rule 4);
* :mod:`~toolkit.ingest.pdf.paragraphs` — paragraphs, page-break joins, hyphenation (5–7).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from toolkit.document import Footnote, Repair, SourcePage, SourceText
from toolkit.errors import InputError
from toolkit.ingest.blocks import Block, render
from toolkit.ingest.files import MiB, read_bounded, split_source_name
from toolkit.ingest.pdf.columns import reading_order
from toolkit.ingest.pdf.footnotes import mark_footnotes
from toolkit.ingest.pdf.lines import Line, Page, body_font_size, lines_of_page
from toolkit.ingest.pdf.paragraphs import find_paragraphs, join_paragraph
from toolkit.ingest.pdf.poppler import (
    MAX_PDF_PAGES,
    PDFTOHTML_TIMEOUT,
    check_header,
    page_count,
    parse_layout,
    run_poppler,
)
from toolkit.ingest.pdf.running_lines import mark_running_lines

MAX_PDF_BYTES = 50 * MiB
"""A statement PDF is well under a megabyte; past 50 MiB it is not one statement."""


def read_pdf(path: Path, lang: str | None = None) -> SourceText:
    """Read a statement PDF into a :class:`SourceText` (see the module docstring)."""
    name = str(path)
    raw = read_bounded(path, MAX_PDF_BYTES, what="statement PDF")
    check_header(raw, name)
    if path.is_file():
        xml = run_poppler(path, name)
    else:  # a pipe: poppler needs a file it can seek in
        with tempfile.TemporaryDirectory(prefix="toolkit-pdf-") as folder:
            copy = Path(folder) / "input.pdf"
            copy.write_bytes(raw)
            xml = run_poppler(copy, name)
    if page_count(xml) > MAX_PDF_PAGES:
        raise InputError(
            f"{name} has more than {MAX_PDF_PAGES} pages: too long for one statement.",
            "Split out the statement's pages, e.g. `qpdf in.pdf --pages . 1-12 -- statement.pdf`.",
        )
    return layout_to_source(xml, path=name, raw=raw, lang=lang)


def layout_to_source(xml: bytes, *, path: str, raw: bytes, lang: str | None) -> SourceText:
    """The layout XML of ``pdftohtml -xml`` → :class:`SourceText` (rules 1–7)."""
    from toolkit.segment.repair import Joiner

    parsed = parse_layout(xml)
    all_runs = [run for page in parsed for run in page.runs]
    if not any(run.text.strip() for run in all_runs):
        raise InputError(
            f"{path} has no text layer (it is a scan or an image): there is no text to read.",
            "Run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`, and give the result.",
        )
    body_size = body_font_size(all_runs)
    pages = [
        Page(
            page.number,
            page.width,
            page.height,
            lines_of_page(page.number, page.runs, body_size, page.width),
        )
        for page in parsed
    ]
    repairs: list[Repair] = []
    footnotes: list[Footnote] = []
    mark_running_lines(pages, repairs)
    flows: list[list[Line]] = []
    for page in pages:
        mark_footnotes(page, body_size, footnotes)
        flows.extend(reading_order(page))
        for line in page.lines:
            for _, context in line.marks:
                repairs.append(Repair("footnote-mark", page.number, context))
    for note in footnotes:
        repairs.append(Repair("footnote", note.page, f"{note.mark} {note.text}".strip()))
    paragraphs = find_paragraphs(flows, repairs)
    joiner = Joiner("\n".join(ln.text for flow in flows for ln in flow))
    blocks = [
        Block(join_paragraph(para, joiner, repairs), para.bold, para.page) for para in paragraphs
    ]
    text = render(blocks)
    if not text.strip():
        raise InputError(
            f"{path} has no body text: only headers, footers or page numbers were found.",
            "Check that this is the statement itself; a scan needs `ocrmypdf in.pdf out.pdf`.",
        )
    repairs.sort(key=lambda r: r.page)
    slug, name_lang = split_source_name(Path(path))
    source_pages = tuple(
        SourcePage(
            number=page.number,
            width=page.width,
            height=page.height,
            columns=page.columns,
            lines=tuple(ln.to_source_line() for ln in page.lines),
        )
        for page in pages
    )
    return SourceText(
        path=path,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding="pdf",
        lang=lang or name_lang,
        slug=slug,
        format="pdf",
        pages=source_pages,
        footnotes=tuple(footnotes),
        repairs=tuple(repairs),
    )


__all__ = ["MAX_PDF_BYTES", "MAX_PDF_PAGES", "PDFTOHTML_TIMEOUT", "layout_to_source", "read_pdf"]
