"""``toolkit pdf``: bilingual PDFs from a translation JSON, or from a source speech."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import (
    engine_option,
    font_dir_option,
    layout_option,
    out_option,
    paper_option,
)


def register(app: typer.Typer) -> None:
    """Add ``pdf`` to ``app``."""
    app.command("pdf")(pdf_command)


def pdf_command(
    input_path: Path = typer.Argument(
        ...,
        metavar="INPUT",
        help=(
            "A translation JSON (<slug>.<lang>.json from `toolkit translate`) to render, or a "
            "source speech (.md, .txt, .pdf, .docx, .html) or Speech JSON to translate first "
            "(see --to)."
        ),
        show_default=False,
    ),
    to: str | None = typer.Option(
        None,
        "--to",
        help="Target languages for a source INPUT, comma-separated (default: ar,zh,fr,ru,es).",
    ),
    engine: str = engine_option,
    layout: str = layout_option,
    paper: str = paper_option,
    font_dir: Path | None = font_dir_option,
    out: Path = out_option,
) -> None:
    """Render bilingual PDFs: OUT/<slug>/<slug>.en-<lang>.pdf."""
    from toolkit.export.pdf_build import pdfs_for_input
    from toolkit.options import PdfOptions, TranslateOptions

    options = PdfOptions(layout=layout, paper=paper, font_dir=font_dir)
    translate = TranslateOptions(engine=engine)
    written = pdfs_for_input(input_path, out, options, to=to, translate=translate)
    for result in written:
        state = "written" if result.changed else "unchanged"
        typer.echo(f"{result.path} ({result.pages} pages, {state})")
