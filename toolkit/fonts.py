"""Language → TrueType font, found on the system or in a configured folder, registered once.

reportlab embeds (and subsets) TrueType outlines only; CFF-based OpenType fonts such as
Noto Sans CJK are rejected, so every choice below is a ``.ttf`` or ``.ttc`` file:

- Arabic: Noto Naskh Arabic (Debian ``fonts-noto-core``), else Amiri (``fonts-hosny-amiri``);
- Chinese: WenQuanYi Zen Hei (``fonts-wqy-zenhei``, a collection: sub-font 0);
- Latin and Cyrillic: DejaVu Sans (``fonts-dejavu-core``), else Noto Sans (``fonts-noto-core``).

Search order for each font: ``--font-dir`` (``font_dir`` argument), then ``TOOLKIT_FONT_DIR``,
then the known Debian paths, then fontconfig (``fc-list``). A font that cannot be found
raises :class:`~toolkit.errors.DependencyError` naming the Debian package to install.

Noto Naskh Arabic has no Latin letters, brackets or dashes, so every text also gets a
*fallback* font (DejaVu Sans) for the characters its main font lacks: see
:func:`fallback_font` and :mod:`toolkit.export.bidi_text`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import DependencyError
from toolkit.languages import get_language

if TYPE_CHECKING:  # reportlab is imported lazily: `toolkit --help` must stay instant
    from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR_ENV = "TOOLKIT_FONT_DIR"
"""Environment variable naming a folder searched for fonts before the system folders."""

SYSTEM_FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
)
"""Folders searched (recursively, by file name) after the exact known paths."""


@dataclass(frozen=True)
class FontCandidate:
    """One acceptable font file for a language."""

    family: str
    """Family name, as fontconfig reports it."""
    filename: str
    """File name (``NotoNaskhArabic-Regular.ttf``)."""
    known_path: str
    """Where Debian installs it."""
    package: str
    """Debian package that ships it."""
    subfont_index: int = 0
    """Index of the face inside a ``.ttc`` collection."""


@dataclass(frozen=True)
class FontChoice:
    """A font file chosen for a language and role."""

    family: str
    """Family name."""
    path: Path
    """The ``.ttf``/``.ttc`` file."""
    subfont_index: int
    """Face index inside a collection (0 for plain ``.ttf``)."""
    package: str
    """Debian package that provides this family."""

    @property
    def name(self) -> str:
        """Family name (for messages)."""
        return self.family

    @property
    def reportlab_name(self) -> str:
        """Name under which the font is registered with reportlab (one per file and face)."""
        return f"tk-{self.path.stem}-{self.subfont_index}"


_DEJAVU = FontCandidate(
    "DejaVu Sans",
    "DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "fonts-dejavu-core",
)
_DEJAVU_BOLD = FontCandidate(
    "DejaVu Sans",
    "DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "fonts-dejavu-core",
)
_NOTO_SANS = FontCandidate(
    "Noto Sans",
    "NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "fonts-noto-core",
)
_NOTO_SANS_BOLD = FontCandidate(
    "Noto Sans",
    "NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "fonts-noto-core",
)
_NASKH = FontCandidate(
    "Noto Naskh Arabic",
    "NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "fonts-noto-core",
)
_NASKH_BOLD = FontCandidate(
    "Noto Naskh Arabic",
    "NotoNaskhArabic-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
    "fonts-noto-core",
)
_AMIRI = FontCandidate(
    "Amiri",
    "Amiri-Regular.ttf",
    "/usr/share/fonts/truetype/amiri/Amiri-Regular.ttf",
    "fonts-hosny-amiri",
)
_AMIRI_BOLD = FontCandidate(
    "Amiri",
    "Amiri-Bold.ttf",
    "/usr/share/fonts/truetype/amiri/Amiri-Bold.ttf",
    "fonts-hosny-amiri",
)
_WQY = FontCandidate(
    "WenQuanYi Zen Hei",
    "wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "fonts-wqy-zenhei",
)

_LATIN: dict[str, tuple[FontCandidate, ...]] = {
    "regular": (_DEJAVU, _NOTO_SANS),
    "bold": (_DEJAVU_BOLD, _NOTO_SANS_BOLD),
}
# Candidates per script and role, best first. WenQuanYi has no bold face: the regular
# face serves for headings too (reportlab has no synthetic bold).
FONT_CANDIDATES: dict[str, dict[str, tuple[FontCandidate, ...]]] = {
    "Latn": _LATIN,
    "Cyrl": _LATIN,
    "Arab": {"regular": (_NASKH, _AMIRI), "bold": (_NASKH_BOLD, _AMIRI_BOLD, _NASKH, _AMIRI)},
    "Hans": {"regular": (_WQY,), "bold": (_WQY,)},
}

COVERAGE_SAMPLES: dict[str, str] = {
    "en": "The Security Council, resolution 2395 (2017) — CTED’s “mandate”. 0123456789",
    "fr": "Le Conseil de sécurité, résolution 2395 (2017) — « mandat » de la DECT. ÀÉÈÊËÎÏÔÙÛÜÇœ",
    "es": "El Consejo de Seguridad, resolución 2395 (2017) — «mandato». ¿Cómo? ¡Sí! ÁÉÍÓÚÑÜ",
    "ru": "Совет Безопасности, резолюция 2395 (2017) — «мандат» ИДКТК. Ёё Щщ Ъъ Ыы Ээ Юю Яя",
    "ar": "مجلس الأمن، القرار ٢٣٩٥ / 2395؛ هل؟ جدّد كثيراً",
    "zh": "安全理事会第2395（2017）号决议，反恐执行局：“任务”。、；？！」』",
}
"""A sample per language covering its letters, digits and punctuation, for the coverage check."""


def _font_dirs(font_dir: Path | None) -> list[Path]:
    dirs: list[Path] = []
    if font_dir is not None:
        dirs.append(Path(font_dir))
    env = os.environ.get(FONT_DIR_ENV)
    if env:
        dirs.append(Path(env))
    return dirs


def _find_in_dir(folder: Path, filename: str) -> Path | None:
    direct = folder / filename
    if direct.is_file():
        return direct
    if not folder.is_dir():
        return None
    return next(iter(sorted(folder.rglob(filename))), None)


def _fontconfig_lookup(candidate: FontCandidate) -> Path | None:
    """Ask fontconfig for the file of ``candidate`` (same file name, any folder)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, f":family={candidate.family}", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(out.splitlines()):
        path = Path(line.strip().rstrip(":"))
        if path.name == candidate.filename and path.is_file():
            return path
    return None


@lru_cache(maxsize=64)
def _locate(candidate: FontCandidate, dirs: tuple[Path, ...], system: bool) -> Path | None:
    for folder in dirs:
        found = _find_in_dir(folder, candidate.filename)
        if found is not None:
            return found
    if not system:
        return None
    known = Path(candidate.known_path)
    if known.is_file():
        return known
    found = _fontconfig_lookup(candidate)
    if found is not None:
        return found
    for folder in (*SYSTEM_FONT_DIRS, Path.home() / ".local/share/fonts", Path.home() / ".fonts"):
        found = _find_in_dir(folder, candidate.filename)
        if found is not None:
            return found
    return None


def find_font(
    lang: str, font_dir: Path | None = None, role: str = "regular", *, system: bool = True
) -> FontChoice:
    """The font file for ``lang`` (``regular`` or ``bold``).

    ``font_dir`` and ``TOOLKIT_FONT_DIR`` are searched first; ``system=False`` skips the system
    folders and fontconfig (for tests and for users who want only their own fonts).
    Raises :class:`DependencyError` naming the Debian package when no candidate is found.
    """
    script = get_language(lang).script
    candidates = FONT_CANDIDATES[script][role]
    dirs = tuple(_font_dirs(font_dir))
    for candidate in candidates:
        path = _locate(candidate, dirs, system)
        if path is not None:
            return FontChoice(candidate.family, path, candidate.subfont_index, candidate.package)
    first = candidates[0]
    where = ", ".join(str(d) for d in dirs) or "no --font-dir given"
    raise DependencyError(
        f"No font for {get_language(lang).name} ({lang}): {first.family} "
        f"({first.filename}) not found ({where}; system search {'on' if system else 'off'}).",
        f"Install it with `sudo apt-get install {first.package}`, or put {first.filename} "
        f"in a folder given with --font-dir or {FONT_DIR_ENV}.",
    )


def fallback_font(font_dir: Path | None = None, *, system: bool = True) -> FontChoice:
    """The font used for characters the main font lacks (Latin inside Arabic, brackets…)."""
    return find_font("en", font_dir, "regular", system=system)


def register(choice: FontChoice) -> str:
    """Register ``choice`` with reportlab once per process; return its reportlab name."""
    from reportlab.pdfbase import pdfmetrics

    name = choice.reportlab_name
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(_load_ttf(name, str(choice.path), choice.subfont_index))
    return name


def _load_ttf(name: str, path: str, subfont_index: int) -> TTFont:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        return TTFont(name, path, subfontIndex=subfont_index)
    except (TTFError, OSError) as exc:
        raise DependencyError(
            f"Cannot use font {path}: {exc}.",
            "reportlab needs TrueType outlines (.ttf/.ttc); CFF/OTF fonts are not supported.",
        ) from None


def covered_chars(choice: FontChoice) -> frozenset[int]:
    """Code points that have a glyph in ``choice``."""
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(register(choice))
    return _cmap(font)


def _cmap(font: object) -> frozenset[int]:
    cached = _CMAPS.get(id(font))
    if cached is None:
        cached = frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]
        _CMAPS[id(font)] = cached
    return cached


_CMAPS: dict[int, frozenset[int]] = {}


def check_coverage(
    lang: str, sample: str | None = None, font_dir: Path | None = None, *, system: bool = True
) -> list[str]:
    """Characters of ``sample`` (default: the language's sample) that no PDF font can draw.

    A character counts as covered when the language's font or the fallback font has it,
    which is exactly how the PDF exporter draws text. Empty list = full coverage.
    Raises :class:`DependencyError` when a font is missing altogether.
    """
    text = COVERAGE_SAMPLES[get_language(lang).code] if sample is None else sample
    return missing_glyphs(find_font(lang, font_dir, system=system), text, font_dir)


def missing_glyphs(font: FontChoice, sample: str, font_dir: Path | None = None) -> list[str]:
    """Characters of ``sample`` that neither ``font`` nor the fallback font can draw.

    The fallback (DejaVu Sans, else Noto Sans) is counted because the PDF exporter draws
    every character ``font`` lacks with it (Latin and brackets inside Arabic). When no
    fallback font is installed, only ``font`` counts.
    """
    covered = covered_chars(font)
    try:
        fallback = covered_chars(fallback_font(font_dir))
    except DependencyError:
        fallback = frozenset()
    missing: list[str] = []
    for char in sample:
        if char.isspace() or ord(char) in covered or ord(char) in fallback:
            continue
        if char not in missing:
            missing.append(char)
    return missing


def font_identity(langs: Iterable[str], font_dir: Path | None = None) -> str:
    """A string that changes when any font the PDFs of ``langs`` use changes (cache keys).

    Covers, per language, the regular and bold files (path, size, modification time) and the
    fallback font. Raises :class:`DependencyError` like :func:`find_font`.
    """
    parts: list[str] = []
    choices = [fallback_font(font_dir), find_font("en", font_dir, "bold")]
    for lang in langs:
        choices += [find_font(lang, font_dir, "regular"), find_font(lang, font_dir, "bold")]
    for choice in dict.fromkeys(choices):
        stat = choice.path.stat()
        parts.append(f"{choice.path}#{choice.subfont_index}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


__all__ = [
    "COVERAGE_SAMPLES",
    "FONT_CANDIDATES",
    "FONT_DIR_ENV",
    "FontCandidate",
    "FontChoice",
    "check_coverage",
    "covered_chars",
    "fallback_font",
    "find_font",
    "font_identity",
    "missing_glyphs",
    "register",
]
