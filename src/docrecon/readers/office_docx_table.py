"""WordprocessingML tables: grid placement with gridBefore/gridSpan/vMerge, nested tables as text."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from docrecon.model import Cell, Table
from docrecon.readers.office_docx_styles import w, wval

#: cell text of one ``w:tc`` (the caller turns its paragraphs and nested tables into text)
CellText = Callable[[etree._Element], str]
_WRAPPERS = (w("sdt"), w("customXml"), w("ins"))


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                yield from _children(inner, tag)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def build_table(tbl: etree._Element, cell_text: CellText) -> Table:
    cells: list[Cell] = []
    #: column -> the cell a vMerge continuation extends
    above: dict[int, Cell] = {}
    rows = [tr for tr in _children(tbl, w("tr")) if tr.find(f"{w('trPr')}/{w('del')}") is None]
    n_cols = 0
    header_rows = 0
    for r, tr in enumerate(rows):
        trpr = tr.find(w("trPr"))
        if trpr is not None and trpr.find(w("tblHeader")) is not None and header_rows == r:
            header_rows += 1
        col = _int(wval(trpr, "gridBefore"), 0)
        seen: dict[int, Cell] = {}
        for tc in _children(tr, w("tc")):
            tcpr = tc.find(w("tcPr"))
            span = max(1, _int(wval(tcpr, "gridSpan"), 1))
            vmerge = tcpr.find(w("vMerge")) if tcpr is not None else None
            prev = above.get(col)
            if vmerge is not None and vmerge.get(w("val"), "continue") == "continue" and prev is not None:
                prev.row_span = r - prev.row + 1
                seen[col] = prev
            else:
                cell = Cell(r, col, cell_text(tc), 1, span)
                cells.append(cell)
                seen[col] = cell
            col += span
        above = seen
        n_cols = max(n_cols, col)
    header_rows = header_rows or 1
    cells = split_empty_spans(cells)
    for c in cells:
        c.header = c.row < header_rows
    return Table(len(rows), n_cols, cells)


def split_empty_spans(cells: list[Cell]) -> list[Cell]:
    """An empty merged cell shows nothing a plain grid of empty cells would not: un-merge it."""
    out: list[Cell] = []
    for c in cells:
        if c.text.strip() or (c.row_span == 1 and c.col_span == 1):
            out.append(c)
            continue
        rows, cols = range(c.row, c.row + c.row_span), range(c.col, c.col + c.col_span)
        out.extend(Cell(r, k) for r in rows for k in cols)
    return out
