"""The translation engine protocol and the small types every engine and wrapper share.

An engine turns a list of sentences into exactly one output per input. Cross-cutting
behaviour (cache, term protection, quality flags) is a wrapper around any engine that
implements the same protocol plus :meth:`DetailedEngine.translate_detailed`, which also
reports, per sentence, whether it came from the cache and which flags it raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from toolkit.document import Speech, TranslatedSpeech

PROTOCOL_VERSION = "1"
"""Bumped whenever the way text is sent to engines changes (invalidates cached outputs)."""


@dataclass(frozen=True)
class DecodeHints:
    """Decoding adjustments a wrapper may ask for (used to retry a repetition loop)."""

    no_repeat_ngram_size: int = 0
    """Forbid repeating any n-gram of this size (0: off)."""
    repetition_penalty: float = 1.0
    """Penalty > 1 on tokens already generated (1.0: off)."""

    def is_default(self) -> bool:
        """True when no adjustment is asked for."""
        return self.no_repeat_ngram_size == 0 and self.repetition_penalty == 1.0

    def key(self) -> str:
        """Stable text form, part of cache keys."""
        return f"nr{self.no_repeat_ngram_size}|rp{self.repetition_penalty:g}"


LOOP_RETRY_HINTS = DecodeHints(no_repeat_ngram_size=3, repetition_penalty=1.2)
"""What the quality wrapper asks for when it retries a sentence that looped."""


@dataclass(frozen=True)
class EngineInfo:
    """What an engine will use for one language pair (goes into every sentence's provenance)."""

    engine: str
    """Engine name (``argos``, ``fake``…)."""
    model: str | None
    """Model package (``translate-en_fr``) or None."""
    model_version: str | None
    """Package version or None."""
    signature: str
    """Engine, model, version and decoding options in one string (part of cache keys)."""


@dataclass(frozen=True)
class Outcome:
    """One translated sentence as it leaves a wrapper chain."""

    text: str
    """The translation."""
    cached: bool = False
    """True when it came from the persistent cache."""
    flags: tuple[str, ...] = field(default=())
    """Quality flags raised so far."""


@runtime_checkable
class TranslationEngine(Protocol):
    """A machine-translation engine."""

    name: str
    """Registry name of the engine."""

    def info(self, src: str, tgt: str) -> EngineInfo:
        """Model and signature used for ``src``→``tgt`` (raises ModelError if unavailable)."""
        ...

    def translate_batch(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[str]:
        """Translate ``sentences``; return exactly one output per input, in order."""
        ...


@runtime_checkable
class SpeechTranslator(Protocol):
    """A registered engine as a run sees it: a whole :class:`Speech` into one language.

    ``argos`` and ``fake`` are sentence engines (:class:`TranslationEngine`) that the service
    wraps into one (:class:`toolkit.translate.service.MachineTranslator`); ``reference``
    aligns a human translation; ``auto`` is a fallback chain (reference, then argos).
    """

    name: str
    """Registry name."""

    def check(self, speech: Speech, lang: str) -> None:
        """Raise the error a run would (ModelError, InputError) if ``lang`` cannot be made
        here; cheap (no model loaded, nothing installed).
        """
        ...

    def resolve(self, speech: Speech, lang: str) -> SpeechTranslator:
        """The concrete translator that will make ``lang`` (itself, except for fallbacks)."""
        ...

    def identity(self, speech: Speech, lang: str) -> dict[str, Any]:
        """What decides the output (engine signature, reference file hash, glossary): the
        translation stage's key. May install a missing model it knows how to fetch.
        """
        ...

    def translate_speech(self, speech: Speech, lang: str) -> TranslatedSpeech:
        """The translation: one entry per source sentence, same IDs, provenance on each."""
        ...


@runtime_checkable
class DetailedEngine(TranslationEngine, Protocol):
    """An engine (usually a wrapper) that also reports cache hits and flags per sentence."""

    def translate_detailed(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[Outcome]:
        """Like :meth:`translate_batch`, with per-sentence details."""
        ...


def translate_detailed(
    engine: TranslationEngine,
    sentences: Sequence[str],
    src: str,
    tgt: str,
    hints: DecodeHints | None = None,
) -> list[Outcome]:
    """Call ``engine`` and return :class:`Outcome` objects, whether or not it is a wrapper."""
    if not sentences:
        return []
    if isinstance(engine, DetailedEngine):
        outcomes = engine.translate_detailed(sentences, src, tgt, hints)
    else:
        outcomes = [Outcome(text) for text in engine.translate_batch(sentences, src, tgt, hints)]
    check_one_per_input(engine, sentences, outcomes)
    return outcomes


def check_one_per_input(
    engine: object, sentences: Sequence[str], outputs: Sequence[object]
) -> None:
    """Guard the 1:1 contract: a wrong count is a bug in the engine, never silently fixed."""
    if len(outputs) != len(sentences):
        name = getattr(engine, "name", type(engine).__name__)
        raise RuntimeError(
            f"engine {name!r} returned {len(outputs)} outputs for {len(sentences)} sentences"
        )


class EngineWrapper:
    """Base for wrappers: delegates ``name``/``info`` to the wrapped engine."""

    def __init__(self, inner: TranslationEngine) -> None:
        self.inner = inner
        self.name = inner.name

    @property
    def copies_source(self) -> bool:
        """True when the innermost engine echoes its input on purpose (the fake engine)."""
        return bool(getattr(self.inner, "copies_source", False))

    def info(self, src: str, tgt: str) -> EngineInfo:
        """The wrapped engine's info."""
        return self.inner.info(src, tgt)

    def translate_batch(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[str]:
        """Texts only (see :meth:`translate_detailed`)."""
        return [o.text for o in self.translate_detailed(sentences, src, tgt, hints)]

    def translate_detailed(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[Outcome]:
        """Implemented by subclasses."""
        raise NotImplementedError


def merge_flags(*groups: Sequence[str]) -> tuple[str, ...]:
    """Union of flag groups, first-seen order, no repeats."""
    out: list[str] = []
    for group in groups:
        for flag in group:
            if flag not in out:
                out.append(flag)
    return tuple(out)
