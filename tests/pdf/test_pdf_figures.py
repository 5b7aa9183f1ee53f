"""Text and pictures on generated PDFs: labels inside a picture belong to its figure; lines
set over a picture's edge (a cover photo behind the subtitle) are body text."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

import docrecon
from docrecon.model import BlockType, Document

W, H = A4


def _parse(data: bytes) -> Document:
    return docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))


def _cover() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    photo = Image.linear_gradient("L").resize((400, 400)).convert("RGB")
    c.drawImage(ImageReader(photo), 120, 250, width=420, height=420)
    c.setFont("Helvetica-Bold", 14)
    # the subtitle starts left of the photo and runs over it
    c.drawString(60, 600, "Leverage row permissions on the database")
    c.drawString(60, 560, "Protect columns by defining column masks")
    c.setFont("Helvetica", 9)
    # labels wholly inside the photo
    c.drawString(300, 400, "Jim Bainbridge")
    c.drawString(300, 388, "Hernando Bedoya")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_lines_over_a_pictures_edge_are_body_and_labels_inside_are_its_text() -> None:
    page = _parse(_cover()).pages[0]
    figures = [b for b in page.blocks if b.type is BlockType.FIGURE]
    assert len(figures) == 1
    assert figures[0].text.split("\n") == ["Jim Bainbridge", "Hernando Bedoya"]
    body = [b.text for b in page.body() if b.type is not BlockType.FIGURE]
    assert "Leverage row permissions on the database" in body
    assert "Protect columns by defining column masks" in body
