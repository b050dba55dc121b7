"""`toolkit segment`: table and JSON output, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Speech

runner = CliRunner()


def test_segment_table(bundled_speech: Path) -> None:
    result = runner.invoke(app, ["segment", str(bundled_speech)])
    assert result.exit_code == 0, result.output
    assert "Date: 2021-05-26" in result.output
    assert "Speaker: Michèle Coninsx" in result.output
    assert "p05s01" in result.output
    assert "28 body" in result.output


def test_segment_json_parses(bundled_speech: Path) -> None:
    result = runner.invoke(app, ["segment", str(bundled_speech), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    speech = Speech.from_dict(data)
    assert speech.meta.venue is not None and "Malaga" in speech.meta.venue
    assert speech.paragraphs[-1].kind == "closing"
    assert data["paragraphs"][0]["sentences"][0]["id"] == "p01s01"


def test_segment_lang_option(tmp_path: Path) -> None:
    path = tmp_path / "discours.md"
    path.write_text("Excellences,\n\nM. Dupont est arrivé. Il a parlé.\n\nMerci.", "utf-8")
    result = runner.invoke(app, ["segment", str(path), "--lang", "fr", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["lang"] == "fr"
    assert [p["kind"] for p in data["paragraphs"]] == ["salutation", "body", "closing"]
    assert len(data["paragraphs"][1]["sentences"]) == 2


def _bad(tmp_path: Path, name: str, raw: bytes | None) -> Path:
    path = tmp_path / name
    if raw is not None:
        path.write_bytes(raw)
    return path


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        pytest.param("missing.en.md", None, id="missing"),
        pytest.param("empty.en.md", b"", id="empty"),
        pytest.param("blank.en.md", b"\n  \n", id="blank"),
        pytest.param("binary.en.md", b"\x00\x01\x02\x03PK\x03\x04", id="binary"),
        pytest.param("garbage.en.md", bytes(range(0x80, 0x100)) * 3, id="not-utf8"),
    ],
)
def test_bad_input_gives_error_and_hint(tmp_path: Path, name: str, raw: bytes | None) -> None:
    result = runner.invoke(app, ["segment", str(_bad(tmp_path, name, raw))])
    assert result.exit_code == 3
    assert "Error:" in result.stderr and "Hint:" in result.stderr
    assert "Traceback" not in result.output


def test_folder_gives_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["segment", str(tmp_path)])
    assert result.exit_code == 3
    assert "Error:" in result.stderr and "folder" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_language_refused(bundled_speech: Path) -> None:
    result = runner.invoke(app, ["segment", str(bundled_speech), "--lang", "de"])
    assert result.exit_code == 3
    assert "Error:" in result.stderr and "Hint:" in result.stderr


def test_segment_help_lists_every_option() -> None:
    result = runner.invoke(app, ["segment", "--help"])
    assert result.exit_code == 0
    for option in ("--json", "--lang"):
        assert option in result.output
