"""Failure class 8: labels set close together (chart ticks, tight table cells) keep their word
gaps, while the letters of a word stay together."""

from __future__ import annotations

from rawpdf import pages_pdf
from reportlab.pdfbase.pdfmetrics import stringWidth

import docrecon


def _labels_pdf(labels: list[str], size: float, gap_em: float) -> bytes:
    ops = [f"BT /F1 {size:g} Tf"]
    x = 60.0
    for label in labels:
        ops.append(f"1 0 0 1 {x:.2f} 400 Tm ({label}) Tj")
        x += stringWidth(label, "Helvetica", size) + gap_em * size
    ops.append("ET")
    return pages_pdf(["\n".join(ops).encode()])


def _md(data: bytes) -> str:
    return docrecon.render_markdown(docrecon.parse(data, name="ticks.pdf", options=docrecon.ParseOptions(
        ocr=docrecon.OcrMode.OFF)))


def test_tick_labels_closer_than_a_word_space_stay_apart() -> None:
    labels = [str(i) for i in range(1, 41)]
    md = _md(_labels_pdf(labels, 7, 0.15))
    assert " ".join(labels) in " ".join(md.split())


def test_letters_of_words_stay_together() -> None:
    words = "Tight setting keeps every word whole while spaces remain".split()
    md = _md(_labels_pdf(words, 9, 0.28))
    assert " ".join(words) in " ".join(md.split())


def test_tight_glyph_boxes_of_one_type_size_are_one_word() -> None:
    """Fonts whose character boxes hug the glyphs (small capitals, some Type 1 fonts): a
    lowercase "o" is half as tall as an "O" of the same 10 pt type, which is no change of size
    (a drop capital changes the type size itself), so "olmOCR" stays one word."""
    from docrecon.geometry.fragments import chars_to_fragments
    from docrecon.model import Char

    chars, x = [], 100.0
    for ch in "We present olmOCR today":
        top = 292.3 if ch.islower() and ch not in "dlt" else 290.3
        w = 0.0 if ch == " " else 6.0
        chars.append(Char(ch, x, top, x + (w or 2.5), 297.4, size=10.0, font="SFCC1000", baseline=297.4))
        x += w or 2.5
    assert [f.text for f in chars_to_fragments(chars)] == ["We present olmOCR today"]
