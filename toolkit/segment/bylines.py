"""Who is speaking: the speaker's name and role from a byline, a name line or a role line.

"Remarks of Assistant Secretary-General Michèle Coninsx, Executive Director, CTED", "António
Guterres, Secretary-General", "Secretario General", "联合国秘书长安东尼奥·古特雷斯": the byline
lead-ins, honorifics, rank and institution words of the six languages, and the rules that cut
a line into ``(speaker, role)``. All of it is word lists and pattern tables, so another
language or house style is a table entry, not new code.
"""

from __future__ import annotations

import re

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


# --------------------------------------------------------------------------- Chinese names

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


# --------------------------------------------------------------------------- persons

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


__all__ = [
    "has_byline_lead",
    "is_byline",
    "is_byline_lead",
    "is_role_line",
    "name_and_role",
    "split_byline",
    "split_cjk_title",
    "split_person",
]
