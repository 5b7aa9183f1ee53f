"""Building structured pages for formats without page geometry (Office, text, CSV).

Blocks get stable ids (``p{page}/b{i}``), their reading order, and a synthetic layout: each block
is a full-width band, stacked from top to bottom in reading order, so boxes stay inside the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docrecon.model import BBox, Block, BlockType, Cell, Layer, Page, Table

#: US Letter in points: the default page size when a format has none
LETTER = (612.0, 792.0)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def md_escape(text: str) -> str:
    """Escape characters that would turn plain text into Markdown markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass
class PageBuilder:
    number: int
    width: float = LETTER[0]
    height: float = LETTER[1]
    blocks: list[Block] = field(default_factory=list)
    #: blocks that come with a real box (slides) keep it; the others get a synthetic band
    keep_boxes: bool = False

    def add(self, btype: BlockType, text: str = "", **kw: object) -> Block:
        i = len(self.blocks)
        block = Block(id=f"p{self.number}/b{i}", type=btype, text=text, **kw)  # type: ignore[arg-type]
        if btype in (BlockType.PAGE_HEADER, BlockType.PAGE_FOOTER, BlockType.PAGE_NUMBER):
            block.layer = Layer.FURNITURE
        self.blocks.append(block)
        return block

    def add_table(self, table: Table, text: str = "") -> Block:
        flat = text or " ".join(c.text for c in sorted(table.cells, key=lambda c: (c.row, c.col)) if c.text)
        return self.add(BlockType.TABLE, flat, table=table)

    def finish(self) -> Page:
        self._layout()
        return Page(self.number, self.width, self.height, self.blocks, structured=True)

    def _layout(self) -> None:
        """Headers on top, footers at the bottom, body bands in between in reading order."""
        n = len(self.blocks)
        if not n:
            return
        margin = min(36.0, self.width / 10)
        step = self.height / n
        for i, b in enumerate(self.blocks):
            if self.keep_boxes and b.bbox.area > 0:
                continue
            b.bbox = BBox(margin, i * step, self.width - margin, (i + 1) * step)


def table_from_rows(rows: list[list[str]], header_rows: int = 1) -> Table:
    """A span-free table from rows of text (rows are padded to the widest)."""
    n_cols = max((len(r) for r in rows), default=0)
    cells = [
        Cell(r, c, text, header=r < header_rows)
        for r, row in enumerate(rows)
        for c, text in enumerate(row + [""] * (n_cols - len(row)))
    ]
    return Table(len(rows), n_cols, cells)
