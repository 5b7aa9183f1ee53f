"""XLSX reader: displayed values, merged cells, several tables, hidden sheets, truncation."""

from __future__ import annotations

import pytest
from golden import DATA, assert_golden
from office_docs import big_xlsx, sample_xlsx

import docrecon
from docrecon.model import BlockType, Document
from docrecon.options import ParseOptions


@pytest.fixture(scope="module")
def doc() -> Document:
    return docrecon.parse(sample_xlsx(), name="book.xlsx")


def test_golden(doc: Document) -> None:
    assert_golden(doc, DATA / "xlsx" / "sample")


def test_sheets_and_hidden(doc: Document) -> None:
    headings = [b.text for b in doc.blocks() if b.type is BlockType.HEADING]
    assert headings == ["Sales", "Notes"]


def test_displayed_values_and_spans(doc: Document) -> None:
    tables = [b.table for b in doc.pages[0].blocks if b.table is not None]
    assert len(tables) == 2
    texts = [c.text for c in tables[0].cells]
    assert "$1,234.50" in texts and "75.5%" in texts and "25.0%" in texts
    q1 = next(c for c in tables[0].cells if c.text == "Q1")
    assert q1.col_span == 2
    assert [c.text for c in tables[1].cells] == ["Date", "Count", "2024-03-05", "1,500,000"]


def test_truncation_notice() -> None:
    doc = docrecon.parse(big_xlsx(rows=300, cols=3), ParseOptions(max_sheet_rows=100), name="big.xlsx")
    table = next(b.table for b in doc.blocks() if b.table is not None)
    assert table.n_rows == 100
    assert "only the first 100" in doc.blocks()[-1].text
