"""HTML fragments (Markdown HTML blocks) into blocks: tables with spans, lists, paragraphs."""

from __future__ import annotations

from html.parser import HTMLParser

from docrecon.model import BlockType, Cell, Table
from docrecon.readers.office_build import PageBuilder

_BREAKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "pre", "blockquote"}


def _span(value: str | None) -> int:
    try:
        return max(1, min(1000, int((value or "1").strip().strip('"'))))
    except ValueError:
        return 1


class _TableState:
    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int, int, bool]]] = []
        self.cell: list[str] | None = None
        self.attrs: tuple[int, int, bool] = (1, 1, False)

    def table(self) -> Table:
        cells: list[Cell] = []
        taken: set[tuple[int, int]] = set()
        n_cols = 0
        for r, row in enumerate(self.rows):
            c = 0
            for text, cs, rs, header in row:
                while (r, c) in taken:
                    c += 1
                cells.append(Cell(r, c, text, rs, cs, header))
                taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
                c += cs
                n_cols = max(n_cols, c)
        n_rows = max([len(self.rows)] + [c.row + c.row_span for c in cells])
        return Table(n_rows, n_cols, cells)


class HtmlBlocks(HTMLParser):
    def __init__(self, page: PageBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.text: list[str] = []
        self.tables: list[_TableState] = []
        self.lists: list[bool] = []
        self.heading = 0
        self.list_no = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.flush()
            self.tables.append(_TableState())
        elif self.tables:
            self._table_start(tag, a)
        elif tag in ("ul", "ol"):
            self.flush()
            if not self.lists:
                self.list_no += 1
            self.lists.append(tag == "ol")
        elif tag in _BREAKS:
            self.flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.heading = int(tag[1:])

    def _table_start(self, tag: str, a: dict[str, str | None]) -> None:
        t = self.tables[-1]
        if tag == "tr":
            t.rows.append([])
        elif tag in ("td", "th"):
            if not t.rows:
                t.rows.append([])
            t.cell = []
            t.attrs = (_span(a.get("colspan")), _span(a.get("rowspan")), tag == "th")
        elif tag == "br" and t.cell is not None:
            t.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.tables:
            t = self.tables[-1]
            if tag in ("td", "th") and t.cell is not None:
                cs, rs, header = t.attrs
                t.rows[-1].append((" ".join("".join(t.cell).split()), cs, rs, header))
                t.cell = None
            elif tag == "table":
                self.tables.pop()
                table = t.table()
                if self.tables and self.tables[-1].cell is not None:  # nested: text into the cell
                    self.tables[-1].cell.append(" " + " ".join(c.text for c in table.cells) + " ")
                elif table.n_rows and table.n_cols:
                    self.page.add_table(table)
            return
        if tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag in _BREAKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.tables:
            cell = self.tables[-1].cell
            if cell is not None:
                cell.append(data)
            return
        self.text.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        self.text = []
        heading, self.heading = self.heading, 0
        if not text:
            return
        if heading:
            btype = BlockType.TITLE if heading == 1 else BlockType.HEADING
            self.page.add(btype, text, level=heading - 1)
        elif self.lists:
            self.page.add(
                BlockType.LIST_ITEM, text, level=len(self.lists) - 1,
                list_id=f"html{self.list_no}", ordered=self.lists[-1],
            )
        else:
            self.page.add(BlockType.PARAGRAPH, text)


def html_to_blocks(html: str, page: PageBuilder) -> None:
    parser = HtmlBlocks(page)
    parser.feed(html)
    parser.close()
    parser.flush()
