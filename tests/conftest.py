"""Shared fixtures: every test runs with its own TOOLKIT_HOME and XDG folders."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_SPEECH = REPO / "source" / "2021-05-26-coninsx-civil-society.en.md"


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point TOOLKIT_HOME and the XDG folders at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TOOLKIT_HOME", str(home / "toolkit"))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    return home / "toolkit"


@pytest.fixture
def bundled_speech() -> Path:
    """Path of the bundled English speech."""
    return BUNDLED_SPEECH
