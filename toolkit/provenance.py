"""Where a translation or a reading came from: one :class:`Signature` format, typed provenance.

Re-exported by :mod:`toolkit.document` (these are stage-boundary types like the others).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Signature:
    """One reproducibility signature, in the style of sacrebleu's: ``key:value|key:value…``.

    Every translation and TTS engine describes itself with one (engine, model or voice,
    version, the options that change the output); the same text goes into the JSON, the PDF
    metadata, the MP3 tags and the manifest, and keys the caches. Values never contain ``|``.
    """

    fields: tuple[tuple[str, str], ...]
    """``(key, value)`` pairs in order; ``engine`` first."""

    @classmethod
    def of(cls, **values: object) -> Signature:
        """A signature from keyword values, in the order given (None values left out)."""
        return cls(
            tuple(
                (key, str(value).replace("|", "/"))
                for key, value in values.items()
                if value is not None
            )
        )

    @classmethod
    def parse(cls, text: str) -> Signature:
        """Inverse of ``str()``: ``"engine:argos|beam:4"`` → Signature."""
        pairs = []
        for part in text.split("|") if text else []:
            key, sep, value = part.partition(":")
            if not sep:
                raise ValueError(f"not a key:value signature part: {part!r}")
            pairs.append((key, value))
        return cls(tuple(pairs))

    def get(self, key: str) -> str | None:
        """The value of ``key``, or None."""
        return next((v for k, v in self.fields if k == key), None)

    def __str__(self) -> str:
        return "|".join(f"{key}:{value}" for key, value in self.fields)


REFERENCE_ENGINE = "reference"
"""Engine name of a human reference translation (:mod:`toolkit.translate.reference`)."""
POST_EDITED = "post-edited"
"""Engine name of a sentence a translator confirmed in an XLIFF file."""
MEMORY_ENGINE = "tm"
"""Engine name of an exact translation-memory match."""
HUMAN_ENGINES = frozenset({REFERENCE_ENGINE, POST_EDITED})
"""Engines whose output a person wrote (what a TMX may hold)."""


@dataclass(frozen=True)
class Provenance:
    """Where one translated sentence came from (its engine's :class:`Signature` included)."""

    engine: str
    """Engine name: ``argos``, ``reference``, ``fake``…"""
    model: str | None = None
    """Model package name (``translate-en_fr``) or, for ``reference``, the reference file."""
    model_version: str | None = None
    """Package version, or the reference file's SHA-256."""
    signature: str | None = None
    """The engine's :class:`Signature` as text (``engine:argos|model:…|beam:4…``)."""
    glossary_sha256: str | None = None
    """Hash of the glossary applied, if any."""
    cached: bool = False
    """True when the text came from the translation cache, not from the engine."""
    flags: tuple[str, ...] = ()
    """Quality or alignment flags for a reviewer (``copied-source``, ``unaligned``…)."""
    score: float | None = None
    """Alignment confidence (reference engine) in 0..1."""
    state: str | None = None
    """The translator's state for a ``post-edited`` sentence (XLIFF 2.0: ``translated``,
    ``reviewed``, ``final``); None for every other engine."""

    @property
    def from_reference(self) -> bool:
        """True when the sentence is a human reference translation's."""
        return self.engine == REFERENCE_ENGINE

    @property
    def written_by_a_person(self) -> bool:
        """True for a reference translation's or a translator's post-edited sentence."""
        return self.engine in HUMAN_ENGINES


@dataclass(frozen=True)
class TranslationProvenance:
    """How a whole translation was made (what the PDF masthead, tags and manifest show)."""

    engine: str
    """Engine name (``argos``, ``reference``, ``fake``)."""
    signature: str
    """The engine's :class:`Signature` as text."""
    model: str | None = None
    """Model package, or the reference file for ``reference``."""
    model_version: str | None = None
    """Package version, or the reference file's SHA-256."""
    reference: str | None = None
    """The reference translation file (``reference`` engine)."""
    glossary: str | None = None
    """Glossary file applied, if any."""
    glossary_sha256: str | None = None
    """Its hash."""
    toolkit_version: str | None = None
    """Toolkit that made the translation."""
    alignment: Mapping[str, Any] | None = None
    """Alignment counts (``reference`` engine): beads, flags, low-confidence links."""
    post_edit: Mapping[str, Any] | None = None
    """The translator's post-edit applied (XLIFF import): ``path``, ``sha256``, ``used``."""
    review: Mapping[str, Any] | None = None
    """Rows a person should check (``reference`` engine): ``rows``, ``not_in_reference``,
    ``unaligned_reference``."""

    @property
    def from_reference(self) -> bool:
        """True when the translation is a human reference translation, aligned."""
        return self.engine == REFERENCE_ENGINE

    @property
    def reference_name(self) -> str | None:
        """The reference translation's file name (no folder), for a notice; else None."""
        if not self.from_reference:
            return None
        return (self.reference or self.model or "?").replace("\\", "/").rsplit("/", 1)[-1]

    @classmethod
    def of_engine(cls, engine: str) -> TranslationProvenance:
        """The provenance of a translation that recorded nothing but its engine's name."""
        return cls(engine=engine, signature=str(Signature.of(engine=engine)))

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        data = asdict(self)
        data["alignment"] = dict(self.alignment) if self.alignment is not None else None
        data["post_edit"] = dict(self.post_edit) if self.post_edit is not None else None
        data["review"] = dict(self.review) if self.review is not None else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TranslationProvenance:
        """Inverse of :meth:`to_dict`."""
        return cls(**{f: data[f] for f in cls.__dataclass_fields__ if f in data})

    @classmethod
    def from_v1_extra(cls, engine: str, extra: Mapping[str, Any]) -> TranslationProvenance:
        """Read the free-form ``extra`` of a version-1 translation file (the one place)."""
        reference = extra.get("reference")
        signature = extra.get("signature")
        if signature is None and reference:
            name = str(reference).rsplit("/", 1)[-1]
            sha = str(extra.get("reference_sha256") or "")
            signature = str(Signature.of(engine="reference", file=name, sha256=sha[:12]))
        return cls(
            engine=engine,
            signature=str(
                signature
                or Signature.of(
                    engine=engine, model=extra.get("model"), version=extra.get("model_version")
                )
            ),
            model=extra.get("model") or reference,
            model_version=extra.get("model_version") or extra.get("reference_sha256"),
            reference=reference,
            glossary=extra.get("glossary"),
            glossary_sha256=extra.get("glossary_sha256"),
            toolkit_version=extra.get("toolkit_version"),
            alignment=extra.get("alignment"),
            post_edit=extra.get("post_edit"),
            review=extra.get("review"),
        )


__all__ = ["Provenance", "Signature", "TranslationProvenance"]
