"""How well the reference aligner's review flags separate right rows from wrong ones.

Real published translations whose alignment was checked by hand (tests/data/align/real/)
are truncated, padded, split and merged (toolkit.translate.align_eval.perturbations); every
English paragraph of every perturbed pair is then judged right or wrong, flagged or not.

    .venv/bin/python bench/align_flags.py [--show-misses]

Prints pairs, languages, rows, the recall of the flag on wrong rows (target 1.0), its
precision, the share of right rows flagged (target <= 0.10), per perturbation, and the time.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

from toolkit.translate.align_eval import evaluate, load_bases, perturbations, score_pair

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "align" / "real"


def main(argv: list[str]) -> int:
    bases = load_bases(DATA)
    started = time.perf_counter()
    report = evaluate(bases)
    seconds = time.perf_counter() - started
    print(
        f"pairs {report.pairs} over {', '.join(report.languages)}; rows {report.rows}; "
        f"wrong {report.wrong}; flagged {report.flagged}"
    )
    print(
        f"recall {report.recall:.3f} (wrong rows flagged; target 1.000)  "
        f"precision {report.precision:.3f}  "
        f"right rows flagged {report.false_flag_rate:.3f} (target <= 0.100)  "
        f"wrong rows without a flag {report.wrong_unflagged}"
    )
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for base in bases:
        for name, labelled in perturbations(base):
            for row in score_pair(base, name, labelled):
                counts = per[name]
                counts[0] += 1
                counts[1] += not row.right
                counts[2] += (not row.right) and not row.flagged
                counts[3] += row.right and row.flagged
    print(f"{'perturbation':<22}{'rows':>6}{'wrong':>7}{'missed':>8}{'false':>7}")
    for name, (rows, wrong, missed, false) in sorted(per.items()):
        print(f"{name:<22}{rows:>6}{wrong:>7}{missed:>8}{false:>7}")
    print(f"evaluate: {report.pairs} pairs aligned and judged in {seconds:.2f} s")
    if "--show-misses" in argv:
        for miss in report.misses:
            print("missed:", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
