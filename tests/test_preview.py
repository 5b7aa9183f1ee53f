"""Page images of the result view: PDF pages through pdfium, image frames through Pillow."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from pdfgen import numbered_pages_pdf
from PIL import Image

from docrecon.errors import NotFound
from docrecon.preview import MAX_WIDTH, page_png
from docrecon.readers.formats import Format


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as im:
        assert im.format == "PNG"
        return im.size


def test_pdf_page_at_width() -> None:
    pdf = numbered_pages_pdf(3)
    assert _size(page_png(pdf, Format.PDF, 2, 595)) == (595, 842)  # A4 at one pixel per point
    assert _size(page_png(pdf, Format.PDF, 1, 10**6))[0] == MAX_WIDTH
    with pytest.raises(NotFound):
        page_png(pdf, Format.PDF, 4, 400)


def test_image_frame_scaled() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (400, 200), "red").save(buf, format="PNG")
    png = page_png(buf.getvalue(), Format.PNG, 1, 200)
    assert _size(png) == (200, 100)
    with Image.open(io.BytesIO(png)) as im:
        assert im.convert("RGB").getpixel((100, 50)) == (255, 0, 0)
    with pytest.raises(NotFound):
        page_png(buf.getvalue(), Format.PNG, 2, 200)


def test_formats_without_pages_images() -> None:
    with pytest.raises(NotFound, match="DOCX documents have no page images"):
        page_png(b"PK", Format.DOCX, 1, 400)


def test_renders_from_many_threads_at_once() -> None:
    """pdfium is not thread-safe: the server renders pages in worker threads, one at a time."""
    pdf = numbered_pages_pdf(8)
    with ThreadPoolExecutor(8) as pool:
        sizes = list(pool.map(lambda n: _size(page_png(pdf, Format.PDF, n, 400)), [n % 8 + 1 for n in range(32)]))
    assert set(sizes) == {(400, 566)}
