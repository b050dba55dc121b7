"""``toolkit tmx export`` and ``toolkit tmx import``: the translation memory."""

from __future__ import annotations

from pathlib import Path

import typer

from toolkit.cli.common import console

tmx_app = typer.Typer(
    help=(
        "Exchange human translations as TMX 1.4b and load them into the translation memory "
        "(TOOLKIT_HOME/tm), which serves exact matches before machine translation."
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``tmx`` command group to ``app``."""
    app.add_typer(tmx_app, name="tmx")


@tmx_app.command("export")
def export_command(
    sources: list[Path] = typer.Argument(
        None,
        help="English sources (source/<slug>.en.md, .docx, .html, .pdf…); default: every "
        "English source in source/.",
        show_default=False,
    ),
    out: Path = typer.Option(
        Path("exports/translation-memory.tmx"), "--out", "-o", help="TMX file to write."
    ),
) -> None:
    """Write every aligned reference and post-edit as TMX 1.4b (tuid = <slug>:<sentence id>)."""
    from toolkit.errors import InputError
    from toolkit.export.tmx import export_tmx
    from toolkit.pipeline import load_speech

    files = list(sources or _english_sources(Path("source")))
    if not files:
        raise InputError("No English sources found in source/.", "Name the sources to export.")
    speeches = [load_speech(f) for f in files]
    units = export_tmx(speeches, out)
    languages = sorted({lang for u in units for lang in u.variants})
    console().print(
        f"{out}  TMX 1.4b, {len(units)} units from {len(speeches)} speech(es), "
        f"languages: {', '.join(languages) or 'none'}"
    )


def _english_sources(folder: Path) -> list[Path]:
    """One ``<slug>.en.<ext>`` per speech in ``folder`` (the preferred format when several)."""
    from toolkit.ingest.files import SOURCE_SUFFIXES, find_variants, split_source_name

    if not folder.is_dir():
        return []
    slugs = set()
    for path in folder.iterdir():
        slug, lang = split_source_name(path)
        named_english = path.name.lower().startswith(f"{slug.lower()}.en.")
        if lang == "en" and named_english and path.suffix.lower() in SOURCE_SUFFIXES:
            slugs.add(slug)
    return [find_variants(folder, slug, "en")[0] for slug in sorted(slugs)]


@tmx_app.command("import")
def import_command(
    file: Path = typer.Argument(
        ..., help="A TMX file (from the UN, a CAT tool or tmx export).", show_default=False
    ),
) -> None:
    """Load a TMX into the translation memory; repeated units are stored once."""
    from toolkit.export.tmx import read_tmx
    from toolkit.translate.tm import TranslationMemory

    units = read_tmx(file)
    memory = TranslationMemory()
    added = memory.add(units)
    pairs = sorted({f"{u.src_lang}-{u.tgt_lang}" for u in units})
    console().print(
        f"{memory.path}: {added} new of {len(units)} sentence pairs "
        f"({', '.join(pairs) or 'none'}); {memory.count()} stored in all."
    )
