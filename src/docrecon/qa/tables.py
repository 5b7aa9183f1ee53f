"""Table-cell lookup: the cell where the row and the column that a question names meet.

A table chunk holds its table as pipe text (caption lines first). :func:`parse_pipe` reads it
back into a header (one text per column: the pipe header row plus the leading rows that only
label columns, such as a year row under a title row) and body rows. :func:`cells` yields every
body cell with its row's label cells and its column header, which the answer stage scores
against the question: a row named by any of its cells (a product code, a person's name, a
city) and a column named by its header.
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
    return PipeTable("\n".join(lines[:start]), header, rows)


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
    label_cols = [i for i, c in enumerate(cells) if c and not _NUMERIC.match(c)][:1] or [0]
    label = cells[label_cols[0]]
    rest = [(table.header[i], c) for i, c in enumerate(cells) if i not in label_cols and c]
    full = "; ".join(f"{h}: {v}" if h else v for h, v in rest)
    if ask is not None and len(full) + len(label) > ROW_MAX:
        h, v = table.header[ask], cells[ask]
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
        for ci, value in enumerate(row):
            if not value or ci >= len(table.header) or cols is not None and ci not in cols:
                continue
            others = " ".join(c for i, c in labels if i != ci)
            out.append(CellRef(r, ci, value, others, table.header[ci]))
    return out
