"""Bulleted and numbered list items, with nesting from the indent of each item."""

from __future__ import annotations

import re

from docrecon.geometry.text import DATE
from docrecon.model import Block, BlockType, Document, Page
from docrecon.stages.base import StageContext

BULLET = re.compile(r"^\s*([•◦▪▫●○■□►▶➢➤✓✔\-–*·∙⁃])\s*(?=\S)")
ORDERED = re.compile(
    r"^\s*(\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)]|[①-⑳]|（\d{1,3}）)\s+(?=\S)", re.IGNORECASE
)


def split_marker(text: str) -> tuple[str, bool, str] | None:
    """(text without marker, ordered, the marker as printed) if the text starts with one."""
    if DATE.match(" ".join(text.split())):
        return None  # "3. März 2024": a date, not item 3
    m = BULLET.match(text)
    if m:
        if m.group(1) in "-–*" and not text[m.end(1):m.end(1) + 1].isspace():
            return None  # "-5 °C", "*corresponding author": a sign or a footnote mark
        return text[m.end():], False, m.group(1)
    m = ORDERED.match(text)
    if m:
        return text[m.end():], True, m.group(1)
    return None


class ListStage:
    name = "lists"
    block_types = (BlockType.PARAGRAPH,)

    def __call__(self, doc: Document, ctx: StageContext) -> None:
        for page in doc.pages:
            if not page.failed and not page.structured:
                self._page(page)

    def _page(self, page: Page) -> None:
        run: list[Block] = []
        for b in page.body():
            found = split_marker(b.text) if b.type is BlockType.PARAGRAPH else None
            if found is None:
                self._close(run, page)
                run = []
                continue
            text, ordered, marker = found
            if run and ordered != run[-1].ordered and b.bbox.x0 <= min(x.bbox.x0 for x in run) + 3:
                self._close(run, page)
                run = []
            # a lone "1." line in a numbered run of one is more likely a paragraph number
            b.type, b.text, b.ordered, b.marker = BlockType.LIST_ITEM, text.strip(), ordered, marker
            if b.rich is not None:
                b.rich = None
            run.append(b)
        self._close(run, page)

    @staticmethod
    def _close(run: list[Block], page: Page) -> None:
        if not run:
            return
        if len(run) == 1 and run[0].ordered and len(run[0].text) > 300:
            run[0].type = BlockType.PARAGRAPH
            return
        list_id = run[0].id
        stack: list[float] = []
        prev: Block | None = None
        for b in run:
            b.list_id = list_id
            if prev is not None and b.bbox.y0 < prev.bbox.y0 - 2:  # moved up: the next column
                stack = []
            while stack and b.bbox.x0 < stack[-1] - 3:
                stack.pop()
            if not stack or b.bbox.x0 > stack[-1] + 6:
                stack.append(b.bbox.x0)
            b.level = len(stack) - 1
            prev = b
