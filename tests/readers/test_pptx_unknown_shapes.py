"""PPTX shapes python-pptx does not read (issue 14, item 5): a ``p:contentPart``, an
``mc:AlternateContent``, a ``p:graphicFrame`` with an unknown ``a:graphicData`` URI, SmartArt
(text in its data part) and a ``p:sp`` without geometry used to raise ``NotImplementedError``
(``shape.shape_type``) or vanish, and the deck yielded nothing. Now each is skipped with a
warning, its text kept, and the rest of the deck is read."""

from __future__ import annotations

import pytest
from odd_office import odd_shapes_pptx

import docrecon
from docrecon.model import BlockType, Document
from docrecon.options import OcrMode, ParseOptions


@pytest.fixture(scope="module")
def doc() -> Document:
    return docrecon.parse(odd_shapes_pptx(), ParseOptions(ocr=OcrMode.OFF), name="odd.pptx")


def test_the_deck_is_read_with_the_text_of_unknown_shapes(doc: Document) -> None:
    texts = [b.text for b in doc.pages[0].blocks]
    assert texts[0] == "Odd shapes"
    assert texts[1:] == ["Unknown frame text", "Smart step one", "Smart step two", "Fallback text",
                         "No geometry text"]
    assert all(b.type is BlockType.PARAGRAPH for b in doc.pages[0].blocks[1:])
    assert [b.text for b in doc.pages[1].blocks][:2] == ["Plain slide", "Plain body"]


def test_one_warning_names_the_skipped_kinds(doc: Document) -> None:
    assert doc.warnings == [
        "slide 1: 3 shape(s) python-pptx does not read (contentPart, graphicFrame "
        "(http://example.com/unknown-graphic), graphicFrame (http://schemas.openxmlformats.org/drawingml/2006/"
        "diagram)) skipped; their text is kept"
    ]


def test_unknown_text_follows_the_shape_position() -> None:
    doc = docrecon.parse(odd_shapes_pptx(), ParseOptions(ocr=OcrMode.OFF), name="odd.pptx")
    smart = next(b for b in doc.pages[0].blocks if b.text == "Smart step one")
    assert smart.bbox is not None and smart.bbox.y0 == pytest.approx(2200000 / 12700)
    md = docrecon.render_markdown(doc)
    assert md.index("Unknown frame text") < md.index("Smart step two") < md.index("Fallback text")


def test_a_damaged_smartart_data_part_loses_only_its_text() -> None:
    doc = docrecon.parse(odd_shapes_pptx(smart_data=b"<dgm:dataModel"), ParseOptions(ocr=OcrMode.OFF), name="o.pptx")
    texts = [b.text for b in doc.pages[0].blocks]
    assert texts == ["Odd shapes", "Unknown frame text", "Fallback text", "No geometry text"]
    assert len(doc.warnings) == 1
