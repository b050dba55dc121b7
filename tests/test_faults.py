"""Hostile cases as data: each row damages one thing, runs one command, and states the outcome.

Issue 16 ("nothing lost, nothing hangs") and the issues before it tried the toolkit the way a
careless or hostile user would. Every such case is a row of :data:`CASES`:

* ``arrange(world)`` prepares the damage (a corrupt cache, a broken model, a server that
  trickles, a disk that is full…) and returns the command line to run;
* ``exit_code`` and ``says`` are what the user must see (``says`` are substrings of the
  output; ``logs`` of the warnings logged);
* ``check(world, output)``, optional, inspects the files afterwards (nothing lost, the
  damaged entry recomputed, the old model still there…).

To add a case, write an ``arrange`` function (and a ``check`` if the outcome is in files),
then one ``Fault`` row. :class:`World` has the helpers: a short speech, tiny real Argos
packages, an HTTP server on 127.0.0.1 driven by plain functions, and :meth:`World.fail`,
which makes one file-system call fail with a given ``errno`` below a folder (a fault
injection hook, as OCRmyPDF's test plugins do), since a test cannot fill a real disk.

Every row fails on the code before the fix (it crashed as a "bug", hung, or exited 0 with
wrong output).
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from local_server import serving
from tiny_argos import build_tiny_argos_package
from typer.testing import CliRunner

from toolkit import config
from toolkit.cli import app
from toolkit.translate import models

REPO = Path(__file__).resolve().parent.parent
SHORT_SPEECH = REPO / "tests" / "data" / "build" / "short-statement.en.md"
runner = CliRunner()

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class TinyPackages:
    """Real (random-weight) Argos packages built once per session."""

    fr: Path
    """en→fr 0.0.1, good."""
    fr_v2: Path
    """en→fr 0.0.2, good."""
    es: Path
    """en→es 0.0.1, good."""


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory: pytest.TempPathFactory) -> TinyPackages:
    folder = tmp_path_factory.mktemp("fault-packages")
    return TinyPackages(
        fr=build_tiny_argos_package(folder, "en", "fr", "0.0.1"),
        fr_v2=build_tiny_argos_package(folder, "en", "fr", "0.0.2"),
        es=build_tiny_argos_package(folder, "en", "es", "0.0.1"),
    )


class _Routes(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Handler] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        # The client giving up on us is the point of most routes.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class World:
    """Everything a fault row may need, fresh for each row."""

    tmp: Path
    home: Path
    packages: TinyPackages
    monkeypatch: pytest.MonkeyPatch
    out: Path = field(init=False)
    speech: Path = field(init=False)
    notes: dict[str, Any] = field(default_factory=dict)
    """What ``arrange`` remembers for ``check`` (the clean MP3, the good model…)."""
    servers: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    """The local HTTP servers this row started; closed with the world."""

    def __post_init__(self) -> None:
        self.out = self.tmp / "out"
        self.speech = self.tmp / SHORT_SPEECH.name  # alone: no reference translation beside it
        shutil.copy(SHORT_SPEECH, self.speech)

    @property
    def cache(self) -> Path:
        return config.cache_dir()

    @property
    def models(self) -> Path:
        return config.models_dir()

    def run(self, *args: str) -> str:
        """Run a command that must succeed (to set the scene); return its output."""
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    def install(self, package: Path) -> None:
        self.run("models", "install", str(package))

    def serve(self, routes: dict[str, Handler]) -> str:
        """Serve ``routes`` (path → function of the request handler) on 127.0.0.1.

        The dict stays live: routes added after the call (that need the base URL) are served.
        """
        handler = type("Routes", (_Routes,), {"routes": routes})
        return self.servers.enter_context(serving(handler))

    def fail(self, call: str, code: int, under: Path) -> None:
        """Make one kind of file-system call fail with ``code`` for paths below ``under``.

        ``call`` is ``write`` (a ``write()`` that fails: the error carries no file name, as
        the kernel's does not), ``mkdir``, ``replace`` or ``mkstemp``.
        """
        under = Path(under)

        def below(path: Any) -> bool:
            return Path(os.fsdecode(path)).is_relative_to(under)

        def error(path: Any = None) -> OSError:
            return OSError(code, os.strerror(code), *([os.fsdecode(path)] if path else []))

        if call == "write":
            original_write = Path.write_bytes

            def write_bytes(self: Path, data: Any) -> int:
                if below(self):
                    raise error()
                return original_write(self, data)

            self.monkeypatch.setattr(Path, "write_bytes", write_bytes)
        elif call == "mkdir":
            original_mkdir = Path.mkdir

            def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
                if below(self) and not self.is_dir():
                    raise error(self)
                original_mkdir(self, *args, **kwargs)

            self.monkeypatch.setattr(Path, "mkdir", mkdir)
        elif call == "replace":
            original_replace = os.replace

            def replace(src: Any, dst: Any, **kwargs: Any) -> None:
                if below(dst):
                    raise OSError(code, os.strerror(code), os.fsdecode(src), None, os.fsdecode(dst))
                original_replace(src, dst, **kwargs)

            self.monkeypatch.setattr(os, "replace", replace)
        elif call == "mkstemp":
            original_mkstemp = tempfile.mkstemp

            def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
                folder = kwargs.get("dir")
                if folder is not None and below(folder):
                    raise error(Path(folder) / "tmpXXXX")
                return original_mkstemp(*args, **kwargs)

            self.monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
        else:
            raise ValueError(call)

    def close(self) -> None:
        self.servers.close()


@dataclass(frozen=True)
class Fault:
    """One hostile case and what the user must see."""

    name: str
    """Test id."""
    item: str
    """Where it was reported, e.g. ``16.4`` (issue 16, item 4)."""
    arrange: Callable[[World], list[str]]
    """Prepare the damage; return the command line to run."""
    exit_code: int
    """Expected exit code (see the README's table)."""
    says: tuple[str, ...] = ()
    """Substrings of the command's output (``{out}``, ``{home}``, ``{tmp}`` are filled in)."""
    logs: tuple[str, ...] = ()
    """Substrings of the warnings logged."""
    check: Callable[[World, str], None] | None = None
    """Look at the files afterwards."""


# --- helpers shared by rows ------------------------------------------------------------------


def translate_fake(world: World, *extra: str) -> list[str]:
    return [
        "translate",
        str(world.speech),
        "--to",
        "fr",
        "--engine",
        "fake",
        "--out",
        str(world.out),
        *extra,
    ]


def audio_silent(world: World, out: Path | None = None) -> list[str]:
    return ["audio", str(world.speech), "--tts", "silent", "--out", str(out or world.out)]


def audio_again_elsewhere(world: World) -> list[str]:
    """Keep the clean reading; read again into a new folder, from the (damaged) caches."""
    world.notes["clean mp3"] = mp3_of(world)
    world.out = world.tmp / "out-again"
    return audio_silent(world)


def translation_json(world: World) -> str:
    return (world.out / "short-statement" / "short-statement.fr.json").read_text(encoding="utf-8")


def mp3_of(world: World) -> bytes:
    return (world.out / "short-statement" / "short-statement.en.mp3").read_bytes()


def flip_tail(path: Path, n: int = 16) -> None:
    """Change the last ``n`` bytes: same size, still parses, different (and, in silence,
    loud) content."""
    data = bytearray(path.read_bytes())
    data[-n:] = bytes((b + 0x55) & 0xFF for b in data[-n:])
    path.write_bytes(bytes(data))


def cache_entries(folder: Path, suffix: str) -> list[Path]:
    return sorted(p for p in folder.rglob(f"*{suffix}") if not p.name.startswith("."))


def damaged_files(world: World) -> list[Path]:
    return sorted(world.cache.glob("translations.sqlite3.damaged-*"))


# --- 16.4 caches -------------------------------------------------------------------------------


def cache_not_a_database(world: World) -> list[str]:
    world.cache.mkdir(parents=True)
    (world.cache / "translations.sqlite3").write_bytes(b"this is not SQLite " * 500)
    return translate_fake(world)


def check_moved_aside(world: World, output: str) -> None:
    (aside,) = damaged_files(world)
    assert aside.read_bytes().startswith(b"this is not SQLite")  # kept for inspection
    with sqlite3.connect(world.cache / "translations.sqlite3") as conn:  # rebuilt, and filled
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables) > 0


def cache_malformed(world: World) -> list[str]:
    world.run(*translate_fake(world))
    path = world.cache / "translations.sqlite3"
    with sqlite3.connect(path) as conn:  # fold the WAL in, so the damage is in the file read
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    assert len(data) >= 2 * page
    data[page : 2 * page] = b"\xa5" * page  # the second page: a b-tree page, now garbage
    path.write_bytes(bytes(data))
    return translate_fake(world)


def check_malformed_recovered(world: World, output: str) -> None:
    assert len(damaged_files(world)) == 1
    assert "[fr]" in translation_json(world)


def cache_row_tampered(world: World) -> list[str]:
    world.run(*translate_fake(world))
    with sqlite3.connect(world.cache / "translations.sqlite3") as conn:
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            conn.execute(f"UPDATE {table} SET text = 'TAMPERED TEXT'")  # noqa: S608 - test
    return translate_fake(world)


def check_not_tampered(world: World, output: str) -> None:
    text = translation_json(world)
    assert "TAMPERED" not in text and "[fr]" in text


def cache_file_is_a_folder(world: World) -> list[str]:
    (world.cache / "translations.sqlite3").mkdir(parents=True)
    return translate_fake(world)


def cache_folder_is_a_file(world: World) -> list[str]:
    world.cache.parent.mkdir(parents=True, exist_ok=True)
    world.cache.write_text("someone's notes\n", encoding="utf-8")
    return translate_fake(world)


def check_file_kept(world: World, output: str) -> None:
    assert world.cache.read_text(encoding="utf-8") == "someone's notes\n"  # never deleted


def speech_cache_is_a_file(world: World) -> list[str]:
    world.cache.mkdir(parents=True)
    (world.cache / "tts").write_text("not a folder\n", encoding="utf-8")
    return audio_silent(world)


def wav_damaged(world: World) -> list[str]:
    world.run(*audio_silent(world))
    wavs = cache_entries(world.cache / "tts", ".wav")
    assert wavs
    for wav in wavs:
        flip_tail(wav, 64)  # the samples, not the header: same size, "valid" WAV
    shutil.rmtree(world.cache / "tts-mp3")  # so the reading is assembled from the WAVs again
    return audio_again_elsewhere(world)


def chunk_damaged(world: World) -> list[str]:
    world.run(*audio_silent(world))
    chunks = cache_entries(world.cache / "tts-mp3", ".mp3")
    assert chunks
    for chunk in chunks:
        flip_tail(chunk)  # inside the last frame's data: the frame count is unchanged
    return audio_again_elsewhere(world)


def check_same_audio(world: World, output: str) -> None:
    assert mp3_of(world) == world.notes["clean mp3"]


# --- 16.5 models -------------------------------------------------------------------------------


def rezip(source: Path, dest: Path, edit: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a package, passing each member through ``edit`` (None drops it)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = edit(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info, data)
    return dest


def installed_model_bin(world: World) -> Path:
    return world.models / "translate-en_fr" / "model" / "model.bin"


def newer(name: str, data: bytes) -> bytes:
    if name.endswith("metadata.json"):
        return data.replace(b'"0.0.1"', b'"0.0.9"')
    return data


def random_model_bin(world: World) -> list[str]:
    world.install(world.packages.fr)
    bad = rezip(
        world.packages.fr,
        world.tmp / "random-bin.argosmodel",
        lambda n, d: os.urandom(len(d)) if n.endswith("model/model.bin") else newer(n, d),
    )
    world.notes["good model.bin"] = installed_model_bin(world).read_bytes()
    return ["models", "install", str(bad)]


def garbage_bpe_tokenizer(world: World) -> list[str]:
    world.install(world.packages.fr)
    rng = os.urandom(4096)

    def edit(name: str, data: bytes) -> bytes | None:
        if name.endswith("sentencepiece.model"):
            return None  # the package's tokenizer is now the BPE file below
        if name.endswith("metadata.json"):
            return newer(name, data)
        return data

    bad = rezip(world.packages.fr, world.tmp / "garbage-bpe.argosmodel", edit)
    with zipfile.ZipFile(bad, "a") as zf:
        zf.writestr("translate-en_fr-0_0_1/bpe.model", rng)
    world.notes["good model.bin"] = installed_model_bin(world).read_bytes()
    return ["models", "install", str(bad)]


def model_that_hangs(world: World) -> list[str]:
    """A model that never answers: the test run is given far less time than it needs."""
    world.install(world.packages.fr)
    world.notes["good model.bin"] = installed_model_bin(world).read_bytes()
    world.monkeypatch.setattr(models, "MODEL_CHECK_TIMEOUT", 0.05)
    return ["models", "install", str(world.packages.fr_v2)]


def check_old_model_kept(world: World, output: str) -> None:
    (package,) = models.installed_packages()
    assert package.package_version == "0.0.1"
    assert installed_model_bin(world).read_bytes() == world.notes["good model.bin"]
    assert [p.name for p in world.models.iterdir()] == ["translate-en_fr"]  # no leftovers


def break_installed_model(world: World) -> None:
    world.install(world.packages.fr)
    model_bin = installed_model_bin(world)
    model_bin.write_bytes(os.urandom(model_bin.stat().st_size))


def break_installed_tokenizer(world: World) -> list[str]:
    world.install(world.packages.fr)
    (world.models / "translate-en_fr" / "sentencepiece.model").write_bytes(os.urandom(5000))
    return [
        "translate", str(world.speech), "--to", "fr", "--engine", "argos", "--no-cache",
        "--out", str(world.out),
    ]  # fmt: skip


def broken_model_translate(world: World) -> list[str]:
    break_installed_model(world)
    return [
        "translate",
        str(world.speech),
        "--to",
        "fr",
        "--engine",
        "argos",
        "--no-cache",
        "--out",
        str(world.out),
    ]


def broken_model_build(world: World) -> list[str]:
    break_installed_model(world)
    return [
        "build", str(world.speech), "--to", "fr", "--engine", "argos", "--tts", "silent",
        "--no-pdf", "-j", "1", "--out", str(world.out),
    ]  # fmt: skip


def stale_partials(world: World) -> list[str]:
    world.models.mkdir(parents=True)
    stale = world.models / ".partial-translate-en_fr-k1ll3d"
    (stale / "model").mkdir(parents=True)
    (stale / "model" / "model.bin").write_bytes(b"\0" * (1 << 20))
    (world.models / ".partial-download-k1ll3d.argosmodel").write_bytes(b"PK" + b"\0" * 4096)
    return ["models", "install", str(world.packages.fr)]


def killed_install(world: World) -> list[str]:
    """A real ``kill -9`` of ``toolkit models install`` while the package is unpacked."""
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "models", "install", str(world.packages.fr)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seen: list[Path] = []
    try:
        for _ in range(6000):  # at most ~30 s
            seen = list(world.models.glob(".partial-*")) if world.models.is_dir() else []
            if seen or process.poll() is not None:
                break
            time.sleep(0.005)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert seen, "the install finished before it could be killed"
    assert list(world.models.glob(".partial-*")), "a killed install leaves its folder"
    return ["models", "install", str(world.packages.fr)]


def check_no_partials(world: World, output: str) -> None:
    assert [p.name for p in world.models.iterdir()] == ["translate-en_fr"]


def swap_interrupted(world: World) -> list[str]:
    """A kill between the two renames of a reinstall: the old package is set aside only."""
    world.install(world.packages.fr)
    (world.models / "translate-en_fr").rename(world.models / ".retired-translate-en_fr-4242")
    return ["models", "install", str(world.packages.es)]


def swap_interrupted_then_translate(world: World) -> list[str]:
    world.install(world.packages.fr)
    (world.models / "translate-en_fr").rename(world.models / ".retired-translate-en_fr-4242")
    return [
        "translate", str(world.speech), "--to", "fr", "--engine", "argos", "--no-cache",
        "--out", str(world.out),
    ]  # fmt: skip


def check_restored(world: World, output: str) -> None:
    assert [p.name for p in world.models.iterdir()] == ["translate-en_fr"]


def check_both_installed(world: World, output: str) -> None:
    pairs = [(p.to_code, p.package_version) for p in models.installed_packages()]
    assert pairs == [("es", "0.0.1"), ("fr", "0.0.1")]
    assert sorted(p.name for p in world.models.iterdir()) == ["translate-en_es", "translate-en_fr"]


# --- 16.6 downloads ------------------------------------------------------------------------------


def endless(chunk: bytes, cap: int) -> Handler:
    """A 200 whose body never ends (until ``cap`` bytes, so that old code cannot hang CI)."""

    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.end_headers()
        sent = 0
        while sent < cap:
            h.wfile.write(chunk)
            sent += len(chunk)

    return route


def trickle(every: float, until: float, piece: bytes = b" ") -> Handler:
    """A 200 that sends ``piece`` every ``every`` seconds for ``until`` seconds."""

    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.end_headers()
        h.wfile.write(b"[")
        h.wfile.flush()
        stop = time.monotonic() + until
        while time.monotonic() < stop:
            time.sleep(every)
            h.wfile.write(piece)
            h.wfile.flush()

    return route


def index_of(base: str, link: str) -> Handler:
    body = (
        b'[{"from_code": "en", "to_code": "fr", "package_version": "0.0.2", '
        b'"type": "translate", "links": ["' + (base + link).encode() + b'"]}]'
    )

    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return route


def use_index(world: World, routes: dict[str, Handler]) -> str:
    """Serve ``routes`` and point ``ARGOS_PACKAGE_INDEX`` at them; return the base URL."""
    base = world.serve(routes)
    world.monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base + "/")
    return base


def index_linking(world: World, link: str, route: Handler) -> list[str]:
    """An index offering en→fr at ``link``, served by ``route``; run ``models install fr``."""
    routes: dict[str, Handler] = {link: route}
    base = use_index(world, routes)
    routes["/index.json"] = index_of(base, link)
    return ["models", "install", "fr"]


def index_endless(world: World) -> list[str]:
    use_index(world, {"/index.json": endless(b"[" * 65536, 64 << 20)})
    return ["models", "install", "fr"]


def index_trickles(world: World) -> list[str]:
    world.monkeypatch.setattr(
        models, "INDEX_LIMITS", models.DownloadLimits(1 << 20, 30.0, 5.0, 64, 1.0)
    )
    use_index(world, {"/index.json": trickle(0.2, 15.0)})
    return ["models", "install", "fr"]


def index_slow_but_steady(world: World) -> list[str]:
    world.monkeypatch.setattr(
        models, "INDEX_LIMITS", models.DownloadLimits(1 << 20, 1.5, 5.0, 1, 10.0)
    )
    use_index(world, {"/index.json": trickle(0.05, 15.0, b" " * 100)})
    return ["models", "install", "fr"]


def index_not_http(world: World) -> list[str]:
    def garbage(h: http.server.BaseHTTPRequestHandler) -> None:
        h.wfile.write(b"SURPRISE 200 nothing like HTTP\r\n\r\n")

    use_index(world, {"/index.json": garbage})
    return ["models", "install", "fr"]


def index_trickles_its_headers(world: World) -> list[str]:
    """Status line, then one header byte at a time: no body for read1 to bound."""
    world.monkeypatch.setattr(models, "INDEX_LIMITS", models.DownloadLimits(1 << 20, 1.5, 5.0))

    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
        stop = time.monotonic() + 15.0
        while time.monotonic() < stop:
            time.sleep(0.1)
            h.wfile.write(b"a")
            h.wfile.flush()

    use_index(world, {"/index.json": route})
    return ["models", "install", "fr"]


def package_announces_too_much(world: World) -> list[str]:
    def huge(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(3 << 30))
        h.end_headers()
        h.wfile.write(b"PK\x03\x04" + b"\0" * 4096)

    return index_linking(world, "/huge.argosmodel", huge)


def package_endless(world: World) -> list[str]:
    world.monkeypatch.setattr(models, "PACKAGE_LIMITS", models.DownloadLimits(1 << 20, 60.0))
    return index_linking(world, "/endless.argosmodel", endless(b"\0" * 65536, 64 << 20))


def check_nothing_installed(world: World, output: str) -> None:
    assert not world.models.exists() or list(world.models.iterdir()) == []


# --- 16.7 translation JSON that does not match its speech -----------------------------------


def edited_translation(
    edit: Callable[[dict[str, Any]], None], command: str = "audio"
) -> Callable[[World], list[str]]:
    """Make a translation JSON, apply ``edit`` to its data, then hand it to ``command``."""

    def arrange(world: World) -> list[str]:
        world.run(*translate_fake(world, "--no-cache"))
        path = world.out / "short-statement" / "short-statement.fr.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        world.notes["json"] = path
        if command == "pdf":
            return ["pdf", str(path), "--out", str(world.tmp / "pdf-out")]
        return ["audio", str(path), "--tts", "silent", "--out", str(world.tmp / "audio-out")]

    return arrange


def drop_a_sentence(data: dict[str, Any]) -> None:
    del data["paragraphs"][len(data["paragraphs"]) // 2]["sentences"][-1]


def repeat_a_sentence(data: dict[str, Any]) -> None:
    sentences = data["paragraphs"][-1]["sentences"]
    sentences.append(dict(sentences[0]))


def rename_a_sentence(data: dict[str, Any]) -> None:
    data["paragraphs"][-1]["sentences"][0]["id"] = "p99s01"


def duplicate_a_paragraph(data: dict[str, Any]) -> None:
    data["paragraphs"].insert(1, data["paragraphs"][1])


def no_paragraphs(data: dict[str, Any]) -> None:
    data["paragraphs"] = []


def move_a_sentence(data: dict[str, Any]) -> None:
    first, last = data["paragraphs"][-2], data["paragraphs"][-1]
    last["sentences"].insert(0, first["sentences"].pop())


def newer_format(data: dict[str, Any]) -> None:
    data["format"] = "toolkit.translation/9"


def check_no_output(world: World, output: str) -> None:
    for folder in ("pdf-out", "audio-out"):
        made = world.tmp / folder
        assert not made.exists() or not [p for p in made.rglob("*") if p.is_file()]


# --- file-system errors (16.7): the documented code 7, the path and a hint ----------------------


def disk_full_output(world: World) -> list[str]:
    world.fail("write", errno.ENOSPC, world.out)
    return translate_fake(world)


def read_only_output(world: World) -> list[str]:
    world.fail("replace", errno.EROFS, world.out)
    return audio_silent(world)


def check_no_partial_outputs(world: World, output: str) -> None:
    leftovers = [p for p in world.out.rglob("*") if p.is_file()] if world.out.exists() else []
    assert leftovers == []


def cache_permission_denied(world: World) -> list[str]:
    world.fail("mkdir", errno.EACCES, world.cache)
    return translate_fake(world)


def speech_cache_disk_full(world: World) -> list[str]:
    world.fail("mkstemp", errno.ENOSPC, world.cache / "tts")
    return audio_silent(world)


CASES: list[Fault] = [
    # 16.4 — caches heal themselves; a file in a cache folder's place is a clear error
    Fault(
        "translation-cache-not-a-database", "16.4", cache_not_a_database, 0,
        logs=("moved it aside to", "translations.sqlite3.damaged-"), check=check_moved_aside,
    ),
    Fault(
        "translation-cache-malformed-page", "16.4", cache_malformed, 0,
        logs=("database disk image is malformed",), check=check_malformed_recovered,
    ),
    Fault(
        "translation-cache-row-tampered", "16.4", cache_row_tampered, 0,
        logs=("damaged entries from the translation cache",), check=check_not_tampered,
    ),
    Fault(
        "translation-cache-file-is-a-folder", "16.4", cache_file_is_a_folder, 7,
        says=("translations.sqlite3 is a folder", "Move"),
    ),
    Fault(
        "cache-folder-is-a-file", "16.4", cache_folder_is_a_file, 7,
        says=("{home}/cache: File exists", "where a folder is expected"), check=check_file_kept,
    ),
    Fault(
        "speech-cache-folder-is-a-file", "16.4", speech_cache_is_a_file, 7,
        says=("{home}/cache/tts", "(ENOTDIR)", "move that file away"),
    ),
    Fault(
        "wav-cache-entry-damaged", "16.4", wav_damaged, 0,
        says=("synthesised",), check=check_same_audio,
    ),
    Fault("mp3-chunk-cache-entry-damaged", "16.4", chunk_damaged, 0, check=check_same_audio),
    # 16.5 — models run once before they replace anything; a broken one is a model error
    Fault(
        "install-random-model-bin", "16.5", random_model_bin, 4,
        says=("Refusing random-bin.argosmodel", "failed on a test sentence", "unchanged"),
        check=check_old_model_kept,
    ),
    Fault(
        "install-garbage-bpe-tokenizer", "16.5", garbage_bpe_tokenizer, 4,
        says=("Refusing garbage-bpe.argosmodel", "test sentence"), check=check_old_model_kept,
    ),
    Fault(
        "install-model-that-hangs", "16.5", model_that_hangs, 4,
        says=("did not translate a test sentence within 0.05 s",), check=check_old_model_kept,
    ),
    Fault(
        "translate-with-broken-installed-model", "16.5", broken_model_translate, 4,
        says=("translate-en_fr 0.0.1 model", "is broken", "toolkit models install fr"),
    ),
    Fault(
        "translate-with-broken-installed-tokenizer", "16.5", break_installed_tokenizer, 4,
        says=("translate-en_fr 0.0.1 model", "is broken", "sentencepiece.model"),
    ),
    Fault(
        "build-with-broken-installed-model", "16.5", broken_model_build, 10,
        says=("skipped fr", "is broken"),
    ),
    Fault("stale-partial-folders-cleaned", "16.5", stale_partials, 0, check=check_no_partials),
    Fault("kill-9-during-install", "16.5", killed_install, 0, check=check_no_partials),
    Fault(
        "install-killed-between-renames", "16.5", swap_interrupted, 0,
        logs=("Restored translate-en_fr",), check=check_both_installed,
    ),
    Fault(
        "translate-after-install-killed-between-renames", "16.5",
        swap_interrupted_then_translate, 0,
        logs=("Restored translate-en_fr",), check=check_restored,
    ),
    # 16.6 — downloads bounded by size, total time and speed
    Fault(
        "index-with-an-endless-body", "16.6", index_endless, 5,
        says=("Refusing the model index", "larger than the 16 MiB accepted", "models install PATH"),
        check=check_nothing_installed,
    ),
    Fault(
        "index-trickling-a-byte-at-a-time", "16.6", index_trickles, 5,
        says=("Refusing the model index", "(stalled)"), check=check_nothing_installed,
    ),
    Fault(
        "index-slow-but-steady", "16.6", index_slow_but_steady, 5,
        says=("did not finish within 1.5 s",), check=check_nothing_installed,
    ),
    Fault(
        "index-trickling-its-headers", "16.6", index_trickles_its_headers, 5,
        says=("Refusing the model index", "did not finish within 1.5 s"),
    ),
    Fault(
        "index-server-not-speaking-http", "16.6", index_not_http, 5,
        says=("Cannot reach the model index", "models install PATH"),
    ),
    Fault(
        "package-announcing-3-gib", "16.6", package_announces_too_much, 5,
        says=("huge.argosmodel: refused, it announces 3.0 GiB",), check=check_nothing_installed,
    ),
    Fault(
        "package-with-an-endless-body", "16.6", package_endless, 5,
        says=("larger than the 1 MiB accepted",), check=check_nothing_installed,
    ),
    # 16.7 — a translation JSON must match its speech 1:1, in a format this toolkit reads
    Fault(
        "translation-json-missing-a-sentence", "16.7", edited_translation(drop_a_sentence), 3,
        says=("does not match the speech it translates", "of its speech is missing"),
        check=check_no_output,
    ),
    Fault(
        "translation-json-sentence-twice", "16.7",
        edited_translation(repeat_a_sentence, "pdf"), 3,
        says=("sentence p", "appears twice"), check=check_no_output,
    ),
    Fault(
        "translation-json-wrong-sentence-id", "16.7", edited_translation(rename_a_sentence), 3,
        says=("sentence p99s01 (paragraph p", "is not in its speech"), check=check_no_output,
    ),
    Fault(
        "translation-json-duplicate-paragraph", "16.7",
        edited_translation(duplicate_a_paragraph, "pdf"), 3,
        says=("appears twice",), check=check_no_output,
    ),
    Fault(
        "translation-json-no-paragraphs", "16.7", edited_translation(no_paragraphs), 3,
        says=("it has no paragraphs, but its speech has",), check=check_no_output,
    ),
    Fault(
        "translation-json-sentence-moved", "16.7", edited_translation(move_a_sentence), 3,
        says=("but belongs to",), check=check_no_output,
    ),
    Fault(
        "translation-json-newer-format", "16.7", edited_translation(newer_format), 3,
        says=("'toolkit.translation/9'", "newer toolkit"), check=check_no_output,
    ),
    # 16.7 — every OSError from the file system: exit 7, the path, a hint; never "a bug"
    Fault(
        "disk-full-writing-a-translation", "16.7", disk_full_output, 7,
        says=("{out}/short-statement/short-statement.fr.json", "(ENOSPC)", "is full"),
        check=check_no_partial_outputs,
    ),
    Fault(
        "read-only-output-folder", "16.7", read_only_output, 7,
        says=("short-statement.en.", "(EROFS)", "read-only file system"),
        check=check_no_partial_outputs,
    ),
    Fault(
        "permission-denied-on-the-cache", "16.7", cache_permission_denied, 7,
        says=("{home}/cache", "(EACCES)", "ls -ld"),
    ),
    Fault(
        "disk-full-in-the-speech-cache", "16.7", speech_cache_disk_full, 7,
        says=("{home}/cache/tts", "(ENOSPC)"),
    ),
]  # fmt: skip


@pytest.fixture
def world(
    tmp_path: Path,
    isolated_home: Path,
    tiny_packages: TinyPackages,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    w = World(tmp_path, isolated_home, tiny_packages, monkeypatch)
    try:
        yield w
    finally:
        w.close()


@pytest.mark.parametrize("fault", CASES, ids=[c.name for c in CASES])
def test_hostile_case(fault: Fault, world: World, caplog: pytest.LogCaptureFixture) -> None:
    args = fault.arrange(world)
    with caplog.at_level(logging.WARNING):
        result = runner.invoke(app, args)
    output = result.output
    assert result.exit_code == fault.exit_code, output
    assert "unexpected" not in output and "this is a bug" not in output, output
    assert "Traceback" not in output, output
    flat = " ".join(output.split())  # rich tables and wrapped hints
    for expected in fault.says:
        text = expected.format(out=world.out, home=world.home, tmp=world.tmp)
        assert text in output or text in flat, f"{text!r} not in:\n{output}"
    for expected in fault.logs:
        assert expected in caplog.text, caplog.text
    if fault.check is not None:
        fault.check(world, output)


def test_every_case_names_its_issue_item() -> None:
    assert len({c.name for c in CASES}) == len(CASES)
    assert all(c.item.startswith("16.") for c in CASES)


# --- a real kernel error, not an injected one ---------------------------------------------------


def test_a_real_file_size_limit_is_a_file_system_error(tmp_path: Path) -> None:
    """``ulimit -f``: the kernel fails ``write()`` with EFBIG and no file name."""
    import resource

    speech = tmp_path / SHORT_SPEECH.name
    shutil.copy(SHORT_SPEECH, speech)
    out = tmp_path / "out"
    limit = 2048  # bytes: the translation JSON is larger

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "translate", str(speech), "--to", "fr",
         "--engine", "fake", "--no-cache", "--out", str(out)],
        capture_output=True, text=True, preexec_fn=small_files, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 7, done.stderr
    assert f"{out}/short-statement/short-statement.fr.json: File too large (EFBIG)" in done.stderr
    assert "ulimit -f" in done.stderr
    assert not [p for p in out.rglob("*") if p.is_file()]  # no partial file left
