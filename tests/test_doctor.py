"""`toolkit doctor`: one row per check, a fix for each problem, exit code by severity."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.doctor import run_checks


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the internet: the gTTS probe answers 'unreachable'."""
    import toolkit.tts.auto

    monkeypatch.setattr(
        toolkit.tts.auto, "gtts_reachable", lambda tld="com", timeout=3.0: (False, "offline test")
    )


def test_every_check_has_a_status_and_every_problem_a_fix():
    checks = run_checks(timeout=0.1)
    names = [c.name for c in checks]
    for expected in (
        "python packages",
        "TOOLKIT_HOME",
        "model en→fr",
        "font Arab",
        "font Hans",
        "voice zh (espeak-ng)",
        "gTTS (online)",
        "MP3 encoder",
        "PDF tools",
    ):
        assert expected in names
    for check in checks:
        assert check.status in ("ok", "WARN", "FAIL")
        if check.status != "ok":
            assert check.fix, check
    by_name = {c.name: c for c in checks}
    # No model installed in a fresh TOOLKIT_HOME: a warning that names the install command.
    assert by_name["model en→ru"].status == "WARN"
    assert by_name["model en→ru"].fix == "toolkit models install ru"
    assert by_name["gTTS (online)"].status == "WARN"


@pytest.mark.system
def test_fonts_and_voices_pass_on_a_machine_set_up_by_make_test():
    # Fonts and voices are installed by `make test`: these must be real passes, not skips.
    by_name = {c.name: c for c in run_checks(timeout=0.1)}
    for name in ("font Latn", "font Cyrl", "font Arab", "font Hans"):
        assert by_name[name].status == "ok", by_name[name]
    for lang in ("en", "fr", "es", "ru", "ar", "zh"):
        assert by_name[f"voice {lang} (espeak-ng)"].status == "ok"


def test_unwritable_home_is_a_failure_with_exit_code_6(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TOOLKIT_HOME", str(blocker / "toolkit"))
    result = CliRunner().invoke(app, ["doctor", "--timeout", "0.1"])
    assert result.exit_code == 6, result.output
    assert "TOOLKIT_HOME" in result.output and "FAIL" in result.output


@pytest.mark.system
def test_doctor_passes_on_a_ready_machine():
    result = CliRunner().invoke(app, ["doctor", "--timeout", "0.1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "toolkit models install fr" in result.output
