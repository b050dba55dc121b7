"""PDF layout rules on poppler's own XML, one case per row: scripts, overlapping runs, columns.

Each case is the ``pdftohtml -xml`` output of one page (as poppler writes it for real files:
right-to-left text in visual order, a quote mark in a fallback font drawn inside a longer run,
"autospace" gaps between Chinese and digits) and the clean text the reader must make of it.
"""

from __future__ import annotations

import pytest

from toolkit.ingest.pdf import layout_to_source


def _page(*texts: tuple[float, float, float, str], font_size: int = 11) -> bytes:
    """One A4 page of text runs (top, left, width, text), all in one font."""
    runs = "\n".join(
        f'<text top="{top}" left="{left}" width="{width}" height="14" font="0">{text}</text>'
        for top, left, width, text in texts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<pdf2xml producer="poppler" version="22.12.0">\n'
        '<page number="1" position="absolute" top="0" left="0" height="842" width="595">\n'
        f'<fontspec id="0" size="{font_size}" family="NotoSerif" color="#000000"/>\n'
        f"{runs}\n</page>\n</pdf2xml>\n"
    ).encode()


def _as_reportlab_draws(text: str) -> str:
    """Arabic as the toolkit's own PDFs (and most generators) put it on the page: shaped into
    presentation forms, in visual order."""
    from arabic_reshaper import ArabicReshaper
    from bidi import get_display

    return get_display(ArabicReshaper().reshape(text), base_dir="R")


CASES = [
    pytest.param(
        # visual order, as poppler gives Arabic; the lam-alef ligature "لإ" reversed with it
        _page(
            (300, 90, 420, "ءاكرشو ناسنلإا قوقح” نأشب يضارتفلاا راوحلا"),
            (330, 200, 310, ".ءالمزلا عم ةيلمعلا هذه لاو"),
        ),  # fmt: skip
        "الحوار الافتراضي بشأن ”حقوق الإنسان وشركاء ولا هذه العملية مع الزملاء.",
        id="arabic-visual-order-and-lam-alef",
    ),
    pytest.param(
        _page((300, 90, 300, _as_reportlab_draws("مؤتمر مكتب مكافحة الإرهاب"))),
        "مؤتمر مكتب مكافحة الإرهاب",
        id="arabic-presentation-forms",
    ),
    pytest.param(
        _page((300, 90, 300, "马拉加/虚拟平台，2021 年 5 月 26 日，星期三")),
        "马拉加/虚拟平台，2021年5月26日，星期三",
        id="chinese-autospace",
    ),
    pytest.param(
        # the opening quote is drawn in another font inside the long run's span
        _page(
            (300, 90, 33, "反恐办"),
            (300, 126, 379, "会议关于 人权和民间社会伙伴"),
            (300, 242, 5, "“"),
        ),  # fmt: skip
        "反恐办会议关于“人权和民间社会伙伴",
        id="quote-in-fallback-font",
    ),
    pytest.param(
        # two columns, read left then right; the paragraph runs on across the gutter
        _page(
            *[(200 + 14 * i, 72, 215, f"left column line {i} and more words") for i in range(6)],
            *[(200 + 14 * i, 310, 215, f"right column line {i} and more words") for i in range(6)],
        ),  # fmt: skip
        " ".join(f"left column line {i} and more words" for i in range(6))
        + " "
        + " ".join(f"right column line {i} and more words" for i in range(6)),
        id="two-columns",
    ),
]


def test_footnote_in_body_size_found_by_its_mark() -> None:
    """LibreOffice's Word import keeps footnotes in the body size: the area is found by the mark
    the body carries, below a gap; the mark's own gap leaves no space before the comma."""
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<pdf2xml producer="poppler" version="22.12.0">\n'
        b'<page number="1" position="absolute" top="0" left="0" height="792" width="612">\n'
        b'<fontspec id="0" size="11" family="NotoSerif" color="#000000"/>\n'
        b'<fontspec id="2" size="6" family="NotoSerif" color="#000000"/>\n'
        b'<text top="402" left="90" width="66" height="14" font="0">2395 of 2017</text>\n'
        b'<text top="401" left="156" width="4" height="8" font="2">'
        b'<a href="x.html#1">1</a></text>\n'
        b'<text top="402" left="159" width="363" height="14" font="0">, CTED has engaged with '
        b"many non-governmental actors, including</text>\n"
        b'<text top="419" left="90" width="148" height="14" font="0">civil society, for many years.'
        b"</text>\n"
        b'<text top="706" left="90" width="379" height="14" font="0"><a href="x.html#1">1</a> '
        b"Security Council resolution 2395 (2017).</text>\n"
        b"</page>\n</pdf2xml>\n"
    )
    source = layout_to_source(xml, path="case.pdf", raw=xml, lang=None)
    assert source.text == (
        "2395 of 2017, CTED has engaged with many non-governmental actors, including civil "
        "society, for many years.\n"
    )
    assert [(n.mark, n.text) for n in source.footnotes] == [
        ("1", "Security Council resolution 2395 (2017).")
    ]


@pytest.mark.parametrize(("xml", "expected"), CASES)
def test_layout_to_clean_text(xml: bytes, expected: str) -> None:
    source = layout_to_source(xml, path="case.pdf", raw=xml, lang=None)
    assert source.text.strip() == expected
