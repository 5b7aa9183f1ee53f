"""Office test documents generated on the fly (python-docx, python-pptx, openpyxl, LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
M_NS = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'


def png(color: str = "red", size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def _save(obj: object) -> bytes:
    buf = io.BytesIO()
    obj.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def _xml(fragment: str) -> object:
    from docx.oxml import parse_xml

    return parse_xml(fragment)


def sample_docx() -> bytes:
    """Title, headings (one from a custom style based on Heading 2), inline formatting, a link,
    lists with levels, a table with merged cells and a nested table, a picture with a caption,
    an equation, a tracked change, header/footer and a page break."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Company confidential"
    doc.sections[0].footer.paragraphs[0].text = "Footer text"
    doc.add_heading("Quarterly Report", level=0)
    doc.add_heading("Introduction", level=1)
    p = doc.add_paragraph("Plain, ")
    p.add_run("bold").bold = True
    p.add_run(" and ")
    p.add_run("italic").italic = True
    p.add_run(" words.")
    custom = doc.styles.add_style("My Section", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = doc.styles["Heading 2"]
    doc.add_paragraph("Custom styled heading", style="My Section")
    doc.add_paragraph("First bullet", style="List Bullet")
    doc.add_paragraph("Nested bullet", style="List Bullet 2")
    doc.add_paragraph("Second bullet", style="List Bullet")
    doc.add_paragraph("Step one", style="List Number")
    doc.add_paragraph("Step two", style="List Number")
    table = doc.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"R{r}C{c}"
    merged = table.cell(1, 0).merge(table.cell(2, 0))
    merged.text = "Tall"
    wide = table.cell(0, 1).merge(table.cell(0, 2))
    wide.text = "Wide"
    inner = table.cell(1, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "in1"
    inner.cell(0, 1).text = "in2"
    doc.add_picture(io.BytesIO(png()), width=Inches(1))
    doc.add_paragraph("Figure 1: A red square", style="Caption")
    eq = doc.add_paragraph("Area: ")
    eq._p.append(_xml(
        f'<m:oMath {M_NS}><m:r><m:t>A=π</m:t></m:r><m:sSup><m:e><m:r><m:t>r</m:t></m:r></m:e>'
        f'<m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath>'
    ))
    tracked = doc.add_paragraph("Tracked: ")
    tracked._p.append(_xml(f'<w:ins {W_NS} w:id="1" w:author="a"><w:r><w:t>kept</w:t></w:r></w:ins>'))
    deleted = '<w:r><w:delText>gone</w:delText></w:r>'
    tracked._p.append(_xml(f'<w:del {W_NS} w:id="2" w:author="a">{deleted}</w:del>'))
    doc.add_page_break()
    doc.add_heading("Second page", level=1)
    doc.add_paragraph("Text on the second page.")
    return _save(doc)


def long_docx(pages: int = 50) -> bytes:
    """``pages`` pages of headings, paragraphs, a list and a table, separated by page breaks."""
    from docx import Document

    doc = Document()
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 6
    for i in range(pages):
        doc.add_heading(f"Chapter {i + 1}", level=1)
        for _ in range(4):
            doc.add_paragraph(text)
        doc.add_paragraph("an item", style="List Bullet")
        table = doc.add_table(rows=4, cols=4)
        for cell in table._cells:
            cell.text = "cell"
        if i + 1 < pages:
            doc.add_page_break()
    return _save(doc)


def sample_pptx() -> bytes:
    """A title slide; a slide with bullets (levels), a table with a merged cell, a picture, a chart,
    a grouped shape and speaker notes."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    s1 = prs.slides.add_slide(prs.slide_layouts[0])
    s1.shapes.title.text = "Deck Title"
    s1.placeholders[1].text = "Subtitle text"
    s2 = prs.slides.add_slide(prs.slide_layouts[1])
    s2.shapes.title.text = "Agenda"
    body = s2.placeholders[1].text_frame
    body.text = "Point one"
    sub = body.add_paragraph()
    sub.text, sub.level = "Detail", 1
    body.add_paragraph().text = "Point two"
    s2.notes_slide.notes_text_frame.text = "Remember the agenda."
    s3 = prs.slides.add_slide(prs.slide_layouts[5])
    s3.shapes.title.text = "Data"
    shape = s3.shapes.add_table(3, 3, Inches(0.5), Inches(1.5), Inches(4), Inches(1.5))
    tbl = shape.table
    for r in range(3):
        for c in range(3):
            tbl.cell(r, c).text = f"t{r}{c}"
    tbl.cell(0, 0).merge(tbl.cell(0, 1))
    s3.shapes.add_picture(io.BytesIO(png("blue")), Inches(5), Inches(1.5), Inches(1))
    data = CategoryChartData()
    data.categories = ["2023", "2024"]
    data.add_series("Sales", (10, 12.5))
    chart = s3.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.5), Inches(4), Inches(4),
                                Inches(2.5), data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "Sales by year"
    group = s3.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(6), Inches(5), Inches(2), Inches(0.5))
    box.text_frame.text = "Grouped note"
    return _save(prs)


def sample_xlsx() -> bytes:
    """Formats (dates, percentages, currency, thousands), a merged header, two tables on one
    sheet, a hidden sheet and a second visible sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sales"
    ws.append(["Region", "Q1", None])
    ws.merge_cells("B1:C1")
    ws.append(["", "Revenue", "Share"])
    rows = [("North", 1234.5, 0.25), ("South", 98765.0, 0.755)]
    for region, revenue, share in rows:
        ws.append([region, revenue, share])
    for r in (3, 4):
        ws.cell(r, 2).number_format = '"$"#,##0.00'
        ws.cell(r, 3).number_format = "0.0%"
    ws.cell(7, 1, "Date")
    ws.cell(7, 2, "Count")
    ws.cell(8, 1, dt.datetime(2024, 3, 5))
    ws.cell(8, 1).number_format = "yyyy-mm-dd"
    ws.cell(8, 2, 1500000)
    ws.cell(8, 2).number_format = "#,##0"
    hidden = wb.create_sheet("Secret")
    hidden["A1"] = "hidden"
    hidden.sheet_state = "hidden"
    other = wb.create_sheet("Notes")
    other["B2"] = "Only cell"
    return _save(wb)


def big_xlsx(rows: int = 10_000, cols: int = 10) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append([f"col{c}" for c in range(cols)])
    for r in range(rows):
        ws.append([r * (c + 1) if c % 2 else f"v{r}_{c}" for c in range(cols)])
    return _save(wb)


def soffice_convert(data: bytes, in_ext: str, out_ext: str) -> bytes:
    """Convert with LibreOffice (test set-up only; the product path is office_convert)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"doc.{in_ext}"
        src.write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(Path(tmp) / 'p').as_uri()}", "--headless",
             "--convert-to", out_ext, "--outdir", tmp, str(src)],
            check=True, capture_output=True, timeout=120,
        )
        return (Path(tmp) / f"doc.{out_ext}").read_bytes()
