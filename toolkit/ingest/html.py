"""A saved web page (UN press or statement page) → :class:`SourceText`, with lxml.

1. **Metadata from the page's own markup**: the headline (the page's ``<h1>``, else
   ``og:title``, else ``<title>`` without the site name), the date (``<time>``, else
   ``article:published_time``) and the document symbol (an element whose class or id says
   ``symbol``, e.g. Drupal's ``field--name-field-symbol``: ``SG/SM/22145``). A date shown
   outside the body becomes the dateline under the headline.
2. **The statement's body**: the first of ``[itemprop=articleBody]``, a ``…-body`` field, the
   largest ``<article>``, ``<main>``/``[role=main]``, ``#content``; else ``<body>``.
3. **Page furniture left out**: scripts and styles, ``<nav>``, ``<header>``/``<footer>``,
   ``<aside>``, forms and buttons, and any element whose class, id or role names navigation,
   menus, breadcrumbs, share/social buttons, "related" lists, tags, sidebars or footers.
   Each is listed for ``--explain``.
4. **Blocks**: every paragraph-like element (``p``, headings, list items, quotes, cells, and
   ``div``\\ s that hold text directly) is one block; ``<br>`` is a wrap, ``<br><br>`` a paragraph
   break (older pages); a block whose text is all ``<strong>``/``<b>`` is bold. The headline
   comes first, as the bold title block.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path
from typing import Any

from toolkit.document import Repair, SourceText
from toolkit.errors import InputError
from toolkit.ingest.blocks import Block, clean_inline, render
from toolkit.ingest.files import MiB, read_bounded, split_source_name

MAX_HTML_BYTES = 10 * MiB
"""A saved press page with inline scripts is a few hundred KiB."""

_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "form", "button", "iframe", "nav",
    "aside", "select", "input", "object", "embed", "canvas", "video", "audio",
)  # fmt: skip
_FURNITURE_TAGS = ("header", "footer")
_FURNITURE_WORDS = frozenset(
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "share",
        "sharing",
        "social",
        "related",
        "footer",
        "header",
        "sidebar",
        "tags",
        "tag",
        "comments",
        "comment",
        "cookie",
        "cookies",
        "banner",
        "skip",
        "print",
        "subscribe",
        "newsletter",
        "pager",
        "pagination",
        "toolbar",
        "masthead",
        "search",
        "language",
        "languages",
        "switcher",
    ]
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "td",
        "th",
        "figcaption",
        "caption",
        "address",
    ]
)
_CONTAINER_TAGS = frozenset(
    [
        "div",
        "section",
        "article",
        "main",
        "body",
        "ul",
        "ol",
        "dl",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "figure",
        "center",
    ]
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_TITLE_SITE = re.compile(r"\s+[|–—-]\s+[^|–—-]+$")
_SYMBOL = re.compile(r"\b[A-Z]{1,8}(?:/[A-Z0-9][A-Za-z0-9.()-]{0,14}){1,6}\b")


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace"), "utf-16"
    declared = _CHARSET.search(raw[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(
        f"{name} is not readable text in any known encoding.", "Save the page again as UTF-8."
    )


def _words_of(element: Any) -> set[str]:
    attrs = " ".join(element.get(key, "") for key in ("class", "id", "role"))
    return {w for w in re.split(r"[^a-z]+", attrs.lower()) if w}


def _is_furniture(element: Any) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _HEADINGS or element.find(".//h1") is not None:
        return False
    if tag in _FURNITURE_TAGS:
        return True
    # "jp-relatedposts", "sharedaddy", "navbar-collapse": a furniture word starting a class word
    return any(
        word.startswith(furniture) for word in _words_of(element) for furniture in _FURNITURE_WORDS
    )


_BR = "\u2028"
"""What a ``<br>`` becomes in the text (white space to :func:`clean_inline`)."""
_BR_BREAK = re.compile("\u2028\\s*\u2028[\u2028\\s]*")
"""Two line breaks in a row: older pages separate paragraphs with ``<br><br>``."""


def _text(element: Any) -> str:
    """Text of an element, ``<br>`` as a space, white space normalised."""
    return clean_inline(element.text_content())


def _leaf_blocks(element: Any, heading: bool) -> list[Block]:
    """The blocks of a paragraph-like element: one, or one per ``<br><br>``-separated part."""
    parts = [clean_inline(part) for part in _BR_BREAK.split(element.text_content())]
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        text = parts[0] if parts else ""
        return [Block(text, heading or _all_bold(element))] if text else []
    bold_text = " ".join(_text(b) for b in element.iter("strong", "b"))
    return [Block(part, heading or part in bold_text) for part in parts]


def _spaced_text(element: Any) -> str:
    """Text with a space between elements (menus have no spaces between their links)."""
    return clean_inline(" ".join(element.itertext()))


def _all_bold(element: Any) -> bool:
    total = len(_text(element).replace(" ", ""))
    if not total:
        return False
    bold = 0
    for strong in element.iter("strong", "b"):
        if strong.getparent() is not None and any(
            a.tag in ("strong", "b") for a in strong.iterancestors() if a is not element
        ):
            continue
        bold += len(_text(strong).replace(" ", ""))
    return bold >= total


def _headline(root: Any) -> str | None:
    h1 = root.find(".//h1")
    if h1 is not None and _text(h1):
        return _text(h1)
    for meta in root.iter("meta"):
        if meta.get("property") == "og:title" and meta.get("content", "").strip():
            return clean_inline(meta.get("content"))
    title = root.find(".//title")
    if title is not None and _text(title):
        return _TITLE_SITE.sub("", _text(title)) or None
    return None


def _dateline(root: Any) -> str | None:
    for time in root.iter("time"):
        text = _text(time) or time.get("datetime", "").strip()
        if text:
            return text
    for meta in root.iter("meta"):
        if meta.get("property") in ("article:published_time", "og:published_time"):
            content = (meta.get("content") or "").strip()
            if content:
                return content
    return None


def _readable_date(text: str) -> bool:
    """A date as people write it ("14 March 2024"), not a machine timestamp."""
    return any(ch.isalpha() for ch in text) and any(ch.isdigit() for ch in text)


def _symbol(root: Any) -> tuple[str | None, Any]:
    for element in root.iter():
        if not isinstance(element.tag, str) or "symbol" not in _words_of(element):
            continue
        found = _SYMBOL.search(_text(element))
        if found:
            return found.group(0), element
    return None, None


def _content(root: Any) -> Any:
    def largest(elements: list[Any]) -> Any:
        return max(elements, key=lambda e: len(_text(e))) if elements else None

    candidates = [
        root.xpath('.//*[@itemprop="articleBody"]'),
        [e for e in root.iter("div", "section") if {"body"} & _words_of(e) and _text(e)],
        list(root.iter("article")),
        list(root.iter("main")) + root.xpath('.//*[@role="main"]'),
        root.xpath('.//*[@id="content"]'),
    ]
    for found in candidates:
        best = largest([e for e in found if len(_text(e)) > 200])
        if best is not None:
            return best
    body = root.find(".//body")
    return body if body is not None else root


def _blocks(element: Any, out: list[Block]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    has_block_children = any(
        isinstance(child.tag, str) and (child.tag in _BLOCK_TAGS or child.tag in _CONTAINER_TAGS)
        for child in element
    )
    if tag in _BLOCK_TAGS and not (tag in ("li", "td", "th", "blockquote") and has_block_children):
        out.extend(_leaf_blocks(element, tag == "h1"))
        return
    if not has_block_children:
        out.extend(_leaf_blocks(element, False))
        return
    # text directly inside a container, beside block children, is a block of its own
    if element.text and element.text.strip():
        out.append(Block(clean_inline(element.text)))
    for child in element:
        if isinstance(child.tag, str):
            _blocks(child, out)
        if child.tail and child.tail.strip():
            out.append(Block(clean_inline(child.tail)))


def read_html(path: Path, lang: str | None = None) -> SourceText:
    """Read a saved statement web page into a :class:`SourceText` (see the module docstring)."""
    import lxml.html

    name = str(path)
    raw = read_bounded(path, MAX_HTML_BYTES, what="web page")
    markup, encoding = _decode(raw, name)
    if not markup.strip():
        raise InputError(f"{name} is empty.", "Save the page again from the browser.")
    try:
        root = lxml.html.document_fromstring(markup)
    except Exception as exc:  # lxml's ParserError and friends
        raise InputError(
            f"{name} is not a readable web page ({exc}).", "Save the page again as HTML."
        ) from None
    for br in root.iter("br"):
        br.tail = _BR + (br.tail or "")
    repairs: list[Repair] = []
    for element in list(root.iter(*_DROP_TAGS)):
        if element.getparent() is not None:
            text = _text(element)
            if text and element.tag not in ("script", "style", "noscript", "template"):
                label = f"<{element.tag}> {_short(_spaced_text(element))}"
                repairs.append(Repair("boilerplate", 0, label))
            element.drop_tree()
    headline = _headline(root)
    dateline = _dateline(root)
    symbol, symbol_element = _symbol(root)
    if symbol_element is not None:
        repairs.append(Repair("boilerplate", 0, f"document symbol {symbol} (kept as metadata)"))
        symbol_element.drop_tree()
    body = root.find(".//body")
    total = len(_text(body if body is not None else root))
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head"):
            continue
        if element.getparent() is None or not _is_furniture(element):
            continue
        if element.getroottree().getroot() is not root:  # inside furniture already left out
            continue
        text = _text(element)
        if len(text) > total * 0.4:  # a wrapper named "…-sidebar main" holding the statement
            continue
        if text:
            label = f"<{element.tag} {element.get('class') or element.get('id') or ''}>".replace(
                " >", ">"
            )
            repairs.append(Repair("boilerplate", 0, f"{label} {_short(_spaced_text(element))}"))
        element.drop_tree()
    content = _content(root)
    blocks: list[Block] = []
    _blocks(content, blocks)
    if headline and not any(block.text == headline for block in blocks[:3]):
        blocks.insert(0, Block(headline, True))
    if dateline and _readable_date(dateline) and not any(dateline in b.text for b in blocks):
        # the page shows its date outside the statement's body (a "dated" field): it is the
        # statement's dateline, right under the headline
        at = 1 if blocks and blocks[0].text == headline else 0
        blocks.insert(at, Block(dateline))
    blocks = [Block(b.text, True) if b.text == headline else b for b in blocks]
    text = render(blocks)
    if not text.strip():
        raise InputError(
            f"{name} has no statement text (nothing but page furniture was found).",
            "Save the statement's own page (File → Save Page As… → Web Page, HTML only).",
        )
    slug, name_lang = split_source_name(path)
    return SourceText(
        path=name,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        lang=lang or name_lang,
        slug=slug,
        format="html",
        repairs=tuple(repairs),
        title=headline,
        dateline=dateline,
        document_symbol=symbol,
    )


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = ["MAX_HTML_BYTES", "read_html"]
