"""Bilingual PDFs, checked by extracting their text again per script (poppler-utils).

The fixtures are real sentences in the six languages (tests/data/pdf/speech.json), with
digits and Latin acronyms inside Arabic and Chinese and the markup characters < > &.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from bidi.algorithm import get_display
from pdf_fixture import build_translated
from pypdf import PdfReader

from toolkit.document import TranslatedSpeech
from toolkit.export.bidi_text import CJK_CANNOT_END, CJK_CANNOT_START, Fonts, cjk_lines
from toolkit.export.pdf import PAPERS, PdfOptions, render_pdf, render_pdf_bytes, write_pdf
from toolkit.export.pdf_strings import format_date, notice
from toolkit.export.pdf_typeset import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, NUMBER_WIDTH
from toolkit.provenance import TranslationProvenance

TARGETS = ["ar", "zh", "ru", "fr", "es"]
LAYOUTS = ["side-by-side", "stacked", "target-only"]


def _render(translated: TranslatedSpeech, tmp_path: Path, **options: object) -> Path:
    path = tmp_path / f"{translated.lang}-{options.get('layout', 'sbs')}.pdf"
    render_pdf(translated, path, PdfOptions(**options))  # type: ignore[arg-type]
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _norm(text: str) -> str:
    """NFKC (presentation forms → letters), no harakat, no bidi controls, no whitespace."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        c for c in text if not c.isspace() and unicodedata.category(c) not in ("Mn", "Cf")
    )


def _column_text(path: Path, column: str, paper: str = "A4") -> str:
    """Text of one column (``left``, ``right`` or ``all``) on every page, header/footer cut."""
    width, height = PAPERS[paper]
    x0, x1 = MARGIN_X, width - MARGIN_X
    middle = width / 2
    if column == "left":
        x1 = middle
    elif column == "right":
        x0 = middle
    return _run(
        "pdftotext",
        "-r",
        "72",
        "-x",
        str(int(x0)),
        "-y",
        str(int(MARGIN_TOP - 4)),
        "-W",
        str(int(x1 - x0)),
        "-H",
        str(int(height - MARGIN_TOP - MARGIN_BOTTOM + 8)),
        str(path),
        "-",
    )


def _words(text: str) -> list[str]:
    """Letters-and-digits words (punctuation sticks to the wrong side in RTL extraction)."""
    text = re.sub(r"[\u200e\u200f\u202a-\u202e]", " ", text)  # bidi controls split words
    return re.findall(r"\w+", " ".join(_norm(w) for w in text.split()))


def _sentences(translated: TranslatedSpeech) -> tuple[list[str], list[str]]:
    body = {p.id for p in translated.speech.body()}
    src = [s.text for p in translated.speech.paragraphs if p.id in body for s in p.sentences]
    tgt = [s.text for p in translated.paragraphs if p.id in body for s in p.sentences]
    return src, tgt


def _assert_present(sentences: list[str], text: str, lang: str) -> None:
    if lang == "ar":
        # Mirrored brackets and bidi runs make pdftotext's logical order unreliable inside a
        # line: check words as a multiset here; order is checked from word positions below.
        available = _words(text)
        for sentence in sentences:
            for word in _words(sentence):
                assert word in available, (word, sentence)
                available.remove(word)
        return
    flat = _norm(text)
    for sentence in sentences:
        assert _norm(sentence) in flat, sentence


@pytest.mark.parametrize("lang", TARGETS)
def test_side_by_side_holds_every_sentence_of_both_languages(lang: str, tmp_path: Path) -> None:
    translated = build_translated(lang)
    path = _render(translated, tmp_path)
    src, tgt = _sentences(translated)
    _assert_present(src, _column_text(path, "left"), "en")
    _assert_present(tgt, _column_text(path, "right"), lang)


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
@pytest.mark.parametrize("layout", ["stacked", "target-only"])
def test_other_layouts_hold_their_sentences(lang: str, layout: str, tmp_path: Path) -> None:
    translated = build_translated(lang)
    path = _render(translated, tmp_path, layout=layout)
    text = _column_text(path, "all")
    src, tgt = _sentences(translated)
    _assert_present(tgt, text, lang)
    if layout == "stacked":
        _assert_present(src, text, "en")
    else:
        assert _norm(src[1]) not in _norm(text)


@pytest.mark.parametrize("lang", TARGETS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_font_is_embedded_and_subset(lang: str, layout: str, tmp_path: Path) -> None:
    path = _render(build_translated(lang), tmp_path, layout=layout)
    rows = _run("pdffonts", str(path)).splitlines()[2:]
    assert rows
    for row in rows:
        fields = row.split()
        # name type… encoding emb sub uni object-id generation
        assert fields[-5:-2] == ["yes", "yes", "yes"], row
        assert "+" in fields[0], row


def _rtl_lines(path: Path) -> list[list[str]]:
    """Lines of the right-hand (Arabic) column, words read right to left, letters logical."""
    xml = _run("pdftotext", "-bbox", str(path), "-")
    width, height = PAPERS["A4"]
    lines: list[list[str]] = []
    for page in xml.split("<page ")[1:]:
        words = []
        for x0, y0, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>',
            page,
        ):
            x, y = float(x0), float(y0)
            if (
                width / 2 < x < width - MARGIN_X - NUMBER_WIDTH
                and MARGIN_TOP < y < height - MARGIN_BOTTOM
            ):
                words.append((y, x, _unescape(word)))
        words.sort()
        page_lines: list[list[tuple[float, str]]] = []
        top = -100.0
        for y, x, word in words:
            if y - top > 7:  # a new line (Naskh and DejaVu glyphs differ by a few points)
                page_lines.append([])
                top = y
            page_lines[-1].append((x, word))
        for line in page_lines:
            ordered = [w for _, w in sorted(line, reverse=True)]
            # Each word's glyphs are in drawing order; the bidi algorithm (an involution on a
            # single word) turns them back into reading order: "ﺓﺭﺎﻳﺯ" → "زيارة", ".2021" → "2021."
            lines.append([_norm(get_display(w, base_dir="R")) for w in ordered])
    return lines


def _unescape(word: str) -> str:
    return (
        word.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
    )


def test_arabic_words_run_right_to_left_with_digits_and_latin_in_place(tmp_path: Path) -> None:
    translated = build_translated("ar")
    path = _render(translated, tmp_path)
    # Reading every line of the Arabic column from its rightmost word, top line first, must
    # give the paragraphs' words in logical order: word order, line order, and the order of
    # "2395 (2017)", "(CTED)" and "31 كانون الأول/ديسمبر 2021" inside the Arabic.
    column = [w for line in _rtl_lines(path) for w in line]
    flat = " ".join(column)
    for para in translated.paragraphs:
        if para.kind not in ("salutation", "body", "closing"):
            continue
        expected = " ".join(_norm(w) for w in para.text.split())
        assert expected in flat, para.text
    second = next(p for p in translated.paragraphs if "2395" in p.text)
    assert "2395 (2017)" in flat and "(CTED)" in flat
    assert flat.index(_norm("مجلس")) < flat.index("2395") < flat.index("(2017)"), second.text


def test_arabic_first_word_is_rightmost(tmp_path: Path) -> None:
    path = _render(build_translated("ar"), tmp_path)
    xml = _run("pdftotext", "-bbox", str(path), "-")
    boxes = {
        _norm(w[::-1]): float(x)
        for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', xml)
    }
    # First line of the salutation: "السيد الرئيس، أصحاب السعادة، …"
    assert boxes[_norm("السيد")] > boxes[_norm("الرئيس،")] > boxes[_norm("أصحاب")]


def test_arabic_keeps_harakat(tmp_path: Path) -> None:
    path = _render(build_translated("ar"), tmp_path)
    text = _column_text(path, "right")
    assert "\u0651" in text  # shadda of جدّد and تضيّق
    assert "\u064b" in text  # tanwin of كثيراً


def test_chinese_lines_never_start_with_closing_punctuation(tmp_path: Path) -> None:
    path = _render(build_translated("zh", repeat=3), tmp_path)
    lines = [ln.strip() for ln in _column_text(path, "right").splitlines() if ln.strip()]
    assert len(lines) > 30
    for line in lines:
        assert line[0] not in CJK_CANNOT_START, line
        assert line[-1] not in CJK_CANNOT_END, line
    assert "，" in "".join(lines) and "（" in "".join(lines)  # full-width punctuation kept


@pytest.mark.parametrize("width", [60.0, 73.0, 97.5, 150.0, 211.0])
def test_cjk_line_breaking_rules_at_many_widths(width: float) -> None:
    from toolkit.fonts import covered_chars, find_font, register

    font = find_font("zh")
    fonts = Fonts(register(font), register(find_font("en")), covered_chars(font), 10)
    text = (
        "安全理事会第2395（2017）号决议将反恐执行局（CTED）的任务期限延长至2021年12月31日。"
        "“任务”：延长，是的！"
    )
    lines = cjk_lines(text, fonts, width)
    assert "".join(lines) == text
    for line in lines:
        assert fonts.width(line) <= width
        assert line[0] not in CJK_CANNOT_START and line[-1] not in CJK_CANNOT_END
    assert all("2395" in ln or "239" not in ln for ln in lines)  # numbers never split


@pytest.mark.parametrize("lang", TARGETS)
def test_markup_characters_come_out_literally(lang: str, tmp_path: Path) -> None:
    path = _render(build_translated(lang), tmp_path)
    left = _column_text(path, "left")
    right = _column_text(path, "right")
    assert "<estimate>;" in left and "States &" in left
    assert "&" in right and "<" in right and ">" in right


@pytest.mark.parametrize("lang", ["ar", "zh"])
def test_same_input_gives_identical_bytes(lang: str, tmp_path: Path) -> None:
    translated = build_translated(lang)
    first = render_pdf_bytes(translated)
    assert render_pdf_bytes(translated) == first
    path = tmp_path / "out.pdf"
    assert write_pdf(translated, path).changed is True
    mtime = path.stat().st_mtime_ns
    assert write_pdf(translated, path).changed is False
    assert path.stat().st_mtime_ns == mtime and path.read_bytes() == first


def _long_paragraph(translated: TranslatedSpeech, copies: int) -> TranslatedSpeech:
    """Make paragraph 2 of the body ``copies`` times longer (all sentences numbered)."""
    from toolkit.document import Paragraph, Sentence, TranslatedParagraph, join_sentences

    src_para = translated.speech.body()[1]
    tgt_para = next(p for p in translated.paragraphs if p.id == src_para.id)
    src_sents, tgt_sents = [], []
    for copy in range(copies):
        for s, t in zip(src_para.sentences, tgt_para.sentences, strict=True):
            sid = f"{src_para.id}s{len(src_sents) + 1:02d}"
            src_sents.append(Sentence(sid, f"{s.text} [{copy}]", 0, 0))
            tgt_sents.append(replace(t, id=sid, text=f"{t.text} [{copy}]"))
    text = join_sentences(s.text for s in src_sents)
    new_src = Paragraph(src_para.id, src_para.kind, text, tuple(src_sents))
    new_tgt = TranslatedParagraph(tgt_para.id, tgt_para.kind, tuple(tgt_sents))
    speech = replace(
        translated.speech,
        paragraphs=tuple(
            new_src if p.id == src_para.id else p for p in translated.speech.paragraphs
        ),
    )
    return replace(
        translated,
        speech=speech,
        paragraphs=tuple(new_tgt if p.id == tgt_para.id else p for p in translated.paragraphs),
    )


@pytest.mark.parametrize("lang", ["ar", "zh", "ru"])
def test_long_paragraph_splits_across_pages_without_loss(lang: str, tmp_path: Path) -> None:
    translated = _long_paragraph(build_translated(lang), 14)
    path = _render(translated, tmp_path)
    pages = len(PdfReader(path).pages)
    assert pages >= 3
    src, tgt = _sentences(translated)
    left, right = _column_text(path, "left"), _column_text(path, "right")
    _assert_present(src, left, "en")
    _assert_present(tgt, right, lang)
    # The long row really is split: its first and last sentences are on different pages.
    first_page = _run("pdftotext", "-f", "1", "-l", "1", str(path), "-")
    assert "[0]" in first_page and "[13]" not in first_page


def test_metadata_language_outline_and_counter(tmp_path: Path) -> None:
    translated = build_translated("ar")
    path = _render(translated, tmp_path)
    reader = PdfReader(path)
    info = reader.metadata
    assert info is not None
    assert info.title == translated.meta.title
    assert info.author == "Michèle Coninsx"
    assert info.subject is not None and "English–Arabic" in info.subject
    assert info.creator == "toolkit 0.1.0 (engine:argos|model:translate-en_ar|version:1.9)"
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    titles = [item.title for item in reader.outline]  # type: ignore[union-attr]
    assert titles == ["Masthead / الترويسة", "Text of the speech / نص الكلمة"]
    pages = len(reader.pages)
    last = _run("pdftotext", "-f", str(pages), "-l", str(pages), str(path), "-")
    assert f"Page {pages} of {pages}" in last


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "26 May 2021"),
        ("fr", "26 mai 2021"),
        ("es", "26 de mayo de 2021"),
        ("ru", "26 мая 2021 года"),
        ("ar", "26 أيار/مايو 2021"),
        ("zh", "2021年5月26日"),
    ],
)
def test_dates_are_written_the_way_each_language_writes_them(lang: str, expected: str) -> None:
    assert format_date("2021-05-26", lang) == expected


@pytest.mark.parametrize(
    ("lang", "original", "date"),
    [
        ("fr", "Original : anglais", "26 mai 2021"),
        ("es", "Original: inglés", "26 de mayo de 2021"),
        ("ru", "Язык оригинала: английский", "26 мая 2021 года"),
        ("zh", "原件：英文", "2021年5月26日"),
    ],
)
def test_masthead_in_both_languages(lang: str, original: str, date: str, tmp_path: Path) -> None:
    translated = build_translated(lang)
    path = _render(translated, tmp_path)
    right = _norm(_column_text(path, "right"))
    left = _norm(_column_text(path, "left"))
    for value in (original, date, translated.meta.title, translated.meta.role, "MichèleConinsx"):
        assert _norm(value or "") in right, value
    for value in ("Original: English", "26 May 2021", "New York/virtual platform"):
        assert _norm(value) in left, value
    assert (
        _norm(notice(lang, translated.origin))
        in right
    )


def test_reference_notice_names_its_source_and_document_notice_is_shown(tmp_path: Path) -> None:
    translated = build_translated(
        "fr",
        engine="reference",
        extra={"reference": "source/2021-05-26-cted-briefing.fr.md"},
        notice="Unofficial reference translation prepared for the toolkit's demonstration.",
    )
    path = _render(translated, tmp_path)
    right, left = _norm(_column_text(path, "right")), _norm(_column_text(path, "left"))
    assert _norm("Traduction de référence : 2021-05-26-cted-briefing.fr.md.") in right
    assert _norm("Unofficial reference translation prepared") in left


def test_body_paragraphs_are_numbered_in_both_columns(tmp_path: Path) -> None:
    translated = build_translated("zh")
    path = _render(translated, tmp_path)
    width, height = PAPERS["A4"]
    body = sum(1 for p in translated.speech.paragraphs if p.kind == "body")
    column = (width - 2 * MARGIN_X - 2 * NUMBER_WIDTH) / 2

    def numbers_at(x: float) -> list[str]:
        words = _run(
            "pdftotext",
            "-r",
            "72",
            "-x",
            str(int(x)),
            "-y",
            str(int(MARGIN_TOP)),
            "-W",
            str(int(NUMBER_WIDTH)),
            "-H",
            str(int(height - MARGIN_TOP - MARGIN_BOTTOM)),
            str(path),
            "-",
        ).split()
        # The masthead's target column starts where the body's middle number column is.
        return [w for w in words if w.isdigit()] if x > width / 3 else words

    left_numbers = numbers_at(MARGIN_X)
    middle = numbers_at(MARGIN_X + NUMBER_WIDTH + column)
    expected = [str(n) for n in range(1, body + 1)]
    assert left_numbers == expected  # salutation and closing unnumbered
    assert middle == expected


def test_letter_paper(tmp_path: Path) -> None:
    path = _render(build_translated("es"), tmp_path, paper="letter")
    box = PdfReader(path).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 792.0)


def test_bad_layout_is_an_option_error() -> None:
    from toolkit.errors import OptionError

    with pytest.raises(OptionError):
        PdfOptions(layout="sideways")
    with pytest.raises(OptionError):
        PdfOptions(paper="A3")


@pytest.mark.parametrize("engine", ["reference", "argos"])
def test_file_and_model_names_stay_in_one_piece_inside_arabic(engine: str) -> None:
    from bidi.algorithm import get_display

    provenance = TranslationProvenance(
        engine=engine,
        signature=engine,
        model="source/2021-05-26-x.ar.md" if engine == "reference" else "translate-en_ar",
        model_version="1.9",
        reference="source/2021-05-26-x.ar.md" if engine == "reference" else None,
    )
    shown = get_display(notice("ar", provenance), base_dir="R")
    name = "2021-05-26-x.ar.md" if engine == "reference" else "argos translate-en_ar 1.9"
    assert name in shown
    assert "\u202a" not in shown and "\u202c" not in shown
