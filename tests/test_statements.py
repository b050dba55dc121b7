"""Front matter of real UN statements of different layouts (tests/data/statements/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.segment import segment_file
from toolkit.segment.frontmatter import find_symbol, is_end_mark

DATA = Path(__file__).parent / "data" / "statements"
EXPECTED: dict[str, dict[str, object]] = json.loads((DATA / "expected.json").read_text("utf-8"))


def test_the_set_covers_ten_statements_and_six_languages() -> None:
    assert len(EXPECTED) >= 10
    assert {name.split(".")[-2] for name in EXPECTED} == {"en", "fr", "es", "ru", "ar", "zh"}
    assert sorted(EXPECTED) == sorted(p.name for p in DATA.glob("*.md") if p.name != "README.md")
    readme = (DATA / "README.md").read_text("utf-8")
    for name in EXPECTED:
        assert name in readme  # every fixture names its source


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_front_matter(name: str) -> None:
    speech = segment_file(DATA / name)
    expected = EXPECTED[name]
    meta = expected["meta"]
    assert isinstance(meta, dict)
    for field, value in meta.items():
        assert getattr(speech.meta, field) == value, field
    assert [p.kind for p in speech.paragraphs] == expected["kinds"]
    for paragraph in speech.paragraphs:
        assert not is_end_mark(paragraph.text)
        assert find_symbol(paragraph.text) is None  # a symbol is never a paragraph
    # nothing of the text is lost: every body sentence of the file is in a paragraph
    text = (DATA / name).read_text("utf-8")
    joined = " ".join(p.text for p in speech.paragraphs)
    for line in text.splitlines():
        if len(line) > 80 and "[" not in line:
            assert line.strip() in joined
