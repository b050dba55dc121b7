"""Bounded HTTP downloads of the model index and packages.

:func:`read_bounded` copies one URL (``http``, ``https``, ``file`` or a local path) into a
file-like sink within :class:`DownloadLimits`: by size (the ``Content-Length`` and the bytes
actually read), by total time, and by a low-speed limit (a server that trickles a byte every
few seconds is dropped), like curl's ``--max-filesize``, ``--max-time`` and
``--speed-limit``. A watchdog (:class:`_Deadline`) also bounds what reads cannot see: the
connection, and status line and headers trickled by a hostile server. Every network error
names the air-gapped alternative (:func:`offline_hint`).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from toolkit.errors import NetworkError, from_os_error

if TYPE_CHECKING:
    import urllib.request

INDEX_TIMEOUT = 20.0
"""Seconds to wait for the index or a package server to answer (each read)."""


@dataclass(frozen=True)
class DownloadLimits:
    """Bounds on one download; exceeding any of them refuses it with a :class:`NetworkError`."""

    max_bytes: int
    """Largest body accepted (checked against ``Content-Length`` and while reading)."""
    total_seconds: float
    """Longest the whole download may take."""
    read_timeout: float = INDEX_TIMEOUT
    """Longest a single read may wait for the server."""
    low_speed_bytes: int = 1024
    """Fewer bytes than this within ``low_speed_seconds`` means the server has stalled."""
    low_speed_seconds: float = 30.0
    """The window of the low-speed limit."""



def offline_hint(lang: str | None = None) -> str:
    """The air-gapped alternative, named in every network error."""
    pair = f"translate-en_{lang}" if lang else "translate-en_<lang>"
    return (
        f"Install from a file instead: `toolkit models install PATH.argosmodel` "
        f"(copy {pair}-*.argosmodel from a connected machine)."
    )


class _Deadline:
    """Shuts down the sockets of one download when its time is up.

    ``read1`` and the low-speed limit bound the body; this also bounds what they cannot
    see: the connection and the status line and headers, which a hostile server can
    trickle too. The blocked read then fails at once and the download is refused.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _opener(deadline: _Deadline | None) -> urllib.request.OpenerDirector:
    import http.client  # the network stack is imported when a download starts, not before
    import urllib.request

    if deadline is None:
        return urllib.request.build_opener()
    watch = deadline.watch

    class Watched(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            watch(self.sock)

    class WatchedTLS(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            watch(self.sock)

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> Any:
            return self.do_open(Watched, req)

    class TLS(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> Any:
            return self.do_open(WatchedTLS, req, context=getattr(self, "_context", None))

    return urllib.request.build_opener(Plain, TLS)


def _open(url: str, timeout: float, deadline: _Deadline | None = None) -> Any:
    import urllib.request

    if "://" not in url:  # a local path (air-gapped mirror)
        url = Path(url).resolve().as_uri()
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https", "file"):
        raise NetworkError(f"Unsupported URL scheme in {url!r}.", offline_hint())
    request = urllib.request.Request(url, headers={"User-Agent": "toolkit-models"})
    return _opener(deadline).open(request, timeout=timeout)  # scheme checked above


class DownloadLimitError(Exception):
    """A download broke one of its :class:`DownloadLimits` (the message says which)."""


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def read_bounded(
    url: str, sink: IO[bytes], limits: DownloadLimits, clock: Any = time.monotonic
) -> int:
    """Copy the body at ``url`` into ``sink`` within ``limits``; return the bytes copied.

    Raises :class:`DownloadLimitError` when the body is too large (declared or actual),
    the whole transfer takes too long, or fewer than ``low_speed_bytes`` arrive within
    ``low_speed_seconds``; network failures propagate as ``URLError``/``OSError``. Reads
    use ``read1`` (whatever has arrived, at most one socket read), so a trickling server
    cannot hold a single read open past the checks. A failure writing ``sink`` (disk
    full) is raised as a :class:`~toolkit.errors.FileSystemError`.
    """
    import http.client

    start = clock()
    with _Deadline(limits.total_seconds) as deadline:
        try:
            return _copy_bounded(url, sink, limits, clock, start, deadline)
        except (OSError, http.client.HTTPException):
            if deadline.expired:  # our watchdog cut the connection, whatever it was doing
                raise DownloadLimitError(
                    f"it did not finish within {limits.total_seconds:g} s"
                ) from None
            raise


def _copy_bounded(
    url: str, sink: IO[bytes], limits: DownloadLimits, clock: Any, start: float, deadline: _Deadline
) -> int:
    with _open(url, limits.read_timeout, deadline) as response:
        declared = (getattr(response, "headers", None) or {}).get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > limits.max_bytes:
            raise DownloadLimitError(
                f"it announces {_size(int(declared))}, more than the {_size(limits.max_bytes)} "
                "accepted"
            )
        read = getattr(response, "read1", None) or response.read
        total = 0
        window_start, window_bytes = start, 0
        while True:
            block = read(1 << 16)
            now = clock()
            if deadline.expired or now - start > limits.total_seconds:
                raise DownloadLimitError(
                    f"it did not finish within {limits.total_seconds:g} s "
                    f"({_size(total + len(block))} received)"
                )
            if not block:
                return total
            total += len(block)
            window_bytes += len(block)
            if total > limits.max_bytes:
                raise DownloadLimitError(
                    f"it is larger than the {_size(limits.max_bytes)} accepted"
                )
            if now - window_start >= limits.low_speed_seconds:
                if window_bytes < limits.low_speed_bytes:
                    raise DownloadLimitError(
                        f"the server sent only {window_bytes} bytes in "
                        f"{now - window_start:.0f} s (stalled)"
                    )
                window_start, window_bytes = now, 0
            try:
                sink.write(block)
            except OSError as exc:
                raise from_os_error(exc, getattr(sink, "name", None)) from None


def is_local_failure(exc: OSError) -> bool:
    """A failure of our own disk (full, read-only…) rather than of the server or network."""
    import errno

    return exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO)
