"""Path → :class:`~toolkit.document.SourceText`, whatever the statement came as.

Readers, chosen by the file's extension (:data:`FORMATS`):

* ``.md``/``.markdown``/``.txt`` — :mod:`toolkit.ingest.text` (decode, normalise, refuse binary);
* ``.pdf`` — :mod:`toolkit.ingest.pdf` (poppler's ``pdftohtml -xml``: pages, positions, weight);
* ``.docx`` — :mod:`toolkit.ingest.docx` (python-docx: styles resolved, headers dropped);
* ``.html``/``.htm`` — :mod:`toolkit.ingest.html` (the statement's body alone).

Each returns a ``SourceText`` whose ``text`` is written in the convention of a clean Markdown
source, so the segmenter treats every format alike; what a reader dropped or rejoined is in
``SourceText.repairs`` (``toolkit segment --explain``). File discovery, names and bounded reads
live in :mod:`toolkit.ingest.files`.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.document import SourceText
from toolkit.errors import InputError
from toolkit.ingest.files import (
    FORMATS,
    PREFERENCE,
    SOURCE_SUFFIXES,
    check_source_path,
    find_reference_file,
    find_variants,
    format_of,
    read_bounded,
    split_source_name,
)
from toolkit.ingest.text import MAX_SOURCE_BYTES, decode_bytes, normalise_text, read_text_source


def read_source(path: Path | str, lang: str | None = None) -> SourceText:
    """Read a speech file of any supported format into a :class:`SourceText`.

    Raises :class:`~toolkit.errors.InputError` (one line and a hint) for anything that cannot
    be read as a statement.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        check_source_path(path)
        raise InputError(
            f"{path} is a binary Word file (.doc), which cannot be read directly.",
            "Save it as .docx in Word, or run `libreoffice --headless --convert-to docx "
            f"{path.name}`.",
        )
    reader = format_of(path)
    if reader == "pdf":
        from toolkit.ingest.pdf import read_pdf

        return read_pdf(path, lang=lang)
    if reader == "docx":
        from toolkit.ingest.docx import read_docx

        return read_docx(path, lang=lang)
    if reader == "html":
        from toolkit.ingest.html import read_html

        return read_html(path, lang=lang)
    return read_text_source(path, lang=lang)


__all__ = [
    "FORMATS",
    "MAX_SOURCE_BYTES",
    "PREFERENCE",
    "SOURCE_SUFFIXES",
    "check_source_path",
    "decode_bytes",
    "find_reference_file",
    "find_variants",
    "format_of",
    "normalise_text",
    "read_bounded",
    "read_source",
    "split_source_name",
]
