"""XLSX reader (openpyxl): one page per visible sheet (chart sheets included).

Cells show their displayed text (number formats, dates, percentages, currency; formulas their
cached values), merged ranges become spans, hidden rows/columns are left out, blocks separated
by empty rows or columns become separate tables, charts give their title and data table, and
sheets longer than ``ParseOptions.max_sheet_rows`` are cut with a notice. Only the cells that
exist are visited, and merges are clipped to them before loading (:mod:`.xlsx_geometry`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any, ClassVar

from docrecon.errors import CorruptDocument
from docrecon.model import AssetStore, BlockType, ImageRef, Page
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.formats import Format
from docrecon.readers.office_build import PageBuilder
from docrecon.readers.office_charts import anchor_row, placed_charts
from docrecon.readers.office_numfmt import display
from docrecon.readers.office_sheet import Placed, SheetGrid, sheet_blocks
from docrecon.readers.source import Source
from docrecon.readers.xlsx_geometry import clipped_package
from docrecon.readers.zipguard import check_package


def _grid(ws: Any, limit: int) -> SheetGrid:
    grid = SheetGrid(ws.title)
    hidden_rows = {i for i, d in ws.row_dimensions.items() if d.hidden}
    hidden_cols = {
        i for key, d in ws.column_dimensions.items() if d.hidden
        for i in range(d.min or 0, (d.max or 0) + 1)
    }
    kept = 0
    last_row = 0
    # the cells that exist, never the dense rectangle up to max_row x max_column (iter_rows):
    # one cell at XFD1048576 must not make 17 billion
    for (r, c), cell in sorted(ws._cells.items()):
        if r in hidden_rows:
            continue
        if r != last_row:
            if kept >= limit:
                grid.truncated = True
                break
            kept += 1
            last_row = r
        value = cell.value
        if value is None or (hidden_cols and c in hidden_cols):
            continue
        text = value if isinstance(value, str) else display(value, cell.number_format)
        if text.strip():
            grid.values[(r - 1, c - 1)] = text
    grid.total_rows = ws.max_row
    grid.merges = [
        (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges
    ]
    return grid


class XlsxReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.XLSX})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        import openpyxl

        check_package(src, opts)
        clipped = clipped_package(src, opts)
        try:
            with io.BytesIO(clipped) if clipped is not None else src.open() as fh:
                wb = openpyxl.load_workbook(fh, data_only=True, keep_links=False, rich_text=False)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
            raise CorruptDocument(f"unreadable workbook: {exc}") from exc
        try:
            pages = self._pages(wb, opts, assets)
            metadata = {k: str(v) for k, v in (
                ("title", wb.properties.title), ("author", wb.properties.creator),
            ) if v}
        finally:
            wb.close()
        return ListDocument(pages, opts, metadata)

    def _pages(self, wb: Any, opts: ParseOptions, assets: AssetStore) -> list[Page]:
        pages: list[Page] = []
        for name in wb.sheetnames:
            sheet = wb[name]
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            page = PageBuilder(len(pages) + 1)
            placed = placed_charts(sheet) + self._images(sheet, page.number, assets, opts)
            if hasattr(sheet, "iter_rows"):
                sheet_blocks(_grid(sheet, opts.max_sheet_rows), page, opts.max_sheet_rows, placed)
            else:
                sheet_blocks(SheetGrid(sheet.title), page, opts.max_sheet_rows, placed)
            pages.append(page.finish())
        return pages

    @staticmethod
    def _images(sheet: Any, number: int, assets: AssetStore, opts: ParseOptions) -> list[Placed]:
        if not opts.extract_images:
            return []
        out: list[Placed] = []
        for i, img in enumerate(getattr(sheet, "_images", []), start=1):
            try:
                data = img._data()
            except (OSError, ValueError, KeyError):
                continue
            ext = (getattr(img, "format", "") or "png").lower()
            ref = assets.put(f"p{number}_img{i}.{ext}", data, f"image/{ext}", int(img.width), int(img.height))
            out.append((anchor_row(img), _figure(ref)))
        return out


def _figure(ref: ImageRef) -> Callable[[PageBuilder], None]:
    def emit(page: PageBuilder) -> None:
        page.add(BlockType.FIGURE, "", image=ref)

    return emit
