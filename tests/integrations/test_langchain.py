"""DocreconLoader with the real langchain-core."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus import make_corpus
from langchain_core.document_loaders import BaseLoader
from langchain_core.documents import Document

import docrecon
from docrecon.integrations.langchain import DocreconLoader


def test_chunk_documents_carry_page_bbox_and_heading_path(tmp_path: Path) -> None:
    root = make_corpus(tmp_path)
    loader = DocreconLoader(root)
    assert isinstance(loader, BaseLoader)
    lazy = loader.lazy_load()
    assert isinstance(lazy, Iterator)
    first = next(lazy)
    assert isinstance(first, Document) and first.id == first.metadata["chunk_id"]
    docs = [first, *lazy]
    assert {Path(d.metadata["source"]).name for d in docs} == {"design.pdf", "paper.pdf", "policy.md"}
    hotel = next(d for d in docs if "150 euros" in d.page_content)
    assert hotel.metadata["heading_path"] == "Travel policy > Hotels"
    assert hotel.metadata["headings"] == ["Travel policy", "Hotels"] and hotel.metadata["page"] == 1
    pdf = [d for d in docs if d.metadata["file_name"] == "design.pdf"]
    assert {d.metadata["page"] for d in pdf} == {1, 2}
    for d in pdf:
        x0, y0, x1, y1 = d.metadata["bbox"]
        assert 0 <= x0 < x1 <= 596 and 0 <= y0 < y1 <= 842
        assert d.metadata["bboxes"][0] == {"page": d.metadata["page"], "bbox": d.metadata["bbox"]}
        assert len(d.metadata["block_ids"]) == len(d.metadata["block_types"]) == len(d.metadata["bboxes"])
    # the same chunks as docrecon.chunk
    chunks = docrecon.chunk(docrecon.parse(root / "design.pdf"))
    assert [d.page_content for d in pdf] == [c.text for c in chunks]


def test_page_mode_and_chunk_size(tmp_path: Path) -> None:
    root = make_corpus(tmp_path)
    pages = DocreconLoader(root / "design.pdf", mode="page").load()
    assert [d.metadata["page"] for d in pages] == [1, 2]
    assert pages[0].metadata["bbox"] == [0.0, 0.0, 595.3, 841.9]  # A4
    assert pages[1].metadata["heading_path"].startswith("Parser Design Notes > 1 Chapter 1")
    assert pages[0].page_content.startswith("# Parser Design Notes")
    small = DocreconLoader([root / "design.pdf"], max_tokens=40, tokenizer=len).load()
    assert all(d.metadata["tokens"] == len(d.page_content) for d in small)
    assert len(small) > len(DocreconLoader(root / "design.pdf").load())


def test_errors_are_docrecon_errors(tmp_path: Path) -> None:
    with pytest.raises(docrecon.NotFound):
        DocreconLoader(tmp_path / "missing.pdf").load()
    with pytest.raises(docrecon.InvalidOption):
        DocreconLoader(tmp_path, mode="sentence")  # type: ignore[arg-type]
