"""The aligner: table cases in tests/data/align/, the no-loss invariant, anchors, properties."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from speeches import speech_from_paragraphs

from toolkit.document import Speech, join_sentences
from toolkit.translate.align import (
    PARAGRAPH_SHAPES,
    SENTENCE_SHAPES,
    AlignParams,
    AlignUnit,
    Block,
    UnitCosts,
    align_blocks,
    align_texts,
    document_ratio,
    extract_anchors,
    shared_vocabulary,
)
from toolkit.translate.align_search import best_path, soft_total, table_path
from toolkit.translate.reference_align import LOW_CONFIDENCE, align_speech
from toolkit.translate.speech_alignment import SpeechAlignment

CASES_DIR = Path(__file__).parent / "data" / "align"
CASES = sorted(CASES_DIR.glob("*.json"))


def load_case(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def case_speeches(case: dict[str, Any]) -> tuple[Speech, Speech]:
    english = speech_from_paragraphs(case["en"], lang="en")
    reference = speech_from_paragraphs(case["ref"], lang=case["lang"])
    return english, reference


def assert_invariant(english: Speech, reference: Speech, alignment: SpeechAlignment) -> None:
    """Nothing lost, duplicated or reordered, on both sides."""
    # Every reference sentence once, in the reference's order.
    assert alignment.reference_order() == [s.id for s in reference.sentences()]
    # Every English sentence exactly once, in order.
    assert [sid for link in alignment.sentences for sid in link.source_ids] == [
        s.id for s in english.sentences()
    ]
    by_id = {s.id: s.text for s in reference.sentences()}
    for link in alignment.sentences:
        assert link.reference_text == join_sentences(by_id[r] for r in link.reference_ids)
    for unaligned in alignment.unaligned:
        assert unaligned.text == join_sentences(by_id[r] for r in unaligned.reference_ids)


def test_there_are_table_cases() -> None:
    names = {p.stem for p in CASES}
    assert {
        "fr-one-to-one",
        "fr-merged-paragraphs",
        "ru-split-paragraph",
        "es-dropped-paragraph",
        "fr-translator-note",
        "ar-mixed-scripts",
        "zh-mixed-scripts",
    } <= names


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_table_case(path: Path) -> None:
    case = load_case(path)
    english, reference = case_speeches(case)
    alignment = align_speech(english, reference, case["lang"])

    got = [[" ".join(s.source_ids), " ".join(s.reference_ids)] for s in alignment.sentences]
    assert got == case["links"], case["description"]
    unaligned = [[u.after or "", " ".join(u.reference_ids)] for u in alignment.unaligned]
    assert unaligned == case.get("unaligned", []), case["description"]
    assert_invariant(english, reference, alignment)

    flags = {sid: link.flags for link in alignment.sentences for sid in link.source_ids[:1]}
    for sid, expected in case["flags"].items():
        for flag in expected:
            assert flag in flags[sid], (sid, flags[sid])
    if case["clean"]:
        for link in alignment.sentences:
            assert "low-confidence" not in link.flags, link
            assert "unaligned" not in link.flags, link
            assert link.score >= LOW_CONFIDENCE


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_scores_are_probabilities(path: Path) -> None:
    case = load_case(path)
    english, reference = case_speeches(case)
    alignment = align_speech(english, reference, case["lang"])
    for link in alignment.sentences:
        assert 0.0 <= link.score <= 1.0
        if not link.reference_ids:
            assert link.score == 0.0 and "unaligned" in link.flags
    for paragraph in alignment.paragraphs:
        assert 0.0 <= paragraph.score <= 1.0


def test_dropped_paragraph_is_one_paragraph_bead() -> None:
    case = load_case(CASES_DIR / "es-dropped-paragraph.json")
    english, reference = case_speeches(case)
    alignment = align_speech(english, reference, "es")
    dropped = [p for p in alignment.paragraphs if p.shape == "1-0"]
    assert [p.source_ids for p in dropped] == [("p06",)]


def test_translator_note_is_kept_apart_not_lost() -> None:
    case = load_case(CASES_DIR / "fr-translator-note.json")
    english, reference = case_speeches(case)
    alignment = align_speech(english, reference, "fr")
    link = next(s for s in alignment.sentences if s.source_ids == ("p06s02",))
    assert not link.reference_text.endswith("consacrée aux jeunes.]")
    (note,) = alignment.unaligned
    assert note.after == "p06s02" and note.text.endswith("consacrée aux jeunes.]")
    assert alignment.summary()["unaligned_reference"][0]["after"] == "p06s02"
    assert [p.shape for p in alignment.paragraphs].count("0-1") == 1


def test_wrong_reference_is_not_confident() -> None:
    """A reference that is another text entirely must not look like a good alignment."""
    case = load_case(CASES_DIR / "fr-one-to-one.json")
    english, _ = case_speeches(case)
    unrelated = speech_from_paragraphs(
        [
            ("body", ["Le budget-programme pour l’exercice biennal a été adopté sans vote."]),
            (
                "body",
                [
                    "La Cinquième Commission a examiné en détail les propositions relatives aux "
                    "ressources nécessaires pour les missions politiques spéciales, les opérations "
                    "de maintien de la paix, le plan-cadre d’équipement, les services de "
                    "conférence et la sécurité du personnel dans toutes les villes sièges.",
                    "Elle a recommandé d’approuver les crédits demandés.",
                ],
            ),
        ],
        lang="fr",
    )
    alignment = align_speech(english, unrelated, "fr")
    assert_invariant(english, unrelated, alignment)
    summary = alignment.summary()
    assert summary["unaligned"] + summary["low_confidence"] + summary["merged"] >= 5


# --- anchors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("resolution 2395 (2017)", {"#2395", "#2017", "^paren"}),
        ("القرار ٢٣٩٥ (٢٠١٧)", {"#2395", "#2017", "^paren"}),  # Arabic-Indic digits
        ("第２３９５（２０１７）号决议", {"#2395", "#2017", "^paren"}),  # full-width digits
        ("反恐执行局（CTED）", {"@CTED", "^paren"}),  # Latin acronym inside Chinese
        ("المديرية التنفيذية (CTED) و UNOCT", {"@CTED", "@UNOCT", "^paren"}),
        # punctuation a translation keeps, in any script; a hyphen inside a word is no dash
        (
            "Why now? Because — as «they» said: COVID-19",
            {"^question", "^dash", "^quote", "^colon", "@Why", "@Because", "@COVID", "#19"},
        ),
        ("为什么？［译者注］", {"^question", "^bracket"}),
        ("Michèle Coninsx a dit", {"@Michèle", "@Coninsx"}),
        ("les organisations de la société civile", set()),  # lowercase words are not anchors
        ("Мишель Конинкс", set()),  # Cyrillic names are not Latin anchors
    ],
)
def test_extract_anchors(text: str, expected: set[str]) -> None:
    assert set(extract_anchors(text)) == expected


def test_vocabulary_keeps_only_anchors_on_both_sides() -> None:
    vocabulary = shared_vocabulary(
        ["The Council adopted resolution 2250 (2015).", "CTED thanks Spain."],
        ["Le Conseil a adopté la résolution 2250 (2015).", "La DECT remercie l’Espagne."],
    )
    assert {a for a in vocabulary if a[0] != "^"} == {"#2250", "#2015"}


def test_numbers_override_misleading_lengths() -> None:
    """Lengths alone pair the short first sentences; the years say the translator joined 1+2."""
    english = [
        "In 2019 we met.",
        "In 2020 we met again, with many more partners from all regions of the world.",
        "In 2021 we met.",
    ]
    target = [
        "En 2019 et en 2020, nous nous sommes réunis.",
        "En 2021, nous nous sommes réunis avec nos partenaires.",
    ]
    with_numbers = [(b.source, b.target) for b in align_texts(english, target, ratio=1.0)]
    assert with_numbers == [((0, 1), (0,)), ((2,), (1,))]
    without = [(b.source, b.target) for b in align_texts(_no_digits(english), _no_digits(target))]
    assert without != with_numbers  # the anchors, not the lengths, made the decision


def test_crossed_order_becomes_a_merged_bead_not_two_wrong_pairs() -> None:
    english = ["We met in 2019.", "We met again in 2021."]
    target = ["Nous nous sommes réunis en 2021.", "Nous nous étions réunis en 2019."]
    beads = align_texts(english, target, ratio=1.1)
    assert [(b.source, b.target) for b in beads] == [((0, 1), (0, 1))]
    assert beads[0].conflicts == ()


def _no_digits(texts: list[str]) -> list[str]:
    return ["".join(ch for ch in t if not ch.isdigit()) for t in texts]


@pytest.mark.parametrize(
    ("source", "target", "prior", "expected"),
    [
        (["x" * 300], ["y" * 90], 0.3, 0.3),  # measured ratio equals the table's
        (["x" * 300], ["y" * 150], 0.3, 0.48),  # capped at 1.6 × the table value
        (["x" * 100], ["y" * 90], 0.3, 0.3),  # too short to measure: the table value
    ],
)
def test_document_ratio(
    source: list[str], target: list[str], prior: float, expected: float
) -> None:
    assert document_ratio(source, target, prior) == pytest.approx(expected)


def test_shapes_include_the_six_gale_church_beads() -> None:
    for shapes in (SENTENCE_SHAPES, PARAGRAPH_SHAPES):
        assert {(1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2)} <= set(shapes)


# --- properties: any input tiles exactly -----------------------------------------------------

_sentence = st.text(
    alphabet=st.sampled_from("abcdefghij klmnop 0123456789 CTED 反恐执行局 المديرية."),
    min_size=1,
    max_size=60,
)
_blocks = st.lists(st.lists(_sentence, min_size=1, max_size=3), min_size=0, max_size=5)


@settings(max_examples=60, deadline=None)
@given(source=_blocks, target=_blocks)
def test_blocks_cover_everything_once_in_order(
    source: list[list[str]], target: list[list[str]]
) -> None:
    beads = align_blocks(
        [Block(tuple(b)) for b in source], [Block(tuple(b)) for b in target], ratio=1.0
    )
    assert [i for b in beads for i in b.source] == list(range(len(source)))
    assert [j for b in beads for j in b.target] == list(range(len(target)))
    for bead in beads:
        n = sum(len(source[i]) for i in bead.source)
        m = sum(len(target[j]) for j in bead.target)
        assert [i for s in bead.sentences for i in s.source] == list(range(n))
        assert [j for s in bead.sentences for j in s.target] == list(range(m))
        assert 0.0 <= bead.score <= 1.0
        assert all(0.0 <= s.score <= 1.0 for s in bead.sentences)


# --- the fast programmes compute exactly what the plain ones do ------------------------------


@settings(max_examples=60, deadline=None)
@given(
    source=st.lists(_sentence, min_size=1, max_size=12),
    target=st.lists(_sentence, min_size=1, max_size=12),
    data=st.data(),
)
def test_shared_forward_pass_equals_one_pass_per_rectangle(
    source: list[str], target: list[str], data: st.DataObject
) -> None:
    """One pass from an origin gives every end the soft total of its own rectangle, bit for bit."""
    units = UnitCosts(
        [AlignUnit(t, group=k // 2) for k, t in enumerate(source)],
        [AlignUnit(t, group=k // 3) for k, t in enumerate(target)],
        AlignParams(ratio=1.2, vocabulary=shared_vocabulary(source, target)),
    )
    i = data.draw(st.integers(0, len(source) - 1))
    j = data.draw(st.integers(0, len(target) - 1))
    ends = data.draw(
        st.lists(
            st.tuples(st.integers(0, len(source) - i), st.integers(0, len(target) - j)),
            min_size=1,
            max_size=6,
        )
    )

    def cost(a: int, b: int, da: int, db: int) -> float:
        return units.cost(i + a, j + b, da, db)

    ends.append((len(source) - i, len(target) - j))  # the whole rest: every shape fits
    expected = [soft_total(n, m, units.shapes, cost) for n, m in ends]
    assert units.soft_totals(i, j, ends) == expected


@settings(max_examples=80, deadline=None)
@given(n=st.integers(0, 7), m=st.integers(0, 7), data=st.data())
def test_table_path_equals_the_plain_path(n: int, m: int, data: st.DataObject) -> None:
    """The table-driven paragraph search returns the plain search's steps and posteriors."""
    shapes = list(PARAGRAPH_SHAPES)
    lonely = [math.inf if di and dj else 1.0 + k / 10 for k, (di, dj) in enumerate(shapes)]
    cost_values = st.one_of(st.just(math.inf), st.floats(0.0, 12.0))
    table = [
        [
            lonely
            if data.draw(st.booleans())
            else [
                lonely[k] if lonely[k] != math.inf else data.draw(cost_values)
                for k in range(len(shapes))
            ]
            for _ in range(m + 1)
        ]
        for _ in range(n + 1)
    ]

    def cost(i: int, j: int, di: int, dj: int) -> float:
        return table[i][j][shapes.index((di, dj))]

    assert table_path(n, m, shapes, table, lonely) == best_path(n, m, shapes, cost)


def test_cognates_count_only_between_latin_scripts_when_asked() -> None:
    english = extract_anchors("Sustainable development for the organization", cognates=True)
    french = extract_anchors("Le développement durable de l’organisation", cognates=True)
    assert {"~deve", "~orga"} <= set(english) & set(french)
    assert not any(key.startswith("~") for key in extract_anchors("development goals"))
