"""HTML and plain-text renderers: structure, spans, escaping, images."""

from __future__ import annotations

import base64
from html.parser import HTMLParser

from docbuild import block, document, handbook
from pdfgen import two_column_pdf

import docrecon
from docrecon.model import BlockType, Cell, ImageRef, Table
from docrecon.renderers import ImageMode, RenderOptions, render_html, render_text

VOID = {"img", "meta", "br", "hr"}


class _Tree(HTMLParser):
    """Checks that tags nest and close; records tags with their attributes and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    assert not tree.errors and tree.stack == [], (tree.errors, tree.stack)
    return tree


def _spans_doc() -> docrecon.Document:
    cells = [Cell(0, 0, "Region", row_span=2, header=True), Cell(0, 1, "Sales", col_span=2, header=True),
             Cell(1, 1, "2023", header=True), Cell(1, 2, "2024", header=True),
             Cell(2, 0, "North <A&B>"), Cell(2, 1, "10"), Cell(2, 2, "12")]
    items = [block(1, 3, BlockType.LIST_ITEM, "first", list_id="L", ordered=True, marker="1."),
             block(1, 4, BlockType.LIST_ITEM, "nested", list_id="L", level=1, marker="-"),
             block(1, 5, BlockType.LIST_ITEM, "second", list_id="L", ordered=True, marker="2.")]
    doc = document([[block(1, 0, BlockType.TITLE, "Report <draft> & notes"),
                     block(1, 1, BlockType.PARAGRAPH, 'Say "hi" <script>alert(1)</script>'),
                     block(1, 2, BlockType.TABLE, table=Table(3, 3, cells)), *items,
                     block(1, 6, BlockType.FIGURE, "chart text", image=ImageRef("fig.png", "image/png")),
                     block(1, 7, BlockType.CAPTION, "Figure 1: sales", caption_of="p1/b6"),
                     block(1, 8, BlockType.FORMULA, "a < b"),
                     block(1, 9, BlockType.CODE, "if x < 1:\n    y = 2")]])
    doc.assets.put("fig.png", b"\x89PNG-bytes", "image/png")
    return doc


def test_html_is_well_formed_semantic_and_escaped() -> None:
    out = render_html(_spans_doc())
    assert out.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in out
    tree = _parse(out)
    tags = [t for t, _ in tree.tags]
    assert {"h1", "p", "table", "th", "td", "ol", "ul", "li", "figure", "img", "figcaption", "pre"} <= set(tags)
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;A&amp;B&gt;" in out
    assert '<th rowspan="2">Region</th><th colspan="2">Sales</th>' in out
    # the nested list sits inside the first item
    assert "<ol>\n<li" in out and "first\n<ul>\n<li" in out and "</li></ul>\n</li>\n<li" in out
    img = next(a for t, a in tree.tags if t == "img")
    assert img["src"] == "images/fig.png" and img["alt"] == "chart text"
    assert "Figure 1: sales" in out and out.count("Figure 1: sales") == 1
    ids = {a.get("id") for _, a in tree.tags}
    assert {"p1/b0", "p1/b2", "p1/b6"} <= ids
    assert "\\[a &lt; b\\]" in out and "if x &lt; 1:\n    y = 2" in out


def test_html_image_modes() -> None:
    doc = _spans_doc()
    embedded = render_html(doc, embed_images=True)
    data = base64.b64encode(b"\x89PNG-bytes").decode()
    assert f'src="data:image/png;base64,{data}"' in embedded
    as_text = render_html(doc, RenderOptions(images=ImageMode.TEXT))
    assert "<img" not in as_text and "<p>chart text</p>" in as_text


def test_html_of_a_parsed_pdf_and_captions_of_tables() -> None:
    out = render_html(docrecon.parse(two_column_pdf()), RenderOptions(page_markers=True))
    tree = _parse(out)
    assert "<h1" in out and "page 2" in "".join(tree.text)
    hb = render_html(handbook())
    assert "<caption>Table 1: office locations and head counts</caption>" in hb
    assert "ACME Corp confidential" not in hb  # furniture left out


def test_text_output() -> None:
    out = render_text(_spans_doc())
    assert "<" not in out.replace("<A&B>", "").replace("<draft>", "").replace("<script>", "").replace(
        "</script>", "").replace("a < b", "").replace("x < 1", "")
    lines = out.splitlines()
    assert lines[0] == "Report <draft> & notes"
    assert "Region\tSales\tSales" in lines and "North <A&B>\t10\t12" in lines
    assert "1. first" in lines and "  - nested" in lines and "2. second" in lines
    assert "chart text" in lines and "Figure 1: sales" in lines and "    y = 2" in lines
    hb = render_text(handbook(), RenderOptions(page_markers=True))
    assert "<page_num>page 1</page_num>" in hb and "ACME" not in hb
