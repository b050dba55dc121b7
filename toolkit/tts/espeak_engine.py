"""Offline TTS: libespeak-ng 1.52 from ``espeakng-loader``, one worker process per voice.

Never Debian's ``espeak-ng`` command (1.51 reads Mandarin tone numbers aloud in English).
Voices: en fr es ru ar cmn (``zh`` → ``cmn``), 22,050 Hz mono 16-bit.
"""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from toolkit.document import Signature
from toolkit.errors import DependencyError, ToolkitError
from toolkit.languages import get_language
from toolkit.tts._espeak_worker import HEADER, REQUEST
from toolkit.tts.base import NORMAL_RATE, Resolution, SpeechAudio, check_rate, check_text

ESPEAK_NORMAL_WPM = 175
"""espeak-ng's default speed; ``rate`` multiplies it."""
ESPEAK_VERSION = "1.52"
_HINT = "Reinstall the toolkit's dependencies (`uv sync`): espeakng-loader ships the voices."


@functools.cache
def _voice_files() -> frozenset[str]:
    """Names of the voice files in espeakng-loader's data (walked once per process)."""
    try:
        import espeakng_loader

        lang_dir = Path(espeakng_loader.get_data_path()) / "lang"
    except (ImportError, RuntimeError):
        return frozenset()
    return frozenset(path.name for path in lang_dir.rglob("*") if path.is_file())


def _voice_available(voice: str) -> bool:
    """Whether espeakng-loader's data has a voice file called ``voice``."""
    return voice in _voice_files()


class EspeakWorker:
    """One ``_espeak_worker`` process speaking one voice; calls are serialised by a lock."""

    def __init__(self, voice: str) -> None:
        self.voice = voice
        self.lock = threading.Lock()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "toolkit.tts._espeak_worker", voice],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        status, value = self._read_header()
        if status != 0:
            message = self._read(value).decode("utf-8", "replace")
            self.close()
            raise DependencyError(f"espeak-ng voice {voice!r} is not available: {message}.", _HINT)
        self.sample_rate = value

    def _stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    def _read(self, n: int) -> bytes:
        assert self.process.stdout is not None
        data = b""
        while len(data) < n:
            chunk = self.process.stdout.read(n - len(data))
            if not chunk:
                raise ToolkitError(
                    f"The espeak-ng worker for {self.voice!r} stopped unexpectedly.",
                    "Run again with -v; if it persists, report it with the sentence that failed.",
                )
            data += chunk
        return data

    def _read_header(self) -> tuple[int, int]:
        status, value = HEADER.unpack(self._read(HEADER.size))
        return int(status), int(value)

    def speak(self, text: str, wpm: int) -> bytes:
        """16-bit PCM of ``text`` spoken at ``wpm`` words per minute by this worker's voice."""
        payload = text.encode("utf-8")
        with self.lock:
            stdin = self._stdin()
            stdin.write(REQUEST.pack(wpm, len(payload)) + payload)
            stdin.flush()
            status, size = self._read_header()
            data = self._read(size)
        if status != 0:
            raise ToolkitError(f"espeak-ng failed on {text[:40]!r}: {data.decode()}.")
        return data

    def close(self) -> None:
        """Stop the worker process (it is killed if it does not exit in time)."""
        # Close both pipes before waiting: a worker interrupted mid-reply (Ctrl-C) is blocked
        # writing audio nobody will read, and only a broken pipe lets it exit.
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe:
                with contextlib.suppress(OSError):
                    pipe.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class EspeakEngine:
    """Offline espeak-ng voices; the speed factor scales 175 words per minute."""

    name = "espeak"

    def __init__(
        self,
        rate: float = NORMAL_RATE,
        *,
        voices: Mapping[str, str] | None = None,
        **_: object,
    ) -> None:
        """``voices`` overrides the language table's voice per language (``{"fr": "fr-be"}``)."""
        self.rate = check_rate(rate)
        self.voices = dict(voices or {})
        self.wpm = max(80, min(450, round(ESPEAK_NORMAL_WPM * rate)))
        self._workers: dict[str, EspeakWorker] = {}
        self._lock = threading.Lock()
        self.calls = 0

    def voice(self, lang: str) -> str:
        """Voice (or language code) used for ``lang``."""
        code = get_language(lang).code
        voice = self.voices.get(code) or get_language(code).espeak_voice
        if not voice or not _voice_available(voice):
            raise DependencyError(
                f"espeak-ng has no voice {voice!r} for language {code!r}.",
                f"{_HINT} Or read {code} online with --tts gtts.",
            )
        return voice

    def signature(self, lang: str) -> str:
        """This engine's :class:`~toolkit.document.Signature` for ``lang``, as text."""
        return str(
            Signature.of(engine="espeak-ng", version=ESPEAK_VERSION, voice=self.voice(lang),
                         wpm=self.wpm)
        )

    def resolve(self, lang: str) -> Resolution:
        """Itself (after checking that ``lang`` has a voice)."""
        # Checks the voice file only: a worker starts on the first uncached sentence, so a
        # fully cached rebuild never starts one.
        self.voice(lang)
        return Resolution(self)

    def _worker(self, lang: str) -> EspeakWorker:
        voice = self.voice(lang)
        with self._lock:
            worker = self._workers.get(voice)
            if worker is None or worker.process.poll() is not None:
                worker = self._workers[voice] = EspeakWorker(voice)
            return worker

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        """Speak ``text`` in ``lang``: mono 16-bit PCM."""
        check_text(text)
        worker = self._worker(lang)
        self.calls += 1
        pcm = worker.speak(text, self.wpm)
        return SpeechAudio(pcm, worker.sample_rate)

    def close(self) -> None:
        """Release what the engine holds."""
        with self._lock:
            for worker in self._workers.values():
                worker.close()
            self._workers.clear()

    def __del__(self) -> None:  # a forgotten close() must not leave worker processes behind
        try:
            self.close()
        except Exception:  # noqa: S110 - interpreter shutdown; nothing left to report to
            return


__all__ = ["ESPEAK_NORMAL_WPM", "HEADER", "REQUEST", "EspeakEngine", "EspeakWorker"]
