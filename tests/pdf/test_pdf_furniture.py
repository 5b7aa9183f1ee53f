"""Running lines on generated PDFs: repeated headers and bare page numbers are furniture; the
foot of a chart that reaches the bottom margin (its tick labels, axis title and axis numbers)
is body text."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import docrecon
from docrecon.model import BlockType, Document, Layer
from tests.pdfgen import LOREM, _wrap

W, H = A4


def _parse(data: bytes) -> Document:
    return docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))


def _report(pages: int = 3) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(72, H - 30, "Northwind Annual Report 2024")
        c.setFont("Helvetica", 10)
        _wrap(c, LOREM, 72, H - 90, W - 144)
        c.setFont("Helvetica", 9)
        c.drawCentredString(W / 2, 24, str(n))
        c.showPage()
    c.save()
    return buf.getvalue()


def _chart_at_the_foot() -> bytes:
    """A page whose last thing is a chart: bars, a row of 20 tick labels just inside the bottom
    margin band, the axis title under it and six axis numbers at the very edge."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    _wrap(c, LOREM, 72, H - 90, W - 144)
    step = (W - 160) / 20
    for i in range(20):
        c.rect(90 + i * step, 90, step * 0.6, 20 + 7 * (i % 5), fill=1)
    c.setFont("Helvetica", 7)
    for i in range(20):
        c.drawCentredString(90 + i * step + step * 0.3, 62, str(i + 1))
    c.setFont("Helvetica", 9)
    c.drawString(90, 44, "Relative load")
    for i, v in enumerate(range(0, 12, 2)):
        c.drawCentredString(200 + i * 60, 22, str(v))
    c.showPage()
    c.save()
    return buf.getvalue()


def test_running_header_and_page_numbers_are_furniture() -> None:
    doc = _parse(_report())
    for page in doc.pages:
        kinds = {b.text: b.type for b in page.blocks if b.layer is Layer.FURNITURE}
        assert kinds == {"Northwind Annual Report 2024": BlockType.PAGE_HEADER, str(page.number): BlockType.PAGE_NUMBER}
        assert any(b.text.startswith(LOREM[:20]) for b in page.body())


def test_the_foot_of_a_chart_is_body_text() -> None:
    doc = _parse(_chart_at_the_foot())
    page = doc.pages[0]
    furniture = [b.text for b in page.blocks if b.layer is Layer.FURNITURE]
    assert furniture == []
    body = " ".join(b.text for b in page.body())
    assert " ".join(str(i) for i in range(1, 21)) in body
    assert "Relative load" in body
    assert all(str(v) in body.split() for v in range(0, 12, 2))


def test_a_pages_only_line_is_body_even_at_the_edge() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(250, H - 20, "Hello, World!")
    c.showPage()
    c.save()
    page = _parse(buf.getvalue()).pages[0]
    assert [(b.type, b.text) for b in page.body()] == [(BlockType.PARAGRAPH, "Hello, World!")]


def _rate_sheet(pages: int = 3) -> bytes:
    """Pages whose body paragraph runs down into the bottom margin band, followed by the same
    footnotes on every page."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        c.setFont("Helvetica", 10)
        _wrap(c, LOREM, 72, H - 90, W - 144)
        c.setFont("Helvetica", 7)
        body = ["Comparison rates are based on a secured loan of 150,000 over a term of 25 years; the rate",
                "is true only for the examples given and may not include all fees and charges."]
        for i, line in enumerate(body):
            c.drawString(72, 50 - 8.4 * i, line)  # the second line lies inside the bottom band
        c.drawString(72, 30, "† Products no longer available for sale for new fundings from 29 September.")
        c.drawString(72, 20, "Northwind Bank, licence 234945")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_a_paragraph_running_into_the_margin_stays_whole() -> None:
    for page in _parse(_rate_sheet()).pages:
        texts = [b.text for b in page.blocks]
        assert any(t.startswith("Comparison rates") and t.endswith("fees and charges.") for t in texts), texts
        assert "is true only for the examples given and may not include all fees and charges." not in texts


def test_repeated_footnotes_are_kept_once() -> None:
    doc = _parse(_rate_sheet())
    note = "† Products no longer available for sale for new fundings from 29 September."
    where = [(p.number, b.layer) for p in doc.pages for b in p.blocks if b.text == note]
    assert where == [(1, Layer.BODY), (2, Layer.FURNITURE), (3, Layer.FURNITURE)]
    owner = [b.layer for p in doc.pages for b in p.blocks if b.text == "Northwind Bank, licence 234945"]
    assert owner == [Layer.FURNITURE] * 3


def test_download_stamp_over_the_running_head_is_furniture() -> None:
    """A one-page article: a "Downloaded from <url>" stamp in the page's outermost strip, set
    right against the running head below it (no white space between), and a page number. All
    three are furniture although nothing repeats; the body starts lower down."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 8)
    c.drawString(140, H - 13, "Downloaded from https://journal.example.org/ on July 12, 2017 - Published by a group")
    c.setFont("Helvetica", 7.5)
    c.drawString(68, H - 23, "Advocacy in Action")
    c.drawString(520, H - 23, "447")
    c.setFont("Times-Roman", 9)
    _wrap(c, LOREM + " " + LOREM + " " + LOREM, 68, H - 60, W - 140, size=9, leading=11)
    c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    layer = {b.text[:18]: b.layer for b in doc.pages[0].blocks}
    assert layer["Downloaded from ht"] is Layer.FURNITURE
    assert layer["Advocacy in Action"] is Layer.FURNITURE
    assert layer["447"] is Layer.FURNITURE
    assert "Document parsing turns" in docrecon.render_markdown(doc)


def test_page_number_of_a_page_printed_smaller_than_its_sheet() -> None:
    """A page scaled down on its sheet: the content stops well above the bottom margin band,
    and its page number sits below the last line, set apart. It is a page number all the same;
    a number inside the text block is not."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    _wrap(c, LOREM + " " + LOREM, 80, H - 120, 420, size=7, leading=8.5)
    c.setFont("Times-Roman", 7)
    c.drawString(80, H - 200, "62")  # a bare number inside the text block
    _wrap(c, LOREM, 80, H - 215, 420, size=7, leading=8.5)
    c.drawString(W / 2 - 4, H - 300, "63")
    c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    kinds = {b.text: b.type for b in doc.pages[0].blocks if b.text in ("62", "63")}
    assert kinds == {"62": BlockType.PARAGRAPH, "63": BlockType.PAGE_NUMBER}, kinds


def _paper_pages(heads: list[tuple[str, str, float] | None], first_line: str | None = None) -> bytes:
    """Pages of body text set in a block well inside the sheet (as journals print), each with an
    optional (text, font, size) line above the body block, a line and a half or more away."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for head in heads:
        if head is not None:
            text, font, size = head
            c.setFont(font, size)
            c.drawString(134, H - 120, text)
        c.setFont("Times-Roman", 10)
        if first_line is not None:
            c.drawString(134, H - 150, first_line)
        _wrap(c, LOREM + " " + LOREM, 134, H - 162 if first_line else H - 150, W - 268)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_a_running_head_with_its_page_number_on_a_page_of_its_own() -> None:
    """The first page of a paper has no running head; the second has "2 A. Writer et al."
    above its body, out of the margin band. It repeats nowhere, yet opening with a number as
    the page's outermost small line makes it a running head, and the text runs on past it."""
    doc = _parse(_paper_pages([None, ("2 A. Writer et al.", "Times-Roman", 9)]))
    head = next(b for b in doc.pages[1].blocks if b.text == "2 A. Writer et al.")
    assert head.type is BlockType.PAGE_HEADER and head.layer is Layer.FURNITURE
    assert "A. Writer" not in docrecon.render_markdown(doc)
    one = _parse(_paper_pages([("Methods in Brief 17", "Times-Roman", 8)]))  # a one-page excerpt
    assert next(b for b in one.pages[0].blocks if b.text == "Methods in Brief 17").layer is Layer.FURNITURE


def test_numbered_lines_that_are_content_stay_body() -> None:
    """A bold numbered section heading at the top of a page, a large one, and a body line that
    opens with a number but sits right on the text are not running heads."""
    for head in (("2 Related Work", "Times-Bold", 10), ("3 Results", "Times-Roman", 14)):
        doc = _parse(_paper_pages([head]))
        block = next(b for b in doc.pages[0].blocks if b.text == head[0])
        assert block.layer is Layer.BODY, head
    close = _parse(_paper_pages([None], first_line="12 samples were read twice by each of the readers."))
    assert all(b.layer is Layer.BODY for b in close.pages[0].blocks)


def test_page_labels_in_other_languages_are_page_numbers() -> None:
    """"Pagina 2 di 4", "Seite 3 von 9", "Página 5 de 8", "Стр. 3 из 7" are page numbers."""
    from docrecon.stages.furniture import PAGE_NUMBER

    for label in ("Pagina 2 di 4", "Seite 3 von 9", "Página 5 de 8", "Стр. 3 из 7", "Page 3 of 10", "Pag. 7"):
        assert PAGE_NUMBER.match(label), label
    assert not PAGE_NUMBER.match("Total 12") and not PAGE_NUMBER.match("Section 2 of the act")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    _wrap(c, LOREM, 72, H - 90, W - 144)
    c.setFont("Helvetica", 7)
    c.drawRightString(W - 40, 40, "Pagina 2 di 4")
    c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    label = next(b for b in doc.pages[0].blocks if b.text == "Pagina 2 di 4")
    assert label.type is BlockType.PAGE_NUMBER


def test_a_repeated_running_head_below_the_margin_band_is_furniture() -> None:
    """A running head printed lower than the margin band (a page with wide margins), set apart
    from the body and repeated on every page, is furniture; a one-line heading that opens only
    one page's body stays."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n in range(1, 4):
        c.setFont("Times-Roman", 8)
        c.drawString(88, H - 78, "Overview of the Acceptance Model: Origins and Directions      M Y Writer")
        if n == 2:
            c.setFont("Times-Roman", 10)
            c.drawString(88, H - 150, "A lone line that opens this page")
        c.setFont("Times-Roman", 10)
        _wrap(c, LOREM, 88, H - 170, W - 176)
        c.showPage()
    c.save()
    doc = _parse(buf.getvalue())
    for page in doc.pages:
        head = next(b for b in page.blocks if b.text.startswith("Overview of the Acceptance"))
        assert head.layer is Layer.FURNITURE and head.type is BlockType.PAGE_HEADER
    lone = next(b for b in doc.pages[1].blocks if b.text == "A lone line that opens this page")
    assert lone.layer is Layer.BODY
