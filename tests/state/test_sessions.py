"""Session documents on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from docrecon.state import SessionDocs


def test_session_documents_lifecycle(db_target: str | Path) -> None:
    docs = SessionDocs(db_target)
    try:
        a = docs.add("app", "s1", "t1", "a.pdf", "pdf", 10)
        b = docs.add("app", "s1", "t2", "b.pdf", "pdf", 20)
        c = docs.add("app", "s2", "t3", "c.pdf", "pdf", 30)
        docs.add("other", "s1", "t4", "d.pdf", "pdf", 40)
        assert [d.doc_id for d in docs.for_session("app", "s1")] == [a.doc_id, b.doc_id]
        assert {d.doc_id for d in docs.parsing()} >= {a.doc_id, b.doc_id, c.doc_id}
        docs.finish(a.doc_id, "ready")
        docs.finish(b.doc_id, "failed", "bad file")
        got = docs.get(b.doc_id)
        assert got is not None and (got.state, got.error, got.size, got.document_key) == (
            "failed",
            "bad file",
            20,
            f"documents/{b.doc_id}.json",
        )
        assert a.doc_id not in {d.doc_id for d in docs.parsing()}
        docs.touch("app", "s1", now=a.used + 1000)
        expired = {d.doc_id for d in docs.expired(a.used + 500)}
        assert c.doc_id in expired and a.doc_id not in expired and b.doc_id not in expired
        docs.delete(c.doc_id)
        assert docs.get(c.doc_id) is None and docs.for_session("app", "s2") == []
    finally:
        docs.close()
