"""Audio readings: one MP3 per language with paragraph chapters, and a WebVTT transcript.

The reading is the title block (the front-matter paragraphs: title, subtitle, dateline,
byline with speaker and role, in the document's language) followed by the body
paragraphs. Each sentence is synthesised on its own (and cached), so every cue's start
and end come from real sample counts:

* a pause of ``sentence_pause_ms`` between sentences and ``paragraph_pause_ms`` between
  paragraphs; no silence before the first sentence or after the last one, so the last
  cue ends exactly at the end of the audio;
* one MP3 with a LAME Info header so players and mutagen read its exact duration. It is
  encoded in chunks, one per paragraph block (its sentences and the pause after it), each
  cached under ``cache_dir()/tts-mp3`` and keyed by its sentences' audio keys, the pauses
  and the encoder settings; the file is their frames concatenated under one Info frame
  (see :mod:`toolkit.export.mp3`). An edit re-encodes only the paragraph it touched. Every
  chunk ends on an MP3 frame boundary, so each paragraph pause is the requested one within
  half a frame, while cue and chapter times stay exact to the sample of the decoded audio;
* ID3v2.4 tags: title, artist (speaker), language, and a CTOC with **one CHAP per
  paragraph read** — each front-matter paragraph is its own chapter, so the number of
  chapters equals the number of (non-empty) paragraphs of the document. A document
  without front-matter paragraphs gets a title block made from its metadata (title,
  speaker, role), which then counts as one paragraph and one chapter (``title``);
* the transcript shows the original sentences; only the engine hears the text after the
  pronunciation lexicon (:mod:`toolkit.tts.lexicon`).

Both files are written atomically and only when their bytes change. A rerun with nothing
changed synthesises nothing and, when the MP3 on disk already holds this rendering (its
``toolkit:render`` tag matches), does not even re-encode it.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from toolkit import __version__
from toolkit.document import FRONT_MATTER_KINDS, Cue, Meta, Speech, TranslatedSpeech
from toolkit.errors import DependencyError, InputError, NetworkError, OutputError
from toolkit.export.paths import audio_path, transcript_path, write_bytes_atomic, write_text_atomic
from toolkit.languages import get_language
from toolkit.options import AudioOptions
from toolkit.tts.base import TTS, Resolution, SpeechAudio, check_rate
from toolkit.tts.cache import ChunkCache, SpeechCache
from toolkit.tts.lexicon import Lexicon, load_lexicon
from toolkit.tts.registry import ENGINES as TTS_ENGINES

TTS_CHOICES: tuple[str, ...] = tuple(TTS_ENGINES)
"""Accepted ``--tts`` values: the TTS registry's names."""
ISO_639_2 = {"en": "eng", "fr": "fra", "es": "spa", "ru": "rus", "ar": "ara", "zh": "zho"}
RENDER_TAG = "toolkit:render"
"""ID3 TXXX description holding the hash of everything that went into the MP3."""
_SPEAKABLE = re.compile(r"\w")


@dataclass(frozen=True)
class Chapter:
    """One ID3 chapter: a paragraph of the reading."""

    id: str
    """Paragraph ID (``p07``), or ``title`` for a title block made from metadata."""
    title: str
    """Paragraph number and first words (``7. In accordance with the relevant…``)."""
    start: float
    """Start in seconds (the paragraph's first sentence starts here)."""
    end: float
    """End in seconds (the next chapter's start, or the end of the audio)."""


@dataclass(frozen=True)
class AudioResult:
    """What :func:`render_audio` produced."""

    lang: str
    """Language read."""
    mp3: Path
    """The MP3 file."""
    vtt: Path
    """The WebVTT transcript."""
    duration_s: float
    """Duration of the audio in seconds (exact: from the sample count)."""
    engine: str
    """Engine that actually spoke (``gtts``, ``espeak`` or ``silent``; never ``auto``)."""
    voice: str
    """Voice or gTTS language code used."""
    signature: str
    """Engine signature (engine, version, voice, speed), also stored in the MP3's tags."""
    fallback_reason: str | None
    """Why ``auto`` did not use gTTS (announce it to the user), else None."""
    cues: tuple[Cue, ...]
    """One cue per sentence read, in order."""
    chapters: tuple[Chapter, ...]
    """One chapter per paragraph read, in order."""
    synthesized: int
    """Sentences the engine synthesised in this run."""
    cached: int
    """Sentences taken from the speech cache."""
    encoded: bool
    """False when the MP3 on disk already held exactly this rendering (nothing encoded or
    reassembled); True when the MP3 was (re)built, even wholly from cached chunks."""
    chunks_encoded: int = 0
    """MP3 chunks (paragraph blocks) lameenc encoded in this run."""
    chunks_reused: int = 0
    """MP3 chunks taken from the chunk cache."""


@dataclass(frozen=True)
class _Utterance:
    paragraph: str
    sentence_id: str
    text: str
    spoken: str


@dataclass(frozen=True)
class _Block:
    id: str
    number: int
    utterances: tuple[_Utterance, ...]


def _paragraph_number(paragraph_id: str, position: int) -> int:
    digits = re.fullmatch(r"p0*(\d+)", paragraph_id)
    return int(digits.group(1)) if digits else position


_Paragraphs = list[tuple[str, str, list[tuple[str, str]]]]


def _reading(doc: Speech | TranslatedSpeech, lang: str) -> tuple[str, Meta, _Paragraphs]:
    """(language, meta, [(paragraph id, kind, [(sentence id, text)])]) in reading order."""
    code = get_language(lang).code
    if isinstance(doc, TranslatedSpeech):
        if code != doc.lang:
            raise InputError(
                f"This translation is in {doc.lang!r}, not {code!r}.",
                f"Give the {code} translation JSON, or the source speech to translate it.",
            )
        paragraphs = [
            (p.id, p.kind, [(s.id, s.text) for s in p.sentences if s.text.strip()])
            for p in doc.paragraphs
        ]
        return code, doc.meta, paragraphs
    if code != doc.lang:
        raise InputError(
            f"The speech is in {doc.lang!r}; it cannot be read in {code!r} untranslated.",
            f"Translate it first (`toolkit translate SOURCE --to {code}`) or give the source .md.",
        )
    paragraphs = [
        (p.id, p.kind, [(s.id, s.text) for s in p.sentences if s.text.strip()])
        for p in doc.paragraphs
    ]
    return code, doc.meta, paragraphs


def _spoken(text: str, lexicon: Lexicon) -> str:
    return " ".join(lexicon.apply(text).split())


def reading_plan(
    doc: Speech | TranslatedSpeech, lang: str, lexicon: Lexicon | None = None
) -> list[_Block]:
    """The paragraphs and sentences to read, with their spoken (lexicon-applied) forms."""
    code, meta, paragraphs = _reading(doc, lang)
    lexicon = lexicon if lexicon is not None else Lexicon(code, ())
    blocks: list[_Block] = []
    if not any(kind in FRONT_MATTER_KINDS for _, kind, _ in paragraphs):
        lines = [(f"meta-{f}", getattr(meta, f)) for f in ("title", "speaker", "role")]
        title_block = [(i, t) for i, t in lines if t and t.strip()]
        paragraphs = [("title", "title", title_block), *paragraphs]
    for position, (paragraph_id, _kind, sentences) in enumerate(paragraphs, 1):
        utterances = tuple(
            _Utterance(paragraph_id, sid, text.strip(), _spoken(text, lexicon))
            for sid, text in sentences
        )
        utterances = tuple(u for u in utterances if _SPEAKABLE.search(u.spoken))
        if utterances:
            blocks.append(
                _Block(paragraph_id, _paragraph_number(paragraph_id, position), utterances)
            )
    if not blocks:
        raise InputError(
            "Nothing to read: the document has no non-empty sentence.",
            "Check the input: segment the source again, or translate it again.",
        )
    return blocks


def _chapter_title(block: _Block, lang: str) -> str:
    text = " ".join(u.text for u in block.utterances)
    if lang == "zh":
        words = text[:16] + ("…" if len(text) > 16 else "")
    else:
        parts = text.split()
        words = " ".join(parts[:8]) + ("…" if len(parts) > 8 else "")
    return f"{block.number}. {words}"


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: tuple[Cue, ...], header_note: str | None = None) -> str:
    """A WebVTT transcript: one cue per sentence, identified by its sentence ID."""
    out = ["WEBVTT", ""]
    if header_note:
        note = header_note.replace("-->", "->")
        out += [f"NOTE {note}", ""]
    for cue in cues:
        out += [
            cue.sentence_id,
            f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}",
            _vtt_escape(cue.text),
            "",
        ]
    return "\n".join(out)


def _id3(
    meta: Meta,
    lang: str,
    chapters: tuple[Chapter, ...],
    signature: str,
    render_key: str,
    provenance: str,
) -> bytes:
    """ID3v2.4 tag bytes: title, artist, language, provenance, CTOC and one CHAP per chapter."""
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TIT2, TLAN, TPE1, TSSE, TXXX, CTOCFlags

    tags = ID3()
    if meta.title:
        tags.add(TIT2(encoding=3, text=[meta.title]))
    if meta.speaker:
        tags.add(TPE1(encoding=3, text=[meta.speaker]))
    tags.add(TLAN(encoding=3, text=[ISO_639_2.get(lang, lang)]))
    tags.add(TSSE(encoding=3, text=[f"toolkit {__version__}; {signature}"]))
    tags.add(
        COMM(encoding=3, lang=ISO_639_2.get(lang, "und"), desc="provenance", text=[provenance])
    )
    tags.add(TXXX(encoding=3, desc=RENDER_TAG, text=[render_key]))
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[c.id for c in chapters],
            sub_frames=[TIT2(encoding=3, text=["Paragraphs"])],
        )
    )
    for chapter in chapters:
        tags.add(
            CHAP(
                element_id=chapter.id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    buffer = io.BytesIO()
    tags.save(buffer, v2_version=4, padding=lambda info: 0)
    return buffer.getvalue()


def _existing_render_key(path: Path) -> str | None:
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    try:
        frames = ID3(path).getall(f"TXXX:{RENDER_TAG}")
    except (MutagenError, OSError):
        return None
    return str(frames[0].text[0]) if frames else None


def spoken_content(doc: Speech | TranslatedSpeech) -> str:
    """Everything a reading of ``doc`` depends on in ``doc`` (part of the audio stage's key).

    Its front matter and, per paragraph, the ID, kind and sentence texts — not, for a
    translation, the English it came from, so an English edit that leaves a reference
    translation unchanged does not re-read it.
    """
    paragraphs = [[p.id, p.kind, [[s.id, s.text] for s in p.sentences]] for p in doc.paragraphs]
    # The MP3's provenance tag names the translation engine and notice.
    provenance = [doc.engine, doc.notice] if isinstance(doc, TranslatedSpeech) else []
    return json.dumps([asdict(doc.meta), paragraphs, provenance], ensure_ascii=False)


def audio_identity(lang: str, options: AudioOptions, engine: TTS) -> dict[str, object]:
    """How a reading in ``lang`` is made: engine signature, options and lexicon entries.

    For ``auto`` the signature is the one of the engine it resolves to (probed once).
    """
    code = get_language(lang).code
    lexicon = load_lexicon(code, options.extra_lexicon) if options.lexicon else Lexicon(code, ())
    return {
        "signature": engine.signature(code),
        "options": options.describe(),
        "lexicon": [(e.pattern.pattern, e.spoken) for e in lexicon.entries],
    }


def create_speech_engine(
    options: AudioOptions, *, gtts_reachable: tuple[bool, str | None] | None = None
) -> TTS:
    """The speech engine ``options`` ask for (``tts``, speed, gTTS timeout); close it after use.

    One engine can read every language: ``auto`` probes the network once (or takes the
    answer ``gtts_reachable`` of a probe already made), espeak keeps its workers.
    """
    from toolkit.tts.registry import create_engine

    extra: dict[str, object] = {}
    if options.tts == "auto" and gtts_reachable is not None:
        extra["reachable"] = gtts_reachable
    return create_engine(options.tts, rate=options.rate, timeout=options.gtts_timeout, **extra)


def _synthesize_all(
    blocks: list[_Block], lang: str, engine: TTS, options: AudioOptions
) -> tuple[dict[str, SpeechAudio | tuple[int, int]], list[str], int, int]:
    """Audio (or, when cached, just its length and rate) for every utterance, by cache key."""
    cache = SpeechCache()
    signature = engine.signature(lang)
    found: dict[str, SpeechAudio | tuple[int, int]] = {}
    keys: list[str] = []
    synthesized = cached = 0
    for block in blocks:
        for utterance in block.utterances:
            key = SpeechCache.key(signature, utterance.spoken)
            keys.append(key)
            if key in found:
                cached += 1
                continue
            info = cache.info(engine.name, key) if options.use_cache else None
            if info is not None:
                found[key] = info
                cached += 1
                continue
            audio = engine.synthesize(utterance.spoken, lang)
            if audio.n_samples == 0:
                raise DependencyError(
                    f"The {engine.name} engine produced no audio for {utterance.sentence_id}.",
                    "Try another engine with --tts.",
                )
            cache.put(engine.name, key, audio)
            found[key] = audio
            synthesized += 1
    return found, keys, synthesized, cached


def render_audio(
    doc: Speech | TranslatedSpeech,
    lang: str,
    out: Path,
    options: AudioOptions | None = None,
    *,
    engine: TTS | None = None,
) -> AudioResult:
    """Read ``doc`` aloud in ``lang``: write ``out/<slug>/<slug>.<lang>.mp3`` and ``.vtt``.

    ``engine`` overrides ``options.tts`` (pass one engine when rendering several languages
    so ``auto`` probes the network once; the caller then closes it). Raises InputError for
    an empty document or a language mismatch, DependencyError for a missing voice,
    NetworkError when gTTS fails (``auto`` falls back to espeak instead).
    """
    options = options or AudioOptions()
    check_rate(options.rate)
    code = get_language(lang).code
    lexicon = load_lexicon(code, options.extra_lexicon) if options.lexicon else Lexicon(code, ())
    blocks = reading_plan(doc, code, lexicon)
    meta = doc.meta
    own_engine = engine is None
    tts = engine if engine is not None else create_speech_engine(options)
    try:
        resolution = tts.resolve(code)
        try:
            found, keys, synthesized, cached = _synthesize_all(
                blocks, code, resolution.engine, options
            )
        except NetworkError as exc:
            from toolkit.tts.auto import FallbackEngine

            if not isinstance(tts, FallbackEngine) or resolution.engine is not tts.preferred:
                raise
            failed = resolution.engine.name
            label = "gTTS" if failed == "gtts" else failed
            resolution = tts.fallback(code, f"{label} failed during the reading ({exc.message})")
            found, keys, synthesized, cached = _synthesize_all(
                blocks, code, resolution.engine, options
            )
        return _assemble(
            doc, meta, code, out, options, blocks, resolution, found, keys, (synthesized, cached)
        )
    finally:
        if own_engine:
            tts.close()


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
