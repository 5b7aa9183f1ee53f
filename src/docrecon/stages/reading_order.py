"""Reading order by recursive XY-cut, with bands merged so columns read top to bottom.

At each node a vertical cut (a white column that splits the node into text-wide columns) is
taken first. Otherwise the node is cut into horizontal bands, and consecutive bands that share
a column gutter are merged back, so a full-width title or figure sits between two column runs
while each column run is read column by column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from docrecon.model import BBox, Page
from docrecon.stages.base import StageContext


class Boxed(Protocol):
    @property
    def bbox(self) -> BBox: ...


T = TypeVar("T", bound=Boxed)


def _gaps(spans: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    spans = sorted(spans)
    out: list[tuple[float, float]] = []
    end = spans[0][1]
    for a, b in spans[1:]:
        if a - end >= min_gap:
            out.append((end, a))
        end = max(end, b)
    return out


def _core(b: BBox) -> tuple[float, float]:
    pad = b.height * 0.3
    return (b.y0 + pad, b.y1 - pad) if b.height > 2 * pad else (b.y0, b.y1)


#: a band this many line heights below a run's last line starts after the run, not beside it
TAIL_GAP = 1.5


class XYCut:
    def __init__(
        self,
        page_width: float,
        min_gutter: float,
        min_col_width: float,
        substantial: Callable[[Sequence[Boxed]], bool] | None = None,
    ) -> None:
        self.page_width = page_width
        self.min_gutter = min_gutter
        self.min_col_width = min_col_width
        #: whether a would-be column holds real content (text lines, not a column of numbers)
        self.substantial = substantial or (lambda _items: True)

    def vertical_cuts(self, items: Sequence[Boxed]) -> list[float]:
        if len(items) < 2:
            return []
        gaps = _gaps([(i.bbox.x0, i.bbox.x1) for i in items], self.min_gutter)
        if not gaps:
            return []
        x0 = min(i.bbox.x0 for i in items)
        x1 = max(i.bbox.x1 for i in items)
        bounds = [x0] + [(a + b) / 2 for a, b in gaps] + [x1]
        cuts: list[float] = []
        for k, (a, b) in enumerate(gaps):
            left = bounds[k]
            right = bounds[k + 2]
            mid = (a + b) / 2
            if mid - left < self.min_col_width or right - mid < self.min_col_width:
                continue
            lside = [i for i in items if left - 1 <= i.bbox.cx < mid]
            rside = [i for i in items if mid <= i.bbox.cx <= right + 1]
            if not (self.substantial(lside) and self.substantial(rside)):
                continue
            cuts.append(mid)
        return cuts

    def _columns(self, items: Sequence[T]) -> list[list[T]] | None:
        cuts = self.vertical_cuts(items)
        if not cuts:
            return None
        cols: list[list[T]] = [[] for _ in range(len(cuts) + 1)]
        for it in items:
            cols[sum(1 for c in cuts if it.bbox.cx > c)].append(it)
        cols = [c for c in cols if c]
        return cols if len(cols) > 1 else None

    def order(self, items: Sequence[T]) -> list[list[T]]:
        """Leaf regions in reading order."""
        if len(items) <= 1:
            return [list(items)] if items else []
        cols = self._columns(items)
        if cols:
            return [leaf for col in cols for leaf in self.order(col)]
        bands = self._bands(items)
        leaf = [sorted(items, key=lambda i: (i.bbox.y0, i.bbox.x0))]
        if len(bands) <= 1:
            return leaf
        groups = self._group_bands(bands)
        if len(groups) == 1:
            return leaf
        return [lf for g in groups for lf in self.order(g)]

    def _group_bands(self, bands: list[list[T]]) -> list[list[T]]:
        """Consecutive bands that form one column run (or one single-column run) grouped."""
        runs: list[list[list[T]]] = []
        run_cuts = False
        split = [bool(self.vertical_cuts(b)) and not self._bridged(bands, k) for k, b in enumerate(bands)]
        for band, band_cuts in zip(bands, split, strict=True):
            if runs:
                union = [it for b in runs[-1] for it in b] + band
                union_cuts = bool(self.vertical_cuts(union))
                single = not run_cuts and not band_cuts and not union_cuts
                tail = self._column_tail(runs[-1], band) if single else 0
                if tail:  # a sidebar starts beside the last lines of a one-column run
                    runs.append(runs[-1][-tail:] + [band])
                    del runs[-2][-tail:]
                    run_cuts = True
                    continue
                if single or union_cuts:
                    runs[-1].append(band)
                    run_cuts = union_cuts
                    continue
            runs.append([band])
            run_cuts = band_cuts
        self._move_lead_ins(runs)
        self._move_column_heads(runs)
        return [[it for b in run for it in b] for run in runs if run]

    def _bridged(self, bands: list[list[T]], k: int) -> bool:
        """Whether the gap that splits band ``k`` is spanned by the bands just above and below
        it: a wide word space of one justified line (a stretched sentence space), not a gutter,
        which runs on into the next band."""
        if not 0 < k < len(bands) - 1:
            return False
        return not self.vertical_cuts(bands[k - 1] + bands[k] + bands[k + 1])

    def _column_tail(self, run: list[list[T]], band: list[T]) -> int:
        """How many of the last bands of a one-column run form columns with ``band`` (a sidebar
        that starts beside a body column, under text that spans both: the gutter only shows
        below that text); 0 when none do, when ``band`` is set apart below the run by white
        space, or when the whole run would go."""
        last = run[-1]
        if any(it.bbox.x0 < o.bbox.x1 and o.bbox.x0 < it.bbox.x1 for it in band for o in last):
            return 0  # the band lies under the run's last line: the same column
        line = max(o.bbox.height for o in last)
        if min(it.bbox.y0 for it in band) - max(o.bbox.y1 for o in last) > TAIL_GAP * line:
            return 0  # set apart below by white space: what follows the run, not a column beside it
        found = 0
        for n in range(1, len(run)):  # a longer tail only closes gutters: stop at the first without
            if not self.vertical_cuts([it for b in run[-n:] for it in b] + band):
                break
            found = n
        return found

    def _move_lead_ins(self, runs: list[list[list[T]]]) -> None:
        """A one-sided band closing a column run, closer to the full-width run below than to the
        run above, is a lead-in (a section label or heading) of what follows."""
        for k in range(len(runs) - 1):
            run, nxt = runs[k], runs[k + 1]
            if len(run) < 2 or not nxt:
                continue
            flat = [it for b in run for it in b]
            cuts = self.vertical_cuts(flat)
            nxt_flat = [it for b in nxt for it in b]
            if not cuts or self.vertical_cuts(nxt_flat):
                continue
            last = run[-1]
            sides = {sum(1 for c in cuts if it.bbox.cx > c) for it in last}
            if len(sides) != 1:
                continue
            top = min(it.bbox.y0 for it in last)
            bottom = max(it.bbox.y1 for it in last)
            above = max((it.bbox.y1 for b in run[:-1] for it in b), default=top)
            below = min(it.bbox.y0 for it in nxt_flat)
            if below - bottom < top - above:
                nxt.insert(0, run.pop())

    def _move_column_heads(self, runs: list[list[list[T]]]) -> None:
        """The last bands of a run without columns that fit the columns of the run below (no
        piece across its gutter), one of them with pieces on both sides (a column's first lines
        beside a short heading that opens the next column), belong to that column run."""
        for k in range(len(runs) - 1):
            run, nxt = runs[k], runs[k + 1]
            if len(run) < 2 or not nxt or self.vertical_cuts([it for b in run for it in b]):
                continue
            cuts = self.vertical_cuts([it for b in nxt for it in b])
            if not cuts:
                continue
            tail = 0
            while tail < len(run) - 1 and not any(it.bbox.x0 < c < it.bbox.x1 for it in run[-1 - tail] for c in cuts):
                tail += 1
            moved = run[len(run) - tail:]
            if any(any(it.bbox.x1 <= c for it in b) and any(it.bbox.x0 >= c for it in b) for b in moved for c in cuts):
                del run[len(run) - tail:]
                nxt[:0] = moved

    def _bands(self, items: Sequence[T]) -> list[list[T]]:
        ordered = sorted(items, key=lambda i: _core(i.bbox)[0])
        bands: list[list[T]] = []
        end = -1e9
        for it in ordered:
            a, b = _core(it.bbox)
            if bands and a <= end:
                bands[-1].append(it)
                end = max(end, b)
            else:
                bands.append([it])
                end = b
        return bands


#: a numbered unit's first line: "3. The Fundamental Theorem", "2) Scope" (not "2024 results")
NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+[^\W\d_]")
#: fewest numbered units worth reordering
MIN_NUMBERED = 3


def by_number(leaves: list[list[T]], text: Callable[[T], str | None]) -> list[list[T]]:
    """Leaf regions of a grid of numbered units (cards 1 and 2 side by side, 3 and 4 below)
    come out of the XY-cut column by column: 1, 3, 2, 4. When the units' numbers are distinct
    and consecutive, the cut's order breaks them, and reading the units' first lines row by row
    (top to bottom, left to right within a row) gives the numbers' order, the units are read by
    their numbers; what comes before the first numbered unit stays first. Text columns that
    flow (1, 2 in the left column, 3 in the right) already read in order, and two lists in one
    column (the end of one, "3.", above a new "1.") fail the row test: both are left alone."""
    units: list[tuple[int | None, list[list[T]]]] = [(None, [])]
    starts: list[tuple[int, BBox]] = []
    for leaf in leaves:
        piece: list[T] = []
        for it in sorted(leaf, key=lambda i: (i.bbox.y0, i.bbox.x0)):
            m = NUMBERED.match(text(it) or "")
            if m:
                if piece:
                    units[-1][1].append(piece)
                units.append((int(m.group(1)), []))
                starts.append((int(m.group(1)), it.bbox))
                piece = []
            piece.append(it)
        if piece:
            units[-1][1].append(piece)
    numbers = [n for n, _ in units if n is not None]
    consecutive = sorted(numbers) == list(range(min(numbers, default=0), min(numbers, default=0) + len(numbers)))
    if len(numbers) < MIN_NUMBERED or not consecutive or numbers == sorted(numbers):
        return leaves
    if [n for n, _ in _row_major(starts)] != sorted(numbers):
        return leaves
    head, rest = units[0], sorted(units[1:], key=lambda u: u[0] or 0)
    return [piece for _, pieces in [head, *rest] for piece in pieces]


def _row_major(starts: list[tuple[int, BBox]]) -> list[tuple[int, BBox]]:
    """``starts`` top to bottom in rows (a start within its own height of the row's first joins
    the row), left to right within a row."""
    rows: list[list[tuple[int, BBox]]] = []
    for s in sorted(starts, key=lambda s: s[1].y0):
        if rows and s[1].y0 - rows[-1][0][1].y0 <= max(rows[-1][0][1].height, 1.0):
            rows[-1].append(s)
        else:
            rows.append([s])
    return [s for row in rows for s in sorted(row, key=lambda s: s[1].x0)]


def number(page: Page) -> None:
    """Write every block's ``order``: its place in ``page.blocks``. This module is the only
    writer of ``order``."""
    for i, b in enumerate(page.blocks):
        b.order = i


def renumber(page: Page) -> None:
    """After the document stages: blocks keep their relative order, blocks a stage added
    without one (order -1) go last, and the numbers are made consecutive again."""
    page.blocks.sort(key=lambda b: b.order if b.order >= 0 else len(page.blocks))
    number(page)


class ReadingOrderStage:
    """Numbers the blocks in reading order: as listed when the reader (structured pages) or the
    layout stage (``page.sequenced``) put them in order, else top to bottom, left to right."""

    name = "reading_order"

    def __call__(self, page: Page, ctx: StageContext) -> None:
        if not (page.structured or page.sequenced):
            page.blocks.sort(key=lambda b: (b.bbox.y0, b.bbox.x0))
        number(page)
