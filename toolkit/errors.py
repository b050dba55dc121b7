"""One exception tree for the whole toolkit.

Every error the library raises on purpose is a :class:`ToolkitError`: it carries a
one-line message, a hint that tells the user what to do, and the process exit code.
The CLI turns it into ``Error: … / Hint: …`` in exactly one place
(:mod:`toolkit.cli`); the library itself never prints or exits.
"""

from __future__ import annotations

import errno
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    """Everything requested was produced."""
    ERROR = 1
    """An unexpected failure (a bug: please report it with ``-v``)."""
    USAGE = 2
    """Bad command-line usage (unknown option, bad value)."""
    INPUT = 3
    """The input file is missing, empty, binary, undecodable or malformed."""
    MODEL = 4
    """A translation model is missing, corrupt or cannot be installed."""
    NETWORK = 5
    """A network service (model index, gTTS) could not be reached."""
    DEPENDENCY = 6
    """A font, voice or system tool the job needs is missing."""
    OUTPUT = 7
    """A file or folder could not be written or read: an output, a cache, a model folder
    (disk full, permission denied, read-only file system, a file where a folder belongs)."""
    PARTIAL = 10
    """A build finished but skipped some languages (see the manifest)."""
    INTERRUPTED = 130
    """Interrupted with Ctrl-C; previous outputs are left intact."""


class ToolkitError(Exception):
    """Base class of every error the toolkit raises deliberately."""

    exit_code: ExitCode = ExitCode.ERROR
    default_hint: str = "Run again with -v for details."

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[ToolkitError], tuple[str, str]]:
        # Keep the hint when the error crosses a process boundary (a build worker's error).
        return (type(self), (self.message, self.hint))


class InputError(ToolkitError):
    """The input file cannot be used as a speech (or as a toolkit JSON document)."""

    exit_code = ExitCode.INPUT
    default_hint = "Give a .md/.txt (UTF-8), .pdf, .docx or .html speech, e.g. source/<slug>.en.md."


class OptionError(ToolkitError):
    """A command-line option (or an options dataclass field) has a value that cannot be used.

    Raised by :mod:`toolkit.options` when the options object is made, whichever command
    the value came from, so ``build --tts bogus`` and ``audio --tts bogus`` fail alike.
    """

    exit_code = ExitCode.USAGE
    default_hint = "See the command's --help for the accepted values."


class UnknownLanguageError(InputError):
    """A language code that is not one of the six UN official languages."""

    default_hint = "Use one of the UN official languages: ar, zh, en, fr, ru, es."


class ModelError(ToolkitError):
    """A translation model is missing, corrupt, or cannot be installed."""

    exit_code = ExitCode.MODEL
    default_hint = "Run `toolkit models list` to see what is installed."


class NetworkError(ToolkitError):
    """A network service could not be reached."""

    exit_code = ExitCode.NETWORK
    default_hint = "Check the network connection, or use an offline alternative."


class DependencyError(ToolkitError):
    """A font, voice, library or system tool the job needs is missing."""

    exit_code = ExitCode.DEPENDENCY
    default_hint = "Run `toolkit doctor` to see what is missing and how to install it."


class OutputError(ToolkitError):
    """An output file or folder could not be written."""

    exit_code = ExitCode.OUTPUT
    default_hint = "Check that the output folder exists and is writable (--out DIR)."


class FileSystemError(OutputError):
    """The file system refused an operation: disk full, permission denied, read-only, ….

    Built from an :class:`OSError` by :func:`from_os_error`; the message names the path
    and the hint says what to do about that particular ``errno``.
    """

    default_hint = "Check the path, its permissions and the free disk space."


_FS_HINTS: dict[int, str] = {
    errno.ENOSPC: "The disk holding {where} is full: free some space, or write elsewhere "
    "(--out DIR for outputs, TOOLKIT_HOME for models and caches), then run again.",
    errno.EFBIG: "{where} would be larger than the file system or a file-size limit "
    "(`ulimit -f`) allows: raise the limit, or write elsewhere (--out DIR, TOOLKIT_HOME).",
    errno.EDQUOT: "Your disk quota on {where} is used up: free some space, or write elsewhere "
    "(--out DIR, TOOLKIT_HOME), then run again.",
    errno.EACCES: "Permission denied: check the owner and mode of {where} (`ls -ld`), "
    "or write elsewhere (--out DIR, TOOLKIT_HOME).",
    errno.EPERM: "The operation is not permitted on {where} (immutable or protected?): "
    "check it with `lsattr`/`ls -ld`, or write elsewhere (--out DIR, TOOLKIT_HOME).",
    errno.EROFS: "{where} is on a read-only file system: choose a writable folder "
    "(--out DIR for outputs, TOOLKIT_HOME for models and caches).",
    errno.ENOTDIR: "{where} is a file where a folder is expected: move that file away "
    "(the toolkit never deletes it), or choose another folder.",
    errno.EEXIST: "A file stands at {where}, where a folder is expected: move that file away "
    "(the toolkit never deletes it), or choose another folder.",
    errno.EISDIR: "{where} is a folder where a file is expected: move it away, or choose "
    "another path.",
    errno.ENOENT: "{where} does not exist (or disappeared while the toolkit ran): check the path.",
    errno.ELOOP: "{where} is a loop of symbolic links: fix the link.",
    errno.ENAMETOOLONG: "The path {where} is too long for the file system: use a shorter one.",
    errno.EIO: "The disk (or network file system) holding {where} reported an I/O error: "
    "check the device (`dmesg`), then run again.",
    errno.EMFILE: "Too many files are open: raise the limit (`ulimit -n`) or run fewer jobs.",
    errno.ENFILE: "The system has too many open files: close some programs, then run again.",
    errno.EBUSY: "{where} is busy (in use by another program?): try again later.",
    errno.ETXTBSY: "{where} is busy (in use by another program?): try again later.",
    errno.EXDEV: "{where} is on another file system than the folder it must be moved to: "
    "keep outputs, caches and models on one file system.",
}

FILE_SYSTEM_ERRNOS = frozenset(_FS_HINTS)
"""``errno`` values that mean "the file system said no" (as opposed to a network error)."""


def is_file_system_error(exc: BaseException) -> bool:
    """True when ``exc`` is an :class:`OSError` raised by the file system (not the network)."""
    if not isinstance(exc, OSError) or isinstance(exc, ConnectionError | TimeoutError):
        return False
    return exc.errno in FILE_SYSTEM_ERRNOS or exc.filename is not None


def _file_in_the_way(path: Path) -> Path:
    """The ancestor of ``path`` that exists but is not a folder (what ENOTDIR is about)."""
    for candidate in (path, *path.parents):
        try:
            if candidate.exists() and not candidate.is_dir():
                return candidate
        except OSError:
            continue
    return path


def from_os_error(exc: OSError, path: Path | str | None = None) -> FileSystemError:
    """The :class:`FileSystemError` for ``exc``: its path, its reason, and a hint for its errno.

    ``path`` names the file being written when the error itself does not (a failed
    ``write()`` carries only an errno).
    """
    where = exc.filename if exc.filename is not None else path
    if exc.errno == errno.ENOTDIR and where is not None:
        where = _file_in_the_way(Path(str(where)))
    reason = exc.strerror or str(exc) or type(exc).__name__
    code = errno.errorcode.get(exc.errno or 0)
    if code:
        reason = f"{reason} ({code})"
    if where is not None:
        target = str(where) if exc.filename2 is None else f"{where} -> {exc.filename2}"
        message = f"{target}: {reason}."
    else:
        message = f"A file-system operation failed: {reason}."
    template = _FS_HINTS.get(exc.errno or 0, FileSystemError.default_hint)
    hint = template.format(where=where if where is not None else "the output folder")
    return FileSystemError(message, hint)
