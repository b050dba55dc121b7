"""``toolkit doctor``: what this machine has and lacks for a build, each problem with its fix."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.config import toolkit_home
from toolkit.errors import ToolkitError
from toolkit.languages import LANGUAGES, SOURCE_LANGUAGE, TARGET_LANGUAGES

CheckStatus = Literal["ok", "WARN", "FAIL"]


@dataclass(frozen=True)
class Check:
    """One line of the doctor's table."""

    name: str
    """What was checked."""
    status: CheckStatus
    """ok; WARN (a build still works, with less: e.g. no gTTS, espeak is used); FAIL."""
    detail: str
    """What was found."""
    fix: str | None = None
    """Command that fixes it."""


# Python distribution → import name, for the dependency check.
_PYTHON_DEPENDENCIES = {
    "argostranslate": "argostranslate",
    "ctranslate2": "ctranslate2",
    "sentencepiece": "sentencepiece",
    "reportlab": "reportlab",
    "arabic-reshaper": "arabic_reshaper",
    "python-bidi": "bidi",
    "gTTS": "gtts",
    "espeakng-loader": "espeakng_loader",
    "lameenc": "lameenc",
    "mutagen": "mutagen",
    "soundfile": "soundfile",
    "sacrebleu": "sacrebleu",
    "typer": "typer",
    "rich": "rich",
}

def check_dependencies() -> list[Check]:
    """Every Python library the stages import."""
    missing, found = [], []
    for dist, module in _PYTHON_DEPENDENCIES.items():
        if importlib.util.find_spec(module) is None:
            missing.append(dist)
        else:
            try:
                found.append(f"{dist} {importlib.metadata.version(dist)}")
            except importlib.metadata.PackageNotFoundError:
                found.append(dist)
    for forbidden in ("torch", "stanza"):
        if importlib.util.find_spec(forbidden) is not None:
            found.append(f"({forbidden} present but unused)")
    if missing:
        return [Check("python packages", "FAIL", "missing: " + ", ".join(missing), "make setup")]
    return [Check("python packages", "ok", f"{len(found)} present")]


def check_home() -> list[Check]:
    """TOOLKIT_HOME exists or can be created, and is writable."""
    home = toolkit_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home, prefix=".doctor-"):
            pass
    except OSError as exc:
        return [
            Check(
                "TOOLKIT_HOME",
                "FAIL",
                f"{home}: {exc.strerror}",
                "export TOOLKIT_HOME=/a/writable/folder",
            )
        ]
    return [Check("TOOLKIT_HOME", "ok", f"{home} (writable)")]


def check_models() -> list[Check]:
    """An installed en→X model per target language (a reference translation also does)."""
    from toolkit.translate.models import installed_packages

    try:
        installed = {(p.from_code, p.to_code): p for p in installed_packages()}
    except ToolkitError as exc:
        return [Check("models", "FAIL", exc.message, exc.hint)]
    checks = []
    for lang in TARGET_LANGUAGES:
        package = installed.get((SOURCE_LANGUAGE, lang))
        if package is not None:
            checks.append(
                Check(f"model en→{lang}", "ok", f"{package.name} {package.package_version}")
            )
        else:
            checks.append(
                Check(
                    f"model en→{lang}",
                    "WARN",
                    "not installed: only reference translations can be used",
                    f"toolkit models install {lang}",
                )
            )
    return checks


def check_fonts(font_dir: Path | None) -> list[Check]:
    """A font per script, and that it covers a sample sentence."""
    from toolkit.fonts import COVERAGE_SAMPLES, find_font, missing_glyphs

    checks = []
    for code in ("en", "ru", "ar", "zh"):
        script = LANGUAGES[code].script
        try:
            font = find_font(code, font_dir)
        except ToolkitError as exc:
            checks.append(Check(f"font {script}", "FAIL", exc.message, exc.hint))
            continue
        missing = missing_glyphs(font, COVERAGE_SAMPLES[code], font_dir)
        if missing:
            checks.append(
                Check(
                    f"font {script}",
                    "FAIL",
                    f"{font.path.name} lacks {''.join(missing)!r}",
                    "--font-dir DIR with a font covering the script",
                )
            )
        else:
            checks.append(Check(f"font {script}", "ok", f"{font.family}: {font.path}"))
    return checks


def check_voices() -> list[Check]:
    """An offline espeak-ng voice per language, proven by speaking a short sample."""
    from toolkit.fonts import COVERAGE_SAMPLES
    from toolkit.tts.espeak_engine import EspeakEngine

    engine = EspeakEngine()
    checks = []
    try:
        for code, language in LANGUAGES.items():
            name = f"voice {code} (espeak-ng)"
            try:
                audio = engine.synthesize(COVERAGE_SAMPLES[code], code)
            except ToolkitError as exc:
                checks.append(Check(name, "FAIL", exc.message, exc.hint))
                continue
            seconds = audio.n_samples / audio.sample_rate
            checks.append(Check(name, "ok", f"{language.espeak_voice}: {seconds:.1f} s sample"))
    finally:
        engine.close()
    return checks


def check_gtts(timeout: float) -> list[Check]:
    """Whether gTTS's service answers (a build falls back to espeak when it does not)."""
    from toolkit.tts.auto import gtts_reachable

    reachable, why = gtts_reachable(timeout=timeout)
    if reachable:
        return [Check("gTTS (online)", "ok", "reachable")]
    return [
        Check(
            "gTTS (online)",
            "WARN",
            f"not reachable ({why}): audio is read offline by espeak-ng",
            "connect to the internet for gTTS voices, or choose --tts espeak",
        )
    ]


def check_tools() -> list[Check]:
    """Encoders and PDF tools: the MP3 encoder is required; poppler is for checking PDFs."""
    checks = []
    if importlib.util.find_spec("lameenc") is None:
        checks.append(Check("MP3 encoder", "FAIL", "lameenc missing", "make setup"))
    else:
        checks.append(
            Check("MP3 encoder", "ok", f"lameenc {importlib.metadata.version('lameenc')}")
        )
    tools = [name for name in ("pdftotext", "pdffonts", "pdftoppm") if shutil.which(name)]
    if len(tools) == 3:
        checks.append(Check("PDF tools", "ok", "poppler-utils: " + ", ".join(tools)))
    else:
        checks.append(
            Check(
                "PDF tools",
                "WARN",
                "poppler-utils missing (needed by the tests, not by builds)",
                "sudo apt-get install poppler-utils",
            )
        )
    return checks


def run_checks(font_dir: Path | None = None, timeout: float = 3.0) -> list[Check]:
    """All checks, in the order the doctor prints them."""
    checks = check_dependencies() + check_home()
    for group in (
        check_models,
        lambda: check_fonts(font_dir),
        check_voices,
        lambda: check_gtts(timeout),
        check_tools,
    ):
        try:
            checks += group()
        except ImportError as exc:  # a stage's library is missing: report, don't crash
            checks.append(Check("python packages", "FAIL", str(exc), "make setup"))
    return checks
