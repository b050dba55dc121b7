"""Headings, lists, page-break and hyphen repairs, answers, and the sentence length limit."""

from __future__ import annotations

import pytest

from toolkit.document import SourceText
from toolkit.segment import MAX_SENTENCE_CHARS, segment
from toolkit.segment.sentences import split_sentences
from toolkit.segment.wordlist import word_list


def _segment(text: str, lang: str = "en") -> list[tuple[str, str]]:
    speech = segment(SourceText(f"x.{lang}.md", text, "", "utf-8", lang, "x"))
    return [(p.kind, p.text) for p in speech.paragraphs]


STRUCTURED = """**Statement on the draft convention**

New York, 3 May 2024

Mr. Chair,

I. Introduction

My delegation welcomes the draft. It is a good basis for our work.

Article 1

The first article defines the scope. We support it.

Article 2

The second article sets out the obligations of States:

• to prevent the crime;
• to punish those responsible;
• to cooperate with one another.

Article 3
The third article deals with jurisdiction.

We propose two changes:

(a) a clearer definition;

(b) a review clause.

1. First, the preamble should recall resolution 75/291.

2. Second, the final clauses need work.

Thank you.
"""


def test_numbered_headings_and_list_items_are_kept_as_their_own_paragraphs() -> None:
    kinds = _segment(STRUCTURED)
    assert [k for k, _ in kinds] == [
        "title", "dateline", "salutation",
        "heading", "body", "heading", "body", "heading", "body",
        "item", "item", "item",
        "heading", "body", "body", "item", "item", "item", "item", "closing",
    ]  # fmt: skip
    texts = [t for _, t in kinds]
    # the repeated-line rule masks digits: "Article 1/2/3" must not look like a running header
    assert {"Article 1", "Article 2", "Article 3", "I. Introduction"} <= set(texts)
    assert "• to punish those responsible;" in texts


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a page break inside a name: the few words ending the sentence cannot stand alone
        (
            "en",
            "Mr. President,\n\nSeventy-five years ago, the founders took a bold step in creating"
            " the United\n\nNations.\n\nThank you.",
            "Seventy-five years ago, the founders took a bold step in creating the United Nations.",
        ),
        # the text says nothing: the dictionary decides
        (
            "en",
            "Mr. President,\n\nThe fact-\nfinding mission went. Our multi-\nlateral work.",
            "The fact-finding mission went. Our multilateral work.",
        ),
        (
            "fr",
            "Monsieur le Président,\n\nLe système multi-\nlatéral et la coopé-\nration.",
            "Le système multilatéral et la coopération.",
        ),
        # the text itself wins over the dictionary
        (
            "en",
            "Mr. President,\n\nWe fight counter-terrorism. Our counter-\nterrorism work.",
            "We fight counter-terrorism. Our counter-terrorism work.",
        ),
    ],
)
def test_repairs(lang: str, text: str, expected: str) -> None:
    assert expected in [t for _, t in _segment(text, lang)]


def test_dictionaries_are_installed() -> None:
    # make setup installs them; without them hyphen decisions fall back to rules
    for lang in ("en", "fr", "es", "ru"):
        words = word_list(lang)
        assert words is not None, lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Is this acceptable? No. We cannot accept it.",
            ["Is this acceptable?", "No.", "We cannot accept it."],
        ),
        ("Yes. We agree.", ["Yes.", "We agree."]),
        (
            "See resolution No. 5 and Art. 3 of the Charter.",
            ["See resolution No. 5 and Art. 3 of the Charter."],
        ),
    ],
)
def test_answers_end_sentences_but_numbered_abbreviations_do_not(
    text: str, expected: list[str]
) -> None:
    assert [text[a:b] for a, b in split_sentences(text, "en")] == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (" ".join(["alpha", "beta", "gamma"] * 20000), "en"),  # no punctuation at all
        ("x" * 50000, "en"),  # not even a space
        ("word, " * 2000 + "end.", "fr"),  # clause marks
        ("这是一个没有标点的很长的句子" * 3000, "zh"),
    ],
)
def test_overlong_sentences_are_cut_under_the_limit_deterministically(text: str, lang: str) -> None:
    spans = split_sentences(text, lang)
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    covered = "".join(text[a:b] for a, b in spans).replace(" ", "")
    assert covered == text.replace(" ", "")
    assert split_sentences(text, lang) == spans  # deterministic
    if "," in text:  # the best break is the clause mark, not a space
        assert all(text[b - 1] == "," for a, b in spans[:-1])
