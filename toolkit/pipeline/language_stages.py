"""The stages of one language's task: speech JSON, translation, PDF, reading, zip.

:func:`toolkit.pipeline.build.build_language` runs them, through
:func:`~toolkit.pipeline.stages.run_stage`, in the language's task (in this process, a
forked worker or a cluster's worker): English gets its Speech JSON, each target language its
translation and bilingual PDF; every language its reading and, when asked, a zip of its
files for its delegation. ``toolkit translate``, ``toolkit pdf`` and ``toolkit audio`` call
the same ``run`` methods, so a command writes the same bytes as the build.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.document import Speech, TranslatedSpeech
from toolkit.export import paths
from toolkit.options import BuildOptions
from toolkit.pipeline.manifest import AudioDetails, OutputFile
from toolkit.pipeline.stages import StageContext, stage_hash

if TYPE_CHECKING:
    from toolkit.export.audio import AudioResult
    from toolkit.export.pdf import PdfResult
    from toolkit.tts.base import TTS

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
                info = zipfile.ZipInfo(member.path, paths.ZIP_DATE)
                # MP3 is already compressed; deflate the rest.
                info.compress_type = (
                    zipfile.ZIP_STORED if member.path.endswith(".mp3") else zipfile.ZIP_DEFLATED
                )
                archive.writestr(info, inputs.read(member))
            info = zipfile.ZipInfo("README.txt", paths.ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, self._readme(inputs).encode("utf-8"))

    def reuse(self, inputs: ZipInputs, options: BuildOptions, context: StageContext) -> None:
        """Nothing to load."""

    def describe(self, result: None) -> str:
        """No detail."""
        return ""


__all__ = [
    "AudioInputs",
    "AudioOutcome",
    "AudioStage",
    "PdfInputs",
    "PdfStage",
    "SpeechStage",
    "TranslationInputs",
    "TranslationStage",
    "ZipInputs",
    "ZipStage",
]
