"""``manifest.json``: the typed manifest of a pack, and reading it without trusting it.

A pack is the folder ``<out>/<slug>/``: the files of every language and ``manifest.json``,
which lists each file with its sha256, size, language, the stage that made it and that
stage's *key* (a hash of its inputs and options). This module holds the manifest's frozen
dataclasses and their JSON form, and reads a manifest as hostile input: a damaged one is
:class:`DamagedManifest`, and an entry naming a path outside the pack is refused
(:func:`member`) before anything could move or delete a file through it. The commit that
writes a manifest is :mod:`toolkit.pipeline.pack`; checking a pack against it,
:mod:`toolkit.pipeline.verify`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import OutputError
from toolkit.export import paths

MANIFEST_FORMAT = "toolkit.manifest/1"
MANIFEST_NAME = "manifest.json"

# The pack's modules (manifest, journal, pack) warn under the one name they had as one
# module: the name users see in ``WARNING toolkit.pipeline.pack: …`` and may filter on.
logger = logging.getLogger("toolkit.pipeline.pack")

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


ProblemKind = Literal["unsafe", "missing", "changed"]


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack: found by :func:`toolkit.pipeline.verify.check_pack`, or
    an entry :func:`parse_manifest` refused."""

    kind: ProblemKind
    """unsafe (the entry leaves the pack), missing, or changed (bytes differ)."""
    path: str
    """The entry's path, as the manifest gives it."""
    detail: str
    """What exactly is wrong, for a person."""


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


def parse_manifest(folder: Path) -> tuple[Manifest, list[PackProblem]]:
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
    manifest, unsafe = parse_manifest(folder)
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


def manifest_text(manifest: Manifest) -> str:
    """``manifest.json``'s text: what is written, and compared with what is there."""
    return json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n"


def write_manifest(folder: Path, manifest: Manifest) -> bool:
    """Write ``folder/manifest.json`` atomically; False when it already had these bytes."""
    return paths.write_text_atomic(folder / MANIFEST_NAME, manifest_text(manifest))


# --------------------------------------------------------------------------- names on disk


def check_slug(slug: str) -> None:
    """Refuse (:class:`~toolkit.errors.OutputError`) a slug that cannot name ``<out>/<slug>``."""
    # The slug names files in <out>; it comes from a file name, but a library caller could
    # pass anything: nothing that could name a path elsewhere.
    if not slug or slug in (".", "..") or "/" in slug or "\\" in slug or "\0" in slug:
        raise OutputError(f"{slug!r} cannot name a pack folder.", "Rename the source file.")


def is_intact(folder: Path, entry: OutputFile) -> bool:
    """``entry``'s file is in ``folder``, a regular file with the recorded size and sha256."""
    try:
        path = member(folder, entry.path)
        if path.is_symlink() or path.stat().st_size != entry.bytes:
            return False
        return paths.sha256_file(path) == entry.sha256
    except (OSError, PackPathError):
        return False


__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "AudioDetails",
    "DamagedManifest",
    "LanguageEntry",
    "Manifest",
    "OutputFile",
    "PackPathError",
    "PackProblem",
    "ProblemKind",
    "Status",
    "TranslationDetails",
    "check_slug",
    "is_intact",
    "load_manifest",
    "member",
    "member_problem",
    "parse_manifest",
    "read_manifest",
    "write_manifest",
]
