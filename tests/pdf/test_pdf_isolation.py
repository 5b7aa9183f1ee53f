"""Failure class 1: no exception from a stage or renderer fails a document."""

from __future__ import annotations

import pytest
from pdfgen import two_column_pdf

import docrecon
from docrecon import pipeline
from docrecon.model import Block, BlockType, Cell, Table
from docrecon.model.serialize import document_to_dict
from docrecon.renderers import render_document
from docrecon.renderers.markdown import render_blocks
from docrecon.renderers.options import RenderOptions, TableMode


class Boom(RuntimeError):
    pass


def _boom(*_args: object) -> None:
    raise Boom("injected")


@pytest.mark.parametrize("stage", pipeline.PAGE_STAGES, ids=lambda s: s.name)
def test_a_failing_page_stage_keeps_the_page_text(stage: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(stage), "__call__", _boom)
    doc = docrecon.parse(two_column_pdf(), name="two_column.pdf")
    assert not doc.failed_pages
    md = render_document(doc)
    assert "Document parsing turns pages into structured text" in md
    assert any(f"{stage.name} stage failed" in w for w in doc.warnings)  # type: ignore[attr-defined]
    assert document_to_dict(doc)["warnings"]


@pytest.mark.parametrize("stage", pipeline.DOC_STAGES, ids=lambda s: s.name)
def test_a_failing_document_stage_is_skipped(stage: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(stage), "__call__", _boom)
    doc = docrecon.parse(two_column_pdf(), name="two_column.pdf")
    assert "Document parsing turns pages into structured text" in render_document(doc)
    assert any(w.startswith(f"{stage.name} stage skipped") for w in doc.warnings)  # type: ignore[attr-defined]


def test_a_failing_renderer_part_keeps_the_block_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from docrecon.renderers import markdown

    monkeypatch.setitem(markdown.PARTS, BlockType.PARAGRAPH, _boom)
    blocks = [Block(id="b1", type=BlockType.PARAGRAPH, text="plain words survive")]
    assert render_blocks(blocks, RenderOptions()) == "plain words survive"


@pytest.mark.parametrize("marker", ["①", "a)", "(iv)", "一、", "第3条", "３.", "⑫", "Ⅳ.", "12)"])
def test_list_markers_keep_what_the_document_prints(marker: str) -> None:
    items = [Block(id=f"b{i}", type=BlockType.LIST_ITEM, text=f"item {i}", ordered=True, marker=marker,
                   list_id="l1") for i in range(2)]
    md = render_blocks(items, RenderOptions())
    assert "item 0" in md and "item 1" in md
    if marker == "12)":
        assert md.startswith("12. item 0")
    else:
        assert marker.strip() in md


@pytest.mark.parametrize("mode", list(TableMode))
def test_tables_of_any_shape_render(mode: TableMode) -> None:
    shapes = [
        Table(n_rows=0, n_cols=0, cells=[]),
        Table(n_rows=2, n_cols=2, cells=[Cell(0, 0, "span", row_span=5, col_span=5, header=True)]),
        Table(n_rows=1, n_cols=1, cells=[Cell(-1, -1, "outside"), Cell(3, 3, "beyond")]),
        Table(n_rows=3, n_cols=2, cells=[Cell(0, 0, "h", header=True), Cell(0, 1, "h2", header=True),
                                        Cell(1, 0, "a|b")]),
    ]
    for t in shapes:
        b = Block(id="t", type=BlockType.TABLE, text="table text", table=t)
        assert isinstance(render_blocks([b], RenderOptions(tables=mode)), str)


def test_lone_and_paired_surrogates_never_reach_the_output() -> None:
    from rawpdf import RawPdf

    # a font whose ToUnicode maps code 1 to a lone high surrogate and code 2 to U+1D400 (a pair)
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def 1 begincodespacerange"
            b" <00> <FF> endcodespacerange 3 beginbfchar <01> <DB62> <02> <D835DC00> <41> <0041> endbfchar"
            b" endcmap CMapName currentdict /CMap defineresource pop end end")
    pdf = RawPdf()
    cat, tree = pdf.reserve(), pdf.reserve()
    tu = pdf.stream(cmap)
    font = pdf.add(f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode {tu} 0 R >>")
    content = pdf.stream(b"BT /F1 24 Tf 72 700 Td (A\\001A\\002A) Tj ET")
    page = pdf.add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {font}"
                   f" 0 R >> >> /Contents {content} 0 R >>")
    pdf.set(tree, f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    pdf.set(cat, f"<< /Type /Catalog /Pages {tree} 0 R >>")
    doc = docrecon.parse(pdf.build(cat), name="surrogates.pdf", options=docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    md = render_document(doc)
    md.encode("utf-8")  # no lone surrogate: encodes
    assert "\U0001d400" in md or "A" in md
