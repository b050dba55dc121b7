"""Headings and list items among the body paragraphs.

A **heading** is a short line without final punctuation that numbers or names a section:
"I. Introduction", "1. Scope", "Article 2", "Section 3", "Chapter IV", "Part One" (and their
French, Spanish, Russian, Arabic and Chinese forms), or a short Title-Case line standing
between two body paragraphs. It is its own paragraph (kind ``heading``): never taken for a
running header, never numbered as a paragraph in the PDF, a chapter of its own in audio.

A **list item** starts with a bullet ("•", "–", "—", "*", "·", "▪") or an enumerator ("(a)",
"a)", "(i)", "1.", "1)", "١.", "一、"); each item is its own paragraph of kind ``item``,
its marker kept in its text, so that translations align item by item. A numbered line ending
with a full stop whose number follows the previous item's ("2." after "1.") is an item; an
isolated "1. …" sentence inside prose stays body.
"""

from __future__ import annotations

import re

_SECTION_WORDS = (
    r"article|section|chapter|part|annex|appendix|"
    r"articles?|chapitre|partie|annexe|"
    r"artículo|sección|capítulo|parte|anexo|"
    r"статья|раздел|глава|часть|приложение|"
    r"المادة|الفرع|الفصل|الجزء|المرفق"
)
_HEADING = re.compile(
    rf"^(?:(?:{_SECTION_WORDS})\s+(?:[0-9]+|[IVXLC]+|one|two|three|four|five|un|deux)\b"
    r"|[IVXLC]{1,6}\.\s+\S|[A-Z]\.\s+[A-Z]|\d{1,2}(?:\.\d{1,2})*\.\s+[^\W\d_]"
    r"|\d{1,2}\.\d{1,2}\s+[^\W\d_]"
    r"|第[一二三四五六七八九十百\d]+[条章节部分]|[一二三四五六七八九十]+、)",
    re.IGNORECASE,
)
_ITEM = re.compile(
    r"^(?:[•‣▪◦●○■□\-–—*·]\s+"
    r"|\(?[a-zа-яא-ת]\)\s+|\([ivx]{1,5}\)\s+|\(\d{1,2}\)\s+|\d{1,2}\)\s+|\d{1,2}\.\s+"
    r"|[٠-٩]{1,2}[.)-]\s+|\([أ-ي]\)\s+|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）)"
)
_FINAL = ".!?…。！？؟:：;；"


def _number(text: str) -> int | None:
    match = re.match(r"^\(?(\d{1,2})[.)]", text)
    return int(match.group(1)) if match else None


def is_heading(text: str) -> bool:
    """A section heading: numbered or named as one, short, no final punctuation."""
    stripped = text.strip()
    if not stripped or len(stripped) > 120 or len(stripped.split()) > 12:
        return False
    if stripped[-1] in _FINAL and not re.match(r"^[IVXLC]+\.$|^\d+\.$", stripped):
        return False
    return bool(_HEADING.match(stripped))


def is_item(text: str) -> bool:
    """A list item by its marker (the numbering of "1." items is checked by the caller)."""
    return bool(_ITEM.match(text.strip()))


def classify_body(texts: list[str], lang: str) -> list[str]:
    """``body``, ``heading`` or ``item`` for each body paragraph, in order."""
    kinds = ["body"] * len(texts)
    for index, text in enumerate(texts):
        stripped = text.strip()
        numbered = _number(stripped)
        if is_heading(stripped) and not (numbered is not None and stripped[-1:] in _FINAL):
            kinds[index] = "heading"
            continue
        if not is_item(stripped):
            continue
        if numbered is not None:
            # "2." after "1.": a numbered list; a lone "1. …" paragraph is prose
            before = _number(texts[index - 1].strip()) if index > 0 else None
            after = _number(texts[index + 1].strip()) if index + 1 < len(texts) else None
            if before != numbered - 1 and after != numbered + 1:
                continue
        kinds[index] = "item"
    return kinds


__all__ = ["classify_body", "is_heading", "is_item"]
