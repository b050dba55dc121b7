"""A rule-based sentence splitter for the six UN languages.

:func:`split_sentences` returns character spans, so segmentation is reversible: every
non-space character of the text is in exactly one span, in order, and
``text[start:end]`` is the sentence (pySBD keeps spans for the same reason).

The rules, in the order they are applied to each candidate boundary:

* Candidates are runs of terminal punctuation: ``. ! ? …`` everywhere, Arabic ``؟``,
  and the full-width ``。 ！ ？ ．`` of Chinese. The Arabic comma ``،`` and semicolon ``؛``
  and the full-width ``；`` never end a sentence (they join clauses, as ``;`` does).
* Never inside matched brackets: ``(…)``, ``[…]``, ``（…）``, ``《…》``… — citations such as
  "resolution 1624 (2005), …" stay whole — nor inside Spanish ``¿…?`` and ``¡…!``.
* Closing quotes after the terminator stay with the sentence (``."``, ``。”``, ``. »``).
* Latin-script languages need white space and then a sentence start (a capital, an
  uncased letter such as Arabic, a digit, or an opening quote or bracket before one):
  "e.g. the" and "3.5" do not split. Chinese full-width terminators split without space.
* After a full stop, not after an abbreviation of the language (see
  :mod:`toolkit.segment.abbreviations`), an initial ("J. Smith"), a dotted acronym
  ("U.N.", "т.е.") or a list number at the start of the paragraph ("1.").
"""

from __future__ import annotations

import re

from toolkit.segment.abbreviations import abbreviations, before_numbers, sentence_final

_BRACKETS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "（": "）",
    "［": "］",
    "【": "】",
    "《": "》",
    "〔": "〕",
    "¿": "?",
    "¡": "!",
}
_CLOSERS = {close: open_ for open_, close in _BRACKETS.items()}
_LATIN_TERMINATORS = ".!?…"
_FULL_WIDTH_TERMINATORS = "。！？．"
_CLOSING_QUOTES = "\"'”’»」』›"
_OPENING_PUNCT = "\"'“‘«„([{¿¡—–-•‹「『（《"
_INLINE_SPACE = " \u00a0\u202f\u2009"
_DOTTED_ACRONYM = re.compile(r"^(?:\w{1,4}\.)+\w{1,4}$")
_LIST_NUMBER = re.compile(r"^(?:\d{1,3}|[IVXLC]{1,6}|[a-z])$")


def _protected(text: str) -> list[bool]:
    """``True`` at positions strictly inside a matched bracket pair (or ``¿…?``, ``¡…!``)."""
    depth_change = [0] * (len(text) + 1)
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _CLOSERS:
            opener = _CLOSERS[ch]
            for level in range(len(stack) - 1, -1, -1):
                if stack[level][0] == opener:
                    start = stack[level][1]
                    del stack[level:]
                    depth_change[start + 1] += 1
                    depth_change[i] -= 1
                    break
            continue
        if ch in _BRACKETS:
            stack.append((ch, i))
    out: list[bool] = []
    depth = 0
    for i in range(len(text)):
        depth += depth_change[i]
        out.append(depth > 0)
    return out


def _terminators(lang: str) -> str:
    if lang == "zh":
        return _LATIN_TERMINATORS + _FULL_WIDTH_TERMINATORS
    if lang == "ar":
        return _LATIN_TERMINATORS + "؟"
    return _LATIN_TERMINATORS


def _is_cased_upper(ch: str) -> bool:
    return ch.isupper()


def _is_uncased_letter(ch: str) -> bool:
    return ch.isalpha() and ch.lower() == ch.upper()


def _starts_sentence(text: str, j: int) -> tuple[bool, bool]:
    """``(starts, capital)``: can a sentence start at ``j``; does it start with a capital."""
    n = len(text)
    while j < n and (text[j] in _OPENING_PUNCT or text[j] in _INLINE_SPACE):
        j += 1
    if j >= n:
        return False, False
    ch = text[j]
    if _is_cased_upper(ch):
        return True, True
    if _is_uncased_letter(ch) or ch.isdigit():
        return True, False
    return False, False


def _next_is_digit(text: str, j: int) -> bool:
    while j < len(text) and (text[j] in _OPENING_PUNCT or text[j] in _INLINE_SPACE):
        j += 1
    return j < len(text) and text[j].isdigit()


def _token_before(text: str, i: int) -> tuple[str, int]:
    """The word just before position ``i`` (a full stop), without opening punctuation."""
    k = i
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    token = text[k:i]
    stripped = token.lstrip(_OPENING_PUNCT)
    return stripped, k + (len(token) - len(stripped))


def _matches(token: str, entries: frozenset[str]) -> bool:
    if token in entries:
        return True
    lowered = token.lower()
    return lowered in entries and not lowered[:1].isupper()


def _full_stop_ends_sentence(
    text: str, i: int, capital_next: bool, lang: str, sentence_start: int, number_next: bool
) -> bool:
    """Decide for a single full stop at ``i`` followed by a plausible sentence start."""
    token, k = _token_before(text, i)
    if not token:
        return True
    if token in before_numbers(lang):
        # "No. 5", "Art. 3" continue; "No. We cannot accept it." is an answer and a sentence
        return capital_next and not number_next
    if "'" in token or "’" in token:  # elision: "l'art." is "art."
        elided = re.split(r"['’]", token)[-1]
        if elided and _matches(elided, abbreviations(lang)):
            return False
    prev_token, _ = _token_before(text, k - 1) if k > 1 and text[k - 1].isspace() else ("", 0)
    two = f"{prev_token} {token}" if prev_token else ""
    finals = sentence_final(lang)
    abbrevs = abbreviations(lang)
    for candidate in (two, token):
        if candidate and _matches(candidate, finals):
            if not capital_next:
                return False
            if len(candidate) == 1:  # "2021 г. Затем…": a one-letter unit ends only after a number
                return prev_token.rstrip(",").isdigit()
            return True
    if (two and _matches(two, abbrevs)) or _matches(token, abbrevs):
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "J. Smith", "В. Небензя"
    if _DOTTED_ACRONYM.match(token) and any(ch.isalpha() for ch in token):
        return False  # "U.N.", "e.g.", "т.е."
    # "1." opening a sentence is a list number, not the end of one
    return not (_LIST_NUMBER.match(token) and not text[sentence_start:k].strip())


MAX_SENTENCE_CHARS = 1000
"""Longest sentence the segmenter emits, in characters. A longer one (a 200,000-character
line without punctuation, a run-on list) is cut into pieces under the limit at the best
break: the last clause mark (``, ; : — –``, Arabic ``، ؛``, full-width ``，；：、``) in the
second half of the window, else the last space there, else at the limit itself. Translation
engines truncate long inputs and speech synthesis holds a sentence in memory whole, so no
later stage ever sees more than this at once."""

_CLAUSE_BREAKS = ",;:—–،؛，；：、"


def limit_spans(
    text: str, spans: list[tuple[int, int]], limit: int = MAX_SENTENCE_CHARS
) -> list[tuple[int, int]]:
    """Cut every span longer than ``limit`` at its best breaks (see :data:`MAX_SENTENCE_CHARS`).

    Deterministic and linear in the length of the text; the pieces keep the spans' contract
    (no surrounding white space, in order, covering every non-space character once).
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > limit:
            window_start = start + limit // 2
            cut = -1
            for k in range(start + limit - 1, window_start - 1, -1):
                if text[k] in _CLAUSE_BREAKS:
                    cut = k + 1
                    break
            if cut < 0:
                space = max(text.rfind(c, window_start, start + limit) for c in _INLINE_SPACE)
                cut = space if space > start else start + limit
            piece_end = cut
            while piece_end > start and text[piece_end - 1].isspace():
                piece_end -= 1
            if piece_end > start:
                out.append((start, piece_end))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if start < end:
            out.append((start, end))
    return out


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return their ``(start, end)`` character spans.

    Spans exclude surrounding white space, never overlap, are in order, and together cover
    every non-space character of ``text`` exactly once. No span is longer than
    :data:`MAX_SENTENCE_CHARS`.
    """
    n = len(text)
    protected = _protected(text)
    terminators = _terminators(lang)
    cuts: list[int] = []
    i = 0
    while i < n:
        ch = text[i]
        if ch not in terminators or protected[i]:
            i += 1
            continue
        run_start = i
        while i < n and text[i] in terminators:
            i += 1
        run = text[run_start:i]
        # closing quotes (possibly after a French no-break space) stay with the sentence
        while i < n:
            if text[i] in _CLOSING_QUOTES:
                i += 1
            elif text[i] in _INLINE_SPACE and i + 1 < n and text[i + 1] in "»›":
                i += 2
            else:
                break
        end = i
        if end >= n:
            break
        if any(c in _FULL_WIDTH_TERMINATORS for c in run) and run.strip("…") != "":
            cuts.append(end)
            continue
        if not text[end].isspace():
            continue
        j = end
        while j < n and text[j].isspace():
            j += 1
        starts, capital = _starts_sentence(text, j)
        if not starts:
            continue
        last_cut = cuts[-1] if cuts else 0
        number_next = _next_is_digit(text, j)
        if run == "." and not _full_stop_ends_sentence(
            text, run_start, capital, lang, last_cut, number_next
        ):
            continue
        if run in ("...", "…") and not capital and not _is_uncased_letter(text[j : j + 1] or "a"):
            continue
        cuts.append(end)
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, n]:
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        start = cut
    return limit_spans(text, spans)


__all__ = ["MAX_SENTENCE_CHARS", "limit_spans", "split_sentences"]
