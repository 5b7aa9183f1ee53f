"""Reading order on two-column pages: a short heading that opens the right column, level with
the first line of the left column, stays in the right column."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import docrecon
from docrecon.model import BlockType
from tests.pdfgen import LOREM, _wrap

W, H = A4


def _paper() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Bold", 18)
    c.drawString(47, H - 90, "Effects of a compound on archives")
    c.setFont("Times-Roman", 8.4)
    # a full-width line whose end reaches over the gutter
    c.drawString(47, H - 120, "Received 9 October 2006; revised 27 January 2007; accepted 1 February 2007 by the board")
    top = H - 160
    c.setFont("Times-Bold", 10)
    c.drawString(308, top, "Introduction")
    _wrap(c, "Abstract. Background: " + LOREM + " " + LOREM, 47, top, 246, size=10, leading=11)
    _wrap(c, LOREM + " " + LOREM + " " + LOREM, 308, top - 22, 241, size=10, leading=11)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_heading_opening_the_right_column_stays_there() -> None:
    doc = docrecon.parse(_paper(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    body = [b for p in doc.pages for b in p.body()]
    texts = [b.text for b in body]
    abstract = next(i for i, t in enumerate(texts) if t.startswith("Abstract."))
    intro = texts.index("Introduction")
    assert "Introduction" not in texts[abstract]
    assert intro > abstract
    assert body[intro].type is BlockType.HEADING
    assert texts[intro + 1].startswith("Document parsing turns pages")


def test_drop_capital_joins_its_word() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    top = H - 100
    c.setFont("Times-Roman", 36)
    c.drawString(72, top - 20, "O")  # a drop capital three lines tall
    c.setFont("Times-Roman", 9)
    lines = ["ver the past three decades increasing", "pressure from non-governmental organi-",
             "sations (NGOs), governments and the"]
    for k, line in enumerate(lines):
        c.drawString(100, top - 11 * k, line)
    rest = ["United Nations, has required transnational cor-", "porations to examine and redress the adverse",
            "impact their businesses have on society."]
    for k, line in enumerate(rest):
        c.drawString(72, top - 11 * (k + 3), line)
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    md = docrecon.render_markdown(doc)
    assert "Over the past three decades increasing pressure from non-governmental organisations (NGOs)," in md
    assert "governments and the United Nations, has required transnational corporations" in md


def test_form_labels_are_read_with_their_values() -> None:
    """A key-value form: a column of labels ("Contact:") beside a column of values is one row
    after another, label then value, not the labels first and the values after."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(50, H - 80, "Booking agency")
    rows = [("Name:", "Premier Entertainment Group"), ("Contact:", "Michael Chen"),
            ("Billing contact:", "accounts@example.com"), ("Phone:", "555 0100 2000")]
    y = H - 100
    for label, value in rows:
        c.setFont("Helvetica", 8)
        c.drawString(50, y, label)
        c.drawString(150, y, value)
        y -= 12
    c.setFont("Helvetica", 10)
    c.drawString(50, y - 30, "All bookings are confirmed by the agency within two working days of the request.")
    c.showPage()
    c.save()
    md = docrecon.render_markdown(docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF)))
    for label, value in rows:
        assert f"{label} {value}" in md


def test_order_is_consecutive_and_follows_the_columns() -> None:
    """Every page's blocks are numbered 0..n-1 in reading order, left column before right."""
    from tests.pdfgen import two_column_pdf

    doc = docrecon.parse(two_column_pdf(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    for page in doc.pages:
        assert [b.order for b in page.blocks] == list(range(len(page.blocks)))
    texts = [b.text for b in sorted(doc.pages[0].blocks, key=lambda b: b.order)]
    starts = ["Column 1 paragraph 1", "Column 1 paragraph 2", "Column 2 paragraph 1", "Column 2 paragraph 2",
              "Figure 1:", "Lower column 1", "Lower column 2"]
    at = [next(i for i, t in enumerate(texts) if t.startswith(s)) for s in starts]
    assert at == sorted(at), list(zip(starts, at, strict=True))


def test_only_the_reading_order_stage_writes_order() -> None:
    """``Block.order`` has one writer: the reading-order stage module (the layout stage lists
    blocks in sequence and marks the page ``sequenced``; readers and other stages leave it)."""
    import re
    from pathlib import Path

    src = Path(docrecon.__file__).parent
    writers = sorted(
        str(p.relative_to(src)) for p in src.rglob("*.py")
        if re.search(r"\.order\s*=[^=]|\border=[\w(]", p.read_text())
        and p.name != "reading_order.py"
    )
    assert writers == ["model/serialize.py"], writers  # reading a stored document back
