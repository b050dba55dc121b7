"""Benchmark: cold build, no-change rebuild and one-paragraph-edit rebuild of the full pack.

Runs ``toolkit build`` on a copy of the bundled speech (English plus its five reference
translations, espeak voices, no network), side by side in one run, each as a fresh process as
a user would run it:

1. cold: empty TOOLKIT_HOME (no caches) and empty output folder;
2. then ``--edits`` times: a one-paragraph edit (one body sentence of the English source
   reworded, differently each time) and rebuild, then the same command again (no change);

all of it ``--rounds`` times.

Medians are compared, so one noisy run does not decide. Run: .venv/bin/python bench/build.py

Targets: the no-change rebuild takes under 5% of the cold build, the edit under 20%.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SLUG = "2021-05-26-coninsx-civil-society"
TOOLKIT = Path(sys.executable).parent / "toolkit"


def run_build(source: Path, out: Path, env: dict[str, str]) -> tuple[float, dict]:
    started = time.perf_counter()
    subprocess.run(
        [str(TOOLKIT), "build", str(source), "--tts", "espeak", "--out", str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    manifest = json.loads((out / SLUG / "manifest.json").read_text(encoding="utf-8"))
    return seconds, manifest


EDITS = (
    "clear and well established",
    "clear and widely recognised",
    "clear and beyond doubt",
    "clear and long standing",
    "clear and firmly grounded",
)
"""Rewordings of one body sentence, each new to the caches: every edit round is a real edit."""


def _snapshot(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="cold builds (default 3)")
    parser.add_argument(
        "--edits", type=int, default=2, help="edit + no-change pairs after each (default 2)"
    )
    args = parser.parse_args()
    colds: list[float] = []
    unchanged: list[float] = []
    edits: list[float] = []
    rewritten_unchanged: set[str] = set()
    rewritten_edit: list[int] = []
    wordings = iter(EDITS * (args.rounds * args.edits))
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-build-") as tmp:
        work = Path(tmp)
        # Cold builds and rebuilds alternate, so a slow spell of a shared machine weighs on
        # both sides of the ratios alike.
        for round_ in range(max(1, args.rounds)):
            sources = work / f"source-{round_}"
            sources.mkdir()
            for path in (REPO / "source").glob(f"{SLUG}.*.md"):
                shutil.copy(path, sources / path.name)
            english = sources / f"{SLUG}.en.md"
            out = work / f"exports-{round_}"
            env = {**os.environ, "TOOLKIT_HOME": str(work / f"home-{round_}")}
            seconds, manifest = run_build(english, out, env)
            colds.append(seconds)
            pack = out / SLUG
            original = english.read_text(encoding="utf-8")
            for _ in range(max(1, args.edits)):
                edited = original.replace(
                    "Our mandate in this area is therefore clear.",
                    f"Our mandate in this area is therefore {next(wordings)}.",
                )
                assert edited != original, "the edited sentence is not in the bundled speech"
                english.write_text(edited, encoding="utf-8")
                before = _snapshot(pack)
                seconds, _ = run_build(english, out, env)
                edits.append(seconds)
                after = _snapshot(pack)
                rewritten_edit.append(sum(1 for n, t in after.items() if before.get(n) != t))
                seconds, _ = run_build(english, out, env)
                unchanged.append(seconds)
                rewritten_unchanged |= {n for n, t in _snapshot(pack).items() if after.get(n) != t}

    audio = sum(
        entry["audio"]["duration_s"]
        for entry in manifest["languages"].values()
        if entry.get("audio")
    )
    cold = statistics.median(colds)
    nochange = statistics.median(unchanged)
    edit = statistics.median(edits)
    print(f"full pack of {SLUG}: 6 languages, {audio / 60:.1f} min of audio in all")
    print(
        f"medians of {len(colds)} cold builds, each followed by {args.edits} edit + no-change pairs"
    )
    print(f"{'run':<28}{'seconds':>9}{'of cold':>10}{'target':>9}   all runs")
    print(f"{'cold build':<28}{cold:>9.2f}{1:>10.1%}{'':>9}   {_runs(colds)}")
    print(
        f"{'no-change rebuild':<28}{nochange:>9.2f}{nochange / cold:>10.1%}{'< 5%':>9}"
        f"   {_runs(unchanged)}"
    )
    print(
        f"{'one-paragraph edit':<28}{edit:>9.2f}{edit / cold:>10.1%}{'< 20%':>9}   {_runs(edits)}"
    )
    print(f"files rewritten by a no-change rebuild: {len(rewritten_unchanged)}")
    print(f"files rewritten by an edit rebuild: {_runs(rewritten_edit, '{}')}")
    ok = nochange / cold < 0.05 and edit / cold < 0.20 and not rewritten_unchanged
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


def _runs(values: list[float] | list[int], style: str = "{:.2f}") -> str:
    return " ".join(style.format(v) for v in values)


if __name__ == "__main__":
    sys.exit(main())
