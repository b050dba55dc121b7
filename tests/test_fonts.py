"""toolkit.fonts: language → font, --font-dir / TOOLKIT_FONT_DIR first, clear errors, coverage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.errors import DependencyError
from toolkit.fonts import (
    check_coverage,
    find_font,
    font_identity,
    missing_glyphs,
    register,
)

FAMILIES = [
    ("en", "DejaVu Sans"),
    ("fr", "DejaVu Sans"),
    ("es", "DejaVu Sans"),
    ("ru", "DejaVu Sans"),
    ("ar", "Noto Naskh Arabic"),
    ("zh", "WenQuanYi Zen Hei"),
]


@pytest.mark.parametrize(("lang", "family"), FAMILIES)
def test_each_language_gets_its_font(lang: str, family: str) -> None:
    font = find_font(lang)
    assert font.family == family
    assert font.path.suffix in {".ttf", ".ttc"}
    assert font.path.is_file()


def test_chinese_uses_the_first_face_of_the_collection() -> None:
    font = find_font("zh")
    assert font.path.name == "wqy-zenhei.ttc" and font.subfont_index == 0


@pytest.mark.parametrize(
    ("lang", "package"),
    [("ar", "fonts-noto-core"), ("zh", "fonts-wqy-zenhei"), ("ru", "fonts-dejavu-core")],
)
def test_missing_font_names_the_debian_package(tmp_path: Path, lang: str, package: str) -> None:
    with pytest.raises(DependencyError) as info:
        find_font(lang, tmp_path, system=False)
    assert f"sudo apt-get install {package}" in info.value.hint
    assert "--font-dir" in info.value.hint


def test_font_dir_is_searched_first(tmp_path: Path) -> None:
    nested = tmp_path / "mine" / "naskh"
    nested.mkdir(parents=True)
    copy = nested / "NotoNaskhArabic-Regular.ttf"
    shutil.copyfile(find_font("ar").path, copy)
    assert find_font("ar", tmp_path).path == copy


def test_environment_font_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "DejaVuSans.ttf"
    shutil.copyfile(find_font("ru").path, copy)
    monkeypatch.setenv("TOOLKIT_FONT_DIR", str(tmp_path))
    assert find_font("ru", system=False).path == copy


@pytest.mark.parametrize("lang", [code for code, _ in FAMILIES])
def test_installed_fonts_cover_each_language_sample(lang: str) -> None:
    assert check_coverage(lang) == []


def test_coverage_reports_missing_characters() -> None:
    # Egyptian hieroglyphs are in none of the fonts; Latin inside Arabic is drawn by the fallback.
    assert check_coverage("ar", "القرار CTED \U00013000") == ["\U00013000"]
    assert missing_glyphs(find_font("zh"), "反恐 2395 \U00013000\U00013000") == ["\U00013000"]


def test_register_is_idempotent() -> None:
    from reportlab.pdfbase import pdfmetrics

    font = find_font("ar")
    name = register(font)
    before = len(pdfmetrics.getRegisteredFontNames())
    assert register(font) == name
    assert len(pdfmetrics.getRegisteredFontNames()) == before


def test_font_identity_names_every_file() -> None:
    identity = font_identity(["en", "ar"])
    assert "NotoNaskhArabic-Regular.ttf" in identity and "DejaVuSans.ttf" in identity
    assert identity == font_identity(["en", "ar"])
