"""The translation service: a :class:`~toolkit.document.Speech` into one language.

``translate_speech(speech, "fr", TranslateOptions())`` returns a
:class:`~toolkit.document.TranslatedSpeech` whose sentence IDs are exactly the speech's,
each with its provenance (engine, model and version, signature, glossary hash, cached or
fresh, quality flags). The engine is a chain of wrappers around a registered engine::

    QualityEngine( ProtectedEngine( CachedEngine( ArgosEngine | FakeEngine ) ) )

Every ``--engine`` value is a registered engine (:mod:`toolkit.translate.registry`): a
sentence engine is run by :class:`MachineTranslator`; ``reference`` aligns a human translation
(:mod:`toolkit.translate.reference_engine`); ``auto`` (the default) is a fallback chain, the
reference when ``source/<slug>.<lang>.md`` exists, otherwise Argos
(:mod:`toolkit.translate.fallback`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.document import (
    Meta,
    Provenance,
    Speech,
    TranslatedParagraph,
    TranslatedSentence,
    TranslatedSpeech,
    TranslationProvenance,
)
from toolkit.errors import ModelError, ToolkitError
from toolkit.languages import get_language
from toolkit.options import TranslateOptions
from toolkit.translate.base import (
    DecodeHints,
    EngineInfo,
    Outcome,
    TranslationEngine,
    translate_detailed,
)
from toolkit.translate.registry import get_translator

if TYPE_CHECKING:
    from toolkit.translate.glossary import Glossary

META_TRANSLATED: tuple[str, ...] = ("title", "subtitle", "event", "venue", "role")
"""Front-matter fields that are translated; ``date`` and ``speaker`` are kept as they are."""


def resolve_engine(speech: Speech, lang: str, options: TranslateOptions) -> str:
    """The name of the engine a run with ``options`` uses for ``lang`` (``auto`` resolved)."""
    return get_translator(options.engine, options).resolve(speech, get_language(lang).code).name


def engine_available(
    lang: str, options: TranslateOptions, speech: Speech | None = None
) -> tuple[bool, str | None]:
    """Can ``lang`` be produced without translating anything? ``(ok, reason-and-fix or None)``.

    With ``speech`` given, ``auto``/``reference`` look for its reference translation first.
    """
    problem = engine_problem(lang, options, speech)
    if problem is None:
        return True, None
    return False, f"{problem.message} {problem.hint}".strip()


def engine_problem(
    lang: str, options: TranslateOptions, speech: Speech | None = None
) -> ToolkitError | None:
    """Why ``lang`` cannot be produced here (the error a run would raise), or None.

    Without ``speech``, an English speech with no reference translation beside it is assumed.
    """
    code = get_language(lang).code
    subject = speech if speech is not None else _NO_SPEECH
    try:
        get_translator(options.engine, options).check(subject, code)
    except ToolkitError as exc:
        return exc
    return None


_NO_SPEECH = Speech(source="", source_sha256="", slug="", lang="en", meta=Meta(), paragraphs=())


def translation_identity(speech: Speech, lang: str, options: TranslateOptions) -> dict[str, Any]:
    """What decides a translation's content, found cheaply, without loading a model.

    The pipeline's translation stage keys its output on it. For argos with no installed
    model, the model is installed from the index first (the index must be reachable). Raises
    ModelError/NetworkError when ``lang`` cannot be translated here.
    """
    from toolkit.translate.postedit import human_identity

    code = get_language(lang).code
    resolved = get_translator(options.engine, options).resolve(speech, code)
    # a translator's post-edit (and, for MT, the translation memory) change this language only
    machine = isinstance(resolved, MachineTranslator)
    human = human_identity(speech, code, machine=machine, enabled=options.use_memory)
    return {**resolved.identity(speech, code), **human}


def load_glossary_for(options: TranslateOptions) -> Glossary | None:
    """The glossary a run applies (None when disabled)."""
    if not options.use_glossary:
        return None
    from toolkit.translate.glossary import load_glossary, shipped_glossary_path

    return load_glossary(options.glossary or shipped_glossary_path())


def build_chain(
    engine: TranslationEngine,
    options: TranslateOptions,
    glossary: Glossary | None,
    protect: tuple[str, ...] = (),
) -> TranslationEngine:
    """Wrap ``engine`` in cache, protection and quality wrappers as ``options`` ask."""
    chain: TranslationEngine = engine
    if options.use_cache:
        from toolkit.translate.cache import CachedEngine, TranslationCache

        chain = CachedEngine(
            chain, TranslationCache(options.cache_path), glossary.sha256 if glossary else None
        )
    if glossary is not None or protect:
        from toolkit.translate.glossary import ProtectedEngine

        chain = ProtectedEngine(chain, glossary, protect)
    if options.quality_checks:
        from toolkit.translate.quality import QualityEngine

        chain = QualityEngine(chain, retry_loops=options.retry_loops)
    return chain


def translate_speech(
    speech: Speech,
    lang: str,
    options: TranslateOptions | None = None,
    *,
    engine: TranslationEngine | None = None,
) -> TranslatedSpeech:
    """Translate ``speech`` into ``lang``: one output per sentence, IDs kept, provenance on each.

    The engine is the one ``options.engine`` names in the registry; ``engine`` overrides it
    with a sentence engine (tests pass a configured fake engine).
    """
    options = options or TranslateOptions()
    translator = (
        MachineTranslator(engine, options)
        if engine is not None
        else get_translator(options.engine, options)
    )
    # The translator's post-edit, if one was imported, applies whichever engine made the text.
    return _with_post_edit(translator.translate_speech(speech, get_language(lang).code), options)


class MachineTranslator:
    """A sentence engine (argos, fake) run over a whole speech, with its wrapper chain.

    All sentences (and the translated front-matter fields) go to the engine in ONE batch
    call, through the cache, term protection and quality wrappers ``options`` ask for.
    """

    def __init__(self, engine: TranslationEngine, options: TranslateOptions) -> None:
        self.engine = engine
        self.options = options
        self.name = engine.name

    def resolve(self, speech: Speech, lang: str) -> MachineTranslator:
        """Itself."""
        return self

    def check(self, speech: Speech, lang: str) -> None:
        """InputError for the speech's own language; ModelError when the model is missing."""
        if get_language(lang).code == speech.lang:
            from toolkit.errors import InputError

            raise InputError(
                f"The speech is already in {lang}.", "Choose other target languages with --to."
            )
        self.engine.info(speech.lang, lang)

    def identity(self, speech: Speech, lang: str) -> dict[str, Any]:
        """Engine signature and glossary; installs a missing model the engine can fetch."""
        try:
            info = self.engine.info(speech.lang, lang)
        except ModelError:
            install = getattr(self.engine, "install_missing", None)
            if install is None:
                raise
            install(speech.lang, lang)
            info = self.engine.info(speech.lang, lang)
        glossary = load_glossary_for(self.options)
        return {
            "engine": self.name,
            "signature": info.signature,
            "glossary": glossary.sha256 if glossary else None,
        }

    def translate_speech(self, speech: Speech, lang: str) -> TranslatedSpeech:
        """Translate every sentence and the front matter in one batch."""
        options, engine = self.options, self.engine
        tgt = get_language(lang).code
        self.check(speech, tgt)  # before any work: the speech's own language, a missing model
        return _machine_translation(speech, tgt, engine, options)


def _machine_translation(
    speech: Speech, tgt: str, engine: TranslationEngine, options: TranslateOptions
) -> TranslatedSpeech:
    src = speech.lang
    info = engine.info(src, tgt)  # raises ModelError before any work if the model is missing
    glossary = load_glossary_for(options)
    protect = tuple(p for p in (*_speaker_names(speech.meta), *options.protect) if p)
    chain = build_chain(engine, options, glossary, protect)
    from toolkit.translate.tm import memory_first, outcome_info

    chain = memory_first(chain, options.use_memory)  # exact TM matches never reach the engine

    sentences = [s.text for s in speech.sentences()]
    meta_texts = [
        value for name in META_TRANSLATED if (value := getattr(speech.meta, name)) is not None
    ]
    unique = list(dict.fromkeys(t for t in (*sentences, *meta_texts) if t.strip()))
    outcomes = dict(zip(unique, translate_detailed(chain, unique, src, tgt), strict=True))

    def outcome(text: str) -> Outcome:
        return outcomes.get(text, Outcome(""))

    glossary_sha = glossary.sha256 if glossary else None
    paragraphs = tuple(
        TranslatedParagraph(
            id=p.id,
            kind=p.kind,
            sentences=tuple(
                TranslatedSentence(
                    id=s.id,
                    source=s.text,
                    text=outcome(s.text).text,
                    provenance=_provenance(
                        outcome_info(outcome(s.text), info), glossary_sha, outcome(s.text)
                    ),
                )
                for s in p.sentences
            ),
        )
        for p in speech.paragraphs
    )
    meta_values: dict[str, str | None] = {
        name: (outcome(v).text if (v := getattr(speech.meta, name)) else v)
        for name in META_TRANSLATED
    }
    meta = Meta(**{**asdict(speech.meta), **meta_values})
    provenance = TranslationProvenance(
        engine=info.engine,
        signature=info.signature,
        model=info.model,
        model_version=info.model_version,
        glossary=str(glossary.path) if glossary else None,
        glossary_sha256=glossary_sha,
        toolkit_version=__version__,
    )
    notice = (
        "Fake engine output for testing: not a translation."
        if info.engine == "fake"
        else "Machine translation: check flagged sentences before use."
    )
    translated = TranslatedSpeech(
        speech=speech,
        lang=tgt,
        meta=meta,
        paragraphs=paragraphs,
        engine=info.engine,
        notice=notice,
        provenance=provenance,
    )
    return translated


def _with_post_edit(translated: TranslatedSpeech, options: TranslateOptions) -> TranslatedSpeech:
    """Apply the translator's post-edit of this speech and language, if one was imported."""
    from toolkit.translate.postedit import with_post_edit

    return with_post_edit(translated, options.use_memory)


@dataclass(frozen=True)
class TranslationSummary:
    """What a reviewer needs to know about one language's run."""

    lang: str
    """Target language."""
    engine: str
    """Engine that produced it."""
    sentences: int
    """Number of sentences."""
    cached: int
    """Sentences served from the cache."""
    flagged: int
    """Sentences with at least one flag."""
    flags: dict[str, int]
    """Count of each flag."""
    seconds: float
    """Wall time of the run."""


def summarize(translated: TranslatedSpeech, seconds: float = 0.0) -> TranslationSummary:
    """Counts of sentences, cache hits and flags in ``translated``."""
    sentences = list(translated.sentences())
    flags: dict[str, int] = {}
    for sentence in sentences:
        for flag in sentence.provenance.flags:
            flags[flag] = flags.get(flag, 0) + 1
    return TranslationSummary(
        lang=translated.lang,
        engine=translated.engine,
        sentences=len(sentences),
        cached=sum(1 for s in sentences if s.provenance.cached),
        flagged=sum(1 for s in sentences if s.provenance.flags),
        flags=dict(sorted(flags.items())),
        seconds=seconds,
    )


def _speaker_names(meta: Meta) -> tuple[str, ...]:
    if not meta.speaker:
        return ()
    return tuple(n.strip() for n in meta.speaker.replace(" and ", ",").split(",") if n.strip())


def _provenance(info: EngineInfo, glossary_sha: str | None, outcome: Outcome) -> Provenance:
    return Provenance(
        engine=info.engine,
        model=info.model,
        model_version=info.model_version,
        signature=info.signature,
        glossary_sha256=glossary_sha,
        cached=outcome.cached,
        flags=outcome.flags,
    )


__all__ = [
    "DecodeHints",
    "EngineInfo",
    "META_TRANSLATED",
    "Outcome",
    "TranslateOptions",
    "TranslationEngine",
    "TranslationSummary",
    "build_chain",
    "engine_available",
    "engine_problem",
    "MachineTranslator",
    "load_glossary_for",
    "resolve_engine",
    "summarize",
    "translate_speech",
    "translation_identity",
]
