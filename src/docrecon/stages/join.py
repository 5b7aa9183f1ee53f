"""Paragraphs that continue across a column or page break are joined into one block."""

from __future__ import annotations

from docrecon.geometry.text import ends_sentence, is_cjk, join_lines
from docrecon.model import Block, BlockType, Document, Layer, Page
from docrecon.stages.base import StageContext


def _continues(a: Block, b: Block) -> bool:
    if a.type is not BlockType.PARAGRAPH or b.type is not BlockType.PARAGRAPH:
        return False
    if ends_sentence(a.text) or not b.text:
        return False
    if a.font_size and b.font_size and abs(a.font_size - b.font_size) > 0.6:
        return False
    first = b.text.lstrip()[:1]
    return first.islower() or (is_cjk(first) and is_cjk(a.text.rstrip()[-1:])) or a.text.rstrip().endswith(("-", ","))


class JoinStage:
    name = "join"
    block_types = (BlockType.PARAGRAPH,)

    def __call__(self, doc: Document, ctx: StageContext) -> None:
        pages = [p for p in doc.pages if not p.failed and not p.structured]
        prev: tuple[Page, Block] | None = None
        for page in pages:
            for b in page.body():
                if b.layer is not Layer.BODY:
                    continue
                if prev is not None and _continues(prev[1], b) and self._at_break(prev, page, b):
                    a = prev[1]
                    a.text = join_lines([a.text, b.text])
                    a.continues = True
                    page.blocks.remove(b)
                    continue
                prev = (page, b)

    @staticmethod
    def _at_break(prev: tuple[Page, Block], page: Page, b: Block) -> bool:
        """Only join across a real break: another page, or the next column (b starts higher)."""
        ppage, a = prev
        return ppage is not page or b.bbox.y0 < a.bbox.y0 - 2 * max(a.font_size, 8.0)
