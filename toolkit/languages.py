"""The one table of the six UN official languages and what each stage needs to know about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from toolkit.errors import UnknownLanguageError

Direction = Literal["ltr", "rtl"]


@dataclass(frozen=True)
class Language:
    """One UN official language."""

    code: str
    """ISO 639-1 code used everywhere in the toolkit (file names, JSON, CLI)."""
    name: str
    """English name."""
    native_name: str
    """Name in the language itself."""
    script: str
    """ISO 15924 script code: Latn, Arab, Hans, Cyrl."""
    direction: Direction
    """Writing direction."""
    argos_code: str
    """Code Argos Translate packages use for this language."""
    font_family: str
    """Font family the PDFs use for this language (see toolkit.fonts)."""
    gtts_lang: str
    """Language code gTTS expects."""
    espeak_voice: str
    """espeak-ng voice name."""
    sentence_terminators: str
    """Characters that end a sentence in this language (besides the Latin ``.!?``)."""
    chars_per_source_char: float
    """Typical length of a translation from English, in characters per English character.

    Used to make lengths comparable across scripts (alignment, quality checks).
    """
    months: tuple[str, ...] = ()
    """Month names as a date writes them (Russian genitive; the UN's Arabic pair, Levantine
    name/Egyptian name). Empty where dates use month numbers (Chinese: 5月). The PDFs print
    them; the segmenter reads them, with the other spellings it knows."""


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            "en",
            "English",
            "English",
            "Latn",
            "ltr",
            "en",
            "DejaVu Sans",
            "en",
            "en",
            "",
            1.0,
            months=(
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ),
        ),
        Language(
            "fr",
            "French",
            "Français",
            "Latn",
            "ltr",
            "fr",
            "DejaVu Sans",
            "fr",
            "fr",
            "",
            1.15,
            months=(
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ),
        ),
        Language(
            "es",
            "Spanish",
            "Español",
            "Latn",
            "ltr",
            "es",
            "DejaVu Sans",
            "es",
            "es",
            "",
            1.12,
            months=(
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ),
        ),
        Language(
            "ru",
            "Russian",
            "Русский",
            "Cyrl",
            "ltr",
            "ru",
            "DejaVu Sans",
            "ru",
            "ru",
            "",
            1.05,
            months=(
                "января",
                "февраля",
                "марта",
                "апреля",
                "мая",
                "июня",
                "июля",
                "августа",
                "сентября",
                "октября",
                "ноября",
                "декабря",
            ),
        ),
        Language(
            "ar",
            "Arabic",
            "العربية",
            "Arab",
            "rtl",
            "ar",
            "Noto Naskh Arabic",
            "ar",
            "ar",
            "؟؛",
            0.9,
            months=(
                "كانون الثاني/يناير",
                "شباط/فبراير",
                "آذار/مارس",
                "نيسان/أبريل",
                "أيار/مايو",
                "حزيران/يونيه",
                "تموز/يوليه",
                "آب/أغسطس",
                "أيلول/سبتمبر",
                "تشرين الأول/أكتوبر",
                "تشرين الثاني/نوفمبر",
                "كانون الأول/ديسمبر",
            ),
        ),
        Language(
            "zh",
            "Chinese",
            "中文",
            "Hans",
            "ltr",
            "zh",
            "WenQuanYi Zen Hei",
            "zh-CN",
            "cmn",
            "。！？；",
            0.3,
        ),
    )
}

SOURCE_LANGUAGE = "en"
"""Speeches are delivered in English; the other five are translation targets."""

TARGET_LANGUAGES: tuple[str, ...] = ("ar", "zh", "fr", "ru", "es")
"""Translation targets, in the UN's customary order (alphabetical in English)."""


def get_language(code: str) -> Language:
    """Return the :class:`Language` for ``code`` or raise :class:`UnknownLanguageError`."""
    try:
        return LANGUAGES[code.strip().lower()]
    except KeyError:
        raise UnknownLanguageError(f"Unknown language {code!r}.") from None


def parse_language_list(
    value: str | None, default: tuple[str, ...] = TARGET_LANGUAGES
) -> list[str]:
    """Parse a comma-separated list (``"fr,es"``) into validated codes, in order, no repeats."""
    if value is None or not value.strip():
        return list(default)
    codes: list[str] = []
    for part in value.split(","):
        if not part.strip():
            continue
        code = get_language(part).code
        if code not in codes:
            codes.append(code)
    if not codes:
        raise UnknownLanguageError(f"No language given in {value!r}.")
    return codes
