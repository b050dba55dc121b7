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
* a reference paragraph with no English counterpart (a pull quote, a translator's note, an
  added lead) is never put beside an English paragraph: it is kept in
  :attr:`SpeechAlignment.unaligned` with the English sentence it followed;
* a reference sentence with no counterpart *inside* a matched paragraph group stays in that
  row, flagged ``attached``;
* an English sentence with no counterpart gets ``''`` and the flag ``unaligned`` — never a
  neighbour's text; the PDF says "not in the reference translation" there;
* when one reference sentence translates several English sentences (a ``2-1`` bead), its
  text goes on the first English sentence (flag ``merged``) and the others get ``''`` with
  the flag ``merged-into:<id of the first>``;
* rows whose evidence is weak carry a review flag (:data:`REVIEW_FLAGS`: low posterior,
  lengths or numbers that disagree, a boundary next to missing text); their precision and
  recall on perturbed real translations are measured by ``bench/align_flags.py``.

The translated sentences plus the unaligned texts, each put back where it stood, give every
reference sentence once, in the reference's order (:meth:`SpeechAlignment.reference_order`).

A reference file may carry the notice shown to readers (for example "Unofficial reference
translation prepared for the toolkit's demonstration; not a UN document.") as an HTML comment
among its first lines: ``<!-- notice: … -->``. It is removed before segmentation. Without
one the notice is ``Reference translation: <file name>``.
"""

from __future__ import annotations

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
    align_blocks_scored,
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
    """An aligned group of sentences: what one reviewer row shows."""

    source_ids: tuple[str, ...]
    """English sentence IDs (one, or several for a merged bead); never empty."""
    reference_ids: tuple[str, ...]
    """Reference sentence IDs, in order (empty when the reference has nothing for them)."""
    source_text: str
    """The English sentences joined."""
    reference_text: str
    """The reference sentences joined ('' when unaligned)."""
    shape: str
    """Shape of the sentence bead (before any attachment)."""
    score: float
    """Confidence in 0..1 (0 when unaligned)."""
    flags: tuple[str, ...]
    """``unaligned``, ``merged``, plus the review flags (:data:`REVIEW_FLAGS`)."""
    paragraph: int
    """Index of the :class:`ParagraphLink` it belongs to."""


@dataclass(frozen=True)
class UnalignedText:
    """Reference text that matches no English paragraph: kept, with where it stood."""

    reference_ids: tuple[str, ...]
    """Its reference sentence IDs, in order."""
    text: str
    """The text, sentences joined."""
    after: str | None
    """ID of the English sentence it followed in reading order (None: before the first)."""
    paragraph: int
    """Index of the :class:`ParagraphLink` it came from (a ``0-1`` bead)."""


REVIEW_FLAGS: frozenset[str] = frozenset(
    {"low-confidence", "attached", "length-mismatch", "number-mismatch", "near-gap", "merged"}
)
"""Flags that mean "a person should check this row": the evidence for the placement is weak.

* ``low-confidence`` — the bead's posterior probability is below :data:`LOW_CONFIDENCE`;
* ``length-mismatch`` — the lengths disagree by more than :data:`LENGTH_LIMIT` standard
  deviations (Gale & Church's δ), whatever the posterior says;
* ``number-mismatch`` — a number is on one side of the bead only;
* ``near-gap`` — the paragraph borders text that one side lacks, and its own evidence is not
  decisive, so the boundary may be off by one;
* ``attached`` — reference sentences with no English counterpart were added to this row;
* ``merged`` — one reference sentence stands for several English sentences.

``unaligned`` (the reference has nothing for this English sentence) is not a review flag: the
row says "not in the reference translation" instead of showing anybody's text.
"""

LENGTH_LIMIT = 2.6
"""|δ| above which a bead is flagged ``length-mismatch`` (about 1 % of right beads exceed it)."""

NEAR_GAP_SCORE = 0.9
"""Paragraphs beside text one side lacks are flagged ``near-gap``, outward from the gap, up to
the first whose paragraph posterior is at least this (see :func:`_drift_zone`)."""


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
    unaligned: tuple[UnalignedText, ...] = ()
    """Reference text placed on no English paragraph (pull quotes, notes, added leads)."""

    def reference_order(self) -> list[str]:
        """Every reference sentence ID once, in order: the links' and the unaligned texts'.

        Unaligned text is put back where it stood (after the English sentence it followed),
        so the list equals the reference's own order — the no-loss invariant.
        """
        out: list[str] = []
        pending = [u for u in self.unaligned if u.after is None]
        for unaligned in pending:
            out.extend(unaligned.reference_ids)
        by_after: dict[str, list[UnalignedText]] = {}
        for unaligned in self.unaligned:
            if unaligned.after is not None:
                by_after.setdefault(unaligned.after, []).append(unaligned)
        for link in self.sentences:
            out.extend(link.reference_ids)
            for sid in link.source_ids:
                for unaligned in by_after.get(sid, []):
                    out.extend(unaligned.reference_ids)
        return out

    def review_rows(self) -> list[tuple[str, ...]]:
        """English paragraphs a person should check, in order: a review flag, or no reference
        text (the rule of :func:`rows_to_review`, which the PDF, summary and manifest use)."""
        rows: dict[str, None] = {}
        for link in self.sentences:
            if set(link.flags) & REVIEW_FLAGS or "unaligned" in link.flags:
                for sid in link.source_ids:
                    rows[_paragraph_of(sid)] = None
        return [(pid,) for pid in rows]

    def missing_paragraphs(self) -> list[str]:
        """English paragraphs the reference has no text for at all."""
        seen: dict[str, bool] = {}
        for link in self.sentences:
            for sid in link.source_ids:
                pid = _paragraph_of(sid)
                seen[pid] = seen.get(pid, False) or bool(link.reference_ids)
        return [pid for pid, has_text in seen.items() if not has_text]

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
            "review_flags": {k: flags[k] for k in sorted(REVIEW_FLAGS) if flags[k]},
            "rows_to_review": len(self.review_rows()),
            "paragraphs_not_in_reference": len(self.missing_paragraphs()),
            "unaligned_reference": [
                {"after": u.after, "ids": list(u.reference_ids), "text": u.text}
                for u in self.unaligned
            ],
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
            "unaligned": [
                {"after": u.after, self.lang: list(u.reference_ids), "text": u.text}
                for u in self.unaligned
            ],
        }


def _paragraph_of(sentence_id: str) -> str:
    """``p07s02`` → ``p07``."""
    head, sep, _ = sentence_id.rpartition("s")
    return head if sep and head else sentence_id


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


NEAR_GAP_DECAY = 0.02
"""How much lower the decisive posterior is for each paragraph further from the gap (0.90
beside it, 0.88 one further…): a slid gap puts most wrong text right beside it. Chosen, with
:data:`NEAR_GAP_SCORE`, on the perturbed set of ``bench/align_flags.py`` (no held-out set)."""


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


_LANGUAGE_NEUTRAL = ("date", "symbol", "delivery")
"""Meta fields that are the same in every language (a date, a document symbol, the delivery
status, kept as a code): taken from the English when the reference does not give them."""


def reference_meta(speech: Speech, alignment: SpeechAlignment, reference: Speech) -> Meta:
    """The target masthead: the reference's *own* front matter, read from the reference
    paragraphs aligned with the English front matter.

    A pull quote or an added lead printed above the title is unaligned, so it never becomes
    the title; a venue, role or subtitle the reference lacks stays empty rather than English
    (the exporter then prints the English in the English column only). The speaker's name
    falls back to the English spelling; date, symbol and delivery status are language-neutral.
    """
    from toolkit.segment import front_matter

    link_of = {pid: link for link in alignment.paragraphs for pid in link.source_ids}
    texts: list[str] = []
    for paragraph in speech.paragraphs:
        if paragraph.kind not in FRONT_MATTER_KINDS or paragraph.id not in link_of:
            continue
        for rid in link_of[paragraph.id].reference_ids:
            text = reference.paragraph(rid).text
            if text not in texts:
                texts.append(text)
    own = front_matter(texts, alignment.lang) if texts else Meta()
    values = {f.name: getattr(own, f.name) for f in fields(Meta)}
    for name in (*_LANGUAGE_NEUTRAL, "speaker"):
        values[name] = values[name] or getattr(speech.meta, name)
    return Meta(**values)


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
        meta=reference_meta(speech, alignment, reference.speech),
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
            review=review_counts(alignment),
        ),
    )


def rows_to_review(translated: TranslatedSpeech) -> list[str]:
    """Paragraph IDs whose translation a person should check: any flag on any sentence.

    Alignment flags, "not in the reference" (``unaligned``) and machine-translation quality
    flags alike; a ``merged-into:`` pointer only says where the text went. The PDF marks these
    rows, and the build summary and the manifest count them.
    """
    return [
        paragraph.id
        for paragraph in translated.paragraphs
        if any(
            not flag.startswith("merged-into:")
            for sentence in paragraph.sentences
            for flag in sentence.provenance.flags
        )
    ]


def review_counts(alignment: SpeechAlignment) -> dict[str, int]:
    """What the masthead, the build summary and the manifest say needs a person's eyes."""
    return {
        "rows": len(alignment.review_rows()),
        "not_in_reference": len(alignment.missing_paragraphs()),
        "unaligned_reference": len(alignment.unaligned),
    }


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
    "LENGTH_LIMIT",
    "ParagraphLink",
    "REVIEW_FLAGS",
    "Reference",
    "UnalignedText",
    "reference_meta",
    "review_counts",
    "rows_to_review",
    "SentenceLink",
    "SpeechAlignment",
    "align_reference",
    "align_speech",
    "find_reference",
    "load_reference",
    "translate_with_reference",
    "translation_from_alignment",
]
