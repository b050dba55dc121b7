"""render_audio: chapters, transcript timing, tags, cache, atomic writes, six real languages."""

from __future__ import annotations

import itertools
from pathlib import Path

import mutagen.mp3
import numpy as np
import pytest
import webvtt
from audio_helpers import decode, make_speech, sample_speech, translate_by_hand
from mutagen.id3 import ID3

from toolkit.document import Meta, Speech
from toolkit.errors import InputError, OptionError
from toolkit.export.audio import AudioOptions, render_audio
from toolkit.tts.base import Resolution, SpeechAudio
from toolkit.tts.silent import SilentEngine

SILENT = AudioOptions(tts="silent")


def frame_seconds(path: Path) -> float:
    info = mutagen.mp3.MP3(path).info
    return (1152 if info.sample_rate >= 32000 else 576) / info.sample_rate


def parse_vtt(path: Path) -> list[webvtt.Caption]:
    return list(webvtt.read(str(path)))


def seconds(timestamp: str) -> float:
    """webvtt-py's *_in_seconds drop the milliseconds; parse HH:MM:SS.mmm ourselves."""
    hours, minutes, rest = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def test_files_chapters_and_transcript(tmp_path: Path) -> None:
    speech = sample_speech()
    result = render_audio(speech, "en", tmp_path, SILENT)
    assert result.mp3 == tmp_path / "hand-made" / "hand-made.en.mp3"
    assert result.vtt == tmp_path / "hand-made" / "hand-made.en.vtt"
    tags = ID3(result.mp3)
    chapters = tags.getall("CHAP")
    assert len(chapters) == len(speech.paragraphs) == len(result.chapters)
    (toc,) = tags.getall("CTOC")
    assert toc.child_element_ids == [p.id for p in speech.paragraphs]
    titles = {c.element_id: c.sub_frames["TIT2"].text[0] for c in chapters}
    assert titles["p04"] == "4. CTED works with CSOs. Resolution 2395 (2017) extended…"
    assert tags["TIT2"].text == ["Hand-made statement"]
    assert tags["TPE1"].text == ["Michèle Coninsx"]
    assert tags["TLAN"].text == ["eng"]
    assert tags.version[:2] == (2, 4)

    captions = parse_vtt(result.vtt)
    assert [c.identifier for c in captions] == [s.id for s in speech.sentences()]
    assert [c.text for c in captions] == [s.text for s in speech.sentences()]  # original text
    starts = [seconds(c.start) for c in captions]
    assert starts == sorted(starts) and starts[0] == 0
    assert all(seconds(c.end) > seconds(c.start) for c in captions)
    length = mutagen.mp3.MP3(result.mp3).info.length
    assert abs(seconds(captions[-1].end) - length) <= frame_seconds(result.mp3)
    assert result.duration_s == pytest.approx(length, abs=0.001)
    # Chapters tile the audio: each starts with its paragraph's first sentence.
    assert result.chapters[0].start == 0 and result.chapters[-1].end == result.duration_s
    for chapter in result.chapters:
        first = next(c for c in result.cues if c.sentence_id.startswith(chapter.id))
        assert chapter.start == first.start


def test_pauses_between_sentences_and_paragraphs(tmp_path: Path) -> None:
    options = AudioOptions(tts="silent", sentence_pause_ms=300, paragraph_pause_ms=900)
    cues = render_audio(sample_speech(), "en", tmp_path, options).cues
    gaps = {
        (a.sentence_id, b.sentence_id): round(b.start - a.end, 3)
        for a, b in itertools.pairwise(cues)
    }
    assert gaps[("p04s01", "p04s02")] == 0.3
    # Paragraphs are separate MP3 chunks ending on frame boundaries (576 samples at
    # 22,050 Hz): their pause is the requested one within half a frame.
    half_frame = 288 / 22_050
    assert abs(gaps[("p04s02", "p05s01")] - 0.9) <= half_frame
    assert all(abs(gaps[(f"p0{i}s01", f"p0{i + 1}s01")] - 0.9) <= half_frame for i in (1, 2, 3))


def test_decoded_audio_matches_cue_sample_counts(tmp_path: Path) -> None:
    result = render_audio(sample_speech(), "en", tmp_path, AudioOptions(tts="espeak"))
    samples, rate = decode(result.mp3)
    assert len(samples) == round(result.duration_s * rate)  # the Info header trims exactly
    # Speech inside each cue, silence in the pauses between them.
    for a, b in itertools.pairwise(result.cues):
        pause = samples[round(a.end * rate) + 200 : round(b.start * rate) - 200].astype(float)
        spoken = samples[round(b.start * rate) : round(b.end * rate)].astype(float)
        assert np.sqrt(np.mean(spoken**2)) > 10 * (np.sqrt(np.mean(pause**2)) + 1)


class Recording:
    """A real engine that records what it was asked to say."""

    name = "silent"

    def __init__(self) -> None:
        self.inner = SilentEngine()
        self.texts: list[str] = []

    def voice(self, lang: str) -> str:
        return self.inner.voice(lang)

    def signature(self, lang: str) -> str:
        return self.inner.signature(lang)

    def resolve(self, lang: str) -> Resolution:
        return Resolution(self)

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        self.texts.append(text)
        return self.inner.synthesize(text, lang)

    def close(self) -> None:
        return None


def test_lexicon_feeds_the_engine_and_transcript_keeps_original(tmp_path: Path) -> None:
    engine = Recording()
    result = render_audio(sample_speech(), "en", tmp_path, engine=engine)
    assert "C-TED works with C-S-O's." in engine.texts
    assert "Resolution 23 95 of 2017 extended our mandate." in engine.texts
    vtt = result.vtt.read_text(encoding="utf-8")
    assert "CTED works with CSOs." in vtt and "C-TED" not in vtt


def test_cache_avoids_resynthesis(tmp_path: Path) -> None:
    engine = Recording()
    first = render_audio(sample_speech(), "en", tmp_path, engine=engine)
    mp3_bytes = first.mp3.read_bytes()
    assert first.synthesized == len(first.cues) and first.cached == 0 and first.encoded
    second = render_audio(sample_speech(), "en", tmp_path, engine=engine)
    assert len(engine.texts) == first.synthesized  # nothing synthesised again
    assert second.synthesized == 0 and second.cached == len(first.cues)
    assert not second.encoded and second.mp3.read_bytes() == mp3_bytes
    assert second.cues == first.cues and second.chapters == first.chapters
    # A fresh output folder is rebuilt from the cache alone, to the same bytes.
    third = render_audio(sample_speech(), "en", tmp_path / "other", engine=engine)
    assert third.encoded and third.synthesized == 0
    assert third.mp3.read_bytes() == mp3_bytes
    # One changed sentence: only it is synthesised.
    changed = make_speech(
        [(k, [s.replace("grateful", "thankful") for s in ss]) for k, ss in _paragraphs()]
    )
    fourth = render_audio(changed, "en", tmp_path, engine=engine)
    assert fourth.synthesized == 1 and engine.texts[-1] == "We are thankful."


def _paragraphs() -> list[tuple[str, list[str]]]:
    from audio_helpers import SPEECH_PARAGRAPHS

    return SPEECH_PARAGRAPHS


class Failing(Recording):
    """Raises in the middle of a reading, like a crash or Ctrl-C."""

    def __init__(self, after: int, exc: BaseException) -> None:
        super().__init__()
        self.after, self.exc = after, exc

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        if len(self.texts) >= self.after:
            raise self.exc
        return super().synthesize(text, lang)


@pytest.mark.parametrize("exc", [RuntimeError("engine crashed"), KeyboardInterrupt()])
def test_interrupted_run_leaves_previous_files_intact(tmp_path: Path, exc: BaseException) -> None:
    good = render_audio(sample_speech(), "en", tmp_path, SILENT)
    before = (good.mp3.read_bytes(), good.vtt.read_bytes())
    changed = make_speech([(k, [s + " Indeed." for s in ss]) for k, ss in _paragraphs()])
    with pytest.raises(type(exc)):
        render_audio(changed, "en", tmp_path, engine=Failing(3, exc))
    assert (good.mp3.read_bytes(), good.vtt.read_bytes()) == before
    assert sorted(p.name for p in good.mp3.parent.iterdir()) == [
        "hand-made.en.mp3",
        "hand-made.en.vtt",
    ]


def test_interrupted_first_run_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        render_audio(sample_speech(), "en", tmp_path, engine=Failing(2, RuntimeError("x")))
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_title_block_from_metadata_is_one_chapter(tmp_path: Path) -> None:
    speech = make_speech([("body", ["First point."]), ("body", ["Second point."])])
    result = render_audio(speech, "en", tmp_path, SILENT)
    assert [c.id for c in result.chapters] == ["title", "p01", "p02"]
    assert [c.sentence_id for c in result.cues][:3] == ["meta-title", "meta-speaker", "meta-role"]


def test_translation_reads_its_own_text_and_meta(tmp_path: Path) -> None:
    speech = sample_speech()
    meta = Meta(title="Dialogue virtuel", speaker="Michèle Coninsx", role="DECT")
    texts = [
        ["Dialogue virtuel sur la société civile"],
        ["Déclaration de Michèle Coninsx, Directrice exécutive, DECT"],
        ["Excellences, chers collègues,"],
        ["La DECT travaille avec les OSC.", ""],  # an unaligned sentence is skipped
        ["Le BLT a accueilli le dialogue.", "Nous sommes reconnaissants.", "Je vous remercie."],
    ]
    translated = translate_by_hand(speech, "fr", texts, meta)
    engine = Recording()
    result = render_audio(translated, "fr", tmp_path, engine=engine)
    assert result.mp3.name == "hand-made.fr.mp3"
    assert "La Dect travaille avec les O-S-C." in engine.texts
    assert len(result.cues) == sum(1 for p in texts for s in p if s)
    assert ID3(result.mp3)["TIT2"].text == ["Dialogue virtuel"]
    assert ID3(result.mp3)["TLAN"].text == ["fra"]
    with pytest.raises(InputError):
        render_audio(translated, "es", tmp_path, SILENT)


def test_bad_input_errors(tmp_path: Path) -> None:
    empty = make_speech([("body", [""])], meta=Meta())
    with pytest.raises(InputError, match="Nothing to read"):
        render_audio(empty, "en", tmp_path, SILENT)
    with pytest.raises(InputError, match="untranslated"):
        render_audio(sample_speech(), "fr", tmp_path, SILENT)
    with pytest.raises(OptionError, match="Unknown TTS engine 'festival'"):
        AudioOptions(tts="festival")


SIX = {
    "en": ["The Counter-Terrorism Committee Executive Directorate works with CSOs."],
    "fr": ["La DECT travaille avec les organisations de la société civile."],
    "es": ["La DECT trabaja con las organizaciones de la sociedad civil."],
    "ru": ["ИДКТК сотрудничает с организациями гражданского общества."],
    "ar": ["تعمل المديرية التنفيذية مع منظمات المجتمع المدني."],
    "zh": ["反恐执行局与民间社会组织合作。"],
}


@pytest.mark.parametrize("lang", list(SIX))
def test_real_espeak_reading_in_six_languages(tmp_path: Path, lang: str) -> None:
    speech = make_speech([("body", ["Source one."]), ("body", ["Source two.", "Three."])])
    sentence = SIX[lang][0]
    texts = [[sentence], [sentence, sentence[:12] + "."]]
    doc: Speech | object = (
        make_speech([("body", texts[0]), ("body", texts[1])], meta=Meta(title=sentence[:10]))
        if lang == "en"
        else translate_by_hand(speech, lang, texts, Meta(title=sentence[:10]))
    )
    result = render_audio(doc, lang, tmp_path, AudioOptions(tts="espeak"))  # type: ignore[arg-type]
    samples, _rate = decode(result.mp3)
    assert np.sqrt(np.mean(samples.astype(float) ** 2)) > 300
    chars = sum(len(s) for p in texts for s in p)
    expected = chars / (4 if lang == "zh" else 15)
    assert 0.2 * expected < result.duration_s < 3 * expected
    assert len(ID3(result.mp3).getall("CHAP")) == 3  # title block from metadata + 2 paragraphs
    captions = parse_vtt(result.vtt)
    assert len(captions) == 4 and seconds(captions[-1].end) == pytest.approx(
        mutagen.mp3.MP3(result.mp3).info.length, abs=frame_seconds(result.mp3)
    )
