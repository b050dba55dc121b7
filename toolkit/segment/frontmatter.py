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


_INSTITUTION_WORDS = _words(
    "united nations rights human council office organization organisation programme program "
    "fund development security peace affairs women children refugees assembly committee "
    "commission department mission republic kingdom states union court bank agency health "
    "food labour labor trade environment crime drugs terrorism counter-terrorism operations "
    "political economic social un onu oon ооон day week year decade summit conference forum"
)


def _looks_like_name(token: str) -> bool:
    if token.lower() in _HONORIFICS:  # "M.", "H.E."
        return False
    if token.strip(",.;:()").lower() in _INSTITUTION_WORDS:
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
    # "… Zeid Ra’ad Al Hussein at the opening of the Human Rights Council session in Geneva, 14
    # September 2015": what follows "at the", "to the"… is the occasion, not the person
    occasion = re.search(
        r"\s(?:(?:at|to|before|during|for)\s+(?:the|a|an|this)|on\s+the\s+occasion\s+of|"
        r"lors\s+d[eu]|devant\s+l[ea']|à\s+l['’]occasion|ante\s+(?:el|la)|en\s+ocasión|"
        r"con\s+motivo|перед|по\s+случаю|أمام|بمناسبة)\s",
        rest,
        re.IGNORECASE,
    )
    first_comma = min((k for k in (rest.find(c) for c in ",،，") if k >= 0), default=len(rest))
    if occasion and 0 < occasion.start() < first_comma:
        rest = rest[: occasion.start()].strip()
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
    r"^[\s,،，]*(?:(?:mr\.?|mister|madam|monsieur|madame|señor|señora|господин|госпожа|"
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


# --------------------------------------------------------------------------- marks

_SYMBOL = re.compile(
    r"^(?P<symbol>(?:(?:Press\s+Release|Communiqué\s+de\s+presse|Comunicado\s+de\s+prensa|"
    r"Пресс-релиз|بيان\s+صحفي|新闻稿)\s*(?:No\.?\s*)?)?"
    r"(?:(?:[A-Z]{1,8}/)+[A-Z0-9][A-Za-z0-9.]*(?:[-–/][A-Z0-9][A-Za-z0-9.]*)*"
    r"|\d{2,4}-\d{2,4}-[A-Z]{1,3}))(?=\s|$)"
)
"""A UN document symbol ("SG/SM/21531", "UNIS/SGSM/1449", "SG/SM/11764-OBV/716",
"A/RES/75/291") or a press-release number ("Press Release 08-049-E") opening a line."""

_END_MARK = re.compile(
    r"^(?:[#*\s]+|[-–—]+\s*30\s*[-–—]+|[-–—]\s*(?:end|fin|конец)\s*[-–—])$", re.IGNORECASE
)
"""Marks that end a press release: "###", "* *** *", "-30-", "***"."""

_DELIVERY: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "check against delivery",
        re.compile(
            r"(?:please\s+)?check\s+against\s+(?:the\s+)?delivery|"
            r"seul\s+(?:le\s+)?(?:texte\s+)?prononcé\s+fait\s+foi|vérifier\s+à\s+l['’]audition|"
            r"(?:cotejar|verificar)\s+con\s+(?:el\s+)?(?:discurso|texto)\s+pronunciado|"
            r"s[oó]lo\s+(?:hace\s+fe|es\s+válido)\s+el\s+(?:discurso|texto)\s+pronunciado|"
            r"сверить\s+с\s+(?:текстом\s+|фактическим\s+)?(?:выступлени[ея]|произнесенным)|"
            r"проверить\s+по\s+факту\s+(?:выступления|произнесения)|"
            r"(?:يرجى\s+)?(?:المراجعة|التحقق)\s+(?:مقابل|من)\s+(?:النص\s+)?(?:الملقى|الإلقاء)|"
            r"العبرة\s+بالنص\s+الملقى|(?:请)?以(?:实际)?(?:讲话|发言|宣读)为准",
            re.IGNORECASE,
        ),
    ),
    (
        "as prepared for delivery",
        re.compile(
            r"as\s+prepared(?:\s+for\s+delivery)?|texte\s+préparé|tel\s+que\s+préparé|"
            r"versión\s+preparada|в\s+подготовленном\s+виде|بصيغتها?\s+المعدة|(?:讲话|发言)稿",
            re.IGNORECASE,
        ),
    ),
    (
        "as delivered",
        re.compile(
            r"as\s+delivered|tel\s+que\s+prononcé|texte\s+prononcé|"
            r"(?:según|tal\s+como)\s+(?:se\s+)?pronunci(?:ó|ado)|"
            r"в\s+том\s+виде,?\s+в\s+котором\s+было\s+произнесено|по\s+тексту\s+выступления|"
            r"بصيغتها?\s+الملقاة|(?:实际|现场)(?:讲话|发言)",
            re.IGNORECASE,
        ),
    ),
)
_BRACKETED = re.compile(r"\s*[\[(（［]\s*(?P<inner>[^\])）］]{3,60})\s*[\])）］]\s*$")


def find_symbol(text: str) -> tuple[str, str] | None:
    """``(symbol, rest of the line)`` when ``text`` opens with a document symbol."""
    match = _SYMBOL.match(text.strip())
    if match is None or not any(ch.isdigit() for ch in match["symbol"]):
        return None
    return match["symbol"].strip(), text.strip()[match.end() :].strip(" ,;–—-")


def is_end_mark(text: str) -> bool:
    """ "###", "* *** *", "-30-": a press release's end, not text."""
    return bool(_END_MARK.match(text.strip()))


def delivery_of(text: str) -> str | None:
    """The normalised delivery mark when ``text`` is one (whole, or bracketed)."""
    stripped = text.strip().strip("[]()（）［］*_ .:").strip()
    for value, pattern in _DELIVERY:
        match = pattern.fullmatch(stripped)
        if match:
            return value
    return None


def strip_delivery(text: str) -> tuple[str, str | None]:
    """``text`` without a trailing "[as delivered]"-style mark, and the mark's value."""
    match = _BRACKETED.search(text)
    if match:
        value = delivery_of(match["inner"])
        if value:
            return text[: match.start()].rstrip(" ,–—-"), value
    for separator in (" – ", " — ", " - ", ": "):
        head, sep, tail = text.rpartition(separator)
        if sep and head and (value := delivery_of(tail)):
            return head.rstrip(), value
    return text, None


# --------------------------------------------------------------------------- lead-ins

_OCCASION = re.compile(
    r"\s+(?=(?:on\s+the\s+occasion\s+of|for|on|at|to|before|during|marking)\s)|"
    r"\s*,\s+(?=(?:observed|celebrated|delivered|held)\s)|"
    r"\s+(?=(?:à\s+l['’]occasion|lors|pour|sur|devant|au|à\s+la|aux)\s)|"
    r"\s+(?=(?:con\s+motivo|para|en\s+(?:el|la|ocasión)|ante|sobre)\s)|"
    r"\s+(?=(?:по\s+случаю|на|в\s+связи\s+с|перед)\s)|"
    r"\s+(?=(?:بمناسبة|أمام|في|حول|إلى)\s)",
    re.IGNORECASE,
)

_LEAD_INS: tuple[re.Pattern[str], ...] = (
    # Following is UN Secretary-General António Guterres’ message for United Nations Day, …:
    re.compile(
        r"^(?:the\s+)?following\s+is\s+(?:the\s+(?:full\s+)?text\s+of\s+)?(?P<who>.+?)['’]s?\s+"
        r"(?P<what>(?:video\s+|opening\s+|closing\s+|keynote\s+)?(?:message|remarks|statement|"
        r"address|speech|briefing|lecture))\b(?P<rest>.*?)[:.]?\s*$",
        re.IGNORECASE,
    ),
    # Vous trouverez ci-après le texte intégral du message du Secrétaire général, M. X, à …:
    re.compile(
        r"^(?:vous\s+trouverez|on\s+trouvera)\s+ci-après\s+(?:le\s+texte\s+(?:intégral\s+)?"
        r"(?:du|de\s+l['’]|de\s+la)\s*)?(?:le\s+|la\s+|l['’])?(?P<what>message|déclaration|"
        r"allocution|discours|intervention|exposé)(?:\s+vidéo)?\s+(?:du|de\s+la|de\s+l['’]|de)\s*"
        r"(?P<who>.+?)(?P<rest>,?\s+(?:à\s+l['’]occasion|lors|pour|sur|devant|au|aux)\b.*?)?"
        r"[:.]?\s*$",
        re.IGNORECASE,
    ),
    # A continuación figura el mensaje del Secretario General, António Guterres, con motivo …:
    re.compile(
        r"^a\s+continuación\s+(?:figura|se\s+reproduce)\s+(?:el\s+texto\s+(?:íntegro\s+)?"
        r"del?\s+)?(?:el\s+|la\s+)?(?P<what>mensaje|declaración|discurso|intervención)"
        r"\s+(?:del|de\s+la|de)\s+(?P<who>.+?)(?P<rest>,?\s+(?:con\s+motivo|para|en|ante|sobre)"
        r"\b.*?)?[:.]?\s*$",
        re.IGNORECASE,
    ),
    # Ниже приводится текст послания Генерального секретаря Антониу Гутерриша по случаю …:
    re.compile(
        r"^ниже\s+(?:приводится|публикуется)\s+(?:полный\s+)?(?:текст\s+)?(?P<what>послания|"
        r"выступления|заявления|обращения)\s+(?P<who>.+?)(?P<rest>\s+(?:по\s+случаю|на|в\s+связи)"
        r"\b.*?)?[:.]?\s*$",
        re.IGNORECASE,
    ),
    # فيما يلي نص رسالة الأمين العام ... بمناسبة ...:
    re.compile(
        r"^(?:فيما\s+يلي|في\s+ما\s+يلي|يرد\s+أدناه)\s+(?:نص\s+)?(?P<what>رسالة|كلمة|بيان|خطاب)\s+"
        r"(?P<who>.+?)(?P<rest>\s+(?:بمناسبة|أمام|في|حول)\s.*?)?[:.]?\s*$",
    ),
    # 以下是秘书长安东尼奥·古特雷斯在…的致辞：
    re.compile(
        r"^以下(?:是|为)(?P<who>.+?)(?P<rest>(?:在|就|为).+?)?的?(?P<what>致辞|讲话|发言)[：:。]?$"
    ),
)


@dataclass(frozen=True)
class LeadIn:
    """What a "Following is …'s message for …:" line says."""

    speaker: str | None
    """The speaker's name."""
    role: str | None
    """The speaker's title."""
    what: str
    """"message", "remarks", "message", "послания"…"""
    occasion: str | None
    """What it is for ("United Nations Day"), without the date it is observed on."""


def parse_lead_in(text: str) -> LeadIn | None:
    """Read a press release's lead-in line; None when ``text`` is not one."""
    stripped = text.strip()
    if len(stripped) > 400:
        return None
    for pattern in _LEAD_INS:
        match = pattern.match(stripped)
        if match is None:
            continue
        who = match["who"].strip(" ,")
        speaker, role = split_person(who)
        occasion = (match.groupdict().get("rest") or "").strip(" ,:.")
        occasion = re.sub(
            r"^(?:for|on|at|to|on\s+the\s+occasion\s+of|à\s+l['’]occasion\s+d[eu]\s*(?:la\s+)?|"
            r"à\s+l['’]occasion\s+de\s+l['’]|con\s+motivo\s+del?\s*(?:la\s+)?|по\s+случаю|بمناسبة|"
            r"在|就|为)\s*",
            "",
            occasion,
            flags=re.IGNORECASE,
        )
        occasion = re.split(
            r",\s*(?:observed|celebrated|held|célébrée?|le\s+\d|observad[oa]|celebrad[oa]|"
            r"отмечаем|который|التي|الذي)\b|,\s*\d|\s+(?:le|el|on)\s+\d",
            occasion,
            maxsplit=1,
        )[0].strip(" ,:.")
        return LeadIn(speaker, role, match["what"].lower(), occasion or None)
    return None


_COURTESY_START = re.compile(
    r"^(?:H\.\s?E\.\s+|M\.\s+|Mme\.?\s+|Mr\.?\s+|Mrs\.?\s+|Ms\.?\s+|Dr\.?\s+|Sr\.\s+|Sra\.\s+|"
    r"г-н\s+|г-жа\s+|السيد\s+|السيدة\s+)+"
)


def split_person(text: str) -> tuple[str | None, str | None]:
    """``(speaker, role)`` of "Secrétaire général de l’ONU, M. Ban Ki-moon" or
    "UN Secretary-General António Guterres": a comma part that opens with a courtesy title
    is the name; otherwise the byline rules decide."""
    parts = [p.strip() for p in re.split(r"\s*[,،，]\s*", text) if p.strip()]
    for index, part in enumerate(parts):
        match = _COURTESY_START.match(part)
        if match:
            name = part[match.end() :].strip()
            role = ", ".join(parts[:index] + parts[index + 1 :]) or None
            return name or None, role
    if any("\u4e00" <= ch <= "\u9fff" for ch in text) and " " not in text.strip():
        return split_cjk_title(text)
    return split_byline(text)


# --------------------------------------------------------------------------- titles

_MESSAGE_TITLE = re.compile(
    r"^(?:(?:video\s+)?message|remarks|statement|address)\s+(?:of|by|from)\s+(?P<who>.+?)"
    r"(?P<occasion>\s+(?:on\s+the\s+occasion\s+of|for|on|to|at)\s.+)$|"
    r"^(?:message|déclaration|allocution)\s+(?:du|de\s+la|de\s+l['’])\s*(?P<who_fr>.+?)"
    r"(?P<occasion_fr>\s+(?:à\s+l['’]occasion|pour|lors|sur)\b.+)$|"
    r"^(?:mensaje|declaración|discurso)\s+(?:del|de\s+la)\s+(?P<who_es>.+?)"
    r"(?P<occasion_es>\s+(?:con\s+motivo|para|en\s+ocasión|sobre)\b.+)$|"
    r"^(?:послание|обращение|заявление)\s+(?P<who_ru>.+?)(?P<occasion_ru>\s+(?:по\s+случаю|"
    r"в\s+связи\s+с|к)\s.+)$|"
    r"^(?:رسالة|كلمة|بيان)\s+(?P<who_ar>.+?)(?P<occasion_ar>\s+(?:بمناسبة|إلى|أمام)\s.+)$",
    re.IGNORECASE,
)
_POSSESSIVE_TITLE = re.compile(
    r"^(?P<who>[^’'\s][^’']{2,80}?)['’]s\s+(?:video\s+|opening\s+|closing\s+|keynote\s+)?"
    r"(?:message|remarks|statement|address|speech|briefing)\b",
    re.IGNORECASE,
)


def message_title(text: str, lang: str) -> tuple[str | None, str | None] | None:
    """A "Message of the Secretary-General on …" / "Secretary-General's remarks to …" title.

    Returns ``(speaker, role)`` it names (either may be None) — the line is a title, not a
    byline — or None when ``text`` is no such title. Roles are taken only where the language
    names them in the nominative (English, French, Spanish, Arabic); Russian gives them in
    the genitive ("Генерального секретаря"), which a masthead must not print as a role.
    """
    stripped = text.strip()
    if stripped.endswith((".", ":", "؛")) and not stripped.endswith("..."):
        return None
    match = _MESSAGE_TITLE.match(stripped)
    if match:
        who = next(v for k, v in match.groupdict().items() if k.startswith("who") and v)
        who = re.sub(r"^(?:the|le|la|el|l['’])\s+", "", who.strip(), flags=re.IGNORECASE)
        if lang == "ru" or any(ch in "абвгдежзийклмнопрстуфхцчшщъыьэюя" for ch in who.lower()):
            return None, None
        # "Statement by <title> <name> at the opening of …": the byline rules cut the occasion
        # where an article follows "at", "to", "for"; the pattern's shortest "who" may stop
        # inside the title ("High Commissioner | for Human Rights")
        by_name = split_byline(stripped)
        if by_name[0] is not None:
            # "Statement by H.E. Mr. X, Permanent Representative …" is a byline; it is a title
            # only when it also says when ("… in Geneva, 14 September 2015")
            return by_name if find_date(stripped) is not None else None
        return split_person(who)
    if (
        lang == "zh"
        and re.search(r"(?:致辞|讲话|发言|贺词|献词)$", stripped)
        and not re.search(r"[：:。]", stripped)
    ):
        return split_cjk_title(stripped)
    match = _POSSESSIVE_TITLE.match(stripped)
    if match:
        return split_person(match["who"].strip())
    return None


_CJK_STOP = (
    "联合国日",
    "联合国",
    "国际",
    "世界",
    "在",
    "就",
    "为",
    "致辞",
    "讲话",
    "发言",
    "的",
    "关于",
)


def split_cjk_title(text: str) -> tuple[str | None, str | None]:
    """``(name, role)`` of "联合国秘书长安东尼奥·古特雷斯联合国日致辞": a transliterated name
    is written around "·"; the title before it ends with a known rank (秘书长, 主任…)."""
    dot = text.find("·")
    if dot <= 0:
        return None, None
    prefix = text[:dot]
    rank_end = max(
        (prefix.rfind(rank) + len(rank) for rank in _CJK_RANKS if rank in prefix), default=-1
    )
    if rank_end < 0:
        rank_end = max(0, dot - 4)
    given = prefix[rank_end:]
    parts = text[dot + 1 :].split("·")
    last = parts[-1]
    cut = min((k for stop in _CJK_STOP if (k := last.find(stop)) > 0), default=len(last))
    parts[-1] = last[:cut]
    name = "·".join([given, *parts]) if given else None
    return name, prefix[:rank_end].strip() or None


# --------------------------------------------------------------------------- roles


_ROLE_WORDS = re.compile(
    r"\b(?:secretary-general|under-secretary-general|commissioner|director|representative|"
    r"ambassador|minister|president|chair(?:person|man|woman)?|envoy|rapporteur|coordinator|"
    r"adviser|advisor|head|chief|executive|secretary|permanent\s+mission|mission|delegation|"
    r"directeur|directrice|représentant|représentante|ambassadeur|ministre|président|"
    r"secrétaire|commissaire|envoyé|délégation|director[a]?|representante|embajador[a]?|"
    r"ministr[oa]|president[a]?|secretari[oa]|comisionad[oa]|delegación|"
    r"директор|представитель|посол|министр|председатель|секретарь|комиссар|посланник|"
    r"делегация|представительство)\b|"
    r"(?:الأمين|الأمينة|المدير|المديرة|الممثل|الممثلة|السفير|السفيرة|الوزير|الوزيرة|الرئيس|"
    r"المفوض|المفوضة|البعثة|الوفد)|"
    r"(?:秘书长|主任|代表|大使|部长|主席|特使|专员|代表团)",
    re.IGNORECASE,
)


def is_role_line(text: str) -> bool:
    """A short line naming a function or an office ("United Nations High Commissioner for
    Human Rights", "Permanent Mission of X to the United Nations", "Secretario General")."""
    stripped = text.strip()
    if not stripped or len(stripped.split()) > 14 or stripped[-1:] in ".!?。！？؟:：":
        return False
    return bool(_ROLE_WORDS.search(stripped))


_NAME_ROLE = re.compile(r"^(?P<name>[^,،，]{3,60})[,،，]\s*(?P<role>[^,،，].{2,120})$")


def name_and_role(text: str) -> tuple[str, str] | None:
    """ "António Guterres, Secretary-General": a name, a comma, a role."""
    match = _NAME_ROLE.match(text.strip())
    if match is None or not is_role_line(match["role"]):
        return None
    tokens = match["name"].split()
    if not 1 <= len(tokens) <= 5 or not all(
        _looks_like_name(t) or t.lower() in _NAME_PARTICLES for t in tokens
    ):
        return None
    if _ROLE_WORDS.search(match["name"]):
        return None
    return match["name"].strip(), match["role"].strip()
