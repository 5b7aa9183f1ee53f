"""docrecon.chunk: structure, provenance, token budgets, tokenizers, stable ids."""

from __future__ import annotations

import json

import pytest
from docbuild import block, document, handbook, table
from pdfgen import structure_pdf
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import Whitespace

import docrecon
from docrecon.model import BlockType
from docrecon.renderers.chunking import split_text


def test_sections_lists_tables_and_figures() -> None:
    chunks = docrecon.chunk(handbook())
    texts = [c.text for c in chunks]
    assert all("ACME Corp confidential" not in t and "Page 1" not in t for t in texts)  # furniture skipped
    leave = next(c for c in chunks if "25 days" in c.text)
    assert leave.heading_path == ("Employee Handbook", "Leave")
    assert leave.text.startswith("Employee Handbook > Leave\n") and leave.body.startswith("Employees get")
    sick = next(c for c in chunks if "doctor" in c.text)
    assert sick.heading_path == ("Employee Handbook", "Leave", "Sick days")
    travel = next(c for c in chunks if "Trains" in c.text)
    assert travel.block_ids == ("p1/b7", "p1/b8", "p1/b9", "p1/b10")
    assert travel.block_types == (BlockType.PARAGRAPH, *[BlockType.LIST_ITEM] * 3)
    tab = next(c for c in chunks if c.kind == "table")
    assert tab.body.splitlines() == [
        "Table 1: office locations and head counts",
        "| City | Staff | Opened |",
        "| --- | --- | --- |",
        "| Berlin | 120 | 2001 |",
        "| Lyon | 45 | 2015 |",
    ]
    assert tab.pages == (2,) and tab.block_ids == ("p2/b2", "p2/b3")
    fig = next(c for c in chunks if c.kind == "figure")
    assert fig.block_ids == ("p2/b5",) and "Berlin campus" in fig.text
    assert sum("office locations" in t for t in texts) == 1
    assert all(c.source == "handbook.pdf" and c.source_sha256 == "0" * 64 for c in chunks)


def test_bboxes_pages_and_spans() -> None:
    chunks = docrecon.chunk(handbook())
    travel = next(c for c in chunks if "Trains" in c.text)
    assert [p for p, _ in travel.bboxes] == [1, 1, 1, 1]
    assert travel.bboxes[1][1].y0 == 60.0 + 30 * 8
    offset = travel.text.index("Flights")
    assert travel.block_ids[travel.block_at(offset)] == "p1/b9"
    start, end = travel.spans[2]
    assert "Flights need the approval" in travel.text[start:end]
    record = travel.to_dict()
    assert json.loads(json.dumps(record)) == record
    assert record["bboxes"][0] == {"page": 1, "bbox": [50.0, 270.0, 550.0, 290.0]}
    assert record["block_types"][1] == "list_item" and record["heading_path"] == ["Employee Handbook", "Travel"]


def _long_table_doc() -> docrecon.Document:
    rows = [["Code", "Description", "Amount"]] + [[f"C{i:03d}", f"item number {i} of the ledger", str(i * 7)]
                                                  for i in range(60)]
    return document([[block(1, 0, BlockType.HEADING, "Ledger", level=1),
                      block(1, 1, BlockType.TABLE, table=table(rows))]])


def test_long_table_is_cut_between_rows_with_the_header_repeated() -> None:
    chunks = docrecon.chunk(_long_table_doc(), max_tokens=60)
    assert len(chunks) > 3 and all(c.kind == "table" for c in chunks)
    seen: list[str] = []
    for c in chunks:
        lines = c.body.splitlines()
        assert lines[:2] == ["| Code | Description | Amount |", "| --- | --- | --- |"]
        assert all(line.startswith("| C") and line.endswith(" |") for line in lines[2:])
        assert c.tokens <= 60
        seen += lines[2:]
    assert len(seen) == 60 and seen[0].startswith("| C000") and seen[-1].startswith("| C059")


def test_a_row_or_a_list_item_is_never_cut() -> None:
    big = " ".join(f"word{i}" for i in range(80))
    rows = [["Key", "Value"], ["a", big], ["b", "short"]]
    items = [block(1, 2 + i, BlockType.LIST_ITEM, f"item {i} " + ("long " * 30 if i == 1 else ""), list_id="L")
             for i in range(5)]
    doc = document([[block(1, 0, BlockType.TABLE, table=table(rows)), *items]])
    chunks = docrecon.chunk(doc, max_tokens=40)
    assert any(big in c.text for c in chunks)  # the oversized row stays whole
    list_chunks = [c for c in chunks if c.kind == "list"]
    body = "\n".join(c.body for c in list_chunks)
    assert [line.split()[1] for line in body.splitlines()] == ["item"] * 5
    assert any(("long " * 30).strip() in c.text for c in list_chunks)
    assert {b for c in list_chunks for b in c.block_ids} == {f"p1/b{2 + i}" for i in range(5)}


def test_long_paragraphs_respect_max_tokens_and_overlap_repeats_sentences() -> None:
    sentences = [f"Sentence {i} talks about topic {i} in seven words." for i in range(40)]
    doc = document([[block(1, 0, BlockType.PARAGRAPH, " ".join(sentences))]])
    plain = docrecon.chunk(doc, max_tokens=50, overlap=0)
    assert len(plain) > 5 and all(c.tokens <= 50 for c in plain)
    assert " ".join(c.text for c in plain) == " ".join(sentences)
    lapped = docrecon.chunk(doc, max_tokens=50, overlap=12)
    for prev, nxt in zip(lapped, lapped[1:], strict=False):
        last = prev.text.rsplit(". ", 1)[-1]
        assert nxt.text.startswith(last.rstrip(".")), (prev.text, nxt.text)
    assert all(c.tokens <= 50 for c in lapped)


def test_cjk_counts_characters_and_splits_between_sentences() -> None:
    assert docrecon.count_tokens("检索系统 uses BM25.") == 6
    text = "。".join(f"第{i}句话讲一件事" for i in range(30)) + "。"
    parts = split_text(text, 20, docrecon.count_tokens)
    assert len(parts) > 5 and "".join(parts) == text
    assert all(docrecon.count_tokens(p) <= 20 for p in parts)
    assert split_text("x" * 5 + " " + "y" * 5, 1, docrecon.count_tokens) == ["xxxxx", "yyyyy"]


def test_any_tokenizer_or_callable_counts_tokens() -> None:
    vocab = {"[UNK]": 0, **{w: i + 1 for i, w in enumerate("employees get days of paid leave".split())}}
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = Whitespace()  # type: ignore[assignment]
    by_tokenizer = docrecon.chunk(handbook(), tokenizer=tok)
    leave = next(c for c in by_tokenizer if "25 days" in c.text)
    assert leave.tokens == len(tok.encode(leave.text))
    by_chars = docrecon.chunk(handbook(), max_tokens=40, tokenizer=len)
    assert all(c.tokens == len(c.text) for c in by_chars)
    by_list = docrecon.chunk(handbook(), tokenizer=lambda s: s.split())
    assert next(c for c in by_list if "25 days" in c.text).tokens == len(leave.text.split())
    with pytest.raises(TypeError):
        docrecon.chunk(handbook(), tokenizer=42)  # type: ignore[arg-type]


def test_options_are_checked() -> None:
    with pytest.raises(docrecon.InvalidOption):
        docrecon.chunk(handbook(), max_tokens=0)
    with pytest.raises(docrecon.InvalidOption):
        docrecon.chunk(handbook(), max_tokens=10, overlap=10)


def test_parsed_pdf_ids_are_stable_and_provenance_points_into_the_page() -> None:
    data = structure_pdf()
    first, second = docrecon.parse(data), docrecon.parse(data)
    a, b = docrecon.chunk(first), docrecon.chunk(second)
    assert [c.id for c in a] == [c.id for c in b] and len({c.id for c in a}) == len(a)
    assert first.id != second.id  # ids do not depend on the per-parse document id
    pages = {p.number: p for p in first.pages}
    blocks = {blk.id: blk for p in first.pages for blk in p.blocks}
    for c in a:
        assert c.pages and set(c.pages) <= set(pages)
        for (page, box), bid in zip(c.bboxes, c.block_ids, strict=True):
            assert blocks[bid].bbox == box and 0 <= box.x0 < box.x1 <= pages[page].width
        assert c.tokens <= 256 or c.kind in ("table", "list")
    assert any(len(c.heading_path) >= 2 for c in a)
