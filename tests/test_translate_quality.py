"""Quality flags as a data table, and the retry-once-on-loop wrapper on the fake engine."""

from __future__ import annotations

import pytest

from toolkit.translate.base import LOOP_RETRY_HINTS, DecodeHints, translate_detailed
from toolkit.translate.fake import FakeEngine
from toolkit.translate.quality import QualityEngine, check_sentence, has_loop, numbers

S = "The Council adopted resolution 2395 in 2017 after long debate."

CASES = [
    # source, output, tgt, expected flags
    (S, "Le Conseil a adopté la résolution 2395 en 2017 après un long débat.", "fr", ()),
    (S, "", "fr", ("empty",)),
    (S, "   ", "es", ("empty",)),
    (S, S, "fr", ("copied-source",)),
    (S, "The Council adopted resolution 2395 in 2017 after long debate", "es", ("copied-source",)),
    (S, "The Council adopted resolution 2395 in 2017 after long debate.", "ru", ("copied-source",)),
    (S, "Совет принял резолюцию 2395 в 2017 году после долгих дебатов.", "ru", ()),
    (S, "安理会经过长时间辩论于2017年通过第2395号决议。", "zh", ()),
    (S, "مجلس الأمن اعتمد القرار ٢٣٩٥ في عام ٢٠١٧ بعد نقاش طويل.", "ar", ()),
    (
        S,
        "Le Conseil a adopté la résolution 2359 en 2017 après un long débat.",
        "fr",
        ("number-mismatch",),
    ),
    (
        S,
        "Le Conseil a adopté la résolution en 2017 après un très long débat.",
        "fr",
        ("number-mismatch",),
    ),
    (
        "The budget was 1,500,000 dollars in 2020 for the whole year.",
        "Le budget était de 1 500 000 dollars en 2020 pour toute l'année.",
        "fr",
        (),
    ),
    (S, "Le Conseil 2395 2017.", "fr", ("length-ratio",)),
    (
        S,
        "Le Conseil a adopté la résolution 2395 en 2017 " + "après un long débat " * 2 + "bien.",
        "fr",
        (),
    ),
    (
        S,
        "Le Conseil a adopté la résolution 2395 en 2017 " + "de la la la la la " * 3,
        "fr",
        ("repetition-loop",),
    ),
    (S, "安理会于2017年通过第2395号决议决议决议决议决议决议。", "zh", ("repetition-loop",)),
    ("Thank you.", "Merci.", "fr", ()),
    ("Thank you.", "Thank you.", "fr", ()),  # too short to call a copy
    ("", "", "fr", ()),
]


@pytest.mark.parametrize(("source", "output", "tgt", "expected"), CASES)
def test_check_sentence(source: str, output: str, tgt: str, expected: tuple[str, ...]) -> None:
    assert check_sentence(source, output, "en", tgt) == expected


def test_fake_engine_output_skips_copy_and_length_checks() -> None:
    assert check_sentence(S, f"[zh] {S}", "en", "zh", copies_source=True) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 000 and 2,5", ["1000", "25"]), ("٢٠٢١ and ２０２１", ["2021", "2021"]), ("none", [])],
)
def test_numbers(text: str, expected: list[str]) -> None:
    assert numbers(text) == sorted(expected)


def test_a_loop_in_the_source_is_not_the_model_s_fault() -> None:
    source = "No, no, no, no, never."
    assert not has_loop("Non, non, non, non, jamais.", "fr", source)


def looping(sentence: str, tgt: str, hints: DecodeHints | None) -> str:
    if hints is None or hints.is_default():
        return "le le le le le le le le"
    return f"[{tgt}] {sentence}"


def test_loop_is_retried_once_with_anti_repetition_options() -> None:
    inner = FakeEngine(transform=looping)
    engine = QualityEngine(inner)
    outcomes = translate_detailed(engine, ["One sentence here.", "Another one here."], "en", "fr")
    assert [o.text for o in outcomes] == ["[fr] One sentence here.", "[fr] Another one here."]
    assert all(o.flags == ("loop-retried",) for o in outcomes)
    assert len(inner.calls) == 2
    assert inner.calls[1][3] == LOOP_RETRY_HINTS  # one retry call for all looping sentences
    assert LOOP_RETRY_HINTS.no_repeat_ngram_size > 0 and LOOP_RETRY_HINTS.repetition_penalty > 1


def test_a_loop_that_persists_stays_flagged() -> None:
    inner = FakeEngine(transform=lambda s, tgt, h: "da da da da da da")
    [outcome] = translate_detailed(
        QualityEngine(inner), ["A sentence of some length here."], "en", "fr"
    )
    assert "repetition-loop" in outcome.flags and "loop-retried" in outcome.flags
    assert len(inner.calls) == 2


def test_no_retry_when_disabled() -> None:
    inner = FakeEngine(transform=looping)
    [outcome] = translate_detailed(
        QualityEngine(inner, retry_loops=False), ["Hello there all."], "en", "fr"
    )
    assert outcome.flags[0] == "repetition-loop" and len(inner.calls) == 1
