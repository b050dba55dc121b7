"""What aligning a reference translation to an English speech gives, and what a reviewer checks.

:class:`SpeechAlignment` is the result of :func:`toolkit.translate.reference_align.align_speech`:
the paragraph beads (:class:`ParagraphLink`), one :class:`SentenceLink` per reviewer row, and
the reference text placed on no English paragraph (:class:`UnalignedText`). The links plus the
unaligned texts, each put back where it stood, give every reference sentence once, in the
reference's order (:meth:`SpeechAlignment.reference_order`).

The review rules live here too, beside the flags they read: :data:`REVIEW_FLAGS` (which flags
mean "a person should check this row"), :func:`rows_to_review` (the rows the PDF marks, for any
translation) and :func:`review_counts` (what the masthead, build summary and manifest say).
They change with what a reviewer is shown, not with how the aligner places text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from toolkit.document import TranslatedSpeech


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

* ``low-confidence`` — the bead's posterior probability is below
  :data:`~toolkit.translate.reference_align.LOW_CONFIDENCE`;
* ``length-mismatch`` — the lengths disagree by more than
  :data:`~toolkit.translate.reference_align.LENGTH_LIMIT` standard deviations (Gale & Church's
  δ), whatever the posterior says;
* ``number-mismatch`` — a number is on one side of the bead only;
* ``near-gap`` — the paragraph borders text that one side lacks, and its own evidence is not
  decisive, so the boundary may be off by one;
* ``attached`` — reference sentences with no English counterpart were added to this row;
* ``merged`` — one reference sentence stands for several English sentences.

``unaligned`` (the reference has nothing for this English sentence) is not a review flag: the
row says "not in the reference translation" instead of showing anybody's text.
"""


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


__all__ = [
    "REVIEW_FLAGS",
    "ParagraphLink",
    "SentenceLink",
    "SpeechAlignment",
    "UnalignedText",
    "review_counts",
    "rows_to_review",
]
