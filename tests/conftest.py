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


@pytest.fixture(scope="session")
def readalong_pack(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The hand-made six-language pack of ``readalong_pack.py`` (built once per session)."""
    from readalong_pack import make_pack

    home = tmp_path_factory.mktemp("readalong-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOOLKIT_HOME", str(home / "toolkit"))
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            patch.setenv(var, str(home / var.lower()))
        return make_pack(tmp_path_factory.mktemp("readalong") / "exports")


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where tests leave screenshots for a human to look at (printed by the tests)."""
    return tmp_path_factory.mktemp("artefacts")
