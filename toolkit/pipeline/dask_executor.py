"""The language tasks of a build as Dask tasks, on a scheduler's workers (``--cluster``).

:class:`DaskExecutor` keeps the :class:`~toolkit.pipeline.executor.Executor` contract on a
Dask distributed cluster, a real one (``tcp://HOST:8786``) or a :class:`distributed.
LocalCluster` of worker processes started here (``local[:N]``). What crosses the wire:

* **Down:** the :class:`~toolkit.pipeline.tasks.LanguageTask` (speech JSON and frozen options,
  a few kB) and the task function *by reference*. No engine, model or cache is pickled: each
  worker opens its own under its own ``TOOLKIT_HOME`` (see docs/cluster.md).
* **Up:** progress events, through the scheduler's event log (``Worker.log_event`` → the
  client's ``subscribe_topic``), relayed to the caller's callback in the thread that called
  :meth:`DaskExecutor.run`; then the report **and the bytes of every staged file**. A worker
  builds into a temporary staging folder of its own; the client writes the bytes it gets back
  into its own ``staging/<slug>/`` after checking each against the recorded sha256. So no
  folder has to be shared, a worker never touches the pack, and only the client commits.
* **Faults:** a worker that dies mid-task (killed, out of memory) is not an error for Dask:
  the scheduler runs the task again on another worker (up to ``distributed.scheduler.
  allowed-failures`` times, 3 by default); the lost attempt's files died with its temporary
  folder. A task that raises stops the run as everywhere else: the other tasks are cancelled
  (a running one stops at its next progress event) and the first error is re-raised with the
  worker's traceback as its cause. Ctrl-C does the same.

:func:`build_concurrently` builds several statements at once on one cluster: each statement
keeps its own lock, staging folder and commit (:func:`toolkit.pipeline.build.build_source`, in
a thread of this process), while their language tasks share the cluster's workers.

Connecting, and starting a local cluster, is :mod:`toolkit.pipeline.dask_cluster`.
``distributed`` is an optional dependency (``toolkit[cluster]``), imported only when a
cluster is asked for.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import queue
import shutil
import sys
import tempfile
import threading
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import ToolkitError
from toolkit.pipeline.dask_cluster import ClusterSpec, DaskConnection
from toolkit.pipeline.executor import Executor, RemoteTraceback, TaskFunction
from toolkit.pipeline.tasks import LanguageReport, LanguageTask, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from toolkit.options import BuildOptions
    from toolkit.pipeline.build import BuildResult

EVENT_GRACE_S = 5.0
"""How long to wait, once a task is done, for its last progress events to arrive."""
WORKER_SWITCH_INTERVAL_S = 0.05
"""Thread switch interval of a worker process running toolkit tasks (see run_on_worker)."""
_POLL_S = 0.2
"""How often a waiting run checks whether it was asked to stop (Ctrl-C, another statement)."""


# --------------------------------------------------------------------------- on the worker


@dataclass(frozen=True)
class _Expected:
    """What the client resolved for a task's translation, for the worker to check."""

    engine: str
    reference: str | None
    reference_sha256: str | None


def _expected_translation(task: LanguageTask) -> _Expected | None:
    """Which engine (and reference file) ``task`` resolves to on *this* machine."""
    from toolkit.document import Speech
    from toolkit.languages import SOURCE_LANGUAGE
    from toolkit.provenance import REFERENCE_ENGINE
    from toolkit.translate.reference import find_reference
    from toolkit.translate.service import resolve_engine

    if task.lang == SOURCE_LANGUAGE:
        return None
    speech = Speech.from_dict(json.loads(task.speech_json))
    try:
        name = resolve_engine(speech, task.lang, task.options.translate)
        path = find_reference(speech, task.lang) if name == REFERENCE_ENGINE else None
    except ToolkitError:
        return None  # the task itself reports it
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None
    return _Expected(name, str(path) if path is not None else None, digest)


@dataclass(frozen=True)
class _Outcome:
    """What a worker sends back for one task."""

    worker: str
    """Address of the worker that ran it."""
    attempt: str
    """This attempt's id (a task retried after a worker died has several)."""
    events: int
    """Progress events this attempt logged (the client waits for all of them)."""
    report: LanguageReport | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    """Bytes of the staged files, by their path in the pack."""
    error: BaseException | None = None
    remote_traceback: str = ""


def _transportable(exc: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def run_on_worker(
    fn: TaskFunction, task: LanguageTask, topic: str, expected: _Expected | None
) -> _Outcome:
    """The Dask task: ``fn(task, emit)`` in a private staging folder; the files come back.

    ``emit`` logs each event on ``topic``; it also ends the task with ``KeyboardInterrupt``
    once the client has cancelled it (a Dask worker cannot interrupt a running thread: the
    task looks at its own state in the worker, no round trip to the scheduler).
    """
    from distributed import get_worker

    # The task holds the GIL for seconds of PDF layout and MP3 encoding, beside the worker's
    # event loop thread. With Python's default 5 ms switch interval the two hand the GIL
    # back and forth, each hand-off waiting for the OS to schedule the other thread: on a
    # busy machine a language took 1.5-4x as long as in a worker process of --jobs
    # (bench/cluster.py). 50 ms keeps the loop responsive enough for heartbeats.
    sys.setswitchinterval(max(sys.getswitchinterval(), WORKER_SWITCH_INTERVAL_S))
    worker = get_worker()
    key = worker.get_current_task()
    attempt = uuid.uuid4().hex
    sent = 0

    def emit(event: ProgressEvent) -> None:
        nonlocal sent
        state = worker.state.tasks.get(key)
        if state is None or state.state in ("cancelled", "released", "forgotten"):
            raise KeyboardInterrupt
        fields = (event.slug, event.lang, event.stage, event.state, event.detail)
        worker.log_event(topic, [attempt, *fields])
        sent += 1

    staging = Path(tempfile.mkdtemp(prefix="toolkit-staging-"))
    try:
        if expected is not None and expected != _expected_translation(task):
            raise ToolkitError(
                f"The worker {worker.address} does not see the reference translation "
                f"{expected.reference} that this machine has (or sees another one): its "
                f"{task.lang} would differ from a local build.",
                "Give the workers the source folder at the same path (a shared folder, see "
                "docs/cluster.md), or build with --engine argos.",
            )
        report = fn(replace(task, staging=staging), emit)
        slug = task.pack.name
        files = {
            f.path: (staging / slug / f.path).read_bytes() for f in report.files if f.staged
        }
        return _Outcome(worker.address, attempt, sent, report=report, files=files)
    except BaseException as exc:  # sent back: the client re-raises it
        return _Outcome(
            worker.address,
            attempt,
            sent,
            error=_transportable(exc),
            remote_traceback=traceback.format_exc(),
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- on the client


class _Stopped(BaseException):
    """A run stopped because another statement's build failed or Ctrl-C was pressed."""


def _lost_task(task: LanguageTask, why: str) -> ToolkitError:
    return ToolkitError(
        f"The cluster could not build {task.pack.name} {task.lang}: {why}; the pack was left "
        "as it was.",
        "Check the workers' logs (`dask worker` output); run again, or without --cluster.",
    )


class DaskExecutor(DaskConnection, Executor):
    """The language tasks on a Dask cluster's workers (see the module docstring).

    It is a :class:`~toolkit.pipeline.dask_cluster.DaskConnection`: use it as a context
    manager (or call :meth:`close`); it connects on entry, and a local cluster it started is
    shut down on exit. ``placements`` records, for each ``(slug, lang)`` it built, the address
    of the worker whose files were kept.
    """

    name = "dask"

    def __init__(self, spec: ClusterSpec | str, connect_timeout: float | None = None) -> None:
        super().__init__(spec, connect_timeout)
        self.placements: dict[tuple[str, str], str] = {}
        self._stopping = threading.Event()

    def stop(self) -> None:
        """Make every :meth:`run` in progress stop (from another thread: Ctrl-C, a failure)."""
        self._stopping.set()

    def resume(self) -> None:
        """Accept new runs again after :meth:`stop`."""
        self._stopping.clear()

    # ----------------------------------------------------------------- run

    def run(
        self, fn: TaskFunction, tasks: Sequence[LanguageTask], progress: ProgressCallback
    ) -> list[LanguageReport]:
        """Run every task as a Dask task; write their staged files here; reports in order."""
        client = self.connect()
        run_id = uuid.uuid4().hex[:12]
        topic = f"toolkit-progress-{run_id}"
        inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        client.subscribe_topic(topic, lambda event: inbox.put(("event", event[1])))
        futures: list[Any] = []
        try:
            for index, task in enumerate(tasks):
                future = client.submit(
                    run_on_worker,
                    fn,
                    task,
                    topic,
                    _expected_translation(task),
                    key=f"toolkit-{task.pack.name}-{task.lang}-{run_id}",
                    pure=False,
                )
                future.add_done_callback(lambda _, index=index: inbox.put(("done", index)))
                futures.append(future)
            outcomes = self._collect(futures, tasks, inbox, progress)
            reports = []
            for task, outcome in zip(tasks, outcomes, strict=True):
                assert outcome.report is not None
                self._unpack(task, outcome)
                self.placements[(task.pack.name, task.lang)] = outcome.worker
                reports.append(outcome.report)
            return reports
        except BaseException as exc:
            # Work that will be thrown away: stop it (running tasks at their next event).
            with contextlib.suppress(Exception):
                client.cancel(futures, force=True)
            if isinstance(exc, _Stopped):
                raise KeyboardInterrupt from None
            raise
        finally:
            with contextlib.suppress(Exception):
                client.unsubscribe_topic(topic)

    def _collect(
        self,
        futures: list[Any],
        tasks: Sequence[LanguageTask],
        inbox: queue.SimpleQueue[tuple[str, Any]],
        progress: ProgressCallback,
    ) -> list[_Outcome]:
        """Relay events until every task is done and its events have arrived."""
        import time

        outcomes: dict[int, _Outcome] = {}
        received: Counter[str] = Counter()
        deadline: float | None = None

        def complete() -> bool:
            return len(outcomes) == len(tasks) and all(
                received[o.attempt] >= o.events for o in outcomes.values()
            )

        while not complete():
            if deadline is not None and time.monotonic() > deadline:
                break  # late events only update a display: do not wait forever for them
            if self._stopping.is_set():
                raise _Stopped
            try:
                kind, payload = inbox.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if kind == "event":
                attempt, *fields = payload
                received[attempt] += 1
                progress(ProgressEvent(*fields))
                continue
            outcome = self._outcome(futures[payload], tasks[payload])
            if outcome.error is not None:
                error = outcome.error
                error.__cause__ = RemoteTraceback(outcome.remote_traceback)
                raise error
            outcomes[payload] = outcome
            if len(outcomes) == len(tasks):
                deadline = time.monotonic() + EVENT_GRACE_S
        return [outcomes[i] for i in range(len(tasks))]

    @staticmethod
    def _outcome(future: Any, task: LanguageTask) -> _Outcome:
        """The future's outcome; the cluster's own failures as toolkit errors."""
        from distributed import KilledWorker

        if future.status == "cancelled":
            raise _lost_task(task, "the scheduler cancelled the task (did it restart?)")
        try:
            outcome = future.result()
        except concurrent.futures.CancelledError:
            raise _lost_task(task, "the scheduler lost the task (did it restart?)") from None
        except KilledWorker:
            raise ToolkitError(
                f"Workers kept dying while building {task.pack.name} {task.lang} (the cluster "
                "gave up after its allowed failures); the pack was left as it was.",
                "Check the workers' memory and logs, then run again (or without --cluster).",
            ) from None
        assert isinstance(outcome, _Outcome)
        return outcome

    @staticmethod
    def _unpack(task: LanguageTask, outcome: _Outcome) -> None:
        """Write the staged files' bytes into this machine's ``staging/<slug>/``."""
        assert outcome.report is not None
        folder = task.staging / task.pack.name
        for record in outcome.report.files:
            if not record.staged:
                continue
            data = outcome.files.get(record.path)
            if data is None or hashlib.sha256(data).hexdigest() != record.sha256:
                raise _lost_task(task, f"{record.path} came back incomplete")
            target = folder / record.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


@contextlib.contextmanager
def open_cluster(spec: str) -> Iterator[DaskExecutor]:
    """A connected :class:`DaskExecutor` for ``--cluster SPEC``; closed on exit."""
    executor = DaskExecutor(ClusterSpec.parse(spec))
    with executor:
        yield executor


# --------------------------------------------------------------------------- many statements


def build_concurrently(
    sources: list[Path],
    options: BuildOptions,
    progress: ProgressCallback | None = None,
    executor: DaskExecutor | None = None,
    statements_at_once: int | None = None,
) -> BuildResult:
    """Like :func:`toolkit.pipeline.build.build`, the statements' tasks on the cluster at once.

    Each statement is built by :func:`~toolkit.pipeline.build.build_source` in a thread of
    this process (segmenting, its lock, its staging folder, its commit), so up to
    ``statements_at_once`` statements (default: the cluster's worker threads, at least 2)
    have their languages queued on the cluster together and no worker waits for the slowest
    language of one statement. The first failure (or Ctrl-C) stops the statements still
    being built; those already committed stay committed.
    """
    from toolkit.pipeline.build import BuildResult, SourceReport, build_source

    if executor is None:
        with open_cluster("local") as local:
            return build_concurrently(sources, options, progress, local, statements_at_once)
    at_once = statements_at_once or max(2, executor.threads())
    reports: dict[int, SourceReport] = {}
    with concurrent.futures.ThreadPoolExecutor(
        max_workers=max(1, min(at_once, len(sources))), thread_name_prefix="toolkit-statement"
    ) as pool:
        pending = {
            pool.submit(build_source, source, options, progress, executor): index
            for index, source in enumerate(sources)
        }
        try:
            while pending:
                done, _ = concurrent.futures.wait(
                    pending, timeout=_POLL_S, return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in done:
                    index = pending.pop(future)
                    reports[index] = future.result()  # a statement's failure is raised here
        except BaseException:
            for future in pending:
                future.cancel()
            executor.stop()
            concurrent.futures.wait(pending)  # each thread removes its staging folder
            raise
        finally:
            executor.resume()
    return BuildResult(tuple(reports[i] for i in range(len(sources))))


__all__ = [
    "DaskExecutor",
    "build_concurrently",
    "open_cluster",
    "run_on_worker",
]
