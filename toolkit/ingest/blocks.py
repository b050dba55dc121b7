"""Paragraph blocks → the clean text convention the segmenter reads for ``source/*.md``.

Every reader (PDF, Word, web page) ends with a list of :class:`Block`\\ s, one per paragraph in
reading order; :func:`render` writes them the way a clean Markdown source is written: one
paragraph per block, a blank line between blocks, a bold block as ``**…**``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACES = re.compile(r"[^\S\n\u00a0\u202f]+")
_INVISIBLE = re.compile("[\u00ad\u200b\ufeff]")


@dataclass(frozen=True)
class Block:
    """One paragraph as a reader found it."""

    text: str
    """The paragraph's text on one line."""
    bold: bool = False
    """Set in bold throughout (a title or byline block)."""
    page: int = 0
    """Page it starts on (0: no pages)."""


def clean_inline(text: str) -> str:
    """NFC, no soft hyphens or zero-width spaces, runs of white space as one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def render(blocks: list[Block]) -> str:
    """The blocks as clean text: ``**bold**`` blocks, a blank line between paragraphs."""
    out: list[str] = []
    for block in blocks:
        text = clean_inline(block.text)
        if not text:
            continue
        # "*" inside a bold block would end the markup early; the segmenter strips "**" only.
        out.append(f"**{text}**" if block.bold and "**" not in text else text)
    return "\n\n".join(out) + "\n"
