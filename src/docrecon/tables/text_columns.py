"""Columns of a ruled table that the rules do not separate: a column between two rules (or a
table ruled under every row and nowhere between its columns) whose text stands in separate runs
down its rows, with a wide white gap between them in (nearly) every row, is that many columns.
The new boundaries carry no rule, so the cells across them are spanning slots; ``cells.
split_slot`` splits each where its text sits on both sides, and a label over both stays one."""

from __future__ import annotations

import bisect
import math

from docrecon.model import BBox

#: a white gap down the rows this wide (in type sizes) separates two columns ...
MIN_GAP = 1.5
#: ... when words cross it in at most this share of the rows with words in the column
CROSSING = 0.15
#: ... and words stand on each side of it in at least this share of them (and two rows): a
#: sparse column (a status set on a few rows) still counts
SIDE_ROWS = 0.2
#: fewest rows with words in the column for it to be split
MIN_ROWS = 3


def _rows(ys: list[float], words: list[BBox]) -> list[list[BBox]]:
    rows: list[list[BBox]] = [[] for _ in range(len(ys) - 1)]
    for w in words:
        r = bisect.bisect_right(ys, w.cy) - 1
        if 0 <= r < len(rows):
            rows[r].append(w)
    return rows


def _gaps(a: float, b: float, rows: list[list[BBox]], size: float) -> list[float]:
    """Boundaries inside the column (a, b): middles of the wide white runs."""
    inside = [[w for w in r if w.x0 >= a - 1 and w.x1 <= b + 1] for r in rows]
    inside = [r for r in inside if r]
    if len(inside) < MIN_ROWS:
        return []
    start, n = math.floor(a), math.ceil(b) - math.floor(a)
    if n <= 0:
        return []
    cover = [0] * n
    for r in inside:
        hit = [False] * n
        for w in r:
            for x in range(max(0, math.floor(w.x0) - start), min(n, math.ceil(w.x1) - start)):
                hit[x] = True
        for x in range(n):
            cover[x] += hit[x]
    limit = CROSSING * len(inside)
    out: list[float] = []
    x = 0
    while x < n:
        if cover[x] > limit:
            x += 1
            continue
        run = x
        while x < n and cover[x] <= limit:
            x += 1
        lo, hi = start + run, start + x
        if hi - lo < MIN_GAP * size or lo <= a + 1 or hi >= b - 1:
            continue  # narrow, or the column's own margin
        left = sum(1 for r in inside if any(w.x1 <= lo + 1 for w in r))
        right = sum(1 for r in inside if any(w.x0 >= hi - 1 for w in r))
        if min(left, right) >= max(2, SIDE_ROWS * len(inside)):
            out.append(start + _clearest(cover, run, x))
    return out


def _clearest(cover: list[int], lo: int, hi: int) -> float:
    """The middle of the longest stretch of ``cover[lo:hi]`` that the fewest rows cross (a wide
    header label reaching into the gap moves the boundary past it)."""
    least = min(cover[lo:hi])
    best, best_len, x = lo, 0, lo
    while x < hi:
        if cover[x] != least:
            x += 1
            continue
        run = x
        while x < hi and cover[x] == least:
            x += 1
        if x - run > best_len:
            best, best_len = run, x - run
    return best + best_len / 2


def text_columns(xs: list[float], ys: list[float], words: list[BBox], size: float) -> list[float]:
    """``xs`` with a boundary added in every white gap that runs down a column's rows."""
    if len(ys) < 2 or size <= 0:
        return xs
    rows = _rows(ys, words)
    out: list[float] = [xs[0]]
    for a, b in zip(xs, xs[1:], strict=False):
        out.extend(_gaps(a, b, rows, size))
        out.append(b)
    return out
