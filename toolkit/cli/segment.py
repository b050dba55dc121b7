"""``toolkit segment``: show how a source speech is split into paragraphs and sentences."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from toolkit.cli.common import console, source_argument

if TYPE_CHECKING:
    from rich.console import Console

    from toolkit.document import SourceText


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
    explain: bool = typer.Option(
        False,
        "--explain",
        help=(
            "Also list what reading the file dropped or rejoined, with its page: running "
            "headers and footers, page numbers, page- and column-break splits, hyphenated "
            "line ends, footnotes kept apart, web-page furniture left out."
        ),
    ),
) -> None:
    """Split a source speech (.md, .txt, .pdf, .docx, .html) into paragraphs and sentences."""
    from rich.markup import escape
    from rich.table import Table

    from toolkit.document import dumps
    from toolkit.ingest import read_source
    from toolkit.languages import get_language
    from toolkit.segment import segment

    source_text = read_source(source, lang=get_language(lang).code if lang else None)
    speech = segment(source_text)
    if as_json:
        typer.echo(dumps(speech), nl=False)
        if explain:
            _print_explanation(source_text, console(stderr=True))
        return
    out = console()
    if explain:
        _print_explanation(source_text, out)
    meta = speech.meta
    for label, value in (
        ("Title", meta.title),
        ("Subtitle", meta.subtitle),
        ("Event", meta.event),
        ("Venue", meta.venue),
        ("Date", meta.date),
        ("Speaker", meta.speaker),
        ("Role", meta.role),
        ("Symbol", meta.symbol),
        ("Delivery", meta.delivery),
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
    for note in speech.footnotes:  # kept apart from the sentences above
        where = f" (page {note.page})" if note.page else ""
        out.print(f"[bold]Footnote {escape(note.mark)}{where}:[/bold] {escape(note.text)}")
    body = sum(1 for p in speech.paragraphs if p.kind == "body")
    sentences = sum(1 for _ in speech.sentences())
    out.print(
        f"{len(speech.paragraphs)} paragraphs ({body} body), {sentences} sentences, "
        f"language {speech.lang}, slug {speech.slug}",
        highlight=False,
    )


def _print_explanation(source: SourceText, out: Console) -> None:
    """One line per repair the reader made, then the footnotes it kept apart."""
    from toolkit.document import REPAIR_LABELS

    out.print(f"[bold]Read as:[/bold] {source.format} ({source.path})", highlight=False)
    for label, value in (
        ("Headline from markup", source.title),
        ("Date from markup", source.dateline),
        ("Document symbol", source.document_symbol),
    ):
        if value:
            out.print(f"[bold]{label}:[/bold] {value}", highlight=False)
    if not source.repairs:
        note = (
            "nothing dropped or rejoined by the reader (plain text: only the segmenter's own "
            "repairs apply)"
            if source.format == "text"
            else "nothing dropped or rejoined"
        )
        out.print(note, highlight=False)
    for repair in source.repairs:
        where = f"page {repair.page}" if repair.page else source.format
        out.print(f"  {where:>8}  {REPAIR_LABELS[repair.kind]}: {repair.text}", highlight=False)
    counts = Counter(repair.kind for repair in source.repairs)
    if counts:
        summary = ", ".join(f"{count} {REPAIR_LABELS[kind]}" for kind, count in counts.items())
        out.print(f"{len(source.repairs)} repairs: {summary}", highlight=False)
