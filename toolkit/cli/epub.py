"""``toolkit epub``: an EPUB 3 talking book of one language (text + audio, Media Overlays)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add ``epub`` to ``app``."""
    app.command("epub")(epub_command)


def epub_command(
    input_path: Path = typer.Argument(
        ...,
        metavar="INPUT",
        help=(
            "A translation JSON (<slug>.<lang>.json) or the Speech JSON (<slug>.speech.json, "
            "for English) in a pack folder; the EPUB is written beside it."
        ),
        show_default=False,
    ),
    audio: Path | None = typer.Option(
        None,
        "--audio",
        help="The MP3 to synchronise with (default: <slug>.<lang>.mp3 beside INPUT); its .vtt "
        "transcript must be beside it. It is copied into the book.",
    ),
    use_audio: bool = typer.Option(
        True,
        "--audio-overlay/--no-audio",
        help="Synchronise the text with the audio (Media Overlays); --no-audio: text only.",
    ),
) -> None:
    """Write the EPUB 3 talking book <slug>.<lang>.epub beside INPUT.

    The text in its language, the English original one link away per paragraph, every
    sentence synchronised with the audio reading, EPUB Accessibility 1.1 metadata.
    """
    from toolkit.export.epub import write_epub
    from toolkit.export.html.model import load_pack_input

    pack = load_pack_input(input_path, audio, use_audio=use_audio)
    result = write_epub(pack.doc, pack.folder, audio=pack.audio)
    state = "written" if result.changed else "unchanged"
    overlay = (
        f"{result.clips} synchronised sentences, {result.duration_s:.1f} s"
        if result.duration_s is not None
        else "text only"
    )
    typer.echo(f"{result.path} ({overlay}, {state})")
