"""The ``reference`` engine: a human translation beside the source, aligned to its IDs.

The file and the translation built from it are :mod:`toolkit.translate.reference` (the
alignment :mod:`toolkit.translate.reference_align`); this is the engine face the registry
hands out, so a run never asks "is this the reference engine?".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import InputError

if TYPE_CHECKING:
    from toolkit.document import Speech, TranslatedSpeech
    from toolkit.options import TranslateOptions


class ReferenceEngine:
    """Aligns ``source/<slug>.<lang>.md`` (or ``.txt``) to the English sentence IDs."""

    name = "reference"

    def __init__(self, options: TranslateOptions | None = None) -> None:
        self.options = options

    @staticmethod
    def find(speech: Speech, lang: str) -> Path | None:
        """The reference file for ``lang`` beside the speech's source, if there is one."""
        from toolkit.translate.reference import find_reference

        return find_reference(speech, lang)

    def _path(self, speech: Speech, lang: str) -> Path:
        path = self.find(speech, lang)
        if path is None:
            raise InputError(
                f"No reference translation for {lang}: expected source/{speech.slug}.{lang}.md "
                "beside the source.",
                "Add the official translation there, or use `--engine argos`.",
            )
        return path

    def check(self, speech: Speech, lang: str) -> None:
        """InputError when there is no reference file for ``lang``."""
        self._path(speech, lang)

    def resolve(self, speech: Speech, lang: str) -> ReferenceEngine:
        """Itself."""
        return self

    def identity(self, speech: Speech, lang: str) -> dict[str, Any]:
        """The reference file and its SHA-256."""
        from toolkit.export.paths import sha256_file

        path = self._path(speech, lang)
        return {"engine": self.name, "reference": str(path), "sha256": sha256_file(path)}

    def translate_speech(self, speech: Speech, lang: str) -> TranslatedSpeech:
        """Align the reference to ``speech``."""
        from toolkit.translate.reference import translate_with_reference

        return translate_with_reference(speech, lang, self._path(speech, lang))
