"""What a page keeps when one of its stages fails: its plain text, in reading order.

The fallback must not depend on the stages that may have failed: it reads the characters or
lines the reader gave, builds fragments, sorts them top to bottom and left to right within a
line, and splits paragraphs at blank-line-sized gaps.
"""

from __future__ import annotations

from docrecon.geometry.fragments import chars_to_fragments, region_lines
from docrecon.geometry.text import join_lines
from docrecon.model import BBox, Block, BlockType, Page, TextLine


def plain_text_blocks(page: Page) -> list[Block]:
    """Paragraph blocks from the page's raw text (none when the page has no text layer)."""
    raw = page.raw
    if raw is None:
        return []
    lines: list[TextLine] = list(raw.lines)
    if raw.chars:
        lines.extend(chars_to_fragments(raw.chars))
    if not lines:
        return []
    rows = region_lines(lines)
    paras: list[list[TextLine]] = [[rows[0]]]
    for prev, ln in zip(rows, rows[1:], strict=False):
        if ln.bbox.y0 - prev.bbox.y1 > 0.9 * max(prev.size, ln.size, 1.0):
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return [
        Block(id=f"p{page.number}/t{i}", type=BlockType.PARAGRAPH, text=join_lines([ln.text for ln in para]),
              bbox=BBox.enclosing([ln.bbox for ln in para]), origin=para[0].origin,
              font_size=para[0].size)
        for i, para in enumerate(paras)
    ]
