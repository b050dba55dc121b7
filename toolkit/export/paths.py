"""Output naming and atomic, change-aware writes.

Every output is written to a temporary file in the same folder and renamed into place,
so an interrupted run never leaves a partial file, and a file whose new bytes equal its
old bytes is not touched at all (a rebuild with nothing changed rewrites nothing).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import from_os_error

DEFAULT_OUT = Path("exports")
"""Default output root; each speech gets ``exports/<slug>/``."""

ZIP_DATE = (2000, 1, 1, 0, 0, 0)
"""The one timestamp of every zip member we write (zips, EPUBs): same inputs, same bytes."""


def speech_dir(out: Path, slug: str) -> Path:
    """Folder for one speech's outputs: ``<out>/<slug>/``."""
    return out / slug


def translation_path(out: Path, slug: str, lang: str) -> Path:
    """``<out>/<slug>/<slug>.<lang>.json`` (a TranslatedSpeech)."""
    return speech_dir(out, slug) / f"{slug}.{lang}.json"


def speech_json_path(out: Path, slug: str) -> Path:
    """``<out>/<slug>/<slug>.speech.json`` (the segmented source Speech)."""
    return speech_dir(out, slug) / f"{slug}.speech.json"


def pdf_path(
    out: Path, slug: str, lang: str, source_lang: str = "en", layout: str = "side-by-side"
) -> Path:
    """``<out>/<slug>/<slug>.en-<lang>.pdf``; the target-only layout is ``<slug>.<lang>.pdf``."""
    if layout == "target-only":
        return speech_dir(out, slug) / f"{slug}.{lang}.pdf"
    suffix = "" if layout == "side-by-side" else f".{layout}"
    return speech_dir(out, slug) / f"{slug}.{source_lang}-{lang}{suffix}.pdf"


def audio_path(out: Path, slug: str, lang: str) -> Path:
    """``<out>/<slug>/<slug>.<lang>.mp3``."""
    return speech_dir(out, slug) / f"{slug}.{lang}.mp3"


def transcript_path(out: Path, slug: str, lang: str) -> Path:
    """``<out>/<slug>/<slug>.<lang>.vtt``."""
    return speech_dir(out, slug) / f"{slug}.{lang}.vtt"


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``.

    On any exception (including KeyboardInterrupt) the temporary file is removed and
    ``path`` keeps its previous content. Use this for writers that want a file name
    (reportlab, gTTS, lameenc…).
    """
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # os.open with 0o666 honours the umask, so outputs get the user's usual permissions
        # (tempfile.mkstemp would leave them 0600).
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise from_os_error(exc, path.parent) from None
    try:
        yield tmp
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename is not None and str(exc.filename) != str(tmp):
            raise  # about another file (a font, an input): the CLI names that one
        # A failed write() carries only an errno: name the file the user asked for.
        raise from_os_error(OSError(exc.errno, exc.strerror, str(path))) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless it already holds exactly these bytes.

    Returns True when the file was (re)written, False when it was already up to date.
    """
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)
    return True


def write_text_atomic(path: Path, text: str) -> bool:
    """UTF-8 text version of :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode("utf-8"))
