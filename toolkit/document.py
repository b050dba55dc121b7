"""The typed objects that flow between stages, and their JSON form.

``SourceText`` (ingest) → ``Speech`` (segment) → ``TranslatedSpeech`` (translate/align) →
files (PDF, audio with ``Cue`` timings). Every object is a frozen dataclass; every later
artefact is keyed by the stable paragraph and sentence IDs (``p07``, ``p07s02``), never by
list positions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import InputError
from toolkit.provenance import Provenance, Signature, TranslationProvenance

ParagraphKind = Literal[
    "title", "subtitle", "dateline", "byline", "salutation", "body", "heading", "item", "closing"
]
PARAGRAPH_KINDS: tuple[str, ...] = (
    "title",
    "subtitle",
    "dateline",
    "byline",
    "salutation",
    "body",
    "heading",
    "item",
    "closing",
)
"""Every paragraph kind. ``heading`` is a section heading inside the body ("I. Introduction",
"Article 2"): its own paragraph, never numbered as a paragraph, a chapter of its own in audio.
``item`` is one item of a list ("• …", "(a) …", "1. …"), marker included in its text."""
FRONT_MATTER_KINDS: tuple[str, ...] = ("title", "subtitle", "dateline", "byline")

SPEECH_FORMAT = "toolkit.speech/1"
TRANSLATION_FORMAT = "toolkit.translation/2"
"""Version 2: typed ``provenance`` (with a :class:`Signature`) instead of the free-form
``extra`` of version 1. Version 1 files still load (their ``extra`` is read once, here)."""
OLD_TRANSLATION_FORMATS: tuple[str, ...] = ("toolkit.translation/1",)


SourceFormat = Literal["text", "pdf", "docx", "html"]
LineRole = Literal["body", "header", "footer", "page-number", "footnote"]
RepairKind = Literal[
    "header",
    "footer",
    "page-number",
    "page-break",
    "column-break",
    "hyphenation",
    "footnote",
    "footnote-mark",
    "boilerplate",
]
REPAIR_LABELS: dict[str, str] = {
    "header": "dropped running header",
    "footer": "dropped running footer",
    "page-number": "dropped page number",
    "page-break": "rejoined page-break split",
    "column-break": "rejoined column-break split",
    "hyphenation": "rejoined hyphenated line end",
    "footnote": "kept footnote apart",
    "footnote-mark": "removed footnote mark",
    "boilerplate": "left out page furniture",
}
"""How ``toolkit segment --explain`` names each kind of :class:`Repair`."""


@dataclass(frozen=True)
class SourceLine:
    """One line of a laid-out document, where the reader could see its position."""

    text: str
    """The line's text, white space normalised."""
    page: int
    """1-based page number (``0`` when the format has no pages)."""
    top: float | None = None
    """Distance of the line's top from the top of the page, in points (PDF only)."""
    left: float | None = None
    """Distance of the line's left edge from the left of the page, in points (PDF only)."""
    width: float | None = None
    """Width of the line in points (PDF only)."""
    size: float | None = None
    """Font size in points, where known."""
    bold: bool = False
    """The whole line is bold (font weight or name, or a resolved Word style)."""
    column: int = 0
    """0 for a full-width line, 1 or 2 for the left or right column of a two-column page."""
    role: LineRole = "body"
    """What the reader took the line for; only ``body`` lines reach :attr:`SourceText.text`."""


@dataclass(frozen=True)
class SourcePage:
    """One page of a PDF as the reader saw it."""

    number: int
    """1-based page number."""
    width: float
    """Page width in points."""
    height: float
    """Page height in points."""
    columns: int
    """1, or 2 when the page (or part of it) is set in two columns."""
    lines: tuple[SourceLine, ...]
    """Every text line of the page, top to bottom, dropped ones included (see ``role``)."""


@dataclass(frozen=True)
class Footnote:
    """A footnote, kept apart from the body text (never spliced into a sentence)."""

    mark: str
    """The footnote's mark as printed (``1``, ``*``), '' when it has none."""
    text: str
    """The footnote's text, lines joined, without its mark."""
    page: int
    """Page it was printed on (``0`` when the format has no pages)."""


@dataclass(frozen=True)
class Repair:
    """One thing the reader dropped or rejoined, for ``toolkit segment --explain``."""

    kind: RepairKind
    """What was done (see :data:`REPAIR_LABELS`)."""
    page: int
    """Page where it happened (for a join: the page of the first piece; ``0``: no pages)."""
    text: str
    """The dropped text, or the text around the join (``… countering | terrorism …``)."""


@dataclass(frozen=True)
class SourceText:
    """A decoded source file, before segmentation.

    ``text`` is always clean text in the convention the segmenter reads for ``source/*.md``:
    one block per paragraph, a blank line between blocks, bold blocks as ``**…**``. For a
    PDF, Word file or web page the reader also records what it saw (pages, lines with their
    positions and weight), the footnotes it kept apart and every repair it made.
    """

    path: str
    """Path of the file as given by the user."""
    text: str
    """Decoded text: NFC-normalised, ``\\n`` newlines, no BOM."""
    sha256: str
    """SHA-256 of the raw bytes of the file."""
    encoding: str
    """Encoding the bytes were decoded from (``utf-8``, ``utf-8-sig``, ``utf-16``,
    ``utf-16-le``, ``utf-16-be``, ``cp1252``; ``pdf``/``docx`` for binary formats)."""
    lang: str
    """Language of the text (from the ``<slug>.<lang>.<ext>`` name, else ``en``)."""
    slug: str
    """Speech identifier: the file name without ``.<lang>.<ext>``; outputs go to
    ``<out>/<slug>/``."""
    format: SourceFormat = "text"
    """What the file was: plain text/Markdown, PDF, Word (.docx) or a saved web page."""
    pages: tuple[SourcePage, ...] = ()
    """Pages with positioned lines (PDF only)."""
    footnotes: tuple[Footnote, ...] = ()
    """Footnotes, in order, kept out of :attr:`text`."""
    repairs: tuple[Repair, ...] = ()
    """What was dropped or rejoined to make :attr:`text`, in document order."""
    title: str | None = None
    """Headline found in the document's own markup (web page ``<h1>``, Word ``Title``)."""
    dateline: str | None = None
    """Date line found in the document's own markup (web page ``<time>``), if any."""
    document_symbol: str | None = None
    """UN document or press-release symbol (``SG/SM/21234``) read from the markup, if any."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph."""

    id: str
    """Stable ID, ``p07s02``: paragraph 7, sentence 2."""
    text: str
    """The sentence, exactly ``paragraph.text[start:end]``."""
    start: int
    """Offset of the first character in the paragraph's cleaned text."""
    end: int
    """Offset just past the last character in the paragraph's cleaned text."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (or front-matter line) of a speech."""

    id: str
    """Stable ID, ``p07``."""
    kind: str
    """One of :data:`PARAGRAPH_KINDS`."""
    text: str
    """Cleaned text: repaired page breaks, no markup, normalised whitespace."""
    sentences: tuple[Sentence, ...]
    """The paragraph split into sentences, in order, covering all of ``text``."""


@dataclass(frozen=True)
class Meta:
    """Front matter of a speech. Every field is optional: not every speech has all of them."""

    title: str | None = None
    """Title, lines joined, without markup."""
    subtitle: str | None = None
    """Subtitle or theme of the session."""
    event: str | None = None
    """Name of the meeting or conference, when the title block names one."""
    venue: str | None = None
    """Place (``Malaga/virtual platform``)."""
    date: str | None = None
    """ISO date ``YYYY-MM-DD``."""
    speaker: str | None = None
    """Name of the speaker only (``Michèle Coninsx``)."""
    role: str | None = None
    """Speaker's title and function (``Assistant Secretary-General …, Executive Director``)."""
    symbol: str | None = None
    """UN document symbol or press-release number (``SG/SM/21531``); never the title."""
    delivery: str | None = None
    """Delivery status the text states: ``as delivered``, ``as prepared for delivery`` or
    ``check against delivery`` (normalised, whatever the language of the mark)."""


@dataclass(frozen=True)
class Speech:
    """A segmented speech: front matter plus ordered paragraphs of sentences."""

    source: str
    """Path of the source file."""
    source_sha256: str
    """SHA-256 of the source file's bytes."""
    slug: str
    """Speech identifier (see :class:`SourceText`)."""
    lang: str
    """Language of the text."""
    meta: Meta
    """Front matter."""
    paragraphs: tuple[Paragraph, ...]
    """Paragraphs in reading order, front matter (title, subtitle, dateline, byline) included."""
    footnotes: tuple[Footnote, ...] = ()
    """The source's footnotes, in order (:attr:`SourceText.footnotes`): kept apart from the
    paragraphs, so no sentence ever contains one."""

    def sentences(self) -> Iterator[Sentence]:
        """All sentences in reading order."""
        for paragraph in self.paragraphs:
            yield from paragraph.sentences

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """The paragraph with this ID (``KeyError`` if there is none)."""
        for paragraph in self.paragraphs:
            if paragraph.id == paragraph_id:
                return paragraph
        raise KeyError(paragraph_id)

    def body(self) -> tuple[Paragraph, ...]:
        """Paragraphs after the front matter (salutations, body, closing)."""
        return tuple(p for p in self.paragraphs if p.kind not in FRONT_MATTER_KINDS)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (see the README, "Speech JSON")."""
        data: dict[str, Any] = {
            "format": SPEECH_FORMAT,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "slug": self.slug,
            "lang": self.lang,
            "meta": asdict(self.meta),
            "paragraphs": [
                {
                    "id": p.id,
                    "kind": p.kind,
                    "text": p.text,
                    "sentences": [asdict(s) for s in p.sentences],
                }
                for p in self.paragraphs
            ],
        }
        if self.footnotes:  # only when there are some: a speech without any keeps its old JSON
            data["footnotes"] = [asdict(note) for note in self.footnotes]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Speech:
        """Inverse of :meth:`to_dict`; raises :class:`InputError` on malformed data."""
        try:
            return cls(
                source=data["source"],
                source_sha256=data.get("source_sha256", ""),
                slug=data["slug"],
                lang=data["lang"],
                meta=Meta(**data.get("meta", {})),
                paragraphs=tuple(
                    Paragraph(
                        id=p["id"],
                        kind=p["kind"],
                        text=p["text"],
                        sentences=tuple(Sentence(**s) for s in p["sentences"]),
                    )
                    for p in data["paragraphs"]
                ),
                footnotes=tuple(Footnote(**note) for note in data.get("footnotes") or ()),
            )
        except (KeyError, TypeError) as exc:
            raise InputError(
                f"Not a toolkit Speech document: missing or bad field {exc}.",
                "Produce one with `toolkit segment SOURCE --json`.",
            ) from exc


@dataclass(frozen=True)
class TranslatedSentence:
    """One sentence in the target language, keyed by the source sentence ID."""

    id: str
    """The source sentence's ID."""
    source: str
    """The source sentence text."""
    text: str
    """The translation ('' when nothing aligned; see ``provenance.flags``)."""
    provenance: Provenance
    """How ``text`` was produced."""


@dataclass(frozen=True)
class TranslatedParagraph:
    """A paragraph in the target language, with the same ID and kind as in the source."""

    id: str
    """The source paragraph's ID."""
    kind: str
    """The source paragraph's kind."""
    sentences: tuple[TranslatedSentence, ...]
    """One entry per source sentence, same order, same IDs."""

    @property
    def text(self) -> str:
        """The translated paragraph: its non-empty sentences joined."""
        return join_sentences(s.text for s in self.sentences)


_FULL_WIDTH_ENDINGS = "。！？；：，、」』）"


def join_sentences(texts: Iterable[str]) -> str:
    """Join sentences into paragraph text: one space between them, none after CJK punctuation."""
    out = ""
    for text in texts:
        if not text:
            continue
        if out and out[-1] not in _FULL_WIDTH_ENDINGS:
            out += " "
        out += text
    return out


@dataclass(frozen=True)
class TranslatedSpeech:
    """A speech in a target language, aligned 1:1 with the source speech's sentence IDs."""

    speech: Speech
    """The source speech it was translated from."""
    lang: str
    """Target language."""
    meta: Meta
    """Front matter in the target language (title, role, venue translated; date and name kept)."""
    paragraphs: tuple[TranslatedParagraph, ...]
    """One entry per source paragraph, same IDs."""
    engine: str
    """Engine that produced it (``argos``, ``reference``, ``fake``, …)."""
    notice: str | None = None
    """What the reader must be told about it (for example: unofficial reference translation)."""
    provenance: TranslationProvenance | None = None
    """How the whole translation was made (None when nothing was recorded: see :attr:`origin`)."""

    @property
    def origin(self) -> TranslationProvenance:
        """:attr:`provenance`, or the engine's name alone where nothing more was recorded."""
        return self.provenance or TranslationProvenance.of_engine(self.engine)

    @property
    def source_lang(self) -> str:
        """Language of the source speech."""
        return self.speech.lang

    @property
    def slug(self) -> str:
        """Speech identifier."""
        return self.speech.slug

    def sentences(self) -> Iterator[TranslatedSentence]:
        """All translated sentences in reading order."""
        for paragraph in self.paragraphs:
            yield from paragraph.sentences

    def texts(self) -> dict[str, str]:
        """``{sentence_id: translated text}``."""
        return {s.id: s.text for s in self.sentences()}

    def flagged(self) -> list[TranslatedSentence]:
        """Sentences a reviewer should look at."""
        return [s for s in self.sentences() if s.provenance.flags]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (see the README, "Translation JSON")."""
        return {
            "format": TRANSLATION_FORMAT,
            "source_lang": self.source_lang,
            "lang": self.lang,
            "slug": self.slug,
            "engine": self.engine,
            "notice": self.notice,
            "provenance": self.provenance.to_dict() if self.provenance else None,
            "meta": asdict(self.meta),
            "paragraphs": [
                {
                    "id": p.id,
                    "kind": p.kind,
                    "sentences": [
                        {
                            "id": s.id,
                            "source": s.source,
                            "text": s.text,
                            "provenance": {
                                **asdict(s.provenance),
                                "flags": list(s.provenance.flags),
                            },
                        }
                        for s in p.sentences
                    ],
                }
                for p in self.paragraphs
            ],
            "speech": self.speech.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TranslatedSpeech:
        """Inverse of :meth:`to_dict`; raises :class:`InputError` on malformed data.

        A version-1 file (``extra`` instead of ``provenance``) still loads: its ``extra`` is
        converted by :meth:`TranslationProvenance.from_v1_extra`. A newer format is refused.
        """
        form = data.get("format", OLD_TRANSLATION_FORMATS[0])
        if form != TRANSLATION_FORMAT and form not in OLD_TRANSLATION_FORMATS:
            raise InputError(
                f"This translation file is in format {form!r}, which this toolkit cannot read.",
                "It was made by a newer toolkit: upgrade, or rebuild it with this one.",
            )
        try:
            if form == TRANSLATION_FORMAT:
                raw = data.get("provenance")
                provenance = TranslationProvenance.from_dict(raw) if raw else None
            else:
                provenance = TranslationProvenance.from_v1_extra(
                    data["engine"], data.get("extra") or {}
                )
            return cls(
                speech=Speech.from_dict(data["speech"]),
                lang=data["lang"],
                meta=Meta(**data.get("meta", {})),
                engine=data["engine"],
                notice=data.get("notice"),
                provenance=provenance,
                paragraphs=tuple(
                    TranslatedParagraph(
                        id=p["id"],
                        kind=p["kind"],
                        sentences=tuple(
                            TranslatedSentence(
                                id=s["id"],
                                source=s["source"],
                                text=s["text"],
                                provenance=Provenance(
                                    **{**s["provenance"], "flags": tuple(s["provenance"]["flags"])}
                                ),
                            )
                            for s in p["sentences"]
                        ),
                    )
                    for p in data["paragraphs"]
                ),
            )
        except (KeyError, TypeError) as exc:
            raise InputError(
                f"Not a toolkit translation document: missing or bad field {exc}.",
                "Produce one with `toolkit translate SOURCE --to LANG`.",
            ) from exc


@dataclass(frozen=True)
class Cue:
    """Timing of one spoken sentence in an audio file."""

    sentence_id: str
    """ID of the sentence spoken (``title`` block sentences included)."""
    start: float
    """Start, in seconds from the beginning of the audio."""
    end: float
    """End, in seconds."""
    text: str = ""
    """Text shown in the transcript (the original, not the pronunciation-normalised one)."""


def dumps(obj: Speech | TranslatedSpeech) -> str:
    """Serialise a stage object as pretty, stable JSON (UTF-8, not ASCII-escaped)."""
    return json.dumps(obj.to_dict(), ensure_ascii=False, indent=2) + "\n"


def load_json_document(path: Path) -> Speech | TranslatedSpeech:
    """Load a Speech or TranslatedSpeech JSON file, telling them apart by their ``format``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"File not found: {path}", "Check the path.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path} is not valid JSON: {exc}",
            "Give a JSON file written by `toolkit segment --json` or `toolkit translate`.",
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"{path} is not a toolkit JSON document.")
    from toolkit.document_checks import check_format, check_translation

    check_format(path, data)
    if data.get("format") in (TRANSLATION_FORMAT, *OLD_TRANSLATION_FORMATS) or "speech" in data:
        return check_translation(TranslatedSpeech.from_dict(data), path)
    return Speech.from_dict(data)


__all__ = [
    "Cue",
    "FRONT_MATTER_KINDS",
    "Meta",
    "PARAGRAPH_KINDS",
    "Paragraph",
    "ParagraphKind",
    "Provenance",
    "Signature",
    "TranslationProvenance",
    "Sentence",
    "Footnote",
    "REPAIR_LABELS",
    "Repair",
    "SourceLine",
    "SourcePage",
    "SourceText",
    "Speech",
    "TranslatedParagraph",
    "TranslatedSentence",
    "TranslatedSpeech",
    "dumps",
    "join_sentences",
    "load_json_document",
]
