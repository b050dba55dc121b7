"""``toolkit build`` (the whole delegate pack) and ``toolkit doctor`` (is this machine ready?)."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from toolkit.cli.common import (
    beam_option,
    bitrate_option,
    console,
    engine_option,
    font_dir_option,
    glossary_option,
    layout_option,
    lexicon_option,
    no_glossary_option,
    out_option,
    paper_option,
    paragraph_pause_ms_option,
    pause_ms_option,
    rate_option,
    threads_option,
    tts_option,
)
from toolkit.provenance import REFERENCE_ENGINE

if TYPE_CHECKING:
    from rich.console import RenderableType

    from toolkit.pipeline.build import BuildResult
    from toolkit.pipeline.tasks import LanguageReport, ProgressEvent


def register(app: typer.Typer) -> None:
    """Add ``build`` and ``doctor`` to ``app``."""
    app.command("build")(build_command)
    app.command("doctor")(doctor_command)


_STAGES = ("translation", "pdf", "audio", "zip", "html", "epub")
_MARKS = {"start": "…", "done": "✓", "reused": "=", "skipped": "–", "failed": "✗"}


class _LiveProgress:
    """A live table, one row per statement and language, one column per stage (thread-safe)."""

    def __init__(self, stream_is_terminal: bool) -> None:
        self.cells: dict[tuple[str, str, str], str] = {}
        self.langs: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.terminal = stream_is_terminal
        self.err = console(stderr=True)

    def __call__(self, event: ProgressEvent) -> None:
        with self.lock:
            if (event.slug, event.lang) not in self.langs:
                self.langs.append((event.slug, event.lang))
            mark = _MARKS[event.state]
            self.cells[(event.slug, event.lang, event.stage)] = f"{mark} {event.detail}".strip()
            if not self.terminal and event.state in ("done", "skipped", "failed"):
                detail = f" ({event.detail})" if event.detail else ""
                self.err.print(f"{event.slug} {event.lang} {event.stage}: {event.state}{detail}")

    def render(self) -> RenderableType:
        from rich.table import Table

        table = Table(title="Building", expand=False)
        with self.lock:
            several = len({slug for slug, _ in self.langs}) > 1
            if several:
                table.add_column("statement")
            table.add_column("lang")
            for stage in _STAGES:
                table.add_column(stage)
            for slug, lang in self.langs:
                cells = [self.cells.get((slug, lang, stage), "") for stage in _STAGES]
                table.add_row(*([slug] if several else []), lang, *cells)
        return table


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{round(seconds % 60):02d}"


def _engine_label(report: LanguageReport) -> str:
    if report.engine is None:
        return "(source)"
    if report.engine == "argos" and report.model:
        return f"argos {report.model} {report.model_version or ''}".strip()
    if report.engine == REFERENCE_ENGINE and report.model:  # which of .md/.docx/.pdf… was used
        return f"reference {Path(report.model).name}"
    return report.engine


def _print_summary(result: BuildResult, built_on: dict[tuple[str, str], str] | None = None) -> None:
    from rich.table import Table

    out = console()
    for source in result.sources:
        table = Table(title=f"{source.slug}  ({source.seconds:.1f} s)")
        for column in ("lang", "status", "translation", "flagged", "audio", "files", "time"):
            table.add_column(column)
        if built_on is not None:
            table.add_column("built on")
        for report in source.languages:
            where = []
            if built_on is not None:  # a worker's address, host:port
                where = [built_on.get((source.slug, report.lang), "").split("://")[-1]]
            if report.status != "ok":
                table.add_row(report.lang, report.status, "", "", "", "(see below)", "", *where)
                continue
            audio = (
                f"{report.audio_engine} {_minutes(report.audio_duration_s)}"
                if report.audio_engine and report.audio_duration_s is not None
                else ""
            )
            table.add_row(
                report.lang,
                report.status,
                _engine_label(report),
                f"{report.flagged}/{report.sentences}" if report.engine else "",
                audio,
                " ".join(f.path.removeprefix(f"{source.slug}.") for f in report.files),
                f"{report.seconds:.1f} s",
                *where,
            )
        out.print(table)
        notes: dict[str, list[str]] = {}
        for report in source.languages:
            if report.audio_note:
                # "gTTS is not reachable (…); read offline with espeak-ng voice 'fr'": one line
                # per reason, not one per language.
                notes.setdefault(report.audio_note.split(";")[0], []).append(report.lang)
        for reason, langs in notes.items():
            out.print(f"note: {reason}: audio read offline by espeak-ng ({', '.join(langs)})")
        for report in source.languages:
            if report.status != "ok":
                out.print(f"{report.status} {report.lang}: {report.reason}\n  fix: {report.fix}")
            elif report.flagged:
                out.print(
                    f"review {report.lang}: {report.review_rows} row(s) marked in the PDF "
                    f"({report.flagged} flagged sentence(s)); see `toolkit align` or the flags "
                    f"in {source.slug}.{report.lang}.json"
                )
        for name in source.kept_aside:
            out.print(
                f"kept your edited copy: {source.manifest.parent / name} "
                "(corrections belong in source/<slug>.<lang>.md, which the build uses)"
            )
        changed = len(source.rewritten)
        out.print(
            f"{source.manifest}  ({changed} file{'s' if changed != 1 else ''} written or removed)"
        )


def build_command(
    sources: list[Path] = typer.Argument(
        ...,
        help="English source speeches (source/<slug>.en.md, or .txt .pdf .docx .html); "
        "references beside them (<slug>.<lang>.<ext>) are used.",
        show_default=False,
    ),
    to: str = typer.Option(
        "ar,zh,fr,ru,es", "--to", help="Target languages, comma-separated (UN codes)."
    ),
    engine: str = engine_option,
    glossary: Path | None = glossary_option,
    no_glossary: bool = no_glossary_option,
    beam: int = beam_option,
    threads: int = threads_option,
    tts: str = tts_option,
    rate: float = rate_option,
    pause_ms: int = pause_ms_option,
    paragraph_pause_ms: int = paragraph_pause_ms_option,
    bitrate: int = bitrate_option,
    lexicon: Path | None = lexicon_option,
    layout: str = layout_option,
    paper: str = paper_option,
    font_dir: Path | None = font_dir_option,
    make_zip: bool = typer.Option(
        False, "--zip", help="Also write one zip per language (PDF, MP3, VTT, README)."
    ),
    jobs: int = typer.Option(
        min(2, os.cpu_count() or 1),
        "--jobs",
        "-j",
        help="Languages built at the same time, each in its own worker process "
        "(default: the cores, at most 2; 1 builds them one after another in this process).",
    ),
    audio: bool = typer.Option(True, "--audio/--no-audio", help="Produce the audio readings."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Produce the bilingual PDFs."),
    html: bool = typer.Option(
        True,
        "--html/--no-html",
        help="Produce the read-along web page per language and the pack's index.html.",
    ),
    epub: bool = typer.Option(
        True,
        "--epub/--no-epub",
        help="Produce the EPUB 3 talking book per language (text synchronised with the audio).",
    ),
    cluster: str | None = typer.Option(
        None,
        "--cluster",
        help="Build the languages of all SOURCES as Dask tasks: tcp://HOST:8786 (a running "
        "`dask scheduler` and its workers) or local[:N] (N worker processes here, default 2); "
        "--jobs is then ignored. Needs the extra: pip install 'toolkit[cluster]'. "
        "See docs/cluster.md.",
        show_default=False,
    ),
    out: Path = out_option,
) -> None:
    """Build the delegate pack: translations, bilingual PDFs, audio and a manifest.

    Exit codes: 0 everything built; 10 partial (some languages skipped: see the summary and
    the manifest for the fix); other codes as for every command (see the README).
    """
    from rich.live import Live

    from toolkit.errors import ExitCode
    from toolkit.options import (
        AudioOptions,
        BuildOptions,
        PdfOptions,
        TranslateOptions,
        target_languages,
    )
    from toolkit.pipeline.build import build

    options = BuildOptions(
        targets=target_languages(to),
        translate=TranslateOptions(
            engine=engine,
            glossary=glossary,
            use_glossary=not no_glossary,
            beam_size=beam,
            intra_threads=threads,
        ),
        pdf=PdfOptions(layout=layout, paper=paper, font_dir=font_dir),
        audio=AudioOptions(
            tts=tts,
            rate=rate,
            sentence_pause_ms=pause_ms,
            paragraph_pause_ms=paragraph_pause_ms,
            bitrate=bitrate,
            extra_lexicon=lexicon,
        ),
        make_zip=make_zip,
        jobs=jobs,
        out=out,
        make_audio=audio,
        make_pdf=pdf,
        make_html=html,
        make_epub=epub,
    )
    err = console(stderr=True)
    progress = _LiveProgress(stream_is_terminal=err.is_terminal)
    with contextlib.ExitStack() as stack:
        run = functools.partial(build, sources, options, progress)
        built_on = None
        if cluster is not None:
            from toolkit.pipeline.dask_executor import build_concurrently, open_cluster

            executor = stack.enter_context(open_cluster(cluster))
            workers = executor.workers()
            err.print(f"Dask: {executor.spec.describe()}, {len(workers)} worker(s) connected")
            run = functools.partial(build_concurrently, sources, options, progress, executor)
            built_on = executor.placements
        if err.is_terminal:
            live = Live(
                get_renderable=progress.render, console=err, refresh_per_second=8, transient=True
            )
            stack.enter_context(live)
        result = run()
    _print_summary(result, built_on)
    if result.exit_code == ExitCode.PARTIAL:
        console(stderr=True).print(
            "Partial build: some languages were skipped (exit code 10). Everything else was built."
        )
    if result.exit_code != ExitCode.OK:
        raise typer.Exit(int(result.exit_code))


def doctor_command(
    font_dir: Path | None = typer.Option(
        None, "--font-dir", help="Folder searched first for fonts (also TOOLKIT_FONT_DIR)."
    ),
    timeout: float = typer.Option(
        3.0, "--timeout", min=0.1, help="Seconds to wait for network checks (gTTS, model index)."
    ),
) -> None:
    """Check this machine: dependencies, data folder, models, fonts, voices, network, tools.

    Exit code 0 when everything needed for an offline build is present, 6 otherwise.
    """
    from rich.table import Table

    from toolkit.doctor import run_checks
    from toolkit.errors import ExitCode

    checks = run_checks(font_dir=font_dir, timeout=timeout)
    table = Table(title="toolkit doctor")
    for column in ("check", "status", "detail", "fix"):
        table.add_column(column, overflow="fold")
    for check in checks:
        table.add_row(check.name, check.status, check.detail, check.fix or "")
    console().print(table)
    if any(check.status == "FAIL" for check in checks):
        raise typer.Exit(int(ExitCode.DEPENDENCY))
