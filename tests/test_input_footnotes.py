"""Footnotes of a PDF or Word statement reach the Speech, its JSON, the pack and the PDF.

They are kept apart from the body: never spliced into a paragraph or a sentence (so never
translated or read aloud as part of one), but carried in ``Speech.footnotes``, written in the
Speech JSON, loaded back, and printed after the body of the bilingual PDF under "Notes".
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import input_fixtures as fx
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.document import Footnote, Speech, TranslatedSpeech, dumps, load_json_document
from toolkit.export.pdf import render_pdf
from toolkit.ingest import read_source
from toolkit.segment import segment
from toolkit.translate import TranslateOptions, translate_speech

runner = CliRunner()

WRITERS: dict[str, Callable[[Path], Path]] = {"pdf": fx.write_pdf, "docx": fx.write_docx}
EXPECTED = {"pdf": [Footnote("1", fx.FOOTNOTE, 1)], "docx": [Footnote("1", fx.FOOTNOTE, 0)]}
"""The fixture's one footnote as each reader records it (Word has no pages)."""


@pytest.fixture(scope="module")
def statements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("footnotes")
    return {fmt: write(folder / f"sahel.en.{fmt}") for fmt, write in WRITERS.items()}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_footnote_is_in_the_speech_and_in_no_sentence(
    statements: dict[str, Path], fmt: str
) -> None:
    source = read_source(statements[fmt])
    speech = segment(source)
    assert list(speech.footnotes) == EXPECTED[fmt] == list(source.footnotes)
    note_words = "adopted on 21 December 2017"
    assert not any(note_words in p.text for p in speech.paragraphs)
    assert not any(note_words in s.text for s in speech.sentences())
    # the sentence the mark sat in is whole, without the mark spliced into it
    cited = [s.text for s in speech.sentences() if fx.FOOTNOTE_AFTER in s.text]
    assert len(cited) == 1
    assert f"{fx.FOOTNOTE_AFTER}1" not in cited[0] and "(2017), 1 " not in cited[0]


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_speech_json_round_trip_keeps_footnotes(statements: dict[str, Path], fmt: str) -> None:
    result = runner.invoke(app, ["segment", str(statements[fmt]), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["footnotes"] == [
        {"mark": n.mark, "text": n.text, "page": n.page} for n in EXPECTED[fmt]
    ]
    loaded = Speech.from_dict(data)
    assert loaded == segment(read_source(statements[fmt]))
    assert Speech.from_dict(json.loads(dumps(loaded))) == loaded


def test_segment_lists_the_footnotes_after_the_sentences(statements: dict[str, Path]) -> None:
    result = runner.invoke(app, ["segment", str(statements["pdf"])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    (note,) = [ln for ln in lines if ln.startswith("Footnote")]
    assert note == f"Footnote 1 (page 1): {fx.FOOTNOTE}"
    sentence_rows = [i for i, ln in enumerate(lines) if "│ p" in ln and "resolution 2395" in ln]
    assert sentence_rows and lines.index(note) > sentence_rows[-1]


def test_json_without_footnotes_loads_and_a_speech_without_any_writes_none(
    bundled_speech: Path,
) -> None:
    speech = segment(read_source(bundled_speech))
    data = speech.to_dict()
    assert "footnotes" not in data  # older readers and byte-stable packs: no empty key
    assert Speech.from_dict(data).footnotes == ()
    older = {key: value for key, value in data.items() if key != "footnotes"}
    assert Speech.from_dict(older) == speech


def test_translation_json_carries_the_source_footnotes(
    statements: dict[str, Path], tmp_path: Path
) -> None:
    speech = segment(read_source(statements["pdf"]))
    translated = translate_speech(speech, "fr", TranslateOptions(engine="fake"))
    path = tmp_path / "sahel.fr.json"
    path.write_text(dumps(translated), encoding="utf-8")
    loaded = load_json_document(path)
    assert isinstance(loaded, TranslatedSpeech)
    assert loaded.speech.footnotes == speech.footnotes
    # the footnote was never a sentence: nothing of it was translated
    assert all(fx.FOOTNOTE not in s.source for s in loaded.sentences())


def _pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


@pytest.mark.parametrize("layout", ["side-by-side", "stacked", "target-only"])
def test_bilingual_pdf_prints_the_notes_after_the_body(
    statements: dict[str, Path], tmp_path: Path, layout: str
) -> None:
    from toolkit.options import PdfOptions

    speech = segment(read_source(statements["pdf"]))
    translated = translate_speech(speech, "fr", TranslateOptions(engine="fake"))
    path = render_pdf(translated, tmp_path / f"{layout}.pdf", PdfOptions(layout=layout))
    text = _pdf_text(path)
    last_body = speech.body()[-1].text.split()[-1]
    assert "Notes" in text and fx.FOOTNOTE in text
    assert text.rindex(last_body) < text.index("Notes") < text.index(fx.FOOTNOTE)
    assert text.count(fx.FOOTNOTE) == 1


def test_bilingual_pdf_of_a_speech_without_footnotes_has_no_notes(
    bundled_speech: Path, tmp_path: Path
) -> None:
    speech = segment(read_source(bundled_speech))
    path = render_pdf(
        translate_speech(speech, "fr", TranslateOptions(engine="fake")), tmp_path / "plain.pdf"
    )
    assert "Notes" not in _pdf_text(path)


def test_the_pack_holds_the_footnotes(statements: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "exports"
    result = runner.invoke(
        app,
        ["build", str(statements["pdf"]), "--to", "fr", "--engine", "fake", "--tts", "silent"]
        + ["--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    (speech_json,) = out.glob("sahel/*speech.json")
    loaded = load_json_document(speech_json)
    assert isinstance(loaded, Speech) and list(loaded.footnotes) == EXPECTED["pdf"]
    (pdf,) = out.glob("sahel/*fr*.pdf")
    assert fx.FOOTNOTE in _pdf_text(pdf)
