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
import fcntl
import json
import shutil
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import OutputError
from toolkit.export import paths

MANIFEST_FORMAT = "toolkit.manifest/1"
MANIFEST_NAME = "manifest.json"

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


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest in ``folder``, or None if there is none or it is unreadable."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        return Manifest.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_manifest(folder: Path, manifest: Manifest) -> bool:
    """Write ``folder/manifest.json`` atomically; False when it already had these bytes."""
    text = json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n"
    return paths.write_text_atomic(folder / MANIFEST_NAME, text)


def _intact(folder: Path, entry: OutputFile) -> bool:
    path = folder / entry.path
    try:
        if path.stat().st_size != entry.bytes:
            return False
    except OSError:
        return False
    return paths.sha256_file(path) == entry.sha256


def verify_manifest(folder: Path) -> list[str]:
    """Problems found checking every file of the manifest in ``folder`` (empty list: all good)."""
    manifest = read_manifest(folder)
    if manifest is None:
        return [f"no readable {MANIFEST_NAME} in {folder}"]
    problems = []
    for entry in manifest.files:
        if not (folder / entry.path).is_file():
            problems.append(f"missing: {entry.path}")
        elif not _intact(folder, entry):
            problems.append(f"changed: {entry.path}")
    return problems


class PreviousPack:
    """The files of the previous build, with the key that produced each (read-only)."""

    def __init__(self, folder: Path, manifest: Manifest | None = None) -> None:
        self.folder = folder
        self.manifest = manifest if manifest is not None else read_manifest(folder)
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


@contextlib.contextmanager
def pack_lock(out: Path, slug: str) -> Iterator[None]:
    """One build of a speech at a time: a second ``toolkit build`` of it waits here.

    The lock is ``<out>/.<slug>.lock`` (``flock``, released when the process ends, however it
    ends). Holding it, no other build of this speech runs, so staging folders left in
    ``<out>`` are from a killed run: :func:`new_staging` removes them.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = (out / f".{slug}.lock").open("a")
    except OSError as exc:
        raise OutputError(f"Cannot write to {out}: {exc.strerror}.") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def new_staging(out: Path, slug: str, run_id: str) -> Path:
    """A fresh staging root ``<out>/.<slug>.staging-<run_id>`` (call holding the lock).

    Stages write ``<staging>/<slug>/<file>``: the same layout as ``<out>/<slug>/<file>``.
    Leftovers of killed runs are removed first.
    """
    for leftover in out.glob(f".{slug}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    return out / f".{slug}.staging-{run_id}"


# --------------------------------------------------------------------------- commit


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C while the pack is swapped in, so it is never left half-swapped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _set_aside_if_edited(path: Path, written: Mapping[str, str]) -> str | None:
    """Keep a copy of ``path`` if it is not what the toolkit last wrote there.

    Someone may have corrected a translation JSON or a PDF by hand; the rebuild must not
    destroy that work. The copy goes beside it as ``<name>.edited-<sha8>``; returns its name.
    """
    digest = paths.sha256_file(path)
    if written.get(path.name) == digest:
        return None
    kept = path.with_name(f"{path.name}.edited-{digest[:8]}")
    path.replace(kept)
    return kept.name


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


def commit(
    folder: Path,
    staging: Path,
    manifest: Manifest,
    previous: Manifest | None,
) -> CommitResult:
    """Move the staged files into ``folder``, drop stale ones, write the manifest last.

    ``staging`` holds this run's new files under the same names as in ``folder``
    (``<staging root>/<slug>``); files of ``manifest`` marked ``staged`` are taken from it,
    the others are already in the pack. Ctrl-C is held until the swap is complete.
    """
    rewritten: list[str] = []
    kept_aside: list[str] = []
    written = {entry.path: entry.sha256 for entry in previous.files} if previous else {}
    keep = {entry.path for entry in manifest.files}
    folder.mkdir(parents=True, exist_ok=True)
    with _interrupts_deferred():
        for output in manifest.files:
            staged = staging / output.path
            if not output.staged or not staged.exists():
                continue  # reused: the file in the pack is already this one
            target = folder / output.path
            if target.is_file():
                if _intact(folder, output):
                    continue  # rebuilt to the same bytes: leave the file untouched
                if kept := _set_aside_if_edited(target, written):
                    kept_aside.append(kept)
            # The staging folder is beside the pack, on the same file system: an atomic
            # rename, no copy.
            staged.replace(target)
            rewritten.append(output.path)
        # A file the previous manifest listed for a stage this run produced, under a name it
        # no longer produces (the layout changed; the language is now skipped), is stale.
        # Files the toolkit did not write, or that were edited since, are never deleted.
        for entry in previous.files if previous else ():
            if entry.path not in keep:
                stale = folder / entry.path
                if stale.is_file() and (kept := _set_aside_if_edited(stale, written)):
                    kept_aside.append(kept)
                stale.unlink(missing_ok=True)
                rewritten.append(entry.path)
        if write_manifest(folder, manifest):
            rewritten.append(MANIFEST_NAME)
    return CommitResult(tuple(rewritten), tuple(kept_aside))


__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "AudioDetails",
    "CommitResult",
    "LanguageEntry",
    "Manifest",
    "OutputFile",
    "PreviousPack",
    "TranslationDetails",
    "carried_over",
    "commit",
    "merge_languages",
    "new_staging",
    "pack_lock",
    "read_manifest",
    "verify_manifest",
    "write_manifest",
]
