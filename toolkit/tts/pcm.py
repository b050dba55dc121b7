"""Small PCM helpers (numpy): resampling and silence."""

from __future__ import annotations

from toolkit.tts.base import SpeechAudio


def resample(audio: SpeechAudio, sample_rate: int) -> SpeechAudio:
    """Resample to ``sample_rate`` by linear interpolation.

    Only needed when one file mixes engines with different native rates (espeak-ng 22,050 Hz,
    gTTS 24,000 Hz): speech is band-limited far below both Nyquist frequencies, so linear
    interpolation is inaudible here and needs no extra dependency.
    """
    if audio.sample_rate == sample_rate or audio.n_samples == 0:
        return SpeechAudio(audio.pcm, sample_rate) if audio.n_samples == 0 else audio
    import numpy as np  # only here: importing it costs a rebuild more than the rest

    source = np.frombuffer(audio.pcm, "<i2").astype(np.float64)
    n_out = round(audio.n_samples * sample_rate / audio.sample_rate)
    positions = np.arange(n_out) * (audio.sample_rate / sample_rate)
    out = np.interp(positions, np.arange(audio.n_samples), source)
    return SpeechAudio(np.clip(np.rint(out), -32768, 32767).astype("<i2").tobytes(), sample_rate)


def silence(milliseconds: int, sample_rate: int) -> bytes:
    """``milliseconds`` of digital silence as 16-bit PCM."""
    return bytes(2 * round(milliseconds * sample_rate / 1000))
