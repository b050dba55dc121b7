"""``toolkit audio`` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from audio_helpers import sample_speech
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import dumps

runner = CliRunner()


def test_help_lists_every_option() -> None:
    result = runner.invoke(app, ["audio", "--help"])
    assert result.exit_code == 0
    for option in ("--lang", "--tts", "--rate", "--pause-ms", "--paragraph-pause-ms", "--out"):
        assert option in result.output


def test_speech_json_to_mp3_and_vtt(tmp_path: Path) -> None:
    source = tmp_path / "hand-made.speech.json"
    source.write_text(dumps(sample_speech()), encoding="utf-8")
    out = tmp_path / "exports"
    args = ["audio", str(source), "--tts", "silent", "--out", str(out), "--pause-ms", "200"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "hand-made" / "hand-made.en.mp3").stat().st_size > 1000
    assert (out / "hand-made" / "hand-made.en.vtt").read_text().startswith("WEBVTT")
    assert "5 chapters, 8 cues; silent voice en; synthesised 8, cached 0" in result.output
    again = runner.invoke(app, args)
    assert "synthesised 0, cached 8" in again.output


def test_bundled_source_is_segmented_and_read(tmp_path: Path, bundled_speech: Path) -> None:
    result = runner.invoke(
        app, ["audio", str(bundled_speech), "--tts", "silent", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    slug = "2021-05-26-coninsx-civil-society"
    assert (tmp_path / slug / f"{slug}.en.mp3").is_file()
    assert (tmp_path / slug / f"{slug}.en.vtt").is_file()


def test_errors_are_one_line_with_hint(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "toolkit.speech/1"}), encoding="utf-8")
    result = runner.invoke(app, ["audio", str(bad), "--tts", "silent", "-o", str(tmp_path)])
    assert result.exit_code == 3
    assert "Error:" in result.output and "Hint:" in result.output
    result = runner.invoke(app, ["audio", str(bad), "--tts", "festival"])
    assert result.exit_code == 2 and "Unknown TTS engine 'festival'" in result.output
    source = tmp_path / "s.json"
    source.write_text(dumps(sample_speech()), encoding="utf-8")
    result = runner.invoke(app, ["audio", str(source), "--tts", "silent", "--rate", "7"])
    assert result.exit_code == 2 and "--rate" in result.output and "Hint:" in result.output
