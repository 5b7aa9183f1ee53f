"""A ruled grid from one connected group of rules: row and column boundaries, and cells as
rectangles of grid slots (a missing rule between two slots merges them into a spanning cell)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docrecon.model import BBox
from docrecon.tables.segments import Ruling, Seg

ALIGN = 3.0  # points: boundaries closer than this are one boundary
MIN_BAND = 4.0  # points: thinner rows/columns (double rules) are folded into a neighbour
COVER = 0.5  # share of a slot side a rule must cover to separate two slots


@dataclass(slots=True)
class Slot:
    """A cell of the grid in slot coordinates (before text is put in)."""

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass(slots=True)
class Grid:
    xs: list[float]
    ys: list[float]
    slots: list[Slot]

    @property
    def bbox(self) -> BBox:
        r0 = min(s.row for s in self.slots)
        r1 = max(s.row + s.row_span for s in self.slots)
        return BBox(self.xs[0], self.ys[r0], self.xs[-1], self.ys[r1])

    def box(self, s: Slot) -> BBox:
        return BBox(self.xs[s.col], self.ys[s.row], self.xs[s.col + s.col_span], self.ys[s.row + s.row_span])


def boundaries(values: list[float], lo: float, hi: float) -> list[float]:
    """Cluster positions into boundaries from lo to hi; bands thinner than MIN_BAND are folded."""
    pts = sorted([lo, hi, *[v for v in values if lo - ALIGN <= v <= hi + ALIGN]])
    clusters: list[list[float]] = []
    for p in pts:
        if clusters and p - clusters[-1][-1] <= ALIGN:
            clusters[-1].append(p)
        else:
            clusters.append([p])
    out = [sum(c) / len(c) for c in clusters]
    out[0], out[-1] = lo, hi
    kept = [out[0]]
    for p in out[1:]:
        if p - kept[-1] < MIN_BAND:
            if p == out[-1]:
                kept[-1] = p
            continue
        kept.append(p)
    return kept


def _covered(segs: list[Seg], pos: float, a: float, b: float) -> bool:
    """Do the segments at ``pos`` cover at least COVER of the span a..b?"""
    need = COVER * (b - a)
    got = 0.0
    for s in segs:
        if abs(s.pos - pos) <= ALIGN:
            got += max(0.0, min(s.b, b) - max(s.a, a))
            if got >= need:
                return True
    return False


class _Seps:
    """Which neighbouring slots a rule separates."""

    def __init__(self, ruling: Ruling, xs: list[float], ys: list[float]) -> None:
        self.xs, self.ys = xs, ys
        self.v = {c: _near(ruling.v, x) for c, x in enumerate(xs)}
        self.h = {r: _near(ruling.h, y) for r, y in enumerate(ys)}
        self._vc: dict[tuple[int, int], bool] = {}
        self._hc: dict[tuple[int, int], bool] = {}

    def vsep(self, r: int, c: int) -> bool:
        """A rule on boundary column ``c`` between slots (r, c-1) and (r, c)."""
        key = (r, c)
        if key not in self._vc:
            self._vc[key] = _covered(self.v[c], self.xs[c], self.ys[r], self.ys[r + 1])
        return self._vc[key]

    def hsep(self, r: int, c: int) -> bool:
        """A rule on boundary row ``r`` between slots (r-1, c) and (r, c)."""
        key = (r, c)
        if key not in self._hc:
            self._hc[key] = _covered(self.h[r], self.ys[r], self.xs[c], self.xs[c + 1])
        return self._hc[key]


def _near(segs: list[Seg], pos: float) -> list[Seg]:
    return [s for s in segs if abs(s.pos - pos) <= ALIGN]


def ruling_bounds(ruling: Ruling) -> tuple[list[float], list[float]]:
    box = ruling.bbox
    return boundaries([s.pos for s in ruling.v], box.x0, box.x1), boundaries([s.pos for s in ruling.h], box.y0, box.y1)


def _weight(segs: list[Seg], pos: float) -> float:
    return sum(s.b - s.a for s in segs if abs(s.pos - pos) <= ALIGN)


def prune_slivers(
    bounds: list[float], segs: list[Seg], empty: Callable[[float, float], bool], width: float
) -> list[float]:
    """Fold bands narrower than ``width`` with no text in them (edges of inset cell shading,
    frame margins) into a neighbour, dropping the weaker of their two boundaries."""
    out = list(bounds)
    i = 0
    while i < len(out) - 1 and len(out) > 2:
        a, b = out[i], out[i + 1]
        if b - a >= width or not empty(a, b):
            i += 1
            continue
        if i == 0:
            del out[1]
        elif i + 1 == len(out) - 1:
            del out[i]
        elif _weight(segs, a) < _weight(segs, b):
            del out[i]
        else:
            del out[i + 1]
    return out


def build_grid(ruling: Ruling, xs: list[float], ys: list[float]) -> Grid | None:
    """Slots of the grid with boundaries ``xs``/``ys``; neighbouring slots with no rule between
    them merge into a spanning cell."""
    if len(xs) < 2 or len(ys) < 2:
        return None
    seps = _Seps(ruling, xs, ys)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    taken = [[False] * n_cols for _ in range(n_rows)]
    slots: list[Slot] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if taken[r][c]:
                continue
            c2 = c
            while c2 + 1 < n_cols and not taken[r][c2 + 1] and not seps.vsep(r, c2 + 1):
                c2 += 1
            r2 = r
            while r2 + 1 < n_rows and _can_grow_down(seps, taken, r2 + 1, c, c2):
                r2 += 1
            for rr in range(r, r2 + 1):
                for cc in range(c, c2 + 1):
                    taken[rr][cc] = True
            slots.append(Slot(r, c, r2 - r + 1, c2 - c + 1))
    return Grid(xs, ys, slots)


def _can_grow_down(seps: _Seps, taken: list[list[bool]], r: int, c: int, c2: int) -> bool:
    if any(taken[r][k] or seps.hsep(r, k) for k in range(c, c2 + 1)):
        return False
    return not any(seps.vsep(r, k) for k in range(c + 1, c2 + 1))


def split_side_by_side(grid: Grid) -> list[Grid]:
    """Two tables drawn in one frame (no cell crosses a column boundary, and the rows on its two
    sides do not line up) become two grids."""
    n_cols = len(grid.xs) - 1
    for c in range(1, n_cols):
        if any(s.col < c < s.col + s.col_span for s in grid.slots):
            continue
        left = [s for s in grid.slots if s.col < c]
        right = [s for s in grid.slots if s.col >= c]
        lr, rr = {s.row for s in left}, {s.row for s in right}
        if min(len(lr), len(rr)) < 2 or len(lr & rr) >= 0.75 * len(lr | rr):
            continue
        moved = [Slot(s.row, s.col - c, s.row_span, s.col_span) for s in right]
        return [Grid(grid.xs[: c + 1], grid.ys, left), *split_side_by_side(Grid(grid.xs[c:], grid.ys, moved))]
    return [grid]
