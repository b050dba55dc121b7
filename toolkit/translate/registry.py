"""Engine name → ``"module:Class"``, imported only when the engine is asked for.

Every ``--engine`` value is a registered engine: ``argos`` and ``fake`` translate sentences,
``reference`` aligns a human translation, ``auto`` is a fallback chain (reference → argos).
:func:`get_translator` gives any of them as a
:class:`~toolkit.translate.base.SpeechTranslator`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from toolkit.errors import InputError
from toolkit.registry import load_registered

if TYPE_CHECKING:
    from toolkit.options import TranslateOptions
    from toolkit.translate.base import SpeechTranslator, TranslationEngine

ENGINES: dict[str, str] = {
    "auto": "toolkit.translate.fallback:AutoEngine",
    "argos": "toolkit.translate.argos:ArgosEngine",
    "reference": "toolkit.translate.reference_engine:ReferenceEngine",
    "fake": "toolkit.translate.fake:FakeEngine",
}
"""Every engine ``--engine`` accepts, in the order ``--help`` lists them."""


def engine_names() -> list[str]:
    """Names accepted by :func:`get_translator`."""
    return list(ENGINES)


def check_mode(name: str) -> str:
    """Validate an ``--engine`` value; return it normalised."""
    value = name.strip().lower()
    if value not in ENGINES:
        raise InputError(
            f"Unknown translation engine {name!r}.", f"Use one of: {', '.join(ENGINES)}."
        )
    return value


def _create(name: str, options: TranslateOptions | None) -> Any:
    cls = load_registered(
        ENGINES,
        name.strip().lower(),
        kind="translation engine",
        choices=engine_names(),
        install_hint=lambda exc: (
            "Reinstall the toolkit with its dependencies: `uv sync` (or `pip install toolkit`)."
        ),
    )
    return cls(options)


def get_engine(name: str, options: TranslateOptions | None = None) -> TranslationEngine:
    """The *sentence* engine registered as ``name`` (``argos``, ``fake``) with ``options``."""
    from toolkit.translate.base import TranslationEngine

    engine = _create(name, options)
    if not isinstance(engine, TranslationEngine):
        raise InputError(
            f"The {name!r} engine translates whole speeches, not sentences.",
            "Use argos or fake here.",
        )
    return cast("TranslationEngine", engine)


def get_translator(name: str, options: TranslateOptions | None = None) -> SpeechTranslator:
    """The engine registered as ``name``, as a translator of whole speeches."""
    from toolkit.translate.base import TranslationEngine

    engine = _create(name, options)
    if isinstance(engine, TranslationEngine):
        from toolkit.options import TranslateOptions
        from toolkit.translate.service import MachineTranslator

        return MachineTranslator(engine, options or TranslateOptions(engine=name))
    return cast("SpeechTranslator", engine)
