"""From sample counts to cues, chapters and MP3 frames: the chunked, cached encoding.

Each paragraph block (its sentences and the pause after it) is one MP3 chunk that ends on a
frame boundary, cached under its sentences' audio keys, so an edit re-encodes only the
paragraph it touched; cue and chapter times are exact to the sample.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from toolkit import __version__
from toolkit.document import Cue, Meta, Speech, TranslatedSpeech
from toolkit.errors import DependencyError, OutputError
from toolkit.export.audio.plan import AudioResult, Chapter, _Block, _chapter_title
from toolkit.export.audio.tags import _existing_render_key, _id3, webvtt
from toolkit.export.paths import audio_path, transcript_path, write_bytes_atomic, write_text_atomic
from toolkit.options import AudioOptions
from toolkit.tts.base import Resolution, SpeechAudio
from toolkit.tts.cache import ChunkCache, SpeechCache


@dataclass(frozen=True)
class _Chunk:
    """One independently encoded piece of the MP3: whole paragraph blocks and a pause."""

    items: tuple[tuple[int, str], ...]
    """(silence samples before, sentence cache key) in order; the first gap is 0."""
    speech: int
    """Samples from the first sentence's start to the last sentence's end."""
    tail: int
    """Silence samples appended after the last sentence (0 for the file's last chunk)."""
    frames: int
    """MP3 frames the chunk encodes to (:func:`toolkit.export.mp3.frames_for`)."""
    key: str
    """Chunk cache key: a hash of everything that determines its bytes."""


CHUNK_FORMAT = "chunk-v1"
"""Bump when the way chunks are cut or encoded changes (invalidates cached chunks)."""


@functools.cache
def _lameenc_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lameenc")
    except PackageNotFoundError:  # pragma: no cover - an unusual install
        return "unknown"


def _chunks(
    groups: list[list[tuple[int, str]]],
    lengths: list[list[int]],
    rate: int,
    paragraph_gap: int,
    options: AudioOptions,
) -> list[_Chunk]:
    """Cut the reading into chunks and size each one so it ends on an MP3 frame boundary.

    A chunk of ``s`` speech samples spans ``frames * frame`` samples of the decoded file; the
    rest (encoder delay, end padding and the appended tail) is the pause before the next
    chunk. We pick the frame count nearest to ``s + paragraph_gap``, so a paragraph pause is
    the requested one within half a frame (±13 ms at 22,050 Hz); sentence pauses inside a
    chunk stay exact.
    """
    from toolkit.export.mp3 import LAME_FLUSH_SAMPLES, frames_for, samples_per_frame

    frame = samples_per_frame(rate)
    out = []
    for i, (items, sizes) in enumerate(zip(groups, lengths, strict=True)):
        speech = sum(g for g, _ in items) + sum(sizes)
        if i + 1 < len(groups):
            frames = max(frames_for(speech, rate), (speech + paragraph_gap + frame // 2) // frame)
            tail = frames * frame - LAME_FLUSH_SAMPLES - speech
        else:
            frames, tail = frames_for(speech, rate), 0
        key = hashlib.sha256(
            json.dumps(
                [
                    CHUNK_FORMAT,
                    __version__,
                    _lameenc_version(),
                    rate,
                    options.bitrate,
                    options.quality,
                    items,
                    tail,
                ]
            ).encode()
        ).hexdigest()
        out.append(_Chunk(tuple(items), speech, tail, frames, key))
    return out


def _assemble(
    doc: Speech | TranslatedSpeech,
    meta: Meta,
    lang: str,
    out: Path,
    options: AudioOptions,
    blocks: list[_Block],
    resolution: Resolution,
    found: dict[str, SpeechAudio | tuple[int, int]],
    keys: list[str],
    counts: tuple[int, int],
) -> AudioResult:
    from toolkit.export.mp3 import LAME_FLUSH_SAMPLES, samples_per_frame
    from toolkit.tts.pcm import silence

    engine = resolution.engine
    first = found[keys[0]]
    rate = first.sample_rate if isinstance(first, SpeechAudio) else first[1]
    frame = samples_per_frame(rate)

    def length(entry: SpeechAudio | tuple[int, int]) -> int:
        n, sr = (entry.n_samples, entry.sample_rate) if isinstance(entry, SpeechAudio) else entry
        return n if sr == rate else round(n * rate / sr)

    sentence_gap = len(silence(options.sentence_pause_ms, rate)) // 2
    paragraph_gap = len(silence(options.paragraph_pause_ms, rate)) // 2
    # One chunk per paragraph block, so an edit re-encodes one paragraph. A paragraph pause
    # shorter than a chunk's own encoder delay and padding cannot hold a boundary: then the
    # reading is one chunk, with every pause exact.
    per_block = paragraph_gap >= LAME_FLUSH_SAMPLES + frame
    groups: list[list[tuple[int, str]]] = [[]]
    lengths: list[list[int]] = [[]]
    index = 0
    for b, block in enumerate(blocks):
        if per_block and b > 0:
            groups.append([])
            lengths.append([])
        for s in range(len(block.utterances)):
            # No silence before a chunk's first sentence: the previous chunk holds the pause.
            gap = (paragraph_gap if s == 0 else sentence_gap) if groups[-1] else 0
            groups[-1].append((gap, keys[index]))
            lengths[-1].append(length(found[keys[index]]))
            index += 1
    chunks = _chunks(groups, lengths, rate, paragraph_gap, options)

    # Positions in the decoded file: a chunk starting at frame F puts its sample j at
    # F * frame + j (see toolkit.export.mp3), so every cue is exact to the sample.
    cues: list[Cue] = []
    starts: list[int] = []
    utterances = [(s == 0, u) for block in blocks for s, u in enumerate(block.utterances)]
    chunk_frame = 0
    index = 0
    total = 0
    for chunk, sizes in zip(chunks, lengths, strict=True):
        position = chunk_frame * frame
        for (gap, _key), n in zip(chunk.items, sizes, strict=True):
            position += gap
            opens_paragraph, utterance = utterances[index]
            index += 1
            if opens_paragraph:
                starts.append(position)
            cues.append(
                Cue(utterance.sentence_id, position / rate, (position + n) / rate, utterance.text)
            )
            position += n
        total = position
        chunk_frame += chunk.frames
    duration = total / rate
    chapters = tuple(
        Chapter(
            block.id,
            _chapter_title(block, lang),
            starts[i] / rate,
            (starts[i + 1] if i + 1 < len(blocks) else total) / rate,
        )
        for i, block in enumerate(blocks)
    )
    signature = engine.signature(lang)
    voice = engine.voice(lang)
    provenance = f"Read by {signature}."
    if resolution.fallback_reason:
        provenance += f" Fallback: {resolution.fallback_reason}."
    if isinstance(doc, TranslatedSpeech):
        provenance += f" Translation: {doc.engine}."
        if doc.notice:
            provenance += f" {doc.notice}"
    render_key = hashlib.sha256(
        json.dumps(
            [
                __version__,
                signature,
                [c.key for c in chunks],
                [c.title for c in chapters],
                meta.title,
                meta.speaker,
                provenance,
            ],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    slug = doc.slug
    mp3 = audio_path(out, slug, lang)
    vtt = transcript_path(out, slug, lang)
    encoded = _existing_render_key(mp3) != render_key
    chunk_counts = (0, 0)
    if encoded:
        frames_data, chunk_counts = _encode_chunks(chunks, rate, engine.name, found, options)
        from toolkit.export.mp3 import assemble_mp3

        tags = _id3(meta, lang, chapters, signature, render_key, provenance)
        write_bytes_atomic(mp3, tags + assemble_mp3(frames_data, total))
    note = f"{meta.title or slug} ({lang}). {provenance}"
    write_text_atomic(vtt, webvtt(tuple(cues), note))
    return AudioResult(
        lang=lang,
        mp3=mp3,
        vtt=vtt,
        duration_s=duration,
        engine=engine.name,
        voice=voice,
        signature=signature,
        fallback_reason=resolution.fallback_reason,
        cues=tuple(cues),
        chapters=chapters,
        synthesized=counts[0],
        cached=counts[1],
        encoded=encoded,
        chunks_encoded=chunk_counts[0],
        chunks_reused=chunk_counts[1],
    )


def _encode_chunks(
    chunks: list[_Chunk],
    rate: int,
    engine_name: str,
    found: dict[str, SpeechAudio | tuple[int, int]],
    options: AudioOptions,
) -> tuple[list[bytes], tuple[int, int]]:
    """Each chunk's MP3 frames, from the chunk cache or encoded now (and then cached)."""
    from toolkit.export.mp3 import count_frames, encode_frames
    from toolkit.tts.pcm import resample

    speech_cache = SpeechCache()
    chunk_cache = ChunkCache()
    out: list[bytes] = []
    encoded = reused = 0
    for chunk in chunks:
        data = chunk_cache.get(chunk.key) if options.use_cache else None
        if data is not None:
            try:
                valid = count_frames(data) == chunk.frames
            except ValueError:  # a damaged entry counts as missing
                valid = False
            if valid:
                out.append(data)
                reused += 1
                continue
        pcm = bytearray(2 * (chunk.speech + chunk.tail))  # 16-bit samples, silence
        at = 0  # in samples
        for gap, key in chunk.items:
            at += gap
            entry = found[key]
            audio = entry if isinstance(entry, SpeechAudio) else speech_cache.get(engine_name, key)
            if audio is None:
                raise OutputError(
                    "A cached sentence disappeared while the reading was assembled.",
                    "Run the command again.",
                )
            samples = resample(audio, rate).pcm
            take = min(len(samples) // 2, chunk.speech - at)
            pcm[2 * at : 2 * (at + take)] = samples[: 2 * take]  # same size: no resize
            at += len(samples) // 2
        try:
            data = encode_frames(bytes(pcm), rate, options.bitrate, options.quality)
        except ValueError as exc:
            raise DependencyError(
                f"The MP3 encoder did not behave as expected: {exc}.",
                "Reinstall the pinned lameenc version (`uv sync`).",
            ) from exc
        chunk_cache.put(chunk.key, data)
        out.append(data)
        encoded += 1
    return out, (encoded, reused)
