"""Text into grid cells: characters go to the slot under their centre, a spanning cell whose text
sits in separate columns is split back into cells, multi-line cell text is joined."""

from __future__ import annotations

import bisect
import re

from docrecon.geometry.fragments import chars_to_fragments, region_lines, sideways_lines
from docrecon.geometry.text import join_lines
from docrecon.model import BBox, Cell, Char, Table, TextLine
from docrecon.tables.lattice import Grid, Slot

STRADDLE = 0.3  # points a fragment must reach over a boundary to hold two slots together


#: dot leaders that run a row label out to its figures ("All ages . . . . . .")
LEADERS = re.compile(r"(?:\s?\.){4,}\s*$")


def cell_text(chars: list[Char]) -> str:
    """A cell's text: its horizontal lines, then any text set sideways (turned headers); dot
    leaders at its end are left out."""
    if not chars:
        return ""
    sideways = " ".join(ln.text for ln in sideways_lines(chars))
    text = join_lines([t for t in (lines_text(chars_to_fragments(chars)), sideways) if t])
    return LEADERS.sub("", text) if "." in text else text


def lines_text(frags: list[TextLine]) -> str:
    return join_lines([ln.text for ln in region_lines(frags)]) if frags else ""


def _slot_index(grid: Grid) -> list[list[int]]:
    owner = [[-1] * (len(grid.xs) - 1) for _ in range(len(grid.ys) - 1)]
    for i, s in enumerate(grid.slots):
        for r in range(s.row, s.row + s.row_span):
            for c in range(s.col, s.col + s.col_span):
                owner[r][c] = i
    return owner


def assign_chars(grid: Grid, chars: list[Char]) -> tuple[list[list[Char]], list[bool]]:
    """Chars per grid slot; ``used[i]`` tells whether ``chars[i]`` fell inside the grid."""
    owner = _slot_index(grid)
    per: list[list[Char]] = [[] for _ in grid.slots]
    used = [False] * len(chars)
    box = grid.bbox
    for i, ch in enumerate(chars):
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.y0 + ch.y1) / 2
        if not box.contains_point(cx, cy):
            continue
        r = min(max(bisect.bisect_right(grid.ys, cy) - 1, 0), len(grid.ys) - 2)
        c = min(max(bisect.bisect_right(grid.xs, cx) - 1, 0), len(grid.xs) - 2)
        if owner[r][c] < 0:
            continue
        used[i] = True
        per[owner[r][c]].append(ch)
    return per, used


#: a boundary in a gap between two words of a fragment this wide (in type sizes, more than a
#: word space) does not hold them together: "Product Code   Location" over two columns
WORD_GAP = 0.5


def _crosses(f: TextLine, x: float) -> bool:
    """Fragment ``f`` reaches over boundary ``x``: across a word, or a word space."""
    if not (f.bbox.x0 < x - STRADDLE and f.bbox.x1 > x + STRADDLE):
        return False
    words = sorted(f.word_boxes, key=lambda w: w.x0)
    size = max(f.size, 1.0)
    for a, b in zip(words, words[1:], strict=False):
        if a.x1 <= x <= b.x0 and b.x0 - a.x1 >= WORD_GAP * size:
            return False
    return True


def _groups(slot: Slot, grid: Grid, frags: list[TextLine]) -> list[tuple[int, int, bool]]:
    """Column runs (first, last, has text) of a spanning slot, joined where text crosses."""
    runs: list[tuple[int, int, bool]] = []
    first = slot.col
    for c in range(slot.col, slot.col + slot.col_span):
        x_next = grid.xs[c + 1]
        last_col = c == slot.col + slot.col_span - 1
        crossed = not last_col and any(_crosses(f, x_next) for f in frags)
        if not crossed:
            has = any(f.bbox.x1 > grid.xs[first] and f.bbox.x0 < x_next for f in frags)
            runs.append((first, c, has))
            first = c + 1
    return runs


def split_slot(slot: Slot, grid: Grid, chars: list[Char]) -> list[tuple[Slot, list[Char]]]:
    """A spanning slot whose text stands in two or more separate column runs is not a merged
    cell but a row without vertical rules: split it along the runs."""
    if slot.col_span < 2 or not chars:
        return [(slot, chars)]
    frags = chars_to_fragments(chars)
    runs = _groups(slot, grid, frags)
    if sum(1 for r in runs if r[2]) < 2:
        return [(slot, chars)]
    out: list[tuple[Slot, list[Char]]] = []
    for a, b, _ in runs:
        x0, x1 = grid.xs[a], grid.xs[b + 1]
        mine = [ch for ch in chars if x0 <= (ch.x0 + ch.x1) / 2 < x1]
        out.append((Slot(slot.row, a, slot.row_span, b - a + 1), mine))
    return out


def grid_table(grid: Grid, per: list[list[Char]]) -> Table:
    cells: list[Cell] = []
    for slot, chars in zip(grid.slots, per, strict=True):
        for part, mine in split_slot(slot, grid, chars):
            cells.append(Cell(part.row, part.col, cell_text(mine), part.row_span, part.col_span))
    return finish_table(len(grid.ys) - 1, len(grid.xs) - 1, cells)


def finish_table(n_rows: int, n_cols: int, cells: list[Cell]) -> Table:
    """Drop rows and columns no cell starts in (left over by spans), mark the header rows."""
    rows = sorted({c.row for c in cells})
    cols = sorted({c.col for c in cells})
    rmap = {r: i for i, r in enumerate(rows)}
    cmap = {c: i for i, c in enumerate(cols)}
    out: list[Cell] = []
    for c in cells:
        r_end = bisect.bisect_left(rows, c.row + c.row_span)
        c_end = bisect.bisect_left(cols, c.col + c.col_span)
        r0, c0 = rmap[c.row], cmap[c.col]
        out.append(Cell(r0, c0, c.text, max(1, r_end - r0), max(1, c_end - c0)))
    out.sort(key=lambda c: (c.row, c.col))
    head = max((c.row_span for c in out if c.row == 0), default=1)
    for c in out:
        c.header = c.row + c.row_span <= head
    return Table(len(rows), len(cols), out)


def bbox_of(chars: list[Char]) -> BBox:
    return BBox(min(c.x0 for c in chars), min(c.y0 for c in chars), max(c.x1 for c in chars), max(c.y1 for c in chars))
