"""Pronunciation lexicons: how acronyms and citations are *said*, applied before TTS.

One TSV per language, ``toolkit/data/lexicon/<lang>.tsv``, read top to bottom::

    # comment
    CTED<TAB>C-TED                                  literal: whole word, case-sensitive
    re:\\bresolution (\\d\\d)(\\d\\d)\\b<TAB>resolution \\1 \\2   regex (Python ``re``, \\1 groups)

A literal entry made of Latin or Cyrillic letters matches only as a whole word (no letter
of those scripts right before or after it), so ``CSO`` does not fire inside ``CSOs`` and
``CTED’s`` still becomes ``C-TED’s``. Chinese and Arabic entries match anywhere, since
those scripts do not separate words the same way. The transcript always shows the
original text; only the engine hears the spoken form.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from toolkit.errors import InputError
from toolkit.languages import get_language

_WORD_CHAR = "A-Za-z\u00c0-\u024f\u0400-\u04ff"


@dataclass(frozen=True)
class LexiconEntry:
    """One substitution."""

    pattern: re.Pattern[str]
    """Compiled pattern (literal entries are escaped and given word boundaries)."""
    spoken: str
    """Replacement (regex entries may use ``\\1`` group references)."""
    line: int
    """Line number in the file, for error messages."""


@dataclass(frozen=True)
class Lexicon:
    """An ordered list of substitutions for one language."""

    lang: str
    entries: tuple[LexiconEntry, ...]

    def apply(self, text: str) -> str:
        """The spoken form of ``text``: every entry applied in file order."""
        for entry in self.entries:
            text = entry.pattern.sub(entry.spoken, text)
        return text

    def __add__(self, other: Lexicon) -> Lexicon:
        return Lexicon(self.lang, self.entries + other.entries)


def parse_lexicon(text: str, lang: str, origin: str = "<lexicon>") -> Lexicon:
    """Parse TSV lexicon text; InputError names the line of a malformed entry."""
    entries: list[LexiconEntry] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0]:
            raise InputError(
                f"{origin}:{number}: expected 'written<TAB>spoken', got {line!r}.",
                "Separate the written and spoken forms with one tab character.",
            )
        written, spoken = fields[0], fields[1]
        try:
            if written.startswith("re:"):
                pattern = re.compile(written[3:])
                pattern.sub(spoken, "")  # reject bad group references now, not mid-run
            else:
                before = f"(?<![{_WORD_CHAR}])" if re.match(f"[{_WORD_CHAR}]", written) else ""
                after = f"(?![{_WORD_CHAR}])" if re.search(f"[{_WORD_CHAR}]$", written) else ""
                pattern = re.compile(before + re.escape(written) + after)
                spoken = spoken.replace("\\", "\\\\")
        except (re.error, IndexError) as exc:
            raise InputError(
                f"{origin}:{number}: bad regular expression: {exc}.",
                "Fix the pattern (Python `re` syntax) or drop the 're:' prefix.",
            ) from None
        entries.append(LexiconEntry(pattern, spoken, number))
    return Lexicon(lang, tuple(entries))


@functools.cache
def bundled_lexicon(lang: str) -> Lexicon:
    """The lexicon shipped for ``lang`` (empty when none is shipped)."""
    code = get_language(lang).code
    resource = resources.files("toolkit") / "data" / "lexicon" / f"{code}.tsv"
    if not resource.is_file():
        return Lexicon(code, ())
    return parse_lexicon(resource.read_text(encoding="utf-8"), code, f"lexicon/{code}.tsv")


def load_lexicon(lang: str, extra: Path | None = None) -> Lexicon:
    """The user's ``extra`` lexicon (applied first, so it can override) plus the bundled one."""
    bundled = bundled_lexicon(lang)
    if extra is None:
        return bundled
    try:
        text = extra.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read lexicon {extra}: {exc}.") from None
    return parse_lexicon(text, bundled.lang, str(extra)) + bundled
