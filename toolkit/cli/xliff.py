"""``toolkit xliff export`` and ``toolkit xliff import``: a translator's CAT tool in the loop."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import console, out_option, source_argument

xliff_app = typer.Typer(
    help=(
        "Send sentences to a translator as XLIFF (2.0 or 1.2) and take the post-edited file "
        "back: imported units are used before the reference and machine translation."
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``xliff`` command group to ``app``."""
    app.add_typer(xliff_app, name="xliff")


@xliff_app.command("export")
def export_command(
    source: Path = source_argument,
    to: str = typer.Option(
        ...,
        "--to",
        "-t",
        help="Target languages, comma-separated: ar,zh,fr,ru,es.",
        show_default=False,
    ),
    version: str = typer.Option(
        "2.0",
        "--version",
        help="XLIFF version: 2.0, or 1.2 for CAT tools that read only XLIFF 1.x.",
    ),
    out: Path = out_option,
    engine: str = typer.Option(
        "auto",
        "--engine",
        "-e",
        help="Where targets come from: auto (post-edit, reference, memory, then argos), "
        "argos, reference or fake.",
    ),
    fuzzy: float = typer.Option(
        0.75,
        "--fuzzy",
        min=0.5,
        max=1.0,
        help="Offer translation-memory matches scoring at least this (0.5-1.0) as targets of "
        "machine-translated units, with their score in a note.",
    ),
) -> None:
    """Write <slug>.en-<lang>.xlf per language: one unit per sentence, ID = sentence ID."""
    from toolkit.export.xliff import VERSIONS, export_xliff, xliff_path
    from toolkit.languages import parse_language_list
    from toolkit.pipeline import load_speech
    from toolkit.translate import TranslateOptions, load_glossary_for, translate_speech
    from toolkit.translate.tm import active_memory

    if version not in VERSIONS:
        raise typer.BadParameter(f"use one of {', '.join(VERSIONS)}", param_hint="--version")
    speech = load_speech(source)
    options = TranslateOptions(engine=engine)
    glossary = load_glossary_for(options)
    memory = active_memory()
    out_console = console()
    for lang in parse_language_list(to):
        translated = translate_speech(speech, lang, options)
        target = xliff_path(out, speech.slug, lang, speech.lang)
        units = export_xliff(
            translated,
            target,
            version=version,
            glossary=glossary,
            memory=memory,
            fuzzy_threshold=fuzzy,
        )
        states: dict[str, int] = {}
        for unit in units:
            states[unit.state] = states.get(unit.state, 0) + 1
        fuzzy_count = sum(1 for u in units if u.fuzzy is not None)
        summary = ", ".join(f"{n} {s}" for s, n in states.items())
        extra = f", {fuzzy_count} fuzzy TM matches offered" if fuzzy_count else ""
        out_console.print(f"{target}  XLIFF {version}, {len(units)} units ({summary}{extra})")


@xliff_app.command("import")
def import_command(
    file: Path = typer.Argument(
        ..., help="The post-edited XLIFF file (2.0 or 1.2).", show_default=False
    ),
    source: Path | None = typer.Option(
        None,
        "--source",
        "-s",
        help="The English source the file was exported from; default: source/<original> "
        "(the file's own record of it).",
        show_default=False,
    ),
) -> None:
    """Store a translator's post-edit as source/<slug>.<lang>.xlf; builds then use it first."""
    from toolkit.errors import InputError
    from toolkit.export.xliff import read_xliff
    from toolkit.pipeline import load_speech
    from toolkit.translate.postedit import import_post_edit

    if source is None:
        document = read_xliff(file)
        if not document.original:
            raise InputError(
                f"{file.name} does not say which speech it was exported from.",
                "Pass the English source with --source.",
            )
        source = Path("source") / document.original
        if not source.is_file():
            raise InputError(
                f"{file.name} was exported from {document.original}, not found in source/.",
                "Pass the English source with --source.",
            )
    speech = load_speech(source)
    result = import_post_edit(file, speech)
    states = ", ".join(f"{n} {s}" for s, n in sorted(result.states.items()))
    verb = "Stored" if result.changed else "Unchanged"
    out_console = console()
    out_console.print(f"{verb}: {result.path} ({result.lang}: {states})")
    if result.kept:
        out_console.print(
            f"Kept earlier post-edits the new file left untranslated: {', '.join(result.kept)}"
        )
    out_console.print(f"Rebuild to use it: toolkit build {source} --to {result.lang}")
