"""What a read-along page and an EPUB show: a speech's passages in both languages, and cues.

Both exporters read the same :class:`Reading`: per paragraph, the sentences in the page's
language (each keyed by its stable ID, so a cue of the audio reading finds it) and, for a
translation, the English sentences beside them. A document without front-matter paragraphs
gets the title block the audio reading made from its metadata (``meta-title`` …), so every
cue has a sentence to highlight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.document import FRONT_MATTER_KINDS, Cue, Meta, Speech, TranslatedSpeech
from toolkit.errors import InputError
from toolkit.languages import SOURCE_LANGUAGE
from toolkit.provenance import TranslationProvenance


@dataclass(frozen=True)
class Line:
    """One sentence as shown."""

    id: str
    """Stable sentence ID (``p07s02``; ``meta-title`` for a title block made from metadata)."""
    text: str
    """The sentence."""
    flags: tuple[str, ...] = ()
    """Quality or alignment flags a reader must be told about (translations only)."""


@dataclass(frozen=True)
class Passage:
    """One paragraph in the page's language, with the original beside it."""

    id: str
    """Paragraph ID (``p07``), or ``title`` for a title block made from metadata."""
    kind: str
    """Paragraph kind (title, subtitle, dateline, byline, salutation, body, closing…)."""
    number: int
    """Paragraph number as the speech counts it (``p07`` is 7)."""
    lines: tuple[Line, ...]
    """Sentences in the page's language (empty ones left out)."""
    original: tuple[Line, ...]
    """The same paragraph in the source language; empty for the source language's own page."""

    @property
    def front_matter(self) -> bool:
        """True for the title block (title, subtitle, dateline, byline)."""
        return self.kind in FRONT_MATTER_KINDS


@dataclass(frozen=True)
class Reading:
    """A speech as the reader and the EPUB present it, in one language."""

    slug: str
    """Speech identifier."""
    lang: str
    """The page's language."""
    source_lang: str
    """Language of the original."""
    meta: Meta
    """Front matter in the page's language."""
    source_meta: Meta
    """Front matter of the original."""
    passages: tuple[Passage, ...]
    """Paragraphs in reading order, front matter first."""
    engine: str | None
    """Translation engine (None for the original)."""
    model: str | None
    """Model package or reference file of the translation."""
    model_version: str | None
    """Model version or reference file SHA-256."""
    notice: str | None
    """The translation's own notice (in English), if any."""
    provenance: TranslationProvenance | None
    """How the translation was made, as its notice tells it (None for the original)."""

    @property
    def bilingual(self) -> bool:
        """True when the original is shown beside the page's language."""
        return self.lang != self.source_lang

    def sentence_ids(self) -> list[str]:
        """IDs of the sentences in the page's language, in reading order."""
        return [line.id for passage in self.passages for line in passage.lines]

    def paragraph_of(self) -> dict[str, str]:
        """``{sentence_id: paragraph_id}`` for the page's language."""
        return {line.id: p.id for p in self.passages for line in p.lines}


def _number(paragraph_id: str, position: int) -> int:
    digits = re.fullmatch(r"p0*(\d+)", paragraph_id)
    return int(digits.group(1)) if digits else position


def _meta_block(meta: Meta) -> tuple[Line, ...]:
    # The same title block toolkit.export.audio reads when a document has no front matter.
    fields = [(f"meta-{name}", getattr(meta, name)) for name in ("title", "speaker", "role")]
    return tuple(Line(i, t.strip()) for i, t in fields if t and t.strip())


def reading_of(doc: Speech | TranslatedSpeech) -> Reading:
    """The :class:`Reading` of a Speech (its own language) or a translation (beside English)."""
    speech = doc.speech if isinstance(doc, TranslatedSpeech) else doc
    originals = {
        p.id: tuple(Line(s.id, s.text.strip()) for s in p.sentences if s.text.strip())
        for p in speech.paragraphs
    }
    passages: list[Passage] = []
    if isinstance(doc, TranslatedSpeech):
        for position, p in enumerate(doc.paragraphs, 1):
            lines = tuple(
                Line(s.id, s.text.strip(), tuple(s.provenance.flags))
                for s in p.sentences
                if s.text.strip()
            )
            passages.append(
                Passage(p.id, p.kind, _number(p.id, position), lines, originals.get(p.id, ()))
            )
        first = next(iter(doc.sentences()), None)
        engine: str | None
        model: str | None
        version: str | None
        notice: str | None
        engine, model, version = (
            doc.engine,
            first.provenance.model if first else None,
            first.provenance.model_version if first else None,
        )
        lang, meta, notice = doc.lang, doc.meta, doc.notice
        provenance: TranslationProvenance | None = doc.origin
    else:
        for position, paragraph in enumerate(speech.paragraphs, 1):
            passages.append(
                Passage(
                    paragraph.id,
                    paragraph.kind,
                    _number(paragraph.id, position),
                    originals[paragraph.id],
                    (),
                )
            )
        engine, model, version, notice = None, None, None, None
        lang, meta, provenance = speech.lang, speech.meta, None
    if not any(p.front_matter for p in passages):
        original = _meta_block(speech.meta) if lang != speech.lang else ()
        passages.insert(0, Passage("title", "title", 0, _meta_block(meta), original))
    passages = [p for p in passages if p.lines or p.original]
    if not any(p.lines for p in passages):
        raise InputError(
            "Nothing to show: the document has no non-empty sentence.",
            "Check the input: segment the source again, or translate it again.",
        )
    return Reading(
        slug=speech.slug,
        lang=lang,
        source_lang=speech.lang or SOURCE_LANGUAGE,
        meta=meta,
        source_meta=speech.meta,
        passages=tuple(passages),
        engine=engine,
        model=model,
        model_version=version,
        notice=notice,
        provenance=provenance,
    )


def notice_text(reading: Reading) -> str | None:
    """The provenance notice in the page's language (machine translation or reference)."""
    if not reading.bilingual or reading.provenance is None:
        return None
    from toolkit.export.pdf_strings import notice

    return notice(reading.lang, reading.provenance)


_TIMING = re.compile(
    r"^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})\s+-->\s+(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})"
)


def _seconds(hours: str | None, minutes: str, secs: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def parse_vtt(text: str, source: str = "transcript") -> tuple[Cue, ...]:
    """The cues of a WebVTT transcript whose cue identifiers are sentence IDs.

    That is the transcript :func:`toolkit.export.audio.render_audio` writes; raises
    :class:`InputError` for anything else (no header, a cue without identifier, a cue
    ending before it starts or before the previous one starts).
    """
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    if not lines or not lines[0].startswith("WEBVTT"):
        raise InputError(f"{source} is not a WebVTT file.", "Make it with `toolkit audio`.")
    cues: list[Cue] = []
    blocks = "\n".join(lines[1:]).split("\n\n")
    for block in blocks:
        rows = [row for row in block.split("\n") if row.strip()]
        if not rows or rows[0].startswith("NOTE"):
            continue
        timing_row = next((i for i, row in enumerate(rows) if "-->" in row), None)
        match = _TIMING.match(rows[timing_row]) if timing_row is not None else None
        if match is None or timing_row != 1:
            raise InputError(
                f"{source}: a cue without a sentence ID or timing ({rows[0][:40]!r}).",
                "Give the .vtt that `toolkit audio` wrote beside the MP3.",
            )
        start = _seconds(*match.groups()[:4])
        end = _seconds(*match.groups()[4:])
        if end < start or (cues and start < cues[-1].start):
            raise InputError(
                f"{source}: cue {rows[0]} is out of order or ends before it starts.",
                "Give the .vtt that `toolkit audio` wrote beside the MP3.",
            )
        text_rows = "\n".join(rows[2:])
        text_rows = text_rows.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append(Cue(rows[0].strip(), start, end, text_rows))
    return tuple(cues)


def read_cues(path: Path) -> tuple[Cue, ...]:
    """:func:`parse_vtt` of a file (InputError when it is missing or unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"No transcript {path}.", "Make the audio first: `toolkit audio INPUT`."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {path}: {exc}.") from None
    return parse_vtt(text, str(path))


def check_cues(reading: Reading, cues: Sequence[Cue]) -> None:
    """Refuse cues that do not belong to this text (an MP3 of another speech or language).

    Every cue must name a sentence of the page's language, in reading order. Sentences
    without a cue are allowed (nothing speakable in them, e.g. a lone dash).
    """
    order = {sid: i for i, sid in enumerate(reading.sentence_ids())}
    last = -1
    for cue in cues:
        position = order.get(cue.sentence_id)
        if position is None or position <= last:
            raise InputError(
                f"The audio transcript does not match this {reading.lang} text "
                f"(cue {cue.sentence_id!r}).",
                "Render the audio again from this translation: `toolkit audio INPUT`.",
            )
        last = position


@dataclass(frozen=True)
class PackInput:
    """A document of the pack and the audio reading beside it (what ``toolkit html``/``epub``
    start from)."""

    doc: Speech | TranslatedSpeech
    """The translation (or, for English, the Speech) to present."""
    folder: Path
    """The pack folder the input is in; outputs go there, beside the MP3."""
    audio: Path | None
    """The MP3 to synchronise with, or None (text only)."""


def load_pack_input(path: Path, audio: Path | None = None, *, use_audio: bool = True) -> PackInput:
    """Load a translation JSON or Speech JSON of a pack, with its audio reading.

    The audio defaults to ``<slug>.<lang>.mp3`` beside the input; its transcript (``.vtt``)
    must be beside the MP3. Raises InputError with the command that fixes what is missing.
    """
    from toolkit.document import load_json_document

    if path.suffix.lower() != ".json":
        raise InputError(
            f"{path} is not a translation JSON.",
            "Give <slug>.<lang>.json (or <slug>.speech.json for English) from the pack folder "
            "that `toolkit build` or `toolkit translate` wrote.",
        )
    doc = load_json_document(path)
    folder = path.parent
    if not use_audio:
        return PackInput(doc, folder, None)
    mp3 = audio if audio is not None else folder / f"{doc.slug}.{doc.lang}.mp3"
    if not mp3.is_file():
        raise InputError(
            f"No audio reading {mp3}.",
            f"Make it with `toolkit audio {path}`, or pass --no-audio for the text alone.",
        )
    if not mp3.with_suffix(".vtt").is_file():
        raise InputError(
            f"No transcript {mp3.with_suffix('.vtt')} beside the audio.",
            f"Render the audio again with `toolkit audio {path}` (it writes both).",
        )
    return PackInput(doc, folder, mp3)


def pack_languages_present(folder: Path, slug: str) -> list[str]:
    """Languages of the pack in ``folder`` that have a document (and so can have a reader)."""
    from toolkit.languages import TARGET_LANGUAGES

    present = [SOURCE_LANGUAGE] if (folder / f"{slug}.speech.json").is_file() else []
    return present + [
        lang for lang in TARGET_LANGUAGES if (folder / f"{slug}.{lang}.json").is_file()
    ]


__all__ = [
    "Line",
    "Passage",
    "Reading",
    "PackInput",
    "check_cues",
    "load_pack_input",
    "notice_text",
    "pack_languages_present",
    "parse_vtt",
    "read_cues",
    "reading_of",
]
