"""Running headers, footers and page numbers, recognised by position (rule 2).

A running line is a line in the top or bottom fifth of the page whose text (digits ignored, so
"Page 2 of 7" matches "Page 3 of 7") recurs at the same height on two or more pages; a page
number is a line in those zones that is only a number (``3``, ``- 3 -``, ``Page 3 of 7``).
"""

from __future__ import annotations

import re
from collections import defaultdict

from toolkit.document import Repair
from toolkit.ingest.pdf.lines import Line, Page

_MARGIN_ZONE = 0.2


def _repeat_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def mark_running_lines(pages: list[Page], repairs: list[Repair]) -> None:
    """Rule 2: running headers, footers and page numbers, by position."""
    from toolkit.segment.repair import is_page_number

    seen: defaultdict[tuple[str, str, int], set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            zone = _zone(line, page)
            if zone:
                seen[(zone, _repeat_key(line.text), round(line.top / 4))].add(page.number)

    def repeated(zone: str, line: Line) -> bool:
        key = _repeat_key(line.text)
        bucket = round(line.top / 4)
        pages_seen: set[int] = set()
        for near in (bucket - 1, bucket, bucket + 1):
            pages_seen |= seen.get((zone, key, near), set())
        return len(pages_seen) >= 2

    for page in pages:
        for line in page.lines:
            zone = _zone(line, page)
            if not zone:
                continue
            if is_page_number(line.text):
                line.role = "page-number"
                repairs.append(Repair("page-number", page.number, line.text))
            elif repeated(zone, line):
                line.role = zone
                repairs.append(Repair(zone, page.number, line.text))  # type: ignore[arg-type]


def _zone(line: Line, page: Page) -> str:
    if line.top < page.height * _MARGIN_ZONE:
        return "header"
    if line.top > page.height * (1 - _MARGIN_ZONE):
        return "footer"
    return ""
