"""Quality flags on machine-translated sentences, as a wrapper around any engine.

Each sentence is checked for the failure modes seen in Argos output (FIELD-NOTES): empty
output, the source copied through untranslated, repetition loops, numbers that do not
match, and a length out of proportion with the source (scaled by
:attr:`toolkit.languages.Language.chars_per_source_char`). A looping sentence is retried
once with ``no_repeat_ngram_size``/``repetition_penalty``; what is still wrong afterwards
is flagged for a reviewer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from toolkit.languages import get_language
from toolkit.translate.base import (
    LOOP_RETRY_HINTS,
    DecodeHints,
    EngineWrapper,
    Outcome,
    TranslationEngine,
    merge_flags,
    translate_detailed,
)

FLAG_EMPTY = "empty"
FLAG_COPIED = "copied-source"
FLAG_LOOP = "repetition-loop"
FLAG_RETRIED = "loop-retried"
FLAG_NUMBERS = "number-mismatch"
FLAG_LENGTH = "length-ratio"

ALL_FLAGS: tuple[str, ...] = (
    FLAG_EMPTY,
    FLAG_COPIED,
    FLAG_LOOP,
    FLAG_RETRIED,
    FLAG_NUMBERS,
    FLAG_LENGTH,
    "glossary-missing",
    "placeholder-lost",
    "placeholder-repeated",
)
"""Every flag the translation wrappers can raise (documented in the README)."""

MIN_RATIO = 0.4
"""Output shorter than this fraction of the expected length is flagged."""
MAX_RATIO = 2.5
"""Output longer than this multiple of the expected length is flagged."""
MIN_CHARS_FOR_RATIO = 20
"""Short sources (``Thank you.``) vary too much to judge by length."""

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)
_NUMBER = re.compile(r"(?:\d{1,3}(?:[ \u00a0\u202f\u2009.,'’]\d{3}(?!\d))+|\d+)(?:[.,]\d+(?!\d))?")


def numbers(text: str) -> list[str]:
    """Numbers in ``text`` as plain digit strings (separators and digit scripts unified)."""
    found = []
    for m in _NUMBER.finditer(text.translate(_DIGITS)):
        found.append(re.sub(r"\D", "", m.group(0)))
    return sorted(found)


def _units(text: str, lang: str) -> list[str]:
    if lang == "zh":
        return [c for c in text if not c.isspace() and unicodedata.category(c)[0] != "P"]
    return re.findall(r"\w+", text.casefold())


def has_loop(text: str, lang: str, source: str | None = None) -> bool:
    """True when some 1–6-unit sequence repeats back to back (4× for one unit, 3× otherwise)."""
    units = _units(text, lang)
    for n in range(1, 7):
        need = 4 if n == 1 else 3
        for i in range(0, len(units) - n * need + 1):
            gram = units[i : i + n]
            if all(units[i + k * n : i + (k + 1) * n] == gram for k in range(1, need)):
                return not (source is not None and has_loop(source, "en"))
    return False


def is_copied(source: str, output: str, tgt: str) -> bool:
    """True when ``output`` is (mostly) the English source passed through."""
    src_words = re.findall(r"\w+", source.casefold())
    if len(src_words) < 4:
        return False
    if _normalise(source) == _normalise(output):
        return True
    script = get_language(tgt).script
    letters = [c for c in output if c.isalpha()]
    if script != "Latn" and letters:
        latin = sum(1 for c in letters if c.isascii())
        return latin / len(letters) > 0.6
    out_words = re.findall(r"\w+", output.casefold())
    if len(out_words) < 4:
        return False
    vocab = set(src_words)
    same = sum(1 for w in out_words if w in vocab and not w.isdigit())
    return same / len(out_words) > 0.8


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def length_ratio(source: str, output: str, tgt: str) -> float:
    """Output length over the expected length for ``tgt`` (1.0 = typical)."""
    expected = len(source) * get_language(tgt).chars_per_source_char
    return len(output) / expected if expected else 1.0


def check_sentence(
    source: str, output: str, src: str, tgt: str, *, copies_source: bool = False
) -> tuple[str, ...]:
    """Flags for one translated sentence.

    ``copies_source`` (the fake engine) skips the copy and length checks, which its
    ``[fr] <source>`` output would always fail.
    """
    if not source.strip():
        return ()
    if not output.strip():
        return (FLAG_EMPTY,)
    flags: list[str] = []
    if not copies_source and tgt != src and is_copied(source, output, tgt):
        flags.append(FLAG_COPIED)
    if has_loop(output, tgt, source):
        flags.append(FLAG_LOOP)
    if numbers(source) != numbers(output):
        flags.append(FLAG_NUMBERS)
    if len(source) >= MIN_CHARS_FOR_RATIO and not copies_source:
        ratio = length_ratio(source, output, tgt)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            flags.append(FLAG_LENGTH)
    return tuple(flags)


class QualityEngine(EngineWrapper):
    """Flag suspicious output; retry looping sentences once with anti-repetition decoding."""

    def __init__(self, inner: TranslationEngine, *, retry_loops: bool = True) -> None:
        super().__init__(inner)
        self.retry_loops = retry_loops

    def translate_detailed(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[Outcome]:
        """Translate, check, retry loops once (in one call), and attach flags."""
        outcomes = translate_detailed(self.inner, sentences, src, tgt, hints)
        copies = self.copies_source
        flags = [
            check_sentence(s, o.text, src, tgt, copies_source=copies)
            for s, o in zip(sentences, outcomes, strict=True)
        ]
        looping = [i for i, f in enumerate(flags) if FLAG_LOOP in f]
        retried: set[int] = set()
        if looping and self.retry_loops and (hints is None or hints.is_default()):
            again = translate_detailed(
                self.inner, [sentences[i] for i in looping], src, tgt, LOOP_RETRY_HINTS
            )
            for i, outcome in zip(looping, again, strict=True):
                outcomes[i] = outcome
                flags[i] = check_sentence(
                    sentences[i], outcome.text, src, tgt, copies_source=copies
                )
                retried.add(i)
        return [
            Outcome(
                o.text,
                o.cached,
                merge_flags(o.flags, f, (FLAG_RETRIED,) if i in retried else ()),
            )
            for i, (o, f) in enumerate(zip(outcomes, flags, strict=True))
        ]
