"""Time per bilingual PDF for the bundled speech, and for one 10x longer.

Run: .venv/bin/python bench/pdf_render.py [--repeat N]

Each target language is the bundled speech with its reference translation
(source/2021-05-26-coninsx-civil-society.<lang>.md, aligned as `toolkit build` does),
rendered side by side. The 10x speech repeats the body ten times (new paragraph IDs). The
first render in a process also loads and registers the fonts; it is reported apart ("cold").
Target: under 0.5 s per PDF for the bundled speech, time growing linearly with length
(10x/1x about 10 or less: fixed costs such as the masthead do not grow).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from toolkit.document import (
    Paragraph,
    Sentence,
    TranslatedParagraph,
    TranslatedSentence,
    TranslatedSpeech,
)
from toolkit.export.pdf import PdfOptions, render_pdf_bytes
from toolkit.segment import segment_file
from toolkit.translate import TranslateOptions, translate_speech

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "source" / "2021-05-26-coninsx-civil-society.en.md"
LANGS = ("ar", "zh", "ru", "fr", "es")


def _longer(translated: TranslatedSpeech, times: int) -> TranslatedSpeech:
    """The same speech with its body paragraphs repeated ``times`` times, renumbered."""
    speech = translated.speech
    front = [p for p in speech.paragraphs if p.kind in ("title", "subtitle", "dateline", "byline")]
    body = [p for p in speech.paragraphs if p not in front]
    by_id = {p.id: p for p in translated.paragraphs}
    source_paragraphs: list[Paragraph] = list(front)
    target_paragraphs: list[TranslatedParagraph] = [by_id[p.id] for p in front]
    number = len(front)
    for _ in range(times):
        for paragraph in body:
            number += 1
            pid = f"p{number:03d}"
            rename = {s.id: f"{pid}s{s.id.split('s')[-1]}" for s in paragraph.sentences}
            source_paragraphs.append(
                replace(
                    paragraph,
                    id=pid,
                    sentences=tuple(
                        Sentence(rename[s.id], s.text, s.start, s.end) for s in paragraph.sentences
                    ),
                )
            )
            target = by_id[paragraph.id]
            target_paragraphs.append(
                TranslatedParagraph(
                    pid,
                    target.kind,
                    tuple(
                        TranslatedSentence(rename[s.id], s.source, s.text, s.provenance)
                        for s in target.sentences
                    ),
                )
            )
    longer_speech = replace(speech, paragraphs=tuple(source_paragraphs))
    return replace(translated, speech=longer_speech, paragraphs=tuple(target_paragraphs))


def _time(translated: TranslatedSpeech, repeat: int) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(render_pdf_bytes(translated, PdfOptions()))
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="Renders per case (median).")
    args = parser.parse_args()
    speech = segment_file(BUNDLED)
    sentences = sum(1 for _ in speech.sentences())
    print(f"bundled speech: {len(speech.paragraphs)} paragraphs, {sentences} sentences")
    print(f"{'lang':<5}{'cold s':>8}{'1x s':>8}{'10x s':>8}{'10x/1x':>8}{'1x KB':>8}{'10x KB':>8}")
    worst = 0.0
    for lang in LANGS:
        short = translate_speech(speech, lang, TranslateOptions(engine="reference"))
        long = _longer(short, 10)
        start = time.perf_counter()
        render_pdf_bytes(short, PdfOptions())
        cold = time.perf_counter() - start
        one, one_size = _time(short, args.repeat)
        ten, ten_size = _time(long, args.repeat)
        worst = max(worst, one)
        print(
            f"{lang:<5}{cold:>8.3f}{one:>8.3f}{ten:>8.3f}{ten / one:>8.1f}"
            f"{one_size / 1024:>8.0f}{ten_size / 1024:>8.0f}"
        )
    print(f"slowest warm PDF of the bundled speech: {worst:.3f} s (target < 0.5 s)")
    return 0 if worst < 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
