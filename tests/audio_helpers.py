"""Hand-made documents and a fake gTTS server shared by the audio and TTS tests."""

from __future__ import annotations

import base64
import io
import json
import re
import urllib.parse

import numpy as np
from speeches import speech_from_paragraphs, translated_by_hand

from toolkit.document import (
    Meta,
    Speech,
    TranslatedSpeech,
)
from toolkit.export.mp3 import encode_mp3

GTTS_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
PROBE_URL = "https://translate.google.com/"


def make_speech(paragraphs: list[tuple[str, list[str]]], meta: Meta | None = None) -> Speech:
    """A hand-made English Speech from (kind, [sentences]) pairs; IDs p01, p01s01, …"""
    return speech_from_paragraphs(
        paragraphs,
        lang="en",
        slug="hand-made",
        source="hand-made.en.md",
        source_sha256="0" * 64,
        meta=meta or Meta(title="Hand-made statement", speaker="Michèle Coninsx", role="CTED"),
    )


SPEECH_PARAGRAPHS = [
    ("title", ["Virtual Dialogue on civil society"]),
    ("byline", ["Remarks of Michèle Coninsx, Executive Director, CTED"]),
    ("salutation", ["Excellencies, colleagues,"]),
    ("body", ["CTED works with CSOs.", "Resolution 2395 (2017) extended our mandate."]),
    ("body", ["UNOCT hosted the dialogue.", "We are grateful.", "Thank you."]),
]


def sample_speech() -> Speech:
    return make_speech(SPEECH_PARAGRAPHS)


def translate_by_hand(
    speech: Speech, lang: str, texts: list[list[str]], meta: Meta
) -> TranslatedSpeech:
    """A TranslatedSpeech whose sentences are ``texts`` (same shape as the speech)."""
    return translated_by_hand(speech, lang, texts, meta)


def tone_mp3(seconds: float, sample_rate: int = 24_000) -> bytes:
    """A real MP3 (what gTTS returns: 24 kHz mono) of a quiet tone."""
    t = np.arange(round(seconds * sample_rate)) / sample_rate
    pcm = (np.sin(2 * np.pi * 330 * t) * 6000).astype("<i2")
    return encode_mp3(pcm.tobytes(), sample_rate, 32)


def request_text(body: str | bytes) -> str:
    """The text gTTS put in one batchexecute request body."""
    if isinstance(body, bytes):
        body = body.decode()
    freq = urllib.parse.unquote(re.search(r"f\.req=([^&]*)", body).group(1))
    rpc = json.loads(freq)
    return json.loads(rpc[0][0][1])[0]


def gtts_body(mp3: bytes) -> str:
    """The exact response shape gTTS 2.5.4 parses (compact JSON after the XSSI guard)."""
    b64 = base64.b64encode(mp3).decode()
    payload = [["wrb.fr", "jQ1olc", json.dumps([b64]), None, None, None, "generic"]]
    return ")]}'\n\n" + json.dumps(payload, separators=(",", ":"))


def gtts_callback(seen: list[str]):
    """A `responses` callback speaking 1/15 s per character, recording each request's text."""

    def callback(request):  # type: ignore[no-untyped-def]
        text = request_text(request.body)
        seen.append(text)
        return 200, {}, gtts_body(tone_mp3(max(0.2, len(text) / 15)))

    return callback


def decode(path) -> tuple[np.ndarray, int]:  # type: ignore[no-untyped-def]
    import soundfile

    data, rate = soundfile.read(io.BytesIO(path.read_bytes()), dtype="int16")
    return data, rate
