"""Paragraph and list-item boundaries on generated PDFs: a wrapped line that starts with a
decimal or a negative number continues its item; Chinese lines that stop short end their
paragraph (a sidebar of labels and names), while Chinese lines that fill the column join."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import docrecon
from docrecon.model import BBox, Document, Origin, TextLine
from tests.pdfgen import CJK_FONT


def _parse(data: bytes) -> Document:
    return docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))


def _pdf(lines: list[tuple[float, str]], font: str = "Helvetica", size: float = 11) -> bytes:
    if font == "WQY":
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont(font, size)
    y = 760.0
    for x, line in lines:
        c.drawString(x, y, line)
        y -= size * 1.35
    c.showPage()
    c.save()
    return buf.getvalue()


def _texts(doc: Document) -> list[str]:
    return [b.text for p in doc.pages for b in p.body()]


def test_a_wrapped_line_starting_with_a_number_continues_its_item() -> None:
    lines = [
        (72, "1. The project budget for the first phase of the new plant is estimated at about"),
        (84, "6.66 billion, while the second phase has no budget agreed with the county yet."),
        (72, "2. Temperatures in the test chamber were held for the whole week of trials at"),
        (84, "-5 degrees, which is the lowest setting the chamber allows for this material."),
    ]
    texts = _texts(_parse(_pdf(lines)))
    assert len(texts) == 2, texts
    assert texts[0].endswith("6.66 billion, while the second phase has no budget agreed with the county yet.")
    assert "at -5 degrees" in texts[1]


def test_a_reference_wrapped_at_its_dash_is_no_list_item() -> None:
    """A line that is only "33." after a line ending "Section 22–11–" is the end of that
    reference, not an empty numbered item; the number is joined back at its dash."""
    lines = [
        (72, "Instructions for doing the installation and the verification of the software can be"),
        (72, "found in the Aircraft Maintenance Manual (AMM), Chapter 4, Section 22\u201311\u2013"),
        (72, "33."),
        (72, "The tools that the verification needs are listed one per line on the manual's pages 12-"),
        (72, "15, with their part numbers."),
    ]
    texts = _texts(_parse(_pdf(lines)))
    assert texts == ["Instructions for doing the installation and the verification of the software can be found in "
                     "the Aircraft Maintenance Manual (AMM), Chapter 4, Section 22\u201311\u201333.",
                     "The tools that the verification needs are listed one per line on the manual's pages 12-15, "
                     "with their part numbers."], texts


def test_chinese_lines_that_stop_short_end_their_paragraph() -> None:
    full = "公司在山西长治金刚线生产厂区采购电力的平均单价较青岛生产厂区采购电力的平均单价低随着产量增加"
    lines = [(72, "证券分析师"), (72, "倪正洋"), (72, "研究助理"), (72, "杨云逍"),
             (72, full), (72, full), (72, "单价呈下降趋势。")]
    texts = _texts(_parse(_pdf(lines, font="WQY", size=10)))
    assert texts[:4] == ["证券分析师", "倪正洋", "研究助理", "杨云逍"], texts
    assert texts[4] == full + full + "单价呈下降趋势。"


def test_table_of_contents_entries_stay_apart() -> None:
    entries = [("Notices", "vii"), ("Trademarks", "viii"), ("Preface", "xi"), ("Authors", "xi"),
               ("Chapter 1. Securing and protecting data", "1"), ("1.1 Security fundamentals", "2")]
    lines = [(90, f"{name} {'. ' * (60 - len(name) // 2)}{page}") for name, page in entries]
    texts = _texts(_parse(_pdf(lines, size=10)))
    assert len(texts) == len(entries), texts
    for text, (name, page) in zip(texts, entries, strict=True):
        assert text.startswith(name) and text.endswith(page)


def test_form_fields_on_lines_of_their_own_stay_apart() -> None:
    """Set as tightly as the lines of a paragraph, "Label: value" lines are fields, each its
    own block (so a question naming the label finds its value); a prose line that carries a
    colon further in is wrapped text as before, and a time is no label."""
    doc = _parse(_pdf([
        (72, "Name: Universal Studios Distribution"),
        (72, "Category: Film Distributor"),
        (72, "Contact Email: bookings@studios.example.com"),
        (72, "Customer ID: CUST-98765"),
        (72, "邮箱：yangyx@example.com"),
        (72, "流通 A 股(百万股)： 167.01"),
        (72, "52 周内股价区间(元)： 21.60-97.40"),
    ], font="WQY"))
    assert _texts(doc) == [
        "Name: Universal Studios Distribution", "Category: Film Distributor",
        "Contact Email: bookings@studios.example.com", "Customer ID: CUST-98765", "邮箱：yangyx@example.com",
        "流通 A 股(百万股)： 167.01", "52 周内股价区间(元)： 21.60-97.40",
    ]
    prose = _parse(_pdf([
        (72, "The screening starts at 12:30 and the doors open an hour before, as agreed with the"),
        (72, "cinema manager: the queue forms along the side of the building and the staff check"),
        (72, "tickets at the door."),
    ]))
    assert len(_texts(prose)) == 1


def test_a_separator_wrapped_to_the_line_start_is_no_bullet() -> None:
    """A run of terms separated by middle dots wraps so that the next line opens with "·"; it
    stays one paragraph. A block narrower than the page (an abstract) counts as full at its own
    right edge. A "·" line after a line without separators is still a list item."""
    body = "Body text of the paper runs the full width of the page, wider than the abstract is."
    keywords = "Keywords: Document Image Analysis · Deep Learning · Layout Analysis"
    doc = _parse(_pdf([(100, "An abstract set narrower than the body, as papers set it, with"),
                       (100, "several lines that run to its own right edge and then a short"),
                       (100, "last line."),
                       (100, keywords),
                       (100, "· Character Recognition · Open Source Library · Toolkit."),
                       (60, body), (60, body),
                       (100, "Ingredients of the mix"),
                       (100, "· flour")], size=10))
    texts = _texts(doc)
    assert keywords + " · Character Recognition · Open Source Library · Toolkit." in texts
    assert not any(b.text.startswith("Character") for p in doc.pages for b in p.body())
    assert any(b.text == "flour" and b.type.value == "list_item" for p in doc.pages for b in p.body())


def test_a_centred_second_line_is_no_paragraph_indent() -> None:
    """An author line centred under the one before it, shorter at both ends, continues it."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 10)
    c.drawCentredString(297, 760, "Zoe Shen, Ravi Zhang, Mel Dell, Benjamin Charles Germain")
    c.drawCentredString(297, 747, "Lee, Jacob Carlson, and Wei Li")
    y = 720.0
    for _ in range(4):
        c.drawString(72, y, "Body text of the paper runs the full width of the page like this line.")
        y -= 13
    c.showPage()
    c.save()
    texts = _texts(_parse(buf.getvalue()))
    assert "Zoe Shen, Ravi Zhang, Mel Dell, Benjamin Charles Germain Lee, Jacob Carlson, and Wei Li" in texts


def _ocr_lines(rows: list[tuple[str, float, float]]) -> list[TextLine]:
    """Recognised lines (text, right edge, size) 14 points apart at x = 88."""
    return [TextLine(text, BBox(88.0, 100.0 + 14 * k, x1, 110.0 + 14 * k), size=size, origin=Origin.OCR)
            for k, (text, x1, size) in enumerate(rows)]


def test_ocr_lines_of_one_paragraph_with_noisy_sizes_stay_together() -> None:
    """OCR sizes come from ink and vary by a quarter between lines of one font (7.7, 9.7,
    10.1): the lines still make one paragraph; a lone short line ("Abstract") before a full
    line stands alone."""
    from docrecon.stages.layout import split_paragraphs

    lines = _ocr_lines([("Abstract", 137.0, 9.7),
                        ("User acceptance of technology has been an important field of study", 506.0, 9.7),
                        ("of a system, the Technology Acceptance Model has been the only one", 505.0, 10.1),
                        ("captured the most attention of the Information Systems community", 506.0, 7.7),
                        ("for anyone willing to study user acceptance of technology.", 400.0, 10.1)])
    paras = split_paragraphs(lines)
    assert [len(p) for p in paras] == [1, 4]
    assert [len(p) for p in split_paragraphs(_ocr_lines([("A heading", 200.0, 10.0),
                                                         ("Body text at twice the size", 506.0, 20.0)]))] == [1, 1]


def test_right_to_left_lines_ragged_at_the_left_stay_one_paragraph() -> None:
    """Hebrew lines set flush right, ragged at the left: a line that starts further left than
    the one above is no first-line indent; a short last line ends the paragraph."""
    pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("DejaVu", 12)
    words = "שלום עולם זהו טקסט בעברית שנכתב מימין לשמאל כדי לבדוק את חלוקת הפסקאות במסמך".split()
    paragraphs = [[words[0:12], words[2:11], words[1:12], words[3:6]], [words[4:14], words[0:9], words[5:8]]]
    y = 760.0
    for para in paragraphs:
        for line in para:
            c.drawRightString(520, y, " ".join(line))
            y -= 15
        y -= 12
    c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    assert len([b for p in doc.pages for b in p.body()]) == 2
