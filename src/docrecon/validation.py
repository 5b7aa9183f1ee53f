"""Input limits and the checks on them, written once and run by every entry point (library,
CLI, service workers, the API before a task exists):

* :class:`FileLimits`: the per-type file size limits (spec §2.2 for ReconstructDocumentSSE, the
  CLI and the library; §2.9 for the asynchronous flow and the native tasks). The service reads
  them from the ``limits.files`` settings (:class:`docrecon.config.LimitSettings`); a request
  carries the one that applies to it in ``ParseOptions.max_file_bytes``.
* :func:`check_range` (the page range alone), :func:`check_size` (a size against a limit),
  :func:`check_request` (both, for a parse about to start) and :func:`check_pages` (the range
  against the opened document and ``ParseOptions.max_pages``).

Kept free of pydantic, so the library does not import the settings machinery.
"""

from __future__ import annotations

from dataclasses import dataclass

from docrecon.errors import InvalidOption, TooLarge, TooManyPages
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format

MiB = 1024 * 1024

_DOCUMENTS = frozenset({Format.PDF, Format.DOC, Format.DOCX, Format.PPT, Format.PPTX})
_SHEETS_TEXT = frozenset({Format.MD, Format.TXT, Format.XLS, Format.XLSX, Format.CSV})
_OFFICE = frozenset({Format.DOC, Format.DOCX, Format.PPT, Format.PPTX})
_TEXT = frozenset({Format.MD, Format.TXT})


@dataclass(frozen=True, slots=True)
class FileLimits:
    """File size limits in bytes, by type (WPS is read as DOC)."""

    #: PDF, DOC, DOCX, PPT, PPTX (spec §2.2)
    document: int = 100 * MiB
    #: MD, TXT, XLS, XLSX, CSV (spec §2.2)
    sheet_or_text: int = 10 * MiB
    #: every other type: images, EPS (spec §2.2)
    other: int = 20 * MiB
    #: asynchronous flow and native tasks (spec §2.9): PDF
    flow_pdf: int = 300 * MiB
    #: ... DOC, DOCX, PPT, PPTX
    flow_office: int = 200 * MiB
    #: ... TXT, MD
    flow_text: int = 10 * MiB
    #: ... every other type (XLS, XLSX, CSV, images)
    flow_other: int = 20 * MiB

    def for_format(self, fmt: Format, flow: bool = False) -> int:
        """The limit of ``fmt``: a ReconstructDocumentSSE / CLI / library parse, or (``flow``) an
        asynchronous task."""
        if flow:
            if fmt is Format.PDF:
                return self.flow_pdf
            if fmt in _OFFICE:
                return self.flow_office
            return self.flow_text if fmt in _TEXT else self.flow_other
        if fmt in _DOCUMENTS:
            return self.document
        return self.sheet_or_text if fmt in _SHEETS_TEXT else self.other


DEFAULT_FILE_LIMITS = FileLimits()


def check_range(start: int | None, end: int | None) -> None:
    """The page range on its own: 1-based, start not after end (``InvalidOption``)."""
    if start is not None and start < 1 or end is not None and end < 1:
        raise InvalidOption("page numbers start at 1")
    if start is not None and end is not None and start > end:
        raise InvalidOption(f"start page {start} is after end page {end}")


def check_size(size: int, fmt: Format, limit: int) -> None:
    """A file of ``size`` bytes against ``limit`` (``TooLarge``)."""
    if size > limit:
        raise TooLarge(f"{fmt.value} file of {size} bytes exceeds the limit of {limit} bytes")


def file_limit(fmt: Format, opts: ParseOptions) -> int:
    """The size limit of this parse: the request's own, else the default for ``fmt``."""
    return opts.max_file_bytes if opts.max_file_bytes is not None else DEFAULT_FILE_LIMITS.for_format(fmt)


def check_request(opts: ParseOptions, fmt: Format, size: int) -> None:
    """Everything known before the document is opened: the page range, then the size."""
    check_range(opts.page_start, opts.page_end)
    check_size(size, fmt, file_limit(fmt, opts))


def check_pages(opts: ParseOptions, page_count: int, selected: int) -> None:
    """The range against the opened document, and the number of selected pages."""
    if opts.page_start is not None and page_count and opts.page_start > page_count:
        raise InvalidOption(f"start page {opts.page_start} is beyond the last page ({page_count})")
    if selected > opts.max_pages:
        raise TooManyPages(f"{selected} pages selected, the limit is {opts.max_pages}")


__all__ = [
    "DEFAULT_FILE_LIMITS",
    "FileLimits",
    "check_pages",
    "check_range",
    "check_request",
    "check_size",
    "file_limit",
]
