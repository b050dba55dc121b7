"""One shared builder of test speeches, and of their translations, made by hand."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit.document import (
    Meta,
    Paragraph,
    Provenance,
    Sentence,
    Speech,
    TranslatedParagraph,
    TranslatedSentence,
    TranslatedSpeech,
    join_sentences,
)
from toolkit.provenance import TranslationProvenance


def speech_from_paragraphs(
    paragraphs: Iterable[tuple[str, Sequence[str]]],
    *,
    lang: str,
    slug: str = "test",
    source: str = "memory",
    source_sha256: str = "",
    meta: Meta | None = None,
) -> Speech:
    """A :class:`Speech` from ``(kind, [sentences])`` pairs: the one builder the tests share.

    IDs are ``p01``, ``p01s01``…; sentence texts are joined with
    :func:`~toolkit.document.join_sentences` and their spans recorded, exactly as the
    segmenter would store them.
    """
    built: list[Paragraph] = []
    for index, (kind, texts) in enumerate(paragraphs, start=1):
        pid = f"p{index:02d}"
        sentences: list[Sentence] = []
        text = ""
        for k, sentence in enumerate(texts, start=1):
            text = join_sentences([text, sentence])
            start = len(text) - len(sentence)
            sentences.append(Sentence(f"{pid}s{k:02d}", sentence, start, len(text)))
        built.append(Paragraph(pid, kind, text, tuple(sentences)))
    return Speech(
        source=source,
        source_sha256=source_sha256,
        slug=slug,
        lang=lang,
        meta=meta or Meta(),
        paragraphs=tuple(built),
    )


def translated_by_hand(
    speech: Speech,
    lang: str,
    texts: Sequence[Sequence[str]],
    meta: Meta,
    *,
    provenance: Provenance | None = None,
    engine: str = "hand",
    notice: str | None = None,
    document: TranslationProvenance | None = None,
) -> TranslatedSpeech:
    """A TranslatedSpeech of ``speech`` whose sentences are ``texts`` (same shape as the speech).

    Every sentence carries ``provenance`` (``engine`` alone by default); ``document`` is the
    whole translation's provenance, as a translation JSON would carry it.
    """
    sentence_provenance = provenance or Provenance(engine=engine)
    paragraphs = tuple(
        TranslatedParagraph(
            paragraph.id,
            paragraph.kind,
            tuple(
                TranslatedSentence(s.id, s.text, t, sentence_provenance)
                for s, t in zip(paragraph.sentences, sentences, strict=True)
            ),
        )
        for paragraph, sentences in zip(speech.paragraphs, texts, strict=True)
    )
    return TranslatedSpeech(
        speech, lang, meta, paragraphs, engine=engine, notice=notice, provenance=document
    )
