"""Currency signs set in a column of their own (financial statements) fold into the amounts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

import docrecon
from docrecon.model import BlockType, Cell, Table
from docrecon.tables.tidy import fold_currency_columns

STATEMENT = [
    ["", "2025", "", "2024"],
    ["Cost of revenue", "$", "178", "$", "141"],
    ["Research and development", "", "3,423", "", "2,532"],
    ["Total", "$", "4,737", "$", "3,549"],
]




def _one_table(data: bytes) -> tuple[docrecon.Document, list[Table]]:
    """The document (OCR off) and its one table."""
    doc = docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    tables = [b.table for b in doc.blocks() if b.type is BlockType.TABLE and b.table is not None]
    assert len(tables) == 1
    return doc, tables

def _ruled_body(c: Any, xs: Sequence[float], top: float, body: Sequence[Sequence[str]], pitch: float = 14,
                left: bool = False) -> None:
    """Rows of a ruled table: the label left in the first column, the values right-aligned in
    the next ones (``left``: every cell left-aligned), a rule over and under every row and
    between all columns."""
    for r, row in enumerate(body):
        y = top - pitch * r
        c.drawString(xs[0] + 3, y - 10, row[0])
        for k, v in enumerate(row[1:]):
            if left:
                c.drawString(xs[k + 1] + 3, y - 10, v)
            else:
                c.drawRightString(xs[k + 2] - 3, y - 10, v)
    for k in range(len(body) + 1):
        c.line(xs[0], top - pitch * k, xs[-1], top - pitch * k)
    for x in xs:
        c.line(x, top, x, top - pitch * len(body))

def _grid(rows: list[list[str]], spans: dict[tuple[int, int], int]) -> Table:
    cells = []
    for r, row in enumerate(rows):
        c = 0
        for text in row:
            span = spans.get((r, c), 1)
            cells.append(Cell(r, c, text, col_span=span, header=r == 0))
            c += span
    return Table(n_rows=len(rows), n_cols=5, cells=cells)


def test_sign_column_folds_into_amounts() -> None:
    spans = {(0, 1): 2, (0, 3): 2, (2, 1): 2, (2, 3): 2}
    rows = [["", "2025", "2024"], *[r for r in STATEMENT[1:2]], ["Research and development", "3,423", "2,532"],
            STATEMENT[3]]
    table = fold_currency_columns(_grid(rows, spans))
    assert table.n_cols == 3
    grid = [[c.text if c else None for c in row] for row in table.grid()]
    assert grid == [["", "2025", "2024"], ["Cost of revenue", "$178", "$141"],
                    ["Research and development", "3,423", "2,532"], ["Total", "$4,737", "$3,549"]]


def test_column_with_words_is_kept() -> None:
    rows = [["Item", "Unit", "Amount"], ["Fee", "$", "12"], ["Tax", "per cent", "7"]]
    cells = [Cell(r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row)]
    table = fold_currency_columns(Table(n_rows=3, n_cols=3, cells=cells))
    assert table.n_cols == 3


def test_statement_pdf_has_no_sign_columns() -> None:
    rows = [["", "2025", "", "2024", ""], *STATEMENT[1:]]
    rows[0] = ["", "2025", "", "2024", ""]
    t = RLTable(rows, colWidths=[170, 14, 60, 14, 60])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                           ("SPAN", (1, 0), (2, 0)), ("SPAN", (3, 0), (4, 0))]))
    buf = io.BytesIO()
    styles = getSampleStyleSheet()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(
        [Paragraph("Stock-based compensation expense, by line item.", styles["Normal"]), Spacer(1, 12), t])
    doc, tables = _one_table(buf.getvalue())
    grid = [[c.text if c else None for c in row] for row in tables[0].grid()]
    assert ["Cost of revenue", "$178", "$141"] in grid
    assert ["Total", "$4,737", "$3,549"] in grid
    assert all("$" not in row for row in grid)


def _statement_with_header_above() -> bytes:
    """A ruled statement whose column headers sit above its frame: a group header underlined
    across the value columns (the rule drawn in pieces that meet), one underlined date per
    column, the stub column blank; a paragraph above it starts at the left margin."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "Consolidated statements include the following expense, by line item, as follows:")
    xs = [72, 300, 380, 460, 540]
    c.setFont("Helvetica-Bold", 9)
    c.drawCentredString(420, 742, "Table 3 Expense by year")  # a caption over the value columns
    c.drawCentredString(420, 730, "Year Ended")
    for a, b in zip(xs[1:], xs[2:], strict=False):
        c.line(a + 1, 727, b - 1, 727)  # pieces 2 pt apart
    for a, b, label in zip(xs[1:], xs[2:], ("Jan 26, 2025", "Jan 28, 2024", "Jan 29, 2023"), strict=False):
        c.drawCentredString((a + b) / 2, 716, label)
        c.line(a + 4, 713, b - 4, 713)  # one underline per column, set apart
    c.setFont("Helvetica", 9)
    body = [("Cost of revenue", "178", "141", "138"), ("Research and development", "3,423", "2,532", "1,892"),
            ("Total", "4,737", "3,549", "2,710")]
    top = 705
    _ruled_body(c, xs, top, body)
    c.drawString(72, 630, "Amounts capitalized in inventories were not significant in any of the years.")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_header_rows_above_the_frame_join_the_table() -> None:
    doc, tables = _one_table(_statement_with_header_above())
    table = tables[0]
    grid = [[c.text if c else "" for c in row] for row in table.grid()]
    assert grid[0] == ["", "Year Ended", "Year Ended", "Year Ended"]
    assert grid[1] == ["", "Jan 26, 2025", "Jan 28, 2024", "Jan 29, 2023"]
    assert grid[2] == ["Cost of revenue", "178", "141", "138"]
    assert table.header_rows == 2
    group = next(c for c in table.cells if c.text == "Year Ended")
    assert (group.col, group.col_span) == (1, 3)
    texts = [b.text for b in doc.blocks() if b.type is not BlockType.TABLE]
    assert any(t.startswith("Consolidated statements include") for t in texts)
    assert any(t.startswith("Table 3 Expense by year") for t in texts)
    assert not any("Year Ended" in t or "Jan 26" in t for t in texts)


def _whitespace_pdf(table: bool) -> bytes:
    from reportlab.pdfgen import canvas

    from tests.pdfgen import LOREM, _wrap

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = _wrap(c, LOREM, 72, 780, 450) - 10
    if table:
        rows = [("Method", "Dataset A", "Dataset B", "Dataset C"), ("Baseline", "71.2", "64.0", "58.3"),
                ("Ours (small)", "78.9", "70.1", "66.4"), ("Ours (large)", "82.5", "74.8", "69.9"),
                ("Human", "95.0", "93.1", "90.2")]
        for r, row in enumerate(rows):
            c.setFont("Times-Bold" if r == 0 else "Times-Roman", 10)
            for x, t in zip((72, 200, 290, 380), row, strict=True):
                c.drawString(x, y, t)
            y -= 15
        y -= 10
    # two columns of prose below: not a table
    left = _wrap(c, LOREM + " " + LOREM, 72, y, 210)
    _wrap(c, LOREM + " " + LOREM, 310, y, 210)
    _wrap(c, LOREM, 72, left - 10, 450)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_table_aligned_by_white_space_only() -> None:
    doc, tables = _one_table(_whitespace_pdf(True))
    grid = [[c.text if c else "" for c in row] for row in tables[0].grid()]
    assert grid[0] == ["Method", "Dataset A", "Dataset B", "Dataset C"]
    assert grid[2] == ["Ours (small)", "78.9", "70.1", "66.4"]
    assert len(grid) == 5 and tables[0].header_rows == 1


def test_two_columns_of_prose_are_not_a_table() -> None:
    doc = docrecon.parse(_whitespace_pdf(False), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    assert not [b for b in doc.blocks() if b.type is BlockType.TABLE]


def test_form_in_four_aligned_columns_with_a_shorter_right_half() -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(50, 800, "Orders")
    c.setFont("Helvetica", 9)
    rows = [("Order / Rev:", "2024-12-5678", "Cinema:", "Downtown Multiplex"),
            ("Alt Order #:", "SC-WINTER-2024", "Primary Contact:", "Sarah Johnson"),
            ("Estimate:", "EST-456", "Region:", "NORTHEAST"),
            ("Booking Dates:", "12/20/2024 - 12/31/2024", "", ""),
            ("Order Type:", "Premium Package", "", "")]
    for r, row in enumerate(rows):
        for x, text in zip((50, 150, 350, 450), row, strict=True):
            if text:
                c.drawString(x, 780 - 12 * r, text)
    c.showPage()
    c.save()
    doc, tables = _one_table(buf.getvalue())
    grid = [[c.text if c else "" for c in row] for row in tables[0].grid()]
    assert grid[1] == ["Alt Order #:", "SC-WINTER-2024", "Primary Contact:", "Sarah Johnson"]
    assert grid[4] == ["Order Type:", "Premium Package", "", ""]


def test_chart_grid_under_its_labels_is_not_a_table() -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    x0, y0, step = 100, 400, 60
    for k in range(7):  # a chart's grid: 6 x 5 cells
        c.line(x0 + k * step, y0, x0 + k * step, y0 + 5 * step)
    for k in range(6):
        c.line(x0, y0 + k * step, x0 + 6 * step, y0 + k * step)
    c.setFont("Helvetica", 9)
    labels = ["Mistral OCR", "Gemini Flash", "Marker release", "Open Source Tool", "Commercial API", "Qwen model"]
    for k, label in enumerate(labels):  # labels sit across the grid lines, as in a scatter plot
        c.drawString(x0 + k * step + 35, y0 + (k % 5) * step + 25, label)
    c.drawString(x0, y0 - 20, "Cost per million pages")
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    assert not [b for b in doc.blocks() if b.type is BlockType.TABLE]
    md = docrecon.render_markdown(doc)
    assert "Mistral OCR" in md and "Commercial API" in md


def _rows_pdf(rows: list[tuple[float, list[tuple[float, str]]]]) -> bytes:
    """Rows of (y step, [(x, text)]) set in 9 pt Helvetica under a heading and a paragraph."""
    from reportlab.pdfgen import canvas

    from tests.pdfgen import LOREM, _wrap

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = _wrap(c, LOREM, 50, 800, 480) - 20
    c.setFont("Helvetica", 9)
    for step, row in rows:
        y -= step
        for x, text in row:
            c.drawString(x, y, text)
    c.setFont("Times-Roman", 10)
    _wrap(c, LOREM, 50, y - 30, 480)
    c.showPage()
    c.save()
    return buf.getvalue()


def _tables(data: bytes) -> list[list[list[str]]]:
    doc = docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    return [[[c.text if c else "" for c in row] for row in b.table.grid()]
            for b in doc.blocks() if b.type is BlockType.TABLE and b.table is not None]


def test_a_header_over_one_row_of_values_is_a_table() -> None:
    xs = (50, 125, 200, 275, 360)
    head = ["Shipped", "Received", "Parcels", "Weight (kg)", "Charge"]
    vals = ["03/02/25", "03/09/25", "14", "221.5", "$1,480.00"]
    tables = _tables(_rows_pdf([(0, list(zip(xs, head, strict=True))), (12, list(zip(xs, vals, strict=True)))]))
    assert tables == [[head, vals]]


def test_a_pair_of_rows_in_three_columns_is_not_a_table() -> None:
    xs = (50, 200, 350)
    rows = [(0, list(zip(xs, ["Prepared by", "Reviewed by", "Approved by"], strict=True))),
            (12, list(zip(xs, ["J. Smith", "A. Chen", "M. Rossi"], strict=True)))]
    assert _tables(_rows_pdf(rows)) == []


def test_second_lines_of_a_cell_stay_in_their_cell() -> None:
    xs = (50, 90, 250, 320, 400)
    rows = [(0, list(zip(xs, ["No.", "Item", "Unit", "Qty", "Amount"], strict=True)))]
    items = [("1", "Steel bracket, galvanised", "pcs", "40", "$320.00"), ("2", "Anchor bolt M12", "box", "6", "$96.00"),
             ("3", "Sealant cartridge", "pcs", "12", "$54.00")]
    for n, (no, item, unit, qty, amount) in enumerate(items):
        rows.append((12, list(zip(xs, [no, item, unit, qty, amount], strict=True))))
        if n < 2:
            rows.append((10, [(90, "(supplier stock, next-day)")]))
    tables = _tables(_rows_pdf(rows))
    assert len(tables) == 1 and len(tables[0]) == 4
    assert tables[0][1] == ["1", "Steel bracket, galvanised (supplier stock, next-day)", "pcs", "40", "$320.00"]
    assert tables[0][3] == ["3", "Sealant cartridge", "pcs", "12", "$54.00"]


def test_running_head_over_a_table_that_starts_the_page_is_not_its_header() -> None:
    """A ruled table right at the top of a page, under the running head ("Company note" and
    the company's name, set over the value columns in the page's top band): the head stays
    text for the furniture stage, and the table starts at its frame."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    c.drawString(330, 810, "Company note")
    c.drawString(420, 810, "Northwind Ltd (NWD)")
    xs = [72, 300, 380, 460, 540]
    body = [("Revenue", "746", "1,567", "3,684"), ("Net profit", "120", "210", "470"),
            ("Total", "866", "1,777", "4,154")]
    top = 800
    _ruled_body(c, xs, top, body)
    c.drawString(72, 700, "The figures above are in millions of yuan, audited for the first two years.")
    c.showPage()
    c.save()
    doc, tables = _one_table(buf.getvalue())
    grid = [[c.text if c else "" for c in row] for row in tables[0].grid()]
    assert grid[0] == ["Revenue", "746", "1,567", "3,684"]
    texts = [b.text for b in doc.pages[0].blocks if b.type is not BlockType.TABLE]
    assert "Company note" in texts and "Northwind Ltd (NWD)" in texts


def test_column_labels_over_the_stub_columns_join_the_header() -> None:
    """Above a ruled frame, a row of short labels, one inside each column ("#", "Topic" over
    the stub columns, the years over the values), is the table's header; the sentence above it,
    running across the columns, stays a paragraph."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "Scores of the unit test tasks, averaged over five seeds, are as follows:")
    xs = [72, 100, 330, 430, 530]
    c.setFont("Helvetica-Bold", 9)
    for a, label in zip(xs, ("#", "Unit Test Topic", "2024", "2023"), strict=False):
        c.drawString(a + 3, 733, label)
    c.setFont("Helvetica", 9)
    body = [("25", "Multi-turn dialog with an agent", "1.00", "0.90"), ("26", "Measure an object", "0.87", "0.60"),
            ("27", "Pick-and-place object", "0.90", "0.80")]
    top = 725
    _ruled_body(c, xs, top, body, left=True)
    c.showPage()
    c.save()
    doc, tables = _one_table(buf.getvalue())
    grid = [[c.text if c else "" for c in row] for row in tables[0].grid()]
    assert grid[0] == ["#", "Unit Test Topic", "2024", "2023"]
    assert grid[1] == ["25", "Multi-turn dialog with an agent", "1.00", "0.90"]
    assert tables[0].header_rows == 1
    texts = [b.text for b in doc.blocks() if b.type is not BlockType.TABLE]
    assert any(t.startswith("Scores of the unit test tasks") for t in texts)


def test_total_row_set_below_the_frame_is_the_tables_last_row() -> None:
    """Averages set under the bottom rule, outside the frame (a label over the stub column,
    one number inside each value column), are the table's last row; the note below them, and a
    line of prose with a number in it, stay text."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    xs = [72, 300, 380, 460, 540]
    c.setFont("Helvetica", 9)
    body = [("Move through doors", "0.58", "0.20", "0.25"), ("Using keys with doors", "0.69", "0.20", "0.54"),
            ("Interact with an agent", "0.60", "0.20", "0.53")]
    top = 760
    _ruled_body(c, xs, top, body)
    y = top - 14 * len(body) - 11
    c.drawString(xs[0] + 3, y, "Average (Unit Tests)")
    for k, v in enumerate(("0.62", "0.20", "0.44")):
        c.drawRightString(xs[k + 2] - 3, y, v)
    c.drawString(72, y - 13, "Scores are the mean over 5 seeds of each task.")
    c.showPage()
    c.save()
    doc, tables = _one_table(buf.getvalue())
    grid = [[c.text if c else "" for c in row] for row in tables[0].grid()]
    assert grid[-1] == ["Average (Unit Tests)", "0.62", "0.20", "0.44"]
    assert len(grid) == 4
    texts = [b.text for b in doc.blocks() if b.type is not BlockType.TABLE]
    assert "Scores are the mean over 5 seeds of each task." in texts


def _results_table() -> bytes:
    """A results table in the style of a paper: group labels ("Agent A", "Agent B") over runs
    of metric columns whose labels are slanted at 45 degrees, "#" and "Task" over the stub
    columns, a ruled body, an empty column between the groups."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    xs = [72, 92, 200, 240, 280, 320, 340, 380, 420, 460]
    top = 640
    c.setFont("Times-Bold", 9)
    c.drawCentredString((xs[2] + xs[5]) / 2, top + 42, "Agent A")
    c.drawCentredString((xs[6] + xs[9]) / 2, top + 42, "Agent B")
    c.setFont("Times-Roman", 8)
    c.drawString(xs[0] + 2, top + 4, "#")
    c.drawString(xs[1] + 2, top + 4, "Task")
    for k in (2, 3, 4, 6, 7, 8):
        label = ["Procedure", "Completion", "Knowledge"][[2, 3, 4, 6, 7, 8].index(k) % 3]
        c.saveState()
        c.translate(xs[k] + 8, top + 4)
        c.rotate(45)
        c.drawString(0, 0, label)
        c.restoreState()
    rows = [("1", "Simple clustering", "0.87", "0.20", "0.20", "0.80", "0.00", "0.00"),
            ("2", "Clustering in 2D", "0.88", "0.40", "0.40", "0.68", "0.20", "0.00")]
    for r, row in enumerate(rows):
        y = top - 12 * r - 9
        c.drawString(xs[0] + 2, y, row[0])
        c.drawString(xs[1] + 2, y, row[1])
        for k, v in zip((2, 3, 4, 6, 7, 8), row[2:], strict=True):
            c.drawString(xs[k] + 3, y, v)
    for k in range(len(rows) + 1):
        c.line(xs[0], top - 12 * k, xs[-1], top - 12 * k)
    for x in xs:
        c.line(x, top, x, top - 12 * len(rows))
    c.showPage()
    c.save()
    return buf.getvalue()


def test_slanted_column_labels_and_group_labels_head_their_columns() -> None:
    doc, tables = _one_table(_results_table())
    grid = [[c.text if c else "" for c in row] for row in tables[0].grid()]
    metrics = ["Procedure", "Completion", "Knowledge"]
    assert grid[1] == ["#", "Task", *metrics, "", *metrics], grid
    assert grid[0][2:5] == ["Agent A"] * 3 and grid[0][6:9] == ["Agent B"] * 3, grid[0]
    assert grid[0][:2] == ["", ""] and grid[0][5] == ""
    assert grid[2][:3] == ["1", "Simple clustering", "0.87"]
