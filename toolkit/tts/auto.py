"""``auto``: gTTS when it is reachable, otherwise espeak-ng for that language, announced."""

from __future__ import annotations

import threading
import time
from typing import Any

from toolkit.tts.base import NORMAL_RATE, Resolution, SpeechAudio, check_rate
from toolkit.tts.espeak_engine import EspeakEngine
from toolkit.tts.gtts_engine import GttsEngine

PROBE_TTL = 600.0
"""Seconds a reachability answer is reused: one cheap probe per run, not per language."""

# (tld) -> (monotonic time, reachable, reason). A process-wide memo on purpose: the CLI and
# the pipeline render each language separately, and probing once per language would cost
# a timeout per language when the network hangs.
_PROBES: dict[str, tuple[float, bool, str | None]] = {}
_PROBES_LOCK = threading.Lock()


def reset_probe_cache() -> None:
    """Forget earlier reachability answers (tests, or after the network changed)."""
    with _PROBES_LOCK:
        _PROBES.clear()


def gtts_reachable(tld: str = "com", timeout: float = 3.0) -> tuple[bool, str | None]:
    """Whether ``translate.google.<tld>`` answers within ``timeout`` s, and why not."""
    import requests

    with _PROBES_LOCK:
        known = _PROBES.get(tld)
        if known and time.monotonic() - known[0] < PROBE_TTL:
            return known[1], known[2]
        try:
            requests.head(f"https://translate.google.{tld}/", timeout=timeout)
            answer: tuple[bool, str | None] = (True, None)
        except requests.RequestException as exc:
            answer = (False, f"{type(exc).__name__}")
        _PROBES[tld] = (time.monotonic(), *answer)
        return answer


class AutoEngine:
    """Prefers gTTS; falls back to the offline espeak-ng voice when gTTS cannot be reached."""

    name = "auto"

    def __init__(
        self, rate: float = NORMAL_RATE, *, probe_timeout: float = 3.0, **gtts_options: Any
    ) -> None:
        self.rate = check_rate(rate)
        self.probe_timeout = probe_timeout
        self.gtts = GttsEngine(rate, **gtts_options)
        self.espeak = EspeakEngine(rate)

    def resolve(self, lang: str) -> Resolution:
        reachable, why = gtts_reachable(self.gtts.tld, self.probe_timeout)
        if reachable:
            return Resolution(self.gtts)
        return self.fallback(lang, f"gTTS is not reachable ({why})")

    def fallback(self, lang: str, reason: str) -> Resolution:
        """espeak-ng for ``lang``, with ``reason`` completed into a message for the user."""
        voice = self.espeak.voice(lang)
        self.espeak.resolve(lang)
        return Resolution(self.espeak, f"{reason}; read offline with espeak-ng voice {voice!r}")

    def voice(self, lang: str) -> str:
        return self.resolve(lang).engine.voice(lang)

    def signature(self, lang: str) -> str:
        return self.resolve(lang).engine.signature(lang)

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        return self.resolve(lang).engine.synthesize(text, lang)

    def close(self) -> None:
        self.gtts.close()
        self.espeak.close()
