"""``toolkit pdf`` through typer's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_fixture import build_translated
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import dumps

runner = CliRunner()


def _json(tmp_path: Path, lang: str) -> Path:
    path = tmp_path / f"briefing.{lang}.json"
    path.write_text(dumps(build_translated(lang)), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("layout", "name"),
    [
        ("side-by-side", "2021-05-26-cted-briefing.en-ar.pdf"),
        ("stacked", "2021-05-26-cted-briefing.en-ar.stacked.pdf"),
        ("target-only", "2021-05-26-cted-briefing.ar.pdf"),
    ],
)
def test_renders_a_translation_json(tmp_path: Path, layout: str, name: str) -> None:
    out = tmp_path / "exports"
    args = ["pdf", str(_json(tmp_path, "ar")), "--layout", layout, "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    pdf = out / "2021-05-26-cted-briefing" / name
    assert pdf.read_bytes().startswith(b"%PDF")
    assert f"{pdf} (" in result.output and "written" in result.output
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "unchanged" in again.output


def test_letter_paper_and_font_dir(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    result = runner.invoke(
        app,
        [
            "pdf",
            str(_json(tmp_path, "zh")),
            "--paper",
            "letter",
            "--font-dir",
            str(tmp_path),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (out / "2021-05-26-cted-briefing" / "2021-05-26-cted-briefing.en-zh.pdf").is_file()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--layout", "sideways"], 2, "Unknown PDF layout"),
        (["--paper", "A3"], 2, "Unknown paper size"),
        (["--to", "fr"], 3, "is a translation into 'ar'"),
    ],
)
def test_bad_options(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    result = runner.invoke(app, ["pdf", str(_json(tmp_path, "ar")), *args, "--out", str(tmp_path)])
    assert result.exit_code == code
    assert message in result.output and "Hint:" in result.output
    assert not list(tmp_path.rglob("*.pdf"))


def test_missing_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["pdf", str(tmp_path / "nope.json")])
    assert result.exit_code == 3 and "Error:" in result.output


def test_source_input_is_translated_first(tmp_path: Path, bundled_speech: Path) -> None:
    out = tmp_path / "exports"
    result = runner.invoke(
        app, ["pdf", str(bundled_speech), "--to", "fr,ar", "--engine", "fake", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    folder = out / "2021-05-26-coninsx-civil-society"
    for lang in ("fr", "ar"):
        assert (folder / f"2021-05-26-coninsx-civil-society.en-{lang}.pdf").is_file()
        assert (folder / f"2021-05-26-coninsx-civil-society.{lang}.json").is_file()


def test_help_lists_every_option() -> None:
    result = runner.invoke(app, ["pdf", "--help"])
    assert result.exit_code == 0
    for option in ("--to", "--engine", "--layout", "--paper", "--font-dir", "--out"):
        assert option in result.output
