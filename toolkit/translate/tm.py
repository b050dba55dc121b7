"""A translation memory: human translations in SQLite, consulted before any model.

The memory lives in ``TOOLKIT_HOME/tm/memory.sqlite3`` and is filled by ``toolkit tmx import``
(a TMX from the UN, a CAT tool, or ``toolkit tmx export`` of the bundled references). It
answers two questions for a source sentence:

* **exact match** — the same sentence once whitespace, quotes and dashes are normalised
  (:func:`normalise`). :class:`MemoryEngine` serves these *instead of* machine translation,
  and the sentence's provenance says ``tm``;
* **fuzzy match** — the most similar stored sentence with a score in 0..1
  (rapidfuzz's normalised Indel similarity of the normalised texts, the measure CAT tools
  call a "fuzzy %"). A fuzzy match is never used as a translation: the XLIFF export offers it
  to the translator as the target, with its score (:mod:`toolkit.export.xliff`).

A fuzzy lookup takes its candidates from an SQLite FTS5 index — the stored sentences sharing
one of the query's rarest words — and scores only those, with rapidfuzz's
``process.extractOne`` against the pair's normalised sources, read from the file once per
state of the memory. ``bench/tm_lookup.py`` measures it against scoring every stored sentence,
with the recall.
"""

from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit import config
from toolkit.provenance import MEMORY_ENGINE
from toolkit.translate.base import (
    DecodeHints,
    EngineInfo,
    EngineWrapper,
    Outcome,
    TranslationEngine,
    translate_detailed,
)

ENGINE = MEMORY_ENGINE
"""Engine name in provenance records of sentences served by the memory."""

MEMORY_FILE = "memory.sqlite3"

FUZZY_THRESHOLD = 0.75
"""Fuzzy matches scoring below this are not offered (CAT tools commonly start at 70–75 %)."""

RARE_WORDS = 4
"""Fuzzy candidates: the stored sentences sharing one of the query's this-many rarest words."""


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": "'",
        "\u203a": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_AROUND_QUOTES = re.compile(r'\s*"\s*')  # « guillemets » carry inner (no-break) spaces


def normalise(text: str) -> str:
    """The form exact matches compare.

    NFC; one space for any whitespace run (no-break spaces included); straight quotes for
    curly quotes and guillemets, with no space around a double quote; ``-`` for dashes; trimmed.
    """
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return _AROUND_QUOTES.sub('"', _SPACE.sub(" ", text)).strip()


def _primary(lang: str) -> str:
    """``fr-FR`` → ``fr``, ``zh-Hans-CN`` → ``zh``; case-folded."""
    return lang.strip().replace("_", "-").split("-")[0].lower()


def default_memory_path() -> Path:
    """``TOOLKIT_HOME/tm/memory.sqlite3``."""
    return config.toolkit_home() / "tm" / MEMORY_FILE


@dataclass(frozen=True)
class MemoryUnit:
    """One source sentence and its human translation, as stored."""

    src_lang: str
    """Source language (primary subtag: ``en``)."""
    tgt_lang: str
    """Target language (primary subtag: ``fr``)."""
    source: str
    """Source text as imported."""
    target: str
    """Translation as imported."""
    origin: str | None = None
    """Where it came from: the TMX ``tuid`` (``<slug>:<sentence id>`` for our own exports)."""


@dataclass(frozen=True)
class Match:
    """A stored unit that matches a query, with its score."""

    source: str
    """The stored source sentence."""
    target: str
    """Its stored translation."""
    score: float
    """1.0 for an exact match, else the fuzzy similarity in 0..1."""
    origin: str | None
    """The unit's ``tuid``, if any."""

    @property
    def exact(self) -> bool:
        """True for an exact (normalised) match."""
        return self.score >= 1.0

    @property
    def percent(self) -> int:
        """The score as a whole percentage, as CAT tools show it."""
        return int(self.score * 100 + 1e-9)


class TranslationMemory:
    """Source → human translation, in one SQLite file (WAL, shared safely by several runs)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_memory_path()
        self._conn: sqlite3.Connection | None = None
        self._sources: dict[tuple[str, str], dict[int, str]] = {}
        self._frequency: tuple[Any, dict[str, int]] | None = None

    def exists(self) -> bool:
        """True when the memory file exists (a missing memory is never created by a lookup)."""
        return self.path.is_file()

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS units (
                    id INTEGER PRIMARY KEY,
                    src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL,
                    source TEXT NOT NULL, target TEXT NOT NULL,
                    norm TEXT NOT NULL, origin TEXT, created REAL NOT NULL,
                    UNIQUE (src_lang, tgt_lang, norm, target)
                );
                CREATE INDEX IF NOT EXISTS units_exact ON units (src_lang, tgt_lang, norm);
                CREATE VIRTUAL TABLE IF NOT EXISTS units_fts USING fts5 (
                    norm, content='units', content_rowid='id', tokenize='unicode61'
                );
                CREATE VIRTUAL TABLE IF NOT EXISTS units_vocab USING fts5vocab (units_fts, row);
                CREATE TRIGGER IF NOT EXISTS units_ai AFTER INSERT ON units BEGIN
                    INSERT INTO units_fts (rowid, norm) VALUES (new.id, new.norm);
                END;
                """
            )
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?)", (uuid.uuid4().hex,)
            )
            self._conn = conn
        return self._conn

    def close(self) -> None:
        """Close the connection (reopened on next use)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def add(self, units: Iterable[MemoryUnit]) -> int:
        """Store ``units`` (one transaction); returns how many were new (duplicates skipped)."""
        conn = self._connect()
        now = time.time()
        rows = [
            (
                _primary(u.src_lang),
                _primary(u.tgt_lang),
                u.source,
                u.target,
                normalise(u.source),
                u.origin,
                now,
            )
            for u in units
            if u.source.strip() and u.target.strip()
        ]
        conn.execute("BEGIN")
        try:
            cursor = conn.executemany(
                "INSERT OR IGNORE INTO units"
                " (src_lang, tgt_lang, source, target, norm, origin, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        # rowcount counts the rows inserted, not the ignored duplicates nor the trigger's rows.
        return max(cursor.rowcount, 0)

    def count(self, src: str | None = None, tgt: str | None = None) -> int:
        """Number of stored units (for one language pair when given)."""
        if not self.exists():
            return 0
        conn = self._connect()
        if src is None or tgt is None:
            return int(conn.execute("SELECT count(*) FROM units").fetchone()[0])
        return int(
            conn.execute(
                "SELECT count(*) FROM units WHERE src_lang = ? AND tgt_lang = ?",
                (_primary(src), _primary(tgt)),
            ).fetchone()[0]
        )

    def fingerprint(self, src: str, tgt: str) -> str | None:
        """Changes whenever units for ``src``→``tgt`` are added (part of build keys); None when
        the memory holds nothing for the pair."""
        if not self.exists():
            return None
        conn = self._connect()
        count, last = conn.execute(
            "SELECT count(*), max(id) FROM units WHERE src_lang = ? AND tgt_lang = ?",
            (_primary(src), _primary(tgt)),
        ).fetchone()
        if not count:
            return None
        memory_id = conn.execute("SELECT value FROM meta WHERE key = 'id'").fetchone()[0]
        return f"{memory_id[:12]}:{count}:{last}"

    def exact(self, sources: Sequence[str], src: str, tgt: str) -> list[Match | None]:
        """The exact match of each sentence (the most recently stored one), or None."""
        if not self.exists() or not sources:
            return [None] * len(sources)
        conn = self._connect()
        out: list[Match | None] = []
        for text in sources:
            row = conn.execute(
                "SELECT source, target, origin FROM units"
                " WHERE src_lang = ? AND tgt_lang = ? AND norm = ? ORDER BY id DESC LIMIT 1",
                (_primary(src), _primary(tgt), normalise(text)),
            ).fetchone()
            out.append(Match(row[0], row[1], 1.0, row[2]) if row else None)
        return out

    def fuzzy(
        self, text: str, src: str, tgt: str, threshold: float = FUZZY_THRESHOLD
    ) -> Match | None:
        """The best match scoring at least ``threshold`` (an exact match scores 1.0), or None."""
        if not self.exists():
            return None
        from rapidfuzz import fuzz, process

        query = normalise(text)
        norms, frequency = self._fuzzy_index(src, tgt)
        # A sentence scoring >= 75 % shares most of the query's words, so it shares one of its
        # rarest words: those select the candidates, and only those are scored.
        words = {w for w in _WORD.findall(query.casefold()) if w in frequency}
        rare = sorted(words, key=frequency.__getitem__)[:RARE_WORDS]
        if not rare or not norms:
            return None
        expression = " OR ".join('"' + w.replace('"', '""') + '"' for w in rare)
        rows = self._connect().execute(
            "SELECT rowid FROM units_fts WHERE units_fts MATCH ? ORDER BY rowid DESC",
            (expression,),
        )
        candidates = {row[0]: norms[row[0]] for row in rows if row[0] in norms}
        best = process.extractOne(
            query, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=threshold * 100
        )
        if best is None:
            return None
        _, score, unit_id = best
        source, target, origin = (
            self._connect()
            .execute("SELECT source, target, origin FROM units WHERE id = ?", (unit_id,))
            .fetchone()
        )
        return Match(source, target, round(score / 100.0, 4), origin)

    def _fuzzy_index(self, src: str, tgt: str) -> tuple[dict[int, str], dict[str, int]]:
        """The pair's normalised sources by row ID (newest first) and every word's document
        frequency, read from the file once per state of the memory."""
        pair = (_primary(src), _primary(tgt))
        conn = self._connect()
        state = conn.execute("SELECT max(id) FROM units").fetchone()[0]
        if self._frequency is None or self._frequency[0] != state:
            # fts5vocab cannot look one term up without a scan: read it whole, once
            self._frequency = (state, dict(conn.execute("SELECT term, doc FROM units_vocab")))
            self._sources.clear()
        if pair not in self._sources:
            self._sources[pair] = dict(
                conn.execute(
                    "SELECT id, norm FROM units WHERE src_lang = ? AND tgt_lang = ?"
                    " ORDER BY id DESC",
                    pair,
                ).fetchall()
            )
        return self._sources[pair], self._frequency[1]


@dataclass(frozen=True)
class MemoryOutcome(Outcome):
    """An outcome served by the memory (an exact match), not by the wrapped engine."""

    origin: str | None = None
    """The matching unit's ``tuid``."""
    info: EngineInfo | None = None
    """The memory's engine info: the sentence's provenance says ``tm``, not the chain's engine."""


class MemoryEngine(EngineWrapper):
    """Exact matches from a translation memory first; only the rest go to ``inner``.

    Wrap it around the whole chain (outside quality checks and term protection): a memory hit
    is a human translation and is served as stored. Sentences served have
    :class:`MemoryOutcome` outcomes, so their provenance can say ``tm``.
    """

    def __init__(self, inner: TranslationEngine, memory: TranslationMemory) -> None:
        super().__init__(inner)
        self.memory = memory

    def translate_detailed(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[Outcome]:
        """Memory hits as :class:`MemoryOutcome`; misses translated by ``inner`` in one batch."""
        matches = self.memory.exact(sentences, src, tgt)
        misses = [s for s, m in zip(sentences, matches, strict=True) if m is None]
        translated = iter(translate_detailed(self.inner, misses, src, tgt, hints))
        info = memory_info(self.memory, src, tgt) if len(misses) < len(sentences) else None
        out: list[Outcome] = []
        for match in matches:
            if match is None:
                out.append(next(translated))
            else:
                out.append(
                    MemoryOutcome(match.target, origin=match.origin, info=_unit_info(info, match))
                )
        return out


def memory_info(memory: TranslationMemory, src: str, tgt: str) -> EngineInfo:
    """Provenance of sentences served by ``memory``: the memory file and its state."""
    fingerprint = memory.fingerprint(src, tgt) or "empty"
    return EngineInfo(ENGINE, str(memory.path), fingerprint, f"tm|{src}-{tgt}|{fingerprint}")


def _unit_info(info: EngineInfo | None, match: Match) -> EngineInfo | None:
    """``info`` naming the matched unit (its ``tuid``, e.g. ``<slug>:p08s01``) as the model: a
    reviewer sees which earlier statement the sentence came from."""
    if info is None or not match.origin:
        return info
    return EngineInfo(info.engine, match.origin, info.model_version, info.signature)


class MemoryOnlyEngine:
    """The memory as an engine of its own, for fallback chains: exact matches, ``''`` otherwise.

    A sentence without an exact match gets ``''`` and the flag ``no-tm-match``. Put it (like
    :class:`MemoryEngine`) outside the term-protection wrapper: the memory must see the
    sentence as written, not with glossary placeholders. It is not an ``--engine`` choice on
    its own: a run with only the memory would leave every other sentence empty.
    """

    name = ENGINE

    def __init__(self, options: object | None = None, memory: TranslationMemory | None = None):
        self.memory = memory or TranslationMemory()

    def info(self, src: str, tgt: str) -> EngineInfo:
        """Memory path and fingerprint."""
        return memory_info(self.memory, src, tgt)

    def translate_batch(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[str]:
        """Exact matches, ``''`` for the others."""
        return [o.text for o in self.translate_detailed(sentences, src, tgt, hints)]

    def translate_detailed(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[Outcome]:
        """Exact matches as :class:`MemoryOutcome`; ``''`` flagged ``no-tm-match`` otherwise."""
        info = memory_info(self.memory, src, tgt)
        return [
            MemoryOutcome(m.target, origin=m.origin, info=_unit_info(info, m))
            if m is not None
            else Outcome("", flags=("no-tm-match",))
            for m in self.memory.exact(sentences, src, tgt)
        ]


def memory_first(chain: TranslationEngine, use_memory: bool = True) -> TranslationEngine:
    """``chain`` behind the translation memory's exact matches, when a memory was imported."""
    memory = active_memory(use_memory)
    return MemoryEngine(chain, memory) if memory is not None else chain


def outcome_info(outcome: Outcome, default: EngineInfo) -> EngineInfo:
    """The engine that produced ``outcome``: the memory for a memory hit, else ``default``."""
    info = getattr(outcome, "info", None)
    return info if isinstance(info, EngineInfo) else default


def active_memory(use_memory: bool = True) -> TranslationMemory | None:
    """The memory a translation run consults: None when disabled or when none was imported."""
    if not use_memory:
        return None
    memory = TranslationMemory()
    return memory if memory.exists() else None


def memory_identity(src: str, tgt: str, use_memory: bool = True) -> str | None:
    """What the memory contributes to a translation's build key (None: nothing)."""
    memory = active_memory(use_memory)
    return memory.fingerprint(src, tgt) if memory is not None else None


__all__ = [
    "ENGINE",
    "FUZZY_THRESHOLD",
    "Match",
    "MemoryEngine",
    "MemoryOnlyEngine",
    "MemoryOutcome",
    "MemoryUnit",
    "TranslationMemory",
    "active_memory",
    "default_memory_path",
    "memory_first",
    "memory_identity",
    "memory_info",
    "outcome_info",
    "normalise",
]
