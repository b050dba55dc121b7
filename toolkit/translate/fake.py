"""A deterministic engine for tests and ``--dry-run``: ``[fr] <source>``.

It needs no model and no network. Its provenance says ``engine: "fake"`` so its output
can never be mistaken for a translation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.document import Signature
from toolkit.translate.base import DecodeHints, EngineInfo

if TYPE_CHECKING:
    from toolkit.translate import TranslateOptions


class FakeEngine:
    """``[tgt] sentence`` for every sentence; counts its calls (tests assert on them)."""

    name = "fake"
    copies_source = True
    """Its output contains the source on purpose: the copied-source check is skipped."""

    def __init__(
        self,
        options: TranslateOptions | None = None,
        transform: Callable[[str, str, DecodeHints | None], str] | None = None,
    ) -> None:
        self.options = options
        self.transform = transform
        """Optional replacement for the ``[tgt] text`` rule (tests use it to simulate faults)."""
        self.calls: list[tuple[tuple[str, ...], str, str, DecodeHints | None]] = []
        """Every ``translate_batch`` call: (sentences, src, tgt, hints)."""

    def info(self, src: str, tgt: str) -> EngineInfo:
        """Fake engine info; the signature carries the toolkit version."""
        signature = Signature.of(engine="fake", pair=f"{src}-{tgt}", toolkit=__version__)
        return EngineInfo("fake", "fake", __version__, str(signature))

    def translate_batch(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[str]:
        """Return ``[tgt] sentence`` (or the test transform's output) for each sentence."""
        self.calls.append((tuple(sentences), src, tgt, hints))
        if self.transform is not None:
            return [self.transform(s, tgt, hints) for s in sentences]
        return [f"[{tgt}] {s}" if s.strip() else "" for s in sentences]
