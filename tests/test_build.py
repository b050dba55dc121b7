"""`toolkit build`: packs, manifest, incremental rebuilds, partial and interrupted builds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ExitCode, ToolkitError
from toolkit.options import AudioOptions, BuildOptions, PdfOptions, TranslateOptions
from toolkit.pipeline.build import build
from toolkit.pipeline.manifest import read_manifest
from toolkit.pipeline.verify import verify_manifest

DATA = Path(__file__).parent / "data" / "build"
SLUG = "short-statement"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A folder with a short English statement and its French reference translation."""
    folder = tmp_path / "source"
    folder.mkdir()
    for name in (f"{SLUG}.en.md", f"{SLUG}.fr.md"):
        shutil.copy(DATA / name, folder / name)
    return folder


def _options(
    tmp_path: Path,
    *,
    engine: str = "fake",
    tts: str = "silent",
    layout: str = "side-by-side",
    audio: bool = True,
    **changes: object,
) -> BuildOptions:
    base: dict[str, object] = {"targets": ("fr", "es"), "out": tmp_path / "exports", "jobs": 2}
    base.update(changes)
    return BuildOptions(
        translate=TranslateOptions(engine=engine),
        audio=AudioOptions(tts=tts),
        pdf=PdfOptions(layout=layout),
        make_audio=audio,
        **base,  # type: ignore[arg-type]
    )


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.name: (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_fake_build_writes_every_file_listed_with_true_checksums(sources: Path, tmp_path: Path):
    options = _options(tmp_path, make_zip=True)
    result = build([sources / f"{SLUG}.en.md"], options)

    assert result.exit_code == ExitCode.OK
    pack = tmp_path / "exports" / SLUG
    expected = {
        f"{SLUG}.speech.json",
        f"{SLUG}.en.mp3",
        f"{SLUG}.en.vtt",
        f"{SLUG}.en.zip",
        f"{SLUG}.fr.json",
        f"{SLUG}.en-fr.pdf",
        f"{SLUG}.fr.mp3",
        f"{SLUG}.fr.vtt",
        f"{SLUG}.fr.zip",
        f"{SLUG}.es.json",
        f"{SLUG}.en-es.pdf",
        f"{SLUG}.es.mp3",
        f"{SLUG}.es.vtt",
        f"{SLUG}.es.zip",
        "manifest.json",
    }
    # The read-along pages, the EPUBs and the pack's index page.
    expected |= {f"{SLUG}.{lang}.{ext}" for lang in ("en", "fr", "es") for ext in ("html", "epub")}
    expected.add("index.html")
    assert {p.name for p in pack.iterdir()} == expected
    assert verify_manifest(pack) == []
    manifest = read_manifest(pack)
    assert manifest is not None
    assert {f.path for f in manifest.files} == expected - {"manifest.json"}
    assert manifest.source_sha256
    assert manifest.options["translate"]["engine"] == "fake"
    fr = manifest.to_dict()["languages"]["fr"]
    assert fr["status"] == "ok"
    assert fr["translation"]["engine"] == "fake"
    assert fr["translation"]["sentences"] == 8
    assert fr["audio"]["engine"] == "silent" and fr["audio"]["duration_s"] > 0
    # The delegation's zip holds its PDF, MP3, VTT and a README in its language.
    with zipfile.ZipFile(pack / f"{SLUG}.fr.zip") as archive:
        names = set(archive.namelist())
        readme = archive.read("README.txt").decode()
    assert names == {f"{SLUG}.en-fr.pdf", f"{SLUG}.fr.mp3", f"{SLUG}.fr.vtt", "README.txt"}
    assert "Traduction non officielle" in readme
    assert not list((tmp_path / "exports").glob(".*staging*"))


@pytest.mark.parametrize("layout", ["side-by-side", "stacked", "target-only"])
def test_a_statement_that_is_all_title_block_still_builds(tmp_path: Path, layout: str):
    """Front matter and no body (a cover page, a one-line notice): the masthead is the PDF."""
    source = tmp_path / "notice.en.md"
    source.write_text(
        "**Remarks of the Chair**\n\n**Open briefing on counter-terrorism**\n\n"
        "New York, 5 May 2021\n",
        encoding="utf-8",
    )
    result = build([source], _options(tmp_path, layout=layout, targets=("fr",)))

    assert result.exit_code == ExitCode.OK
    pack = tmp_path / "exports" / "notice"
    (pdf,) = pack.glob("notice.*fr*.pdf")  # the layout names the file
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Open briefing" in text  # the masthead's title, in whichever languages it shows
    assert (pack / "notice.fr.html").is_file() and (pack / "notice.fr.epub").is_file()


def test_rebuild_with_nothing_changed_does_no_work_and_rewrites_nothing(
    sources: Path, tmp_path: Path
):
    options = _options(tmp_path, make_zip=True)
    build([sources / f"{SLUG}.en.md"], options)
    pack = tmp_path / "exports" / SLUG
    before = _snapshot(pack)

    again = build([sources / f"{SLUG}.en.md"], options).sources[0]

    assert again.rewritten == ()
    assert all(report.stages_run == () for report in again.languages)
    assert _snapshot(pack) == before


def test_one_paragraph_edit_redoes_only_that_paragraph(sources: Path, tmp_path: Path):
    source = sources / f"{SLUG}.en.md"
    options = _options(tmp_path, engine="fake")
    first = build([source], options).sources[0]
    assert all(r.synthesized > 0 for r in first.languages)

    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "with Member States and with civil society.",
            "with Member States, with regional bodies and with civil society.",
        ),
        encoding="utf-8",
    )
    second = build([source], options).sources[0]

    reports = {r.lang: r for r in second.languages}
    for lang in ("fr", "es"):
        assert reports[lang].sentences == 8
        assert reports[lang].cached == 7, "only the edited sentence is translated again"
        assert reports[lang].synthesized == 1, "only the edited sentence is spoken again"
    assert reports["en"].synthesized == 1
    assert verify_manifest(tmp_path / "exports" / SLUG) == []


def test_language_without_reference_model_or_index_is_skipped_with_its_fix(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Nothing listens on port 9 of the loopback: the model index is unreachable, fast.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/index.json")
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "build",
            str(sources / f"{SLUG}.en.md"),
            "--to",
            "fr,ru",
            "--engine",
            "auto",
            "--tts",
            "silent",
            "--no-pdf",
            "--out",
            str(tmp_path / "exports"),
        ],
    )
    assert result.exit_code == ExitCode.PARTIAL, result.output
    assert "skipped ru" in result.output
    assert "toolkit models install ru" in result.output
    manifest = read_manifest(tmp_path / "exports" / SLUG).to_dict()  # type: ignore[union-attr]
    assert manifest is not None
    assert manifest["languages"]["fr"]["status"] == "ok"
    assert manifest["languages"]["fr"]["translation"]["engine"] == "reference"
    ru = manifest["languages"]["ru"]
    assert ru["status"] == "skipped"
    assert "toolkit models install ru" in ru["fix"]
    assert verify_manifest(tmp_path / "exports" / SLUG) == []


@pytest.mark.parametrize(
    ("failure", "raised"),
    [
        (RuntimeError("renderer crashed"), RuntimeError),
        (KeyboardInterrupt(), KeyboardInterrupt),
        # The worker process dies (killed, or a crash in C code): a ToolkitError that says so.
        (SystemExit(3), ToolkitError),
    ],
)
def test_interrupted_build_keeps_the_previous_pack_and_manifest(
    sources: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,
    raised: type[BaseException],
):
    source = sources / f"{SLUG}.en.md"
    options = _options(tmp_path)
    build([source], options)
    pack = tmp_path / "exports" / SLUG
    before = _snapshot(pack)

    source.write_text(source.read_text(encoding="utf-8").replace("Chair", "President"), "utf-8")
    import toolkit.export.pdf as pdf_module

    real_render = pdf_module.write_pdf

    def failing_render(translated, path, options):
        if translated.lang == "es":
            if isinstance(failure, SystemExit):
                os._exit(3)  # no cleanup, no exception: the process is simply gone
            raise failure
        return real_render(translated, path, options)

    monkeypatch.setattr(pdf_module, "write_pdf", failing_render)
    with pytest.raises(raised) as caught:
        build([source], options)

    if raised is ToolkitError:
        assert "worker process" in str(caught.value) and "--jobs 1" in caught.value.hint

    assert _snapshot(pack) == before
    assert verify_manifest(pack) == []
    assert not list((tmp_path / "exports").glob(".*staging*"))


def test_build_cli_prints_a_summary_and_exits_zero(sources: Path, tmp_path: Path):
    result = CliRunner().invoke(
        app,
        [
            "build",
            str(sources / f"{SLUG}.en.md"),
            "--to",
            "fr",
            "--engine",
            "fake",
            "--tts",
            "silent",
            "--out",
            str(tmp_path / "exports"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "manifest.json" in result.output
    assert "fake" in result.output


def test_build_refuses_a_translation_as_source(sources: Path, tmp_path: Path):
    result = CliRunner().invoke(
        app, ["build", str(sources / f"{SLUG}.fr.md"), "--out", str(tmp_path / "exports")]
    )
    assert result.exit_code != 0
    assert "Error:" in result.output and "Hint:" in result.output


@pytest.mark.slow
def test_bundled_speech_full_offline_pack(bundled_speech: Path, tmp_path: Path):
    """The demo: six languages from the reference translations and espeak, no network."""
    options = BuildOptions(audio=AudioOptions(tts="espeak"), out=tmp_path / "exports")
    result = build([bundled_speech], options)

    assert result.exit_code == ExitCode.OK
    report = result.sources[0]
    pack = tmp_path / "exports" / report.slug
    assert verify_manifest(pack) == []
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["languages"]) == {"en", "ar", "zh", "fr", "ru", "es"}
    for lang in ("ar", "zh", "fr", "ru", "es"):
        entry = manifest["languages"][lang]
        assert entry["status"] == "ok"
        assert entry["translation"]["engine"] == "reference"
        assert entry["audio"]["engine"] == "espeak"
        assert entry["audio"]["duration_s"] > 60
        assert (pack / f"{report.slug}.en-{lang}.pdf").stat().st_size > 10_000
    assert manifest["languages"]["en"]["audio"]["duration_s"] > 60


def test_a_narrower_rebuild_keeps_what_it_did_not_ask_for(sources: Path, tmp_path: Path):
    """`--no-audio` or fewer `--to` languages must not delete the outputs already built."""
    source = sources / f"{SLUG}.en.md"
    build([source], _options(tmp_path))
    pack = tmp_path / "exports" / SLUG
    mp3s = sorted(p.name for p in pack.glob("*.mp3"))
    assert mp3s == [f"{SLUG}.en.mp3", f"{SLUG}.es.mp3", f"{SLUG}.fr.mp3"]

    build([source], _options(tmp_path, targets=("fr",), audio=False, layout="stacked"))

    assert sorted(p.name for p in pack.glob("*.mp3")) == mp3s
    assert (pack / f"{SLUG}.en-es.pdf").is_file(), "es was not asked for: kept"
    assert (pack / f"{SLUG}.en-fr.stacked.pdf").is_file()
    assert not (pack / f"{SLUG}.en-fr.pdf").exists(), "fr's PDF was rebuilt in another layout"
    assert verify_manifest(pack) == []
    manifest = read_manifest(pack)
    assert manifest is not None
    assert set(manifest.languages) == {"en", "fr", "es"}
    fr_audio = manifest.languages["fr"].audio
    assert fr_audio is not None and fr_audio.engine == "silent"
    listed = {f.path for f in manifest.files}
    assert listed == {p.name for p in pack.iterdir()} - {"manifest.json"}


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--engine", "deepl", "Unknown translation engine"),
        ("--tts", "festival", "Unknown TTS engine"),
        ("--layout", "columns", "Unknown PDF layout"),
        ("--paper", "A3", "paper"),
        ("--to", "de", "Unknown language"),
    ],
)
def test_bad_options_are_refused_before_any_work(
    sources: Path, tmp_path: Path, option: str, value: str, message: str
):
    out = tmp_path / "exports"
    result = CliRunner().invoke(
        app, ["build", str(sources / f"{SLUG}.en.md"), option, value, "--out", str(out)]
    )
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in result.output and "Hint:" in result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing may be written for a refused command"


def test_english_edit_does_not_reread_an_unchanged_reference_translation(
    sources: Path, tmp_path: Path
):
    source = sources / f"{SLUG}.en.md"
    options = _options(tmp_path, targets=("fr",), engine="auto")
    build([source], options)
    source.write_text(source.read_text(encoding="utf-8").replace("Chair", "President"), "utf-8")

    reports = {r.lang: r for r in build([source], options).sources[0].languages}

    assert reports["fr"].engine == "reference"
    # The English changed, so the alignment, the bilingual PDF, reader and EPUB are redone …
    assert reports["fr"].stages_run == ("translation", "pdf", "html", "epub")
    # … but the French reading is the same text: not synthesised or encoded again.
    assert reports["fr"].synthesized == 0
    assert reports["en"].synthesized == 1


def test_two_builds_of_the_same_speech_at_once_leave_one_consistent_pack(
    sources: Path, tmp_path: Path
):
    from concurrent.futures import ThreadPoolExecutor

    options = _options(tmp_path, targets=("fr",))
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(build, [sources / f"{SLUG}.en.md"], options) for _ in range(2)]
        results = [run.result() for run in runs]

    assert all(result.exit_code == ExitCode.OK for result in results)
    # They ran one after the other: the second found the first's pack and reused it all.
    assert sorted(len(r.sources[0].rewritten) for r in results)[0] == 0
    assert verify_manifest(tmp_path / "exports" / SLUG) == []
    assert not list((tmp_path / "exports").glob(".*staging*"))


def test_a_hand_edited_output_is_kept_aside_not_lost(sources: Path, tmp_path: Path):
    options = _options(tmp_path, targets=("fr",), audio=False)
    build([sources / f"{SLUG}.en.md"], options)
    pack = tmp_path / "exports" / SLUG
    translation = pack / f"{SLUG}.fr.json"
    edited = translation.read_text(encoding="utf-8").replace("[fr] ", "[fr, relu] ", 1)
    translation.write_text(edited, encoding="utf-8")

    report = build([sources / f"{SLUG}.en.md"], options).sources[0]

    assert len(report.kept_aside) == 1
    kept = pack / report.kept_aside[0]
    assert kept.name.startswith(f"{SLUG}.fr.json.edited-")
    assert kept.read_text(encoding="utf-8") == edited
    assert verify_manifest(pack) == []


def _pack_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "manifest.json"}


def test_parallel_and_one_by_one_builds_give_the_same_pack(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    source = sources / f"{SLUG}.en.md"
    parallel = build([source], _options(tmp_path / "a", jobs=2, make_zip=True))
    monkeypatch.setenv("TOOLKIT_HOME", str(tmp_path / "b" / "home"))  # no cache hits either
    one_by_one = build([source], _options(tmp_path / "b", jobs=1, make_zip=True))

    assert parallel.exit_code == one_by_one.exit_code == ExitCode.OK
    assert [r.lang for r in parallel.sources[0].languages] == ["en", "fr", "es"]
    files = _pack_files(tmp_path / "a" / "exports" / SLUG)
    assert files == _pack_files(tmp_path / "b" / "exports" / SLUG)
    assert len(files) == 14 + 7  # + 3 readers, 3 EPUBs and the index page


def test_languages_are_built_in_worker_processes_and_report_progress(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import toolkit.pipeline.build as build_module

    real = build_module.build_language
    pids = tmp_path / "pids"
    pids.mkdir()

    def recording(task, emit):  # runs in the worker: it can only leave a file behind
        (pids / task.lang).write_text(str(os.getpid()))
        return real(task, emit)

    monkeypatch.setattr(build_module, "build_language", recording)
    events = []
    result = build([sources / f"{SLUG}.en.md"], _options(tmp_path, jobs=2), events.append)

    assert result.exit_code == ExitCode.OK
    workers = {lang.name: int(lang.read_text()) for lang in pids.iterdir()}
    assert set(workers) == {"en", "fr", "es"}
    assert os.getpid() not in workers.values(), "the languages ran in this process"
    assert len(set(workers.values())) <= 2, "more workers than --jobs"
    # Every worker's progress reached the caller's callback, in this process.
    done = {(e.lang, e.stage) for e in events if e.state == "done"}
    for lang in ("fr", "es"):
        assert {(lang, "translation"), (lang, "pdf"), (lang, "audio")} <= done
    assert ("en", "audio") in done


def test_a_failing_language_interrupts_the_others(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Work that will be thrown away is stopped: a running language is interrupted."""
    import time

    import toolkit.pipeline.build as build_module

    real = build_module.build_language
    marks = tmp_path / "marks"
    marks.mkdir()

    def scripted(task, emit):  # runs in the workers: they signal each other through files
        if task.lang == "fr":
            for _ in range(400):  # let es start (at most 20 s), then fail
                if (marks / "es-started").exists():
                    break
                time.sleep(0.05)
            raise RuntimeError("fr failed")
        if task.lang == "es":
            (marks / "es-started").touch()
            time.sleep(60)  # a long job: only an interruption ends it early
            (marks / "es-finished").touch()
        return real(task, emit)

    monkeypatch.setattr(build_module, "build_language", scripted)
    with pytest.raises(RuntimeError, match="fr failed"):
        build([sources / f"{SLUG}.en.md"], _options(tmp_path, jobs=2))

    assert (marks / "es-started").exists()
    assert not (marks / "es-finished").exists(), "es ran to the end after fr had failed"
    assert not list((tmp_path / "exports").glob(".*staging*"))


def test_an_interrupted_language_is_reported_as_an_interruption(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Ctrl-C inside one worker: the languages it kept from starting do not mask it."""
    import toolkit.pipeline.build as build_module

    real = build_module.build_language

    def interrupted(task, emit):
        if task.lang == "fr":
            raise KeyboardInterrupt
        return real(task, emit)

    monkeypatch.setattr(build_module, "build_language", interrupted)
    options = _options(tmp_path, targets=("fr", "es", "ru"), jobs=2)
    with pytest.raises(KeyboardInterrupt):
        build([sources / f"{SLUG}.en.md"], options)
    assert not (tmp_path / "exports" / SLUG).exists(), "nothing committed"
