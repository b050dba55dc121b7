"""Task functions for the cluster tests: they run in Dask worker processes (imported there by
name), so they can only talk to the test through files, in ``$TOOLKIT_TEST_MARKS``."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from toolkit.pipeline.build import build_language
from toolkit.pipeline.tasks import LanguageReport, LanguageTask, ProgressCallback, ProgressEvent

KILLED_LANG = "fr"
KILLS = 2
"""Workers killed at most per test (Dask gives up on a task after 3 deaths)."""
_ran_here = False
"""Whether this worker process has run a task already (each restart is a fresh process)."""


def _marks() -> Path:
    return Path(os.environ["TOOLKIT_TEST_MARKS"])


def _claim_a_kill() -> bool:
    for number in range(KILLS):
        try:
            os.close(os.open(_marks() / f"kill-{number}", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            continue
        return True
    return False


def killed_once(task: LanguageTask, emit: ProgressCallback) -> LanguageReport:
    """The first task of a fresh worker process kills that process half-way (twice at most).

    Only a worker's *first* task: a result that a worker finished earlier would die with it
    and be computed again from a warm cache, which a translation records (``cached``).
    """
    from distributed import get_worker

    global _ran_here
    first, _ran_here = not _ran_here, True
    if first and _claim_a_kill():
        emit(ProgressEvent(task.pack.name, task.lang, "translation", "start", "doomed"))
        (_marks() / f"killed-{task.pack.name}-{task.lang}").write_text(get_worker().address)
        os.kill(os.getpid(), signal.SIGKILL)
    return build_language(task, emit)


def fails_in_french(task: LanguageTask, emit: ProgressCallback) -> LanguageReport:
    """French raises; the others build."""
    if task.lang == KILLED_LANG:
        raise RuntimeError("fr failed on the cluster")
    return build_language(task, emit)


def long_spanish(task: LanguageTask, emit: ProgressCallback) -> LanguageReport:
    """Spanish works for a minute, emitting progress, unless it is stopped."""
    if task.lang != "es":
        return build_language(task, emit)
    (_marks() / "es-started").touch()
    try:
        for _ in range(600):
            emit(ProgressEvent(task.pack.name, task.lang, "translation", "start", "working"))
            time.sleep(0.1)
    except KeyboardInterrupt:
        (_marks() / "es-interrupted").touch()
        raise
    (_marks() / "es-finished").touch()
    return build_language(task, emit)
