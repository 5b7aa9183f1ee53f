"""DOCX pictures: one inside a text box is read once, with the box's text (the drawing that
holds the box used to yield it too); a picture's description is its figure text (alt text)."""

from __future__ import annotations

from odd_office import picture_box_docx

import docrecon
from docrecon.model import BlockType
from docrecon.options import OcrMode, ParseOptions


def test_a_picture_in_a_text_box_is_read_once() -> None:
    doc = docrecon.parse(picture_box_docx(), ParseOptions(ocr=OcrMode.OFF), name="box.docx")
    blocks = doc.pages[0].blocks
    assert [b.type for b in blocks].count(BlockType.FIGURE) == 1
    texts = [b.text for b in blocks if b.type is not BlockType.FIGURE]
    assert texts == ["Before the box.", "Box text", "After the box."]
    figure = next(i for i, b in enumerate(blocks) if b.type is BlockType.FIGURE)
    assert [b.text for b in blocks[:figure]] == ["Before the box.", "Box text"]
    assert docrecon.render_markdown(doc).count("![") == 1


def test_a_picture_description_is_its_alt_text() -> None:
    import io

    from docx import Document as Docx
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 40)).save(png, format="PNG")
    png.seek(0)
    word = Docx()
    word.add_paragraph("Revenue grew.")
    word.add_picture(png)
    word.inline_shapes[0]._inline.docPr.set("descr", "Quarterly revenue,\n by region [2024]")
    png.seek(0)
    word.add_picture(png)  # Word's own guess is not the author's description
    word.inline_shapes[1]._inline.docPr.set("descr", "A green square\n\nDescription automatically generated")
    buf = io.BytesIO()
    word.save(buf)
    doc = docrecon.parse(buf.getvalue(), ParseOptions(ocr=OcrMode.OFF), name="alt.docx")
    figures = [b for b in doc.pages[0].blocks if b.type is BlockType.FIGURE]
    assert [f.text for f in figures] == ["Quarterly revenue, by region [2024]", ""]
    assert "![Quarterly revenue, by region \\[2024\\]](images/" in docrecon.render_markdown(doc)
