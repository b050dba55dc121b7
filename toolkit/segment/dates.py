"""Calendar dates in the six languages: find one in a line, split a dateline into venue and date.

"26 May 2021", "26 mai 2021", "26 de mayo de 2021", "26 мая 2021 года", "26 أيار/مايو 2021",
"2021年5月26日", ISO and numeric forms (a day/month order is read only when unambiguous). The
month names come from :mod:`toolkit.languages`; :data:`_MONTH_VARIANTS` adds the other ways a
date may write them, so another spelling is a table entry, not new code.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass

from toolkit.languages import LANGUAGES

_MONTH_VARIANTS: dict[str, tuple[str, ...]] = {
    # Other ways a date may write each month, beside the language's own month names
    # (toolkit.languages): abbreviations, spellings without accents or hamza, the Russian
    # nominative. "|" separates spellings of the same month.
    "en": ("jan", "feb", "mar", "apr", "", "jun", "jul", "aug", "sep|sept", "oct", "nov", "dec"),
    "fr": ("janv", "fevrier|févr", "", "avr", "", "", "juil", "aout", "", "", "", "decembre|déc"),
    "es": ("", "", "", "", "", "", "", "", "setiembre", "", "", ""),
    "ru": (
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ),
    "ar": ("", "", "", "ابريل|إبريل", "ايار", "يونيو", "يوليو", "اغسطس", "ايلول", "اكتوبر", "", ""),
}


def _month_numbers() -> dict[str, int]:
    """Every month name a date may use, lower-cased, to its number (1-12)."""
    numbers: dict[str, int] = {}
    for language in LANGUAGES.values():
        variants = _MONTH_VARIANTS.get(language.code, ("",) * len(language.months))
        for number, (name, other) in enumerate(zip(language.months, variants, strict=True), 1):
            # The UN's Arabic dates pair two names, "أيار/مايو": each alone is a month too.
            for spelling in [*name.split("/"), *filter(None, other.split("|"))]:
                numbers[spelling.lower()] = number
    return numbers


_MONTHS = _month_numbers()

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_MONTH = rf"(?P<month>(?:{_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?)\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|°)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|"
    "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    "الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|الأحد|الاحد|"
    "星期一|星期二|星期三|星期四|星期五|星期六|星期日|星期天"
)
_WEEKDAY = re.compile(rf"(?:^|[\s,،]+)(?:{_WEEKDAYS})[\s,،]*$", re.IGNORECASE)

_DATE_PATTERNS = [
    # 26 May 2021 · 26 mai 2021 · 26 de mayo de 2021 · 26 мая 2021 года · 26 أيار/مايو 2021
    re.compile(
        rf"(?<!\d){_DAY}\s*(?:de\s+)?{_MONTH}\s*,?\s*(?:de\s+|del\s+)?{_YEAR}"
        r"(?:\s*(?:года|год|г\.|م))?",
        re.IGNORECASE,
    ),
    # May 26, 2021
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),
    # 2021年5月26日
    re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"),
    # 2021-05-26
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
    # 26.05.2021 (day first wherever dots are used)
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
    # 26/05/2021: only when unambiguous (handled in parse_date)
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?!\d)"),
]


def _ascii_digits(text: str) -> str:
    """Arabic-Indic, full-width and other decimal digits → ASCII, keeping string length."""
    return "".join(
        str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text
    )


@dataclass(frozen=True)
class DateMatch:
    """A date found in a line."""

    iso: str
    """``YYYY-MM-DD``."""
    start: int
    """Offset of the date in the line (a weekday before it is not included)."""
    end: int
    """Offset just past the date."""


def find_date(text: str) -> DateMatch | None:
    """Find the first unambiguous calendar date in ``text``, in any of the six languages."""
    normalised = _ascii_digits(text)
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(normalised):
            groups = match.groupdict()
            if "a" in groups and groups.get("a") is not None:
                a, b = int(groups["a"]), int(groups["b"])
                if a == b or (a > 12 >= b):
                    day, month = a, b
                elif b > 12 >= a:
                    day, month = b, a
                else:
                    continue  # 05/06/2021 could be either; say nothing rather than guess
            else:
                day = int(groups["day"])
                raw_month = groups["month"]
                if raw_month.isdigit():
                    month = int(raw_month)
                else:
                    first = re.split(r"\s*/\s*", raw_month.lower())[0]
                    month = _MONTHS.get(first.rstrip("."), 0)
            try:
                date = _dt.date(int(groups["year"]), month, day)
            except ValueError:
                continue
            return DateMatch(date.isoformat(), match.start(), match.end())
    return None


def split_dateline(text: str) -> tuple[str | None, str | None]:
    """``(venue, iso_date)`` of a dateline: "Malaga/virtual platform, Wednesday, 26 May 2021"."""
    found = find_date(text)
    if found is None:
        return None, None
    before = _WEEKDAY.sub("", text[: found.start]).strip(" ,،，;:-–—")
    after = text[found.end :].strip(" ,،，;:-–—.")
    after = _WEEKDAY.sub("", after).strip(" ,،，;:-–—.")
    venue = before or after or None
    return venue, found.iso


__all__ = ["DateMatch", "find_date", "split_dateline"]
