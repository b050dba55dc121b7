"""``toolkit build``: segment → the stages of each language, through an executor → commit.

For each source: segment; then, per language, the stages of
:mod:`toolkit.pipeline.language_stages` (English: Speech JSON and reading; each target:
translation, PDF, reading, optional zip) run as one :class:`~toolkit.pipeline.tasks.LanguageTask`
each, through an :class:`~toolkit.pipeline.executor.Executor`; then
:func:`~toolkit.pipeline.pack.commit`.

* **Incremental.** A stage whose key and files are unchanged is not run at all; when one does
  run, the sentence caches of the translation and TTS engines redo only what changed.
* **Safe.** New files go to a staging folder; the pack changes only at the commit, after
  every language is built, manifest last. Ctrl-C or a crash leaves the previous pack intact.
* **Honest.** A language that cannot be translated here (no reference, no model) is
  ``skipped`` with the reason and the fix; the build makes the rest and reports *partial*.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.document import Speech, TranslatedSpeech, dumps
from toolkit.errors import ExitCode, ModelError, NetworkError, ToolkitError
from toolkit.export import paths
from toolkit.languages import SOURCE_LANGUAGE, TARGET_LANGUAGES, get_language
from toolkit.options import BuildOptions
from toolkit.pipeline import pack
from toolkit.pipeline.executor import Executor, executor_for
from toolkit.pipeline.language_stages import (
    AudioInputs,
    AudioStage,
    PdfInputs,
    PdfStage,
    SpeechStage,
    TranslationInputs,
    TranslationStage,
    ZipInputs,
    ZipStage,
)
from toolkit.pipeline.manifest import (
    MANIFEST_NAME,
    AudioDetails,
    Manifest,
    OutputFile,
    read_manifest,
)
from toolkit.pipeline.reader_stages import (
    EpubStage,
    IndexInputs,
    IndexStage,
    ReaderInputs,
    ReaderStage,
)
from toolkit.pipeline.stages import StageContext, StageRun, requested_stages, run_stage
from toolkit.pipeline.tasks import LanguageReport, LanguageTask, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from toolkit.tts.base import TTS


@dataclass(frozen=True)
class SourceReport:
    """What the build did for one source speech."""

    source: str
    """Source path as given."""
    slug: str
    """Speech identifier."""
    manifest: Path
    """Path of the manifest written."""
    languages: tuple[LanguageReport, ...]
    """One report per language, English first."""
    rewritten: tuple[str, ...]
    """Files (relative to the manifest) whose bytes changed in this run."""
    kept_aside: tuple[str, ...]
    """Hand-edited outputs that were about to be replaced, kept as ``<name>.edited-<sha8>``."""
    seconds: float
    """Wall time for this source."""


@dataclass(frozen=True)
class BuildResult:
    """The outcome of :func:`build`."""

    sources: tuple[SourceReport, ...]
    """One report per source."""

    @property
    def exit_code(self) -> ExitCode:
        """OK when every language is ok; PARTIAL when some were skipped."""
        statuses = {lang.status for src in self.sources for lang in src.languages}
        if "failed" in statuses:
            return ExitCode.ERROR
        if "skipped" in statuses:
            return ExitCode.PARTIAL
        return ExitCode.OK


# --------------------------------------------------------------------------- one language


def build_language(task: LanguageTask, emit: ProgressCallback) -> LanguageReport:
    """Run every stage of one language (the executors' task function; see the tasks module)."""
    import json

    started = time.perf_counter()
    speech = Speech.from_dict(json.loads(task.speech_json))
    context = StageContext(
        slug=speech.slug,
        lang=task.lang,
        pack=task.pack,
        staging=task.staging,
        previous=pack.PreviousPack(task.pack, task.previous),
        emit=emit,
    )
    tts = None
    if task.options.make_audio:
        from toolkit.export.audio import create_speech_engine

        tts = create_speech_engine(task.options.audio, gtts_reachable=task.gtts_reachable)
    try:
        if task.lang == SOURCE_LANGUAGE:
            report = _source_language(speech, task.options, context, tts)
        else:
            report = _target_language(speech, task.lang, task.options, context, tts)
    finally:
        if tts is not None:
            tts.close()
    return replace(report, seconds=time.perf_counter() - started)


def _source_language(
    speech: Speech, options: BuildOptions, context: StageContext, tts: TTS | None
) -> LanguageReport:
    """English: the Speech JSON and the English reading."""
    segment = run_stage(SpeechStage(), speech, options, context, announce=False)
    report = LanguageReport(lang=SOURCE_LANGUAGE, status="ok")
    files = list(segment.files)
    stages = ["segment"] if segment.ran else []
    if tts is not None:
        inputs = AudioInputs(speech, SOURCE_LANGUAGE, tts)
        audio = run_stage(AudioStage(), inputs, options, context)
        files += _with_audio(audio.files, audio.result.details)
        report = replace(report, audio=audio.result.details, synthesized=audio.result.synthesized)
        stages += ["audio"] if audio.ran else []
        if options.make_zip:
            title = speech.meta.title or speech.slug
            archive = _zip(context, title, tuple(files[1:]), options)
            files += archive.files
            stages += ["zip"] if archive.ran else []
    return replace(report, files=tuple(files), stages_run=tuple(stages))


def _target_language(
    speech: Speech, lang: str, options: BuildOptions, context: StageContext, tts: TTS | None
) -> LanguageReport:
    try:
        inputs = TranslationInputs(speech, lang)
        translation = run_stage(TranslationStage(), inputs, options, context)
    except (ModelError, NetworkError) as exc:
        from toolkit.translate.models import missing_model_hint

        missing = f"no {speech.lang}→{lang} model"
        if options.translate.engine == "auto":
            missing = f"no reference translation and {missing}"
        reason = f"{missing}: {exc.message}"
        context.event("translation", "skipped", reason)
        fix = missing_model_hint(lang, speech.lang)
        return LanguageReport(lang=lang, status="skipped", reason=reason, fix=fix)
    translated = translation.result
    sentences = list(translated.sentences())
    first = sentences[0].provenance if sentences else None
    report = LanguageReport(
        lang=lang,
        status="ok",
        engine=translated.engine,
        model=first.model if first else None,
        model_version=first.model_version if first else None,
        signature=translated.provenance.signature if translated.provenance else None,
        sentences=len(sentences),
        cached=sum(1 for s in sentences if s.provenance.cached),
        flagged=sum(1 for s in sentences if s.provenance.flags),
        review_rows=_rows_to_review(translated),
    )
    stages = ["translation"] if translation.ran else []
    deliverables: list[OutputFile] = []
    if options.make_pdf:
        pdf_inputs = PdfInputs(translated, translation.files[0].sha256)
        pdf = run_stage(PdfStage(), pdf_inputs, options, context)
        deliverables += pdf.files
        stages += ["pdf"] if pdf.ran else []
    if tts is not None:
        audio = run_stage(AudioStage(), AudioInputs(translated, lang, tts), options, context)
        deliverables += _with_audio(audio.files, audio.result.details)
        report = replace(report, audio=audio.result.details, synthesized=audio.result.synthesized)
        stages += ["audio"] if audio.ran else []
    files = [*translation.files, *deliverables]
    if options.make_zip and deliverables:
        title = translated.meta.title or speech.meta.title or speech.slug
        archive = _zip(context, title, tuple(deliverables), options)
        files += archive.files
        stages += ["zip"] if archive.ran else []
    return replace(report, files=tuple(files), stages_run=tuple(stages))


def _with_audio(files: tuple[OutputFile, ...], details: AudioDetails) -> list[OutputFile]:
    """The reading's files, the MP3 carrying the audio details for the manifest."""
    return [replace(f, audio=details) if f.stage == "audio" else f for f in files]


def _zip(
    context: StageContext, title: str, members: tuple[OutputFile, ...], options: BuildOptions
) -> StageRun[None]:
    inputs = ZipInputs(context.slug, context.lang, title, members, context.current_bytes)
    return run_stage(ZipStage(), inputs, options, context)


# --------------------------------------------------------------------------- readers, EPUBs, index


def accessible_outputs(
    speech: Speech,
    options: BuildOptions,
    folder: Path,
    staging: Path,
    previous: Manifest | None,
    reports: list[LanguageReport],
    emit: ProgressCallback,
) -> list[LanguageReport]:
    """Add each built language's read-along page and EPUB, then the pack's ``index.html``.

    They run here, in the calling process, after every language has built: a page links only
    to the readers of languages that exist, and the index lists every file with its size.
    Rendering them takes milliseconds (the EPUB copies the MP3 into a zip).
    """
    import json

    from toolkit.document import TranslatedSpeech

    if not (options.make_html or options.make_epub):
        return reports
    built = tuple(r.lang for r in reports if r.status == "ok")
    last = pack.PreviousPack(folder, previous)
    out: list[LanguageReport] = []
    titles: dict[str, str | None] = {}
    for report in reports:
        if report.status != "ok":
            out.append(report)
            continue
        context = StageContext(speech.slug, report.lang, folder, staging, last, emit)
        by_stage = {f.stage: f for f in report.files}
        text = by_stage.get("translation") or by_stage["speech"]
        document: Speech | TranslatedSpeech = speech
        if report.lang != SOURCE_LANGUAGE:
            document = TranslatedSpeech.from_dict(json.loads(context.current_bytes(text)))
        titles[report.lang] = document.meta.title

        def locate(output: OutputFile, context: StageContext = context) -> Path:
            return context.staged(output.path) if output.staged else folder / output.path

        inputs = ReaderInputs(
            document,
            text,
            by_stage.get("audio"),
            by_stage.get("transcript"),
            built,
            context.current_bytes,
            locate,
        )
        files, stages = list(report.files), list(report.stages_run)
        for stage, wanted in ((ReaderStage(), options.make_html), (EpubStage(), options.make_epub)):
            if wanted:
                run = run_stage(stage, inputs, options, context)
                files += run.files
                stages += [stage.name] if run.ran else []
        out.append(replace(report, files=tuple(files), stages_run=tuple(stages)))
    if options.make_html and out and out[0].lang == SOURCE_LANGUAGE:
        out[0] = _index(speech, options, folder, staging, last, out, titles, emit)
    return out


def _index(
    speech: Speech,
    options: BuildOptions,
    folder: Path,
    staging: Path,
    last: pack.PreviousPack,
    reports: list[LanguageReport],
    titles: dict[str, str | None],
    emit: ProgressCallback,
) -> LanguageReport:
    """English's report with the pack's index page added to its files."""
    from toolkit.export.html import FILE_KINDS, PackFile, PackLanguage, file_kind

    languages = []
    for report in reports:
        if report.status != "ok":
            continue
        listed = [
            PackFile(f.path, kind, f.bytes)
            for f in report.files
            if (kind := file_kind(speech.slug, report.lang, f.path)) is not None
        ]
        listed.sort(key=lambda f: (FILE_KINDS.index(f.kind), f.name))
        duration = report.audio.duration_s if report.audio else None
        languages.append(
            PackLanguage(report.lang, tuple(listed), duration, titles.get(report.lang))
        )
    inputs = IndexInputs(speech.slug, speech.meta.title or speech.slug, tuple(languages))
    context = StageContext(speech.slug, SOURCE_LANGUAGE, folder, staging, last, emit)
    run = run_stage(IndexStage(), inputs, options, context)
    english = reports[0]
    stages = [*english.stages_run, "index"] if run.ran else list(english.stages_run)
    return replace(english, files=(*english.files, *run.files), stages_run=tuple(stages))


# --------------------------------------------------------------------------- one source


def _language_order(lang: str) -> int:
    order = (SOURCE_LANGUAGE, *TARGET_LANGUAGES)
    return order.index(lang) if lang in order else len(order)


def _manifest(
    speech: Speech,
    source: Path,
    options: BuildOptions,
    reports: list[LanguageReport],
    folder: Path,
    previous: Manifest | None,
) -> Manifest:
    carried = pack.carried_over(
        previous, folder, [r.lang for r in reports], lambda lang: requested_stages(options, lang)
    )
    languages = pack.merge_languages(
        {r.lang: r.manifest_entry() for r in reports}, carried, previous
    )
    files = [f for r in reports for f in r.files] + carried
    return Manifest(
        slug=speech.slug,
        source_path=str(source),
        source_sha256=speech.source_sha256,
        toolkit_version=__version__,
        options=options.manifest_options(),
        languages={lang: languages[lang] for lang in sorted(languages, key=_language_order)},
        files=tuple(sorted(files, key=lambda f: (_language_order(f.lang), f.path))),
    )


def _probe_tts(options: BuildOptions) -> tuple[bool, str | None] | None:
    """For ``--tts auto``: probe gTTS once here, so no worker probes again."""
    if not options.make_audio or options.audio.tts != "auto":
        return None
    from toolkit.tts.auto import gtts_reachable

    return gtts_reachable()


def build_source(
    source: Path,
    options: BuildOptions,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
) -> SourceReport:
    """Build the pack of one source speech; see the module docstring."""
    from toolkit.segment import segment_file

    started = time.perf_counter()
    on_progress = progress or (lambda event: None)
    speech = segment_file(source)
    if speech.lang != SOURCE_LANGUAGE:
        raise ToolkitError(
            f"{source} is a {get_language(speech.lang).name} text; the build starts from English.",
            f"Build from source/{speech.slug}.en.md; this file is used as its reference "
            "translation automatically.",
        )
    on_progress(ProgressEvent(speech.slug, SOURCE_LANGUAGE, "segment", "done"))
    folder = paths.speech_dir(options.out, speech.slug)
    runner = executor or executor_for(options.jobs)
    with pack.pack_lock(options.out, speech.slug):
        staging = pack.new_staging(options.out, speech.slug, str(os.getpid()))
        previous = read_manifest(folder)
        probe = _probe_tts(options)
        langs = [SOURCE_LANGUAGE, *(t for t in options.targets if t != SOURCE_LANGUAGE)]
        speech_json = dumps(speech)
        tasks = [
            LanguageTask(speech_json, lang, options, folder, staging, previous, probe)
            for lang in langs
        ]
        try:
            # A language's failure is raised here: nothing has been committed yet.
            reports = runner.run(build_language, tasks, on_progress)
            pack.require_staged(
                staging / speech.slug, (f for report in reports for f in report.files)
            )
            reports = accessible_outputs(
                speech, options, folder, staging, previous, reports, on_progress
            )
            manifest = _manifest(speech, source, options, reports, folder, previous)
            committed = pack.commit(folder, staging / speech.slug, manifest, previous)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    on_progress(ProgressEvent(speech.slug, SOURCE_LANGUAGE, "commit", "done"))
    return SourceReport(
        source=str(source),
        slug=speech.slug,
        manifest=folder / MANIFEST_NAME,
        languages=tuple(reports),
        rewritten=committed.rewritten,
        kept_aside=committed.kept_aside,
        seconds=time.perf_counter() - started,
    )


def build(
    sources: list[Path],
    options: BuildOptions,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
) -> BuildResult:
    """Build the delegate pack of every source, one after another (languages in parallel)."""
    return BuildResult(
        tuple(build_source(source, options, progress, executor) for source in sources)
    )


__all__ = ["BuildResult", "SourceReport", "build", "build_language", "build_source"]


def _rows_to_review(translated: TranslatedSpeech) -> int:
    """How many paragraphs the PDF marks for review (see ``speech_alignment.rows_to_review``)."""
    from toolkit.translate.speech_alignment import rows_to_review

    return len(rows_to_review(translated))
