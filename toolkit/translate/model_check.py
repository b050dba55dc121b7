"""Run an unpacked model once on a test sentence: ``python -m toolkit.translate.model_check DIR``.

The installer (:func:`toolkit.translate.models.check_model_runs`) starts this in a
separate process before a new package replaces anything, so a model that crashes
CTranslate2 takes down only this process. It prints one JSON line, ``{"ok": true,
"output": …}`` or ``{"ok": false, "error": …}``, and exits 0 only when the model ran.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from toolkit.errors import ModelError


def main(argv: list[str] | None = None) -> int:
    """Load the package folder given as the one argument and translate a test sentence."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(json.dumps({"ok": False, "error": "usage: model_check PACKAGE_DIR"}))
        return 2
    from toolkit.translate.argos import run_once
    from toolkit.translate.models import read_package

    try:
        output = run_once(read_package(Path(args[0])))
    except ModelError as exc:
        cause = exc.__cause__  # what CTranslate2 or the tokenizer said, without our wrapper
        error = f"{type(cause).__name__}: {cause}" if cause is not None else exc.message
        print(json.dumps({"ok": False, "error": error}, ensure_ascii=False))
        return 1
    print(json.dumps({"ok": True, "output": output}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
