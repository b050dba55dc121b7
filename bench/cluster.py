"""Benchmark: many statements on the local process pool vs a 2-worker Dask LocalCluster.

Side by side in one run, each arm cold (its own empty TOOLKIT_HOME and output folder):

1. ``local``: ``build(sources)`` with the default executor, ``--jobs 2`` forked workers,
   statements one after another (languages in parallel);
2. ``cluster``: ``build_concurrently(sources)`` on ``LocalCluster(n_workers=2)`` (one thread
   each), the statements' language tasks queued together. The cluster's start-up is timed
   apart (a documents service starts it once a day, not once a build).

Then the time per statement as the number of statements grows, on the cluster: it should
stay flat (the total grows linearly).

The statements are made from the bundled speech: its title block and a different run of
``--paragraphs`` body paragraphs each, so no two share a sentence (no cross-statement cache
hits). Six languages each (en + ar zh fr ru es), the fake translation engine (no model is
needed) and espeak-ng readings, PDFs and MP3s: the real per-language work but translation.

Run: .venv/bin/python bench/cluster.py [--statements 12] [--sizes 1,3,6,12]
Target: the cluster's build within 1.2x of the local pool's on this one machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "source" / "2021-05-26-coninsx-civil-society.en.md"
TARGETS = ("ar", "zh", "fr", "ru", "es")


def make_statements(folder: Path, count: int, paragraphs: int) -> list[Path]:
    """``count`` statements, each the title block plus its own window of body paragraphs."""
    blocks = [b for b in BUNDLED.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    title, subtitle, dateline, _byline, speaker, body = *blocks[:5], blocks[5:]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        start = (number * paragraphs) % max(1, len(body) - paragraphs)
        window = body[start : start + paragraphs]
        # The statement's number in every block: no sentence is shared, even in the title.
        head = [
            title.replace("**", f"**{number + 1}. ", 1),
            f"{subtitle}, part {number + 1}",
            dateline.replace("26 May", f"{number + 1} May"),
            speaker.replace("Coninsx", f"Coninsx ({number + 1})"),
        ]
        text = [f"Statement {number + 1}. {block}" for block in window]
        path = folder / f"statement-{number + 1:02d}.en.md"
        path.write_text("\n\n".join([*head, *text]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def fresh_home(root: Path, name: str) -> None:
    """Point TOOLKIT_HOME and the XDG folders of this process (and its children) at ``name``."""
    home = root / name
    shutil.rmtree(home, ignore_errors=True)
    os.environ["TOOLKIT_HOME"] = str(home / "toolkit")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(home / var.lower())


def options(out: Path):
    from toolkit.options import AudioOptions, BuildOptions, TranslateOptions

    return BuildOptions(
        targets=TARGETS,
        translate=TranslateOptions(engine="fake"),
        audio=AudioOptions(tts="espeak"),
        out=out,
        jobs=2,
    )


def local_arm(root: Path, sources: list[Path], tag: str) -> float:
    from toolkit.pipeline.build import build

    fresh_home(root, f"home-local-{tag}")
    started = time.perf_counter()
    result = build(sources, options(root / f"out-local-{tag}"))
    assert int(result.exit_code) == 0, result.exit_code
    return time.perf_counter() - started


def cluster_arm(root: Path, sources: list[Path], tag: str) -> tuple[float, float, int]:
    """(start-up seconds, build seconds, workers used)."""
    from toolkit.pipeline.dask_executor import DaskExecutor, build_concurrently

    fresh_home(root, f"home-cluster-{tag}")
    started = time.perf_counter()
    with DaskExecutor("local:2") as executor:
        executor.connect().wait_for_workers(2)
        startup = time.perf_counter() - started
        started = time.perf_counter()
        result = build_concurrently(sources, options(root / f"out-cluster-{tag}"), None, executor)
        seconds = time.perf_counter() - started
        assert int(result.exit_code) == 0, result.exit_code
        used = len(set(executor.placements.values()))
    return startup, seconds, used


def same_packs(root: Path, tag: str) -> bool:
    def tree(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")
        }

    return tree(root / f"out-local-{tag}") == tree(root / f"out-cluster-{tag}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=12)
    parser.add_argument("--paragraphs", type=int, default=4, help="body paragraphs each")
    parser.add_argument("--sizes", default="1,3,6,12", help="statement counts for the series")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="toolkit-bench-cluster-"))
    try:
        sources = make_statements(root / "source", args.statements, args.paragraphs)
        langs = 1 + len(TARGETS)
        print(f"{len(sources)} statements x {langs} languages, {args.paragraphs} body "
              f"paragraphs each; fake engine, espeak readings, PDFs; {os.cpu_count()} cores")
        local = local_arm(root, sources, "all")
        startup, cluster, used = cluster_arm(root, sources, "all")
        print(f"  local pool (--jobs 2)      {local:7.1f} s   "
              f"{local / len(sources):5.2f} s/statement")
        print(f"  LocalCluster (2 workers)   {cluster:7.1f} s   "
              f"{cluster / len(sources):5.2f} s/statement   "
              f"(+{startup:.1f} s start-up, {used} workers used)")
        print(f"  cluster / local            {cluster / local:7.2f}x  (target <= 1.20x)")
        print(f"  packs byte-identical       {same_packs(root, 'all')}")

        print("time per statement as the statements grow (LocalCluster, 2 workers):")
        for size in (int(s) for s in args.sizes.split(",")):
            if size == len(sources):
                seconds = cluster  # measured above
            else:
                _, seconds, _ = cluster_arm(root, sources[:size], f"n{size}")
            print(f"  {size:3d} statements  {seconds:7.1f} s   {seconds / size:5.2f} s/statement")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":  # the cluster's worker processes import this module again
    sys.exit(main())
