"""Rows to review: a margin mark, a legend with the count, and no neighbour's text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from toolkit.export.pdf import render_pdf
from toolkit.export.pdf_rows import REVIEW_MARK
from toolkit.export.pdf_strings import strings
from toolkit.segment import segment_file
from toolkit.translate.reference import translate_with_reference

SOURCE = Path(__file__).parent.parent / "source" / "2021-05-26-coninsx-civil-society.en.md"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_truncated_reference_is_marked_and_counted(lang: str, tmp_path: Path) -> None:
    full = SOURCE.with_name(SOURCE.name.replace(".en.", f".{lang}."))
    text = full.read_text(encoding="utf-8")
    truncated = tmp_path / full.name
    truncated.write_text(text[: len(text) // 2], encoding="utf-8")
    speech = segment_file(SOURCE)
    translated = translate_with_reference(speech, lang, truncated)
    review = translated.provenance.review
    assert review["not_in_reference"] >= 3
    # the English paragraphs the reference lacks carry no text at all
    missing = [p for p in translated.paragraphs if not p.text]
    assert len(missing) >= review["not_in_reference"]
    pdf = render_pdf(translated, tmp_path / "out.pdf")
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flagged = {p.id for p in translated.paragraphs if any(s.provenance.flags for s in p.sentences)}
    assert out.count(REVIEW_MARK) >= len(flagged - {"p01", "p02", "p03"})
    legend_en = strings("en").review.format(mark=REVIEW_MARK, count=len(flagged)).split(":")[0]
    assert legend_en.split("(")[0].strip() in " ".join(out.split())
    assert str(len(flagged)) in out
    if lang == "fr":
        assert "[Absent de la traduction de référence.]" in out


def test_default_reference_notice_is_printed_once_per_column(tmp_path: Path) -> None:
    speech = segment_file(SOURCE)
    reference = SOURCE.with_name(SOURCE.name.replace(".en.", ".fr."))
    translated = translate_with_reference(speech, "fr", reference)
    copy = tmp_path / "ref.fr.md"
    copy.write_text(
        "\n".join(line for line in reference.read_text().splitlines() if "notice" not in line),
        encoding="utf-8",
    )
    translated = translate_with_reference(speech, "fr", copy)
    pdf = render_pdf(translated, tmp_path / "out.pdf")
    out = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert out.count("Reference translation:") == 1
