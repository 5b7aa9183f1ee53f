"""The Q&A index on SQLite FTS5 (the default: a file in ``data_dir``, or ``:memory:``).

``qa_chunks`` holds the chunk JSON and the optional embedding; an FTS5 table with
:data:`~docrecon.qa.stems.TOKENIZER` indexes the two token columns and an unindexed ``doc_id``.
A question's terms are quoted one by one and OR-combined (:func:`~docrecon.qa.index.fts_expr`);
scores are ``-bm25()`` with the column weights, ties in insertion (rowid) order.

One connection, shared by threads (``check_same_thread=False``) behind a lock; WAL on files.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from docrecon.qa.chunks import Chunk
from docrecon.qa.index import WEIGHTS, QaIndex, Row, chunk_from_json, fts_expr, in_order
from docrecon.qa.stems import TOKENIZER

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS qa_chunks (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    data TEXT NOT NULL,
    embedding BLOB
);
CREATE INDEX IF NOT EXISTS qa_chunks_doc ON qa_chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS qa_fts USING fts5(
    body, heading, doc_id UNINDEXED, tokenize = '{TOKENIZER}'
);
"""


class SqliteQaIndex(QaIndex):
    def __init__(self, target: Path | str = ":memory:", *, dense: bool = False) -> None:
        super().__init__(target, dense=dense)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(target), check_same_thread=False, isolation_level=None)
        if str(target) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def _replace(self, doc_id: str, rows: Sequence[Row]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    "DELETE FROM qa_fts WHERE rowid IN (SELECT id FROM qa_chunks WHERE doc_id = ?)", (doc_id,)
                )
                self._db.execute("DELETE FROM qa_chunks WHERE doc_id = ?", (doc_id,))
                for data, (body, heading), blob in rows:
                    cur = self._db.execute(
                        "INSERT INTO qa_chunks (doc_id, data, embedding) VALUES (?, ?, ?)", (doc_id, data, blob)
                    )
                    self._db.execute(
                        "INSERT INTO qa_fts (rowid, body, heading, doc_id) VALUES (?, ?, ?, ?)",
                        (cur.lastrowid, body, heading, doc_id),
                    )
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

    def first_chunks(self, doc_ids: Sequence[str], n: int) -> list[Chunk]:
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
        return in_order(rows, ids)

    def _bm25(self, terms: list[str], ids: list[str], limit: int) -> list[tuple[Chunk, float]]:
        marks = ",".join("?" * len(ids))
        sql = (
            "SELECT c.doc_id, c.data, bm25(qa_fts, ?, ?) AS s FROM qa_fts JOIN qa_chunks c ON c.id = qa_fts.rowid "
            f"WHERE qa_fts MATCH ? AND qa_fts.doc_id IN ({marks}) ORDER BY s, qa_fts.rowid LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, (*WEIGHTS, fts_expr(terms), *ids, limit)).fetchall()
        # FTS5's bm25() is lower-is-better; report it positive, higher-is-better
        return [(chunk_from_json(d, data), -float(s)) for d, data, s in rows]

    def _embeddings(self, ids: list[str]) -> list[tuple[str, str, bytes]]:
        marks = ",".join("?" * len(ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT doc_id, data, embedding FROM qa_chunks WHERE doc_id IN ({marks}) AND embedding IS NOT NULL "
                "ORDER BY id",
                tuple(ids),
            ).fetchall()
        return [(str(d), str(data), bytes(b)) for d, data, b in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
