"""The read-along page of one language: ``<slug>.<lang>.html``.

The page shows the speech in its language beside the English original (the masthead, the
text as one row per paragraph, an "about" section with the provenance) and, when there is an
audio reading, the player of :mod:`toolkit.export.html.playback`. CSS and script are inlined,
so the page works offline from the pack folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit import __version__
from toolkit.document import Cue, Speech, TranslatedSpeech
from toolkit.export.html.model import (
    Passage,
    Reading,
    check_cues,
    notice_text,
    read_cues,
    reading_of,
)
from toolkit.export.html.page import INDEX_NAME, asset, escape, lang_attrs, reader_name
from toolkit.export.html.playback import player_script, player_section, shortcuts_section
from toolkit.export.html.strings import ReaderStrings, reader_strings
from toolkit.export.paths import write_text_atomic
from toolkit.languages import get_language


def _format_date(iso: str, lang: str) -> str:
    from toolkit.export.pdf_strings import format_date

    return format_date(iso, lang)


def _sentence(
    line_id: str, text: str, flags: Sequence[str], spoken: bool, t: ReaderStrings, primary: bool
) -> str:
    classes = "s flag" if flags else "s"
    ident = f' id="{escape(line_id)}"' if primary else ""
    focus = ' tabindex="0"' if primary and spoken else ""
    out = f'<span class="{classes}" data-s="{escape(line_id)}"{ident}{focus}>{escape(text)}'
    if flags:
        out += (
            '<span class="flag-mark" aria-hidden="true">\u2691</span>'
            '<span class="visually-hidden"> '
            f"{escape(t.flagged.format(flags=', '.join(flags)))}</span>"
        )
    return out + "</span>"


def _lines(passage: Passage, spoken: set[str], t: ReaderStrings, *, original: bool) -> str:
    lines = passage.original if original else passage.lines
    return " ".join(
        _sentence(line.id, line.text, line.flags, line.id in spoken, t, not original)
        for line in lines
    )


def _masthead(reading: Reading, spoken: set[str], t: ReaderStrings) -> str:
    front = [p for p in reading.passages if p.front_matter]
    parts: list[str] = []
    h1_done = False
    for passage in front:
        if not passage.lines:
            continue
        content = _lines(passage, spoken, t, original=False)
        if passage.kind == "title" and not h1_done:
            parts.append(f'<h1 id="{escape(passage.id)}">{content}</h1>')
            h1_done = True
        else:
            parts.append(
                f'<p class="{escape(passage.kind)}" id="{escape(passage.id)}">{content}</p>'
            )
    if not h1_done:  # a speech without a title line still gets its one h1
        title = reading.meta.title or reading.source_meta.title or reading.slug
        parts.insert(0, f"<h1>{escape(title)}</h1>")
    if reading.bilingual:
        originals = [f"<p>{_lines(p, spoken, t, original=True)}</p>" for p in front if p.original]
        if originals:
            parts.append(
                f'<div class="translation-of" {lang_attrs(reading.source_lang)}>'
                + "".join(originals)
                + "</div>"
            )
    facts = []
    meta = reading.meta
    if any(p.kind in {"dateline", "byline"} for p in front):
        meta = replace(meta, speaker=None, venue=None, date=None)  # the title block says it
    if meta.speaker:
        who = f"{meta.speaker}, {meta.role}" if meta.role else meta.speaker
        facts.append((t.speaker, escape(who)))
    if meta.venue:
        facts.append((t.venue, escape(meta.venue)))
    if meta.date:
        shown = _format_date(meta.date, reading.lang)
        facts.append((t.date, f'<time datetime="{escape(meta.date)}">{escape(shown)}</time>'))
    if facts:
        parts.append(
            "<dl>"
            + "".join(f"<div><dt>{escape(k)}</dt><dd>{v}</dd></div>" for k, v in facts)
            + "</dl>"
        )
    notice = notice_text(reading)
    if notice:
        parts.append(f'<p class="notice">{escape(notice)}</p>')
    return "".join(parts)


def _language_nav(
    reading: Reading, languages: Sequence[str], index: str | None, t: ReaderStrings
) -> str:
    items = []
    for code in languages:
        language = get_language(code)
        current = ' aria-current="page"' if code == reading.lang else ""
        items.append(
            f'<li><a href="{escape(reader_name(reading.slug, code))}" hreflang="{code}" '
            f"{lang_attrs(code)}{current}>{escape(language.native_name)}</a></li>"
        )
    if index:
        items.append(f'<li><a href="{escape(index)}">{escape(t.all_files)}</a></li>')
    if not items:
        return ""
    return (
        f'<nav class="languages" aria-label="{escape(t.languages)}"><ul>{"".join(items)}</ul></nav>'
    )


def _text(reading: Reading, spoken: set[str], t: ReaderStrings) -> str:
    rows = []
    target_attrs = lang_attrs(reading.lang)
    source_attrs = lang_attrs(reading.source_lang)
    for passage in reading.passages:
        if passage.front_matter:
            continue
        tag = "h3" if passage.kind == "heading" else "p"
        cells = (
            [
                f'<div class="col target" {target_attrs}><{tag}>'
                f"{_lines(passage, spoken, t, original=False)}</{tag}></div>"
            ]
            if passage.lines
            else [f'<div class="col target" {target_attrs}></div>']
        )
        if reading.bilingual:
            cells.append(
                f'<div class="col original" {source_attrs}><{tag}>'
                f"{_lines(passage, spoken, t, original=True)}</{tag}></div>"
            )
        rows.append(f'<div class="passage" id="{escape(passage.id)}">{"".join(cells)}</div>')
    head = ""
    if reading.bilingual:
        head = (
            '<div class="columns-head" aria-hidden="true">'
            f"<p {target_attrs}>{escape(get_language(reading.lang).native_name)}</p>"
            f"<p>{escape(t.original)}</p></div>"
        )
    return (
        f'<section id="text" class="wrap" aria-labelledby="text-h" tabindex="-1">'
        f'<h2 id="text-h">{escape(t.text)}</h2>{head}{"".join(rows)}</section>'
    )


def _about(reading: Reading, audio_signature: str | None, t: ReaderStrings) -> str:
    lines = []
    notice = notice_text(reading)
    if notice:
        lines.append(f"<p>{escape(notice)}</p>")
    if reading.notice:
        lines.append(f'<p lang="en" dir="ltr">{escape(reading.notice)}</p>')
    if reading.bilingual and reading.engine:
        provenance = " ".join(
            x for x in (reading.engine, reading.model, reading.model_version) if x
        )
        lines.append(f'<p lang="en" dir="ltr">Translation: {escape(provenance)}</p>')
    if audio_signature:
        lines.append(f'<p lang="en" dir="ltr">Audio: {escape(audio_signature)}</p>')
    if not lines:
        return ""
    return (
        '<section class="about wrap" aria-labelledby="about-h">'
        f'<h2 id="about-h">{escape(t.about)}</h2>{"".join(lines)}</section>'
    )


def render_reader(
    doc: Speech | TranslatedSpeech,
    cues: Sequence[Cue],
    *,
    audio: str | None,
    languages: Sequence[str] = (),
    index: str | None = INDEX_NAME,
    audio_signature: str | None = None,
) -> str:
    """The read-along page of ``doc`` as HTML text.

    ``cues`` are the audio reading's (one per sentence read, from its .vtt); ``audio`` is
    the MP3's URL relative to the page (None: a page without player). ``languages`` are
    the pack's readers to link to, ``index`` its index page (None: no link). Raises
    InputError when the cues belong to another text.
    """
    reading = reading_of(doc)
    if audio is None:
        cues = ()
    check_cues(reading, cues)
    t = reader_strings(reading.lang)
    spoken = {c.sentence_id for c in cues}
    language = get_language(reading.lang)
    title = reading.meta.title or reading.source_meta.title or reading.slug
    classes = "bilingual" if reading.bilingual else "monolingual"
    body = (
        f'<a class="skip" href="#text">{escape(t.skip)}</a>'
        f'<div id="reader" class="{classes}" data-view="both">'
        f'<header class="masthead"><div class="wrap">{_masthead(reading, spoken, t)}'
        f"{_language_nav(reading, languages, index, t)}</div></header>"
        f'<main id="main">{player_section(reading, audio, t)}{_text(reading, spoken, t)}'
        f"{shortcuts_section(t) if audio else ''}{_about(reading, audio_signature, t)}</main>"
        '<footer><div class="wrap" lang="en" dir="ltr">'
        f"toolkit {escape(__version__)}</div></footer>"
        "</div>"
    )
    script = ""
    if audio is not None and cues:
        script = player_script(reading, cues)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language.code}" dir="{language.direction}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="toolkit {escape(__version__)}">\n'
        f"<title>{escape(title)} \u2014 {escape(language.native_name)}</title>\n"
        f"<style>{asset('reader.css')}</style>\n</head>\n<body>\n{body}\n{script}\n"
        "</body>\n</html>\n"
    )


@dataclass(frozen=True)
class ReaderResult:
    """What :func:`write_reader` wrote."""

    path: Path
    """The page."""
    changed: bool
    """False when the page on disk already held exactly these bytes."""
    sentences: int
    """Sentences with a cue (the ones the player highlights)."""


def write_reader(
    doc: Speech | TranslatedSpeech,
    folder: Path,
    *,
    cues: Sequence[Cue] | None = None,
    audio: Path | None = None,
    languages: Sequence[str] = (),
    index: str | None = INDEX_NAME,
    audio_signature: str | None = None,
) -> ReaderResult:
    """Write ``folder/<slug>.<lang>.html`` atomically (only when its bytes change).

    ``audio`` is the MP3 the page plays (it must be in ``folder`` or below it); ``cues``
    default to the ``.vtt`` beside it.
    """
    lang = doc.lang
    audio_url = None
    if audio is not None:
        if cues is None:
            cues = read_cues(audio.with_suffix(".vtt"))
        audio_url = audio.name
        if audio_signature is None and audio.is_file():
            from toolkit.export.epub import reading_signature

            audio_signature = reading_signature(audio)
    text = render_reader(
        doc,
        cues or (),
        audio=audio_url,
        languages=languages,
        index=index,
        audio_signature=audio_signature,
    )
    path = folder / reader_name(doc.slug, lang)
    changed = write_text_atomic(path, text)
    return ReaderResult(path, changed, len(cues or ()) if audio_url else 0)


__all__ = ["ReaderResult", "render_reader", "write_reader"]
