"""Documents built block by block (chunking, HTML and text renderer tests)."""

from __future__ import annotations

from docrecon.model import BBox, Block, BlockType, Cell, Document, Layer, Page, Table
from docrecon.model.document import SourceInfo


def block(page: int, i: int, kind: BlockType, text: str = "", **kw: object) -> Block:
    y = 60.0 + 30 * i
    b = Block(id=f"p{page}/b{i}", type=kind, text=text, bbox=BBox(50.0, y, 550.0, y + 20), order=i)
    for k, v in kw.items():
        setattr(b, k, v)
    return b


def table(rows: list[list[str]], header_rows: int = 1) -> Table:
    cells = [Cell(r, c, text, header=r < header_rows) for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Table(len(rows), len(rows[0]), cells)


def document(pages: list[list[Block]], name: str = "doc.pdf", sha: str = "0" * 64) -> Document:
    src = SourceInfo(name=name, mime="application/pdf", sha256=sha, size=1, format="pdf")
    doc = Document(id=name, source=src, page_count=len(pages))
    for n, blocks in enumerate(pages, 1):
        doc.pages.append(Page(number=n, width=612, height=792, blocks=blocks))
    return doc


def handbook() -> Document:
    """Two pages: a title, sections, a list, a table, a figure with caption, and running furniture."""
    p1 = [
        block(1, 0, BlockType.PAGE_HEADER, "ACME Corp confidential", layer=Layer.FURNITURE),
        block(1, 1, BlockType.TITLE, "Employee Handbook"),
        block(1, 2, BlockType.HEADING, "Leave", level=1),
        block(1, 3, BlockType.PARAGRAPH, "Employees get 25 days of paid leave per year. Unused days expire in March."),
        block(1, 4, BlockType.HEADING, "Sick days", level=2),
        block(1, 5, BlockType.PARAGRAPH, "A doctor's note is needed from the third day of illness."),
        block(1, 6, BlockType.HEADING, "Travel", level=1),
        block(1, 7, BlockType.PARAGRAPH, "Business trips follow these rules:"),
        block(1, 8, BlockType.LIST_ITEM, "Trains are booked in second class.", list_id="L1", marker="-"),
        block(1, 9, BlockType.LIST_ITEM, "Flights need the approval of a director.", list_id="L1", marker="-"),
        block(1, 10, BlockType.LIST_ITEM, "Hotels are capped at 150 euros per night.", list_id="L1", marker="-"),
        block(1, 11, BlockType.PAGE_FOOTER, "Page 1", layer=Layer.FURNITURE),
    ]
    p2 = [
        block(2, 0, BlockType.PAGE_HEADER, "ACME Corp confidential", layer=Layer.FURNITURE),
        block(2, 1, BlockType.HEADING, "Offices", level=1),
        block(2, 2, BlockType.CAPTION, "Table 1: office locations and head counts", caption_of="p2/b3"),
        block(2, 3, BlockType.TABLE, table=table([["City", "Staff", "Opened"], ["Berlin", "120", "2001"],
                                                  ["Lyon", "45", "2015"]])),
        block(2, 4, BlockType.FIGURE, "", caption_of=None),
        block(2, 5, BlockType.CAPTION, "Figure 1: the Berlin campus seen from the river", caption_of="p2/b4"),
        block(2, 6, BlockType.HEADING, "规章制度", level=1),
        block(2, 7, BlockType.PARAGRAPH, "公司实行弹性工作制，员工每天需在上午十点前到岗。年终奖金根据个人绩效发放。"),
    ]
    return document([p1, p2], "handbook.pdf")
