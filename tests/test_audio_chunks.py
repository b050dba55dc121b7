"""Chunked MP3 assembly: valid concatenation, exact timing, and one chunk re-encoded per edit."""

from __future__ import annotations

import io
from pathlib import Path

import mutagen.mp3
import numpy as np
import pytest
import soundfile
from audio_helpers import SPEECH_PARAGRAPHS, decode, make_speech, sample_speech

from toolkit.document import Speech
from toolkit.export.audio import AudioOptions, render_audio
from toolkit.export.mp3 import (
    LAME_ENCODER_DELAY,
    assemble_mp3,
    count_frames,
    encode_frames,
    frames_for,
    main_data_begin,
    samples_per_frame,
    split_frames,
)
from toolkit.tts.base import Resolution, SpeechAudio
from toolkit.tts.cache import chunk_cache_dir

MARKER = 24_000
"""Amplitude of the click that opens every sentence."""


class Clicks:
    """A deterministic engine: each sentence is a loud 10 ms click, then a quiet hum.

    The click marks the sentence's first sample, so the decoded MP3 shows where each cue
    really starts; the hum keeps the encoder busy with real signal.
    """

    name = "clicks"

    def __init__(self, sample_rate: int = 22_050) -> None:
        self.sample_rate = sample_rate
        self.calls = 0

    def voice(self, lang: str) -> str:
        return lang

    def signature(self, lang: str) -> str:
        return f"clicks/1 rate={self.sample_rate}"

    def resolve(self, lang: str) -> Resolution:
        return Resolution(self)

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        self.calls += 1
        n = round(self.sample_rate * (0.3 + 0.05 * len(text)))
        t = np.arange(n) / self.sample_rate
        pcm = np.sin(2 * np.pi * 200 * t) * 800
        pcm[: self.sample_rate // 100] = MARKER
        return SpeechAudio(pcm.astype("<i2").tobytes(), self.sample_rate)

    def close(self) -> None:
        return None


def onset(samples: np.ndarray, around: int, window: int) -> int | None:
    """First sample near ``around`` louder than half a click, or None."""
    lo = max(0, around - window)
    loud = np.flatnonzero(np.abs(samples[lo : around + window].astype(int)) > MARKER // 2)
    return lo + int(loud[0]) if len(loud) else None


def long_speech() -> Speech:
    """Eight paragraphs of uneven lengths (so chunk boundaries fall at varied offsets)."""
    words = [f"word{i}" for i in range(12)]
    paragraphs = [("title", ["A reading in many chunks"])]
    for p in range(1, 8):
        sentences = [
            " ".join(words[: 2 + (p * 5 + s * 3) % 10]).capitalize() + "." for s in range(1 + p % 3)
        ]
        paragraphs.append(("body", sentences))
    return make_speech(paragraphs)


@pytest.mark.parametrize(
    ("sample_rate", "paragraph_ms", "bitrate"),
    [
        (22_050, 1000, 64),  # espeak-ng: MPEG-2, 576-sample frames
        (24_000, 700, 48),  # gTTS: MPEG-2
        (44_100, 1000, 64),  # MPEG-1, 1152-sample frames
        (22_050, 30, 64),  # pause too short for a chunk boundary: one chunk
    ],
)
def test_cues_land_on_the_decoded_clicks(
    tmp_path: Path, sample_rate: int, paragraph_ms: int, bitrate: int
) -> None:
    options = AudioOptions(paragraph_pause_ms=paragraph_ms, bitrate=bitrate)
    result = render_audio(long_speech(), "en", tmp_path, options, engine=Clicks(sample_rate))
    n_chunks = 1 if paragraph_ms < 100 else len(result.chapters)
    assert result.chunks_encoded == n_chunks and result.chunks_reused == 0
    samples, rate = decode(result.mp3)
    assert rate == sample_rate
    frame = samples_per_frame(rate)
    # The decoded length is the reported duration (gapless trimming from the Info frame).
    assert abs(len(samples) - result.duration_s * rate) <= frame
    assert len(samples) == round(result.duration_s * rate)
    info = mutagen.mp3.MP3(result.mp3).info
    assert info is not None and info.length == pytest.approx(result.duration_s, abs=1e-3)
    # Every sentence's click is where its cue says, to a few samples (MP3 pre-echo).
    tolerance = round(0.001 * rate)
    for cue in result.cues:
        expected = round(cue.start * rate)
        found = onset(samples, expected, frame)
        assert found is not None, cue.sentence_id
        assert abs(found - expected) <= tolerance, (cue.sentence_id, found - expected)
    # Chapters start at their first cue; paragraph pauses are the requested ones within
    # half a frame when chunked (exact in one chunk), sentence pauses exact.
    for chapter, nxt in zip(result.chapters, result.chapters[1:], strict=False):
        last = [c for c in result.cues if c.start < nxt.start][-1]
        pause = nxt.start - last.end
        slack = frame / 2 / rate if n_chunks > 1 else 1 / rate
        assert abs(pause - paragraph_ms / 1000) <= slack + 1e-9, chapter.id
    # Silence in the pauses (but the pre-echo of the next click): no noise from boundaries.
    for a, b in zip(result.cues, result.cues[1:], strict=False):
        gap = samples[round(a.end * rate) + frame : round(b.start * rate) - 2 * frame].astype(int)
        assert np.abs(gap).max(initial=0) < 200, (a.sentence_id, np.abs(gap).max())


def test_concatenated_chunks_are_valid_mp3(tmp_path: Path) -> None:
    rate = 22_050
    rng = np.random.default_rng(7)
    chunks, sizes = [], [1, 575, 576, 577, 5000, 22_050]
    for n in sizes:
        pcm = (rng.standard_normal(n) * 4000).astype("<i2").tobytes()
        data = encode_frames(pcm, rate, 64, 5)
        offsets = split_frames(data)
        assert len(offsets) == frames_for(n, rate)
        # A fresh encoder has an empty bit reservoir: the chunk needs nothing before it.
        assert main_data_begin(data[:6]) == 0
        chunks.append(data)
    total = sum(frames_for(n, rate) for n in sizes[:-1]) * 576 + sizes[-1]
    path = tmp_path / "joined.mp3"
    path.write_bytes(assemble_mp3(chunks, total))
    data, decoded_rate = soundfile.read(io.BytesIO(path.read_bytes()), dtype="int16")
    assert decoded_rate == rate and len(data) == total
    info = mutagen.mp3.MP3(path).info
    assert info is not None
    assert info.length == pytest.approx(total / rate, abs=1e-6)
    assert info.encoder_info.startswith("LAME 3.100")
    # The Info frame's delay is the first chunk's; the padding trims only the last chunk.
    lame = path.read_bytes()
    at = lame.index(b"LAME3.100") + 21
    delay_padding = int.from_bytes(lame[at : at + 3], "big")
    frames = sum(len(split_frames(c)) for c in chunks)
    assert delay_padding >> 12 == LAME_ENCODER_DELAY
    assert delay_padding & 0xFFF == frames * 576 - LAME_ENCODER_DELAY - total


def _edited() -> Speech:
    return make_speech(
        [(k, [s.replace("grateful", "thankful") for s in ss]) for k, ss in SPEECH_PARAGRAPHS]
    )


def test_an_edit_reencodes_only_its_chunk(tmp_path: Path) -> None:
    engine = Clicks()
    first = render_audio(sample_speech(), "en", tmp_path / "a", engine=engine)
    assert first.encoded and first.chunks_encoded == len(first.chapters) == 5
    # An empty output folder (what the build does) is reassembled from cached chunks only.
    again = render_audio(sample_speech(), "en", tmp_path / "b", engine=engine)
    assert again.encoded and again.synthesized == 0
    assert (again.chunks_encoded, again.chunks_reused) == (0, 5)
    assert again.mp3.read_bytes() == first.mp3.read_bytes()
    # Output in place: nothing encoded, nothing reassembled.
    same = render_audio(sample_speech(), "en", tmp_path / "a", engine=engine)
    assert not same.encoded and (same.chunks_encoded, same.chunks_reused) == (0, 0)
    # One sentence of p05 edited: p05's chunk alone is synthesised and encoded ...
    edited = render_audio(_edited(), "en", tmp_path / "a", engine=engine)
    assert edited.synthesized == 1 and edited.encoded
    assert (edited.chunks_encoded, edited.chunks_reused) == (1, 4)
    # ... and the file is byte for byte what a full encode without any cache gives.
    full = render_audio(
        _edited(),
        "en",
        tmp_path / "c",
        AudioOptions(use_cache=False),
        engine=engine,
    )
    assert full.chunks_encoded == 5
    assert full.mp3.read_bytes() == edited.mp3.read_bytes()
    assert full.cues == edited.cues and full.chapters == edited.chapters


def test_a_damaged_chunk_is_encoded_again(tmp_path: Path) -> None:
    engine = Clicks()
    first = render_audio(sample_speech(), "en", tmp_path / "a", engine=engine)
    entries = sorted(chunk_cache_dir().rglob("*.mp3"))
    assert len(entries) == 5
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    entries[1].write_bytes(b"not an mp3 at all")
    second = render_audio(sample_speech(), "en", tmp_path / "b", engine=engine)
    assert (second.chunks_encoded, second.chunks_reused) == (2, 3)
    assert second.mp3.read_bytes() == first.mp3.read_bytes()


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"ID3\x04\x00\x00\x00\x00", "no frame sync"),
        (b"\xff\xf3\xf4\x44" + bytes(100), "bitrate index 15 is reserved"),
        (b"\xff\xf3\x04\x44" + bytes(100), "bitrate 0 (free format): a zero-length frame"),
        (b"\xff\xeb\x84\x44" + bytes(100), "MPEG version 1 is reserved"),
    ],
)
def test_damaged_frame_data_is_refused_not_misread(data: bytes, why: str):
    # A damaged chunk-cache entry must count as missing (ValueError), never loop or crash.
    with pytest.raises(ValueError):
        count_frames(data)
