"""``toolkit pdf``: bilingual PDFs from a translation JSON, or from a source speech."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import out_option


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
    engine: str = typer.Option(
        "auto",
        "--engine",
        help=(
            "Translation engine for a source INPUT: auto (reference translation if "
            "source/<slug>.<lang>.md exists, else argos), argos, reference or fake."
        ),
    ),
    layout: str = typer.Option(
        "side-by-side",
        "--layout",
        help="side-by-side (English left, target right), stacked, or target-only.",
    ),
    paper: str = typer.Option("A4", "--paper", help="Paper size: A4 or letter."),
    font_dir: Path | None = typer.Option(
        None,
        "--font-dir",
        help="Folder searched for fonts first (before TOOLKIT_FONT_DIR and the system fonts).",
    ),
    out: Path = out_option,
) -> None:
    """Render bilingual PDFs: OUT/<slug>/<slug>.en-<lang>.pdf."""
    from toolkit.export.pdf import PdfOptions
    from toolkit.export.pdf_build import pdfs_for_input

    options = PdfOptions(layout=layout, paper=paper, font_dir=font_dir)
    written = pdfs_for_input(input_path, out, options, to=to, engine=engine)
    for result in written:
        state = "written" if result.changed else "unchanged"
        typer.echo(f"{result.path} ({result.pages} pages, {state})")
