"""A poster-sized scan (small print on a 17 x 25 in page) is read in a supervised child under
the default 4 GiB address-space limit, and under 2 GiB (where ``auto`` OCR takes onnxruntime):
strips, few recogniser shapes, few malloc arenas and a capped render keep OCR inside it
(before, every page failed with MemoryError)."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from textimages import text_image

import docrecon
from docrecon.supervise import Limits


def _poster(pages: int) -> bytes:
    lines = [f"Row {i:02d}: small print that runs most of the way across a very wide poster page, "
             f"item {i * 37} of the list, with figures {i * 3.5:.1f} and {i * 11}" for i in range(48)]
    scan = text_image(lines, size=15, width=1634, margin=40)  # about 96 dpi over 1226 pt
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(1226, 1800))
    for _ in range(pages):
        c.drawImage(ImageReader(scan), 0, 1800 - scan.height * 0.75, width=1226, height=scan.height * 0.75)
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("memory_mb", [Limits().memory_mb, 2048])
def test_poster_scan_is_read_within_the_memory_limit(memory_mb: int) -> None:
    limits = Limits(memory_mb=memory_mb)
    doc = docrecon.parse_guarded(_poster(3), docrecon.ParseOptions(ocr=docrecon.OcrMode.FORCE), limits=limits)
    assert not doc.failed_pages
    md = docrecon.render_markdown(doc)
    assert md.count("small print") >= 3 * 40
