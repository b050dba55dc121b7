"""Length-based alignment of a translation to its source (Gale–Church style, with anchors).

The aligner is pure: it sees two lists of :class:`AlignUnit` (paragraphs, or the sentences of
one aligned paragraph group) and returns :class:`Bead` objects that cover both lists exactly
once, in order. It knows nothing about files or speeches;
:mod:`toolkit.translate.reference_align` drives it over a :class:`~toolkit.document.Speech`.

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
* Dynamic programming (:mod:`toolkit.translate.align_search`) finds the cheapest sequence
  of beads.

* Units with no counterpart (``1-0``, ``0-1``) cost their prior only: their length says
  nothing about a partner they do not have.

Every bead gets a ``score`` in 0..1: its posterior probability over all alignments
(forward–backward over the same costs), so it is low exactly when another way of cutting
the text is nearly as good.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from toolkit.translate.align_search import (
    BeadPath,
    CostFunction,
    best_path,
    check_shapes,
    table_path,
)

SENTENCE_SHAPES: Mapping[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.005,
    (0, 1): 0.005,
    (2, 1): 0.04,
    (1, 2): 0.04,
    (2, 2): 0.011,
    (3, 1): 0.004,
    (1, 3): 0.004,
    (4, 1): 0.001,
    (1, 4): 0.001,
    (5, 1): 0.0005,
    (1, 5): 0.0005,
}
"""Sentence bead shapes ``(source units, target units)`` and their prior probabilities.

Gale & Church's six shapes with their published priors, plus 3-1 … 5-1 (and the reverse)
at low priors, so that a translator joining three short sentences, or a title block that
came out of a PDF as one line, does not force ``unaligned`` beads.
"""

PARAGRAPH_GAP_RUN = 12
"""Longest run of paragraphs one side lacks that is a single bead (``k-0``, ``0-k``)."""

PARAGRAPH_GAP_EXTEND = 0.3
"""Prior of a gap of ``k`` paragraphs relative to ``k - 1``: a missing section, an added page
or a translation that stops half-way is *one* event, so a run of missing paragraphs costs
little more than one, and the gaps gather where the text really is missing instead of being
spread over the document (each spread gap would put a neighbour's text on a row)."""


def _paragraph_shapes() -> dict[tuple[int, int], float]:
    shapes = {
        (1, 1): 0.85,
        (1, 0): 0.01,
        (0, 1): 0.01,
        (2, 1): 0.05,
        (1, 2): 0.05,
        (2, 2): 0.01,
        (3, 1): 0.01,
        (1, 3): 0.01,
        (4, 1): 0.003,
        (1, 4): 0.003,
        (5, 1): 0.002,
        (1, 5): 0.002,
    }
    for k in range(2, PARAGRAPH_GAP_RUN + 1):
        shapes[(k, 0)] = shapes[(0, k)] = 0.01 * PARAGRAPH_GAP_EXTEND ** (k - 1)
    return shapes


PARAGRAPH_SHAPES: Mapping[tuple[int, int], float] = _paragraph_shapes()
"""Paragraph beads: translators merge and split paragraphs more readily than sentences, and
text missing on one side comes in runs (:data:`PARAGRAPH_GAP_EXTEND`)."""

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
    cognates: bool = False
    """Count cognates too (both languages in Latin script, see :func:`extract_anchors`)."""


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


_PUNCTUATION_ANCHORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("^question", re.compile("[?؟？]")),
    ("^exclamation", re.compile("[!！]")),
    ("^dash", re.compile(r"(?<=\s)[—–-](?=\s)|—|——")),
    ("^colon", re.compile(r"[:：](?!\d)")),
    ("^semicolon", re.compile("[;؛；]")),
    ("^quote", re.compile('[“«„「『《"]')),
    ("^paren", re.compile("[(（]")),
    ("^bracket", re.compile("[\\[［【]")),
)
"""Punctuation that translators keep (questions, quotations, brackets, spaced dashes…), each
as one anchor kind, whatever the script writes it with."""

PUNCTUATION_WEIGHT = 0.5
"""A shared punctuation anchor counts this fraction of a shared number or name."""


COGNATE_WEIGHT = 0.5
"""A shared cognate (``~orga``: "organization"/"organisation"/"organización") counts this
fraction of a shared number or name."""

_ANCHOR_WEIGHTS = {"^": PUNCTUATION_WEIGHT, "~": COGNATE_WEIGHT}
"""Weight of each anchor kind by its first character (numbers and names: 1)."""

_COGNATE_LENGTH = 5
_COGNATE_PREFIX = 4


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def extract_anchors(text: str, cognates: bool = False) -> Counter[str]:
    """Anchors in ``text``: ``#<digits>`` for numbers, ``@<Word>`` for Latin capitalised words.

    Punctuation that translations keep (``?``, ``!``, quotes, brackets, colons, spaced
    dashes) counts too, as ``^question``, ``^quote``… in any script.

    Words must start with a capital and be Latin-script (names such as ``Coninsx``, acronyms
    such as ``CTED`` or ``UNOCT`` left in Latin letters inside Arabic or Chinese text).
    Lowercase words are ignored: they are ordinary vocabulary, not anchors.
    """
    return Counter(dict(_anchors(text, cognates)))


@functools.lru_cache(maxsize=1 << 16)
def _anchors(text: str, cognates: bool) -> tuple[tuple[str, int], ...]:
    """:func:`extract_anchors`, as ``(anchor, count)`` pairs, computed once per text."""
    normalised = _ascii_digits(text)
    anchors: Counter[str] = Counter()
    for number in _NUMBER.findall(normalised):
        anchors["#" + (number.lstrip("0") or "0")] += 1
    for word in _WORD.findall(normalised):
        if len(word) >= 2 and word[0].isupper() and _is_latin_word(word):
            anchors["@" + word] += 1
    for name, pattern in _PUNCTUATION_ANCHORS:
        found = len(pattern.findall(text))
        if found:
            anchors[name] += found
    if cognates:
        # Simard, Foster & Isabelle (1992): words of five letters or more sharing their first
        # four are cognates ("government"/"gouvernement", "sustainable"/"sostenible" do not,
        # "development"/"développement" and "global"/"global" do)
        for word in _WORD.findall(normalised):
            if len(word) >= _COGNATE_LENGTH and _is_latin_word(word):
                anchors["~" + _fold(word)[:_COGNATE_PREFIX]] += 1
    # Memoised: a speech's sentences are aligned under several length ratios, and against
    # five references in one process, and their anchors never change.
    return tuple(anchors.items())


def shared_vocabulary(
    source_texts: Sequence[str], target_texts: Sequence[str], cognates: bool = False
) -> frozenset[str]:
    """Anchors present on both sides of a document: only these count when scoring beads.

    A capitalised English word that the translation renders differently (``Council`` →
    ``Conseil``) never appears on the target side, so it cannot penalise or reward anything.
    """
    source: set[str] = set()
    target: set[str] = set()
    for text in source_texts:
        source.update(key for key, _ in _anchors(text, cognates))
    for text in target_texts:
        target.update(key for key, _ in _anchors(text, cognates))
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


def _anchor_lists(
    source: Mapping[str, int], target: Mapping[str, int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Shared anchors and conflicting numbers of two anchor counts (already in the vocabulary)."""
    if not source and not target:
        return (), ()
    shared: list[str] = []
    conflicts: list[str] = []
    for key in sorted(source.keys() | target.keys()):
        src = source.get(key, 0)
        tgt = target.get(key, 0)
        shared.extend([key] * min(src, tgt))
        # Only numbers conflict: translators keep digits, but they may spell a name or an
        # acronym out on one side (CTED → "the Executive Directorate") without any error.
        if key.startswith("#"):
            conflicts.extend([key] * abs(src - tgt))
    return tuple(shared), tuple(conflicts)


@dataclass(frozen=True)
class _Prepared:
    length: float
    anchors: Mapping[str, int]
    """Anchor counts, only those in the vocabulary (the others never count)."""
    kind: str | None
    group: int


def _prepare(
    units: Sequence[AlignUnit],
    scale: float,
    vocabulary: frozenset[str] | None,
    cognates: bool = False,
) -> list[_Prepared]:
    out = []
    for u in units:
        anchors = dict(_anchors(u.text, cognates))
        counted = (
            anchors
            if vocabulary is None
            else {key: count for key, count in anchors.items() if key in vocabulary}
        )
        out.append(_Prepared(text_length(u.text) / scale, counted, u.kind, u.group))
    return out


@dataclass(frozen=True)
class _Span:
    """Consecutive units as one side of a bead: what a bead's cost needs, summed once."""

    count: int
    length: float
    anchors: Mapping[str, int]
    numbers: int
    """How many numbers (``#`` anchors) ``anchors`` counts."""
    kinds: frozenset[str | None]
    groups: int
    number_anchors: Mapping[str, int] = field(default_factory=dict)
    """The ``#`` anchors alone (the only ones that conflict)."""


def _span(units: Sequence[_Prepared]) -> _Span:
    # Summed in the units' order, as always, so the floating-point lengths never change.
    length = sum(u.length for u in units)
    anchors: Counter[str] = Counter()
    for u in units:
        anchors.update(u.anchors)
    numbers = {key: count for key, count in anchors.items() if key.startswith("#")}
    return _Span(
        len(units),
        length,
        dict(anchors),
        sum(numbers.values()),
        frozenset(u.kind for u in units),
        len({u.group for u in units}),
        numbers,
    )


def _anchor_tally(src: _Span, tgt: _Span) -> tuple[float, int]:
    """``len()`` of :func:`_anchor_lists`'s two lists (punctuation counted at its weight)."""
    a, b = src.anchors, tgt.anchors
    if not a:
        return 0, tgt.numbers
    if not b:
        return 0, src.numbers
    shared = 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    for key, x in small.items():
        y = large.get(key)
        if y:
            shared += min(x, y) * _ANCHOR_WEIGHTS.get(key[0], 1.0)
    conflicts = 0
    na, nb = src.number_anchors, tgt.number_anchors
    for key in na.keys() | nb.keys():
        conflicts += abs(na.get(key, 0) - nb.get(key, 0))
    return shared, conflicts


@dataclass(frozen=True)
class _Cost:
    cost: float
    delta: float
    shared: tuple[str, ...]
    conflicts: tuple[str, ...]


def _bead_cost(src: _Span, tgt: _Span, prior_cost: float, variance: float) -> float:
    """Cost of the bead joining ``src`` and ``tgt``; ``prior_cost`` is ``-log`` of its prior."""
    shared, conflicts = _anchor_tally(src, tgt)
    cost = prior_cost
    if src.count and tgt.count:
        delta = _delta(src.length, tgt.length, variance)
        cost += -math.log(max(_p_delta(delta), 1e-300))
        cost += -ANCHOR_BONUS * shared + NUMBER_CONFLICT * conflicts
        kinds = src.kinds | tgt.kinds
        if len(kinds) > 1 and None not in kinds:
            cost += KIND_MISMATCH
    else:
        # A unit with no counterpart: its length says nothing about a partner it does not
        # have, so only the prior counts (Gale & Church's δ with l2 = 0 would make dropping
        # a long paragraph dearer than wrongly merging it into its neighbour). Numbers that
        # the other side has elsewhere are evidence that it does have a partner, though.
        cost += NUMBER_CONFLICT * conflicts / 2
    if src.groups > 1:
        cost += GROUP_CROSSING
    if tgt.groups > 1:
        cost += GROUP_CROSSING
    return cost


class UnitCosts:
    """Bead costs over one pair of unit lists, memoised (the DPs ask for each many times).

    The features of each side of a bead (summed length, anchors, kinds, groups) are computed
    once per span of units and shared by every bead that uses that span. Costs are kept per
    starting cell ``(i, j)`` as a list indexed like :attr:`shapes` (None: not computed yet).
    """

    def __init__(
        self, source: Sequence[AlignUnit], target: Sequence[AlignUnit], params: AlignParams
    ) -> None:
        self.src = _prepare(source, 1.0, params.vocabulary, params.cognates)
        self.tgt = _prepare(target, params.ratio, params.vocabulary, params.cognates)
        self.params = params
        self.shapes = [shape for shape, prior in params.shapes.items() if prior > 0]
        self._shape_index = {shape: k for k, shape in enumerate(self.shapes)}
        self._prior_cost = [-math.log(params.shapes[shape]) for shape in self.shapes]
        self._cells: dict[tuple[int, int], list[float | None]] = {}
        self._src_spans: dict[tuple[int, int], _Span] = {}
        self._tgt_spans: dict[tuple[int, int], _Span] = {}
        # _fitting[a][b]: the shapes (with their index) that fit in a cells × b cells, in
        # order; a and b are capped at the largest shape, beyond which every shape fits.
        self._reach = (max(da for da, _ in self.shapes), max(db for _, db in self.shapes))
        self._fitting = [
            [
                [(k, (da, db)) for k, (da, db) in enumerate(self.shapes) if da <= a and db <= b]
                for b in range(self._reach[1] + 1)
            ]
            for a in range(self._reach[0] + 1)
        ]

    def _spans(self, i: int, j: int, di: int, dj: int) -> tuple[_Span, _Span]:
        src = self._src_spans.get((i, di))
        if src is None:
            src = self._src_spans[(i, di)] = _span(self.src[i : i + di])
        tgt = self._tgt_spans.get((j, dj))
        if tgt is None:
            tgt = self._tgt_spans[(j, dj)] = _span(self.tgt[j : j + dj])
        return src, tgt

    def _cell(self, i: int, j: int) -> list[float | None]:
        cell = self._cells.get((i, j))
        if cell is None:
            cell = self._cells[(i, j)] = [None] * len(self.shapes)
        return cell

    def _compute(self, i: int, j: int, k: int) -> float:
        di, dj = self.shapes[k]
        src, tgt = self._spans(i, j, di, dj)
        return _bead_cost(src, tgt, self._prior_cost[k], self.params.variance)

    def cost(self, i: int, j: int, di: int, dj: int) -> float:
        cell = self._cell(i, j)
        k = self._shape_index[(di, dj)]
        found = cell[k]
        if found is None:
            found = cell[k] = self._compute(i, j, k)
        return found

    def info(self, i: int, j: int, di: int, dj: int) -> _Cost:
        """The bead's cost with its δ and the anchors behind it, for reporting."""
        src, tgt = self._spans(i, j, di, dj)
        shared, conflicts = _anchor_lists(src.anchors, tgt.anchors)
        return _Cost(
            self.cost(i, j, di, dj),
            _delta(src.length, tgt.length, self.params.variance),
            shared,
            conflicts,
        )

    def soft_totals(self, i: int, j: int, ends: Sequence[tuple[int, int]]) -> list[float]:
        """``soft_total`` of the units from ``(i, j)`` to each ``(i + n, j + m)`` in ``ends``.

        One forward pass from the common origin serves every end: a cell's value depends only
        on the cells before it, never on where the rectangle ends, so each end gets exactly
        the number a separate pass over its own rectangle would give. The pass covers only
        the staircase of cells that some end needs.
        """
        rows = max(n for n, _ in ends)
        cap = [-1] * (rows + 1)
        for n, m in ends:
            for a in range(n + 1):
                if cap[a] < m:
                    cap[a] = m
        inf = math.inf
        exp = math.exp
        log = math.log
        known = self._cells
        width = len(self.shapes)
        compute = self._compute
        reach_a, reach_b = self._reach
        soft = [[inf] * (cap[a] + 1) for a in range(rows + 1)]
        soft[0][0] = 0.0
        cells: list[list[list[float | None]]] = []
        for a in range(rows + 1):
            cells_row = []
            for b in range(cap[a] + 1):
                found = known.get((i + a, j + b))
                if found is None:
                    found = known[(i + a, j + b)] = [None] * width
                cells_row.append(found)
            cells.append(cells_row)
        for a in range(rows + 1):
            row = soft[a]
            fitting = self._fitting[min(a, reach_a)]
            for b in range(cap[a] + 1):
                if a == 0 and b == 0:
                    continue
                terms: list[float] = []
                for k, (da, db) in fitting[min(b, reach_b)]:
                    before = soft[a - da][b - db]
                    if before == inf:
                        continue
                    costs = cells[a - da][b - db]
                    c = costs[k]
                    if c is None:
                        c = costs[k] = compute(i + a - da, j + b - db, k)
                    if c == inf:
                        continue
                    terms.append(before + c)
                if len(terms) == 1:
                    row[b] = terms[0]  # low - log(exp(0)) is exactly low
                elif terms:
                    # soft_minimum, inlined (same operations in the same order)
                    low = min(terms)
                    total = 0.0
                    for v in terms:
                        total += exp(low - v)
                    row[b] = low - log(total)
        return [soft[n][m] for n, m in ends]

    def beads(self, path: BeadPath, offset: tuple[int, int] = (0, 0)) -> list[Bead]:
        out = []
        for (i, j, di, dj), posterior in zip(path.steps, path.posteriors, strict=True):
            info = self.info(i, j, di, dj)
            out.append(
                Bead(
                    source=tuple(range(i - offset[0], i + di - offset[0])),
                    target=tuple(range(j - offset[1], j + dj - offset[1])),
                    score=round(posterior, 4),
                    cost=round(info.cost, 4),
                    delta=round(info.delta, 4),
                    shared_anchors=info.shared,
                    conflicts=info.conflicts,
                )
            )
        return out


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
    costs = UnitCosts(source, target, params)
    check_shapes(costs.shapes)
    return costs.beads(best_path(len(source), len(target), costs.shapes, costs.cost))


BAND = 0.25
"""Paragraph boundaries more than this far apart (as a fraction of the longer text, plus the
difference of the two texts' lengths) are never paired by :func:`align_blocks`…"""

BAND_PARAGRAPHS = 12
"""… and, in long texts, more than about this many paragraphs' worth apart (the band is
``min(BAND, BAND_PARAGRAPHS / paragraphs)``), so the work grows linearly, not quadratically."""


def _cumulative(lengths: Sequence[float]) -> list[float]:
    """Boundary positions (cumulative lengths) of consecutive blocks of these lengths."""
    out = [0.0]
    for length in lengths:
        out.append(out[-1] + length)
    return out


@dataclass(frozen=True)
class Block:
    """A paragraph as the hierarchical aligner sees it: a kind and its sentences."""

    sentences: tuple[str, ...]
    """The paragraph's sentences, in order."""
    kind: str | None = None
    """``"front"`` or ``"body"``: paragraph beads mixing the two cost more."""


@dataclass(frozen=True)
class BlockBead:
    """A paragraph-level bead and the sentence beads inside it."""

    source: tuple[int, ...]
    """Indices of the source paragraphs."""
    target: tuple[int, ...]
    """Indices of the target paragraphs."""
    score: float
    """Posterior probability of this paragraph grouping."""
    sentences: tuple[Bead, ...]
    """Sentence beads; their indices count the sentences of this bead's paragraphs, in order
    (source and target separately). Their scores are already multiplied by ``score``."""

    @property
    def shape(self) -> str:
        """``"1-1"``, ``"2-1"``, ``"1-0"``…"""
        return f"{len(self.source)}-{len(self.target)}"


def _paragraph_costs(
    source: Sequence[Block],
    target: Sequence[Block],
    src_start: Sequence[int],
    tgt_start: Sequence[int],
    src_pos: Sequence[float],
    tgt_pos: Sequence[float],
    band: float,
    shapes: Mapping[tuple[int, int], float],
    sentences: UnitCosts,
) -> tuple[list[list[list[float]]], list[float]]:
    """Cost of every paragraph bead, as ``table[i][j][k]`` for shape ``k`` starting at ``(i, j)``.

    A bead costs its prior, plus a kind mismatch, plus the soft total of aligning the
    sentences inside it; beads outside the search band cost ``inf``, except ``1-0`` and
    ``0-1``, which are never cut off, so a path to the end always exists. Entries for beads
    that would run past the end of either text are never read. Every origin outside the band
    shares one row, returned as well so that the path search can skip its ``inf`` entries.
    """
    n, m = len(source), len(target)
    inf = math.inf
    shape_list = list(shapes)
    prior = [-math.log(shapes[shape]) for shape in shape_list]
    # Outside the band only beads with an empty side are allowed: one shared row for them all.
    lonely = [inf if di and dj else prior[k] for k, (di, dj) in enumerate(shape_list)]
    table: list[list[list[float]]] = []
    for i in range(n + 1):
        row: list[list[float]] = []
        for j in range(m + 1):
            if abs(src_pos[i] - tgt_pos[j]) > band:
                row.append(lonely)
                continue
            costs = list(lonely)
            wanted: list[tuple[int, float]] = []
            ends: list[tuple[int, int]] = []
            for k, (di, dj) in enumerate(shape_list):
                if not (di and dj) or i + di > n or j + dj > m:
                    continue
                if abs(src_pos[i + di] - tgt_pos[j + dj]) > band:
                    continue
                cost = prior[k]
                kinds = {b.kind for b in source[i : i + di]} | {b.kind for b in target[j : j + dj]}
                if len(kinds) > 1 and None not in kinds:
                    cost += KIND_MISMATCH
                wanted.append((k, cost))
                ends.append((src_start[i + di] - src_start[i], tgt_start[j + dj] - tgt_start[j]))
            if wanted:
                totals = sentences.soft_totals(src_start[i], tgt_start[j], ends)
                for (k, cost), total in zip(wanted, totals, strict=True):
                    costs[k] = cost + total
            row.append(costs)
        table.append(row)
    return table, lonely


def align_blocks(
    source: Sequence[Block],
    target: Sequence[Block],
    *,
    ratio: float,
    variance: float = DEFAULT_VARIANCE,
    paragraph_shapes: Mapping[tuple[int, int], float] = PARAGRAPH_SHAPES,
    sentence_shapes: Mapping[tuple[int, int], float] = SENTENCE_SHAPES,
) -> list[BlockBead]:
    """Align paragraphs first, then the sentences inside each aligned paragraph group.

    See :func:`align_blocks_scored`, which also returns how well the data fit.
    """
    return align_blocks_scored(
        source,
        target,
        ratio=ratio,
        variance=variance,
        paragraph_shapes=paragraph_shapes,
        sentence_shapes=sentence_shapes,
    )[0]


def align_blocks_scored(
    source: Sequence[Block],
    target: Sequence[Block],
    *,
    ratio: float,
    variance: float = DEFAULT_VARIANCE,
    paragraph_shapes: Mapping[tuple[int, int], float] = PARAGRAPH_SHAPES,
    sentence_shapes: Mapping[tuple[int, int], float] = SENTENCE_SHAPES,
    cognates: bool = False,
) -> tuple[list[BlockBead], float]:
    """Align paragraphs first, then sentences; also return the soft total cost (``-log P``).

    The total compares alignments made under different length ratios: the ratio under which
    the two texts are most probable is the one to believe (a truncated reference's whole
    document ratio is not).

    A paragraph bead costs its prior, plus a kind mismatch, plus the cost of aligning the
    sentences inside it summed over all ways of doing so. Paragraph boundaries are thus chosen
    with the sentence evidence in view: two English paragraphs that a translator merged are
    recognised because their sentences pair off one to one, not merely because the paragraph
    lengths add up. A paragraph with no counterpart costs its prior only.
    """
    vocabulary = shared_vocabulary(
        [t for b in source for t in b.sentences],
        [t for b in target for t in b.sentences],
        cognates,
    )
    sentence_params = AlignParams(ratio, variance, dict(sentence_shapes), vocabulary, cognates)
    src_units = [AlignUnit(t, group=k) for k, b in enumerate(source) for t in b.sentences]
    tgt_units = [AlignUnit(t, group=k) for k, b in enumerate(target) for t in b.sentences]
    sentences = UnitCosts(src_units, tgt_units, sentence_params)
    check_shapes(sentences.shapes)
    src_start = [0]
    for b in source:
        src_start.append(src_start[-1] + len(b.sentences))
    tgt_start = [0]
    for b in target:
        tgt_start.append(tgt_start[-1] + len(b.sentences))

    def inner(i: int, j: int, di: int, dj: int) -> CostFunction:
        s0, t0 = src_start[i], tgt_start[j]

        def cost(a: int, b: int, da: int, db: int) -> float:
            return sentences.cost(s0 + a, t0 + b, da, db)

        return cost

    paragraph_shapes = {k: v for k, v in paragraph_shapes.items() if v > 0}
    par_shapes = list(paragraph_shapes)
    check_shapes(par_shapes)

    # Search band: paragraph boundaries whose positions in the two texts (cumulative lengths,
    # the target's already divided by the ratio) differ by more than the band are never
    # paired. The band is a fraction of the longer text *plus* the difference of the two
    # totals: a translation that stops half-way, or carries an added page, puts every later
    # boundary that much further off, and a band relative to each text's own length would
    # then forbid exactly the right pairs and force the text onto the wrong paragraphs.
    src_lengths = [
        sum(u.length for u in sentences.src[a:b])
        for a, b in zip(src_start, src_start[1:], strict=False)
    ]
    tgt_lengths = [
        sum(u.length for u in sentences.tgt[a:b])
        for a, b in zip(tgt_start, tgt_start[1:], strict=False)
    ]
    src_pos = _cumulative(src_lengths)
    tgt_pos = _cumulative(tgt_lengths)
    fraction = min(BAND, BAND_PARAGRAPHS / max(len(source), len(target), 1))
    band = fraction * max(src_pos[-1], tgt_pos[-1]) + abs(src_pos[-1] - tgt_pos[-1])

    table, lonely = _paragraph_costs(
        source, target, src_start, tgt_start, src_pos, tgt_pos, band, paragraph_shapes, sentences
    )
    path = table_path(len(source), len(target), par_shapes, table, lonely)
    out: list[BlockBead] = []
    for (i, j, di, dj), posterior in zip(path.steps, path.posteriors, strict=True):
        s0, s1 = src_start[i], src_start[i + di]
        t0, t1 = tgt_start[j], tgt_start[j + dj]
        if di and dj:
            inner_path = best_path(s1 - s0, t1 - t0, sentences.shapes, inner(i, j, di, dj))
            shifted = BeadPath(
                tuple((a + s0, b + t0, da, db) for a, b, da, db in inner_path.steps),
                inner_path.posteriors,
            )
            beads = sentences.beads(shifted, offset=(s0, t0))
        else:
            beads = [Bead(source=(k,), target=(), score=0.0) for k in range(s1 - s0)] + [
                Bead(source=(), target=(k,), score=0.0) for k in range(t1 - t0)
            ]
        out.append(
            BlockBead(
                source=tuple(range(i, i + di)),
                target=tuple(range(j, j + dj)),
                score=round(posterior, 4),
                sentences=tuple(
                    replace(b, score=round(b.score * posterior, 4))
                    if b.source and b.target
                    else replace(b, score=0.0)
                    for b in beads
                ),
            )
        )
    return out, path.total


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
    return align_units([AlignUnit(t) for t in source], [AlignUnit(t) for t in target], params)


__all__ = [
    "ANCHOR_BONUS",
    "AlignParams",
    "AlignUnit",
    "Bead",
    "Block",
    "BlockBead",
    "align_blocks",
    "align_blocks_scored",
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
