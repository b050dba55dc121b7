"""Ingest time per page of a 50-page statement PDF, against `pdftotext` on the same file.

Run: .venv/bin/python bench/ingest.py [--pages 50] [--repeat 5]

The PDF is the test statement (tests/input_fixtures.py: running header and footer, page
numbers, a footnote, page-break splits, every third page in two columns), its body repeated
until it has about ``--pages`` pages. Measured side by side in one run, medians of
``--repeat`` rounds:

* ``pdftotext``: poppler's plain text extraction (a subprocess), the floor for any reader;
* ``pdftohtml -xml``: the layout extraction our reader runs (a subprocess);
* ``toolkit.ingest.read_source``: layout extraction plus every repair (headers, footers,
  columns, footnotes, paragraphs, hyphenation) — the whole ingest;
* ``+ segment``: ingest plus segmentation into paragraphs and sentences.

Target (issue 12): the whole ingest of 50 pages well under a second above process start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import input_fixtures  # noqa: E402

from toolkit.ingest import read_source  # noqa: E402
from toolkit.segment import segment  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and its finished children (poppler runs as a child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds: on a shared machine the CPU time is the steadier figure."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _cpu()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _pdf_with_pages(folder: Path, pages: int) -> tuple[Path, int]:
    path = folder / "statement.en.pdf"
    extra = max(0, round((pages - 3) / 1.6))
    while True:
        input_fixtures.write_pdf(path, extra_pages=extra)
        count = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        found = int(next(ln.split()[-1] for ln in count.splitlines() if ln.startswith("Pages:")))
        if found >= pages or extra > pages * 2:
            return path, found
        extra += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, pages = _pdf_with_pages(Path(folder), args.pages)
        size_kib = path.stat().st_size / 1024
        pdftotext = _median_seconds(
            lambda: subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True),
            args.repeat,
        )
        pdftohtml = _median_seconds(
            lambda: subprocess.run(
                ["pdftohtml", "-xml", "-i", "-stdout", "-zoom", "1", str(path)],
                capture_output=True,
                check=True,
            ),
            args.repeat,
        )
        read_source(path)  # warm the imports (lxml) once, as any command start does
        ingest = _median_seconds(lambda: read_source(path), args.repeat)
        source = read_source(path)
        full = _median_seconds(lambda: segment(read_source(path)), args.repeat)
        speech = segment(source)
        start = time.perf_counter()
        subprocess.run(
            [str(REPO / ".venv" / "bin" / "toolkit"), "segment", str(path), "--json"],
            capture_output=True,
            check=True,
        )
        cli = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(
            [str(REPO / ".venv" / "bin" / "toolkit"), "--version"], capture_output=True, check=True
        )
        bare = time.perf_counter() - start
    print(f"PDF: {pages} pages, {size_kib:.0f} KiB; medians of {args.repeat} rounds")
    print(f"{'':34}{'wall':>9}{'per page':>11}{'CPU':>9}{'per page':>11}{'CPU vs pdftotext':>18}")
    for label, (wall, cpu) in (
        ("pdftotext (plain text)", pdftotext),
        ("pdftohtml -xml (layout)", pdftohtml),
        ("read_source (layout + repairs)", ingest),
        ("read_source + segment", full),
    ):
        print(
            f"{label:34}{wall * 1000:>6.0f} ms{wall / pages * 1000:>8.2f} ms"
            f"{cpu * 1000:>6.0f} ms{cpu / pages * 1000:>8.2f} ms{cpu / pdftotext[1]:>17.1f}x"
        )
    repairs = len(source.repairs)
    print(
        f"read: {len(speech.paragraphs)} paragraphs, {sum(1 for _ in speech.sentences())} "
        f"sentences, {repairs} repairs, {len(source.footnotes)} footnotes, "
        f"{sum(p.columns == 2 for p in source.pages)} two-column pages"
    )
    print(
        f"`toolkit segment X.pdf --json` (ingest + segmentation + JSON): {cli * 1000:.0f} ms "
        f"wall, {(cli - bare) * 1000:.0f} ms above `toolkit --version` ({bare * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
