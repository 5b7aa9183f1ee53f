"""DOCX DrawingML charts (issue 14, item 5): ``w:drawing`` -> ``c:chart r:id`` -> chart part,
read as PPTX charts are (``readers/office_charts.py``): title, kind and a data table. The DOCX is
generated with python-docx; the chart part is python-pptx's chart XML added to the package
with a relationship (python-docx cannot add charts)."""

from __future__ import annotations

import pytest
from odd_office import chart_docx, chart_xml

import docrecon
from docrecon.model import BlockType, Document
from docrecon.options import OcrMode, ParseOptions


@pytest.fixture(scope="module")
def doc() -> Document:
    data = chart_docx([chart_xml("Sales by region"), chart_xml(None, "LINE"), None])
    return docrecon.parse(data, ParseOptions(ocr=OcrMode.OFF), name="charts.docx")


def test_a_chart_becomes_title_kind_and_table(doc: Document) -> None:
    blocks = doc.pages[0].blocks
    texts = [b.text for b in blocks]
    start = texts.index("Sales by region")
    assert texts[start - 1] == "Text before chart 1."
    assert blocks[start + 1].type is BlockType.CAPTION and blocks[start + 1].text == "Bar chart"
    table = blocks[start + 2].table
    assert table is not None
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert [grid[(0, c)] for c in range(3)] == ["", "North", "South"]
    assert [grid[(r, 0)] for r in range(1, 4)] == ["2023", "2024", "2025"]
    assert grid[(2, 1)] == "12.5" and grid[(3, 2)] == "11"


def test_an_untitled_line_chart_and_a_missing_part(doc: Document) -> None:
    texts = [b.text for b in doc.pages[0].blocks]
    second = texts.index("Text before chart 2.")
    assert texts[second + 1] == "Line chart"
    assert doc.pages[0].blocks[second + 2].type is BlockType.TABLE
    third = texts.index("Text before chart 3.")
    assert texts[third + 1:] == ["Closing text."]  # the dangling relationship is left out


def test_markdown_holds_the_chart_table(doc: Document) -> None:
    md = docrecon.render_markdown(doc)
    assert "Sales by region" in md and "| 2024 | 12.5 | 9 |" in md.replace("  ", " ")


def test_a_damaged_chart_part_is_skipped_with_a_warning() -> None:
    data = chart_docx([b"<c:chartSpace xmlns:c='http://schemas.openxmlformats.org/drawingml/2006/chart'>"])
    doc = docrecon.parse(data, ParseOptions(ocr=OcrMode.OFF), name="bad.docx")
    assert [b.text for b in doc.pages[0].blocks] == ["Report", "Text before chart 1.", "Closing text."]
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("chart word/charts/chart1.xml not read")


def test_a_chart_in_a_text_box_is_read_once() -> None:
    doc = docrecon.parse(chart_docx([chart_xml("Boxed")], in_box=True), ParseOptions(ocr=OcrMode.OFF), name="b.docx")
    texts = [b.text for b in doc.pages[0].blocks]
    assert texts[:5] == ["Report", "Text before chart 1.", "Box text", "Boxed", "Bar chart"]
    assert texts.count("Bar chart") == 1 and sum(b.table is not None for b in doc.pages[0].blocks) == 1
