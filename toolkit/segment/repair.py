"""Turn PDF-extracted lines back into paragraphs.

The input is speech text as it comes out of a PDF: blocks separated by blank lines,
``**bold**`` markup, lines hard-wrapped inside a block, page breaks that split a
sentence into two blocks, running headers and footers, page numbers, and words
hyphenated across a line break. Every repair here is a general rule about the *shape*
of the text; none knows any particular string.

The rules, in order:

1. **Markup and white space.** ``**``/``__`` and leading ``#`` are removed; zero-width and
   bidi control characters are dropped; runs of white space become one space (no-break
   spaces, meaningful in French typography, are kept).
2. **Page numbers.** A line that is only a page number ("3", "- 3 -", "Page 3 of 7",
   "3/7", "第3页") is dropped.
3. **Repeated lines.** A short line without final punctuation that occurs two or more
   times is a running header or footer: every occurrence is dropped, except the first when
   it is part of the front matter.
4. **Interrupting lines.** A short Title-Case line without final punctuation that sits
   between a line ending mid-sentence and a line continuing it (lower case, or ``,;:)``) is
   a running header or footer when it is a block of its own or repeats a name or acronym of
   the front matter (the seed's "Counter-Terrorism Committee Executive Directorate (CTED)").
   Such a line that names the organisation as "Full Name (ACRONYM)" with an acronym of the
   front matter is dropped anywhere after the front matter.
5. **Lines inside a block** are hard-wrapped: they are joined, unless the block is
   written one paragraph per line (half or more of its lines end a sentence), in which case
   rule 6 decides at every line break.
6. **Joining across breaks.** Text ending mid-sentence (no final ``. ! ? : ;``; a comma
   counts as mid-sentence) is joined with what follows when that continues the sentence:
   it starts in lower case or with ``, ; : )``, or the text before ends with a word that
   cannot end a sentence ("of", "the", "de", "и"…). A comma followed by a capital is an
   enumeration ("Whereas …,") and is not joined. For scripts without case (Arabic,
   Chinese) a long text ending with no punctuation at all is joined with the next.
7. **Hyphenation**, decided on evidence: the text first — the hyphen is kept when the
   hyphenated form occurs elsewhere ("counter-terrorism"), dropped when the joined word does
   ("countering"); kept when the second part is capitalised ("anti-Semitism"). When the text
   says nothing, the language's spelling dictionary (:mod:`toolkit.segment.wordlist`): the
   joined word is a word ("multi-" + "lateral") → dropped; both halves are words but the
   joined form is not ("fact-" + "finding") → kept. After a prefix that UN editorial style
   hyphenates ("counter-", "non-", "self-"…) the hyphen is always kept; otherwise, with no
   evidence at all, it is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from toolkit.segment.classify import is_heading, is_item
from toolkit.segment.frontmatter import is_salutation

_MARKUP = re.compile(r"\*\*|__")
_HEADING = re.compile(r"^#{1,6}\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[^\S\u00a0\u202f]+|[ \t]*[\u00a0\u202f][ \t]*")
_SOFT_HYPHEN = "\u00ad"

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$|"
    r"^\d{1,3}\s*/\s*\d{1,3}$|"
    r"^\(?(?:page|p\.|pag\.|página|pág\.|страница|стр\.|صفحة|الصفحة)\s*\d{1,3}"
    r"(?:\s*(?:of|de|sur|из|من|/)\s*\d{1,3})?\)?$|"
    r"^\d{1,3}\s*(?:of|de|sur|из|من)\s*\d{1,3}$|"
    r"^第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?$",
    re.IGNORECASE,
)
_SENTENCE_END = ".!?…;:。！？؟；：．"
_CLAUSE_END = ",،，、"
_FULL_STOPS = ".!?…。！？؟．"
_TRAILING_CLOSERS = "\"'”’»」』)]）】"
_CONTINUATION_START = ",;:)]}،，；：）"
_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_ACRONYM = re.compile(r"\b[A-ZА-Я][A-ZА-Я&]{1,9}\b")
_ORG_LINE = re.compile(r"\(([A-ZА-Я][A-ZА-Я&/-]{1,14})\)$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words after which a sentence cannot end: text ending with one continues on the next line.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "a an the of to in for with by on at from and or nor but as into onto upon between "
        "among our its their his her this that these those whose which who than via about "
        "against within without towards toward under over through"
    ),
    "fr": _words(
        "le la les l un une des du de d à au aux et ou en pour par sur dans avec sans sous "
        "entre notre nos leur leurs son sa ses ce cette ces qui que dont vers contre chez"
    ),
    "es": _words(
        "el la los las un una unos unas de del a al y e o u en por para con sin sobre entre "
        "nuestro nuestra nuestros nuestras su sus este esta estos estas que cuyo hacia contra "
        "ante bajo tras"
    ),
    "ru": _words(
        "в во на и с со к ко по о об от для из за до при без над под между через наш наша "
        "наши нашего наших их его её ее этот эта эти что который которая которые"
    ),
    "ar": _words("في من إلى على عن مع و أو التي الذي الذين بين حول لدى"),
    "zh": frozenset(),
}
_HYPHEN_PREFIXES = _words("counter non self ex vice all quasi cross half well contre auto sous")
"""Prefixes after which UN editorial style keeps the hyphen ("non-governmental",
"counter-terrorism", "self-determination") whatever a general dictionary says; others
("multi-", "co-", "anti-") are decided by the dictionary ("multilateral", "cooperation")."""
_SMALL_WORDS = _words(
    "of and the for on in to at by a an de la le les du des et en y del el los las и в на по для"
)


@dataclass
class Line:
    """One non-blank source line, cleaned, with the blank-line block it belongs to."""

    text: str
    block: int
    soft_hyphen: bool = False


def clean_line(raw: str) -> tuple[str, bool]:
    """Rule 1 on one line; also say whether it ended with a soft hyphen."""
    text = _INVISIBLE.sub("", raw)
    text = _MARKUP.sub("", text)
    text = _HEADING.sub("", text.strip())
    text = _SPACES.sub(
        lambda m: "\u202f" if "\u202f" in m[0] else ("\u00a0" if "\u00a0" in m[0] else " "), text
    ).strip()
    soft = text.endswith(_SOFT_HYPHEN)
    return text.replace(_SOFT_HYPHEN, ""), soft


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_COMMENT_LINES = re.compile(r"^[ \t]*<!--.*?-->[ \t]*(?:\n|\Z)", re.S | re.M)


def read_lines(text: str) -> list[Line]:
    """Split text into cleaned non-blank lines, numbering blank-line-separated blocks.

    Markdown/HTML comments (``<!-- … -->``) are notes for editors, not speech: they are removed,
    whole lines when they stand alone, else just the comment.
    """
    text = _HTML_COMMENT.sub("", _HTML_COMMENT_LINES.sub("", text))
    lines: list[Line] = []
    block = 0
    previous_blank = True
    for raw in text.split("\n"):
        cleaned, soft = clean_line(raw)
        if not cleaned:
            if not previous_blank:
                block += 1
            previous_blank = True
            continue
        previous_blank = False
        lines.append(Line(cleaned, block, soft))
    return lines


def _ascii_digits(text: str) -> str:
    return "".join(str(int(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


def is_page_number(text: str) -> bool:
    """Rule 2: a line that is only a page number."""
    return bool(_PAGE_NUMBER.match(_ascii_digits(text).strip()))


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation (closing quotes skipped)."""
    stripped = text.rstrip().rstrip(_TRAILING_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def unpunctuated(text: str) -> bool:
    """True when ``text`` ends with neither sentence nor clause punctuation."""
    stripped = text.rstrip().rstrip(_TRAILING_CLOSERS)
    return bool(stripped) and stripped[-1] not in _SENTENCE_END + _CLAUSE_END


def _is_cjk(ch: str) -> bool:
    return (
        "\u2e80" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\uff00" <= ch <= "\uffef"
        or "\u3000" <= ch <= "\u303f"
    )


def _first_letter(text: str) -> str:
    for ch in text:
        if ch.isalpha():
            return ch
        if not (ch in "\"'“‘«(" or ch.isspace()):
            return ch
    return ""


def continues(text: str) -> bool:
    """True when ``text`` starts like the rest of a sentence (lower case or ``, ; : )``)."""
    stripped = text.lstrip()
    if not stripped:
        return False
    if stripped[0] in _CONTINUATION_START:
        return True
    first = stripped[0]
    return first.isalpha() and first.islower()


def _short(text: str) -> bool:
    return len(text) <= 100 and len(text.split()) <= 12


def _title_case(text: str) -> bool:
    words = [w for w in _WORD.findall(text) if w.lower() not in _SMALL_WORDS]
    if not words:
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    return capitals / len(words) >= 0.75


def _last_word(text: str) -> str:
    """The last word of ``text``, lower-cased ('' when the text ends with a number)."""
    tokens = text.split()
    if not tokens:
        return ""
    words = _WORD.findall(tokens[-1])
    ends_with_letter = tokens[-1].rstrip(_TRAILING_CLOSERS)[-1:].isalpha()
    return words[-1].lower() if words and ends_with_letter else ""


def _repeat_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


class _FrontMatterNames:
    """Acronyms and words of the front matter, to recognise the organisation's name later."""

    def __init__(self, lines: list[Line]) -> None:
        text = " ".join(line.text for line in lines)
        self.acronyms = set(_ACRONYM.findall(text))
        self.words = {w.lower() for w in _WORD.findall(text)}
        self.lines = {line.text for line in lines}

    def repeated_in(self, text: str) -> bool:
        if text in self.lines or set(_ACRONYM.findall(text)) & self.acronyms:
            return True
        words = [w.lower() for w in _WORD.findall(text) if w.lower() not in _SMALL_WORDS]
        return bool(words) and sum(w in self.words for w in words) / len(words) >= 0.6


def front_matter_line_count(lines: list[Line]) -> int:
    """Lines before the first block that holds a full sentence or a salutation."""
    first_body_block = None
    for line in lines:
        words = line.text.split()
        full_sentence = ends_sentence(line.text) and (
            len(words) >= 8 or sum(_is_cjk(c) for c in line.text) >= 15
        )
        if full_sentence or is_salutation(line.text):
            first_body_block = line.block
            break
    if first_body_block is None:
        return 0
    return sum(1 for line in lines if line.block < first_body_block)


def drop_noise(lines: list[Line]) -> list[Line]:
    """Rules 2–4: page numbers, repeated running lines, interrupting headers and footers."""
    fm_count = front_matter_line_count(lines)
    names = _FrontMatterNames(lines[:fm_count])
    counts = Counter(_repeat_key(line.text) for line in lines)
    kept: list[Line] = []
    for index, line in enumerate(lines):
        if is_page_number(line.text):
            continue
        if (
            counts[_repeat_key(line.text)] >= 2
            and unpunctuated(line.text)
            and len(line.text.split()) <= 15
            and index >= fm_count
            and not is_heading(line.text)  # "Article 1", "Article 2": numbered, not running
        ):
            continue
        kept.append(line)

    result: list[Line] = []
    front_matter = {id(line) for line in lines[:fm_count]}
    for index, line in enumerate(kept):
        if id(line) not in front_matter and _running_line(kept, index, names):
            continue
        result.append(line)
    return result


def _running_line(lines: list[Line], index: int, names: _FrontMatterNames) -> bool:
    line = lines[index]
    if not (_short(line.text) and unpunctuated(line.text) and _title_case(line.text)):
        return False
    prev = lines[index - 1] if index > 0 else None
    nxt = lines[index + 1] if index + 1 < len(lines) else None
    own_block = (prev is None or prev.block != line.block) and (
        nxt is None or nxt.block != line.block
    )
    org = _ORG_LINE.search(line.text)
    if own_block and org and org.group(1) in names.acronyms:
        return True
    interrupts = (
        prev is not None
        and nxt is not None
        and not ends_sentence(prev.text)
        and continues(nxt.text)
    )
    return interrupts and (own_block or names.repeated_in(line.text))


def _per_line_block(lines: list[Line]) -> bool:
    """Rule 5: is this block written one paragraph per line?"""
    if len(lines) < 2:
        return False
    ends = sum(1 for line in lines[:-1] if ends_sentence(line.text) or is_salutation(line.text))
    return ends / (len(lines) - 1) >= 0.5


def should_join(before: str, after: str, lang: str) -> bool:
    """Rule 6: does ``after`` continue the sentence that ``before`` leaves open?"""
    if not before or not after or ends_sentence(before):
        return False
    tail = before.rstrip()
    if tail.endswith(("-", "‐")) and len(tail) > 1 and tail[-2].isalpha() and continues(after):
        return True
    if continues(after):
        return True
    if unpunctuated(before) and _last_word(before) in _FUNCTION_WORDS.get(lang, frozenset()):
        return True
    if unpunctuated(before) and _ends_a_sentence_only(after) and _prose(before):
        # "… creating the United" / "Nations.": a few words that end a sentence cannot stand
        # as a paragraph of their own, even when they start with a capital
        return True
    first = _first_letter(after)
    if first and first.isalpha() and first.lower() == first.upper() and unpunctuated(before):
        # No case to go by (Arabic, Chinese): prose (it has clause punctuation) that stops
        # without any punctuation, followed by text that ends a sentence, was cut by a page
        # break. Titles and names have no clause punctuation and are left alone.
        cjk = sum(_is_cjk(c) for c in before) > len(before) / 2
        prose = any(c in _CLAUSE_END for c in before)
        full_stop = after.rstrip().rstrip(_TRAILING_CLOSERS)[-1:] in _FULL_STOPS
        return prose and full_stop and len(before) >= (15 if cjk else 40)
    return False


_ANSWERS = _words("no yes non oui sí si нет да لا نعم 不 是")


def _ends_a_sentence_only(text: str) -> bool:
    """A few words closing a sentence ("Nations.", "of the Charter."): not a paragraph."""
    from toolkit.segment.dates import find_date
    from toolkit.segment.frontmatter import is_closing
    from toolkit.segment.marks import delivery_of

    stripped = text.strip()
    words = stripped.split()
    if not words or len(words) > 4 or stripped.rstrip(_TRAILING_CLOSERS)[-1:] not in ".!?…":
        return False
    if stripped.rstrip(".!?… ").lower() in _ANSWERS or is_closing(stripped):
        return False
    return delivery_of(stripped) is None and find_date(stripped) is None


def _prose(text: str) -> bool:
    """Running text (long enough, not a heading, not Title Case): it may continue."""
    return len(text.split()) >= 8 and not is_heading(text) and not _title_case(text)


class Joiner:
    """Joins two pieces of text across a line break (rule 7 for hyphens; CJK needs no space)."""

    def __init__(self, full_text: str, lang: str = "en") -> None:
        words = _WORD.findall(full_text.replace(_SOFT_HYPHEN, ""))
        self.vocabulary = {w.lower() for w in words}
        self.lang = lang

    def join(self, before: str, after: str, soft_hyphen: bool = False) -> str:
        """``before`` + ``after`` with the right separator."""
        if soft_hyphen:
            return before + after
        tail = before[-2:]
        if len(tail) == 2 and tail[1] in "-‐" and tail[0].isalpha() and after[:1].isalpha():
            first = re.findall(r"[^\W\d_]+$", before[:-1])
            second = re.findall(r"^[^\W\d_]+", after)
            if first and second and self._drop_hyphen(first[0], second[0]):
                return before[:-1] + after
            return before + after
        if _is_cjk(before[-1]) or _is_cjk(after[0]):
            return before + after
        return before + " " + after

    def _drop_hyphen(self, first: str, second: str) -> bool:
        hyphenated = f"{first}-{second}".lower()
        joined = (first + second).lower()
        if hyphenated in self.vocabulary:
            return False
        if joined in self.vocabulary:
            return True
        if second[0].isupper():
            return False  # "anti-" + "Semitism", "pan-" + "African"
        if first.lower() in _HYPHEN_PREFIXES:
            return False
        from toolkit.segment.wordlist import word_list

        words = word_list(self.lang)
        if words is not None:
            if words.knows(first + second):
                return True  # "multi-" + "lateral": the line break's hyphen
            if words.knows(first) and words.knows(second):
                return False  # "fact-" + "finding": a compound's own hyphen
        return True


def assemble_paragraphs(lines: list[Line], lang: str, joiner: Joiner) -> list[str]:
    """Rules 5–7: join lines into blocks and blocks into paragraphs."""
    pieces: list[tuple[str, bool]] = []  # (text, ends with a soft hyphen)
    blocks: dict[int, list[Line]] = {}
    for line in lines:
        blocks.setdefault(line.block, []).append(line)
    for block_lines in blocks.values():
        if _per_line_block(block_lines):
            pieces.extend((line.text, line.soft_hyphen) for line in block_lines)
            continue
        text = block_lines[0].text
        soft = block_lines[0].soft_hyphen
        heading = is_heading(text)
        for line in block_lines[1:]:
            # a heading line, or a line opening a list item, starts a paragraph of its own
            if heading or is_heading(line.text) or is_item(line.text):
                pieces.append((text, soft))
                text, soft, heading = line.text, line.soft_hyphen, is_heading(line.text)
                continue
            text = joiner.join(text, line.text, soft)
            soft = line.soft_hyphen
        pieces.append((text, soft))

    paragraphs: list[str] = []
    soft_prev = False
    for text, soft in pieces:
        own = is_heading(text) or is_item(text) or (paragraphs and is_heading(paragraphs[-1]))
        if paragraphs and (soft_prev or (not own and should_join(paragraphs[-1], text, lang))):
            paragraphs[-1] = joiner.join(paragraphs[-1], text, soft_prev)
        else:
            paragraphs.append(text)
        soft_prev = soft
    return paragraphs
