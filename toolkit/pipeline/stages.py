"""One :class:`Stage` per kind of output: its key, its files, and the code that makes them.

A stage is a small object with four methods:

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
A new output (HTML, EPUB, XLIFF) is one exporter module plus one class here. The reader,
EPUB and index stages run after every language has built (see
:func:`toolkit.pipeline.build.accessible_outputs`), so a page links only to readers that exist.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from toolkit import __version__
from toolkit.document import Cue, Speech, TranslatedSpeech
from toolkit.export import paths
from toolkit.languages import SOURCE_LANGUAGE
from toolkit.options import BuildOptions
from toolkit.pipeline.manifest import AudioDetails, OutputFile
from toolkit.pipeline.pack import PreviousPack
from toolkit.pipeline.tasks import EventState, ProgressEvent

if TYPE_CHECKING:
    from toolkit.export.audio import AudioResult
    from toolkit.export.html import PackLanguage
    from toolkit.export.pdf import PdfResult
    from toolkit.tts.base import TTS

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


# --------------------------------------------------------------------------- speech


class SpeechStage:
    """The segmented English speech as JSON (``<slug>.speech.json``)."""

    name = "segment"

    def outputs(self, inputs: Speech, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """The Speech JSON."""
        return ((paths.speech_json_path(Path(), inputs.slug).name, "speech"),)

    def key(self, inputs: Speech, options: BuildOptions) -> str:
        """The JSON itself."""
        from toolkit.document import dumps

        return stage_hash("speech", __version__, dumps(inputs))

    def run(self, inputs: Speech, options: BuildOptions, out: Path) -> None:
        """Write the JSON."""
        from toolkit.document import dumps

        paths.write_text_atomic(paths.speech_json_path(out, inputs.slug), dumps(inputs))

    def reuse(self, inputs: Speech, options: BuildOptions, context: StageContext) -> None:
        """Nothing to load."""

    def describe(self, result: None) -> str:
        """No detail."""
        return ""


# --------------------------------------------------------------------------- translation


@dataclass(frozen=True)
class TranslationInputs:
    """What a translation depends on."""

    speech: Speech
    """The English speech."""
    lang: str
    """Target language."""


class TranslationStage:
    """The speech in one target language (``<slug>.<lang>.json``), by the chosen engine."""

    name = "translation"

    def outputs(
        self, inputs: TranslationInputs, options: BuildOptions
    ) -> tuple[tuple[str, str], ...]:
        """The translation JSON."""
        name = paths.translation_path(Path(), inputs.speech.slug, inputs.lang).name
        return ((name, "translation"),)

    def key(self, inputs: TranslationInputs, options: BuildOptions) -> str:
        """The speech and the engine's identity (raises ModelError when it cannot run)."""
        from toolkit.document import dumps
        from toolkit.translate.service import translation_identity

        identity = translation_identity(inputs.speech, inputs.lang, options.translate)
        return stage_hash("translation", __version__, dumps(inputs.speech), inputs.lang, identity)

    def run(self, inputs: TranslationInputs, options: BuildOptions, out: Path) -> TranslatedSpeech:
        """Translate (or align the reference) and write the JSON."""
        from toolkit.document import dumps
        from toolkit.translate import translate_speech

        translated = translate_speech(inputs.speech, inputs.lang, options.translate)
        target = paths.translation_path(out, inputs.speech.slug, inputs.lang)
        paths.write_text_atomic(target, dumps(translated))
        return translated

    def reuse(
        self, inputs: TranslationInputs, options: BuildOptions, context: StageContext
    ) -> TranslatedSpeech:
        """The translation JSON in the pack."""
        from toolkit.document import load_json_document

        ((name, _),) = self.outputs(inputs, options)
        document = load_json_document(context.pack / name)
        assert isinstance(document, TranslatedSpeech)
        return document

    def describe(self, result: TranslatedSpeech) -> str:
        """The engine."""
        return result.engine


# --------------------------------------------------------------------------- pdf

_PDF_LOCK = threading.Lock()
"""reportlab keeps process-wide registries (fonts, rl_config): one PDF at a time per process
(a build's languages run in separate processes; this guards builds run from threads)."""


@dataclass(frozen=True)
class PdfInputs:
    """What a bilingual PDF depends on."""

    translated: TranslatedSpeech
    """The translation to lay out beside its English."""
    translation_sha256: str
    """SHA-256 of the translation JSON (it holds everything the PDF shows)."""


class PdfStage:
    """The bilingual PDF (``<slug>.en-<lang>[.layout].pdf``)."""

    name = "pdf"

    def outputs(self, inputs: PdfInputs, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """The PDF."""
        t = inputs.translated
        name = paths.pdf_path(Path(), t.slug, t.lang, t.source_lang, options.pdf.layout).name
        return ((name, "pdf"),)

    def key(self, inputs: PdfInputs, options: BuildOptions) -> str:
        """The translation, the layout and paper, and the fonts the PDF embeds."""
        from toolkit.export.pdf_fonts import pdf_font_identity

        pdf = options.pdf
        langs = [inputs.translated.source_lang, inputs.translated.lang]
        return stage_hash(
            "pdf",
            __version__,
            inputs.translation_sha256,
            pdf.layout,
            pdf.paper,
            pdf_font_identity(langs, pdf.font_dir),
        )

    def run(self, inputs: PdfInputs, options: BuildOptions, out: Path) -> PdfResult | None:
        """Render the PDF (an identical file is left untouched); say where and how long."""
        from toolkit.export import pdf as pdf_module

        t = inputs.translated
        target = paths.pdf_path(out, t.slug, t.lang, t.source_lang, options.pdf.layout)
        with _PDF_LOCK:
            return pdf_module.write_pdf(t, target, options.pdf)

    def reuse(
        self, inputs: PdfInputs, options: BuildOptions, context: StageContext
    ) -> PdfResult | None:
        """Nothing to load (None)."""
        return None

    def describe(self, result: PdfResult | None) -> str:
        """Pages, when rendered."""
        return f"{result.pages} pages" if result is not None else ""


# --------------------------------------------------------------------------- audio


@dataclass(frozen=True)
class AudioInputs:
    """What a reading depends on."""

    document: Speech | TranslatedSpeech
    """The text to read (the English speech, or a translation)."""
    lang: str
    """Language read."""
    tts: TTS
    """The speech engine (one per worker; not part of the key, its signature is)."""


@dataclass(frozen=True)
class AudioOutcome:
    """The result of the audio stage."""

    details: AudioDetails
    """Engine, note and duration, as the manifest records them."""
    synthesized: int = 0
    """Sentences synthesised in this run."""
    rendered: AudioResult | None = None
    """The renderer's full result (cues, chapters, voice) when the stage ran."""


class AudioStage:
    """The reading (``<slug>.<lang>.mp3``, chapters per paragraph) and its ``.vtt``."""

    name = "audio"

    def outputs(self, inputs: AudioInputs, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """The MP3 and the transcript."""
        slug = inputs.document.slug
        return (
            (paths.audio_path(Path(), slug, inputs.lang).name, "audio"),
            (paths.transcript_path(Path(), slug, inputs.lang).name, "transcript"),
        )

    def key(self, inputs: AudioInputs, options: BuildOptions) -> str:
        """What is read and how: spoken content, engine signature, options, lexicon."""
        from toolkit.export.audio import audio_identity, spoken_content

        identity = audio_identity(inputs.lang, options.audio, inputs.tts)
        return stage_hash(
            "audio", __version__, spoken_content(inputs.document), inputs.lang, identity
        )

    def run(self, inputs: AudioInputs, options: BuildOptions, out: Path) -> AudioOutcome:
        """Synthesise (what the caches lack), encode and tag."""
        from toolkit.export.audio import render_audio

        result = render_audio(inputs.document, inputs.lang, out, options.audio, engine=inputs.tts)
        details = AudioDetails(result.engine, result.fallback_reason, round(result.duration_s, 3))
        return AudioOutcome(details, result.synthesized, result)

    def reuse(
        self, inputs: AudioInputs, options: BuildOptions, context: StageContext
    ) -> AudioOutcome:
        """What the previous manifest recorded about the reading."""
        (mp3, _), _ = self.outputs(inputs, options)
        previous = context.previous.audio_details(mp3)
        return AudioOutcome(previous or AudioDetails(None))

    def describe(self, result: AudioOutcome) -> str:
        """Engine and duration."""
        details = result.details
        if details.duration_s is None:
            return details.engine or ""
        return f"{details.engine}, {details.duration_s:.0f} s"


# --------------------------------------------------------------------------- zip

_ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed timestamps: the same inputs give the same zip bytes


@dataclass(frozen=True)
class ZipInputs:
    """What a language's zip holds."""

    slug: str
    """Speech identifier."""
    lang: str
    """Language of the zip."""
    title: str
    """Title for the README."""
    members: tuple[OutputFile, ...]
    """The files to send (PDF, MP3, VTT)."""
    read: Callable[[OutputFile], bytes]
    """Reads a member's bytes (from staging or from the pack)."""


class ZipStage:
    """One zip per language for sending to that delegation (``<slug>.<lang>.zip``)."""

    name = "zip"

    def outputs(self, inputs: ZipInputs, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """The zip."""
        return ((f"{inputs.slug}.{inputs.lang}.zip", "zip"),)

    def _readme(self, inputs: ZipInputs) -> str:
        from toolkit.export.pack_readme import pack_readme

        return pack_readme(inputs.title, inputs.lang, [m.path for m in inputs.members])

    def key(self, inputs: ZipInputs, options: BuildOptions) -> str:
        """The members' bytes and the README."""
        return stage_hash(
            "zip", __version__, [m.sha256 for m in inputs.members], self._readme(inputs)
        )

    def run(self, inputs: ZipInputs, options: BuildOptions, out: Path) -> None:
        """Write the zip (deterministic bytes)."""
        import zipfile

        target = out / inputs.slug / self.outputs(inputs, options)[0][0]
        target.parent.mkdir(parents=True, exist_ok=True)
        with paths.atomic_output(target) as tmp, zipfile.ZipFile(tmp, "w") as archive:
            for member in inputs.members:
                info = zipfile.ZipInfo(member.path, _ZIP_DATE)
                # MP3 is already compressed; deflate the rest.
                info.compress_type = (
                    zipfile.ZIP_STORED if member.path.endswith(".mp3") else zipfile.ZIP_DEFLATED
                )
                archive.writestr(info, inputs.read(member))
            info = zipfile.ZipInfo("README.txt", _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, self._readme(inputs).encode("utf-8"))

    def reuse(self, inputs: ZipInputs, options: BuildOptions, context: StageContext) -> None:
        """Nothing to load."""

    def describe(self, result: None) -> str:
        """No detail."""
        return ""


@dataclass(frozen=True)
class ReaderInputs:
    """What a language's read-along page and EPUB depend on."""

    document: Speech | TranslatedSpeech
    """The text shown (the English speech, or a translation beside its English)."""
    text: OutputFile
    """The Speech JSON or translation JSON it was loaded from (its sha256 keys the stages)."""
    audio: OutputFile | None
    """The reading's MP3, if the build made one."""
    transcript: OutputFile | None
    """The reading's .vtt (its cues are the sentences' timings)."""
    languages: tuple[str, ...]
    """The languages of the pack that built (the page links to their readers)."""
    read: Callable[[OutputFile], bytes]
    """Reads an output's bytes (from staging or from the pack)."""
    locate: Callable[[OutputFile], Path]
    """Where an output is now (staging or pack)."""

    def cues(self) -> tuple[Cue, ...] | None:
        """The reading's cues, or None without audio."""
        from toolkit.export.html.model import parse_vtt

        if self.audio is None or self.transcript is None:
            return None
        return parse_vtt(self.read(self.transcript).decode("utf-8"), self.transcript.path)

    def audio_key(self) -> list[str] | None:
        """The reading's identity for a key (the MP3 and transcript bytes)."""
        if self.audio is None or self.transcript is None:
            return None
        return [self.audio.sha256, self.transcript.sha256]


class ReaderStage:
    """The read-along web page (``<slug>.<lang>.html``)."""

    name = "html"

    def outputs(self, inputs: ReaderInputs, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """The page."""
        from toolkit.export.html import reader_name

        doc = inputs.document
        return ((reader_name(doc.slug, doc.lang), "html"),)

    def key(self, inputs: ReaderInputs, options: BuildOptions) -> str:
        """The text, the reading, the languages it links to, the page's CSS and script."""
        from toolkit.export.html import asset

        assets = [asset("reader.css"), asset("reader.js")]
        return stage_hash(
            "html", __version__, inputs.text.sha256, inputs.audio_key(), inputs.languages, assets
        )

    def run(self, inputs: ReaderInputs, options: BuildOptions, out: Path) -> None:
        """Write the page (it plays the MP3 beside it)."""
        from toolkit.export.epub import reading_signature
        from toolkit.export.html import write_reader

        audio = inputs.audio if inputs.transcript else None
        write_reader(
            inputs.document,
            out / inputs.document.slug,
            cues=inputs.cues(),
            audio=Path(audio.path) if audio else None,
            languages=inputs.languages,
            audio_signature=reading_signature(inputs.locate(audio)) if audio else None,
        )

    def reuse(self, inputs: ReaderInputs, options: BuildOptions, context: StageContext) -> None:
        """Nothing to load."""

    def describe(self, result: None) -> str:
        """No detail."""
        return ""


class EpubStage:
    """The EPUB 3 talking book (``<slug>.<lang>.epub``): text + audio, Media Overlays."""

    name = "epub"

    def outputs(self, inputs: ReaderInputs, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """The EPUB."""
        from toolkit.export.epub import epub_name

        doc = inputs.document
        return ((epub_name(doc.slug, doc.lang), "epub"),)

    def key(self, inputs: ReaderInputs, options: BuildOptions) -> str:
        """The text, the reading and the book's style sheet."""
        from toolkit.export.html import asset

        return stage_hash(
            "epub", __version__, inputs.text.sha256, inputs.audio_key(), asset("epub.css")
        )

    def run(self, inputs: ReaderInputs, options: BuildOptions, out: Path) -> None:
        """Write the EPUB (the MP3 is copied into it)."""
        from toolkit.export.epub import write_epub

        audio = inputs.locate(inputs.audio) if inputs.audio and inputs.transcript else None
        write_epub(inputs.document, out / inputs.document.slug, audio=audio, cues=inputs.cues())

    def reuse(self, inputs: ReaderInputs, options: BuildOptions, context: StageContext) -> None:
        """Nothing to load."""

    def describe(self, result: None) -> str:
        """No detail."""
        return ""


@dataclass(frozen=True)
class IndexInputs:
    """What the pack's index page lists."""

    slug: str
    """Speech identifier."""
    title: str
    """The speech's title."""
    languages: tuple[PackLanguage, ...]
    """Every language that built, with its files, sizes and duration."""

    def page(self) -> str:
        """The page's HTML."""
        from toolkit.export.html import render_index

        return render_index(self.slug, self.title, self.languages)


class IndexStage:
    """The pack's ``index.html``: each language by its native name, with its files."""

    name = "index"

    def outputs(self, inputs: IndexInputs, options: BuildOptions) -> tuple[tuple[str, str], ...]:
        """The page."""
        from toolkit.export.html import INDEX_NAME

        return ((INDEX_NAME, "index"),)

    def key(self, inputs: IndexInputs, options: BuildOptions) -> str:
        """The page itself (it is cheap to render)."""
        return stage_hash("index", __version__, inputs.page())

    def run(self, inputs: IndexInputs, options: BuildOptions, out: Path) -> None:
        """Write the page."""
        from toolkit.export.html import INDEX_NAME

        paths.write_text_atomic(out / inputs.slug / INDEX_NAME, inputs.page())

    def reuse(self, inputs: IndexInputs, options: BuildOptions, context: StageContext) -> None:
        """Nothing to load."""

    def describe(self, result: None) -> str:
        """No detail."""
        return ""


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
    "AudioInputs",
    "AudioOutcome",
    "AudioStage",
    "EpubStage",
    "IndexInputs",
    "IndexStage",
    "PdfInputs",
    "PdfStage",
    "ReaderInputs",
    "ReaderStage",
    "SpeechStage",
    "Stage",
    "StageContext",
    "StageRun",
    "TranslationInputs",
    "TranslationStage",
    "ZipInputs",
    "ZipStage",
    "requested_stages",
    "run_stage",
    "stage_hash",
]
