"""Online TTS through gTTS (Google Translate's voice), one sentence at a time.

What gTTS 2.5.4 does not do for us, done here:

* **Chunking that never cuts a word.** gTTS sends one request per ≤100-character chunk and
  its tokenizer does not split at Arabic ``؟ ؛ ،`` or full-width ``；``: a long Arabic or
  Chinese sentence would be cut mid-word. :func:`split_for_gtts` pre-splits at clause
  punctuation of every script and packs the clauses into ≤100-character requests.
* **Throttling, a timeout, and backoff with jitter on HTTP 429** (and 5xx), a bounded
  number of times; then a :class:`NetworkError` with a hint.
* **No partial files**: ``gTTS.save`` opens its file before the first request, so we only
  ever use ``write_to_fp`` on memory and decode the MP3 to PCM with soundfile.
"""

from __future__ import annotations

import io
import random
import re
import time
from collections.abc import Callable

from toolkit.document import Signature
from toolkit.errors import NetworkError
from toolkit.languages import get_language
from toolkit.tts.base import NORMAL_RATE, Resolution, SpeechAudio, check_rate, check_text

GTTS_MAX_CHARS = 100
"""gTTS's own request limit (``gTTS.GOOGLE_TTS_MAX_CHARS``)."""
SLOW_BELOW = 0.75
"""gTTS has two speeds: a rate factor at or below this selects its slow voice."""
OFFLINE_HINT = "Check the internet connection, or read offline with --tts espeak."

# Split after Latin clause punctuation followed by a space, and after any Arabic or
# full-width CJK punctuation (those scripts do not put a space after it).
_CLAUSE_END = re.compile(r"(?<=[.!?,;:])(?=\s)|(?<=[،؛؟。！？；，、：])")


def split_for_gtts(text: str, limit: int = GTTS_MAX_CHARS) -> list[str]:
    """Split ``text`` into requests of at most ``limit`` characters, at clause boundaries.

    Clauses are packed greedily; a clause still longer than ``limit`` is cut at the last
    space before the limit, and only a run of ``limit`` characters without any space or
    punctuation (rare even in Chinese) is cut where it must.
    """
    pieces: list[str] = []
    current = ""
    for clause in _CLAUSE_END.split(text.strip()):
        if len(current) + len(clause) <= limit:
            current += clause
            continue
        if current.strip():
            pieces.append(current.strip())
        current = clause
        while len(current.strip()) > limit:
            current = current.strip()
            cut = current.rfind(" ", 0, limit + 1)
            cut = cut if cut > 0 else limit
            pieces.append(current[:cut].strip())
            current = current[cut:]
    if current.strip():
        pieces.append(current.strip())
    return pieces


def decode_mp3(data: bytes) -> SpeechAudio:
    """Decode MP3 bytes to mono 16-bit PCM with soundfile (libsndfile ≥ 1.1 reads MP3)."""
    import numpy as np
    import soundfile

    try:
        samples, sample_rate = soundfile.read(io.BytesIO(data), dtype="int16", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as exc:
        raise NetworkError(
            f"gTTS returned audio that cannot be decoded ({exc}).", OFFLINE_HINT
        ) from None
    mono = samples[:, 0] if samples.shape[1] == 1 else samples.mean(axis=1).astype(np.int16)
    return SpeechAudio(mono.astype("<i2").tobytes(), int(sample_rate))


class GttsEngine:
    """gTTS with throttling, a timeout, bounded backoff on 429 and word-safe chunking."""

    name = "gtts"

    def __init__(
        self,
        rate: float = NORMAL_RATE,
        *,
        timeout: float = 10.0,
        min_interval: float = 0.3,
        max_retries: int = 4,
        backoff: float = 2.0,
        tld: str = "com",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        **_: object,
    ) -> None:
        """``min_interval``: seconds between requests; ``backoff``: first 429 wait (doubles)."""
        self.rate = check_rate(rate)
        self.slow = rate <= SLOW_BELOW
        self.timeout = timeout
        self.min_interval = min_interval
        self.max_retries = max_retries
        self.backoff = backoff
        self.tld = tld
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._last_request: float | None = None
        self.calls = 0
        """synthesize() calls."""
        self.requests = 0
        """HTTP requests attempted (including retries)."""

    def voice(self, lang: str) -> str:
        """Voice (or language code) used for ``lang``."""
        return get_language(lang).gtts_lang

    def signature(self, lang: str) -> str:
        """This engine's :class:`~toolkit.document.Signature` for ``lang``, as text."""
        import gtts

        return str(
            Signature.of(engine="gtts", version=gtts.__version__, lang=self.voice(lang),
                         tld=self.tld, slow=self.slow)
        )

    def resolve(self, lang: str) -> Resolution:
        """Itself (after checking that ``lang`` has a voice)."""
        self.voice(lang)
        return Resolution(self)

    def synthesize(self, text: str, lang: str) -> SpeechAudio:
        """Speak ``text`` in ``lang``: mono 16-bit PCM."""
        import numpy as np

        check_text(text)
        voice = self.voice(lang)
        self.calls += 1
        parts = [decode_mp3(self._fetch(piece, voice)) for piece in split_for_gtts(text)]
        sample_rate = parts[0].sample_rate
        if any(p.sample_rate != sample_rate for p in parts):
            from toolkit.tts.pcm import resample

            parts = [resample(p, sample_rate) for p in parts]
        pcm = b"".join(p.pcm for p in parts)
        return SpeechAudio(np.frombuffer(pcm, "<i2").tobytes(), sample_rate)

    def _throttle(self) -> None:
        now = self._clock()
        if self._last_request is not None:
            wait = self.min_interval - (now - self._last_request)
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Exponential backoff with "equal jitter"; honour Retry-After when it is longer."""
        base = self.backoff * (2**attempt)
        delay = base / 2 + self._rng.uniform(0, base / 2)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, float(retry_after))
        return delay

    def _fetch(self, piece: str, voice: str) -> bytes:
        from gtts import gTTS, gTTSError

        for attempt in range(self.max_retries + 1):
            self._throttle()
            self.requests += 1
            buffer = io.BytesIO()
            try:
                gTTS(
                    piece,
                    lang=voice,
                    slow=self.slow,
                    tld=self.tld,
                    lang_check=False,  # its check would be another web request
                    timeout=self.timeout,
                ).write_to_fp(buffer)
            except gTTSError as exc:
                response = exc.rsp
                if response is None:
                    raise NetworkError(
                        f"Cannot reach the gTTS service (translate.google.{self.tld}).",
                        OFFLINE_HINT,
                    ) from None
                status = response.status_code
                if (status == 429 or status >= 500) and attempt < self.max_retries:
                    self._sleep(self._delay(attempt, response.headers.get("Retry-After")))
                    continue
                if status == 429:
                    raise NetworkError(
                        f"gTTS kept refusing requests (HTTP 429, too many requests) after "
                        f"{self.max_retries} retries.",
                        "Wait a few minutes and run again (finished sentences are cached), "
                        "or read offline with --tts espeak.",
                    ) from None
                raise NetworkError(f"gTTS failed: {exc.msg}.", OFFLINE_HINT) from None
            data = buffer.getvalue()
            if not data:
                raise NetworkError("gTTS returned no audio.", OFFLINE_HINT)
            return data
        raise AssertionError("unreachable")  # the loop always returns or raises

    def close(self) -> None:
        """Release what the engine holds."""
        return None
