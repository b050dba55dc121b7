"""Word (.docx) → :class:`SourceText`, with python-docx.

* **Paragraphs** in document order, tables included (row by row, one block per non-empty cell).
  Line breaks inside a paragraph are wraps, not paragraph breaks.
* **Bold** is resolved the way Word shows it: a run's own setting, else its character style's
  chain, else the paragraph style's chain (``run.bold`` alone is ``None`` when bold comes from a
  style). A paragraph is bold when all its text is.
* **Headings** (``Title``, ``Heading N`` styles) are blocks of their own; the first ``Title``
  paragraph is also :attr:`SourceText.title`.
* **Headers and footers** are not part of the body: left out and listed for ``--explain``.
* **Footnotes** (``word/footnotes.xml``) are kept apart in :attr:`SourceText.footnotes`; the
  reference marks in the body are removed.

A binary Word file (``.doc``, an OLE compound file) is refused with a hint to convert it.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from toolkit.document import Footnote, Repair, SourceText
from toolkit.errors import InputError
from toolkit.ingest.blocks import Block, clean_inline, render
from toolkit.ingest.files import MiB, read_bounded, split_source_name

MAX_DOCX_BYTES = 50 * MiB
"""Same bound as for a PDF: a statement is far smaller."""
MAX_DOCX_UNPACKED = 200 * MiB
"""Bound on the unpacked size of the parts (a zip bomb is refused before it is inflated)."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _doc_error(name: str) -> InputError:
    return InputError(
        f"{name} is a binary Word file (.doc), which cannot be read directly.",
        f"Save it as .docx in Word, or run `libreoffice --headless --convert-to docx {name}`.",
    )


def _style_bold(style: Any) -> bool | None:
    """The first explicit bold setting up a style's ``base_style`` chain, if any."""
    seen = 0
    while style is not None and seen < 20:  # a cyclic chain in a hand-made file ends here
        bold = style.font.bold
        if bold is not None:
            return bool(bold)
        style = style.base_style
        seen += 1
    return None


def _run_bold(run: Any, paragraph_bold: bool | None) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    from_style = _style_bold(run.style) if run.style is not None else None
    if from_style is not None and run.style.name != "Default Paragraph Font":
        return from_style
    return bool(paragraph_bold)


def _paragraph_runs(paragraph: Any) -> list[Any]:
    """Every run of a paragraph, also inside hyperlinks, content controls, smart tags, fields
    and tracked insertions (python-docx's ``runs`` sees direct children only); deleted text is
    left out."""
    from docx.oxml.ns import qn
    from docx.text.run import Run

    skipped = {qn("w:del"), qn("w:moveFrom")}
    runs = []
    for element in paragraph._p.iter(qn("w:r")):
        if any(ancestor.tag in skipped for ancestor in element.iterancestors()):
            continue
        runs.append(Run(element, paragraph))
    return runs


def _paragraph_block(paragraph: Any, repairs: list[Repair]) -> tuple[str, bool]:
    """(text, bold) of one Word paragraph; footnote marks removed and recorded."""
    paragraph_bold = _style_bold(paragraph.style)
    pieces: list[str] = []
    bold_chars = plain_chars = 0
    for item in _paragraph_runs(paragraph):
        for reference in item._r.iter(f"{_W}footnoteReference"):
            before = clean_inline("".join(pieces))
            repairs.append(
                Repair(
                    "footnote-mark",
                    0,
                    f"… {' '.join(before.split()[-3:])}[{reference.get(f'{_W}id')}]",
                )
            )
        text = item.text
        pieces.append(text)
        count = len(text.strip())
        if _run_bold(item, paragraph_bold):
            bold_chars += count
        else:
            plain_chars += count
    text = clean_inline("".join(pieces))
    return text, bold_chars > 0 and plain_chars == 0


def _body_items(document: Any) -> list[Any]:
    """Paragraphs and tables of the body in order, also inside block-level content controls
    (``w:sdt``, which templates often wrap around the title block)."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body
    items: list[Any] = []

    def walk(parent: Any) -> None:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                items.append(Paragraph(child, document._body))
            elif child.tag == qn("w:tbl"):
                items.append(Table(child, document._body))
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                walk(child)

    walk(body)
    return items


def _footnotes(document: Any) -> list[Footnote]:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    notes: list[Footnote] = []
    for rel in document.part.rels.values():
        if rel.reltype != RELATIONSHIP_TYPE.FOOTNOTES or rel.is_external:
            continue
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(rel.target_part.blob, parser)
        for note in root.iter(f"{_W}footnote"):
            if note.get(f"{_W}type") in (
                "separator",
                "continuationSeparator",
                "continuationNotice",
            ):
                continue
            text = clean_inline("".join(t.text or "" for t in note.iter(f"{_W}t")))
            if text:
                notes.append(Footnote(note.get(f"{_W}id", ""), text, 0))
    return notes


def _headers_and_footers(document: Any) -> list[Repair]:
    found: list[Repair] = []
    seen: set[tuple[str, str]] = set()
    for section in document.sections:
        for kind, parts in (
            ("header", (section.header, section.first_page_header, section.even_page_header)),
            ("footer", (section.footer, section.first_page_footer, section.even_page_footer)),
        ):
            for part in parts:
                if part.is_linked_to_previous and part is not section.header:
                    continue
                text = clean_inline(" ".join(p.text for p in part.paragraphs))
                if text and (kind, text) not in seen:
                    seen.add((kind, text))
                    found.append(Repair(kind, 0, text))  # type: ignore[arg-type]
    return found


def _check_container(raw: bytes, name: str) -> None:
    if raw.startswith(_OLE_MAGIC):
        raise _doc_error(name)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise InputError(
            f"{name} is not a readable Word file (damaged, or not a .docx at all).",
            "Open it in Word or LibreOffice and save it again as .docx.",
        ) from None
    if unpacked > MAX_DOCX_UNPACKED:
        raise InputError(
            f"{name} unpacks to {unpacked / MiB:.0f} MiB: too large for one statement.",
            "Save the statement alone as .docx (without embedded media).",
        )
    if "word/document.xml" not in names:
        raise InputError(
            f"{name} is a zip file but not a Word document (no word/document.xml).",
            "Give a .docx saved by Word or LibreOffice.",
        )


def read_docx(path: Path, lang: str | None = None) -> SourceText:
    """Read a ``.docx`` statement into a :class:`SourceText` (see the module docstring)."""
    from docx import Document
    from docx.table import Table

    name = str(path)
    raw = read_bounded(path, MAX_DOCX_BYTES, what="statement")
    _check_container(raw, name)
    try:
        document = Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors…
        raise InputError(
            f"{name} is not a readable Word file ({type(exc).__name__}: {exc}).",
            "Open it in Word or LibreOffice and save it again as .docx.",
        ) from None
    repairs = _headers_and_footers(document)
    blocks: list[Block] = []
    title: str | None = None
    for item in _body_items(document):
        if isinstance(item, Table):
            for row in item.rows:
                seen_cells: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen_cells:  # a merged cell appears once per grid column
                        continue
                    seen_cells.add(id(cell._tc))
                    for paragraph in cell.paragraphs:
                        text, bold = _paragraph_block(paragraph, repairs)
                        if text:
                            blocks.append(Block(text, bold))
            continue
        text, bold = _paragraph_block(item, repairs)
        if not text:
            continue
        style = (item.style.name if item.style is not None else "").lower()
        if title is None and style == "title":
            title = text
        blocks.append(Block(text, bold))
    text = render(blocks)
    if not text.strip():
        raise InputError(f"{name} has no text.", "Check that this is the statement itself.")
    footnotes = _footnotes(document)
    repairs.extend(Repair("footnote", 0, f"{n.mark} {n.text}") for n in footnotes)
    slug, name_lang = split_source_name(path)
    return SourceText(
        path=name,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding="docx",
        lang=lang or name_lang,
        slug=slug,
        format="docx",
        footnotes=tuple(footnotes),
        repairs=tuple(repairs),
        title=title,
    )


__all__ = ["MAX_DOCX_BYTES", "read_docx"]
