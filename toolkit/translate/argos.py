"""The Argos engine: installed Argos packages run through batched CTranslate2.

This is the only module that imports ``argostranslate`` or ``ctranslate2``. We use the
package's own tokenizer (sentencepiece or BPE) and target prefix, but not Argos's
``translate()``, which runs a sentence splitter that downloads a model at run time: the
speech is already split, and every sentence for one language goes to CTranslate2 in ONE
``translate_batch`` call (sorted by length, ``batch_type="tokens"``), which is ~10× faster
than one call per sentence (FIELD-NOTES). Nothing here touches the network.

CPU settings (measured with ``bench/translate_throughput.py`` on a shared 2-core machine):
one single-threaded CTranslate2 worker per core (``inter_threads`` = cores,
``intra_threads=1``) decodes sub-batches in parallel and beats one worker using every core
(OpenMP synchronisation on each small per-step GEMM costs more than it gains); and the
token budget per sub-batch is cut so that every worker gets the same number of batches,
otherwise a short speech would fit in one batch and leave a core idle.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit import config
from toolkit.document import Signature
from toolkit.errors import ModelError
from toolkit.translate.base import DecodeHints, EngineInfo
from toolkit.translate.models import InstalledPackage, require_package

if TYPE_CHECKING:
    from toolkit.translate import TranslateOptions

LENGTH_PENALTY = 0.2
"""Argos's default."""
REPLACE_UNKNOWNS = True
"""Argos's default: copy the source token an ``<unk>`` attends to."""
MAX_DECODING_CAP = 256
"""CTranslate2's own default, used as a hard ceiling."""
_IMPORT_LOCK = threading.Lock()


def available_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def thread_settings(options: TranslateOptions) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for the CTranslate2 ``Translator``.

    0 means automatic: one thread per worker, and as many workers as the cores allow.
    """
    intra = options.intra_threads or 1
    inter = options.inter_threads or max(1, available_cores() // intra)
    return inter, intra


def batch_tokens(lengths: Sequence[int], max_batch_size: int, workers: int) -> int:
    """Tokens per sub-batch: at most ``max_batch_size``, and split so each worker gets a share.

    The sentences are cut into a multiple of ``workers`` batches of similar token counts, so
    the workers finish together. One longest sentence of slack absorbs padding, so greedy
    packing does not spill a tiny extra batch.
    """
    if not lengths:
        return max_batch_size
    total, longest = sum(lengths), max(lengths)
    rounds = -(-total // (max_batch_size * workers))  # ceil: batches per worker
    share = -(-total // (rounds * workers)) + longest
    return max(longest, min(max_batch_size, share))


def decoding_limit(longest_source_tokens: int) -> int:
    """Bound the output length relative to the source, so a looping model stops early."""
    return min(MAX_DECODING_CAP, 2 * longest_source_tokens + 10)


@contextlib.contextmanager
def argos_environment() -> Iterator[None]:
    """Point Argos's import-time settings inside TOOLKIT_HOME, then restore the environment.

    ``argostranslate.settings`` reads these variables once, at import, and creates its
    folders there; without this it would write under ``~/.local/share/argos-translate``.
    """
    home = config.toolkit_home() / "argos"
    wanted = {
        "ARGOS_PACKAGES_DIR": str(config.models_dir()),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_DEVICE_TYPE": "cpu",
    }
    saved = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _argos_package_class() -> Any:
    with _IMPORT_LOCK, argos_environment():
        import argostranslate.package

    return argostranslate.package.Package


@dataclass
class LoadedPackage:
    """An installed package opened for use: its tokenizer and its CTranslate2 translator."""

    package: InstalledPackage
    tokenizer: Any
    translator: Any


@contextlib.contextmanager
def broken_model(package: InstalledPackage) -> Iterator[None]:
    """Report a model or tokenizer that fails to load or run as a :class:`ModelError`.

    CTranslate2 and sentencepiece raise ``RuntimeError``, ``IndexError``, ``OSError``…
    on a damaged ``model.bin`` or tokenizer; that is a broken install, not a bug.
    """
    try:
        yield
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside the model is the model's
        raise ModelError(
            f"The installed {package.name} {package.package_version} model in {package.path} "
            f"is broken: {type(exc).__name__}: {exc}",
            f"Reinstall it: `toolkit models install {package.to_code}` (or offline "
            f"`toolkit models install PATH/{package.name}-*.argosmodel`).",
        ) from exc


def load_package(package: InstalledPackage, options: TranslateOptions) -> LoadedPackage:
    """Open a package's tokenizer and CTranslate2 model (:class:`ModelError` if they are broken)."""
    with broken_model(package):
        import ctranslate2

        argos_package = _argos_package_class()(package.path)
        tokenizer = getattr(argos_package, "tokenizer", None)
        if tokenizer is None:
            raise ModelError(
                f"The {package.name} package has no tokenizer.",
                "Reinstall it with `toolkit models install`.",
            )
        tokenizer.encode("a")  # Argos loads tokenizers lazily: fail here, as a model error
        inter, intra = thread_settings(options)
        translator = ctranslate2.Translator(
            str(package.path / "model"),
            device=options.device,
            compute_type=options.compute_type,
            inter_threads=inter,
            intra_threads=intra,
        )
        return LoadedPackage(package, tokenizer, translator)


TEST_SENTENCE = "The Security Council met today to discuss the protection of civilians."
"""What a model translates once before it is installed (see :func:`run_once`)."""


def run_once(package: InstalledPackage, sentence: str = TEST_SENTENCE) -> str:
    """Load ``package`` and translate one sentence with it, as ``toolkit translate`` would.

    Raise :class:`ModelError` if anything fails. The output of a real model is a
    translation; nothing is asserted about its words, only that the whole path runs.
    """
    from toolkit.translate import TranslateOptions

    engine = ArgosEngine(TranslateOptions(engine="argos", inter_threads=1, intra_threads=1))
    engine._loaded[(package.from_code, package.to_code)] = load_package(package, engine.options)
    (text,) = engine.translate_batch([sentence], package.from_code, package.to_code)
    return text


class ArgosEngine:
    """Translate with an installed Argos package via CTranslate2."""

    name = "argos"

    def __init__(
        self,
        options: TranslateOptions | None = None,
        *,
        fixed_decoding_length: int | None = None,
    ) -> None:
        from toolkit.translate import TranslateOptions

        self.options = options or TranslateOptions(engine="argos")
        self.fixed_decoding_length = fixed_decoding_length
        """Benchmarks only: decode exactly this many tokens per sentence."""
        self._loaded: dict[tuple[str, str], LoadedPackage] = {}
        self.calls = 0
        """Number of ``translate_batch`` calls made to CTranslate2 (tests assert on it)."""

    def package(self, src: str, tgt: str) -> InstalledPackage:
        """The installed package for the pair (:class:`ModelError` naming the fix if none)."""
        loaded = self._loaded.get((src, tgt))
        return loaded.package if loaded else require_package(src, tgt)

    def install_missing(self, src: str, tgt: str) -> None:
        """Install the ``src``→``tgt`` package from the model index (a build does this)."""
        from toolkit.translate.models import install_from_index

        install_from_index(tgt, src)

    def info(self, src: str, tgt: str) -> EngineInfo:
        """Package, version and the decoding options that change the output."""
        package = self.package(src, tgt)
        model_bin = package.path / "model" / "model.bin"
        size = model_bin.stat().st_size if model_bin.is_file() else 0
        o = self.options
        signature = Signature.of(
            engine="argos",
            model=package.name,
            version=package.package_version,
            bin=size,
            compute=o.compute_type,
            beam=o.beam_size,
            lp=LENGTH_PENALTY,
            dec="2x+10",
            fixed=self.fixed_decoding_length or None,
        )
        return EngineInfo("argos", package.name, package.package_version, str(signature))

    def loaded(self, src: str, tgt: str) -> LoadedPackage:
        """The pair's package with its tokenizer and CTranslate2 translator, loaded once."""
        key = (src, tgt)
        if key not in self._loaded:
            self._loaded[key] = load_package(require_package(src, tgt), self.options)
        return self._loaded[key]

    def encodes_cleanly(self, text: str, src: str, tgt: str) -> bool:
        """True when the package's tokenizer encodes ``text`` without ``<unk>`` pieces."""
        loaded = self.loaded(src, tgt)
        tokenizer = loaded.tokenizer
        processor = getattr(tokenizer, "lazy_processor", None)
        if processor is None:
            return True  # BPE falls back to characters; nothing becomes <unk>
        with broken_model(loaded.package):
            sp = processor()
            return all(sp.piece_to_id(p) != sp.unk_id() for p in tokenizer.encode(text))

    def translate_batch(
        self, sentences: Sequence[str], src: str, tgt: str, hints: DecodeHints | None = None
    ) -> list[str]:
        """All sentences in one CTranslate2 call; one output per input."""
        if not sentences:
            return []
        loaded = self.loaded(src, tgt)
        outputs = [""] * len(sentences)
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return outputs
        with broken_model(loaded.package):
            tokens = {i: loaded.tokenizer.encode(sentences[i]) for i in todo}
        todo.sort(key=lambda i: len(tokens[i]))  # similar lengths share batches: less padding
        prefix = loaded.package.target_prefix
        hints = hints or DecodeHints()
        o = self.options
        limit = self.fixed_decoding_length or decoding_limit(len(tokens[todo[-1]]))
        workers, _ = thread_settings(o)
        lengths = [len(tokens[i]) for i in todo]
        kwargs: dict[str, Any] = {
            "beam_size": o.beam_size,
            "max_batch_size": batch_tokens(lengths, o.max_batch_size, workers),
            "batch_type": "tokens",
            "length_penalty": LENGTH_PENALTY,
            "replace_unknowns": REPLACE_UNKNOWNS,
            "max_decoding_length": limit + (1 if prefix else 0),
            "no_repeat_ngram_size": hints.no_repeat_ngram_size,
            "repetition_penalty": hints.repetition_penalty,
        }
        if self.fixed_decoding_length:
            kwargs["min_decoding_length"] = limit
        if prefix:
            kwargs["target_prefix"] = [[prefix]] * len(todo)
        self.calls += 1
        with broken_model(loaded.package):
            results = loaded.translator.translate_batch([tokens[i] for i in todo], **kwargs)
        for i, result in zip(todo, results, strict=True):
            hypothesis = list(result.hypotheses[0])
            if prefix and hypothesis[:1] == [prefix]:
                hypothesis = hypothesis[1:]
            if not self.fixed_decoding_length:
                # The call's limit follows the longest sentence; hold each to its own bound.
                hypothesis = hypothesis[: decoding_limit(len(tokens[i]))]
            with broken_model(loaded.package):
                text = loaded.tokenizer.decode(hypothesis)
            if prefix and text.startswith(prefix):
                text = text[len(prefix) :]
            outputs[i] = text.strip()
        return outputs
