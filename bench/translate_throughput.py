"""Throughput of the Argos engine vs per-sentence calls vs bare CTranslate2 (not a test).

Builds a transformer-base-sized random model (6+6 layers, d_model 512, FFN 2048, 8 heads,
vocabulary ~16k, int8), repeats the bundled speech's sentences to ~200 and, with a fixed
decode length so every run does the same work, measures side by side:

  (a) the toolkit's ArgosEngine.translate_batch (one batched call);
  (b) the same sentences, one ``translate_batch`` call each (per-sentence use);
  (c) a bare ``ctranslate2.Translator.translate_batch`` with the same options.

Targets: a ≥ 8× b, and a within 1.15× of c.

    .venv/bin/python bench/translate_throughput.py [--sentences 200] [--length 24] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200, help="sentences to translate")
    parser.add_argument("--length", type=int, default=24, help="fixed decode length (tokens)")
    parser.add_argument("--beam", type=int, default=4, help="beam size")
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 intra threads")
    parser.add_argument("--vocab", type=int, default=16000, help="vocabulary size")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="toolkit-bench-"))
    os.environ["TOOLKIT_HOME"] = str(home)

    import ctranslate2
    import sentencepiece as spm
    from tiny_argos import BUNDLED_SPEECH, build_random_transformer, train_sentencepiece

    from toolkit import config
    from toolkit.segment import segment_file
    from toolkit.translate import TranslateOptions
    from toolkit.translate.argos import ArgosEngine

    speech = segment_file(BUNDLED_SPEECH)
    base = [s.text for s in speech.sentences() if s.text.strip()]
    sentences = [base[i % len(base)] for i in range(args.sentences)]

    # A package folder laid out like an installed Argos package.
    package = config.models_dir() / "translate-en_fr"
    package.mkdir(parents=True)
    t0 = time.perf_counter()
    sp_bytes = train_sentencepiece(BUNDLED_SPEECH.read_text(encoding="utf-8").splitlines(), 2000)
    (package / "sentencepiece.model").write_bytes(sp_bytes)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocabulary = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocabulary += [f"<extra{i}>" for i in range(args.vocab - len(vocabulary))]
    build_random_transformer(
        package / "model",
        vocabulary,
        layers=6,
        d_model=512,
        heads=8,
        ffn=2048,
        quantization="int8",
        seed=1,
    )
    metadata = {"package_version": "0.0.0", "type": "translate", "from_code": "en", "to_code": "fr"}
    (package / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    print(
        f"model: 6+6 layers, d512, ffn2048, vocab {len(vocabulary)}, int8 "
        f"(built in {time.perf_counter() - t0:.1f}s)"
    )
    print(
        f"{len(sentences)} sentences, decode length fixed at {args.length}, beam {args.beam}, "
        f"{args.threads} threads, {os.cpu_count()} CPUs"
    )

    options = TranslateOptions(engine="argos", beam_size=args.beam, intra_threads=args.threads)
    engine = ArgosEngine(options, fixed_decoding_length=args.length)
    engine.translate_batch(sentences[:2], "en", "fr")  # load the model outside the timing

    translator = ctranslate2.Translator(
        str(package / "model"), device="cpu", compute_type="int8", intra_threads=args.threads
    )
    kwargs = {
        "beam_size": args.beam,
        "max_batch_size": options.max_batch_size,
        "batch_type": "tokens",
        "length_penalty": 0.2,
        "replace_unknowns": True,
        "max_decoding_length": args.length,
        "min_decoding_length": args.length,
    }
    translator.translate_batch([sp.encode(sentences[0], out_type=str)], **kwargs)  # warm up

    def run_a() -> None:
        out = engine.translate_batch(sentences, "en", "fr")
        assert len(out) == len(sentences)

    def run_b() -> None:
        for sentence in sentences:
            result = translator.translate_batch([sp.encode(sentence, out_type=str)], **kwargs)
            sp.decode_pieces(result[0].hypotheses[0])

    def run_c() -> None:
        tokens = [sp.encode(s, out_type=str) for s in sentences]
        results = translator.translate_batch(tokens, **kwargs)
        [sp.decode_pieces(r.hypotheses[0]) for r in results]

    timings = {}
    for label, run in (("a", run_a), ("c", run_c), ("b", run_b), ("a2", run_a), ("c2", run_c)):
        start = time.perf_counter()
        run()
        timings[label] = time.perf_counter() - start
        print(f"  run {label}: {timings[label]:.2f}s", flush=True)
    a = min(timings["a"], timings["a2"])
    c = min(timings["c"], timings["c2"])
    b = timings["b"]
    n = len(sentences)
    print()
    print(f"(a) toolkit ArgosEngine, one batch : {n / a:8.1f} sentences/s  ({a:.2f}s)")
    print(f"(b) one translate_batch per sentence: {n / b:8.1f} sentences/s  ({b:.2f}s)")
    print(f"(c) bare ctranslate2, one batch     : {n / c:8.1f} sentences/s  ({c:.2f}s)")
    print(f"a/b speed-up: {b / a:.1f}x   (target >= 8x)")
    print(f"a/c time ratio: {a / c:.2f}   (target <= 1.15)")


if __name__ == "__main__":
    main()
