"""Extractive answers: the retrieved sentences that best answer the question, each cited.

Sentences of the top hits (CJK-aware split; a table row counts as a sentence and is shown with
its column headers) are scored by the idf-weighted share of the question's terms they hold,
slightly favouring better-ranked hits. The best few, in document order within their passage,
make the answer, each followed by ``[n]``: ``[n]`` refers to ``citations[n-1]``. Nothing is
invented; when no sentence holds enough of the question, the answer says so and cites nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docrecon.model import BBox
from docrecon.qa.index import Hit
from docrecon.qa.text import query_terms, sentences, tokenize

NO_ANSWER_EN = "No answer found in the session's documents."
NO_ANSWER_ZH = "在会话的文档中没有找到答案。"
#: the best sentence must hold at least this share of the question's (idf-weighted) terms
MIN_COVERAGE = 0.3
#: further sentences are kept when they score at least this share of the best one
KEEP_RATIO = 0.75
MAX_SENTENCES = 3
MAX_QUOTE = 300
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class Citation:
    doc_id: str
    name: str
    #: 1-based page number
    page: int
    bbox: BBox
    block_id: str
    quote: str


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    #: ``[n]`` in ``text`` refers to ``citations[n-1]``
    citations: list[Citation] = field(default_factory=list)
    passages: list[Hit] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.citations)


@dataclass(frozen=True, slots=True)
class Sentence:
    hit: Hit
    #: index into the chunk's blocks
    block: int
    start: int
    end: int
    text: str
    score: float = 0.0


def no_answer_text(question: str) -> str:
    return NO_ANSWER_ZH if _HAS_CJK.search(question) else NO_ANSWER_EN


def _stem(token: str) -> str:
    if token.isascii() and len(token) > 4:
        for suffix in ("ing", "ed", "es", "s"):
            if token.endswith(suffix) and len(token) - len(suffix) >= 3:
                return token[: -len(suffix)]
    return token


def _terms(text: str) -> set[str]:
    return {_stem(t) for t in tokenize(text)}


def _table_row(chunk_text: str, span: tuple[int, int], start: int, end: int) -> str:
    """A pipe-table row as "label: header1 value1; header2 value2" (header taken from the table)."""
    lines = chunk_text[span[0] : span[1]].split("\n")
    header_line = next((x for x in lines if x.startswith("|")), "")
    row = chunk_text[start:end]
    if not row.startswith("|") or row == header_line:
        return row
    heads = [c.strip() for c in header_line.strip("|").split("|")]
    cells = [c.strip() for c in row.strip("|").split("|")]
    if len(heads) != len(cells) or not cells:
        return row
    label, rest = cells[0], list(zip(heads[1:], cells[1:], strict=True))
    values = "; ".join(f"{h}: {v}" if h else v for h, v in rest if v)
    return f"{label} — {values}" if label else values


def candidate_sentences(hits: Sequence[Hit]) -> list[Sentence]:
    """Every sentence of the hits' own text (not the heading path line)."""
    out: list[Sentence] = []
    for hit in hits:
        c = hit.chunk
        for bi, (s0, s1) in enumerate(c.spans):
            for a, b in sentences(c.text[s0:s1]):
                start, end = s0 + a, s0 + b
                text = c.text[start:end]
                if c.kind == "table" and text.startswith("|"):
                    text = _table_row(c.text, (s0, s1), start, end)
                out.append(Sentence(hit, bi, start, end, text))
    return out


def score_sentences(question: str, candidates: list[Sentence]) -> list[Sentence]:
    """Candidates with ``score`` = idf-weighted share of question terms held, rank-discounted."""
    q = {_stem(t) for t in query_terms(question)}
    if not q or not candidates:
        return []
    sent_terms = [_terms(s.text) for s in candidates]
    n = len(candidates)
    weight = {t: math.log(1 + (n + 1) / (0.5 + sum(t in st for st in sent_terms))) for t in q}
    total = sum(weight.values())
    scored = []
    for s, st in zip(candidates, sent_terms, strict=True):
        held = sum(w for t, w in weight.items() if t in st)
        if held:
            prior = 1.0 - 0.04 * (s.hit.rank - 1)
            scored.append(Sentence(s.hit, s.block, s.start, s.end, s.text, held / total * prior))
    return sorted(scored, key=lambda s: -s.score)


def citation_for(s: Sentence) -> Citation:
    c = s.hit.chunk
    page, bbox = c.boxes[s.block]
    quote = s.text if len(s.text) <= MAX_QUOTE else s.text[:MAX_QUOTE].rstrip() + "…"
    return Citation(c.doc_id, c.name, page, bbox, c.block_ids[s.block], quote)


def extractive_answer(question: str, hits: Sequence[Hit], max_sentences: int = MAX_SENTENCES) -> Answer:
    """The answering sentences of ``hits``, each cited; or a clear "no answer" without citations."""
    passages = list(hits)
    ranked = score_sentences(question, candidate_sentences(passages))
    if not ranked or ranked[0].score < MIN_COVERAGE:
        return Answer(no_answer_text(question), [], passages)
    best = ranked[0].score
    chosen: list[Sentence] = []
    seen: set[str] = set()
    for s in ranked:
        if len(chosen) >= max_sentences or s.score < best * KEEP_RATIO:
            break
        norm = " ".join(s.text.split())
        if norm in seen:
            continue
        seen.add(norm)
        chosen.append(s)
    chosen.sort(key=lambda s: (s.hit.rank, s.start))
    citations: list[Citation] = []
    index: dict[tuple[str, int], int] = {}
    parts: list[str] = []
    for s in chosen:
        key = (s.hit.chunk.chunk_id, s.block)
        if key not in index:
            citations.append(citation_for(s))
            index[key] = len(citations)
        space = "" if s.text[-1] > "\u2e80" else " "
        parts.append(f"{s.text}{space}[{index[key]}]")
    sep = "" if _HAS_CJK.search(question) else " "
    return Answer(sep.join(parts), citations, passages)
