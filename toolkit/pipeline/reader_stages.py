"""The stages that run after every language has built: read-along page, EPUB, index page.

:func:`toolkit.pipeline.build.accessible_outputs` runs them once every language's task is
done, so that each page links only to the readers that exist: per language the read-along
web page (``<slug>.<lang>.html``) and the EPUB 3 talking book (``<slug>.<lang>.epub``), made
from the language's text JSON and reading, then the pack's ``index.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import __version__
from toolkit.document import Cue, Speech, TranslatedSpeech
from toolkit.export import paths
from toolkit.options import BuildOptions
from toolkit.pipeline.manifest import OutputFile
from toolkit.pipeline.stages import StageContext, stage_hash

if TYPE_CHECKING:
    from toolkit.export.html import PackLanguage


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
        from toolkit.export.html.page import asset

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
        from toolkit.export.html.page import asset

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


__all__ = [
    "EpubStage",
    "IndexInputs",
    "IndexStage",
    "ReaderInputs",
    "ReaderStage",
]
