"""Path → :class:`SourceText`: read bytes, refuse what is not text, decode, normalise.

Accepted: UTF-8 (with or without BOM), UTF-16 with BOM, and — when the bytes are not
UTF-8 but read cleanly as Windows-1252/Latin-1 — legacy single-byte files. Refused with a
one-line error and a hint: missing paths, folders, empty files, binary files, files
too large to be a speech, and bytes that decode as nothing sensible.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from toolkit.document import SourceText
from toolkit.errors import InputError
from toolkit.languages import LANGUAGES

MAX_SOURCE_BYTES = 5 * 1024 * 1024
"""A speech is tens of kilobytes; anything past 5 MiB is not one (and would be slow to typeset)."""

_SLUG_LANG = re.compile(r"^(?P<slug>.+)\.(?P<lang>[a-z]{2})$")
# C0 controls other than tab, newline, carriage return and form feed (PDF page breaks).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def split_source_name(path: Path) -> tuple[str, str]:
    """Return ``(slug, lang)`` for ``<slug>.<lang>.md``; without a UN language code: English."""
    stem = path.name
    for suffix in (".md", ".txt", ".markdown"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    match = _SLUG_LANG.match(stem)
    if match and match["lang"] in LANGUAGES:
        return match["slug"], match["lang"]
    return stem, "en"


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Decode ``raw`` into text; return ``(text, encoding)`` or raise :class:`InputError`."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in raw:
            raise InputError(
                f"{name} looks like a binary file (it contains NUL bytes), not a speech.",
                "Extract the text first (e.g. `pdftotext -layout speech.pdf speech.en.md`) "
                "and save it as UTF-8.",
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


def read_source(path: Path | str, lang: str | None = None) -> SourceText:
    """Read a speech file into a :class:`SourceText`, or raise :class:`InputError`."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(f"File not found: {name}", "Check the path; speeches live in source/.")
    if path.is_dir():
        raise InputError(
            f"{name} is a folder, not a speech file.", "Give one file, e.g. source/<slug>.en.md."
        )
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise InputError(
            f"{name} is {size / 1_048_576:.1f} MiB: too large for one speech "
            f"(limit {MAX_SOURCE_BYTES // 1_048_576} MiB).",
            "Split the document into one file per statement.",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"Cannot read {name}: {exc.strerror}.", "Check the file's permissions."
        ) from None
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
