"""Tables: generated PDFs (reportlab) with ruled, merged-cell, borderless and split tables, each
compared with a golden HTML table in tests/data/tables/<name>.html."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from golden import DATA, REGEN
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as RLTable

import docrecon
from docrecon.model import BlockType, Document
from docrecon.renderers import RenderOptions, TableMode, render_document
from docrecon.renderers.tables import table_to_html

TABLES = DATA / "tables"
STYLES = getSampleStyleSheet()
INTRO = "The figures below are quarterly results of the three regional offices, in thousands."


def _pdf(story: list[object]) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(story)
    return buf.getvalue()


def ruled_pdf() -> bytes:
    rows = [
        ["Region", "Q1", "Q2", "Q3"],
        ["North", "1,200", "1,350", "1,410"],
        ["South", "980", "1,020", ""],
        ["East", "2,005.5", "-3", "17%"],
    ]
    t = RLTable(rows, colWidths=[120, 70, 70, 70])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black)]))
    return _pdf(
        [
            Paragraph(INTRO, STYLES["Normal"]),
            Spacer(1, 12),
            t,
            Spacer(1, 12),
            Paragraph("After the table comes more text.", STYLES["Normal"]),
        ]
    )


def merged_pdf() -> bytes:
    rows = [
        ["Item", "2023", "", "2024", ""],
        ["", "Units", "Value", "Units", "Value"],
        ["Bolts", "10", "2.5", "12", "3.1"],
        ["Nuts", "7", "1.0", "9", "1.4"],
        [Paragraph("Washers for heavy duty machinery", STYLES["Normal"]), "3", "0.2", "", "0.3"],
    ]
    t = RLTable(rows, colWidths=[130, 60, 60, 60, 60])
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (2, 0)),
                ("SPAN", (3, 0), (4, 0)),
            ]
        )
    )
    return _pdf([Paragraph(INTRO, STYLES["Normal"]), Spacer(1, 12), t])


def borderless_pdf() -> bytes:
    rows = [
        ["Name", "Score", "Grade", "Remark"],
        ["Alice", "91", "A", "top of class"],
        ["Bob", "78", "C", ""],
        ["Carol", "85", "B", "improved"],
        ["Dan", "62", "D", "retake"],
    ]
    t = RLTable(rows, colWidths=[110, 70, 70, 110])
    t.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
            ]
        )
    )
    return _pdf([Paragraph(INTRO, STYLES["Normal"]), Spacer(1, 12), t])


def split_pdf() -> bytes:
    rows = [["Code", "Product", "Stock"]] + [[f"P{i:03d}", f"Part number {i}", str(i * 7)] for i in range(1, 61)]
    t = RLTable(rows, colWidths=[80, 160, 80], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black)]))
    filler = [Paragraph(INTRO * 3, STYLES["Normal"]) for _ in range(4)]
    return _pdf([*filler, t, Paragraph("The end.", STYLES["Normal"]), PageBreak()])


CASES: dict[str, Callable[[], bytes]] = {
    "ruled": ruled_pdf,
    "merged": merged_pdf,
    "borderless": borderless_pdf,
    "split": split_pdf,
}


def tables_of(doc: Document) -> list[str]:
    return [table_to_html(b.table) for b in doc.blocks() if b.type is BlockType.TABLE and b.table is not None]


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
def test_table_golden(name: str) -> None:
    doc = docrecon.parse(CASES[name](), name=f"{name}.pdf")
    actual = "\n".join(tables_of(doc)) + "\n"
    path = TABLES / f"{name}.html"
    if REGEN:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_text_around_table_kept_once() -> None:
    doc = docrecon.parse(ruled_pdf(), name="ruled.pdf")
    md = render_document(doc)
    assert md.count("1,350") == 1
    assert "After the table comes more text." in md
    assert md.index("quarterly results") < md.index("| Region") < md.index("After the table")


def test_pipe_when_no_span_html_when_span() -> None:
    ruled = render_document(docrecon.parse(ruled_pdf(), name="ruled.pdf"))
    merged = render_document(docrecon.parse(merged_pdf(), name="merged.pdf"))
    assert "| Region | Q1 | Q2 | Q3 |" in ruled
    assert '<th colspan="2">2023</th>' in merged and 'rowspan="2"' in merged
    forced = render_document(docrecon.parse(ruled_pdf(), name="ruled.pdf"), RenderOptions(tables=TableMode.HTML))
    assert "<table>" in forced


def test_page_without_rules_has_no_table() -> None:
    story = [Paragraph(INTRO * 4, STYLES["Normal"]) for _ in range(3)]
    doc = docrecon.parse(_pdf(story), name="prose.pdf")
    assert not tables_of(doc)


def test_split_table_merged_with_repeated_header_dropped() -> None:
    doc = docrecon.parse(split_pdf(), name="split.pdf")
    blocks = [b for b in doc.blocks() if b.type is BlockType.TABLE]
    assert len(blocks) == 1 and blocks[0].table is not None
    assert blocks[0].table.n_rows == 61
    assert [c.text for c in blocks[0].table.cells if c.text == "Code"] == ["Code"]


def test_tables_with_other_columns_not_merged() -> None:
    from docrecon.model import BBox, Block, Cell, Page, SourceInfo, Table
    from docrecon.stages.base import StageContext
    from docrecon.stages.table_merge import TableMergeStage

    def block(n: int, cols: int) -> Block:
        cells = [Cell(r, c, f"{r}{c}") for r in range(2) for c in range(cols)]
        return Block(f"p{n}/table1", BlockType.TABLE, bbox=BBox(50, 50, 400, 300), order=0, table=Table(2, cols, cells))

    doc = Document(
        "d",
        SourceInfo("x.pdf", "application/pdf", "", 0, "pdf"),
        pages=[Page(1, 595, 842, [block(1, 3)]), Page(2, 595, 842, [block(2, 4)])],
    )
    TableMergeStage()(doc, StageContext(opts=docrecon.ParseOptions(), assets=doc.assets))
    assert [len(p.blocks) for p in doc.pages] == [1, 1]


def _image_table(ruled: bool) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 22)
    rows = [
        ["Country", "2022", "", "2023", ""],
        ["", "Units", "Share", "Units", "Share"],
        ["France", "1,204", "12%", "1,310", "13%"],
        ["Spain", "877", "9%", "902", "9%"],
        ["Italy", "45", "1%", "", "2%"],
    ]
    xs, ys = [20, 200, 320, 440, 560, 680], [20 + 50 * i for i in range(6)]
    im = Image.new("RGB", (700, 320), "white")
    d = ImageDraw.Draw(im)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            d.text((xs[c] + 12, ys[r] + 12), text, fill="black", font=font)
    if ruled:
        for y in ys:
            d.line([(xs[0], y), (xs[-1], y)], fill="black", width=2)
        for i, x in enumerate(xs):
            d.line([(x, ys[0] if i in (0, 5) else ys[1] if i in (2, 4) else ys[0]), (x, ys[-1])], fill="black", width=2)
        d.line([(xs[0], ys[1]), (xs[1], ys[1])], fill="white", width=2)
    else:
        for y in (ys[0], ys[2], ys[-1]):
            d.line([(xs[0], y), (xs[-1], y)], fill="black", width=2)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize("name", ["image_ruled", "image_borderless"])
def test_image_table_golden(name: str) -> None:
    pytest.importorskip("rapidocr")
    doc = docrecon.parse(_image_table(ruled=name == "image_ruled"), name=f"{name}.png")
    actual = "\n".join(tables_of(doc)) + "\n"
    path = TABLES / f"{name}.html"
    if REGEN:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def _sideways_header_pdf() -> bytes:
    """A ruled table whose header cells are set sideways (turned 90 and 270 degrees), and a
    sideways stamp in the page margin."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    xs, ys = [72, 200, 260, 320], [700, 610, 585, 560]  # header row 90 pt high, two body rows
    for x in xs:
        c.line(x, ys[-1], x, ys[0])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    c.setFont("Helvetica", 10)
    c.drawString(78, 650, "Task")
    for x, angle, word in ((235, 90, "Completion"), (285, 270, "Knowledge")):
        c.saveState()
        c.translate(x, 655)
        c.rotate(angle)
        c.drawCentredString(0, 0, word)
        c.restoreState()
    for y, row in ((593, ("Clustering", "0.87", "0.20")), (568, ("Regression", "0.42", "0.00"))):
        for x, text in zip((78, 206, 266), row, strict=True):
            c.drawString(x, y, text)
    c.drawString(72, 520, "The table above shows two tasks.")
    c.saveState()
    c.translate(30, 400)
    c.rotate(90)
    c.drawString(0, 0, "Downloaded from example.org on Monday")
    c.restoreState()
    c.save()
    return buf.getvalue()


def test_sideways_header_cells_keep_their_text() -> None:
    doc = docrecon.parse(_sideways_header_pdf(), name="sideways.pdf")
    [table] = [b.table for b in doc.blocks() if b.type is BlockType.TABLE and b.table is not None]
    header = {c.col: c.text for c in table.cells if c.row == 0}
    assert header == {0: "Task", 1: "Completion", 2: "Knowledge"}
    assert {c.text for c in table.cells if c.row == 1} == {"Clustering", "0.87", "0.20"}
    md = render_document(doc)
    assert "The table above shows two tasks." in md
    assert "Downloaded from" not in md  # sideways text outside tables stays out of the body


def _long_cells_pdf(values: bool) -> bytes:
    """A ruled grid whose first column holds paragraphs (200+ characters) beside a column of
    counts (``values``), or beside another column of paragraphs (boxes around text)."""
    para = ("Other specific policies including competition, external trade, enlargement, agriculture"
            " and rural development, regional policy, information society and media, culture, research"
            " and innovation, fisheries and maritime affairs")
    rows = [["Topic", "Enquiries" if values else "Notes"]]
    for k, topic in enumerate(["Research enquiry service", para, "Export helpdesk", para + " (continued)"]):
        right = f"{(k + 1) * 1117:,}" if values else para
        rows.append([Paragraph(topic, STYLES["Normal"]), Paragraph(right, STYLES["Normal"])])
    t = RLTable(rows, colWidths=[250, 80 if values else 200])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black)]))
    return _pdf([Paragraph(INTRO, STYLES["Normal"]), Spacer(1, 12), t])


def test_paragraph_cells_beside_a_value_column_are_a_table() -> None:
    """Long multi-line cells do not make a ruled grid page layout when a column of short values
    runs beside them; a grid of paragraphs only is still boxed text."""
    doc = docrecon.parse(_long_cells_pdf(True), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    tables = [b.table for b in doc.blocks() if b.type is BlockType.TABLE and b.table is not None]
    assert len(tables) == 1 and (tables[0].n_rows, tables[0].n_cols) == (5, 2)
    grid = {(c.row, c.col): c.text for c in tables[0].cells}
    assert grid[(2, 0)].startswith("Other specific policies") and grid[(2, 1)] == "2,234"
    boxes = docrecon.parse(_long_cells_pdf(False), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    assert not any(b.type is BlockType.TABLE for b in boxes.blocks())


def test_a_footer_below_a_rule_anchored_table_stays_out() -> None:
    """Rows under the last rule of a table anchored by two rules join it only while their
    pieces keep to the table's columns: a page footer below (its page label at the far right)
    is not a row."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    c.drawString(40, 700, INTRO)
    c.setLineWidth(0.8)
    c.line(40, 680, 560, 680)
    c.line(40, 660, 560, 660)
    rows = [("Name", "Score", "Remark"), ("Alice", "91", "top"), ("Bob", "78", "steady"), ("Carol", "85", "new")]
    for k, row in enumerate(rows):
        for x, text in zip((44, 200, 330), row, strict=True):
            c.drawString(x, 667 - 16 * k if k else 667, text)
    c.drawString(44, 667 - 16 * 4 - 4, "Contract summary")
    c.drawRightString(560, 667 - 16 * 4 - 4, "Pagina 2 di 4")
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    tables = [b.table for b in doc.blocks() if b.type is BlockType.TABLE and b.table is not None]
    assert tables and all("Pagina" not in c.text and "Contract" not in c.text for t in tables for c in t.cells)
    assert "Alice" in {c.text for c in tables[0].cells}


def _banded_pdf(wrapped: bool) -> bytes:
    """A table ruled above, under its header and below, with column rules but no rules between
    body rows: six rows of a dotted-leader label and three figures (a gap after the third), or
    (``wrapped``) one row whose two text cells wrap over three lines beside one-line cells."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    xs, top = [60, 220, 300, 380, 460], 700
    rows = [("All ages", "291,099", "100.0", "(X)"), ("With a disability", "54,425", "18.7", "0.3"),
            ("Severe disability", "34,947", "12.0", "0.2"), ("Aged 15 and older", "230,391", "100.0", "(X)"),
            ("With a disability", "49,069", "21.3", "0.3"), ("Severe disability", "32,771", "14.2", "0.2")]
    if wrapped:
        rows = [("Involvement at the", "1a", "Influence on the", "2"),
                ("beginning of project", "", "project concept", ""), ("preparation", "", "", "")]
    bottom = top - 20 - 12 * len(rows) - (6 if not wrapped else 0) - 6
    for y in (top, top - 16, bottom):
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, top, x, bottom)
    for x, head in zip(xs, ("Category", "Number", "Percent", "Margin"), strict=False):
        c.drawString(x + 3, top - 12, head)
    y = top - 28
    for k, row in enumerate(rows):
        if k == 3 and not wrapped:
            y -= 6  # a group gap
        label = row[0] + ("" if wrapped else " " + ". " * 8)
        c.drawString(xs[0] + 3, y, label.strip())
        for x, text in zip(xs[1:], row[1:], strict=False):
            c.drawRightString(x + 70, y, text)
        y -= 12
    c.showPage()
    c.save()
    return buf.getvalue()


def test_lined_up_rows_between_two_rules_are_rows() -> None:
    """A band between the header rule and the bottom rule holding one line per row in every
    column is that many rows; dot leaders are left out of the labels. Text wrapping inside two
    cells beside one-line cells stays one row."""
    doc = docrecon.parse(_banded_pdf(False), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    table = next(b.table for b in doc.blocks() if b.table is not None)
    assert (table.n_rows, table.n_cols) == (7, 4)
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert [grid[(r, 0)] for r in range(1, 4)] == ["All ages", "With a disability", "Severe disability"]
    assert [grid[(4, k)] for k in range(4)] == ["Aged 15 and older", "230,391", "100.0", "(X)"]
    wrapped = docrecon.parse(_banded_pdf(True), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    table = next(b.table for b in wrapped.blocks() if b.table is not None)
    assert table.n_rows == 2
    assert {c.text for c in table.cells} >= {"Involvement at the beginning of project preparation"}


def _rows_ruled_pdf(cells: list[list[str]], xs: list[float], stub: float) -> bytes:
    """A table ruled under every row and framed left and right, with one column rule at
    ``stub`` (after the label column) and none between the other columns; ``cells`` are drawn
    left-aligned at ``xs``."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    top, left, right = 700.0, 50.0, 540.0
    for k, row in enumerate(cells):
        y = top - 16 * k
        c.line(left, y, right, y)
        for x, text in zip(xs, row, strict=True):
            c.drawString(x, y - 11, text)
    bottom = top - 16 * len(cells)
    c.line(left, bottom, right, bottom)
    for x in (left, stub, right):
        c.line(x, top, x, bottom)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_columns_without_rules_in_a_row_ruled_table() -> None:
    """Rules under every row, one after the labels, none between the others: the white gaps
    that run down the rows are the columns, a header label wider than its column's values
    included; figures written "12.3 (4.5)" stay one cell."""
    head = ["Region name", "Region no.", "Unit rate", "Standing charge", "Mean (SD)"]
    body = [["East England", "10", "26.19", "57.86", "12.3 (4.5)"], ["London", "12", "25.25", "54.69", "10.1 (3.2)"],
            ["South West", "22", "26.53", "63.46", "", ], ["Yorkshire", "23", "25.13", "67.54", "9.8 (2.9)"]]
    body[2][4] = "11.0 (4.0)"
    doc = docrecon.parse(_rows_ruled_pdf([head, *body], [54, 150, 240, 330, 440], 145),
                         docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    table = next(b.table for b in doc.blocks() if b.table is not None)
    assert (table.n_rows, table.n_cols) == (5, 5)
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert [grid[(0, k)] for k in range(5)] == head
    assert [grid[(2, k)] for k in range(5)] == body[1]


def test_a_double_frame_line_is_no_empty_column() -> None:
    """A frame drawn with a double line (two rules 7 points apart, wider than the old sliver
    limit at this type size) does not give the table an empty first column."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 6)
    xs, ys = [100, 107, 200, 280, 360], [700 - 12 * k for k in range(5)]
    for y in (ys[0], ys[1], ys[-1]):
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for k, row in enumerate([("Item", "2013", "2014"), ("Bolts", "3.2", "2.6"), ("Nuts", "1.3", "0.7"),
                             ("Washers", "3.4", "2.5")]):
        for x, text in zip(xs[1:], row, strict=False):
            c.drawString(x + 3, ys[k] - 9, text)
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    table = next(b.table for b in doc.blocks() if b.table is not None)
    assert table.n_cols == 3 and [c.text for c in table.cells if c.row == 0] == ["Item", "2013", "2014"]
    assert not any(c.row == 1 and c.header for c in table.cells)


def test_text_flush_against_a_column_rule_keeps_the_grid() -> None:
    """A spreadsheet printout sets a right-aligned amount against its cell's right border and the
    next cell's text against the same border: the rule runs between two glyphs of what reads as
    one word. The rule is still a cell border (not a chart's grid struck through its labels)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 9)
    xs, ys = [60, 120, 160, 260, 330], [700 - 12 * k for k in range(7)]
    rows = [("Code", "Qty", "Name", "Barcode")] + [
        (f"30200{k}", f"{k * 7.5 - 3:.2f}", name, f"27005{k}{k}") for k, name in
        enumerate(["Noodles", "Tofu", "Pork", "Chicken", "Beans"], start=1)]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for k, row in enumerate(rows):
        for col, text in enumerate(row):
            if col == 1:  # right-aligned up to the border, as a spreadsheet prints an amount
                c.drawString(xs[2] - 0.3 - stringWidth(text, "Helvetica", 9), ys[k] - 9, text)
            elif col == 2:  # flush left against the same border
                c.drawString(xs[2] + 0.3, ys[k] - 9, text)
            else:
                c.drawString(xs[col] + 3, ys[k] - 9, text)
    c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    table = next(b.table for b in doc.blocks() if b.table is not None)
    assert (table.n_rows, table.n_cols) == (6, 4)
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert [grid[(0, k)] for k in range(4)] == ["Code", "Qty", "Name", "Barcode"]
    assert [grid[(2, k)] for k in range(4)] == ["302002", "12.00", "Tofu", "2700522"]


def _booktabs_turned(angle: float) -> bytes:
    """A booktabs table (rules above, under the header, below) whose column labels are set at
    ``angle`` degrees above the top rule, over a header row holding only "Model"."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(72, 760, "Results of the models on the benchmark tasks are shown below in full.")
    xs, top = [72, 200, 260, 320, 380], 640
    c.line(72, top, 440, top)
    c.setFont("Helvetica", 9)
    for x, word in zip(xs[1:], ("Accuracy", "Recall", "Precision", "F1 score"), strict=True):
        c.saveState()
        c.translate(x + 8, top + 4)
        c.rotate(angle)
        c.drawString(0, 0, word)
        c.restoreState()
    c.setFont("Helvetica", 10)
    c.drawString(78, top - 12, "Model")
    c.line(72, top - 16, 440, top - 16)
    for k, row in enumerate((("Baseline", "0.81", "0.77", "0.80", "0.78"), ("Ours", "0.88", "0.85", "0.86", "0.85"),
                             ("Ours + data", "0.90", "0.87", "0.89", "0.88"))):
        c.drawString(78, top - 30 - 14 * k, row[0])
        for x, text in zip(xs[1:], row[1:], strict=True):
            c.drawString(x + 8, top - 30 - 14 * k, text)
    c.line(72, top - 64, 440, top - 64)
    c.drawString(72, 520, "After the table comes more text in an ordinary paragraph.")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("angle", [45, 90])
def test_turned_labels_over_a_borderless_table_head_its_columns(angle: float) -> None:
    """Column labels slanted or sideways above a rule-anchored table fill its header row (they
    were a line of text above the table)."""
    doc = docrecon.parse(_booktabs_turned(angle), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    table = next(b.table for b in doc.blocks() if b.table is not None)
    assert [c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == 0] == [
        "Model", "Accuracy", "Recall", "Precision", "F1 score"]
    assert table.n_rows == 4
    md = render_document(doc)
    assert md.count("Accuracy") == 1 and "After the table comes more text" in md
