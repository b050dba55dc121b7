"""``auto``: gTTS when it is reachable, otherwise espeak-ng for that language, announced."""

from __future__ import annotations

import threading
from typing import Any

from toolkit.tts.base import NORMAL_RATE, Resolution, SpeechAudio, check_rate
from toolkit.tts.espeak_engine import EspeakEngine
from toolkit.tts.gtts_engine import GttsEngine

Probe = tuple[bool, "str | None"]
"""``(reachable, why not)``: the answer of a gTTS reachability probe."""


def gtts_reachable(tld: str = "com", timeout: float = 3.0) -> Probe:
    """Whether ``translate.google.<tld>`` answers within ``timeout`` s, and why not."""
    import requests

    try:
        requests.head(f"https://translate.google.{tld}/", timeout=timeout)
    except requests.RequestException as exc:
        return False, f"{type(exc).__name__}"
    return True, None


class AutoEngine:
    """Prefers gTTS; falls back to the offline espeak-ng voice when gTTS cannot be reached.

    The reachability probe runs once per instance, on first use, and its answer is kept on
    the instance (one probe per run, not one per language or sentence). A build probes once
    and hands the answer to its workers as ``reachable``.
    """

    name = "auto"

    def __init__(
        self,
        rate: float = NORMAL_RATE,
        *,
        probe_timeout: float = 3.0,
        reachable: Probe | None = None,
        **gtts_options: Any,
    ) -> None:
        self.rate = check_rate(rate)
        self.probe_timeout = probe_timeout
        self.gtts = GttsEngine(rate, **gtts_options)
        self.espeak = EspeakEngine(rate)
        self._probe = reachable
        self._probe_lock = threading.Lock()

    def probe(self) -> Probe:
        """Whether gTTS is reachable (probed on the first call only)."""
        with self._probe_lock:
            if self._probe is None:
                self._probe = gtts_reachable(self.gtts.tld, self.probe_timeout)
            return self._probe

    def resolve(self, lang: str) -> Resolution:
        """gTTS when reachable, else espeak-ng with the reason."""
        reachable, why = self.probe()
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
