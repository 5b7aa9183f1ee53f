"""Markdown parts, tables, per-page JSON, JSONL chunks and the result zip (spec §2.8)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from pdfgen import structure_pdf, two_column_pdf

import docrecon
from docrecon.model import BBox, Block, BlockType, Cell, Document, Page, SourceInfo, Table
from docrecon.renderers import (
    ImageMode,
    RenderOptions,
    ResultType,
    TableMode,
    chunk_records,
    document_to_pages_json,
    render_document,
    table_to_html,
    table_to_pipe,
    write_zip,
)


def _table(spans: bool) -> Table:
    cells = [Cell(0, 0, "Name", header=True), Cell(0, 1, "Q1", header=True), Cell(0, 2, "Q2", header=True)]
    if spans:
        cells += [Cell(1, 0, "North", row_span=2), Cell(1, 1, "1,200", col_span=2), Cell(2, 1, "7"), Cell(2, 2, "")]
    else:
        cells += [Cell(1, 0, "North"), Cell(1, 1, "1,200"), Cell(1, 2, "3|4")]
    return Table(3 if spans else 2, 3, cells)


def test_pipe_table_escapes_and_keeps_numbers() -> None:
    assert table_to_pipe(_table(False)) == "| Name | Q1 | Q2 |\n| --- | --- | --- |\n| North | 1,200 | 3\\|4 |"


def test_spans_repeat_in_pipe_and_span_in_html() -> None:
    t = _table(True)
    assert table_to_pipe(t).splitlines()[2] == "| North | 1,200 | 1,200 |"
    html = table_to_html(t)
    assert '<td rowspan="2">North</td><td colspan="2">1,200</td>' in html
    assert "<td></td>" in html  # empty cells kept


def _doc(blocks: list[Block]) -> Document:
    page = Page(1, 600, 800, blocks=blocks)
    for i, b in enumerate(blocks):
        b.order = i
    return Document("d", SourceInfo("x.pdf", "application/pdf", "0", 1, "PDF"), pages=[page], page_count=1)


@pytest.mark.parametrize(
    ("mode", "expect"),
    [(TableMode.AUTO, "<table>"), (TableMode.HTML, "<table>"), (TableMode.MARKDOWN, "| North | 1,200 | 1,200 |")],
)
def test_table_modes(mode: TableMode, expect: str) -> None:
    doc = _doc([Block("t", BlockType.TABLE, table=_table(True), bbox=BBox(0, 0, 1, 1))])
    assert expect in render_document(doc, RenderOptions(tables=mode))


def test_markdown_parts() -> None:
    doc = _doc([
        Block("a", BlockType.TITLE, "Report"),
        Block("b", BlockType.HEADING, "Scope", level=2),
        Block("c", BlockType.LIST_ITEM, "first", list_id="l", ordered=True, marker="7."),
        Block("d", BlockType.LIST_ITEM, "nested", list_id="l", level=1),
        Block("e", BlockType.FORMULA, "E = mc^2"),
        Block("f", BlockType.CODE, "print(1)"),
        Block("g", BlockType.PAGE_FOOTER, "Page 1", layer=docrecon.model.Layer.FURNITURE),
    ])
    md = render_document(doc)
    assert md == "# Report\n\n### Scope\n\n7. first\n    - nested\n\n$$\nE = mc^2\n$$\n\n```\nprint(1)\n```\n"


def test_paragraph_text_never_becomes_markdown_structure() -> None:
    texts = ["# On and from 16 March, the card is no longer sold.", "2019. A year of growth.",
             "- 5 degrees at night", "> not a quote", "===", "plain # text stays"]
    md = render_document(_doc([Block(str(i), BlockType.PARAGRAPH, t) for i, t in enumerate(texts)]))
    assert md.split("\n\n") == ["\\# On and from 16 March, the card is no longer sold.", "2019\\. A year of growth.",
                                 "\\- 5 degrees at night", "\\> not a quote", "\\===", "plain # text stays\n"]
    from markdown_it import MarkdownIt

    tokens = [t.type for t in MarkdownIt().parse(md)]
    assert set(tokens) == {"paragraph_open", "inline", "paragraph_close"}


def test_page_markers() -> None:
    doc = docrecon.parse(structure_pdf(2))
    md = render_document(doc, RenderOptions(page_markers=True, page_format="--- p{{p}} ---"))
    assert md.index("--- p1 ---") < md.index("--- p2 ---")
    assert md.rstrip().endswith("--- p2 ---")


def test_image_text_mode_drops_links() -> None:
    doc = docrecon.parse(two_column_pdf())
    assert "![](images/" in render_document(doc)
    assert "![](" not in render_document(doc, RenderOptions(images=ImageMode.TEXT))


def test_pages_json_shape() -> None:
    doc = docrecon.parse(two_column_pdf())
    pages = document_to_pages_json(doc)
    assert [p["PageNumber"] for p in pages] == [1, 2]
    p1 = pages[0]
    assert p1["Width"] == round(doc.pages[0].width * 2) and p1["Angle"] == 0
    types = {e["Type"] for e in p1["Elements"]}
    assert {"title", "paragraph", "figure", "figure_text", "header", "footer"} <= types
    fig = next(e for e in p1["Elements"] if e["Type"] == "figure")
    assert fig["Text"] == f"images/{fig['InsetImageName']}"
    poly = fig["Polygon"]
    assert poly["LeftTop"]["X"] < poly["RightBottom"]["X"] and poly["LeftTop"]["Y"] < poly["RightBottom"]["Y"]


def test_chunks_follow_sections() -> None:
    doc = docrecon.parse(structure_pdf())
    chunks = chunk_records(doc)
    assert all(set(c) >= {"page_content", "org_data", "big_data", "pages"} for c in chunks)
    overview = next(c for c in chunks if "Characters become words" in c["page_content"])
    content = overview["page_content"]
    assert content.startswith("Parser Design Notes > 1 Chapter 1") or "1.1 Overview" in content
    assert "1.1 Overview" in overview["org_data"]
    assert overview["big_data"].startswith("## 1 Chapter 1")
    assert all(len(c["page_content"]) < 3000 for c in chunks)


@pytest.mark.parametrize("rt", list(ResultType))
def test_zip_members_follow_result_type(rt: ResultType) -> None:
    doc = docrecon.parse(two_column_pdf())
    buf = io.BytesIO()
    names = write_zip(doc, buf, "paper", RenderOptions(), rt)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert sorted(zf.namelist()) == sorted(names)
        assert ("paper.md" in names) == rt.full_md
        assert ("paper.json" in names) == rt.page_json
        assert ("paper_page_1.md" in names) == rt.page_md
        assert "paper.jsonl" in names and "paper_mllm.json" in names
        assert any(n.startswith("images/") and n.endswith(".png") for n in names)
        for n in names:
            if n.endswith(".json"):
                json.loads(zf.read(n))
        for line in zf.read("paper.jsonl").decode().splitlines():
            json.loads(line)
