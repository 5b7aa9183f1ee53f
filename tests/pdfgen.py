"""Deterministic test PDFs drawn with reportlab (the tests generate every document they use)."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

W, H = A4
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
LOREM = (
    "Document parsing turns pages into structured text that retrieval systems can index. "
    "Each paragraph here is long enough to wrap over several lines in a narrow column, "
    "so that the layout stages have real work to do when they rebuild the reading order."
)


def _canvas(buf: io.BytesIO, **kw: object) -> canvas.Canvas:
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **kw)  # type: ignore[arg-type]
    c.setCreator("docrecon tests")
    return c


def _wrap(c: canvas.Canvas, text: str, x: float, y: float, width: float, font: str = "Times-Roman",
          size: float = 10.5, leading: float = 13.0) -> float:
    words = text.split()
    line = ""
    for w in words:
        trial = f"{line} {w}".strip()
        if c.stringWidth(trial, font, size) > width and line:
            c.setFont(font, size)
            c.drawString(x, y, line)
            y -= leading
            line = w
        else:
            line = trial
    if line:
        c.setFont(font, size)
        c.drawString(x, y, line)
        y -= leading
    return y


def _running(c: canvas.Canvas, page: int) -> None:
    c.setFont("Helvetica", 8)
    c.drawString(56, H - 30, "Annual Technical Review")
    c.drawRightString(W - 56, H - 30, "Confidential")
    c.drawCentredString(W / 2, 28, f"Page {page}")


def two_column_pdf() -> bytes:
    """Title across both columns, numbered headings, two columns, a full-width figure between
    column runs, running header/footer and page numbers, a paragraph split over two pages."""
    buf = io.BytesIO()
    c = _canvas(buf)
    colw = (W - 56 * 2 - 24) / 2
    for page in (1, 2):
        _running(c, page)
        y = H - 80
        if page == 1:
            c.setFont("Helvetica-Bold", 22)
            c.drawString(56, y, "Layout Analysis of Scientific Papers")
            y -= 40
        top = y
        for col in (0, 1):
            x = 56 + col * (colw + 24)
            y = top
            c.setFont("Helvetica-Bold", 13)
            c.drawString(x, y, f"{page}.{col + 1} {'Method' if col == 0 else 'Results'} part {page}")
            y -= 20
            for k in range(2):
                y = _wrap(c, f"Column {col + 1} paragraph {k + 1} on page {page}. " + LOREM, x, y, colw) - 8
        # full-width figure between two column runs
        img = _chart_png()
        c.drawImage(ImageReader(io.BytesIO(img)), 56, y - 150, width=W - 112, height=130)
        y = y - 175
        c.setFont("Times-Italic", 9.5)
        c.drawString(56, y, f"Figure {page}: Throughput of the parser on two cores.")
        y -= 24
        top = y
        for col in (0, 1):
            x = 56 + col * (colw + 24)
            y2 = _wrap(c, f"Lower column {col + 1} text on page {page}. " + LOREM, x, top, colw)
            assert y2 > 60
        c.showPage()
    c.save()
    return buf.getvalue()


def _chart_png() -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (400, 130), "white")
    d = ImageDraw.Draw(im)
    for i, h in enumerate((40, 80, 60, 110, 90)):
        d.rectangle([20 + i * 75, 125 - h, 70 + i * 75, 125], fill=(40, 90, 160))
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


def structure_pdf(pages: int = 3) -> bytes:
    """Headings at three levels (by size and numbering), bulleted and numbered nested lists,
    a paragraph continuing onto the next page, hyphenation, Chinese text, header/footer."""
    buf = io.BytesIO()
    c = _canvas(buf)
    cjk = CJK_FONT.exists()
    if cjk:
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT)))
    for page in range(1, pages + 1):
        _running(c, page)
        y = H - 80
        if page == 1:
            c.setFont("Helvetica-Bold", 24)
            c.drawString(56, y, "Parser Design Notes")
            y -= 44
        c.setFont("Helvetica-Bold", 16)
        c.drawString(56, y, f"{page} Chapter {page}")
        y -= 26
        c.setFont("Helvetica-Bold", 12.5)
        c.drawString(56, y, f"{page}.1 Overview")
        y -= 20
        c.setFont("Times-Roman", 10.5)
        c.drawString(56, y, "Readers produce characters with positions and fonts; a well designed pipe-")
        c.drawString(56, y - 13, "line joins them into words, lines and blocks.")
        y -= 34
        for i, item in enumerate(("Characters become words", "Words become lines", "Lines become blocks")):
            c.setFont("Times-Roman", 10.5)
            c.drawString(70, y, f"\u2022 {item}")
            y -= 14
            if i == 1:
                c.drawString(88, y, "\u2022 including superscripts")
                y -= 14
        y -= 8
        for i, item in enumerate(("Detect columns", "Order regions", "Join paragraphs")):
            c.drawString(70, y, f"{i + 1}. {item}")
            y -= 14
        y -= 8
        c.setFont("Helvetica-Bold", 12.5)
        c.drawString(56, y, f"{page}.2 Chinese text")
        y -= 20
        if cjk:
            c.setFont("WQY", 10.5)
            c.drawString(56, y, "文档解析把页面变成结构化的文本，供检索系统建立索引。一个段落可以跨越好几行，")
            y -= 14
            c.drawString(56, y, "中文段落之间不应出现多余的空格。")
            y -= 22
        while y > 120:
            y = _wrap(c, LOREM, 56, y, 480) - 8
        if page < pages:
            c.setFont("Times-Roman", 10.5)
            c.drawString(56, 90, f"Sentence {page} starts at the bottom of one page and")
        if page > 1:
            pass
        c.showPage()
        if page < pages:
            c.setFont("Times-Roman", 10.5)
            c.drawString(56, H - 62, f"continues at the top of page {page + 1} without a break in sentence {page}.")
    c.save()
    return buf.getvalue()


def encrypted_pdf(user_password: str = "secret", owner_password: str = "owner") -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    enc = StandardEncryption(user_password, owner_password, canPrint=1)
    c = _canvas(buf, encrypt=enc)
    c.setFont("Helvetica", 12)
    c.drawString(72, H - 72, "Encrypted content")
    c.showPage()
    c.save()
    return buf.getvalue()


def numbered_pages_pdf(n: int) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf)
    for i in range(1, n + 1):
        c.setFont("Helvetica", 12)
        c.drawString(72, H - 100, f"Body of page number {i} with some text.")
        c.showPage()
    c.save()
    return buf.getvalue()


def sidebar_pdf(gutter: float = 6.0) -> bytes:
    """A research-note page: a sidebar of short facts on the left, ``gutter`` points from a
    main column of long paragraphs (the gap brokers' reports leave, narrower than a word gap
    is wide at 8 pt)."""
    buf = io.BytesIO()
    c = _canvas(buf)
    side_x, side_w = 40.0, 150.0
    main_x = side_x + side_w + gutter
    facts = ["Rating: Overweight", "Sector: Machinery", "Price: 82.42", "Analyst: Jane Doe",
             "Licence: S0120521020003", "Mail: jane.doe@example.com", "Related research",
             "1. Equipment makers lead the solar build-out, April 2022"]
    y = H - 90
    for fact in facts:
        y = _wrap(c, fact, side_x, y, side_w, font="Helvetica", size=10, leading=13)
        if fact.startswith("Mail"):
            c.drawRightString(side_x + side_w, y, "Updated 2022.4.29")  # flush with the sidebar's edge
            y -= 13
        y -= 6
    y = H - 90
    for k in range(3):
        y = _wrap(c, f"Main paragraph {k + 1} of the note. " + LOREM, main_x, y, W - 40 - main_x,
                  font="Helvetica", size=10, leading=13)
        y -= 8
    c.save()
    return buf.getvalue()
