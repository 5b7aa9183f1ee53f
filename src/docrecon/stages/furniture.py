"""Running headers, footers and page numbers: relabelled as furniture, never deleted.

A block in the top or bottom margin band is furniture when its text (digits masked) repeats
on enough pages at about the same height, or when it is a bare page number. A page's outermost
short line that opens or closes with a number is a running line with its page number, repeated
or not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from docrecon.model import Block, BlockType, Document, Layer, Page
from docrecon.stages.base import StageContext

BAND = 0.08  # fraction of the page height at top and bottom
#: a repeated running text this long is a note (kept once), not a running head or foot
LONG_RUNNING = 100
#: ... and so is one that opens with a footnote mark or a "Note"/"Source" label
NOTE = re.compile(r"^\s*(?:[*†‡§¶^#]|note[s]?\b|source[s]?\b|注|资料来源)", re.I)
#: "Page", "Pagina", "Página", "Pág.", "Seite", "S.", "Strona", "Стр.", "Sayfa", "Sivu", "Side", "Sida"
PAGE_WORD = (r"(?:page|pagina|página|pág\.?|pag\.?|seite|s\.|strona|str\.|стр\.?|страница|sayfa|sivu|side|sida"
             r"|blad|oldal)")
#: "of", "di", "de", "von", "sur", "z", "из", "/"
OF_WORD = r"(?:/|of|di|de|von|sur|z|из|van|av|af)"
PAGE_NUMBER = re.compile(
    rf"^\s*(?:{PAGE_WORD}\s*)?[-–—(\[]?\s*\d{{1,4}}\s*[-–—)\]]?\s*(?:{OF_WORD}\s*\d{{1,4}})?\s*$"
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
    one_line = _one_line(b)
    at_edge = b.bbox.y1 <= page.height * EDGE or b.bbox.y0 >= page.height * (1 - EDGE)
    if one_line and at_edge and (body <= 0 or b.font_size <= body + 0.5):
        return True
    return one_line and len(b.text) < 120 and bool(MARGIN_WORDS.search(b.text)) and b.font_size <= body


#: the outermost strip of the page (share of its height), where printed content does not go:
#: a line there with margin vocabulary is a stamp added on download or print
STAMP_EDGE = 0.025


def _stamp(b: Block, page: Page) -> bool:
    """A "Downloaded from <url> on <date>" or copyright line in the outermost strip: furniture
    even when a running head sits right against it (no white space sets it apart)."""
    one_line = _one_line(b)
    outer = b.bbox.y1 <= page.height * STAMP_EDGE or b.bbox.y0 >= page.height * (1 - STAMP_EDGE)
    return one_line and outer and len(b.text) < 200 and bool(MARGIN_WORDS.search(b.text))


def _isolated(b: Block, page: Page, band: str) -> bool:
    """A running line is set apart from the body by white space (at least half a line)."""
    gaps = [
        (o.bbox.y0 - b.bbox.y1) if band == "top" else (b.bbox.y0 - o.bbox.y1)
        for o in page.blocks
        if o is not b and (o.bbox.y0 >= b.bbox.y1 - 1 if band == "top" else o.bbox.y1 <= b.bbox.y0 + 1)
    ]
    return not gaps or min(gaps) >= 0.5 * max(b.bbox.height, 1.0)


_NUMBER = re.compile(r"^[-+(]?[\d.,%]+[)%]?$")


def _data_row(text: str) -> bool:
    """A row of three or more numbers and nothing else: a chart's tick labels or a table row,
    not a running line."""
    tokens = text.split()
    return len(tokens) >= 3 and all(_NUMBER.match(t) for t in tokens)


def _outer_blocks(page: Page) -> dict[int, str]:
    """The page's highest and lowest blocks (by ``id``: "top", "bottom") when white space of a
    line and a half sets each apart from all the others."""
    blocks = page.blocks
    if len(blocks) < 2:
        return {}
    out: dict[int, str] = {}
    top = min(blocks, key=lambda b: b.bbox.y0)
    if top.font_size > 0 and all(o.bbox.y0 >= top.bbox.y1 + 1.5 * top.font_size for o in blocks if o is not top):
        out[id(top)] = "top"
    low = max(blocks, key=lambda b: b.bbox.y1)
    if low.font_size > 0 and all(o.bbox.y1 <= low.bbox.y0 - 1.5 * low.font_size for o in blocks if o is not low):
        out[id(low)] = "bottom"
    return out


def _one_line(b: Block) -> bool:
    """A block no taller than a line (and a bit) of its type."""
    return b.font_size > 0 and b.bbox.height < 2.5 * b.font_size


def _outer_number(b: Block, outer: dict[int, str]) -> str | None:
    """A bare page number that is the lowest (or highest) block of a page whose content does
    not reach the margin bands (a page printed smaller than its sheet): set apart by white
    space, it is in the band of the content, not of the sheet."""
    return outer.get(id(b)) if PAGE_NUMBER.match(b.text) else None


#: a running head or foot that carries the page number: "2 Z. Shen et al.", "Methods in Brief 17"
NUMBERED_RUNNING = re.compile(r"^\d{1,4}\s+\S(?:.*\S)?$|^\S(?:.*\S)?\s+\d{1,4}$")
MAX_RUNNING_WORDS = 12


def _numbered_running(b: Block, outer: dict[int, str], body: float) -> str | None:
    """One short line of body size or smaller in a regular weight, opening or closing with a
    number, that is the page's outermost block (set apart by a line and a half): a running head
    or foot with its page number, even on a page no other page repeats (the first page of a
    paper has none; a one-page excerpt has no other page)."""
    if id(b) not in outer:
        return None
    text = " ".join(b.text.split())
    one_line = _one_line(b) and "\n" not in b.text.strip()
    if not one_line or b.bold or b.type is not BlockType.PARAGRAPH or not NUMBERED_RUNNING.match(text):
        return None
    words = text.split()
    if len(words) > MAX_RUNNING_WORDS or not any(ch.isalpha() for ch in text) or _data_row(text):
        return None
    if body > 0 and b.font_size > body + 0.5:
        return None
    return outer[id(b)]


def _candidates(page: Page, outer: dict[int, str]) -> list[tuple[Block, str]]:
    out = []
    text_blocks = [b for b in page.blocks if b.type in (BlockType.PARAGRAPH, BlockType.HEADING, BlockType.TITLE)]
    for b in text_blocks:
        band = _band(b, page) or _outer_number(b, outer)
        if band and len(b.text) <= 200 and not _data_row(b.text):
            out.append((b, band))
    numbers = Counter(band for b, band in out if PAGE_NUMBER.match(b.text))
    # three or more bare numbers in one margin band are a chart's axis labels, not page numbers
    return [(b, band) for b, band in out if numbers[band] < 3 or not PAGE_NUMBER.match(b.text)]


def _outer_candidates(
    page: Page, listed: list[tuple[Block, str]], outer: dict[int, str]
) -> list[tuple[Block, str]]:
    """One-line blocks outside the margin bands that are the page's outermost, set apart by
    white space (a running head printed lower than the band on a page with wide margins):
    furniture only when they repeat."""
    taken = {id(b) for b, _ in listed}
    return [(b, outer[id(b)]) for b in page.blocks
            if id(b) in outer and id(b) not in taken and b.type in (BlockType.PARAGRAPH, BlockType.HEADING)
            and len(b.text) <= 200 and _one_line(b) and "\n" not in b.text.strip() and not _data_row(b.text)]


def _beyond(b: Block, page: Page, band: str, marked: set[int]) -> bool:
    """Body content lies between ``b`` and the page edge: ``b`` is not the outermost line."""
    return any(
        id(o) not in marked and o.layer is Layer.BODY and o is not b
        and (o.bbox.cy <= b.bbox.y0 if band == "top" else o.bbox.cy >= b.bbox.y1)
        for o in page.blocks
    )


class FurnitureStage:
    name = "furniture"
    block_types = (BlockType.PARAGRAPH,)

    def __call__(self, doc: Document, ctx: StageContext) -> None:
        pages = [p for p in doc.pages if not p.failed and not p.structured]
        if not pages:
            return
        seen: dict[tuple[str, str], set[int]] = defaultdict(set)
        outer = {p.number: _outer_blocks(p) for p in pages}
        cands = {p.number: _candidates(p, outer[p.number]) for p in pages}
        outside = {p.number: _outer_candidates(p, cands[p.number], outer[p.number]) for p in pages}
        exact: dict[tuple[str, str], set[int]] = defaultdict(set)
        for p in pages:
            for b, band in cands[p.number] + outside[p.number]:
                seen[(band, _key(b.text))].add(p.number)
                exact[(band, " ".join(b.text.split()))].add(p.number)
        need = max(2, int(len(pages) * 0.4 + 0.5)) if len(pages) >= 2 else 10**9
        sizes = sorted(b.font_size for p in pages for b in p.blocks if b.font_size > 0)
        body = sizes[len(sizes) // 2] if sizes else 0.0
        for p in pages:
            marks: list[tuple[Block, BlockType]] = []
            ends = outer[p.number]
            edge_only: list[tuple[Block, str]] = []
            for b, band in cands[p.number]:
                kind = BlockType.PAGE_HEADER if band == "top" else BlockType.PAGE_FOOTER
                if PAGE_NUMBER.match(b.text):
                    marks.append((b, BlockType.PAGE_NUMBER))
                elif len(exact[(band, " ".join(b.text.split()))]) >= need or (
                    len(seen[(band, _key(b.text))]) >= need and b.font_size <= body + 0.5 and _isolated(b, p, band)
                ):
                    # a long note repeated at every page's foot (a disclaimer, the footnotes of
                    # a rate sheet) is content once: its first occurrence stays body
                    note = len(b.text) >= LONG_RUNNING or bool(NOTE.match(b.text))
                    if not note or p.number != min(seen[(band, _key(b.text))]):
                        marks.append((b, kind))
                elif _stamp(b, p):
                    marks.append((b, kind))
                elif _edge_line(b, p, body) and _isolated(b, p, band) or _numbered_running(b, ends, body) == band:
                    marks.append((b, kind))
                    edge_only.append((b, band))
            for b, band in outside[p.number]:  # repeated above (below) the body, out of the band
                repeated = len(exact[(band, " ".join(b.text.split()))]) >= need or (
                    len(seen[(band, _key(b.text))]) >= need and b.font_size <= body + 0.5)
                if repeated and len(b.text) < LONG_RUNNING and not NOTE.match(b.text):
                    marks.append((b, BlockType.PAGE_HEADER if band == "top" else BlockType.PAGE_FOOTER))
            listed = {id(b) for b, _ in cands[p.number]}
            for b in p.blocks:
                side = None if id(b) in listed else _numbered_running(b, ends, body)
                if side is not None:
                    marks.append((b, BlockType.PAGE_HEADER if side == "top" else BlockType.PAGE_FOOTER))
                    edge_only.append((b, side))
            marked = {id(b) for b, _ in marks}
            # a line taken for furniture only by its place is body text when body text lies
            # further out (an axis title above the axis labels at the foot of a chart)
            keep = {id(b) for b, band in edge_only if _beyond(b, p, band, marked)}
            if not any(b.layer is Layer.BODY and id(b) not in marked for b in p.blocks):
                keep.update(id(b) for b, _ in edge_only)  # a page's only text is its body
            for b, kind in marks:
                if id(b) not in keep:
                    self._mark(b, kind)

    @staticmethod
    def _mark(b: Block, kind: BlockType) -> None:
        b.type = kind
        b.layer = Layer.FURNITURE
