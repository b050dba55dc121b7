"""Two-column pages and reading order (rule 4).

A page whose body lines leave a vertical gutter near the middle (lines on both sides, none
crossing it but full-width ones) is read left column first, then right; a full-width line (a
heading) closes a band of columns.
"""

from __future__ import annotations

import bisect

from toolkit.ingest.pdf.lines import Line, Page


def _gutter(lines: list[Line], width: float) -> float | None:
    """Rule 4: an x between 30% and 70% of the page that body lines keep clear of, if any."""
    if len(lines) < 6:
        return None
    rights = sorted(ln.right for ln in lines)
    lefts = sorted(ln.left for ln in lines)
    best: tuple[int, float] | None = None
    x = width * 0.3
    while x <= width * 0.7:
        left = bisect.bisect_right(rights, x)
        right = len(lefts) - bisect.bisect_left(lefts, x)
        crossing = len(lines) - left - right
        if left >= 3 and right >= 3 and crossing <= len(lines) * 0.25:
            score = (crossing, abs(x - width / 2))
            if best is None or score < (best[0], abs(best[1] - width / 2)):
                best = (crossing, x)
        x += 2.0
    return None if best is None else best[1]


def _merge_row_pieces(lines: list[Line]) -> list[Line]:
    """Join pieces of one row that belong to the same flow (a tab stop, not a gutter)."""
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and last.row == line.row and last.page == line.page:
            last.text = f"{last.text} {line.text}"
            last.right = max(last.right, line.right)
            last.bold = last.bold and line.bold
            last.marks.extend(line.marks)
            continue
        merged.append(line)
    return merged


def reading_order(page: Page) -> list[list[Line]]:
    """Body lines as flows (one per column band), in reading order."""
    body = [ln for ln in page.lines if ln.role == "body"]
    gutter = _gutter(body, page.width)
    if gutter is None:
        return [_merge_row_pieces(body)] if body else []
    page.columns = 2
    flows: list[list[Line]] = []
    band_left: list[Line] = []
    band_right: list[Line] = []

    def close_band() -> None:
        if band_left:
            flows.append(list(band_left))
        if band_right:
            flows.append(list(band_right))
        band_left.clear()
        band_right.clear()

    for line in body:
        if line.right <= gutter and band_left and band_left[-1].row == line.row:
            band_left[-1] = _merge_row_pieces([band_left[-1], line])[0]
        elif line.left >= gutter and band_right and band_right[-1].row == line.row:
            band_right[-1] = _merge_row_pieces([band_right[-1], line])[0]
        elif line.right <= gutter:
            line.column = 1
            band_left.append(line)
        elif line.left >= gutter:
            line.column = 2
            band_right.append(line)
        else:
            close_band()
            flows.append([line])
    close_band()
    return flows
