"""Per-sentence speech cache: each sentence is synthesised once per engine, voice and options.

Entries are WAV files under ``cache_dir()/tts/<engine>/<aa>/<sha256>.wav``, keyed by the
SHA-256 of the engine signature (engine, version, voice, speed) and the exact text sent to
the engine (after the pronunciation lexicon). A rerun with nothing changed reads every
sentence from here and starts no engine at all.

Next to it, ``cache_dir()/tts-mp3/<aa>/<sha256>.mp3`` holds encoded MP3 chunks (one per
paragraph of a reading, see :mod:`toolkit.export.audio`), so an edit re-encodes only the
paragraph it touched.

Every entry is sealed: its file starts with a short magic and the SHA-256 of the bytes
that follow, checked on every read. A damaged entry (flipped bits, a truncated or
zero-filled file, an entry from an older toolkit without the seal) is deleted and counts
as missing, so it is synthesised or encoded again instead of playing wrong audio. A
cache folder that is in fact a file is never deleted (it may be someone's): writing
stops with a file-system error naming it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import tempfile
import wave
from pathlib import Path

from toolkit.config import cache_dir
from toolkit.errors import from_os_error
from toolkit.tts.base import SpeechAudio

SEAL_MAGIC = b"TKCACHE1"
"""First bytes of every sealed cache entry; the SHA-256 of the payload follows."""
_SEAL_SIZE = len(SEAL_MAGIC) + hashlib.sha256().digest_size
log = logging.getLogger(__name__)


def seal(payload: bytes) -> bytes:
    """``payload`` prefixed with the magic and its SHA-256, as stored on disk."""
    return SEAL_MAGIC + hashlib.sha256(payload).digest() + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of a sealed entry, or None if the seal is missing or does not match."""
    if len(data) < _SEAL_SIZE or not data.startswith(SEAL_MAGIC):
        return None
    digest, payload = data[len(SEAL_MAGIC) : _SEAL_SIZE], data[_SEAL_SIZE:]
    return payload if hashlib.sha256(payload).digest() == digest else None


_warned: set[Path] = set()
"""Cache folders whose first damaged entry this process has reported (one warning each)."""


def read_sealed(path: Path, root: Path | None = None) -> bytes | None:
    """The verified payload stored at ``path``; a missing entry is None, a damaged one is
    deleted (so it is recomputed and stored again) and is None too.

    The first damaged entry under ``root`` is a warning; the others are debug messages
    (``-v``), so a cache damaged wholesale gives one line, not one per sentence.
    """
    try:
        data = path.read_bytes()
    except OSError:  # missing, or a folder in the way: a miss (writing will say why)
        return None
    payload = unseal(data)
    if payload is None:
        if data.startswith(SEAL_MAGIC):
            folder = root or path.parent
            if folder in _warned:
                log.debug("Dropped the damaged cache entry %s (checksum mismatch).", path)
            else:
                _warned.add(folder)
                log.warning(
                    "Dropped the damaged cache entry %s (checksum mismatch); it is made "
                    "again. Further damaged entries in %s are dropped quietly (-v lists them).",
                    path,
                    folder,
                )
        with contextlib.suppress(OSError):  # already gone, or not ours: a miss either way
            path.unlink()
    return payload


def speech_cache_dir() -> Path:
    """``<TOOLKIT_HOME>/cache/tts``."""
    return cache_dir() / "tts"


def chunk_cache_dir() -> Path:
    """``<TOOLKIT_HOME>/cache/tts-mp3``: encoded MP3 chunks of readings."""
    return cache_dir() / "tts-mp3"


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a sealed cache entry so that a crash never leaves a truncated one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    except OSError as exc:  # e.g. a file where a cache folder belongs
        raise from_os_error(exc, path.parent) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(seal(data))
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise from_os_error(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_wav(payload: bytes | None, *, audio: bool) -> tuple[int, int, bytes] | None:
    """(samples, rate, PCM — empty unless ``audio``) of a mono 16-bit WAV payload, or None."""
    if payload is None:
        return None
    try:
        with wave.open(io.BytesIO(payload), "rb") as wav:
            if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                return None
            frames, rate = wav.getnframes(), wav.getframerate()
            pcm = wav.readframes(frames) if audio else b""
    except (EOFError, wave.Error):
        return None
    if audio and len(pcm) != 2 * frames:
        return None
    return frames, rate, pcm


class SpeechCache:
    """A folder of WAV files, one per (engine signature, text)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or speech_cache_dir()

    @staticmethod
    def key(signature: str, text: str) -> str:
        """Cache key for one utterance."""
        return hashlib.sha256(f"{signature}\0{text}".encode()).hexdigest()

    def _path(self, engine: str, key: str) -> Path:
        return self.root / engine / key[:2] / f"{key}.wav"

    def get(self, engine: str, key: str) -> SpeechAudio | None:
        """The cached audio, or None (a damaged entry is deleted and counts as missing)."""
        found = _read_wav(read_sealed(self._path(engine, key), self.root), audio=True)
        return SpeechAudio(found[2], found[1]) if found else None

    def info(self, engine: str, key: str) -> tuple[int, int] | None:
        """(samples, sample rate) of a cached entry, verified against its checksum, or None."""
        found = _read_wav(read_sealed(self._path(engine, key), self.root), audio=False)
        return (found[0], found[1]) if found else None

    def put(self, engine: str, key: str, audio: SpeechAudio) -> None:
        """Store ``audio`` atomically (a crash never leaves a truncated entry)."""
        path = self._path(engine, key)
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(audio.sample_rate)
            wav.writeframes(audio.pcm)
        _write_atomic(path, buffer.getvalue())


class ChunkCache:
    """A folder of encoded MP3 chunks (bare frames), keyed by a hash of all their inputs."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or chunk_cache_dir()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.mp3"

    def get(self, key: str) -> bytes | None:
        """The cached chunk, or None (a damaged entry is deleted and counts as missing)."""
        return read_sealed(self._path(key), self.root)

    def put(self, key: str, data: bytes) -> None:
        """Store a chunk atomically."""
        _write_atomic(self._path(key), data)
