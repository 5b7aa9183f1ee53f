from __future__ import annotations

from qadocs import block, document, handbook, table

from docrecon.model import BBox, BlockType
from docrecon.qa.chunks import chunk_document
from docrecon.qa.text import sentences, tokenize


def test_sections_lists_tables_and_figures() -> None:
    chunks = chunk_document(handbook(), "d1", "handbook.pdf")
    texts = [c.text for c in chunks]
    assert all("ACME Corp confidential" not in t and "Page 1" not in t for t in texts)  # furniture skipped
    leave = next(c for c in chunks if "25 days" in c.text)
    assert leave.heading_path == ("Employee Handbook", "Leave")
    assert leave.text.startswith("Employee Handbook > Leave\n")
    sick = next(c for c in chunks if "doctor" in c.text)
    assert sick.heading_path == ("Employee Handbook", "Leave", "Sick days")
    travel = next(c for c in chunks if "Trains" in c.text)
    assert travel.heading_path == ("Employee Handbook", "Travel")
    # the list group stays together (with its lead-in paragraph)
    assert "Flights need" in travel.text and "Hotels are capped" in travel.text
    assert travel.block_ids == ("p1/b7", "p1/b8", "p1/b9", "p1/b10")
    tab = next(c for c in chunks if c.kind == "table")
    assert tab.text.splitlines()[1:] == [
        "Table 1: office locations and head counts",
        "| City | Staff | Opened |",
        "| --- | --- | --- |",
        "| Berlin | 120 | 2001 |",
        "| Lyon | 45 | 2015 |",
    ]
    assert tab.pages == (2,) and tab.block_ids == ("p2/b2", "p2/b3")
    fig = next(c for c in chunks if c.kind == "figure")
    assert fig.block_ids == ("p2/b5",) and "Berlin campus" in fig.text
    # a caption is never a chunk of its own
    assert sum("office locations" in t for t in texts) == 1


def test_boxes_spans_and_pages() -> None:
    chunks = chunk_document(handbook(), "d1", "handbook.pdf")
    for c in chunks:
        assert len(c.boxes) == len(c.block_ids) == len(c.spans)
        assert c.pages == tuple(sorted({p for p, _ in c.boxes}))
        assert c.chunk_id.startswith("d1#") and c.doc_id == "d1" and c.name == "handbook.pdf"
    leave = next(c for c in chunks if "25 days" in c.text)
    assert leave.boxes == ((1, BBox(50.0, 150.0, 550.0, 170.0)),)
    start, end = leave.spans[0]
    assert leave.text[start:end].startswith("Employees get 25 days")
    assert leave.block_at(leave.text.index("Unused")) == 0
    zh = next(c for c in chunks if "弹性工作制" in c.text)
    assert zh.pages == (2,) and zh.block_ids == ("p2/b7",)


def test_long_table_is_split_with_header_repeated() -> None:
    rows = [["Product", "Price", "Stock"]] + [[f"item-{i:03d}", f"{i}.50", str(i * 3)] for i in range(120)]
    doc = document([[block(1, 0, BlockType.TABLE, table=table(rows))]])
    chunks = chunk_document(doc, "t", "t.pdf", max_chars=600)
    assert len(chunks) > 3
    for c in chunks:
        lines = c.text.splitlines()
        assert lines[:2] == ["| Product | Price | Stock |", "| --- | --- | --- |"]
        assert len(c.text) <= 650
    body = [line for c in chunks for line in c.text.splitlines()[2:]]
    assert body == [f"| item-{i:03d} | {i}.50 | {i * 3} |" for i in range(120)]


def test_paragraphs_packed_and_long_paragraph_cut_between_sentences() -> None:
    text = "Paragraph {} says something useful about topic {}."
    short = [block(1, i, BlockType.PARAGRAPH, text.format(i, i)) for i in range(40)]
    chunks = chunk_document(document([short]), "p", "p.pdf", max_chars=500)
    assert 1 < len(chunks) < 40
    assert all(len(c.text) <= 560 for c in chunks)
    long_text = " ".join(f"Sentence number {i} is here to fill the page." for i in range(80))
    chunks = chunk_document(document([[block(1, 0, BlockType.PARAGRAPH, long_text)]]), "l", "l.pdf", max_chars=500)
    assert len(chunks) > 4
    for c in chunks:
        assert c.text.endswith(".") and c.text.startswith("Sentence number")  # never cut inside a sentence
        assert c.block_ids == ("p1/b0",)


def test_tokenize_and_sentences() -> None:
    assert tokenize("Revenue grew 12.5% in FY2023") == ["revenue", "grew", "12", "5", "in", "fy2023"]
    assert "收入" in tokenize("营业收入同比增长") and "增长" in tokenize("营业收入同比增长")
    text = "第一句话。第二句话！Third one. Fourth?\n| a | b |"
    assert [text[a:b] for a, b in sentences(text)] == ["第一句话。", "第二句话！", "Third one.", "Fourth?", "| a | b |"]


def test_cjk_without_jieba_falls_back_to_characters_and_pairs() -> None:
    from docrecon.qa.text import _ngrams

    assert list(_ngrams("金刚线")) == ["金", "刚", "线", "金刚", "刚线"]


def test_heading_without_content_is_kept() -> None:
    doc = document([[
        block(1, 0, BlockType.TITLE, "Quarterly review"),
        block(1, 1, BlockType.HEADING, "Agenda", level=1),
        block(1, 2, BlockType.HEADING, "Budget freeze until June", level=1),
        block(1, 3, BlockType.PARAGRAPH, "Spending is frozen."),
        block(1, 4, BlockType.HEADING, "Next meeting on 4 May", level=1),
    ]])
    chunks = chunk_document(doc, "h", "h.pdf")
    assert [(c.kind, c.text) for c in chunks] == [
        ("heading", "Quarterly review\nAgenda"),
        ("text", "Quarterly review > Budget freeze until June\nSpending is frozen."),
        ("heading", "Quarterly review\nNext meeting on 4 May"),
    ]
    assert chunks[0].block_ids == ("p1/b1",)


def test_full_width_text_folds() -> None:
    assert tokenize("ＦＹ２０２３ 收入") == tokenize("FY2023 收入") == ["fy2023", "收入"]


def test_sentences_keep_initials_and_abbreviations() -> None:
    text = "M. Walley, G. Sigthorsson wrote it; Dr. Lee agreed. Case No. 07-1315 follows."
    assert [text[a:b] for a, b in sentences(text)] == [
        "M. Walley, G. Sigthorsson wrote it; Dr. Lee agreed.",
        "Case No. 07-1315 follows.",
    ]
