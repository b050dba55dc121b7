"""Recognise front matter and paragraph kinds: dates, bylines, salutations, closings.

All of it is pattern tables per language, so another language or another house style is a
table entry, not new code.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass

from toolkit.languages import LANGUAGES

# --------------------------------------------------------------------------- dates

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


# --------------------------------------------------------------------------- bylines


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BYLINE_LEAD = re.compile(
    r"^(?:(?:opening|closing|keynote|introductory|concluding|welcoming|video|written)\s+)?"
    r"(?:remarks|statement|address|speech|briefing|intervention|message|presentation|"
    r"declaration|words)\s+(?:(?:as\s+)?delivered\s+)?(?:of|by|from)\b\s*|"
    r"^(?:déclaration|allocution|discours|intervention|message|observations|remarques)"
    r"\s+(?:de|du|des|d['’])\s*|"
    r"^(?:declaración|discurso|intervención|mensaje|palabras|observaciones)\s+(?:de|del)\s+|"
    r"^(?:выступление|заявление|обращение|послание|речь)(?:\s+|$)|"
    r"^(?:كلمة|بيان|ملاحظات|خطاب|رسالة)(?:\s+|$)|"
    r"^(?:.{0,40}?(?:致辞|讲话|发言)(?:人|者)?[：:]?)",
    re.IGNORECASE,
)
_HONORIFICS = _words(
    "h.e. he mr. mr mrs. mrs ms. ms dr. dr prof. sir dame his her excellency m. mme mme. s.e. "
    "sr. sra. excmo. excma. sr sra г-н г-жа господин госпожа السيد السيدة سعادة the la el le "
    "de del"
)
_RANK_WORDS = _words(
    "secretary-general under-secretary-general assistant deputy executive director director- "
    "general president vice-president minister ambassador chair chairperson chairman "
    "chairwoman representative permanent special envoy rapporteur commissioner high "
    "coordinator adviser advisor head chief officer prime foreign affairs general secretary "
    "judge justice senator honourable honorable king queen prince princess sheikh professor "
    "lord lady emir directeur directrice exécutif exécutive secrétaire général générale "
    "adjoint adjointe président présidente ministre ambassadeur ambassadrice représentant "
    "représentante permanente directora ejecutivo ejecutiva secretario secretaria adjunto "
    "adjunta presidente presidenta ministro ministra embajador embajadora representante "
    "subsecretario subsecretaria помощник помощника генерального генеральный секретаря "
    "секретарь директор директора исполнительный исполнительного постоянный постоянного "
    "представитель представителя посол председатель председателя министр министра الأمين "
    "العام المساعد الأمينة العامة المساعدة السفيرة الممثلة الدائمة المديرة المدير التنفيذية "
    "التنفيذي الممثل الدائم الرئيس الوزير السفير"
)
_HONORIFIC_START = re.compile(
    r"^(?:H\.\s?E\.|Mr\.|Mrs\.|Ms\.|Dr\.|M\.|Mme|S\.\s?E\.|Sr\.|Sra\.|Excm[oa]\.|г-н|г-жа|"
    r"Ambassador|Assistant Secretary-General|Under-Secretary-General|Secretary-General|"
    r"Deputy Secretary-General|Executive Director|His Excellency|Her Excellency|"
    r"السيد|السيدة|سعادة)(?=[\s,،]|$)",
)


def is_byline(text: str) -> bool:
    """A "Remarks of …", "Statement by …" line, or a line starting with a speaker's title."""
    return bool(_BYLINE_LEAD.match(text) or _HONORIFIC_START.match(text))


def has_byline_lead(text: str) -> bool:
    """The line starts with a byline lead-in ("Remarks of", "Statement by", "Allocution de"…)."""
    return _BYLINE_LEAD.match(text) is not None


def is_byline_lead(text: str) -> bool:
    """A byline lead-in alone ("Remarks of", "Выступление", "讲话人"): the name follows."""
    match = _BYLINE_LEAD.match(text)
    return match is not None and not text[match.end() :].strip(" :：")


def _looks_like_name(token: str) -> bool:
    if token.lower() in _HONORIFICS:  # "M.", "H.E."
        return False
    word = token.strip(",.;:()")
    if not word or word.lower() in _RANK_WORDS or word.lower() in _HONORIFICS:
        return False
    if not word[0].isalpha():
        return False
    if word.isupper() and len(word) > 1:  # acronyms (CTED) are not names; SURNAMES handled below
        return False
    return word[0].isupper() or _is_uncased(word)


def _is_uncased(word: str) -> bool:
    return all(not ch.isalpha() or ch.lower() == ch.upper() for ch in word)


_NAME_PARTICLES = {"de", "da", "del", "van", "von", "der", "la", "le", "bin", "al", "ibn", "el"}


def split_byline(text: str) -> tuple[str | None, str | None]:
    """``(speaker, role)`` from a byline: the name only, and the titles around it.

    "Remarks of Assistant Secretary-General Michèle Coninsx, Executive Director, CTED" gives
    ``("Michèle Coninsx", "Assistant Secretary-General, Executive Director, CTED")``.
    """
    rest = _BYLINE_LEAD.sub("", text, count=1).strip()
    if not rest:
        return None, None
    head, sep, tail = rest.partition(",")
    for comma in "،，":
        if not sep:
            head, sep, tail = rest.partition(comma)
    if " " not in head.strip() and any("\u4e00" <= ch <= "\u9fff" for ch in head):
        return _split_cjk_byline(head.strip(), tail.strip())
    tokens = head.split()
    # the name is the run of name-like words at the end of the head; upper-case SURNAMES
    # count when a mixed-case given name sits beside them ("Juan PÉREZ")
    end = len(tokens)
    start = end
    while start > 0:
        token = tokens[start - 1].strip(",")
        surname = (
            token.isupper()
            and len(token) > 2
            and start - 1 > 0
            and (_looks_like_name(tokens[start - 2]) or tokens[start - 2].isupper())
            and token.strip(".").lower() not in _HONORIFICS
        )
        particle = token.lower() in _NAME_PARTICLES and start < end and start - 1 > 0
        if not (_looks_like_name(token) or surname or particle):
            break
        start -= 1
    while start < end and tokens[start].lower() in _NAME_PARTICLES:
        start += 1
    speaker = " ".join(tokens[start:end]) or None
    if speaker is not None and not any(ch.isalpha() for ch in speaker):
        speaker = None
    prefix_tokens = tokens[:start] if speaker else tokens
    while prefix_tokens and prefix_tokens[0].lower() in _HONORIFICS:
        prefix_tokens = prefix_tokens[1:]
    parts = [" ".join(prefix_tokens).strip(), tail.strip()]
    role = ("، " if sep == "،" else ", ").join(p for p in parts if p) or None
    return speaker, role


# --------------------------------------------------------------------------- kinds

_SALUTATION_START = re.compile(
    r"^(?:excellenc|your excellenc|mr\.?\s|mister|madam|madame|mesdames|messieurs|monsieur|"
    r"distinguished|dear|ladies|gentlemen|colleagues|friends|honou?rable|members of|"
    r"mr\. president|madam president|chers|chères|distingu|honorables|"
    r"excelencia|señor|señora|señoras|señores|distinguid|estimad|querid|"
    r"ваше превосходительство|ваши превосходительства|господин|госпожа|уважаем|дамы|коллеги|"
    r"друзья|أصحاب السعادة|أصحاب المعالي|السيد|السيدة|سيدي|سيدتي|الزملاء|السيدات|حضرات|"
    r"الحضور|各位|尊敬的|主席先生|主席女士|女士们|先生们|同事们|朋友们)",
    re.IGNORECASE,
)
_SALUTATION_END = (",", ":", "،", "，", "：", "!", "！")

_CLOSING = re.compile(
    r"^(?:i\s+)?thank\s+you(?:\s+(?:very|so)\s+much)?(?:\s+(?:all|everyone))?"
    r"(?:\s+for\s+your\s+(?:kind\s+)?attention)?|"
    r"^thanks(?:\s+a\s+lot)?|"
    r"^(?:je\s+vous\s+remercie|merci(?:\s+beaucoup)?)(?:\s+de\s+votre\s+attention)?|"
    r"^(?:muchas\s+)?gracias(?:\s+por\s+su\s+atenci[oó]n)?|"
    r"^(?:спасибо|благодарю\s+вас|благодарю\s+за\s+внимание)(?:\s+за\s+внимание)?|"
    r"^(?:شكراً|شكرًا|شكرا|أشكركم|اشكركم)(?:\s+\S+){0,2}|"
    r"^(?:谢谢|感谢)(?:大家|各位|主席先生|主席女士)?",
    re.IGNORECASE,
)
_CLOSING_TAIL = re.compile(
    r"^[\s,،，]*(?:(?:mr\.|madam|monsieur|madame|señor|señora|господин|госпожа|"
    r"سيدي|السيد)[^.!?。]*)?[\s.!?。！？]*$",
    re.IGNORECASE,
)


def is_salutation(text: str) -> bool:
    """A short form of address ending in a comma or colon: "Excellencies, …," "Mr. President,"."""
    words = text.split()
    if not words or len(words) > 16 or not text.rstrip().endswith(_SALUTATION_END):
        return False
    return bool(_SALUTATION_START.match(text.strip()))


def is_closing(text: str) -> bool:
    """ "Thank you." and its variants in the six languages (with an optional "Mr. President")."""
    stripped = text.strip()
    match = _CLOSING.match(stripped)
    if not match or len(stripped.split()) > 10 or len(stripped) > 60:
        return False
    return bool(_CLOSING_TAIL.match(stripped[match.end() :]))


_EVENT_WORDS = re.compile(
    r"\b(?:conference|dialogue|forum|summit|meeting|session|debate|symposium|seminar|"
    r"workshop|webinar|briefing|consultation|roundtable|open\s+debate|"
    r"conférence|dialogue|réunion|séance|sommet|débat|conferencia|diálogo|reunión|sesión|"
    r"cumbre|debate|конференция|диалог|заседание|сессия|форум|саммит|مؤتمر|حوار|اجتماع|"
    r"جلسة|منتدى|دورة)\b|会议|论坛|对话|峰会|届会",
    re.IGNORECASE,
)
_EVENT_SPLIT = re.compile(
    r"\s+(?:on|sur|sobre|по|на\s+тему|حول|بشأن)\s+(?:(?:le\s+)?thème\s+)?(?=[“\"«‘”])"
)


def split_event(title: str) -> str | None:
    """The meeting before a quoted theme ("X Conference Dialogue on “…”" → its first part)."""
    match = _EVENT_SPLIT.search(title)
    head = title[: match.start()] if match else None
    if head and _EVENT_WORDS.search(head):
        return head.strip(" ,:")
    return None


def has_event_words(text: str) -> bool:
    """True when ``text`` names a meeting or conference."""
    return bool(_EVENT_WORDS.search(text))


_CJK_RANKS = (
    "助理秘书长",
    "副秘书长",
    "秘书长",
    "常驻代表",
    "副代表",
    "大使",
    "执行主任",
    "副主任",
    "主任",
    "主席",
    "特使",
    "高级专员",
    "特别代表",
    "特别报告员",
    "部长",
    "总统",
    "总理",
)
_CJK_COURTESY = ("先生", "女士", "阁下", "博士")


def _split_cjk_byline(head: str, tail: str) -> tuple[str | None, str | None]:
    """Chinese bylines have no spaces: strip known titles from the front of the head."""
    prefixes: list[str] = []
    changed = True
    while changed:
        changed = False
        for rank in _CJK_RANKS:
            if head.startswith(rank) and len(head) > len(rank):
                prefixes.append(rank)
                head = head[len(rank) :]
                changed = True
    for courtesy in _CJK_COURTESY:
        head = head.removesuffix(courtesy)
    role = "，".join(p for p in ("".join(prefixes), tail) if p) or None
    return head or None, role
