"""Word lists for hyphenation decisions: the system's Hunspell dictionaries, read with chunspell.

When a word is broken across a line ("multi-" / "lateral", "fact-" / "finding") and the text
itself never writes it whole or hyphenated elsewhere, a spelling dictionary decides: the
joined word is a word ("multilateral") → the hyphen was the line break's; the joined form is
not, but both halves are ("fact", "finding") → the hyphen is the compound's own.

Dictionaries are Debian's ``hunspell-en-gb`` (UN spelling is British, Oxford),
``hunspell-en-us``, ``hunspell-fr-classical``, ``hunspell-es`` and ``hunspell-ru`` (installed
by ``make setup``), looked up in ``$TOOLKIT_HUNSPELL_DIR``, then
``/usr/share/hunspell``. Arabic and Chinese do not hyphenate at line breaks. Without a
dictionary the segmenter falls back to the rules of :mod:`toolkit.segment.repair`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

DICTIONARIES: dict[str, tuple[str, ...]] = {
    "en": ("en_GB", "en_US"),
    "fr": ("fr_FR", "fr"),
    "es": ("es_ES", "es"),
    "ru": ("ru_RU",),
}
"""Hunspell dictionary names to try for each language, in order."""

SEARCH_PATH: tuple[str, ...] = ("/usr/share/hunspell", "/usr/share/myspell")
"""Folders searched after ``$TOOLKIT_HUNSPELL_DIR``."""


class WordList(Protocol):
    """Can say whether a word is spelled right."""

    def knows(self, word: str) -> bool:
        """True when ``word`` is a word of the language."""
        ...


class _Hunspell:
    def __init__(self, speller: Any) -> None:
        self._speller = speller

    def knows(self, word: str) -> bool:
        return bool(self._speller.spell(word)) or bool(self._speller.spell(word.lower()))


def _folders() -> list[Path]:
    configured = os.environ.get("TOOLKIT_HUNSPELL_DIR")
    return [Path(p) for p in ([configured] if configured else []) + list(SEARCH_PATH)]


@lru_cache(maxsize=8)
def word_list(lang: str) -> WordList | None:
    """The dictionary for ``lang`` (loaded once per process), or None when there is none."""
    names = DICTIONARIES.get(lang, ())
    for folder in _folders():
        for name in names:
            if (folder / f"{name}.dic").is_file() and (folder / f"{name}.aff").is_file():
                import hunspell  # chunspell; imported only when a decision needs it

                return _Hunspell(hunspell.Hunspell(name, hunspell_data_dir=str(folder)))
    return None


__all__ = ["DICTIONARIES", "WordList", "word_list"]
