"""The caches' self-healing, unit by unit (the end-to-end cases are rows of test_faults.py)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import wave
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest

from toolkit.errors import FileSystemError
from toolkit.translate.cache import TABLE, TranslationCache, entry_checksum
from toolkit.tts.base import SpeechAudio
from toolkit.tts.cache import SEAL_MAGIC, ChunkCache, SpeechCache, seal, unseal

# --- translation cache ---------------------------------------------------------------------


def test_rows_carry_a_checksum_and_a_bad_one_is_dropped(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "t.sqlite3")
    cache.put_many([("a", "Alpha"), ("b", "Beta")])
    with sqlite3.connect(cache.path) as db:  # the file, as another program would see it
        row = db.execute(f"SELECT checksum FROM {TABLE} WHERE key='a'").fetchone()
        assert row[0] == entry_checksum("a", "Alpha")
        db.execute(f"UPDATE {TABLE} SET text='Alpha!' WHERE key='a'")
    assert cache.get_many(["a", "b"]) == {"b": "Beta"}
    assert cache.dropped == 1 and len(cache) == 1  # deleted, so the next put stores it fresh
    cache.put_many([("a", "Alpha")])
    assert cache.get_many(["a"]) == {"a": "Alpha"}


def test_a_version_1_table_without_checksums_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE translations (key TEXT PRIMARY KEY, text TEXT, created REAL)")
        conn.execute("INSERT INTO translations VALUES ('a', 'stale', 0)")
    cache = TranslationCache(path)
    assert cache.get_many(["a"]) == {}
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "translations" not in tables


ROUNDS = 12
"""The race is decided in microseconds and a broken check loses it about one round in three."""


def _store_after(barrier: Barrier, path: Path, key: str) -> None:
    cache = TranslationCache(path)
    barrier.wait()  # both runs go for the damaged file at (nearly) the same moment
    cache.put_many([(key, key.upper())])


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_runs_meeting_one_damaged_file_move_it_aside_once(tmp_path: Path, round_: int) -> None:
    """Two processes share the cache; both hit the damage, only one moves the file aside."""
    path = tmp_path / "t.sqlite3"
    path.write_bytes(b"\x00not sqlite\x00" * 400)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2, timeout=60)
    runs = [context.Process(target=_store_after, args=(barrier, path, k)) for k in ("a", "b")]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert [run.exitcode for run in runs] == [0, 0]
    # The damaged file had no journal, so exactly one file: a second move would add the new
    # database with its -wal and -shm.
    assert len(list(tmp_path.glob("t.sqlite3.damaged-*"))) == 1
    assert TranslationCache(path).get_many(["a", "b"]) == {"a": "A", "b": "B"}


def test_a_folder_in_place_of_the_cache_file_is_a_file_system_error(tmp_path: Path) -> None:
    (tmp_path / "t.sqlite3").mkdir()
    with pytest.raises(FileSystemError, match="is a folder, not a database file"):
        TranslationCache(tmp_path / "t.sqlite3").get_many(["a"])
    assert (tmp_path / "t.sqlite3").is_dir()  # left alone


# --- speech and chunk caches ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("flipped byte", lambda d: d[:-1] + bytes([d[-1] ^ 1])),
        ("truncated", lambda d: d[: len(d) // 2]),
        ("zero-filled", lambda d: bytes(len(d))),
        ("no seal (older toolkit)", lambda d: d[len(SEAL_MAGIC) + 32 :]),
        ("empty", lambda d: b""),
    ],
)
def test_unseal_refuses_damage(name: str, stored: object) -> None:
    sealed = seal(b"payload bytes" * 10)
    assert unseal(sealed) == b"payload bytes" * 10
    assert unseal(stored(sealed)) is None  # type: ignore[operator]


def test_a_damaged_wav_is_deleted_and_counts_as_missing(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    audio = SpeechAudio(b"\x01\x02" * 500, 22_050)
    cache.put("silent", "ab" * 32, audio)
    path = tmp_path / "silent" / "ab" / f"{'ab' * 32}.wav"
    assert cache.info("silent", "ab" * 32) == (500, 22_050)
    assert cache.get("silent", "ab" * 32) == audio
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x40  # one sample: the WAV still parses, the checksum does not match
    path.write_bytes(bytes(data))
    assert cache.info("silent", "ab" * 32) is None
    assert not path.exists()  # dropped, so the next run synthesises and stores it again


def test_an_unsealed_wav_from_an_older_toolkit_is_redone(tmp_path: Path) -> None:
    path = tmp_path / "silent" / "cd" / f"{'cd' * 32}.wav"
    path.parent.mkdir(parents=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22_050)
        wav.writeframes(b"\0\0" * 100)
    assert SpeechCache(tmp_path).get("silent", "cd" * 32) is None
    assert not path.exists()


def test_chunk_cache_round_trip_and_damage(tmp_path: Path) -> None:
    cache = ChunkCache(tmp_path)
    cache.put("ef" * 32, b"\xff\xfb" + b"frames" * 100)
    assert cache.get("ef" * 32) == b"\xff\xfb" + b"frames" * 100
    path = tmp_path / "ef" / f"{'ef' * 32}.mp3"
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    assert cache.get("ef" * 32) is None and not path.exists()


def test_a_file_in_place_of_a_cache_folder_is_never_deleted(tmp_path: Path) -> None:
    (tmp_path / "silent").write_text("mine\n", encoding="utf-8")
    cache = SpeechCache(tmp_path)
    assert cache.get("silent", "ab" * 32) is None
    with pytest.raises(FileSystemError) as info:
        cache.put("silent", "ab" * 32, SpeechAudio(b"\0\0", 22_050))
    assert str(tmp_path / "silent") in info.value.message
    assert (tmp_path / "silent").read_text(encoding="utf-8") == "mine\n"
