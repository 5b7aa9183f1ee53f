"""Currency signs set in a column of their own (financial statements) fold into the amounts."""

from __future__ import annotations

import io

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
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    tables = [b.table for b in doc.blocks() if b.type is BlockType.TABLE and b.table is not None]
    assert len(tables) == 1
    grid = [[c.text if c else None for c in row] for row in tables[0].grid()]
    assert ["Cost of revenue", "$178", "$141"] in grid
    assert ["Total", "$4,737", "$3,549"] in grid
    assert all("$" not in row for row in grid)
