"""Page images for the web page's result view: one page of a PDF rendered with pdfium, or one
frame of an image, scaled to a requested width in pixels and encoded as PNG.

pdfium is not thread-safe (two renders at once in the server's worker threads crash the process),
so every pdfium call here holds :data:`PDFIUM_LOCK`: page images are rendered one at a time.

Only PDF and image sources have page images; other formats (Office, text) raise
:class:`~docrecon.errors.NotFound` and the page shows the block boxes on a blank page.
"""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
from PIL import Image, ImageOps, ImageSequence

from docrecon.errors import CorruptDocument, NotFound
from docrecon.readers.formats import IMAGE_FORMATS, Format

#: held around every pdfium call of this process's threads
PDFIUM_LOCK = threading.Lock()
#: widths a client may ask for (screen resolution, not print)
MIN_WIDTH, MAX_WIDTH = 64, 2400


def _png(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()


def _pdf_page(data: bytes, number: int, width: int, password: str | None) -> bytes:
    with PDFIUM_LOCK:
        image = _render(data, number, width, password)
    return _png(image)


def _render(data: bytes, number: int, width: int, password: str | None) -> Image.Image:
    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        raise CorruptDocument(f"cannot open the PDF for its page image: {exc}") from exc
    try:
        if not 1 <= number <= len(pdf):
            raise NotFound(f"no page {number} (the document has {len(pdf)})")
        page = pdf[number - 1]
        try:
            w = page.get_width() if page.get_rotation() % 180 == 0 else page.get_height()
            bitmap = page.render(scale=width / max(1.0, w))
            image: Image.Image = bitmap.to_pil().convert("RGB")  # a copy: the bitmap can go
            return image
        finally:
            page.close()
    finally:
        pdf.close()


def _image_page(data: bytes, number: int, width: int) -> bytes:
    try:
        return _frame(data, number, width)
    except (OSError, ValueError) as exc:  # a format Pillow cannot draw here (EPS without Ghostscript ...)
        raise NotFound(f"no page image for this file: {exc}") from exc


def _frame(data: bytes, number: int, width: int) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        frames = ImageSequence.Iterator(im)
        try:
            frame = frames[number - 1]
        except IndexError:
            raise NotFound(f"no page {number} in the image") from None
        upright = ImageOps.exif_transpose(frame.convert("RGB"))
        height = max(1, round(upright.height * width / max(1, upright.width)))
        return _png(upright.resize((width, height), Image.Resampling.LANCZOS))


def page_png(data: bytes, fmt: Format, number: int, width: int, password: str | None = None) -> bytes:
    """Page ``number`` (1-based) of the source as a PNG ``width`` pixels wide."""
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    if fmt is Format.PDF:
        return _pdf_page(data, number, width, password)
    if fmt in IMAGE_FORMATS:
        return _image_page(data, number, width)
    raise NotFound(f"{fmt.value} documents have no page images")
