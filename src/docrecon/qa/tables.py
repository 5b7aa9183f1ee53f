"""Table-cell lookup: the cell where the row and the column that a question names meet.

A table chunk holds its table as pipe text (caption lines first). :func:`parse_pipe` reads it
back into a header (one text per column: the pipe header row plus the leading rows that only
label columns, such as a year row under a title row) and body rows. :func:`cells` yields every
body cell with its row's label cells and its column header, which the answer stage scores
against the question: a row named by any of its cells (a product code, a person's name, a
city) and a column named by its header.

A table laid out in sections (an image table's "| Exercise plan | Exercise plan | ... |" title
row, a "| Resistance training | Resistance training | ... |" row spanning the table, then a row
of labels repeated under every section) is read so: a title row spanning all columns goes to the
caption, a spanning body row is a section row (one label), and a row of labels (no numbers) that
comes after a title or a section row, or repeats, is the header of the rows below it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

_NUMERIC = re.compile(r"^[\s$€£¥+\-−–(]*[\d.,]+\s*[%)]?\s*[a-zA-Z%万亿元]*$")
#: a row shown whole when it is at most this long; else only its label and the asked cell
ROW_MAX = 80


@dataclass(frozen=True, slots=True)
class PipeTable:
    #: the lines before the table (captions)
    caption: str
    header: list[str]
    rows: list[list[str]]
    #: per body row, the header of its section when the table has label rows inside (else empty)
    row_headers: tuple[tuple[str, ...], ...] = ()

    def head(self, r: int) -> list[str]:
        """The column headers of body row ``r``."""
        return list(self.row_headers[r]) if self.row_headers else self.header

    def all_headers(self) -> list[list[str]]:
        """Every distinct header of the table (the top one first)."""
        out = [self.header]
        for h in dict.fromkeys(self.row_headers):
            if list(h) not in out:
                out.append(list(h))
        return out


@dataclass(frozen=True, slots=True)
class CellRef:
    row: int
    col: int
    value: str
    #: the row's other cells (its label first)
    row_text: str
    header: str


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def _is_header_like(row: list[str]) -> bool:
    """A leading body row that only labels columns: empty first cell, or no numbers at all."""
    filled = [c for c in row if c]
    if not filled:
        return True
    if not row[0] and len(filled) >= 2:
        return True
    return False


def parse_pipe(text: str) -> PipeTable | None:
    lines = text.split("\n")
    start = next((i for i, x in enumerate(lines) if x.startswith("|")), None)
    if start is None or start + 1 >= len(lines) or not lines[start + 1].startswith("| -"):
        return None
    header = _cells(lines[start])
    rows = [_cells(x) for x in lines[start + 2 :] if x.startswith("|")]
    width = len(header)
    rows = [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in rows]
    top = header
    while rows and _is_header_like(rows[0]):
        extra = rows.pop(0)
        header = [" ".join(dict.fromkeys(x for x in (h, e) if x)) for h, e in zip(header, extra, strict=True)]
    if header is not top:
        header = [" ".join(dict.fromkeys(x for x in (t, h) if x)) if t and not h.startswith(t) else h
                  for h, t in zip(header, _spanned(top), strict=True)]
    caption = "\n".join(lines[:start])
    if width >= 2 and _spans(header):
        return _sectioned(caption, header, rows)
    return PipeTable(caption, header, rows)


def _spans(row: list[str]) -> bool:
    """A row of one text repeated over every column (a merged cell spanning the table)."""
    return bool(row[0]) and all(c == row[0] for c in row)


def _label_row(row: list[str]) -> bool:
    filled = [c for c in row if c]
    return len(filled) >= 2 and not any(_NUMERIC.match(c) for c in filled)


def _sectioned(caption: str, title: list[str], rows: list[list[str]]) -> PipeTable:
    """A table whose top row is a title spanning it: section rows and label rows inside (see the
    module docstring)."""
    seen = [tuple(x) for x in rows]
    width = len(title)
    current: tuple[str, ...] = ("",) * width
    top: list[str] | None = None
    body: list[list[str]] = []
    heads: list[tuple[str, ...]] = []
    after_section = True
    merging = False  # the row before was a label row: this one is a second header level under it
    for row in rows:
        if _spans(row):
            body.append([row[0]] + [""] * (width - 1))
            heads.append(current)
            after_section, merging = True, False
            continue
        if _label_row(row) and (after_section or merging or seen.count(tuple(row)) > 1):
            if merging:
                row = [" ".join(dict.fromkeys(x for x in (h, c) if x)) for h, c in zip(current, row, strict=True)]
            current = tuple(row)
            if top is None or merging and not body:
                top = list(row)
            after_section, merging = False, True
            continue
        after_section = merging = False
        body.append(row)
        heads.append(current)
    caption = "\n".join(x for x in (caption, title[0]) if x)
    header = top or [""] * width
    return PipeTable(caption, header, body, tuple(heads))


def _spanned(top: list[str]) -> list[str]:
    """The labels of a top header row whose spanning cells were written once ("| Variable | | Male |
    | Female |" over "| | % | CI | % | CI |"), carried over the blank cells they span: from the
    right when the column after the row labels is blank (labels end their span), from the left when
    the last column is blank (labels start it); else none."""
    if len(top) < 3 or all(top[1:]) or not any(top[1:]):
        return [""] * len(top)
    out = list(top)
    if not top[1] and top[-1]:
        for i in range(len(top) - 2, 0, -1):
            out[i] = out[i] or out[i + 1]
    elif top[1] and not top[-1]:
        for i in range(2, len(top)):
            out[i] = out[i] or out[i - 1]
    else:
        return [""] * len(top)
    return [""] + ["" if x == t else x for x, t in zip(out[1:], top[1:], strict=True)]


def row_text(table: PipeTable, r: int, ask: int | None = None) -> str:
    """Row ``r`` as "label — header: value; ...": only the label and column ``ask`` when it is long."""
    cells = table.rows[r]
    header = table.head(r)
    label_cols = [i for i, c in enumerate(cells) if c and not _NUMERIC.match(c)][:1] or [0]
    label = cells[label_cols[0]]
    rest = [(header[i], c) for i, c in enumerate(cells) if i not in label_cols and c]
    full = "; ".join(f"{h}: {v}" if h else v for h, v in rest)
    if ask is not None and len(full) + len(label) > ROW_MAX:
        h, v = header[ask], cells[ask]
        full = f"{h}: {v}" if h else v
    return f"{label} — {full}" if label and full else (full or label)


def cells(table: PipeTable, rows: Collection[int] | None = None, cols: Collection[int] | None = None) -> list[CellRef]:
    """The non-empty body cells (of ``rows`` x ``cols`` when given) with their row's other
    (non-numeric) cells and their column header."""
    out: list[CellRef] = []
    for r, row in enumerate(table.rows):
        if rows is not None and r not in rows or sum(bool(c) for c in row) < 2:
            continue  # not asked, or a section row ("Real estate loans") or an empty one
        labels = [(i, c) for i, c in enumerate(row) if c and not _NUMERIC.match(c)]
        header = table.head(r)
        for ci, value in enumerate(row):
            if not value or ci >= len(header) or cols is not None and ci not in cols:
                continue
            others = " ".join(c for i, c in labels if i != ci)
            out.append(CellRef(r, ci, value, others, header[ci]))
    return out
