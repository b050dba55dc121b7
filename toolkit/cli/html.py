"""``toolkit html``: the read-along page of one language, and the pack's index page."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add ``html`` to ``app``."""
    app.command("html")(html_command)


def html_command(
    input_path: Path = typer.Argument(
        ...,
        metavar="INPUT",
        help=(
            "A translation JSON (<slug>.<lang>.json) or the Speech JSON (<slug>.speech.json, "
            "for English) in a pack folder; the page is written beside it."
        ),
        show_default=False,
    ),
    audio: Path | None = typer.Option(
        None,
        "--audio",
        help="The MP3 the page plays, in the same folder (default: <slug>.<lang>.mp3 beside "
        "INPUT); its .vtt transcript must be beside it.",
    ),
    use_audio: bool = typer.Option(
        True, "--audio-player/--no-audio", help="Include the player (needs the MP3 and .vtt)."
    ),
    index: bool = typer.Option(
        True, "--index/--no-index", help="Also rewrite the pack's index.html from its files."
    ),
) -> None:
    """Write the read-along web page <slug>.<lang>.html beside INPUT (and index.html).

    The page shows the text beside the English original and highlights each sentence as the
    audio reads it; it works offline, from the folder.
    """
    from toolkit.document import TranslatedSpeech
    from toolkit.errors import InputError
    from toolkit.export.html import write_index, write_reader
    from toolkit.export.html.model import load_pack_input, pack_languages_present

    pack = load_pack_input(input_path, audio, use_audio=use_audio)
    if pack.audio is not None and pack.audio.resolve().parent != pack.folder.resolve():
        raise InputError(
            f"{pack.audio} is not in {pack.folder}: the page plays the MP3 beside it.",
            "Copy the MP3 and its .vtt into the pack folder, or leave out --audio.",
        )
    languages = pack_languages_present(pack.folder, pack.doc.slug)
    result = write_reader(
        pack.doc,
        pack.folder,
        audio=pack.audio,
        languages=languages,
        index="index.html" if index else None,
    )
    state = "written" if result.changed else "unchanged"
    typer.echo(f"{result.path} ({result.sentences} sentences synchronised, {state})")
    if index:
        speech = pack.doc.speech if isinstance(pack.doc, TranslatedSpeech) else pack.doc
        title = speech.meta.title
        changed = write_index(pack.folder, pack.doc.slug, title or pack.doc.slug)
        typer.echo(f"{pack.folder / 'index.html'} ({'written' if changed else 'unchanged'})")
