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


#: more glyph-sized shapes than this on a page make it a drawing (a scatter plot, a map), not
#: outlined text: it is not looked at, which also bounds the work on such pages
MAX_DRAWN = 3000
#: grid cell (pt) of the indexes below
CELL = 8.0


def _cells(b: BBox) -> list[tuple[int, int]]:
    return [(i, j) for i in range(int(b.x0 // CELL), int(b.x1 // CELL) + 1)
            for j in range(int(b.y0 // CELL), int(b.y1 // CELL) + 1)]


def _chains(boxes: list[BBox]) -> list[list[BBox]]:
    """Boxes chained left to right into lines. Open chains are indexed by the grid rows their
    last box spans, so each box only meets the chains on its own band."""
    chains: list[list[BBox]] = []
    by_row: dict[int, list[int]] = {}
    for b in sorted(boxes, key=lambda b: b.x0):
        rows = range(int(b.y0 // CELL), int(b.y1 // CELL) + 1)
        near = sorted({k for r in rows for k in by_row.get(r, ())}, reverse=True)
        for k in near:
            last = chains[k][-1]
            overlap = min(last.y1, b.y1) - max(last.y0, b.y0)
            h = max(last.height, b.height)
            if (overlap > 0.5 * min(last.height, b.height) and 0 <= b.x0 - last.x1 <= GAP * h + 0.5
                    and h <= HEIGHT_RATIO * min(last.height, b.height)):
                chains[k].append(b)
                break
        else:
            k = len(chains)
            chains.append([b])
        for r in rows:
            by_row.setdefault(r, []).append(k)
    return chains


def _clear_boxes(page: Page) -> list[BBox]:
    """The drawn boxes clear of the text layer (no character centre inside) and of pictures."""
    raw = page.raw
    assert raw is not None
    typed: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for c in raw.chars:
        if c.text.strip():
            cx, cy = (c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2
            typed.setdefault((int(cx // CELL), int(cy // CELL)), []).append((cx, cy))
    out = []
    for b in raw.drawn:
        if any(b.contains_point(x, y) for cell in _cells(b) for x, y in typed.get(cell, ())):
            continue
        if not any(im.bbox.intersection_area(b) > 0.5 * b.area for im in raw.images):
            out.append(b)
    return out


def read_drawn_text(page: Page, ctx: StageContext) -> int:
    """Read text drawn as outlines into ``raw.lines`` (see the module docstring); returns how
    many lines were added."""
    raw = page.raw
    if raw is None or raw.render is None or not raw.drawn or page.ocr or ctx.opts.ocr is not OcrMode.AUTO:
        return 0
    if len(raw.drawn) > MAX_DRAWN:
        return 0
    band = MARGIN_BAND * page.height
    lines: list[BBox] = []
    for ch in _chains(_clear_boxes(page)):
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
