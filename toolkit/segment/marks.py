"""Marks about the document rather than in it: its symbol, its delivery status, its end.

A UN document symbol or press-release number opening a line ("SG/SM/21531", "Press Release
08-049-E"), a delivery mark in any of the six languages ("AS DELIVERED", "Check against
delivery", "Seul le texte prononcé fait foi", "以讲话为准") — alone or bracketed after a line —
and the marks that end a press release ("###", "-30-"). The segmenter takes them out of the
text and keeps the symbol and the normalised delivery status in the speech's ``Meta``.
"""

from __future__ import annotations

import re

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


__all__ = ["delivery_of", "find_symbol", "is_end_mark", "strip_delivery"]
