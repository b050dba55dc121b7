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
    if reader == "text":
        reader = _sniff(path) or reader
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


def _sniff(path: Path) -> str | None:
    """The reader for a ``.md``/``.txt`` file that is really a PDF or a Word file, if it is one.

    Refuses RTF and OpenDocument text with a conversion hint instead of segmenting their markup.
    Only regular files are looked at (peeking into a pipe would consume it).
    """
    import stat

    info = check_source_path(path)
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        with path.open("rb") as stream:
            head = stream.read(2048)
    except OSError:
        return None  # the text reader reports it
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "docx"  # the Word reader refuses .doc with its hint
    if head.startswith(b"PK\x03\x04"):
        if b"opendocument" in head:
            raise InputError(
                f"{path} is an OpenDocument file, which is not read directly.",
                f"Save it as .docx, or run `libreoffice --headless --convert-to docx {path.name}`.",
            )
        return "docx"
    if head.lstrip().startswith(b"{\\rtf"):
        raise InputError(
            f"{path} is an RTF file, which is not read directly.",
            f"Save it as .docx, or run `libreoffice --headless --convert-to docx {path.name}`.",
        )
    return None


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
