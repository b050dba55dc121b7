"""Lines in reading order → paragraphs (rules 5–7).

Inside a column a new paragraph starts when the vertical gap to the previous line is clearly
wider than the line pitch, when the line is indented, when weight or size change, or when the
previous line ends a sentence well before the right margin. Across page and column breaks the
paragraph continues when the last line before the break runs to the right margin and the text
does not end a sentence (or the next line starts in lower case), and the first line after it is
not indented. Hyphenated line ends are joined by the segmenter's own rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median

from toolkit.document import Repair, RepairKind
from toolkit.ingest.pdf.lines import Line, first_words, last_words


@dataclass
class Para:
    """The lines of one paragraph, possibly across page and column breaks."""

    lines: list[Line]
    bold: bool

    @property
    def page(self) -> int:
        """Page the paragraph starts on."""
        return self.lines[0].page


def _pitch(flows: list[list[Line]]) -> dict[float, float]:
    """Typical distance between consecutive lines of one paragraph, per font size."""
    deltas: defaultdict[float, list[float]] = defaultdict(list)
    for flow in flows:
        for before, after in zip(flow, flow[1:], strict=False):
            if before.size == after.size and after.top > before.top:
                deltas[before.size].append(after.top - before.top)
    pitch: dict[float, float] = {}
    for size, values in deltas.items():
        values.sort()
        # the lower half are line wraps; paragraph gaps only make the upper half wider
        pitch[size] = median(values[: max(1, (len(values) + 1) // 2)])
    return pitch


def _frame(flow: list[Line]) -> tuple[float, float]:
    lefts = Counter(round(ln.left) for ln in flow)
    left = float(lefts.most_common(1)[0][0]) if lefts else 0.0
    right = max((ln.right for ln in flow), default=left)
    return left, right


def _ends_sentence(text: str) -> bool:
    from toolkit.segment.repair import ends_sentence

    return ends_sentence(text)


def _starts_lower(text: str) -> bool:
    from toolkit.segment.repair import continues

    return continues(text)


def _same_style(before: Line, after: Line) -> bool:
    return before.bold == after.bold and abs(before.size - after.size) < 1


def find_paragraphs(flows: list[list[Line]], repairs: list[Repair]) -> list[Para]:
    """Rules 5 and 6."""
    pitch = _pitch(flows)
    frames = [_frame(flow) for flow in flows]

    def wrapped(before: Line, after: Line) -> bool:
        gap = after.top - before.top
        return 0 < gap <= pitch.get(before.size, before.size * 1.2) * 1.3

    # How the document marks paragraphs: by spacing (block style) or not; and how ragged its
    # wrapped lines are (how far short of the right edge a line may end and still be "full").
    transitions = spaced = 0
    slack_samples: list[float] = []
    for flow, (_, right) in zip(flows, frames, strict=True):
        for before, after in zip(flow, flow[1:], strict=False):
            if not _same_style(before, after):
                continue
            transitions += 1
            if wrapped(before, after):
                slack_samples.append(right - before.right)
            else:
                spaced += 1
    by_spacing = spaced >= max(2, transitions * 0.05)
    slack_samples.sort()
    slack = slack_samples[int(len(slack_samples) * 0.9)] if slack_samples else 0.0

    paragraphs: list[Para] = []
    previous: tuple[Line, float, float] | None = None
    for flow, (left, right) in zip(flows, frames, strict=True):
        limit = min(slack, (right - left) * 0.25)
        for index, line in enumerate(flow):
            indented = line.left > left + line.size * 0.9 and line.left - left < (right - left) / 3
            if index == 0:
                if previous is not None and paragraphs:
                    before, before_left, before_right = previous
                    full = (
                        before.right
                        >= before_right - min(slack, (before_right - before_left) * 0.25) - 1
                    )
                    joins = (
                        _same_style(before, line)
                        and not indented
                        and (not _ends_sentence(before.text) or _starts_lower(line.text) or full)
                    )
                    if joins:
                        kind: RepairKind = (
                            "page-break" if before.page != line.page else "column-break"
                        )
                        repairs.append(
                            Repair(
                                kind,
                                before.page,
                                f"… {last_words(before.text)} | {first_words(line.text)} …",
                            )
                        )
                        paragraphs[-1].lines.append(line)
                        continue
                paragraphs.append(Para([line], line.bold))
                continue
            before = flow[index - 1]
            short_end = _ends_sentence(before.text) and before.right < right - limit - 1
            new = (
                not wrapped(before, line)
                or not _same_style(before, line)
                or (indented and abs(before.left - left) <= 2)
                or (not by_spacing and short_end)
            )
            if new:
                paragraphs.append(Para([line], line.bold))
            else:
                paragraphs[-1].lines.append(line)
        previous = (flow[-1], left, right)
    return paragraphs


def join_paragraph(para: Para, joiner: object, repairs: list[Repair]) -> str:
    """The paragraph's lines as one text, line ends joined (and hyphens repaired) by ``joiner``."""
    from toolkit.segment.repair import Joiner

    assert isinstance(joiner, Joiner)
    text = para.lines[0].text
    for before, line in zip(para.lines, para.lines[1:], strict=False):
        joined = joiner.join(text, line.text)
        if text.endswith(("-", "‐")) and text[-2:-1].isalpha() and line.text[:1].isalpha():
            word = joined[len(text) - len(last_words(text, 1)) :].split()[0]
            repairs.append(
                Repair(
                    "hyphenation",
                    before.page,
                    f"… {last_words(text, 2)} | {first_words(line.text, 2)} … → {word}",
                )
            )
        text = joined
    return text
