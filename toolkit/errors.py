"""One exception tree for the whole toolkit.

Every error the library raises on purpose is a :class:`ToolkitError`: it carries a
one-line message, a hint that tells the user what to do, and the process exit code.
The CLI turns it into ``Error: … / Hint: …`` in exactly one place
(:mod:`toolkit.cli`); the library itself never prints or exits.
"""

from __future__ import annotations

from enum import IntEnum


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
    """An output could not be written."""
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
    default_hint = "Give a UTF-8 .md or .txt speech file, e.g. source/<slug>.en.md."


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


class PartialBuildError(ToolkitError):
    """A build produced what it could but skipped some languages."""

    exit_code = ExitCode.PARTIAL
    default_hint = "See the summary above and the manifest for each skipped language's fix."
