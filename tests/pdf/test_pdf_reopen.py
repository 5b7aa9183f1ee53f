"""Long PDFs: the reader reopens the document every ``REOPEN_PAGES`` pages to drop pdfium's
caches; pages across the boundary, form values, page ranges and encrypted files read as before."""

from __future__ import annotations

import io

import pytest
from pdfgen import encrypted_pdf, numbered_pages_pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import docrecon
import docrecon.readers.pdf as pdf_reader

OFF = docrecon.OcrMode.OFF


@pytest.fixture
def reopen_every_two(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reopened: list[int] = []
    real = pdf_reader.OpenedPdf._reopen

    def counting(self: pdf_reader.OpenedPdf) -> None:
        reopened.append(1)
        real(self)

    monkeypatch.setattr(pdf_reader, "REOPEN_PAGES", 2)
    monkeypatch.setattr(pdf_reader.OpenedPdf, "_reopen", counting)
    return reopened


def test_pages_across_reopens_read_the_same(reopen_every_two: list[int]) -> None:
    data = numbered_pages_pdf(7)
    doc = docrecon.parse(data, docrecon.ParseOptions(ocr=OFF))
    md = docrecon.render_markdown(doc)
    for i in range(1, 8):
        assert f"Body of page number {i} with some text." in md
    assert len(reopen_every_two) == 3  # before pages 3, 5 and 7
    assert [p.number for p in doc.pages] == list(range(1, 8))


def test_page_range_counts_pages_read(reopen_every_two: list[int]) -> None:
    doc = docrecon.parse(numbered_pages_pdf(9), docrecon.ParseOptions(ocr=OFF, page_start=4, page_end=8))
    md = docrecon.render_markdown(doc)
    assert [p.number for p in doc.pages] == [4, 5, 6, 7, 8]
    assert "page number 3 " not in md and "page number 8 " in md
    assert len(reopen_every_two) == 2


def test_encrypted_pdf_reopens_with_its_password(reopen_every_two: list[int]) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=StandardEncryption("pw", "owner", canPrint=1))
    for i in range(1, 6):
        c.setFont("Helvetica", 12)
        c.drawString(72, 700, f"Secret page {i} text.")
        c.showPage()
    c.save()
    doc = docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=OFF, password="pw"))
    md = docrecon.render_markdown(doc)
    assert all(f"Secret page {i} text." in md for i in range(1, 6))
    assert len(reopen_every_two) == 2
    with pytest.raises(docrecon.errors.EncryptedDocument):
        docrecon.parse(encrypted_pdf(), docrecon.ParseOptions(ocr=OFF))


def test_form_values_after_a_reopen(reopen_every_two: list[int]) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for i in range(1, 5):
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, f"Field on page {i}:")
        c.acroForm.textfield(name=f"f{i}", value=f"value{i}", x=200, y=694, width=150, height=18)
        c.showPage()
    c.save()
    md = docrecon.render_markdown(docrecon.parse(buf.getvalue(), docrecon.ParseOptions(ocr=OFF)))
    for i in range(1, 5):
        assert f"Field on page {i}: value{i}" in md
        assert md.count(f"value{i}") == 1
