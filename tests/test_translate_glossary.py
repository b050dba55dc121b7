"""Glossary loading, term protection (placeholders + restore), compliance; as data tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import InputError
from toolkit.translate import TranslateOptions, translate_speech
from toolkit.translate.base import translate_detailed
from toolkit.translate.fake import FakeEngine
from toolkit.translate.glossary import (
    Glossary,
    ProtectedEngine,
    check_compliance,
    contains_term,
    find_protected_spans,
    load_glossary,
    parse_glossary,
    protect_text,
    restore_text,
    shipped_glossary_path,
)

DATA = Path(__file__).parent / "data" / "translate"


@pytest.fixture
def glossary() -> Glossary:
    return load_glossary(DATA / "terms.csv")


# --- loading -----------------------------------------------------------------------------


def test_csv_glossary_loads_with_comments_and_blank_cells(glossary: Glossary) -> None:
    assert glossary.languages == ("en", "fr", "es", "ru", "ar", "zh") or set(
        glossary.languages
    ) == {"en", "ar", "zh", "fr", "ru", "es"}
    assert [e.en for e in glossary.entries][:2] == [
        "Security Council",
        "Counter-Terrorism Committee",
    ]
    unoct = glossary.entries[-1]
    assert unoct.en == "UNOCT" and unoct.target("fr") == "UNOCT"  # blank cell keeps the English
    assert glossary.entries[0].target("zh") == "安全理事会"
    assert len(glossary.sha256) == 64


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("g.tsv", "en\tfr\nMember States\tÉtats Membres\n"),
        ("g.csv", "en,fr\nMember States,États Membres\n"),
        ("g.txt", "# comment\n\nen\tfr\nMember States\tÉtats Membres\n"),
        ("g.txt", "en;fr\nMember States;États Membres\n"),
        ("g.tsv", "\ufeffEN\tFR\n  Member   States \t États Membres \n"),
    ],
)
def test_formats_are_sniffed(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    entries = load_glossary(path).entries
    assert [(e.en, e.target("fr")) for e in entries] == [("Member States", "États Membres")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fr\tes\nx\ty\n", "no 'en' column"),
        ("en\tfr\n\tÉtats\n", "line 2: the 'en' cell is empty"),
        ("en\tfr\nA\tB\tC\n", "line 2: 3 cells for 2 columns"),
        ("# only comments\n", "no header"),
    ],
)
def test_bad_glossaries_are_refused_with_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_glossary(path)


def test_missing_and_non_utf8_glossaries(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Glossary not found"):
        load_glossary(tmp_path / "none.tsv")
    path = tmp_path / "latin1.tsv"
    path.write_bytes("en\tfr\nX\tÉtats\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_glossary(path)


def test_shipped_glossary_loads_with_all_six_languages() -> None:
    shipped = load_glossary(shipped_glossary_path())
    assert set(shipped.languages) == {"en", "ar", "zh", "fr", "ru", "es"}
    by_en = {e.en: e for e in shipped.entries}
    assert by_en["CTED"].target("fr") == "DECT"
    assert by_en["CTED"].target("ru") == "ИДКТК"
    assert by_en["CTED"].target("zh") == "反恐执行局"
    for term in ("Security Council", "Member States", "Counter-Terrorism Committee"):
        assert all(by_en[term].targets[lang] for lang in ("ar", "zh", "fr", "ru", "es"))


# --- finding spans -------------------------------------------------------------------------

SPAN_CASES = [
    # text, tgt, expected (original, replacement, kind)
    (
        "The Security Council met.",
        "fr",
        [("Security Council", "Conseil de sécurité", "term")],
    ),
    (
        "the security  council met",  # any case, flexible spaces
        "es",
        [("security  council", "Consejo de Seguridad", "term")],
    ),
    (
        "Counter-Terrorism Committee and CTED’s work",  # longest term first; possessive outside
        "fr",
        [
            ("Counter-Terrorism Committee", "Comité contre le terrorisme", "term"),
            ("CTED", "DECT", "term"),
        ],
    ),
    (
        "Council resolution 2395 (2017), and 1624 (2005).",
        "zh",
        [("2395 (2017)", "2395 (2017)", "citation"), ("1624 (2005)", "1624 (2005)", "citation")],
    ),
    (
        "Michèle Coninsx thanked UNOCT and civil society.",
        "ru",
        [
            ("Michèle Coninsx", "Michèle Coninsx", "name"),
            ("UNOCT", "UNOCT", "term"),
            ("civil society", "гражданское общество", "term"),
        ],
    ),
    ("CTEDs and uncivil societyx are not terms.", "fr", []),
]


@pytest.mark.parametrize(("text", "tgt", "expected"), SPAN_CASES)
def test_protected_spans(
    glossary: Glossary, text: str, tgt: str, expected: list[tuple[str, str, str]]
) -> None:
    spans = find_protected_spans(text, glossary, tgt, names=["Michèle Coninsx"])
    assert [(s.original, s.replacement, s.kind) for s in spans] == expected
    for span in spans:
        assert text[span.start : span.end] == span.original


# --- protect and restore -----------------------------------------------------------------

SOURCE = "The Security Council adopted resolution 2395 (2017) with CTED."


def _protected(glossary: Glossary, tgt: str = "fr"):  # type: ignore[no-untyped-def]
    spans = find_protected_spans(SOURCE, glossary, tgt)
    return protect_text(SOURCE, spans)


def test_placeholders_are_digits_absent_from_the_sentence(glossary: Glossary) -> None:
    text, placeholders = protect_text(
        "8401 and the Security Council",
        find_protected_spans("8401 and the Security Council", glossary, "fr"),
    )
    assert text == "8401 and the 8402"
    assert [p.token for p in placeholders] == ["8402"]
    text, placeholders = _protected(glossary)
    assert text == "The 8401 adopted resolution 8402 with 8403."
    assert [p.span.replacement for p in placeholders] == [
        "Conseil de sécurité",
        "2395 (2017)",
        "DECT",
    ]


RESTORE_CASES = [
    # model output for "The 8401 adopted resolution 8402 with 8403.", expected text, flags
    (
        "Le 8401 a adopté la résolution 8402 avec la 8403.",
        "Le Conseil de sécurité a adopté la résolution 2395 (2017) avec la DECT.",
        (),
    ),
    (  # French digit grouping with a narrow no-break space
        "Le 8\u202f401 a adopté la résolution 8 402 avec la 8403.",
        "Le Conseil de sécurité a adopté la résolution 2395 (2017) avec la DECT.",
        (),
    ),
    (  # Arabic-Indic digits
        "اعتمد ٨٤٠١ القرار ٨٤٠٢ مع ٨٤٠٣.",
        "اعتمد Conseil de sécurité القرار 2395 (2017) مع DECT.",
        (),
    ),
    (  # a dropped placeholder is inserted back, at a word boundary, and flagged
        "Le conseil a adopté la résolution 8402 avec la 8403.",
        "Le Conseil de sécurité conseil a adopté la résolution 2395 (2017) avec la DECT.",
        ("placeholder-lost",),
    ),
    (  # the model copied the English term: swapped for the approved one, no flag
        "Le Conseil a adopté la résolution 8402 avec CTED et 8401.",
        "Le Conseil a adopté la résolution 2395 (2017) avec DECT et Conseil de sécurité.",
        (),
    ),
    (  # a repeated placeholder is restored everywhere and flagged
        "8401 8401 a adopté la résolution 8402 avec 8403.",
        "Conseil de sécurité Conseil de sécurité a adopté la résolution 2395 (2017) avec DECT.",
        ("placeholder-repeated",),
    ),
    (  # longer digit runs are not mistaken for a placeholder
        "84011 8401 8402 8403",
        "84011 Conseil de sécurité 2395 (2017) DECT",
        (),
    ),
]


@pytest.mark.parametrize(("output", "expected", "flags"), RESTORE_CASES)
def test_restore(glossary: Glossary, output: str, expected: str, flags: tuple[str, ...]) -> None:
    _, placeholders = _protected(glossary)
    assert restore_text(output, placeholders, "fr") == (expected, flags)


def test_lost_placeholder_in_chinese_is_inserted_without_spaces(glossary: Glossary) -> None:
    _, placeholders = _protected(glossary, "zh")
    text, flags = restore_text("第8402号决议与8403。", placeholders, "zh")
    assert "安全理事会" in text and "2395 (2017)" in text and "反恐执行局" in text
    assert flags == ("placeholder-lost",)
    assert " " not in text.replace("2395 (2017)", "")


# --- compliance --------------------------------------------------------------------------

COMPLIANCE_CASES = [
    ("The Security Council met.", "Le Conseil de sécurité s'est réuni.", "fr", []),
    ("The Security Council met.", "Le conseil s'est réuni.", "fr", ["Security Council"]),
    ("The Security Council met.", "Совета Безопасности", "ru", []),  # inflected form accepted
    ("The Security Council met.", "安全理事会开会。", "zh", []),
    ("The Security Council met.", "安理会开会。", "zh", ["Security Council"]),
    ("See resolution 2395 (2017).", "Voir la résolution 2395 (2017).", "fr", []),
    ("See resolution 2395 (2017).", "Voir la résolution 2395.", "fr", ["2395 (2017)"]),
    ("Michèle Coninsx spoke.", "Michèle Coninsx a parlé.", "fr", []),
    ("Michèle Coninsx spoke.", "Mme Coninx a parlé.", "fr", ["Michèle Coninsx"]),
]


@pytest.mark.parametrize(("source", "output", "tgt", "missing"), COMPLIANCE_CASES)
def test_compliance(
    glossary: Glossary, source: str, output: str, tgt: str, missing: list[str]
) -> None:
    found = check_compliance(source, output, glossary, tgt, names=["Michèle Coninsx"])
    assert [s.original for s in found] == missing


def test_contains_term_is_exact_enough() -> None:
    assert contains_term("les États membres", "États Membres", "fr")
    assert not contains_term("les États", "États Membres", "fr")


# --- the wrapper on the fake engine --------------------------------------------------------


def test_protected_engine_on_fake_engine(glossary: Glossary) -> None:
    inner = FakeEngine()
    engine = ProtectedEngine(inner, glossary, names=["Michèle Coninsx"])
    [out] = translate_detailed(engine, [SOURCE], "en", "es")
    assert inner.calls[0][0] == ("The 8401 adopted resolution 8402 with 8403.",)
    assert (
        out.text
        == "[es] The Consejo de Seguridad adopted resolution 2395 (2017) with Dirección Ejecutiva."
    )
    assert out.flags == ()


def test_protected_engine_flags_a_model_that_drops_everything(glossary: Glossary) -> None:
    engine = ProtectedEngine(FakeEngine(transform=lambda s, tgt, h: "Rien."), glossary)
    [out] = translate_detailed(engine, [SOURCE], "en", "fr")
    assert "placeholder-lost" in out.flags
    # the fallback put every approved term back, so compliance holds
    assert "glossary-missing" not in out.flags
    assert "Conseil de sécurité" in out.text and "DECT" in out.text


def test_compliance_flag_when_placeholders_are_not_used(glossary: Glossary) -> None:
    class NoPlaceholders(FakeEngine):
        def encodes_cleanly(self, text: str, src: str, tgt: str) -> bool:
            return False

    inner = NoPlaceholders(transform=lambda s, tgt, h: "Le conseil a adopté une résolution.")
    [out] = translate_detailed(ProtectedEngine(inner, glossary), [SOURCE], "en", "fr")
    assert inner.calls[0][0] == (SOURCE,)  # sent unchanged
    assert out.flags == ("glossary-missing",)


def test_glossary_option_in_translate_speech(tmp_path: Path) -> None:
    from test_translate import make_speech

    speech = make_speech(tmp_path)
    result = translate_speech(
        speech, "fr", TranslateOptions(engine="fake", glossary=DATA / "terms.csv")
    )
    assert (
        result.texts()["p03s01"]
        == "[fr] The Conseil de sécurité adopted resolution 2395 (2017) in December."
    )
    assert result.provenance is not None
    assert result.provenance.glossary == str(DATA / "terms.csv")
    off = translate_speech(speech, "fr", TranslateOptions(engine="fake", use_glossary=False))
    assert (
        off.texts()["p03s01"]
        == "[fr] The Security Council adopted resolution 2395 (2017) in December."
    )
    assert parse_glossary("en\nX\n").entries[0].target("fr") == "X"


def test_a_title_the_source_does_not_gender_is_not_forced() -> None:
    from toolkit.translate.glossary import (
        check_compliance,
        find_protected_spans,
        load_glossary,
        shipped_glossary_path,
    )

    glossary = load_glossary(shipped_glossary_path())
    source = "The High Commissioner spoke. The UN High Commissioner for Human Rights spoke."
    (span,) = [s for s in find_protected_spans(source, glossary, "fr") if s.kind == "term"]
    assert span.alternatives  # both genders approved
    for form in ("Haut-Commissaire", "Haute-Commissaire"):
        output = f"Le {form} des Nations Unies aux droits de l'homme a parlé."
        assert check_compliance(source, output, glossary, "fr") == []
