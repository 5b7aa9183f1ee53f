"""Clean-ups every found table gets, whatever found it.

Financial statements set the currency sign in a column of its own, left of the amounts, and only
on the first and total rows: ``$ | 178`` over ``3,423`` spanning both columns. A column that holds
nothing but currency signs is folded into the column to its right, the sign kept before the amount.
"""

from __future__ import annotations

from docrecon.model import Cell, Table

CURRENCY = frozenset("$€£¥￥₹₩₽¢")


def _covers(cell: Cell, col: int) -> bool:
    return cell.col <= col < cell.col + cell.col_span


def _sign_column(table: Table, col: int) -> bool:
    """Every cell that covers only ``col`` is a currency sign or empty, at least one is a sign,
    and each sign has an amount to its right."""
    signs = 0
    for cell in table.cells:
        if not _covers(cell, col) or cell.col_span > 1:
            continue
        text = cell.text.strip()
        if not text:
            continue
        if text not in CURRENCY:
            return False
        right = next((c for c in table.cells if c.row == cell.row and c.col == col + 1), None)
        if right is None or not any(ch.isdigit() for ch in right.text):
            return False
        signs += 1
    return signs > 0


def _fold(table: Table, col: int) -> None:
    """Remove column ``col``: signs move into the cell to their right, spans shrink."""
    kept: list[Cell] = []
    signs = {c.row: c.text.strip() for c in table.cells if c.col == col and c.col_span == 1 and c.text.strip()}
    for cell in table.cells:
        if cell.col == col and cell.col_span == 1:
            continue  # the sign (or an empty slot)
        if _covers(cell, col):
            cell.col_span -= 1
        elif cell.col > col:
            cell.col -= 1
            if cell.col == col and cell.row in signs:
                cell.text = f"{signs[cell.row]}{cell.text.strip()}"
        kept.append(cell)
    table.cells = kept
    table.n_cols -= 1


def fold_currency_columns(table: Table) -> Table:
    col = 0
    while col < table.n_cols - 1:
        if _sign_column(table, col):
            _fold(table, col)
        else:
            col += 1
    return table
