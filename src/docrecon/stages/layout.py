"""Born-digital layout: characters -> line fragments -> regions (XY-cut) -> lines -> blocks.

``LineStage`` turns characters into line fragments (a fragment ends at a wide gap, so column
gutters and table gaps separate fragments). ``BlockStage`` orders fragments, pictures and blocks
found earlier (tables) into regions, rebuilds the lines of each region and splits them into
paragraphs, pictures become figure blocks with the text drawn inside them attached.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

from docrecon.geometry.fragments import is_rtl, page_fragments, region_lines, sideways_lines
from docrecon.geometry.text import field_value, join_lines, unspaced
from docrecon.model import BBox, Block, BlockType, Origin, Page, RawImage, TextLine
from docrecon.stages.base import StageContext
from docrecon.stages.reading_order import XYCut, by_number

BULLET_START = re.compile(
    r"^\s*([•◦▪▫●○■□►▶➢➤✓✔*·∙⁃]|[\-–—](?!\d)|\(?\d{1,3}[.)](?!\d)|\(?[a-zA-Z][.)]\s|\(?[ivxIVX]{1,4}[.)]|[①-⑳]|[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）)\s*"
)


class LineStage:
    name = "lines"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        raw = page.raw
        if raw is None or page.structured or not raw.chars:
            return
        raw.lines.extend(page_fragments(raw))
        if any(c.angle for c in raw.chars):
            level = list(raw.lines)
            raw.lines.extend(ln for ln in sideways_lines(raw.chars)
                             if not _margin_stamp(ln, page, level) and not _watermark(ln, level))
        raw.chars = []
        raw.fragments_of = None


#: sideways text this close to the left or right page edge (share of the width) is a margin
#: stamp (an arXiv identifier, a "Downloaded from" note), not body text
STAMP_EDGE = 0.08
#: ... unless upright text beside it, within this many of its type sizes, shares its height:
#: then it labels that text (a chart's axis title beside its tick labels, a table's row group)
LABEL_REACH = 3.0
#: ... when most of that text is short labels (a chart's ticks): beside lines of body text it
#: is a margin stamp still
MAX_TICK_LABEL = 16


def _watermark(ln: TextLine, upright: list[TextLine]) -> bool:
    """Slanted text drawn across upright lines ("DRAFT", "CONFIDENTIAL" over the body) is a
    watermark; slanted labels (a table's column heads) stand clear of other text."""
    a = ln.chars[0].angle % 90 if ln.chars else 0
    if min(a, 90 - a) <= 2:
        return False
    crossed = sum(1 for o in upright if ln.bbox.intersection_area(o.bbox) > 0.2 * max(o.bbox.area, 1.0))
    return crossed >= 2


def _margin_stamp(ln: TextLine, page: Page, upright: list[TextLine]) -> bool:
    edge = STAMP_EDGE * page.width
    if not (ln.bbox.x1 <= edge or ln.bbox.x0 >= page.width - edge):
        return False
    reach = LABEL_REACH * max(ln.size, 1.0)
    beside = [o for o in upright if o.bbox.y0 < ln.bbox.y1 and ln.bbox.y0 < o.bbox.y1
              and o.bbox.x0 - ln.bbox.x1 < reach and ln.bbox.x0 - o.bbox.x1 < reach]
    short = sum(1 for o in beside if len(o.text.strip()) <= MAX_TICK_LABEL)
    return not beside or short * 2 < len(beside)


@dataclass
class _Item:
    """Something the XY-cut orders: a text fragment, a picture or a ready block."""

    bbox: BBox
    line: TextLine | None = None
    image: RawImage | None = None
    block: Block | None = None
    #: text lines drawn inside a picture
    inside: list[TextLine] | None = None


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


LEADER = re.compile(r"^[\s.·…_\-–—=*•]{5,}$")
#: a table-of-contents entry: leader dots (or a long run of spaces' stand-ins) and a page number
TOC_ENTRY = re.compile(r"(?:\.\s?){3,}\s*\.?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*$|…{2,}\s*\d{1,4}\s*$", re.I)


def _drop_caps(lines: list[TextLine]) -> list[TextLine]:
    """Fold a drop capital (one huge letter) into the line it starts; drop leader-dot rows."""
    lines = [ln for ln in lines if not LEADER.match(ln.text)]
    if not lines:
        return lines
    body = statistics.median([ln.size for ln in lines])
    out = list(lines)
    for cap in [ln for ln in lines if len(ln.text) <= 2 and ln.text.isalpha() and ln.size > 2.2 * body]:
        right = [ln for ln in lines if ln is not cap and 0 <= ln.bbox.x0 - cap.bbox.x1 < cap.bbox.width * 1.5
                 and abs(ln.bbox.y0 - cap.bbox.y0) < body * 1.5]
        if right:
            first = min(right, key=lambda ln: ln.bbox.y0)
            first.text = cap.text + first.text
            first.bbox = first.bbox.union(BBox(cap.bbox.x1 - 0.1, first.bbox.y0, first.bbox.x1, first.bbox.y1))
            out.remove(cap)
    return out


def _starts_item(text: str) -> bool:
    return bool(BULLET_START.match(text))


#: a line that is a number and a full stop and nothing else ...
BARE_NUMBER = re.compile(r"^\s*\d{1,3}[.)]?\s*$")
#: ... after a line that ends inside a token, at a hyphen or dash
SPLIT_TOKEN = re.compile(r"\w[-–‐]$")


def _opens_item(prev: TextLine, ln: TextLine, lines: list[TextLine]) -> bool:
    """``ln`` opens a list item, unless its mark is a separator that the full line before it
    uses between words and wraps onto this one ("Keywords: Layout · Deep Learning ·" then
    "· Character Recognition"): a run of terms, not a list. Full means reaching the right edge
    of the lines that start where it starts (its text block, maybe narrower than the region).
    A bare number after a line broken at a hyphen or dash is the rest of that token."""
    if not _starts_item(ln.text):
        return False
    if BARE_NUMBER.match(ln.text) and SPLIT_TOKEN.search(prev.text.rstrip()):
        return False  # "Section 22–11–" then "33.": a reference wrapped at its dash, no item
    mark = ln.text.lstrip()[:1]
    before = prev.text.strip()
    if before.startswith(mark):  # an item of its own: its mark opens it, separates nothing
        before = before[1:]
    if mark not in SEPARATORS or f" {mark} " not in before:
        return True
    size = max(prev.size, 1.0)
    right = max(x.bbox.x1 for x in lines if abs(x.bbox.x0 - prev.bbox.x0) < size)
    return not (prev.bbox.x1 >= right - 2 * size and abs(ln.bbox.x0 - prev.bbox.x0) < 0.5 * size)


#: OCR reads a line's size from its ink, which varies by a quarter between lines of one font
#: (a tight detector box, a line without descenders): only a larger ratio is a size change
OCR_SIZE_RATIO = 1.35


def _size_change(prev: TextLine, ln: TextLine) -> bool:
    if Origin.OCR in (prev.origin, ln.origin):
        small, large = sorted((max(prev.size, 0.1), max(ln.size, 0.1)))
        return large / small > OCR_SIZE_RATIO
    return abs(prev.size - ln.size) > 0.9


#: a paragraph's only line this much shorter than the lines (share of their width) ...
LONE_SHORT = 0.5


def _lone_short_line(para: list[TextLine], ln: TextLine, right: float) -> bool:
    """A paragraph's only line so far, ending short (a heading or a label with no type change
    to tell it: OCR'd "Abstract") before a line that runs to the right edge, stands alone: a
    paragraph's first line is full unless it is the only one."""
    if len(para) != 1:
        return False
    prev = para[0]
    left = min(prev.bbox.x0, ln.bbox.x0)
    width = right - left
    size = max(prev.size, ln.size, 1.0)
    return (width > 10 * size and prev.bbox.x1 - left < LONE_SHORT * width
            and ln.bbox.x1 >= right - 2 * size and not _starts_item(prev.text))


def _centred_under(prev: TextLine, ln: TextLine) -> bool:
    """``ln`` is shorter than ``prev`` at both ends, centred under it (a title block or byline
    set centred): its wider left margin is no paragraph indent."""
    size = max(prev.size, ln.size, 1.0)
    return abs(ln.bbox.cx - prev.bbox.cx) < 0.5 * size and ln.bbox.x1 < prev.bbox.x1 - size


#: marks that also separate terms on one line
SEPARATORS = "·∙•▪|"




def _rtl(lines: list[TextLine]) -> bool:
    """Most letters of the region are right-to-left (Arabic, Hebrew)."""
    letters = [ch for ln in lines for ch in ln.text if ch.isalpha()]
    return sum(1 for ch in letters if is_rtl(ch)) * 2 > len(letters)


def split_paragraphs(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines of one region grouped into paragraphs. Right-to-left text is judged mirrored: its
    lines start at the right edge and stop short at the left."""
    if lines and _rtl(lines):
        mirror = max(ln.bbox.x1 for ln in lines) + min(ln.bbox.x0 for ln in lines)
        flipped = [replace(ln, bbox=BBox(mirror - ln.bbox.x1, ln.bbox.y0, mirror - ln.bbox.x0, ln.bbox.y1))
                   for ln in lines]
        back = {id(f): ln for f, ln in zip(flipped, lines, strict=True)}
        return [[back[id(f)] for f in para] for para in _split_paragraphs(flipped)]
    return _split_paragraphs(lines)


def _split_paragraphs(lines: list[TextLine]) -> list[list[TextLine]]:
    if not lines:
        return []
    gaps = [b.bbox.y0 - a.bbox.y1 for a, b in zip(lines, lines[1:], strict=False)]
    typical = statistics.median(gaps) if gaps else 0.0
    right = max(ln.bbox.x1 for ln in lines)
    paras: list[list[TextLine]] = [[lines[0]]]
    for prev, ln, gap in zip(lines, lines[1:], gaps, strict=False):
        size = max(prev.size, ln.size, 1.0)
        para = paras[-1]
        left = min(x.bbox.x0 for x in para)
        new = (
            gap > max(typical, 0.0) + 0.45 * size
            or gap > 1.2 * size
            or _size_change(prev, ln)
            or _lone_short_line(para, ln, right)
            or prev.bold != ln.bold and (len(prev.text) < 90 or len(ln.text) < 90)
            or prev.font != ln.font and (prev.bbox.x1 < right - 2 * size or _caps(prev.text)) and not _caps(ln.text)
            or _opens_item(prev, ln, lines)
            # fields on lines of their own stay apart
            or (field_value(prev.text) is not None and field_value(ln.text) is not None)
            or bool(TOC_ENTRY.search(prev.text))
            or is_mono(prev.font) != is_mono(ln.font)
            or (prev.bbox.x1 < right - 2.5 * size and prev.text.rstrip().endswith(tuple(".!?。！？:：")))
            # Chinese and Japanese wrap at any character: a line that stops short ends its
            # paragraph, unless it stops at a comma
            or (prev.bbox.x1 < right - 2.5 * size and unspaced(prev.text.rstrip()[-1:])
                and not prev.text.rstrip().endswith(tuple("，、；")))
            or (ln.bbox.x0 > left + 1.2 * size and prev.bbox.x1 > right - 2 * size and len(para) >= 1
                and not _starts_item(para[0].text) and ln.bbox.x0 - prev.bbox.x0 > 1.2 * size
                and not _centred_under(prev, ln))
            or ln.bbox.x1 < left or ln.bbox.x0 > prev.bbox.x1
        )
        if new:
            paras.append([ln])
        else:
            para.append(ln)
    return paras


MONO = re.compile(r"courier|mono|consola|menlo|typewriter|lettergothic|\bcode\b|inconsolata|sourcecodepro", re.I)


def is_mono(font: str) -> bool:
    return bool(MONO.search(font))


def _code_text(lines: list[TextLine]) -> str:
    """Code lines with their indentation rebuilt from x offsets."""
    left = min(ln.bbox.x0 for ln in lines)
    widths = [ln.bbox.width / len(ln.text) for ln in lines if ln.text]
    cw = statistics.median(widths) if widths else 6.0
    return "\n".join(" " * max(0, round((ln.bbox.x0 - left) / cw)) + ln.text for ln in lines)


def _paragraph_block(lines: list[TextLine], page: Page, idx: int) -> Block:
    n = sum(len(ln.text) for ln in lines)
    code = sum(len(ln.text) for ln in lines if is_mono(ln.font)) * 2 > n
    return Block(
        id=f"p{page.number}/b{idx}",
        type=BlockType.CODE if code else BlockType.PARAGRAPH,
        text=_code_text(lines) if code else join_lines([ln.text for ln in lines]),
        bbox=BBox.enclosing([ln.bbox for ln in lines]),
        origin=lines[0].origin,
        confidence=min(ln.confidence for ln in lines),
        font_size=statistics.median([ln.size for ln in lines]),
        font=Counter(ln.font for ln in lines).most_common(1)[0][0],
        bold=sum(len(ln.text) for ln in lines if ln.bold) * 2 > n,
        italic=sum(len(ln.text) for ln in lines if ln.italic) * 2 > n,
    )


#: a form label ("Billing contact:") is at most this long
LABEL_CHARS = 40


def _substantial(items: object) -> bool:
    """A column candidate holds text lines of some length, a picture or a table."""
    its = [it for it in items if isinstance(it, _Item)]  # type: ignore[attr-defined]
    if any(it.line is None for it in its):
        return True
    texts = [it.line.text.strip() for it in its if it.line is not None]
    if texts and all(t.endswith((":", "\uff1a")) and len(t) <= LABEL_CHARS for t in texts):
        return False  # a column of labels: the left half of a form, read row by row with its values
    lengths = sorted(len(t) for t in texts)
    return bool(lengths) and (lengths[len(lengths) // 2] >= 15 or lengths[-1] >= 40) and sum(lengths) >= 12


def _continues(a: TextLine, b: TextLine) -> bool:
    """``b`` is the next line of ``a``'s paragraph: same type size, right below it within a
    line's leading, overlapping it across."""
    size = max(a.size, 1.0)
    return (abs(a.size - b.size) < 0.6 and -0.4 * size <= b.bbox.y0 - a.bbox.y1 <= 0.7 * size
            and b.bbox.x0 < a.bbox.x1 and a.bbox.x0 < b.bbox.x1)


def _reattach(top: list[_Item], bottom: list[_Item], middle: list[_Item]) -> None:
    """Lines in the page's edge bands that carry on a paragraph of the body (its last line set
    low on the page, its first line high) belong to the body, not to the running lines."""
    body = [it for it in middle if it.line is not None]
    for it in sorted(bottom, key=lambda i: i.bbox.y0):
        assert it.line is not None
        if any(o.line is not None and _continues(o.line, it.line) for o in body):
            bottom.remove(it)
            middle.append(it)
            body.append(it)
    for it in sorted(top, key=lambda i: -i.bbox.y1):
        assert it.line is not None
        if any(o.line is not None and _continues(it.line, o.line) for o in body):
            top.remove(it)
            middle.append(it)
            body.append(it)


def _inside(line: BBox, picture: BBox) -> bool:
    tol = max(2.0, 0.25 * line.height)
    return (picture.x0 - tol <= line.x0 and line.x1 <= picture.x1 + tol
            and picture.y0 - tol <= line.cy <= picture.y1 + tol)


class BlockStage:
    name = "blocks"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        raw = page.raw
        if raw is None or page.structured:
            return
        items = self._items(page)
        if not items:
            page.blocks.extend(raw.blocks)
            return
        sizes = [it.line.size for it in items if it.line is not None] or [10.0]
        size = statistics.median(sizes)
        cutter = XYCut(page.width, min_gutter=max(0.55 * size, 4.0), min_col_width=0.12 * page.width,
                       substantial=_substantial)
        edge = 0.06 * page.height
        top = [it for it in items if it.line is not None and it.bbox.y1 <= edge]
        bottom = [it for it in items if it.line is not None and it.bbox.y0 >= page.height - edge]
        middle = [it for it in items if it not in top and it not in bottom]
        _reattach(top, bottom, middle)
        regions = [top] + by_number(cutter.order(middle), lambda it: it.line.text if it.line else None) + [bottom]
        blocks: list[Block] = []
        for k, region in enumerate(regions):
            frags = [it.line for it in region if it.line is not None]
            others = [it for it in region if it.line is None]
            made: list[Block] = []
            # page-edge lines (running headers) keep their separate fragments
            edge_region = k == 0 or k == len(regions) - 1
            lines = sorted(frags, key=lambda f: (f.bbox.y0, f.bbox.x0)) if edge_region else region_lines(frags)
            for para in ([[ln] for ln in lines] if edge_region else split_paragraphs(lines)):
                made.append(_paragraph_block(para, page, len(blocks) + len(made)))
            for it in others:
                made.append(it.block if it.block is not None else self._figure(it, page, len(blocks) + len(made)))
            made.sort(key=lambda b: (b.bbox.y0, b.bbox.x0))
            blocks.extend(made)
        page.blocks.extend(blocks)
        page.sequenced = True

    def _items(self, page: Page) -> list[_Item]:
        raw = page.raw
        assert raw is not None
        area = page.width * page.height
        text_chars = sum(len(ln.text) for ln in raw.lines)
        figures: list[tuple[RawImage, list[TextLine]]] = []
        for im in raw.images:
            if im.bbox.area > 0.7 * area and text_chars > 50:
                continue  # a page background (a scan under its text layer), not a figure
            figures.append((im, []))
        items: list[_Item] = [_Item(b.bbox, block=b) for b in raw.blocks]
        taken = [b.bbox for b in raw.blocks]
        for ln in _drop_caps(raw.lines):
            if any(t.contains_point(ln.bbox.cx, ln.bbox.cy, 1.0) for t in taken):
                continue
            # a label lies inside its picture; a line that runs over the picture's edge is text
            # set on a background (a cover photo), not part of it
            host = next((f for f in figures if _inside(ln.bbox, f[0].bbox)), None)
            if host is not None:
                host[1].append(ln)
                continue
            items.append(_Item(ln.bbox, line=ln))
        items.extend(_Item(im.bbox, image=im, inside=inside) for im, inside in figures)
        return items

    def _figure(self, it: _Item, page: Page, idx: int) -> Block:
        assert it.image is not None
        inside = it.inside or []
        text = "\n".join(ln.text for ln in region_lines(inside)) if inside else ""
        return Block(
            id=f"p{page.number}/fig{idx}", type=BlockType.FIGURE, text=text, bbox=it.bbox,
            image=it.image.stored(), origin=Origin.NATIVE,
        )
