"""Read-along web pages: one self-contained page per language, and the pack's index page.

A reader (``<slug>.<lang>.html``) shows the speech in its language beside the English
original (side by side on wide screens, stacked on narrow ones, one language at a time on
request) and plays the MP3 beside it, highlighting the sentence being read from the audio
reading's cues. It needs no network: CSS and script are inlined, fonts are the system's
(named per script, with fallbacks), the only reference is the pack's own MP3.

Accessibility is built in, not added: landmarks and a skip link, one ``h1``, ``lang`` and
``dir`` on every passage, the current sentence marked with ``aria-current`` and an
underline as well as a colour, keyboard shortcuts that act only while the focus is in the
reader (so a screen reader keeps its keys), reflow down to 320 px, dark mode, forced
colours and reduced motion respected. ``index.html`` lists every language of the pack by
its native name, with its reader and files, their sizes and the reading's duration.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from toolkit import __version__
from toolkit.document import Cue, Speech, TranslatedSpeech
from toolkit.export.html.model import Passage, Reading, check_cues, read_cues, reading_of
from toolkit.export.html.strings import ReaderStrings, reader_strings
from toolkit.export.paths import write_text_atomic
from toolkit.languages import SOURCE_LANGUAGE, TARGET_LANGUAGES, get_language

SPEEDS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
"""Playback speeds the reader offers."""
INDEX_NAME = "index.html"


def reader_name(slug: str, lang: str) -> str:
    """``<slug>.<lang>.html``."""
    return f"{slug}.{lang}.html"


@cache
def asset(name: str) -> str:
    """The text of a bundled asset (``reader.css``, ``reader.js``)."""
    return resources.files("toolkit.export").joinpath("assets", name).read_text(encoding="utf-8")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _attrs(lang: str) -> str:
    language = get_language(lang)
    return f'lang="{language.code}" dir="{language.direction}"'


def _format_date(iso: str, lang: str) -> str:
    from toolkit.export.pdf_strings import format_date

    return format_date(iso, lang)


def notice_text(reading: Reading) -> str | None:
    """The provenance notice in the page's language (machine translation or reference)."""
    if not reading.bilingual or reading.engine is None:
        return None
    from toolkit.export.pdf_strings import notice

    extra: dict[str, object] = dict(reading.extra)
    extra.setdefault("model", reading.model)
    extra.setdefault("model_version", reading.model_version)
    if reading.engine == "reference":
        extra.setdefault("reference", reading.model)
    return notice(reading.lang, reading.engine, extra)


def _sentence(
    line_id: str, text: str, flags: Sequence[str], spoken: bool, t: ReaderStrings, primary: bool
) -> str:
    classes = "s flag" if flags else "s"
    ident = f' id="{_e(line_id)}"' if primary else ""
    focus = ' tabindex="0"' if primary and spoken else ""
    out = f'<span class="{classes}" data-s="{_e(line_id)}"{ident}{focus}>{_e(text)}'
    if flags:
        out += (
            '<span class="flag-mark" aria-hidden="true">\u2691</span>'
            f'<span class="visually-hidden"> {_e(t.flagged.format(flags=", ".join(flags)))}</span>'
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
            parts.append(f'<h1 id="{_e(passage.id)}">{content}</h1>')
            h1_done = True
        else:
            parts.append(f'<p class="{_e(passage.kind)}" id="{_e(passage.id)}">{content}</p>')
    if not h1_done:  # a speech without a title line still gets its one h1
        title = reading.meta.title or reading.source_meta.title or reading.slug
        parts.insert(0, f"<h1>{_e(title)}</h1>")
    if reading.bilingual:
        originals = [f"<p>{_lines(p, spoken, t, original=True)}</p>" for p in front if p.original]
        if originals:
            parts.append(
                f'<div class="translation-of" {_attrs(reading.source_lang)}>'
                + "".join(originals)
                + "</div>"
            )
    facts = []
    meta = reading.meta
    if any(p.kind in {"dateline", "byline"} for p in front):
        meta = replace(meta, speaker=None, venue=None, date=None)  # the title block says it
    if meta.speaker:
        who = f"{meta.speaker}, {meta.role}" if meta.role else meta.speaker
        facts.append((t.speaker, _e(who)))
    if meta.venue:
        facts.append((t.venue, _e(meta.venue)))
    if meta.date:
        shown = _format_date(meta.date, reading.lang)
        facts.append((t.date, f'<time datetime="{_e(meta.date)}">{_e(shown)}</time>'))
    if facts:
        parts.append(
            "<dl>" + "".join(f"<div><dt>{_e(k)}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>"
        )
    notice = notice_text(reading)
    if notice:
        parts.append(f'<p class="notice">{_e(notice)}</p>')
    return "".join(parts)


def _language_nav(
    reading: Reading, languages: Sequence[str], index: str | None, t: ReaderStrings
) -> str:
    items = []
    for code in languages:
        language = get_language(code)
        current = ' aria-current="page"' if code == reading.lang else ""
        items.append(
            f'<li><a href="{_e(reader_name(reading.slug, code))}" hreflang="{code}" '
            f"{_attrs(code)}{current}>{_e(language.native_name)}</a></li>"
        )
    if index:
        items.append(f'<li><a href="{_e(index)}">{_e(t.all_files)}</a></li>')
    if not items:
        return ""
    return f'<nav class="languages" aria-label="{_e(t.languages)}"><ul>{"".join(items)}</ul></nav>'


def _player(reading: Reading, audio: str | None, t: ReaderStrings) -> str:
    if audio is None:
        return (
            f'<section class="player" aria-labelledby="player-h"><div class="wrap">'
            f'<h2 id="player-h">{_e(t.player)}</h2><p>{_e(t.no_audio)}</p></div></section>'
        )
    speeds = "".join(
        f'<option value="{s:g}"{" selected" if s == 1.0 else ""}>{s:g}\u00d7</option>'
        for s in SPEEDS
    )

    def button(action: str, label: str, extra: str = "") -> str:
        return f'<button type="button" data-action="{action}"{extra}>{_e(label)}</button>'

    controls = "".join(
        [
            button("prev-paragraph", t.prev_paragraph),
            button("prev-sentence", t.prev_sentence),
            button(
                "play",
                t.play,
                f' id="play" data-play="{_e(t.play)}" data-pause="{_e(t.pause)}"',
            ),
            button("next-sentence", t.next_sentence),
            button("next-paragraph", t.next_paragraph),
            f'<label>{_e(t.speed)} <select id="speed" dir="ltr">{speeds}</select></label>',
            '<label class="shortcut-toggle"><input type="checkbox" id="shortcuts-on" checked> '
            f"{_e(t.shortcuts_enabled)}</label>",
        ]
    )
    view = ""
    if reading.bilingual:
        target = get_language(reading.lang).native_name
        source = get_language(reading.source_lang).native_name
        options = [
            ("both", t.both),
            ("target", t.only.format(language=target)),
            ("original", t.only.format(language=source)),
        ]
        view = (
            f'<fieldset class="view"><legend>{_e(t.show)}</legend>'
            + "".join(
                f'<label><input type="radio" name="view" value="{v}"'
                f"{' checked' if v == 'both' else ''}> {_e(label)}</label>"
                for v, label in options
            )
            + "</fieldset>"
        )
    return (
        '<section class="player" aria-labelledby="player-h"><div class="wrap">'
        f'<h2 id="player-h">{_e(t.player)}</h2>'
        f'<audio id="audio" controls preload="metadata" src="{_e(audio)}" '
        f'aria-label="{_e(t.audio_label)}"></audio>'
        f'<div id="player-controls" class="controls" hidden>{controls}</div>'
        f"{view}</div></section>"
    )


def _text(reading: Reading, spoken: set[str], t: ReaderStrings) -> str:
    rows = []
    target_attrs = _attrs(reading.lang)
    source_attrs = _attrs(reading.source_lang)
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
        rows.append(f'<div class="passage" id="{_e(passage.id)}">{"".join(cells)}</div>')
    head = ""
    if reading.bilingual:
        head = (
            '<div class="columns-head" aria-hidden="true">'
            f"<p {target_attrs}>{_e(get_language(reading.lang).native_name)}</p>"
            f"<p>{_e(t.original)}</p></div>"
        )
    return (
        f'<section id="text" class="wrap" aria-labelledby="text-h" tabindex="-1">'
        f'<h2 id="text-h">{_e(t.text)}</h2>{head}{"".join(rows)}</section>'
    )


def _shortcuts(t: ReaderStrings) -> str:
    keys = [
        ("<kbd>K</kbd>", t.key_play),
        ("<kbd>J</kbd> / <kbd>L</kbd>", t.key_sentence),
        ("<kbd>Shift</kbd>+<kbd>J</kbd> / <kbd>Shift</kbd>+<kbd>L</kbd>", t.key_paragraph),
        ("<kbd>&lt;</kbd> / <kbd>&gt;</kbd>", t.key_speed),
        ("<kbd>Enter</kbd>", t.key_enter),
    ]
    rows = "".join(f'<dt dir="ltr">{k}</dt><dd>{_e(v)}</dd>' for k, v in keys)
    return (
        '<section class="shortcuts wrap" aria-labelledby="keys-h">'
        f'<h2 id="keys-h">{_e(t.shortcuts)}</h2><p>{_e(t.shortcuts_scope)}</p>'
        f"<dl>{rows}</dl></section>"
    )


def _about(reading: Reading, audio_signature: str | None, t: ReaderStrings) -> str:
    lines = []
    notice = notice_text(reading)
    if notice:
        lines.append(f"<p>{_e(notice)}</p>")
    if reading.notice:
        lines.append(f'<p lang="en" dir="ltr">{_e(reading.notice)}</p>')
    if reading.bilingual and reading.engine:
        provenance = " ".join(
            x for x in (reading.engine, reading.model, reading.model_version) if x
        )
        lines.append(f'<p lang="en" dir="ltr">Translation: {_e(provenance)}</p>')
    if audio_signature:
        lines.append(f'<p lang="en" dir="ltr">Audio: {_e(audio_signature)}</p>')
    if not lines:
        return ""
    return (
        '<section class="about wrap" aria-labelledby="about-h">'
        f'<h2 id="about-h">{_e(t.about)}</h2>{"".join(lines)}</section>'
    )


def _cue_data(reading: Reading, cues: Sequence[Cue]) -> str:
    paragraph_of = reading.paragraph_of()
    data = {
        "cues": [
            {
                "id": c.sentence_id,
                "p": paragraph_of[c.sentence_id],
                "start": round(c.start, 3),
                "end": round(c.end, 3),
            }
            for c in cues
        ]
    }
    # "</" cannot end the script element early: JSON allows the escaped slash.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


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
        f'<a class="skip" href="#text">{_e(t.skip)}</a>'
        f'<div id="reader" class="{classes}" data-view="both">'
        f'<header class="masthead"><div class="wrap">{_masthead(reading, spoken, t)}'
        f"{_language_nav(reading, languages, index, t)}</div></header>"
        f'<main id="main">{_player(reading, audio, t)}{_text(reading, spoken, t)}'
        f"{_shortcuts(t) if audio else ''}{_about(reading, audio_signature, t)}</main>"
        f'<footer><div class="wrap" lang="en" dir="ltr">toolkit {_e(__version__)}</div></footer>'
        "</div>"
    )
    script = ""
    if audio is not None and cues:
        script = (
            f'<script type="application/json" id="reader-data">{_cue_data(reading, cues)}'
            f"</script><script>{asset('reader.js')}</script>"
        )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{language.code}" dir="{language.direction}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="toolkit {_e(__version__)}">\n'
        f"<title>{_e(title)} \u2014 {_e(language.native_name)}</title>\n"
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


# --------------------------------------------------------------------------- index page


@dataclass(frozen=True)
class PackFile:
    """One file of a language, as the index lists it."""

    name: str
    """File name, relative to the index page."""
    kind: str
    """``reader``, ``pdf``, ``mp3``, ``vtt``, ``epub`` or ``zip``."""
    bytes: int
    """Size in bytes."""


@dataclass(frozen=True)
class PackLanguage:
    """One language of the pack, as the index lists it."""

    lang: str
    """Language code."""
    files: tuple[PackFile, ...]
    """Its files, in :data:`FILE_KINDS` order."""
    duration_s: float | None = None
    """Duration of its audio reading, if there is one."""
    title: str | None = None
    """The speech's title in this language."""


FILE_KINDS: tuple[str, ...] = ("reader", "pdf", "mp3", "vtt", "epub", "zip")
_KIND_LABELS = {
    "reader": "Read along (web page)",
    "pdf": "PDF",
    "mp3": "MP3 audio",
    "vtt": "Transcript (WebVTT)",
    "epub": "EPUB talking book",
    "zip": "Zip of the files",
}


def file_kind(slug: str, lang: str, name: str) -> str | None:
    """The :data:`FILE_KINDS` entry of a pack file name of ``lang``, or None."""
    if name == reader_name(slug, lang):
        return "reader"
    if name.endswith(".pdf") and (
        name == f"{slug}.{lang}.pdf" or name.startswith(f"{slug}.{SOURCE_LANGUAGE}-{lang}")
    ):
        return "pdf"
    for kind in ("mp3", "vtt", "epub", "zip"):
        if name == f"{slug}.{lang}.{kind}":
            return kind
    return None


def human_size(size: int) -> str:
    """``1234567`` → ``1.2 MB`` (decimal units, as file managers show them)."""
    if size < 1000:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1000
        if value < 999.5 or unit == "GB":
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover - unreachable


def human_duration(seconds: float) -> str:
    """``489.6`` → ``8:10``; an hour or more → ``1:02:03``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def render_index(slug: str, title: str, languages: Sequence[PackLanguage]) -> str:
    """The pack's ``index.html``: each language by its native name, with its files."""
    rows = []
    for entry in languages:
        language = get_language(entry.lang)
        links = "".join(
            f'<li><a href="{_e(f.name)}" type="{_MEDIA_TYPES[f.kind]}"'
            f"{' hreflang=' + chr(34) + entry.lang + chr(34)}>{_e(_KIND_LABELS[f.kind])}</a>"
            f" ({_e(human_size(f.bytes))})</li>"
            for f in entry.files
        )
        duration = human_duration(entry.duration_s) if entry.duration_s is not None else "\u2014"
        title_cell = f"<span {_attrs(entry.lang)}>{_e(entry.title)}</span>" if entry.title else ""
        rows.append(
            f'<tr><th scope="row"><span {_attrs(entry.lang)}>{_e(language.native_name)}</span>'
            + (f" ({_e(language.name)})" if language.name != language.native_name else "")
            + f"</th><td>{title_cell}</td>"
            + f'<td><ul class="files-list">{links}</ul></td>'
            + f'<td class="duration">{_e(duration)}</td></tr>'
        )
    table = (
        '<table class="files"><caption class="visually-hidden">Languages and files</caption>'
        '<thead><tr><th scope="col">Language</th><th scope="col">Title</th>'
        '<th scope="col">Files</th><th scope="col">Audio</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    body = (
        '<a class="skip" href="#main">Skip to the languages</a>'
        f'<header class="masthead"><div class="wrap"><h1>{_e(title)}</h1>'
        "<p>The statement in the official languages: read it beside the English original "
        "while it is read aloud, listen to it, or take it with you.</p></div></header>"
        f'<main id="main" tabindex="-1"><div class="wrap"><h2>Languages</h2>{table}'
        "<p>Translations are unofficial; only documents issued by the United Nations are "
        "authoritative. Each read-along page works offline, from this folder.</p></div></main>"
        f'<footer><div class="wrap">toolkit {_e(__version__)}</div></footer>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="toolkit {_e(__version__)}">\n'
        f"<title>{_e(title)} \u2014 {_e(slug)}</title>\n<style>{asset('reader.css')}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


_MEDIA_TYPES = {
    "reader": "text/html",
    "pdf": "application/pdf",
    "mp3": "audio/mpeg",
    "vtt": "text/vtt",
    "epub": "application/epub+zip",
    "zip": "application/zip",
}


def _language_order(lang: str) -> int:
    order = (SOURCE_LANGUAGE, *TARGET_LANGUAGES)
    return order.index(lang) if lang in order else len(order)


def pack_languages(
    folder: Path, slug: str, titles: dict[str, str] | None = None
) -> list[PackLanguage]:
    """The languages whose files are in ``folder``, as :func:`render_index` wants them.

    Durations come from each language's transcript (its last cue ends with the audio).
    """
    from toolkit.languages import LANGUAGES

    found: list[PackLanguage] = []
    names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    for lang in sorted(LANGUAGES, key=_language_order):
        files = [
            PackFile(name, kind, (folder / name).stat().st_size)
            for name in names
            if (kind := file_kind(slug, lang, name)) is not None
        ]
        if not files:
            continue
        files.sort(key=lambda f: (FILE_KINDS.index(f.kind), f.name))
        duration = None
        vtt = folder / f"{slug}.{lang}.vtt"
        if vtt.is_file():
            try:
                cues = read_cues(vtt)
            except Exception:  # noqa: BLE001 - a foreign transcript: just no duration
                cues = ()
            duration = cues[-1].end if cues else None
        found.append(PackLanguage(lang, tuple(files), duration, (titles or {}).get(lang)))
    return found


def _titles_in(folder: Path, slug: str) -> dict[str, str]:
    """Each language's title, from the Speech and translation JSONs in the pack folder."""
    import json

    titles: dict[str, str] = {}
    for path in (folder / f"{slug}.speech.json", *sorted(folder.glob(f"{slug}.*.json"))):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            lang, title = data["lang"], (data.get("meta") or {}).get("title")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # not a document of the pack: no title for it
        if isinstance(lang, str) and isinstance(title, str) and title:
            titles.setdefault(lang, title)
    return titles


def write_index(
    folder: Path, slug: str, title: str, languages: Sequence[PackLanguage] | None = None
) -> bool:
    """Write ``folder/index.html`` (from the files in the folder unless ``languages`` is given)."""
    entries = (
        list(languages)
        if languages is not None
        else pack_languages(folder, slug, _titles_in(folder, slug))
    )
    return write_text_atomic(folder / INDEX_NAME, render_index(slug, title, entries))


__all__ = [
    "FILE_KINDS",
    "INDEX_NAME",
    "PackFile",
    "PackLanguage",
    "ReaderResult",
    "file_kind",
    "human_duration",
    "human_size",
    "pack_languages",
    "reader_name",
    "render_index",
    "render_reader",
    "write_index",
    "write_reader",
]
