"""TTS engines by name: ``name → "module:Class"``, imported only when asked for."""

from __future__ import annotations

import importlib
from typing import Any, cast

from toolkit.errors import DependencyError, InputError
from toolkit.tts.base import TTS

ENGINES: dict[str, str] = {
    "auto": "toolkit.tts.auto:AutoEngine",
    "gtts": "toolkit.tts.gtts_engine:GttsEngine",
    "espeak": "toolkit.tts.espeak_engine:EspeakEngine",
    "silent": "toolkit.tts.silent:SilentEngine",
}
"""Registered engines. ``auto`` prefers gTTS and falls back to espeak when offline."""

_PACKAGES = {"gtts": "gTTS soundfile", "espeak": "espeakng-loader"}


def create_engine(name: str, **options: Any) -> TTS:
    """Build the engine registered as ``name`` with keyword options (``rate`` …)."""
    try:
        target = ENGINES[name]
    except KeyError:
        raise InputError(
            f"Unknown TTS engine {name!r}.", f"Use one of: {', '.join(ENGINES)}."
        ) from None
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise DependencyError(
            f"The {name} TTS engine cannot be loaded: {exc}.",
            f"Install its packages: uv add {_PACKAGES.get(name, exc.name or '')}.",
        ) from None
    return cast(TTS, getattr(module, class_name)(**options))
