"""What a title-block line is: a lead-in, a "Message of …" title, a meeting; salutations, closings.

"Following is … message for …:" lead-ins and "Message of the Secretary-General on …" titles
(and their French, Spanish, Russian, Arabic and Chinese forms) say who speaks and on what
occasion; the event words name the meeting; salutations ("Excellencies,") and closings ("Thank
you.") mark where the front matter and the body end. All of it is pattern tables per language,
so another language or another house style is a table entry, not new code. Dates are
:mod:`toolkit.segment.dates`, names and roles :mod:`toolkit.segment.bylines`, symbols and
delivery marks :mod:`toolkit.segment.marks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.segment.bylines import split_byline, split_cjk_title, split_person
from toolkit.segment.dates import find_date

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


# --------------------------------------------------------------------------- lead-ins

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


__all__ = [
    "LeadIn",
    "has_event_words",
    "is_closing",
    "is_salutation",
    "message_title",
    "parse_lead_in",
    "split_event",
]
