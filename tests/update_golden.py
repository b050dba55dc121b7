"""Regenerate the segmenter's golden file (a separate command: the test only compares).

Run after an intended segmenter change, then review the diff before committing it::

    .venv/bin/python tests/update_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from test_segment import GOLDEN, bundled_source, golden_dict  # noqa: E402

from toolkit.segment import segment_file  # noqa: E402

if __name__ == "__main__":
    text = json.dumps(golden_dict(segment_file(bundled_source())), ensure_ascii=False, indent=2)
    GOLDEN.write_text(text + "\n", "utf-8")
    print(f"wrote {GOLDEN}; review it with `git diff {GOLDEN.relative_to(HERE.parent)}`")
