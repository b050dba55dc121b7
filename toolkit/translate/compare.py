"""How close a machine translation comes to a human reference: chrF (sacrebleu), per group.

The unit is the aligned paragraph group of :func:`toolkit.translate.reference_align.align_speech`,
so the score never punishes a difference in paragraphing. Used by ``toolkit align --compare``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toolkit.document import TranslatedSpeech, join_sentences
from toolkit.translate.reference import Reference
from toolkit.translate.speech_alignment import SpeechAlignment


@dataclass(frozen=True)
class ComparisonRow:
    """chrF of machine translation against the reference for one aligned paragraph group."""

    source_ids: tuple[str, ...]
    """English paragraph IDs."""
    reference_ids: tuple[str, ...]
    """Reference paragraph IDs."""
    hypothesis: str
    """Machine translation of the English paragraphs."""
    reference: str
    """The reference paragraphs."""
    chrf: float
    """Sentence-level chrF (0..100)."""


@dataclass(frozen=True)
class Comparison:
    """How close machine translation comes to a human reference, with chrF (sacrebleu)."""

    lang: str
    """Target language."""
    engine: str
    """Engine of the machine translation."""
    model: str | None
    """Model of the machine translation (first sentence's provenance)."""
    rows: tuple[ComparisonRow, ...]
    """One row per paragraph group present on both sides, in order."""
    total: float
    """Corpus-level chrF over all rows."""
    signature: str
    """sacrebleu's metric signature (``nrefs:1|case:mixed|eff:yes|nc:6|nw:0|…``)."""
    unscored: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    """Paragraph groups with nothing on one side (dropped or added text): not scored."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``toolkit compare --json``)."""
        return {
            "lang": self.lang,
            "engine": self.engine,
            "model": self.model,
            "metric": "chrF",
            "signature": self.signature,
            "total": self.total,
            "paragraphs": [
                {
                    "en": list(r.source_ids),
                    self.lang: list(r.reference_ids),
                    "chrf": r.chrf,
                    "hypothesis": r.hypothesis,
                    "reference": r.reference,
                }
                for r in self.rows
            ],
            "unscored": [{"en": list(en), self.lang: list(ref)} for en, ref in self.unscored],
        }


def compare_with_reference(
    translated: TranslatedSpeech, alignment: SpeechAlignment, reference: Reference
) -> Comparison:
    """Score a machine translation against the aligned reference, per paragraph group and total.

    The unit is the aligned paragraph group, not the single paragraph: when the translator
    merged two English paragraphs, the machine translation of both is compared with the one
    merged paragraph, so the score never punishes a difference in paragraphing.
    """
    from sacrebleu.metrics import CHRF

    metric = CHRF()
    mt = {p.id: p for p in translated.paragraphs}
    rows: list[ComparisonRow] = []
    unscored: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for link in alignment.paragraphs:
        if not link.source_ids or not link.reference_ids:
            unscored.append((link.source_ids, link.reference_ids))
            continue
        hypothesis = join_sentences(s.text for pid in link.source_ids for s in mt[pid].sentences)
        ref_text = join_sentences(
            s.text for rid in link.reference_ids for s in reference.speech.paragraph(rid).sentences
        )
        score = metric.sentence_score(hypothesis, [ref_text]).score
        rows.append(
            ComparisonRow(
                link.source_ids, link.reference_ids, hypothesis, ref_text, round(score, 2)
            )
        )
    total = metric.corpus_score([r.hypothesis for r in rows], [[r.reference for r in rows]]).score
    first = next(translated.sentences(), None)
    return Comparison(
        lang=alignment.lang,
        engine=translated.engine,
        model=first.provenance.model if first else None,
        rows=tuple(rows),
        total=round(total, 2),
        signature=str(metric.get_signature()),
        unscored=tuple(unscored),
    )


__all__ = ["Comparison", "ComparisonRow", "compare_with_reference"]
