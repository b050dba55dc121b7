"""Running poppler's ``pdftohtml -xml`` and reading its XML into positioned text runs.

Why poppler: it is already a dependency (``poppler-utils``), it is fast (a 50-page statement in
tens of milliseconds, see ``bench/ingest.py``), permissive with damaged files, and it gives
exactly what the layout rules need: ``<page>`` elements with their size, and per text run its
``top``/``left``/``width``/``height``, its font (size and name) and ``<b>`` for bold.
pypdfium2 would add a 4 MB wheel and report weight 0 for non-embedded bold fonts;
pdfplumber/pdfminer are 60× slower; PyMuPDF is AGPL.

What poppler refuses (encrypted, damaged, too slow) becomes one line and a hint here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import DependencyError, InputError

MAX_PDF_PAGES = 500
"""Longer documents are reports or records, not a statement: refused."""
PDFTOHTML_TIMEOUT = 60.0
"""Seconds poppler may take before the file is taken as damaged (a 500-page PDF takes ~1 s)."""

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold", re.I)


@dataclass
class Run:
    """One ``<text>`` element of poppler's XML: a piece of a line in one font, in points."""

    top: float
    left: float
    width: float
    height: float
    size: float
    bold: bool
    text: str

    @property
    def right(self) -> float:
        """x of the run's right edge."""
        return self.left + self.width

    @property
    def middle(self) -> float:
        """y of the run's vertical middle (runs of one line share it)."""
        return self.top + self.height / 2


@dataclass(frozen=True)
class PageRuns:
    """One ``<page>`` of poppler's XML: its number, size and text runs in document order."""

    number: int
    width: float
    height: float
    runs: list[Run]


def _pdftohtml() -> str:
    tool = shutil.which("pdftohtml")
    if tool is None:
        raise DependencyError(
            "Reading a PDF needs poppler's pdftohtml, which is not installed.",
            "Install poppler-utils (Debian: `apt-get install poppler-utils`).",
        )
    return tool


def run_poppler(pdf: Path, name: str) -> bytes:
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


def check_header(raw: bytes, name: str) -> None:
    """Refuse a file without a ``%PDF-`` header (a browser error page saved as .pdf)."""
    # PDF readers accept the header anywhere in the first KiB (after junk from mail gateways).
    if b"%PDF-" not in raw[:1024]:
        raise InputError(
            f"{name} is not a PDF (no %PDF- header): it is damaged or another kind of file.",
            "Check the file; a PDF saved from a browser error page is HTML, not PDF.",
        )


def page_count(xml: bytes) -> int:
    """How many pages poppler laid out."""
    return xml.count(b"<page ")


def parse_layout(xml: bytes) -> list[PageRuns]:
    """Poppler's XML → pages of runs, with font size and weight resolved from ``<fontspec>``."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xml, parser)
    fonts: dict[str, tuple[float, bool]] = {}
    pages: list[PageRuns] = []
    for page in root.iter("page"):
        runs: list[Run] = []
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
                Run(
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
            PageRuns(
                int(page.get("number", len(pages) + 1)),
                float(page.get("width", "612")),
                float(page.get("height", "792")),
                runs,
            )
        )
    return pages
