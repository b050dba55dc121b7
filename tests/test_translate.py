"""translate_speech on the fake engine: 1:1 IDs, provenance, meta, one batch call, cache."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from speeches import speech_from_paragraphs
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Meta, Speech, TranslatedSpeech, load_json_document
from toolkit.errors import InputError, ModelError, OptionError
from toolkit.translate import (
    TranslateOptions,
    engine_available,
    get_engine,
    resolve_engine,
    summarize,
    translate_speech,
)
from toolkit.translate.cache import TranslationCache
from toolkit.translate.fake import FakeEngine

runner = CliRunner()


def make_speech(tmp_path: Path, slug: str = "demo") -> Speech:
    """A small speech built by hand, with its source file in a folder without references."""
    source = tmp_path / f"{slug}.en.md"
    source.write_text("demo\n", encoding="utf-8")
    texts = {
        "p01": ("title", ["Counter-terrorism and civil society"]),
        "p02": ("byline", ["Michèle Coninsx, Executive Director, CTED"]),
        "p03": (
            "body",
            [
                "The Security Council adopted resolution 2395 (2017) in December.",
                "Member States met 12 civil society organizations.",
                "Thank you.",
            ],
        ),
    }
    meta = Meta(
        title="Counter-terrorism and civil society",
        subtitle="The role of civil society",
        event="Virtual dialogue",
        venue="Malaga/virtual platform",
        date="2021-05-26",
        speaker="Michèle Coninsx",
        role="Executive Director, CTED",
    )
    return speech_from_paragraphs(
        texts.values(), lang="en", slug=slug, source=str(source), source_sha256="0" * 64, meta=meta
    )


FAKE = TranslateOptions(engine="fake", use_glossary=False)


def test_ids_are_one_to_one_and_provenance_is_complete(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    result = translate_speech(speech, "fr", FAKE)
    assert [s.id for s in result.sentences()] == [s.id for s in speech.sentences()]
    assert [p.id for p in result.paragraphs] == [p.id for p in speech.paragraphs]
    assert [p.kind for p in result.paragraphs] == [p.kind for p in speech.paragraphs]
    for translated, source in zip(result.sentences(), speech.sentences(), strict=True):
        assert translated.source == source.text
        assert translated.text == f"[fr] {source.text}"
        p = translated.provenance
        assert (p.engine, p.model, p.cached) == ("fake", "fake", False)
        assert p.signature and "fake" in p.signature
        assert p.glossary_sha256 is None
    assert result.engine == "fake" and result.lang == "fr" and result.source_lang == "en"
    assert "not a translation" in (result.notice or "")


def test_meta_is_translated_but_date_and_speaker_are_kept(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    meta = translate_speech(speech, "es", FAKE).meta
    assert meta.title == "[es] Counter-terrorism and civil society"
    assert meta.subtitle == "[es] The role of civil society"
    assert meta.event == "[es] Virtual dialogue"
    assert meta.venue == "[es] Malaga/virtual platform"
    assert meta.role == "[es] Executive Director, CTED"
    assert (meta.date, meta.speaker) == ("2021-05-26", "Michèle Coninsx")


def test_all_sentences_and_meta_go_to_the_engine_in_one_call(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    engine = FakeEngine()
    translate_speech(speech, "fr", FAKE, engine=engine)
    assert len(engine.calls) == 1
    sent = engine.calls[0][0]
    assert len(sent) == len(set(sent))  # the title sentence and meta title are sent once
    assert "Virtual dialogue" in sent and "Thank you." in sent


def test_rerun_is_served_from_cache_with_zero_engine_calls(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    options = TranslateOptions(engine="fake")
    first_engine, second_engine = FakeEngine(), FakeEngine()
    first = translate_speech(speech, "fr", options, engine=first_engine)
    second = translate_speech(speech, "fr", options, engine=second_engine)
    assert len(first_engine.calls) == 1 and not any(s.provenance.cached for s in first.sentences())
    assert second_engine.calls == []
    assert all(s.provenance.cached for s in second.sentences())
    assert second.texts() == first.texts()
    # --no-cache bypasses it
    third_engine = FakeEngine()
    third = translate_speech(
        speech, "fr", TranslateOptions(engine="fake", use_cache=False), engine=third_engine
    )
    assert len(third_engine.calls) == 1
    assert not any(s.provenance.cached for s in third.sentences())


def test_cache_key_depends_on_glossary_language_and_text(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    glossary_a = tmp_path / "a.tsv"
    glossary_b = tmp_path / "b.tsv"
    glossary_a.write_text("en\tfr\nMember States\tÉtats Membres\n", encoding="utf-8")
    glossary_b.write_text("en\tfr\nMember States\tÉtats membres\n", encoding="utf-8")
    engine = FakeEngine()
    translate_speech(
        speech, "fr", TranslateOptions(engine="fake", glossary=glossary_a), engine=engine
    )
    translate_speech(
        speech, "fr", TranslateOptions(engine="fake", glossary=glossary_b), engine=engine
    )
    translate_speech(
        speech, "es", TranslateOptions(engine="fake", glossary=glossary_b), engine=engine
    )
    assert len(engine.calls) == 3
    changed = speech.paragraphs[2].sentences[2]
    assert TranslationCache.key("s", "en", "fr", None, "h", changed.text) != TranslationCache.key(
        "s", "en", "fr", None, "h", changed.text + " "
    )


def test_two_runs_at_once_share_the_cache(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    errors: list[BaseException] = []

    def run(lang: str) -> None:
        try:
            for _ in range(3):
                translate_speech(speech, lang, TranslateOptions(engine="fake"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(lang,)) for lang in ("fr", "es", "ru", "fr")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    cache = TranslationCache()
    with sqlite3.connect(cache.path) as db:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert len(cache) > 0


def test_shipped_glossary_is_applied_by_default(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    result = translate_speech(speech, "fr", TranslateOptions(engine="fake"))
    texts = result.texts()
    assert (
        texts["p03s01"]
        == "[fr] The Conseil de sécurité adopted resolution 2395 (2017) in December."
    )
    assert texts["p03s02"].startswith("[fr] États Membres met 12 ")
    assert result.provenance is not None
    assert result.provenance.glossary_sha256 == next(result.sentences()).provenance.glossary_sha256
    # "Executive Director" has two approved French forms (the English does not give the
    # gender): it is not forced, and the fake engine's untranslated English is flagged
    by_id = {s.id: s for s in result.sentences()}
    assert "Executive Director" in by_id["p02s01"].text
    assert by_id["p02s01"].provenance.flags == ("glossary-missing",)
    assert all(not s.provenance.flags for s in result.sentences() if s.id != "p02s01")


def test_unknown_engine_and_language_are_input_errors(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    with pytest.raises(OptionError, match="Unknown translation engine 'deepl'") as info:
        translate_speech(speech, "fr", TranslateOptions(engine="deepl"))
    assert "auto, argos, reference, fake" in info.value.hint
    with pytest.raises(InputError, match="Unknown translation engine 'nope'") as info:
        get_engine("nope")
    assert info.value.hint == "Use one of: auto, argos, reference, fake."
    with pytest.raises(InputError):
        translate_speech(speech, "de", FAKE)
    with pytest.raises(InputError, match="already in en"):
        translate_speech(speech, "en", FAKE)


def test_missing_model_names_the_install_command(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    with pytest.raises(ModelError) as info:
        translate_speech(speech, "fr", TranslateOptions(engine="argos"))
    assert "toolkit models install fr" in info.value.hint
    assert ".argosmodel" in info.value.hint
    ok, reason = engine_available("fr", TranslateOptions(engine="argos"))
    assert not ok and reason and "toolkit models install fr" in reason
    assert engine_available("fr", TranslateOptions(engine="fake")) == (True, None)


def test_auto_uses_argos_without_a_reference_file(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    assert resolve_engine(speech, "fr", TranslateOptions()) == "argos"
    ok, reason = engine_available("fr", TranslateOptions(), speech)
    assert not ok and reason and "toolkit models install fr" in reason
    with pytest.raises(InputError, match="No reference translation for fr"):
        translate_speech(speech, "fr", TranslateOptions(engine="reference"))


def test_auto_dispatches_to_the_reference_when_one_exists(
    tmp_path: Path, bundled_speech: Path
) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(bundled_speech, folder / bundled_speech.name)
    fr = bundled_speech.with_name(bundled_speech.name.replace(".en.md", ".fr.md"))
    shutil.copy(fr, folder / fr.name)
    from toolkit.segment import segment_file

    speech = segment_file(folder / bundled_speech.name)
    from toolkit.translate.reference_engine import ReferenceEngine

    assert resolve_engine(speech, "fr", TranslateOptions()) == "reference"
    assert ReferenceEngine.find(speech, "fr") == folder / fr.name
    assert resolve_engine(speech, "es", TranslateOptions()) == "argos"
    assert engine_available("fr", TranslateOptions(), speech) == (True, None)


def test_summary_counts(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    engine = FakeEngine(transform=lambda s, tgt, hints: "" if s == "Thank you." else f"<{s}>")
    result = translate_speech(speech, "fr", TranslateOptions(engine="fake"), engine=engine)
    summary = summarize(result, 1.5)
    assert (summary.sentences, summary.cached, summary.seconds) == (5, 0, 1.5)
    assert summary.flags["empty"] == 1
    assert summary.flagged >= 1


# --- CLI ------------------------------------------------------------------------------


def test_cli_dry_run_writes_one_json_per_language(tmp_path: Path, bundled_speech: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["translate", str(bundled_speech), "--to", "fr,es", "--dry-run", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    slug = "2021-05-26-coninsx-civil-society"
    for lang in ("fr", "es"):
        path = out / slug / f"{slug}.{lang}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["lang"] == lang and data["source_lang"] == "en"
        first = data["paragraphs"][0]["sentences"][0]
        assert set(first) >= {"id", "source", "text", "provenance"}
        assert set(first["provenance"]) >= {"engine", "model", "model_version", "cached", "flags"}
        doc = load_json_document(path)
        assert isinstance(doc, TranslatedSpeech)
        assert [s.id for s in doc.sentences()] == [s.id for s in doc.speech.sentences()]
    assert "Sentences" in result.output and "fake" in result.output
    assert not (out / slug / f"{slug}.ar.json").exists()
    again = runner.invoke(
        app, ["translate", str(bundled_speech), "--to", "fr", "--dry-run", "--out", str(out)]
    )
    assert again.exit_code == 0
    row = next(line for line in again.output.splitlines() if line.startswith("│ fr"))
    cells = [c.strip() for c in row.strip("│").split("│")]
    assert cells[2] == cells[3]  # every sentence cached


def test_cli_reads_a_speech_json(tmp_path: Path) -> None:
    from toolkit.document import dumps

    speech = make_speech(tmp_path)
    source = tmp_path / "demo.speech.json"
    source.write_text(dumps(speech), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "translate",
            str(source),
            "--to",
            "ru",
            "--engine",
            "fake",
            "--no-glossary",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "o" / "demo" / "demo.ru.json").read_text(encoding="utf-8"))
    assert data["paragraphs"][2]["sentences"][2]["text"] == "[ru] Thank you."
    assert data["format"] == "toolkit.translation/2"
    assert data["provenance"]["glossary"] is None


def test_cli_missing_model_is_exit_4_with_install_hint(tmp_path: Path) -> None:
    speech = make_speech(tmp_path)
    from toolkit.document import dumps

    source = tmp_path / "demo.speech.json"
    source.write_text(dumps(speech), encoding="utf-8")
    out = tmp_path / "o"
    result = runner.invoke(app, ["translate", str(source), "--to", "fr,zh", "--out", str(out)])
    assert result.exit_code == 4
    assert "toolkit models install fr zh" in result.output
    assert ".argosmodel" in result.output
    assert not out.exists()  # nothing translated before the check


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "de"], "Unknown language 'de'"),
        (["--engine", "google"], "Unknown translation engine 'google'"),
        (["--glossary", "/nonexistent.tsv", "--dry-run"], "Glossary not found"),
    ],
)
def test_cli_bad_options(
    tmp_path: Path, bundled_speech: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["translate", str(bundled_speech), "--out", str(tmp_path), *args])
    assert result.exit_code == 2, result.output
    assert "Hint:" in result.output
    assert message in result.output


def test_cli_help_lists_every_option() -> None:
    result = runner.invoke(app, ["translate", "--help"])
    assert result.exit_code == 0
    for option in (
        "--to",
        "--engine",
        "--glossary",
        "--no-glossary",
        "--beam",
        "--no-cache",
        "--out",
        "--dry-run",
    ):
        assert option in result.output
