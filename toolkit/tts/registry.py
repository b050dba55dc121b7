"""TTS engines by name: ``name → "module:Class"``, imported only when asked for."""

from __future__ import annotations

from typing import Any, cast

from toolkit.registry import load_registered
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
    cls = load_registered(
        ENGINES,
        name,
        kind="TTS engine",
        choices=ENGINES,
        install_hint=lambda exc: (
            f"Install its packages: uv add {_PACKAGES.get(name, exc.name or '')}."
        ),
    )
    return cast(TTS, cls(**options))
