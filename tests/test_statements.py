"""Front matter of real UN statements of different layouts (tests/data/statements/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.segment import segment_file
from toolkit.segment.marks import find_symbol, is_end_mark

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


@pytest.mark.parametrize(
    ("line", "symbol"),
    [
        ("SG/SM/21531", "SG/SM/21531"),
        ("UNIS/SGSM/1449 22 October 2024", "UNIS/SGSM/1449"),
        ("SG/SM/11764-OBV/716", "SG/SM/11764-OBV/716"),
        ("Press Release 08-049-E", "Press Release 08-049-E"),
        ("A/78/L.5", "A/78/L.5"),
        ("2021-2030 Decade of Action", None),  # a title, not a symbol
        ("UNOCT/Kingdom of Spain Conference", None),  # no digit: an organisation pair
        ("2021-05-26", None),
    ],
)
def test_symbols(line: str, symbol: str | None) -> None:
    found = find_symbol(line)
    assert (found[0] if found else None) == symbol


@pytest.mark.parametrize(
    ("line", "delivery"),
    [
        ("AS DELIVERED", "as delivered"),
        ("[as prepared for delivery]", "as prepared for delivery"),
        ("Check against delivery", "check against delivery"),
        ("Seul le texte prononcé fait foi", "check against delivery"),
        ("Cotejar con el discurso pronunciado", "check against delivery"),
        ("Сверить с текстом выступления", "check against delivery"),
        ("العبرة بالنص الملقى", "check against delivery"),
        ("以讲话为准", "check against delivery"),
        ("We delivered aid to 3 million people.", None),
    ],
)
def test_delivery_marks(line: str, delivery: str | None) -> None:
    from toolkit.segment.marks import delivery_of

    assert delivery_of(line) == delivery


@pytest.mark.parametrize(
    ("line", "speaker", "role", "occasion"),
    [
        (
            "Following is UN Secretary-General António Guterres’ message for United Nations"
            " Day, observed on 24 October:",
            "António Guterres",
            "UN Secretary-General",
            "United Nations Day",
        ),
        (
            "On trouvera ci-après le message du Secrétaire général de l’ONU, M. António "
            "Guterres, à l’occasion de la Journée mondiale de l’eau, célébrée le 22 mars:",
            "António Guterres",
            "Secrétaire général de l’ONU",
            "Journée mondiale de l’eau",
        ),
        (
            "A continuación figura el mensaje del Secretario General, Sr. António Guterres, "
            "con motivo del Día Mundial del Agua:",
            "António Guterres",
            "Secretario General",
            "Día Mundial del Agua",
        ),
    ],
)
def test_lead_ins(line: str, speaker: str, role: str, occasion: str) -> None:
    from toolkit.segment.frontmatter import parse_lead_in

    lead = parse_lead_in(line)
    assert lead is not None
    assert (lead.speaker, lead.role, lead.occasion) == (speaker, role, occasion)


def test_end_marks() -> None:
    for mark in ("###", "* *** *", "-30-", "***", "— 30 —"):
        assert is_end_mark(mark), mark
    assert not is_end_mark("Thank you.")
