"""Name → ``"module:Class"`` registries, imported only when an entry is asked for.

Translation and TTS engines are chosen by name; their heavy libraries (CTranslate2, gTTS,
espeak-ng) load only when that engine is used, and a missing one says what to install.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from toolkit.errors import DependencyError, InputError


def load_registered(
    registry: Mapping[str, str],
    name: str,
    *,
    kind: str,
    choices: Iterable[str],
    install_hint: Callable[[ImportError], str],
) -> Any:
    """The class registered as ``name``, its module imported now.

    Raises InputError for an unknown name (listing ``choices``) and DependencyError when the
    module cannot be imported (with ``install_hint(error)`` as the hint).
    """
    try:
        target = registry[name]
    except KeyError:
        raise InputError(
            f"Unknown {kind} {name!r}.", f"Use one of: {', '.join(choices)}."
        ) from None
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise DependencyError(
            f"The {name} {kind} cannot be loaded: {exc}.", install_hint(exc)
        ) from None
    return getattr(module, class_name)
