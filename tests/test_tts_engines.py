"""TTS engines: real espeak-ng in six languages, the silent engine, registry, lexicons, chunking."""

from __future__ import annotations

import numpy as np
import pytest

from toolkit.errors import DependencyError, InputError
from toolkit.tts import create_engine
from toolkit.tts.espeak_engine import EspeakEngine
from toolkit.tts.gtts_engine import GTTS_MAX_CHARS, split_for_gtts
from toolkit.tts.lexicon import bundled_lexicon, parse_lexicon

SENTENCES = {
    "en": "CTED has engaged with civil society organizations for many years.",
    "fr": "La DECT collabore depuis de nombreuses années avec la société civile.",
    "es": "La DECT colabora desde hace muchos años con la sociedad civil.",
    "ru": "ИДКТК уже много лет взаимодействует с гражданским обществом.",
    "ar": "تتواصل المديرية التنفيذية مع المجتمع المدني منذ سنوات عديدة.",
    "zh": "反恐执行局多年来一直与民间社会进行接触。",
}


@pytest.fixture(scope="module")
def espeak() -> EspeakEngine:
    engine = EspeakEngine()
    yield engine
    engine.close()


@pytest.mark.parametrize("lang", list(SENTENCES))
def test_espeak_speaks_every_language(espeak: EspeakEngine, lang: str) -> None:
    text = SENTENCES[lang]
    audio = espeak.synthesize(text, lang)
    samples = np.frombuffer(audio.pcm, "<i2").astype(np.float64)
    assert audio.sample_rate == 22_050
    assert np.sqrt(np.mean(samples**2)) > 500, "audio is (nearly) silent"
    # Chinese packs about four times more speech into a character than the other scripts.
    chars_per_second = 4 if lang == "zh" else 15
    expected = len(text) / chars_per_second
    assert 0.2 * expected < audio.duration < 3 * expected


def test_espeak_voices_map_zh_to_cmn(espeak: EspeakEngine) -> None:
    assert [espeak.voice(lang) for lang in SENTENCES] == ["en", "fr", "es", "ru", "ar", "cmn"]
    assert "voice:cmn" in espeak.signature("zh")


def test_espeak_rate_changes_duration_and_signature() -> None:
    slow, fast = EspeakEngine(rate=0.75), EspeakEngine(rate=1.5)
    try:
        text = SENTENCES["en"]
        assert slow.synthesize(text, "en").duration > 1.5 * fast.synthesize(text, "en").duration
        assert slow.signature("en") != fast.signature("en")
    finally:
        slow.close()
        fast.close()


def test_a_worker_interrupted_mid_reply_closes_without_being_killed() -> None:
    """After Ctrl-C the engine closes a worker whose reply it will never read: the worker
    must see a broken pipe and exit, not block on a full pipe until it is killed."""
    import signal

    from toolkit.tts.espeak_engine import REQUEST, EspeakWorker

    worker = EspeakWorker("en")
    # ~30 s of audio: about 1.3 MB of reply, far more than a pipe holds, yet synthesised in a
    # fraction of the 2 s that close() waits before killing.
    payload = ("A long sentence that nobody will listen to. " * 10).encode()
    stdin = worker.process.stdin
    assert stdin is not None
    stdin.write(REQUEST.pack(175, len(payload)) + payload)
    stdin.flush()

    worker.close()

    assert worker.process.returncode != -signal.SIGKILL


def test_missing_voice_is_a_dependency_error() -> None:
    engine = EspeakEngine(voices={"fr": "no-such-voice"})
    with pytest.raises(DependencyError) as info:
        engine.resolve("fr")
    assert "no-such-voice" in info.value.message
    assert "--tts gtts" in info.value.hint


@pytest.mark.parametrize("name", ["silent", "espeak", "gtts"])
@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_text_is_an_input_error(name: str, text: str) -> None:
    engine = create_engine(name)
    try:
        with pytest.raises(InputError):
            engine.synthesize(text, "en")
    finally:
        engine.close()


def test_registry_rejects_unknown_engine_and_bad_rate() -> None:
    with pytest.raises(InputError):
        create_engine("festival")
    with pytest.raises(InputError):
        create_engine("silent", rate=9)


def test_silent_engine_is_deterministic_and_proportional() -> None:
    engine = create_engine("silent")
    short, long = engine.synthesize("a" * 20, "fr"), engine.synthesize("a" * 40, "fr")
    assert short == engine.synthesize("a" * 20, "fr")
    assert long.n_samples == 2 * short.n_samples
    assert set(short.pcm) == {0}


LEXICON_CASES = [
    ("en", "CTED’s work with CSOs", "C-TED’s work with C-S-O's"),
    ("en", "resolution 2395 (2017)", "resolution 23 95 of 2017"),
    (
        "en",
        "Council resolution 1624 (2005), its seminal resolution",
        "Council resolution 16 24 of 2005, its seminal resolution",
    ),
    ("en", "UNOCT/Kingdom of Spain", "U-N-O-C-T, Kingdom of Spain"),
    ("en", "CTEDS and ACSOs stay", "CTEDS and ACSOs stay"),
    (
        "fr",
        "la résolution 2395 (2017) de la DECT et les OSC",
        "la résolution 2395 de 2017 de la Dect et les O-S-C",
    ),
    ("es", "la resolución 2395 (2017) de la DECT", "la resolución 2395 de 2017 de la Dect"),
    (
        "ru",
        "резолюции 2395 (2017) ИДКТК и ОГО",
        "резолюции 2395 от 2017 года и-дэ-ка-тэ-ка и о-гэ-о",
    ),
    (
        "ar",
        "القرار 2395 (2017)، مع CTED",
        "القرار 2395 لعام 2017، مع المديرية التنفيذية للجنة مكافحة الإرهاب",
    ),
    ("zh", "包括第2395（2017）号决议，CTED", "包括2017年第2395号决议，反恐执行局"),
]


@pytest.mark.parametrize(("lang", "written", "spoken"), LEXICON_CASES)
def test_bundled_lexicons(lang: str, written: str, spoken: str) -> None:
    assert bundled_lexicon(lang).apply(written) == spoken


@pytest.mark.parametrize("lang", list(SENTENCES))
def test_every_language_ships_the_speech_terms(lang: str) -> None:
    spoken = bundled_lexicon(lang).apply("CTED UNOCT CSOs")
    assert "CTED" not in spoken and "UNOCT" not in spoken and "CSOs" not in spoken


def test_lexicon_errors_name_the_line() -> None:
    with pytest.raises(InputError, match=":2:"):
        parse_lexicon("# ok\nno tab here\n", "en")
    with pytest.raises(InputError, match="regular expression"):
        parse_lexicon("re:(unclosed\tx\n", "en")


LONG_ARABIC = (
    "ويجب علينا أيضاً أن ندرك أن منظمات المجتمع المدني النسائية معرضة بشكل خاص لخطر القمع؛ "
    "وهي تواجه تحديات خاصة في هذا المجال، ولا سيما في السياقات الهشة؟ "
    "ولذلك فإننا نعمل معها عن كثب، ونشجع الدول على حمايتها."
)
LONG_CHINESE = (
    "我们必须尽一切努力，帮助确保包括民间社会组织在内的所有相关行为体都能够在充分尊重人身安全权、"
    "言论自由权和结社自由权的情况下开展活动；我们还必须认识到，妇女民间社会组织已被证明特别容易"
    "受到压制，并在这一领域面临特殊挑战。"
)


@pytest.mark.parametrize("text", [LONG_ARABIC, LONG_CHINESE, " ".join([SENTENCES["en"]] * 4)])
def test_split_for_gtts_never_cuts_a_word(text: str) -> None:
    pieces = split_for_gtts(text)
    assert len(pieces) > 1
    assert all(0 < len(piece) <= GTTS_MAX_CHARS for piece in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    for piece in pieces[:-1]:  # every cut falls after punctuation, never inside a word
        assert piece[-1] in ".,;:!?،؛؟。，；、："
