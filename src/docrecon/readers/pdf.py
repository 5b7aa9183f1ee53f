"""PDF reader on pypdfium2: one page at a time, with chars, rules, rects and images."""

from __future__ import annotations

import logging
import mmap
import os
from collections.abc import Iterator
from typing import ClassVar

import pypdfium2 as pdfium

from docrecon.errors import CorruptDocument, EncryptedDocument
from docrecon.model import AssetStore, BBox, Page, RawPage
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format
from docrecon.readers.pdf_content import (
    dominant_turn,
    extract_chars,
    extract_graphics,
    page_transform,
    renderer,
)
from docrecon.readers.pdf_forms import field_chars
from docrecon.readers.pdf_inflate import check_streams
from docrecon.readers.source import Source

log = logging.getLogger(__name__)

#: pages read before the document is closed and opened again: pdfium keeps every object it has
#: parsed (fonts, images, content streams) until the document closes, about 0.3 MB a page on
#: reports, so a 1,000-page file would grow by 300 MB; reopening costs a few milliseconds
REOPEN_PAGES = 100


def _check_inflation(src: Source, limit: int | None) -> None:
    """Refuse a flate bomb before pdfium inflates it natively (and aborts on a failed allocation)."""
    if limit is None:
        return
    if src.data is not None:
        check_streams(src.data, limit)
        return
    assert src.path is not None
    with open(src.path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return  # pdfium reports the empty file
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as view:
            check_streams(view, limit)


def _load(src: Source, password: str | None) -> pdfium.PdfDocument:
    data = src.data if src.data is not None else str(src.path)
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            raise EncryptedDocument(
                "the PDF is encrypted and could not be opened with "
                + ("the given password" if password else "an empty password")
            ) from exc
        raise CorruptDocument(f"damaged or unreadable PDF: {exc}") from exc
    try:
        pdf.init_forms()  # before any page is loaded: field values are read, and renders show them
    except pdfium.PdfiumError as exc:
        log.warning("form fields of the PDF are not read: %s", exc)
    return pdf


class OpenedPdf:
    def __init__(self, pdf: pdfium.PdfDocument, opts: ParseOptions, assets: AssetStore, src: Source) -> None:
        self.pdf = pdf
        self.src = src
        self.opts = opts
        self.assets = assets
        self.warnings: list[str] = []
        try:
            self.page_count = len(pdf)
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(f"damaged PDF page tree: {exc}") from exc
        if self.page_count == 0:
            raise CorruptDocument("the PDF has no pages")
        self.page_numbers = opts.page_range(self.page_count)
        self.metadata = self._metadata()

    def _metadata(self) -> dict[str, str]:
        try:
            meta = self.pdf.get_metadata_dict(skip_empty=True)
        except (pdfium.PdfiumError, UnicodeDecodeError):
            return {}
        wanted = ("Title", "Author", "Subject", "Creator", "Producer")
        return {k.lower(): str(v) for k, v in meta.items() if k in wanted}

    def _reopen(self) -> None:
        """Drops pdfium's document caches by opening the file afresh."""
        self.pdf.close()
        self.pdf = _load(self.src, self.opts.password)

    def pages(self) -> Iterator[Page]:
        for i, number in enumerate(self.page_numbers):
            if i and i % REOPEN_PAGES == 0:
                self._reopen()
            try:
                pdf_page = self.pdf[number - 1]
            except (pdfium.PdfiumError, IndexError) as exc:
                yield Page(number, 0, 0, failed=True, error=f"page could not be loaded: {exc}")
                continue
            try:
                page = self._read_page(pdf_page, number)
            except pdfium.PdfiumError as exc:
                page = Page(number, 0, 0, failed=True, error=f"page content could not be read: {exc}")
            try:
                yield page
            finally:
                page.raw = None
                pdf_page.close()

    def _read_page(self, pdf_page: pdfium.PdfPage, number: int) -> Page:
        tf = page_transform(pdf_page)
        textpage = pdf_page.get_textpage()
        try:
            chars, invisible, unmapped = extract_chars(textpage, tf)
            turn = dominant_turn(chars)
            if turn:  # the text runs sideways on the displayed page: read it upright
                tf = tf.turned(turn)
                chars, invisible, unmapped = extract_chars(textpage, tf)
        finally:
            textpage.close()
        chars.extend(field_chars(pdf_page, self.pdf.formenv, tf, chars))
        width, height = tf.size
        drawn: list[BBox] = []
        rules, rects, images = extract_graphics(
            pdf_page, tf, number, self.assets if self.opts.extract_images else None, drawn
        )
        visible = [c for c in chars if c.text.strip()]
        suspect = bool(visible) and (invisible > 0.5 * len(visible) or unmapped > 0.3 * len(visible))
        raw = RawPage(chars=chars, rules=rules, rects=rects, images=images, drawn=drawn,
                      render=renderer(pdf_page, turn), text_layer_suspect=suspect)  # type: ignore[arg-type]
        return Page(number, width, height, raw=raw, px_per_unit=self.opts.render_dpi / 72.0)

    def close(self) -> None:
        self.pdf.close()


class PdfReader:
    formats: ClassVar[frozenset[Format]] = frozenset({Format.PDF})

    def open(self, src: Source, fmt: Format, opts: ParseOptions, assets: AssetStore) -> OpenedPdf:
        _check_inflation(src, opts.max_stream_bytes)
        pdf = _load(src, opts.password)
        return OpenedPdf(pdf, opts, assets, src)
