"""Tables of born-digital pages: ruled grids from vector rules, then tables anchored by
horizontal rules or shaded row bands with columns from text alignment. The cells' characters
are taken out of the page so that the layout stages lay out the rest around the table blocks."""

from __future__ import annotations

import statistics

from docrecon.geometry.fragments import page_fragments
from docrecon.model import BBox, Block, BlockType, Char, Page, RawPage, Table
from docrecon.stages.base import StageContext
from docrecon.tables.aligned import aligned_tables
from docrecon.tables.borderless import anchored_tables, anchors
from docrecon.tables.header import footer_rows, header_rows, turned_header, with_footer, with_header
from docrecon.tables.ruled import ruled_tables
from docrecon.tables.scanned import ocr_tables
from docrecon.tables.segments import split_rules
from docrecon.tables.tidy import fold_currency_columns


def table_plain_text(table: Table) -> str:
    """Cells row by row, tab-separated (the block's plain text for search and chunking)."""
    rows: dict[int, list[str]] = {}
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(c.row, []).append(c.text)
    return "\n".join("\t".join(r) for _, r in sorted(rows.items()))


def add_table(page: Page, raw: RawPage, table: Table, bbox: BBox) -> Block:
    n = sum(1 for b in raw.blocks if b.type is BlockType.TABLE) + 1
    table = fold_currency_columns(table)
    block = Block(
        id=f"p{page.number}/table{n}",
        type=BlockType.TABLE,
        text=table_plain_text(table),
        bbox=bbox,
        table=table,
    )
    raw.blocks.append(block)
    return block


def _body_size(chars: list[Char]) -> float:
    sizes = [c.size for c in chars if c.size > 0 and c.text.strip()]
    return statistics.median(sizes) if sizes else 10.0


class TableStage:
    name = "tables"
    block_types = (BlockType.TABLE,)

    def __call__(self, page: Page, ctx: StageContext) -> None:
        raw = page.raw
        if raw is None or page.structured:
            return
        if page.ocr:
            self._ocr_page(page, raw)
            return
        if not raw.chars:
            return
        if len(raw.rules) >= 2:
            self._ruled(page, raw)
        found = aligned_tables(page_fragments(raw), raw.images, page.width)
        taken = {id(c) for b in found for c in b.chars}
        for b in found:
            add_table(page, raw, b.table, b.bbox)
        if taken:
            raw.chars = [c for c in raw.chars if id(c) not in taken]

    def _ruled(self, page: Page, raw: RawPage) -> None:
        """Tables drawn with rules, then tables anchored by horizontal rules alone."""
        h, v = split_rules(raw.rules)
        size = _body_size(raw.chars)
        found, loose = ruled_tables(raw.chars, h, v, raw.images, page.width * page.height, size)
        gone: set[int] = {i for f in found for i in f.used}
        for f in found:
            rows, used = header_rows(f.table, f.bbox, f.xs, raw.chars, gone, h, page.height)
            table, box = f.table, f.bbox
            if rows:
                table = with_header(table, rows)
                head = [raw.chars[i] for i in used]
                box = BBox(box.x0, min(c.y0 for c in head), box.x1, box.y1)
                gone.update(used)
            rows, used = footer_rows(table, box, f.xs, raw.chars, gone)
            if rows:
                table = with_footer(table, rows)
                box = BBox(box.x0, box.y0, box.x1, max(raw.chars[i].y1 for i in used))
                gone.update(used)
            add_table(page, raw, table, box)
        if gone:
            raw.chars = [c for i, c in enumerate(raw.chars) if i not in gone]
        if not anchors(loose):  # no rule groups to anchor a borderless table: skip the text pass
            return
        taken: set[int] = set()
        for b in anchored_tables(page_fragments(raw), loose, size):
            mine = {id(c) for c in b.chars}
            skip = {i for i, c in enumerate(raw.chars) if id(c) in taken or id(c) in mine}
            table, used = turned_header(b.table, b.bbox, b.xs, raw.chars, skip, loose, page.height)
            box = b.bbox
            if used:
                box = BBox(box.x0, min(raw.chars[i].y0 for i in used), box.x1, box.y1)
            add_table(page, raw, table, box)
            taken.update(id(c) for c in b.chars)
            taken.update(id(raw.chars[i]) for i in used)
        if taken:
            raw.chars = [c for c in raw.chars if id(c) not in taken]

    def _ocr_page(self, page: Page, raw: RawPage) -> None:
        lines = [ln for ln in raw.lines if ln.text.strip()]
        if len(lines) < 4:
            return
        gone: set[int] = set()
        for t in ocr_tables(page, lines):
            add_table(page, raw, t.table, t.bbox)
            gone.update(id(lines[i]) for i in t.used)
        if gone:
            raw.lines = [ln for ln in raw.lines if id(ln) not in gone]
