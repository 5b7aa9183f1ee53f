"""A picture inside a DOCX text box is read once, with the box's text (the drawing that holds
the box used to yield it too)."""

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
