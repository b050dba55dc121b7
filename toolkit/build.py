"""``toolkit build``: the whole delegate pack for one or more speeches, incrementally and safely.

For each source: segment → per target language translate (reference or MT) → bilingual PDF →
audio per language (English included) → optional per-language zip → ``manifest.json``.

Three properties matter to a conference officer, and the design follows from them:

* **Incremental.** Every output is produced by a *stage* whose key is a hash of the stage's
  inputs and options (the Speech JSON, the engine's identity, the translation JSON, the layout,
  the TTS engine…). The manifest records each file's key and sha256. A stage whose key and file
  are unchanged is not run at all, so a rebuild with nothing changed does no engine work and
  rewrites no file. When a stage does run, the sentence caches of the translation and TTS
  engines make it redo only the sentences that changed.
* **Safe.** New outputs are written into a staging folder. Only when every language has been
  built are they moved into ``<out>/<slug>/`` (identical files are left untouched) and the
  manifest is written last. Ctrl-C or a crash in one language leaves the previous pack and its
  manifest exactly as they were.
* **Honest.** A language that cannot be translated (no reference, no model, no reachable
  index) is ``skipped`` with the reason and the exact fix command; the build produces the rest
  and reports a *partial* result (exit code 10).

The languages of a speech are built side by side in ``--jobs`` forked worker processes (see
:func:`_build_languages`); a language that fails, or Ctrl-C, stops the others at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from toolkit import __version__
from toolkit.document import Speech, TranslatedSpeech, dumps
from toolkit.errors import (
    ExitCode,
    InputError,
    ModelError,
    NetworkError,
    OutputError,
    ToolkitError,
)
from toolkit.export import paths
from toolkit.languages import SOURCE_LANGUAGE, TARGET_LANGUAGES, get_language

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.synchronize import Event as ProcessEvent

    from toolkit.export.audio import AudioOptions
    from toolkit.tts.base import TTS

MANIFEST_FORMAT = "toolkit.manifest/1"
MANIFEST_NAME = "manifest.json"

Status = Literal["ok", "skipped", "failed"]


@dataclass(frozen=True)
class BuildOptions:
    """What a build run chooses. Defaults build the full six-language pack."""

    targets: tuple[str, ...] = TARGET_LANGUAGES
    """Target languages (English is always the source and always gets audio)."""
    engine: str = "auto"
    """Translation engine: auto (reference if present, else argos), argos, reference, fake."""
    tts: str = "auto"
    """Speech engine: auto (gTTS when reachable, else espeak), gtts, espeak, silent."""
    layout: str = "side-by-side"
    """PDF layout: side-by-side, stacked or target-only."""
    paper: str = "A4"
    """PDF paper size: A4 or letter."""
    font_dir: Path | None = None
    """Extra folder searched first for fonts."""
    make_zip: bool = False
    """Also write one zip per language for sending to that delegation."""
    jobs: int = 2
    """Worker processes building languages at the same time (1: one after another, here)."""
    out: Path = paths.DEFAULT_OUT
    """Output root; each speech goes to ``<out>/<slug>/``."""
    audio: bool = True
    """Produce audio readings (``--no-audio`` skips the stage)."""
    pdf: bool = True
    """Produce PDFs (``--no-pdf`` skips the stage)."""

    def manifest_options(self) -> dict[str, Any]:
        """The options as recorded in the manifest (paths as strings, no output root)."""
        data = asdict(self)
        data.pop("out")
        data["targets"] = list(self.targets)
        data["font_dir"] = str(self.font_dir) if self.font_dir else None
        return data


@dataclass(frozen=True)
class OutputFile:
    """One file of the pack, as listed in the manifest."""

    path: str
    """Path relative to the manifest's folder."""
    sha256: str
    """SHA-256 of the file's bytes."""
    bytes: int
    """Size in bytes."""
    lang: str
    """Language the file belongs to (``en`` for the source's own files)."""
    stage: str
    """Stage that produced it: speech, translation, pdf, audio, transcript, zip."""
    key: str
    """Hash of the stage's inputs and options; an unchanged key means the file is still valid."""


@dataclass(frozen=True)
class LanguageReport:
    """What the build did for one language."""

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
    sentences: int = 0
    """Sentences in the translation."""
    cached: int = 0
    """Sentences served from the translation cache."""
    flagged: int = 0
    """Sentences with quality or alignment flags for a reviewer."""
    audio_engine: str | None = None
    """Speech engine used for the audio reading."""
    audio_note: str | None = None
    """Why the audio engine differs from the one asked for (e.g. gTTS unreachable)."""
    audio_duration_s: float | None = None
    """Duration of the audio reading in seconds."""
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
    """Files of this language."""

    def manifest_entry(self) -> dict[str, Any]:
        """The per-language entry of the manifest (no timings: the manifest must not churn)."""
        entry: dict[str, Any] = {"status": self.status}
        if self.status != "ok":
            entry.update(reason=self.reason, fix=self.fix)
            return entry
        if self.engine is not None:
            entry["translation"] = {
                "engine": self.engine,
                "model": self.model,
                "model_version": self.model_version,
                "sentences": self.sentences,
                "cached": self.cached,
                "flagged": self.flagged,
            }
        if self.audio_engine is not None:
            entry["audio"] = {
                "engine": self.audio_engine,
                "note": self.audio_note,
                "duration_s": self.audio_duration_s,
            }
        entry["files"] = [f.path for f in self.files]
        return entry


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


@dataclass(frozen=True)
class ProgressEvent:
    """A progress notification for a display (the library never prints)."""

    slug: str
    """Speech being built."""
    lang: str
    """Language of the stage."""
    stage: str
    """segment, translation, pdf, audio, zip, commit."""
    state: Literal["start", "done", "reused", "skipped", "failed"]
    """What happened."""
    detail: str = ""
    """A short human-readable detail (engine, reason…)."""


ProgressCallback = Callable[[ProgressEvent], None]


def _hash(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str)
        if isinstance(data, str):
            data = data.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


# --------------------------------------------------------------------------- manifest


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest in ``folder``, or None if there is none or it is unreadable."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT else None


def verify_manifest(folder: Path) -> list[str]:
    """Problems found checking every file of the manifest in ``folder`` (empty list: all good)."""
    manifest = read_manifest(folder)
    if manifest is None:
        return [f"no readable {MANIFEST_NAME} in {folder}"]
    problems = []
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if not path.is_file():
            problems.append(f"missing: {entry['path']}")
        elif path.stat().st_size != entry["bytes"] or paths.sha256_file(path) != entry["sha256"]:
            problems.append(f"changed: {entry['path']}")
    return problems


class _PreviousPack:
    """The files of the previous build, with the key that produced each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        manifest = read_manifest(folder) or {"files": []}
        self._files = {entry["path"]: entry for entry in manifest.get("files", [])}

    def reusable(self, name: str, key: str) -> OutputFile | None:
        """The recorded file if it was produced with ``key`` and is still intact on disk."""
        entry = self._files.get(name)
        if entry is None or entry.get("key") != key:
            return None
        path = self.folder / name
        try:
            if path.stat().st_size != entry["bytes"]:
                return None
        except OSError:
            return None
        if paths.sha256_file(path) != entry["sha256"]:
            return None
        return OutputFile(**{k: entry[k] for k in OutputFile.__dataclass_fields__})

    def audio_details(self, name: str) -> dict[str, Any]:
        """What the previous build recorded about the audio reading ``name``."""
        return dict(self._files.get(name, {}).get("audio") or {})


# --------------------------------------------------------------------------- stages


@dataclass
class _SourceBuild:
    """Mutable state of one source's build (private to this module)."""

    source: Path
    speech: Speech
    speech_json: str
    options: BuildOptions
    final: Path
    staging: Path
    previous: _PreviousPack
    progress: ProgressCallback
    audio_options: AudioOptions
    tts: TTS

    @property
    def slug(self) -> str:
        return self.speech.slug

    def emit(self, lang: str, stage: str, state: Any, detail: str = "") -> None:
        self.progress(ProgressEvent(self.slug, lang, stage, state, detail))

    def staged(self, name: str) -> Path:
        return self.staging / self.slug / name

    def record(self, name: str, lang: str, stage: str, key: str) -> OutputFile:
        path = self.staged(name)
        return OutputFile(name, paths.sha256_file(path), path.stat().st_size, lang, stage, key)

    def current_bytes(self, output: OutputFile) -> bytes:
        """Bytes of an output, from staging if it was rebuilt in this run, else from the pack."""
        staged = self.staged(output.path)
        return (staged if staged.exists() else self.final / output.path).read_bytes()


def _translation_identity(speech: Speech, lang: str, options: BuildOptions) -> dict[str, Any]:
    """What decides a translation's content, found cheaply, without loading a model.

    For argos with no installed model, the model is installed from the index first (the
    index must be reachable). Raises ModelError/NetworkError when ``lang`` cannot be
    translated here: the language is then skipped.
    """
    from toolkit.translate import TranslateOptions, load_glossary_for, resolve_engine
    from toolkit.translate.registry import get_engine

    translate_options = TranslateOptions(engine=options.engine)
    name, reference = resolve_engine(speech, lang, translate_options)
    if reference is not None:
        return {"engine": name, "reference": str(reference), "sha256": paths.sha256_file(reference)}
    engine = get_engine(name, translate_options)
    try:
        info = engine.info(speech.lang, lang)
    except ModelError:
        if name != "argos":
            raise
        from toolkit.translate.models import install_from_index

        install_from_index(lang, speech.lang)
        info = engine.info(speech.lang, lang)
    glossary = load_glossary_for(translate_options)
    return {
        "engine": name,
        "signature": info.signature,
        "glossary": glossary.sha256 if glossary else None,
    }


def _stage_translation(
    build: _SourceBuild, lang: str, report: dict[str, Any]
) -> tuple[TranslatedSpeech, OutputFile]:
    from toolkit.translate import TranslateOptions, translate_speech

    identity = _translation_identity(build.speech, lang, build.options)
    name = paths.translation_path(Path(), build.slug, lang).name
    key = _hash("translation", __version__, build.speech_json, lang, identity)
    reused = build.previous.reusable(name, key)
    if reused is not None:
        build.emit(lang, "translation", "reused", identity.get("engine", ""))
        data = json.loads((build.final / name).read_text(encoding="utf-8"))
        translated = TranslatedSpeech.from_dict(data)
        output = reused
    else:
        build.emit(lang, "translation", "start", identity.get("engine", ""))
        translated = translate_speech(
            build.speech,
            lang,
            TranslateOptions(engine=identity.get("engine", build.options.engine)),
        )
        paths.write_text_atomic(build.staged(name), dumps(translated))
        output = build.record(name, lang, "translation", key)
        report["stages_run"].append("translation")
        build.emit(lang, "translation", "done", translated.engine)
    sentences = list(translated.sentences())
    first = sentences[0].provenance if sentences else None
    report.update(
        engine=translated.engine,
        model=first.model if first else None,
        model_version=first.model_version if first else None,
        sentences=len(sentences),
        cached=sum(1 for s in sentences if s.provenance.cached),
        flagged=sum(1 for s in sentences if s.provenance.flags),
    )
    return translated, output


_PDF_LOCK = threading.Lock()
"""reportlab keeps process-wide registries (fonts, rl_config): one PDF at a time per process
(a build's languages run in separate processes; this guards builds run from threads)."""


def _stage_pdf(
    build: _SourceBuild, translated: TranslatedSpeech, translation: OutputFile, report: dict
) -> OutputFile:
    from toolkit.export.pdf import PdfOptions, render_pdf
    from toolkit.fonts import font_identity

    lang = translated.lang
    options = build.options
    name = paths.pdf_path(Path(), build.slug, lang, layout=options.layout).name
    key = _hash(
        "pdf",
        __version__,
        translation.sha256,
        options.layout,
        options.paper,
        font_identity([SOURCE_LANGUAGE, lang], options.font_dir),
    )
    reused = build.previous.reusable(name, key)
    if reused is not None:
        build.emit(lang, "pdf", "reused")
        return reused
    build.emit(lang, "pdf", "start")
    with _PDF_LOCK:
        render_pdf(
            translated,
            build.staged(name),
            PdfOptions(layout=options.layout, paper=options.paper, font_dir=options.font_dir),
        )
    report["stages_run"].append("pdf")
    build.emit(lang, "pdf", "done")
    return build.record(name, lang, "pdf", key)


def _spoken_content(doc: Speech | TranslatedSpeech) -> str:
    """Everything an audio reading depends on in ``doc``: its front matter and, per paragraph,
    the ID, kind and sentence texts — not, for a translation, the English it came from, so
    an English edit that leaves a reference translation unchanged does not re-read it."""
    paragraphs = [[p.id, p.kind, [[s.id, s.text] for s in p.sentences]] for p in doc.paragraphs]
    # The MP3's provenance tag names the translation engine and notice.
    provenance = [doc.engine, doc.notice] if isinstance(doc, TranslatedSpeech) else []
    return json.dumps([asdict(doc.meta), paragraphs, provenance], ensure_ascii=False)


def _stage_audio(
    build: _SourceBuild,
    doc: Speech | TranslatedSpeech,
    lang: str,
    report: dict[str, Any],
) -> list[OutputFile]:
    from toolkit.export.audio import render_audio
    from toolkit.tts.lexicon import load_lexicon

    options = build.audio_options
    signature = build.tts.signature(lang)  # for auto: the engine it resolves to, probed once
    lexicon = [(e.pattern.pattern, e.spoken) for e in load_lexicon(lang).entries]
    identity = {"signature": signature, "options": asdict(options), "lexicon": lexicon}
    mp3 = paths.audio_path(Path(), build.slug, lang).name
    vtt = paths.transcript_path(Path(), build.slug, lang).name
    key = _hash("audio", __version__, _spoken_content(doc), lang, identity)
    reused_mp3 = build.previous.reusable(mp3, key)
    reused_vtt = build.previous.reusable(vtt, key)
    if reused_mp3 is not None and reused_vtt is not None:
        previous = build.previous.audio_details(mp3)
        build.emit(lang, "audio", "reused", previous.get("engine", ""))
        report.update(
            audio_engine=previous.get("engine"),
            audio_note=previous.get("note"),
            audio_duration_s=previous.get("duration_s"),
        )
        return [reused_mp3, reused_vtt]
    build.emit(lang, "audio", "start")
    result = render_audio(doc, lang, build.staging, options, engine=build.tts)
    report["stages_run"].append("audio")
    report.update(
        audio_engine=result.engine,
        audio_note=result.fallback_reason,
        audio_duration_s=round(result.duration_s, 3),
        synthesized=report.get("synthesized", 0) + result.synthesized,
    )
    build.emit(lang, "audio", "done", f"{result.engine}, {result.duration_s:.0f} s")
    return [build.record(mp3, lang, "audio", key), build.record(vtt, lang, "transcript", key)]


_ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed timestamps: the same inputs give the same zip bytes


def _stage_zip(
    build: _SourceBuild,
    lang: str,
    title: str,
    members: list[OutputFile],
    report: dict[str, Any],
) -> OutputFile:
    import zipfile

    from toolkit.export.pack_readme import pack_readme

    name = f"{build.slug}.{lang}.zip"
    readme = pack_readme(title, lang, [m.path for m in members])
    key = _hash("zip", __version__, [m.sha256 for m in members], readme)
    reused = build.previous.reusable(name, key)
    if reused is not None:
        build.emit(lang, "zip", "reused")
        return reused
    build.emit(lang, "zip", "start")
    target = build.staged(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    with paths.atomic_output(target) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        for member in members:
            info = zipfile.ZipInfo(member.path, _ZIP_DATE)
            # MP3 is already compressed; deflate the rest.
            info.compress_type = (
                zipfile.ZIP_STORED if member.path.endswith(".mp3") else zipfile.ZIP_DEFLATED
            )
            archive.writestr(info, build.current_bytes(member))
        info = zipfile.ZipInfo("README.txt", _ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, readme.encode("utf-8"))
    report["stages_run"].append("zip")
    build.emit(lang, "zip", "done")
    return build.record(name, lang, "zip", key)


def _new_report(lang: str) -> dict[str, Any]:
    return {"lang": lang, "status": "ok", "stages_run": []}


def _finish(report: dict[str, Any], files: list[OutputFile], started: float) -> LanguageReport:
    report["stages_run"] = tuple(report["stages_run"])
    return LanguageReport(**report, files=tuple(files), seconds=time.perf_counter() - started)


def _build_source_language(build: _SourceBuild) -> LanguageReport:
    """English: the Speech JSON and the English audio reading."""
    started = time.perf_counter()
    report = _new_report(SOURCE_LANGUAGE)
    name = paths.speech_json_path(Path(), build.slug).name
    key = _hash("speech", __version__, build.speech_json)
    speech_file = build.previous.reusable(name, key)
    if speech_file is None:
        paths.write_text_atomic(build.staged(name), build.speech_json)
        speech_file = build.record(name, SOURCE_LANGUAGE, "speech", key)
        report["stages_run"].append("segment")
    files = [speech_file]
    if build.options.audio:
        files += _stage_audio(build, build.speech, SOURCE_LANGUAGE, report)
    if build.options.make_zip and build.options.audio:
        title = build.speech.meta.title or build.slug
        files.append(_stage_zip(build, SOURCE_LANGUAGE, title, files[1:], report))
    return _finish(report, files, started)


def _build_target_language(build: _SourceBuild, lang: str) -> LanguageReport:
    started = time.perf_counter()
    report = _new_report(lang)
    try:
        translated, translation = _stage_translation(build, lang, report)
    except (ModelError, NetworkError) as exc:
        from toolkit.translate.models import missing_model_hint

        missing = f"no {build.speech.lang}→{lang} model"
        if build.options.engine == "auto":
            missing = f"no reference translation and {missing}"
        reason = f"{missing}: {exc.message}"
        build.emit(lang, "translation", "skipped", reason)
        return LanguageReport(
            lang=lang,
            status="skipped",
            reason=reason,
            fix=missing_model_hint(lang, build.speech.lang),
            seconds=time.perf_counter() - started,
        )
    files = [translation]
    deliverables: list[OutputFile] = []
    if build.options.pdf:
        deliverables.append(_stage_pdf(build, translated, translation, report))
    if build.options.audio:
        deliverables += _stage_audio(build, translated, lang, report)
    files += deliverables
    if build.options.make_zip and deliverables:
        title = translated.meta.title or build.speech.meta.title or build.slug
        files.append(_stage_zip(build, lang, title, deliverables, report))
    return _finish(report, files, started)


# --------------------------------------------------------------------------- parallel languages


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _build_language(build: _SourceBuild, lang: str) -> LanguageReport:
    if lang == SOURCE_LANGUAGE:
        return _build_source_language(build)
    return _build_target_language(build, lang)


def _build_languages(build: _SourceBuild, targets: list[str]) -> list[LanguageReport]:
    """Build English and every target language; the reports, English first.

    With ``--jobs`` above 1 the languages are built in that many forked worker processes.
    Their work (aligning references, laying out PDFs, encoding MP3) is Python code: threads
    would take turns on the GIL, processes use every core. Forking, not spawning, keeps what
    this process has loaded, so a worker starts in milliseconds. With ``--jobs 1``, or where
    fork does not exist, the languages are built here, one after another.
    """
    languages = [SOURCE_LANGUAGE, *targets]
    jobs = min(max(1, build.options.jobs), len(languages))
    if jobs == 1 or not _can_fork():
        return [_build_language(build, lang) for lang in languages]
    # Imported here, as zipfile is: a rebuild with nothing to do starts faster without them.
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    if build.options.audio:
        # `auto` probes gTTS once; resolved before the fork, the workers inherit the answer.
        build.tts.signature(SOURCE_LANGUAGE)
    context = multiprocessing.get_context("fork")
    messages, worker_messages = context.Pipe(duplex=False)
    stop = context.Event()
    worker_pids: set[int] = set()

    def relay(timeout: float) -> None:
        """Pass on what the workers sent: their progress events, and their pids."""
        while messages.poll(timeout):
            message = messages.recv()
            if isinstance(message, int):
                worker_pids.add(message)
            else:
                build.progress(message)
            timeout = 0

    workers = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_language_worker,
        initargs=(build, worker_messages, stop),
    )
    submitted = []
    reports = None
    try:
        submitted = [workers.submit(_build_in_worker, lang) for lang in languages]
        try:
            pending = set(submitted)
            while pending:
                # Wakes as soon as a language is done; progress is relayed at least every 20 ms.
                done, pending = wait(pending, timeout=0.02, return_when=FIRST_COMPLETED)
                relay(0)
                for job in done:
                    failure = job.exception()
                    if failure is not None and not isinstance(failure, _Stopped):
                        job.result()  # a language failed: raise now, the others are stopped
            reports = [job.result() for job in submitted]
        except BrokenProcessPool:
            raise ToolkitError(
                "A worker process building the languages stopped abruptly; "
                "the pack was left as it was.",
                "Run again with --jobs 1 to build in one process, and -v to see the error.",
            ) from None
        return reports
    finally:
        workers.shutdown(wait=False, cancel_futures=True)
        if reports is None:
            # A language failed, or Ctrl-C: the other languages' work would be thrown away.
            # Queued ones return at once; running ones are interrupted like a Ctrl-C
            # (a Ctrl-C at the terminal has already reached them).
            stop.set()
            relay(0)
            for pid in worker_pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGINT)
        while not all(job.done() for job in submitted):
            relay(0.05)  # keep the pipe drained: a worker blocked on it would never finish
        workers.shutdown(wait=True)
        messages.close()
        worker_messages.close()


class _Stopped(ToolkitError):
    """A queued language not started because the build is being abandoned (never reported:
    the failure or Ctrl-C that stopped the build is)."""


_worker_build: _SourceBuild | None = None
"""The build a forked language worker serves (set by :func:`_start_language_worker`)."""
_worker_stop: ProcessEvent | None = None
"""Set when the build is being abandoned: the worker starts no other language."""


def _start_language_worker(build: _SourceBuild, messages: Connection, stop: ProcessEvent) -> None:
    """Set up a forked worker: progress goes back through a pipe, Ctrl-C only stops a job."""
    global _worker_build, _worker_stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # idle: the parent decides what happens
    # Fresh console streams: a parent thread may have held the inherited ones' locks
    # (the live progress display writes to stderr) at the moment of the fork.
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        with contextlib.suppress(AttributeError, OSError, ValueError):
            setattr(
                sys,
                name,
                open(  # noqa: SIM115 - lives as long as the worker
                    stream.fileno(),
                    "w",
                    encoding=stream.encoding,
                    errors="backslashreplace",
                    closefd=False,
                    buffering=1,
                ),
            )
    # One message per event, each smaller than a pipe's atomic write: workers never
    # interleave, so no lock is needed.
    build.progress = messages.send
    messages.send(os.getpid())
    _worker_build, _worker_stop = build, stop


def _build_in_worker(lang: str) -> LanguageReport:
    """One language in a forked worker, with its own speech engine."""
    assert _worker_build is not None and _worker_stop is not None, "not a language worker"
    if _worker_stop.is_set():
        raise _Stopped(f"Not built: the build stopped before {lang} started.")
    from toolkit.export.audio import create_speech_engine

    build = replace(_worker_build, tts=create_speech_engine(_worker_build.audio_options))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return _build_language(build, lang)
    except KeyboardInterrupt:
        _worker_stop.set()  # the other workers start nothing more
        raise
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        build.tts.close()


# --------------------------------------------------------------------------- commit


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C while the pack is swapped in, so it is never left half-swapped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _requested_stages(options: BuildOptions, lang: str) -> set[str]:
    """The stages a run with ``options`` produces for ``lang`` (when the language builds)."""
    source = lang == SOURCE_LANGUAGE
    stages = {"speech"} if source else {"translation"}
    if options.pdf and not source:
        stages.add("pdf")
    if options.audio:
        stages |= {"audio", "transcript"}
    if options.make_zip and stages & {"pdf", "audio"}:
        stages.add("zip")
    return stages


def _carried_over(
    build: _SourceBuild, reports: list[LanguageReport], old: dict[str, Any]
) -> list[dict[str, Any]]:
    """Previous files this run did not ask for (``--no-audio``, a language left out of ``--to``).

    They are kept, and stay listed, rather than deleted: a partial rebuild must not throw away
    outputs the officer still wants. Files of stages this run did produce are replaced.
    """
    built = {report.lang for report in reports}
    return [
        entry
        for entry in old.get("files", [])
        if (
            entry["lang"] not in built
            or entry["stage"] not in _requested_stages(build.options, entry["lang"])
        )
        and (build.final / entry["path"]).is_file()
    ]


def _manifest(
    build: _SourceBuild, reports: list[LanguageReport], old: dict[str, Any]
) -> dict[str, Any]:
    files = []
    for report in reports:
        for output in report.files:
            entry: dict[str, Any] = {
                "path": output.path,
                "sha256": output.sha256,
                "bytes": output.bytes,
                "lang": output.lang,
                "stage": output.stage,
                "key": output.key,
            }
            if output.stage == "audio":
                entry["audio"] = {
                    "engine": report.audio_engine,
                    "note": report.audio_note,
                    "duration_s": report.audio_duration_s,
                }
            files.append(entry)
    carried = _carried_over(build, reports, old)
    languages = {report.lang: report.manifest_entry() for report in reports}
    old_languages = old.get("languages", {})
    for entry in carried:
        lang = entry["lang"]
        if lang not in languages:
            languages[lang] = old_languages.get(lang, {"status": "ok"})
        elif entry["stage"] == "audio" and "audio" not in languages[lang]:
            languages[lang]["audio"] = entry.get("audio")
        if lang in {r.lang for r in reports} and entry["path"] not in languages[lang].get(
            "files", []
        ):
            languages[lang].setdefault("files", []).append(entry["path"])
    return {
        "format": MANIFEST_FORMAT,
        "toolkit_version": __version__,
        "slug": build.slug,
        "source": {"path": str(build.source), "sha256": build.speech.source_sha256},
        "options": build.options.manifest_options(),
        "languages": {lang: languages[lang] for lang in sorted(languages, key=_language_order)},
        "files": sorted(files + carried, key=lambda e: (_language_order(e["lang"]), e["path"])),
    }


def _language_order(lang: str) -> int:
    order = (SOURCE_LANGUAGE, *TARGET_LANGUAGES)
    return order.index(lang) if lang in order else len(order)


def _set_aside_if_edited(path: Path, written: dict[str, str]) -> str | None:
    """Keep a copy of ``path`` if it is not what the toolkit last wrote there.

    Someone may have corrected a translation JSON or a PDF by hand; the rebuild must not
    destroy that work. The copy goes beside it as ``<name>.edited-<sha8>``; returns its name.
    """
    digest = paths.sha256_file(path)
    if written.get(path.name) == digest:
        return None
    kept = path.with_name(f"{path.name}.edited-{digest[:8]}")
    path.replace(kept)
    return kept.name


def _commit(
    build: _SourceBuild, reports: list[LanguageReport]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Move changed files into the pack, drop stale ones, write the manifest last.

    Returns the files written or removed, and the hand-edited files kept aside.
    """
    rewritten = []
    kept_aside = []
    old = read_manifest(build.final) or {"files": []}
    written = {entry["path"]: entry["sha256"] for entry in old.get("files", [])}
    manifest = _manifest(build, reports, old)
    keep = {entry["path"] for entry in manifest["files"]}
    build.final.mkdir(parents=True, exist_ok=True)
    with _interrupts_deferred():
        for report in reports:
            for output in report.files:
                staged = build.staged(output.path)
                if not staged.exists():
                    continue  # reused: the file in the pack is already this one
                target = build.final / output.path
                if target.is_file():
                    if (
                        target.stat().st_size == output.bytes
                        and paths.sha256_file(target) == output.sha256
                    ):
                        continue  # rebuilt to the same bytes: leave the file untouched
                    if kept := _set_aside_if_edited(target, written):
                        kept_aside.append(kept)
                # The staging folder is beside the pack, on the same file system: an atomic
                # rename, no copy.
                staged.replace(target)
                rewritten.append(output.path)
        # A file the previous manifest listed for a stage this run produced, under a name it
        # no longer produces (the layout changed; the language is now skipped), is stale.
        # Files the toolkit did not write, or that were edited since, are never deleted.
        for entry in old.get("files", []):
            if entry["path"] not in keep:
                stale = build.final / entry["path"]
                if stale.is_file() and (kept := _set_aside_if_edited(stale, written)):
                    kept_aside.append(kept)
                stale.unlink(missing_ok=True)
                rewritten.append(entry["path"])
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        if paths.write_text_atomic(build.final / MANIFEST_NAME, text):
            rewritten.append(MANIFEST_NAME)
    return tuple(rewritten), tuple(kept_aside)


# --------------------------------------------------------------------------- entry point


@contextlib.contextmanager
def _pack_lock(out: Path, slug: str) -> Iterator[None]:
    """One build of a speech at a time: a second ``toolkit build`` of it waits here."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = (out / f".{slug}.lock").open("a")
    except OSError as exc:
        raise OutputError(f"Cannot write to {out}: {exc.strerror}.") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def build_source(
    source: Path, options: BuildOptions, progress: ProgressCallback | None = None
) -> SourceReport:
    """Build the pack of one source speech; see the module docstring."""
    from toolkit.export.audio import AudioOptions, create_speech_engine
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
    final = paths.speech_dir(options.out, speech.slug)
    with _pack_lock(options.out, speech.slug):
        # Holding the lock, no other build of this speech runs: any staging folder left
        # is from a killed run.
        for leftover in options.out.glob(f".{speech.slug}.staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        staging = options.out / f".{speech.slug}.staging-{os.getpid()}"
        audio_options = AudioOptions(tts=options.tts)
        build = _SourceBuild(
            source=source,
            speech=speech,
            speech_json=dumps(speech),
            options=options,
            final=final,
            staging=staging,
            previous=_PreviousPack(final),
            progress=on_progress,
            audio_options=audio_options,
            tts=create_speech_engine(audio_options),
        )
        targets = [lang for lang in options.targets if lang != SOURCE_LANGUAGE]
        try:
            # A language's crash is raised here: nothing has been committed yet, so the
            # previous pack stays as it was.
            reports = _build_languages(build, targets)
            rewritten, kept_aside = _commit(build, reports)
        finally:
            build.tts.close()
            shutil.rmtree(staging, ignore_errors=True)
    on_progress(ProgressEvent(speech.slug, SOURCE_LANGUAGE, "commit", "done"))
    return SourceReport(
        source=str(source),
        slug=speech.slug,
        manifest=final / MANIFEST_NAME,
        languages=tuple(reports),
        rewritten=rewritten,
        kept_aside=kept_aside,
        seconds=time.perf_counter() - started,
    )


def build(
    sources: list[Path], options: BuildOptions, progress: ProgressCallback | None = None
) -> BuildResult:
    """Build the delegate pack of every source, one after another (languages in parallel)."""
    check_options(options)
    return BuildResult(tuple(build_source(source, options, progress) for source in sources))


def check_options(options: BuildOptions) -> None:
    """Refuse a bad engine, layout or paper before any work is done (InputError)."""
    from toolkit.export.audio import TTS_CHOICES
    from toolkit.export.pdf import PdfOptions
    from toolkit.translate.registry import check_mode

    check_mode(options.engine)
    PdfOptions(layout=options.layout, paper=options.paper, font_dir=options.font_dir)
    if options.tts not in TTS_CHOICES:
        raise InputError(
            f"Unknown TTS engine {options.tts!r}.", f"Use one of: {', '.join(TTS_CHOICES)}."
        )


__all__ = [
    "BuildOptions",
    "BuildResult",
    "LanguageReport",
    "OutputFile",
    "ProgressEvent",
    "SourceReport",
    "build",
    "build_source",
    "read_manifest",
    "verify_manifest",
]
