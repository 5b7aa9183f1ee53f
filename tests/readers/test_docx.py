"""DOCX reader: structure, formatting, tables, pictures, equations, tracked changes, pages."""

from __future__ import annotations

import pytest
from golden import DATA, assert_golden
from office_docs import long_docx, sample_docx

import docrecon
from docrecon.model import BlockType, Document, Layer
from docrecon.options import ParseOptions


@pytest.fixture(scope="module")
def doc() -> Document:
    return docrecon.parse(sample_docx(), name="sample.docx")


def test_golden(doc: Document) -> None:
    assert_golden(doc, DATA / "docx" / "sample")


def test_structure(doc: Document) -> None:
    blocks = doc.blocks()
    by_text = {b.text: b for b in blocks}
    assert by_text["Quarterly Report"].type is BlockType.TITLE
    assert by_text["Introduction"].type is BlockType.HEADING and by_text["Introduction"].level == 1
    custom = by_text["Custom styled heading"]
    assert custom.type is BlockType.HEADING and custom.level == 2
    nested = by_text["Nested bullet"]
    assert nested.type is BlockType.LIST_ITEM and nested.level == 1 and not nested.ordered
    assert by_text["Step one"].ordered
    assert by_text["Plain, bold and italic words."].rich == "Plain, **bold** and *italic* words."
    assert by_text["Figure 1: A red square"].type is BlockType.CAPTION


def test_table_spans_and_nested(doc: Document) -> None:
    table = next(b.table for b in doc.blocks() if b.table is not None)
    cells = {c.text: c for c in table.cells}
    assert cells["Tall"].row_span == 2
    assert cells["Wide"].col_span == 2
    assert any("in1 in2" in c.text for c in table.cells)


def test_equation_tracked_changes_furniture(doc: Document) -> None:
    texts = [b.rich or b.text for b in doc.blocks()]
    assert any("$A=\\pi r^{2}$" in t for t in texts)
    assert "Tracked: kept" in [b.text for b in doc.blocks()]
    assert not any("gone" in t for t in texts)
    furniture = [b for b in doc.blocks() if b.layer is Layer.FURNITURE]
    assert {b.text for b in furniture} == {"Company confidential", "Footer text"}


def test_picture_extracted(doc: Document) -> None:
    figure = next(b for b in doc.blocks() if b.type is BlockType.FIGURE)
    assert figure.image is not None
    assert doc.assets.get(figure.image.key).startswith(b"\x89PNG")


def test_page_breaks_make_pages(doc: Document) -> None:
    assert doc.page_count == 2
    only_second = docrecon.parse(sample_docx(), ParseOptions(page_start=2), name="s.docx")
    assert [p.number for p in only_second.pages] == [2]
    assert only_second.blocks()[1].text == "Second page"


def test_long_document_pages() -> None:
    doc = docrecon.parse(long_docx(5), name="long.docx")
    assert doc.page_count == 5
    assert all(p.structured for p in doc.pages)
