"""TMX 1.4b out and in: the bundled references as a memory that serves another speech."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ExitCode, InputError
from toolkit.export.tmx import export_tmx, read_tmx, validate_tmx
from toolkit.pipeline import load_speech
from toolkit.translate import TranslateOptions, translate_speech
from toolkit.translate.tm import TranslationMemory

REPO = Path(__file__).resolve().parent.parent
BUNDLED = "2021-05-26-coninsx-civil-society"
LANGS = {"en", "ar", "zh", "fr", "ru", "es"}


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    for path in (REPO / "source").glob(f"{BUNDLED}.*.md"):
        shutil.copy(path, folder / path.name)
    return folder / f"{BUNDLED}.en.md"


@pytest.fixture
def tmx_file(bundled: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out" / "memory.tmx"
    export_tmx([load_speech(bundled)], out)
    return out


def test_export_is_valid_against_the_tmx_dtd(tmx_file: Path):
    assert validate_tmx(tmx_file.read_bytes()) == []
    assert tmx_file.read_text(encoding="utf-8").startswith(
        "<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">"
    )


def test_the_validator_rejects_what_the_dtd_forbids():
    bad = b'<tmx version="1.4"><header/><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>'
    assert validate_tmx(bad)


def test_translate_toolkit_reads_units_with_tuid_and_six_languages(tmx_file: Path, bundled):
    from translate.storage import tmx

    with tmx_file.open("rb") as handle:
        store = tmx.tmxfile.parsefile(handle)
    speech = load_speech(bundled)
    ids = [s.id for s in speech.sentences()]
    assert [u.getid() for u in store.units] == [f"{BUNDLED}:{sid}" for sid in ids]
    first = store.units[0]
    languages = {
        node.get("{http://www.w3.org/XML/1998/namespace}lang") for node in first.getlanguageNodes()
    }
    assert languages == LANGS
    assert first.source == next(speech.sentences()).text


def test_unaligned_and_merged_sentences_are_left_out(tmp_path: Path):
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "s.en.md").write_text(
        "**Title of the statement**\n\nFirst sentence here.\n\nSecond one, also here.\n"
        "\nA third sentence that the translator merged.\n",
        encoding="utf-8",
    )
    (folder / "s.fr.md").write_text(
        "**Titre de la déclaration**\n\nPremière phrase ici.\n\n"
        "La deuxième, aussi ici, et une troisième que la traductrice a fusionnée.\n",
        encoding="utf-8",
    )
    speech = load_speech(folder / "s.en.md")
    out = tmp_path / "s.tmx"
    units = export_tmx([speech], out)
    reference = translate_speech(speech, "fr", TranslateOptions(engine="reference"))
    flagged = {
        s.id
        for s in reference.sentences()
        if any(f == "unaligned" or f.startswith("merged") for f in s.provenance.flags)
    }
    assert flagged, "the fixture should produce a merged or unaligned sentence"
    exported = {u.tuid.split(":")[1] for u in units}
    assert not exported & flagged
    assert exported  # the rest is there


def test_import_then_a_second_speech_repeating_sentences_is_served_from_the_memory(
    tmx_file: Path, bundled: Path, tmp_path: Path
):
    result = CliRunner().invoke(app, ["tmx", "import", str(tmx_file)])
    assert result.exit_code == 0, result.output
    memory = TranslationMemory()
    assert memory.count("en", "fr") == 35 and memory.count() == 35 * 5

    speech = load_speech(bundled)
    repeated = [s.text for s in speech.sentences()][5:8]
    second = tmp_path / "later" / "2022-06-01-later-statement.en.md"
    second.parent.mkdir()
    second.write_text(
        "**Later statement on civil society**\n\n"
        + "\n\n".join(repeated)
        + "\n\nThis sentence is new and no human has translated it yet.\n",
        encoding="utf-8",
    )
    translated = translate_speech(load_speech(second), "fr", TranslateOptions(engine="fake"))
    reference = translate_speech(speech, "fr").texts()
    by_source = {s.source: s for s in translated.sentences()}
    english = {s.text: s.id for s in speech.sentences()}
    for text in repeated:
        served = by_source[text]
        assert served.provenance.engine == "tm"
        assert served.text == reference[english[text]]
        assert served.provenance.model == f"{BUNDLED}:{english[text]}"  # the unit's tuid
    new = by_source["This sentence is new and no human has translated it yet."]
    assert new.provenance.engine == "fake"


def test_tmx_from_another_tool_is_read(tmp_path: Path):
    other = tmp_path / "cat.tmx"
    other.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="X" '
        'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US" srclang="*all*" '
        'datatype="plaintext"/><body>'
        '<tu tuid="42"><tuv xml:lang="EN-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Enter'
        '<ept i="1">&lt;/b&gt;</ept> now.</seg></tuv>'
        '<tuv xml:lang="fr-FR"><seg>Appuyez sur <bpt i="1">&lt;b&gt;</bpt>Entrée'
        '<ept i="1">&lt;/b&gt;</ept> maintenant.</seg></tuv>'
        '<tuv lang="zh-CN"><seg>现在按回车键。</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    units = read_tmx(other)
    assert {(u.src_lang, u.tgt_lang, u.source, u.target, u.origin) for u in units} == {
        ("en", "fr", "Press Enter now.", "Appuyez sur Entrée maintenant.", "42"),
        ("en", "zh", "Press Enter now.", "现在按回车键。", "42"),
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<tmx><body><tu>", "not well-formed XML"),
        (b"<xliff version='2.0'/>", "not a TMX file"),
    ],
)
def test_bad_tmx_is_refused_in_one_line(tmp_path: Path, content: bytes, message: str):
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_tmx(bad)
    result = CliRunner().invoke(app, ["tmx", "import", str(bad)])
    assert result.exit_code == ExitCode.INPUT
    assert result.output.startswith("Error: bad.tmx: ")
    assert not TranslationMemory().exists()


def test_cli_export_defaults_to_every_source(bundled: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(bundled.parent.parent)
    result = CliRunner().invoke(app, ["tmx", "export"])
    assert result.exit_code == 0, result.output
    assert "35 units from 1 speech(es), languages: ar, en, es, fr, ru, zh" in result.output
    assert Path("exports/translation-memory.tmx").is_file()
