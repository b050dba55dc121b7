"""The commit journal: a commit of the pack that a crash at any point cannot leave half done.

:func:`toolkit.pipeline.pack.commit` decides what changes (which staged files to put, which
files to drop, which were edited by hand) and writes it, with the new manifest's text, to the
journal ``<out>/.<slug>.commit`` before anything in the pack changes. This module holds that
journal and the file moves it records: :func:`roll_forward` does them up to the new
manifest (the commit point), :func:`finish` sets hand-edited files aside and removes the
journal, :func:`roll_back` undoes them. :func:`recover` is what the next build or
``toolkit verify`` runs on a journal a killed process left: finish it or roll it back,
whichever leaves the pack whole. The journal and the manifest are written durably
(temp + fsync + rename + fsync of the folder).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from toolkit.errors import OutputError
from toolkit.export import paths
from toolkit.pipeline.manifest import MANIFEST_NAME, check_slug, member_problem

# One logger name for the pack's modules (see toolkit.pipeline.manifest).
logger = logging.getLogger("toolkit.pipeline.pack")

on_commit_step: Callable[[str], None] | None = None
"""Fault-injection hook for tests (as OCRmyPDF's test plugins crash a chosen step).

When set, :func:`toolkit.pipeline.pack.commit` and :func:`recover` call it with the name of
every step they have just completed (``journal``, ``backup <file>``, ``put <file>``,
``drop <file>``, ``manifest``, ``aside <file>``, ``done``); a hook that raises a
``BaseException`` or kills the process there simulates a crash at that exact point. None in
normal use."""


def commit_step(name: str) -> None:
    """Tell :data:`on_commit_step` (when set) that the step ``name`` is done."""
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


def write_durable(path: Path, data: bytes) -> None:
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
    """Temporary files of :func:`write_durable` and ``paths.atomic_output`` for ``name``."""
    return re.compile(rf"\.{re.escape(name)}\.\d+\.[0-9a-f]+\.part")


def is_regular_file(path: Path) -> bool:
    """``path`` is a regular file, not a symbolic link (to one or to anything else)."""
    return path.is_file() and not path.is_symlink()


def _lexists(path: Path) -> bool:
    return path.is_symlink() or path.exists()


def _has(path: Path, sha256: str, size: int) -> bool:
    """``path`` is a regular file with exactly these bytes."""
    try:
        return (
            is_regular_file(path)
            and path.stat().st_size == size
            and (paths.sha256_file(path) == sha256)
        )
    except OSError:
        return False


def fs_error(action: str, exc: OSError, rolled_back: bool) -> OutputError:
    """A :class:`~toolkit.errors.FileSystemError` (exit 7) saying what became of the pack."""
    from toolkit.errors import from_os_error

    converted = from_os_error(exc)
    state = (
        "The pack was left as it was: its previous files and manifest."
        if rolled_back
        else "The commit is recorded in a journal: the next build or `toolkit verify` finishes it."
    )
    return type(converted)(f"Cannot {action}: {converted.message}", f"{state} {converted.hint}")


COMMIT_FORMAT = "toolkit.commit/1"


def journal_path(out: Path, slug: str) -> Path:
    """The commit journal of a speech's pack: ``<out>/.<slug>.commit``."""
    check_slug(slug)
    return out / f".{slug}.commit"


def _replaced_dir(out: Path, slug: str) -> Path:
    """Where a commit keeps the files it replaces until the new manifest is written."""
    return out / f".{slug}.replaced"


@dataclass(frozen=True)
class CommitOp:
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
class Journal:
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
    ops: tuple[CommitOp, ...]
    pid: int = 0
    """The process that wrote it (for messages)."""
    previous: str = ""
    """sha256 of the manifest it replaces ("" when there was none): a manifest on disk that
    is the journal's and not this one is past the commit point, never rolled back."""

    @property
    def folder(self) -> Path:
        """The pack folder ``<out>/<slug>``."""
        return self.out / self.slug

    @property
    def replaced(self) -> Path:
        """Where the replaced and dropped files wait until the commit is finished."""
        return _replaced_dir(self.out, self.slug)

    def source(self, op: CommitOp) -> Path:
        """The staged file a ``put`` moves into the pack."""
        return self.out / self.staging / op.path

    def write(self) -> None:
        """Write the journal durably (before anything in the pack changes)."""
        data = {
            "format": COMMIT_FORMAT,
            "pid": self.pid,
            "previous": self.previous,
            "slug": self.slug,
            "staging": self.staging,
            "manifest": self.manifest,
            "ops": [asdict(op) for op in self.ops],
        }
        write_durable(journal_path(self.out, self.slug), json.dumps(data).encode("utf-8"))

    @classmethod
    def read(cls, out: Path, slug: str) -> Journal | None:
        """The journal a commit of ``<out>/<slug>`` left, or None (a damaged one is set aside)."""
        path = journal_path(out, slug)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != COMMIT_FORMAT or data.get("slug") != slug:
                raise ValueError("not a commit journal of this pack")
            staging = data["staging"]
            if not isinstance(staging, str) or member_problem(staging) is not None:
                raise ValueError("bad staging path")
            ops = tuple(CommitOp(**op) for op in data["ops"])
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
        """The commit is over: remove the replaced files kept and the journal."""
        shutil.rmtree(self.replaced, ignore_errors=True)
        journal_path(self.out, self.slug).unlink(missing_ok=True)
        _fsync_dir(self.out)


def roll_forward(journal: Journal, *, fresh: bool) -> list[str]:
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
            if not is_regular_file(source):
                raise FileNotFoundError(2, "staged file missing", str(source))
            if _lexists(target):
                if _lexists(backup):
                    raise OSError(17, "the commit already kept a replaced copy", str(backup))
                backup.parent.mkdir(parents=True, exist_ok=True)
                target.rename(backup)
                commit_step(f"backup {op.path}")
            target.parent.mkdir(parents=True, exist_ok=True)
            source.rename(target)
            commit_step(f"put {op.path}")
        elif _lexists(target) and not _lexists(backup):
            backup.parent.mkdir(parents=True, exist_ok=True)
            target.rename(backup)
            commit_step(f"drop {op.path}")
        rewritten.append(op.path)
    _fsync_dir(folder)
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file() or manifest.read_text(encoding="utf-8") != journal.manifest:
        write_durable(manifest, journal.manifest.encode("utf-8"))
        rewritten.append(MANIFEST_NAME)
    commit_step("manifest")
    return rewritten


def finish(journal: Journal) -> list[str]:
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
        commit_step(f"aside {op.path}")
    journal.remove()
    commit_step("done")
    return kept


def _keep_edit(path: Path) -> None:
    """Move a file someone wrote since the crash aside as ``<name>.edited-<sha8>``."""
    path.replace(path.with_name(f"{path.name}.edited-{paths.sha256_file(path)[:8]}"))


def roll_back(journal: Journal) -> None:
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
            elif _lexists(backup) and is_regular_file(target):
                _keep_edit(target)  # edited by hand since the crash: never overwritten
            if _lexists(backup):
                backup.replace(target)
        elif _lexists(backup):
            if is_regular_file(target):
                _keep_edit(target)
            backup.replace(target)
    journal.remove()


def _forward_blocker(journal: Journal) -> str | None:
    """Why the journal cannot be rolled forward (None: it can)."""
    for op in journal.ops:
        if op.op == "drop" or _has(journal.folder / op.path, op.sha256, op.bytes):
            continue
        source = journal.source(op)
        if not (is_regular_file(source) and source.stat().st_size == op.bytes):
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
    journal = Journal.read(out, slug)
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
                roll_forward(journal, fresh=False)
                committed = True
            except OSError as exc:
                why = f"{exc.filename}: {exc.strerror}"
        if committed:
            kept = finish(journal)
            outcome = "completed"
        else:
            roll_back(journal)
            kept = []
            outcome = "rolled back"
    except OSError as exc:
        raise fs_error(
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


__all__ = [
    "COMMIT_FORMAT",
    "CommitOp",
    "Journal",
    "commit_step",
    "finish",
    "fs_error",
    "is_regular_file",
    "journal_path",
    "on_commit_step",
    "recover",
    "roll_back",
    "roll_forward",
    "write_durable",
]
