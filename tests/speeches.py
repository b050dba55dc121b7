"""One shared builder of test speeches (the tests' only way to make a Speech by hand)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from toolkit.document import Meta, Paragraph, Sentence, Speech, join_sentences


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


