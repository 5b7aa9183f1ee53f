"""Page geometry shared by the layout stages and the table finders: characters -> line
fragments (a fragment ends at a wide gap, so column gutters and table gaps separate fragments)
-> full lines of a region. Right-to-left runs are put back into logical order; text set
sideways is turned upright in its own frame.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from docrecon.geometry.text import unspaced
from docrecon.model import BBox, Char, RawPage, TextLine

FRAGMENT_GAP = 0.9  # x gap, in font sizes, that ends a line fragment
SPACE_GAP = 0.18  # x gap, in font sizes, read as a space between Latin characters
#: on a line whose letters touch (the usual case: boxes are glyph advances) a narrower gap is a
#: word space: tick labels and tight table cells are set 0.12-0.17 font sizes apart
TIGHT_SPACE_GAP = 0.11
#: a character this many times larger (or smaller) than its neighbour starts a fragment of its
#: own: a drop capital is not part of the first line's first word
SIZE_JUMP = 2.2
def _size(c: Char) -> float:
    h = c.y1 - c.y0
    if c.size <= 0.5 or (h > 0 and not 0.55 < c.size / h < 1.8):
        return max(h / 1.15, 1.0)
    return c.size


def _overlap_ratio(a0: float, a1: float, b0: float, b1: float) -> float:
    inter = min(a1, b1) - max(a0, b0)
    denom = min(a1 - a0, b1 - b0)
    return inter / denom if denom > 0 else 0.0


def _needs_space(prev: Char, cur: Char, gap: float, size: float, pending: bool, space_gap: float = SPACE_GAP) -> bool:
    before, after = prev.text[-1:], cur.text[:1]
    # below U+2E80 no script is written unspaced: the common case skips the look-ups
    if (before >= "\u2e80" or after >= "\u2e80") and (unspaced(before) or unspaced(after)):
        return pending and not (unspaced(before) and unspaced(after)) or gap > 0.8 * size
    return pending or gap > space_gap * size


def space_gap(chars: list[Char], size: float) -> float:
    """The gap (in font sizes) that reads as a word space on this fragment: SPACE_GAP, or less
    when its letters sit tight (the lower quartile of neighbour gaps is near zero), since a word
    space is then whatever stands clearly apart from the letter spacing."""
    gaps = sorted(b.x0 - a.x1 for a, b in zip(chars, chars[1:], strict=False) if -0.5 * size < b.x0 - a.x1 < 0.5 * size)
    if len(gaps) < 6 or size <= 0:
        return SPACE_GAP
    base = max(0.0, gaps[len(gaps) // 4]) / size  # the letter spacing: most gaps are inside words
    return min(SPACE_GAP, max(TIGHT_SPACE_GAP, base + 0.09))


@dataclass
class _Frag:
    chars: list[Char]
    spaces: list[bool]  # spaces[i]: a space precedes chars[i]
    y0: float
    y1: float
    x1: float
    x0: float = 0.0
    rtl: bool = False
    sizes: list[float] = field(default_factory=list)  # _size of each of chars

    def line(self) -> TextLine:
        size = statistics.median(self.sizes or [_size(c) for c in self.chars])
        if self.rtl:
            self.chars.sort(key=lambda c: c.x0)
            self.spaces = [False] * len(self.chars)
        parts: list[str] = []
        words: list[BBox] = []
        wstart = self.chars[0]
        gap_limit = SPACE_GAP if self.rtl else space_gap(self.chars, size)
        for i, c in enumerate(self.chars):
            if i:
                prev = self.chars[i - 1]
                if _needs_space(prev, c, c.x0 - prev.x1, size, self.spaces[i], gap_limit):
                    parts.append(" ")
                    words.append(BBox(wstart.x0, self.y0, prev.x1, self.y1))
                    wstart = c
            parts.append(c.text)
        words.append(BBox(wstart.x0, self.y0, self.chars[-1].x1, self.y1))
        n = len(self.chars)
        font = Counter(c.font for c in self.chars).most_common(1)[0][0]
        box = BBox(self.x0, self.y0, self.x1, self.y1)
        text = "".join(parts).strip()
        if self.rtl:
            text = visual_to_logical(unicodedata.normalize("NFKC", text))
        return TextLine(
            text=text, bbox=box, size=round(size, 1),
            bold=sum(c.bold for c in self.chars) * 2 > n, italic=sum(c.italic for c in self.chars) * 2 > n,
            font=font, chars=self.chars, word_boxes=words,
        )


def is_rtl(ch: str) -> bool:
    o = ord(ch[0]) if ch else 0
    return 0x0590 <= o <= 0x08FF or 0xFB1D <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


_LTR_RUN = re.compile(r"[A-Za-z0-9À-ɏ][A-Za-z0-9À-ɏ.,:%/+\-_ ]*[A-Za-z0-9À-ɏ%]|[A-Za-z0-9À-ɏ]")


def visual_to_logical(visual: str) -> str:
    """A right-to-left line read off the page left to right, put back in logical order:
    reversed, with embedded left-to-right runs (Latin words, numbers) turned back."""
    rev = visual[::-1]
    return _LTR_RUN.sub(lambda m: m.group(0)[::-1], rev)


def chars_to_fragments(chars: list[Char]) -> list[TextLine]:
    frags: list[_Frag] = []
    cur: _Frag | None = None
    pending = False
    last_size = 0.0
    for c in chars:
        if c.angle not in (0, 360) and c.angle % 360 > 2 and c.angle % 360 < 358:
            continue
        if c.text == " ":
            # a space glyph hidden inside the previous glyph (after a ligature) is not a word break
            if cur is None or cur.rtl or c.x1 > cur.chars[-1].x1 + 0.5:
                pending = True
            continue
        size = _size(c)
        if cur is not None:
            same_line = _overlap_ratio(cur.y0, cur.y1, c.y0, c.y1) > 0.5
            gap = c.x0 - cur.x1
            last = cur.chars[-1]
            rtl = cur.rtl or is_rtl(c.text)
            lim = FRAGMENT_GAP * size
            # a drop capital: judged on the type sizes when both are known (glyph boxes of
            # tight-box fonts make a lowercase "o" look half the size of an "O")
            if c.size > 0.5 and last.size > 0.5:
                jump = max(c.size, last.size) > SIZE_JUMP * min(c.size, last.size)
            else:
                jump = max(size, last_size) > SIZE_JUMP * min(size, last_size)
            if rtl:
                joins = same_line and not jump and cur.x0 - lim <= c.x1 and c.x0 <= cur.x1 + lim
            else:
                joins = same_line and not jump and c.x0 >= last.x0 - 0.5 * size and gap <= lim
            if joins:
                cur.chars.append(c)
                cur.spaces.append(pending)
                cur.sizes.append(size)
                if c.y0 < cur.y0:
                    cur.y0 = c.y0
                if c.y1 > cur.y1:
                    cur.y1 = c.y1
                if c.x0 < cur.x0:
                    cur.x0 = c.x0
                if c.x1 > cur.x1:
                    cur.x1 = c.x1
                cur.rtl = rtl
                pending = False
                last_size = size
                continue
            frags.append(cur)
        cur = _Frag([c], [False], c.y0, c.y1, c.x1, c.x0, is_rtl(c.text), [size])
        pending = False
        last_size = size
    if cur is not None:
        frags.append(cur)
    return [ln for ln in (f.line() for f in frags) if ln.text]


def page_fragments(raw: RawPage) -> list[TextLine]:
    """The line fragments of the page's current ``chars``, built once per chars list (a stage
    that takes chars out assigns a new list, which builds them anew)."""
    cached = raw.fragments_of
    if cached is not None and cached[0] is raw.chars:
        return cached[1]
    frags = chars_to_fragments(raw.chars)
    raw.fragments_of = (raw.chars, frags)
    return frags


def _turned_upright(c: Char) -> Char | None:
    """A character of text set at an angle (sideways, or slanted like the column labels of a
    results table), moved into a frame where its line reads left to right; None for upright and
    upside-down text."""
    a = c.angle % 360
    if abs(a - 90) <= 2:  # reads bottom to top; the next line is to its right
        return replace(c, x0=-c.y1, x1=-c.y0, y0=c.x0, y1=c.x1, baseline=c.x1, angle=0)
    if abs(a - 270) <= 2:  # reads top to bottom; the next line is to its left
        return replace(c, x0=c.y0, x1=c.y1, y0=-c.x1, y1=-c.x0, baseline=-c.x0, angle=0)
    if min(a, 360 - a) <= 2 or abs(a - 180) <= 2:
        return None
    # any other angle: the box centre projected on the reading direction and its normal; the
    # glyph's advance from its (axis-aligned) box, given its height is the type size
    t = math.radians(a)
    cos, sin = math.cos(t), math.sin(t)
    cx, cy = (c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2
    u, v = cx * cos - cy * sin, cx * sin + cy * cos
    size = c.size or max(c.x1 - c.x0, c.y1 - c.y0)
    if abs(cos) >= abs(sin):
        width = (c.x1 - c.x0 - size * abs(sin)) / abs(cos)
    else:
        width = (c.y1 - c.y0 - size * abs(cos)) / abs(sin)
    half = max(0.15 * size, width / 2)
    return replace(c, x0=u - half, x1=u + half, y0=v - size / 2, y1=v + size / 2, baseline=v + 0.3 * size, angle=0)


def sideways_lines(chars: list[Char]) -> list[TextLine]:
    """Lines of text set sideways (column headers turned by 90 degrees), in reading order, each
    with its box on the page. ``chars_to_fragments`` leaves them out."""
    turned = [(u, c) for c in chars if (u := _turned_upright(c)) is not None]
    if not turned:
        return []
    page_char = {id(u): c for u, c in turned}
    lines = chars_to_fragments([u for u, _ in turned])
    lines.sort(key=lambda ln: (round(ln.bbox.y0), ln.bbox.x0))
    for ln in lines:
        ln.chars = [page_char[id(u)] for u in ln.chars]
        ln.bbox = BBox(min(c.x0 for c in ln.chars), min(c.y0 for c in ln.chars),
                       max(c.x1 for c in ln.chars), max(c.y1 for c in ln.chars))
        ln.word_boxes = [ln.bbox]
    return lines


def _merge_row(frags: list[TextLine]) -> TextLine:
    rtl = sum(1 for f in frags for ch in f.text if is_rtl(ch)) > sum(len(f.text) for f in frags) / 3
    frags = sorted(frags, key=lambda f: -f.bbox.x1 if rtl else f.bbox.x0)
    text = frags[0].text
    for prev, f in zip(frags, frags[1:], strict=False):
        sep = "" if unspaced(prev.text[-1:]) and unspaced(f.text[:1]) else " "
        text += sep + f.text
    n = sum(len(f.text) for f in frags)
    return TextLine(
        text=text, bbox=BBox.enclosing([f.bbox for f in frags]),
        size=max(frags, key=lambda f: len(f.text)).size,
        bold=sum(len(f.text) for f in frags if f.bold) * 2 > n,
        italic=sum(len(f.text) for f in frags if f.italic) * 2 > n,
        font=frags[0].font, confidence=min(f.confidence for f in frags), origin=frags[0].origin,
        word_boxes=[w for f in frags for w in f.word_boxes],
    )


def region_lines(frags: list[TextLine]) -> list[TextLine]:
    """Fragments of one region regrouped into full lines, top to bottom."""
    rows: list[list[TextLine]] = []
    for f in sorted(frags, key=lambda f: (f.bbox.cy, f.bbox.x0)):
        if rows:
            last = rows[-1]
            y0 = min(x.bbox.y0 for x in last)
            y1 = max(x.bbox.y1 for x in last)
            if _overlap_ratio(y0, y1, f.bbox.y0, f.bbox.y1) > 0.5:
                last.append(f)
                continue
        rows.append([f])
    return [_merge_row(r) for r in rows]
