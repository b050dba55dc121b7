"""Every command runs the same stage code; one options object, refused the same way everywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ExitCode, ToolkitError
from toolkit.options import AudioOptions, BuildOptions, TranslateOptions
from toolkit.pipeline.build import build, build_language
from toolkit.pipeline.executor import ProcessExecutor, SerialExecutor
from toolkit.pipeline.manifest import read_manifest

DATA = Path(__file__).parent / "data" / "build"
SLUG = "short-statement"
runner = CliRunner()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    for name in (f"{SLUG}.en.md", f"{SLUG}.fr.md"):
        shutil.copy(DATA / name, folder / name)
    return folder / f"{SLUG}.en.md"


def _built(source: Path, out: Path) -> Path:
    options = BuildOptions(
        targets=("fr", "es"),
        translate=TranslateOptions(engine="fake"),
        audio=AudioOptions(tts="silent"),
        out=out,
        jobs=1,
    )
    assert build([source], options).exit_code == ExitCode.OK
    return out / SLUG


def test_stage_commands_make_the_same_bytes_as_the_build(source: Path, tmp_path: Path):
    pack = _built(source, tmp_path / "built")
    alone = tmp_path / "alone"
    translation = pack / f"{SLUG}.es.json"

    result = runner.invoke(app, ["pdf", str(translation), "--out", str(alone)])
    assert result.exit_code == 0, result.output
    pdf = f"{SLUG}.en-es.pdf"
    assert (alone / SLUG / pdf).read_bytes() == (pack / pdf).read_bytes()

    result = runner.invoke(app, ["audio", str(translation), "--tts", "silent", "-o", str(alone)])
    assert result.exit_code == 0, result.output
    for name in (f"{SLUG}.es.mp3", f"{SLUG}.es.vtt"):
        assert (alone / SLUG / name).read_bytes() == (pack / name).read_bytes()

    result = runner.invoke(
        app, ["translate", str(source), "--to", "es", "--engine", "fake", "-o", str(alone)]
    )
    assert result.exit_code == 0, result.output
    from toolkit.document import load_json_document

    name = f"{SLUG}.es.json"
    made, built = (load_json_document(folder / name) for folder in (alone / SLUG, pack))
    # The same stage made both: the same text and provenance (this run hit the cache).
    assert made.texts() == built.texts()  # type: ignore[union-attr]
    assert made.engine == built.engine == "fake"  # type: ignore[union-attr]


def test_reader_and_epub_commands_rewrite_the_build_s_bytes(source: Path, tmp_path: Path):
    """`toolkit html` / `toolkit epub` on a built pack write what the build wrote."""
    pack = _built(source, tmp_path / "built")
    built = {p.name: p.read_bytes() for p in pack.iterdir() if p.suffix in (".html", ".epub")}
    for p in pack.iterdir():
        if p.suffix in (".html", ".epub"):
            p.unlink()
    texts = [f"{SLUG}.fr.json", f"{SLUG}.es.json", f"{SLUG}.speech.json"]
    for command in ("epub", "html"):  # html last: the index lists the EPUBs it finds
        for text in texts:
            result = runner.invoke(app, [command, str(pack / text)])
            assert result.exit_code == 0, result.output
    remade = {p.name: p.read_bytes() for p in pack.iterdir() if p.suffix in (".html", ".epub")}
    assert set(remade) == set(built)
    for name, data in remade.items():
        assert data == built[name], name


def test_audio_with_espeak_makes_the_build_s_mp3(source: Path, tmp_path: Path):
    """The real offline voice: `toolkit audio X.es.json --tts espeak` = the build's MP3."""
    options = BuildOptions(
        targets=("es",),
        translate=TranslateOptions(engine="fake"),
        audio=AudioOptions(tts="espeak"),
        make_pdf=False,
        out=tmp_path / "built",
        jobs=1,
    )
    assert build([source], options).exit_code == ExitCode.OK
    pack = tmp_path / "built" / SLUG
    alone = tmp_path / "alone"
    args = ["audio", str(pack / f"{SLUG}.es.json"), "--tts", "espeak", "-o", str(alone)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in (f"{SLUG}.es.mp3", f"{SLUG}.es.vtt"):
        assert (alone / SLUG / name).read_bytes() == (pack / name).read_bytes()


def test_audio_of_a_source_translates_like_translate_and_saves_the_translation(
    source: Path, tmp_path: Path
):
    out = tmp_path / "o"
    args = ["audio", str(source), "--lang", "fr,es", "--tts", "silent", "-o", str(out)]
    result = runner.invoke(app, [*args, "--engine", "fake"])
    assert result.exit_code == 0, result.output
    # fr has a reference beside the source, but --engine fake was asked for: fake for both.
    for lang in ("fr", "es"):
        text = (out / SLUG / f"{SLUG}.{lang}.json").read_text(encoding="utf-8")
        assert '"engine": "fake"' in text
    args[3] = "fr"
    result = runner.invoke(app, args)  # --engine auto: the reference first, as translate does
    assert result.exit_code == 0, result.output
    text = (out / SLUG / f"{SLUG}.fr.json").read_text(encoding="utf-8")
    assert '"engine": "reference"' in text


BAD_OPTIONS = [
    (["--engine", "deepl"], "Unknown translation engine 'deepl'"),
    (["--tts", "festival"], "Unknown TTS engine 'festival'"),
    (["--rate", "7"], "--rate"),
    (["--layout", "columns"], "Unknown PDF layout"),
    (["--paper", "A3"], "Unknown paper size"),
    (["--bitrate", "65"], "--bitrate"),
    (["--beam", "0"], "--beam"),
    (["--pause-ms", "-1"], "--pause-ms"),
    (["--lexicon", "/nonexistent.tsv"], "Lexicon not found"),
    (["--glossary", "/nonexistent.tsv"], "Glossary not found"),
    (["--font-dir", "/nonexistent-fonts"], "Font folder not found"),
    (["--paragraph-pause-ms", "99999"], "--paragraph-pause-ms"),
    (["--threads", "-1"], "--threads"),
    (["--to", "de"], "Unknown language 'de'"),
    (["--to", "en"], "the language of the source"),
    (["--to", ""], "No target language"),
]
"""Each bad value, and the commands that take that option."""

COMMANDS = {
    "build": {"--engine", "--tts", "--rate", "--layout", "--paper", "--bitrate", "--beam",
              "--pause-ms", "--paragraph-pause-ms", "--lexicon", "--glossary", "--font-dir",
              "--threads", "--to"},
    "translate": {"--engine", "--beam", "--glossary", "--threads", "--to"},
    "audio": {"--engine", "--tts", "--rate", "--bitrate", "--pause-ms", "--paragraph-pause-ms",
              "--lexicon"},
    "pdf": {"--engine", "--layout", "--paper", "--font-dir", "--to"},
}


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        (command, args, message)
        for command, taken in sorted(COMMANDS.items())
        for args, message in BAD_OPTIONS
        if args[0] in taken
    ],
)
def test_a_bad_option_is_refused_alike_by_every_command(
    source: Path, tmp_path: Path, command: str, args: list[str], message: str
):
    out = tmp_path / "out"
    result = runner.invoke(app, [command, str(source), *args, "--out", str(out)])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.startswith("Error: ") and "\nHint: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing may be written for a refused command"


def test_build_offers_every_option_of_the_stage_commands():
    def options(command: str) -> dict[str, str]:
        import click
        import typer.main

        group = typer.main.get_command(app)
        cmd = group.commands[command]  # type: ignore[attr-defined]
        return {
            opt: (param.help or "")
            for param in cmd.params
            if isinstance(param, click.Option)
            for opt in param.opts
        }

    built = options("build")
    for command in ("translate", "audio", "pdf"):
        for name, help_text in options(command).items():
            if name in ("--no-cache", "--dry-run", "--lang", "-l", "-t", "--to", "--help", "-h"):
                continue  # per-command only: a build keeps its caches and reads every language
            assert name in built, f"build lacks {command}'s {name}"
            assert built[name] == help_text, f"{name}: help differs between build and {command}"


@pytest.mark.parametrize("executor", [SerialExecutor(), ProcessExecutor(2)], ids=["serial", "fork"])
def test_executors_give_the_same_reports_and_relay_every_event(
    source: Path, tmp_path: Path, executor
):
    from toolkit.document import dumps
    from toolkit.pipeline.tasks import LanguageTask
    from toolkit.segment import segment_file

    options = BuildOptions(
        targets=("fr", "es"),
        translate=TranslateOptions(engine="fake"),
        audio=AudioOptions(tts="silent"),
        out=tmp_path,
    )
    speech = segment_file(source)
    staging = tmp_path / "staging"
    tasks = [
        LanguageTask(dumps(speech), lang, options, tmp_path / SLUG, staging)
        for lang in ("en", "fr", "es")
    ]
    events = []
    reports = executor.run(build_language, tasks, events.append)
    assert [r.lang for r in reports] == ["en", "fr", "es"]
    assert all(f.staged and (staging / SLUG / f.path).is_file() for r in reports for f in r.files)
    assert {(e.lang, e.stage, e.state) for e in events} >= {
        ("fr", "translation", "done"),
        ("es", "pdf", "done"),
        ("en", "audio", "done"),
    }


def test_a_toolkit_error_keeps_its_hint_across_a_worker(source: Path, tmp_path: Path):
    options = BuildOptions(
        targets=("fr",),
        translate=TranslateOptions(engine="reference"),
        audio=AudioOptions(tts="silent"),
        out=tmp_path,
    )
    (source.parent / f"{SLUG}.fr.md").unlink()
    with pytest.raises(ToolkitError) as caught:
        build([source], options, executor=ProcessExecutor(2))
    assert "No reference translation for fr" in caught.value.message
    assert "--engine argos" in caught.value.hint
    assert read_manifest(tmp_path / SLUG) is None


SIGNATURES = [
    ("engine:argos|model:translate-en_fr|version:1.9|beam:4", "engine", "argos"),
    ("engine:espeak-ng|version:1.52|voice:fr|wpm:175", "voice", "fr"),
    ("engine:reference|file:x.fr.md|sha256:0123456789ab", "sha256", "0123456789ab"),
]


@pytest.mark.parametrize(("text", "key", "value"), SIGNATURES)
def test_signature_round_trips(text: str, key: str, value: str):
    from toolkit.document import Signature

    signature = Signature.parse(text)
    assert str(signature) == text
    assert signature.get(key) == value


def test_one_signature_format_in_json_pdf_tags_and_manifest(source: Path, tmp_path: Path):
    from mutagen.id3 import ID3
    from pypdf import PdfReader

    from toolkit.document import Signature, load_json_document

    pack = _built(source, tmp_path)
    translated = load_json_document(pack / f"{SLUG}.es.json")
    assert translated.provenance is not None  # type: ignore[union-attr]
    signature = translated.provenance.signature  # type: ignore[union-attr]
    assert Signature.parse(signature).get("engine") == "fake"
    creator = PdfReader(pack / f"{SLUG}.en-es.pdf").metadata["/Creator"]
    assert signature in creator
    tag = str(ID3(pack / f"{SLUG}.es.mp3")["TSSE"].text[0])
    assert "engine:silent|version:1|voice:es" in tag
    manifest = read_manifest(pack)
    assert manifest is not None
    details = manifest.languages["es"].translation
    assert details is not None and details.signature == signature


def test_a_version_1_translation_still_loads_and_a_newer_one_is_refused(
    source: Path, tmp_path: Path
):
    import json

    from toolkit.document import load_json_document
    from toolkit.errors import InputError

    pack = _built(source, tmp_path)
    data = json.loads((pack / f"{SLUG}.es.json").read_text(encoding="utf-8"))
    provenance = data.pop("provenance")
    data["format"] = "toolkit.translation/1"
    data["extra"] = {"model": "fake", "model_version": "1", "signature": provenance["signature"]}
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_json_document(old)
    assert loaded.provenance is not None  # type: ignore[union-attr]
    assert loaded.provenance.signature == provenance["signature"]  # type: ignore[union-attr]
    data["format"] = "toolkit.translation/9"
    old.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="cannot read") as caught:
        load_json_document(old)
    assert "newer toolkit" in caught.value.hint
