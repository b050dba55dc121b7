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

from toolkit.export.audio.plan import (
    ISO_639_2,
    RENDER_TAG,
    TTS_CHOICES,
    AudioResult,
    Chapter,
    reading_plan,
)
from toolkit.export.audio.render import (
    audio_identity,
    create_speech_engine,
    render_audio,
    spoken_content,
)
from toolkit.export.audio.tags import webvtt
from toolkit.export.audio.timing import CHUNK_FORMAT
from toolkit.options import AudioOptions

__all__ = [
    "CHUNK_FORMAT",
    "ISO_639_2",
    "RENDER_TAG",
    "TTS_CHOICES",
    "AudioOptions",
    "AudioResult",
    "Chapter",
    "audio_identity",
    "create_speech_engine",
    "reading_plan",
    "render_audio",
    "spoken_content",
    "webvtt",
]
