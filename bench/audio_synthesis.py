"""Benchmark: offline audio readings of the bundled speech in the six languages.

Prints, per language, side by side:

* the audio duration, the cold espeak-ng build time and its real-time factor (build time /
  audio duration);
* the cached rebuild into an empty folder (every sentence and every MP3 chunk cached: the
  file is only reassembled), next to what encoding the whole reading once costs (what
  every such rebuild paid before MP3 chunks were cached);
* a one-sentence edit rendered into an empty folder (what ``toolkit build`` does): one
  sentence synthesised, one paragraph chunk encoded.

And the cached rebuild with the outputs in place (nothing to redo at all).
Targets: cold build of all six < 10% of the audio duration; cached rebuild < 1 s.

The English speech is the bundled source; the other languages use the reference
translations source/<slug>.<lang>.md when present (segmented like a source).

Run: .venv/bin/python bench/audio_synthesis.py
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SLUG = "2021-05-26-coninsx-civil-society"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def edit_one_sentence(doc):  # type: ignore[no-untyped-def]
    """The speech with the last sentence of its middle body paragraph lengthened."""
    body = [i for i, p in enumerate(doc.paragraphs) if p.kind == "body" and p.sentences]
    at = body[len(body) // 2]
    paragraph = doc.paragraphs[at]
    last = paragraph.sentences[-1]
    sentences = (*paragraph.sentences[:-1], dataclasses.replace(last, text=last.text + " 2021"))
    paragraphs = list(doc.paragraphs)
    paragraphs[at] = dataclasses.replace(paragraph, sentences=sentences)
    return dataclasses.replace(doc, paragraphs=tuple(paragraphs))


def whole_encode_seconds(result) -> float:  # type: ignore[no-untyped-def]
    """Time to encode the decoded reading as one MP3 (the old path of every rebuild)."""
    import soundfile

    from toolkit.export.mp3 import encode_mp3

    pcm, rate = soundfile.read(str(result.mp3), dtype="int16")
    start = time.perf_counter()
    encode_mp3(pcm.tobytes(), rate)
    return time.perf_counter() - start


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
                rows.append(
                    [lang, result.duration_s, cold, len(result.cues), result.chunks_encoded]
                )
                rows[-1].append(whole_encode_seconds(result))
        finally:
            engine.close()
        start = time.perf_counter()
        for lang, doc in docs.items():
            result = render_audio(doc, lang, out, options)
            assert result.synthesized == 0 and not result.encoded
        rebuild_in_place = time.perf_counter() - start
        fresh, edits = [], []
        for lang, doc in docs.items():
            start = time.perf_counter()
            result = render_audio(doc, lang, Path(tmp) / "fresh", options)
            fresh.append(time.perf_counter() - start)
            assert result.synthesized == 0 and result.encoded and result.chunks_encoded == 0
            start = time.perf_counter()
            result = render_audio(edit_one_sentence(doc), lang, Path(tmp) / "edit", options)
            edits.append(time.perf_counter() - start)
            assert result.synthesized == 1 and result.chunks_encoded == 1, result

    print(
        f"{'lang':<5}{'audio s':>9}{'cold s':>9}{'RTF':>8}{'cues':>6}{'chunks':>8}"
        f"{'whole encode s':>16}{'from cache s':>14}{'1-sentence edit s':>19}"
    )
    for (lang, duration, cold, cues, chunks, whole), f, e in zip(rows, fresh, edits, strict=True):
        print(
            f"{lang:<5}{duration:>9.1f}{cold:>9.2f}{cold / duration:>8.3f}{cues:>6}{chunks:>8}"
            f"{whole:>16.2f}{f:>14.2f}{e:>19.2f}"
        )
    total_audio = sum(r[1] for r in rows)
    total_cold = sum(r[2] for r in rows)
    total_whole = sum(r[5] for r in rows)
    print(
        f"all  {total_audio:>9.1f}{total_cold:>9.2f}{total_cold / total_audio:>8.3f}"
        f"{sum(r[3] for r in rows):>6}{sum(r[4] for r in rows):>8}"
        f"{total_whole:>16.2f}{sum(fresh):>14.2f}{sum(edits):>19.2f}"
    )
    print(f"cold build: {100 * total_cold / total_audio:.1f}% of the audio duration (target < 10%)")
    print(f"cached rebuild, outputs in place: {rebuild_in_place:.3f} s (target < 1 s)")
    print(
        f"cached rebuild into an empty folder (chunks reassembled): {sum(fresh):.2f} s, "
        f"vs {total_whole:.2f} s to encode the six readings whole"
    )
    print(
        f"one-sentence edit into an empty folder: {sum(edits):.2f} s for six languages "
        f"({sum(edits) / total_whole:.0%} of a whole encode)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
