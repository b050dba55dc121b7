"""The pack as a build sees it: its lock, its staging folder, the previous pack, the commit.

A pack is the folder ``<out>/<slug>/`` with its ``manifest.json``
(:mod:`toolkit.pipeline.manifest`). A build takes the pack's lock (:func:`pack_lock`), writes
new files into a staging folder beside the pack (:func:`new_staging`, same file system),
reuses what the previous pack still has right (:class:`PreviousPack`), then :func:`commit`
moves the new files in — identical files are left untouched, files edited by hand are set
aside, never destroyed — and writes the manifest last, through the crash-safe journal of
:mod:`toolkit.pipeline.journal`. Until then the previous pack and its manifest are intact.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.errors import OutputError
from toolkit.export import paths
from toolkit.pipeline.journal import (
    CommitOp,
    Journal,
    commit_step,
    finish,
    fs_error,
    is_regular_file,
    recover,
    roll_back,
    roll_forward,
    write_durable,
)
from toolkit.pipeline.lock import LockHolder, exclusive
from toolkit.pipeline.manifest import (
    MANIFEST_NAME,
    AudioDetails,
    LanguageEntry,
    Manifest,
    OutputFile,
    PackPathError,
    check_slug,
    is_intact,
    manifest_text,
    member,
    read_manifest,
)

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- the previous pack


class PreviousPack:
    """The files of the previous build, with the key that produced each (read-only)."""

    def __init__(self, folder: Path, manifest: Manifest | None = None) -> None:
        self.folder = folder
        self.manifest = manifest if manifest is not None else read_manifest(folder, warn=False)
        self._files = {f.path: f for f in self.manifest.files} if self.manifest else {}

    def reusable(self, name: str, key: str) -> OutputFile | None:
        """The recorded file if it was produced with ``key`` and is still intact on disk."""
        entry = self._files.get(name)
        if entry is None or entry.key != key or not is_intact(self.folder, entry):
            return None
        return entry

    def audio_details(self, name: str) -> AudioDetails | None:
        """What the previous build recorded about the reading ``name``."""
        entry = self._files.get(name)
        return entry.audio if entry else None


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


# --------------------------------------------------------------------------- lock and staging


def lock_path(out: Path, slug: str) -> Path:
    """The lock file of a speech's pack: ``<out>/.<slug>.lock``."""
    check_slug(slug)
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
    check_slug(slug)
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
    A commit a killed run left unfinished is completed first
    (:func:`~toolkit.pipeline.journal.recover`), then the leftovers of killed runs are
    removed: only this speech's own folders, by exact name.
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


def _edited_digest(path: Path, written: OutputFile | None) -> str | None:
    """The sha256 of ``path`` if it is not what the toolkit last wrote there, else None.

    Someone may have corrected a translation JSON or a PDF by hand; the rebuild must not
    destroy that work: such a file is kept beside the new one as ``<name>.edited-<sha8>``.
    """
    if written is not None and path.stat().st_size != written.bytes:
        return paths.sha256_file(path)
    digest = paths.sha256_file(path)
    return None if written is not None and written.sha256 == digest else digest


@dataclass(frozen=True)
class CommitResult:
    """What :func:`commit` changed in the pack."""

    rewritten: tuple[str, ...]
    """Files (relative to the pack) written or removed, the manifest included if it changed."""
    kept_aside: tuple[str, ...]
    """Hand-edited files that were about to be replaced, kept as ``<name>.edited-<sha8>``."""


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
            size = source.lstat().st_size if is_regular_file(source) else -1
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
    :func:`~toolkit.pipeline.journal.recover` at the next build or ``toolkit verify``.
    Identical files are never touched: a rebuild that changes nothing writes nothing, not
    even a journal.
    """
    out, slug = folder.parent, folder.name
    staging_rel = os.path.relpath(staging, out)
    written = {entry.path: entry for entry in previous.files} if previous else {}
    keep = {entry.path for entry in manifest.files}
    folder.mkdir(parents=True, exist_ok=True)
    ops: list[CommitOp] = []
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
            if not is_regular_file(target):
                raise OutputError(
                    f"{target} was to be kept from the previous build, but it is gone "
                    "since the build started; nothing was changed.",
                    "Build again.",
                )
            continue
        require_staged(staging, (output,))
        if is_regular_file(target) and is_intact(folder, output):
            continue  # rebuilt to the same bytes: leave the file untouched
        edited = _edited_digest(target, written.get(output.path)) if target.exists() else None
        ops.append(CommitOp("put", output.path, output.sha256, output.bytes, edited))
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
        ops.append(CommitOp("drop", entry.path, edited=_edited_digest(stale, entry)))
    text = manifest_text(manifest)
    if not ops:
        if (folder / MANIFEST_NAME).is_file() and (
            (folder / MANIFEST_NAME).read_text(encoding="utf-8") == text
        ):
            return CommitResult((), ())
        with _interrupts_deferred():
            try:
                write_durable(folder / MANIFEST_NAME, text.encode("utf-8"))
            except OSError as exc:
                raise fs_error("write the manifest", exc, rolled_back=True) from None
        return CommitResult((MANIFEST_NAME,), ())
    try:
        old = paths.sha256_file(folder / MANIFEST_NAME)
    except OSError:
        old = ""
    journal = Journal(out, slug, staging_rel, text, tuple(ops), os.getpid(), old)
    with _interrupts_deferred():
        try:
            journal.write()
        except OSError as exc:
            raise fs_error("write the commit journal", exc, rolled_back=True) from None
        commit_step("journal")
        try:
            rewritten = roll_forward(journal, fresh=True)
        except Exception as exc:  # not a crash (BaseException): undo, then report
            try:
                roll_back(journal)
            except OSError as undo:
                raise fs_error("undo the commit", undo, rolled_back=False) from exc
            if isinstance(exc, OSError):
                raise fs_error("commit the new pack", exc, rolled_back=True) from None
            raise
        try:
            kept_aside = finish(journal)
        except OSError as exc:
            raise fs_error("set aside the replaced files", exc, rolled_back=False) from None
    return CommitResult(tuple(rewritten), tuple(kept_aside))


__all__ = [
    "CommitResult",
    "PreviousPack",
    "carried_over",
    "commit",
    "lock_path",
    "merge_languages",
    "new_staging",
    "pack_lock",
    "require_staged",
    "staging_folders",
]
