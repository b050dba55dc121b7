"""Where the PDF stage gets its fonts: one typeface set per language, and their identity.

:func:`script_fonts` picks, for one language, the regular and bold faces
(:func:`toolkit.fonts.find_font`: ``--font-dir`` first, then ``TOOLKIT_FONT_DIR``, then the
system folders), registers them with reportlab, and adds the fallback font for characters
the main face lacks. :func:`pdf_font_identity` is what the pipeline's PDF stage puts in its
key, so a changed font file rebuilds the PDFs that embed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.export.bidi_text import Fonts
from toolkit.languages import get_language

# Naskh is drawn larger than the Latin text so that it reads at the same apparent size.
_SIZES = {"Arab": (11.5, 18.0), "Hans": (10.0, 15.5)}
_DEFAULT_SIZE = (9.5, 13.0)


@dataclass(frozen=True)
class ScriptFonts:
    """Typography of one language in a PDF: fonts, sizes, direction."""

    lang: str
    """Language code."""
    regular: Fonts
    """Regular face (with its fallback) at the body size."""
    bold: Fonts
    """Bold face (with its fallback) at the body size."""
    leading: float
    """Line height in points at the body size."""
    rtl: bool
    """Right-to-left script."""
    cjk: bool
    """Chinese: wrapped between characters."""

    def sized(self, size: float, bold: bool = False) -> Fonts:
        """The regular (or bold) faces at ``size`` points."""
        base = self.bold if bold else self.regular
        return Fonts(base.main, base.fallback, base.main_chars, size)


def script_fonts(lang: str, font_dir: Path | None) -> ScriptFonts:
    """The fonts of ``lang``, registered with reportlab (DependencyError when none is found)."""
    from toolkit import fonts

    language = get_language(lang)
    size, leading = _SIZES.get(language.script, _DEFAULT_SIZE)
    fallback = fonts.fallback_font(font_dir)
    fallback_name = fonts.register(fallback)
    fallback_bold = fonts.register(fonts.find_font("en", font_dir, "bold"))

    def make(role: str, fb: str) -> Fonts:
        choice = fonts.find_font(lang, font_dir, role)
        return Fonts(fonts.register(choice), fb, fonts.covered_chars(choice), size)

    return ScriptFonts(
        lang=language.code,
        regular=make("regular", fallback_name),
        bold=make("bold", fallback_bold),
        leading=leading,
        rtl=language.direction == "rtl",
        cjk=language.script == "Hans",
    )


def pdf_font_identity(langs: Iterable[str], font_dir: Path | None) -> str:
    """A string that changes when any font a PDF of ``langs`` embeds changes (stage keys)."""
    from toolkit.fonts import font_identity

    return font_identity(langs, font_dir)


__all__ = ["ScriptFonts", "pdf_font_identity", "script_fonts"]
