"""DOCX DrawingML charts (issue 14, item 5): ``w:drawing`` -> ``c:chart r:id`` -> chart part,
read as PPTX charts are (``readers/office_charts.py``): title, kind and a data table. The DOCX is
generated with python-docx; the chart part is python-pptx's chart XML added to the package
with a relationship (python-docx cannot add charts)."""

from __future__ import annotations

import io

import pytest
from lxml import etree

import docrecon
from docrecon.model import BlockType, Document
from docrecon.options import OcrMode, ParseOptions

CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def chart_xml(title: str | None, kind: str = "COLUMN_CLUSTERED") -> bytes:
    from pptx.chart.chart import Chart
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xmlwriter import ChartXmlWriter
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.oxml import parse_xml

    data = CategoryChartData()
    data.categories = ["2023", "2024", "2025"]
    data.add_series("North", (10, 12.5, 14))
    data.add_series("South", (7, 9, 11))
    space = parse_xml(ChartXmlWriter(getattr(XL_CHART_TYPE, kind), data).xml.encode())
    if title is not None:
        chart = Chart(space, None)
        chart.has_title = True
        chart.chart_title.text_frame.text = title
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drawing(rid: str) -> etree._Element:
    return etree.fromstring(
        f'<w:r {NS}><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="7" name="Chart 1"/>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )


def docx_with_charts(charts: list[bytes | None]) -> bytes:
    """A heading, then per chart a paragraph and a paragraph holding the chart (None: a chart
    whose relationship points at nothing), then a closing paragraph."""
    from docx import Document as Docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    doc = Docx()
    doc.add_heading("Report", level=1)
    for i, xml in enumerate(charts, start=1):
        doc.add_paragraph(f"Text before chart {i}.")
        if xml is None:
            rid = "rIdMissing"
        else:
            part = Part(PackURI(f"/word/charts/chart{i}.xml"), CHART_CT, xml, doc.part.package)
            rid = doc.part.relate_to(part, CHART_RT)
        doc.add_paragraph()._p.append(_drawing(rid))
    doc.add_paragraph("Closing text.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc() -> Document:
    data = docx_with_charts([chart_xml("Sales by region"), chart_xml(None, "LINE"), None])
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
    data = docx_with_charts([b"<c:chartSpace xmlns:c='http://schemas.openxmlformats.org/drawingml/2006/chart'>"])
    doc = docrecon.parse(data, ParseOptions(ocr=OcrMode.OFF), name="bad.docx")
    assert [b.text for b in doc.pages[0].blocks] == ["Report", "Text before chart 1.", "Closing text."]
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith("chart word/charts/chart1.xml not read")
