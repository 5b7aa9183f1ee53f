"""Without the OCR extra, a page that needs OCR fails with OcrUnavailable (503), not ParseFailed."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest
from PIL import Image
from textimages import text_image

import docrecon
from docrecon.errors import OcrUnavailable
from docrecon.ocr import set_engine
from docrecon.ocr.rapid import RapidOcrEngine
from docrecon.options import ParseOptions


@pytest.fixture
def no_rapidocr(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import rapidocr -> ImportError
    old = set_engine(RapidOcrEngine())
    yield
    set_engine(old)


def _png() -> bytes:
    buf = io.BytesIO()
    text_image(["A scanned line of text"], size=24, width=400).save(buf, "PNG")
    return buf.getvalue()


def _mixed_pdf() -> bytes:
    """Page 1 born-digital text, page 2 a scan (an image only)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(400, 200))
    c.drawString(40, 100, "Born-digital text on the first page, long enough to count as a text layer.")
    c.showPage()
    c.drawImage(ImageReader(Image.open(io.BytesIO(_png()))), 0, 0, 400, 200)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.usefixtures("no_rapidocr")
def test_image_fails_with_ocr_unavailable() -> None:
    with pytest.raises(OcrUnavailable, match="install docrecon\\[ocr\\]"):
        docrecon.parse(_png(), name="scan.png")


@pytest.mark.usefixtures("no_rapidocr")
def test_mixed_pdf_keeps_its_text_pages() -> None:
    doc = docrecon.parse(_mixed_pdf(), name="mixed.pdf")
    assert [f.number for f in doc.failed_pages] == [2]
    assert "OCR is not installed" in doc.failed_pages[0].error
    with pytest.raises(OcrUnavailable):
        docrecon.parse(_mixed_pdf(), ParseOptions(ignore_failed_pages=False), name="mixed.pdf")
