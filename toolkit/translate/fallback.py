"""Fallback chains of translators, and ``auto``: the reference translation, else Argos.

A :class:`FallbackTranslator` uses, per language, the first translator in its chain whose
:meth:`check` passes; when none does, the last one is used, so its error (for ``auto``:
Argos's missing model, with the install command) is what the user sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.document import Speech, TranslatedSpeech
    from toolkit.options import TranslateOptions
    from toolkit.translate.base import SpeechTranslator


class FallbackTranslator:
    """The first translator of ``chain`` that can make the language (see the module doc)."""

    def __init__(self, name: str, chain: Sequence[SpeechTranslator]) -> None:
        if not chain:
            raise ValueError("a fallback chain needs at least one translator")
        self.name = name
        self.chain = tuple(chain)

    def resolve(self, speech: Speech, lang: str) -> SpeechTranslator:
        """The translator that will make ``lang``."""
        for translator in self.chain[:-1]:
            try:
                translator.check(speech, lang)
            except ToolkitError:
                continue
            return translator.resolve(speech, lang)
        return self.chain[-1].resolve(speech, lang)

    def check(self, speech: Speech, lang: str) -> None:
        """Raise the last translator's error when no translator can make ``lang``."""
        self.resolve(speech, lang).check(speech, lang)

    def identity(self, speech: Speech, lang: str) -> dict[str, Any]:
        """The chosen translator's identity."""
        return self.resolve(speech, lang).identity(speech, lang)

    def translate_speech(self, speech: Speech, lang: str) -> TranslatedSpeech:
        """The chosen translator's translation."""
        return self.resolve(speech, lang).translate_speech(speech, lang)


class AutoEngine(FallbackTranslator):
    """``auto``: the reference translation beside the source if there is one, else Argos."""

    def __init__(self, options: TranslateOptions | None = None) -> None:
        from toolkit.translate.registry import get_translator

        super().__init__(
            "auto", [get_translator("reference", options), get_translator("argos", options)]
        )
