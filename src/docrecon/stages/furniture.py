"""Running headers, footers and page numbers: relabelled as furniture, never deleted.

A block in the top or bottom margin band is furniture when its text (digits masked) repeats
on enough pages at about the same height, or when it is a bare page number.
"""

from __future__ import annotations

import re
from collections import defaultdict

from docrecon.model import Block, BlockType, Document, Layer, Page
from docrecon.stages.base import StageContext

BAND = 0.08  # fraction of the page height at top and bottom
PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?\s*(?:(?:/|of)\s*\d{1,4})?\s*$"
    r"|^\s*第\s*\d{1,4}\s*页(?:\s*[/共]\s*\d{1,4}\s*页?)?\s*$|^\s*[ivxlc]{1,6}\s*$",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))[:80]


def _band(b: Block, page: Page) -> str | None:
    if page.height <= 0:
        return None
    if b.bbox.y1 <= page.height * BAND + 2:
        return "top"
    if b.bbox.y0 >= page.height * (1 - BAND) - 2:
        return "bottom"
    return None


EDGE = 0.06  # a single small line this close to the top or bottom edge is a running line
MARGIN_WORDS = re.compile(r"(https?://|www\.|doi|downloaded|©|copyright|vol\.|volume|issue|page|journal|\|)", re.I)


def _edge_line(b: Block, page: Page, body: float) -> bool:
    """Furniture even without repetition: one line at the very edge, not larger than body text,
    or a short margin line with journal/URL/page vocabulary."""
    one_line = b.font_size > 0 and b.bbox.height < 2.5 * b.font_size
    at_edge = b.bbox.y1 <= page.height * EDGE or b.bbox.y0 >= page.height * (1 - EDGE)
    if one_line and at_edge and (body <= 0 or b.font_size <= body + 0.5):
        return True
    return one_line and len(b.text) < 120 and bool(MARGIN_WORDS.search(b.text)) and b.font_size <= body


def _isolated(b: Block, page: Page, band: str) -> bool:
    """A running line is set apart from the body by white space (at least half a line)."""
    gaps = [
        (o.bbox.y0 - b.bbox.y1) if band == "top" else (b.bbox.y0 - o.bbox.y1)
        for o in page.blocks
        if o is not b and (o.bbox.y0 >= b.bbox.y1 - 1 if band == "top" else o.bbox.y1 <= b.bbox.y0 + 1)
    ]
    return not gaps or min(gaps) >= 0.5 * max(b.bbox.height, 1.0)


def _candidates(page: Page) -> list[tuple[Block, str]]:
    out = []
    text_blocks = [b for b in page.blocks if b.type in (BlockType.PARAGRAPH, BlockType.HEADING, BlockType.TITLE)]
    for b in text_blocks:
        band = _band(b, page)
        if band and len(b.text) <= 200:
            out.append((b, band))
    return out


class FurnitureStage:
    name = "furniture"
    block_types = (BlockType.PARAGRAPH,)

    def __call__(self, doc: Document, ctx: StageContext) -> None:
        pages = [p for p in doc.pages if not p.failed and not p.structured]
        if not pages:
            return
        seen: dict[tuple[str, str], set[int]] = defaultdict(set)
        cands = {p.number: _candidates(p) for p in pages}
        exact: dict[tuple[str, str], set[int]] = defaultdict(set)
        for p in pages:
            for b, band in cands[p.number]:
                seen[(band, _key(b.text))].add(p.number)
                exact[(band, " ".join(b.text.split()))].add(p.number)
        need = max(2, int(len(pages) * 0.4 + 0.5)) if len(pages) >= 2 else 10**9
        sizes = sorted(b.font_size for p in pages for b in p.blocks if b.font_size > 0)
        body = sizes[len(sizes) // 2] if sizes else 0.0
        for p in pages:
            for b, band in cands[p.number]:
                kind = BlockType.PAGE_HEADER if band == "top" else BlockType.PAGE_FOOTER
                if PAGE_NUMBER.match(b.text):
                    self._mark(b, BlockType.PAGE_NUMBER)
                elif (
                    len(exact[(band, " ".join(b.text.split()))]) >= need
                    or (len(seen[(band, _key(b.text))]) >= need and b.font_size <= body + 0.5
                        and _isolated(b, p, band))
                    or (_edge_line(b, p, body) and _isolated(b, p, band))
                ):
                    self._mark(b, kind)

    @staticmethod
    def _mark(b: Block, kind: BlockType) -> None:
        b.type = kind
        b.layer = Layer.FURNITURE
