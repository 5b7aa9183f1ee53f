"""Heading classes on generated PDFs: wrapped headings stay one, display titles that end in a
full stop are headings, captions and bullets are not, and three unnumbered sizes give three levels."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import docrecon
from docrecon.model import Block, BlockType, Document
from tests.pdfgen import LOREM, _wrap

W, H = A4


def _parse(data: bytes) -> Document:
    return docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))


def _blocks(doc: Document) -> list[Block]:
    return [b for p in doc.pages for b in p.body()]


def _headings(doc: Document) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in _blocks(doc) if b.type in (BlockType.HEADING, BlockType.TITLE)]


def _body(c: canvas.Canvas, y: float, n: int = 2) -> float:
    for _ in range(n):
        y = _wrap(c, LOREM, 72, y, W - 144) - 8
    return y


def headings_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = H - 90
    # a title in display type that wraps, its second line indented under the first
    c.setFont("Helvetica-Bold", 24)
    c.drawString(72, y, "Securing and protecting the data of")
    c.drawString(110, y - 28, "small public archives")
    y = _body(c, y - 60)
    for i, section in enumerate(("Background", "Methods")):
        c.setFont("Helvetica-Bold", 17)
        c.drawString(72, y, section)
        y = _body(c, y - 22, 1)
        for sub in ("Sources", "Sampling")[: 2 - i]:
            c.setFont("Helvetica-Bold", 13)
            c.drawString(72, y, f"{sub} of {section.lower()}")
            y = _body(c, y - 18, 1)
    c.setFont("Helvetica-Bold", 10.5)
    c.drawString(72, y, "• Bold lead item of a bullet list")
    c.setFont("Times-Roman", 10.5)
    c.drawString(72, y - 14, "• plain second item of the same list")
    y -= 40
    c.rect(72, y - 120, 200, 120, stroke=1, fill=0)
    c.setFont("Helvetica-Bold", 10.5)
    c.drawString(72, y - 136, "Figure 3-1 The archive workflow")
    _body(c, y - 160, 1)
    c.showPage()
    c.save()
    return buf.getvalue()


def display_title_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Bold", 18)
    lines = ["The effects of a long compound name, written out in full as", "papers do, on the outcome"
             " of a study in rats."]
    c.drawString(72, H - 90, lines[0])
    c.drawString(72, H - 112, lines[1])
    _body(c, H - 150, 3)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_wrapped_heading_stays_one_block() -> None:
    doc = _parse(headings_pdf())
    texts = [t for _, t in _headings(doc)]
    assert "Securing and protecting the data of small public archives" in texts
    assert not any(t == "small public archives" for t in texts)


def test_three_unnumbered_sizes_give_three_levels() -> None:
    heads = dict((t, lvl) for lvl, t in _headings(_parse(headings_pdf())))
    title = heads["Securing and protecting the data of small public archives"]
    assert title < heads["Background"] == heads["Methods"] < heads["Sources of background"]
    assert heads["Sources of background"] == heads["Sampling of background"] == heads["Sources of methods"]


def test_captions_and_bullets_are_not_headings() -> None:
    doc = _parse(headings_pdf())
    texts = [t for _, t in _headings(doc)]
    assert not any(t.startswith("Figure 3-1") for t in texts)
    assert not any("Bold lead item" in t for t in texts)
    assert any(b.text.startswith("Figure 3-1") for b in _blocks(doc))


def test_display_title_ending_in_full_stop_is_a_heading() -> None:
    doc = _parse(display_title_pdf())
    heads = _headings(doc)
    assert heads and heads[0][1].startswith("The effects of a long compound name")
    assert heads[0][1].endswith("in rats.")


def stacked_title_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Bold", 18)
    c.drawString(72, H - 90, "Research Article")
    c.drawString(72, H - 130, "A study of archives in small towns")
    y = _body(c, H - 170, 2)
    for section in ("Introduction", "Methods", "Results"):
        c.setFont("Times-Bold", 13)
        c.drawString(72, y, section)
        y = _body(c, y - 18, 1)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_stacked_title_and_subtitle_do_not_push_sections_down() -> None:
    doc = _parse(stacked_title_pdf())
    kinds = {b.text: (b.type, b.level) for b in _blocks(doc) if b.type in (BlockType.HEADING, BlockType.TITLE)}
    assert kinds["Research Article"] == (BlockType.TITLE, 0)
    assert kinds["A study of archives in small towns"] == (BlockType.HEADING, 1)
    assert kinds["Introduction"] == kinds["Methods"] == kinds["Results"] == (BlockType.HEADING, 1)


def test_remark_in_parentheses_is_not_a_heading() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, H - 90, "Stock-based compensation")
    y = _body(c, H - 120, 1)
    c.setFont("Helvetica-Bold", 10.5)
    c.drawString(72, y, "(In millions)")
    _body(c, y - 20, 2)
    c.showPage()
    c.save()
    heads = [t for _, t in _headings(_parse(buf.getvalue()))]
    assert "Stock-based compensation" in heads
    assert "(In millions)" not in heads


def test_wrapped_cjk_title_in_mixed_weights_is_one_title() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from tests.pdfgen import CJK_FONT

    pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    # line 1: a ticker in a bold Latin face, then CJK in a regular face; line 2: CJK only
    c.setFont("Helvetica-Bold", 20)
    c.drawString(72, H - 90, "ABC(688556.SH) 2024")
    x = 72 + c.stringWidth("ABC(688556.SH) 2024 ", "Helvetica-Bold", 20)
    c.setFont("WQY", 20)
    c.drawString(x, H - 90, "扩产计划")
    c.drawString(84, H - 116, "强化光伏硅片切割布局")
    c.setFont("WQY", 10.5)
    y = H - 150
    for _ in range(6):
        c.drawString(72, y, "公司拟签署项目投资协议书，项目一期计划建设年产金刚线产能，预计总投资额约六亿元。")
        y -= 16
    c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    heads = [(b.type, b.text.replace(" ", "")) for b in _blocks(doc) if b.type in (BlockType.HEADING, BlockType.TITLE)]
    assert heads == [(BlockType.TITLE, "ABC(688556.SH)2024扩产计划强化光伏硅片切割布局")]


def test_a_run_of_bold_lines_is_a_passage_not_headings() -> None:
    """A syntax box set in bold body-size lines: none of its lines is a heading; a bold heading
    followed by its body still is."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = H - 90
    c.setFont("Helvetica-Bold", 10.5)
    c.drawString(72, y, "Permissions and masks")
    y = _body(c, y - 18, 1)
    for line in ("CREATE PERMISSION <permission name>", "ON <table name>", "FOR ROWS WHERE <logic to test>",
                 "ENFORCED FOR ALL ACCESS"):
        c.setFont("Helvetica-Bold", 10.5)
        c.drawString(90, y, line)
        y -= 30  # set apart: each line is a block of its own
    y = _body(c, y - 10, 1)
    c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    heads = [t for _, t in _headings(doc)]
    assert heads == ["Permissions and masks"]
    md = docrecon.render_markdown(doc)
    assert "CREATE PERMISSION <permission name>" in md.replace("\\<", "<")


def test_bold_field_with_data_is_a_field_not_a_heading() -> None:
    """In a report's header block, one field set in bold ("Report Date: 2024-11-15") is a field
    like the others; a bold body-size line whose "value" is words ("Step 2: Install the
    tools") can still be a heading."""
    h = A4[1]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = h - 90
    fields = [("Report ID: SPARSE-2024-INV-1234", "Helvetica"), ("Warehouse: Distribution Center East", "Helvetica"),
              ("Report Date: 2024-11-15", "Helvetica-Bold"), ("Prepared By: Sarah Martinez", "Helvetica")]
    for text, font in fields:
        c.setFont(font, 10)
        c.drawString(78, y, text)
        y -= 12
    c.setFont("Helvetica-Bold", 10)
    c.drawString(78, y - 30, "Step 2: Install the tools")
    _wrap(c, LOREM, 78, y - 48, 440, font="Helvetica", size=10, leading=12)
    c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    kinds = {b.text: b.type for b in doc.pages[0].blocks}
    assert kinds["Report Date: 2024-11-15"] is BlockType.PARAGRAPH
    assert kinds["Step 2: Install the tools"] is BlockType.HEADING


def _front_matter_pdf(under_title: list[tuple[str, str, float]]) -> bytes:
    """A centred title, the given (text, font, size) lines centred under it, then a bold
    "Abstract", body text and two 12-point section headings."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 17)
    c.drawCentredString(W / 2, H - 100, "Two Methods for Reading Archived Pages")
    y = H - 130
    for text, font, size in under_title:
        c.setFont(font, size)
        c.drawCentredString(W / 2, y, text)
        y -= size + 8
    c.setFont("Times-Bold", 12)
    c.drawString(72, y - 14, "Abstract")
    y = _body(c, y - 30, 1)
    for section in ("Prior Approaches", "Our Method"):
        c.setFont("Times-Roman", 12)
        c.drawString(72, y - 6, section)
        y = _body(c, y - 24, 1)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("date", ["January 3, 2024", "20 décembre 2022", "3. März 2024", "2024年3月20日"])
def test_author_and_date_lines_under_the_title_are_not_headings(date: str) -> None:
    """Front matter set larger than the body, as LaTeX's title block does: names (with
    affiliation marks), a date (in several languages) and e-mail addresses under the title are
    text, not headings; later headings of the same size keep their level."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from tests.pdfgen import CJK_FONT

    pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT)))
    doc = _parse(_front_matter_pdf([("Ana M. Ruiz¹, Bo Li* and Chen Wu²", "Times-Roman", 12),
                                    ("¹Indiana University, USA ²Institute of Optics", "Times-Roman", 12),
                                    ("ana.ruiz@example.org, bo.li@example.org", "Courier", 10),
                                    (date, "WQY" if "年" in date else "Times-Roman", 12)]))
    heads = _headings(doc)
    assert heads[0] == (0, "Two Methods for Reading Archived Pages")
    assert not any("Ruiz" in t or date in t or "@" in t or "Optics" in t for _, t in heads), heads
    assert [t for _, t in heads[1:]] == ["Abstract", "Prior Approaches", "Our Method"]
    texts = " ".join(b.text for b in _blocks(doc))
    assert "Ana M. Ruiz¹, Bo Li* and Chen Wu²" in texts and date in texts


@pytest.mark.parametrize("byline", [
    [("Jake Poznanski      Luca Soldaini      Kyle Lo", "Helvetica-Bold", 12)],
    [("Mohammad Chuttur", "Times-Bold", 12), ("Indiana University, USA", "Times-Bold", 12)],
    [("Mohammad Chuttur Indiana University, USA", "Times-Roman", 12)],
    [("Avram Lyon      Monday, December 5, 2011", "Times-Roman", 12)],
], ids=["names-apart-by-wide-spaces", "bold-name-over-affiliation", "name-and-affiliation", "name-and-date"])
def test_bylines_on_one_line_are_not_headings(byline: list[tuple[str, str, float]]) -> None:
    """Names set apart only by wide spaces, a name run into its affiliation, a name and the
    date on one line: front matter under the title, not headings."""
    heads = [t for _, t in _headings(_parse(_front_matter_pdf(byline)))]
    assert heads == ["Two Methods for Reading Archived Pages", "Abstract", "Prior Approaches", "Our Method"], heads


def test_a_section_heading_right_under_the_title_stays_a_heading() -> None:
    """A regular-weight heading directly under the title ("Executive Summary", or one
    capitalised pair that could be a name) is still a heading."""
    for first in ("Executive Summary", "Financial Highlights"):
        doc = _parse(_front_matter_pdf([(first, "Times-Roman", 12)]))
        assert first in [t for _, t in _headings(doc)], _headings(doc)


def _diagram_page(labels: list[str]) -> bytes:
    """Body text, then the given 12-point labels of a syntax diagram, each with a 9-point
    callout to its right, a "Figure 3-1" caption under them, and a 12-point bold section."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = _body(c, H - 80, 1) - 20
    for k, label in enumerate(labels):
        c.setFont("Helvetica", 12)
        c.drawString(90, y - 40 * k, label)
        c.setFont("Helvetica", 9)
        c.drawString(330, y - 40 * k - 14, f"Explains part {k + 1} of the statement")
        c.line(90 + c.stringWidth(label, "Helvetica", 12), y - 40 * k + 4, 325, y - 40 * k - 11)
    y -= 40 * len(labels) + 10
    c.setFont("Helvetica", 9)
    c.drawString(72, y, "Figure 3-1 The CREATE PERMISSION statement")
    c.setFont("Helvetica-Bold", 12)
    c.drawString(72, y - 30, "Column masks")
    _body(c, y - 48, 1)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_labels_of_a_diagram_drawn_as_text_are_not_headings() -> None:
    """Several larger-than-body lines between a figure's caption and the text above it are a
    diagram's labels; the section after the figure is still a heading."""
    labels = ["CREATE PERMISSION <name>", "ON <table name>", "FOR ROWS", "WHERE <logic to test>"]
    doc = _parse(_diagram_page(labels))
    heads = [t for _, t in _headings(doc)]
    assert not set(labels) & set(heads), heads
    assert "Column masks" in heads
    assert all(label in " ".join(b.text for b in _blocks(doc)) for label in labels)


def test_a_section_heading_over_a_figure_stays_a_heading() -> None:
    """One larger line above a figure and its caption is the section's heading."""
    doc = _parse(_diagram_page(["Results of the survey"]))
    assert "Results of the survey" in [t for _, t in _headings(doc)]


def test_bold_author_list_with_footnote_address_is_front_matter() -> None:
    """Authors in bold (two or more names), an address line at body size and a
    "*corresponding@..." address under the title are no headings and no list item."""
    doc = _parse(_front_matter_pdf([("Silvino M. Solís, María del S. Hernández-Montes,* and Fernando Santoyo",
                                     "Times-Bold", 10),
                                    ("Centro de Investigaciones en Óptica, Loma del Bosque 115, León, México",
                                     "Times-Roman", 10),
                                    ("*mhernandez@example.mx", "Times-Roman", 10)]))
    heads = [t for _, t in _headings(doc)]
    assert not any("Solís" in t or "@" in t for t in heads), heads
    kinds = {b.text: b.type for b in _blocks(doc)}
    assert kinds["*mhernandez@example.mx"] is BlockType.PARAGRAPH


def test_pieces_of_running_text_set_larger_are_not_headings() -> None:
    """Lines whose size reads larger than the body (Type 3 glyph boxes, a scaled line) but that
    are pieces of running text are not headings: one ending in a word broken over the line
    ("flu-"), one opening in lower case after a column break. A real larger heading stays."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Bold", 13)
    c.drawString(72, H - 90, "Introduction")
    y = _body(c, H - 110, 1)
    c.setFont("Times-Roman", 13)
    c.drawString(72, y - 4, "As everyone knows, it is almost impossible to achieve any flu-")
    y = _body(c, y - 24, 1)
    c.drawString(72, y - 4, "diately above, suppose that the lesson is about nouns")
    _body(c, y - 24, 1)
    c.showPage()
    c.save()
    heads = [t for _, t in _headings(_parse(buf.getvalue()))]
    assert "Introduction" in heads
    assert not any(t.startswith(("As everyone", "diately")) for t in heads), heads


def test_contents_entries_without_leaders_are_not_headings() -> None:
    """A table of contents without dot leaders ("1 Foo 2", "2 Bar 2", ...): entries that end in
    rising page numbers are not headings; the sections they list, later, are."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Bold", 16)
    c.drawString(72, H - 90, "Contents")
    c.setFont("Times-Bold", 12)
    for k, (title, page) in enumerate([("1 Scope", 2), ("2 Methods", 2), ("3 Results", 3), ("4 Outlook", 4)]):
        c.drawString(72, H - 124 - 30 * k, title)  # spaced apart: each entry a block of its own
        c.drawRightString(520, H - 124 - 30 * k, str(page))
    c.showPage()
    for title in ("1 Scope", "2 Methods"):
        c.setFont("Times-Bold", 12)
        c.drawString(72, H - 90, title)
        _body(c, H - 110, 2)
        c.showPage()
    c.save()
    heads = [t for _, t in _headings(_parse(buf.getvalue()))]
    assert not any(t.endswith((" 2", " 3", " 4")) for t in heads), heads
    assert "1 Scope" in heads and "2 Methods" in heads


def test_a_contents_entry_without_leaders_among_entries_with_them_is_no_heading() -> None:
    """In a table of contents whose entries carry dot leaders, one entry printed without them
    (its leaders drawn apart, or lost) is an entry like its neighbours, not a heading."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Bold", 16)
    c.drawString(72, H - 90, "Contents")
    entries = [("1 SCOPE OF THE STUDY", 255, True), ("2 CONCLUSION ON THE PROJECT", 255, True),
               ("CHAPTER IX: METHODS", 256, True), ("1 METHODS USED FOR THE INITIAL SURVEY", 257, False),
               ("1.1 CARRYING OUT THE SURVEY", 257, True), ("1.2 ASSESSING THE EFFECTS", 258, True)]
    for k, (title, page, dots) in enumerate(entries):
        c.setFont("Times-Bold" if not dots else "Times-Roman", 12 if not dots else 10)
        y = H - 124 - 26 * k
        c.drawString(72, y, title + (" " + "." * 40 if dots else ""))
        c.drawRightString(520, y, str(page))
    c.showPage()
    c.setFont("Times-Bold", 12)
    c.drawString(72, H - 90, "1 SCOPE OF THE STUDY")
    _body(c, H - 110, 2)
    c.showPage()
    c.save()
    heads = [t for _, t in _headings(_parse(buf.getvalue()))]
    assert not any("INITIAL SURVEY" in t for t in heads), heads
    assert "1 SCOPE OF THE STUDY" in heads


def test_rows_of_figures_set_large_are_not_headings() -> None:
    """A chart's data labels set larger than the body ("15 to 24 5.3 1.4") carry more numbers
    than words: no headings; a heading with a number or two among its words still is one."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, H - 90, "1 Chapter 1")
    y = _body(c, H - 112, 1) - 20
    for k, row in enumerate(["15 to 24 5.3 1.4", "25 to 44 7.3 2.0", "45 to 54 13.8 3.6"]):
        c.setFont("Helvetica", 13)
        c.drawString(72, y - 40 * k, row)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, y - 140, "Disability Prevalence in 2010")
    _body(c, y - 162, 1)
    c.showPage()
    c.save()
    heads = [t for _, t in _headings(_parse(buf.getvalue()))]
    assert heads == ["1 Chapter 1", "Disability Prevalence in 2010"], heads


def test_contact_lines_are_not_headings_at_any_size() -> None:
    """On a cover page, contact lines set larger than the body (a phone field, an e-mail field,
    a web address) are not headings; the cover's title is."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(72, H - 100, "Environmental impact study")
    c.setFont("Helvetica", 13)
    for k, line in enumerate(["Tel. : 04.66.38.61.58", "Contact : atdx@example.fr", "www.example.fr",
                              "Permanent URL: http://example.fr/9-37"]):
        c.drawString(72, H - 160 - 22 * k, line)
    _body(c, H - 260, 2)
    c.showPage()
    c.save()
    heads = [t for _, t in _headings(_parse(buf.getvalue()))]
    assert heads == ["Environmental impact study"], heads
