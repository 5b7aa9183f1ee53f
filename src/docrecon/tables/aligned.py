"""Tables with neither rules nor shading, aligned by white space only.

A run of consecutive, closely set text rows whose pieces (line fragments: a fragment ends at a
wide gap) line up in three or more columns over at least three rows (or fill four or more
columns piece for piece in a header and one row) is a table when its cells are short (labels
and figures, not prose). Columns are the union of the body rows' fragment
extents, as for rule-anchored tables; the first row is the header.
"""

from __future__ import annotations

import statistics
from dataclasses import replace

from docrecon.model import BBox, RawImage, TextLine
from docrecon.tables.borderless import (
    Borderless,
    Row,
    _plausible,
    _rich_rows,
    boundaries,
    build_table,
    columns,
    text_rows,
)

MIN_ROWS = 3
MIN_COLS = 3
#: a header and a single row make a table when they fill this many columns, piece for piece
#: (a booking summary: "Start Date  End Date  # Shows ..." over one row of values)
MIN_COLS_TWO_ROWS = 4
#: the cells of a white-space table are short: labels and figures
MAX_MEDIAN_CELL = 20
#: and none is longer than this: a longer piece is a line of prose (a column of text)
MAX_CELL = 36
#: rows of a table follow each other closer than this many text heights
ROW_GAP = 1.2


def _close(a: Row, b: Row) -> bool:
    height = max(a.y1 - a.y0, b.y1 - b.y0, 1.0)
    return b.y0 - a.y1 <= ROW_GAP * height


def _tabular(r: Row) -> bool:
    """Two or more pieces, none of them a run of prose."""
    return len(r.frags) >= 2 and all(len(f.text) <= MAX_CELL for f in r.frags)


def _continuation(prev: Row, r: Row) -> bool:
    """A one-piece row set right under a cell of the row above (not under its first cell): the
    second line of that cell ("(Runtime: 142 min)" under a film's title)."""
    if len(r.frags) != 1 or len(prev.frags) < 2 or not _close(prev, r):
        return False
    x = r.frags[0].bbox.x0
    return any(abs(f.bbox.x0 - x) <= 2.0 for f in prev.frags[1:])


def _runs(rows: list[Row]) -> list[list[Row]]:
    """Maximal runs of close rows that hold two or more short pieces each (with the second lines
    of their cells)."""
    runs: list[list[Row]] = []
    cur: list[Row] = []
    for r in rows:
        if _tabular(r) and (not cur or _close(cur[-1], r)) or cur and _continuation(cur[-1], r):
            cur.append(r)
            continue
        if len(cur) >= 2:
            runs.append(cur)
        cur = [r] if _tabular(r) else []
    if len(cur) >= 2:
        runs.append(cur)
    return runs


def _merge_continuations(run: list[Row], cols: list[tuple[float, float]]) -> list[Row]:
    """Each continuation row folded into the row above, its piece kept to the column it starts
    in (a long second line must not spread the cell over its neighbours)."""
    out: list[Row] = []
    for r in run:
        if out and len(r.frags) == 1 and len(out[-1].frags) >= 2:
            f = r.frags[0]
            end = next((b for a, b in cols if a - 2.0 <= f.bbox.x0 <= b), f.bbox.x1)
            clipped = replace(f, bbox=BBox(f.bbox.x0, f.bbox.y0, min(f.bbox.x1, end), f.bbox.y1))
            prev = out[-1]
            out[-1] = Row([*prev.frags, clipped], prev.y0, r.y1)
        else:
            out.append(r)
    return out


def _complete_pair(run: list[Row], cols: list[tuple[float, float]]) -> bool:
    """Two rows that each put one piece in every one of four or more columns."""
    return len(cols) >= MIN_COLS_TWO_ROWS and all(len(r.frags) == len(cols) for r in run)


def _aligned(run: list[Row], cols: list[tuple[float, float]]) -> bool:
    """The pieces of the body rows each stand in one column (a ragged run of short lines gives
    pieces that straddle the merged extents), and the header row reaches most columns."""
    def hits(f: TextLine) -> int:
        return sum(1 for a, b in cols if f.bbox.x1 > a and f.bbox.x0 < b)

    body = [f for r in run[1:] for f in r.frags]
    clean = sum(1 for f in body if hits(f) == 1)
    head = sum(1 for a, b in cols if any(f.bbox.x1 > a and f.bbox.x0 < b for f in run[0].frags))
    return clean >= 0.9 * len(body) and head >= len(cols) - 1


def aligned_tables(frags: list[TextLine], images: list[RawImage], width: float) -> list[Borderless]:
    """White-space tables among ``frags`` (text inside pictures is left alone: chart labels)."""
    free = [f for f in frags if not any(im.bbox.contains_point(f.bbox.cx, f.bbox.cy, 1.0) for im in images)]
    if sum(1 for r in text_rows(free) if len(r.frags) >= MIN_COLS) < MIN_ROWS - 1:
        return []  # the common case: no row has three pieces
    out: list[Borderless] = []
    for run in _runs(text_rows(free)):
        cols = columns(run, run[0].y1)
        if len(cols) < MIN_COLS or not _aligned(run, cols):
            continue
        if len(run) < MIN_ROWS and not _complete_pair(run, cols):
            continue
        lens = [len(f.text) for r in run for f in r.frags]
        x0, x1 = min(a for a, _ in cols), max(b for _, b in cols)
        if statistics.median(lens) > MAX_MEDIAN_CELL or not _plausible(run, cols, x1 - x0):
            continue
        table = build_table(_merge_continuations(run, cols), cols, [], run[0].y1)
        if not _rich_rows(table):
            continue
        chars = [c for r in run for f in r.frags for c in f.chars]
        box = BBox(x0, run[0].y0, x1, run[-1].y1)
        if box.width < 0.25 * width:
            continue
        out.append(Borderless(table, box, chars, boundaries(cols)))
    return out
