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
