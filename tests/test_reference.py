"""The reference engine, the bundled speech in five languages, `toolkit align` and `compare`."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from speeches import speech_from_paragraphs
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import TranslatedSpeech, join_sentences
from toolkit.errors import ExitCode, UnknownLanguageError
from toolkit.languages import TARGET_LANGUAGES
from toolkit.segment import segment_file
from toolkit.translate import TranslateOptions, translate_speech
from toolkit.translate.reference import (
    Reference,
    align_reference,
    find_reference,
    load_reference,
    translate_with_reference,
    translation_from_alignment,
)
from toolkit.translate.reference_align import LOW_CONFIDENCE, align_speech
from toolkit.translate.speech_alignment import SpeechAlignment

REPO = Path(__file__).resolve().parent.parent
SLUG = "2021-05-26-coninsx-civil-society"
ALIGN_CASES = Path(__file__).parent / "data" / "align"

runner = CliRunner()


@pytest.fixture(scope="module")
def bundled_alignments() -> dict[str, tuple[SpeechAlignment, Reference]]:
    speech = segment_file(REPO / "source" / f"{SLUG}.en.md")
    return {lang: align_reference(speech, lang) for lang in TARGET_LANGUAGES}


def copy_speech(tmp_path: Path, *langs: str, suffix: str = ".md") -> Path:
    for lang in ("en", *langs):
        target = tmp_path / f"{SLUG}.{lang}{suffix if lang != 'en' else '.md'}"
        shutil.copyfile(REPO / "source" / f"{SLUG}.{lang}.md", target)
    return tmp_path / f"{SLUG}.en.md"


# --- the bundled speech -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", TARGET_LANGUAGES)
def test_bundled_reference_exists_beside_the_source(lang: str, bundled_speech: Path) -> None:
    speech = segment_file(bundled_speech)
    assert find_reference(speech, lang) == bundled_speech.parent / f"{SLUG}.{lang}.md"


@pytest.mark.parametrize("lang", TARGET_LANGUAGES)
def test_bundled_speech_aligns_with_no_low_confidence_beads(
    lang: str, bundled_alignments: dict[str, tuple[SpeechAlignment, Reference]]
) -> None:
    alignment, reference = bundled_alignments[lang]
    for link in alignment.sentences:
        assert "low-confidence" not in link.flags, link
        assert "unaligned" not in link.flags, link
        assert link.score >= LOW_CONFIDENCE, link
    for paragraph in alignment.paragraphs:
        assert paragraph.score >= LOW_CONFIDENCE, paragraph
    # Nothing lost, duplicated or reordered.
    assert alignment.reference_order() == [s.id for s in reference.speech.sentences()]
    assert join_sentences(link.reference_text for link in alignment.sentences) == join_sentences(
        s.text for s in reference.speech.sentences()
    )


def test_bundled_resolution_sentence_pairs_with_its_translation(
    bundled_alignments: dict[str, tuple[SpeechAlignment, Reference]],
) -> None:
    """The sentence citing resolution 1624 (2005) gets the translation citing it, everywhere."""
    for lang, (alignment, _) in bundled_alignments.items():
        link = next(s for s in alignment.sentences if "1624" in s.source_text)
        assert "1624" in link.reference_text and "2005" in link.reference_text, lang
        assert link.reference_text.count("1624") == 1, lang


@pytest.mark.parametrize("lang", TARGET_LANGUAGES)
def test_reference_engine_produces_a_full_translated_speech(
    lang: str, bundled_speech: Path
) -> None:
    speech = segment_file(bundled_speech)
    path = find_reference(speech, lang)
    assert path is not None
    translated = translate_with_reference(speech, lang, path)

    assert translated.engine == "reference" and translated.lang == lang
    assert [s.id for s in translated.sentences()] == [s.id for s in speech.sentences()]
    assert [p.id for p in translated.paragraphs] == [p.id for p in speech.paragraphs]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for sentence in translated.sentences():
        provenance = sentence.provenance
        assert provenance.engine == "reference"
        assert provenance.model == str(path)
        assert provenance.model_version == digest
        assert provenance.score is not None and 0 <= provenance.score <= 1
        assert (
            sentence.text
            or "unaligned" in provenance.flags
            or any(f.startswith("merged-into:") for f in provenance.flags)
        )
    assert translated.provenance is not None
    assert translated.provenance.reference == str(path)
    assert translated.provenance.model_version == digest
    assert translated.provenance.alignment is not None
    assert translated.provenance.alignment["low_confidence"] == 0
    # The bundled references declare themselves in a leading notice comment.
    assert translated.notice == (
        "Unofficial reference translation prepared for the toolkit's demonstration; "
        "not a United Nations document."
    )
    # Meta: the reference's own title, the English date where the reference has none.
    assert translated.meta.title and translated.meta.title != speech.meta.title
    assert translated.meta.date == speech.meta.date
    # Same JSON form as machine translation, and it round-trips.
    again = TranslatedSpeech.from_dict(json.loads(json.dumps(translated.to_dict())))
    assert again == translated


@pytest.mark.parametrize("engine", ["reference", "auto"])
def test_translate_speech_dispatches_to_the_reference(engine: str, bundled_speech: Path) -> None:
    speech = segment_file(bundled_speech)
    translated = translate_speech(speech, "fr", TranslateOptions(engine=engine))
    assert translated.engine == "reference"
    assert all(s.provenance.engine == "reference" for s in translated.sentences())


# --- files ------------------------------------------------------------------------------------


def test_find_reference_accepts_txt_and_reports_absence(tmp_path: Path) -> None:
    source = copy_speech(tmp_path, "ru", suffix=".txt")
    speech = segment_file(source)
    assert find_reference(speech, "ru") == tmp_path / f"{SLUG}.ru.txt"
    assert find_reference(speech, "fr") is None
    with pytest.raises(UnknownLanguageError):
        find_reference(speech, "de")


def test_notice_comment_is_read_and_not_segmented(tmp_path: Path) -> None:
    source = copy_speech(tmp_path)
    notice = "Unofficial reference translation prepared for the toolkit's demonstration."
    reference = tmp_path / f"{SLUG}.fr.md"
    reference.write_text(
        f"<!-- notice: {notice}\n  Not a UN document. -->\n"
        + (REPO / "source" / f"{SLUG}.fr.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    loaded = load_reference(reference, "fr")
    assert loaded.notice == notice + " Not a UN document."
    assert all("notice" not in s.text for s in loaded.speech.sentences())
    translated = translate_with_reference(segment_file(source), "fr", reference)
    assert translated.notice == loaded.notice
    assert translated.provenance is not None and translated.provenance.alignment is not None
    assert translated.provenance.alignment["low_confidence"] == 0


def test_missing_reference_is_a_clear_input_error(tmp_path: Path) -> None:
    source = copy_speech(tmp_path)
    result = runner.invoke(app, ["align", str(source), "--lang", "fr"])
    assert result.exit_code == ExitCode.INPUT
    assert "No fr reference translation" in result.output
    assert f"{SLUG}.fr.md" in result.output


# --- merged sentences in the TranslatedSpeech ---------------------------------------------------


def test_merged_sentences_put_the_text_on_the_first_and_point_to_it() -> None:
    case = json.loads((ALIGN_CASES / "ar-mixed-scripts.json").read_text(encoding="utf-8"))
    english = speech_from_paragraphs(case["en"], lang="en")
    arabic = speech_from_paragraphs(case["ref"], lang="ar")
    alignment = align_speech(english, arabic, "ar")
    reference = Reference(path=Path("memory.ar.md"), sha256="0" * 64, speech=arabic, notice=None)
    translated = translation_from_alignment(english, alignment, reference)
    texts = translated.texts()
    assert texts["p08s01"] == arabic.paragraph("p08").text
    assert texts["p08s02"] == ""
    by_id = {s.id: s for s in translated.sentences()}
    assert "merged" in by_id["p08s01"].provenance.flags
    assert by_id["p08s02"].provenance.flags == ("merged-into:p08s01",)
    # All the Arabic text is there exactly once.
    assert join_sentences(texts.values()) == join_sentences(s.text for s in arabic.sentences())


def test_unaligned_sentences_get_empty_text_and_the_flag() -> None:
    case = json.loads((ALIGN_CASES / "es-dropped-paragraph.json").read_text(encoding="utf-8"))
    english = speech_from_paragraphs(case["en"], lang="en")
    spanish = speech_from_paragraphs(case["ref"], lang="es")
    reference = Reference(path=Path("memory.es.md"), sha256="0" * 64, speech=spanish, notice=None)
    translated = translation_from_alignment(
        english, align_speech(english, spanish, "es"), reference
    )
    by_id = {s.id: s for s in translated.sentences()}
    for sid in ("p06s01", "p06s02"):
        assert by_id[sid].text == ""
        assert by_id[sid].provenance.flags == ("unaligned",)
        assert by_id[sid].provenance.score == 0.0


# --- CLI --------------------------------------------------------------------------------------


def test_align_command_prints_the_review_table(bundled_speech: Path) -> None:
    result = runner.invoke(
        app, ["align", str(bundled_speech), "--lang", "fr"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "p06s01" in result.output and "Score" in result.output
    assert "35 English sentences, 35 fr sentences" in result.output
    assert "low-confidence 0" in result.output


def test_align_command_json(bundled_speech: Path) -> None:
    result = runner.invoke(app, ["align", str(bundled_speech), "--lang", "zh", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lang"] == "zh"
    assert data["reference"].endswith(f"{SLUG}.zh.md")
    english = [sid for row in data["sentences"] for sid in row["en"]]
    assert english == [s.id for s in segment_file(bundled_speech).sentences()]
    assert all(0 <= row["score"] <= 1 for row in data["sentences"])
    assert data["summary"]["low_confidence"] == 0


def test_align_command_with_explicit_reference(tmp_path: Path, bundled_speech: Path) -> None:
    other = tmp_path / "official-translation.txt"
    shutil.copyfile(REPO / "source" / f"{SLUG}.es.md", other)
    result = runner.invoke(
        app, ["align", str(bundled_speech), "--lang", "es", "--reference", str(other), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["reference"] == str(other)


def test_align_flagged_only(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["align", str(REPO / "source" / f"{SLUG}.en.md"), "--lang", "fr", "--flagged"]
    )
    assert result.exit_code == 0, result.output
    assert "Nothing to review" in result.output


def test_compare_with_fake_engine_scores_chrf(bundled_speech: Path) -> None:
    result = runner.invoke(
        app, ["compare", str(bundled_speech), "--lang", "fr", "--engine", "fake", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["metric"] == "chrF" and data["engine"] == "fake"
    # The fake engine keeps most English words: a low but real score.
    assert 5 < data["total"] < 70
    assert len(data["paragraphs"]) == 33
    assert all(0 <= row["chrf"] <= 100 for row in data["paragraphs"])
    assert "nrefs:1" in data["signature"]


def test_compare_table_output(bundled_speech: Path) -> None:
    result = runner.invoke(
        app, ["compare", str(bundled_speech), "--lang", "es", "--engine", "fake"]
    )
    assert result.exit_code == 0, result.output
    assert "chrF" in result.output and "paragraph groups" in result.output
    assert "[es]" in result.output  # the fake output, not swallowed as rich markup


def test_compare_without_a_model_skips_cleanly(bundled_speech: Path) -> None:
    result = runner.invoke(app, ["compare", str(bundled_speech), "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "compare skipped" in result.output
    assert "toolkit models install fr" in result.output
    as_json = runner.invoke(app, ["compare", str(bundled_speech), "--lang", "fr", "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output)["skipped"] is True


def test_compare_refuses_to_score_the_reference_against_itself(bundled_speech: Path) -> None:
    result = runner.invoke(
        app, ["compare", str(bundled_speech), "--lang", "fr", "--engine", "reference"]
    )
    assert result.exit_code == ExitCode.INPUT
    assert "against itself" in result.output


def test_pull_quote_above_the_title_is_neither_title_nor_beside_a_row(tmp_path: Path) -> None:
    from toolkit.segment import segment_file
    from toolkit.translate.reference import translate_with_reference

    source = Path(__file__).parent.parent / "source" / "2021-05-26-coninsx-civil-society.en.md"
    reference = source.with_name(source.name.replace(".en.", ".fr."))
    quote = "« La société civile est notre meilleure alliée contre le terrorisme. »"
    padded = tmp_path / reference.name
    padded.write_text(quote + "\n\n" + reference.read_text(encoding="utf-8"), encoding="utf-8")
    speech = segment_file(source)
    translated = translate_with_reference(speech, "fr", padded)
    clean = translate_with_reference(speech, "fr", reference)
    assert translated.meta.title == clean.meta.title
    assert quote not in (translated.meta.title or "")
    assert all(quote not in p.text for p in translated.paragraphs)
    unaligned = translated.provenance.alignment["unaligned_reference"]
    assert [u["text"] for u in unaligned] == [quote]


def test_target_masthead_never_falls_back_to_english_text(tmp_path: Path) -> None:
    from toolkit.segment import segment_file
    from toolkit.translate.reference import translate_with_reference

    source = Path(__file__).parent.parent / "source" / "2021-05-26-coninsx-civil-society.en.md"
    reference = source.with_name(source.name.replace(".en.", ".es."))
    speech = segment_file(source)
    translated = translate_with_reference(speech, "es", reference)
    english = speech.meta
    for field in ("title", "subtitle", "event", "venue", "role"):
        value = getattr(translated.meta, field)
        assert value and value != getattr(english, field), field
    assert translated.meta.date == english.date
