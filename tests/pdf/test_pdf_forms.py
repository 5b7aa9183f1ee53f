"""Filled-in PDF forms on generated files: the values of text fields are document content."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import docrecon
from docrecon.model import Document

W, H = A4


def _parse(data: bytes) -> Document:
    return docrecon.parse(data, docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))


def _form() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, H - 100, "Applicant name:")
    c.acroForm.textfield(name="name", value="Ada Lovelace", x=180, y=H - 106, width=200, height=18)
    c.drawString(72, H - 140, "City:")
    c.acroForm.textfield(name="city", value="London", x=180, y=H - 146, width=200, height=18)
    c.drawString(72, H - 180, "Empty field:")
    c.acroForm.textfield(name="empty", value="", x=180, y=H - 186, width=200, height=18)
    c.drawString(72, H - 220, "Remarks:")
    c.acroForm.textfield(name="remarks", value="Prefers correspondence by post; available from May.",
                         x=180, y=H - 300, width=160, height=90, fieldFlags="multiline")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_text_field_values_are_read_next_to_their_labels() -> None:
    md = docrecon.render_markdown(_parse(_form()))
    assert "Applicant name: Ada Lovelace" in md
    assert "City: London" in md
    for word in ("Prefers", "correspondence", "post;", "available", "May."):
        assert word in md
    assert md.count("Ada Lovelace") == 1


def test_a_document_without_forms_is_read_as_before() -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, H - 100, "Applicant name: Ada Lovelace")
    c.showPage()
    c.save()
    assert docrecon.render_markdown(_parse(buf.getvalue())).strip() == "Applicant name: Ada Lovelace"
