"""Per-sentence speech cache: each sentence is synthesised once per engine, voice and options.

Entries are WAV files under ``cache_dir()/tts/<engine>/<aa>/<sha256>.wav``, keyed by the
SHA-256 of the engine signature (engine, version, voice, speed) and the exact text sent to
the engine (after the pronunciation lexicon). A rerun with nothing changed reads every
sentence from here and starts no engine at all.

Next to it, ``cache_dir()/tts-mp3/<aa>/<sha256>.mp3`` holds encoded MP3 chunks (one per
paragraph of a reading, see :mod:`toolkit.export.audio`), so an edit re-encodes only the
paragraph it touched.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import wave
from pathlib import Path

from toolkit.config import cache_dir
from toolkit.tts.base import SpeechAudio


def speech_cache_dir() -> Path:
    """``<TOOLKIT_HOME>/cache/tts``."""
    return cache_dir() / "tts"


def chunk_cache_dir() -> Path:
    """``<TOOLKIT_HOME>/cache/tts-mp3``: encoded MP3 chunks of readings."""
    return cache_dir() / "tts-mp3"


def _write_atomic(path: Path, data: bytes) -> None:
    """Write a cache entry so that a crash never leaves a truncated one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        """The cached audio, or None (a damaged entry counts as missing)."""
        try:
            with wave.open(str(self._path(engine, key)), "rb") as wav:
                if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                    return None
                return SpeechAudio(wav.readframes(wav.getnframes()), wav.getframerate())
        except (OSError, EOFError, wave.Error):
            return None

    def info(self, engine: str, key: str) -> tuple[int, int] | None:
        """(samples, sample rate) of a cached entry without reading its audio, or None."""
        try:
            with wave.open(str(self._path(engine, key)), "rb") as wav:
                if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                    return None
                return wav.getnframes(), wav.getframerate()
        except (OSError, EOFError, wave.Error):
            return None

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
        """The cached chunk, or None."""
        try:
            return self._path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        """Store a chunk atomically."""
        _write_atomic(self._path(key), data)
