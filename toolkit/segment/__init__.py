"""SourceText → Speech: repair PDF-extraction damage, classify paragraphs, split sentences.

Three public functions:

* :func:`segment` — a decoded :class:`~toolkit.document.SourceText` into a
  :class:`~toolkit.document.Speech`;
* :func:`segment_file` — the same from a path (``ingest.read_source`` + ``segment``);
* :func:`split_sentences` — the sentence splitter alone, returning character spans.

How a speech is read (each step a general rule; see :mod:`toolkit.segment.repair`):

1. lines are cleaned (markup, white space) and grouped into blank-line blocks;
2. page numbers, repeated running lines and headers/footers that interrupt a sentence
   are dropped;
3. hard-wrapped lines are joined, page-break splits rejoined, hyphenation repaired;
4. the leading blocks, up to the first full sentence or salutation, are front matter:
   a block with a date is the ``dateline`` (→ ``meta.date``, ``meta.venue``); a block
   starting "Remarks of/Statement by …" or with a speaker's title is a ``byline``
   (→ ``meta.speaker``, ``meta.role``; a lead-in such as "Remarks of" ends with a word that
   cannot end a sentence, so it is joined with the name block that follows); the first
   other block is the ``title``, later ones are ``subtitle``\\ s;
5. after the front matter, short forms of address ending in a comma are ``salutation``\\ s,
   the trailing "Thank you."-style paragraphs are ``closing``, the rest is ``body``;
6. body paragraphs are split into sentences; a front-matter paragraph is one sentence
   (a title is translated as one unit even if it contains a full stop);
7. IDs are positional and zero-padded: ``p01``… (``p001`` past 99 paragraphs) and
   ``p01s01``…, so unchanged text always gets the same IDs.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.document import Meta, Paragraph, Sentence, SourceText, Speech
from toolkit.segment.frontmatter import (
    find_date,
    has_byline_lead,
    has_event_words,
    is_byline,
    is_byline_lead,
    is_closing,
    is_salutation,
    split_byline,
    split_dateline,
    split_event,
)
from toolkit.segment.repair import (
    Joiner,
    assemble_paragraphs,
    drop_noise,
    read_lines,
)
from toolkit.segment.sentences import split_sentences

_FULL_STOPS = ".!?…。！？؟"
_CLOSERS = "\"'”’»」』)）"
_FRONT_MATTER_LIMIT = 10
"""Front matter is never longer than this many paragraphs."""

_RANK_START = (
    "permanent", "executive", "ambassador", "assistant", "under-secretary", "secretary",
    "deputy", "director", "special", "head", "chief", "president", "minister", "chair",
    "représentant", "directeur", "directrice", "secrétaire", "ambassadeur", "representante",
    "director", "directora", "secretario", "embajador", "постоянный", "исполнительный",
    "директор", "посол", "الممثل", "المدير", "المديرة", "السفير", "الأمين", "الأمينة",
    "助理秘书长", "副秘书长", "秘书长", "常驻代表", "大使", "执行主任", "主席",
)


def _is_body_like(text: str) -> bool:
    """A paragraph ending with a full stop: where the front matter ends (titles have none)."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _FULL_STOPS


def _front_matter_end(paragraphs: list[str]) -> int:
    for index, text in enumerate(paragraphs[:_FRONT_MATTER_LIMIT]):
        if is_salutation(text) or is_closing(text):
            return index
        if _is_body_like(text) and not has_byline_lead(text) and find_date(text) is None:
            return index
    return min(len(paragraphs), _FRONT_MATTER_LIMIT) if len(paragraphs) > 1 else 0


def _classify(paragraphs: list[str]) -> tuple[list[str], Meta]:
    """Kinds for every paragraph and the front matter they describe."""
    fm_end = _front_matter_end(paragraphs)
    kinds: list[str] = []
    title = subtitle = event = venue = date = None
    bylines: list[str] = []
    for text in paragraphs[:fm_end]:
        found_date = find_date(text)
        if found_date is not None and len(text.split()) <= 15 and not is_byline(text):
            kinds.append("dateline")
            if date is None:
                venue, date = split_dateline(text)
        elif is_byline(text) or (
            kinds
            and kinds[-1] == "byline"
            and (is_byline_lead(bylines[-1]) or text.lower().startswith(_RANK_START))
        ):
            kinds.append("byline")
            bylines.append(text)
            if date is None and found_date is not None:
                date = found_date.iso
        elif title is None:
            kinds.append("title")
            title = text
        else:
            kinds.append("subtitle")
            if subtitle is None:
                subtitle = text
    speaker = role = None
    if bylines:
        joined = bylines[0]
        for line in bylines[1:]:
            separator = " " if is_byline_lead(joined) else ", "
            joined = joined.rstrip(" ,،，") + separator + line
        speaker, role = split_byline(joined)
    for text, kind in zip(paragraphs, kinds, strict=False):
        # the meeting: the first title/subtitle naming one ("… Conference … on “…”")
        if kind in ("title", "subtitle") and has_event_words(text):
            event = split_event(text) or text
            break

    rest = paragraphs[fm_end:]
    closing_from = len(rest)
    while closing_from > 0 and is_closing(rest[closing_from - 1]):
        closing_from -= 1
    if closing_from == 0:  # nothing but "Thank you."? then it is not a closing of anything
        closing_from = len(rest)
    for index, text in enumerate(rest):
        if index >= closing_from:
            kinds.append("closing")
        elif is_salutation(text):
            kinds.append("salutation")
        else:
            kinds.append("body")
    meta = Meta(
        title=title,
        subtitle=subtitle,
        event=event,
        venue=venue,
        date=date,
        speaker=speaker,
        role=role,
    )
    return kinds, meta


def _merge_lone_lead_ins(texts: list[str], kinds: list[str]) -> tuple[list[str], list[str]]:
    """Join a lead-in standing alone ("Выступление", "كلمة", "讲话人") to the byline after it.

    English and French lead-ins end in a joining word ("Remarks of", "Allocution de") and are
    joined while paragraphs are assembled; doing the same for the others gives every language
    the same front-matter structure, so a translation's byline aligns 1-1 with the source's.
    """
    merged_texts: list[str] = []
    merged_kinds: list[str] = []
    for text, kind in zip(texts, kinds, strict=True):
        if (
            kind == "byline"
            and merged_kinds
            and merged_kinds[-1] == "byline"
            and is_byline_lead(merged_texts[-1])
        ):
            merged_texts[-1] = merged_texts[-1].rstrip(" :：") + " " + text
            continue
        merged_texts.append(text)
        merged_kinds.append(kind)
    return merged_texts, merged_kinds


def _width(count: int) -> int:
    return max(2, len(str(count)))


def segment(source: SourceText) -> Speech:
    """Segment a decoded source into a :class:`Speech` with stable paragraph and sentence IDs."""
    lines = drop_noise(read_lines(source.text))
    texts = assemble_paragraphs(lines, source.lang, Joiner(source.text))
    kinds, meta = _classify(texts)
    texts, kinds = _merge_lone_lead_ins(texts, kinds)
    p_width = _width(len(texts))
    paragraphs: list[Paragraph] = []
    for number, (text, kind) in enumerate(zip(texts, kinds, strict=True), start=1):
        pid = f"p{number:0{p_width}d}"
        if kind in ("title", "subtitle", "dateline", "byline"):
            spans = [(0, len(text))]
        else:
            spans = split_sentences(text, source.lang)
        s_width = _width(len(spans))
        sentences = tuple(
            Sentence(id=f"{pid}s{i:0{s_width}d}", text=text[start:end], start=start, end=end)
            for i, (start, end) in enumerate(spans, start=1)
        )
        paragraphs.append(Paragraph(id=pid, kind=kind, text=text, sentences=sentences))
    return Speech(
        source=source.path,
        source_sha256=source.sha256,
        slug=source.slug,
        lang=source.lang,
        meta=meta,
        paragraphs=tuple(paragraphs),
        footnotes=source.footnotes,  # kept apart: never joined into a paragraph or sentence
    )


def segment_file(path: Path | str, lang: str | None = None) -> Speech:
    """Read ``path`` (see :func:`toolkit.ingest.read_source`) and segment it."""
    from toolkit.ingest import read_source

    return segment(read_source(path, lang=lang))


__all__ = ["segment", "segment_file", "split_sentences"]
