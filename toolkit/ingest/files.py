"""Which file is a speech, in which language, and reading it with a bound.

A source is ``<slug>.<lang>.<ext>`` (or ``<slug>.<ext>``: English). The extension picks the
reader (:data:`FORMATS`). Every read is bounded *before* it starts: a regular file by its
size, anything else (a pipe, ``/dev/stdin``) by reading at most one byte past the limit, and
devices are refused outright, so ``toolkit segment /dev/zero`` stops at once.

When several files of one language exist for one slug (``speech.fr.md`` and ``speech.fr.pdf``),
the first in :data:`PREFERENCE` wins: text someone has already cleaned beats a Word file, which
beats a web page, which beats a PDF (the format whose layout has to be guessed from most).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from toolkit.errors import InputError
from toolkit.languages import LANGUAGES

FORMATS: dict[str, str] = {
    ".md": "text",
    ".markdown": "text",
    ".txt": "text",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
"""File extension → reader (``text``, ``docx``, ``html``, ``pdf``)."""

PREFERENCE: tuple[str, ...] = (".md", ".markdown", ".txt", ".docx", ".html", ".htm", ".pdf")
"""Order in which formats of one language are preferred when several exist."""

SOURCE_SUFFIXES: tuple[str, ...] = PREFERENCE
"""Every extension a source or reference file may have."""

MiB = 1024 * 1024

_SLUG_LANG = re.compile(r"^(?P<slug>.+)\.(?P<lang>[a-z]{2})$")


def split_source_name(path: Path) -> tuple[str, str]:
    """Return ``(slug, lang)`` for ``<slug>.<lang>.<ext>``; without a UN language code: English."""
    stem = path.name
    for suffix in SOURCE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    match = _SLUG_LANG.match(stem)
    if match and match["lang"] in LANGUAGES:
        return match["slug"], match["lang"]
    return stem, "en"


def format_of(path: Path) -> str:
    """The reader for ``path`` by its extension; anything unknown is read as text."""
    return FORMATS.get(path.suffix.lower(), "text")


def find_variants(folder: Path, slug: str, lang: str) -> list[Path]:
    """Every ``<slug>.<lang>.<ext>`` file in ``folder``, best first (see :data:`PREFERENCE`)."""
    found: list[Path] = []
    for suffix in PREFERENCE:
        for candidate in (
            folder / f"{slug}.{lang}{suffix}",
            folder / f"{slug}.{lang}{suffix.upper()}",
        ):
            if candidate.is_file() and candidate not in found:
                found.append(candidate)
    return found


def find_reference_file(folder: Path, slug: str, lang: str) -> Path | None:
    """The reference translation ``<slug>.<lang>.<ext>`` in ``folder`` that is used, if any."""
    variants = find_variants(folder, slug, lang)
    return variants[0] if variants else None


def check_source_path(path: Path) -> os.stat_result:
    """Stat ``path`` for reading, or raise a one-line :class:`InputError` saying why not."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            target = path.readlink()
            raise InputError(
                f"{name} is a symbolic link to {target}, which does not exist.",
                "Point the link at the speech file, or give the file itself.",
            ) from None
        raise InputError(
            f"File not found: {name}", "Check the path; speeches live in source/."
        ) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(
                f"{name} is a symbolic link loop (it ends up pointing at itself).",
                "Replace the link with the speech file itself, or fix where it points.",
            ) from None
        raise InputError(
            f"Cannot open {name}: {exc.strerror}.", "Check the path and its permissions."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"{name} is a folder, not a speech file.", "Give one file, e.g. source/<slug>.en.md."
        )
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        raise InputError(
            f"{name} is a device, not a speech file.",
            "Give a file, e.g. source/<slug>.en.md (a pipe works too: `cat speech.md | "
            "toolkit segment /dev/stdin`).",
        )
    return info


def read_bounded(path: Path, limit: int, what: str = "speech") -> bytes:
    """All bytes of ``path``, refusing before reading when it is over ``limit`` bytes.

    A regular file is checked by its size; a pipe or other stream is read up to ``limit + 1``
    bytes and refused if that many arrive.
    """
    name = str(path)
    info = check_source_path(path)
    too_large = InputError(
        f"{name} is over {limit / MiB:g} MiB: too large for one {what}.",
        "Split the document into one file per statement.",
    )
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise InputError(
            f"{name} is {info.st_size / MiB:.1f} MiB: too large for one {what} "
            f"(limit {limit / MiB:g} MiB).",
            "Split the document into one file per statement.",
        )
    try:
        with path.open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as exc:
        raise InputError(
            f"Cannot read {name}: {exc.strerror}.", "Check the file's permissions."
        ) from None
    if len(raw) > limit:
        raise too_large
    return raw
