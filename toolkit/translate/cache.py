"""A persistent translation cache: SQLite (WAL) under ``TOOLKIT_HOME/cache``.

Keys hash the engine signature (engine, model package and version, decoding options),
both languages, the glossary hash, the decoding hints and the exact sentence text, so a
new model version, option or glossary never serves a stale translation. WAL mode and a
busy timeout let two runs share the file safely.

The cache heals itself: every row carries a SHA-256 of its key and text, checked on
read, so a damaged row is deleted and translated again; a file SQLite cannot read
("file is not a database", "database disk image is malformed") is moved aside to
``translations.sqlite3.damaged-<time>`` (named in a warning) and a fresh one is built;
runs sharing the file take turns at that under ``translations.sqlite3.lock``.
A cache is never worth stopping a build for, but it is never trusted blindly either.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from toolkit import config
from toolkit.errors import FileSystemError, from_os_error
from toolkit.translate.base import (
    PROTOCOL_VERSION,
    DecodeHints,
    EngineWrapper,
    Outcome,
    TranslationEngine,
    translate_detailed,
)

CACHE_FILE = "translations.sqlite3"
TABLE = "entries_v2"
"""Rows of (key, text, checksum, created); the v1 table had no checksum and is dropped."""
_CORRUPT = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
"""SQLite's result codes for a file that is damaged or not a database at all."""
_FILE_SYSTEM = {
    sqlite3.SQLITE_FULL: "the disk is full: free some space",
    sqlite3.SQLITE_IOERR: "the disk reported an I/O error: check the device",
    sqlite3.SQLITE_READONLY: "the file or its folder is read-only: make it writable",
    sqlite3.SQLITE_CANTOPEN: "the file cannot be opened: check its folder's permissions",
    sqlite3.SQLITE_PERM: "permission denied: check the owner and mode of the file",
}
"""SQLite's result codes for "the file system said no", with what to do about each."""
_T = TypeVar("_T")
log = logging.getLogger(__name__)


def default_cache_path() -> Path:
    """``TOOLKIT_HOME/cache/translations.sqlite3``."""
    return config.cache_dir() / CACHE_FILE


def entry_checksum(key: str, text: str) -> str:
    """SHA-256 over a row's key and text: what a read checks before trusting the row."""
    return hashlib.sha256(f"{key}\0{text}".encode()).hexdigest()


def _primary_code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", -1) or -1) & 0xFF


def _still_damaged(path: Path) -> bool:
    """True if the file at ``path`` exists and SQLite's own check still finds it damaged.

    ``quick_check`` reads every page (a damaged data page behind a readable schema counts),
    and is only ever run here, after a read has already failed.
    """
    if not path.exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=30.0)) as conn:
            return conn.execute("PRAGMA quick_check").fetchall() != [("ok",)]
    except sqlite3.DatabaseError as exc:
        return _primary_code(exc) in _CORRUPT


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """``PRAGMA journal_mode=WAL``, waiting out another run that is creating the same file.

    Switching modes needs the file to itself, and SQLite answers "database is locked" at
    once instead of calling the busy handler while another connection is setting the file
    up (two builds started together on a fresh cache), so wait here, as the timeout says.
    """
    deadline = time.monotonic() + 30.0
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if _primary_code(exc) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class TranslationCache:
    """Key → translated text, in one SQLite file that repairs itself when damaged."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self._conn: sqlite3.Connection | None = None
        self.dropped = 0
        """Rows found damaged (checksum mismatch) and deleted by this instance."""
        self.moved_aside: list[Path] = []
        """Damaged database files this instance moved aside."""

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise from_os_error(exc, self.path.parent) from None
            if self.path.is_dir():
                raise FileSystemError(
                    f"The translation cache {self.path} is a folder, not a database file.",
                    f"Move {self.path} away (the cache is rebuilt on demand), "
                    "or run with --no-cache.",
                )
            try:
                conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            except sqlite3.OperationalError as exc:  # cannot open: permissions, read-only…
                raise self._unusable(exc, _FILE_SYSTEM[sqlite3.SQLITE_CANTOPEN]) from None
            try:
                conn.execute("PRAGMA busy_timeout=30000")
                _switch_to_wal(conn)
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                    " key TEXT PRIMARY KEY, text TEXT NOT NULL, checksum TEXT NOT NULL,"
                    " created REAL NOT NULL)"
                )
                conn.execute("DROP TABLE IF EXISTS translations")  # v1: no checksums
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _unusable(self, exc: sqlite3.Error, what_to_do: str) -> FileSystemError:
        return FileSystemError(
            f"Cannot use the translation cache {self.path}: {exc}.",
            f"{what_to_do[0].upper()}{what_to_do[1:]} ({self.path.parent}; TOOLKIT_HOME moves it), "
            "or run with --no-cache.",
        )

    def _run(self, operation: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``operation``; if the file turns out damaged, move it aside and run it again."""
        try:
            return operation(self._connect())
        except sqlite3.Error as exc:
            code = _primary_code(exc)
            if code in _FILE_SYSTEM:
                raise self._unusable(exc, _FILE_SYSTEM[code]) from None
            if code not in _CORRUPT:
                raise
            self._move_aside(exc)
        return operation(self._connect())

    def _move_aside(self, exc: sqlite3.Error) -> None:
        """Move the damaged file aside, unless another run has already replaced it.

        Runs that share the cache may all meet the damage at once. They take turns under a
        lock beside the file, and each looks again, with a connection of its own, at the file
        that is there *now*: only a file that still cannot be read is moved, so a run never
        moves aside the fresh cache another run has just started.
        """
        self.close()
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as os_exc:
            raise from_os_error(os_exc, lock_path) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if not _still_damaged(self.path):
                return  # another run replaced it, or it is gone: just reopen
            self._move_damaged(exc)
        finally:
            os.close(fd)  # releases the lock

    def _move_damaged(self, exc: sqlite3.Error) -> None:
        aside = self.path.with_name(
            f"{self.path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
        )
        try:
            self.path.rename(aside)
        except FileNotFoundError:
            return  # removed by hand meanwhile: nothing to move
        except OSError as os_exc:
            raise from_os_error(os_exc, self.path) from None
        for suffix in ("-wal", "-shm"):  # the damaged file's journal belongs with it
            journal = self.path.with_name(self.path.name + suffix)
            try:
                journal.rename(aside.with_name(aside.name + suffix))
            except FileNotFoundError:
                pass
            except OSError:
                journal.unlink(missing_ok=True)
        self.moved_aside.append(aside)
        log.warning(
            "The translation cache %s was damaged (%s): moved it aside to %s and started "
            "a new one; delete the old file when you no longer need it.",
            self.path,
            exc,
            aside,
        )

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
        """Cached texts for those of ``keys`` that are present and intact."""
        unique = list(dict.fromkeys(keys))

        def read(conn: sqlite3.Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            damaged: list[str] = []
            for start in range(0, len(unique), 500):  # stay under SQLite's variable limit
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT key, text, checksum FROM {TABLE} WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, text, checksum in rows:
                    if (
                        isinstance(key, str)
                        and isinstance(text, str)
                        and checksum == entry_checksum(key, text)
                    ):
                        found[key] = text
                    else:
                        damaged.append(key)
            if damaged:  # dropped now, translated again by the caller, stored fresh
                with conn:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.executemany(f"DELETE FROM {TABLE} WHERE key = ?", [(k,) for k in damaged])
                self.dropped += len(damaged)
                log.warning(
                    "Dropped %d damaged entr%s from the translation cache %s; "
                    "translating %s again.",
                    len(damaged),
                    "y" if len(damaged) == 1 else "ies",
                    self.path,
                    "it" if len(damaged) == 1 else "them",
                )
            return found

        return self._run(read)

    def put_many(self, items: Sequence[tuple[str, str]]) -> None:
        """Store ``(key, text)`` pairs, each with its checksum, in one transaction."""
        if not items:
            return
        now = time.time()
        rows = [(k, t, entry_checksum(k, t), now) for k, t in items]

        def write(conn: sqlite3.Connection) -> None:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    f"INSERT OR REPLACE INTO {TABLE} (key, text, checksum, created)"
                    " VALUES (?, ?, ?, ?)",
                    rows,
                )

        self._run(write)

    def __len__(self) -> int:
        row = self._run(lambda conn: conn.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone())
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
