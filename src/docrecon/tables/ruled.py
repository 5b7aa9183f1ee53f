"""Ruled tables of born-digital pages: connected vector rules -> grid -> cells with text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docrecon.geometry.fragments import chars_to_fragments
from docrecon.geometry.text import CAPTION
from docrecon.model import BBox, Char, RawImage, Table, TextLine
from docrecon.tables.bands import split_bands
from docrecon.tables.cells import assign_chars, cell_text, grid_table
from docrecon.tables.lattice import Grid, build_grid, prune_slivers, ruling_bounds, split_side_by_side
from docrecon.tables.segments import Ruling, Seg, attach_loose_rules, connected_rulings
from docrecon.tables.text_columns import text_columns

MIN_SIDE = 8.0  # points
PROSE_CELL = 200  # characters: a cell this long holds a paragraph
NOTE_ROW = re.compile(r"^\s*(notes?\b|sources?\b|\*|†|‡|注|资料来源|来源)", re.IGNORECASE)


@dataclass(slots=True)
class Found:
    table: Table
    bbox: BBox
    #: indexes of the page chars the table took
    used: list[int]
    #: x of the column boundaries, left to right
    xs: list[float]


def _loose_h(rulings: list[Ruling], h: list[Seg]) -> list[Seg]:
    taken = {id(s) for r in rulings for s in r.h}
    return [s for s in h if id(s) not in taken]


def _is_picture(box: BBox, images: list[RawImage], page_area: float) -> bool:
    return any(im.bbox.intersection_area(box) > 0.5 * box.area and im.bbox.area < 0.7 * page_area for im in images)


def _plausible(table: Table) -> bool:
    if table.n_rows < 2 or table.n_cols < 2:
        return False
    fill = len(table.cells) / (table.n_rows * table.n_cols)
    if fill < 0.5 or (table.n_cols == 2 and fill < 0.7):
        return False  # mostly spanning cells: a diagram or a page layout drawn with boxes
    filled = sum(1 for c in table.cells if c.text)
    if filled < 3 or filled < 0.2 * len(table.cells):
        return False
    total = sum(len(c.text) for c in table.cells)
    prose = sum(len(c.text) for c in table.cells if len(c.text) > PROSE_CELL)
    # boxes around paragraphs are page layout (labels beside their text), not a table; unless a
    # column of figures runs beside the paragraphs (topics and their counts)
    return prose <= 0.4 * total or _value_column(table)


#: a cell of a value column: a count, an amount, a date
VALUE_CELL = 24


def _value_column(table: Table) -> bool:
    """Some column holds short figures (with digits) in at least three rows, below a header at
    most, and in most of the table's rows."""
    if table.n_rows < 3:
        return False
    for col in range(table.n_cols):
        filled = [c.text for c in table.cells if c.col == col and c.col_span == 1 and c.text and c.row > 0]
        figures = [t for t in filled if len(t) <= VALUE_CELL and any(ch.isdigit() for ch in t)]
        if len(figures) >= 3 and len(figures) == len(filled) and len(filled) >= 0.75 * (table.n_rows - 1):
            return True
    return False


def ruled_tables(
    chars: list[Char], h: list[Seg], v: list[Seg], images: list[RawImage], page_area: float, size: float
) -> tuple[list[Found], list[Seg]]:
    """Tables drawn with rules (each char is taken by at most one table), and the horizontal
    rules that are not part of a found table."""
    rulings = connected_rulings(h, v)
    if not rulings:
        return [], h
    loose = _loose_h(rulings, h)
    for r in rulings:
        attach_loose_rules(r, loose, 3.0 * size)
    rulings.sort(key=lambda r: -r.bbox.area)
    free = [True] * len(chars)
    centres = [((c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2) for c in chars]
    found: list[Found] = []
    in_tables: set[int] = set()
    for ruling in rulings:
        box = ruling.bbox
        if box.width < MIN_SIDE or box.height < MIN_SIDE or _is_picture(box, images, page_area):
            continue
        x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1
        idx = [i for i, (cx, cy) in enumerate(centres) if free[i] and x0 <= cx <= x1 and y0 <= cy <= y1]
        tables = _tables_in(ruling, [chars[i] for i in idx], size)
        if tables:
            in_tables.update(id(s) for s in ruling.h)
        for table, bbox, used, cols in tables:
            taken = [idx[k] for k, u in enumerate(used) if u and free[idx[k]]]
            for i in taken:
                free[i] = False
            found.append(Found(table, bbox, taken, cols))
    return found, [s for s in h if id(s) not in in_tables]


def _tables_in(ruling: Ruling, chars: list[Char], size: float) -> list[tuple[Table, BBox, list[bool], list[float]]]:
    xs, ys = ruling_bounds(ruling)
    frags = chars_to_fragments(chars)
    words = [w for f in frags for w in f.word_boxes]
    if _struck_through(frags, ruling.v):
        return []  # rules drawn through words: a chart's grid under its labels, not a table
    xs = prune_slivers(xs, ruling.v, lambda a, b: not any(a <= w.x0 and w.x1 <= b for w in words), max(6.0, 1.5 * size))
    ys = prune_slivers(ys, ruling.h, lambda a, b: not any(a <= w.cy < b for w in words), max(4.0, 0.4 * size))
    xs = text_columns(xs, ys, words, size)
    full = build_grid(ruling, xs, ys)
    if full is None:
        return []
    full = split_bands(full, chars)
    out: list[tuple[Table, BBox, list[bool], list[float]]] = []
    for grid in split_side_by_side(full):
        per, used = assign_chars(grid, chars)
        r0, r1 = _trim_rows(grid, per)
        if (r0, r1) != (0, len(ys) - 1):
            grid = Grid(grid.xs, grid.ys, [s for s in grid.slots if r0 <= s.row and s.row + s.row_span <= r1])
            if not grid.slots:
                continue
            per, used = assign_chars(grid, chars)
        table = grid_table(grid, per)
        if _plausible(table):
            out.append((table, grid.bbox, used, grid.xs))
    return out


#: share of the words that vertical rules may cross before the rules are a chart's grid
STRUCK_WORDS = 0.1


def _struck_through(frags: list[TextLine], v: list[Seg]) -> bool:
    """Vertical rules run through the middle of words: a table's rules never cross its text.
    A rule in the gap between two glyphs is a cell border the text of two cells touches (text
    without spaces between words, a figure set flush against the next column's text)."""
    words = [(w, f) for f in frags for w in f.word_boxes]
    struck = sum(1 for w, f in words if any(
        w.x0 + 1.0 < s.pos < w.x1 - 1.0 and s.a < w.cy < s.b and _through_glyph(f.chars, w, s.pos) for s in v))
    return struck >= 3 and struck > STRUCK_WORDS * len(words)


#: how far inside a glyph's box (pt) a rule must pass to cross the glyph, not the gap beside it
GLYPH_EDGE = 0.2


def _through_glyph(chars: list[Char], word: BBox, pos: float) -> bool:
    return any(c.x0 + GLYPH_EDGE < pos < c.x1 - GLYPH_EDGE and word.x0 <= (c.x0 + c.x1) / 2 <= word.x1 for c in chars)


def _trim_rows(grid: Grid, per: list[list[Char]]) -> tuple[int, int]:
    """A title row on top ("Exhibit 4 ...") and note rows at the bottom drawn inside the table
    frame are not table rows: return the range of rows to keep."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    full: dict[int, str] = {}
    for s, chars in zip(grid.slots, per, strict=True):
        if s.col == 0 and s.col_span == n_cols and s.row_span == 1:
            full[s.row] = cell_text(chars)
    if n_cols < 2 or not full:
        return 0, n_rows
    r0 = 0
    while r0 in full and r0 < n_rows - 2 and (not full[r0] or CAPTION.match(full[r0])):
        r0 += 1
    r1 = n_rows
    for r in range(r0 + 1, n_rows):
        if r in full and NOTE_ROW.match(full[r]) and all(k in full for k in range(r, n_rows)):
            r1 = r
            break
    return r0, r1
