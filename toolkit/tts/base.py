"""The TTS protocol and the PCM result type every engine returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from toolkit.errors import InputError

SAMPLE_WIDTH = 2
"""Bytes per sample: every engine returns signed 16-bit little-endian mono PCM."""

NORMAL_RATE = 1.0
MIN_RATE = 0.5
MAX_RATE = 2.5


@dataclass(frozen=True)
class SpeechAudio:
    """One synthesised utterance: mono 16-bit PCM."""

    pcm: bytes
    """Signed 16-bit little-endian mono samples."""
    sample_rate: int
    """Samples per second (espeak-ng: 22,050; gTTS: 24,000)."""

    @property
    def n_samples(self) -> int:
        """Number of samples."""
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.n_samples / self.sample_rate


@dataclass(frozen=True)
class Resolution:
    """The concrete engine chosen for one language, and why (for ``auto``)."""

    engine: TTS
    """The engine that will actually speak (never ``auto``)."""
    fallback_reason: str | None = None
    """Why the preferred engine was not used, or None."""


@runtime_checkable
class TTS(Protocol):
    """A text-to-speech engine.

    Engines are built by :func:`toolkit.tts.create_engine` with the run's options (speed);
    one instance serves every language. ``signature`` must change whenever the audio for
    the same text could change: it keys the sentence cache.
    """

    name: str
    """Registry name (``gtts``, ``espeak``, ``silent``, ``auto``)."""

    def voice(self, lang: str) -> str:
        """Voice or language code used for ``lang``; DependencyError when there is none."""
        ...

    def signature(self, lang: str) -> str:
        """Stable description of engine, version, voice and options for ``lang``."""
        ...

    def resolve(self, lang: str) -> Resolution:
        """The concrete engine that will speak ``lang`` (itself, except for wrappers)."""
        ...

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        """Speak ``text`` (already normalised for pronunciation) in ``lang``."""
        ...

    def close(self) -> None:
        """Release worker processes or sessions; the engine may not be used afterwards."""
        ...


def check_rate(rate: float) -> float:
    """Validate a speed factor (1.0 = the engine's normal speed)."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise InputError(
            f"Speech rate {rate} is out of range.",
            f"Give --rate as a speed factor between {MIN_RATE} and {MAX_RATE} (1.0 = normal).",
        )
    return rate


def check_text(text: str) -> str:
    """Refuse empty text (nothing to say is a caller error, not silence)."""
    if not text or not text.strip():
        raise InputError("Nothing to speak: the text is empty.", "Give a non-empty sentence.")
    return text
