"""Segmenter: the bundled speech's golden result, fixture speeches, tables of cases, properties.

The comparison never writes the golden file. Regenerate it after an intended change with
``.venv/bin/python tests/update_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.document import SourceText, Speech, dumps
from toolkit.errors import InputError
from toolkit.segment import segment, segment_file, split_sentences
from toolkit.segment.bylines import split_byline
from toolkit.segment.dates import find_date
from toolkit.segment.frontmatter import is_closing, is_salutation

DATA = Path(__file__).parent / "data" / "segment"
GOLDEN = DATA / "2021-05-26-coninsx-civil-society.golden.json"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def make_source(text: str, lang: str = "en") -> SourceText:
    return SourceText(
        path=f"case.{lang}.md", text=text, sha256="0" * 64, encoding="utf-8", lang=lang, slug="case"
    )


def seg(text: str, lang: str = "en") -> Speech:
    return segment(make_source(text, lang))


def sentences_of(speech: Speech) -> list[str]:
    return [s.text for s in speech.sentences()]


def assert_spans_consistent(speech: Speech) -> None:
    for paragraph in speech.paragraphs:
        assert paragraph.sentences, paragraph
        covered = "".join(s.text for s in paragraph.sentences)
        assert _non_space(covered) == _non_space(paragraph.text)
        previous_end = 0
        for sentence in paragraph.sentences:
            assert paragraph.text[sentence.start : sentence.end] == sentence.text
            assert sentence.start >= previous_end
            assert sentence.id.startswith(paragraph.id + "s")
            previous_end = sentence.end


# --------------------------------------------------------------------------- the bundled speech


def bundled_source() -> Path:
    return Path(__file__).resolve().parent.parent / "source" / (
        "2021-05-26-coninsx-civil-society.en.md"
    )


@pytest.fixture(scope="module")
def bundled() -> Speech:
    return segment_file(bundled_source())


def golden_dict(speech: Speech) -> dict[str, object]:
    data = json.loads(dumps(speech))
    data["source"] = Path(str(data["source"])).name  # independent of where the repo lives
    return data


def test_bundled_speech_matches_golden(bundled: Speech) -> None:
    actual = golden_dict(bundled)
    expected = json.loads(GOLDEN.read_text("utf-8"))
    assert actual == expected, "segmenter output changed: see tests/update_golden.py"


def test_bundled_speech_issue_expectations(bundled: Speech) -> None:
    kinds = Counter(p.kind for p in bundled.paragraphs)
    assert kinds["body"] == 28
    assert kinds["salutation"] == 2
    assert bundled.paragraphs[-1].kind == "closing"
    assert bundled.paragraphs[-1].text == "Thank you."
    assert [p.kind for p in bundled.paragraphs[:4]] == ["title", "subtitle", "dateline", "byline"]
    meta = bundled.meta
    assert meta.date == "2021-05-26"
    assert meta.venue is not None and "Malaga" in meta.venue
    assert meta.speaker == "Michèle Coninsx"
    assert meta.role is not None
    assert meta.role.startswith("Assistant Secretary-General")
    assert meta.role.endswith("Executive Director, CTED")
    assert meta.title is not None and "**" not in meta.title
    assert meta.title.startswith("UNOCT/Kingdom of Spain Conference Virtual Dialogue on “Human")
    assert meta.title.endswith("prevent and counter terrorism”")
    assert meta.subtitle == "The role of civil society"

    texts = [p.text for p in bundled.paragraphs]
    joined = "\n".join(texts)
    # the three page-break splits are rejoined
    assert "violent extremism conducive to terrorism, our progress" in joined
    assert "because civil society actors often have unique perspectives" in joined
    assert "in accordance with our mandate, and to ensure" in joined
    # the running footer is gone
    assert "Counter-Terrorism Committee Executive Directorate (CTED)" not in joined
    sentences = sentences_of(bundled)
    whole = [s for s in sentences if s.startswith("In many resolutions (stretching")]
    assert whole == [
        "In many resolutions (stretching all the way back to resolution 1624 (2005), its "
        "seminal resolution on terrorist incitement), the Council has emphasized that Member "
        "States have much to gain from working closely with civil society in many areas."
    ]
    assert_spans_consistent(bundled)
    ids = [p.id for p in bundled.paragraphs]
    assert ids == [f"p{i:02d}" for i in range(1, len(ids) + 1)]


def test_segmenting_twice_gives_identical_ids_and_json(bundled: Speech) -> None:
    again = segment_file(Path(bundled.source))
    assert dumps(again) == dumps(bundled)


def test_speech_json_round_trip(bundled: Speech) -> None:
    assert Speech.from_dict(json.loads(dumps(bundled))) == bundled


# --------------------------------------------------------------------------- unseen speeches

FIXTURES = sorted(p for p in DATA.iterdir() if p.suffix in (".md", ".txt"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_unseen_speech(path: Path) -> None:
    expect_path = DATA / (path.name.split(".")[0] + ".expect.json")
    expect = json.loads(expect_path.read_text("utf-8"))
    speech = segment_file(path)
    assert_spans_consistent(speech)
    for field, value in expect["meta"].items():
        assert getattr(speech.meta, field) == value, field
    assert [p.kind for p in speech.paragraphs] == expect["kinds"]
    for pid, text in expect.get("paragraphs", {}).items():
        assert speech.paragraph(pid).text == text
    sentences = sentences_of(speech)
    for sentence in expect.get("sentences", []):
        assert sentence in sentences
    joined = "\n".join(p.text for p in speech.paragraphs)
    for text in expect.get("absent", []):
        assert text not in joined
    for text in expect.get("once", []):
        assert joined.count(text) == 1


def test_every_fixture_has_expectations() -> None:
    assert len(FIXTURES) >= 3
    for path in FIXTURES:
        assert (DATA / (path.name.split(".")[0] + ".expect.json")).is_file(), path


# --------------------------------------------------------------------------- repairs, as a table

REPAIR_CASES = [
    pytest.param(
        "We thank the Council for its support in\n\ncombating terrorism in all its forms.",
        ["We thank the Council for its support in combating terrorism in all its forms."],
        id="page-break-lowercase",
    ),
    pytest.param(
        "We thank the members of the\n\nSecurity Council for their support.",
        ["We thank the members of the Security Council for their support."],
        id="page-break-after-function-word",
    ),
    pytest.param(
        "This is the first paragraph, which ends here.\n\nThis is the second one.",
        ["This is the first paragraph, which ends here.", "This is the second one."],
        id="two-paragraphs-not-joined",
    ),
    pytest.param(
        "Whereas the Charter applies,\n\nWhereas the Assembly has decided,\n\n"
        "Now therefore we act.",
        ["Whereas the Charter applies,", "Whereas the Assembly has decided,",
         "Now therefore we act."],
        id="comma-then-capital-not-joined",
    ),
    pytest.param(
        "The Office supports States in their\n\nOffice of Counter-Terrorism (UNOCT)\n\n"
        "efforts to prevent terrorism.",
        ["The Office supports States in their efforts to prevent terrorism."],
        id="interrupting-footer-block",
    ),
    pytest.param(
        "We will work with partners on the\n\n- 4 -\n\nground in every region.",
        ["We will work with partners on the ground in every region."],
        id="page-number-dash",
    ),
    pytest.param(
        "We will work with partners in\nPage 2 of 7\nevery region of the world.",
        ["We will work with partners in every region of the world."],
        id="page-of-n-inside-block",
    ),
    pytest.param(
        "First paragraph of the speech ends here.\n\nMinistry of Foreign Affairs\n\n"
        "Second paragraph of the speech ends here.\n\nMinistry of Foreign Affairs\n\n"
        "Third paragraph of the speech ends here.",
        ["First paragraph of the speech ends here.", "Second paragraph of the speech ends here.",
         "Third paragraph of the speech ends here."],
        id="repeated-running-header",
    ),
    pytest.param(
        "We must strengthen inter-\nnational cooperation without delay.",
        ["We must strengthen international cooperation without delay."],
        id="hyphenation-joined",
    ),
    pytest.param(
        "Counter-terrorism matters. Our counter-\nterrorism work goes on.",
        ["Counter-terrorism matters. Our counter-terrorism work goes on."],
        id="hyphenated-compound-seen-elsewhere-kept",
    ),
    pytest.param(
        "We support non-\ngovernmental organizations.",
        ["We support non-governmental organizations."],
        id="hyphen-prefix-kept",
    ),
    pytest.param(
        "The United Nations and the Euro-\nMediterranean partners agree.",
        ["The United Nations and the Euro-Mediterranean partners agree."],
        id="hyphen-before-capital-kept",
    ),
    pytest.param(
        "We need more   resources\tand    political will.",
        ["We need more resources and political will."],
        id="whitespace-normalised",
    ),
    pytest.param(
        "**We need** more __resources__.",
        ["We need more resources."],
        id="markup-removed",
    ),
    pytest.param(
        "It is an honour to be here today.\nThe Council has met many times this year.\n"
        "We welcome this debate and its outcome.\nOur work is not done.",
        ["It is an honour to be here today.", "The Council has met many times this year.",
         "We welcome this debate and its outcome.", "Our work is not done."],
        id="one-paragraph-per-line",
    ),
    pytest.param(
        "It is an honour to be here today.\nThe Council has met many times, and it will\n"
        "meet again next year.\nOur work is not done.",
        ["It is an honour to be here today.",
         "The Council has met many times, and it will meet again next year.",
         "Our work is not done."],
        id="one-paragraph-per-line-with-a-wrapped-line",
    ),
    pytest.param(
        "This long paragraph was wrapped by the PDF tool at a fixed width of about\n"
        "seventy characters, so each line stops wherever the width runs out and\n"
        "the next line simply carries on with the same sentence until it ends.",
        ["This long paragraph was wrapped by the PDF tool at a fixed width of about seventy "
         "characters, so each line stops wherever the width runs out and the next line simply "
         "carries on with the same sentence until it ends."],
        id="hard-wrapped-block",
    ),
    pytest.param(
        "<!-- notice: an editor's note -->\n\nWe thank the Council for its support in\n"
        "<!-- page 2 -->\ncombating terrorism. Our <!-- sic --> work goes on.",
        ["We thank the Council for its support in combating terrorism. Our work goes on."],
        id="markdown-comments-removed",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REPAIR_CASES)
def test_repairs(text: str, expected: list[str]) -> None:
    speech = seg(text)
    assert [p.text for p in speech.paragraphs] == expected
    assert_spans_consistent(speech)


KIND_CASES = [
    pytest.param("Mr. President,", "salutation", id="mr-president"),
    pytest.param("Madam Chair,", "salutation", id="madam-chair"),
    pytest.param("Excellencies, ladies and gentlemen,", "salutation", id="excellencies"),
    pytest.param("Distinguished delegates,", "salutation", id="distinguished"),
    pytest.param("Excellences, Mesdames et Messieurs,", "salutation", id="fr"),
    pytest.param("Excelencias, señoras y señores:", "salutation", id="es"),
    pytest.param("Ваши превосходительства, дамы и господа,", "salutation", id="ru"),
    pytest.param("أصحاب السعادة، السيدات والسادة،", "salutation", id="ar"),
    pytest.param("各位阁下，女士们、先生们：", "salutation", id="zh"),
    pytest.param(
        "Mr. President, the Council must act now to protect civilians.", "body", id="not-salutation"
    ),
]


@pytest.mark.parametrize(("line", "kind"), KIND_CASES)
def test_salutation_kinds(line: str, kind: str) -> None:
    lang = "en"
    text = f"{line}\n\nThis is the body of the statement, which goes on for a while.\n\nThank you."
    speech = seg(text, lang)
    assert speech.paragraphs[0].kind == kind
    assert speech.paragraphs[-1].kind == "closing"


CLOSINGS = [
    ("en", "Thank you."), ("en", "Thank you very much."), ("en", "I thank you."),
    ("en", "Thank you, Mr. President."), ("en", "Thank you for your attention."),
    ("fr", "Je vous remercie."), ("fr", "Merci."), ("fr", "Merci beaucoup."),
    ("es", "Gracias."), ("es", "Muchas gracias."), ("ru", "Спасибо."), ("ru", "Благодарю вас."),
    ("ar", "شكرا."), ("ar", "شكراً لكم."), ("zh", "谢谢。"), ("zh", "谢谢大家。"),
]


@pytest.mark.parametrize(("lang", "line"), CLOSINGS, ids=[c[1] for c in CLOSINGS])
def test_closings(lang: str, line: str) -> None:
    assert is_closing(line)
    body = {
        "en": "We will continue our work together.",
        "fr": "Nous poursuivrons nos travaux ensemble.",
        "es": "Seguiremos trabajando juntos.",
        "ru": "Мы продолжим нашу совместную работу.",
        "ar": "وسنواصل عملنا معا.",
        "zh": "我们将继续共同努力。",
    }[lang]
    speech = seg(f"{body}\n\n{line}", lang)
    assert [p.kind for p in speech.paragraphs] == ["body", "closing"]


@pytest.mark.parametrize(
    "line",
    ["Thank you for giving me the floor, and for your leadership of this Council today.",
     "We thank the Secretariat."],
)
def test_not_closings(line: str) -> None:
    assert not is_closing(line)


def test_thank_you_in_the_middle_is_body() -> None:
    speech = seg("Mr. President,\n\nThank you.\n\nWe meet at a difficult time for the world.")
    assert [p.kind for p in speech.paragraphs] == ["salutation", "body", "body"]


def test_salutation_needs_final_comma() -> None:
    assert not is_salutation("Excellencies and colleagues will recall what we decided.")


# --------------------------------------------------------------------------- front matter

DATES = [
    ("Malaga/virtual platform, Wednesday, 26 May 2021", "2021-05-26"),
    ("New York, 12 March 2024", "2024-03-12"),
    ("Vienna, June 14, 2022", "2022-06-14"),
    ("1st December 2020", "2020-12-01"),
    ("Geneva, 2021-05-26", "2021-05-26"),
    ("26/05/2021", "2021-05-26"),
    ("05/26/2021", "2021-05-26"),
    ("26.05.2021", "2021-05-26"),
    ("Malaga/plateforme virtuelle, mercredi 26 mai 2021", "2021-05-26"),
    ("1er juin 2021", "2021-06-01"),
    ("Málaga, miércoles 26 de mayo de 2021", "2021-05-26"),
    ("Малага, среда, 26 мая 2021 года", "2021-05-26"),
    ("مالقة، الأربعاء، 26 أيار/مايو 2021", "2021-05-26"),
    ("مالقة، ٢٦ أيار/مايو ٢٠٢١", "2021-05-26"),
    ("马拉加，2021年5月26日，星期三", "2021-05-26"),
]


@pytest.mark.parametrize(("text", "iso"), DATES, ids=[d[0] for d in DATES])
def test_dates(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None and found.iso == iso


@pytest.mark.parametrize(
    "text", ["05/06/2021", "31 February 2021", "in 2021 we met", "resolution 1624 (2005)"]
)
def test_ambiguous_or_impossible_dates_are_not_guessed(text: str) -> None:
    assert find_date(text) is None


BYLINES = [
    ("Remarks of Assistant Secretary-General Michèle Coninsx, Executive Director, CTED",
     "Michèle Coninsx", "Assistant Secretary-General, Executive Director, CTED"),
    ("Statement by H.E. Mr. Tomas Lindqvist, Permanent Representative of Norland",
     "Tomas Lindqvist", "Permanent Representative of Norland"),
    ("Opening remarks by Ms. Adaeze Okafor, Director, Division for Treaty Affairs",
     "Adaeze Okafor", "Director, Division for Treaty Affairs"),
    ("Statement by H.E. Mr. Juan PÉREZ GARCÍA, Ambassador", "Juan PÉREZ GARCÍA", "Ambassador"),
    ("Allocution de M. Jean Dupont, Représentant permanent de la France",
     "Jean Dupont", "Représentant permanent de la France"),
    ("Выступление Помощник Генерального секретаря Мишель Конинкс, Исполнительный директор ИДКТК",
     "Мишель Конинкс", "Помощник Генерального секретаря, Исполнительный директор ИДКТК"),
    ("讲话人助理秘书长米歇尔·科宁克斯，反恐怖主义委员会执行局执行主任",
     "米歇尔·科宁克斯", "助理秘书长，反恐怖主义委员会执行局执行主任"),
]


@pytest.mark.parametrize(("byline", "speaker", "role"), BYLINES, ids=[b[1] for b in BYLINES])
def test_bylines(byline: str, speaker: str, role: str) -> None:
    assert split_byline(byline) == (speaker, role)


def test_no_front_matter() -> None:
    speech = seg("We meet today at a critical moment for the Organization.\n\nThank you.")
    assert [p.kind for p in speech.paragraphs] == ["body", "closing"]
    assert speech.meta.title is None and speech.meta.date is None


# --------------------------------------------------------------------------- sentences per language

SENTENCE_CASES = [
    ("en", "Mr. Smith and Dr. Jones met Ms. Lee. They agreed.",
     ["Mr. Smith and Dr. Jones met Ms. Lee.", "They agreed."]),
    ("en", "See resolution No. 5 and Art. 51 of the Charter. It is clear.",
     ["See resolution No. 5 and Art. 51 of the Charter.", "It is clear."]),
    ("en", "The U.N. was founded in 1945. It now has 193 Member States.",
     ["The U.N. was founded in 1945.", "It now has 193 Member States."]),
    ("en", "Growth was 2.5 per cent. That is low.", ["Growth was 2.5 per cent.", "That is low."]),
    ("en", "We came, we saw… We left.", ["We came, we saw…", "We left."]),
    ("en", "We wait... and we wait.", ["We wait... and we wait."]),
    ("en", 'He said, "We will act." Then he left.', ['He said, "We will act."', "Then he left."]),
    ("en", "He asked: “Who will act?” Nobody answered.",
     ["He asked: “Who will act?”", "Nobody answered."]),
    ("en", "Food, water, shelter, etc. are needed. We must act.",
     ["Food, water, shelter, etc. are needed.", "We must act."]),
    ("en", "We need food, water, shelter, etc. The list is long.",
     ["We need food, water, shelter, etc.", "The list is long."]),
    ("en", "Some States (e.g. Norway, Chile. And others) agree. We do too.",
     ["Some States (e.g. Norway, Chile. And others) agree.", "We do too."]),
    ("en", "Is this enough? No! We must do more.", ["Is this enough?", "No!", "We must do more."]),
    ("en", "1. The Council met. 2. It decided.", ["1. The Council met.", "2. It decided."]),
    ("fr", "M. Dupont et Mme Martin sont arrivés. Ils ont parlé.",
     ["M. Dupont et Mme Martin sont arrivés.", "Ils ont parlé."]),
    ("fr", "Pourquoi\u202f? Parce que c'est notre devoir\u00a0! Agissons.",
     ["Pourquoi\u202f?", "Parce que c'est notre devoir\u00a0!", "Agissons."]),
    ("fr", "Il a dit\u202f: «\u00a0Nous agirons.\u00a0» Puis il est parti.",
     ["Il a dit\u202f: «\u00a0Nous agirons.\u00a0»", "Puis il est parti."]),
    ("fr", "Voir l'art. 51, p. ex. la pratique des États. C'est clair\u202f; nous agirons.",
     ["Voir l'art. 51, p. ex. la pratique des États.", "C'est clair\u202f; nous agirons."]),
    ("es", "¿Qué haremos ante esta crisis? ¡Actuar ya! El Sr. Pérez lo dijo.",
     ["¿Qué haremos ante esta crisis?", "¡Actuar ya!", "El Sr. Pérez lo dijo."]),
    ("es", "¿Acaso no dijo la Sra. García. Que debíamos actuar? Sí.",
     ["¿Acaso no dijo la Sra. García. Que debíamos actuar?", "Sí."]),
    ("es", "Véase el art. 5 y la resolución núm. 2395. Es claro.",
     ["Véase el art. 5 y la resolución núm. 2395.", "Es claro."]),
    ("ru", "В 2021 г. Совет принял решение. Т.е. вопрос решён.",
     ["В 2021 г. Совет принял решение.", "Т.е. вопрос решён."]),
    ("ru", "Это касается ст. 51 Устава, им. Ленина и т.д. Мы продолжим.",
     ["Это касается ст. 51 Устава, им. Ленина и т.д.", "Мы продолжим."]),
    ("ru", "В.А. Небензя выступил в Совете. Он был краток.",
     ["В.А. Небензя выступил в Совете.", "Он был краток."]),
    ("ar", "نحن ممتنون لمملكة إسبانيا. هل نحن مستعدون؟ نعم، نحن مستعدون؛ ولكن علينا أن نعمل!",
     ["نحن ممتنون لمملكة إسبانيا.", "هل نحن مستعدون؟", "نعم، نحن مستعدون؛ ولكن علينا أن نعمل!"]),
    ("ar", "وفقا للقرار 1624 (2005. وغيره)، يجب أن نعمل. وهذا واضح.",
     ["وفقا للقرار 1624 (2005. وغيره)، يجب أن نعمل.", "وهذا واضح."]),
    ("zh", "我们感谢西班牙王国。他说：“我们必须行动。”这是我们的责任！难道不是吗？",
     ["我们感谢西班牙王国。", "他说：“我们必须行动。”", "这是我们的责任！", "难道不是吗？"]),
    ("zh", "安全理事会第1624（2005）号决议（见第3段。）十分重要；我们必须执行。",
     ["安全理事会第1624（2005）号决议（见第3段。）十分重要；我们必须执行。"]),
    ("zh", "增长了2.5%。谢谢。", ["增长了2.5%。", "谢谢。"]),
]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), SENTENCE_CASES, ids=[f"{c[0]}-{i}" for i, c in
                                                      enumerate(SENTENCE_CASES)]
)
def test_split_sentences(lang: str, text: str, expected: list[str]) -> None:
    spans = split_sentences(text, lang)
    assert [text[a:b] for a, b in spans] == expected


LANGUAGE_SPEECHES = {
    "fr": (
        "Excellences, Mesdames et Messieurs,\n\n"
        "La DECT collabore depuis de nombreuses années avec la société civile, conformément "
        "aux résolutions du Conseil de sécurité. Pourquoi\u202f? Parce que son apport est "
        "essentiel\u00a0!\n\n"
        "Nous devons garantir que tous les acteurs concernés peuvent mener leurs activités dans\n\n"
        "le plein respect des droits de l'homme.\n\nJe vous remercie.",
        ["salutation", "body", "body", "closing"],
        4,
    ),
    "es": (
        "Excelencias, señoras y señores:\n\n"
        "¿Qué podemos hacer? ¡Mucho! La Dirección Ejecutiva colabora con la sociedad civil "
        "desde hace muchos años.\n\nDebemos velar por que todos los agentes pertinentes puedan "
        "realizar sus actividades con\n\npleno respeto de los derechos humanos.\n\nMuchas gracias.",
        ["salutation", "body", "body", "closing"],
        4,
    ),
    "ru": (
        "Ваши превосходительства, уважаемые коллеги,\n\n"
        "ИДКТК уже много лет взаимодействует с гражданским обществом, т.е. с неправительственными "
        "организациями. В 2021 г. мы провели ряд встреч.\n\nМы должны делать всё возможное для "
        "того, чтобы все соответствующие субъекты могли действовать при полном соблюдении\n\n"
        "прав человека.\n\nБлагодарю вас.",
        ["salutation", "body", "body", "closing"],
        3,
    ),
    "ar": (
        "أصحاب السعادة، أيها الزملاء،\n\n"
        "تتعاون المديرية التنفيذية مع المجتمع المدني منذ سنوات عديدة. هل هذا كاف؟ كلا، "
        "علينا أن نبذل المزيد؛ وهذا واجبنا.\n\n"
        "ويجب علينا أن نبذل كل ما في وسعنا لكفالة قدرة جميع الجهات الفاعلة المعنية، بما فيها "
        "منظمات المجتمع المدني، على الاضطلاع بأنشطتها في ظل الاحترام الكامل\n\n"
        "للحق في الأمن الشخصي وحرية التعبير.\n\nشكرا لكم.",
        ["salutation", "body", "body", "closing"],
        4,
    ),
    "zh": (
        "各位阁下，各位同事：\n\n"
        "反恐执行局多年来一直与民间社会进行接触。这是否足够？不够，我们必须做得更多。\n\n"
        "我们必须尽一切努力，确保所有相关行为体，包括民间社会组织，都能在充分尊重\n\n"
        "人身安全权、言论自由和结社自由的情况下开展活动。\n\n谢谢。",
        ["salutation", "body", "body", "closing"],
        4,
    ),
}


@pytest.mark.parametrize("lang", sorted(LANGUAGE_SPEECHES))
def test_speech_in_other_languages(lang: str) -> None:
    text, kinds, body_sentences = LANGUAGE_SPEECHES[lang]
    speech = seg(text, lang)
    assert [p.kind for p in speech.paragraphs] == kinds
    assert sum(len(p.sentences) for p in speech.paragraphs if p.kind == "body") == body_sentences
    assert_spans_consistent(speech)
    if lang == "zh":  # rejoined without a space between Chinese characters
        assert "充分尊重人身安全权" in speech.paragraphs[2].text


def test_ids_are_three_digits_past_99() -> None:
    text = "\n\n".join(f"Paragraph number {i} is here." for i in range(1, 106))
    speech = seg(text)
    assert speech.paragraphs[0].id == "p001"
    assert speech.paragraphs[-1].id == "p105"
    many = " ".join(f"Sentence {i} ends." for i in range(1, 101))
    paragraph = seg(many).paragraphs[0]
    assert paragraph.sentences[0].id == "p01s001"
    assert paragraph.sentences[-1].id == "p01s100"


def test_unknown_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        segment_file(tmp_path / "missing.en.md")


# --------------------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(
    list("abcXYZ .!?…,;:()[]¿¡«»\"'“”。！？؟،؛（）\n\t\u00a0\u202f")
    + ["Mr. ", "e.g. ", "U.N. ", "etc. ", "т.е. ", "г. ", "2.5", "(2005)", "сл", "مر", "中文"]
)
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)


def _non_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@settings(max_examples=150, deadline=None)
@given(text=_TEXT, lang=st.sampled_from(LANGS))
def test_split_sentences_covers_every_character_once(text: str, lang: str) -> None:
    spans = split_sentences(text, lang)
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert not text[previous:start].strip()
        previous = end
    assert not text[previous:].strip()
    assert "".join(_non_space(text[a:b]) for a, b in spans) == _non_space(text)


@settings(max_examples=80, deadline=None)
@given(text=_TEXT, lang=st.sampled_from(LANGS))
def test_segment_sentences_cover_their_paragraphs(text: str, lang: str) -> None:
    speech = seg(text, lang)
    for paragraph in speech.paragraphs:
        assert paragraph.text == paragraph.text.strip() and paragraph.text
        pieces = [paragraph.text[s.start : s.end] for s in paragraph.sentences]
        assert pieces == [s.text for s in paragraph.sentences]
        assert "".join(_non_space(p) for p in pieces) == _non_space(paragraph.text)
        ends = [s.start for s in paragraph.sentences[1:]]
        assert all(a.end <= b for a, b in zip(paragraph.sentences, ends, strict=False))
