"""The ``reference`` engine: use a human translation, aligned to the English sentence IDs.

A reference translation of ``source/<slug>.en.md`` is ``source/<slug>.<lang>.md`` (or
``.txt``) beside it. It is segmented like any speech, then aligned to the English
:class:`~toolkit.document.Speech`: paragraphs first (front matter and body told apart by the
paragraph kinds), then the sentences inside each aligned paragraph group, with the
length-based aligner of :mod:`toolkit.translate.align`. The result is the same
:class:`~toolkit.document.TranslatedSpeech` machine translation produces, so every exporter
treats both alike.

Nothing is lost or duplicated:

* every English sentence gets exactly one :class:`~toolkit.document.TranslatedSentence`;
* reference text with no English counterpart (a translator's note, an added sentence) is
  attached to a neighbouring English sentence and flagged ``attached``;
* an English sentence with no counterpart gets ``''`` and the flag ``unaligned``;
* when one reference sentence translates several English sentences (a ``2-1`` bead), its
  text goes on the first English sentence (flag ``merged``) and the others get ``''`` with
  the flag ``merged-into:<id of the first>``;
* beads scoring below :data:`LOW_CONFIDENCE` are flagged ``low-confidence``.

Concatenating the translated sentences in order gives back every reference sentence once, in
the reference's order (:meth:`SpeechAlignment.reference_order`).

A reference file may carry the notice shown to readers (for example "Unofficial reference
translation prepared for the toolkit's demonstration; not a UN document.") as an HTML comment
among its first lines: ``<!-- notice: … -->``. It is removed before segmentation. Without
one the notice is ``Reference translation: <file name>``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from toolkit.document import (
    FRONT_MATTER_KINDS,
    Meta,
    Provenance,
    Sentence,
    Signature,
    Speech,
    TranslatedParagraph,
    TranslatedSentence,
    TranslatedSpeech,
    TranslationProvenance,
    join_sentences,
)
from toolkit.errors import InputError
from toolkit.languages import get_language
from toolkit.translate.align import (
    DEFAULT_VARIANCE,
    Block,
    BlockBead,
    align_blocks,
    document_ratio,
    text_length,
)

ENGINE = "reference"
"""Engine name in provenance records and in ``TranslatedSpeech.engine``."""

LOW_CONFIDENCE = 0.5
"""Beads whose posterior probability is below this (more likely wrong than right) are
flagged ``low-confidence`` for a reviewer."""

REFERENCE_SUFFIXES: tuple[str, ...] = (
    ".md", ".markdown", ".txt", ".docx", ".html", ".htm", ".pdf",
)  # fmt: skip
"""File endings accepted for ``source/<slug>.<lang>.<suffix>``, most preferred first (the same
order as :data:`toolkit.ingest.PREFERENCE`)."""

SCRIPT_VARIANCE: dict[str, float] = {"Latn": 1.0, "Cyrl": 1.0, "Arab": 1.5, "Hans": 2.0}
"""Multiplier of the length variance per target script.

Character counts of Arabic and, above all, Chinese translations vary more around the mean
ratio than French or Russian ones (one Chinese character carries a word or a syllable).
"""

_NOTICE = re.compile(r"\A\s*<!--\s*notice\s*:\s*(?P<text>.*?)\s*-->[ \t]*\n?", re.S | re.I)


# --- the alignment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParagraphLink:
    """An aligned group of paragraphs (a paragraph-level bead)."""

    source_ids: tuple[str, ...]
    """English paragraph IDs (empty for reference-only paragraphs)."""
    reference_ids: tuple[str, ...]
    """Reference paragraph IDs, in the reference's own numbering (empty if none)."""
    shape: str
    """``"1-1"``, ``"2-1"``, ``"0-1"``…"""
    score: float
    """Confidence in 0..1."""


@dataclass(frozen=True)
class SentenceLink:
    """An aligned group of sentences, after attachment: what one reviewer row shows."""

    source_ids: tuple[str, ...]
    """English sentence IDs (one, or several for a merged bead); never empty."""
    reference_ids: tuple[str, ...]
    """Reference sentence IDs, in order (empty when unaligned)."""
    source_text: str
    """The English sentences joined."""
    reference_text: str
    """The reference sentences joined ('' when unaligned)."""
    shape: str
    """Shape of the sentence bead (before any attachment)."""
    score: float
    """Confidence in 0..1 (0 when unaligned)."""
    flags: tuple[str, ...]
    """``unaligned``, ``merged``, ``attached``, ``low-confidence``."""
    paragraph: int
    """Index of the :class:`ParagraphLink` it belongs to."""


@dataclass(frozen=True)
class SpeechAlignment:
    """A reference speech aligned to an English speech."""

    lang: str
    """Language of the reference."""
    ratio: float
    """Target characters per English character used for the lengths."""
    paragraphs: tuple[ParagraphLink, ...]
    """Paragraph-level beads in order."""
    sentences: tuple[SentenceLink, ...]
    """Sentence-level links in order; every English sentence is in exactly one."""

    def reference_order(self) -> list[str]:
        """Reference sentence IDs as the links use them, in order (the invariant's left side)."""
        return [rid for link in self.sentences for rid in link.reference_ids]

    def summary(self) -> dict[str, Any]:
        """Counts for a reviewer and for the translation's provenance."""
        flags: Counter[str] = Counter()
        for link in self.sentences:
            flags.update(link.flags)
        aligned = [link.score for link in self.sentences if link.reference_ids]
        return {
            "english_sentences": sum(len(link.source_ids) for link in self.sentences),
            "reference_sentences": len(self.reference_order()),
            "links": len(self.sentences),
            "sentence_beads": dict(sorted(Counter(s.shape for s in self.sentences).items())),
            "paragraph_beads": dict(sorted(Counter(p.shape for p in self.paragraphs).items())),
            "unaligned": flags["unaligned"],
            "merged": flags["merged"],
            "attached": flags["attached"],
            "low_confidence": flags["low-confidence"],
            "min_score": round(min(aligned), 4) if aligned else 0.0,
            "mean_score": round(sum(aligned) / len(aligned), 4) if aligned else 0.0,
            "ratio": round(self.ratio, 4),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``toolkit align --json``)."""
        return {
            "lang": self.lang,
            "summary": self.summary(),
            "paragraphs": [
                {
                    "en": list(p.source_ids),
                    self.lang: list(p.reference_ids),
                    "shape": p.shape,
                    "score": p.score,
                }
                for p in self.paragraphs
            ],
            "sentences": [
                {
                    "en": list(s.source_ids),
                    self.lang: list(s.reference_ids),
                    "en_text": s.source_text,
                    f"{self.lang}_text": s.reference_text,
                    "shape": s.shape,
                    "score": s.score,
                    "flags": list(s.flags),
                }
                for s in self.sentences
            ],
        }


def _section(kind: str) -> str:
    return "front" if kind in FRONT_MATTER_KINDS else "body"


@dataclass
class _RawLink:
    source: list[Sentence]
    reference: list[Sentence]
    shape: str
    score: float
    paragraph: int
    section: str
    attached: bool = False


def _sentence_links(
    speech: Speech, reference: Speech, beads: Sequence[BlockBead]
) -> list[_RawLink]:
    raw: list[_RawLink] = []
    for index, bead in enumerate(beads):
        en_paras = [speech.paragraphs[i] for i in bead.source]
        ref_paras = [reference.paragraphs[j] for j in bead.target]
        section = _section((en_paras or ref_paras)[0].kind)
        en_sents = [s for p in en_paras for s in p.sentences]
        ref_sents = [s for p in ref_paras for s in p.sentences]
        for sb in bead.sentences:
            raw.append(
                _RawLink(
                    source=[en_sents[i] for i in sb.source],
                    reference=[ref_sents[j] for j in sb.target],
                    shape=sb.shape,
                    score=sb.score,
                    paragraph=index,
                    section=section,
                )
            )
    return raw


def _attach_orphans(raw: list[_RawLink], ratio: float) -> list[_RawLink]:
    """Give reference-only links to a neighbouring English link, keeping the order.

    The neighbour is the previous or the next link with English sentences, in the same
    section (front matter or body) when possible, whichever the orphan text fits better by
    length: a "Remarks of" line that the translation keeps on a line of its own belongs with
    the speaker's name after it, a translator's note with the paragraph before it.
    """
    out: list[_RawLink] = []
    pending: list[_RawLink] = []  # orphans waiting for the next English link
    for position, link in enumerate(raw):
        if link.source:
            if pending:
                link.reference = [s for o in pending for s in o.reference] + link.reference
                link.attached = True
                pending = []
            out.append(link)
            continue
        previous = out[-1] if out else None
        following = next((lk for lk in raw[position + 1 :] if lk.source), None)
        candidates = [c for c in (previous, following) if c is not None]
        same = [c for c in candidates if c.section == link.section]
        chosen = min(
            same or candidates,
            key=lambda c: _misfit(c, link.reference, ratio) - _misfit(c, [], ratio),
        )
        if chosen is previous:
            chosen.reference = chosen.reference + link.reference
            chosen.attached = True
        else:
            pending.append(link)
    if pending:  # no English sentence at all: nothing to attach to
        raise InputError(
            "The English speech has no sentences to align the reference to.",
            "Check the source file: it segments to no sentences.",
        )
    return out


def _misfit(link: _RawLink, extra: Sequence[Sentence], ratio: float) -> float:
    """How badly ``link``'s lengths agree (|δ|) if ``extra`` reference sentences join it."""
    english = sum(text_length(s.text) for s in link.source)
    reference = sum(text_length(s.text) for s in [*link.reference, *extra]) / ratio
    if english + reference == 0:
        return 0.0
    return abs(reference - english) / math.sqrt(DEFAULT_VARIANCE * (english + reference) / 2)


def _flags(link: _RawLink) -> tuple[str, ...]:
    flags: list[str] = []
    if not link.reference:
        flags.append("unaligned")
    if len(link.source) > 1:
        flags.append("merged")
    if link.attached:
        flags.append("attached")
    if link.reference and link.score < LOW_CONFIDENCE:
        flags.append("low-confidence")
    return tuple(flags)


def align_speech(speech: Speech, reference: Speech, lang: str | None = None) -> SpeechAlignment:
    """Align a reference speech to an English speech: paragraphs, then sentences inside them."""
    lang = get_language(lang or reference.lang).code
    language = get_language(lang)
    en_texts = [s.text for s in speech.sentences()]
    ref_texts = [s.text for s in reference.sentences()]
    if not en_texts:
        raise InputError(
            f"{speech.source} segments to no sentences: nothing to align.",
            "Check the source file.",
        )
    if not ref_texts:
        raise InputError(
            f"The reference {reference.source} segments to no sentences.",
            "Check that it is the translation of the speech, as UTF-8 text.",
        )
    ratio = document_ratio(en_texts, ref_texts, language.chars_per_source_char)
    variance = DEFAULT_VARIANCE * SCRIPT_VARIANCE.get(language.script, 1.0)
    beads = align_blocks(
        [Block(tuple(s.text for s in p.sentences), _section(p.kind)) for p in speech.paragraphs],
        [Block(tuple(s.text for s in p.sentences), _section(p.kind)) for p in reference.paragraphs],
        ratio=ratio,
        variance=variance,
    )
    raw = _attach_orphans(_sentence_links(speech, reference, beads), ratio)
    sentences = tuple(
        SentenceLink(
            source_ids=tuple(s.id for s in link.source),
            reference_ids=tuple(s.id for s in link.reference),
            source_text=join_sentences(s.text for s in link.source),
            reference_text=join_sentences(s.text for s in link.reference),
            shape=link.shape,
            score=link.score if link.reference else 0.0,
            flags=_flags(link),
            paragraph=link.paragraph,
        )
        for link in raw
    )
    paragraphs = tuple(
        ParagraphLink(
            source_ids=tuple(speech.paragraphs[i].id for i in bead.source),
            reference_ids=tuple(reference.paragraphs[j].id for j in bead.target),
            shape=bead.shape,
            score=bead.score,
        )
        for bead in beads
    )
    return SpeechAlignment(lang=lang, ratio=ratio, paragraphs=paragraphs, sentences=sentences)


# --- files -----------------------------------------------------------------------------------


def find_reference(speech: Speech, lang: str) -> Path | None:
    """``<slug>.<lang>.<ext>`` beside the speech's source file, if it exists.

    Any format the ingest readers take (.md, .txt, .docx, .html, .pdf); when several exist the
    first in :data:`toolkit.ingest.PREFERENCE` is used (see :func:`toolkit.ingest.find_variants`).
    """
    from toolkit.ingest import find_reference_file

    return find_reference_file(Path(speech.source).parent, speech.slug, get_language(lang).code)


@dataclass(frozen=True)
class Reference:
    """A reference translation read from its file."""

    path: Path
    """The file, as given."""
    sha256: str
    """SHA-256 of the file's bytes."""
    speech: Speech
    """The file segmented as a speech in its language."""
    notice: str | None
    """The notice from a leading ``<!-- notice: … -->`` comment, if any."""


def load_reference(path: Path | str, lang: str) -> Reference:
    """Read and segment a reference translation (removing a leading notice comment first)."""
    from toolkit.ingest import read_source
    from toolkit.segment import segment

    path = Path(path)
    lang = get_language(lang).code
    source = read_source(path, lang=lang)
    notice: str | None = None
    match = _NOTICE.match(source.text)
    text = source.text
    if match:
        notice = " ".join(match["text"].split()) or None
        text = text[match.end() :]
    speech = segment(replace(source, text=text))
    return Reference(path=path, sha256=source.sha256, speech=speech, notice=notice)


def _merge_meta(reference: Meta, english: Meta) -> Meta:
    """The reference's own front matter, falling back to the English value field by field."""
    return Meta(
        **{f.name: getattr(reference, f.name) or getattr(english, f.name) for f in fields(Meta)}
    )


def reference_signature(reference: Reference) -> str:
    """The reference engine's signature: the file and (the start of) its SHA-256."""
    return str(Signature.of(engine=ENGINE, file=reference.path.name, sha256=reference.sha256[:12]))


def translation_from_alignment(
    speech: Speech,
    alignment: SpeechAlignment,
    reference: Reference,
) -> TranslatedSpeech:
    """Build the :class:`TranslatedSpeech` for an alignment (one entry per English sentence)."""
    per_sentence: dict[str, TranslatedSentence] = {}
    sources = {s.id: s.text for s in speech.sentences()}
    for link in alignment.sentences:
        first = link.source_ids[0]
        for position, sid in enumerate(link.source_ids):
            if position == 0:
                text, flags = link.reference_text, link.flags
            else:
                text = ""
                flags = (f"merged-into:{first}",) + tuple(
                    f for f in link.flags if f == "low-confidence"
                )
            per_sentence[sid] = TranslatedSentence(
                id=sid,
                source=sources[sid],
                text=text,
                provenance=Provenance(
                    engine=ENGINE,
                    model=str(reference.path),
                    model_version=reference.sha256,
                    signature=reference_signature(reference),
                    flags=flags,
                    score=link.score,
                ),
            )
    paragraphs = tuple(
        TranslatedParagraph(
            id=p.id,
            kind=p.kind,
            sentences=tuple(per_sentence[s.id] for s in p.sentences),
        )
        for p in speech.paragraphs
    )
    return TranslatedSpeech(
        speech=speech,
        lang=alignment.lang,
        meta=_merge_meta(reference.speech.meta, speech.meta),
        paragraphs=paragraphs,
        engine=ENGINE,
        notice=reference.notice or f"Reference translation: {reference.path.name}",
        provenance=TranslationProvenance(
            engine=ENGINE,
            signature=reference_signature(reference),
            model=str(reference.path),
            model_version=reference.sha256,
            reference=str(reference.path),
            alignment=alignment.summary(),
        ),
    )


def translate_with_reference(
    speech: Speech, lang: str, reference_path: Path | str
) -> TranslatedSpeech:
    """Translate ``speech`` into ``lang`` by aligning the human translation ``reference_path``."""
    reference = load_reference(reference_path, lang)
    alignment = align_speech(speech, reference.speech, lang)
    return translation_from_alignment(speech, alignment, reference)


def align_reference(
    speech: Speech, lang: str, reference_path: Path | str | None = None
) -> tuple[SpeechAlignment, Reference]:
    """Find (unless given), load and align the reference for ``lang``; for ``toolkit align``."""
    lang = get_language(lang).code
    path = Path(reference_path) if reference_path is not None else find_reference(speech, lang)
    if path is None:
        folder = Path(speech.source).parent
        raise InputError(
            f"No {lang} reference translation for {speech.slug}.",
            f"Put it at {folder / f'{speech.slug}.{lang}.md'} or pass --reference FILE.",
        )
    reference = load_reference(path, lang)
    return align_speech(speech, reference.speech, lang), reference


__all__ = [
    "ENGINE",
    "LOW_CONFIDENCE",
    "ParagraphLink",
    "Reference",
    "SentenceLink",
    "SpeechAlignment",
    "align_reference",
    "align_speech",
    "find_reference",
    "load_reference",
    "translate_with_reference",
    "translation_from_alignment",
]
