"""The pack's index page, ``index.html``: every language of the pack by its native name, with
its title, its files (reader, PDF, MP3, transcript, EPUB, zip) and their sizes, and the
duration of its audio reading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit import __version__
from toolkit.export.html.model import read_cues
from toolkit.export.html.page import INDEX_NAME, asset, escape, lang_attrs, reader_name
from toolkit.export.paths import write_text_atomic
from toolkit.languages import SOURCE_LANGUAGE, TARGET_LANGUAGES, get_language


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
            f'<li><a href="{escape(f.name)}" type="{_MEDIA_TYPES[f.kind]}"'
            f"{' hreflang=' + chr(34) + entry.lang + chr(34)}>{escape(_KIND_LABELS[f.kind])}</a>"
            f" ({escape(human_size(f.bytes))})</li>"
            for f in entry.files
        )
        duration = human_duration(entry.duration_s) if entry.duration_s is not None else "\u2014"
        title_cell = (
            f"<span {lang_attrs(entry.lang)}>{escape(entry.title)}</span>" if entry.title else ""
        )
        rows.append(
            f'<tr><th scope="row"><span {lang_attrs(entry.lang)}>'
            f"{escape(language.native_name)}</span>"
            + (f" ({escape(language.name)})" if language.name != language.native_name else "")
            + f"</th><td>{title_cell}</td>"
            + f'<td><ul class="files-list">{links}</ul></td>'
            + f'<td class="duration">{escape(duration)}</td></tr>'
        )
    table = (
        '<table class="files"><caption class="visually-hidden">Languages and files</caption>'
        '<thead><tr><th scope="col">Language</th><th scope="col">Title</th>'
        '<th scope="col">Files</th><th scope="col">Audio</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    body = (
        '<a class="skip" href="#main">Skip to the languages</a>'
        f'<header class="masthead"><div class="wrap"><h1>{escape(title)}</h1>'
        "<p>The statement in the official languages: read it beside the English original "
        "while it is read aloud, listen to it, or take it with you.</p></div></header>"
        f'<main id="main" tabindex="-1"><div class="wrap"><h2>Languages</h2>{table}'
        "<p>Translations are unofficial; only documents issued by the United Nations are "
        "authoritative. Each read-along page works offline, from this folder.</p></div></main>"
        f'<footer><div class="wrap">toolkit {escape(__version__)}</div></footer>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="toolkit {escape(__version__)}">\n'
        f"<title>{escape(title)} \u2014 {escape(slug)}</title>\n"
        f"<style>{asset('reader.css')}</style>\n"
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
    "PackFile",
    "PackLanguage",
    "file_kind",
    "human_duration",
    "human_size",
    "pack_languages",
    "render_index",
    "write_index",
]
