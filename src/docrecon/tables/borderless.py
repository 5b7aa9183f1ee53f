"""Tables without vertical rules: horizontal rules (booktabs, header underlines) or shaded row
bands anchor a region; columns come from the gaps shared by the text rows inside it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from docrecon.model import BBox, Cell, Char, Table, TextLine
from docrecon.tables.cells import finish_table, lines_text
from docrecon.tables.segments import Seg

EDGE = 4.0  # points: rules whose ends are this close have the same extent
MIN_RULE = 60.0  # points: shorter horizontal rules are underlines, not table rules
LONG_FRAG = 0.55  # a fragment wider than this share of the region is prose, not a cell


@dataclass(slots=True)
class Row:
    frags: list[TextLine]
    y0: float
    y1: float


@dataclass(slots=True)
class Anchor:
    """Horizontal rules of one extent: a table's top, header and bottom rules, or row bands."""

    x0: float
    x1: float
    ys: list[float]


@dataclass(slots=True)
class Borderless:
    table: Table
    bbox: BBox
    chars: list[Char]
    #: column boundaries (left edge, the middles of the gaps, right edge)
    xs: list[float] = field(default_factory=list)


def boundaries(cols: list[tuple[float, float]]) -> list[float]:
    """Column boundaries from column extents: the outer edges and the middles of the gaps."""
    if not cols:
        return []
    return [cols[0][0], *((a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:], strict=False)), cols[-1][1]]


def text_rows(frags: list[TextLine]) -> list[Row]:
    rows: list[Row] = []
    for f in sorted(frags, key=lambda f: (f.bbox.cy, f.bbox.x0)):
        if rows:
            last = rows[-1]
            inter = min(last.y1, f.bbox.y1) - max(last.y0, f.bbox.y0)
            if inter > 0.5 * min(last.y1 - last.y0, f.bbox.height):
                last.frags.append(f)
                last.y0, last.y1 = min(last.y0, f.bbox.y0), max(last.y1, f.bbox.y1)
                continue
        rows.append(Row([f], f.bbox.y0, f.bbox.y1))
    for r in rows:
        r.frags.sort(key=lambda f: f.bbox.x0)
    return rows


def anchors(h: list[Seg]) -> list[Anchor]:
    """Horizontal rules grouped by extent; a group of two or more anchors a table."""
    groups: list[Anchor] = []
    for s in sorted(h, key=lambda s: s.pos):
        if s.b - s.a < MIN_RULE:
            continue
        for g in groups:
            if abs(g.x0 - s.a) <= EDGE and abs(g.x1 - s.b) <= EDGE:
                g.ys.append(s.pos)
                break
        else:
            groups.append(Anchor(s.a, s.b, [s.pos]))
    return [g for g in groups if len(g.ys) >= 2]


def _inside(row: Row, x0: float, x1: float, tol: float) -> list[TextLine]:
    return [f for f in row.frags if f.bbox.x0 >= x0 - tol and f.bbox.x1 <= x1 + tol]


def region_rows(rows: list[Row], a: Anchor, size: float) -> tuple[list[Row], float]:
    """Text rows of an anchored table: a header row right above the first rule, then rows down
    to the last rule (and on while they stay tabular and close, when only two rules open the
    table). Returns the rows and where the
    region ended (rules below it anchor another table)."""
    tol = 0.5 * size
    width = a.x1 - a.x0
    top, bottom = a.ys[0], a.ys[-1]
    picked: list[Row] = []
    above = [r for r in rows if (r.y0 + r.y1) / 2 < top and top - r.y1 < 1.5 * size]
    if above and len(above[-1].frags) >= 2 and _inside(above[-1], a.x0, a.x1, tol) == above[-1].frags:
        picked.append(above[-1])
    last_y = top
    # three or more rules: the last one closes the table (a rule under the header only leaves
    # the table open below it)
    closed = len(a.ys) >= 3
    for r in rows:
        if (r.y0 + r.y1) / 2 < top:
            continue
        mine = _inside(r, a.x0, a.x1, tol)
        if not mine:
            if r.y0 > bottom:
                break
            continue
        if r.y0 - last_y > 2.5 * size or (r.y0 > bottom and (_prose(mine, width) or closed)):
            break
        if r.y0 > bottom and not _under_columns(mine, picked):
            break  # a row below the rules that does not keep to the columns above (a footer)
        picked.append(Row(mine, r.y0, r.y1))
        last_y = r.y1
    return picked, last_y


def _under_columns(frags: list[TextLine], rows: list[Row]) -> bool:
    """Every piece of a row overlaps a piece of some row above."""
    above = [f.bbox for r in rows for f in r.frags]
    return all(any(f.bbox.x0 < b.x1 and b.x0 < f.bbox.x1 for b in above) for f in frags)


def _prose(frags: list[TextLine], width: float) -> bool:
    return len(frags) == 1 and frags[0].bbox.width > LONG_FRAG * width


def columns(rows: list[Row], head_end: float | None = None) -> list[tuple[float, float]]:
    """Column extents: the union of the fragment extents of body rows with two or more
    fragments. Header rows (above ``head_end``, else the first multi-fragment row) are left out:
    their spanning labels would merge columns."""
    multi = [r for r in rows if len(r.frags) >= 2]
    body = [r for r in multi if head_end is None or r.y0 > head_end]
    if head_end is None or len(body) < 2:
        body = multi[1:] if len(multi) >= 3 else multi
    spans = sorted((f.bbox.x0, f.bbox.x1) for r in body for f in r.frags)
    cols: list[tuple[float, float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 1.0:
            cols[-1] = (cols[-1][0], max(cols[-1][1], b))
        else:
            cols.append((a, b))
    return cols


def _col_range(f: TextLine, cols: list[tuple[float, float]], head: bool) -> tuple[int, int]:
    hit = [i for i, (a, b) in enumerate(cols) if f.bbox.x1 > a and f.bbox.x0 < b]
    if hit:
        return hit[0], hit[-1]
    right = next((i for i, (a, _) in enumerate(cols) if a >= f.bbox.x1), len(cols))
    if head and 0 < right < len(cols):  # a header label centred over the gap: spans both sides
        return right - 1, right
    i = min(range(len(cols)), key=lambda k: min(abs(f.bbox.cx - cols[k][0]), abs(f.bbox.cx - cols[k][1])))
    return i, i


def build_table(rows: list[Row], cols: list[tuple[float, float]], bands: list[float], head_end: float) -> Table:
    """Cells from fragments; rows between two band rules (when rules separate every row) are
    one table row with multi-line cells."""
    groups: list[list[Row]] = []
    for r in rows:
        if groups and bands and not any(groups[-1][-1].y1 < y < r.y0 + 1 for y in bands):
            groups[-1].append(r)
        else:
            groups.append([r])
    cells: list[Cell] = []
    for ri, grp in enumerate(groups):
        slots: dict[tuple[int, int], list[TextLine]] = {}
        for r in grp:
            for f in r.frags:
                slots.setdefault(_col_range(f, cols, r.y1 <= head_end), []).append(f)
        taken: set[int] = set()
        for (c0, c1), frags in sorted(slots.items()):
            if any(c in taken for c in range(c0, c1 + 1)):
                c0 = c1 = next((c for c in range(c0, c1 + 1) if c not in taken), c0)
            taken.update(range(c0, c1 + 1))
            cells.append(Cell(ri, c0, lines_text(frags), 1, c1 - c0 + 1))
        for c in range(len(cols)):
            if c not in taken:
                cells.append(Cell(ri, c))
    return finish_table(len(groups), len(cols), cells)


def _plausible(rows: list[Row], cols: list[tuple[float, float]], width: float) -> bool:
    multi = [r for r in rows if len(r.frags) >= 2]
    if len(cols) < 2 or len(multi) < 2 or len(multi) < 0.4 * len(rows):
        return False
    lens = [len(f.text) for r in rows for f in r.frags]
    long_rows = sum(1 for r in rows if any(f.bbox.width > 0.4 * width for f in r.frags))
    return statistics.median(lens) <= 30 and long_rows <= 0.2 * len(rows)


def _head_end(ys: list[float], rows: list[Row]) -> float | None:
    """The rule under the header (booktabs' mid rule): the first rule with rows on both sides
    and at most a third of the rows above it."""
    for y in ys:
        above = sum(1 for r in rows if r.y1 <= y)
        if 0 < above <= max(1, len(rows) // 3) and above < len(rows):
            return y
    return None


def _rich_rows(table: Table) -> bool:
    """At least two rows, and 40% of the rows, have two or more filled cells."""
    per: dict[int, int] = {}
    for c in table.cells:
        if c.text:
            per[c.row] = per.get(c.row, 0) + 1
    rich = sum(1 for n in per.values() if n >= 2)
    return rich >= 2 and rich >= 0.4 * table.n_rows


def _dense(ys: list[float], rows: list[Row]) -> list[float]:
    """Rules that separate (nearly) every row: row bands; sparse rules are only returned empty."""
    inside = [y for y in ys if rows[0].y0 - 1 <= y <= rows[-1].y1 + 1]
    return inside if len(inside) >= max(4, 0.6 * len(rows)) else []


def anchored_tables(frags: list[TextLine], h: list[Seg], size: float) -> list[Borderless]:
    """Tables anchored by horizontal rules of one extent; ``frags`` are the page's line
    fragments (their ``chars`` are what a table takes)."""
    groups = anchors(h)
    if not groups or not frags:
        return []
    rows = text_rows(frags)
    out: list[Borderless] = []
    used: set[int] = set()
    for a in groups:
        ys = a.ys
        while len(ys) >= 2:
            sub = Anchor(a.x0, a.x1, ys)
            picked, end = region_rows(rows, sub, size)
            ys = [y for y in ys if y > end + 1]
            picked = [r for r in picked if not any(id(f) in used for f in r.frags)]
            head_end = _head_end(sub.ys, picked)
            cols = columns(picked, head_end)
            if not picked or not _plausible(picked, cols, a.x1 - a.x0):
                continue
            table = build_table(picked, cols, _dense(sub.ys, picked), head_end if head_end is not None else -1.0)
            if not _rich_rows(table):
                continue
            used.update(id(f) for r in picked for f in r.frags)
            mine = [ch for r in picked for f in r.frags for ch in f.chars]
            y0 = min(sub.ys[0], picked[0].y0)
            y1 = max(min(sub.ys[-1], end + 2), picked[-1].y1)
            out.append(Borderless(table, BBox(a.x0, y0, a.x1, y1), mine, boundaries(cols)))
    return out
