"""One statement, written out as the formats it arrives in: clean Markdown, PDF, DOCX, HTML.

Every fixture is generated here (reportlab, python-docx, a hand-written page), never
downloaded. The PDF is laid out the way statements are printed: a bold title block, a running
header and a "Page N of M" footer, paragraphs that run across page breaks, a hyphenated line end,
a footnote, and a last page set in two columns. The tests check that each format segments
exactly like the Markdown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

TITLE = (
    "High-level Meeting on Strengthening Regional Cooperation",
    "to Prevent and Counter Terrorism in the Sahel",
)
SUBTITLE = "The role of regional organizations"
DATELINE = "New York, Thursday, 14 March 2024"
LEAD_IN = "Remarks of"
BYLINE = ("Assistant Secretary-General Natalia Gherman,", "Executive Director, CTED")
SALUTATION = "Excellencies, colleagues, distinguished participants,"
BODY = (
    "I thank the Permanent Mission of Mauritania and the African Union for convening this "
    "meeting, and for the invitation to address you today on a subject of the greatest "
    "importance for the region and for the international community as a whole.",
    "The threat posed by terrorism in the Sahel has grown more severe over the past decade. "
    "Terrorist groups have expanded their areas of operation, exploited local grievances and "
    "weak State presence, and inflicted terrible suffering on civilian populations.",
    "In accordance with Security Council resolution 2395 (2017), the Counter-Terrorism "
    "Committee Executive Directorate has engaged closely with regional organizations for many "
    "years. Their knowledge of the ground is indispensable to our assessments.",
    "Regional organizations bring legitimacy, proximity and continuity to our common efforts. "
    "They understand the political, social and economic conditions conducive to terrorism, and "
    "they are often the first to respond when a crisis erupts across national borders.",
    "Let me briefly describe three areas in which their contribution is especially valuable, "
    "and then turn to some of the challenges that we must address together in the coming "
    "years, including the protection of human rights in all counter-terrorism measures.",
    "First, border management. The long and porous borders of the Sahel are exploited by "
    "terrorist groups to move fighters, weapons and funds. Coordinated border management, "
    "supported by regional information-sharing mechanisms, is essential to disrupt these "
    "movements without hampering legitimate trade and the livelihoods of border communities.",
    "Second, criminal justice. States of the region have made considerable progress in "
    "adopting counter-terrorism legislation, but investigations, prosecutions and "
    "adjudication remain difficult. Regional judicial cooperation networks help to gather "
    "evidence across borders and to bring perpetrators to justice in full respect of due "
    "process and fair trial guarantees.",
    "Third, prevention. Terrorism cannot be defeated by security measures alone. Regional "
    "organizations are well placed to support community engagement, education and "
    "employment programmes that address the drivers of radicalization, in partnership with "
    "civil society, women's groups and young people.",
    "At the same time, we must be realistic about the challenges. Resources are limited, "
    "political transitions have disrupted cooperation, and the humanitarian situation "
    "continues to deteriorate in several countries of the region.",
    "We must also ensure that all counter-terrorism measures comply with international law, "
    "including international human rights law, international humanitarian law and "
    "international refugee law. Measures that violate these obligations are not only unlawful; "
    "they are also counterproductive.",
    "Allow me to say a word about the financing of terrorism. Terrorist groups in the region "
    "raise funds through kidnapping for ransom, extortion, the illicit trade in gold and "
    "natural resources, and the smuggling of migrants. Financial intelligence units need the "
    "capacity and the legal framework to trace these flows and to cooperate with their "
    "counterparts in neighbouring States.",
    "We have also seen how terrorist groups use the Internet and social media to spread their "
    "propaganda, recruit young people and coordinate attacks. Responses must be grounded in "
    "the rule of law and protect freedom of expression, while enabling the swift removal of "
    "content that incites the commission of terrorist acts.",
    "The protection of victims must remain at the heart of our efforts. Victims of terrorism "
    "in the Sahel often live in remote areas, far from the services they need. Regional "
    "organizations can help States to establish comprehensive assistance plans, including "
    "medical, psychological, legal and financial support, and to ensure that the voices of "
    "victims are heard in the design of policies that affect them.",
    "Finally, we must strengthen our partnerships with civil society. Civil society "
    "organizations, including women-led organizations, have unique access to affected "
    "communities and can help build the trust that is indispensable to effective prevention. "
    "They must be able to work in a safe and enabling environment.",
    "The Counter-Terrorism Committee Executive Directorate stands ready to continue its close "
    "engagement with the regional organizations of the Sahel, and to help mobilize the "
    "technical assistance that Member States need to implement the relevant resolutions.",
    "I wish you a productive meeting and look forward to our discussions.",
)
CLOSING = "Thank you."
FOOTNOTE = "Security Council resolution 2395 (2017), adopted on 21 December 2017."
FOOTNOTE_AFTER = "resolution 2395 (2017),"
"""The body text after which the PDF prints footnote mark 1."""
HEADER = "Counter-Terrorism Committee Executive Directorate"
NAV = ("Home", "Press Releases", "Meetings Coverage", "Secretary-General", "Search")


def paragraphs() -> list[tuple[str, bool]]:
    """(text, bold) for every paragraph, in order, lines of a block joined by a space."""
    return [
        (" ".join(TITLE), True),
        (SUBTITLE, False),
        (DATELINE, False),
        (LEAD_IN, False),
        (" ".join(BYLINE), True),
        (SALUTATION, False),
        *((text, False) for text in BODY),
        (CLOSING, False),
    ]


def write_markdown(path: Path) -> Path:
    """The statement as a clean Markdown source (the segmenter's own convention)."""
    blocks = [f"**{text}**" if bold else text for text, bold in paragraphs()]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


# --- PDF ---------------------------------------------------------------------------------------


@dataclass
class _Cursor:
    page: int = 1
    column: int = 0
    y: float = 0.0


def write_pdf(path: Path, *, extra_pages: int = 0) -> Path:
    """The statement as a printed three-page PDF (see the module docstring).

    ``extra_pages`` repeats the body that many more times, one page each at least (for the
    benchmark's 50-page document).
    """
    from io import BytesIO

    # Two passes, as a word processor does: the first counts the pages for "Page N of M".
    total = _render_pdf(BytesIO(), extra_pages, total=0)
    with path.open("wb") as handle:
        _render_pdf(handle, extra_pages, total=total)
    return path


def _render_pdf(target: object, extra_pages: int, *, total: int) -> int:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    width, height = A4
    margin = 72.0
    size, leading, gap = 12.0, 18.0, 10.0
    top, bottom = height - 110.0, 120.0
    canvas_ = canvas.Canvas(target, pagesize=A4, invariant=1)
    cursor = _Cursor(y=top)

    # page 2 (and, in longer documents, every third page) is set in two columns
    def two_columns() -> bool:
        return cursor.page % 3 == 2

    def frame() -> tuple[float, float]:
        if two_columns():
            column_width = (width - 2 * margin - 24) / 2
            return margin + cursor.column * (column_width + 24), column_width
        return margin, width - 2 * margin

    def running_lines() -> None:
        canvas_.setFont("Helvetica-Oblique", 9)
        canvas_.drawString(margin, height - 50, HEADER)
        canvas_.drawCentredString(width / 2, 40, f"Page {cursor.page} of {total}")

    def new_frame() -> None:
        if two_columns() and cursor.column == 0:
            cursor.column = 1
            cursor.y = top
            return
        running_lines()
        canvas_.showPage()
        cursor.page += 1
        cursor.column = 0
        cursor.y = top

    def next_line(words: list[str], font: str, line_width: float) -> str:
        """Take the words of one line off ``words`` (hyphenating a long word at the end)."""
        current = ""
        while words:
            trial = f"{current} {words[0]}".strip()
            if stringWidth(trial, font, size) <= line_width or not current:
                current = trial
                words.pop(0)
                continue
            split = _hyphenate(current, words[0], font, size, line_width, stringWidth)
            if split is not None:
                words[0] = split[1]
                return split[0]
            break
        return current

    def paragraph(text: str, *, bold: bool = False, centred: bool = False) -> None:
        font = "Helvetica-Bold" if bold else "Helvetica"
        words = text.split()
        while words:
            if cursor.y < bottom:
                new_frame()
            x0, line_width = frame()
            line = next_line(words, font, line_width)
            canvas_.setFont(font, size)
            if centred:
                canvas_.drawCentredString(x0 + line_width / 2, cursor.y, line)
            else:
                canvas_.drawString(x0, cursor.y, line)
            if FOOTNOTE_AFTER in line and not getattr(canvas_, "_footnote_done", False):
                end = stringWidth(
                    line[: line.index(FOOTNOTE_AFTER) + len(FOOTNOTE_AFTER)], font, size
                )
                canvas_.setFont("Helvetica", 7)
                canvas_.drawString(x0 + end + 0.5, cursor.y + 4, "1")
                canvas_.setFont("Helvetica", 8)
                canvas_.line(margin, bottom - 18, margin + 140, bottom - 18)
                canvas_.drawString(margin, bottom - 30, f"1 {FOOTNOTE}")
                canvas_._footnote_done = True  # type: ignore[attr-defined]
            cursor.y -= leading
        cursor.y -= gap

    for line in TITLE:
        canvas_.setFont("Helvetica-Bold", size)
        canvas_.drawCentredString(width / 2, cursor.y, line)
        cursor.y -= leading
    cursor.y -= gap
    paragraph(SUBTITLE, centred=True)
    paragraph(DATELINE, centred=True)
    paragraph(LEAD_IN, centred=True)
    for line in BYLINE:
        canvas_.setFont("Helvetica-Bold", size)
        canvas_.drawCentredString(width / 2, cursor.y, line)
        cursor.y -= leading
    cursor.y -= gap
    paragraph(SALUTATION)
    body = list(BODY)
    for _ in range(extra_pages):
        body.extend(BODY[1:-1])
    for text in body:
        paragraph(text)
    paragraph(CLOSING)
    running_lines()
    canvas_.showPage()
    canvas_.save()
    return cursor.page


def _hyphenate(
    current: str, word: str, font: str, size: float, line_width: float, string_width: object
) -> tuple[str, str] | None:
    """Split a long plain word at the line end as a typesetter would ("organi-" / "zations")."""
    assert callable(string_width)
    if len(word) < 11 or not word.isalpha() or word[0].isupper():
        return None
    for cut in range(len(word) - 4, 5, -1):
        head = word[:cut]
        if head.lower() in {"counter", "multi", "inter", "trans", "super"}:
            continue
        trial = f"{current} {head}-".strip()
        if string_width(trial, font, size) <= line_width:
            return trial, word[cut:]
    return None


# --- DOCX --------------------------------------------------------------------------------------


def write_docx(path: Path, *, table: bool = False) -> Path:
    """The statement as a Word file: bold from styles, a Heading, header/footer, a footnote.

    ``table`` adds a two-by-two table after the closing (to check tables are read row by row).
    """
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE

    document = Document()
    styles = document.styles
    title_style = styles.add_style("Statement Title", WD_STYLE_TYPE.PARAGRAPH)
    title_style.base_style = styles["Normal"]
    title_style.font.bold = True  # bold only through the style: run.bold stays None
    byline_base = styles.add_style("Byline Base", WD_STYLE_TYPE.PARAGRAPH)
    byline_base.font.bold = True
    byline = styles.add_style("Byline", WD_STYLE_TYPE.PARAGRAPH)
    byline.base_style = byline_base  # bold two levels up the chain

    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = "Page 1"

    document.add_paragraph(" ".join(TITLE), style="Statement Title")
    document.add_heading(SUBTITLE, level=2)
    document.add_paragraph(DATELINE)
    document.add_paragraph(LEAD_IN)
    document.add_paragraph(" ".join(BYLINE), style="Byline")
    document.add_paragraph(SALUTATION)
    for text in BODY:
        paragraph = document.add_paragraph()
        if FOOTNOTE_AFTER in text:
            cut = text.index(FOOTNOTE_AFTER) + len(FOOTNOTE_AFTER)
            paragraph.add_run(text[:cut])
            _add_footnote(document, paragraph, FOOTNOTE)
            paragraph.add_run(text[cut:])
        else:
            paragraph.add_run(text)
    document.add_paragraph(CLOSING)
    if table:
        _add_table(document)
    document.save(str(path))
    return path


TABLE = (("Annex", "Participants"), ("Mauritania", "Chair"))


def _add_table(document: object) -> None:
    table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    for row, cells in zip(
        table.rows, (("Annex", "Participants"), ("Mauritania", "Chair")), strict=True
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value


def _add_footnote(document: object, paragraph: object, text: str) -> None:
    """Add footnote 1 (python-docx has no API for footnotes: write the part and reference)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        f'<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {html.escape(text)}</w:t></w:r>'
        "</w:p></w:footnote></w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode(),
        document.part.package,  # type: ignore[attr-defined]
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)  # type: ignore[attr-defined]
    run = paragraph.add_run()  # type: ignore[attr-defined]
    run._r.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:vertAlign w:val="superscript"/></w:rPr>'))
    run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))


# --- HTML --------------------------------------------------------------------------------------


def write_html(path: Path) -> Path:
    """The statement as a saved UN-press-style web page, with the page around it."""
    nav = "".join(f'<li><a href="/{i}">{html.escape(item)}</a></li>' for i, item in enumerate(NAV))
    body = "\n".join(f"<p>{html.escape(text)}</p>" for text in BODY)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(" ".join(TITLE))} | Meetings Coverage and Press Releases</title>
<meta property="og:title" content="{html.escape(" ".join(TITLE))}">
<script>window.dataLayer = [];</script><style>.x{{color:red}}</style></head>
<body>
<header class="site-header"><a class="logo" href="/">United Nations</a>
<nav class="main-menu"><ul>{nav}</ul></nav></header>
<div class="breadcrumb"><a href="/">Home</a> / <a href="/press">Press Releases</a></div>
<main id="main-content">
<article class="node--type-press-release">
<div class="field--name-field-symbol">SG/SM/22145</div>
<h1 class="page-header">{html.escape(" ".join(TITLE))}</h1>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on X</a>
<a href="#">Email</a></div>
<div class="field--name-body">
<p><strong>{html.escape(SUBTITLE)}</strong></p>
<p><time datetime="2024-03-14">{html.escape(DATELINE)}</time></p>
<p>{html.escape(LEAD_IN)}</p>
<p><strong>{html.escape(BYLINE[0])}<br>{html.escape(BYLINE[1])}</strong></p>
<p>{html.escape(SALUTATION)}</p>
{body}
<p>{html.escape(CLOSING)}</p>
</div>
<div class="field--name-field-tags"><a href="/t/1">Terrorism</a> <a href="/t/2">Sahel</a></div>
</article>
<aside class="related-content"><h2>Related</h2><ul><li><a href="/a">Secretary-General
Condemns Attack in Niger</a></li><li><a href="/b">Security Council Press Statement on
Mali</a></li></ul></aside>
</main>
<footer class="site-footer"><p>Copyright United Nations</p><p>Terms of Use · Privacy Notice</p>
<p>For information media. Not an official record.</p></footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
