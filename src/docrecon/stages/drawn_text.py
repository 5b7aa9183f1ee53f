"""Text drawn as outlines on a page that has a text layer: a title or logo set as filled
curves is invisible to the text layer, so the words are lost.

The PDF reader keeps the boxes of filled curved paths of glyph height (``raw.drawn``: nothing
else is spent on pages without them). Boxes clear of the text layer and of pictures are
chained into lines (neighbours on a shared band, close together, of a similar height); a chain
of at least ``MIN_GLYPHS`` outlines, or one outline much wider than tall (a word drawn as one
path), is read with the recogniser alone, from a render of the page, at ``MIN_CONFIDENCE`` or
more. What is read goes to ``raw.lines`` (origin OCR); shapes that are no text (a chart's
markers, a rounded button) read nothing and are left.
"""

from __future__ import annotations

from docrecon.model import BBox, Origin, Page, TextLine
from docrecon.ocr.crops import read_boxes
from docrecon.options import OcrMode
from docrecon.stages.base import StageContext

#: outlines in a chain that make a line worth reading
MIN_GLYPHS = 3
#: a single outline this much wider than tall is a word drawn as one path
WORD_ASPECT = 2.0
#: neighbours in a chain: gap at most this many heights, heights within this ratio
GAP = 0.8
HEIGHT_RATIO = 1.8
#: at most this many chains of a page are read
MAX_LINES = 12
MIN_CONFIDENCE = 0.75
#: cap height / type size of a line read from outlines
CAP_TO_SIZE = 0.72
#: outlines in the top or bottom share of the page (logos and badges of a running head) are left
MARGIN_BAND = 0.08


def _chains(boxes: list[BBox]) -> list[list[BBox]]:
    chains: list[list[BBox]] = []
    for b in sorted(boxes, key=lambda b: b.x0):
        for ch in reversed(chains):
            last = ch[-1]
            overlap = min(last.y1, b.y1) - max(last.y0, b.y0)
            h = max(last.height, b.height)
            if (overlap > 0.5 * min(last.height, b.height) and 0 <= b.x0 - last.x1 <= GAP * h + 0.5
                    and h <= HEIGHT_RATIO * min(last.height, b.height)):
                ch.append(b)
                break
        else:
            chains.append([b])
    return chains


def _clear(b: BBox, page: Page) -> bool:
    raw = page.raw
    assert raw is not None
    if any(b.contains_point((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2) for c in raw.chars if c.text.strip()):
        return False
    return not any(im.bbox.intersection_area(b) > 0.5 * b.area for im in raw.images)


def read_drawn_text(page: Page, ctx: StageContext) -> int:
    """Read text drawn as outlines into ``raw.lines`` (see the module docstring); returns how
    many lines were added."""
    raw = page.raw
    if raw is None or raw.render is None or not raw.drawn or page.ocr or ctx.opts.ocr is not OcrMode.AUTO:
        return 0
    band = MARGIN_BAND * page.height
    lines: list[BBox] = []
    for ch in _chains([b for b in raw.drawn if _clear(b, page)]):
        box = BBox.enclosing(ch)
        if box.y1 <= band or box.y0 >= page.height - band:
            continue  # a journal's logo or badge in the running head: furniture, not read
        if len(ch) >= MIN_GLYPHS or box.width >= WORD_ASPECT * box.height:
            lines.append(box)
    kept: list[BBox] = []
    for box in sorted(lines, key=lambda b: -b.area):  # a glyph's shadow or outline drawn twice: one line
        if not any(box.intersection_area(k) > 0.5 * box.area for k in kept):
            kept.append(box)
    lines = kept[:MAX_LINES]
    read = read_boxes(raw.render, lines, MIN_CONFIDENCE)
    added = 0
    for k, text in read.items():
        if sum(c.isalnum() for c in text) < 2:
            continue
        box = lines[k]
        raw.lines.append(TextLine(text=text, bbox=box, size=round(box.height / CAP_TO_SIZE, 1),
                                  confidence=MIN_CONFIDENCE, origin=Origin.OCR, word_boxes=[box]))
        added += 1
    if added:
        ctx.warnings.append(f"page {page.number}: {added} line(s) of text drawn as outlines read by OCR")
    return added
