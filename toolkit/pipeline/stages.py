"""What a stage is, and :func:`run_stage`, the one place that runs or reuses one.

A stage is a small object, one per kind of output, with these methods:

* ``outputs(inputs, options)`` — the files it makes, as ``(file name, manifest stage)``;
* ``key(inputs, options)`` — a hash of everything its output depends on. It asks the module
  that does the work for its identity (the translation engine's signature, the fonts, the
  voice and lexicon) through a public function, never by reaching inside it;
* ``run(inputs, options, out)`` — make the files under ``out/<slug>/`` and return the stage's
  result (the same call whichever command runs it: ``toolkit pdf`` and the build's PDF stage
  write the same bytes);
* ``reuse(inputs, options, context)`` — the result, when the pack's files are still valid.

:func:`run_stage` is the one place that decides between reusing and running, emits the
progress events and records the files. Inputs are typed frozen dataclasses, one per stage.
The stages themselves: :mod:`toolkit.pipeline.language_stages` (what one language's task
makes: speech JSON, translation, PDF, reading, zip) and :mod:`toolkit.pipeline.reader_stages`
(the read-along page, the EPUB and the index page, which run after every language has built:
see :func:`toolkit.pipeline.build.accessible_outputs`, so a page links only to readers that
exist). A new output (XLIFF, …) is one exporter module plus one stage class in one of them,
and its manifest stage in :func:`requested_stages`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from toolkit.export import paths
from toolkit.languages import SOURCE_LANGUAGE
from toolkit.options import BuildOptions
from toolkit.pipeline.manifest import OutputFile
from toolkit.pipeline.pack import PreviousPack
from toolkit.pipeline.tasks import EventState, ProgressEvent

InputsT = TypeVar("InputsT", contravariant=True)
ResultT = TypeVar("ResultT")


def stage_hash(*parts: object) -> str:
    """A stable hash of JSON-able parts (length-prefixed, so parts never run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str)
        if isinstance(data, str):
            data = data.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class StageContext:
    """Where one language's stages write, what they may reuse, and where progress goes."""

    slug: str
    """Speech identifier."""
    lang: str
    """Language being built."""
    pack: Path
    """The pack folder ``<out>/<slug>/``."""
    staging: Path
    """The staging root: new files go to ``staging/<slug>/<name>``."""
    previous: PreviousPack
    """The previous pack's files and keys."""
    emit: Callable[[ProgressEvent], None]
    """Progress callback."""

    def event(self, stage: str, state: EventState, detail: str = "") -> None:
        """Emit a progress event for ``stage`` of this language."""
        self.emit(ProgressEvent(self.slug, self.lang, stage, state, detail))

    def staged(self, name: str) -> Path:
        """Where this run writes the file ``name``."""
        return self.staging / self.slug / name

    def record(self, name: str, stage: str, key: str) -> OutputFile:
        """The manifest record of a file this run wrote."""
        path = self.staged(name)
        size = path.stat().st_size
        return OutputFile(name, paths.sha256_file(path), size, self.lang, stage, key, staged=True)

    def current_bytes(self, output: OutputFile) -> bytes:
        """Bytes of an output, from staging if it was rebuilt in this run, else from the pack."""
        return (self.staged(output.path) if output.staged else self.pack / output.path).read_bytes()


class Stage(Protocol[InputsT, ResultT]):
    """One kind of output (see the module docstring)."""

    name: str
    """Stage name in progress events and ``stages_run``."""

    def outputs(self, inputs: InputsT, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """``(file name, manifest stage)`` of every file the stage makes."""
        ...

    def key(self, inputs: InputsT, options: BuildOptions) -> str:
        """Hash of everything the files depend on."""
        ...

    def run(self, inputs: InputsT, options: BuildOptions, out: Path) -> ResultT:
        """Make the files under ``out/<slug>/``; return the stage's result."""
        ...

    def reuse(self, inputs: InputsT, options: BuildOptions, context: StageContext) -> ResultT:
        """The result when the pack's files are reused unchanged."""
        ...

    def describe(self, result: ResultT) -> str:
        """A short detail for the progress display."""
        ...


@dataclass(frozen=True)
class StageRun(Generic[ResultT]):
    """The outcome of :func:`run_stage`."""

    files: tuple[OutputFile, ...]
    """The stage's files (``staged`` when written in this run)."""
    result: ResultT
    """The stage's result."""
    ran: bool
    """False when every file was reused."""


def run_stage(
    stage: Stage[InputsT, ResultT],
    inputs: InputsT,
    options: BuildOptions,
    context: StageContext,
    *,
    announce: bool = True,
) -> StageRun[ResultT]:
    """Reuse the stage's files when its key is unchanged and they are intact, else run it."""
    key = stage.key(inputs, options)
    names = stage.outputs(inputs, options)
    found = [context.previous.reusable(name, key) for name, _ in names]
    reused = tuple(f for f in found if f is not None)
    if len(reused) == len(names):
        result = stage.reuse(inputs, options, context)
        if announce:
            context.event(stage.name, "reused", stage.describe(result))
        return StageRun(reused, result, ran=False)
    if announce:
        context.event(stage.name, "start")
    result = stage.run(inputs, options, context.staging)
    if announce:
        context.event(stage.name, "done", stage.describe(result))
    files = tuple(context.record(name, file_stage, key) for name, file_stage in names)
    return StageRun(files, result, ran=True)


def requested_stages(options: BuildOptions, lang: str) -> set[str]:
    """The manifest stages a run with ``options`` produces for ``lang`` (when it builds)."""
    source = lang == SOURCE_LANGUAGE
    stages = {"speech"} if source else {"translation"}
    if options.make_pdf and not source:
        stages.add("pdf")
    if options.make_audio:
        stages |= {"audio", "transcript"}
    if options.make_zip and stages & {"pdf", "audio"}:
        stages.add("zip")
    if options.make_html:
        stages |= {"html", "index"} if source else {"html"}
    if options.make_epub:
        stages.add("epub")
    return stages


__all__ = [
    "Stage",
    "StageContext",
    "StageRun",
    "requested_stages",
    "run_stage",
    "stage_hash",
]
