"""The real Argos path on a tiny random-weight package: install, translate, cache, protection."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tiny_argos import build_tiny_argos_package
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.segment import segment_file
from toolkit.translate import TranslateOptions, translate_speech
from toolkit.translate.argos import (
    ArgosEngine,
    argos_environment,
    available_cores,
    batch_tokens,
    decoding_limit,
    thread_settings,
)
from toolkit.translate.models import install_file

runner = CliRunner()
SLUG = "2021-05-26-coninsx-civil-society"
# One thread: the tiny model is fastest single-threaded on a shared 2-core machine.
ARGOS = TranslateOptions(engine="argos", intra_threads=1)


@pytest.fixture(scope="session")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny real en→fr Argos package (.argosmodel)."""
    return build_tiny_argos_package(tmp_path_factory.mktemp("argos"), "en", "fr", "0.0.1")


@pytest.fixture(scope="session")
def tiny_prefixed_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An en→es package whose decoder must start with a target-prefix token."""
    return build_tiny_argos_package(
        tmp_path_factory.mktemp("argos-es"), "en", "es", "0.0.3", target_prefix="__es__"
    )


class RecordingTranslator:
    """Passes every call to the real CTranslate2 translator and records its arguments."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[list[list[str]], dict[str, Any]]] = []

    def translate_batch(self, tokens: list[list[str]], **kwargs: Any) -> Any:
        self.calls.append((tokens, kwargs))
        return self.real.translate_batch(tokens, **kwargs)


def test_cli_install_translate_and_cached_rerun(
    tiny_package: Path, tmp_path: Path, bundled_speech: Path
) -> None:
    assert runner.invoke(app, ["models", "install", str(tiny_package)]).exit_code == 0
    out = tmp_path / "out"
    args = [
        "translate",
        str(bundled_speech),
        "--to",
        "fr",
        "--engine",
        "argos",
        "--threads",
        "1",
        "--out",
        str(out),
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    path = out / SLUG / f"{SLUG}.fr.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    speech = segment_file(bundled_speech)
    ids = [s["id"] for p in data["paragraphs"] for s in p["sentences"]]
    assert ids == [s.id for s in speech.sentences()]
    assert [p["id"] for p in data["paragraphs"]] == [p.id for p in speech.paragraphs]
    for paragraph in data["paragraphs"]:
        for sentence in paragraph["sentences"]:
            prov = sentence["provenance"]
            assert prov["engine"] == "argos"
            assert (prov["model"], prov["model_version"]) == ("translate-en_fr", "0.0.1")
            assert prov["cached"] is False
            assert isinstance(prov["flags"], list)
            assert prov["signature"].startswith("engine:argos|model:translate-en_fr|version:0.0.1|")
    assert (
        data["meta"]["date"] == speech.meta.date and data["meta"]["speaker"] == speech.meta.speaker
    )
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    rerun = json.loads(path.read_text(encoding="utf-8"))
    cached = [s["provenance"]["cached"] for p in rerun["paragraphs"] for s in p["sentences"]]
    assert cached and all(cached)
    assert [s["text"] for p in rerun["paragraphs"] for s in p["sentences"]] == [
        s["text"] for p in data["paragraphs"] for s in p["sentences"]
    ]


def test_one_batched_call_with_bounded_decoding(tiny_package: Path, bundled_speech: Path) -> None:
    install_file(tiny_package)
    speech = segment_file(bundled_speech)
    engine = ArgosEngine(ARGOS)
    loaded = engine.loaded("en", "fr")
    recorder = RecordingTranslator(loaded.translator)
    loaded.translator = recorder
    options = TranslateOptions(engine="argos", intra_threads=1, use_cache=False, retry_loops=False)
    result = translate_speech(speech, "fr", options, engine=engine)
    assert len(recorder.calls) == 1 and engine.calls == 1
    tokens, kwargs = recorder.calls[0]
    lengths = [len(t) for t in tokens]
    assert lengths == sorted(lengths)
    assert len(tokens) >= len({s.text for s in speech.sentences()})
    assert kwargs["batch_type"] == "tokens" and kwargs["beam_size"] == 4
    assert kwargs["max_decoding_length"] == decoding_limit(max(lengths)) <= 256
    assert [s.id for s in result.sentences()] == [s.id for s in speech.sentences()]
    # the first cached run fills the cache; a rerun makes no engine call at all
    engine2 = ArgosEngine(ARGOS)
    filled = translate_speech(speech, "fr", ARGOS, engine=engine2)
    assert not any(s.provenance.cached for s in filled.sentences())
    calls = engine2.calls
    assert calls >= 1
    again = translate_speech(speech, "fr", ARGOS, engine=engine2)
    assert engine2.calls == calls
    assert all(s.provenance.cached for s in again.sentences())
    assert again.texts() == filled.texts()


def test_decoding_limit_is_relative_and_capped() -> None:
    assert decoding_limit(5) == 20
    assert decoding_limit(40) == 90
    assert decoding_limit(1000) == 256


@pytest.mark.parametrize(
    ("inter", "intra", "cores", "expected"),
    [
        (0, 0, 2, (2, 1)),  # the defaults: one single-threaded worker per core
        (0, 1, 2, (2, 1)),
        (0, 2, 2, (1, 2)),  # --threads 2: one worker using both cores
        (0, 3, 2, (1, 3)),
        (0, 1, 8, (8, 1)),
        (3, 2, 2, (3, 2)),  # explicit values are kept
    ],
)
def test_thread_settings(
    inter: int, intra: int, cores: int, expected: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("toolkit.translate.argos.available_cores", lambda: cores)
    options = TranslateOptions(engine="argos", inter_threads=inter, intra_threads=intra)
    assert thread_settings(options) == expected


def test_default_options_use_every_core_single_threaded() -> None:
    assert thread_settings(TranslateOptions()) == (available_cores(), 1)


@pytest.mark.parametrize(
    ("lengths", "cap", "workers", "expected"),
    [
        ([50] * 36, 2048, 2, 900 + 50),  # a short speech is split so both workers get half
        ([50] * 36, 2048, 1, 1800 + 50),  # one worker: one batch
        ([50] * 200, 2048, 2, 1667 + 50),  # 3 batches per worker, not 5 in all
        ([50] * 200, 1024, 2, 1024),  # 5 per worker, at the cap
        ([50] * 2000, 2048, 2, 2048),  # the cap holds
        ([300, 10], 64, 2, 300),  # never below the longest sentence
        ([], 1024, 2, 1024),
    ],
)
def test_batch_tokens(lengths: list[int], cap: int, workers: int, expected: int) -> None:
    assert batch_tokens(lengths, cap, workers) == expected


def test_batches_are_shared_between_workers(tiny_package: Path, bundled_speech: Path) -> None:
    install_file(tiny_package)
    engine = ArgosEngine(TranslateOptions(engine="argos", inter_threads=2, intra_threads=1))
    loaded = engine.loaded("en", "fr")
    assert loaded.translator.num_translators == 2
    recorder = RecordingTranslator(loaded.translator)
    loaded.translator = recorder
    sentences = [s.text for s in segment_file(bundled_speech).sentences()]
    outputs = engine.translate_batch(sentences, "en", "fr")
    assert len(outputs) == len(sentences) and len(recorder.calls) == 1
    tokens, kwargs = recorder.calls[0]
    total = sum(len(t) for t in tokens)
    # the speech is smaller than one 2048-token batch, yet goes out in two halves
    assert total < 2048
    assert max(len(t) for t in tokens) <= kwargs["max_batch_size"] < total


def test_protection_survives_a_real_model(tiny_package: Path) -> None:
    """Random output drops placeholders: the approved terms must still be restored."""
    install_file(tiny_package)
    engine = ArgosEngine(ARGOS)
    assert engine.encodes_cleanly("8401 8402 8409", "en", "fr")
    sentences = [
        "In accordance with the relevant Security Council resolutions, including resolution "
        "2395 (2017), CTED has engaged with civil society.",
        "Member States have much to gain from working closely with civil society organizations.",
        "Assistant Secretary-General Michèle Coninsx",
    ]
    from toolkit.translate import build_chain, load_glossary_for
    from toolkit.translate.base import translate_detailed

    options = TranslateOptions(engine="argos", intra_threads=1, use_cache=False)
    chain = build_chain(engine, options, load_glossary_for(options), ("Michèle Coninsx",))
    outcomes = translate_detailed(chain, sentences, "en", "fr")
    assert len(outcomes) == 3
    expected = [
        ["Conseil de sécurité", "2395 (2017)", "DECT", "société civile"],
        ["États Membres", "organisations de la société civile"],
        ["Sous-Secrétaire général", "Michèle Coninsx"],
    ]
    for outcome, terms in zip(outcomes, expected, strict=True):
        for term in terms:
            assert term in outcome.text, (term, outcome.text)
        assert "glossary-missing" not in outcome.flags
        assert set(outcome.flags) <= {
            "placeholder-lost",
            "placeholder-repeated",
            "length-ratio",
            "number-mismatch",
            "repetition-loop",
            "loop-retried",
            "copied-source",
        }


def test_target_prefix_is_sent_and_stripped(
    tiny_prefixed_package: Path, bundled_speech: Path
) -> None:
    install_file(tiny_prefixed_package)
    engine = ArgosEngine(ARGOS)
    loaded = engine.loaded("en", "es")
    assert loaded.package.target_prefix == "__es__"
    recorder = RecordingTranslator(loaded.translator)
    loaded.translator = recorder
    outputs = engine.translate_batch(["Thank you.", "", "The role of civil society"], "en", "es")
    assert len(outputs) == 3 and outputs[1] == ""
    tokens, kwargs = recorder.calls[0]
    assert len(tokens) == 2
    assert kwargs["target_prefix"] == [["__es__"], ["__es__"]]
    assert not any(o.startswith("__es__") for o in outputs)


def test_argos_settings_point_inside_toolkit_home(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/nonexistent-before")
    with argos_environment():
        assert os.environ["ARGOS_PACKAGES_DIR"] == str(isolated_home / "models")
        assert os.environ["XDG_DATA_HOME"].startswith(str(isolated_home))
    assert os.environ["XDG_DATA_HOME"] == "/nonexistent-before"
    import argostranslate.settings as settings  # imported by an earlier test via the engine

    assert "argos-translate" not in str(settings.package_data_dir) or "toolkit" in str(
        settings.package_data_dir
    )


def test_build_runs_argos_in_its_forked_workers(
    tiny_package: Path, tmp_path: Path, bundled_speech: Path
) -> None:
    """CTranslate2 in a build's forked worker, after this process has run it too (its thread
    pools exist here before the fork): the worker must translate, not hang or crash."""
    from toolkit.errors import ExitCode
    from toolkit.options import AudioOptions, BuildOptions, TranslateOptions
    from toolkit.pipeline.build import build
    from toolkit.pipeline.verify import verify_manifest

    install_file(tiny_package)
    translate_speech(segment_file(bundled_speech), "fr", ARGOS)  # CTranslate2 used here
    short = Path(__file__).parent / "data" / "build" / "short-statement.en.md"
    options = BuildOptions(
        targets=("fr",),
        translate=TranslateOptions(engine="argos"),
        audio=AudioOptions(tts="silent"),
        make_pdf=False,
        jobs=2,
        out=tmp_path / "out",
    )

    result = build([short], options)

    assert result.exit_code == ExitCode.OK
    fr = {r.lang: r for r in result.sources[0].languages}["fr"]
    assert fr.engine == "argos" and fr.model is not None
    assert fr.sentences == 8
    # What the bundled speech shares (the salutation, "Thank you.") comes from the cache; the
    # rest was translated by CTranslate2 in the worker.
    assert fr.cached < fr.sentences
    assert verify_manifest(tmp_path / "out" / "short-statement") == []
