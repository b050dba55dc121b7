"""``toolkit audio``: read a speech aloud — an MP3 with paragraph chapters and a VTT transcript."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import out_option


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
            "own language. Other languages are translated first (toolkit translate's defaults)."
        ),
    ),
    tts: str = typer.Option(
        "auto",
        "--tts",
        help=(
            "Voice engine: auto (gTTS when reachable, else offline espeak-ng), gtts (online), "
            "espeak (offline), silent (test engine)."
        ),
    ),
    rate: float = typer.Option(
        1.0,
        "--rate",
        help=(
            "Speed factor 0.5-2.5 (1.0 = normal; espeak-ng: 175 words/min x rate; "
            "gTTS: slow voice at <= 0.75)."
        ),
    ),
    pause_ms: int = typer.Option(
        400, "--pause-ms", min=0, max=10_000, help="Silence between sentences, in milliseconds."
    ),
    paragraph_pause_ms: int = typer.Option(
        1000,
        "--paragraph-pause-ms",
        min=0,
        max=20_000,
        help="Silence between paragraphs, in milliseconds.",
    ),
    bitrate: int = typer.Option(
        64, "--bitrate", help="MP3 bitrate in kbit/s (mono, constant bitrate)."
    ),
    lexicon: Path | None = typer.Option(
        None,
        "--lexicon",
        help="Extra pronunciation lexicon (TSV: written<TAB>spoken), applied before the bundled.",
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Synthesise every sentence again instead of reusing the cache."
    ),
    out: Path = out_option,
) -> None:
    """Read a speech aloud: OUT/<slug>/<slug>.<lang>.mp3 (chapters per paragraph) and .vtt."""
    from toolkit.document import Speech, TranslatedSpeech
    from toolkit.export.audio import AudioOptions, create_speech_engine, render_audio
    from toolkit.languages import parse_language_list
    from toolkit.pipeline import load_document

    options = AudioOptions(
        tts=tts,
        rate=rate,
        sentence_pause_ms=pause_ms,
        paragraph_pause_ms=paragraph_pause_ms,
        bitrate=bitrate,
        extra_lexicon=lexicon,
        use_cache=not no_cache,
    )
    document = load_document(source)
    speech: Speech = document.speech if isinstance(document, TranslatedSpeech) else document
    own = (document.lang,)
    languages = parse_language_list(lang, default=own)
    engine = create_speech_engine(options)  # one for every language
    try:
        for code in languages:
            doc: Speech | TranslatedSpeech
            if code == document.lang:
                doc = document
            elif code == speech.lang:
                doc = speech
            else:
                from toolkit.translate import TranslateOptions, translate_speech

                doc = translate_speech(speech, code, TranslateOptions())
            result = render_audio(doc, code, out, options, engine=engine)
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
        engine.close()
