"""``render_audio``: synthesise what the caches lack, then assemble, tag and write.

Also the audio stage's identity (:func:`audio_identity`, :func:`spoken_content`) and the
engine factory (:func:`create_speech_engine`).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from toolkit.document import Speech, TranslatedSpeech
from toolkit.errors import DependencyError, NetworkError
from toolkit.export.audio.plan import AudioResult, _Block, reading_plan
from toolkit.export.audio.timing import _assemble
from toolkit.languages import get_language
from toolkit.options import AudioOptions
from toolkit.tts.base import TTS, SpeechAudio, check_rate
from toolkit.tts.cache import SpeechCache
from toolkit.tts.lexicon import Lexicon, load_lexicon


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


