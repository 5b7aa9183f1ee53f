"""Tables continuing across pages: a table that ends a page and a table that starts the next one,
with the same columns and horizontal extent, become one table; a repeated header row is dropped."""

from __future__ import annotations

from docrecon.model import Block, BlockType, Cell, Document, Page, Table
from docrecon.stages.base import StageContext

EXTENT = 0.06  # share of the table width the left/right edges may move between pages


def _edge_table(page: Page, last: bool) -> Block | None:
    body = page.body()
    if not body:
        return None
    b = body[-1] if last else body[0]
    return b if b.type is BlockType.TABLE and b.table is not None else None


def _rows(table: Table, start: int, end: int) -> list[list[str]]:
    grid = table.grid()
    return [[c.text if c else "" for c in row] for row in grid[start:end]]


def continues(a: Block, b: Block) -> bool:
    assert a.table is not None and b.table is not None
    if a.table.n_cols != b.table.n_cols:
        return False
    tol = EXTENT * max(a.bbox.width, 1.0)
    return abs(a.bbox.x0 - b.bbox.x0) <= tol and abs(a.bbox.x1 - b.bbox.x1) <= tol


def repeated_header(a: Table, b: Table) -> int:
    """How many leading rows of ``b`` repeat the header rows of ``a``."""
    n = max(1, a.header_rows)
    if b.n_rows <= n:
        return 0
    norm = [[" ".join(t.split()).lower() for t in r] for r in _rows(a, 0, n)]
    head = [[" ".join(t.split()).lower() for t in r] for r in _rows(b, 0, n)]
    return n if norm == head and any(any(r) for r in norm) else 0


def append_rows(a: Table, b: Table, skip: int) -> None:
    offset = a.n_rows - skip
    for c in b.cells:
        if c.row < skip:
            continue
        a.cells.append(Cell(c.row + offset, c.col, c.text, c.row_span, c.col_span, header=False))
    a.n_rows += b.n_rows - skip


class TableMergeStage:
    name = "table_merge"
    block_types = (BlockType.TABLE,)

    def __call__(self, doc: Document, ctx: StageContext) -> None:
        pages = [p for p in doc.pages if not p.failed]
        carry: Block | None = None
        for prev, page in zip(pages, pages[1:], strict=False):
            if prev.structured or page.structured or page.number != prev.number + 1:
                carry = None
                continue
            a = carry or _edge_table(prev, last=True)
            b = _edge_table(page, last=False)
            carry = None
            if a is None or b is None or not continues(a, b):
                continue
            assert a.table is not None and b.table is not None
            append_rows(a.table, b.table, repeated_header(a.table, b.table))
            a.text = a.text + "\n" + b.text if b.text else a.text
            a.continues = False
            page.blocks.remove(b)
            carry = a if not page.body() else None  # the table fills this page and may go on
