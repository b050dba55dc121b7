"""``toolkit audio``: read a speech aloud — an MP3 with paragraph chapters and a VTT transcript."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import (
    bitrate_option,
    engine_option,
    lexicon_option,
    out_option,
    paragraph_pause_ms_option,
    pause_ms_option,
    rate_option,
    tts_option,
)


def register(app: typer.Typer) -> None:
    """Add ``audio`` to ``app``."""
    app.command("audio")(audio_command)


def _minutes(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def audio_command(
    source: Path = typer.Argument(
        ...,
        help=(
            "A source speech (.md, .txt, .pdf, .docx, .html), its Speech JSON "
            "(toolkit segment --json), "
            "or a translation JSON (toolkit translate)."
        ),
        show_default=False,
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        "-l",
        help=(
            "Comma-separated languages to read (en,fr,es,ru,ar,zh). Default: the document's "
            "own language. Other languages are translated first, as `toolkit translate` does "
            "(--engine; the translation JSON is saved too)."
        ),
    ),
    engine: str = engine_option,
    tts: str = tts_option,
    rate: float = rate_option,
    pause_ms: int = pause_ms_option,
    paragraph_pause_ms: int = paragraph_pause_ms_option,
    bitrate: int = bitrate_option,
    lexicon: Path | None = lexicon_option,
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Synthesise every sentence again instead of reusing the cache."
    ),
    out: Path = out_option,
) -> None:
    """Read a speech aloud: OUT/<slug>/<slug>.<lang>.mp3 (chapters per paragraph) and .vtt."""
    from toolkit.document import Speech, TranslatedSpeech
    from toolkit.export.audio import create_speech_engine
    from toolkit.languages import parse_language_list
    from toolkit.options import AudioOptions, BuildOptions, TranslateOptions
    from toolkit.pipeline import load_document
    from toolkit.pipeline.language_stages import (
        AudioInputs,
        AudioStage,
        TranslationInputs,
        TranslationStage,
    )

    options = BuildOptions(
        translate=TranslateOptions(engine=engine),
        audio=AudioOptions(
            tts=tts,
            rate=rate,
            sentence_pause_ms=pause_ms,
            paragraph_pause_ms=paragraph_pause_ms,
            bitrate=bitrate,
            extra_lexicon=lexicon,
            use_cache=not no_cache,
        ),
    )
    document = load_document(source)
    speech: Speech = document.speech if isinstance(document, TranslatedSpeech) else document
    own = (document.lang,)
    languages = parse_language_list(lang, default=own)
    tts_engine = create_speech_engine(options.audio)  # one for every language
    try:
        for code in languages:
            doc: Speech | TranslatedSpeech
            if code == document.lang:
                doc = document
            elif code == speech.lang:
                doc = speech
            else:
                # The build's translation stage: same engine choice, and the JSON is saved.
                doc = TranslationStage().run(TranslationInputs(speech, code), options, out)
            outcome = AudioStage().run(AudioInputs(doc, code, tts_engine), options, out)
            result = outcome.rendered
            assert result is not None
            if result.fallback_reason:
                typer.echo(f"Note ({code}): {result.fallback_reason}.")
            typer.echo(
                f"{code}: {result.mp3} ({_minutes(result.duration_s)}, "
                f"{len(result.chapters)} chapters, {len(result.cues)} cues; {result.engine} "
                f"voice {result.voice}; synthesised {result.synthesized}, "
                f"cached {result.cached})"
            )
            typer.echo(f"{code}: {result.vtt}")
    finally:
        tts_engine.close()
