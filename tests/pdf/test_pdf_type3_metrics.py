"""Failure class 8: Type 3 fonts whose metrics mean nothing. Bitmap-font TeX output puts the
scale in the font matrix (``Tf`` says 0.1), and a font matrix that flips y can turn the
font's ascent negative, so pdfium's character boxes reach a hundred points past the glyphs.
Sizes and boxes then come from the glyphs' ink: lines keep their own height, type sizes rank
headings, and lines in different sizes stay apart."""

from __future__ import annotations

import pytest
from rawpdf import scaled_type3_pdf

import docrecon
from docrecon.model import MemoryAssets
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format
from docrecon.readers.pdf import PdfReader
from docrecon.readers.source import Source

LINES = [
    ("Scaled Fonts Report", 22.0),
    ("Manny Rayner, Pierrette Bouillon", 12.0),
    ("University of Geneva, Switzerland", 12.0),
    ("The body text of this report runs over a line.", 10.0),
]


def _chars(data: bytes) -> list[docrecon.model.Char]:
    opened = PdfReader().open(Source.from_bytes(data, "t3.pdf"), Format.PDF, ParseOptions(), MemoryAssets())
    try:
        pages = opened.pages()  # held: the reader lets go of a page's content when it moves on
        page = next(pages)
        assert page.raw is not None
        return [c for c in page.raw.chars if c.text.strip()]
    finally:
        opened.close()


@pytest.mark.parametrize("flip", [False, True], ids=["scaled", "flipped"])
def test_sizes_and_boxes_come_from_the_ink(flip: bool) -> None:
    chars = _chars(scaled_type3_pdf(LINES, flip=flip))
    assert "".join(c.text for c in chars) == "".join(t.replace(" ", "") for t, _ in LINES)
    sizes = []
    start = 0
    for text, size in LINES:
        n = len(text.replace(" ", ""))
        line = chars[start:start + n]
        start += n
        got = {c.size for c in line}
        assert len(got) == 1  # one font, one size, whatever letters it shows
        (estimate,) = got
        assert size * 0.85 < estimate < size * 1.15
        sizes.append(estimate)
        for c in line:  # boxes of about one line's height around the baseline
            assert c.y1 - c.y0 < 1.5 * size
            assert c.y0 < c.baseline <= c.y1
    assert sizes[0] > sizes[1] > sizes[3]


@pytest.mark.parametrize("flip", [False, True], ids=["scaled", "flipped"])
def test_markdown_ranks_and_separates_the_sizes(flip: bool) -> None:
    doc = docrecon.parse(scaled_type3_pdf(LINES, flip=flip), name="t3.pdf",
                         options=docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    md = docrecon.render_markdown(doc)
    paras = [p.strip() for p in md.split("\n\n") if p.strip()]
    assert paras[0] == "# Scaled Fonts Report"
    assert "Manny Rayner, Pierrette Bouillon" in md
    body = [p for p in paras if "body text" in p]
    assert body == ["The body text of this report runs over a line."]  # not run into the 12-point lines
