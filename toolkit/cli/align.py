"""``toolkit align`` and ``toolkit compare``: reference translations, for a reviewer."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from toolkit.cli.common import console, source_argument

lang_option = typer.Option(
    ...,
    "--lang",
    "-l",
    help="Language of the reference translation: ar, zh, fr, ru or es.",
    show_default=False,
)
reference_option = typer.Option(
    None,
    "--reference",
    "-r",
    help="Reference translation file (.md, .txt, .docx, .html or .pdf); default: "
    "<slug>.<lang>.<ext> beside SOURCE (.md first, .pdf last when several exist).",
    show_default=False,
)

SKIP_EXIT_CODE = 0
"""Exit code of ``toolkit compare`` when no MT model is installed: a clean skip, not an error."""


def register(app: typer.Typer) -> None:
    """Add ``align`` and ``compare`` to ``app``."""
    app.command("align")(align_command)
    app.command("compare")(compare_command)


def align_command(
    source: Path = source_argument,
    lang: str = lang_option,
    reference: Path | None = reference_option,
    as_json: bool = typer.Option(
        False, "--json", help="Print the alignment as JSON (paragraph and sentence beads)."
    ),
    flagged: bool = typer.Option(
        False, "--flagged", help="Show only the rows a reviewer should check (flags or low score)."
    ),
) -> None:
    """Align a human translation to the English sentence IDs and show the table for review."""
    from rich.markup import escape
    from rich.table import Table

    from toolkit.languages import get_language
    from toolkit.pipeline import load_speech
    from toolkit.translate.reference import align_reference
    from toolkit.translate.reference_align import LOW_CONFIDENCE

    language = get_language(lang)
    speech = load_speech(source)
    alignment, ref = align_reference(speech, language.code, reference)
    if as_json:
        data = {"source": speech.source, "reference": str(ref.path), **alignment.to_dict()}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = console()
    table = Table(expand=True, show_lines=True)
    table.add_column("en", no_wrap=True)
    table.add_column("English", overflow="fold", ratio=1)
    table.add_column(language.code, no_wrap=True)
    table.add_column(language.name, overflow="fold", ratio=1)
    table.add_column("Bead", no_wrap=True)
    table.add_column("Score", no_wrap=True, justify="right")
    table.add_column("Flags", overflow="fold")
    shown = 0
    for link in alignment.sentences:
        if flagged and not link.flags and link.score >= LOW_CONFIDENCE:
            continue
        shown += 1
        table.add_row(  # texts are escaped: "[Note du traducteur…]" is not rich markup
            "\n".join(link.source_ids),
            escape(link.source_text),
            "\n".join(link.reference_ids) or "—",
            escape(link.reference_text),
            link.shape,
            f"{link.score:.2f}",
            ", ".join(link.flags),
        )
    if shown:
        out.print(table)
    else:
        out.print("Nothing to review: no sentence is flagged or below the score threshold.")
    for unaligned in alignment.unaligned:  # kept apart: beside no English paragraph
        place = f"after {unaligned.after}" if unaligned.after else "before the text"
        out.print(
            f"not aligned ({place}, {' '.join(unaligned.reference_ids)}): "
            f"{escape(unaligned.text)}",
            highlight=False,
        )
    summary = alignment.summary()
    beads = ", ".join(f"{k}: {v}" for k, v in summary["paragraph_beads"].items())
    out.print(
        f"{ref.path}: {summary['english_sentences']} English sentences, "
        f"{summary['reference_sentences']} {language.code} sentences; paragraph beads {beads}; "
        f"unaligned {summary['unaligned']}, merged {summary['merged']}, "
        f"attached {summary['attached']}, low-confidence {summary['low_confidence']}; "
        f"rows to review {summary['rows_to_review']}, "
        f"reference text not aligned {len(summary['unaligned_reference'])}; "
        f"mean score {summary['mean_score']:.2f}, length ratio {summary['ratio']:.2f}",
        highlight=False,
    )


def compare_command(
    source: Path = source_argument,
    lang: str = lang_option,
    engine: str = typer.Option(
        "argos",
        "--engine",
        "-e",
        help="Machine-translation engine to score: argos (default) or fake (for tests).",
    ),
    reference: Path | None = reference_option,
    as_json: bool = typer.Option(
        False, "--json", help="Print the scores as JSON (per paragraph group and total)."
    ),
) -> None:
    """Score machine translation against the reference translation with chrF (sacrebleu).

    If no model is installed for the language, says so in one line and exits with 0: there
    is nothing to measure, and nothing went wrong.
    """
    from rich.markup import escape
    from rich.table import Table

    from toolkit.errors import InputError, ModelError
    from toolkit.languages import get_language
    from toolkit.pipeline import load_speech
    from toolkit.translate import TranslateOptions, translate_speech
    from toolkit.translate.compare import compare_with_reference
    from toolkit.translate.reference import align_reference

    language = get_language(lang)
    if engine in ("reference", "auto"):
        raise InputError(
            f"--engine {engine} would score the reference against itself.",
            "Give a machine-translation engine: --engine argos.",
        )
    speech = load_speech(source)
    alignment, ref = align_reference(speech, language.code, reference)
    try:
        translated = translate_speech(speech, language.code, TranslateOptions(engine=engine))
    except ModelError as exc:
        if as_json:
            typer.echo(
                json.dumps(
                    {"skipped": True, "reason": exc.message, "hint": exc.hint},
                    ensure_ascii=False,
                )
            )
        else:
            typer.echo(f"compare skipped: {exc.message} {exc.hint}", err=True)
        raise typer.Exit(SKIP_EXIT_CODE) from None
    result = compare_with_reference(translated, alignment, ref)
    if as_json:
        data = {"source": speech.source, "reference": str(ref.path), **result.to_dict()}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = console()
    table = Table(expand=True)
    table.add_column("en", no_wrap=True)
    table.add_column(language.code, no_wrap=True)
    table.add_column("chrF", justify="right", no_wrap=True)
    table.add_column(f"{engine} output", overflow="ellipsis", no_wrap=True, ratio=1)
    for row in result.rows:
        table.add_row(
            " ".join(row.source_ids),
            " ".join(row.reference_ids),
            f"{row.chrf:.1f}",
            escape(row.hypothesis),
        )
    out.print(table)
    unscored = f"; {len(result.unscored)} groups not scored" if result.unscored else ""
    out.print(
        f"chrF {result.total:.1f} over {len(result.rows)} paragraph groups "
        f"({engine}, model {result.model}) against {ref.path}{unscored}",
        highlight=False,
    )
    out.print(f"sacrebleu {result.signature}", highlight=False)
