"""Debian's chromium driven by Playwright, axe-core injected: the helpers the HTML tests share.

Never ``playwright install``: the browser is the system's (``/usr/bin/chromium``, installed
by ``make setup``) and runs with the flags that keep it off the network. Under ``CI=true``
a missing browser or checker fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

A11Y_DIR = Path(__file__).parent / "a11y"
NODE_MODULES = A11Y_DIR / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
ACE_CLI = NODE_MODULES / ".bin" / "ace-cli"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_path() -> str | None:
    """The system chromium, if installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require(condition: bool, what: str) -> None:
    """Skip (locally) or fail (``CI=true``) when a checker the test needs is missing."""
    if condition:
        return
    message = f"{what} is missing: run `make setup`."
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def browser_page(width: int = 1280, height: int = 900, **context: Any) -> Iterator[Any]:
    """A fresh page in headless Debian chromium."""
    executable = chromium_path()
    require(executable is not None, "Debian chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        require(False, "playwright (dev dependency)")
        raise
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            ctx = browser.new_context(viewport={"width": width, "height": height}, **context)
            page = ctx.new_page()
            yield page
            ctx.close()
        finally:
            browser.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page as loaded."""
    require(AXE_JS.is_file(), f"axe-core ({AXE_JS})")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
