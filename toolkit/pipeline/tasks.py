"""What crosses the executor boundary: a language task in, a language report out, events.

All three are small frozen dataclasses that pickle: an :class:`~toolkit.pipeline.executor.
Executor` may run a task in this process, in a forked worker or on another machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.options import BuildOptions
from toolkit.pipeline.manifest import AudioDetails, LanguageEntry, Manifest, OutputFile, Status
from toolkit.pipeline.manifest import TranslationDetails as _TranslationDetails

EventState = Literal["start", "done", "reused", "skipped", "failed"]


@dataclass(frozen=True)
class ProgressEvent:
    """A progress notification for a display (the library never prints)."""

    slug: str
    """Speech being built."""
    lang: str
    """Language of the stage."""
    stage: str
    """segment, translation, pdf, audio, zip, commit."""
    state: EventState
    """What happened."""
    detail: str = ""
    """A short human-readable detail (engine, reason…)."""


ProgressCallback = Callable[[ProgressEvent], None]
"""Receives progress events; an executor hands each task one that reaches the caller's."""


@dataclass(frozen=True)
class LanguageTask:
    """Everything a worker needs to build one language of one speech (it pickles small).

    The worker writes new files under ``staging/<slug>/`` and reuses, unchanged, the files
    of ``previous`` found intact in ``pack``.
    """

    speech_json: str
    """The segmented English :class:`~toolkit.document.Speech`, as its JSON."""
    lang: str
    """Language to build (``en``: the Speech JSON and the English reading)."""
    options: BuildOptions
    """The run's options."""
    pack: Path
    """The pack folder ``<out>/<slug>/`` (read only: to reuse unchanged files)."""
    staging: Path
    """The staging root; new files go to ``staging/<slug>/<name>``, beside the pack."""
    previous: Manifest | None = None
    """The pack's manifest before this run (None: nothing to reuse)."""
    gtts_reachable: tuple[bool, str | None] | None = None
    """For ``--tts auto``: the answer of the one gTTS reachability probe of the run,
    ``(reachable, why not)``, so no worker probes again (None: probe if needed)."""


@dataclass(frozen=True)
class LanguageReport:
    """What the build did for one language (the result of a :class:`LanguageTask`)."""

    lang: str
    """Language code."""
    status: Status
    """ok, skipped (cannot be built here: see reason and fix) or failed (an error)."""
    engine: str | None = None
    """Translation engine used (None for English)."""
    model: str | None = None
    """Model package or reference file."""
    model_version: str | None = None
    """Model package version or reference file sha256."""
    signature: str | None = None
    """The translation's provenance signature."""
    sentences: int = 0
    """Sentences in the translation."""
    cached: int = 0
    """Sentences served from the translation cache."""
    flagged: int = 0
    """Sentences with quality or alignment flags for a reviewer."""
    review_rows: int = 0
    """Paragraphs (PDF rows) with such a flag: what the PDF masthead says needs review."""
    audio: AudioDetails | None = None
    """The reading: engine, note (why it differs from the one asked for), duration."""
    synthesized: int = 0
    """Sentences the speech engine synthesised in this run (the others came from its cache)."""
    reason: str | None = None
    """Why the language was skipped or failed."""
    fix: str | None = None
    """Command that fixes a skipped language."""
    stages_run: tuple[str, ...] = ()
    """Stages that did work in this run (the others were reused unchanged)."""
    seconds: float = 0.0
    """Wall time spent on this language in this run."""
    files: tuple[OutputFile, ...] = ()
    """Files of this language; those with ``staged`` set are in the task's staging folder."""

    @property
    def audio_engine(self) -> str | None:
        """Speech engine of the reading, if one was made."""
        return self.audio.engine if self.audio else None

    @property
    def audio_note(self) -> str | None:
        """Why the reading's engine differs from the one asked for."""
        return self.audio.note if self.audio else None

    @property
    def audio_duration_s(self) -> float | None:
        """Duration of the reading in seconds."""
        return self.audio.duration_s if self.audio else None

    def manifest_entry(self) -> LanguageEntry:
        """The per-language entry of the manifest (no timings: the manifest must not churn)."""
        if self.status != "ok":
            return LanguageEntry(status=self.status, reason=self.reason, fix=self.fix)
        translation = None
        if self.engine is not None:
            translation = _TranslationDetails(
                engine=self.engine,
                model=self.model,
                model_version=self.model_version,
                sentences=self.sentences,
                cached=self.cached,
                flagged=self.flagged,
                review_rows=self.review_rows,
                signature=self.signature,
            )
        return LanguageEntry(
            status="ok",
            translation=translation,
            audio=self.audio,
            files=tuple(f.path for f in self.files),
        )


__all__ = [
    "EventState",
    "LanguageReport",
    "LanguageTask",
    "ProgressCallback",
    "ProgressEvent",
]
