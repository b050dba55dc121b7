"""``toolkit verify PACK``: is a delegate pack what its manifest says it is?"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

import typer


class VerifyExit(IntEnum):
    """Exit codes of ``toolkit verify``, one per kind of problem (documented in the README).

    When several kinds are found, the code of the most serious one (highest here) is used.
    File-system errors (e.g. an interrupted commit that cannot be finished) exit 7, bad
    usage 2, as for every command.
    """

    CONSISTENT = 0
    """Every listed file is in the pack with its recorded size and sha256."""
    NO_MANIFEST = 3
    """The folder has no manifest.json: not a pack (or never committed)."""
    CHANGED = 11
    """A file's bytes differ from the manifest (edited by hand, or damaged)."""
    MISSING = 12
    """A listed file is not in the pack."""
    UNSAFE = 13
    """An entry leaves the pack (``..``, an absolute path, a symbolic link): refused, unread."""
    DAMAGED_MANIFEST = 14
    """manifest.json is not valid JSON or lacks keys: the pack cannot be checked."""


_KINDS = {
    "unsafe": (
        VerifyExit.UNSAFE,
        "refused",
        "entries that leave the pack were not read or touched; the manifest was edited or "
        "forged: restore it, or delete it and build again.",
    ),
    "missing": (
        VerifyExit.MISSING,
        "missing",
        "build again: the missing files are rebuilt (`toolkit build SOURCE`).",
    ),
    "changed": (
        VerifyExit.CHANGED,
        "changed",
        "edited by hand or damaged; the next build writes the manifest's version and keeps "
        "the present one as <name>.edited-<sha8>.",
    ),
}


def register(app: typer.Typer) -> None:
    """Add ``verify`` to ``app``."""
    app.command("verify")(verify_command)


def _on_wait(path: Path, holder: object) -> None:
    from toolkit.cli.common import console

    whom = holder.describe() if hasattr(holder, "describe") else "another process"
    console(stderr=True).print(f"waiting for the build that holds {path} ({whom})")


def verify_command(
    pack: Path = typer.Argument(
        ...,
        metavar="PACK",
        help="A pack folder, e.g. exports/<slug> (the folder holding manifest.json).",
        show_default=False,
    ),
) -> None:
    """Check every file of a pack against its manifest: present, same size, same sha256.

    A commit that a killed build left unfinished is completed (or rolled back) first, under
    the pack's lock: verify waits for a build of the same pack that is running. Entries
    whose path leaves the pack (``..``, absolute, symbolic links out) are refused, never read.

    Exit codes: 0 consistent; 3 no manifest; 11 changed files; 12 missing files; 13 entries
    leaving the pack; 14 damaged manifest (the most serious one when several); 7 file-system
    error.
    """
    from toolkit.cli.common import console
    from toolkit.pipeline.verify import verify_pack

    report = verify_pack(pack, on_wait=_on_wait)
    out = console()
    if report.recovered:
        out.print(f"{report.folder}: an interrupted commit was {report.recovered}.")
    if report.manifest_problem is not None:
        code = (
            VerifyExit.NO_MANIFEST
            if report.manifest_problem.startswith("there is no")
            else VerifyExit.DAMAGED_MANIFEST
        )
        out.print(f"{report.folder}: not checked: {report.manifest_problem}.")
        raise typer.Exit(int(code))
    if report.consistent:
        megabytes = report.bytes / 1e6
        out.print(
            f"{report.folder}: consistent ({report.files} files, {megabytes:.1f} MB, "
            "every size and sha256 as in the manifest)"
        )
        return
    worst = VerifyExit.CONSISTENT
    for kind, (code, label, hint) in _KINDS.items():
        found = [p for p in report.problems if p.kind == kind]
        if not found:
            continue
        worst = max(worst, code)
        for problem in found:
            out.print(f"{label}: {problem.path} ({problem.detail})")
        out.print(f"  {len(found)} {label}: {hint}")
    raise typer.Exit(int(worst))
