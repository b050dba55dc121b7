"""Build a tiny but REAL Argos Translate package: sentencepiece + random-weight CTranslate2.

No download, no torch: the sentencepiece model is trained from an in-memory corpus and
the CTranslate2 Transformer is filled with random numpy weights (recipe in FIELD-NOTES).
Its output is random words from the vocabulary: never assert exact strings from it.

Reusable outside these tests::

    from tiny_argos import build_tiny_argos_package
    path = build_tiny_argos_package(tmp_path, "en", "fr")   # → .../translate-en_fr-0_0_1.argosmodel
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
BUNDLED_SPEECH = REPO / "source" / "2021-05-26-coninsx-civil-society.en.md"

_EXTRA_CORPUS = (
    "0 1 2 3 4 5 6 7 8 9 10 2017 2021 8401 8402 8403",
    "The Security Council and Member States met civil society organizations.",
    "Le Conseil de sécurité et les États Membres ont rencontré la société civile.",
)


def train_sentencepiece(corpus: Iterable[str], vocab_size: int = 400) -> bytes:
    """Train a sentencepiece unigram model in memory; ids 0/1/2 are <unk>/<s>/</s>."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in corpus if line.strip()]),
        model_writer=buffer,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        split_digits=True,  # every digit is its own piece: numbers never become <unk>
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    return buffer.getvalue()


def build_random_transformer(
    model_dir: Path,
    vocabulary: list[str],
    *,
    layers: int = 1,
    d_model: int = 32,
    heads: int = 2,
    ffn: int = 64,
    eos_bias: float = 0.0,
    seed: int = 0,
    quantization: str | None = None,
) -> Path:
    """Save a CTranslate2 Transformer with random weights and a shared vocabulary."""
    from ctranslate2.specs import TransformerSpec, model_spec

    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config((layers, layers), heads)
    vocab = len(vocabulary)
    shapes = {
        "self_attention/linear_0": (3 * d_model, d_model),
        "self_attention/linear_1": (d_model, d_model),
        "attention/linear_0": (d_model, d_model),
        "attention/linear_1": (2 * d_model, d_model),
        "attention/linear_2": (d_model, d_model),
        "ffn/linear_0": (ffn, d_model),
        "ffn/linear_1": (d_model, ffn),
    }

    def fill(layer: object, name: str, value: object) -> None:
        if value is not None:
            return
        attr = name.rsplit("/", 1)[-1]
        if attr == "gamma":
            array = np.ones(d_model, dtype=np.float32)
        elif attr == "beta":
            array = np.zeros(d_model, dtype=np.float32)
        elif "embeddings" in name or "projection" in name:
            array = rng.normal(0, 0.5, (vocab, d_model)).astype(np.float32)
        else:
            key = "/".join(name.split("/")[-3:-1])
            array = rng.normal(0, 0.1, shapes[key]).astype(np.float32)
        setattr(layer, attr, array)

    model_spec.visit_spec(spec, fill)
    bias = np.zeros(vocab, dtype=np.float32)
    bias[2] = eos_bias  # a random model rarely emits </s>: optionally favour it
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))
    return model_dir


def build_tiny_argos_package(
    tmp_dir: Path,
    from_code: str = "en",
    to_code: str = "fr",
    version: str = "0.0.1",
    *,
    target_prefix: str = "",
    corpus: Iterable[str] | None = None,
) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` in ``tmp_dir``; return its path."""
    import sentencepiece as spm

    tmp_dir = Path(tmp_dir)
    folder = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    build = tmp_dir / f"build-{folder}"
    package = build / folder
    package.mkdir(parents=True, exist_ok=True)
    lines = (
        list(corpus)
        if corpus is not None
        else [
            *BUNDLED_SPEECH.read_text(encoding="utf-8").splitlines(),
            *_EXTRA_CORPUS,
        ]
    )
    sp_bytes = train_sentencepiece(lines)
    (package / "sentencepiece.model").write_bytes(sp_bytes)
    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    if target_prefix and target_prefix not in vocabulary:
        vocabulary.append(target_prefix)
    seed = sum(map(ord, from_code + to_code + version))
    build_random_transformer(package / "model", vocabulary, eos_bias=3.0, seed=seed)
    metadata = {
        "package_version": version,
        "argos_version": "1.9.0",
        "type": "translate",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "links": [],
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    (package / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (package / "README.md").write_text("Tiny random test package.\n", encoding="utf-8")
    archive = tmp_dir / f"{folder}.argosmodel"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(package.rglob("*")):
            zf.write(path, path.relative_to(build).as_posix())
    return archive
