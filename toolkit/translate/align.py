"""Length-based alignment of a translation to its source (Gale–Church style, with anchors).

The aligner is pure: it sees two lists of :class:`AlignUnit` (paragraphs, or the sentences of
one aligned paragraph group) and returns :class:`Bead` objects that cover both lists exactly
once, in order. It knows nothing about files or speeches; :mod:`toolkit.translate.reference`
drives it over a :class:`~toolkit.document.Speech`.

Method (Gale & Church 1993, "A program for aligning sentences in bilingual corpora"):

* Lengths are characters with whitespace collapsed; the target length is divided by a
  length ratio (target characters per English character) so that Chinese, Arabic, Cyrillic
  and Latin lengths are comparable. The ratio comes from the language table or, better,
  from the two documents themselves (:func:`document_ratio`).
* A bead joining ``l1`` source and ``l2`` (scaled) target characters costs
  ``-log P(shape) - log P(|δ|)`` with ``δ = (l2 - l1) / sqrt(s² (l1 + l2) / 2)`` and
  ``P(|δ|) = 2 (1 - Φ(|δ|))``.
* Anchors adjust the cost: numbers (any digits, Arabic-Indic and full-width digits
  normalised, so resolution numbers and years count) and Latin-script capitalised words
  (names, acronyms such as ``CTED`` kept inside Arabic or Chinese text) that occur on both
  sides of the document. Shared anchors lower the cost; numbers present on one side only
  raise it.
* Dynamic programming finds the cheapest sequence of beads.

* Units with no counterpart (``1-0``, ``0-1``) cost their prior only: their length says
  nothing about a partner they do not have.

Every bead gets a ``score`` in 0..1: its posterior probability over all alignments
(forward–backward over the same costs), so it is low exactly when another way of cutting
the text is nearly as good.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SENTENCE_SHAPES: Mapping[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.005,
    (0, 1): 0.005,
    (2, 1): 0.04,
    (1, 2): 0.04,
    (2, 2): 0.011,
    (3, 1): 0.004,
    (1, 3): 0.004,
}
"""Bead shapes ``(source units, target units)`` and their prior probabilities.

Gale & Church's six shapes with their published priors, plus 3-1 and 1-3 at a low prior
so that a translator joining three short sentences does not force an ``unaligned`` bead.
"""

PARAGRAPH_SHAPES: Mapping[tuple[int, int], float] = {
    (1, 1): 0.85,
    (1, 0): 0.01,
    (0, 1): 0.01,
    (2, 1): 0.05,
    (1, 2): 0.05,
    (2, 2): 0.01,
    (3, 1): 0.01,
    (1, 3): 0.01,
}
"""Paragraph beads: translators merge and split paragraphs more readily than sentences."""

DEFAULT_VARIANCE = 6.8
"""Gale & Church's variance of the length difference per character (English–French/German)."""

ANCHOR_BONUS = 1.5
"""Cost reduction (and score logit increase) per anchor shared by both sides of a bead."""

NUMBER_CONFLICT = 2.0
"""Cost increase (and score logit decrease) per number found on one side of a bead only."""

GROUP_CROSSING = 2.0
"""Cost of a bead whose units come from different groups (different paragraphs)."""

KIND_MISMATCH = 4.0
"""Cost of a paragraph bead joining front matter on one side with body text on the other."""

@dataclass(frozen=True)
class AlignUnit:
    """One thing to align: a paragraph or a sentence."""

    text: str
    """The text."""
    kind: str | None = None
    """``"front"`` or ``"body"`` for paragraphs (beads mixing the two cost more); else None."""
    group: int = 0
    """Group it belongs to (its paragraph): beads spanning two groups cost a little more."""


@dataclass(frozen=True)
class Bead:
    """A minimal aligned pair: some source units and the target units that translate them."""

    source: tuple[int, ...]
    """Indices of the source units, consecutive, possibly empty."""
    target: tuple[int, ...]
    """Indices of the target units, consecutive, possibly empty."""
    score: float
    """Confidence in 0..1 (0 when one side is empty)."""
    cost: float = 0.0
    """The bead's cost in the dynamic programme (lower is better)."""
    delta: float = 0.0
    """Standardised length difference δ (0: lengths agree exactly)."""
    shared_anchors: tuple[str, ...] = ()
    """Anchors found on both sides (``#2395``, ``@CTED``)."""
    conflicts: tuple[str, ...] = ()
    """Numbers found on one side only."""

    @property
    def shape(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"``…"""
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True)
class AlignParams:
    """How lengths and anchors are weighed."""

    ratio: float = 1.0
    """Target characters per source character."""
    variance: float = DEFAULT_VARIANCE
    """Variance of the length difference per character (s²)."""
    shapes: Mapping[tuple[int, int], float] = field(default_factory=lambda: dict(SENTENCE_SHAPES))
    """Allowed bead shapes and their priors."""
    vocabulary: frozenset[str] | None = None
    """Anchors that count (those present on both sides of the whole document); None: all."""


# --- lengths and anchors ----------------------------------------------------------------------

_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")


def text_length(text: str) -> int:
    """Characters with runs of whitespace counted as one and no leading/trailing space."""
    return len(_WS.sub(" ", text).strip())


def _ascii_digits(text: str) -> str:
    # Arabic-Indic (٠١٢), Persian (۰۱۲) and full-width (０１２) digits all become 0-9,
    # so "القرار ٢٣٩٥" and "第２３９５号" share the anchor with "resolution 2395".
    out = []
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            try:
                out.append(str(unicodedata.digit(ch)))
                continue
            except (TypeError, ValueError):
                pass
        out.append(ch)
    return "".join(out)


def _is_latin_word(word: str) -> bool:
    return all(ord(ch) < 0x250 for ch in word)


def extract_anchors(text: str) -> Counter[str]:
    """Anchors in ``text``: ``#<digits>`` for numbers, ``@<Word>`` for Latin capitalised words.

    Words must start with a capital and be Latin-script (names such as ``Coninsx``, acronyms
    such as ``CTED`` or ``UNOCT`` left in Latin letters inside Arabic or Chinese text).
    Lowercase words are ignored: they are ordinary vocabulary, not anchors.
    """
    normalised = _ascii_digits(text)
    anchors: Counter[str] = Counter()
    for number in _NUMBER.findall(normalised):
        anchors["#" + (number.lstrip("0") or "0")] += 1
    for word in _WORD.findall(normalised):
        if len(word) >= 2 and word[0].isupper() and _is_latin_word(word):
            anchors["@" + word] += 1
    return anchors


def shared_vocabulary(source_texts: Sequence[str], target_texts: Sequence[str]) -> frozenset[str]:
    """Anchors present on both sides of a document: only these count when scoring beads.

    A capitalised English word that the translation renders differently (``Council`` →
    ``Conseil``) never appears on the target side, so it cannot penalise or reward anything.
    """
    source: set[str] = set()
    target: set[str] = set()
    for text in source_texts:
        source.update(extract_anchors(text))
    for text in target_texts:
        target.update(extract_anchors(text))
    return frozenset(source & target)


def document_ratio(source_texts: Sequence[str], target_texts: Sequence[str], prior: float) -> float:
    """Target/source length ratio measured on the whole document, kept within 1.6× of ``prior``.

    The measured ratio adapts to the translator's style (and to the segmentation of the
    text); the bound keeps a reference with a missing or extra section from skewing it far.
    """
    source = sum(text_length(t) for t in source_texts)
    target = sum(text_length(t) for t in target_texts)
    if source < 200 or target == 0:
        return prior
    measured = target / source
    return min(max(measured, prior / 1.6), prior * 1.6)


# --- cost and score ---------------------------------------------------------------------------


def _delta(l1: float, l2: float, variance: float) -> float:
    if l1 == 0 and l2 == 0:
        return 0.0
    return (l2 - l1) / math.sqrt(variance * (l1 + l2) / 2)


def _p_delta(delta: float) -> float:
    """Two-sided tail probability 2 (1 - Φ(|δ|))."""
    return math.erfc(abs(delta) / math.sqrt(2))


def _anchor_counts(
    source: Counter[str], target: Counter[str], vocabulary: frozenset[str] | None
) -> tuple[list[str], list[str]]:
    shared: list[str] = []
    conflicts: list[str] = []
    for key in sorted(set(source) | set(target)):
        if vocabulary is not None and key not in vocabulary:
            continue
        both = min(source[key], target[key])
        shared.extend([key] * both)
        # Only numbers conflict: translators keep digits, but they may spell a name or an
        # acronym out on one side (CTED → "the Executive Directorate") without any error.
        if key.startswith("#"):
            conflicts.extend([key] * abs(source[key] - target[key]))
    return shared, conflicts


@dataclass(frozen=True)
class _Prepared:
    length: float
    anchors: Counter[str]
    kind: str | None
    group: int


def _prepare(units: Sequence[AlignUnit], scale: float) -> list[_Prepared]:
    return [
        _Prepared(text_length(u.text) / scale, extract_anchors(u.text), u.kind, u.group)
        for u in units
    ]


@dataclass(frozen=True)
class _Cost:
    cost: float
    delta: float
    shared: tuple[str, ...]
    conflicts: tuple[str, ...]


def _bead_cost(
    src: Sequence[_Prepared],
    tgt: Sequence[_Prepared],
    prior: float,
    params: AlignParams,
) -> _Cost:
    l1 = sum(u.length for u in src)
    l2 = sum(u.length for u in tgt)
    delta = _delta(l1, l2, params.variance)
    src_anchors: Counter[str] = Counter()
    tgt_anchors: Counter[str] = Counter()
    for u in src:
        src_anchors.update(u.anchors)
    for u in tgt:
        tgt_anchors.update(u.anchors)
    shared, conflicts = _anchor_counts(src_anchors, tgt_anchors, params.vocabulary)
    cost = -math.log(prior)
    if src and tgt:
        cost += -math.log(max(_p_delta(delta), 1e-300))
        cost += -ANCHOR_BONUS * len(shared) + NUMBER_CONFLICT * len(conflicts)
        kinds = {u.kind for u in src} | {u.kind for u in tgt}
        if len(kinds) > 1 and None not in kinds:
            cost += KIND_MISMATCH
    else:
        # A unit with no counterpart: its length says nothing about a partner it does not
        # have, so only the prior counts (Gale & Church's δ with l2 = 0 would make dropping
        # a long paragraph dearer than wrongly merging it into its neighbour). Numbers that
        # the other side has elsewhere are evidence that it does have a partner, though.
        cost += NUMBER_CONFLICT * len(conflicts) / 2
    if len({u.group for u in src}) > 1:
        cost += GROUP_CROSSING
    if len({u.group for u in tgt}) > 1:
        cost += GROUP_CROSSING
    return _Cost(cost, delta, tuple(shared), tuple(conflicts))


def _logsumexp_neg(values: Sequence[float]) -> float:
    """``-log(sum(exp(-v)))``: the "soft minimum" of costs."""
    low = min(values)
    if low == math.inf:
        return math.inf
    return low - math.log(sum(math.exp(low - v) for v in values))


def align_units(
    source: Sequence[AlignUnit], target: Sequence[AlignUnit], params: AlignParams
) -> list[Bead]:
    """Align two unit lists; the beads cover every index of both lists exactly once, in order.

    The beads are the cheapest path (Viterbi); each bead's ``score`` is its posterior
    probability over *all* paths (forward–backward with the costs as negative log
    probabilities). A bead is therefore confident when no other way of cutting the text
    comes close — a short title translated at twice its length is still certain if it is
    the only title — and doubtful when two cuts are nearly as good.
    """
    src = _prepare(source, 1.0)
    tgt = _prepare(target, params.ratio)
    n, m = len(src), len(tgt)
    shapes = [(shape, prior) for shape, prior in params.shapes.items() if prior > 0]
    if not any(shape == (1, 0) for shape, _ in shapes) or not any(
        shape == (0, 1) for shape, _ in shapes
    ):
        raise ValueError("bead shapes must include (1, 0) and (0, 1) so that any lists tile")
    costs: dict[tuple[int, int, int, int], _Cost] = {}

    def cost(i: int, j: int, di: int, dj: int, prior: float) -> float:
        key = (i, j, di, dj)
        if key not in costs:
            costs[key] = _bead_cost(src[i : i + di], tgt[j : j + dj], prior, params)
        return costs[key].cost

    inf = math.inf
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    forward = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = forward[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            soft: list[float] = []
            for (di, dj), prior in shapes:
                if di > i or dj > j or best[i - di][j - dj] == inf:
                    continue
                c = cost(i - di, j - dj, di, dj, prior)
                total = best[i - di][j - dj] + c
                soft.append(forward[i - di][j - dj] + c)
                if total < best[i][j]:
                    best[i][j] = total
                    back[i][j] = (di, dj)
            if soft:
                forward[i][j] = _logsumexp_neg(soft)
    backward = [[inf] * (m + 1) for _ in range(n + 1)]
    backward[n][m] = 0.0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            soft = [
                cost(i, j, di, dj, prior) + backward[i + di][j + dj]
                for (di, dj), prior in shapes
                if i + di <= n and j + dj <= m and backward[i + di][j + dj] < inf
            ]
            if soft:
                backward[i][j] = _logsumexp_neg(soft)
    total_soft = forward[n][m]
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        i0, j0 = i - di, j - dj
        info = costs[(i0, j0, di, dj)]
        posterior = math.exp(min(0.0, total_soft - forward[i0][j0] - info.cost - backward[i][j]))
        beads.append(
            Bead(
                source=tuple(range(i0, i)),
                target=tuple(range(j0, j)),
                score=round(posterior, 4),
                cost=round(info.cost, 4),
                delta=round(info.delta, 4),
                shared_anchors=info.shared,
                conflicts=info.conflicts,
            )
        )
        i, j = i0, j0
    beads.reverse()
    return beads


def align_texts(
    source: Sequence[str],
    target: Sequence[str],
    *,
    ratio: float = 1.0,
    shapes: Mapping[tuple[int, int], float] = SENTENCE_SHAPES,
    variance: float = DEFAULT_VARIANCE,
) -> list[Bead]:
    """Convenience: align two lists of strings (one group, no kinds), document vocabulary."""
    params = AlignParams(
        ratio=ratio,
        variance=variance,
        shapes=shapes,
        vocabulary=shared_vocabulary(source, target),
    )
    return align_units(
        [AlignUnit(t) for t in source], [AlignUnit(t) for t in target], params
    )


__all__ = [
    "ANCHOR_BONUS",
    "AlignParams",
    "AlignUnit",
    "Bead",
    "DEFAULT_VARIANCE",
    "PARAGRAPH_SHAPES",
    "SENTENCE_SHAPES",
    "align_texts",
    "align_units",
    "document_ratio",
    "extract_anchors",
    "shared_vocabulary",
    "text_length",
]
