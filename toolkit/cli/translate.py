"""``toolkit translate``: a speech into one or more languages, as TranslatedSpeech JSON."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import console, out_option, source_argument


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
    engine: str = typer.Option(
        "auto",
        "--engine",
        "-e",
        help="auto (reference translation if source/<slug>.<lang>.md exists, else argos), "
        "argos, reference or fake.",
    ),
    glossary: Path | None = typer.Option(
        None,
        "--glossary",
        help="Terminology TSV/CSV (columns en ar zh fr ru es); default: the shipped UN terms.",
    ),
    no_glossary: bool = typer.Option(
        False, "--no-glossary", help="Do not protect terms, names and citations, nor check them."
    ),
    beam: int = typer.Option(4, "--beam", min=1, max=16, help="Beam size for Argos models."),
    threads: int = typer.Option(
        0,
        "--threads",
        min=0,
        help="CTranslate2 threads per worker; as many workers as cores allow (0: 1, fastest).",
    ),
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

    from toolkit.document import dumps
    from toolkit.errors import ModelError
    from toolkit.export.paths import translation_path, write_text_atomic
    from toolkit.languages import parse_language_list
    from toolkit.pipeline import load_speech
    from toolkit.translate import (
        TranslateOptions,
        engine_available,
        summarize,
        translate_speech,
    )
    from toolkit.translate.registry import check_mode

    options = TranslateOptions(
        engine="fake" if dry_run else check_mode(engine),
        glossary=glossary,
        use_glossary=not no_glossary,
        beam_size=beam,
        intra_threads=threads,
        use_cache=not no_cache,
    )
    langs = [code for code in parse_language_list(to)]
    speech = load_speech(source)
    missing = [
        (lang, reason)
        for lang in langs
        for ok, reason in [engine_available(lang, options, speech)]
        if not ok
    ]
    if missing:  # check every language before translating any
        first = missing[0][1] or ""
        names = ", ".join(lang for lang, _ in missing)
        raise ModelError(
            f"Cannot translate into {names}: {first.split('. ')[0].rstrip('.')}.",
            f"Run `toolkit models install {' '.join(lang for lang, _ in missing)}`, or offline "
            "`toolkit models install PATH.argosmodel`.",
        )
    table = Table(title=f"{speech.slug}: translations")
    for column in ("Lang", "Engine", "Sentences", "Cached", "Flagged", "Time"):
        table.add_column(column, no_wrap=True)
    table.add_column("Flags", overflow="fold")
    written: list[Path] = []
    err = console(stderr=True)
    for lang in langs:
        started = time.perf_counter()
        with err.status(f"Translating into {lang}…"):
            translated = translate_speech(speech, lang, options)
        summary = summarize(translated, time.perf_counter() - started)
        path = translation_path(out, speech.slug, lang)
        write_text_atomic(path, dumps(translated))
        table.add_row(
            lang,
            summary.engine,
            str(summary.sentences),
            str(summary.cached),
            str(summary.flagged),
            f"{summary.seconds:.1f}s",
            ", ".join(f"{k} {v}" for k, v in summary.flags.items()) or "-",
        )
        written.append(path)
    out_console = console()
    out_console.print(table)
    for path in written:
        out_console.print(f"Wrote {path}", highlight=False, soft_wrap=True)
