"""XLS reader (xlrd): as faithful as LibreOffice for cell data, without a conversion.

Cells show their displayed text (number formats from the workbook's XF records, dates, booleans,
error codes), merged ranges become spans, hidden sheets and rows are left out. xlrd does not read
charts or pictures of BIFF files, so those are not extracted (see docs/formats.md).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docrecon.errors import CorruptDocument, EncryptedDocument
from docrecon.model import AssetStore, Page
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.formats import Format
from docrecon.readers.office_build import PageBuilder
from docrecon.readers.office_numfmt import display
from docrecon.readers.office_sheet import SheetGrid, sheet_blocks
from docrecon.readers.source import Source


def _cell_text(book: Any, sheet: Any, r: int, c: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)
    ctype = cell.ctype
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if ctype == xlrd.XL_CELL_TEXT:
        return str(cell.value)
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if ctype == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(cell.value, "#ERR"))
    fmt = _format(book, cell.xf_index)
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return display(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return display(cell.value, None)
    return display(cell.value, fmt)


def _format(book: Any, xf_index: int | None) -> str | None:
    if xf_index is None or xf_index >= len(book.xf_list):
        return None
    fmt = book.format_map.get(book.xf_list[xf_index].format_key)
    return None if fmt is None else str(fmt.format_str)


def _grid(book: Any, sheet: Any, limit: int) -> SheetGrid:
    grid = SheetGrid(sheet.name, total_rows=sheet.nrows)
    hidden = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
    kept = 0
    for r in range(sheet.nrows):
        if r in hidden:
            continue
        if kept >= limit:
            grid.truncated = True
            break
        kept += 1
        for c in range(sheet.ncols):
            text = _cell_text(book, sheet, r, c)
            if text.strip():
                grid.values[(r, c)] = text
    grid.merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
    return grid


class XlsReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.XLS})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=src.read(), formatting_info=True, on_demand=True)
        except xlrd.XLRDError as exc:
            if "encrypt" in str(exc).lower():
                raise EncryptedDocument("the workbook is password-protected") from exc
            raise CorruptDocument(f"unreadable workbook: {exc}") from exc
        except (AssertionError, IndexError, KeyError, ValueError, EOFError, OSError) as exc:
            raise CorruptDocument(f"damaged workbook: {exc}") from exc
        try:
            pages: list[Page] = []
            for i in range(book.nsheets):
                sheet = book.sheet_by_index(i)
                if sheet.visibility != 0:
                    continue
                page = PageBuilder(len(pages) + 1)
                sheet_blocks(_grid(book, sheet, opts.max_sheet_rows), page, opts.max_sheet_rows)
                pages.append(page.finish())
                book.unload_sheet(i)
            author = getattr(book, "user_name", "") or ""
        except (AssertionError, IndexError, KeyError, ValueError, xlrd.XLRDError) as exc:
            raise CorruptDocument(f"damaged workbook: {exc}") from exc
        finally:
            book.release_resources()
        return ListDocument(pages, opts, {"author": author} if author else {})
