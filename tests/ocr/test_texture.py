"""Texture is not type: a huge, short, unsure read (a gradient band, a photo's edge) is dropped,
display type of the same size is kept."""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
from reportlab.pdfgen import canvas

from docrecon.ocr import get_engine
from docrecon.ocr.page import read_page, texture


def _display(text: str) -> object:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica-Bold", 200)
    c.drawString(150, 400, text)
    c.showPage()
    c.save()
    return pdfium.PdfDocument(buf.getvalue())[0].render(scale=2).to_pil()


def test_display_type_of_one_or_two_characters_is_kept() -> None:
    for text in ("42", "A"):
        lines = read_page(_display(text), get_engine()).lines  # type: ignore[arg-type]
        assert [ln.text for ln in lines] == [text]


def test_short_unsure_reads_from_huge_boxes_are_texture() -> None:
    tall = np.zeros((300, 900, 3), dtype="uint8")
    small = np.zeros((40, 120, 3), dtype="uint8")
    assert texture("1", tall, 0.7, 1684)
    assert texture("1 1", tall, 0.7, 1684)
    assert not texture("1", tall, 0.95, 1684)  # sure: display type
    assert not texture("123", tall, 0.7, 1684)  # three characters: a read, not a glyph
    assert not texture("1", small, 0.6, 1684)  # body-sized: left to the confidence threshold
