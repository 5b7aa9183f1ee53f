"""Documents for the web page tests, drawn with reportlab: a two-page report with a heading,
paragraphs and a ruled table on page 1 and a distinctive fact on page 2, and a long document."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

W, H = A4
BODY = (
    "Document parsing turns pages into structured text that retrieval systems can index. "
    "Each paragraph here is long enough to wrap over several lines so that the layout stages "
    "have real work to do when they rebuild the reading order of the page."
)
FACT = "The Zanzibar observatory was commissioned in 1987 by the harbour authority."


def _para(c: canvas.Canvas, text: str, y: float, width: float = 470) -> float:
    line = ""
    c.setFont("Times-Roman", 11)
    for word in text.split():
        trial = f"{line} {word}".strip()
        if c.stringWidth(trial, "Times-Roman", 11) > width and line:
            c.drawString(62, y, line)
            y -= 14
            line = word
        else:
            line = trial
    c.drawString(62, y, line)
    return y - 26


def _table(c: canvas.Canvas, top: float) -> float:
    rows = [("Region", "Units", "Revenue"), ("North", "120", "4,300"), ("South", "95", "3,100"),
            ("East", "143", "5,020")]
    x = [62, 222, 352, 482]
    h = 20
    c.setLineWidth(0.8)
    for i in range(len(rows) + 1):
        c.line(x[0], top - i * h, x[-1], top - i * h)
    for xx in x:
        c.line(xx, top, xx, top - len(rows) * h)
    for i, row in enumerate(rows):
        c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 10)
        for j, cell in enumerate(row):
            c.drawString(x[j] + 6, top - i * h - 14, cell)
    return top - len(rows) * h - 30


def report_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 20)
    c.drawString(62, H - 80, "Quarterly Sales Report")
    y = _para(c, BODY, H - 120)
    y = _table(c, y)
    _para(c, "The table above lists the units and revenue of each region in the quarter.", y)
    c.showPage()
    c.setFont("Helvetica-Bold", 16)
    c.drawString(62, H - 80, "History of the site")
    y = _para(c, FACT, H - 115)
    _para(c, BODY, y)
    c.showPage()
    c.save()
    return buf.getvalue()


def long_pdf(pages: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(1, pages + 1):
        y = H - 70
        c.setFont("Helvetica-Bold", 14)
        c.drawString(62, y, f"Section {n}")
        y -= 30
        while y > 100:
            y = _para(c, BODY, y)
        c.showPage()
    c.save()
    return buf.getvalue()
