"""Header rows drawn above a ruled table's frame, and total rows set below it.

Financial statements and reports rule the body of a table and set its column headers above the
first rule: "Year Ended" over the year columns, then one date per column, each underlined on its
own. The rows right above a table whose text sits only over the value columns (clear of the stub
column, where a paragraph or caption above the table would start) are the table's header: each
piece of text becomes a header cell spanning the columns it stands over.

Below the frame, a report often sets its totals or averages outside the rules: a label over the
stub columns, then one number inside each value column. Such rows right below the frame are
the table's last rows.
"""

from __future__ import annotations

import re

from docrecon.geometry.fragments import chars_to_fragments, sideways_lines
from docrecon.geometry.text import CAPTION
from docrecon.model import BBox, Cell, Char, Table, TextLine
from docrecon.tables.segments import Seg

MAX_HEADER_ROWS = 3
#: text wholly in this top share of the page is the running head (a report's "Company note |
#: Name (code)" over a table that starts the page), never a column header
HEAD_BAND = 0.06
#: a header row starts at most this many line heights above the row below it
ROW_REACH = 1.8
MAX_HEADER_TEXT = 60
#: pieces of a rule this close (in line heights) are one rule drawn in pieces
SEAM = 0.4


def _rows(frags: list[TextLine]) -> list[list[TextLine]]:
    """Fragments grouped by line, bottom line first."""
    rows: list[list[TextLine]] = []
    for f in sorted(frags, key=lambda f: -f.bbox.cy):
        if rows and abs(rows[-1][0].bbox.cy - f.bbox.cy) < 0.5 * max(f.bbox.height, 1.0):
            rows[-1].append(f)
        else:
            rows.append([f])
    return rows


def _extent(f: TextLine, h: list[Seg], stub: float) -> tuple[float, float]:
    """How far a header reaches: the rule drawn right under it (a group header is underlined
    across the columns it heads; a rule that reaches over the stub column is the table's frame),
    or its own text."""
    reach = 0.8 * max(f.bbox.height, 1.0)
    under = [s for s in h if f.bbox.y1 - 1.0 <= s.pos <= f.bbox.y1 + reach and s.a <= f.bbox.cx <= s.b
             and s.b - s.a > f.bbox.width and s.a >= stub - 1.0]
    if not under:
        return f.bbox.x0, f.bbox.x1
    first = min(under, key=lambda s: s.pos)
    a, b = first.a, first.b
    seam = SEAM * max(f.bbox.height, 1.0)
    same = sorted((s for s in h if abs(s.pos - first.pos) < 0.5 and s.a >= stub - 1.0), key=lambda s: s.a)
    for s in same:  # a rule drawn in pieces that meet (almost): one rule
        if s.a <= b + seam and s.b > b:
            b = s.b
    for s in reversed(same):
        if s.b >= a - seam and s.a < a:
            a = s.a
    return a, b


def _column_labels(row: list[TextLine], xs: list[float]) -> bool:
    """A row of two or more short pieces, each inside one column ("#", "Topic", "Task" over
    the stub columns): the header of those columns, where a paragraph above the table would be
    one long piece running across them."""
    if len(row) < 2:
        return False
    tol = 1.0
    return all(_turned(f) or any(xs[k] - tol <= f.bbox.x0 and f.bbox.x1 <= xs[k + 1] + tol for k in range(len(xs) - 1))
               for f in row)


def _turned(f: TextLine) -> bool:
    return bool(f.chars) and f.chars[0].angle % 360 not in (0, 180)


def _span(f: TextLine, xs: list[float], h: list[Seg]) -> tuple[int, int] | None:
    """The columns (first, count) a header stands over, by overlap with their extents; a label
    set sideways or slanted stands over the column where it starts (its first letter)."""
    if _turned(f):
        first = f.chars[0]
        x = (first.x0 + first.x1) / 2
        col = next((k for k in range(len(xs) - 1) if xs[k] <= x < xs[k + 1]), None)
        return (col, 1) if col is not None else None
    x0, x1 = _extent(f, h, xs[1])
    cols = [k for k in range(len(xs) - 1)
            if min(x1, xs[k + 1]) - max(x0, xs[k]) > 0.5 * (xs[k + 1] - xs[k]) or xs[k] <= f.bbox.cx < xs[k + 1]]
    return (cols[0], cols[-1] - cols[0] + 1) if cols else None


def header_rows(
    table: Table, bbox: BBox, xs: list[float], chars: list[Char], skip: set[int], h: list[Seg],
    page_height: float,
) -> tuple[list[list[Cell]], list[int]]:
    """Header rows found above ``bbox`` (top row first, cells with row 0..n-1) and the indexes
    of the ``chars`` they use (chars whose index is in ``skip`` are taken already). Rows in the
    page's running-head band (``HEAD_BAND``) are not taken."""
    if len(xs) < 3 or table.n_cols != len(xs) - 1:
        return [], []
    # a slanted label over the last column runs on past the frame's right edge
    near = [i for i, c in enumerate(chars)
            if i not in skip and bbox.y0 - 6 * max(c.size, 4.0) < c.y0 and c.y1 <= bbox.y0 + 1.0
            and xs[0] - 1.0 <= c.x0 and c.x1 <= xs[-1] + (1.0 if c.angle % 180 == 0 else 8 * max(c.size, 4.0))]
    if not near:
        return [], []
    frags = chars_to_fragments([chars[i] for i in near]) + sideways_lines([chars[i] for i in near])
    top = bbox.y0
    taken: list[list[TextLine]] = []
    for row in _rows(frags):
        height = max(f.bbox.height for f in row)
        if top - max(f.bbox.y1 for f in row) > ROW_REACH * height or len(taken) == MAX_HEADER_ROWS:
            break
        if max(f.bbox.y1 for f in row) <= HEAD_BAND * page_height:
            break
        if any(len(f.text) > MAX_HEADER_TEXT or CAPTION.match(f.text) for f in row):
            break  # a caption or a sentence: not a column header
        if any(f.bbox.x0 < xs[1] for f in row) and not _column_labels(row, xs):
            break  # text over the stub column that is not one label per column: a paragraph
        taken.append(row)
        top = min(f.bbox.y0 for f in row)
    if not taken:
        return [], []
    rows: list[list[Cell]] = []
    centres: dict[int, float] = {}
    for r, row in enumerate(reversed(taken)):
        cells: dict[int, Cell] = {}
        for f in sorted(row, key=lambda f: f.bbox.x0):
            span = _span(f, xs, h)
            if span is None:
                continue
            col, n = span
            if col in cells:
                cells[col].text = f"{cells[col].text} {f.text}"
                continue
            clash = any(k in cells for k in range(col, col + n))
            if clash or any(c.col < col < c.col + c.col_span for c in cells.values()):
                return [], []  # pieces of text that overlap in columns: not a header row
            cells[col] = Cell(r, col, f.text, col_span=n, header=True)
            centres[id(cells[col])] = f.bbox.cx
        rows.append(sorted(cells.values(), key=lambda c: c.col))
    _spread_groups(rows, xs, centres)
    used_ids = {id(c) for row in taken for f in row for c in f.chars}
    return rows, [i for i in near if id(chars[i]) in used_ids]


def _spread_groups(rows: list[list[Cell]], xs: list[float], centres: dict[int, float]) -> None:
    """A group label one column wide (no rule under it told its reach), centred over a run of
    labelled columns in the row below ("ReACT" over "Procedure", "Completion", "Knowledge"),
    spans that run: it grows by a column on each side while both are labelled, free in its own
    row, and the run stays centred on the label."""
    for upper, lower in zip(rows, rows[1:], strict=False):
        labelled = {k for c in lower if c.text for k in range(c.col, c.col + c.col_span)}
        taken = {k for c in upper for k in range(c.col, c.col + c.col_span)}
        for cell in upper:
            x = centres.get(id(cell))
            if x is None or cell.col_span != 1 or cell.col not in labelled:
                continue
            a = b = cell.col
            while all(k in labelled and k not in taken for k in (a - 1, b + 1)):
                half = (xs[b + 1] - xs[b]) / 2
                if abs((xs[a - 1] + xs[b + 2]) / 2 - x) > half:
                    break
                a, b = a - 1, b + 1
            taken.update(range(a, b + 1))
            cell.col, cell.col_span = a, b - a + 1


MAX_FOOTER_ROWS = 3
NUMBER = re.compile(r"^[-+−(]?[$€£¥]?\s?[\d.,]+\s?[%)]?$")


def footer_rows(
    table: Table, bbox: BBox, xs: list[float], chars: list[Char], skip: set[int],
) -> tuple[list[list[Cell]], list[int]]:
    """Total rows right below ``bbox`` (cells with rows from ``table.n_rows`` on) and the
    indexes of the ``chars`` they use: a label over the first columns, then numbers, each
    inside one column to its right, at least two of them."""
    if len(xs) < 3 or table.n_cols != len(xs) - 1:
        return [], []
    near = [i for i, c in enumerate(chars)
            if i not in skip and bbox.y1 - 1.0 <= c.y0 and c.y1 < bbox.y1 + 5 * max(c.size, 4.0)
            and xs[0] - 1.0 <= c.x0 and c.x1 <= xs[-1] + 1.0]
    if not near:
        return [], []
    frags = chars_to_fragments([chars[i] for i in near])
    bottom = bbox.y1
    rows: list[list[Cell]] = []
    used: set[int] = set()
    for row in reversed(_rows(frags)):  # top line first
        height = max(f.bbox.height for f in row)
        if min(f.bbox.y0 for f in row) - bottom > ROW_REACH * height or len(rows) == MAX_FOOTER_ROWS:
            break
        cells = _total_row(sorted(row, key=lambda f: f.bbox.x0), xs, table.n_rows + len(rows))
        if cells is None:
            break
        rows.append(cells)
        used.update(id(c) for f in row for c in f.chars)
        bottom = max(f.bbox.y1 for f in row)
    return rows, [i for i in near if id(chars[i]) in used]


def _total_row(row: list[TextLine], xs: list[float], r: int) -> list[Cell] | None:
    """``row`` as a total row (a label, then numbers each inside one column), or None."""
    label, values = (row[0], row[1:]) if not NUMBER.match(row[0].text) else (None, row)
    if len(values) < 2 or not all(NUMBER.match(f.text) for f in values):
        return None
    cells: list[Cell] = []
    taken = -1
    for f in values:
        col = next((k for k in range(len(xs) - 1) if xs[k] - 1.0 <= f.bbox.x0 and f.bbox.x1 <= xs[k + 1] + 1.0), None)
        if col is None or col <= taken:
            return None
        cells.append(Cell(r, col, f.text))
        taken = col
    first = cells[0].col
    if label is not None:
        if first == 0 or label.bbox.x1 > xs[first] + 1.0:
            return None
        cells.insert(0, Cell(r, 0, label.text, col_span=first))
    have = {c.col for c in cells}
    cells.extend(Cell(r, k) for k in range(first if label is not None else 0, len(xs) - 1) if k not in have)
    cells.extend(Cell(r, k) for k in range(0, first) if label is None and k not in have)
    return sorted(cells, key=lambda c: c.col)


def with_footer(table: Table, rows: list[list[Cell]]) -> Table:
    """``table`` with ``rows`` added at its foot."""
    table.cells = table.cells + [c for row in rows for c in row]
    table.n_rows += len(rows)
    return table


def with_header(table: Table, rows: list[list[Cell]]) -> Table:
    """``table`` with ``rows`` put on top; they are its header (a first row the table finder
    guessed to be the header is body once the real header is found above it)."""
    n = len(rows)
    for cell in table.cells:
        cell.row += n
        cell.header = False
    table.cells = [c for row in rows for c in row] + table.cells
    table.n_rows += n
    return table


def turned_header(
    table: Table, bbox: BBox, xs: list[float], chars: list[Char], skip: set[int], h: list[Seg],
    page_height: float,
) -> tuple[Table, list[int]]:
    """A borderless table with the column labels set sideways or slanted above it (they are
    not in its text rows): the labels fill the empty cells of its header row, or become a
    header row of their own. Returns the table and the indexes of the ``chars`` used."""
    rows, used = header_rows(table, bbox, xs, chars, skip, h, page_height)
    if len(rows) != 1 or not any(chars[i].angle % 180 != 0 for i in used):
        return table, []
    labels = rows[0]
    first = {c.col: c for c in table.cells if c.row == 0}
    if all(c.header for c in first.values()) and all(
        k in first and not first[k].text and first[k].col_span == c.col_span
        for c in labels for k in [c.col]
    ):
        for c in labels:
            first[c.col].text = c.text
        return table, used
    return with_header(table, rows), used
