"""How the language tasks of a build run: one after another, or in forked worker processes.

An :class:`Executor` runs ``fn(task, emit)`` for every :class:`~toolkit.pipeline.tasks.
LanguageTask` and returns the :class:`~toolkit.pipeline.tasks.LanguageReport` of each, in task
order. ``emit`` is a progress callback the executor makes for each task: whatever the task
emits reaches the ``progress`` callback given to :meth:`Executor.run`, in the calling process.
The contract every executor keeps (modelled on OCRmyPDF's ``_concurrent.Executor``):

* **A failing task stops the run.** Its exception is raised by :meth:`Executor.run` once the
  tasks still running have been interrupted and no other task has been started; the tasks
  that were stopped never mask it. Nothing is committed: the caller commits after ``run``.
* **Ctrl-C** (``KeyboardInterrupt``) stops the run the same way and is re-raised.
* **A worker that dies** (killed, a crash in C code) is a :class:`~toolkit.errors.ToolkitError`
  saying so, with the hint to run with ``--jobs 1``.
* No module globals and no swapped ``sys.stdout``: what a worker needs is handed to it.

A new way to run (a cluster) is one more subclass; nothing else changes.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.errors import ToolkitError
from toolkit.pipeline.tasks import LanguageReport, LanguageTask, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

TaskFunction = Callable[[LanguageTask, ProgressCallback], LanguageReport]
"""``fn(task, emit) -> report``: builds one language; calls ``emit`` for each progress event.
It must be a module-level function (a cluster executor pickles it by reference)."""


class Executor(ABC):
    """Runs the language tasks of a build (see the module docstring for the contract)."""

    name: str = "executor"
    """Short name for messages and benchmarks."""

    @abstractmethod
    def run(
        self, fn: TaskFunction, tasks: Sequence[LanguageTask], progress: ProgressCallback
    ) -> list[LanguageReport]:
        """``[fn(task, emit) for task in tasks]``, by this executor's means, in task order."""


class SerialExecutor(Executor):
    """Every task here, one after another (``--jobs 1``, tests, platforms without fork)."""

    name = "serial"

    def run(
        self, fn: TaskFunction, tasks: Sequence[LanguageTask], progress: ProgressCallback
    ) -> list[LanguageReport]:
        """Run the tasks in order in this process; the first exception propagates as is."""
        return [fn(task, progress) for task in tasks]


def can_fork() -> bool:
    """Whether this platform can fork worker processes."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker (set as the re-raised one's cause)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _worker_died() -> ToolkitError:
    return ToolkitError(
        "A worker process building the languages stopped abruptly; the pack was left as it was.",
        "Run again with --jobs 1 to build in one process, and -v to see the error.",
    )


def _transportable(exc: BaseException) -> BaseException:
    """``exc`` if it pickles, else a RuntimeError with its type and message."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


PR_SET_PDEATHSIG = 1
"""``prctl`` option (linux/prctl.h): the signal a process gets when its parent dies."""


def _die_with_parent(parent: int) -> None:
    """End this worker when the build that forked it ends, however it ends.

    A worker that outlived a ``kill -9``-ed build used to keep building, and hold what it
    inherited (the pack lock, its siblings' pipes) so that every later build of the speech
    waited forever. On Linux the kernel sends SIGKILL when the parent dies
    (``PR_SET_PDEATHSIG``); elsewhere, and in case the parent died before that was set, a
    watcher thread notices the parent is gone within half a second.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # died between the fork and the prctl
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_main(
    fn: TaskFunction,
    conn: Connection,
    parent: int | None = None,
    inherited: Sequence[Connection] = (),
) -> None:
    """A forked worker: run each task the parent sends until it sends None.

    Idle, the worker ignores Ctrl-C (the parent decides); inside a task Ctrl-C interrupts the
    task, which is reported like any failure. The worker never writes to the console and ends
    with ``os._exit``: a console lock another thread of the parent held at the fork would
    otherwise hang its final flush. It dies with its parent (:func:`_die_with_parent`) and
    first closes the parent's ends of its siblings' pipes (``inherited``): holding them,
    it would keep a sibling from ever seeing the end of its pipe.
    """
    if parent is not None:
        _die_with_parent(parent)
    for other in inherited:
        with contextlib.suppress(OSError):
            other.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lock = threading.Lock()

    def emit(event: ProgressEvent) -> None:
        with lock:  # one message per event: they never interleave on the pipe
            conn.send(("event", event))

    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError, KeyboardInterrupt):
                break
            if task is None:
                break
            message: tuple[str, Any]
            try:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                report = fn(task, emit)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                message = ("done", report)
            except BaseException as exc:  # reported to the parent, which re-raises it
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                message = ("error", (_transportable(exc), traceback.format_exc()))
            with lock:
                conn.send(message)
    except BaseException:  # the parent is gone or stopping: nothing left to tell it
        pass
    finally:
        os._exit(0)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: int | None = None
    """Index of the task it is running, or None when idle."""


class ProcessExecutor(Executor):
    """Up to ``jobs`` forked worker processes, each building one language at a time.

    The tasks' work (aligning references, laying out PDFs, encoding MP3) is Python code:
    threads would take turns on the GIL, processes use every core. Forking, not spawning,
    keeps what this process has loaded, so a worker starts in milliseconds. Each worker has
    one pipe to the parent: tasks go down, progress events and the report come up. The
    parent hands out the tasks itself, so after a failure it simply starts no more.
    """

    name = "processes"

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def run(
        self, fn: TaskFunction, tasks: Sequence[LanguageTask], progress: ProgressCallback
    ) -> list[LanguageReport]:
        """Run the tasks in forked workers (serially when one worker is enough)."""
        count = min(self.jobs, len(tasks))
        if count <= 1 or not can_fork():
            return SerialExecutor().run(fn, tasks, progress)
        import multiprocessing

        context = multiprocessing.get_context("fork")
        workers: list[_Worker] = []
        try:
            for _ in range(count):
                parent_end, child_end = context.Pipe(duplex=True)
                siblings = [w.conn for w in workers]
                process = context.Process(
                    target=_worker_main, args=(fn, child_end, os.getpid(), siblings)
                )
                process.start()
                child_end.close()  # the worker holds the only copy: its death is an EOF here
                workers.append(_Worker(process, parent_end))
            return self._dispatch(workers, list(tasks), progress)
        finally:
            self._stop(workers, progress)

    @staticmethod
    def _receive(worker: _Worker, progress: ProgressCallback) -> tuple[str, Any] | None:
        """Relay the worker's events; return its next report or error (None: none yet)."""
        while worker.conn.poll():
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError):
                return ("died", None)
            if kind == "event":
                progress(payload)
            else:
                return kind, payload
        if not worker.process.is_alive():
            return ("died", None)
        return None

    def _dispatch(
        self, workers: list[_Worker], tasks: list[LanguageTask], progress: ProgressCallback
    ) -> list[LanguageReport]:
        from multiprocessing.connection import wait

        queued = deque(range(len(tasks)))
        reports: dict[int, LanguageReport] = {}
        while len(reports) < len(tasks):
            for worker in workers:
                if worker.task is None and queued:
                    worker.task = queued.popleft()
                    worker.conn.send(tasks[worker.task])
            busy = [w for w in workers if w.task is not None]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                outcome = self._receive(worker, progress)
                if outcome is None:
                    continue
                kind, payload = outcome
                if kind == "done":
                    assert worker.task is not None
                    reports[worker.task] = payload
                    worker.task = None
                elif kind == "error":
                    worker.task = None
                    exc, remote = payload
                    exc.__cause__ = RemoteTraceback(remote)
                    raise exc
                else:
                    raise _worker_died()
        return [reports[i] for i in range(len(tasks))]

    def _stop(self, workers: list[_Worker], progress: ProgressCallback) -> None:
        """Interrupt running tasks, let every worker exit, keep their pipes drained."""
        for worker in workers:
            if worker.task is not None and worker.process.pid is not None:
                # A failure elsewhere or Ctrl-C: this language's work would be thrown away.
                # (A Ctrl-C at the terminal has already reached it.)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, signal.SIGINT)
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        for worker in workers:
            while worker.process.is_alive():
                worker.process.join(0.05)
                try:
                    while worker.conn.poll():
                        worker.conn.recv()  # a worker blocked on a full pipe would never end
                except (EOFError, OSError):
                    worker.process.join()
            worker.conn.close()


def executor_for(jobs: int) -> Executor:
    """The executor ``--jobs`` asks for: forked workers, or serial for 1 (or without fork)."""
    if jobs <= 1 or not can_fork():
        return SerialExecutor()
    return ProcessExecutor(jobs)


__all__ = [
    "Executor",
    "ProcessExecutor",
    "RemoteTraceback",
    "SerialExecutor",
    "TaskFunction",
    "can_fork",
    "executor_for",
]
