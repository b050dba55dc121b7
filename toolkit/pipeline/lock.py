"""The pack lock: one build (or ``toolkit verify``) of a speech at a time, and never a hang.

The lock is ``flock(LOCK_EX)`` on ``<out>/.<slug>.lock``. The kernel releases it when the
process that holds it ends, however it ends (``kill -9`` included), with one catch: a
``flock`` belongs to the open file, and a process forked while the lock is held shares that
open file. A build's worker processes are forked, so before this module existed a worker
that outlived a killed build went on holding the lock, and every later build of the speech
waited forever. Three things now keep that from happening:

* **Forked children let go.** An ``os.register_at_fork`` hook points the lock's descriptor at
  ``/dev/null`` in every forked child, so only the process that took the lock holds it.
  (The worker processes also die with their parent: see :mod:`toolkit.pipeline.executor`.)
* **A stale lock is taken over.** The holder writes who it is into the lock file (pid,
  process start time, host, since when). A build that finds the lock taken and its holder
  dead — or, for a lock file with no record, the pid the kernel lists in ``/proc/locks``
  dead — logs a warning and replaces the lock file by a fresh one: whatever still holds the
  old file (an orphan of an older toolkit) keeps a lock nobody asks for any more.
* **A build waiting for a live holder says so**, and for whom: ``pid 1234 on host, since
  22:40:01``, once, through ``on_wait`` (by default a logged warning).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit.errors import OutputError

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2
"""How often a waiting build tries the lock again (and re-checks that its holder lives)."""

_held: set[int] = set()
"""Descriptors of the locks this process holds: released in every forked child."""


def _release_in_child() -> None:
    # dup2, not close: the child's Python objects still own these descriptor numbers, and a
    # closed number could be reused and then closed twice. /dev/null in its place drops the
    # child's share of the lock and keeps the number valid.
    if not _held:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    for fd in _held:
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    os.close(null)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_release_in_child)


def _process_start(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (tells a reused pid apart)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    # Fields after the command: state is field 3 of stat(5), starttime field 22.
    if fields and fields[0] in ("Z", "X"):
        return -1  # a zombie holds no files
    try:
        return int(fields[19])
    except (IndexError, ValueError):
        return None


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _process_start(pid) != -1


@dataclass(frozen=True)
class LockHolder:
    """Who holds a pack lock, as recorded in the lock file (or read from ``/proc/locks``)."""

    pid: int
    """Process id of the build (or verify) that took the lock."""
    host: str
    """Host it runs on (a lock on a shared folder may be held from elsewhere)."""
    since: float | None = None
    """When it took the lock (seconds since the epoch); None when only the kernel knew."""
    started: int | None = None
    """Its start time in clock ticks since boot, so a reused pid is not taken for it."""

    def alive(self) -> bool:
        """Whether the holder still runs (assumed so for another host: we cannot tell)."""
        if self.host != socket.gethostname():
            return True
        if not _pid_alive(self.pid):
            return False
        return self.started is None or _process_start(self.pid) in (None, self.started)

    def describe(self) -> str:
        """``pid 1234 on host, since 22:40:01, 35 s ago``."""
        text = f"pid {self.pid} on {self.host}"
        if self.since is not None:
            clock = time.strftime("%H:%M:%S", time.localtime(self.since))
            text += f", since {clock}, {max(0, round(time.time() - self.since))} s ago"
        return text


def _record(fd: int) -> LockHolder | None:
    try:
        raw = os.pread(fd, 4096, 0)
        data = json.loads(raw.decode("utf-8"))
        return LockHolder(
            pid=int(data["pid"]),
            host=str(data["host"]),
            since=float(data["since"]) if data.get("since") is not None else None,
            started=int(data["started"]) if data.get("started") is not None else None,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _kernel_holder(fd: int) -> LockHolder | None:
    """The pid the kernel lists for the flock on this file (the process that took it)."""
    try:
        st = os.fstat(fd)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    device = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in lines:
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 5123 fe:00:2149666 0 EOF" (a blocked waiter has "->")
        if "->" in parts or len(parts) < 6 or parts[1] != "FLOCK" or parts[5] != device:
            continue
        with contextlib.suppress(ValueError):
            return LockHolder(pid=int(parts[4]), host=socket.gethostname())
    return None


def holder(fd: int) -> LockHolder | None:
    """Who holds the lock open as ``fd``: its record, else what the kernel knows."""
    return _record(fd) or _kernel_holder(fd)


def _kernel_holder_dead(fd: int) -> bool:
    # The record names a dead process; the kernel must not name a live one (a holder that
    # could not write its record).
    kernel = _kernel_holder(fd)
    return kernel is None or not kernel.alive()


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), path.stat()
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _warn_waiting(path: Path, who: LockHolder | None) -> None:
    whom = who.describe() if who else "a process the lock file does not name"
    logger.warning("Waiting for another build of this speech to finish (%s); lock %s.", whom, path)


@contextlib.contextmanager
def exclusive(
    path: Path,
    *,
    on_wait: Callable[[Path, LockHolder | None], None] | None = None,
    poll: float = POLL_SECONDS,
) -> Iterator[LockHolder]:
    """Hold the lock file ``path`` (see the module docstring); yields this process's record.

    Waits while a live process holds it, calling ``on_wait(path, holder)`` once; takes over a
    lock whose holder is dead. ``OutputError`` if the lock file cannot be created.
    """
    announce = on_wait or _warn_waiting
    announced = False
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise OutputError(f"Cannot write to {path.parent}: {exc.strerror}.") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = holder(fd)
            if who is not None and not who.alive() and _kernel_holder_dead(fd):
                logger.warning(
                    "Taking over the lock %s: the build that took it (%s) is gone, but "
                    "something it left behind still held it.",
                    path,
                    who.describe(),
                )
                if _same_file(fd, path):
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                os.close(fd)
                continue
            if not announced:
                announce(path, who)
                announced = True
            os.close(fd)
            time.sleep(poll)
            continue
        if not _same_file(fd, path):  # taken over while we waited: lock the new file
            os.close(fd)
            continue
        me = LockHolder(
            pid=os.getpid(),
            host=socket.gethostname(),
            since=time.time(),
            started=_process_start(os.getpid()),
        )
        with contextlib.suppress(OSError):
            data = json.dumps(asdict(me)).encode("utf-8")
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
        break
    _held.add(fd)
    try:
        yield me
    finally:
        _held.discard(fd)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            # Unlock explicitly: a child forked a moment ago may not have let go yet.
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


__all__ = ["POLL_SECONDS", "LockHolder", "exclusive", "holder"]
