"""A spreadsheet sheet as a grid of displayed cell texts, split into tables.

Shared by the XLSX (openpyxl) and XLS (xlrd) readers. Empty rows and columns are trimmed;
blocks of cells separated by fully empty rows or columns become separate tables; merged
ranges become spans.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from docrecon.model import BlockType, Cell, Table
from docrecon.readers.office_build import PageBuilder

#: (first row, first col, last row, last col), 0-based and inclusive
Range = tuple[int, int, int, int]


@dataclass
class SheetGrid:
    name: str
    values: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[Range] = field(default_factory=list)
    #: rows beyond the limit were left out
    truncated: bool = False
    total_rows: int = 0

    def occupied(self) -> dict[int, set[int]]:
        rows: dict[int, set[int]] = {}
        for r, c in self.values:
            rows.setdefault(r, set()).add(c)
        # merges reach no further than the cells that exist (a merge over the whole sheet
        # must not allocate it)
        last_r = max((r for r, _ in self.values), default=-1)
        last_c = max((c for _, c in self.values), default=-1)
        self.merges = [(r0, c0, min(r1, max(r0, last_r)), min(c1, max(c0, last_c)))
                       for r0, c0, r1, c1 in self.merges]
        for r0, c0, r1, c1 in self.merges:
            if (r0, c0) in self.values:
                for r in range(r0, r1 + 1):
                    rows.setdefault(r, set()).update(range(c0, c1 + 1))
        return rows


def _runs(cols: set[int]) -> list[tuple[int, int]]:
    """Consecutive runs of column indexes as (first, last)."""
    runs: list[tuple[int, int]] = []
    for c in sorted(cols):
        if runs and c == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


def split_regions(rows: dict[int, set[int]]) -> list[Range]:
    """Bounding boxes of 4-connected groups of occupied cells (row runs joined when they touch
    a run of the row above); overlapping boxes are merged."""
    parent: list[int] = []
    boxes: list[list[int]] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    prev_row: int = -2
    prev_runs: list[tuple[int, int, int]] = []
    for r in sorted(rows):
        runs: list[tuple[int, int, int]] = []
        for a, b in _runs(rows[r]):
            idx = len(parent)
            parent.append(idx)
            boxes.append([r, a, r, b])
            if r == prev_row + 1:
                for pa, pb, pidx in prev_runs:
                    if pa <= b and a <= pb:
                        parent[find(pidx)] = find(idx)
            runs.append((a, b, idx))
        prev_row, prev_runs = r, runs
    merged: dict[int, list[int]] = {}
    for i, box in enumerate(boxes):
        root = find(i)
        m = merged.setdefault(root, list(box))
        m[:] = [min(m[0], box[0]), min(m[1], box[1]), max(m[2], box[2]), max(m[3], box[3])]
    return sorted(_merge_boxes([(m[0], m[1], m[2], m[3]) for m in merged.values()]))


def _overlap(a: Range, b: Range) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _merge_boxes(boxes: list[Range]) -> list[Range]:
    changed = True
    while changed:
        changed = False
        out: list[Range] = []
        for box in boxes:
            for i, other in enumerate(out):
                if _overlap(box, other):
                    out[i] = (min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]),
                              max(box[3], other[3]))
                    changed = True
                    break
            else:
                out.append(box)
        boxes = out
    return boxes


def region_table(grid: SheetGrid, region: Range) -> Table:
    r0, c0, r1, c1 = region
    spans = {(m[0], m[1]): m for m in grid.merges if r0 <= m[0] <= r1 and c0 <= m[1] <= c1}
    covered: set[tuple[int, int]] = set()
    for m0, n0, m1, n1 in spans.values():
        covered.update((r, c) for r in range(m0, m1 + 1) for c in range(n0, n1 + 1) if (r, c) != (m0, n0))
    cells: list[Cell] = []
    for r in range(r0, r1 + 1):
        for c in range(c0, c1 + 1):
            if (r, c) in covered:
                continue
            text = grid.values.get((r, c), "")
            merge = spans.get((r, c))
            rs = min(merge[2], r1) - r + 1 if merge and text else 1
            cs = min(merge[3], c1) - c + 1 if merge and text else 1
            if merge and not text:  # an empty merged range: plain empty cells
                covered.difference_update(
                    (rr, cc) for rr in range(r, merge[2] + 1) for cc in range(c, merge[3] + 1)
                )
            cells.append(Cell(r - r0, c - c0, text, rs, cs, header=r == r0))
    return Table(r1 - r0 + 1, c1 - c0 + 1, cells)


def _table_emitter(grid: SheetGrid, region: Range) -> Callable[[PageBuilder], None]:
    def emit(page: PageBuilder) -> None:
        page.add_table(region_table(grid, region))

    return emit


#: something placed on the sheet (a chart, a picture) at a row, written by the callback
Placed = tuple[int, Callable[[PageBuilder], None]]


def sheet_blocks(grid: SheetGrid, page: PageBuilder, limit: int, placed: Sequence[Placed] = ()) -> None:
    """A heading with the sheet name, then tables and placed objects from top to bottom, then
    the truncation notice."""
    page.add(BlockType.HEADING, grid.name, level=1)
    items: list[tuple[int, int, Callable[[PageBuilder], None]]] = []
    for region in split_regions(grid.occupied()):
        items.append((region[0], 0, _table_emitter(grid, region)))
    items += [(row, 1, emit) for row, emit in placed]
    for _, _, emit in sorted(items, key=lambda t: (t[0], t[1])):
        emit(page)
    if grid.truncated:
        page.add(
            BlockType.PARAGRAPH,
            f"[Truncated: sheet \u201c{grid.name}\u201d has {grid.total_rows} rows; "
            f"only the first {limit} are shown.]",
        )
