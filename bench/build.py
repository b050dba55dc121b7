"""Benchmark: cold build, no-change rebuild and one-paragraph-edit rebuild of the full pack.

Runs ``toolkit build`` on a copy of the bundled speech (English plus its five reference
translations, espeak voices, no network) three times, side by side in one run, each as a
fresh process as a user would run it:

1. cold: empty TOOLKIT_HOME (no caches) and empty output folder;
2. no change: the same command again;
3. one-paragraph edit: one body paragraph of the English source reworded.

Targets: the no-change rebuild takes under 5% of the cold build, the edit under 20%.
"""

from __future__ import annotations

import json
import os
import shutil
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


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-build-") as tmp:
        work = Path(tmp)
        sources = work / "source"
        sources.mkdir()
        for path in (REPO / "source").glob(f"{SLUG}.*.md"):
            shutil.copy(path, sources / path.name)
        english = sources / f"{SLUG}.en.md"
        out = work / "exports"
        env = {**os.environ, "TOOLKIT_HOME": str(work / "home")}

        cold, manifest = run_build(english, out, env)
        audio = sum(
            entry["audio"]["duration_s"]
            for entry in manifest["languages"].values()
            if entry.get("audio")
        )
        files_before = {
            p.name: p.stat().st_mtime_ns for p in (out / SLUG).iterdir() if p.is_file()
        }
        unchanged, _ = run_build(english, out, env)
        rewritten = [
            p.name
            for p in (out / SLUG).iterdir()
            if p.is_file() and p.stat().st_mtime_ns != files_before.get(p.name)
        ]
        text = english.read_text(encoding="utf-8")
        edited = text.replace(
            "Our mandate in this area is therefore clear.",
            "Our mandate in this area is therefore clear and well established.",
        )
        assert edited != text, "the edited sentence is no longer in the bundled speech"
        english.write_text(edited, encoding="utf-8")
        edit, _ = run_build(english, out, env)

    print(f"full pack of {SLUG}: 6 languages, {audio / 60:.1f} min of audio in all")
    print(f"{'run':<28}{'seconds':>9}{'of cold':>10}{'target':>9}")
    print(f"{'cold build':<28}{cold:>9.2f}{1:>10.1%}{'':>9}")
    print(f"{'no-change rebuild':<28}{unchanged:>9.2f}{unchanged / cold:>10.1%}{'< 5%':>9}")
    print(f"{'one-paragraph edit':<28}{edit:>9.2f}{edit / cold:>10.1%}{'< 20%':>9}")
    print(f"files rewritten by the no-change rebuild: {len(rewritten)}")
    ok = unchanged / cold < 0.05 and edit / cold < 0.20 and not rewritten
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
