"""The aligner's dynamic programmes: the cheapest path through bead shapes, and its posteriors.

:mod:`toolkit.translate.align` says what a bead costs (lengths, anchors, kinds, groups);
this module only searches. Given ``n`` source and ``m`` target units, a list of bead shapes
``(di, dj)`` and a cost for each bead, it finds the Viterbi path (the cheapest way to tile
both lists with beads, in order) and, by forward–backward over the same costs, each step's
posterior probability and the soft total over all paths. The aligner reports a bead's
posterior as its ``score``: it is low exactly when another way of cutting the text is
nearly as good.

:func:`best_path` is the plain programme, with one cost call per bead; :func:`table_path`
is the same programme over a precomputed cost table (the paragraph pass, where a call per
bead would dominate). They must agree bit for bit, and the tests check that they do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def soft_minimum(values: Sequence[float]) -> float:
    """``-log(sum(exp(-v)))``: the "soft minimum" of costs."""
    low = min(values)
    if low == math.inf:
        return math.inf
    return low - math.log(sum(math.exp(low - v) for v in values))


CostFunction = Callable[[int, int, int, int], float]
"""``cost(i, j, di, dj)``: cost of the bead taking source ``i:i+di`` and target ``j:j+dj``."""


@dataclass(frozen=True)
class BeadPath:
    """A path through the bead lattice: its steps, their posteriors, the soft total."""

    steps: tuple[tuple[int, int, int, int], ...]
    """Cheapest path as ``(i, j, di, dj)`` steps, in order."""
    posteriors: tuple[float, ...]
    """Posterior probability of each step over all paths."""
    total: float = 0.0
    """Soft total cost over all paths: ``-log`` of the probability of the data."""


def _forward(
    n: int, m: int, shapes: Sequence[tuple[int, int]], cost: CostFunction
) -> tuple[list[list[float]], list[list[float]], list[list[tuple[int, int] | None]]]:
    inf = math.inf
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    soft = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = soft[0][0] = 0.0
    shapes = [(di, dj) for di, dj in shapes if di <= n and dj <= m]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            terms: list[float] = []
            for di, dj in shapes:
                if di > i or dj > j or soft[i - di][j - dj] == inf:
                    continue
                c = cost(i - di, j - dj, di, dj)
                if c == inf:
                    continue
                terms.append(soft[i - di][j - dj] + c)
                if best[i - di][j - dj] + c < best[i][j]:
                    best[i][j] = best[i - di][j - dj] + c
                    back[i][j] = (di, dj)
            if terms:
                soft[i][j] = soft_minimum(terms)
    return best, soft, back


def soft_total(n: int, m: int, shapes: Sequence[tuple[int, int]], cost: CostFunction) -> float:
    """Cost summed over all paths (``-log`` of the total probability)."""
    return _forward(n, m, shapes, cost)[1][n][m]


def best_path(n: int, m: int, shapes: Sequence[tuple[int, int]], cost: CostFunction) -> BeadPath:
    """Viterbi path, with each step's posterior probability from forward–backward."""
    check_shapes(shapes)
    best, soft, back = _forward(n, m, shapes, cost)
    inf = math.inf
    backward = [[inf] * (m + 1) for _ in range(n + 1)]
    backward[n][m] = 0.0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            terms = [
                cost(i, j, di, dj) + backward[i + di][j + dj]
                for di, dj in shapes
                if i + di <= n and j + dj <= m and backward[i + di][j + dj] < inf
            ]
            if terms:
                backward[i][j] = soft_minimum(terms)
    return _trace_back(n, m, soft, back, backward, cost)


def check_shapes(shapes: Sequence[tuple[int, int]]) -> None:
    """Refuse shape sets through which some pair of lists has no path."""
    if (1, 0) not in shapes or (0, 1) not in shapes:
        raise ValueError("bead shapes must include (1, 0) and (0, 1) so that any lists tile")


def table_path(
    n: int,
    m: int,
    shapes: Sequence[tuple[int, int]],
    table: Sequence[Sequence[Sequence[float]]],
    lonely: Sequence[float],
) -> BeadPath:
    """:func:`best_path` over costs looked up in ``table[i][j][k]`` (the paragraph pass's).

    The same programme, operation for operation (shapes tried in the same order, ``inf``
    costs skipped, which adds nothing to a soft minimum), without a call per bead. Where
    every bead but those in ``lonely`` costs ``inf`` (outside the band), only those are tried.
    """
    check_shapes(shapes)
    inf = math.inf
    exp = math.exp
    log = math.log
    indexed = list(enumerate(shapes))
    trivial = [(k, shape) for k, shape in indexed if lonely[k] != inf]
    paired = [(k, shape) for k, shape in indexed if lonely[k] == inf]
    # near[i][j]: some bead outside ``trivial`` can end at (i, j) with a finite cost.
    near = [[False] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if table[i][j] is lonely:
                continue
            for _, (di, dj) in paired:
                if i + di <= n and j + dj <= m:
                    near[i + di][j + dj] = True

    def soft_min(terms: list[float]) -> float:
        if len(terms) == 1:
            return terms[0]  # low - log(exp(0)) is exactly low
        low = min(terms)
        total = 0.0
        for v in terms:
            total += exp(low - v)
        return low - log(total)

    best = [[inf] * (m + 1) for _ in range(n + 1)]
    soft = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = soft[0][0] = 0.0
    for i in range(n + 1):
        best_row, soft_row, back_row, near_row = best[i], soft[i], back[i], near[i]
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            terms: list[float] = []
            low = inf
            step: tuple[int, int] | None = None
            for k, (di, dj) in indexed if near_row[j] else trivial:
                if di > i or dj > j:
                    continue
                before = soft[i - di][j - dj]
                if before == inf:
                    continue
                c = table[i - di][j - dj][k]
                if c == inf:
                    continue
                terms.append(before + c)
                value = best[i - di][j - dj] + c
                if value < low:
                    low = value
                    step = (di, dj)
            best_row[j] = low
            back_row[j] = step
            if terms:
                soft_row[j] = soft_min(terms)

    backward = [[inf] * (m + 1) for _ in range(n + 1)]
    backward[n][m] = 0.0
    for i in range(n, -1, -1):
        costs_row = table[i]
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            costs = costs_row[j]
            terms = []
            for k, (di, dj) in trivial if costs is lonely else indexed:
                if i + di > n or j + dj > m:
                    continue
                after = backward[i + di][j + dj]
                if after == inf:
                    continue
                c = costs[k]
                if c == inf:
                    continue
                terms.append(c + after)
            if terms:
                backward[i][j] = soft_min(terms)

    index = {shape: k for k, shape in enumerate(shapes)}

    def cost(i: int, j: int, di: int, dj: int) -> float:
        return table[i][j][index[di, dj]]

    return _trace_back(n, m, soft, back, backward, cost)


def _trace_back(
    n: int,
    m: int,
    soft: Sequence[Sequence[float]],
    back: Sequence[Sequence[tuple[int, int] | None]],
    backward: Sequence[Sequence[float]],
    cost: CostFunction,
) -> BeadPath:
    """The cheapest path from ``back``, each step with its posterior from forward–backward."""
    total = soft[n][m]
    steps: list[tuple[int, int, int, int]] = []
    posteriors: list[float] = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None  # (1, 0) and (0, 1) always give a way back
        di, dj = step
        i0, j0 = i - di, j - dj
        steps.append((i0, j0, di, dj))
        log_p = total - soft[i0][j0] - cost(i0, j0, di, dj) - backward[i][j]
        posteriors.append(math.exp(min(0.0, log_p)))
        i, j = i0, j0
    steps.reverse()
    posteriors.reverse()
    return BeadPath(tuple(steps), tuple(posteriors), total)
