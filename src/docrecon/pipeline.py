"""Readers, then stages in the declared order, one page at a time; emits progress.

``PAGE_STAGES`` run on each page as the reader yields it (the page's raw data is released right
after), ``DOC_STAGES`` once every page is in. A page that fails is recorded in
``Document.failed_pages`` and the rest of the document goes on.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docrecon.errors import (
    CorruptDocument,
    DocreconError,
    NotFound,
    OcrUnavailable,
    ParseFailed,
    UnsupportedFormat,
)
from docrecon.geometry.glyphs import clean_text
from docrecon.heap import release_freed_memory
from docrecon.model import AssetStore, Document, FailedPage, MemoryAssets, Page, SourceInfo
from docrecon.options import ParseOptions
from docrecon.readers.formats import MIME, Format, parse_format
from docrecon.readers.registry import detect_format, get_reader
from docrecon.readers.source import Source
from docrecon.stages.base import DocStage, PageStage, StageContext
from docrecon.stages.captions import CaptionStage
from docrecon.stages.fallback import plain_text_blocks
from docrecon.stages.formulas import FormulaStage
from docrecon.stages.furniture import FurnitureStage
from docrecon.stages.garbled import GarbledTextStage
from docrecon.stages.headings import HeadingStage
from docrecon.stages.join import JoinStage
from docrecon.stages.layout import BlockStage, LineStage
from docrecon.stages.lists import ListStage
from docrecon.stages.ocr import OcrStage, ocr_missing
from docrecon.stages.reading_order import ReadingOrderStage, number, renumber
from docrecon.stages.table_merge import TableMergeStage
from docrecon.stages.tables import TableStage
from docrecon.validation import check_pages, check_request

log = logging.getLogger(__name__)

PAGE_STAGES: tuple[PageStage, ...] = (
    OcrStage(),
    GarbledTextStage(),
    TableStage(),
    FormulaStage(),
    LineStage(),
    BlockStage(),
    ReadingOrderStage(),
)

DOC_STAGES: tuple[DocStage, ...] = (
    FurnitureStage(),
    TableMergeStage(),
    HeadingStage(),
    ListStage(),
    CaptionStage(),
    JoinStage(),
)


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """``done`` of ``total`` pages finished; ``page`` is the page just handled (None at start/end)."""

    done: int
    total: int
    page: int | None
    stage: str
    message: str

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


ProgressCallback = Callable[[ProgressEvent], None]


#: pages between two returns of freed heap memory to the system (docrecon.heap)
TRIM_EVERY = 8

def as_source(src: str | os.PathLike[str] | bytes | Source, name: str | None, file_type: str | None) -> Source:
    declared: Format | None = None
    if file_type:
        declared = parse_format(file_type)
        if declared is None:
            raise UnsupportedFormat(f"unsupported file type {file_type!r}")
    if isinstance(src, Source):
        if declared is not None:
            src.declared = declared
        return src
    if isinstance(src, bytes | bytearray):
        return Source.from_bytes(bytes(src), name or "document", declared)
    path = Path(src)
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    return Source.from_path(path, declared)


def _run_page(page: Page, ctx: StageContext) -> None:
    """Run the page stages. A stage that raises anything but a docrecon error leaves the page
    its plain text in reading order, with a warning; a page without any text then fails."""
    if page.failed:
        return
    try:
        for stage in PAGE_STAGES:
            try:
                stage(page, ctx)
            except DocreconError:
                raise
            except Exception as exc:  # noqa: BLE001 - failure isolation: one stage must not sink the page
                log.warning("page %d: stage %s failed: %s: %s", page.number, stage.name, type(exc).__name__, exc,
                            exc_info=log.isEnabledFor(logging.DEBUG))  # the traceback is for developers
                _fall_back(page, ctx, f"{stage.name} stage failed ({type(exc).__name__}: {exc})")
                break
    except DocreconError as exc:
        page.failed, page.error = True, exc.message
    finally:
        page.raw = None
    if page.failed:
        page.blocks = []


def _fall_back(page: Page, ctx: StageContext, why: str) -> None:
    try:
        blocks = plain_text_blocks(page)
    except Exception as exc:  # noqa: BLE001 - the last resort must not raise either
        log.warning("page %d: plain-text fallback failed: %s: %s", page.number, type(exc).__name__, exc,
                    exc_info=log.isEnabledFor(logging.DEBUG))
        blocks, why = [], f"{why}; plain-text fallback failed ({type(exc).__name__})"
    if not blocks:
        page.failed, page.error = True, why
        return
    page.blocks = blocks
    page.structured = True  # later page stages leave it as it is
    number(page)  # the stage loop stops here: the reading-order stage does not run
    ctx.warnings.append(f"page {page.number}: {why}; its plain text is kept without layout")


def parse(
    src: str | os.PathLike[str] | bytes | Source,
    options: ParseOptions | None = None,
    *,
    name: str | None = None,
    file_type: str | None = None,
    progress: ProgressCallback | None = None,
    assets: AssetStore | None = None,
) -> Document:
    """Parse a document (path, bytes or Source) into a :class:`Document`.

    ``file_type`` is the declared type (``"PDF"``, ``"docx"`` ...), checked against the content.
    Raises a :class:`docrecon.errors.DocreconError` subclass on bad input.
    """
    opts = options or ParseOptions()
    source = as_source(src, name, file_type)
    if source.size == 0:
        raise CorruptDocument("the file is empty")
    fmt = detect_format(source)
    check_request(opts, fmt, source.size)
    reader = get_reader(fmt)
    store = assets if assets is not None else MemoryAssets()
    opened = reader.open(source, fmt, opts, store)
    try:
        numbers = opened.page_numbers
        check_pages(opts, opened.page_count, len(numbers))
        doc = Document(
            id=str(uuid.uuid4()),
            source=SourceInfo(source.name, MIME[fmt], source.sha256, source.size, fmt.value),
            page_count=opened.page_count,
            metadata=dict(opened.metadata),
            assets=store,
        )
        ctx = StageContext(opts=opts, assets=store)
        total = len(numbers)
        emit = progress or (lambda _e: None)
        emit(ProgressEvent(0, total, None, "read", f"{total} pages to parse"))
        for i, page in enumerate(opened.pages(), start=1):
            _run_page(page, ctx)
            if page.failed:
                doc.failed_pages.append(FailedPage(page.number, page.error or "failed"))
            doc.pages.append(page)
            if i % TRIM_EVERY == 0:
                release_freed_memory()
            emit(ProgressEvent(i, total, page.number, "page", f"page {page.number} ({i} of {total}) done"))
        doc.warnings.extend(opened.warnings)
    finally:
        opened.close()
    _finish(doc, ctx, opts)
    emit(ProgressEvent(total, total, None, "done", "document assembled"))
    return doc


def _clean(doc: Document) -> None:
    """No control, private-use or surrogate character leaves the engine, whatever the reader."""
    for page in doc.pages:
        for b in page.blocks:
            b.text = clean_text(b.text)
            if b.rich is not None:
                b.rich = clean_text(b.rich)
            if b.table is not None:
                for cell in b.table.cells:
                    cell.text = clean_text(cell.text)


def _finish(doc: Document, ctx: StageContext, opts: ParseOptions) -> None:
    good = [p for p in doc.pages if not p.failed]
    missing = ocr_missing(ctx)
    if missing is not None and (not good or not opts.ignore_failed_pages):
        raise OcrUnavailable(missing.message) from missing
    if doc.pages and not good:
        detail = "; ".join(f"page {f.number}: {f.error}" for f in doc.failed_pages[:5])
        raise ParseFailed("no page could be parsed: " + detail)
    if doc.failed_pages and not opts.ignore_failed_pages:
        f = doc.failed_pages[0]
        raise ParseFailed(f"page {f.number} failed: {f.error}")
    for stage in DOC_STAGES:
        try:
            stage(doc, ctx)
        except Exception as exc:  # noqa: BLE001 - failure isolation: a doc stage is skipped, not fatal
            log.warning("document stage %s failed: %s: %s", stage.name, type(exc).__name__, exc,
                        exc_info=log.isEnabledFor(logging.DEBUG))
            ctx.warnings.append(f"{stage.name} stage skipped ({type(exc).__name__}: {exc})")
    doc.warnings.extend(ctx.warnings)
    _clean(doc)
    for page in doc.pages:
        renumber(page)
