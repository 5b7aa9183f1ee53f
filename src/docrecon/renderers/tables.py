"""Tables as pipe tables or HTML (with rowspan/colspan)."""

from __future__ import annotations

import html

from docrecon.model import Table


def _pipe_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table_to_pipe(table: Table) -> str:
    """A GitHub pipe table; a spanning cell's text is repeated in every slot it covers."""
    if table.n_rows == 0 or table.n_cols == 0:
        return ""
    grid = table.grid()
    rows = [[_pipe_cell(c.text) if c else "" for c in row] for row in grid]
    header_rows = max(1, table.header_rows)
    header = rows[0] if header_rows == 1 else [
        " ".join(dict.fromkeys(r[i] for r in rows[:header_rows] if r[i])) for i in range(table.n_cols)
    ]
    body = rows[header_rows:]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("-" * 3 for _ in header) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def table_to_html(table: Table) -> str:
    by_row: dict[int, list[str]] = {}
    for cell in sorted(table.cells, key=lambda c: (c.row, c.col)):
        tag = "th" if cell.header else "td"
        attrs = ""
        if cell.row_span > 1:
            attrs += f' rowspan="{cell.row_span}"'
        if cell.col_span > 1:
            attrs += f' colspan="{cell.col_span}"'
        text = html.escape(" ".join(cell.text.split()), quote=False)
        by_row.setdefault(cell.row, []).append(f"<{tag}{attrs}>{text}</{tag}>")
    rows = "".join(f"<tr>{''.join(by_row.get(r, []))}</tr>" for r in range(table.n_rows))
    return f"<table>{rows}</table>"
