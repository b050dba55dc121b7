"""PDF → :class:`SourceText`, reading the layout instead of guessing it from text.

Why poppler's ``pdftohtml -xml``: it is already a dependency (``poppler-utils``), it is fast
(a 50-page statement in tens of milliseconds, see ``bench/ingest.py``), permissive with
damaged files, and it gives exactly what the repairs need: ``<page>`` elements with their size,
and per text run its ``top``/``left``/``width``/``height``, its font (size and name) and ``<b>``
for bold. pypdfium2 would add a 4 MB wheel and report weight 0 for non-embedded bold fonts;
pdfplumber/pdfminer are 60× slower; PyMuPDF is AGPL.

What is read from the layout (each a general rule, none knows a particular string):

1. **Lines.** Runs on one baseline are one line, unless a wide gap separates them (columns).
   A small run of 1–3 digits or ``*†‡`` raised beside body text is a footnote mark: removed.
2. **Running headers and footers** are lines in the top or bottom fifth of the page whose text
   (digits ignored, so "Page 2 of 7" matches "Page 3 of 7") recurs at the same height on two
   or more pages. **Page numbers** are lines in those zones that are only a number
   (``3``, ``- 3 -``, ``Page 3 of 7``). All are dropped and recorded.
3. **Footnotes** are lines below the page's body text in a smaller font than the body; a line
   starting with a mark starts a new footnote. They go to ``SourceText.footnotes``.
4. **Columns.** A page whose body lines leave a vertical gutter near the middle (lines on both
   sides, none crossing it but full-width ones) is read left column first, then right; a
   full-width line (a heading) closes a band of columns.
5. **Paragraphs.** Inside a column a new paragraph starts when the vertical gap to the previous
   line is clearly wider than the line pitch, when the line is indented, when weight or size
   change, or when the previous line ends a sentence well before the right margin.
6. **Across page and column breaks** the paragraph continues when the last line before the
   break runs to the right margin and the text does not end a sentence (or the next line starts
   in lower case), and the first line after it is not indented. Each such join is recorded.
7. **Hyphenated line ends** are joined by the segmenter's own rule (the word is rebuilt unless
   the hyphenated form occurs elsewhere or the first part is a prefix such as "counter-").

Refused with one line and a hint: no text layer (a scan: run OCRmyPDF), encrypted, damaged, and
over :data:`MAX_PDF_PAGES` pages or :data:`MAX_PDF_BYTES` bytes.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from toolkit.document import Footnote, Repair, RepairKind, SourceLine, SourcePage, SourceText
from toolkit.errors import DependencyError, InputError
from toolkit.ingest.blocks import Block, clean_inline, render
from toolkit.ingest.files import MiB, read_bounded, split_source_name

MAX_PDF_BYTES = 50 * MiB
"""A statement PDF is well under a megabyte; past 50 MiB it is not one statement."""
MAX_PDF_PAGES = 500
"""Longer documents are reports or records, not a statement: refused."""
PDFTOHTML_TIMEOUT = 60.0
"""Seconds poppler may take before the file is taken as damaged (a 500-page PDF takes ~1 s)."""

_MARGIN_ZONE = 0.2
_FOOTNOTE_MARK = re.compile(r"^(\d{1,3}|[*†‡§])$")
_FOOTNOTE_START = re.compile(r"^(\d{1,3}|[*†‡§])(?:[.)]\s*|\s+)(?=\S)")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_CJK_CLASS = "[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
_CJK_AUTOSPACE = re.compile(
    f"(?<={_CJK_CLASS}) (?=[0-9A-Za-z]|{_CJK_CLASS})|(?<=[0-9A-Za-z]) (?={_CJK_CLASS})"
)
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefc]+")
_SPLIT_LAM_ALEF = re.compile("ا([اأإآ])ل")
_LAM_ALEF_HAMZA = re.compile("ال(?=[ءئ])")
_LONE_LAM_ALEF = re.compile("(?<![^\\W\\d_])([وف]?)ال(?![^\\W\\d_])")
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}»”’%")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold", re.I)


@dataclass
class _Run:
    top: float
    left: float
    width: float
    height: float
    size: float
    bold: bool
    text: str

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass
class _Line:
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
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]
    columns: int = 1


# --- running poppler ---------------------------------------------------------------------------


def _pdftohtml() -> str:
    tool = shutil.which("pdftohtml")
    if tool is None:
        raise DependencyError(
            "Reading a PDF needs poppler's pdftohtml, which is not installed.",
            "Install poppler-utils (Debian: `apt-get install poppler-utils`).",
        )
    return tool


def _run_poppler(pdf: Path, name: str) -> bytes:
    """``pdftohtml -xml`` of ``pdf`` in points, or a one-line error for what it refuses."""
    # no -q: on failure stderr says why ("Incorrect password", "Couldn't read xref table")
    # -l: never lay out more than one page past the limit (a 2,000-page record stops early)
    command = [_pdftohtml(), "-xml", "-i", "-stdout", "-zoom", "1", "-nodrm"]
    command += ["-l", str(MAX_PDF_PAGES + 1), str(pdf)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PDFTOHTML_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(
            f"{name} could not be read within {PDFTOHTML_TIMEOUT:g} s: the PDF looks damaged.",
            "Open it in a PDF viewer and save or print it to a new PDF, then try again.",
        ) from None
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 and ("password" in stderr.lower() or "encrypt" in stderr.lower()):
        raise InputError(
            f"{name} is encrypted (password-protected) and cannot be read.",
            f"Remove the password first, e.g. `qpdf --decrypt --password=… {name} open.pdf`.",
        )
    if done.returncode != 0 or b"<pdf2xml" not in done.stdout:
        errors = [ln.strip() for ln in stderr.splitlines() if "error" in ln.lower()]
        why = (errors[-1] if errors else "no text could be read").split(":", 1)[-1].strip()
        raise InputError(
            f"{name} is not a readable PDF: it is damaged or truncated ({why}).",
            "Get a fresh copy of the file, or open it in a PDF viewer and save it again.",
        )
    return done.stdout


def _check_header(raw: bytes, name: str) -> None:
    # PDF readers accept the header anywhere in the first KiB (after junk from mail gateways).
    if b"%PDF-" not in raw[:1024]:
        raise InputError(
            f"{name} is not a PDF (no %PDF- header): it is damaged or another kind of file.",
            "Check the file; a PDF saved from a browser error page is HTML, not PDF.",
        )


def _page_count(xml: bytes) -> int:
    return xml.count(b"<page ")


# --- XML → runs → lines ------------------------------------------------------------------------


def _parse(xml: bytes) -> list[tuple[int, float, float, list[_Run]]]:
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xml, parser)
    fonts: dict[str, tuple[float, bool]] = {}
    pages: list[tuple[int, float, float, list[_Run]]] = []
    for page in root.iter("page"):
        runs: list[_Run] = []
        for element in page:
            if element.tag == "fontspec":
                family = element.get("family", "")
                fonts[element.get("id", "")] = (
                    float(element.get("size", "0") or 0),
                    bool(_BOLD_NAME.search(family)),
                )
                continue
            if element.tag != "text":
                continue
            text = "".join(element.itertext())
            if not text.strip():
                continue
            size, bold_font = fonts.get(element.get("font", ""), (0.0, False))
            bold_markup = (
                any("".join(b.itertext()).strip() for b in element.iter("b"))
                and not (element.text or "").strip()
            )
            runs.append(
                _Run(
                    top=float(element.get("top", "0")),
                    left=float(element.get("left", "0")),
                    width=float(element.get("width", "0")),
                    height=float(element.get("height", "0")),
                    size=size or float(element.get("height", "0")),
                    bold=bold_font or bold_markup,
                    text=text,
                )
            )
        pages.append(
            (
                int(page.get("number", len(pages) + 1)),
                float(page.get("width", "612")),
                float(page.get("height", "792")),
                runs,
            )
        )
    return pages


def _body_size(runs: list[_Run]) -> float:
    weights: Counter[float] = Counter()
    for run in runs:
        weights[round(run.size * 2) / 2] += len(run.text.strip())
    return weights.most_common(1)[0][0] if weights else 10.0


def _lines_of_page(
    number: int, runs: list[_Run], body_size: float, width: float = 612.0
) -> list[_Line]:
    """Group runs into lines (rule 1), taking footnote marks out of the text."""
    runs = sorted(runs, key=lambda r: (r.middle, r.left))
    rows: list[list[_Run]] = []
    anchors: list[_Run] = []  # the largest run of each row: its middle is the row's baseline
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
    lines: list[_Line] = []
    for row_number, row in enumerate(rows):
        row.sort(key=lambda r: r.left)
        main_size = max(r.size for r in row)
        # a gap wider than a few spaces may be a column gutter: keep the pieces apart until the
        # columns are known (_reading_order joins pieces that turn out to share a column)
        segments: list[list[_Run]] = [[]]
        for run in row:
            current = segments[-1]
            if current and run.left - current[-1].right > 1.0 * main_size:
                segments.append([run])
            else:
                current.append(run)
        for segment in segments:
            line = _segment_line(number, segment, body_size)
            if line is not None and _is_rtl(line.text):
                _read_right_to_left(line, width)
            elif line is not None and _is_cjk_line(line.text):
                # word processors "autospace" between Chinese and digits or Latin letters, and
                # Chinese has no spaces between characters: a gap poppler sees is typography
                line.text = _CJK_AUTOSPACE.sub("", line.text)
            if line is not None:
                line.row = row_number
                lines.append(line)
    lines.sort(key=lambda ln: (ln.top, ln.left))
    return lines


def _is_cjk_line(text: str) -> bool:
    if not _CJK.search(text):  # most lines: one C-speed scan, no counting
        return False
    return len(_CJK.findall(text)) > len(text.replace(" ", "")) / 2


def _is_rtl(text: str) -> bool:
    if not _RTL.search(text):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return len(_RTL.findall(text)) > letters / 2


def _read_right_to_left(line: _Line, page_width: float) -> None:
    """An Arabic (or Hebrew) line: logical order, and x mirrored so rules 4–6 apply as for LTR.

    poppler's layout output gives right-to-left text in visual order (left to right on the
    page). The bidi algorithm applied to it gives the logical order back. A lam-alef ligature is
    one glyph whose text ("لإ") is already logical, so the reversal turns it round: the patterns
    this makes that Arabic never has are turned back ("اإلرهاب" → "الإرهاب", "الزمالء" →
    "الزملاء", a lone "ال" or "وال" → "لا", "ولا"); a ligature inside a word ("علاقة" read as
    "عالقة") cannot be told from a real word without a dictionary and is left as poppler gives
    it. Presentation forms (PDFs shaped by arabic-reshaper, as reportlab's) become letters.
    Mirroring x makes the right margin the line start: indentation, short last lines and the
    right-hand column first all read as they do in left-to-right text.
    """
    # python-bidi's default get_display does not mirror brackets: right here, because the
    # glyphs on the page are already mirrored and their text is the logical character
    from bidi import get_display

    text = get_display(line.text, base_dir="R")
    text = _PRESENTATION_FORM.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _SPLIT_LAM_ALEF.sub(lambda m: "ال" + m.group(1), text)
    text = _LAM_ALEF_HAMZA.sub("لا", text)
    line.text = _LONE_LAM_ALEF.sub(lambda m: m.group(1) + "لا", text)
    line.left, line.right = page_width - line.right, page_width - line.left


def _embed_overlapping(runs: list[_Run]) -> list[_Run]:
    """Put a run drawn inside another one's span (a quote mark in a fallback font) in its place.

    poppler leaves a space in the long run where the glyph of another font sits; the short run
    replaces that space (or goes between characters) at the position its x gives.
    """
    merged: list[_Run] = []
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
        merged[-1] = _Run(
            host.top,
            host.left,
            max(host.right, run.right) - host.left,
            host.height,
            host.size,
            host.bold and run.bold,
            text,
        )
    return merged


def _without_gap_at(host: _Run, x: float) -> _Run:
    """``host`` without the space poppler left where a footnote mark was drawn over it."""
    cut = round((x - host.left) / max(host.width, 1.0) * len(host.text))
    for near in (cut, cut - 1, cut + 1, cut - 2, cut + 2):
        if 0 < near < len(host.text) - 1 and host.text[near] == " ":
            after = host.text[near + 1]
            if not after.isalnum():  # "2017 ," → "2017,"; a space before a word stays
                text = host.text[:near] + host.text[near + 1 :]
                return _Run(
                    host.top, host.left, host.width, host.height, host.size, host.bold, text
                )
    return host


def _mark_context(kept: list[_Run], mark: _Run) -> str:
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
    return f"… {_tail(clean_inline(before))}[{mark.text.strip()}] {head} …".replace(" …", " …")


def _segment_line(number: int, runs: list[_Run], body_size: float) -> _Line | None:
    if len(runs) == 1:  # most lines: one run, nothing to merge
        run = runs[0]
        text = clean_inline(run.text)
        if not text:
            return None
        return _Line(number, run.top, run.left, run.right, round(run.size * 2) / 2, run.bold, text)
    size = max(r.size for r in runs)
    marks: list[tuple[str, str]] = []
    kept: list[_Run] = []
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
    return _Line(
        page=number,
        top=min(r.top for r in kept),
        left=min(r.left for r in kept),
        right=max(r.right for r in kept),
        size=round(size * 2) / 2,
        bold=all(r.bold for r in main),
        text=text,
        marks=marks,
    )


# --- headers, footers, page numbers, footnotes -------------------------------------------------


def _repeat_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _mark_running_lines(pages: list[_Page], repairs: list[Repair]) -> None:
    """Rule 2: running headers, footers and page numbers, by position."""
    from toolkit.segment.repair import is_page_number

    seen: defaultdict[tuple[str, str, int], set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            zone = _zone(line, page)
            if zone:
                seen[(zone, _repeat_key(line.text), round(line.top / 4))].add(page.number)

    def repeated(zone: str, line: _Line) -> bool:
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


def _zone(line: _Line, page: _Page) -> str:
    if line.top < page.height * _MARGIN_ZONE:
        return "header"
    if line.top > page.height * (1 - _MARGIN_ZONE):
        return "footer"
    return ""


def _footnote_area_top(page: _Page, body: list[_Line], body_size: float) -> float | None:
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


def _mark_footnotes(page: _Page, body_size: float, footnotes: list[Footnote]) -> None:
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


# --- columns and reading order -----------------------------------------------------------------


def _gutter(lines: list[_Line], width: float) -> float | None:
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


def _merge_row_pieces(lines: list[_Line]) -> list[_Line]:
    """Join pieces of one row that belong to the same flow (a tab stop, not a gutter)."""
    merged: list[_Line] = []
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


def _reading_order(page: _Page) -> list[list[_Line]]:
    """Body lines as flows (one per column band), in reading order."""
    body = [ln for ln in page.lines if ln.role == "body"]
    gutter = _gutter(body, page.width)
    if gutter is None:
        return [_merge_row_pieces(body)] if body else []
    page.columns = 2
    flows: list[list[_Line]] = []
    band_left: list[_Line] = []
    band_right: list[_Line] = []

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


# --- paragraphs --------------------------------------------------------------------------------


@dataclass
class _Para:
    lines: list[_Line]
    bold: bool

    @property
    def page(self) -> int:
        return self.lines[0].page


def _pitch(flows: list[list[_Line]]) -> dict[float, float]:
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


def _frame(flow: list[_Line]) -> tuple[float, float]:
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


def _same_style(before: _Line, after: _Line) -> bool:
    return before.bold == after.bold and abs(before.size - after.size) < 1


def _paragraphs(flows: list[list[_Line]], repairs: list[Repair]) -> list[_Para]:
    """Rules 5 and 6."""
    pitch = _pitch(flows)
    frames = [_frame(flow) for flow in flows]

    def wrapped(before: _Line, after: _Line) -> bool:
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

    paragraphs: list[_Para] = []
    previous: tuple[_Line, float, float] | None = None
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
                                kind, before.page, f"… {_tail(before.text)} | {_head(line.text)} …"
                            )
                        )
                        paragraphs[-1].lines.append(line)
                        continue
                paragraphs.append(_Para([line], line.bold))
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
                paragraphs.append(_Para([line], line.bold))
            else:
                paragraphs[-1].lines.append(line)
        previous = (flow[-1], left, right)
    return paragraphs


def _tail(text: str, words: int = 3) -> str:
    return " ".join(text.split()[-words:])


def _head(text: str, words: int = 3) -> str:
    return " ".join(text.split()[:words])


def _join_paragraph(para: _Para, joiner: object, repairs: list[Repair]) -> str:
    from toolkit.segment.repair import Joiner

    assert isinstance(joiner, Joiner)
    text = para.lines[0].text
    for before, line in zip(para.lines, para.lines[1:], strict=False):
        joined = joiner.join(text, line.text)
        if text.endswith(("-", "‐")) and text[-2:-1].isalpha() and line.text[:1].isalpha():
            word = joined[len(text) - len(_tail(text, 1)) :].split()[0]
            repairs.append(
                Repair(
                    "hyphenation",
                    before.page,
                    f"… {_tail(text, 2)} | {_head(line.text, 2)} … → {word}",
                )
            )
        text = joined
    return text


# --- the reader --------------------------------------------------------------------------------


def read_pdf(path: Path, lang: str | None = None) -> SourceText:
    """Read a statement PDF into a :class:`SourceText` (see the module docstring)."""
    name = str(path)
    raw = read_bounded(path, MAX_PDF_BYTES, what="statement PDF")
    _check_header(raw, name)
    if path.is_file():
        xml = _run_poppler(path, name)
    else:  # a pipe: poppler needs a file it can seek in
        with tempfile.TemporaryDirectory(prefix="toolkit-pdf-") as folder:
            copy = Path(folder) / "input.pdf"
            copy.write_bytes(raw)
            xml = _run_poppler(copy, name)
    if _page_count(xml) > MAX_PDF_PAGES:
        raise InputError(
            f"{name} has more than {MAX_PDF_PAGES} pages: too long for one statement.",
            "Split out the statement's pages, e.g. `qpdf in.pdf --pages . 1-12 -- statement.pdf`.",
        )
    return layout_to_source(xml, path=name, raw=raw, lang=lang)


def layout_to_source(xml: bytes, *, path: str, raw: bytes, lang: str | None) -> SourceText:
    """The layout XML of ``pdftohtml -xml`` → :class:`SourceText` (rules 1–7)."""
    from toolkit.segment.repair import Joiner

    parsed = _parse(xml)
    all_runs = [run for _, _, _, runs in parsed for run in runs]
    if not any(run.text.strip() for run in all_runs):
        raise InputError(
            f"{path} has no text layer (it is a scan or an image): there is no text to read.",
            "Run OCR on it first, e.g. `ocrmypdf in.pdf out.pdf`, and give the result.",
        )
    body_size = _body_size(all_runs)
    pages = [
        _Page(number, width, height, _lines_of_page(number, runs, body_size, width))
        for number, width, height, runs in parsed
    ]
    repairs: list[Repair] = []
    footnotes: list[Footnote] = []
    _mark_running_lines(pages, repairs)
    flows: list[list[_Line]] = []
    for page in pages:
        _mark_footnotes(page, body_size, footnotes)
        flows.extend(_reading_order(page))
        for line in page.lines:
            for _, context in line.marks:
                repairs.append(Repair("footnote-mark", page.number, context))
    for note in footnotes:
        repairs.append(Repair("footnote", note.page, f"{note.mark} {note.text}".strip()))
    paragraphs = _paragraphs(flows, repairs)
    joiner = Joiner("\n".join(ln.text for flow in flows for ln in flow))
    blocks = [
        Block(_join_paragraph(para, joiner, repairs), para.bold, para.page) for para in paragraphs
    ]
    text = render(blocks)
    if not text.strip():
        raise InputError(
            f"{path} has no body text: only headers, footers or page numbers were found.",
            "Check that this is the statement itself; a scan needs `ocrmypdf in.pdf out.pdf`.",
        )
    repairs.sort(key=lambda r: r.page)
    slug, name_lang = split_source_name(Path(path))
    source_pages = tuple(
        SourcePage(
            number=page.number,
            width=page.width,
            height=page.height,
            columns=page.columns,
            lines=tuple(ln.to_source_line() for ln in page.lines),
        )
        for page in pages
    )
    return SourceText(
        path=path,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding="pdf",
        lang=lang or name_lang,
        slug=slug,
        format="pdf",
        pages=source_pages,
        footnotes=tuple(footnotes),
        repairs=tuple(repairs),
    )


__all__ = ["MAX_PDF_BYTES", "MAX_PDF_PAGES", "layout_to_source", "read_pdf"]
