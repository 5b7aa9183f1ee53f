"""Captions: "Figure 3", "Table 2", "图 1", "表 1" next to a figure or table, linked to it."""

from __future__ import annotations

from docrecon.geometry.text import CAPTION
from docrecon.model import Block, BlockType, Document, Layer
from docrecon.stages.base import StageContext


class CaptionStage:
    name = "captions"
    block_types = (BlockType.PARAGRAPH, BlockType.CAPTION)

    def __call__(self, doc: Document, ctx: StageContext) -> None:
        for page in doc.pages:
            body = [b for b in page.body() if b.layer is Layer.BODY]
            for i, b in enumerate(body):
                if b.type not in (BlockType.PARAGRAPH, BlockType.CAPTION) or not CAPTION.match(b.text):
                    continue
                target = self._neighbour(body, i)
                if target is not None:
                    b.type = BlockType.CAPTION
                    b.caption_of = target.id

    @staticmethod
    def _neighbour(body: list[Block], i: int) -> Block | None:
        want_table = body[i].text.strip().lower().startswith(("table", "tab", "表"))
        kinds = (BlockType.TABLE,) if want_table else (BlockType.FIGURE,)
        for j in (i - 1, i + 1, i + 2, i - 2):
            if 0 <= j < len(body) and body[j].type in kinds:
                return body[j]
        return None
