"""Translation-memory lookups against 10,000 stored units: sentences per second.

Run: .venv/bin/python bench/tm_lookup.py [--units 10000] [--queries 600] [--vocabulary zipf]

The memory is filled with synthetic sentences (seeded, 12-30 words each), in a temporary file:
the bundled speech's own words drawn with their frequencies in it (``--vocabulary speech``, the
default: 365 distinct words, so even the "rarest" word of a query is in ~2 % of the memory, a
hard case for the index) or those plus a Zipf tail of 20,000 made-up terms (``zipf``: what a
real memory of thousands of statements looks like). Queries are one
third stored sentences (exact hits), one third stored sentences with one word changed (fuzzy
hits) and one third new sentences. Measured side by side in one run:

* import: units stored per second (one transaction);
* exact lookup, what the translation chain does before machine translation;
* fuzzy lookup as shipped (``TranslationMemory.fuzzy``: candidates from the FTS5 index, the
  stored sentences sharing one of the query's four rarest words, scored with rapidfuzz), what
  the XLIFF export does for machine-translated units;
* the baseline: rapidfuzz ``process.extractOne`` over every stored sentence, all in memory.
  It sees every unit, so it is also the reference for the index's recall.

"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from rapidfuzz import fuzz, process

from toolkit.translate.tm import FUZZY_THRESHOLD, MemoryUnit, TranslationMemory, normalise

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "source" / "2021-05-26-coninsx-civil-society.en.md"


def _sentence(rng: random.Random, words: list[str], weights: list[int]) -> str:
    body = " ".join(rng.choices(words, weights, k=rng.randint(12, 30)))
    return body[0].upper() + body[1:] + "."


def _one_word_changed(rng: random.Random, text: str, words: list[str]) -> str:
    tokens = text.rstrip(".").split()
    tokens[rng.randrange(len(tokens))] = rng.choice(words)
    return " ".join(tokens) + "."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000, help="stored units")
    parser.add_argument("--queries", type=int, default=600, help="lookups in all")
    parser.add_argument(
        "--vocabulary",
        choices=("speech", "zipf"),
        default="speech",
        help="speech: only the bundled speech's words (a hard case for the index); "
        "zipf: those plus a Zipf tail of --tail made-up terms, like a real memory",
    )
    parser.add_argument("--tail", type=int, default=20_000, help="made-up terms for zipf")
    args = parser.parse_args()

    rng = random.Random(15)
    # words drawn with their frequencies in the bundled speech: "the" and "of" are common,
    # content words rare, as in real statements
    counts = Counter(re.findall(r"[A-Za-z][a-z]+", BUNDLED.read_text(encoding="utf-8")))
    words, weights = list(counts), list(counts.values())
    if args.vocabulary == "zipf":
        # a real memory of 10,000 sentences has thousands of distinct words: after the speech's
        # words (the frequent head), a Zipf tail of made-up terms, weight ~ 1 / rank
        ranked = [w for w, _ in counts.most_common()]
        tail = [f"term{i:05d}" for i in range(args.tail)]
        words = ranked + tail
        weights = [1_000_000 // (rank + 1) for rank in range(len(words))]
    sources: list[str] = []
    seen: set[str] = set()
    while len(sources) < args.units:
        text = _sentence(rng, words, weights)
        if text not in seen:
            seen.add(text)
            sources.append(text)
    units = [MemoryUnit("en", "fr", s, f"[fr] {s}", f"bench:{i}") for i, s in enumerate(sources)]

    third = args.queries // 3
    exact_q = rng.sample(sources, third)
    near_q = [_one_word_changed(rng, s, words) for s in rng.sample(sources, third)]
    new_q = [_sentence(rng, words, weights) for _ in range(third)]
    queries = exact_q + near_q + new_q
    n = len(queries)

    with tempfile.TemporaryDirectory() as folder:
        memory = TranslationMemory(Path(folder) / "memory.sqlite3")
        started = time.perf_counter()
        stored = memory.add(units)
        import_s = time.perf_counter() - started

        started = time.perf_counter()
        exact_hits = memory.exact(queries, "en", "fr")
        exact_s = time.perf_counter() - started

        started = time.perf_counter()
        shipped = [memory.fuzzy(q, "en", "fr") for q in queries]
        shipped_s = time.perf_counter() - started
        memory.close()

    norms = [normalise(s) for s in sources]
    started = time.perf_counter()
    scanned = [
        process.extractOne(
            normalise(q),
            norms,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=FUZZY_THRESHOLD * 100,
        )
        for q in queries
    ]
    scan_s = time.perf_counter() - started

    found = sum(1 for h in exact_hits if h is not None)
    near_found = sum(1 for m in shipped[third : 2 * third] if m is not None)
    agree = sum(
        1
        for mine, best in zip(shipped, scanned, strict=True)
        if (mine is None and best is None)
        or (mine is not None and best is not None and abs(mine.score * 100 - best[1]) < 0.01)
    )
    print(f"stored units: {stored} (en-fr), {len(words)} distinct words; {n} queries")
    print(f"import:               {stored / import_s:8.0f} units/s      ({import_s:.2f} s)")
    print(f"exact lookup:         {n / exact_s:8.0f} sentences/s  ({found} hits)")
    print(
        f"fuzzy (FTS5 + score): {n / shipped_s:8.0f} sentences/s  "
        f"({near_found}/{third} one-word edits found at >= {FUZZY_THRESHOLD:.0%})"
    )
    print(f"fuzzy (full scan):    {n / scan_s:8.0f} sentences/s  (rapidfuzz over all {stored})")
    print(f"index vs scan:        {scan_s / shipped_s:8.1f}x, same best score on {agree}/{n}")


if __name__ == "__main__":
    main()
