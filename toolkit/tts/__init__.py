"""Text-to-speech engines behind one small protocol, chosen by name.

``gtts`` (online, Google Translate's voice), ``espeak`` (offline, libespeak-ng through
``espeakng-loader``), ``auto`` (gTTS when reachable, else espeak) and ``silent`` (a
deterministic test engine). :func:`create_engine` builds one by name; nothing heavy is
imported until an engine is created.
"""

from __future__ import annotations

from toolkit.tts.base import TTS, Resolution, SpeechAudio
from toolkit.tts.registry import ENGINES, create_engine

__all__ = ["ENGINES", "TTS", "Resolution", "SpeechAudio", "create_engine"]
