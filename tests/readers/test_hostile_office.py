"""Hostile Office and image files from issue 14, generated: each ends in a clear error or a
partial result, quickly and within its limit (each limit: a setting, a default, an error code)."""

from __future__ import annotations

import pytest
from hostile_office import (
    docx_lying_bomb,
    docx_nested_tables,
    gif_frames,
    pptx_missing_slide,
    pptx_nested_groups,
    sample_docx,
    with_compression_method,
    xlsx_bad_shared_string,
    xlsx_far_cell,
    xlsx_whole_sheet_merge,
)

import docrecon
from docrecon.errors import CorruptDocument, EncryptedDocument, TooLarge, UnsupportedFormat
from docrecon.options import OcrMode, ParseOptions
from docrecon.readers.xlsx_geometry import clip_merges

OFF = ParseOptions(ocr=OcrMode.OFF)


def _md(data: bytes, name: str, opts: ParseOptions = OFF) -> str:
    return docrecon.render_markdown(docrecon.parse(data, opts, name=name))


def test_zip_member_with_aes_is_encrypted() -> None:
    data = with_compression_method(sample_docx(), "word/document.xml", 99)
    with pytest.raises(EncryptedDocument):
        docrecon.parse(data, OFF, name="aes.docx")


def test_zip_member_with_unknown_method_is_unsupported() -> None:
    data = with_compression_method(sample_docx(), "word/document.xml", 97)
    with pytest.raises(UnsupportedFormat, match="compression method 97"):
        docrecon.parse(data, OFF, name="m97.docx")


def test_docx_whose_headers_lie_about_sizes_is_refused_without_inflating_it() -> None:
    data = docx_lying_bomb(64)  # 64 MiB inflated, 2 KiB declared
    with pytest.raises(CorruptDocument, match="document.xml"):
        docrecon.parse(data, OFF, name="lying.docx")


def test_docx_package_over_the_inflated_limit_is_too_large() -> None:
    with pytest.raises(TooLarge, match="expands to"):
        docrecon.parse(sample_docx(), ParseOptions(ocr=OcrMode.OFF, max_uncompressed_bytes=10_000), name="a.docx")


def test_docx_tables_nested_50_deep_are_read_quickly_with_their_text() -> None:
    md = _md(docx_nested_tables(50), "deep.docx")
    assert md.count("deep") == 1  # read once, not once per enclosing level (that was 2^50 times)


def test_pptx_groups_nested_200_deep_keep_their_text() -> None:
    assert "deep text" in _md(pptx_nested_groups(200), "groups.pptx")


def test_pptx_groups_nested_beyond_the_xml_depth_limit_are_corrupt() -> None:
    with pytest.raises(CorruptDocument, match="depth"):
        docrecon.parse(pptx_nested_groups(1000), OFF, name="groups.pptx")


def test_pptx_missing_slide_part_is_corrupt() -> None:
    with pytest.raises(CorruptDocument):
        docrecon.parse(pptx_missing_slide(), OFF, name="missing.pptx")


def test_xlsx_shared_string_index_out_of_range_is_not_a_traceback() -> None:
    doc = docrecon.parse(xlsx_bad_shared_string(), OFF, name="ss.xlsx")
    assert doc.pages


def test_xlsx_cell_at_the_last_row_and_column_reads_only_existing_cells() -> None:
    md = _md(xlsx_far_cell(), "far.xlsx")
    assert "North" in md and "1,500,000" in md  # the real tables, and the far cell on its own


def test_xlsx_merge_over_the_whole_sheet_is_clipped() -> None:
    doc = docrecon.parse(xlsx_whole_sheet_merge(), OFF, name="merge.xlsx")
    tables = [b.table for p in doc.pages for b in p.blocks if b.table is not None]
    assert tables and all(t.n_rows * t.n_cols < 10_000 for t in tables)


def test_clip_merges_uses_existing_cells_and_drops_oversized_merges() -> None:
    sheet = b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C4"><v>2</v></c></row></sheetData>' \
            b'<mergeCells><mergeCell ref="A1:XFD1048576"/><mergeCell ref="B2:C3"/></mergeCells>'
    out = clip_merges(sheet, OFF)
    assert out is not None and b'ref="A1:C4"' in out and b'ref="B2:C3"' in out
    dropped = clip_merges(sheet, ParseOptions(max_merge_cells=4))
    assert dropped is not None and b"A1:" not in dropped


def test_gif_with_500_frames_reads_the_first_n_with_a_note() -> None:
    doc = docrecon.parse(gif_frames(500), ParseOptions(ocr=OcrMode.OFF, max_image_frames=20), name="many.gif")
    assert len(doc.pages) == 20
    assert doc.metadata["frames"] == "500" and "first 20 of 500 frames" in doc.metadata["note"]
