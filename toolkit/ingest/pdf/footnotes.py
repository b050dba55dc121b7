"""Footnotes: the lines below a page's body, kept apart from it (rule 3).

Footnotes are set below the body in a smaller font (or, by some word processors, in the body's
size after a gap, starting with a mark the page's body carries); a line starting with a mark
starts a new footnote. They go to ``SourceText.footnotes``, never into the body text.
"""

from __future__ import annotations

import re

from toolkit.document import Footnote
from toolkit.ingest.pdf.lines import Line, Page

_FOOTNOTE_START = re.compile(r"^(\d{1,3}|[*†‡§])(?:[.)]\s*|\s+)(?=\S)")


def _footnote_area_top(page: Page, body: list[Line], body_size: float) -> float | None:
    """Where the page's footnotes start, or None.

    Footnotes are set below the body in a smaller size; some word processors keep the body
    size, and then the area starts at the first line in the lower half that begins with a mark
    the body of this page carries, after a gap wider than two lines.
    """
    normal = [ln for ln in body if ln.size >= body_size * 0.92]
    if not normal:
        return None
    last_body = max(ln.top for ln in normal)
    small = [
        ln
        for ln in body
        if ln.top > last_body and ln.size < body_size * 0.92 and ln.top >= page.height / 2
    ]
    if small:
        return min(ln.top for ln in small)
    marks = {mark for ln in body for mark, _ in ln.marks}
    for before, line in zip(body, body[1:], strict=False):
        start = _FOOTNOTE_START.match(line.text)
        if (
            start
            and start.group(1) in marks
            and line.top >= page.height / 2
            and line.top - before.top > 2.0 * line.size * 1.2 + before.size * 0.2
        ):
            return line.top
    return None


def mark_footnotes(page: Page, body_size: float, footnotes: list[Footnote]) -> None:
    """Rule 3: the lines of the footnote area are footnotes; a mark starts each one."""
    body = [ln for ln in page.lines if ln.role == "body"]
    area_top = _footnote_area_top(page, body, body_size)
    if area_top is None:
        return
    current: list[str] | None = None
    mark = ""
    for line in body:
        if line.top < area_top:
            continue
        line.role = "footnote"
        start = _FOOTNOTE_START.match(line.text)
        if start or current is None or line.marks:
            if current is not None:
                footnotes.append(Footnote(mark, " ".join(current), page.number))
            if start:
                mark, text = start.group(1), line.text[start.end() :]
            elif line.marks:
                mark, text = line.marks[0][0], line.text
            else:
                mark, text = "", line.text
            current = [text]
        else:
            current.append(line.text)
    if current is not None:
        footnotes.append(Footnote(mark, " ".join(current), page.number))
