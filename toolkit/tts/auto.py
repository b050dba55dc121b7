"""Fallback speech engines, and ``auto``: gTTS when reachable, else espeak-ng, announced.

A :class:`FallbackEngine` wraps a preferred engine and an offline one. It asks its
``probe`` once, on first use, whether the preferred one can be used, and keeps the answer on
the instance (one probe per run, not per language or sentence; nothing module-wide, so a
forked worker never inherits a stale answer — a build probes once and hands the answer to
its workers as ``reachable``). When the preferred engine fails in the middle of a reading,
the renderer asks :meth:`FallbackEngine.fallback` for the offline one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from toolkit.tts.base import NORMAL_RATE, TTS, Resolution, SpeechAudio, check_rate

Probe = tuple[bool, "str | None"]
"""``(usable, why not)``: the answer of a reachability probe."""


def gtts_reachable(tld: str = "com", timeout: float = 3.0) -> Probe:
    """Whether ``translate.google.<tld>`` answers within ``timeout`` s, and why not."""
    import requests

    try:
        requests.head(f"https://translate.google.{tld}/", timeout=timeout)
    except requests.RequestException as exc:
        return False, f"{type(exc).__name__}"
    return True, None


class FallbackEngine:
    """``preferred`` when its probe says it is usable, else ``backup`` (see the module doc)."""

    def __init__(
        self,
        name: str,
        preferred: TTS,
        backup: TTS,
        probe: Callable[[], Probe],
        *,
        reachable: Probe | None = None,
        unusable: str = "is not usable",
    ) -> None:
        self.name = name
        self.preferred = preferred
        self.backup = backup
        self._probe_function = probe
        self._probe = reachable
        self._probe_lock = threading.Lock()
        self._unusable = unusable

    def probe(self) -> Probe:
        """Whether the preferred engine is usable (probed on the first call only)."""
        with self._probe_lock:
            if self._probe is None:
                self._probe = self._probe_function()
            return self._probe

    def resolve(self, lang: str) -> Resolution:
        """The preferred engine when usable, else the backup with the reason."""
        usable, why = self.probe()
        if usable:
            return Resolution(self.preferred)
        return self.fallback(lang, f"{self._unusable} ({why})")

    def fallback(self, lang: str, reason: str) -> Resolution:
        """The backup engine for ``lang``, with ``reason`` completed into a message."""
        voice = self.backup.voice(lang)
        self.backup.resolve(lang)
        return Resolution(self.backup, f"{reason}; read offline with {self._backup_label()} "
                                       f"voice {voice!r}")

    def _backup_label(self) -> str:
        return "espeak-ng" if self.backup.name == "espeak" else self.backup.name

    def voice(self, lang: str) -> str:
        """The voice of the engine that will speak."""
        return self.resolve(lang).engine.voice(lang)

    def signature(self, lang: str) -> str:
        """The signature of the engine that will speak."""
        return self.resolve(lang).engine.signature(lang)

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        """Speak with the engine :meth:`resolve` chooses."""
        return self.resolve(lang).engine.synthesize(text, lang)

    def close(self) -> None:
        """Close both engines."""
        self.preferred.close()
        self.backup.close()


class AutoEngine(FallbackEngine):
    """``auto``: gTTS when ``translate.google.<tld>`` answers, else the espeak-ng voice."""

    def __init__(
        self,
        rate: float = NORMAL_RATE,
        *,
        probe_timeout: float = 3.0,
        reachable: Probe | None = None,
        **gtts_options: Any,
    ) -> None:
        from toolkit.tts.espeak_engine import EspeakEngine
        from toolkit.tts.gtts_engine import GttsEngine

        self.rate = check_rate(rate)
        gtts = GttsEngine(rate, **gtts_options)
        super().__init__(
            "auto",
            gtts,
            EspeakEngine(rate),
            lambda: gtts_reachable(gtts.tld, probe_timeout),
            reachable=reachable,
            unusable="gTTS is not reachable",
        )
        self.gtts = gtts
        self.espeak = self.backup
