"""Offline translation of a :class:`~toolkit.document.Speech`, sentence by sentence.

``translate_speech(speech, "fr", TranslateOptions())`` returns a
:class:`~toolkit.document.TranslatedSpeech` whose sentence IDs are exactly the speech's, each
with its provenance. This package's face: the logic lives in :mod:`toolkit.translate.service`
(the run), :mod:`~toolkit.translate.base` (the engine protocol), :mod:`~toolkit.translate.
registry` (engines by name), and one module per engine and wrapper.
"""

from __future__ import annotations

from toolkit.options import TranslateOptions
from toolkit.translate.base import DecodeHints, EngineInfo, Outcome, TranslationEngine
from toolkit.translate.registry import get_engine, get_translator
from toolkit.translate.service import (
    META_TRANSLATED,
    MachineTranslator,
    TranslationSummary,
    build_chain,
    engine_available,
    engine_problem,
    load_glossary_for,
    resolve_engine,
    summarize,
    translate_speech,
    translation_identity,
)

__all__ = [
    "DecodeHints",
    "EngineInfo",
    "META_TRANSLATED",
    "MachineTranslator",
    "Outcome",
    "TranslateOptions",
    "TranslationEngine",
    "TranslationSummary",
    "build_chain",
    "engine_available",
    "engine_problem",
    "get_engine",
    "get_translator",
    "load_glossary_for",
    "resolve_engine",
    "summarize",
    "translate_speech",
    "translation_identity",
]
