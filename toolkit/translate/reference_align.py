"""Align a reference translation to an English speech: paragraphs, then the sentences in them.

The reference is segmented like any speech (:mod:`toolkit.translate.reference` reads it), then
aligned to the English :class:`~toolkit.document.Speech`: paragraphs first (front matter and
body told apart by the paragraph kinds), then the sentences inside each aligned paragraph
group, with the length-based aligner of :mod:`toolkit.translate.align`. This module drives that
pure aligner over two speeches and decides what happens to text only one side has; the result
is a :class:`~toolkit.translate.speech_alignment.SpeechAlignment`.

Nothing is lost or duplicated:

* every English sentence is in exactly one
  :class:`~toolkit.translate.speech_alignment.SentenceLink`;
* a reference paragraph with no English counterpart (a pull quote, a translator's note, an
  added lead) is never put beside an English paragraph: it is kept in
  :attr:`SpeechAlignment.unaligned <toolkit.translate.speech_alignment.SpeechAlignment.unaligned>`
  with the English sentence it followed;
* a reference sentence with no counterpart *inside* a matched paragraph group stays in that
  row, flagged ``attached``;
* an English sentence with no counterpart gets no reference text and the flag ``unaligned`` —
  never a neighbour's text;
* rows whose evidence is weak carry a review flag
  (:data:`~toolkit.translate.speech_alignment.REVIEW_FLAGS`: low posterior, lengths or numbers
  that disagree, a boundary next to missing text), set here with the thresholds below; their
  precision and recall on perturbed real translations are measured by ``bench/align_flags.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from toolkit.document import FRONT_MATTER_KINDS, Sentence, Speech, join_sentences
from toolkit.errors import InputError
from toolkit.languages import get_language
from toolkit.translate.align import (
    DEFAULT_VARIANCE,
    Block,
    BlockBead,
    align_blocks_scored,
    document_ratio,
    text_length,
)
from toolkit.translate.speech_alignment import (
    ParagraphLink,
    SentenceLink,
    SpeechAlignment,
    UnalignedText,
)

LOW_CONFIDENCE = 0.5
"""Beads whose posterior probability is below this (more likely wrong than right) are
flagged ``low-confidence`` for a reviewer."""

SCRIPT_VARIANCE: dict[str, float] = {"Latn": 1.0, "Cyrl": 1.0, "Arab": 1.5, "Hans": 2.0}
"""Multiplier of the length variance per target script.

Character counts of Arabic and, above all, Chinese translations vary more around the mean
ratio than French or Russian ones (one Chinese character carries a word or a syllable).
"""

LENGTH_LIMIT = 2.6
"""|δ| above which a bead is flagged ``length-mismatch`` (about 1 % of right beads exceed it)."""

NEAR_GAP_SCORE = 0.9
"""Paragraphs beside text one side lacks are flagged ``near-gap``, outward from the gap, up to
the first whose paragraph posterior is at least this (see :func:`_drift_zone`)."""

NEAR_GAP_DECAY = 0.02
"""How much lower the decisive posterior is for each paragraph further from the gap (0.90
beside it, 0.88 one further…): a slid gap puts most wrong text right beside it. Chosen, with
:data:`NEAR_GAP_SCORE`, on the perturbed set of ``bench/align_flags.py`` (no held-out set)."""


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
    delta: float = 0.0
    conflicts: tuple[str, ...] = ()
    near_gap: bool = False
    paragraph_score: float = 1.0


def _drift_zone(beads: Sequence[BlockBead]) -> set[int]:
    """Paragraph beads whose place may have slid because of text one side lacks.

    Where one side has a gap, the aligner must decide *where* the missing text was; with
    paragraphs of similar lengths and no numbers or names to go by, it may put the gap a few
    paragraphs off, and every paragraph in between then carries its neighbour's text. Those
    paragraphs are the ones next to the gap, outward, until one whose posterior is decisive
    (:data:`NEAR_GAP_SCORE`, a little less with each step: :data:`NEAR_GAP_DECAY`): past it
    the alignment is anchored again.
    """
    zone: set[int] = set()
    for index, bead in enumerate(beads):
        if bead.source and bead.target:
            continue
        for step in (-1, 1):
            k = index + step
            distance = 1
            while 0 <= k < len(beads) and beads[k].source and beads[k].target:
                if beads[k].score >= NEAR_GAP_SCORE - NEAR_GAP_DECAY * (distance - 1):
                    break
                zone.add(k)
                k += step
                distance += 1
    return zone


def _sentence_links(
    speech: Speech, reference: Speech, beads: Sequence[BlockBead]
) -> list[_RawLink]:
    raw: list[_RawLink] = []
    drift = _drift_zone(beads)
    for index, bead in enumerate(beads):
        en_paras = [speech.paragraphs[i] for i in bead.source]
        ref_paras = [reference.paragraphs[j] for j in bead.target]
        section = _section((en_paras or ref_paras)[0].kind)
        en_sents = [s for p in en_paras for s in p.sentences]
        ref_sents = [s for p in ref_paras for s in p.sentences]
        near_gap = index in drift
        for sb in bead.sentences:
            raw.append(
                _RawLink(
                    source=[en_sents[i] for i in sb.source],
                    reference=[ref_sents[j] for j in sb.target],
                    shape=sb.shape,
                    score=sb.score,
                    paragraph=index,
                    section=section,
                    delta=sb.delta,
                    conflicts=sb.conflicts,
                    near_gap=near_gap,
                    paragraph_score=bead.score,
                )
            )
    return raw


def _place_orphans(
    raw: list[_RawLink], beads: Sequence[BlockBead]
) -> tuple[list[_RawLink], list[tuple[_RawLink, str | None]]]:
    """Keep reference-only text apart, unless it sits inside an aligned paragraph group.

    A reference paragraph that no English paragraph matches (a ``0-1`` paragraph bead: a pull
    quote, a translator's note, an added lead) is never put beside an English paragraph: it
    is returned with the ID of the English sentence before it. A reference *sentence* with no
    counterpart inside a paragraph group that does match (a sentence the translator added) is
    part of that same row: it joins the neighbouring sentence of its group and the row is
    flagged ``attached``.
    """
    out: list[_RawLink] = []
    orphans: list[tuple[_RawLink, str | None]] = []
    pending: list[_RawLink] = []  # same-group orphans waiting for the next English link
    last_english: str | None = None
    for position, link in enumerate(raw):
        if link.source:
            if pending:
                link.reference = [s for o in pending for s in o.reference] + link.reference
                link.attached = True
                pending = []
            out.append(link)
            last_english = link.source[-1].id
            continue
        group_has_english = bool(beads[link.paragraph].source)
        if not group_has_english and _continued_by_next(link, raw[position + 1 :]):
            pending.append(link)  # "En cette Journée des Nations Unies," / "redisons …"
            continue
        if not group_has_english and not _continues_previous(link, out):
            orphans.append((link, last_english))
            continue
        if not group_has_english:
            # the rest of the sentence before it ("…, et de liberté," / "et en garantissant…"):
            # a page or paragraph break inside one sentence, part of the same row
            out[-1].reference = out[-1].reference + link.reference
            out[-1].attached = True
            continue
        previous = out[-1] if out and out[-1].paragraph == link.paragraph else None
        if previous is not None:
            previous.reference = previous.reference + link.reference
            previous.attached = True
        else:
            pending.append(link)
    for link in pending:  # an English-less tail inside a group: cannot happen, keep it safe
        orphans.append((link, last_english))
    if not out:
        raise InputError(
            "The English speech has no sentences to align the reference to.",
            "Check the source file: it segments to no sentences.",
        )
    return out, orphans


def _one_sentence(before: str, after: str) -> bool:
    """``after`` finishes the sentence ``before`` leaves open (a break inside a sentence)."""
    from toolkit.segment.repair import continues, ends_sentence

    if ends_sentence(before):
        return False
    if continues(after):
        return True
    # scripts without case (Arabic, Chinese): a clause mark before is the evidence
    first = next((ch for ch in after if ch.isalpha()), "")
    uncased = bool(first) and first.lower() == first.upper()
    return uncased and before.rstrip()[-1:] in ",،，、;؛；"


def _continues_previous(link: _RawLink, out: list[_RawLink]) -> bool:
    """Reference text that only finishes the sentence of the row before it."""
    if not out or not out[-1].reference or not link.reference:
        return False
    return _one_sentence(out[-1].reference[-1].text, link.reference[0].text)


def _continued_by_next(link: _RawLink, following: Sequence[_RawLink]) -> bool:
    """Reference text whose sentence the next reference text finishes."""
    after = next((lk for lk in following if lk.reference), None)
    if after is None or not after.source or not link.reference:
        return False
    return _one_sentence(link.reference[-1].text, after.reference[0].text)


def _flags(link: _RawLink) -> tuple[str, ...]:
    flags: list[str] = []
    if not link.reference:
        flags.append("unaligned")
        return tuple(flags)
    if len(link.source) > 1:
        flags.append("merged")
    if link.attached:
        flags.append("attached")
    if link.score < LOW_CONFIDENCE:
        flags.append("low-confidence")
    if abs(link.delta) > LENGTH_LIMIT and not link.attached:
        flags.append("length-mismatch")
    if link.conflicts:
        flags.append("number-mismatch")
    if link.near_gap:
        flags.append("near-gap")
    return tuple(flags)


def _confident_ratio(
    speech: Speech, reference: Speech, beads: Sequence[BlockBead], fallback: float
) -> float:
    """Length ratio measured on the paragraph groups both sides have and agree on.

    A translation that stops half-way (or carries an extra page) has a whole-document ratio
    that is wrong by that much; the paragraphs that align confidently one to one are not
    affected by what is missing elsewhere.
    """
    en = ref = 0
    for bead in beads:
        if len(bead.source) == 1 and len(bead.target) == 1 and bead.score >= 0.9:
            en += sum(text_length(s.text) for s in speech.paragraphs[bead.source[0]].sentences)
            ref += sum(
                text_length(s.text) for s in reference.paragraphs[bead.target[0]].sentences
            )
    if en < 200 or ref == 0:
        return fallback
    return ref / en


def align_speech(speech: Speech, reference: Speech, lang: str | None = None) -> SpeechAlignment:
    """Align a reference speech to an English speech: paragraphs, then sentences inside them.

    Two passes: the first with the language's typical length ratio, the second with the ratio
    measured on the paragraphs the first pass aligned confidently, so that a truncated or
    padded reference does not skew every length comparison.
    """
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
    prior = language.chars_per_source_char
    variance = DEFAULT_VARIANCE * SCRIPT_VARIANCE.get(language.script, 1.0)
    # cognates ("development"/"développement") are evidence only between Latin scripts
    cognates = language.script == "Latn"
    en_blocks = [
        Block(tuple(s.text for s in p.sentences), _section(p.kind)) for p in speech.paragraphs
    ]
    ref_blocks = [
        Block(tuple(s.text for s in p.sentences), _section(p.kind)) for p in reference.paragraphs
    ]
    # The ratio under which the two texts are most probable wins: the whole-document ratio
    # suits a complete translation, the language's typical ratio one that stops half-way or
    # carries extra pages; the ratio measured on the confident pairs refines either.
    best: tuple[float, float, list[BlockBead]] | None = None
    tried: set[float] = set()
    candidates = [document_ratio(en_texts, ref_texts, prior), prior]
    while candidates:
        ratio = round(min(max(candidates.pop(0), prior / 1.6), prior * 1.6), 4)
        if ratio in tried:
            continue
        tried.add(ratio)
        beads, total = align_blocks_scored(
            en_blocks, ref_blocks, ratio=ratio, variance=variance, cognates=cognates
        )
        if best is None or total < best[0]:
            best = (total, ratio, beads)
            if len(tried) < 4:
                candidates.append(_confident_ratio(speech, reference, beads, ratio))
    assert best is not None
    _, ratio, beads = best
    raw, orphans = _place_orphans(_sentence_links(speech, reference, beads), beads)
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
    unaligned: list[UnalignedText] = []
    for link, after in orphans:
        if unaligned and unaligned[-1].paragraph == link.paragraph and unaligned[-1].after == after:
            last = unaligned[-1]
            ids = last.reference_ids + tuple(s.id for s in link.reference)
            unaligned[-1] = replace(
                last,
                reference_ids=ids,
                text=join_sentences([last.text, *(s.text for s in link.reference)]),
            )
            continue
        unaligned.append(
            UnalignedText(
                reference_ids=tuple(s.id for s in link.reference),
                text=join_sentences(s.text for s in link.reference),
                after=after,
                paragraph=link.paragraph,
            )
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
    return SpeechAlignment(
        lang=lang,
        ratio=ratio,
        paragraphs=paragraphs,
        sentences=sentences,
        unaligned=tuple(unaligned),
    )


__all__ = [
    "LENGTH_LIMIT",
    "LOW_CONFIDENCE",
    "NEAR_GAP_DECAY",
    "NEAR_GAP_SCORE",
    "SCRIPT_VARIANCE",
    "align_speech",
]
