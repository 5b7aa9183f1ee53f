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


def _cards(numbers: list[list[int]]) -> bytes:
    """Numbered cards in a grid, one list per row of cards (left to right)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(792, 612), invariant=1)
    c.setFont("Helvetica-Bold", 22)
    c.drawString(130, 560, "The Most Important Equations")
    for r, row in enumerate(numbers):
        top = 470 - r * 220
        for k, n in enumerate(row):
            x = 73 + k * 330
            c.setFont("Helvetica-Bold", 12)
            c.drawString(x, top, f"{n}. Card number {n} title")
            _wrap(c, f"Body of card {n}. " + LOREM[:150], x, top - 40, 280, size=9, leading=11)
    c.showPage()
    c.save()
    return buf.getvalue()


def _starts(doc: docrecon.Document, n: int) -> list[int]:
    texts = [b.text for b in sorted(doc.pages[0].blocks, key=lambda b: b.order)]
    return [next(i for i, t in enumerate(texts) if t.startswith(f"Body of card {k}.")) for k in range(1, n + 1)]


def test_numbered_cards_in_a_grid_read_by_their_numbers() -> None:
    """Cards 1 and 2 side by side, 3 and 4 below: read 1, 2, 3, 4 (the XY-cut alone reads the
    left column first: 1, 3, 2, 4); the title before them stays first."""
    doc = docrecon.parse(_cards([[1, 2], [3, 4]]), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    at = _starts(doc, 4)
    assert at == sorted(at), at
    assert sorted(doc.pages[0].blocks, key=lambda b: b.order)[0].text.startswith("The Most Important")


def test_numbered_units_that_flow_down_the_columns_keep_the_column_order() -> None:
    """1 and 2 in the left column, 3 and 4 in the right: the columns already read in order."""
    doc = docrecon.parse(_cards([[1, 3], [2, 4]]), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    at = _starts(doc, 4)
    assert at == sorted(at), at


def test_two_numbered_lists_in_one_column_keep_the_page_order() -> None:
    """The end of one list ("3.") above a new list ("1.", "2."): distinct, consecutive
    numbers out of order, but one column read top to bottom is already right."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = H - 80
    steps = [(3, "Open the report of the masks that were created."), (0, "Activating the controls"),
             (1, "Run the statements that are shown in the example."), (2, "Look at the definition.")]
    for n, text in steps:
        c.setFont("Helvetica-Bold" if not n else "Helvetica", 11)
        c.drawString(72, y, f"{n}. {text}" if n else text)
        y = _wrap(c, LOREM, 72, y - 16, 440) - 14
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    texts = [b.text for b in sorted(doc.pages[0].blocks, key=lambda b: b.order)]
    firsts = [next(i for i, t in enumerate(texts) if s in t) for s in ("Open the", "Activating", "Run the", "Look at")]
    assert firsts == sorted(firsts), texts


def test_sidebar_that_starts_beside_the_body_under_a_wide_abstract() -> None:
    """An abstract spans the page; below it the body column has a narrow sidebar on its left
    ("Correspondence to: …") that starts beside the body's sixth line. The sidebar is read
    as its own block, and the body's sentences run on without it."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = _wrap(c, "Abstract. " + LOREM, 70, H - 90, 440, font="Helvetica", size=12, leading=15)
    body = "Over the past three decades the pressure has grown. " + LOREM + " " + LOREM
    _wrap(c, body, 200, y - 40, 300, size=9, leading=10)
    c.setFont("Helvetica", 7.5)
    sidebar = ["Correspondence to:", "Dr Norbert Example,", "Nastolantie 6, A3 00600", "Helsinki, Finland;",
               "Received 13 November 2003"]
    for k, line in enumerate(sidebar):
        c.drawString(70, y - 40 - 55 - 10 * k, line)  # each between two body lines
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    texts = [b.text for b in sorted(doc.pages[0].blocks, key=lambda b: b.order)]
    main = next(t for t in texts if t.startswith("Over the past three decades"))
    assert "Correspondence" not in main and "Helsinki" not in main
    words = set(" ".join(sidebar).split())
    side = [t for t in texts if set(t.split()) & words]
    assert side and all(set(t.split()) <= words for t in side), side


def test_a_wide_word_space_in_one_justified_line_is_not_a_gutter() -> None:
    """Two columns with a one-em gutter. In the left column's paragraph one line has a
    stretched sentence space as wide as the gutter; the lines above and below run across it.
    The paragraph stays one block, its words in order, and a word hyphenated at that line's
    end is joined."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    left, right, width, top = 72.0, 310.0, 228.0, H - 100
    _wrap(c, LOREM + " " + LOREM, right, top, width, size=10, leading=12)
    c.setFont("Times-Roman", 10)
    lines = ["Lorem ipsum dolor sit amet, consectetuer adipiscing",
             "elit. Integer sapien est, iaculis in, pretium quis,", None,
             "ces bibendum. Aenean faucibus morbi dolor nulla,", "malesuada eu, pulvinar at, mollis ac, nulla."]
    for k, line in enumerate(lines):
        if line is not None:
            assert 150 < c.stringWidth(line, "Times-Roman", 10) < width
            c.drawString(left, top - 12 * k, line)
    head, tail = "viverra ac, nunc.", "Praesent eget sem vel leo ultri-"
    c.drawString(left, top - 24, head)
    at = left + c.stringWidth(head, "Times-Roman", 10) + 10.0  # a space as wide as the gutter
    assert at + c.stringWidth(tail, "Times-Roman", 10) < left + width
    c.drawString(at, top - 24, tail)
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    texts = [b.text for b in sorted(doc.pages[0].blocks, key=lambda b: b.order)]
    para = next(t for t in texts if t.startswith("Lorem ipsum dolor sit amet, consectetuer"))
    assert "pretium quis, viverra ac, nunc. Praesent eget sem vel leo ultrices bibendum." in para
    assert para.endswith("mollis ac, nulla.")
    assert not any(t.startswith(("viverra", "Praesent", "ces ")) for t in texts)


def test_a_centred_block_below_a_paragraph_does_not_take_its_short_last_line() -> None:
    """A full-width paragraph ends in a short line; well below it, set apart by white space, a
    centred block of links starts right of where that line ends. The block is what follows the
    paragraph, not a column beside its last line: the paragraph keeps its last line."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 10)
    lines, line = [], ""
    for w in (LOREM + " " + LOREM).split():  # full lines only
        if c.stringWidth(f"{line} {w}", "Times-Roman", 10) > 450:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    y = H - 100
    for line in [*lines[:6], "code under permissive open licenses."]:  # the last one short
        c.drawString(72, y, line)
        y -= 12
    c.setFont("Helvetica", 10)
    for k, (label, link) in enumerate([("Code", "allenai/example"), ("Demo", "example.allenai.org"),
                                       ("Data", "example-mix-1025"), ("Models", "example-7B-1025")]):
        c.drawString(270, y - 36 - 14 * k, f"{label} {link}")
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    texts = [b.text for b in sorted(doc.pages[0].blocks, key=lambda b: b.order)]
    assert texts[0].endswith("code under permissive open licenses."), texts
    assert texts[0].startswith(LOREM[:20])
    assert texts[-1].startswith("Code allenai/example")
