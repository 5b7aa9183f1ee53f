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
    """An HTML table; slots no cell covers (a header row over the value columns only) are
    written as empty cells, so that every row keeps its columns."""
    grid = table.grid()
    header_rows = {c.row for c in table.cells if c.header}
    rows: list[str] = []
    for r, slots in enumerate(grid):
        out: list[str] = []
        for c, cell in enumerate(slots):
            if cell is None:
                tag = "th" if r in header_rows else "td"
                out.append(f"<{tag}></{tag}>")
                continue
            if (max(cell.row, 0), max(cell.col, 0)) != (r, c) and (cell.row, cell.col) != (r, c):
                continue  # covered by a spanning cell written where it starts
            tag = "th" if cell.header else "td"
            attrs = ""
            if cell.row_span > 1:
                attrs += f' rowspan="{min(cell.row_span, table.n_rows - r)}"'
            if cell.col_span > 1:
                attrs += f' colspan="{min(cell.col_span, table.n_cols - c)}"'
            text = html.escape(" ".join(cell.text.split()), quote=False)
            out.append(f"<{tag}{attrs}>{text}</{tag}>")
        rows.append(f"<tr>{''.join(out)}</tr>")
    return f"<table>{''.join(rows)}</table>"
