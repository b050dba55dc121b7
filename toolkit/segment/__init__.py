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

import re
from dataclasses import replace
from pathlib import Path

from toolkit.document import Meta, Paragraph, Sentence, SourceText, Speech
from toolkit.segment.bylines import (
    has_byline_lead,
    is_byline,
    is_byline_lead,
    is_role_line,
    name_and_role,
    split_byline,
)
from toolkit.segment.classify import classify_body
from toolkit.segment.dates import find_date, split_dateline
from toolkit.segment.frontmatter import (
    has_event_words,
    is_closing,
    is_salutation,
    message_title,
    parse_lead_in,
    split_event,
)
from toolkit.segment.marks import delivery_of, find_symbol, is_end_mark, strip_delivery
from toolkit.segment.repair import (
    Joiner,
    assemble_paragraphs,
    drop_noise,
    read_lines,
)
from toolkit.segment.sentences import MAX_SENTENCE_CHARS, limit_spans, split_sentences

_FULL_STOPS = ".!?…。！？؟"
_CLOSERS = "\"'”’»」』)）"
_FRONT_MATTER_LIMIT = 10
"""Front matter is never longer than this many paragraphs."""

_RANK_START = (
    "permanent",
    "executive",
    "ambassador",
    "assistant",
    "under-secretary",
    "secretary",
    "deputy",
    "director",
    "special",
    "head",
    "chief",
    "president",
    "minister",
    "chair",
    "représentant",
    "directeur",
    "directrice",
    "secrétaire",
    "ambassadeur",
    "representante",
    "director",
    "directora",
    "secretario",
    "embajador",
    "постоянный",
    "исполнительный",
    "директор",
    "посол",
    "الممثل",
    "المدير",
    "المديرة",
    "السفير",
    "الأمين",
    "الأمينة",
    "助理秘书长",
    "副秘书长",
    "秘书长",
    "常驻代表",
    "大使",
    "执行主任",
    "主席",
)


def _is_body_like(text: str) -> bool:
    """A paragraph ending with a full stop: where the front matter ends (titles have none)."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _FULL_STOPS


def _is_long_prose(text: str) -> bool:
    """Prose too long for a front-matter line, even when it opens with a date."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    words = len(text.split())
    inner_stop = re.search(r"[.!?؟。！？]\s+\S", text.rstrip()[:-1]) is not None
    return _is_body_like(text) and (words >= 25 or cjk >= 60 or (words >= 12 and inner_stop))


def _front_matter_end(paragraphs: list[str], lang: str) -> int:
    for index, text in enumerate(paragraphs[:_FRONT_MATTER_LIMIT]):
        if is_salutation(text) or is_closing(text):
            return index
        if parse_lead_in(text) is not None:
            continue
        if _is_long_prose(text):
            return index
        if _is_body_like(text) and not has_byline_lead(text) and find_date(text) is None:
            return index
    return min(len(paragraphs), _FRONT_MATTER_LIMIT) if len(paragraphs) > 1 else 0


_PLACE = re.compile(r"^[^\W\d_][^\d,.;:!?]{1,40}$")
_VENUE_BEFORE_DATE = re.compile(r"\b(?:in|à|en|в|في)\s+([^\W\d_][^,،]{1,40}?)[\s,،]*$")


class _MetaDraft:
    """The :class:`Meta` being read from the front-matter paragraphs, field by field.

    ``Meta`` is frozen and is the one list of front-matter fields; the reader meets the values
    one line at a time, so this holds a ``Meta`` and replaces it as they come.
    """

    def __init__(self, meta: Meta) -> None:
        self.meta = meta

    def set(self, **values: str | None) -> None:
        """Fill the fields that are still empty (the first value found wins)."""
        new = {k: v for k, v in values.items() if v and getattr(self.meta, k) is None}
        if new:
            self.meta = replace(self.meta, **new)

    def put(self, **values: str | None) -> None:
        """Set these fields whatever they hold (a line first read as the title is a venue)."""
        self.meta = replace(self.meta, **values)


def _classify_front(texts: list[str], lang: str, fm: _MetaDraft) -> list[str]:
    """Kinds of the front-matter paragraphs; fills ``fm`` as it goes."""
    kinds: list[str] = []
    bylines: list[str] = []  # consecutive byline pieces (lead-in, name, role) to join
    for index, text in enumerate(texts):
        found_date = find_date(text)
        lead = parse_lead_in(text)
        titled = message_title(text, lang)
        person = name_and_role(text)
        previous = kinds[-1] if kinds else None
        if lead is not None:
            kinds.append("byline")
            fm.set(speaker=lead.speaker, role=lead.role, event=lead.occasion)
        elif found_date is not None and len(text.split()) <= 15 and not is_byline(text):
            kinds.append("dateline")
            if fm.meta.date is None:
                venue, date = split_dateline(text)
                fm.put(date=date)
                if venue is None and index > 0 and previous in ("title", "subtitle"):
                    # "New York" on its own line above "24 октября 2019": the venue
                    above = texts[index - 1]
                    if _PLACE.match(above) and not is_role_line(above) and len(above.split()) <= 4:
                        kinds[index - 1] = "dateline"
                        venue = above
                        if fm.meta.title == above:
                            fm.put(title=None)
                        elif fm.meta.subtitle == above:
                            fm.put(subtitle=None)
                fm.set(venue=venue)
        elif titled is not None and not (previous == "byline" and is_byline_lead(bylines[-1])):
            speaker, role = titled
            if found_date is not None:
                fm.set(date=found_date.iso)
                match = _VENUE_BEFORE_DATE.search(text[: found_date.start])
                if match:
                    fm.set(venue=match.group(1).strip())
            kinds.append("title" if fm.meta.title is None else "subtitle")
            if fm.meta.title is None:
                fm.put(title=text)
            else:
                fm.set(subtitle=text)
            fm.set(speaker=speaker, role=role)
        elif person is not None:
            kinds.append("byline")
            fm.set(speaker=person[0], role=person[1])
        elif is_byline(text) or (
            previous == "byline"
            and bylines
            and (
                is_byline_lead(bylines[-1])
                or text.lower().startswith(_RANK_START)
                or is_role_line(text)
            )
        ):
            kinds.append("byline")
            bylines.append(text)
            if found_date is not None:
                fm.set(date=found_date.iso)
                match = _VENUE_BEFORE_DATE.search(text[: found_date.start])
                if match:
                    fm.set(venue=match.group(1).strip())
        elif is_role_line(text) and not has_event_words(text):
            kinds.append("byline")  # "Secretario General" alone: the speaker's function
            bylines.append(text)
        elif fm.meta.title is None:
            kinds.append("title")
            fm.put(title=text)
        else:
            kinds.append("subtitle")
            fm.set(subtitle=text)
    if bylines:
        joined = bylines[0]
        for line in bylines[1:]:
            separator = " " if is_byline_lead(joined) else ", "
            joined = joined.rstrip(" ,،，") + separator + line
        speaker, role = split_byline(joined)
        if speaker is None and role is None and is_role_line(joined):
            role = joined
        fm.set(speaker=speaker, role=role)
    return kinds


def _read_front_matter(texts: list[str], lang: str, marks: Meta) -> tuple[list[str], Meta]:
    """Kinds of the front-matter paragraphs and the :class:`Meta` they give.

    ``marks`` carries what was taken out of the text before (the symbol and delivery status,
    see :func:`_take_marks`); the paragraphs fill the other fields.
    """
    fm = _MetaDraft(marks)
    kinds = _classify_front(texts, lang, fm)
    for text, kind in zip(texts, kinds, strict=True):
        # the meeting: the first title/subtitle naming one ("… Conference … on “…”")
        if kind in ("title", "subtitle") and has_event_words(text):
            fm.set(event=split_event(text) or text)
            break
    if fm.meta.title is None and fm.meta.event is not None:
        # a press release with only a lead-in: its occasion is its title
        fm.put(title=fm.meta.event)
    return kinds, fm.meta


def _classify(paragraphs: list[str], lang: str, marks: Meta) -> tuple[list[str], Meta]:
    """Kinds for every paragraph and the front matter they describe."""
    fm_end = _front_matter_end(paragraphs, lang)
    kinds, meta = _read_front_matter(paragraphs[:fm_end], lang, marks)

    rest = paragraphs[fm_end:]
    closing_from = len(rest)
    while closing_from > 0 and is_closing(rest[closing_from - 1]):
        closing_from -= 1
    if closing_from == 0:  # nothing but "Thank you."? then it is not a closing of anything
        closing_from = len(rest)
    body_kinds = classify_body(rest[:closing_from], lang)
    for index, text in enumerate(rest):
        if index >= closing_from:
            kinds.append("closing")
        elif is_salutation(text):
            kinds.append("salutation")
        else:
            kinds.append(body_kinds[index])
    return kinds, meta


def _take_marks(texts: list[str]) -> tuple[list[str], str | None, str | None]:
    """Remove what is about the document, not in it: symbols, delivery marks, end marks.

    * Trailing end marks ("###", "* *** *", "-30-") are dropped, so the "Thank you." before
      them is the closing.
    * A document symbol or press-release number opening a front-matter line becomes
      ``meta.symbol`` (the rest of the line, often a date, stays).
    * A delivery mark ("AS DELIVERED", "Check against delivery", "Seul le texte prononcé
      fait foi", "以讲话为准"), alone on a line or bracketed after a front-matter line,
      becomes ``meta.delivery``.
    """
    out = list(texts)
    while out and is_end_mark(out[-1]):
        out.pop()
    symbol = delivery = None
    kept: list[str] = []
    for index, text in enumerate(out):
        front = index < _FRONT_MATTER_LIMIT and not _is_long_prose(text)
        tail = index >= len(out) - 2
        if (front or tail) and (value := delivery_of(text)):
            delivery = delivery or value
            continue
        if front:
            found = find_symbol(text)
            if found is not None and symbol is None and len(found[1].split()) <= 12:
                symbol, text = found
                if not text:
                    continue
            text, value = strip_delivery(text)
            delivery = delivery or value
        kept.append(text)
    return kept, symbol, delivery


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


def front_matter(texts: list[str], lang: str) -> Meta:
    """The :class:`Meta` that these front-matter paragraphs give, read with the same rules.

    For a reference translation, the paragraphs aligned with the English front matter (so that
    a pull quote printed above the title, or an added lead, never becomes the title).
    """
    texts, symbol, delivery = _take_marks([t for t in texts if t.strip()])
    return _read_front_matter(texts, lang, Meta(symbol=symbol, delivery=delivery))[1]


def segment(source: SourceText) -> Speech:
    """Segment a decoded source into a :class:`Speech` with stable paragraph and sentence IDs."""
    lines = drop_noise(read_lines(source.text))
    texts = assemble_paragraphs(lines, source.lang, Joiner(source.text, source.lang))
    texts, symbol, delivery = _take_marks(texts)
    kinds, meta = _classify(texts, source.lang, Meta(symbol=symbol, delivery=delivery))
    texts, kinds = _merge_lone_lead_ins(texts, kinds)
    p_width = _width(len(texts))
    paragraphs: list[Paragraph] = []
    for number, (text, kind) in enumerate(zip(texts, kinds, strict=True), start=1):
        pid = f"p{number:0{p_width}d}"
        if kind in ("title", "subtitle", "dateline", "byline", "heading"):
            spans = limit_spans(text, [(0, len(text))])
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


__all__ = ["MAX_SENTENCE_CHARS", "front_matter", "segment", "segment_file", "split_sentences"]
