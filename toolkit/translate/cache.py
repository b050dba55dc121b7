"""A persistent translation cache: SQLite (WAL) under ``TOOLKIT_HOME/cache``.

Keys hash the engine signature (engine, model package and version, decoding options),
both languages, the glossary hash, the decoding hints and the exact sentence text, so a
new model version, option or glossary never serves a stale translation. WAL mode and a
busy timeout let two runs share the file safely.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from toolkit import config
from toolkit.translate.base import (
    PROTOCOL_VERSION,
    DecodeHints,
    EngineWrapper,
    Outcome,
    TranslationEngine,
    translate_detailed,
)

CACHE_FILE = "translations.sqlite3"


def default_cache_path() -> Path:
    """``TOOLKIT_HOME/cache/translations.sqlite3``."""
    return config.cache_dir() / CACHE_FILE


class TranslationCache:
    """Key → translated text, in one SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS translations ("
                " key TEXT PRIMARY KEY, text TEXT NOT NULL, created REAL NOT NULL)"
            )
            self._conn = conn
        return self._conn

    @staticmethod
    def key(
        signature: str, src: str, tgt: str, glossary_sha256: str | None, hints: str, text: str
    ) -> str:
        """The cache key of one sentence."""
        material = json.dumps(
            [PROTOCOL_VERSION, signature, src, tgt, glossary_sha256 or "", hints, text],
            ensure_ascii=False,
        )
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        """Cached texts for those of ``keys`` that are present."""
        conn = self._connect()
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):  # stay under SQLite's variable limit
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT key, text FROM translations WHERE key IN ({marks})", chunk
            ).fetchall()
            found.update({k: t for k, t in rows})
        return found

    def put_many(self, items: Sequence[tuple[str, str]]) -> None:
        """Store ``(key, text)`` pairs in one transaction."""
        if not items:
            return
        conn = self._connect()
        now = time.time()
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT OR REPLACE INTO translations (key, text, created) VALUES (?, ?, ?)",
                [(k, t, now) for k, t in items],
            )

    def __len__(self) -> int:
        row = self._connect().execute("SELECT COUNT(*) FROM translations").fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close the connection (it reopens on next use)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class CachedEngine(EngineWrapper):
    """Serve sentences from the cache; send only the misses, in one call, to the engine."""

    def __init__(
        self,
        inner: TranslationEngine,
        cache: TranslationCache | None = None,
        glossary_sha256: str | None = None,
    ) -> None:
        super().__init__(inner)
        self.cache = cache or TranslationCache()
        self.glossary_sha256 = glossary_sha256

    def translate_detailed(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[Outcome]:
        """Cached outcomes are marked ``cached=True``; fresh ones are stored."""
        if not sentences:
            return []
        signature = self.inner.info(src, tgt).signature
        hint_key = (hints or DecodeHints()).key()
        keys = [
            TranslationCache.key(signature, src, tgt, self.glossary_sha256, hint_key, s)
            for s in sentences
        ]
        hits = self.cache.get_many(keys)
        # Each distinct missing sentence goes to the engine once, all in one call.
        missing = list(
            dict.fromkeys(s for s, k in zip(sentences, keys, strict=True) if k not in hits)
        )
        fresh: dict[str, Outcome] = {}
        if missing:
            outcomes = translate_detailed(self.inner, missing, src, tgt, hints)
            fresh = dict(zip(missing, outcomes, strict=True))
            self.cache.put_many(
                [
                    (
                        TranslationCache.key(
                            signature, src, tgt, self.glossary_sha256, hint_key, s
                        ),
                        o.text,
                    )
                    for s, o in fresh.items()
                ]
            )
        result: list[Outcome] = []
        for sentence, key in zip(sentences, keys, strict=True):
            if key in hits:
                result.append(Outcome(hits[key], cached=True))
            else:
                result.append(fresh[sentence])
        return result
