"""The ``reference`` engine: use a human translation, aligned to the English sentence IDs.

A reference translation of ``source/<slug>.en.md`` is ``source/<slug>.<lang>.md`` (or
``.txt``) beside it. This module finds and reads that file (:func:`find_reference`,
:func:`load_reference`), has it aligned to the English
:class:`~toolkit.document.Speech` (:func:`toolkit.translate.reference_align.align_speech`,
whose result is a :class:`~toolkit.translate.speech_alignment.SpeechAlignment`), and builds
from the alignment the same :class:`~toolkit.document.TranslatedSpeech` machine translation
produces, so every exporter treats both alike (:func:`translation_from_alignment`):

* every English sentence gets exactly one :class:`~toolkit.document.TranslatedSentence`;
* an English sentence with no counterpart gets ``''`` and the flag ``unaligned`` — never a
  neighbour's text; the PDF says "not in the reference translation" there;
* when one reference sentence translates several English sentences (a ``2-1`` bead), its
  text goes on the first English sentence (flag ``merged``) and the others get ``''`` with
  the flag ``merged-into:<id of the first>``;
* the masthead is the reference's own front matter (:func:`reference_meta`).

A reference file may carry the notice shown to readers (for example "Unofficial reference
translation prepared for the toolkit's demonstration; not a UN document.") as an HTML comment
among its first lines: ``<!-- notice: … -->``. It is removed before segmentation. Without
one the notice is ``Reference translation: <file name>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from toolkit.document import (
    FRONT_MATTER_KINDS,
    Meta,
    Provenance,
    Signature,
    Speech,
    TranslatedParagraph,
    TranslatedSentence,
    TranslatedSpeech,
    TranslationProvenance,
)
from toolkit.errors import InputError
from toolkit.languages import get_language
from toolkit.provenance import REFERENCE_ENGINE
from toolkit.translate.reference_align import align_speech
from toolkit.translate.speech_alignment import SpeechAlignment, review_counts

ENGINE = REFERENCE_ENGINE
"""Engine name in provenance records and in ``TranslatedSpeech.engine``."""

_NOTICE = re.compile(r"\A\s*<!--\s*notice\s*:\s*(?P<text>.*?)\s*-->[ \t]*\n?", re.S | re.I)


# --- files -----------------------------------------------------------------------------------


def find_reference(speech: Speech, lang: str) -> Path | None:
    """``<slug>.<lang>.<ext>`` beside the speech's source file, if it exists.

    Any format the ingest readers take (.md, .txt, .docx, .html, .pdf); when several exist the
    first in :data:`toolkit.ingest.PREFERENCE` is used (see :func:`toolkit.ingest.find_variants`).
    """
    from toolkit.ingest import find_reference_file

    return find_reference_file(Path(speech.source).parent, speech.slug, get_language(lang).code)


@dataclass(frozen=True)
class Reference:
    """A reference translation read from its file."""

    path: Path
    """The file, as given."""
    sha256: str
    """SHA-256 of the file's bytes."""
    speech: Speech
    """The file segmented as a speech in its language."""
    notice: str | None
    """The notice from a leading ``<!-- notice: … -->`` comment, if any."""


def load_reference(path: Path | str, lang: str) -> Reference:
    """Read and segment a reference translation (removing a leading notice comment first)."""
    from toolkit.ingest import read_source
    from toolkit.segment import segment

    path = Path(path)
    lang = get_language(lang).code
    source = read_source(path, lang=lang)
    notice: str | None = None
    match = _NOTICE.match(source.text)
    text = source.text
    if match:
        notice = " ".join(match["text"].split()) or None
        text = text[match.end() :]
    speech = segment(replace(source, text=text))
    return Reference(path=path, sha256=source.sha256, speech=speech, notice=notice)


# --- the translation -------------------------------------------------------------------------


_LANGUAGE_NEUTRAL = ("date", "symbol", "delivery")
"""Meta fields that are the same in every language (a date, a document symbol, the delivery
status, kept as a code): taken from the English when the reference does not give them."""


def reference_meta(speech: Speech, alignment: SpeechAlignment, reference: Speech) -> Meta:
    """The target masthead: the reference's *own* front matter, read from the reference
    paragraphs aligned with the English front matter.

    A pull quote or an added lead printed above the title is unaligned, so it never becomes
    the title; a venue, role or subtitle the reference lacks stays empty rather than English
    (the exporter then prints the English in the English column only). The speaker's name
    falls back to the English spelling; date, symbol and delivery status are language-neutral.
    """
    from toolkit.segment import front_matter

    link_of = {pid: link for link in alignment.paragraphs for pid in link.source_ids}
    texts: list[str] = []
    for paragraph in speech.paragraphs:
        if paragraph.kind not in FRONT_MATTER_KINDS or paragraph.id not in link_of:
            continue
        for rid in link_of[paragraph.id].reference_ids:
            text = reference.paragraph(rid).text
            if text not in texts:
                texts.append(text)
    own = front_matter(texts, alignment.lang) if texts else Meta()
    values = {f.name: getattr(own, f.name) for f in fields(Meta)}
    for name in (*_LANGUAGE_NEUTRAL, "speaker"):
        values[name] = values[name] or getattr(speech.meta, name)
    return Meta(**values)


def reference_signature(reference: Reference) -> str:
    """The reference engine's signature: the file and (the start of) its SHA-256."""
    return str(Signature.of(engine=ENGINE, file=reference.path.name, sha256=reference.sha256[:12]))


def translation_from_alignment(
    speech: Speech,
    alignment: SpeechAlignment,
    reference: Reference,
) -> TranslatedSpeech:
    """Build the :class:`TranslatedSpeech` for an alignment (one entry per English sentence)."""
    per_sentence: dict[str, TranslatedSentence] = {}
    sources = {s.id: s.text for s in speech.sentences()}
    for link in alignment.sentences:
        first = link.source_ids[0]
        for position, sid in enumerate(link.source_ids):
            if position == 0:
                text, flags = link.reference_text, link.flags
            else:
                text = ""
                flags = (f"merged-into:{first}",) + tuple(
                    f for f in link.flags if f == "low-confidence"
                )
            per_sentence[sid] = TranslatedSentence(
                id=sid,
                source=sources[sid],
                text=text,
                provenance=Provenance(
                    engine=ENGINE,
                    model=str(reference.path),
                    model_version=reference.sha256,
                    signature=reference_signature(reference),
                    flags=flags,
                    score=link.score,
                ),
            )
    paragraphs = tuple(
        TranslatedParagraph(
            id=p.id,
            kind=p.kind,
            sentences=tuple(per_sentence[s.id] for s in p.sentences),
        )
        for p in speech.paragraphs
    )
    return TranslatedSpeech(
        speech=speech,
        lang=alignment.lang,
        meta=reference_meta(speech, alignment, reference.speech),
        paragraphs=paragraphs,
        engine=ENGINE,
        notice=reference.notice or f"Reference translation: {reference.path.name}",
        provenance=TranslationProvenance(
            engine=ENGINE,
            signature=reference_signature(reference),
            model=str(reference.path),
            model_version=reference.sha256,
            reference=str(reference.path),
            alignment=alignment.summary(),
            review=review_counts(alignment),
        ),
    )


def translate_with_reference(
    speech: Speech, lang: str, reference_path: Path | str
) -> TranslatedSpeech:
    """Translate ``speech`` into ``lang`` by aligning the human translation ``reference_path``."""
    reference = load_reference(reference_path, lang)
    alignment = align_speech(speech, reference.speech, lang)
    return translation_from_alignment(speech, alignment, reference)


def align_reference(
    speech: Speech, lang: str, reference_path: Path | str | None = None
) -> tuple[SpeechAlignment, Reference]:
    """Find (unless given), load and align the reference for ``lang``; for ``toolkit align``."""
    lang = get_language(lang).code
    path = Path(reference_path) if reference_path is not None else find_reference(speech, lang)
    if path is None:
        folder = Path(speech.source).parent
        raise InputError(
            f"No {lang} reference translation for {speech.slug}.",
            f"Put it at {folder / f'{speech.slug}.{lang}.md'} or pass --reference FILE.",
        )
    reference = load_reference(path, lang)
    return align_speech(speech, reference.speech, lang), reference


__all__ = [
    "ENGINE",
    "Reference",
    "align_reference",
    "find_reference",
    "load_reference",
    "reference_meta",
    "translate_with_reference",
    "translation_from_alignment",
]
