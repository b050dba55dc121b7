"""gTTS's real code path against `responses`: chunking, 429 backoff, connection failure, auto."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses
from audio_helpers import GTTS_URL, PROBE_URL, gtts_body, gtts_callback, sample_speech, tone_mp3
from test_tts_engines import LONG_ARABIC, LONG_CHINESE

from toolkit.errors import NetworkError
from toolkit.export.audio import AudioOptions, render_audio
from toolkit.tts.auto import AutoEngine
from toolkit.tts.gtts_engine import GttsEngine


def make_engine(sleeps: list[float], **options: object) -> GttsEngine:
    return GttsEngine(sleep=sleeps.append, min_interval=0.0, **options)  # type: ignore[arg-type]


@responses.activate
@pytest.mark.parametrize(("lang", "text"), [("ar", LONG_ARABIC), ("zh", LONG_CHINESE)])
def test_long_sentences_are_split_at_punctuation(lang: str, text: str) -> None:
    seen: list[str] = []
    responses.add_callback(responses.POST, GTTS_URL, callback=gtts_callback(seen))
    audio = make_engine([]).synthesize(text, lang)
    assert len(seen) >= 2
    assert all(len(piece) <= 100 and piece[-1] in "،؛؟.，；。" for piece in seen)
    assert "".join(seen).replace(" ", "") == text.replace(" ", "")
    assert audio.sample_rate == 24_000
    assert audio.duration == pytest.approx(sum(max(0.2, len(t) / 15) for t in seen), abs=0.01)


@responses.activate
def test_zh_is_sent_as_zh_cn() -> None:
    responses.add(responses.POST, GTTS_URL, body=gtts_body(tone_mp3(0.5)))
    make_engine([]).synthesize("谢谢。", "zh")
    assert "zh-CN" in responses.calls[0].request.body


@responses.activate
def test_429_backs_off_with_jitter_then_succeeds() -> None:
    seen: list[str] = []
    responses.add(responses.POST, GTTS_URL, status=429)
    responses.add(responses.POST, GTTS_URL, status=429)
    responses.add_callback(responses.POST, GTTS_URL, callback=gtts_callback(seen))
    sleeps: list[float] = []
    engine = make_engine(sleeps, backoff=2.0)
    audio = engine.synthesize("Thank you.", "en")
    assert seen == ["Thank you."] and audio.duration > 0
    assert engine.requests == 3
    assert len(sleeps) == 2
    assert 1.0 <= sleeps[0] <= 2.0 and 2.0 <= sleeps[1] <= 4.0  # base/2 + jitter, doubling


@responses.activate
def test_429_is_retried_a_bounded_number_of_times() -> None:
    responses.add(responses.POST, GTTS_URL, status=429)
    engine = make_engine([], max_retries=3)
    with pytest.raises(NetworkError) as info:
        engine.synthesize("Thank you.", "en")
    assert engine.requests == 4
    assert "429" in info.value.message and "--tts espeak" in info.value.hint


@responses.activate
def test_requests_are_throttled() -> None:
    responses.add(responses.POST, GTTS_URL, body=gtts_body(tone_mp3(0.3)))
    sleeps: list[float] = []
    engine = GttsEngine(sleep=sleeps.append, min_interval=0.5, clock=lambda: 100.0)
    engine.synthesize("One.", "en")
    engine.synthesize("Two.", "en")
    assert sleeps == [0.5]


@responses.activate
def test_connection_failure_is_a_network_error_with_hint() -> None:
    responses.add(responses.POST, GTTS_URL, body=requests.ConnectionError("offline"))
    with pytest.raises(NetworkError) as info:
        make_engine([]).synthesize("Thank you.", "en")
    assert "Cannot reach" in info.value.message
    assert "--tts espeak" in info.value.hint


@responses.activate
def test_auto_uses_gtts_when_reachable(tmp_path: Path) -> None:
    seen: list[str] = []
    responses.add(responses.HEAD, PROBE_URL, status=200)
    responses.add_callback(responses.POST, GTTS_URL, callback=gtts_callback(seen))
    result = render_audio(sample_speech(), "en", tmp_path, AudioOptions(tts="auto"))
    assert result.engine == "gtts" and result.fallback_reason is None
    assert result.voice == "en" and len(seen) == len(result.cues)
    assert "C-TED" in " ".join(seen)  # the lexicon's spoken form went to the service
    assert sum(1 for c in responses.calls if c.request.method == "HEAD") == 1


@responses.activate
def test_auto_falls_back_to_espeak_when_offline(tmp_path: Path) -> None:
    responses.add(responses.HEAD, PROBE_URL, body=requests.ConnectionError("no route"))
    engine = AutoEngine()
    try:
        results = [render_audio(sample_speech(), "en", tmp_path, engine=engine) for _ in range(2)]
    finally:
        engine.close()
    for result in results:
        assert result.engine == "espeak"
        assert "not reachable" in (result.fallback_reason or "")
        assert "espeak" in (result.fallback_reason or "")
    assert len(responses.calls) == 1  # probed once per run, not per language or sentence
    assert results[1].synthesized == 0


@responses.activate
def test_auto_falls_back_when_gtts_fails_mid_reading(tmp_path: Path) -> None:
    responses.add(responses.HEAD, PROBE_URL, status=200)
    responses.add(responses.POST, GTTS_URL, body=gtts_body(tone_mp3(0.5)))
    responses.add(responses.POST, GTTS_URL, body=requests.ConnectionError("dropped"))
    result = render_audio(sample_speech(), "en", tmp_path, AudioOptions(tts="auto"))
    assert result.engine == "espeak"
    assert "failed during the reading" in (result.fallback_reason or "")


@responses.activate
def test_gtts_render_never_leaves_a_partial_mp3(tmp_path: Path) -> None:
    responses.add(responses.POST, GTTS_URL, body=requests.ConnectionError("offline"))
    with pytest.raises(NetworkError):
        render_audio(sample_speech(), "en", tmp_path, AudioOptions(tts="gtts"))
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
