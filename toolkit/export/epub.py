"""EPUB 3.3 talking books: the text synchronised with its audio reading by Media Overlays.

``<slug>.<lang>.epub`` holds, for one language:

* ``text.xhtml`` — the title block and the speech, one ``<span id="p07s02">`` per sentence,
  ``xml:lang``/``lang`` and ``dir`` on the document and on every passage in another
  language;
* ``original.xhtml`` (translations only) — the English original, paragraph by paragraph.
  **Bilingual design:** every paragraph of the translation ends with a short link, ``EN``, to
  the same paragraph of the original, which links back; the reading (and the audio) stays
  in the delegate's language, the original is one activation away, and a reading app's
  "back" returns to the place;
* ``text.smil`` — one ``<par>`` per sentence read, its clip running from the sentence's start
  to the next sentence's start (the pause after a sentence belongs to it), so the clips tile
  the whole MP3: they are in reading order and add up to its duration;
* ``nav.xhtml`` — table of contents by heading and by paragraph, and landmarks;
* the MP3, stored uncompressed; the package document with the EPUB Accessibility 1.1
  metadata (access modes, features including ``synchronizedAudioText``, hazards, summary,
  ``dcterms:conformsTo``) and ``media:duration`` per overlay and in total.

The zip is written by hand (``mimetype`` first, stored, no extra field), with fixed
timestamps: the same inputs give the same bytes. ebooklib is not used (AGPL, and it writes
an invalid ``duration``).
"""

from __future__ import annotations

import hashlib
import html
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from toolkit import __version__
from toolkit.document import Cue, Speech, TranslatedSpeech
from toolkit.errors import InputError
from toolkit.export.html.model import (
    Line,
    Passage,
    Reading,
    check_cues,
    notice_text,
    read_cues,
    reading_of,
)
from toolkit.export.html.page import asset
from toolkit.export.html.strings import ReaderStrings, reader_strings
from toolkit.export.paths import ZIP_DATE, atomic_output
from toolkit.languages import get_language

EPUB_MEDIA_TYPE = "application/epub+zip"
ACTIVE_CLASS = "-epub-media-overlay-active"
PLAYING_CLASS = "-epub-media-overlay-playing"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
_DURATION_SLACK_S = 0.1
"""How far the MP3's duration may be from the last cue's end before the audio is refused as
belonging to another text (they agree to the frame for a reading the toolkit made)."""


@dataclass(frozen=True)
class EpubResult:
    """What :func:`write_epub` wrote."""

    path: Path
    """The EPUB."""
    changed: bool
    """False when the file on disk already held exactly these bytes."""
    clips: int
    """Media-overlay clips (sentences read); 0 for an EPUB without audio."""
    duration_s: float | None
    """Total media-overlay duration (the MP3's), or None without audio."""


def epub_name(slug: str, lang: str) -> str:
    """``<slug>.<lang>.epub``."""
    return f"{slug}.{lang}.epub"


def _x(text: str) -> str:
    return html.escape(text, quote=True)


def clock(seconds: float) -> str:
    """A SMIL clock value, ``H:MM:SS.mmm``."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{secs:02d}.{millis:03d}"


@dataclass(frozen=True)
class Clip:
    """One media-overlay clip: a sentence and the stretch of audio that reads it."""

    sentence_id: str
    """The sentence (its ``id`` in ``text.xhtml``)."""
    begin: float
    """Clip start in seconds."""
    end: float
    """Clip end in seconds."""


def clips_for(cues: Sequence[Cue], duration_s: float) -> list[Clip]:
    """Clips that tile ``[0, duration_s]``: each from its cue's start to the next cue's start."""
    clips = []
    for i, cue in enumerate(cues):
        begin = 0.0 if i == 0 else cue.start
        end = cues[i + 1].start if i + 1 < len(cues) else duration_s
        clips.append(Clip(cue.sentence_id, begin, end))
    return clips


def mp3_duration(path: Path) -> float:
    """Duration of an MP3 as players read it (its Xing/LAME header; mutagen)."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        info = MP3(path).info
    except (MutagenError, OSError) as exc:
        raise InputError(f"Cannot read the MP3 {path}: {exc}.", "Render the audio again.") from None
    if info is None:
        raise InputError(f"{path} holds no MP3 audio.", "Render the audio again.")
    return float(info.length)


def reading_signature(path: Path) -> str | None:
    """Who reads the MP3, from the tag the toolkit's audio stage writes (``toolkit 0.1.0;
    engine:espeak-ng|version:1.52|voice:ar|wpm:175`` → the signature after ``;``)."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    try:
        frames = ID3(path).getall("TSSE")
    except (MutagenError, OSError):
        return None
    text = str(frames[0].text[0]) if frames else ""
    return text.split(";", 1)[1].strip() if ";" in text else None


def _first_words(passage: Passage, lang: str) -> str:
    text = " ".join(line.text for line in passage.lines)
    if lang == "zh":
        return text[:16] + ("…" if len(text) > 16 else "")
    words = text.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def _doc_open(lang: str, title: str, stylesheet: bool = True) -> str:
    language = get_language(lang)
    link = '<link rel="stylesheet" type="text/css" href="style.css"/>' if stylesheet else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{language.code}" xml:lang="{language.code}" dir="{language.direction}">\n'
        f'<head><meta charset="UTF-8"/><title>{_x(title)}</title>{link}</head>\n'
    )


def _lang_attrs(lang: str) -> str:
    language = get_language(lang)
    return f'lang="{language.code}" xml:lang="{language.code}" dir="{language.direction}"'


def _spans(lines: Sequence[Line], t: ReaderStrings, with_ids: bool, prefix: str = "") -> str:
    out = []
    for line in lines:
        ident = f' id="{prefix}{_x(line.id)}"' if with_ids else ""
        if line.flags:
            note = t.flagged.format(flags=", ".join(line.flags))
            out.append(
                f'<span class="flagged"{ident}>{_x(line.text)}'
                f'<span class="visually-hidden"> {_x(note)}</span></span>'
            )
        else:
            out.append(f"<span{ident}>{_x(line.text)}</span>")
    return " ".join(out)


def _text_document(reading: Reading, t: ReaderStrings, title: str) -> str:
    front = [p for p in reading.passages if p.front_matter and p.lines]
    body = [p for p in reading.passages if not p.front_matter]
    parts = ['<body epub:type="bodymatter">', '<section id="masthead" class="masthead">']
    h1 = False
    for passage in front:
        content = _spans(passage.lines, t, True)
        if passage.kind == "title" and not h1:
            parts.append(f'<h1 id="{_x(passage.id)}">{content}</h1>')
            h1 = True
        else:
            parts.append(f'<p id="{_x(passage.id)}">{content}</p>')
    if not h1:
        parts.insert(2, f"<h1>{_x(title)}</h1>")
    notice = notice_text(reading)
    if notice:
        parts.append(f'<p class="notice">{_x(notice)}</p>')
    parts.append("</section>")
    parts.append(
        '<section id="text" epub:type="chapter" role="doc-chapter" aria-labelledby="text-h">'
        f'<h2 id="text-h">{_x(t.text)}</h2>'
    )
    source = get_language(reading.source_lang)
    for passage in body:
        tag = "h3" if passage.kind == "heading" else "p"
        link = ""
        if reading.bilingual and passage.original:
            label = t.original_paragraph.format(number=passage.number)
            link = (
                f' <a class="original-link" href="original.xhtml#o-{_x(passage.id)}" '
                f'id="back-{_x(passage.id)}"><span {_lang_attrs(source.code)}>'
                f'{source.code.upper()}</span><span class="visually-hidden"> {_x(label)}</span></a>'
            )
        parts.append(f'<{tag} id="{_x(passage.id)}">{_spans(passage.lines, t, True)}{link}</{tag}>')
    parts.append("</section></body></html>\n")
    return _doc_open(reading.lang, title) + "".join(parts)


def _original_document(reading: Reading, t: ReaderStrings) -> str:
    source = reading.source_lang
    title = reading.source_meta.title or reading.slug
    parts = [
        '<body epub:type="backmatter">',
        f'<section id="original" {_lang_attrs(source)} aria-labelledby="original-h">',
        f'<h1 id="original-h" {_lang_attrs(reading.lang)}>{_x(t.original)}</h1>',
    ]
    for passage in reading.passages:
        if not passage.original:
            continue
        content = _spans(passage.original, t, False)
        back = ""
        if not passage.front_matter:
            label = t.back_to_translation.format(number=passage.number)
            back = (
                f' <a class="original-link" href="text.xhtml#{_x(passage.id)}" '
                f"{_lang_attrs(reading.lang)}>{_x(label)}</a>"
            )
        parts.append(f'<p id="o-{_x(passage.id)}">{content}{back}</p>')
    parts.append("</section></body></html>\n")
    return _doc_open(reading.lang, title) + "".join(parts)


def _nav_document(reading: Reading, t: ReaderStrings, title: str) -> str:
    items = [f'<li><a href="text.xhtml#masthead">{_x(title)}</a></li>']
    paragraphs = [
        f'<li><a href="text.xhtml#{_x(p.id)}">'
        f"{_x(t.paragraph.format(number=p.number))}: {_x(_first_words(p, reading.lang))}</a></li>"
        for p in reading.passages
        if not p.front_matter and p.lines
    ]
    sub = f"<ol>{''.join(paragraphs)}</ol>" if paragraphs else ""
    items.append(f'<li><a href="text.xhtml#text">{_x(t.text)}</a>{sub}</li>')
    if reading.bilingual:
        items.append(f'<li><a href="original.xhtml#original">{_x(t.original)}</a></li>')
    landmarks = [
        f'<li><a epub:type="toc" href="nav.xhtml#toc">{_x(t.contents)}</a></li>',
        f'<li><a epub:type="bodymatter" href="text.xhtml#text">{_x(t.text)}</a></li>',
    ]
    if reading.bilingual:
        landmarks.append(
            '<li><a epub:type="backmatter" href="original.xhtml#original">'
            f"{_x(t.original)}</a></li>"
        )
    return (
        _doc_open(reading.lang, t.contents, stylesheet=True)
        + '<body><nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-h">'
        f'<h1 id="toc-h">{_x(t.contents)}</h1><ol>{"".join(items)}</ol></nav>'
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden" aria-labelledby="landmarks-h">'
        f'<h2 id="landmarks-h">{_x(t.contents)}</h2><ol>{"".join(landmarks)}</ol></nav>'
        "</body></html>\n"
    )


def _smil(clips: Sequence[Clip], audio_href: str) -> str:
    pars = "".join(
        f'<par id="par-{_x(c.sentence_id)}"><text src="text.xhtml#{_x(c.sentence_id)}"/>'
        f'<audio src="{_x(audio_href)}" clipBegin="{clock(c.begin)}" clipEnd="{clock(c.end)}"/>'
        "</par>\n"
        for c in clips
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" '
        'version="3.0">\n<body>\n<seq id="seq-text" epub:textref="text.xhtml" '
        f'epub:type="bodymatter">\n{pars}</seq>\n</body>\n</smil>\n'
    )


def _summary(reading: Reading, audio: bool) -> str:
    language = get_language(reading.lang)
    parts = [f"The statement in {language.name}"]
    if reading.bilingual:
        parts.append(
            ", with the English original of each paragraph one link away (and a link back)"
        )
    text = "".join(parts) + ". "
    if audio:
        text += (
            "Every sentence is synchronised with a full audio reading (Media Overlays), so the "
            "book can be read, listened to, or both, with the sentence being read highlighted. "
        )
    text += (
        "Navigation by heading and by paragraph; language and direction marked throughout; "
        "no images, no tables, no hazards."
    )
    return text


def _package(
    reading: Reading,
    title: str,
    clips: Sequence[Clip],
    audio_name: str | None,
    narrator: str | None,
    modified: datetime,
) -> str:
    language = get_language(reading.lang)
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"toolkit:{reading.slug}:{reading.lang}")
    meta = [
        f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
        f"<dc:title>{_x(title)}</dc:title>",
        f"<dc:language>{language.code}</dc:language>",
    ]
    if reading.bilingual:
        meta.append(f"<dc:language>{reading.source_lang}</dc:language>")
    if reading.meta.speaker:
        meta.append(f"<dc:creator>{_x(reading.meta.speaker)}</dc:creator>")
    date = reading.meta.date or reading.source_meta.date
    if date and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):  # W3CDTF, or EPUBCheck warns
        meta.append(f"<dc:date>{date}</dc:date>")
    notice = notice_text(reading)
    if notice:
        meta.append(f"<dc:description>{_x(notice)}</dc:description>")
    meta.append(
        f'<meta property="dcterms:modified">{modified.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>'
    )
    modes = ["textual", "auditory"] if audio_name else ["textual"]
    for mode in modes:
        meta.append(f'<meta property="schema:accessMode">{mode}</meta>')
    sufficient = ["textual", "auditory", "textual,auditory"] if audio_name else ["textual"]
    for mode in sufficient:
        meta.append(f'<meta property="schema:accessModeSufficient">{mode}</meta>')
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    if audio_name:
        features.insert(0, "synchronizedAudioText")
    for feature in features:
        meta.append(f'<meta property="schema:accessibilityFeature">{feature}</meta>')
    meta.append('<meta property="schema:accessibilityHazard">none</meta>')
    meta.append(
        '<meta property="schema:accessibilitySummary" xml:lang="en">'
        f"{_x(_summary(reading, bool(audio_name)))}</meta>"
    )
    meta.append(f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>')
    meta.append(f'<meta property="a11y:certifiedBy">toolkit {_x(__version__)}</meta>')
    meta.append(f'<meta name="generator" content="toolkit {_x(__version__)}"/>')
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    overlay = ' media-overlay="mo-text"' if audio_name else ""
    manifest.append(
        f'<item id="text" href="text.xhtml" media-type="application/xhtml+xml"{overlay}/>'
    )
    # The landmarks link to the table of contents: the nav document is a (non-linear) spine item.
    spine = ['<itemref idref="text"/>']
    if reading.bilingual:
        manifest.append(
            '<item id="original" href="original.xhtml" media-type="application/xhtml+xml"/>'
        )
        spine.append('<itemref idref="original"/>')
    if audio_name:
        total = clips[-1].end if clips else 0.0
        meta += [
            f'<meta property="media:duration" refines="#mo-text">{clock(total)}</meta>',
            f'<meta property="media:duration">{clock(total)}</meta>',
            f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>',
            f'<meta property="media:playback-active-class">{PLAYING_CLASS}</meta>',
        ]
        if narrator:
            meta.append(f'<meta property="media:narrator">{_x(narrator)}</meta>')
        manifest += [
            '<item id="mo-text" href="text.smil" media-type="application/smil+xml"/>',
            f'<item id="audio" href="audio/{_x(audio_name)}" media-type="audio/mpeg"/>',
        ]
    direction = f' page-progression-direction="{language.direction}"'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" '
        f'xml:lang="{language.code}" dir="{language.direction}" '
        'prefix="a11y: http://www.idpf.org/epub/vocab/package/a11y/#">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(meta)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(manifest)
        + f"\n</manifest>\n<spine{direction}>\n"
        + "\n".join([*spine, '<itemref idref="nav" linear="no"/>'])
        + "\n</spine>\n</package>\n"
    )


CONTAINER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '<rootfiles><rootfile full-path="EPUB/package.opf" '
    'media-type="application/oebps-package+xml"/></rootfiles>\n</container>\n'
)


def _default_modified(reading: Reading) -> datetime:
    """``dcterms:modified`` when none is given: ``SOURCE_DATE_EPOCH`` if set, else the
    statement's date (midnight UTC), else 2000-01-01 — never the clock, so the same inputs
    give the same bytes (a parallel and a serial build give the same pack)."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    try:
        return datetime.fromisoformat(reading.meta.date or reading.source_meta.date or "")
    except ValueError:
        return datetime(2000, 1, 1, tzinfo=UTC)


def build_epub(
    doc: Speech | TranslatedSpeech,
    *,
    audio: Path | None = None,
    cues: Sequence[Cue] | None = None,
    narrator: str | None = None,
    modified: datetime | None = None,
) -> tuple[dict[str, bytes], list[Clip]]:
    """The files of the EPUB (path in the zip → bytes, ``mimetype`` first) and its clips.

    ``audio`` is the reading's MP3; ``cues`` default to the ``.vtt`` beside it. Raises
    InputError when the cues or the MP3 do not belong to this text.
    """
    reading = reading_of(doc)
    t = reader_strings(reading.lang)
    title = reading.meta.title or reading.source_meta.title or reading.slug
    clips: list[Clip] = []
    audio_name = None
    audio_bytes = b""
    if audio is not None:
        cues = tuple(cues) if cues is not None else read_cues(audio.with_suffix(".vtt"))
        check_cues(reading, cues)
        if not cues:
            raise InputError(
                f"The transcript of {audio.name} has no cue.", "Render the audio again."
            )
        duration = mp3_duration(audio)
        if abs(duration - cues[-1].end) > _DURATION_SLACK_S:
            raise InputError(
                f"{audio.name} lasts {duration:.2f} s but its transcript ends at "
                f"{cues[-1].end:.2f} s: they are not from the same reading.",
                "Render the audio again: `toolkit audio INPUT`.",
            )
        clips = clips_for(cues, duration)
        narrator = narrator or reading_signature(audio)
        audio_name = audio.name
        audio_bytes = audio.read_bytes()
    when = modified or _default_modified(reading)
    files: dict[str, bytes] = {
        "mimetype": EPUB_MEDIA_TYPE.encode("ascii"),
        "META-INF/container.xml": CONTAINER.encode("utf-8"),
        "EPUB/package.opf": _package(reading, title, clips, audio_name, narrator, when).encode(),
        "EPUB/nav.xhtml": _nav_document(reading, t, title).encode("utf-8"),
        "EPUB/style.css": asset("epub.css").encode("utf-8"),
        "EPUB/text.xhtml": _text_document(reading, t, title).encode("utf-8"),
    }
    if reading.bilingual:
        files["EPUB/original.xhtml"] = _original_document(reading, t).encode("utf-8")
    if audio_name:
        files["EPUB/text.smil"] = _smil(clips, f"audio/{audio_name}").encode("utf-8")
        files[f"EPUB/audio/{audio_name}"] = audio_bytes
    return files, clips


def write_epub(
    doc: Speech | TranslatedSpeech,
    folder: Path,
    *,
    audio: Path | None = None,
    cues: Sequence[Cue] | None = None,
    narrator: str | None = None,
    modified: datetime | None = None,
) -> EpubResult:
    """Write ``folder/<slug>.<lang>.epub`` atomically; see :func:`build_epub`.

    The file is rewritten only when its content changes (``dcterms:modified`` aside, so a
    rebuild with nothing changed leaves it untouched).
    """
    path = folder / epub_name(doc.slug, doc.lang)
    files, clips = build_epub(doc, audio=audio, cues=cues, narrator=narrator, modified=modified)
    digest = _content_digest(files)
    if path.is_file() and _existing_digest(path) == digest:
        return EpubResult(path, False, len(clips), clips[-1].end if clips else None)
    with atomic_output(path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            stored = name == "mimetype" or name.endswith(".mp3")
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        archive.comment = f"toolkit:{digest}".encode("ascii")
    return EpubResult(path, True, len(clips), clips[-1].end if clips else None)


def _content_digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name, data in files.items():
        if name == "EPUB/package.opf":
            lines = data.split(b"\n")
            data = b"\n".join(line for line in lines if b"dcterms:modified" not in line)
        digest.update(name.encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _existing_digest(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            comment = archive.comment.decode("ascii", "replace")
    except (OSError, zipfile.BadZipFile):
        return None
    return comment.removeprefix("toolkit:") if comment.startswith("toolkit:") else None


__all__ = [
    "Clip",
    "EpubResult",
    "build_epub",
    "clips_for",
    "clock",
    "epub_name",
    "mp3_duration",
    "reading_signature",
    "write_epub",
]
