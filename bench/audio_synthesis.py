"""Benchmark: offline audio readings of the bundled speech in the six languages.

Prints, per language, the audio duration, the cold espeak-ng build time and its real-time
factor (build time / audio duration), and the cached rebuild times: with the outputs in
place (nothing to redo) and into an empty folder (re-encoded from the sentence cache).
Targets: cold build of all six < 10% of the audio duration; cached rebuild < 1 s.

The English speech is the bundled source; the other languages use the reference
translations source/<slug>.<lang>.md when present (segmented like a source).

Run: .venv/bin/python bench/audio_synthesis.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SLUG = "2021-05-26-coninsx-civil-society"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TOOLKIT_HOME"] = str(Path(tmp) / "home")
        from toolkit.export.audio import AudioOptions, render_audio
        from toolkit.segment import segment_file
        from toolkit.tts.espeak_engine import EspeakEngine

        docs = {}
        for lang in LANGS:
            path = REPO / "source" / f"{SLUG}.{lang}.md"
            if path.is_file():
                docs[lang] = segment_file(path)
            else:
                print(f"{lang}: no source/{SLUG}.{lang}.md; skipped", file=sys.stderr)
        out = Path(tmp) / "exports"
        options = AudioOptions(tts="espeak")
        rows = []
        engine = EspeakEngine()
        try:
            for lang, doc in docs.items():
                start = time.perf_counter()
                result = render_audio(doc, lang, out, options, engine=engine)
                cold = time.perf_counter() - start
                rows.append([lang, result.duration_s, cold, len(result.cues), result.synthesized])
        finally:
            engine.close()
        start = time.perf_counter()
        for lang, doc in docs.items():
            result = render_audio(doc, lang, out, options)
            assert result.synthesized == 0 and not result.encoded
        rebuild_in_place = time.perf_counter() - start
        per_lang_fresh = []
        for lang, doc in docs.items():
            start = time.perf_counter()
            result = render_audio(doc, lang, Path(tmp) / "fresh", options)
            per_lang_fresh.append(time.perf_counter() - start)
            assert result.synthesized == 0 and result.encoded

    print(f"{'lang':<5}{'audio s':>9}{'cold s':>9}{'RTF':>8}{'cues':>6}{'from cache s':>14}")
    for (lang, duration, cold, cues, _), fresh in zip(rows, per_lang_fresh, strict=True):
        print(
            f"{lang:<5}{duration:>9.1f}{cold:>9.2f}{cold / duration:>8.3f}{cues:>6}{fresh:>14.2f}"
        )
    total_audio = sum(r[1] for r in rows)
    total_cold = sum(r[2] for r in rows)
    print(
        f"all  {total_audio:>9.1f}{total_cold:>9.2f}{total_cold / total_audio:>8.3f}"
        f"{sum(r[3] for r in rows):>6}{sum(per_lang_fresh):>14.2f}"
    )
    print(f"cold build: {100 * total_cold / total_audio:.1f}% of the audio duration (target < 10%)")
    print(f"cached rebuild, outputs in place: {rebuild_in_place:.3f} s (target < 1 s)")
    print(f"cached rebuild into an empty folder (re-encode only): {sum(per_lang_fresh):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
