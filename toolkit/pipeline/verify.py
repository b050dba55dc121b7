"""``toolkit verify``: is every file of a pack what its manifest says?

:func:`verify_pack` takes the pack's lock, first finishes or rolls back a commit a killed
process left (:func:`toolkit.pipeline.journal.recover`), then checks each listed file: its
path stays inside the pack, it is there, and its size and sha256 are the manifest's.
:func:`check_pack` is that check alone, on a manifest already read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.export import paths
from toolkit.pipeline.journal import journal_path, recover
from toolkit.pipeline.lock import LockHolder
from toolkit.pipeline.manifest import (
    MANIFEST_NAME,
    DamagedManifest,
    Manifest,
    PackPathError,
    PackProblem,
    load_manifest,
    member,
    parse_manifest,
)
from toolkit.pipeline.pack import pack_lock


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
        manifest, unsafe = parse_manifest(folder)
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


__all__ = ["VerifyReport", "check_pack", "verify_manifest", "verify_pack"]
