"""Rows of a ruled table that the rules do not separate: a band between two rules (the body of
a table ruled only above and below, its columns perhaps ruled) holding several text lines that
line up across its cells is that many rows, split at the white space between the lines."""

from __future__ import annotations

import statistics

from docrecon.model import Char
from docrecon.tables.cells import assign_chars
from docrecon.tables.lattice import Grid, Slot

#: a band is split when it holds at least this many text lines ...
MIN_LINES = 3
#: ... and most of its cells (this share, and at least MIN_CELLS) have text on (nearly: FULL)
#: every one of them: one entry per line in every column
MIN_CELLS = 2
FULL_CELLS = 0.6
FULL = 0.7
#: a cell line longer than this (characters) is a line of prose, which wraps: no row of its own
MAX_LINE_CHARS = 48


def _upright(c: Char) -> bool:
    a = c.angle % 360
    return min(a, 360 - a) <= 2


def _lines(chars: list[Char]) -> list[tuple[float, float]]:
    """Vertical extents of the text lines of ``chars`` (upright characters only)."""
    spans = sorted(((c.y0, c.y1) for c in chars if c.text.strip() and c.y1 > c.y0), key=lambda s: (s[0] + s[1]) / 2)
    out: list[tuple[float, float]] = []
    for y0, y1 in spans:
        if out:
            a, b = out[-1]
            if (y0 + y1) / 2 < b - 0.25 * (b - a):  # its centre lies within the line above
                out[-1] = (min(a, y0), max(b, y1))
                continue
        out.append((y0, y1))
    return out


def _cuts(mine: list[int], per: list[list[Char]]) -> list[float]:
    """Where to split a band whose one-row slots are ``mine``: the middle of the gaps between
    its lines, when the lines line up across cells."""
    if len(mine) < MIN_CELLS or any(not _upright(c) for i in mine for c in per[i]):
        return []  # turned labels (a header row set sideways) are read whole
    lines = _lines([c for i in mine for c in per[i]])
    if len(lines) < MIN_LINES:
        return []
    height = statistics.median(b - a for a, b in lines)
    if any(b - a > 1.8 * height for a, b in lines):
        return []  # lines of different cells that do not line up merged into one tall line
    # characters of each cell on each line
    counts = {i: [sum(1 for c in per[i] if a - 0.5 < (c.y0 + c.y1) / 2 < b + 0.5) for a, b in lines] for i in mine}
    if any(n > MAX_LINE_CHARS for row in counts.values() for n in row):
        return []  # lines of prose: a paragraph wrapping in its box
    filled = [i for i in mine if per[i]]
    full = [i for i in filled if sum(1 for n in counts[i] if n) >= FULL * len(lines)]
    if len(full) < max(MIN_CELLS, FULL_CELLS * len(filled)):
        return []  # text wrapping inside some cells (beside one-line cells), not rows
    return [(b + a2) / 2 for (_, b), (a2, _) in zip(lines, lines[1:], strict=False) if a2 > b]


def split_bands(grid: Grid, chars: list[Char]) -> Grid:
    """``grid`` with each band of lined-up text lines split into one row per line."""
    per, _ = assign_chars(grid, chars)
    n_rows = len(grid.ys) - 1
    by_row: list[list[int]] = [[] for _ in range(n_rows)]
    for i, s in enumerate(grid.slots):
        if s.row_span == 1:
            by_row[s.row].append(i)
    extra = {r: _cuts(by_row[r], per) for r in range(n_rows)}
    if not any(extra.values()):
        return grid
    ys: list[float] = []
    start: list[int] = []
    for r in range(n_rows):
        start.append(len(ys))
        ys.append(grid.ys[r])
        ys.extend(extra[r])
    start.append(len(ys))
    ys.append(grid.ys[-1])
    slots: list[Slot] = []
    for s in grid.slots:
        a, b = start[s.row], start[s.row + s.row_span]
        if s.row_span == 1 and extra[s.row]:
            slots.extend(Slot(r, s.col, 1, s.col_span) for r in range(a, b))
        else:
            slots.append(Slot(a, s.col, b - a, s.col_span))
    return Grid(grid.xs, ys, slots)
