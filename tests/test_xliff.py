"""XLIFF out and back: schema-valid exports, an independent reader, post-edits, refusals."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ExitCode, InputError
from toolkit.export.xliff import (
    XLIFF12_NS,
    XLIFF20_NS,
    export_xliff,
    read_xliff,
    validate_xliff,
)
from toolkit.options import AudioOptions, BuildOptions
from toolkit.pipeline import load_speech
from toolkit.pipeline.build import build
from toolkit.translate import TranslateOptions, load_glossary_for, translate_speech
from toolkit.translate.postedit import (
    UNTRANSLATED_FLAG,
    import_post_edit,
    post_edit_path,
)

REPO = Path(__file__).resolve().parent.parent
BUNDLED = "2021-05-26-coninsx-civil-society"
SHORT = "short-statement"
NS = {"x": XLIFF20_NS, "o": XLIFF12_NS}
EDITS = {
    "p05s01": "Excellences, chers collègues, représentants de la société civile, participants,",
    "p08s01": "Texte révisé par la traductrice pour ce paragraphe.",
}


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of source/ with the bundled speech and its references (imports write there)."""
    folder = tmp_path / "source"
    folder.mkdir()
    for path in (REPO / "source").glob(f"{BUNDLED}.*.md"):
        shutil.copy(path, folder / path.name)
    return folder / f"{BUNDLED}.en.md"


@pytest.fixture
def short(tmp_path: Path) -> Path:
    """A short statement with a French reference, in its own source folder."""
    folder = tmp_path / "short" / "source"
    folder.mkdir(parents=True)
    for lang in ("en", "fr"):
        shutil.copy(REPO / "tests" / "data" / "build" / f"{SHORT}.{lang}.md", folder)
    return folder / f"{SHORT}.en.md"


def _export(source: Path, lang: str, tmp_path: Path, version: str = "2.0", engine: str = "auto"):
    speech = load_speech(source)
    options = TranslateOptions(engine=engine)
    translated = translate_speech(speech, lang, options)
    out = tmp_path / "out" / f"{speech.slug}.en-{lang}.{version}.xlf"
    export_xliff(translated, out, version=version, glossary=load_glossary_for(options))
    return speech, translated, out


def translator_edits(path: Path, edits: dict[str, str], out: Path, state: str = "final") -> Path:
    """Change targets and states the way a CAT tool saves them (2.0 or 1.2)."""
    tree = etree.parse(str(path))
    root = tree.getroot()
    for unit_id, text in edits.items():
        if root.tag == f"{{{XLIFF20_NS}}}xliff":
            segment = root.find(f".//x:unit[@id='{unit_id}']/x:segment", NS)
            target = segment.find("x:target", NS)
            if target is None:
                target = etree.SubElement(segment, f"{{{XLIFF20_NS}}}target")
            target.text = text
            segment.set("state", state)
        else:
            target = root.find(f".//o:trans-unit[@id='{unit_id}']/o:target", NS)
            target.text = text
            target.set("state", {"final": "final", "translated": "translated"}[state])
            target.attrib.pop("state-qualifier", None)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


# --- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_export_is_valid_against_the_oasis_schema(bundled: Path, tmp_path: Path, version: str):
    speech, translated, out = _export(bundled, "fr", tmp_path, version)
    data = out.read_bytes()
    assert validate_xliff(data, version) == []
    root = etree.fromstring(data)
    unit_tag = "x:unit" if version == "2.0" else "o:trans-unit"
    ids = [u.get("id") for u in root.iterfind(f".//{unit_tag}", NS)]
    assert ids == [s.id for s in speech.sentences()]
    # one group per paragraph, carrying the paragraph ID
    groups = [
        g.get("id") for g in root.iterfind(".//x:group" if version == "2.0" else ".//o:group", NS)
    ]
    assert groups == [p.id for p in speech.paragraphs]
    # glossary terms are marked in the source, with the approved term
    marks = root.findall(
        ".//x:mrk[@type='term']" if version == "2.0" else ".//o:mrk[@mtype='term']", NS
    )
    assert marks, "no glossary term marked"


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_every_script_exports_valid_xliff(bundled: Path, tmp_path: Path, lang: str, version: str):
    speech, translated, out = _export(bundled, lang, tmp_path, version)
    assert validate_xliff(out.read_bytes(), version) == []
    document = read_xliff(out)
    assert document.tgt_lang == lang
    assert {u.id: u.target for u in document.units} == translated.texts()


def test_untouched_units_over_a_reference_are_not_flagged(bundled: Path, tmp_path: Path):
    speech, _, out = _export(bundled, "fr", tmp_path, engine="fake")  # a machine-made file
    import_post_edit(translator_edits(out, EDITS, tmp_path / "fr.xlf"), speech)
    after = translate_speech(speech, "fr")  # the reference, under the post-edit
    for sentence in after.sentences():
        if sentence.id not in EDITS:
            assert sentence.provenance.engine == "reference"
            assert UNTRANSLATED_FLAG not in sentence.provenance.flags


def test_the_validator_rejects_what_the_schema_forbids():
    bad = (
        f'<xliff xmlns="{XLIFF20_NS}" version="2.0" srcLang="en" trgLang="fr"><file id="f1">'
        '<unit id="u1"><segment state="done"><source>a</source></segment></unit></file></xliff>'
    ).encode()
    errors = validate_xliff(bad, "2.0")
    assert errors and "state" in errors[0]


def test_states_and_notes_follow_provenance(bundled: Path, tmp_path: Path):
    _, _, reference_file = _export(bundled, "fr", tmp_path)
    _, _, machine_file = _export(bundled, "es", tmp_path, engine="fake")
    reference = etree.parse(str(reference_file)).getroot()
    machine = etree.parse(str(machine_file)).getroot()
    assert {s.get("state") for s in reference.iterfind(".//x:segment", NS)} == {"translated"}
    assert {s.get("state") for s in machine.iterfind(".//x:segment", NS)} == {"initial"}
    note = machine.find(".//x:unit/x:notes/x:note[@category='provenance']", NS)
    assert note is not None and note.text.startswith("machine translation: fake")


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_translate_toolkit_reads_the_export(bundled: Path, tmp_path: Path, version: str):
    from translate.storage import xliff, xliff2

    speech, translated, out = _export(bundled, "fr", tmp_path, version)
    with out.open("rb") as handle:
        store = (
            xliff2.Xliff2File.parsefile(handle)
            if version == "2.0"
            else xliff.xlifffile.parsefile(handle)
        )
    units = [u for u in store.units if not u.isheader()]
    assert [u.getid().split("\x04")[-1] for u in units] == [s.id for s in speech.sentences()]
    by_id = translated.texts()
    for unit in units:
        sid = unit.getid().split("\x04")[-1]
        assert " ".join(unit.target.split()) == " ".join(by_id[sid].split())
        assert unit.source.strip()
    assert store.getsourcelanguage() == "en"
    assert store.gettargetlanguage() == "fr"


# --- import and rebuild ----------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_post_edit_of_two_units_changes_exactly_those_sentences(
    bundled: Path, tmp_path: Path, version: str
):
    speech, before, out = _export(bundled, "fr", tmp_path, version)
    edited = translator_edits(out, EDITS, tmp_path / f"edited.{version}.xlf")

    result = import_post_edit(edited, speech)
    assert result.path == post_edit_path(speech, "fr")
    assert result.path.parent == bundled.parent
    after = translate_speech(speech, "fr")

    old, new = before.texts(), after.texts()
    changed = {sid for sid in old if old[sid] != new[sid]}
    assert changed == set(EDITS)
    for sentence in after.sentences():
        if sentence.id in EDITS:
            assert sentence.text == EDITS[sentence.id]
            assert sentence.provenance.engine == "post-edited"
            assert sentence.provenance.state == "final"
        else:
            assert sentence.provenance == next(
                s.provenance for s in before.sentences() if s.id == sentence.id
            )
    assert after.provenance is not None and after.provenance.post_edit is not None
    assert after.provenance.post_edit["used"] == 2
    # the stored post-edit is itself a valid XLIFF 2.0 file another tool can open
    assert validate_xliff(result.path.read_bytes(), "2.0") == []


def test_units_left_untranslated_keep_machine_output_flagged(bundled: Path, tmp_path: Path):
    speech, before, out = _export(bundled, "es", tmp_path, engine="fake")
    edited = translator_edits(out, {"p05s01": "Excelencias, colegas,"}, tmp_path / "es.xlf")
    import_post_edit(edited, speech)

    after = translate_speech(speech, "es", TranslateOptions(engine="fake"))
    for sentence in after.sentences():
        if sentence.id == "p05s01":
            assert sentence.provenance.engine == "post-edited"
            assert sentence.text == "Excelencias, colegas,"
        else:
            assert sentence.text == before.texts()[sentence.id]  # machine output kept
            assert sentence.provenance.engine == "fake"
            assert UNTRANSLATED_FLAG in sentence.provenance.flags


def test_a_second_import_never_loses_earlier_post_edits(bundled: Path, tmp_path: Path):
    speech, _, out = _export(bundled, "es", tmp_path, engine="fake")
    import_post_edit(translator_edits(out, {"p05s01": "Primera."}, tmp_path / "1.xlf"), speech)
    # a second translator's file, exported before the first import, leaves p05s01 initial
    second = import_post_edit(
        translator_edits(out, {"p08s01": "Segunda."}, tmp_path / "2.xlf"), speech
    )
    assert second.kept == ("p05s01",)
    texts = translate_speech(speech, "es", TranslateOptions(engine="fake")).texts()
    assert texts["p05s01"] == "Primera."
    assert texts["p08s01"] == "Segunda."


def test_a_minimal_file_from_another_tool_is_accepted(bundled: Path, tmp_path: Path):
    """XLIFF 1.2 as OmegaT-like tools write it: no groups, targets without a state."""
    speech = load_speech(bundled)
    units = "".join(
        f'<trans-unit id="{s.id}"><source>{_xml(s.text)}</source>'
        + (f"<target>{_xml(EDITS[s.id])}</target>" if s.id in EDITS else "")
        + "</trans-unit>"
        for s in speech.sentences()
    )
    other = tmp_path / "omegat.xlf"
    other.write_text(
        f'<?xml version="1.0"?><xliff version="1.2" xmlns="{XLIFF12_NS}">'
        f'<file original="{BUNDLED}.en.md" source-language="en-US" target-language="fr-FR" '
        f'datatype="plaintext"><body>{units}</body></file></xliff>',
        encoding="utf-8",
    )
    import_post_edit(other, speech)
    texts = translate_speech(speech, "fr").texts()
    assert all(texts[sid] == text for sid, text in EDITS.items())


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def test_rebuild_after_import_rewrites_only_that_language(short: Path, tmp_path: Path):
    out = tmp_path / "exports"
    options = BuildOptions(
        targets=("fr", "es"),
        translate=TranslateOptions(engine="fake"),
        audio=AudioOptions(tts="silent"),
        out=out,
        jobs=1,
    )
    assert build([short], options).exit_code == ExitCode.OK
    pack = out / SHORT
    before = {p.name: p.read_bytes() for p in pack.iterdir() if p.is_file()}

    speech = load_speech(short)
    translated = translate_speech(speech, "fr", TranslateOptions(engine="fake"))
    xlf = tmp_path / "fr.xlf"
    export_xliff(translated, xlf)
    edits = {"p05s01": "Je remercie la présidence.", "p07s01": "Nous poursuivrons ce travail."}
    import_post_edit(translator_edits(xlf, edits, tmp_path / "fr-edited.xlf"), speech)

    assert build([short], options).exit_code == ExitCode.OK
    after = {p.name: p.read_bytes() for p in pack.iterdir() if p.is_file()}
    rewritten = {name for name in before if before[name] != after.get(name)}
    assert rewritten == {
        f"{SHORT}.fr.json",
        f"{SHORT}.en-fr.pdf",
        f"{SHORT}.fr.mp3",
        f"{SHORT}.fr.vtt",
        f"{SHORT}.fr.html",
        f"{SHORT}.fr.epub",
        "index.html",
        "manifest.json",
    }

    data = json.loads(after[f"{SHORT}.fr.json"])
    sentences = {s["id"]: s for p in data["paragraphs"] for s in p["sentences"]}
    changed = {sid for sid, s in sentences.items() if s["text"] != translated.texts()[sid]}
    assert changed == set(edits)
    assert {sentences[sid]["provenance"]["engine"] for sid in edits} == {"post-edited"}
    assert {sentences[sid]["provenance"]["state"] for sid in edits} == {"final"}

    pdf_text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pack / f"{SHORT}.en-fr.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    for sid, text in edits.items():
        assert " ".join(text.split()) in pdf_text
        assert translated.texts()[sid] not in pdf_text
    assert " ".join(translated.texts()["p06s01"].split())[:40] in pdf_text  # untouched one stays

    transcript = after[f"{SHORT}.fr.vtt"].decode()
    for sid, text in edits.items():
        assert text in transcript
        assert translated.texts()[sid] not in transcript


# --- refusals --------------------------------------------------------------------------------


def _mutate_20(path: Path, change) -> bytes:  # type: ignore[no-untyped-def]
    tree = etree.parse(str(path))
    change(tree.getroot())
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _unit(root, sid):  # type: ignore[no-untyped-def]
    return root.find(f".//x:unit[@id='{sid}']", NS)


def _remove(element) -> None:  # type: ignore[no-untyped-def]
    element.getparent().remove(element)


def _duplicate(element) -> None:  # type: ignore[no-untyped-def]
    element.getparent().append(etree.fromstring(etree.tostring(element)))


def _set_source(root) -> None:  # type: ignore[no-untyped-def]
    source = _unit(root, "p08s01").find("x:segment/x:source", NS)
    for child in list(source):
        source.remove(child)
    source.text = "A different English sentence."


REFUSALS = [
    pytest.param(
        lambda r: r.find("x:file", NS).set("original", "2019-other-speech.en.md"),
        "this file is for 2019-other-speech.en.md, not for",
        id="another-speech",
    ),
    pytest.param(_set_source, "the English of p08s01 changed after export", id="english-changed"),
    pytest.param(lambda r: _remove(_unit(r, "p08s01")), "missing units p08s01", id="missing-id"),
    pytest.param(
        lambda r: _duplicate(_unit(r, "p08s01")), "duplicated unit IDs: p08s01", id="duplicated-id"
    ),
    pytest.param(lambda r: _unit(r, "p08s01").attrib.pop("id"), "1 unit(s) have no id", id="no-id"),
    pytest.param(lambda r: r.set("version", "2.1"), "XLIFF 2.1 is newer", id="newer-version"),
    pytest.param(lambda r: r.set("trgLang", "de"), "Unknown language 'de'", id="not-a-un-language"),
]


@pytest.mark.parametrize(("change", "message"), REFUSALS)
def test_refused_files_change_nothing(bundled: Path, tmp_path: Path, change, message: str):
    speech, _, out = _export(bundled, "fr", tmp_path)
    bad = tmp_path / "bad.xlf"
    bad.write_bytes(_mutate_20(out, change))
    folder_before = sorted(p.name for p in bundled.parent.iterdir())

    with pytest.raises(InputError) as caught:
        import_post_edit(bad, speech)
    assert message in caught.value.message
    assert "\n" not in caught.value.message
    assert sorted(p.name for p in bundled.parent.iterdir()) == folder_before


def test_malformed_xml_is_refused_by_the_cli_in_one_line(bundled: Path, tmp_path: Path):
    _, _, out = _export(bundled, "fr", tmp_path)
    bad = tmp_path / "broken.xlf"
    bad.write_bytes(out.read_bytes()[:-200])
    result = CliRunner().invoke(app, ["xliff", "import", str(bad), "--source", str(bundled)])
    assert result.exit_code == ExitCode.INPUT
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Error: broken.xlf: not well-formed XML")
    assert lines[1].startswith("Hint:")
    assert "Traceback" not in result.output
    assert not post_edit_path(load_speech(bundled), "fr").exists()


def test_english_edited_in_the_source_after_export_is_refused(bundled: Path, tmp_path: Path):
    _, _, out = _export(bundled, "fr", tmp_path)
    edited = translator_edits(out, EDITS, tmp_path / "edited.xlf")
    text = bundled.read_text(encoding="utf-8")
    sentence = next(s.text for s in load_speech(bundled).sentences() if s.id == "p08s01")
    bundled.write_text(text.replace(sentence[:30], "Acting on Security Council texts", 1))
    with pytest.raises(InputError, match="the English of p08s01 changed after export"):
        import_post_edit(edited, load_speech(bundled))


def test_a_stored_post_edit_is_never_overwritten_by_a_refused_import(bundled, tmp_path):
    speech, _, out = _export(bundled, "fr", tmp_path)
    stored = import_post_edit(translator_edits(out, EDITS, tmp_path / "ok.xlf"), speech).path
    kept = stored.read_bytes()
    bad = tmp_path / "bad.xlf"
    bad.write_bytes(_mutate_20(out, lambda r: _remove(_unit(r, "p05s01"))))
    with pytest.raises(InputError):
        import_post_edit(bad, speech)
    assert stored.read_bytes() == kept


def test_cli_round_trip(bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(bundled.parent.parent)  # `source/<original>` is found from here
    runner = CliRunner()
    result = runner.invoke(
        app, ["xliff", "export", f"source/{bundled.name}", "--to", "fr,es", "-e", "fake"]
    )
    assert result.exit_code == 0, result.output
    exported = Path("exports") / BUNDLED / f"{BUNDLED}.en-fr.xlf"
    assert exported.is_file() and (Path("exports") / BUNDLED / f"{BUNDLED}.en-es.xlf").is_file()
    edited = translator_edits(exported, EDITS, tmp_path / "edited.xlf")
    result = runner.invoke(app, ["xliff", "import", str(edited)])
    assert result.exit_code == 0, result.output
    assert f"source/{BUNDLED}.fr.xlf" in result.output
    assert "2 final" in result.output
    document = read_xliff(Path("source") / f"{BUNDLED}.fr.xlf")
    assert {u.id for u in document.units if u.state == "final"} == set(EDITS)
