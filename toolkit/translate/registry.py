"""Engine name → ``"module:Class"``, imported only when the engine is asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from toolkit.errors import InputError
from toolkit.registry import load_registered

if TYPE_CHECKING:
    from toolkit.translate import TranslateOptions
    from toolkit.translate.base import TranslationEngine

ENGINES: dict[str, str] = {
    "argos": "toolkit.translate.argos:ArgosEngine",
    "fake": "toolkit.translate.fake:FakeEngine",
}
"""Machine-translation engines. ``reference`` and ``auto`` are not engines but dispatch
modes of :func:`toolkit.translate.translate_speech` (a reference is aligned, not translated)."""

MODES: tuple[str, ...] = ("auto", "argos", "reference", "fake")
"""Every value ``--engine`` accepts."""


def engine_names() -> list[str]:
    """Names accepted by :func:`get_engine`."""
    return sorted(ENGINES)


def check_mode(name: str) -> str:
    """Validate an ``--engine`` value; return it normalised."""
    value = name.strip().lower()
    if value not in MODES:
        raise InputError(
            f"Unknown translation engine {name!r}.",
            f"Use one of: {', '.join(MODES)}.",
        )
    return value


def get_engine(name: str, options: TranslateOptions | None = None) -> TranslationEngine:
    """Create the engine registered as ``name`` with ``options``."""
    cls = load_registered(
        ENGINES,
        name.strip().lower(),
        kind="translation engine",
        choices=engine_names(),
        install_hint=lambda exc: (
            "Reinstall the toolkit with its dependencies: `uv sync` (or `pip install toolkit`)."
        ),
    )
    return cast("TranslationEngine", cls(options))
