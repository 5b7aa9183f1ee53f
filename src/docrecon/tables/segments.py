"""Ruling segments: merged collinear pieces and their connected groups (candidate table grids).

Input are the page's axis-aligned rules (vector strokes and rectangle edges, top-left origin).
A horizontal segment is kept as ``(y, x0, x1)``, a vertical one as ``(x, y0, y1)``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from docrecon.model import BBox, Rule

SNAP = 1.5  # points: rules closer than this across their direction are the same line
JOIN = 2.0  # points: collinear pieces with a gap up to this are joined
TOUCH = 2.5  # points: a horizontal and a vertical segment within this distance intersect
MIN_LEN = 3.0


@dataclass(slots=True)
class Seg:
    pos: float  # y of a horizontal segment, x of a vertical one
    a: float  # start along the segment
    b: float  # end along the segment


@dataclass(slots=True)
class Ruling:
    """A connected group of horizontal and vertical segments."""

    h: list[Seg] = field(default_factory=list)
    v: list[Seg] = field(default_factory=list)

    @property
    def bbox(self) -> BBox:
        xs = [s.a for s in self.h] + [s.b for s in self.h] + [s.pos for s in self.v]
        ys = [s.pos for s in self.h] + [s.a for s in self.v] + [s.b for s in self.v]
        return BBox(min(xs), min(ys), max(xs), max(ys))


def merge_segments(segs: list[Seg]) -> list[Seg]:
    """Snap segments to shared positions and join collinear overlapping pieces."""
    out: list[Seg] = []
    segs = sorted(segs, key=lambda s: s.pos)
    band: list[Seg] = []
    for s in segs:
        if band and s.pos - band[0].pos > SNAP:
            out.extend(_join(band))
            band = []
        band.append(s)
    if band:
        out.extend(_join(band))
    return [s for s in out if s.b - s.a >= MIN_LEN]


def _join(band: list[Seg]) -> list[Seg]:
    pos = sum(s.pos for s in band) / len(band)
    pieces = sorted(band, key=lambda s: s.a)
    joined: list[Seg] = []
    cur = Seg(pos, pieces[0].a, pieces[0].b)
    for s in pieces[1:]:
        if s.a <= cur.b + JOIN:
            cur.b = max(cur.b, s.b)
        else:
            joined.append(cur)
            cur = Seg(pos, s.a, s.b)
    joined.append(cur)
    return joined


def split_rules(rules: list[Rule]) -> tuple[list[Seg], list[Seg]]:
    h = [Seg(r.y0, r.x0, r.x1) for r in rules if r.horizontal]
    v = [Seg(r.x0, r.y0, r.y1) for r in rules if not r.horizontal]
    return merge_segments(h), merge_segments(v)


def _touches(h: Seg, v: Seg) -> bool:
    return h.a - TOUCH <= v.pos <= h.b + TOUCH and v.a - TOUCH <= h.pos <= v.b + TOUCH


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def connected_rulings(h: list[Seg], v: list[Seg]) -> list[Ruling]:
    """Groups of segments that cross or touch each other; each holds at least one of each kind."""
    n = len(h)
    parent = list(range(n + len(v)))
    vs = sorted(range(len(v)), key=lambda j: v[j].pos)
    vpos = [v[j].pos for j in vs]
    for i, hs in enumerate(h):
        lo = bisect.bisect_left(vpos, hs.a - TOUCH)
        hi = bisect.bisect_right(vpos, hs.b + TOUCH)
        for k in range(lo, hi):
            j = vs[k]
            if _touches(hs, v[j]):
                ra, rb = _find(parent, i), _find(parent, n + j)
                if ra != rb:
                    parent[ra] = rb
    groups: dict[int, Ruling] = {}
    for i, hs in enumerate(h):
        groups.setdefault(_find(parent, i), Ruling()).h.append(hs)
    for j, vseg in enumerate(v):
        groups.setdefault(_find(parent, n + j), Ruling()).v.append(vseg)
    return [g for g in groups.values() if g.h and g.v]


def attach_loose_rules(ruling: Ruling, loose: list[Seg], gap: float) -> None:
    """Partly ruled tables: horizontal rules as wide as the grid, stacked right below or above it
    (rows separated only by horizontal lines), join the grid."""
    box = ruling.bbox
    tol = max(4.0, 0.03 * box.width)
    cands = sorted(
        (s for s in loose if abs(s.a - box.x0) <= tol and abs(s.b - box.x1) <= tol),
        key=lambda s: s.pos,
    )
    top, bottom = box.y0, box.y1
    for s in cands:
        if bottom < s.pos <= bottom + gap:
            ruling.h.append(s)
            bottom = s.pos
    for s in reversed(cands):
        if top - gap <= s.pos < top:
            ruling.h.append(s)
            top = s.pos
