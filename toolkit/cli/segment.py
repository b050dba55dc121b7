"""``toolkit segment``: show how a source speech is split into paragraphs and sentences."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import console, source_argument


def register(app: typer.Typer) -> None:
    """Add ``segment`` to ``app``."""
    app.command("segment")(segment_command)


def segment_command(
    source: Path = source_argument,
    as_json: bool = typer.Option(
        False, "--json", help="Print the Speech as JSON (the format every later stage reads)."
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="Language of the text; default: from the file name (<slug>.<lang>.md), else en.",
    ),
) -> None:
    """Split a source speech into front matter, paragraphs and sentences with stable IDs."""
    from rich.table import Table

    from toolkit.document import dumps
    from toolkit.languages import get_language
    from toolkit.segment import segment_file

    speech = segment_file(source, lang=get_language(lang).code if lang else None)
    if as_json:
        typer.echo(dumps(speech), nl=False)
        return
    out = console()
    meta = speech.meta
    for label, value in (
        ("Title", meta.title),
        ("Subtitle", meta.subtitle),
        ("Event", meta.event),
        ("Venue", meta.venue),
        ("Date", meta.date),
        ("Speaker", meta.speaker),
        ("Role", meta.role),
    ):
        if value:
            out.print(f"[bold]{label}:[/bold] {value}", highlight=False)
    table = Table(show_lines=False, expand=True)
    table.add_column("ID", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Sentence", overflow="fold")
    for paragraph in speech.paragraphs:
        for sentence in paragraph.sentences:
            table.add_row(sentence.id, paragraph.kind, sentence.text)
    out.print(table)
    body = sum(1 for p in speech.paragraphs if p.kind == "body")
    sentences = sum(1 for _ in speech.sentences())
    out.print(
        f"{len(speech.paragraphs)} paragraphs ({body} body), {sentences} sentences, "
        f"language {speech.lang}, slug {speech.slug}",
        highlight=False,
    )
