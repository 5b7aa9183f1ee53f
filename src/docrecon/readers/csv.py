"""CSV: encoding detection, delimiter sniffing, quoted fields (with newlines) -> one table."""

from __future__ import annotations

import csv
import io
from typing import ClassVar

from docrecon.errors import CorruptDocument
from docrecon.model import AssetStore, BlockType
from docrecon.options import ParseOptions
from docrecon.readers.base import ListDocument
from docrecon.readers.formats import Format
from docrecon.readers.office_build import PageBuilder, table_from_rows
from docrecon.readers.office_encoding import decode_text
from docrecon.readers.source import Source

DELIMITERS = ",;\t|"
#: a field this long is a sign of a wrong delimiter or a non-CSV file; csv's default is 128 KiB
FIELD_LIMIT = 10 * 1024 * 1024


def sniff_delimiter(text: str) -> str:
    sample = text[: 64 * 1024]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_rows(text: str, limit: int) -> tuple[list[list[str]], bool]:
    """Rows up to ``limit`` (plus whether more were left out); trailing empty rows dropped."""
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[list[str]] = []
    truncated = False
    try:
        for row in reader:
            if len(rows) >= limit:
                truncated = True
                break
            rows.append(row)
    except csv.Error as exc:
        raise CorruptDocument(f"malformed CSV at line {reader.line_num}: {exc}") from exc
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows, truncated


class CsvReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.CSV})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> ListDocument:
        text = decode_text(src.read())
        rows, truncated = read_rows(text, opts.max_sheet_rows + 1)
        page = PageBuilder(1)
        if rows:
            page.add_table(table_from_rows(rows[: opts.max_sheet_rows]))
        if truncated or len(rows) > opts.max_sheet_rows:
            page.add(
                BlockType.PARAGRAPH,
                f"[Truncated: only the first {opts.max_sheet_rows} rows of this file are shown.]",
            )
        return ListDocument([page.finish()], opts, {"format": "csv"})
