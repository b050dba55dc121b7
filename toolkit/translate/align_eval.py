"""Does the aligner know when it does not know? Perturbed real translations, scored.

A *base pair* is a real published translation whose alignment with the English was checked
by hand, paragraph by paragraph (``tests/data/align/real/*.json``: English paragraph ``i`` is
translated by reference paragraph ``i``). Each base is damaged in the ways real references
are damaged — truncated, a paragraph dropped, padded with a pull quote or a translator's note,
two paragraphs merged, one split — and every reference sentence keeps the label of the English
paragraph it translates (``None`` for padding). After alignment, each English paragraph (one
row of the bilingual PDF) is:

* **right** when the reference sentences placed beside it are exactly those labelled with it
  (none, when the reference lacks it — the row then says "not in the reference translation");
* **wrong** otherwise: a neighbour's text, padding, or only part of its own text.

A row is **flagged** when one of its sentences carries a review flag
(:data:`toolkit.translate.speech_alignment.REVIEW_FLAGS`) or it shows no text although its
translation exists. The target: every wrong row flagged (recall 1.0), and at most one right
row in ten flagged (a row the reference lacks, shown with its marker, counts as right).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.document import Meta, Paragraph, Sentence, Speech, join_sentences
from toolkit.translate.reference_align import align_speech
from toolkit.translate.speech_alignment import REVIEW_FLAGS

NOTES: dict[str, str] = {
    "fr": "[Note du traducteur : le texte original a été publié en anglais ; seule la version "
    "prononcée fait foi.]",
    "es": "[Nota del traductor: el texto original se publicó en inglés; solo la versión "
    "pronunciada es auténtica.]",
    "ru": "[Примечание переводчика: оригинальный текст опубликован на английском языке; "
    "аутентичным является только произнесенный вариант.]",
    "ar": "[ملاحظة المترجم: نُشر النص الأصلي باللغة الإنكليزية، والنص الملقى وحده هو المعتمد.]",
    "zh": "［译者注：原文以英文发布，以实际发言为准。］",
}
"""A translator's note in each language, as padding."""

Labelled = list[list[tuple[str, int | None]]]
"""Reference paragraphs as lists of ``(sentence, English paragraph it translates or None)``."""


@dataclass(frozen=True)
class Base:
    """A hand-checked pair: ``english[i]`` is translated by ``reference[i]``."""

    name: str
    """``<file stem>-<lang>``."""
    lang: str
    """Language of the reference."""
    english: tuple[str, ...]
    """English paragraphs (one sentence or more each)."""
    reference: tuple[str, ...]
    """Their translations, same count."""


def load_bases(folder: Path) -> list[Base]:
    """Every language of every ``*.json`` in ``folder`` (see ``tests/data/align/real``)."""
    bases: list[Base] = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        english = data["en"]
        for lang in sorted(k for k in data["sources"] if k != "en"):
            reference = data[lang]
            bases.append(
                Base(
                    f"{path.stem}-{lang}",
                    lang,
                    tuple(english[: len(reference)]),
                    tuple(reference),
                )
            )
    return bases


def _split_sentences(text: str, lang: str) -> list[str]:
    from toolkit.segment.sentences import split_sentences

    return [text[a:b] for a, b in split_sentences(text, lang)] or [text]


def _labelled(base: Base) -> Labelled:
    return [
        [(s, i) for s in _split_sentences(text, base.lang)] for i, text in enumerate(base.reference)
    ]


def _split_at_comma(sentence: str) -> tuple[str, str] | None:
    """Cut a sentence in two at the clause mark nearest its middle (a page-break split)."""
    marks = [k for k, ch in enumerate(sentence) if ch in ",，،、;；"]
    if not marks:
        return None
    middle = len(sentence) / 2
    cut = min(marks, key=lambda k: abs(k - middle)) + 1
    head, tail = sentence[:cut].strip(), sentence[cut:].strip()
    return (head, tail) if head and tail else None


def perturbations(base: Base) -> Iterator[tuple[str, Labelled]]:
    """The damaged versions of one base pair, each with its labels, deterministically."""
    ref = _labelled(base)
    n = len(ref)
    note = NOTES[base.lang]
    middle = n // 2
    yield "identity", [list(p) for p in ref]
    yield "truncated-half", [list(p) for p in ref[: (n + 1) // 2]]
    yield "truncated-last-two", [list(p) for p in ref[: n - 2]]
    yield "dropped-middle", [list(p) for k, p in enumerate(ref) if k != middle]
    yield "dropped-second", [list(p) for k, p in enumerate(ref) if k != 1]
    # a pull quote: a later sentence repeated before the text, as some web pages print it
    yield "pull-quote-first", [[(ref[middle][0][0], None)], *[list(p) for p in ref]]
    yield "note-middle", [*ref[:middle], [(note, None)], *ref[middle:]]
    yield "note-end", [*ref, [(note, None)]]
    yield "merged-two", [*ref[:middle], ref[middle] + ref[middle + 1], *ref[middle + 2 :]]
    longest = max(range(n), key=lambda k: sum(len(s) for s, _ in ref[k]))
    last_sentence = ref[longest][-1][0]
    cut = _split_at_comma(last_sentence)
    if cut is not None:
        head = [*ref[longest][:-1], (cut[0], longest)]
        yield "split-one", [*ref[:longest], head, [(cut[1], longest)], *ref[longest + 1 :]]
    yield "truncated-and-note", [*ref[: max(2, (2 * n) // 3)], [(note, None)]]
    yield (
        "dropped-and-merged",
        [
            *ref[:1],
            *ref[2:middle],
            ref[middle] + ref[middle + 1],
            *ref[middle + 2 :],
        ],
    )


@dataclass(frozen=True)
class RowResult:
    """One English paragraph of one perturbed pair."""

    pair: str
    """``<base>/<perturbation>``."""
    paragraph: int
    """Index of the English paragraph."""
    right: bool
    """The reference text beside it is exactly its own (or none, when it has none)."""
    flagged: bool
    """A review flag, or no text although its translation exists."""
    flags: tuple[str, ...]
    """All flags of its sentences."""


def _body_speech(paragraphs: Sequence[Sequence[str]], lang: str) -> Speech:
    """A speech of body paragraphs made of exactly these sentences (IDs ``p01s01``…)."""
    built: list[Paragraph] = []
    for index, texts in enumerate(paragraphs, start=1):
        pid = f"p{index:02d}"
        sentences: list[Sentence] = []
        text = ""
        for k, sentence in enumerate(texts, start=1):
            text = join_sentences([text, sentence])
            sentences.append(
                Sentence(f"{pid}s{k:02d}", sentence, len(text) - len(sentence), len(text))
            )
        built.append(Paragraph(pid, "body", text, tuple(sentences)))
    return Speech(
        source="memory",
        source_sha256="",
        slug="eval",
        lang=lang,
        meta=Meta(),
        paragraphs=tuple(built),
    )


def score_pair(base: Base, name: str, labelled: Labelled) -> list[RowResult]:
    """Align one perturbed pair and judge every English paragraph."""
    english = _body_speech([_split_sentences(t, "en") for t in base.english], "en")
    reference = _body_speech([[s for s, _ in paragraph] for paragraph in labelled], base.lang)
    label = {
        sentence.id: origin
        for paragraph, labels in zip(reference.paragraphs, labelled, strict=True)
        for sentence, (_, origin) in zip(paragraph.sentences, labels, strict=True)
    }
    alignment = align_speech(english, reference, base.lang)
    index_of = {p.id: k for k, p in enumerate(english.paragraphs)}
    placed: dict[int, list[str]] = {k: [] for k in range(len(english.paragraphs))}
    flags: dict[int, set[str]] = {k: set() for k in range(len(english.paragraphs))}
    for link in alignment.sentences:
        k = index_of[link.source_ids[0].rpartition("s")[0]]
        placed[k].extend(link.reference_ids)
        flags[k].update(link.flags)
    results: list[RowResult] = []
    for k in range(len(english.paragraphs)):
        truth = sorted(rid for rid, origin in label.items() if origin == k)
        right = sorted(placed[k]) == truth
        missing_marker = not placed[k] and bool(truth)
        flagged = bool(flags[k] & REVIEW_FLAGS) or missing_marker
        results.append(RowResult(f"{base.name}/{name}", k, right, flagged, tuple(sorted(flags[k]))))
    return results


@dataclass(frozen=True)
class FlagReport:
    """Precision and recall of the review flag over a set of perturbed pairs."""

    pairs: int
    """Perturbed pairs aligned."""
    languages: tuple[str, ...]
    """Their languages."""
    rows: int
    """English paragraphs judged."""
    wrong: int
    """Rows with wrong or incomplete reference text."""
    wrong_unflagged: int
    """Wrong rows without any flag: the number that must be zero."""
    right_flagged: int
    """Right rows flagged anyway."""
    flagged: int
    """Rows flagged."""
    misses: tuple[RowResult, ...]
    """The wrong, unflagged rows, for a developer to look at."""

    @property
    def recall(self) -> float:
        """Wrong rows flagged / wrong rows (1.0 when there are none)."""
        return 1.0 if not self.wrong else (self.wrong - self.wrong_unflagged) / self.wrong

    @property
    def precision(self) -> float:
        """Wrong rows flagged / rows flagged (1.0 when nothing is flagged)."""
        return 1.0 if not self.flagged else (self.wrong - self.wrong_unflagged) / self.flagged

    @property
    def false_flag_rate(self) -> float:
        """Right rows flagged / right rows."""
        right = self.rows - self.wrong
        return 0.0 if not right else self.right_flagged / right


def evaluate(bases: Sequence[Base]) -> FlagReport:
    """Run every perturbation of every base and count."""
    results: list[RowResult] = []
    pairs = 0
    for base in bases:
        for name, labelled in perturbations(base):
            pairs += 1
            results.extend(score_pair(base, name, labelled))
    wrong = [r for r in results if not r.right]
    return FlagReport(
        pairs=pairs,
        languages=tuple(sorted({b.lang for b in bases})),
        rows=len(results),
        wrong=len(wrong),
        wrong_unflagged=sum(1 for r in wrong if not r.flagged),
        right_flagged=sum(1 for r in results if r.right and r.flagged),
        flagged=sum(1 for r in results if r.flagged),
        misses=tuple(r for r in wrong if not r.flagged),
    )


__all__ = [
    "Base",
    "FlagReport",
    "NOTES",
    "RowResult",
    "evaluate",
    "load_bases",
    "perturbations",
    "score_pair",
]
