"""Throughput of the Argos engine vs per-sentence calls vs bare CTranslate2 (not a test).

Builds a transformer-base-sized random model (6+6 layers, d_model 512, FFN 2048, 8 heads,
vocabulary ~16k, int8), repeats the bundled speech's sentences to ~200 and, with a fixed
decode length so every run does the same work, measures side by side:

  (a) the toolkit's ArgosEngine.translate_batch (one batched call);
  (b) the same sentences, one ``translate_batch`` call each (per-sentence use);
  (c) a bare ``ctranslate2.Translator.translate_batch`` with the same options.

For context it also measures (b') per-sentence calls on one worker using every core (the
per-sentence user's other choice; (b) uses the engine's own Translator settings) and (d) one
batched call on ONE single-threaded worker. d/b is what batching buys per core, so with
one worker per core a/b cannot exceed about cores × d/b: the bench prints that ceiling.
Rounds are interleaved (a, c, b, b', d, a, c, …) and medians reported, since the timing on a
shared machine varies ±30% run to run.

Targets: a ≥ 8× b, and a within 1.15× of c.

    .venv/bin/python bench/translate_throughput.py [--sentences 200] [--length 24] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200, help="sentences to translate")
    parser.add_argument("--length", type=int, default=24, help="fixed decode length (tokens)")
    parser.add_argument("--beam", type=int, default=4, help="beam size")
    parser.add_argument(
        "--threads", type=int, default=0, help="threads per worker (0: the engine's default)"
    )
    parser.add_argument("--inter", type=int, default=0, help="workers (0: the engine's default)")
    parser.add_argument(
        "--max-batch-size", type=int, default=0, help="token cap per sub-batch (0: the engine's)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
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
    from toolkit.translate.argos import ArgosEngine, available_cores, batch_tokens, thread_settings

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
    options = TranslateOptions(
        engine="argos",
        beam_size=args.beam,
        inter_threads=args.inter,
        intra_threads=args.threads,
    )
    if args.max_batch_size:
        options = replace(options, max_batch_size=args.max_batch_size)
    inter, intra = thread_settings(options)
    engine = ArgosEngine(options, fixed_decoding_length=args.length)
    engine.translate_batch(sentences[:2], "en", "fr")  # load the model outside the timing

    def translator(inter_threads: int, intra_threads: int) -> Any:
        return ctranslate2.Translator(
            str(package / "model"),
            device=options.device,
            compute_type=options.compute_type,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
        )

    # (b) and (c) use a Translator built exactly as the engine builds its own.
    bare = translator(inter, intra)
    cores = available_cores()
    # (b') per-sentence use at its own best: one worker using every core (lower latency).
    single = translator(1, cores) if (inter, intra) != (1, cores) else bare
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    kwargs = {
        "beam_size": args.beam,
        "max_batch_size": batch_tokens([len(t) for t in tokens], options.max_batch_size, inter),
        "batch_type": "tokens",
        "length_penalty": 0.2,
        "replace_unknowns": True,
        "max_decoding_length": args.length,
        "min_decoding_length": args.length,
    }
    one_core = translator(1, 1)
    for warm in {id(bare): bare, id(single): single, id(one_core): one_core}.values():
        warm.translate_batch(tokens[:2], **kwargs)
    print(
        f"{len(sentences)} sentences, decode length fixed at {args.length}, beam {args.beam}, "
        f"{inter} worker(s) x {intra} thread(s), {kwargs['max_batch_size']} tokens per "
        f"sub-batch, {options.compute_type}, {cores} cores; {args.rounds} interleaved rounds"
    )

    def run_a() -> None:
        out = engine.translate_batch(sentences, "en", "fr")
        assert len(out) == len(sentences)

    def per_sentence(t: Any, texts: list[str]) -> Callable[[], None]:
        def run() -> None:
            for sentence in texts:
                result = t.translate_batch([sp.encode(sentence, out_type=str)], **kwargs)
                sp.decode_pieces(result[0].hypotheses[0])

        return run

    def run_c() -> None:
        pieces = [sp.encode(s, out_type=str) for s in sentences]
        results = bare.translate_batch(pieces, **kwargs)
        [sp.decode_pieces(r.hypotheses[0]) for r in results]

    runs: dict[str, Callable[[], None]] = {
        "a": run_a,
        "c": run_c,
        "b": per_sentence(bare, sentences),
    }
    counts = dict.fromkeys(runs, len(sentences))
    if single is not bare:
        # one copy of the speech: enough for a per-sentence rate, and it is the slowest run
        runs["b'"] = per_sentence(single, base)
        counts["b'"] = len(base)

    def run_d() -> None:
        pieces = [sp.encode(s, out_type=str) for s in sentences]
        one_core.translate_batch(pieces, **kwargs)

    runs["d"] = run_d
    counts["d"] = len(sentences)
    timings: dict[str, list[float]] = {label: [] for label in runs}
    for round_ in range(args.rounds):  # interleaved, so a burst of load hits every variant
        for label, run in runs.items():
            start = time.perf_counter()
            run()
            timings[label].append(time.perf_counter() - start)
            print(f"  round {round_ + 1} {label:2s}: {timings[label][-1]:6.2f}s", flush=True)
    med = {label: statistics.median(values) for label, values in timings.items()}
    rates = {label: counts[label] / med[label] for label in med}
    names = {
        "a": "(a)  toolkit ArgosEngine, one call",
        "b": "(b)  one call per sentence",
        "b'": f"(b') per sentence, 1 worker x {cores} threads",
        "c": "(c)  bare ctranslate2, one call",
        "d": "(d)  one call, 1 worker x 1 thread",
    }
    print()
    for label in ("a", "b", "b'", "c", "d"):
        if label in med:
            print(
                f"{names[label]:42s}: {rates[label]:7.2f} sentences/s  "
                f"({counts[label]} in {med[label]:.2f}s, median)"
            )
    print(f"a/b speed-up : {rates['a'] / rates['b']:.1f}x   (target >= 8x)")
    if "b'" in rates:
        best = max(("b", "b'"), key=lambda label: rates[label])
        ratio = rates["a"] / rates["b'"]
        print(f"a/b' speed-up: {ratio:.1f}x   (the faster per-sentence setting is {best})")
    print(f"a/c time     : {med['a'] / med['c']:.2f}   (target <= 1.15)")
    ceiling = cores * rates["d"] / rates["b"]
    print(
        f"batching gain per core d/b: {rates['d'] / rates['b']:.1f}x, so a/b <= ~{ceiling:.1f}x "
        f"on {cores} cores; a/d (worker scaling): {rates['a'] / rates['d']:.2f}"
    )


if __name__ == "__main__":
    main()
