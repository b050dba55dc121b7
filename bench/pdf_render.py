"""Time per bilingual PDF: the fixture speech in each target language, and a 10x longer one.

Run: .venv/bin/python bench/pdf_render.py [--repeat N]

The speech is the hand-written briefing of tests/data/pdf/speech.json (real Arabic, Chinese,
Russian, French and Spanish text), rendered side by side. The first render in a process
also loads and registers the fonts (once per process); it is reported apart ("cold").
Target: under 0.5 s per PDF for a speech of this size, time growing linearly with length.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from pdf_fixture import build_translated  # noqa: E402

from toolkit.export.pdf import PdfOptions, render_pdf_bytes  # noqa: E402

LANGS = ("ar", "zh", "ru", "fr", "es")


def _time(translated: object, repeat: int) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(render_pdf_bytes(translated, PdfOptions()))  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="Renders per case (median).")
    args = parser.parse_args()
    print(f"{'lang':<5}{'cold s':>8}{'1x s':>8}{'10x s':>8}{'10x/1x':>8}{'1x KB':>8}{'10x KB':>8}")
    for lang in LANGS:
        short, long = build_translated(lang), build_translated(lang, repeat=10)
        start = time.perf_counter()
        render_pdf_bytes(short, PdfOptions())
        cold = time.perf_counter() - start
        one, one_size = _time(short, args.repeat)
        ten, ten_size = _time(long, args.repeat)
        print(
            f"{lang:<5}{cold:>8.3f}{one:>8.3f}{ten:>8.3f}{ten / one:>8.1f}"
            f"{one_size / 1024:>8.0f}{ten_size / 1024:>8.0f}"
        )


if __name__ == "__main__":
    main()
