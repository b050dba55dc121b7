"""The CLI shell: every command and option documented, version, errors in one place."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from toolkit import __version__
from toolkit.cli import app

EXPECTED_COMMANDS = {
    "segment",
    "translate",
    "models",
    "align",
    "compare",
    "pdf",
    "audio",
    "build",
    "html",
    "epub",
    "doctor",
    "xliff",
    "tmx",
    "verify",
}


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if hasattr(command, "commands"):
            yield from _commands(command, path)


ALL = list(_commands(typer.main.get_command(app)))


def test_every_command_is_registered():
    assert {path[0] for path, _ in ALL} == EXPECTED_COMMANDS


@pytest.mark.parametrize(("path", "command"), ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_and_option_has_help(path, command):
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    for param in command.params:
        if param.name in ("help",):
            continue
        assert (getattr(param, "help", None) or "").strip(), (
            f"{' '.join(path)}: {param.name} has no help"
        )
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"toolkit {__version__}"


def test_python_dash_m_runs_the_same_cli_and_help_needs_no_heavy_library():
    # `toolkit --help` must stay instant: no engine, PDF or audio library imported for it.
    code = (
        "import sys, runpy; sys.argv = ['toolkit', '--help'];\n"
        "try:\n    runpy.run_module('toolkit', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('ctranslate2', 'argostranslate', 'reportlab', 'gtts', 'numpy',"
        " 'lameenc', 'mutagen', 'sacrebleu', 'pydantic', 'http.client', 'urllib.request')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "Usage: toolkit" in result.stdout
    assert "HEAVY []" in result.stdout


def test_unexpected_errors_are_one_line_without_traceback_unless_verbose(tmp_path):
    bad = tmp_path / "speech.json"
    bad.write_text('{"format": "toolkit.translation/1"}', encoding="utf-8")
    quiet = CliRunner().invoke(app, ["pdf", str(bad)])
    assert quiet.exit_code == 3
    assert "Error:" in quiet.output and "Hint:" in quiet.output
    assert "Traceback" not in quiet.output
    verbose = CliRunner().invoke(app, ["-v", "pdf", str(bad)])
    assert verbose.exit_code == 3
    assert "Traceback" in verbose.output
