"""The ``toolkit`` command line: thin commands over the library.

This package is the only place that prints or exits. Every :class:`ToolkitError` is
turned into ``Error: …`` / ``Hint: …`` and its exit code in one place,
:meth:`ToolkitGroup.invoke`; the traceback is shown only with ``-v``. An :class:`OSError`
from the file system (disk full, permission denied, read-only…) becomes a
:class:`~toolkit.errors.FileSystemError` there too, naming the path; only what is left
is reported as a bug.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from toolkit import __version__
from toolkit.errors import ExitCode, ToolkitError, from_os_error, is_file_system_error

if TYPE_CHECKING:  # typer vendors click; its Context is what the group's methods receive
    from typer._click.core import Context


class ToolkitGroup(TyperGroup):
    """Typer group that converts toolkit errors into one-line messages and exit codes."""

    def invoke(self, ctx: Context) -> Any:
        """Run the command; a ToolkitError becomes its message, hint and exit code."""
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            report_error(exc, verbose=_verbose(ctx))
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo(
                "Interrupted: outputs already written are intact; nothing partial was left.",
                err=True,
            )
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except OSError as exc:  # disk full, permission denied, read-only…: not a bug
            if not is_file_system_error(exc):
                report_error(exc, verbose=_verbose(ctx))
                raise typer.Exit(int(ExitCode.ERROR)) from None
            converted = from_os_error(exc)
            if _verbose(ctx):
                traceback.print_exception(exc, file=sys.stderr)
            report_error(converted, verbose=False)
            raise typer.Exit(int(converted.exit_code)) from None
        except Exception as exc:  # a bug: say so plainly, keep the traceback for -v
            report_error(exc, verbose=_verbose(ctx))
            raise typer.Exit(int(ExitCode.ERROR)) from None


def _verbose(ctx: Context) -> bool:
    return bool((ctx.find_root().obj or {}).get("verbose"))


def report_error(exc: BaseException, *, verbose: bool) -> None:
    """Print ``Error:``/``Hint:`` lines for ``exc`` on stderr (and the traceback if verbose)."""
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, ToolkitError):
        typer.echo(f"Error: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"Hint: {exc.hint}", err=True)
    else:
        typer.echo(f"Error: unexpected {type(exc).__name__}: {exc}", err=True)
        typer.echo("Hint: this is a bug; run again with -v and report the traceback.", err=True)


app = typer.Typer(
    cls=ToolkitGroup,
    name="toolkit",
    help=(
        "Translate UN speeches offline into the six official languages and export "
        "bilingual PDFs and audio readings for delegates."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"toolkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Show debug logging and full tracebacks on errors."
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version_callback,
        is_eager=True,
        help="Print the toolkit version and exit.",
    ),
) -> None:
    """Translate UN speeches offline and export bilingual PDFs and audio for delegates."""
    ctx.obj = {"verbose": verbose}
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _register_commands() -> None:
    # Each command group lives in its own module with a register(app) function, so
    # the modules stay small and importing one never pulls another's heavy libraries.
    from toolkit.cli import align, audio, build, models, pdf, segment, translate, verify

    for module in (segment, translate, models, align, pdf, audio, build, verify):
        module.register(app)
    from toolkit.cli import tmx, xliff  # translators in the loop (issue 15)

    for module in (xliff, tmx):
        module.register(app)
    from toolkit.cli import html

    html.register(app)
    from toolkit.cli import epub

    epub.register(app)


_register_commands()


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code."""
    try:
        app(args=argv, prog_name="toolkit", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
