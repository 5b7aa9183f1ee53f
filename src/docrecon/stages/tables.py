"""Tables: ruled grids from vector rules (born-digital pages); the cells' characters are taken
out of the page so that the layout stages lay out the rest around the table blocks."""

from __future__ import annotations

from docrecon.model import Block, BlockType, Page, Table
from docrecon.stages.base import StageContext
from docrecon.tables.ruled import ruled_tables


def table_plain_text(table: Table) -> str:
    """Cells row by row, tab-separated (the block's plain text for search and chunking)."""
    rows: dict[int, list[str]] = {}
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(c.row, []).append(c.text)
    return "\n".join("\t".join(r) for _, r in sorted(rows.items()))


class TableStage:
    name = "tables"
    block_types = (BlockType.TABLE,)

    def __call__(self, page: Page, ctx: StageContext) -> None:
        raw = page.raw
        if raw is None or page.structured or page.ocr:
            return
        found = ruled_tables(raw.chars, raw.rules, raw.images, page.width * page.height)
        if not found:
            return
        gone: set[int] = set()
        for f in found:
            n = sum(1 for b in raw.blocks if b.type is BlockType.TABLE) + 1
            raw.blocks.append(
                Block(
                    id=f"p{page.number}/table{n}",
                    type=BlockType.TABLE,
                    text=table_plain_text(f.table),
                    bbox=f.bbox,
                    table=f.table,
                )
            )
            gone.update(f.used)
        raw.chars = [c for i, c in enumerate(raw.chars) if i not in gone]
