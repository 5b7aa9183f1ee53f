"""PDF reader and born-digital layout: golden files plus targeted assertions."""

from __future__ import annotations

import pytest
from golden import DATA, assert_golden
from pdfgen import encrypted_pdf, numbered_pages_pdf, sidebar_pdf, structure_pdf, two_column_pdf

import docrecon
from docrecon import BlockType, ParseOptions
from docrecon.model import Layer


@pytest.fixture(scope="module")
def two_col() -> docrecon.Document:
    return docrecon.parse(two_column_pdf(), name="two_column.pdf")


@pytest.fixture(scope="module")
def structure() -> docrecon.Document:
    return docrecon.parse(structure_pdf(), name="structure.pdf")


def test_two_column_golden(two_col: docrecon.Document) -> None:
    assert_golden(two_col, DATA / "pdf" / "two_column")


def test_structure_golden(structure: docrecon.Document) -> None:
    assert_golden(structure, DATA / "pdf" / "structure")


def test_two_column_reading_order(two_col: docrecon.Document) -> None:
    md = docrecon.render_markdown(two_col)
    order = [
        "# Layout Analysis",
        "Column 1 paragraph 1 on page 1",
        "Column 1 paragraph 2 on page 1",
        "Column 2 paragraph 1 on page 1",
        "Figure 1:",
        "Lower column 1 text on page 1",
        "Lower column 2 text on page 1",
        "Column 1 paragraph 1 on page 2",
    ]
    positions = [md.index(s) for s in order]
    assert positions == sorted(positions)


def test_figure_extracted_with_caption(two_col: docrecon.Document) -> None:
    figures = [b for b in two_col.pages[0].blocks if b.type is BlockType.FIGURE]
    assert len(figures) == 1 and figures[0].image is not None
    assert two_col.assets.get(figures[0].image.key).startswith(b"\x89PNG")
    captions = [b for b in two_col.pages[0].blocks if b.type is BlockType.CAPTION]
    assert captions and captions[0].caption_of == figures[0].id


def test_running_header_footer_are_furniture(two_col: docrecon.Document) -> None:
    for page in two_col.pages:
        furniture = {b.text for b in page.blocks if b.layer is Layer.FURNITURE}
        assert "Annual Technical Review" in furniture
        assert f"Page {page.number}" in furniture
    md = docrecon.render_markdown(two_col)
    assert "Annual Technical Review" not in md and "Page 1" not in md


def test_headings_levels_consistent(structure: docrecon.Document) -> None:
    heads = [(b.type, b.level, b.text) for p in structure.pages for b in p.body()
             if b.type in (BlockType.TITLE, BlockType.HEADING)]
    assert heads[0] == (BlockType.TITLE, 0, "Parser Design Notes")
    chapters = [lvl for t, lvl, text in heads if text.endswith(tuple(f"Chapter {i}" for i in range(1, 4)))]
    sections = [lvl for t, lvl, text in heads if text.endswith(("Overview", "Chinese text"))]
    assert chapters == [1, 1, 1]
    assert set(sections) == {2}


def test_lists_nested_and_ordered(structure: docrecon.Document) -> None:
    items = [b for b in structure.pages[0].body() if b.type is BlockType.LIST_ITEM]
    assert [b.text for b in items][:4] == [
        "Characters become words", "Words become lines", "including superscripts", "Lines become blocks"
    ]
    assert [b.level for b in items][:4] == [0, 0, 1, 0]
    assert [b.ordered for b in items][4:7] == [True, True, True]


def test_dehyphenation_and_cross_page_join(structure: docrecon.Document) -> None:
    md = docrecon.render_markdown(structure)
    assert "a well designed pipeline joins them into words" in md
    assert "Sentence 1 starts at the bottom of one page and continues at the top of page 2" in md


def test_chinese_without_spurious_spaces(structure: docrecon.Document) -> None:
    md = docrecon.render_markdown(structure)
    assert "供检索系统建立索引。一个段落可以跨越好几行，中文段落之间不应出现多余的空格。" in md


def test_page_range_and_progress() -> None:
    events: list[docrecon.ProgressEvent] = []
    doc = docrecon.parse(numbered_pages_pdf(10), ParseOptions(page_start=3, page_end=5), progress=events.append)
    assert [p.number for p in doc.pages] == [3, 4, 5]
    assert doc.page_count == 10
    assert "page number 3" in docrecon.render_markdown(doc)
    done = [e.done for e in events]
    assert done == sorted(done) and done[-1] == 3 and events[0].total == 3


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [(5, 3, docrecon.InvalidOption), (0, 2, docrecon.InvalidOption), (11, 12, docrecon.InvalidOption)],
)
def test_bad_page_ranges(start: int, end: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        docrecon.parse(numbered_pages_pdf(10), ParseOptions(page_start=start, page_end=end))


def test_too_many_pages() -> None:
    with pytest.raises(docrecon.TooManyPages):
        docrecon.parse(numbered_pages_pdf(6), ParseOptions(max_pages=5))


def test_encrypted_pdf_needs_password() -> None:
    data = encrypted_pdf()
    with pytest.raises(docrecon.EncryptedDocument, match="empty password"):
        docrecon.parse(data)
    with pytest.raises(docrecon.EncryptedDocument, match="given password"):
        docrecon.parse(data, ParseOptions(password="wrong"))
    doc = docrecon.parse(data, ParseOptions(password="secret"))
    assert "Encrypted content" in docrecon.render_markdown(doc)


def test_owner_only_encryption_opens_with_empty_password() -> None:
    doc = docrecon.parse(encrypted_pdf(user_password=""))
    assert "Encrypted content" in docrecon.render_markdown(doc)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_a_clear_error_or_partial(fraction: float) -> None:
    data = numbered_pages_pdf(8)
    cut = data[: int(len(data) * fraction)]
    try:
        doc = docrecon.parse(cut)
    except (docrecon.CorruptDocument, docrecon.ParseFailed) as exc:
        assert exc.message
    else:
        assert doc.pages  # pdfium repaired what it could; failed pages are listed
        assert all(p.number not in {f.number for f in doc.failed_pages} or p.failed for p in doc.pages)


def test_garbage_with_pdf_header_is_corrupt() -> None:
    with pytest.raises(docrecon.CorruptDocument):
        docrecon.parse(b"%PDF-1.7\n" + b"\x00garbage" * 100)


def test_declared_type_mismatch() -> None:
    with pytest.raises(docrecon.FormatMismatch):
        docrecon.parse(numbered_pages_pdf(1), file_type="DOCX")
    with pytest.raises(docrecon.FormatMismatch):
        docrecon.parse(numbered_pages_pdf(1), name="scan.png")


def test_unknown_binary_is_unsupported() -> None:
    with pytest.raises(docrecon.UnsupportedFormat):
        docrecon.parse(bytes(range(256)) * 4, name="blob")


def test_size_limit() -> None:
    with pytest.raises(docrecon.TooLarge):
        docrecon.parse(numbered_pages_pdf(2), ParseOptions(max_file_bytes=100))


def test_empty_file() -> None:
    with pytest.raises(docrecon.CorruptDocument):
        docrecon.parse(b"", name="empty.pdf")


def test_sidebar_with_a_narrow_gutter_is_its_own_column() -> None:
    """A 6 pt gutter (under a word gap at 10 pt) still separates a sidebar from the main column:
    no line mixes the two."""
    doc = docrecon.parse(sidebar_pdf(), name="note.pdf")
    texts = [b.text for b in doc.blocks()]
    main = [t for t in texts if t.startswith("Main paragraph")]
    assert len(main) == 3 and all("Machinery" not in t and "Analyst" not in t for t in main)
    side = " ".join(t for t in texts if not t.startswith("Main paragraph"))
    assert "Sector: Machinery" in side and "Analyst: Jane Doe" in side and "Main" not in side
    md = docrecon.render_markdown(doc)
    assert md.index("Rating: Overweight") < md.index("Related research") < md.index("Main paragraph 1")
