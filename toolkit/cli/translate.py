"""``toolkit translate``: a speech into one or more languages, as TranslatedSpeech JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import (
    beam_option,
    console,
    engine_option,
    glossary_option,
    no_glossary_option,
    out_option,
    source_argument,
    threads_option,
)


def register(app: typer.Typer) -> None:
    """Add ``translate`` to ``app``."""
    app.command("translate")(translate_command)


def translate_command(
    source: Path = source_argument,
    to: str | None = typer.Option(
        None,
        "--to",
        "-t",
        help="Comma-separated target languages (ar,zh,fr,ru,es); default: all five.",
    ),
    engine: str = engine_option,
    glossary: Path | None = glossary_option,
    no_glossary: bool = no_glossary_option,
    beam: int = beam_option,
    threads: int = threads_option,
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Translate every sentence again instead of using the cache."
    ),
    out: Path = out_option,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Use the fake engine ('[fr] <source>'): no model needed."
    ),
) -> None:
    """Translate a speech offline; write OUT/<slug>/<slug>.<lang>.json and print a summary."""
    import time

    from rich.table import Table

    from toolkit.errors import ModelError
    from toolkit.options import BuildOptions, TranslateOptions, target_languages
    from toolkit.pipeline import load_speech
    from toolkit.pipeline.language_stages import TranslationInputs, TranslationStage
    from toolkit.translate import engine_problem, summarize

    options = TranslateOptions(
        engine="fake" if dry_run else engine,
        glossary=glossary,
        use_glossary=not no_glossary,
        beam_size=beam,
        intra_threads=threads,
        use_cache=not no_cache,
    )
    langs = target_languages(to)
    speech = load_speech(source)
    missing = [
        (lang, problem) for lang in langs if (problem := engine_problem(lang, options, speech))
    ]
    if missing:  # check every language before translating any
        first = missing[0][1]
        if not isinstance(first, ModelError):
            raise first
        names = " ".join(lang for lang, _ in missing)
        raise ModelError(
            f"Cannot translate into {', '.join(names.split())}: {first.message}",
            f"Run `toolkit models install {names}`, or offline "
            "`toolkit models install PATH.argosmodel`.",
        )
    table = Table(title=f"{speech.slug}: translations")
    for column in ("Lang", "Engine", "Sentences", "Cached", "Flagged", "Time"):
        table.add_column(column, no_wrap=True)
    table.add_column("Flags", overflow="fold")
    written: list[Path] = []
    err = console(stderr=True)
    stage = TranslationStage()
    build_options = BuildOptions(targets=langs, translate=options)
    for lang in langs:
        started = time.perf_counter()
        with err.status(f"Translating into {lang}…"):
            translated = stage.run(TranslationInputs(speech, lang), build_options, out)
        summary = summarize(translated, time.perf_counter() - started)
        table.add_row(
            lang,
            summary.engine,
            str(summary.sentences),
            str(summary.cached),
            str(summary.flagged),
            f"{summary.seconds:.1f}s",
            ", ".join(f"{k} {v}" for k, v in summary.flags.items()) or "-",
        )
        ((name, _),) = stage.outputs(TranslationInputs(speech, lang), build_options)
        written.append(out / speech.slug / name)
    out_console = console()
    out_console.print(table)
    for path in written:
        out_console.print(f"Wrote {path}", highlight=False, soft_wrap=True)
