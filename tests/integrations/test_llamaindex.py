"""DocreconReader with the real llama-index-core."""

from __future__ import annotations

from pathlib import Path

from corpus import make_corpus
from llama_index.core.readers.base import BaseReader
from llama_index.core.schema import Document, MetadataMode

from docrecon.integrations.llamaindex import DocreconReader


def test_reader_documents_and_metadata(tmp_path: Path) -> None:
    root = make_corpus(tmp_path)
    reader = DocreconReader()
    assert isinstance(reader, BaseReader)
    docs = reader.load_data(root, extra_info={"collection": "handbook"})
    assert docs and all(isinstance(d, Document) for d in docs)
    hotel = next(d for d in docs if "150 euros" in d.text)
    assert hotel.id_ == hotel.metadata["chunk_id"]
    assert hotel.metadata["heading_path"] == "Travel policy > Hotels" and hotel.metadata["page"] == 1
    assert hotel.metadata["collection"] == "handbook"
    embedded = hotel.get_content(metadata_mode=MetadataMode.EMBED)
    assert "heading_path: Travel policy > Hotels" in embedded and "bboxes" not in embedded
    pdf = [d for d in docs if d.metadata["file_name"] == "paper.pdf"]
    assert pdf and all(len(d.metadata["bbox"]) == 4 for d in pdf)


def test_lazy_page_mode(tmp_path: Path) -> None:
    root = make_corpus(tmp_path)
    pages = list(DocreconReader(mode="page").lazy_load_data(root / "sub"))
    found = [(Path(d.metadata["source"]).name, d.metadata["page"]) for d in pages]
    assert found == [("paper.pdf", 1), ("paper.pdf", 2)]
    assert all("![](" not in d.text for d in pages)  # no dead image links: pictures as their text
    assert pages[0].text.startswith("# Layout Analysis")
