"""Every options dataclass a run chooses, validated once, here.

What a model or a voice fixes is read from its metadata; what a *run* chooses is one of these
frozen dataclasses, passed down to the stage that uses it. :class:`BuildOptions` *contains* the
options of each stage (it does not copy their fields), so ``toolkit build`` and the stage
commands (``toolkit translate``, ``toolkit pdf``, ``toolkit audio``) accept the same options
with the same names, and a bad value is refused the same way whichever command got it:
an :class:`~toolkit.errors.OptionError` (exit code 2, ``Error: … / Hint: …``), raised when the
options object is made, before any work is done.

Only light modules are imported here (the registries are name tables): building an options
object never loads CTranslate2, reportlab or an espeak voice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from toolkit.errors import OptionError, UnknownLanguageError
from toolkit.export.paths import DEFAULT_OUT
from toolkit.languages import SOURCE_LANGUAGE, TARGET_LANGUAGES, get_language

Layout = Literal["side-by-side", "stacked", "target-only"]
LAYOUTS: tuple[str, ...] = ("side-by-side", "stacked", "target-only")
"""Accepted ``--layout`` values."""
PAPERS: dict[str, tuple[float, float]] = {
    "A4": (595.2755905511812, 841.8897637795277),
    "letter": (612.0, 792.0),
}
"""Paper sizes in points (the values of ``reportlab.lib.pagesizes``)."""

MIN_RATE = 0.5
MAX_RATE = 2.5
BITRATES: tuple[int, ...] = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
"""MPEG-1 Layer III bitrates (kbit/s) lameenc accepts."""


def _choice(value: str, choices: tuple[str, ...] | list[str], what: str, option: str) -> str:
    normalised = value.strip().lower()
    if normalised not in choices:
        raise OptionError(
            f"Unknown {what} {value!r} for {option}.", f"Use one of: {', '.join(choices)}."
        )
    return normalised


def translation_engine_names() -> tuple[str, ...]:
    """Every value ``--engine`` accepts (the translation registry's names)."""
    from toolkit.translate.registry import ENGINES

    return tuple(ENGINES)


def tts_engine_names() -> tuple[str, ...]:
    """Every value ``--tts`` accepts (the TTS registry's names)."""
    from toolkit.tts.registry import ENGINES

    return tuple(ENGINES)


@dataclass(frozen=True)
class TranslateOptions:
    """What a translation run chooses (what a model fixes is read from its metadata)."""

    engine: str = "auto"
    """``auto`` (reference if ``source/<slug>.<lang>.md`` exists, else argos), ``argos``,
    ``reference`` or ``fake``."""
    glossary: Path | None = None
    """Glossary TSV/CSV; None: the shipped ``toolkit/data/un-terms.tsv``."""
    use_glossary: bool = True
    """False: no term protection and no compliance check."""
    beam_size: int = 4
    """Beam size (Argos's default is 4)."""
    inter_threads: int = 0
    """CTranslate2 workers decoding sub-batches in parallel (0: as many as the cores allow,
    i.e. cores // intra_threads). One single-threaded worker per core is the fastest for a
    whole speech (bench/translate_throughput.py)."""
    intra_threads: int = 1
    """CTranslate2 threads per worker (0: automatic, i.e. 1)."""
    compute_type: str = "int8"
    """CTranslate2 compute type (``int8`` on CPU by default; CTranslate2 runs it as
    ``int8_float32``, so the two are the same)."""
    device: str = "cpu"
    """CTranslate2 device."""
    max_batch_size: int = 1024
    """Tokens per CTranslate2 batch (``batch_type="tokens"``). Argos's own 32 tokens is one or
    two sentences a batch, which forfeits batching (measured 13× slower on 40 sentences).
    ~1000-token sub-batches were the fastest (2 workers, 200 sentences, sentences/s: 300 tokens
    16.7, 512 18.1, ~1000 18.9–19.8, ~1800 18.7, ~2700 17.9, ~5200 16.3); the engine uses a
    smaller budget when that evens out the workers' shares."""
    use_cache: bool = True
    """Serve unchanged sentences from the persistent cache."""
    use_memory: bool = True
    """Serve exact translation-memory matches (``TOOLKIT_HOME/tm``) before the engine, and
    apply a translator's post-edit (``source/<slug>.<lang>.xlf``) to the result."""
    quality_checks: bool = True
    """Flag suspicious output (empty, copied source, loops, numbers, length ratio)."""
    retry_loops: bool = True
    """Retry a looping sentence once with ``no_repeat_ngram_size``/``repetition_penalty``."""
    protect: tuple[str, ...] = ()
    """Extra spans kept verbatim (names of people); the speaker's name is always protected."""
    cache_path: Path | None = field(default=None, compare=False)
    """Override the cache file (default ``TOOLKIT_HOME/cache/translations.sqlite3``)."""

    def __post_init__(self) -> None:
        engine = _choice(self.engine, translation_engine_names(), "translation engine", "--engine")
        object.__setattr__(self, "engine", engine)
        if not 1 <= self.beam_size <= 16:
            raise OptionError(
                f"Beam size {self.beam_size} is out of range for --beam.",
                "Give --beam between 1 and 16 (4 is Argos's default).",
            )
        if self.glossary is not None and not Path(self.glossary).is_file():
            raise OptionError(
                f"Glossary not found: {self.glossary} (--glossary).",
                "Give a TSV/CSV file with columns en ar zh fr ru es, or leave --glossary out.",
            )
        if self.intra_threads < 0 or self.inter_threads < 0:
            raise OptionError(
                "--threads cannot be negative.", "Give --threads 0 (automatic) or more."
            )

    def describe(self) -> dict[str, Any]:
        """JSON-ready form (paths as strings)."""
        data = asdict(self)
        data["glossary"] = str(self.glossary) if self.glossary else None
        data["cache_path"] = str(self.cache_path) if self.cache_path else None
        data["protect"] = list(self.protect)
        return data


@dataclass(frozen=True)
class PdfOptions:
    """How a bilingual PDF is laid out."""

    layout: str = "side-by-side"
    """``side-by-side`` (English left, target right), ``stacked`` (English paragraph, then
    the target paragraph) or ``target-only`` (the translation alone, same numbering)."""
    paper: str = "A4"
    """``A4`` or ``letter``."""
    font_dir: Path | None = None
    """Folder searched for fonts before ``TOOLKIT_FONT_DIR`` and the system folders."""

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise OptionError(
                f"Unknown PDF layout {self.layout!r} for --layout.",
                f"Use one of: {', '.join(LAYOUTS)}.",
            )
        if self.paper not in PAPERS:
            raise OptionError(
                f"Unknown paper size {self.paper!r} for --paper.",
                f"Use one of: {', '.join(PAPERS)}.",
            )
        if self.font_dir is not None and not Path(self.font_dir).is_dir():
            raise OptionError(
                f"Font folder not found: {self.font_dir} (--font-dir).",
                "Give a folder that holds .ttf/.ttc fonts, or leave --font-dir out.",
            )

    def describe(self) -> dict[str, Any]:
        """JSON-ready form (paths as strings)."""
        return {**asdict(self), "font_dir": str(self.font_dir) if self.font_dir else None}


@dataclass(frozen=True)
class AudioOptions:
    """How to read a speech aloud."""

    tts: str = "auto"
    """Engine: ``auto`` (gTTS when reachable, else espeak), ``gtts``, ``espeak``, ``silent``."""
    rate: float = 1.0
    """Speed factor, 0.5–2.5 (1.0 = normal). espeak-ng: 175 words per minute × rate. gTTS has
    two speeds only: its slow voice at rate ≤ 0.75, else normal."""
    sentence_pause_ms: int = 400
    """Silence between two sentences of a paragraph."""
    paragraph_pause_ms: int = 1000
    """Silence between paragraphs (and after each title-block line); each paragraph is its
    own MP3 chunk ending on a frame boundary, so this holds within half a frame (±13 ms)."""
    bitrate: int = 64
    """MP3 bitrate in kbit/s (mono, constant bitrate)."""
    quality: int = 5
    """LAME quality, 0 (best, slowest) to 9; 5 is transparent for speech at 64 kbit/s."""
    use_cache: bool = True
    """Reuse sentences synthesised before (keyed by engine, voice, speed and text)."""
    lexicon: bool = True
    """Apply the bundled pronunciation lexicon for the language."""
    extra_lexicon: Path | None = None
    """A user lexicon (same TSV format) applied before the bundled one."""
    gtts_timeout: float = 10.0
    """Seconds gTTS waits for each answer."""

    def __post_init__(self) -> None:
        tts = _choice(self.tts, tts_engine_names(), "TTS engine", "--tts")
        object.__setattr__(self, "tts", tts)
        if not MIN_RATE <= self.rate <= MAX_RATE:
            raise OptionError(
                f"Speech rate {self.rate} is out of range for --rate.",
                f"Give --rate as a speed factor between {MIN_RATE} and {MAX_RATE} (1.0 = normal).",
            )
        for name, option, top in (
            ("sentence_pause_ms", "--pause-ms", 10_000),
            ("paragraph_pause_ms", "--paragraph-pause-ms", 20_000),
        ):
            value = getattr(self, name)
            if not 0 <= value <= top:
                raise OptionError(
                    f"{option} {value} is out of range.", f"Give {option} between 0 and {top}."
                )
        if self.bitrate not in BITRATES:
            raise OptionError(
                f"Unsupported MP3 bitrate {self.bitrate} for --bitrate.",
                f"Use one of: {', '.join(map(str, BITRATES))} (kbit/s).",
            )
        if not 0 <= self.quality <= 9:
            raise OptionError(f"LAME quality {self.quality} is out of range.", "Give 0 to 9.")
        if self.extra_lexicon is not None and not Path(self.extra_lexicon).is_file():
            raise OptionError(
                f"Lexicon not found: {self.extra_lexicon} (--lexicon).",
                "Give a TSV file (written<TAB>spoken), or leave --lexicon out.",
            )

    def describe(self) -> dict[str, Any]:
        """JSON-ready form (paths as strings)."""
        return {
            **asdict(self),
            "extra_lexicon": str(self.extra_lexicon) if self.extra_lexicon else None,
        }


def target_languages(
    value: str | None, *, default: tuple[str, ...] = TARGET_LANGUAGES
) -> tuple[str, ...]:
    """Parse ``--to`` into validated target codes (no source language, nothing empty)."""
    if value is None:
        return default
    return check_targets([part for part in value.split(",")], given=value)


def check_targets(
    codes: list[str] | tuple[str, ...], *, given: str | None = None
) -> tuple[str, ...]:
    """Validate target language codes: UN languages, not the source language, at least one."""
    shown = given if given is not None else ",".join(codes)
    out: list[str] = []
    for part in codes:
        if not part.strip():
            continue
        try:
            code = get_language(part).code
        except UnknownLanguageError as exc:
            raise OptionError(f"{exc.message} (--to)", exc.hint) from None
        if code == SOURCE_LANGUAGE:
            raise OptionError(
                f"--to {shown!r} asks for {code}, the language of the source.",
                f"Give target languages other than {code}: {', '.join(TARGET_LANGUAGES)}.",
            )
        if code not in out:
            out.append(code)
    if not out:
        raise OptionError(
            f"No target language given in --to {shown!r}.",
            f"Give one or more of: {', '.join(TARGET_LANGUAGES)} (comma-separated).",
        )
    return tuple(out)


@dataclass(frozen=True)
class BuildOptions:
    """What a ``toolkit build`` run chooses: the stage options plus what only a build has."""

    targets: tuple[str, ...] = TARGET_LANGUAGES
    """Target languages (English is always the source and always gets audio)."""
    translate: TranslateOptions = field(default_factory=TranslateOptions)
    """How the translations are made (engine, glossary, beam…)."""
    pdf: PdfOptions = field(default_factory=PdfOptions)
    """How the PDFs are laid out."""
    audio: AudioOptions = field(default_factory=AudioOptions)
    """How the readings are spoken and encoded."""
    make_pdf: bool = True
    """Produce PDFs (``--no-pdf`` skips the stage)."""
    make_audio: bool = True
    """Produce audio readings (``--no-audio`` skips the stage)."""
    make_zip: bool = False
    """Also write one zip per language for sending to that delegation."""
    make_html: bool = True
    """Produce the read-along web page per language and the pack's ``index.html``."""
    make_epub: bool = True
    """Produce the EPUB 3 talking book per language (text + audio, Media Overlays)."""
    jobs: int = 2
    """Worker processes building languages at the same time (1: one after another, here)."""
    out: Path = DEFAULT_OUT
    """Output root; each speech goes to ``<out>/<slug>/``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", check_targets(tuple(self.targets)))
        if self.jobs < 1:
            raise OptionError(f"--jobs {self.jobs} is not a number of workers.", "Give 1 or more.")

    def manifest_options(self) -> dict[str, Any]:
        """The options as recorded in the manifest (paths as strings, no output root)."""
        return {
            "targets": list(self.targets),
            "translate": {k: v for k, v in self.translate.describe().items() if k != "cache_path"},
            "pdf": self.pdf.describe(),
            "audio": self.audio.describe(),
            "make_pdf": self.make_pdf,
            "make_audio": self.make_audio,
            "make_zip": self.make_zip,
            "make_html": self.make_html,
            "make_epub": self.make_epub,
            "jobs": self.jobs,
        }


__all__ = [
    "AudioOptions",
    "BITRATES",
    "BuildOptions",
    "LAYOUTS",
    "Layout",
    "PAPERS",
    "PdfOptions",
    "TranslateOptions",
    "check_targets",
    "target_languages",
    "translation_engine_names",
    "tts_engine_names",
]
