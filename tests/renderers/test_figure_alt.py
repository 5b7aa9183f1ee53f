"""A picture's own text reaches the Markdown as its alt text: the labels a PDF sets inside a
picture (a diagram's boxes) and the description an Office picture carries. Before, both were
dropped (``![](...)``) although the HTML and chunks kept them."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

import docrecon
from docrecon.model import Block, BlockType, ImageRef
from docrecon.options import OcrMode, ParseOptions
from docrecon.renderers.markdown import alt_text, render_figure
from docrecon.renderers.options import RenderOptions


def _diagram_pdf() -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (600, 400), (230, 240, 255))
    draw = ImageDraw.Draw(picture)
    for x in range(0, 600, 40):
        draw.line([(x, 0), (x, 400)], fill=(180, 180, 220))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792))
    c.setFont("Helvetica", 11)
    for i in range(6):
        c.drawString(72, 740 - 14 * i, f"Body line {i} of the paragraph above the diagram.")
    c.drawImage(ImageReader(picture), 100, 300, width=400, height=260)
    c.setFont("Helvetica", 9)
    c.drawString(120, 520, "Input stage")
    c.drawString(300, 520, "Encoder block")
    c.drawString(200, 400, "Output probabilities")
    c.save()
    return buf.getvalue()


def test_labels_inside_a_pdf_picture_are_its_alt_text() -> None:
    doc = docrecon.parse(_diagram_pdf(), ParseOptions(ocr=OcrMode.OFF), name="diagram.pdf")
    md = docrecon.render_markdown(doc)
    assert "![Input stage Encoder block Output probabilities](images/p1_img1.png)" in md
    assert md.count("Encoder block") == 1


def test_alt_text_is_one_line_with_brackets_escaped() -> None:
    assert alt_text("Fig. [a]\n  x\\y ") == "Fig. \\[a\\] x\\\\y"
    block = Block(id="f", type=BlockType.FIGURE, text="see [1]", image=ImageRef("p1_img1.png", "image/png"))
    assert render_figure(block, RenderOptions()) == "![see \\[1\\]](images/p1_img1.png)"
    block.text = ""
    assert render_figure(block, RenderOptions()) == "![](images/p1_img1.png)"
