"""A deterministic test engine: silence whose length is proportional to the text."""

from __future__ import annotations

from toolkit.document import Signature
from toolkit.languages import get_language
from toolkit.tts.base import NORMAL_RATE, Resolution, SpeechAudio, check_rate, check_text

SILENT_SAMPLE_RATE = 22_050
SECONDS_PER_CHAR = 0.06
"""About 15 characters per second, a typical reading speed."""


class SilentEngine:
    """Speaks nothing, for tests and dry runs; never touches the network or a library."""

    name = "silent"

    def __init__(self, rate: float = NORMAL_RATE, **_: object) -> None:
        self.rate = check_rate(rate)
        self.calls = 0
        """Number of synthesize() calls (tests count them to prove the cache works)."""

    def voice(self, lang: str) -> str:
        """Voice (or language code) used for ``lang``."""
        return get_language(lang).code

    def signature(self, lang: str) -> str:
        """This engine's :class:`~toolkit.document.Signature` for ``lang``, as text."""
        return str(Signature.of(engine="silent", version=1, voice=self.voice(lang),
                                rate=f"{self.rate:g}"))

    def resolve(self, lang: str) -> Resolution:
        """Itself (after checking that ``lang`` has a voice)."""
        self.voice(lang)
        return Resolution(self)

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        """Speak ``text`` in ``lang``: mono 16-bit PCM."""
        check_text(text)
        self.voice(lang)
        self.calls += 1
        seconds = max(0.2, len(text.strip()) * SECONDS_PER_CHAR / self.rate)
        n = round(seconds * SILENT_SAMPLE_RATE)
        return SpeechAudio(bytes(2 * n), SILENT_SAMPLE_RATE)

    def close(self) -> None:
        """Release what the engine holds."""
        return None
