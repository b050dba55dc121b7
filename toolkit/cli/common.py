"""Options and helpers shared by several commands."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

source_argument = typer.Argument(
    ...,
    help=(
        "Source speech: source/<slug>.<lang>.<ext> with ext md, txt, pdf, docx, html or htm "
        "(no <lang>: English)."
    ),
    show_default=False,
)

out_option = typer.Option(
    Path("exports"),
    "--out",
    "-o",
    help="Output root; files go to OUT/<slug>/.",
)


def console(stderr: bool = False) -> Console:
    """A rich console; messages are not hard-wrapped (commands and paths stay copyable)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True)
