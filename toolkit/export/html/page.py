"""What the reader pages and the pack's index page share: their file names, the bundled assets
they inline, and the escaping and ``lang``/``dir`` attributes of their markup."""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

from toolkit.languages import get_language

INDEX_NAME = "index.html"
"""File name of the pack's index page."""


def reader_name(slug: str, lang: str) -> str:
    """``<slug>.<lang>.html``."""
    return f"{slug}.{lang}.html"


@cache
def asset(name: str) -> str:
    """The text of a bundled asset in ``toolkit/export/assets/`` (``reader.css``, ``reader.js``,
    ``epub.css``): what the pages embed, and what their stages' keys include."""
    return resources.files("toolkit.export").joinpath("assets", name).read_text(encoding="utf-8")


def escape(text: str) -> str:
    """``text`` escaped for HTML text and attribute values (quotes included)."""
    return html.escape(text, quote=True)


def lang_attrs(lang: str) -> str:
    """``lang="…" dir="…"`` of a language, for the element that holds its text."""
    language = get_language(lang)
    return f'lang="{language.code}" dir="{language.direction}"'


__all__ = ["INDEX_NAME", "asset", "escape", "lang_attrs", "reader_name"]
