"""Failure class 0: the text layer of pages shown turned (``/Rotate`` 90/180/270, on the page,
inherited from the page tree or written as an indirect object) is read, upright."""

from __future__ import annotations

from typing import Any

import pytest
from rawpdf import pages_pdf, text_ops

import docrecon

BODY = ["Quarterly figures for the northern region", "Revenue grew by eleven percent", "Costs stayed flat"]
# text matrices (a b c d) that run the baseline along each direction of user space
UPRIGHT_IN_USER_SPACE = "1 0 0 1"
TURNED_CCW = "0 1 -1 0"  # baseline runs up the page
TURNED_CW = "0 -1 1 0"  # baseline runs down the page
UPSIDE_DOWN = "-1 0 0 -1"


def _markdown(data: bytes) -> str:
    return docrecon.render_markdown(docrecon.parse(data, name="rotated.pdf"))


def _start(matrix: str) -> tuple[float, float]:
    return {UPRIGHT_IN_USER_SPACE: (72, 700), TURNED_CCW: (400, 100), TURNED_CW: (200, 700),
            UPSIDE_DOWN: (540, 100)}[matrix]


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("matrix", [UPRIGHT_IN_USER_SPACE, TURNED_CCW, TURNED_CW, UPSIDE_DOWN])
def test_rotated_page_keeps_its_text(rotate: int, matrix: str) -> None:
    x, y = _start(matrix)
    md = _markdown(pages_pdf([text_ops(BODY, x, y, matrix=matrix)], rotate=rotate))
    for line in BODY:
        assert line in md
    assert md.index(BODY[0]) < md.index(BODY[1]) < md.index(BODY[2])


@pytest.mark.parametrize("where,indirect", [("tree", False), ("tree", True), ("page", True)])
def test_inherited_and_indirect_rotate(where: str, indirect: bool) -> None:
    pages = [text_ops(BODY, 72, 700), text_ops(["Second page of the report", "with more text"], 72, 700)]
    data = pages_pdf(pages, rotate=90, rotate_on=where, indirect_rotate=indirect)
    doc = docrecon.parse(data, name="rotated.pdf")
    md = docrecon.render_markdown(doc)
    assert all(line in md for line in BODY) and "Second page of the report" in md
    # the page is read in the frame where its text is upright: portrait, as drawn
    assert doc.pages[0].width < doc.pages[0].height


def test_upright_text_on_rotated_page_keeps_the_displayed_frame() -> None:
    # content drawn so that it reads upright once the page is shown turned by 90 degrees
    doc = docrecon.parse(pages_pdf([text_ops(BODY, 400, 100, matrix=TURNED_CCW)], rotate=90), name="r.pdf")
    assert doc.pages[0].width > doc.pages[0].height  # landscape, as displayed
    assert BODY[0] in docrecon.render_markdown(doc)


def test_margin_stamp_does_not_turn_the_page() -> None:
    body = text_ops([f"Line {i} of the body text on this page" for i in range(12)], 72, 700)
    stamp = text_ops(["DRAFT"], 580, 300, size=9, matrix=TURNED_CCW)
    doc = docrecon.parse(pages_pdf([body + b"\n" + stamp]), name="stamp.pdf")
    assert doc.pages[0].width < doc.pages[0].height
    md = docrecon.render_markdown(doc)
    assert "Line 0 of the body text" in md and "Line 11 of the body text" in md


def test_sideways_body_text_is_kept_and_margin_stamps_dropped() -> None:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tests.pdfgen import LOREM, _wrap

    w, h = A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = h - 80
    for _ in range(4):
        y = _wrap(c, LOREM, 72, y, 330) - 8
    c.saveState()
    c.translate(470, 420)
    c.rotate(90)
    c.setFont("Helvetica", 11)
    c.drawString(0, 0, "Quarterly revenue by region")
    c.restoreState()
    c.saveState()
    c.translate(24, 250)
    c.rotate(90)
    c.setFont("Times-Roman", 14)
    c.drawString(0, 0, "arXiv:2401.01234v2 [cs.CL] 3 Jan 2024")
    c.restoreState()
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    md = docrecon.render_markdown(doc)
    assert "Quarterly revenue by region" in md
    assert "arXiv" not in md
    assert "Document parsing turns pages" in md


def _turned(c: Any, x: float, y: float, angle: float, font: str, size: float, text: str) -> None:
    """Draw ``text`` turned by ``angle`` degrees from (x, y)."""
    c.saveState()
    c.translate(x, y)
    c.rotate(angle)
    c.setFont(font, size)
    c.drawString(0, 0, text)
    c.restoreState()


def _markdown_no_ocr(data: bytes) -> str:
    return docrecon.render_markdown(docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF)))


def test_sideways_axis_title_at_the_page_edge_is_kept() -> None:
    """A chart page: the y-axis title runs sideways at the left edge, right beside the tick
    labels. It labels them, so it is not a margin stamp (which has no text beside it)."""
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    w, h = 712, 424
    c = canvas.Canvas(buf, pagesize=(w, h), invariant=1)
    c.setFont("Helvetica", 9)
    for i, y in enumerate(range(60, 400, 55)):
        c.drawString(30, y, f"{30 + 10 * i}.0%")
    for i, x in enumerate(range(90, 680, 90)):
        c.drawString(x, 30, f"${100 * 2 ** i}")
        c.circle(x + 10, 80 + 40 * i, 4)
    _turned(c, 18, 140, 90, "Helvetica-Bold", 10, "Overall Performance (Pass Rate %)")
    c.showPage()
    c.save()
    md = _markdown_no_ocr(buf.getvalue())
    assert "Overall Performance (Pass Rate %)" in md
    assert "60.0%" in md


def test_slanted_text_is_kept_with_its_words() -> None:
    """Text set at 45 degrees (a diagram's slanted labels) comes out word by word, where
    before it was dropped."""
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "The labels of the axis are set slanted below.")
    _turned(c, 200, 600, 45, "Helvetica", 10, "Explanatory knowledge discovery")
    c.showPage()
    c.save()
    md = _markdown_no_ocr(buf.getvalue())
    assert "Explanatory knowledge discovery" in md


def test_slanted_watermark_over_the_body_is_dropped() -> None:
    """A large "CONFIDENTIAL" set at 45 degrees across the body text is a watermark: the body
    reads without it."""
    import io

    from reportlab.pdfgen import canvas

    from tests.pdfgen import LOREM, _wrap

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    _wrap(c, LOREM + " " + LOREM + " " + LOREM, 72, 700, 450)
    c.setFillGray(0.85)
    _turned(c, 150, 520, 45, "Helvetica-Bold", 60, "CONFIDENTIAL")
    c.showPage()
    c.save()
    md = _markdown_no_ocr(buf.getvalue())
    assert "CONFIDENTIAL" not in md
    assert "Document parsing turns pages into structured text" in md


def test_sideways_stamp_beside_body_lines_is_still_a_stamp() -> None:
    """A small sideways stamp in a narrow left margin, right beside the lines of the body
    column (a printer's job line), is a margin stamp: it does not join the body's sentences."""
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792), invariant=1)
    c.setFont("Times-Roman", 8)
    words = ("ADDRESSES: You may send comments using the procedures found in the rules, by any of the "
             "following methods, each of them described in full in the next part of this notice.").split()
    for k in range(12):
        c.drawString(36, 700 - 10 * k, " ".join(words[(k * 3) % 20:(k * 3) % 20 + 7]))
    _turned(c, 22, 600, 90, "Helvetica", 5, "jbell on DSKJLSW7X2PROD with PROPOSALS")
    c.showPage()
    c.save()
    md = _markdown_no_ocr(buf.getvalue())
    assert "DSKJLSW7X2PROD" not in md and "ADDRESSES" in md
