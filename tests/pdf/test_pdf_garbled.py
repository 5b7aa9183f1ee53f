"""Failure class 2: text without a usable ToUnicode map never reaches the output as control or
private-use characters; lines of it are re-read by OCR, symbol-font bullets become bullets."""

from __future__ import annotations

import pytest
from rawpdf import garbled_font_pdf, picture_font_pdf

import docrecon
from docrecon.geometry.glyphs import clean_text, symbol_char, unreadable
from docrecon.model import MemoryAssets
from docrecon.options import ParseOptions
from docrecon.readers.formats import Format
from docrecon.readers.pdf import PdfReader
from docrecon.readers.source import Source

BODY = [f"Readable body line number {i} of this report" for i in range(12)]


def test_garbled_lines_are_reread_and_never_output_as_controls() -> None:
    data = garbled_font_pdf(["Enhance the performance"], BODY)
    doc = docrecon.parse(data, name="garbled.pdf")
    md = docrecon.render_markdown(doc)
    assert not any(unreadable(ch) for ch in md)
    assert "Enhance the performance" in md
    assert "Readable body line number 11 of this report" in md


def test_without_ocr_unreadable_characters_are_dropped() -> None:
    data = garbled_font_pdf(["Enhance the performance"], BODY)
    doc = docrecon.parse(data, name="garbled.pdf", options=docrecon.ParseOptions(ocr=docrecon.OcrMode.OFF))
    md = docrecon.render_markdown(doc)
    assert not any(unreadable(ch) for ch in md)
    assert "Readable body line number 0 of this report" in md


def test_symbol_font_bullets_are_mapped() -> None:
    assert symbol_char(0xF06C, "ABCDEE+Wingdings") == "●"
    assert symbol_char(0xF0B7, "SymbolMT") == "•"
    assert symbol_char(0xF0B7, "SomeOtherFont") == "•"
    assert symbol_char(0x41, "Wingdings") is None


def test_clean_text_removes_controls_private_use_and_cid_tokens() -> None:
    assert clean_text("a\x03b\ue000c\ufffd(cid:12)d") == "abcd"
    assert clean_text("tab\tand\nnewline") == "tab\tand\nnewline"


def test_text_layer_without_unicode_map_is_kept_when_ocr_confirms_it() -> None:
    """A Type 3 font with standard glyph names but no ToUnicode: every glyph is flagged as
    unmapped, yet the text is right. OCR of the page reads the same letters, so the text layer,
    with its exact word spacing, is kept (tick labels stay apart: "1 2 3", not "123")."""
    lines = ["Aux Loss Free Layer 25", "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", "Wikipedia Github Mathematics"]
    doc = docrecon.parse(garbled_font_pdf(lines, [], named=True), name="type3.pdf")
    md = docrecon.render_markdown(doc)
    assert "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" in md
    assert not doc.pages[0].ocr
    assert any("confirmed by OCR" in w for w in doc.warnings)


def test_text_layer_that_ocr_contradicts_is_replaced() -> None:
    data = garbled_font_pdf(["Enhance the performance of every team"] * 3, [])
    doc = docrecon.parse(data, name="garbled.pdf")
    assert doc.pages[0].ocr
    assert "Enhance the performance" in docrecon.render_markdown(doc)


def test_text_layer_is_kept_when_its_glyphs_draw_nothing() -> None:
    """A suspect text layer (Type 3, no ToUnicode) whose glyphs draw no ink: OCR of the page
    reads nothing, so the readable text layer is all there is and is kept."""
    doc = docrecon.parse(garbled_font_pdf(["Annual statement 2024"], [], named=True, blank=True), name="blank.pdf")
    assert "Annual statement 2024" in docrecon.render_markdown(doc)
    assert any("text layer kept" in w for w in doc.warnings)


def test_mojibake_from_a_wrong_unicode_map_is_reread() -> None:
    """A font whose ToUnicode map gives Latin-1 letters for its glyphs ("ÀÁÂÁÃÄÁ ÅÆÁÇ"): no
    map error, but no language is written mostly in accented capitals. The lines are re-read
    from the page image."""
    data = garbled_font_pdf(["Revenue grew in every region"] * 2, ["Plain text line"], latin1=True)
    doc = docrecon.parse(data, name="mojibake.pdf")
    md = docrecon.render_markdown(doc)
    assert "Revenue grew in every region" in md and "Plain text line" in md
    assert not any("\u00c0" <= ch <= "\u00ff" for ch in md)


def test_accented_languages_are_not_mojibake() -> None:
    from docrecon.geometry.glyphs import implausible

    for text in ["Les élèves étudièrent à l'école française", "Größenänderung der Übersicht", "AÑO", "ÉTÉ",
                 "Þórunn og Ásgeir fóru á völlinn", "Ação de graças às três"]:
        assert not implausible(text), text
    assert implausible("ÍÆ#(ØK) ÀÁÂÁÃÄÁ")


PICTURE = (["The series impedances are purely inertial, but the shunt"], [3, 6, 3, 15],
           ["Figure 2. A T-circuit equivalent for a tone hole."])


@pytest.mark.parametrize("mode", [docrecon.OcrMode.OFF, docrecon.OcrMode.AUTO])
def test_a_picture_drawn_with_unmapped_glyphs_is_not_text(mode: docrecon.OcrMode) -> None:
    md = docrecon.render_markdown(docrecon.parse(picture_font_pdf(*PICTURE), name="figure.pdf",
                                                 options=docrecon.ParseOptions(ocr=mode)))
    assert md.split("\n\n") == ["The series impedances are purely inertial, but the shunt",
                                 "Figure 2. A T-circuit equivalent for a tone hole.\n"]


def test_a_glyph_whose_ink_box_is_broken_gets_a_box_at_its_origin() -> None:
    opened = PdfReader().open(Source.from_bytes(picture_font_pdf(*PICTURE), "figure.pdf"), Format.PDF,
                              ParseOptions(), MemoryAssets())
    try:
        pages = opened.pages()  # held: the reader lets go of a page's content when it moves on
        page = next(pages)
        assert page.raw is not None
        tiles = [c for c in page.raw.chars if c.text in "!\""]
        assert len(tiles) == 27
        assert all(c.x1 - c.x0 <= 10.01 and c.x0 >= 199.9 for c in tiles)  # not 500 points wide
    finally:
        opened.close()


def test_a_glyph_coded_as_a_line_break_is_reread_not_dropped() -> None:
    """A font without a map whose "c" is code 13: pdfium reports a carriage return that is a
    glyph, not its own line break. The line is re-read ("Abstract", not "Abstra t")."""
    data = garbled_font_pdf(["Abstract of the conference proceedings"], BODY, named=True, line_break_code="c")
    md = docrecon.render_markdown(docrecon.parse(data, name="cr.pdf"))
    assert md.startswith("Abstract of the conference proceedings\n")
    assert not any(unreadable(ch) for ch in md)


def test_only_unmapped_punctuation_and_symbols_read_as_picture_glyphs() -> None:
    """Picture glyphs fall on punctuation and symbols; an unmapped combining mark (an Arabic
    shadda set apart from its letter) or letter is text, not a picture."""
    from docrecon.model import Char, TextLine
    from docrecon.stages.garbled import _drawing

    def line(text: str) -> TextLine:
        chars = [Char(ch, 10.0 * k, 0, 10.0 * k + 8, 10, unmapped=True) for k, ch in enumerate(text)]
        return TextLine(text=text, bbox=docrecon.model.BBox(0, 0, 10.0 * len(text), 10), chars=chars)

    assert _drawing(line('"!!"!')) and _drawing(line("• ▪ •"))
    assert not _drawing(line("\u0651")) and not _drawing(line("ab!")) and not _drawing(line("12"))
    assert not _drawing(line("•")) and not _drawing(line("–"))  # a bullet or dash set apart from its item
