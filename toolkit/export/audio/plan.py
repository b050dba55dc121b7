"""What a reading says, in order: the title block and the body, as blocks of utterances.

:func:`reading_plan` turns a Speech or TranslatedSpeech into paragraph blocks of
sentences, each with the text shown in the transcript and the text the engine hears (after
the pronunciation lexicon); chapters are made from these blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.document import FRONT_MATTER_KINDS, Cue, Meta, Speech, TranslatedSpeech
from toolkit.errors import InputError
from toolkit.languages import get_language
from toolkit.tts.lexicon import Lexicon
from toolkit.tts.registry import ENGINES as TTS_ENGINES

TTS_CHOICES: tuple[str, ...] = tuple(TTS_ENGINES)
"""Accepted ``--tts`` values: the TTS registry's names."""
ISO_639_2 = {"en": "eng", "fr": "fra", "es": "spa", "ru": "rus", "ar": "ara", "zh": "zho"}
RENDER_TAG = "toolkit:render"
"""ID3 TXXX description holding the hash of everything that went into the MP3."""
_SPEAKABLE = re.compile(r"\w")


@dataclass(frozen=True)
class Chapter:
    """One ID3 chapter: a paragraph of the reading."""

    id: str
    """Paragraph ID (``p07``), or ``title`` for a title block made from metadata."""
    title: str
    """Paragraph number and first words (``7. In accordance with the relevant…``)."""
    start: float
    """Start in seconds (the paragraph's first sentence starts here)."""
    end: float
    """End in seconds (the next chapter's start, or the end of the audio)."""


@dataclass(frozen=True)
class AudioResult:
    """What :func:`render_audio` produced."""

    lang: str
    """Language read."""
    mp3: Path
    """The MP3 file."""
    vtt: Path
    """The WebVTT transcript."""
    duration_s: float
    """Duration of the audio in seconds (exact: from the sample count)."""
    engine: str
    """Engine that actually spoke (``gtts``, ``espeak`` or ``silent``; never ``auto``)."""
    voice: str
    """Voice or gTTS language code used."""
    signature: str
    """Engine signature (engine, version, voice, speed), also stored in the MP3's tags."""
    fallback_reason: str | None
    """Why ``auto`` did not use gTTS (announce it to the user), else None."""
    cues: tuple[Cue, ...]
    """One cue per sentence read, in order."""
    chapters: tuple[Chapter, ...]
    """One chapter per paragraph read, in order."""
    synthesized: int
    """Sentences the engine synthesised in this run."""
    cached: int
    """Sentences taken from the speech cache."""
    encoded: bool
    """False when the MP3 on disk already held exactly this rendering (nothing encoded or
    reassembled); True when the MP3 was (re)built, even wholly from cached chunks."""
    chunks_encoded: int = 0
    """MP3 chunks (paragraph blocks) lameenc encoded in this run."""
    chunks_reused: int = 0
    """MP3 chunks taken from the chunk cache."""


@dataclass(frozen=True)
class _Utterance:
    paragraph: str
    sentence_id: str
    text: str
    spoken: str


@dataclass(frozen=True)
class _Block:
    id: str
    number: int
    utterances: tuple[_Utterance, ...]


def _paragraph_number(paragraph_id: str, position: int) -> int:
    digits = re.fullmatch(r"p0*(\d+)", paragraph_id)
    return int(digits.group(1)) if digits else position


_Paragraphs = list[tuple[str, str, list[tuple[str, str]]]]


def _reading(doc: Speech | TranslatedSpeech, lang: str) -> tuple[str, Meta, _Paragraphs]:
    """(language, meta, [(paragraph id, kind, [(sentence id, text)])]) in reading order."""
    code = get_language(lang).code
    if isinstance(doc, TranslatedSpeech):
        if code != doc.lang:
            raise InputError(
                f"This translation is in {doc.lang!r}, not {code!r}.",
                f"Give the {code} translation JSON, or the source speech to translate it.",
            )
        paragraphs = [
            (p.id, p.kind, [(s.id, s.text) for s in p.sentences if s.text.strip()])
            for p in doc.paragraphs
        ]
        return code, doc.meta, paragraphs
    if code != doc.lang:
        raise InputError(
            f"The speech is in {doc.lang!r}; it cannot be read in {code!r} untranslated.",
            f"Translate it first (`toolkit translate SOURCE --to {code}`) or give the source .md.",
        )
    paragraphs = [
        (p.id, p.kind, [(s.id, s.text) for s in p.sentences if s.text.strip()])
        for p in doc.paragraphs
    ]
    return code, doc.meta, paragraphs


def _spoken(text: str, lexicon: Lexicon) -> str:
    return " ".join(lexicon.apply(text).split())


def reading_plan(
    doc: Speech | TranslatedSpeech, lang: str, lexicon: Lexicon | None = None
) -> list[_Block]:
    """The paragraphs and sentences to read, with their spoken (lexicon-applied) forms."""
    code, meta, paragraphs = _reading(doc, lang)
    lexicon = lexicon if lexicon is not None else Lexicon(code, ())
    blocks: list[_Block] = []
    if not any(kind in FRONT_MATTER_KINDS for _, kind, _ in paragraphs):
        lines = [(f"meta-{f}", getattr(meta, f)) for f in ("title", "speaker", "role")]
        title_block = [(i, t) for i, t in lines if t and t.strip()]
        paragraphs = [("title", "title", title_block), *paragraphs]
    for position, (paragraph_id, _kind, sentences) in enumerate(paragraphs, 1):
        utterances = tuple(
            _Utterance(paragraph_id, sid, text.strip(), _spoken(text, lexicon))
            for sid, text in sentences
        )
        utterances = tuple(u for u in utterances if _SPEAKABLE.search(u.spoken))
        if utterances:
            blocks.append(
                _Block(paragraph_id, _paragraph_number(paragraph_id, position), utterances)
            )
    if not blocks:
        raise InputError(
            "Nothing to read: the document has no non-empty sentence.",
            "Check the input: segment the source again, or translate it again.",
        )
    return blocks


def _chapter_title(block: _Block, lang: str) -> str:
    text = " ".join(u.text for u in block.utterances)
    if lang == "zh":
        words = text[:16] + ("…" if len(text) > 16 else "")
    else:
        parts = text.split()
        words = " ".join(parts[:8]) + ("…" if len(parts) > 8 else "")
    return f"{block.number}. {words}"


