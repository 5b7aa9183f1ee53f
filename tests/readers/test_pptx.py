"""PPTX reader: slides as pages, titles, bullets, tables, pictures, charts, groups, notes."""

from __future__ import annotations

import pytest
from golden import DATA, assert_golden
from office_docs import sample_pptx

import docrecon
from docrecon.model import BlockType, Document
from docrecon.options import ParseOptions


@pytest.fixture(scope="module")
def doc() -> Document:
    return docrecon.parse(sample_pptx(), name="deck.pptx")


def test_golden(doc: Document) -> None:
    assert_golden(doc, DATA / "pptx" / "sample")


def test_slides_are_pages(doc: Document) -> None:
    assert doc.page_count == 3
    assert [p.blocks[0].text for p in doc.pages] == ["Deck Title", "Agenda", "Data"]
    assert all(p.blocks[0].type is BlockType.TITLE for p in doc.pages)


def test_bullets_levels_and_notes(doc: Document) -> None:
    items = [b for b in doc.pages[1].blocks if b.type is BlockType.LIST_ITEM]
    assert [(b.text, b.level) for b in items] == [("Point one", 0), ("Detail", 1), ("Point two", 0)]
    assert any("Remember the agenda." in b.text for b in doc.pages[1].blocks)


def test_table_picture_chart_group(doc: Document) -> None:
    blocks = doc.pages[2].blocks
    tables = [b.table for b in blocks if b.table is not None]
    assert tables[0].cells[0].col_span == 2
    assert any(b.type is BlockType.FIGURE and b.image is not None for b in blocks)
    assert any(b.text == "Sales by year" for b in blocks)
    chart = tables[1]
    assert [c.text for c in chart.cells] == ["", "Sales", "2023", "10", "2024", "12.5"]
    assert any(b.text == "Grouped note" for b in blocks)


def test_notes_option_off() -> None:
    doc = docrecon.parse(sample_pptx(), ParseOptions(include_notes=False), name="deck.pptx")
    assert not any("Remember" in b.text for b in doc.blocks())
