"""UN terminology: the glossary file, term protection around any engine, and a compliance check.

**Format.** TSV or CSV (by extension, else sniffed) with a header naming language columns
``en ar zh fr ru es`` (UNTERM style; other columns are ignored). ``#`` lines and blank lines
are skipped. A blank target cell means "keep the English as is" (acronyms, names). A cell
may list several approved forms separated by ``|`` ("Haut-Commissaire|Haute-Commissaire"):
such a term is not forced into the output — the source does not say which form (a gender,
for a title) is right — and compliance accepts any of them.

**Protection.** Before translation, every protected span of a sentence — glossary terms,
names of people, citations such as ``2395 (2017)`` — is replaced by a 4-digit placeholder
(``8401``, ``8402``…) that does not otherwise occur in the sentence. NMT models copy
numbers through almost always (and sentencepiece vocabularies always contain digits), so
after translation each placeholder is found again — tolerating digit-group separators and
Arabic-Indic or full-width digits — and replaced by the approved target term. A placeholder
the model dropped is restored by constrained fallback (replace a copied English term, else
insert at the proportional position) and the sentence is flagged ``placeholder-lost``.

**Compliance.** After restoration, every sentence whose approved target term or protected
span is missing from the output is flagged ``glossary-missing``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError
from toolkit.languages import LANGUAGES
from toolkit.translate.base import (
    DecodeHints,
    EngineWrapper,
    Outcome,
    TranslationEngine,
    merge_flags,
    translate_detailed,
)

SHIPPED_GLOSSARY = "un-terms.tsv"

FLAG_GLOSSARY_MISSING = "glossary-missing"
FLAG_PLACEHOLDER_LOST = "placeholder-lost"
FLAG_PLACEHOLDER_REPEATED = "placeholder-repeated"

CITATION = re.compile(r"(?<![\w/])(?:S/RES/)?\d{3,4}\s?\((?:19|20)\d{2}\)")
"""Security Council / General Assembly resolution citations: ``2395 (2017)``."""


def shipped_glossary_path() -> Path:
    """``toolkit/data/un-terms.tsv``: UN counter-terrorism terms in the six languages."""
    return Path(__file__).resolve().parent.parent / "data" / SHIPPED_GLOSSARY


@dataclass(frozen=True)
class GlossaryEntry:
    """One English term and its approved equivalents."""

    en: str
    """The English term as it appears in speeches."""
    targets: Mapping[str, str]
    """Language code → approved term; ``""`` keeps the English as is."""
    line: int = 0
    """Line of the glossary file (for messages)."""

    def target(self, lang: str) -> str:
        """The approved term in ``lang`` (the English when the cell is blank or absent)."""
        return self.variants(lang)[0]

    def variants(self, lang: str) -> tuple[str, ...]:
        """Every approved form in ``lang``: a cell may list several, separated by ``|``.

        Forms the English does not choose between — "Haut-Commissaire|Haute-Commissaire",
        "Director Ejecutivo|Directora Ejecutiva" — are *all* approved: the glossary never
        imposes a gender (or any other form) the source does not determine.
        """
        cell = self.targets.get(lang) or ""
        forms = tuple(f.strip() for f in cell.split("|") if f.strip())
        return forms or (self.en,)


@dataclass(frozen=True)
class Glossary:
    """A loaded glossary."""

    path: Path | None
    """Where it was read from."""
    sha256: str
    """SHA-256 of the file's bytes (part of cache keys and provenance)."""
    entries: tuple[GlossaryEntry, ...]
    """Entries in file order."""
    languages: tuple[str, ...]
    """Language columns present."""

    def matcher(self) -> re.Pattern[str] | None:
        """One regex matching any English term, longest first, whole words only."""
        return _compile(tuple(e.en for e in self.entries))

    def find(self, text: str) -> list[tuple[int, int, GlossaryEntry]]:
        """Non-overlapping occurrences of glossary terms in ``text`` (longest first, any case)."""
        pattern = self.matcher()
        if pattern is None:
            return []
        by_key = {_term_key(e.en): e for e in self.entries}
        return [
            (m.start(), m.end(), by_key[_term_key(m.group(0))])
            for m in pattern.finditer(text)
            if _term_key(m.group(0)) in by_key
        ]


def _term_key(term: str) -> str:
    # Terms match ignoring case and with flexible whitespace (the glossary's contract).
    return " ".join(term.casefold().split())


_PATTERN_CACHE: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _compile(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if terms in _PATTERN_CACHE:
        return _PATTERN_CACHE[terms]
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        words = term.split()
        if words:
            parts.append(r"\s+".join(re.escape(w) for w in words))
    pattern = (
        re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)
        if parts
        else None
    )
    _PATTERN_CACHE[terms] = pattern
    return pattern


def load_glossary(path: Path) -> Glossary:
    """Read a glossary TSV/CSV; raise :class:`InputError` with the line on bad input."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"Glossary not found: {path}", "Give a TSV/CSV file with --glossary, or --no-glossary."
        ) from None
    except OSError as exc:
        raise InputError(f"Cannot read glossary {path}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"Glossary {path} is not UTF-8.", "Save the glossary as UTF-8 text."
        ) from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return parse_glossary(text, path=path, sha256=hashlib.sha256(raw).hexdigest())


def parse_glossary(text: str, *, path: Path | None = None, sha256: str | None = None) -> Glossary:
    """Parse glossary text (see the module docstring for the format)."""
    name = str(path) if path else "glossary"
    numbered = [
        (n, line)
        for n, line in enumerate(text.split("\n"), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise InputError(f"Glossary {name} has no header line.", _FORMAT_HINT)
    delimiter = _delimiter(path, numbered[0][1])
    rows = list(
        csv.reader(io.StringIO("\n".join(line for _, line in numbered)), delimiter=delimiter)
    )
    header = [cell.strip().lower() for cell in rows[0]]
    if "en" not in header:
        raise InputError(
            f"Glossary {name}: the header has no 'en' column (found {', '.join(header)}).",
            _FORMAT_HINT,
        )
    columns = {code: header.index(code) for code in LANGUAGES if code in header}
    entries: list[GlossaryEntry] = []
    for (line_no, _), row in zip(numbered[1:], rows[1:], strict=True):
        cells = [c.strip() for c in row]
        if len(cells) > len(header) and any(cells[len(header) :]):
            raise InputError(
                f"Glossary {name}, line {line_no}: {len(cells)} cells for {len(header)} columns.",
                _FORMAT_HINT,
            )
        cells += [""] * (len(header) - len(cells))
        en = " ".join(cells[columns["en"]].split())
        if not en:
            raise InputError(
                f"Glossary {name}, line {line_no}: the 'en' cell is empty.", _FORMAT_HINT
            )
        targets = {code: " ".join(cells[i].split()) for code, i in columns.items() if code != "en"}
        entries.append(GlossaryEntry(en=en, targets=targets, line=line_no))
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Glossary(path, digest, tuple(entries), tuple(columns))


_FORMAT_HINT = (
    "A glossary is TSV or CSV with a header 'en ar zh fr ru es'; '#' lines are comments; "
    "a blank cell keeps the English."
)


def _delimiter(path: Path | None, header: str) -> str:
    suffix = path.suffix.lower() if path else ""
    if suffix in (".tsv", ".tab"):
        return "\t"
    if suffix == ".csv":
        return ","
    return "\t" if "\t" in header else ";" if header.count(";") > header.count(",") else ","


# --- protection -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedSpan:
    """A span of the source that must come out as ``replacement``."""

    start: int
    """Offset in the source sentence."""
    end: int
    """End offset."""
    original: str
    """The source text of the span."""
    replacement: str
    """What the output must contain instead (approved term, or the span itself)."""
    kind: str
    """``term``, ``name`` or ``citation``."""
    alternatives: tuple[str, ...] = ()
    """Other approved forms. A span with alternatives is not replaced by a placeholder (the
    engine chooses the form, from the sentence); compliance accepts any of them."""


def find_protected_spans(
    text: str, glossary: Glossary | None, tgt: str, names: Sequence[str] = ()
) -> list[ProtectedSpan]:
    """Non-overlapping spans to protect in ``text``: names first, then citations, then terms."""
    candidates: list[ProtectedSpan] = []
    name_pattern = _compile(tuple(n for n in names if n.strip()))
    if name_pattern is not None:
        for m in name_pattern.finditer(text):
            candidates.append(ProtectedSpan(m.start(), m.end(), m.group(0), m.group(0), "name"))
    for m in CITATION.finditer(text):
        candidates.append(ProtectedSpan(m.start(), m.end(), m.group(0), m.group(0), "citation"))
    if glossary is not None:
        for start, end, entry in glossary.find(text):
            forms = entry.variants(tgt)
            candidates.append(
                ProtectedSpan(start, end, text[start:end], forms[0], "term", forms[1:])
            )
    chosen: list[ProtectedSpan] = []
    for span in candidates:  # earlier kinds win on overlap
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


@dataclass(frozen=True)
class Placeholder:
    """A protected span replaced by a digit token in the text sent to the engine."""

    token: str
    """The digits sent to the engine (``8401``)."""
    span: ProtectedSpan
    """What it stands for."""
    position: float
    """Relative position (0..1) of the token in the protected text (for fallback insertion)."""


_DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)
_SEP = "[ \u00a0\u202f\u2009.,'’]?"
_NOSPACE_LANGS = frozenset({"zh"})


def protect_text(
    text: str, spans: Sequence[ProtectedSpan], first: int = 8401
) -> tuple[str, list[Placeholder]]:
    """Replace ``spans`` by placeholder tokens not otherwise present in ``text``."""
    if not spans:
        return text, []
    tokens: list[str] = []
    candidate = first
    digits = text.translate(_DIGIT_TABLE)
    while len(tokens) < len(spans):
        token = str(candidate)
        if token not in digits:
            tokens.append(token)
        candidate += 1
    out = ""
    cursor = 0
    starts: list[int] = []
    for span, token in zip(spans, tokens, strict=True):
        out += text[cursor : span.start]
        starts.append(len(out))
        out += token
        cursor = span.end
    out += text[cursor:]
    length = max(len(out), 1)
    return out, [
        Placeholder(token, span, start / length)
        for token, span, start in zip(tokens, spans, starts, strict=True)
    ]


def _token_pattern(token: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\d)" + _SEP.join(re.escape(d) for d in token) + r"(?!\d)")


def restore_text(
    output: str, placeholders: Sequence[Placeholder], tgt: str
) -> tuple[str, tuple[str, ...]]:
    """Put the approved text back where the placeholders are; return ``(text, flags)``.

    All edits are planned on the raw model output, then applied right to left, so a
    fallback insertion can never land inside another restored term.
    """
    if not placeholders:
        return output, ()
    flags: list[str] = []
    shadow = output.translate(_DIGIT_TABLE)  # same length: offsets stay valid
    edits: list[tuple[int, int, int, str]] = []  # (start, end, order, replacement)
    lost: list[tuple[int, Placeholder]] = []
    for order, ph in enumerate(placeholders):
        matches = list(_token_pattern(ph.token).finditer(shadow))
        if not matches:
            lost.append((order, ph))
            continue
        if len(matches) > 1:
            flags.append(FLAG_PLACEHOLDER_REPEATED)
        edits.extend((m.start(), m.end(), order, ph.span.replacement) for m in matches)
    if lost and not output.strip():
        glue = "" if tgt in _NOSPACE_LANGS else " "
        return glue.join(ph.span.replacement for ph in placeholders), (FLAG_PLACEHOLDER_LOST,)
    for order, ph in lost:
        edit = _fallback_edit(output, ph, tgt, edits)
        if edit is not None:
            edits.append((edit[0], edit[1], order, edit[2]))
            if edit[3]:
                flags.append(FLAG_PLACEHOLDER_LOST)
    return _apply_edits(output, edits), merge_flags(flags)


def _apply_edits(text: str, edits: Iterable[tuple[int, int, int, str]]) -> str:
    kept: list[tuple[int, int, int, str]] = []
    for edit in sorted(edits):
        if kept and edit[0] < kept[-1][1]:
            continue  # overlapping spans cannot be both right: keep the first
        kept.append(edit)
    for start, end, _, replacement in reversed(kept):
        text = text[:start] + replacement + text[end:]
    return text


def _fallback_edit(
    output: str, ph: Placeholder, tgt: str, edits: Sequence[tuple[int, int, int, str]]
) -> tuple[int, int, str, bool] | None:
    """Constrained restore of a dropped placeholder: ``(start, end, text, guessed)`` or None."""
    replacement = ph.span.replacement
    if replacement and contains_term(output, replacement, tgt):
        return None  # the model produced the approved term itself
    for copied in re.finditer(re.escape(ph.span.original), output, flags=re.IGNORECASE):
        if all(copied.end() <= e[0] or copied.start() >= e[1] for e in edits):
            # the model copied the English span through: swap in the approved term
            return copied.start(), copied.end(), replacement, False
    at = round(ph.position * len(output))
    if tgt not in _NOSPACE_LANGS:  # snap to a word start so no word is cut in two
        left = output.rfind(" ", 0, at)
        at = 0 if left < 0 else left + 1
    for start, end, _, _ in edits:  # never inside a restored placeholder
        if start < at < end:
            at = start
    text = replacement if tgt in _NOSPACE_LANGS else replacement + " "
    return at, at, text, True


# --- compliance --------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "\u00a0": " ", "\u202f": " ", "‑": "-", "–": "-"})


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold().split())


def contains_term(output: str, term: str, lang: str) -> bool:
    """Is ``term`` in ``output``? Exact for Chinese; stem-tolerant for inflected languages."""
    out, want = _normalise(output), _normalise(term)
    if not want or want in out:
        return True
    if lang in _NOSPACE_LANGS:
        return want.replace(" ", "") in out.replace(" ", "")
    words = re.findall(r"\w+", out)
    for word in re.findall(r"\w+", want):
        if len(word) < 4:
            continue  # short function words inflect or move; judge by the content words
        stem = word[: max(3, len(word) - 3)]
        if not any(w.startswith(stem) or (len(stem) > 4 and stem[1:] in w) for w in words):
            return False
    return True


def check_compliance(
    source: str, output: str, glossary: Glossary | None, tgt: str, names: Sequence[str] = ()
) -> list[ProtectedSpan]:
    """Protected spans of ``source`` whose approved form is missing from ``output``."""
    return [
        span
        for span in find_protected_spans(source, glossary, tgt, names)
        if not any(
            contains_term(output, form, tgt) for form in (span.replacement, *span.alternatives)
        )
    ]


def innermost(engine: TranslationEngine) -> TranslationEngine:
    """The engine at the bottom of a wrapper chain."""
    while isinstance(engine, EngineWrapper):
        engine = engine.inner
    return engine


class ProtectedEngine(EngineWrapper):
    """Protect terms, names and citations with placeholders; restore; check compliance."""

    def __init__(
        self, inner: TranslationEngine, glossary: Glossary | None, names: Sequence[str] = ()
    ) -> None:
        super().__init__(inner)
        self.glossary = glossary
        self.names = tuple(names)

    def _placeholders_survive_tokenizer(self, src: str, tgt: str) -> bool:
        check = getattr(innermost(self.inner), "encodes_cleanly", None)
        return True if check is None else bool(check("8401 8402 8409", src, tgt))

    def translate_detailed(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[Outcome]:
        """Translate with placeholders in one inner call, then restore and check."""
        use_placeholders = self._placeholders_survive_tokenizer(src, tgt)
        prepared: list[tuple[str, list[Placeholder]]] = []
        for sentence in sentences:
            spans = [
                span
                for span in find_protected_spans(sentence, self.glossary, tgt, self.names)
                if not span.alternatives  # the engine chooses among approved forms
            ]
            prepared.append(protect_text(sentence, spans) if use_placeholders else (sentence, []))
        inner = translate_detailed(self.inner, [p[0] for p in prepared], src, tgt, hints)
        results: list[Outcome] = []
        for sentence, (_, placeholders), outcome in zip(sentences, prepared, inner, strict=True):
            text, flags = restore_text(outcome.text, placeholders, tgt)
            missing = check_compliance(sentence, text, self.glossary, tgt, self.names)
            extra = (FLAG_GLOSSARY_MISSING,) if missing else ()
            results.append(Outcome(text, outcome.cached, merge_flags(outcome.flags, flags, extra)))
        return results
