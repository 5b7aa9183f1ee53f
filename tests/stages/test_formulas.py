"""Display formulas of born-digital PDFs become FORMULA blocks with LaTeX; inline math stays."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import docrecon
from docrecon.model import BlockType, Char
from docrecon.stages.formulas import to_latex

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _formula_pdf() -> bytes:
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 11)
    c.drawString(72, 760, "Euler's identity links five constants, and x = 2 holds in this sentence of prose.")
    c.setFont("DejaVu", 14)
    c.drawString(250, 720, "e")
    c.setFont("DejaVu", 9)
    c.drawString(259, 727, "iπ")
    c.setFont("DejaVu", 14)
    c.drawString(276, 720, "+ 1 = 0")
    c.drawString(230, 680, "∂f")
    c.line(228, 675, 252, 675)
    c.drawString(230, 660, "∂t")
    c.drawString(258, 670, "= α")
    c.setFont("Times-Roman", 11)
    c.drawString(72, 630, "The text after the formulas goes on as a normal paragraph of the document.")
    c.save()
    return buf.getvalue()


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans is needed to draw the math glyphs")
def test_display_formulas_as_latex() -> None:
    doc = docrecon.parse(_formula_pdf(), name="formula.pdf")
    formulas = [b.text for b in doc.blocks() if b.type is BlockType.FORMULA]
    assert formulas == ["e^{i\\pi}+1=0", "\\frac{\\partial f}{\\partial t}=\\alpha"]
    text = " ".join(b.text for b in doc.blocks() if b.type is not BlockType.FORMULA)
    assert "x = 2 holds" in text and "normal paragraph" in text


def test_scripts_from_size_and_baseline() -> None:
    chars = [
        Char("x", 0, 0, 6, 12, size=12, baseline=10),
        Char("2", 6, -2, 10, 6, size=8, baseline=4),
        Char("+", 12, 0, 18, 12, size=12, baseline=10),
        Char("y", 20, 0, 26, 12, size=12, baseline=10),
        Char("i", 26, 8, 29, 15, size=8, baseline=14),
    ]
    assert to_latex(chars, []) == "x^{2}+y_{i}"


def test_numbered_exercises_with_math_stay_list_items() -> None:
    """"150.  s(t) = 2t³ − 3t² + 8": the number and the formula are one numbered item (its text
    holds math), not a display formula that swallows the number."""
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Times-Roman", 11)
    c.drawString(72, 760, "For the following exercises, find the velocity and acceleration functions.")
    for i, (n, f) in enumerate([("150.", "s(t) = 2t³ − 3t² − 12t + 8"), ("151.", "s(t) = 2t³ − 15t² + 36t − 10")]):
        c.setFont("Times-Bold", 11)
        c.drawString(72, 730 - 24 * i, n)
        c.setFont("DejaVu", 11)
        c.drawString(100, 730 - 24 * i, f)
    c.save()
    doc = docrecon.parse(buf.getvalue(), name="exercises.pdf")
    assert not [b for b in doc.blocks() if b.type is BlockType.FORMULA]
    items = [b.text for b in doc.blocks() if b.type is BlockType.LIST_ITEM]
    assert len(items) == 2 and "s(t) = 2t³ − 3t² − 12t + 8" in items[0], items
