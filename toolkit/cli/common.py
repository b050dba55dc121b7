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


# Options shared by the stage commands and `toolkit build`: one definition each, so every
# command offers them with the same name and help. Values are checked by toolkit.options
# (not by typer), so a bad value gets the same `Error: … / Hint: …` and exit code 2 anywhere.

engine_option = typer.Option(
    "auto",
    "--engine",
    "-e",
    help="Translation engine: auto (reference translation if source/<slug>.<lang>.md exists, "
    "else argos), argos, reference, or fake (offline test output).",
)
glossary_option = typer.Option(
    None,
    "--glossary",
    help="Terminology TSV/CSV (columns en ar zh fr ru es); default: the shipped UN terms.",
)
no_glossary_option = typer.Option(
    False, "--no-glossary", help="Do not protect terms, names and citations, nor check them."
)
beam_option = typer.Option(4, "--beam", help="Beam size for Argos models (1-16).")
threads_option = typer.Option(
    0,
    "--threads",
    help="CTranslate2 threads per worker; as many workers as cores allow (0: 1, fastest).",
)
tts_option = typer.Option(
    "auto",
    "--tts",
    help="Speech engine: auto (gTTS when reachable, else offline espeak-ng), gtts (online), "
    "espeak (offline), or silent (test engine).",
)
rate_option = typer.Option(
    1.0,
    "--rate",
    help="Speed factor 0.5-2.5 (1.0 = normal; espeak-ng: 175 words/min x rate; "
    "gTTS: slow voice at <= 0.75).",
)
pause_ms_option = typer.Option(
    400, "--pause-ms", help="Silence between sentences, in milliseconds (0-10000)."
)
paragraph_pause_ms_option = typer.Option(
    1000, "--paragraph-pause-ms", help="Silence between paragraphs, in milliseconds (0-20000)."
)
bitrate_option = typer.Option(
    64, "--bitrate", help="MP3 bitrate in kbit/s (mono, constant bitrate)."
)
lexicon_option = typer.Option(
    None,
    "--lexicon",
    help="Extra pronunciation lexicon (TSV: written<TAB>spoken), applied before the bundled.",
)
layout_option = typer.Option(
    "side-by-side",
    "--layout",
    help="PDF layout: side-by-side (English left, target right), stacked, or target-only.",
)
paper_option = typer.Option("A4", "--paper", help="PDF paper size: A4 or letter.")
font_dir_option = typer.Option(
    None,
    "--font-dir",
    help="Folder searched for fonts first (before TOOLKIT_FONT_DIR and the system fonts).",
)
