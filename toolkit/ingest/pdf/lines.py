"""Poppler's runs → lines (rule 1 of :mod:`toolkit.ingest.pdf`), footnote marks taken out.

Runs on one baseline are one line, unless a wide gap separates them (a column gutter, decided
later by :mod:`toolkit.ingest.pdf.columns`). A small run of 1–3 digits or ``*†‡`` raised beside
body text is a footnote mark: removed from the text and recorded where it sat.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from toolkit.document import SourceLine
from toolkit.ingest.blocks import clean_inline
from toolkit.ingest.pdf.poppler import Run
from toolkit.ingest.pdf.rtl_cjk import (
    is_cjk_line,
    is_rtl,
    read_right_to_left,
    without_cjk_autospace,
)

_FOOTNOTE_MARK = re.compile(r"^(\d{1,3}|[*†‡§])$")
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}»”’%")


@dataclass
class Line:
    """One line of text in one flow, in points; ``role`` says what the layout rules took it for."""

    page: int
    top: float
    left: float
    right: float
    size: float
    bold: bool
    text: str
    role: str = "body"
    column: int = 0
    marks: list[tuple[str, str]] = field(default_factory=list)
    """(mark, where it sat in the line) for each footnote mark taken out of the text."""
    row: int = 0

    def to_source_line(self) -> SourceLine:
        """The frozen record of this line kept in :attr:`SourceText.pages`."""
        return SourceLine(
            text=self.text,
            page=self.page,
            top=round(self.top, 1),
            left=round(self.left, 1),
            width=round(self.right - self.left, 1),
            size=self.size,
            bold=self.bold,
            column=self.column,
            role=self.role,  # type: ignore[arg-type]
        )


@dataclass
class Page:
    """One page's lines, top to bottom; ``columns`` is set to 2 when a gutter is found."""

    number: int
    width: float
    height: float
    lines: list[Line]
    columns: int = 1


def body_font_size(runs: list[Run]) -> float:
    """The font size most of the document's characters are set in (to half a point)."""
    weights: Counter[float] = Counter()
    for run in runs:
        weights[round(run.size * 2) / 2] += len(run.text.strip())
    return weights.most_common(1)[0][0] if weights else 10.0


def lines_of_page(
    number: int, runs: list[Run], body_size: float, width: float = 612.0
) -> list[Line]:
    """Group runs into lines (rule 1), taking footnote marks out of the text."""
    runs = sorted(runs, key=lambda r: (r.middle, r.left))
    rows: list[list[Run]] = []
    anchors: list[Run] = []  # the largest run of each row: its middle is the row's baseline
    for run in runs:
        # sorted by middle: a run can only belong to one of the last few rows
        for index in range(len(rows) - 1, max(-1, len(rows) - 5), -1):
            anchor = anchors[index]
            if abs(anchor.middle - run.middle) <= max(anchor.height, run.height) * 0.5:
                rows[index].append(run)
                if run.size > anchor.size:
                    anchors[index] = run
                break
        else:
            rows.append([run])
            anchors.append(run)
    lines: list[Line] = []
    for row_number, row in enumerate(rows):
        row.sort(key=lambda r: r.left)
        main_size = max(r.size for r in row)
        # a gap wider than a few spaces may be a column gutter: keep the pieces apart until the
        # columns are known (reading_order joins pieces that turn out to share a column)
        segments: list[list[Run]] = [[]]
        for run in row:
            current = segments[-1]
            if current and run.left - current[-1].right > 1.0 * main_size:
                segments.append([run])
            else:
                current.append(run)
        for segment in segments:
            line = _segment_line(number, segment, body_size)
            if line is not None and is_rtl(line.text):
                read_right_to_left(line, width)
            elif line is not None and is_cjk_line(line.text):
                line.text = without_cjk_autospace(line.text)
            if line is not None:
                line.row = row_number
                lines.append(line)
    lines.sort(key=lambda ln: (ln.top, ln.left))
    return lines


def _embed_overlapping(runs: list[Run]) -> list[Run]:
    """Put a run drawn inside another one's span (a quote mark in a fallback font) in its place.

    poppler leaves a space in the long run where the glyph of another font sits; the short run
    replaces that space (or goes between characters) at the position its x gives.
    """
    merged: list[Run] = []
    for run in runs:
        host = merged[-1] if merged else None
        if host is None or run.left >= host.right - 0.5 or len(run.text) > len(host.text):
            merged.append(run)
            continue
        share = (run.left - host.left) / max(host.width, 1.0)
        cut = max(0, min(len(host.text), round(share * len(host.text))))
        for near in (cut, cut - 1, cut + 1):  # the space poppler left for the glyph
            if 0 <= near < len(host.text) and host.text[near] == " ":
                text = host.text[:near] + run.text + host.text[near + 1 :]
                break
        else:
            text = host.text[:cut] + run.text + host.text[cut:]
        merged[-1] = Run(
            host.top,
            host.left,
            max(host.right, run.right) - host.left,
            host.height,
            host.size,
            host.bold and run.bold,
            text,
        )
    return merged


def _without_gap_at(host: Run, x: float) -> Run:
    """``host`` without the space poppler left where a footnote mark was drawn over it."""
    cut = round((x - host.left) / max(host.width, 1.0) * len(host.text))
    for near in (cut, cut - 1, cut + 1, cut - 2, cut + 2):
        if 0 < near < len(host.text) - 1 and host.text[near] == " ":
            after = host.text[near + 1]
            if not after.isalnum():  # "2017 ," → "2017,"; a space before a word stays
                text = host.text[:near] + host.text[near + 1 :]
                return Run(host.top, host.left, host.width, host.height, host.size, host.bold, text)
    return host


def _mark_context(kept: list[Run], mark: Run) -> str:
    """``… resolution 2395 (2017),[1] the Committee …``: where a footnote mark sat in its line.

    The mark is a run of its own, drawn over the line's run: its place in the text is estimated
    from its x position (proportional to the run's width).
    """
    before = " ".join(r.text for r in kept[:-1])
    after = ""
    if kept:
        last = kept[-1]
        cut = round((mark.left - last.left) / max(last.width, 1.0) * len(last.text))
        cut = max(0, min(len(last.text), cut))
        while (
            0 < cut < len(last.text)
            and not last.text[cut - 1].isspace()
            and not (last.text[cut].isspace())
        ):
            cut += 1  # a mark follows a word, never splits one
        before = f"{before} {last.text[:cut]}"
        after = last.text[cut:]
    head = " ".join(clean_inline(after).split()[:3])
    return f"… {last_words(clean_inline(before))}[{mark.text.strip()}] {head} …".replace(" …", " …")


def _segment_line(number: int, runs: list[Run], body_size: float) -> Line | None:
    if len(runs) == 1:  # most lines: one run, nothing to merge
        run = runs[0]
        text = clean_inline(run.text)
        if not text:
            return None
        return Line(number, run.top, run.left, run.right, round(run.size * 2) / 2, run.bold, text)
    size = max(r.size for r in runs)
    marks: list[tuple[str, str]] = []
    kept: list[Run] = []
    for index, run in enumerate(runs):
        small = run.size <= size * 0.8 and run.size < body_size * 0.9
        if small and index > 0 and _FOOTNOTE_MARK.match(run.text.strip()):
            marks.append((run.text.strip(), _mark_context(kept, run)))
            if kept and run.left < kept[-1].right - 0.5:
                kept[-1] = _without_gap_at(kept[-1], run.left)
            continue
        kept.append(run)
    if not kept:
        return None
    kept = _embed_overlapping(kept)
    text = ""
    for index, run in enumerate(kept):
        piece = run.text
        gap = run.left - kept[index - 1].right if index else 0.0
        closing = piece[:1] in _NO_SPACE_BEFORE  # "2017" [mark] ", CTED": no space
        if text and not text.endswith(" ") and not piece.startswith(" ") and gap > 0.15 * size:
            text += "" if closing else " "
        text += piece
    text = clean_inline(text)
    if not text:
        return None
    main = [r for r in kept if r.size >= size * 0.8]
    return Line(
        page=number,
        top=min(r.top for r in kept),
        left=min(r.left for r in kept),
        right=max(r.right for r in kept),
        size=round(size * 2) / 2,
        bold=all(r.bold for r in main),
        text=text,
        marks=marks,
    )


def last_words(text: str, words: int = 3) -> str:
    """The last few words of ``text``, to show a repair in context."""
    return " ".join(text.split()[-words:])


def first_words(text: str, words: int = 3) -> str:
    """The first few words of ``text``, to show a repair in context."""
    return " ".join(text.split()[:words])
