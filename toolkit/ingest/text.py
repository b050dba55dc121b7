"""Plain text and Markdown → :class:`SourceText`: refuse what is not text, decode, normalise.

Accepted: UTF-8 (with or without BOM), UTF-16 with a BOM or without one (told from binary by
where its NUL bytes fall: every other byte, all on one side), and — when the bytes are not
UTF-8 but read cleanly as Windows-1252/Latin-1 — legacy single-byte files. Refused with a
one-line error and a hint: missing paths, folders, devices, symlink loops, empty files, binary
files, files too large to be a speech, and bytes that decode as nothing sensible.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from toolkit.document import SourceText
from toolkit.errors import InputError
from toolkit.ingest.files import read_bounded, split_source_name

MAX_SOURCE_BYTES = 5 * 1024 * 1024
"""A speech is tens of kilobytes; anything past 5 MiB is not one (and would be slow to typeset)."""

# C0 controls other than tab, newline, carriage return and form feed (PDF page breaks).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Decode ``raw`` into text; return ``(text, encoding)`` or raise :class:`InputError`."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif (bomless := _bomless_utf16(raw)) is not None:
        candidates = [bomless]
    else:
        if b"\x00" in raw:
            raise InputError(
                f"{name} looks like a binary file (it contains NUL bytes), not a speech.",
                "Give the speech as .md/.txt (UTF-8), .pdf, .docx or .html; "
                "convert other formats first (e.g. `libreoffice --convert-to docx`).",
            )
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1252" and not _looks_like_legacy_text(text):
            break
        return text, encoding
    raise InputError(
        f"{name} is not valid UTF-8 text and does not read cleanly in any legacy encoding.",
        f"Convert it to UTF-8, e.g. `iconv -f ENCODING -t UTF-8 {name} > fixed.md`.",
    )


def _bomless_utf16(raw: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``raw`` is UTF-16 without a byte-order mark, else None.

    Text in UTF-16 has a NUL in every ASCII character (space, newline, digits, Latin letters);
    read with the right byte order it contains no control, unassigned or private-use
    characters, while the wrong order turns a newline into the unassigned U+0A00 and binary data
    gives such characters either way. When both orders read cleanly, the side the NULs fall on
    decides.
    """
    if len(raw) < 4 or len(raw) % 2 or b"\x00" not in raw:
        return None
    clean: list[str] = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # text has line breaks or spaces (Chinese too: U+3000, newlines); short binary
        # snippets can decode to letters only
        spaced = any(ch in " \n\u3000" for ch in text)
        if spaced and not any(_unlikely_in_text(ch) for ch in text):
            clean.append(encoding)
    if len(clean) == 2:
        return "utf-16-le" if raw[1::2].count(0) >= raw[0::2].count(0) else "utf-16-be"
    return clean[0] if clean else None


def _unlikely_in_text(ch: str) -> bool:
    if ch in "\t\n\r\f":
        return False
    return unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")


def _looks_like_legacy_text(text: str) -> bool:
    """True when a cp1252 decoding is mostly letters and punctuation, i.e. plausibly real text."""
    if not text:
        return False
    letters = sum(1 for ch in text if ch.isalpha() or ch.isspace() or ch in ".,;:!?'\"()-–—’“”")
    return letters / len(text) > 0.9


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` newlines, form feeds as paragraph breaks, no stray control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def read_text_source(path: Path, lang: str | None = None) -> SourceText:
    """Read a plain-text or Markdown speech into a :class:`SourceText` (or raise InputError)."""
    name = str(path)
    raw = read_bounded(path, MAX_SOURCE_BYTES)
    text, encoding = decode_bytes(raw, name)
    text = normalise_text(text)
    if not text.strip():
        raise InputError(f"{name} is empty.", "Paste the speech text into the file and try again.")
    slug, name_lang = split_source_name(path)
    return SourceText(
        path=name,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        lang=lang or name_lang,
        slug=slug,
    )
