"""Reaching a Dask cluster for ``--cluster``: a scheduler's address, or workers started here.

:class:`ClusterSpec` is what ``--cluster`` says: ``tcp://HOST:8786`` (any Dask address) of a
running scheduler, or ``local[:N]`` for a :class:`distributed.LocalCluster` of N worker
processes on this machine. :class:`DaskConnection` holds the client: it connects on first use
(an unreachable scheduler, or one without workers, is an error, never a hang), starts the
local cluster (its workers ignore Ctrl-C: :func:`dask_setup`; the client decides) and shuts
it down on close. :class:`~toolkit.pipeline.dask_executor.DaskExecutor` is a connection that
runs a build's language tasks on it.

``distributed`` is an optional dependency (``toolkit[cluster]``), imported only here and in
:mod:`toolkit.pipeline.dask_executor`, and only when a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from toolkit.errors import DependencyError, NetworkError, OptionError

if TYPE_CHECKING:
    from distributed import Client

INSTALL_HINT = (
    "Install the cluster extra: pip install 'toolkit[cluster]' (or uv sync --extra cluster)."
)
DEFAULT_LOCAL_WORKERS = 2
CONNECT_TIMEOUT_S = 10.0
"""How long to try reaching a scheduler before giving up with an error."""


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise DependencyError(
            "--cluster needs Dask distributed, which is not installed.", INSTALL_HINT
        ) from None
    return distributed


# --------------------------------------------------------------------------- the cluster spec


@dataclass(frozen=True)
class ClusterSpec:
    """Where to run: a scheduler's address, or a local cluster of ``workers`` processes."""

    address: str | None
    """``tcp://HOST:PORT`` (or any Dask address) of a running scheduler; None: local."""
    workers: int = DEFAULT_LOCAL_WORKERS
    """For a local cluster: how many worker processes (one thread each)."""

    @classmethod
    def parse(cls, text: str) -> ClusterSpec:
        """``local``, ``local:N`` or a scheduler address such as ``tcp://10.0.0.5:8786``."""
        value = text.strip()
        if value == "local" or value.startswith("local:"):
            count = value.partition(":")[2] or str(DEFAULT_LOCAL_WORKERS)
            if not count.isdigit() or int(count) < 1:
                raise OptionError(
                    f"--cluster {text!r}: the number of local workers must be a positive "
                    "integer.",
                    "Use --cluster local (2 workers), local:4, or tcp://HOST:8786.",
                )
            return cls(address=None, workers=int(count))
        if "://" not in value:
            value = f"tcp://{value}"  # Dask's own default protocol, like `dask worker HOST:8786`
        host = value.split("://", 1)[1]
        if not host or host.startswith(":"):
            raise OptionError(
                f"--cluster {text!r} is not a scheduler address.",
                "Use tcp://HOST:8786 (a running `dask scheduler`) or local[:N].",
            )
        return cls(address=value)

    def describe(self) -> str:
        """For messages: the address, or ``local cluster (N workers)``."""
        return self.address or f"local cluster ({self.workers} workers)"


# --------------------------------------------------------------------------- local workers


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def dask_setup(worker: object) -> None:
    """Dask's preload hook, for the workers of ``--cluster local`` only (see ``_open``).

    Those workers are this machine's processes in the terminal's process group: Ctrl-C is
    for the client, which cancels their tasks. Importing the build and the task function
    (:func:`toolkit.pipeline.dask_executor.run_on_worker`) here also takes the toolkit's
    import time off the first task.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    import toolkit.pipeline.build  # noqa: F401
    import toolkit.pipeline.dask_executor  # noqa: F401


# --------------------------------------------------------------------------- the connection


class DaskConnection:
    """A client of a Dask scheduler, or of a local cluster started here (see the module docstring).

    Use it as a context manager (or call :meth:`close`): it connects on entry, and a local
    cluster it started is shut down on exit.
    """

    def __init__(self, spec: ClusterSpec | str, connect_timeout: float | None = None) -> None:
        self.spec = ClusterSpec.parse(spec) if isinstance(spec, str) else spec
        self.connect_timeout = CONNECT_TIMEOUT_S if connect_timeout is None else connect_timeout
        self._client: Client | None = None
        self._cluster: Any = None
        self._lock = threading.RLock()
        self._log_level: int | None = None

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def connect(self) -> Client:
        """The client, connecting (or starting the local cluster) on the first call."""
        with self._lock:
            if self._client is None:
                self._client = self._open()
            return self._client

    def _open(self) -> Client:
        distributed = _import_distributed()
        import logging

        import dask

        # distributed logs every worker start and stop at INFO on its own stderr handler, and a
        # lost worker as errors although the scheduler recovers: the build's display, summary
        # and errors say what matters here; the workers' logs stay on their machines.
        logger = logging.getLogger("distributed")
        self._log_level = logger.level
        logger.setLevel(logging.CRITICAL)
        if self.spec.address is None:
            # Ctrl-C at the terminal reaches every process of the group, workers included; the
            # client decides (it cancels the tasks). Workers started now inherit the ignored
            # SIGINT; restarted ones ignore it from the preload hook on.
            # Dask's statistical profiler samples every worker thread each 10 ms: it made each
            # language ~1.5x slower here (bench/cluster.py). A documents service does not
            # need it; a real cluster's workers read their own config (docs/cluster.md).
            quiet = {
                "distributed.worker.profile.enabled": False,
                "distributed.admin.system-monitor.gil.enabled": False,
            }
            with _interrupts_ignored(), dask.config.set(quiet):
                self._cluster = distributed.LocalCluster(
                    n_workers=self.spec.workers,
                    threads_per_worker=1,  # one language per process: PDFs and MP3s are Python
                    processes=True,
                    dashboard_address=":0",  # no fixed port: two builds may run at once
                    silence_logs=logging.CRITICAL,
                    preload=[__name__],
                )
            return distributed.Client(self._cluster, set_as_default=False)
        from distributed.comm import get_address_host_port

        try:
            get_address_host_port(self.spec.address)
        except ValueError as exc:
            self.close()
            raise OptionError(
                f"--cluster {self.spec.address!r} is not a scheduler address: {exc}",
                "Use tcp://HOST:8786 (a running `dask scheduler`) or local[:N].",
            ) from None
        try:
            client = distributed.Client(
                self.spec.address, timeout=self.connect_timeout, set_as_default=False
            )
        except (OSError, TimeoutError) as exc:
            self.close()
            reason = str(exc).split("\n")[0] or type(exc).__name__
            raise NetworkError(
                f"Cannot reach the Dask scheduler at {self.spec.address}: {reason}",
                "Start it with `dask scheduler` and workers with `dask worker "
                f"{self.spec.address}` (docs/cluster.md), check the address and port, or "
                "use --cluster local to build on this machine.",
            ) from None
        try:  # tasks given to a scheduler without workers would wait for ever
            client.wait_for_workers(1, timeout=self.connect_timeout)
        except (OSError, TimeoutError):
            with contextlib.suppress(Exception):
                client.close()
            self.close()
            raise NetworkError(
                f"The Dask scheduler at {self.spec.address} has no workers.",
                f"Start some with `dask worker {self.spec.address}` (docs/cluster.md).",
            ) from None
        return client

    def close(self) -> None:
        """Disconnect; shut down the local cluster if this connection started one."""
        with self._lock:
            client, cluster = self._client, self._cluster
            self._client = self._cluster = None
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()
        if self._log_level is not None:
            import logging

            logging.getLogger("distributed").setLevel(self._log_level)
            self._log_level = None

    def workers(self) -> list[str]:
        """Addresses of the workers the scheduler knows now."""
        info = self.connect().scheduler_info()
        return sorted(info.get("workers", {}))

    def threads(self) -> int:
        """Worker threads on the cluster now (how many tasks run at once)."""
        return sum(self.connect().nthreads().values())


__all__ = [
    "CONNECT_TIMEOUT_S",
    "DEFAULT_LOCAL_WORKERS",
    "INSTALL_HINT",
    "ClusterSpec",
    "DaskConnection",
    "dask_setup",
]
