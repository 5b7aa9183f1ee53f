"""docrecon.validation: the per-type size limits (spec §2.2, §2.9) and the input checks that every
entry point shares (issue 15 item 4: one source of truth, validated once)."""

from __future__ import annotations

import pytest
from pdfgen import numbered_pages_pdf

import docrecon
from docrecon.config import Settings
from docrecon.errors import InvalidOption, TooLarge, TooManyPages
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format
from docrecon.validation import DEFAULT_FILE_LIMITS, FileLimits, MiB, check_pages, check_range, check_request


@pytest.mark.parametrize(
    ("fmt", "sse", "flow"),
    [
        (Format.PDF, 100, 300),
        (Format.DOCX, 100, 200),
        (Format.PPT, 100, 200),
        (Format.MD, 10, 10),
        (Format.TXT, 10, 10),
        (Format.XLSX, 10, 20),
        (Format.CSV, 10, 20),
        (Format.PNG, 20, 20),
        (Format.EPS, 20, 20),
    ],
)
def test_documented_defaults(fmt: Format, sse: int, flow: int) -> None:
    assert DEFAULT_FILE_LIMITS.for_format(fmt) == sse * MiB
    assert DEFAULT_FILE_LIMITS.for_format(fmt, flow=True) == flow * MiB


def test_the_settings_hold_the_limits() -> None:
    assert Settings().limits.files == DEFAULT_FILE_LIMITS
    changed = Settings(limits={"files": {"document": 1000, "flow_pdf": 2000}}).limits.files
    assert changed == FileLimits(document=1000, flow_pdf=2000)
    assert changed.for_format(Format.PDF) == 1000 and changed.for_format(Format.PDF, flow=True) == 2000


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (0, None, "page numbers start at 1"),
        (None, -1, "page numbers start at 1"),
        (5, 2, "start page 5 is after end page 2"),
    ],
)
def test_range(start: int | None, end: int | None, message: str) -> None:
    with pytest.raises(InvalidOption, match=message):
        check_range(start, end)


def test_request_range_then_size() -> None:
    check_request(ParseOptions(page_start=1, page_end=3), Format.PDF, 100 * MiB)
    with pytest.raises(TooLarge, match="exceeds the limit of 104857600 bytes"):
        check_request(ParseOptions(), Format.PDF, 100 * MiB + 1)
    with pytest.raises(TooLarge, match="limit of 10 bytes"):
        check_request(ParseOptions(max_file_bytes=10), Format.PDF, 11)
    with pytest.raises(InvalidOption):  # the range is checked first
        check_request(ParseOptions(page_start=3, page_end=1), Format.PDF, 100 * MiB + 1)


def test_pages_against_the_document() -> None:
    check_pages(ParseOptions(page_start=2, max_pages=2), 3, 2)
    with pytest.raises(InvalidOption, match="beyond the last page"):
        check_pages(ParseOptions(page_start=4), 3, 0)
    with pytest.raises(TooManyPages, match="3 pages selected, the limit is 2"):
        check_pages(ParseOptions(max_pages=2), 3, 3)


def test_the_library_runs_the_same_checks() -> None:
    pdf = numbered_pages_pdf(3)
    with pytest.raises(InvalidOption, match="start page 3 is after end page 2"):
        docrecon.parse(pdf, ParseOptions(page_start=3, page_end=2))
    with pytest.raises(TooLarge):
        docrecon.parse(pdf, ParseOptions(max_file_bytes=len(pdf) - 1))
    with pytest.raises(TooManyPages):
        docrecon.parse(pdf, ParseOptions(max_pages=2))
