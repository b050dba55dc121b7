"""The delegate pack on disk: a typed manifest, the previous pack, the lock and the commit.

A pack is the folder ``<out>/<slug>/``: the files of every language and ``manifest.json``,
which lists each file with its sha256, size, language, the stage that made it and that
stage's *key* (a hash of its inputs and options). A build writes new files into a staging
folder beside the pack (same file system), then :func:`commit` moves them in — identical
files are left untouched, files edited by hand are set aside, never destroyed — and writes
the manifest last, atomically. Until then the previous pack and its manifest are intact.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import OutputError
from toolkit.export import paths
from toolkit.pipeline.lock import LockHolder, exclusive

MANIFEST_FORMAT = "toolkit.manifest/1"
MANIFEST_NAME = "manifest.json"

logger = logging.getLogger(__name__)

Status = Literal["ok", "skipped", "failed"]


@dataclass(frozen=True)
class AudioDetails:
    """What the audio stage recorded about a reading."""

    engine: str | None
    """Speech engine that spoke (``espeak``, ``gtts``, ``silent``; never ``auto``)."""
    note: str | None = None
    """Why the engine differs from the one asked for (e.g. gTTS unreachable)."""
    duration_s: float | None = None
    """Duration in seconds."""


@dataclass(frozen=True)
class OutputFile:
    """One file of the pack, as listed in the manifest."""

    path: str
    """Path relative to the manifest's folder."""
    sha256: str
    """SHA-256 of the file's bytes."""
    bytes: int
    """Size in bytes."""
    lang: str
    """Language the file belongs to (``en`` for the source's own files)."""
    stage: str
    """Stage that produced it: speech, translation, pdf, audio, transcript, zip."""
    key: str
    """Hash of the stage's inputs and options; an unchanged key means the file is still valid."""
    audio: AudioDetails | None = None
    """For the MP3 of a reading: engine, note and duration."""
    staged: bool = field(default=False, compare=False)
    """True when this run wrote the file into the staging folder (False: reused from the
    pack). Not written to the manifest."""

    def to_dict(self) -> dict[str, Any]:
        """The manifest's entry for the file."""
        entry: dict[str, Any] = {
            "path": self.path,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "lang": self.lang,
            "stage": self.stage,
            "key": self.key,
        }
        if self.audio is not None:
            entry["audio"] = asdict(self.audio)
        return entry

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutputFile:
        """Inverse of :meth:`to_dict`."""
        audio = data.get("audio")
        return cls(
            path=data["path"],
            sha256=data["sha256"],
            bytes=data["bytes"],
            lang=data["lang"],
            stage=data["stage"],
            key=data.get("key", ""),
            audio=AudioDetails(**audio) if isinstance(audio, Mapping) else None,
        )


@dataclass(frozen=True)
class TranslationDetails:
    """What the manifest says about one language's translation."""

    engine: str
    """Engine that made it (``reference``, ``argos``, ``fake``)."""
    model: str | None
    """Model package or reference file."""
    model_version: str | None
    """Package version or reference sha256."""
    sentences: int
    """Sentences translated."""
    cached: int
    """Served from the translation cache."""
    flagged: int
    """Sentences with flags for a reviewer."""
    review_rows: int = 0
    """Paragraphs (PDF rows) with such a flag, as the PDF masthead counts them."""
    signature: str | None = None
    """The engine's provenance signature (see :class:`toolkit.document.Signature`)."""


@dataclass(frozen=True)
class LanguageEntry:
    """The manifest's entry for one language."""

    status: Status
    """ok, skipped or failed."""
    reason: str | None = None
    """Why it was skipped or failed."""
    fix: str | None = None
    """Command that fixes a skipped language."""
    translation: TranslationDetails | None = None
    """The translation (None for English)."""
    audio: AudioDetails | None = None
    """The reading, when one was made."""
    files: tuple[str, ...] = ()
    """The language's files (paths relative to the manifest)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (only the fields that apply)."""
        entry: dict[str, Any] = {"status": self.status}
        if self.status != "ok":
            entry.update(reason=self.reason, fix=self.fix)
            return entry
        if self.translation is not None:
            details = asdict(self.translation)
            if details["signature"] is None:
                del details["signature"]
            entry["translation"] = details
        if self.audio is not None:
            entry["audio"] = asdict(self.audio)
        entry["files"] = list(self.files)
        return entry

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LanguageEntry:
        """Inverse of :meth:`to_dict`."""
        translation = data.get("translation")
        audio = data.get("audio")
        return cls(
            status=data.get("status", "ok"),
            reason=data.get("reason"),
            fix=data.get("fix"),
            translation=TranslationDetails(**translation) if translation else None,
            audio=AudioDetails(**audio) if audio else None,
            files=tuple(data.get("files", ())),
        )


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``: what the pack holds and how each file was made."""

    slug: str
    """Speech identifier."""
    source_path: str
    """The English source as given to the build."""
    source_sha256: str
    """SHA-256 of the source's bytes."""
    toolkit_version: str
    """Toolkit that wrote the pack."""
    options: Mapping[str, Any]
    """The build options (:meth:`toolkit.options.BuildOptions.manifest_options`)."""
    languages: Mapping[str, LanguageEntry]
    """Per language, in pack order (English first)."""
    files: tuple[OutputFile, ...]
    """Every file of the pack but the manifest itself."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form, ``format`` first."""
        return {
            "format": MANIFEST_FORMAT,
            "toolkit_version": self.toolkit_version,
            "slug": self.slug,
            "source": {"path": self.source_path, "sha256": self.source_sha256},
            "options": dict(self.options),
            "languages": {lang: entry.to_dict() for lang, entry in self.languages.items()},
            "files": [f.to_dict() for f in self.files],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Manifest:
        """Inverse of :meth:`to_dict` (KeyError/TypeError/ValueError on a malformed one)."""
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"not a {MANIFEST_FORMAT} manifest")
        return cls(
            slug=data["slug"],
            source_path=data["source"]["path"],
            source_sha256=data["source"]["sha256"],
            toolkit_version=data.get("toolkit_version", ""),
            options=dict(data.get("options", {})),
            languages={k: LanguageEntry.from_dict(v) for k, v in data["languages"].items()},
            files=tuple(OutputFile.from_dict(f) for f in data["files"]),
        )

    def file(self, path: str) -> OutputFile | None:
        """The entry for ``path``, if listed."""
        return next((f for f in self.files if f.path == path), None)


# --------------------------------------------------------------------------- reading safely


class PackPathError(OutputError):
    """A manifest entry names a path outside its pack; the toolkit refuses to touch it."""

    default_hint = (
        "A pack's manifest lists only files inside the pack; this one was edited or forged. "
        "Delete the manifest (the next build rebuilds and keeps differing files as "
        ".edited copies) or restore it."
    )


class DamagedManifest(ValueError):
    """``manifest.json`` exists but cannot be used (not JSON, missing keys, bad values)."""


def member_problem(rel: object) -> str | None:
    """Why ``rel`` cannot name a file of a pack, from its text alone (None: it can).

    A member is a relative POSIX path without ``.``/``..``/empty parts or backslashes, and
    not the manifest itself: ``../../victim.txt`` and ``/etc/passwd`` are refused.
    """
    if not isinstance(rel, str) or not rel:
        return "an empty or non-text path"
    if "\0" in rel or "\\" in rel:
        return "a path with a NUL or backslash"
    if rel.startswith("/"):
        return "an absolute path"
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return "a path that leaves the pack"
    if rel == MANIFEST_NAME:
        return "the manifest itself"
    return None


def member(folder: Path, rel: str) -> Path:
    """``folder / rel``, or :class:`PackPathError` if it leaves the pack.

    Checked by the text of ``rel`` and on disk: no component may be a symbolic link that
    resolves outside ``folder`` (a link to another file of the pack is fine).
    """
    problem = member_problem(rel)
    if problem is not None:
        raise PackPathError(f"The manifest of {folder} lists {rel!r}: {problem}.")
    path = folder / rel
    try:
        root = folder.resolve()
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise PackPathError(f"{path} is a symbolic link loop.") from None
    if resolved != root and root not in resolved.parents:
        raise PackPathError(f"{path} is a symbolic link to {resolved}, outside the pack.")
    return path


_HEX = frozenset("0123456789abcdef")


def _check_manifest_data(data: object) -> list[PackProblem]:
    """Raise :class:`DamagedManifest` saying what is wrong with a parsed manifest.

    Entries whose path leaves the pack are returned as ``unsafe`` problems (the caller
    decides: a build refuses the whole manifest, ``verify`` reports each one).
    """

    def need(mapping: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
        if key not in mapping:
            raise DamagedManifest(f"{where} has no {key!r}")
        value = mapping[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise DamagedManifest(f"{where}: {key!r} has the wrong type")
        return value

    if not isinstance(data, Mapping):
        raise DamagedManifest("it is not a JSON object")
    if data.get("format") != MANIFEST_FORMAT:
        raise DamagedManifest(f"its format is {data.get('format')!r}, not {MANIFEST_FORMAT!r}")
    need(data, "slug", str, "it")
    source = need(data, "source", Mapping, "it")
    need(source, "path", str, "'source'")
    need(source, "sha256", str, "'source'")
    if not isinstance(data.get("options", {}), Mapping):
        raise DamagedManifest("'options' is not an object")
    languages = need(data, "languages", Mapping, "it")
    for lang, entry in languages.items():
        if not isinstance(entry, Mapping):
            raise DamagedManifest(f"language {lang!r} is not an object")
        for optional in ("translation", "audio"):
            if entry.get(optional) is not None and not isinstance(entry[optional], Mapping):
                raise DamagedManifest(f"language {lang!r}: {optional!r} is not an object")
        files = entry.get("files", [])
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise DamagedManifest(f"language {lang!r}: 'files' is not a list of paths")
    seen: set[str] = set()
    unsafe: list[PackProblem] = []
    for number, entry in enumerate(need(data, "files", list, "it"), 1):
        where = f"file entry {number}"
        if not isinstance(entry, Mapping):
            raise DamagedManifest(f"{where} is not an object")
        rel = need(entry, "path", str, where)
        if (problem := member_problem(rel)) is not None:
            unsafe.append(PackProblem("unsafe", rel, f"{problem}; refused, not read"))
        if rel in seen:
            raise DamagedManifest(f"{rel!r} is listed twice")
        seen.add(rel)
        digest = need(entry, "sha256", str, where)
        if len(digest) != 64 or not set(digest) <= _HEX:
            raise DamagedManifest(f"{where} ({rel!r}) has a malformed sha256")
        if need(entry, "bytes", int, where) < 0:
            raise DamagedManifest(f"{where} ({rel!r}) has a negative size")
        need(entry, "lang", str, where)
        need(entry, "stage", str, where)
        if not isinstance(entry.get("key", ""), str):
            raise DamagedManifest(f"{where} ({rel!r}): 'key' has the wrong type")
        if entry.get("audio") is not None and not isinstance(entry["audio"], Mapping):
            raise DamagedManifest(f"{where} ({rel!r}): 'audio' is not an object")

    return unsafe


def _parse_manifest(folder: Path) -> tuple[Manifest, list[PackProblem]]:
    """The manifest without its unsafe entries, and those entries as problems."""
    path = folder / MANIFEST_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise DamagedManifest(f"it cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DamagedManifest(f"it is not JSON ({exc})") from None
    unsafe = _check_manifest_data(data)
    refused = {p.path for p in unsafe}
    try:
        manifest = Manifest.from_dict(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DamagedManifest(f"it is malformed ({type(exc).__name__}: {exc})") from None
    if refused:
        manifest = replace(
            manifest, files=tuple(f for f in manifest.files if f.path not in refused)
        )
    return manifest, unsafe


def load_manifest(folder: Path) -> Manifest:
    """The manifest in ``folder``; ``FileNotFoundError`` if none, :class:`DamagedManifest`.

    A manifest listing a path that leaves the pack (``../../victim.txt``, ``/etc/passwd``)
    is damaged as a whole: nothing it says can be trusted to move or delete files.
    """
    manifest, unsafe = _parse_manifest(folder)
    if unsafe:
        raise DamagedManifest(f"it lists {unsafe[0].path!r}, {unsafe[0].detail.split(';')[0]}")
    return manifest


def read_manifest(folder: Path, *, warn: bool = True) -> Manifest | None:
    """The manifest in ``folder``, or None if there is none or it is damaged.

    A damaged manifest (missing keys, wrong types, a path leaving the pack…) is treated as
    absent, with a logged warning: the build then rebuilds every file, removes nothing the
    manifest listed, and keeps any existing file it would replace as ``<name>.edited-<sha8>``.
    """
    try:
        return load_manifest(folder)
    except FileNotFoundError:
        return None
    except DamagedManifest as exc:
        if warn:
            logger.warning(
                "%s is damaged (%s); treating the pack as having no manifest: every file is "
                "rebuilt, none is removed, and files that differ are kept as .edited copies.",
                folder / MANIFEST_NAME,
                exc,
            )
        return None


def write_manifest(folder: Path, manifest: Manifest) -> bool:
    """Write ``folder/manifest.json`` atomically; False when it already had these bytes."""
    text = json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return paths.write_text_atomic(folder / MANIFEST_NAME, text)


def _intact(folder: Path, entry: OutputFile) -> bool:
    try:
        path = member(folder, entry.path)
        if path.is_symlink() or path.stat().st_size != entry.bytes:
            return False
        return paths.sha256_file(path) == entry.sha256
    except (OSError, PackPathError):
        return False


ProblemKind = Literal["unsafe", "missing", "changed"]


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack, found by :func:`check_pack`."""

    kind: ProblemKind
    """unsafe (the entry leaves the pack), missing, or changed (bytes differ)."""
    path: str
    """The entry's path, as the manifest gives it."""
    detail: str
    """What exactly is wrong, for a person."""


def check_pack(folder: Path, manifest: Manifest) -> list[PackProblem]:
    """Every file of ``manifest`` checked in ``folder``: path, presence, size and sha256."""
    problems = []
    for entry in manifest.files:
        try:
            path = member(folder, entry.path)
        except PackPathError as exc:
            problems.append(PackProblem("unsafe", entry.path, exc.message))
            continue
        if path.is_symlink():
            problems.append(PackProblem("unsafe", entry.path, f"{path} is a symbolic link"))
        elif not path.is_file():
            problems.append(PackProblem("missing", entry.path, f"{path} does not exist"))
        elif (size := path.stat().st_size) != entry.bytes:
            problems.append(
                PackProblem("changed", entry.path, f"{size} bytes, the manifest says {entry.bytes}")
            )
        elif paths.sha256_file(path) != entry.sha256:
            problems.append(
                PackProblem("changed", entry.path, "its sha256 differs from the manifest's")
            )
    return problems


def verify_manifest(folder: Path) -> list[str]:
    """Problems found checking every file of the manifest in ``folder`` (empty list: all good).

    ``"missing: X"``, ``"changed: X"``, ``"unsafe: X"``, or one line for an absent or
    damaged manifest. (``toolkit verify`` also completes an interrupted commit first.)
    """
    try:
        manifest = load_manifest(folder)
    except FileNotFoundError:
        return [f"no readable {MANIFEST_NAME} in {folder}"]
    except DamagedManifest as exc:
        return [f"damaged {MANIFEST_NAME} in {folder}: {exc}"]
    return [f"{p.kind}: {p.path}" for p in check_pack(folder, manifest)]


class PreviousPack:
    """The files of the previous build, with the key that produced each (read-only)."""

    def __init__(self, folder: Path, manifest: Manifest | None = None) -> None:
        self.folder = folder
        self.manifest = manifest if manifest is not None else read_manifest(folder, warn=False)
        self._files = {f.path: f for f in self.manifest.files} if self.manifest else {}

    def reusable(self, name: str, key: str) -> OutputFile | None:
        """The recorded file if it was produced with ``key`` and is still intact on disk."""
        entry = self._files.get(name)
        if entry is None or entry.key != key or not _intact(self.folder, entry):
            return None
        return entry

    def audio_details(self, name: str) -> AudioDetails | None:
        """What the previous build recorded about the reading ``name``."""
        entry = self._files.get(name)
        return entry.audio if entry else None


# --------------------------------------------------------------------------- lock and staging


def _check_slug(slug: str) -> None:
    # The slug names files in <out>; it comes from a file name, but a library caller could
    # pass anything: nothing that could name a path elsewhere.
    if not slug or slug in (".", "..") or "/" in slug or "\\" in slug or "\0" in slug:
        raise OutputError(f"{slug!r} cannot name a pack folder.", "Rename the source file.")


def lock_path(out: Path, slug: str) -> Path:
    """The lock file of a speech's pack: ``<out>/.<slug>.lock``."""
    _check_slug(slug)
    return out / f".{slug}.lock"


@contextlib.contextmanager
def pack_lock(
    out: Path,
    slug: str,
    *,
    on_wait: Callable[[Path, LockHolder | None], None] | None = None,
) -> Iterator[None]:
    """One build of a speech at a time: a second ``toolkit build`` of it waits here.

    The lock is ``<out>/.<slug>.lock`` (``flock``, released when the process ends, however it
    ends; forked workers do not keep it; a lock whose holder is dead is taken over; see
    :mod:`toolkit.pipeline.lock`). While waiting for a live holder, ``on_wait(path, holder)``
    is called once (default: a logged warning naming the pid and since when). Holding it,
    no other build of this speech runs, so staging folders left in ``<out>`` are from a
    killed run: :func:`new_staging` completes or rolls back their commit and removes them.
    """
    with exclusive(lock_path(out, slug), on_wait=on_wait):
        yield


def _is_staging_of(name: str, slug: str) -> bool:
    """``.<slug>.staging-<run id>``, this slug exactly (a ``*`` in it is a character)."""
    prefix = f".{slug}.staging-"
    run_id = name[len(prefix) :]
    return name.startswith(prefix) and bool(run_id) and "." not in run_id


def staging_folders(out: Path, slug: str) -> list[Path]:
    """Staging roots of this speech left in ``out`` (matched by exact name, never a glob)."""
    _check_slug(slug)
    try:
        names = sorted(entry.name for entry in os.scandir(out))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise OutputError(f"Cannot read {out}: {exc.strerror}.") from None
    return [out / name for name in names if _is_staging_of(name, slug)]


def new_staging(out: Path, slug: str, run_id: str) -> Path:
    """A fresh staging root ``<out>/.<slug>.staging-<run_id>`` (call holding the lock).

    Stages write ``<staging>/<slug>/<file>``: the same layout as ``<out>/<slug>/<file>``.
    A commit a killed run left unfinished is completed first (:func:`recover`), then the
    leftovers of killed runs are removed: only this speech's own folders, by exact name.
    """
    if not run_id or "." in run_id or "/" in run_id:
        raise ValueError(f"bad run id {run_id!r}")
    recover(out, slug)
    for leftover in staging_folders(out, slug):
        shutil.rmtree(leftover, ignore_errors=True)
    return out / f".{slug}.staging-{run_id}"


# --------------------------------------------------------------------------- commit


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (and a default SIGTERM) while the pack is swapped in.

    The journal makes a killed commit recoverable anyway; holding the signals for the few
    milliseconds of the swap means an ordinary Ctrl-C or ``kill`` needs no recovery at all.
    A SIGTERM received meanwhile is delivered again, with its default action, afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(signum: int, frame: object) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    held_term = signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    if held_term:
        signal.signal(signal.SIGTERM, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held_term:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if signal.SIGTERM in received:
        signal.raise_signal(signal.SIGTERM)
    if received:
        raise KeyboardInterrupt


on_commit_step: Callable[[str], None] | None = None
"""Fault-injection hook for tests (as OCRmyPDF's test plugins crash a chosen step).

When set, :func:`commit` and :func:`recover` call it with the name of every step they have
just completed (``journal``, ``backup <file>``, ``put <file>``, ``drop <file>``,
``manifest``, ``aside <file>``, ``done``); a hook that raises a ``BaseException`` or kills
the process there simulates a crash at that exact point. None in normal use."""


def _step(name: str) -> None:
    hook = on_commit_step
    if hook is not None:
        hook(name)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_durable(path: Path, data: bytes) -> None:
    """Write ``path`` by temp + fsync + rename + fsync of the folder (survives a power cut)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _temp_file_pattern(name: str) -> re.Pattern[str]:
    """Temporary files of :func:`_write_durable` and ``paths.atomic_output`` for ``name``."""
    return re.compile(rf"\.{re.escape(name)}\.\d+\.[0-9a-f]+\.part")


def _manifest_text(manifest: Manifest) -> str:
    return json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _edited_digest(path: Path, written: OutputFile | None) -> str | None:
    """The sha256 of ``path`` if it is not what the toolkit last wrote there, else None.

    Someone may have corrected a translation JSON or a PDF by hand; the rebuild must not
    destroy that work: such a file is kept beside the new one as ``<name>.edited-<sha8>``.
    """
    if written is not None and path.stat().st_size != written.bytes:
        return paths.sha256_file(path)
    digest = paths.sha256_file(path)
    return None if written is not None and written.sha256 == digest else digest


def _is_regular(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


def _lexists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def _has(path: Path, sha256: str, size: int) -> bool:
    """``path`` is a regular file with exactly these bytes."""
    try:
        return (
            _is_regular(path)
            and path.stat().st_size == size
            and (paths.sha256_file(path) == sha256)
        )
    except OSError:
        return False


def _fs_error(action: str, exc: OSError, rolled_back: bool) -> OutputError:
    """A :class:`~toolkit.errors.FileSystemError` (exit 7) saying what became of the pack."""
    from toolkit.errors import from_os_error

    converted = from_os_error(exc)
    state = (
        "The pack was left as it was: its previous files and manifest."
        if rolled_back
        else "The commit is recorded in a journal: the next build or `toolkit verify` finishes it."
    )
    return type(converted)(f"Cannot {action}: {converted.message}", f"{state} {converted.hint}")


@dataclass(frozen=True)
class CommitResult:
    """What :func:`commit` changed in the pack."""

    rewritten: tuple[str, ...]
    """Files (relative to the pack) written or removed, the manifest included if it changed."""
    kept_aside: tuple[str, ...]
    """Hand-edited files that were about to be replaced, kept as ``<name>.edited-<sha8>``."""


def carried_over(
    previous: Manifest | None,
    folder: Path,
    built: Iterable[str],
    requested: Callable[[str], set[str]],
) -> list[OutputFile]:
    """Previous files this run did not ask for (``--no-audio``, a language left out of ``--to``).

    They are kept, and stay listed, rather than deleted: a partial rebuild must not throw away
    outputs the officer still wants. ``requested(lang)`` is the set of stages this run
    produces for a language it builds; files of those stages are replaced.
    """
    built = set(built)
    if previous is None:
        return []
    return [
        entry
        for entry in previous.files
        if (entry.lang not in built or entry.stage not in requested(entry.lang))
        and (folder / entry.path).is_file()
    ]


def merge_languages(
    new: Mapping[str, LanguageEntry],
    carried: Iterable[OutputFile],
    previous: Manifest | None,
) -> dict[str, LanguageEntry]:
    """Language entries of the new manifest: this run's, completed with the carried files."""
    languages = dict(new)
    old = previous.languages if previous else {}
    for entry in carried:
        lang = entry.lang
        if lang not in languages:
            languages[lang] = old.get(lang, LanguageEntry(status="ok"))
            continue
        current = languages[lang]
        if entry.stage == "audio" and current.audio is None:
            current = replace(current, audio=entry.audio)
        if entry.path not in current.files:
            current = replace(current, files=(*current.files, entry.path))
        languages[lang] = current
    return languages


COMMIT_FORMAT = "toolkit.commit/1"


def journal_path(out: Path, slug: str) -> Path:
    """The commit journal of a speech's pack: ``<out>/.<slug>.commit``."""
    _check_slug(slug)
    return out / f".{slug}.commit"


def _replaced_dir(out: Path, slug: str) -> Path:
    """Where a commit keeps the files it replaces until the new manifest is written."""
    return out / f".{slug}.replaced"


@dataclass(frozen=True)
class _Op:
    """One change of a commit, as the journal records it."""

    op: Literal["put", "drop"]
    """put: the staged file replaces (or adds) ``path``; drop: ``path`` goes."""
    path: str
    """File of the pack."""
    sha256: str = ""
    """put: the new file's sha256."""
    bytes: int = 0
    """put: the new file's size."""
    edited: str | None = None
    """sha256 of the file replaced or dropped when it was edited by hand (it is kept as
    ``<name>.edited-<sha8>``); None when there was none or the toolkit wrote it."""


@dataclass(frozen=True)
class _Journal:
    """``<out>/.<slug>.commit``: everything needed to finish or undo a commit.

    Written (durably) after the new pack is complete in staging and before anything in the
    pack changes; removed when the commit is complete. The commit point is the write of the
    new manifest: a journal found with that manifest in place is finished (edited copies set
    aside, replaced files dropped); otherwise it is rolled forward when every staged file is
    still there, else rolled back from the replaced files it kept.
    """

    out: Path
    slug: str
    staging: str
    """The staging folder relative to ``out`` (``.<slug>.staging-<pid>/<slug>``)."""
    manifest: str
    """The new manifest's exact text."""
    ops: tuple[_Op, ...]
    pid: int = 0
    """The process that wrote it (for messages)."""
    previous: str = ""
    """sha256 of the manifest it replaces ("" when there was none): a manifest on disk that
    is the journal's and not this one is past the commit point, never rolled back."""

    @property
    def folder(self) -> Path:
        return self.out / self.slug

    @property
    def replaced(self) -> Path:
        return _replaced_dir(self.out, self.slug)

    def source(self, op: _Op) -> Path:
        return self.out / self.staging / op.path

    def write(self) -> None:
        data = {
            "format": COMMIT_FORMAT,
            "pid": self.pid,
            "previous": self.previous,
            "slug": self.slug,
            "staging": self.staging,
            "manifest": self.manifest,
            "ops": [asdict(op) for op in self.ops],
        }
        _write_durable(journal_path(self.out, self.slug), json.dumps(data).encode("utf-8"))

    @classmethod
    def read(cls, out: Path, slug: str) -> _Journal | None:
        path = journal_path(out, slug)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != COMMIT_FORMAT or data.get("slug") != slug:
                raise ValueError("not a commit journal of this pack")
            staging = data["staging"]
            if not isinstance(staging, str) or member_problem(staging) is not None:
                raise ValueError("bad staging path")
            ops = tuple(_Op(**op) for op in data["ops"])
            if any(member_problem(op.path) is not None for op in ops):
                raise ValueError("a path that leaves the pack")
            return cls(
                out,
                slug,
                staging,
                str(data["manifest"]),
                ops,
                int(data.get("pid", 0)),
                str(data.get("previous", "")),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # Written by temp + rename, a journal is whole or absent: this one was tampered
            # with. Nothing in it can be trusted to move files; keep it for a person to read.
            kept = path.with_name(f"{path.name}.damaged-{os.getpid()}")
            with contextlib.suppress(OSError):
                path.replace(kept)
            logger.warning(
                "Ignored the damaged commit journal %s (%s); kept as %s.", path, exc, kept
            )
            return None

    def remove(self) -> None:
        shutil.rmtree(self.replaced, ignore_errors=True)
        journal_path(self.out, self.slug).unlink(missing_ok=True)
        _fsync_dir(self.out)


def _forward(journal: _Journal, *, fresh: bool) -> list[str]:
    """Do the journal's changes up to and including the new manifest (idempotent).

    ``fresh``: straight after planning, so no step is done yet and nothing needs checking.
    Returns the files changed. ``FileNotFoundError`` for a staged file that is gone.
    """
    folder = journal.folder
    rewritten = []
    for op in journal.ops:
        target = folder / op.path
        backup = journal.replaced / op.path
        if op.op == "put":
            if not fresh and _has(target, op.sha256, op.bytes):
                rewritten.append(op.path)
                continue
            source = journal.source(op)
            if not _is_regular(source):
                raise FileNotFoundError(2, "staged file missing", str(source))
            if _lexists(target):
                if _lexists(backup):
                    raise OSError(17, "the commit already kept a replaced copy", str(backup))
                backup.parent.mkdir(parents=True, exist_ok=True)
                target.rename(backup)
                _step(f"backup {op.path}")
            target.parent.mkdir(parents=True, exist_ok=True)
            source.rename(target)
            _step(f"put {op.path}")
        elif _lexists(target) and not _lexists(backup):
            backup.parent.mkdir(parents=True, exist_ok=True)
            target.rename(backup)
            _step(f"drop {op.path}")
        rewritten.append(op.path)
    _fsync_dir(folder)
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file() or manifest.read_text(encoding="utf-8") != journal.manifest:
        _write_durable(manifest, journal.manifest.encode("utf-8"))
        rewritten.append(MANIFEST_NAME)
    _step("manifest")
    return rewritten


def _finish(journal: _Journal) -> list[str]:
    """After the commit point: keep edited files as ``.edited-<sha8>``, drop the rest."""
    kept = []
    for op in journal.ops:
        backup = journal.replaced / op.path
        if not _lexists(backup):
            continue
        if op.edited is not None:
            copy = journal.folder / f"{op.path}.edited-{op.edited[:8]}"
            backup.replace(copy)
            kept.append(f"{op.path}.edited-{op.edited[:8]}")
        else:
            backup.unlink()
        _step(f"aside {op.path}")
    journal.remove()
    _step("done")
    return kept


def _keep_edit(path: Path) -> None:
    """Move a file someone wrote since the crash aside as ``<name>.edited-<sha8>``."""
    path.replace(path.with_name(f"{path.name}.edited-{paths.sha256_file(path)[:8]}"))


def _rollback(journal: _Journal) -> None:
    """Before the commit point: put every replaced or dropped file back (idempotent)."""
    folder = journal.folder
    for op in reversed(journal.ops):
        target = folder / op.path
        backup = journal.replaced / op.path
        if op.op == "put":
            source = journal.source(op)
            if not _lexists(source) and _has(target, op.sha256, op.bytes):
                # The new file got there: back to staging, so the commit can be done again.
                source.parent.mkdir(parents=True, exist_ok=True)
                target.rename(source)
            elif _lexists(backup) and _is_regular(target):
                _keep_edit(target)  # edited by hand since the crash: never overwritten
            if _lexists(backup):
                backup.replace(target)
        elif _lexists(backup):
            if _is_regular(target):
                _keep_edit(target)
            backup.replace(target)
    journal.remove()


def _forward_blocker(journal: _Journal) -> str | None:
    """Why the journal cannot be rolled forward (None: it can)."""
    for op in journal.ops:
        if op.op == "drop" or _has(journal.folder / op.path, op.sha256, op.bytes):
            continue
        source = journal.source(op)
        if not (_is_regular(source) and source.stat().st_size == op.bytes):
            return f"{op.path} is neither in the pack nor staged in {source.parent}"
    return None


def recover(out: Path, slug: str) -> str | None:
    """Finish or undo a commit of ``<out>/<slug>`` that a killed process left (hold the lock).

    Returns what was done (``"completed"``, ``"rolled back"``) or None when there was
    nothing to recover; logs a warning naming the process. Also removes the temporary files
    a killed manifest or journal write leaves. ``OutputError`` if the file system refuses.
    """
    folder = out / slug
    for where, name in ((folder, MANIFEST_NAME), (out, journal_path(out, slug).name)):
        pattern = _temp_file_pattern(name)
        with contextlib.suppress(OSError):
            for entry in os.scandir(where):
                if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    Path(entry.path).unlink()
    journal = _Journal.read(out, slug)
    if journal is None:
        return None
    try:
        # Forward whenever every put is done or still staged: idempotent, and a no-op past
        # the commit point. (The manifest alone does not tell: a commit that restores files
        # edited by hand writes the same manifest as before.)
        committed = False
        why = _forward_blocker(journal)
        manifest = folder / MANIFEST_NAME
        past_commit_point = (
            manifest.is_file()
            and manifest.read_text(encoding="utf-8") == journal.manifest
            and paths.sha256_file(manifest) != journal.previous
        )
        if why is not None and past_commit_point:
            # The new manifest is in place: going back would put old files under it. Finish;
            # what is not as the manifest says is reported by verify and rebuilt next time.
            logger.warning(
                "The interrupted commit of %s cannot be completed in full (%s).", folder, why
            )
            why = None
            committed = True
        elif why is None:
            try:
                _forward(journal, fresh=False)
                committed = True
            except OSError as exc:
                why = f"{exc.filename}: {exc.strerror}"
        if committed:
            kept = _finish(journal)
            outcome = "completed"
        else:
            _rollback(journal)
            kept = []
            outcome = "rolled back"
    except OSError as exc:
        raise _fs_error(
            "finish the interrupted commit of the pack", exc, rolled_back=False
        ) from None
    logger.warning(
        "The commit of %s by process %s was interrupted; %s%s.",
        folder,
        journal.pid or "?",
        "completed it"
        if outcome == "completed"
        else f"rolled it back ({why}): the previous pack is back",
        f" (kept your edited copies: {', '.join(kept)})" if kept else "",
    )
    return outcome


def require_staged(staging: Path, files: Iterable[OutputFile]) -> None:
    """Refuse to go on when a file the build staged is gone or has another size.

    ``staging`` is ``<staging root>/<slug>``. Checked before later stages read the staged
    files and again before the commit, so a build never reports a file it no longer has.
    """
    for output in files:
        if not output.staged:
            continue
        source = staging / output.path
        try:
            size = source.lstat().st_size if _is_regular(source) else -1
        except OSError:
            size = -1
        if size != output.bytes:
            raise OutputError(
                f"The build staged {output.path} but {source} is "
                f"{'missing' if size < 0 else f'{size} bytes, not {output.bytes}'}; the pack "
                "was left as it was.",
                "Is another program cleaning the output folder? Build again.",
            )


def commit(
    folder: Path,
    staging: Path,
    manifest: Manifest,
    previous: Manifest | None,
) -> CommitResult:
    """Replace the pack in ``folder`` by the new one, atomically as a whole.

    ``staging`` holds this run's new files under the same names as in ``folder``
    (``<staging root>/<slug>``, on the same file system); files of ``manifest`` marked
    ``staged`` are taken from it, the others must already be in the pack.

    1. The new pack must be complete: a staged file that is missing, or a reused one gone
       from the pack, is an error (nothing changes). Paths leaving the pack are refused.
    2. The plan — which files to put, which to drop, which were edited by hand — and the
       new manifest go to the journal ``<out>/.<slug>.commit`` (fsynced).
    3. Each replaced or dropped file is moved to ``<out>/.<slug>.replaced/``, each staged
       file renamed into place; then the manifest is written: the commit point.
    4. Replaced files edited by hand become ``<name>.edited-<sha8>``, the others are
       deleted, and the journal is removed.

    A file-system error before the commit point rolls every change back and raises
    :class:`~toolkit.errors.OutputError`; a crash at any point is finished or rolled back by
    :func:`recover` at the next build or ``toolkit verify``. Identical files are never
    touched: a rebuild that changes nothing writes nothing, not even a journal.
    """
    out, slug = folder.parent, folder.name
    staging_rel = os.path.relpath(staging, out)
    written = {entry.path: entry for entry in previous.files} if previous else {}
    keep = {entry.path for entry in manifest.files}
    folder.mkdir(parents=True, exist_ok=True)
    ops: list[_Op] = []
    for output in manifest.files:
        target = member(folder, output.path)
        if target.is_symlink():
            raise PackPathError(
                f"{target} is a symbolic link; the build replaces only regular files.",
                "Remove the link (or copy the file it points to in its place) and build again.",
            )
        if not output.staged:
            # Reused or carried over from the previous pack (possibly edited by hand since:
            # that edit stays, and verify reports it). It must still be there.
            if not _is_regular(target):
                raise OutputError(
                    f"{target} was to be kept from the previous build, but it is gone "
                    "since the build started; nothing was changed.",
                    "Build again.",
                )
            continue
        require_staged(staging, (output,))
        if _is_regular(target) and _intact(folder, output):
            continue  # rebuilt to the same bytes: leave the file untouched
        edited = _edited_digest(target, written.get(output.path)) if target.exists() else None
        ops.append(_Op("put", output.path, output.sha256, output.bytes, edited))
    for entry in previous.files if previous else ():
        if entry.path in keep:
            continue
        try:
            stale = member(folder, entry.path)
        except PackPathError as exc:
            logger.warning("Left alone: %s", exc.message)
            continue
        if stale.is_symlink() or not stale.is_file():
            continue  # a link is not the toolkit's file; a missing one is already gone
        ops.append(_Op("drop", entry.path, edited=_edited_digest(stale, entry)))
    text = _manifest_text(manifest)
    if not ops:
        if (folder / MANIFEST_NAME).is_file() and (
            (folder / MANIFEST_NAME).read_text(encoding="utf-8") == text
        ):
            return CommitResult((), ())
        with _interrupts_deferred():
            try:
                _write_durable(folder / MANIFEST_NAME, text.encode("utf-8"))
            except OSError as exc:
                raise _fs_error("write the manifest", exc, rolled_back=True) from None
        return CommitResult((MANIFEST_NAME,), ())
    try:
        old = paths.sha256_file(folder / MANIFEST_NAME)
    except OSError:
        old = ""
    journal = _Journal(out, slug, staging_rel, text, tuple(ops), os.getpid(), old)
    with _interrupts_deferred():
        try:
            journal.write()
        except OSError as exc:
            raise _fs_error("write the commit journal", exc, rolled_back=True) from None
        _step("journal")
        try:
            rewritten = _forward(journal, fresh=True)
        except Exception as exc:  # not a crash (BaseException): undo, then report
            try:
                _rollback(journal)
            except OSError as undo:
                raise _fs_error("undo the commit", undo, rolled_back=False) from exc
            if isinstance(exc, OSError):
                raise _fs_error("commit the new pack", exc, rolled_back=True) from None
            raise
        try:
            kept_aside = _finish(journal)
        except OSError as exc:
            raise _fs_error("set aside the replaced files", exc, rolled_back=False) from None
    return CommitResult(tuple(rewritten), tuple(kept_aside))


# --------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify_pack` found."""

    folder: Path
    """The pack."""
    recovered: str | None
    """``completed`` or ``rolled back`` when an interrupted commit was recovered first."""
    manifest_problem: str | None
    """Why the manifest cannot be used (``None``: it was read)."""
    problems: tuple[PackProblem, ...]
    """Files that do not match the manifest (empty when the manifest could not be read)."""
    files: int = 0
    """Files the manifest lists."""
    bytes: int = 0
    """Their total size according to the manifest."""

    @property
    def consistent(self) -> bool:
        """Every listed file is in the pack with the recorded size and sha256."""
        return self.manifest_problem is None and not self.problems


def verify_pack(
    folder: Path, *, on_wait: Callable[[Path, LockHolder | None], None] | None = None
) -> VerifyReport:
    """Check the pack ``folder`` against its manifest, after recovering an interrupted commit.

    Takes the pack's lock (waiting, with ``on_wait``, while a build of it runs), so it never
    judges a pack halfway through a commit. ``InputError`` when ``folder`` is not a folder.
    """
    from toolkit.errors import InputError

    if not folder.is_dir():
        raise InputError(
            f"{folder} is not a pack folder.", "Give a pack folder, e.g. exports/<slug>."
        )
    folder = folder.resolve()
    out, slug = folder.parent, folder.name
    pending = journal_path(out, slug).exists()
    if not pending and (not (folder / MANIFEST_NAME).exists() or not os.access(out, os.W_OK)):
        # Nothing to recover: no lock needed (and none is left in a folder that is not a
        # pack, nor asked for on a read-only copy of a pack).
        return _check(folder, None)
    with pack_lock(out, slug, on_wait=on_wait):
        return _check(folder, recover(out, slug))


def _check(folder: Path, recovered: str | None) -> VerifyReport:
    try:
        manifest, unsafe = _parse_manifest(folder)
    except FileNotFoundError:
        return VerifyReport(folder, recovered, f"there is no {MANIFEST_NAME}", ())
    except DamagedManifest as exc:
        return VerifyReport(folder, recovered, f"{MANIFEST_NAME} is damaged: {exc}", ())
    return VerifyReport(
        folder,
        recovered,
        None,
        (*unsafe, *check_pack(folder, manifest)),
        files=len(manifest.files) + len(unsafe),
        bytes=sum(f.bytes for f in manifest.files),
    )


__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "AudioDetails",
    "CommitResult",
    "DamagedManifest",
    "LanguageEntry",
    "Manifest",
    "OutputFile",
    "PackPathError",
    "PackProblem",
    "PreviousPack",
    "TranslationDetails",
    "VerifyReport",
    "carried_over",
    "check_pack",
    "commit",
    "journal_path",
    "load_manifest",
    "lock_path",
    "member",
    "member_problem",
    "merge_languages",
    "new_staging",
    "pack_lock",
    "read_manifest",
    "recover",
    "staging_folders",
    "verify_manifest",
    "verify_pack",
    "write_manifest",
]
