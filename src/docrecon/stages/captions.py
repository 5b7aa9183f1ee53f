"""Captions: "Figure 3", "Table 2", "图 1", "表 1" next to a figure or table, linked to it."""

from __future__ import annotations

import re

from docrecon.model import Block, BlockType, Document, Layer
from docrecon.stages.base import StageContext

#: a caption label and its number: "Figure 3-1", "Fig. 2", "Table IV", "Table A", "图 1", "表一"
#: (the label's case is free, the number's is not: "Table of contents" is no caption)
CAPTION = re.compile(r"^\s*(?i:fig\.?|figure|table|tab\.|chart|图|表)\s*(\d|[IVX]+\b|[A-Z]\b|[一二三四五六七八九十]+)")


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
