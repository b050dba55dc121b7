"""The translation memory: normalised exact matches, fuzzy scores, the engine in the chain."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from toolkit.export.xliff import XLIFF20_NS, export_xliff
from toolkit.pipeline import load_speech
from toolkit.translate import TranslateOptions, translate_speech
from toolkit.translate.base import TranslationEngine, translate_detailed
from toolkit.translate.fake import FakeEngine
from toolkit.translate.tm import (
    MemoryEngine,
    MemoryOnlyEngine,
    MemoryUnit,
    TranslationMemory,
    default_memory_path,
    normalise,
)

NS = {"x": XLIFF20_NS}
SOURCE = "The Security Council adopted resolution 2395 (2017) unanimously."
TARGET = "Le Conseil de sécurité a adopté la résolution 2395 (2017) à l'unanimité."


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Thank you,  Mr. President.", "Thank you, Mr. President."),
        ("Thank you,\u00a0Mr. President. ", " Thank you, Mr. President."),
        ("the “whole-of-society” approach", 'the "whole-of-society" approach'),
        ("CTED’s work", "CTED's work"),
        ("2017–2021 — a period", "2017-2021 - a period"),
        ("« Les droits »", '"Les droits"'),
        ("e\u0301te\u0301", "\u00e9t\u00e9"),  # NFD and NFC spell the same word
    ],
)
def test_normalise_makes_these_equal(a: str, b: str):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Thank you, Mr. President.", "Thank you, Madam President."),
        ("thank you.", "Thank you."),  # case is meaning (names, acronyms): not folded
        ("resolution 2395", "resolution 2396"),
    ],
)
def test_normalise_keeps_these_apart(a: str, b: str):
    assert normalise(a) != normalise(b)


@pytest.fixture
def memory(tmp_path: Path) -> TranslationMemory:
    tm = TranslationMemory(tmp_path / "tm.sqlite3")
    tm.add(
        [
            MemoryUnit("en", "fr", SOURCE, TARGET, "speech-a:p03s01"),
            MemoryUnit("en", "fr-FR", "Thank you, Mr. President.", "Merci, Monsieur le Président."),
            MemoryUnit("en", "es", SOURCE, "El Consejo de Seguridad aprobó la resolución."),
        ]
    )
    return tm


def test_exact_match_ignores_whitespace_and_quotes(memory: TranslationMemory):
    hits = memory.exact(["Thank you,  Mr.\u00a0President. ", SOURCE, "Unknown."], "en", "fr")
    assert [h.target if h else None for h in hits] == [
        "Merci, Monsieur le Président.",
        TARGET,
        None,
    ]
    assert hits[1] is not None and hits[1].origin == "speech-a:p03s01" and hits[1].exact


def test_pairs_are_kept_apart(memory: TranslationMemory):
    assert memory.exact([SOURCE], "en", "ru") == [None]
    assert memory.count("en", "fr") == 2 and memory.count("en", "es") == 1


def test_duplicates_are_stored_once_and_the_fingerprint_follows_additions(
    memory: TranslationMemory,
):
    before = memory.fingerprint("en", "fr")
    assert memory.add([MemoryUnit("en", "fr", SOURCE, TARGET)]) == 0
    assert memory.fingerprint("en", "fr") == before
    assert memory.add([MemoryUnit("en", "fr", "New sentence.", "Nouvelle phrase.")]) == 1
    assert memory.fingerprint("en", "fr") != before
    assert memory.fingerprint("en", "ru") is None


def test_fuzzy_match_scores_and_threshold(memory: TranslationMemory):
    near = "The Security Council adopted resolution 2396 (2018) unanimously."
    match = memory.fuzzy(near, "en", "fr")
    assert match is not None and match.target == TARGET
    assert 0.9 < match.score < 1.0 and not match.exact
    assert memory.fuzzy("Terrorism thrives on exclusion.", "en", "fr") is None
    assert memory.fuzzy(near, "en", "fr", threshold=0.99) is None
    assert memory.fuzzy(SOURCE, "en", "fr").score == 1.0  # type: ignore[union-attr]


def test_missing_memory_is_never_created_by_a_lookup(tmp_path: Path):
    tm = TranslationMemory(tmp_path / "none.sqlite3")
    assert tm.exact(["x"], "en", "fr") == [None]
    assert tm.fuzzy("x", "en", "fr") is None
    assert not tm.path.exists()


def test_memory_engine_serves_hits_and_sends_only_misses(memory: TranslationMemory):
    fake = FakeEngine()
    engine = MemoryEngine(fake, memory)
    outcomes = translate_detailed(engine, [SOURCE, "Something new."], "en", "fr")
    assert [o.text for o in outcomes] == [TARGET, "[fr] Something new."]
    assert fake.calls[0][0] == ("Something new.",)  # the hit never reached the engine
    assert outcomes[0].info.engine == "tm"  # type: ignore[attr-defined]


def test_memory_only_engine_leaves_misses_empty_and_flagged(memory: TranslationMemory):
    engine = MemoryOnlyEngine(memory=memory)
    assert isinstance(engine, TranslationEngine)
    assert engine.info("en", "fr").engine == "tm"
    outcomes = translate_detailed(engine, [SOURCE, "Something new."], "en", "fr")
    assert outcomes[0].text == TARGET
    assert outcomes[1].text == "" and "no-tm-match" in outcomes[1].flags


@pytest.fixture
def speech_with_repeats(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    path = folder / "2024-01-01-repeats.en.md"
    path.write_text(
        "**Statement on resolution 2395**\n\n"
        f"{SOURCE}\n\n"
        "The Security Council adopted resolution 2396 (2018) unanimously.\n\n"
        "Terrorism thrives on exclusion.\n",
        encoding="utf-8",
    )
    return path


def _home_memory(*units: MemoryUnit) -> TranslationMemory:
    tm = TranslationMemory(default_memory_path())
    tm.add(units)
    return tm


def test_translation_uses_exact_matches_and_never_fuzzy_ones(speech_with_repeats: Path):
    _home_memory(MemoryUnit("en", "fr", SOURCE, TARGET, "speech-a:p03s01"))
    speech = load_speech(speech_with_repeats)
    translated = translate_speech(speech, "fr", TranslateOptions(engine="fake"))
    by_text = {s.source: s for s in translated.sentences()}
    exact = by_text[SOURCE]
    assert exact.text == TARGET and exact.provenance.engine == "tm"
    fuzzy = by_text["The Security Council adopted resolution 2396 (2018) unanimously."]
    assert fuzzy.provenance.engine == "fake" and fuzzy.text.startswith("[fr] ")


def test_use_memory_false_ignores_the_memory(speech_with_repeats: Path):
    _home_memory(MemoryUnit("en", "fr", SOURCE, TARGET))
    speech = load_speech(speech_with_repeats)
    options = TranslateOptions(engine="fake", use_memory=False)
    assert {s.provenance.engine for s in translate_speech(speech, "fr", options).sentences()} == {
        "fake"
    }


def test_fuzzy_match_is_offered_in_xliff_with_its_score(speech_with_repeats: Path, tmp_path):
    tm = _home_memory(MemoryUnit("en", "fr", SOURCE, TARGET, "speech-a:p03s01"))
    speech = load_speech(speech_with_repeats)
    translated = translate_speech(speech, "fr", TranslateOptions(engine="fake"))
    out = tmp_path / "fr.xlf"
    units = export_xliff(translated, out, memory=tm)
    offered = [u for u in units if u.fuzzy is not None]
    assert len(offered) == 1
    unit = offered[0]
    assert unit.target == TARGET and unit.state == "initial"  # offered, not confirmed
    assert unit.machine_text and unit.machine_text.startswith("[fr] ")
    root = etree.parse(str(out)).getroot()
    element = root.find(f".//x:unit[@id='{unit.id}']", NS)
    note = element.find("x:notes/x:note[@category='tm-fuzzy']", NS)
    assert f"{unit.fuzzy.percent}% fuzzy match" in note.text  # type: ignore[union-attr]
    assert element.find("x:segment", NS).get("state") == "initial"
    # the exact match is exported as translated, with the memory as its provenance
    exact = next(u for u in units if u.source == SOURCE)
    assert exact.state == "translated" and exact.fuzzy is None


def test_a_memory_import_for_one_language_rebuilds_only_that_language(tmp_path: Path):
    from toolkit.options import BuildOptions
    from toolkit.pipeline.build import build

    repo = Path(__file__).resolve().parent.parent
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(repo / "tests" / "data" / "build" / "short-statement.en.md", folder)
    options = BuildOptions(
        targets=("es", "ru"),
        translate=TranslateOptions(engine="fake"),
        out=tmp_path / "out",
        jobs=1,
        make_audio=False,
    )
    source = folder / "short-statement.en.md"
    build([source], options)
    pack = tmp_path / "out" / "short-statement"
    before = {p.name: p.read_bytes() for p in pack.iterdir()}
    _home_memory(MemoryUnit("en", "es", "Thank you.", "Gracias."))
    build([source], options)
    after = {p.name: p.read_bytes() for p in pack.iterdir()}
    rewritten = {name for name in before if before[name] != after[name]}
    assert rewritten == {
        "short-statement.es.json",
        "short-statement.en-es.pdf",
        "short-statement.es.html",
        "short-statement.es.epub",
        "manifest.json",
    }
    assert '"engine": "tm"' in after["short-statement.es.json"].decode()
