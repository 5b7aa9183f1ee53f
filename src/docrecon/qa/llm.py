"""Answers streamed by an OpenAI-compatible chat-completions LLM, grounded in the retrieved passages.

The prompt holds only the numbered passages and asks for ``[n]`` citations; ``[n]`` refers to
``citations[n-1]``, one citation per passage. Each passage comes with what the answer stage chose
from it (its section's heading path, and its best spans: the table cell, the ``label: value``
field or the sentence that answers), so the LLM sees the same evidence the citations point to.

Without an LLM configured, or on any LLM failure (connect error, HTTP error, timeout, malformed
or cut stream), the extractive answer is given instead; a failure is announced by a notice delta
first. Citations come with the final delta.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from docrecon.config import QaSettings
from docrecon.qa.answer import (
    Answer,
    Citation,
    candidate_spans,
    citation_for,
    extractive_answer,
    score_spans,
)
from docrecon.qa.index import Hit
from docrecon.qa.question import classify
from docrecon.qa.spans import Span

#: best spans shown per passage
SPANS_PER_PASSAGE = 2

SYSTEM_PROMPT = (
    "You answer questions about the user's documents using ONLY the numbered sources given. "
    "After every sentence that uses a source, cite it as [n] (several: [1][3]). "
    "If the sources do not contain the answer, say that the documents do not answer the question. "
    "Do not use outside knowledge. Answer in the language of the question, briefly."
)


@dataclass(frozen=True, slots=True)
class AnswerDelta:
    """A piece of a streamed answer; the last one has ``final`` set and carries the citations."""

    text: str
    final: bool = False
    #: "llm" or "extractive" (also on a fallback's notice and text)
    source: Literal["llm", "extractive"] = "extractive"
    citations: list[Citation] = field(default_factory=list)
    passages: list[Hit] = field(default_factory=list)


class LlmFailure(Exception):
    """The LLM call failed; the message says why (caught here, never raised to callers)."""


def _by_chunk(ranked: Sequence[Span]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for sp in ranked:
        group = out.setdefault(sp.hit.chunk.chunk_id, [])
        if len(group) < SPANS_PER_PASSAGE and all(sp.text != x.text for x in group):
            group.append(sp)
    return out


def ranked_spans(question: str, hits: Sequence[Hit]) -> list[Span]:
    """The answer stage's scored spans of ``hits`` (best first)."""
    q = classify(question)
    return score_spans(q, candidate_spans(q, list(hits)))


def build_messages(
    question: str, hits: Sequence[Hit], max_chars: int, ranked: Sequence[Span] | None = None
) -> list[dict[str, str]]:
    best = _by_chunk(ranked_spans(question, hits) if ranked is None else ranked)
    sources: list[str] = []
    used = 0
    for n, hit in enumerate(hits, 1):
        c = hit.chunk
        pages = ", ".join(str(p) for p in c.pages)
        text = c.text[: max(0, max_chars - used)]
        if not text:
            break
        used += len(text)
        lines = [f"[{n}] ({c.name}, page {pages})"]
        if c.heading_path:
            lines.append("Section: " + " > ".join(c.heading_path))
        lines += [f"Best match ({sp.kind}): {sp.text}" for sp in best.get(c.chunk_id, [])]
        sources.append("\n".join([*lines, text]))
    user = "Sources:\n\n" + "\n\n".join(sources) + f"\n\nQuestion: {question}"
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def passage_citations(question: str, hits: Sequence[Hit], ranked: Sequence[Span] | None = None) -> list[Citation]:
    """One citation per passage (``[n]`` -> ``citations[n-1]``): its span closest to the question."""
    best = _by_chunk(ranked_spans(question, hits) if ranked is None else ranked)
    out = []
    for hit in hits:
        spans = best.get(hit.chunk.chunk_id)
        if spans:
            out.append(citation_for(spans[0]))
            continue
        c = hit.chunk
        page, bbox = c.boxes[0]
        s0, s1 = c.spans[0] if c.spans else (0, len(c.text))
        out.append(Citation(c.doc_id, c.name, page, bbox, c.block_ids[0], c.text[s0:s1][:300]))
    return out


def _endpoint(base_url: str) -> str:
    base = base_url.rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


async def _llm_tokens(
    question: str, hits: Sequence[Hit], settings: QaSettings, ranked: Sequence[Span]
) -> AsyncIterator[str]:
    assert settings.base_url
    body: dict[str, Any] = {
        "model": settings.model,
        "messages": build_messages(question, hits, settings.max_context_chars, ranked),
        "stream": True,
    }
    headers = {"Accept": "text/event-stream"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    timeout = httpx.Timeout(settings.timeout, connect=settings.connect_timeout)
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            async with client.stream("POST", _endpoint(settings.base_url), json=body, headers=headers) as resp:
                if resp.status_code >= 400:
                    detail = (await resp.aread())[:200].decode("utf-8", "replace")
                    raise LlmFailure(f"HTTP {resp.status_code} {detail}".strip())
                finished = False
                async for line in resp.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        finished = True
                        break
                    token, done = _parse_chunk(data)
                    finished = finished or done
                    if token:
                        yield token
                if not finished:
                    raise LlmFailure("the stream ended early")
    except httpx.TimeoutException as exc:
        raise LlmFailure(f"timeout ({type(exc).__name__})") from exc
    except httpx.HTTPError as exc:
        raise LlmFailure(f"{type(exc).__name__}: {exc}") from exc


def _parse_chunk(data: str) -> tuple[str, bool]:
    try:
        obj = json.loads(data)
        choice = obj["choices"][0] if obj.get("choices") else {}
        content = (choice.get("delta") or {}).get("content") or ""
        if not isinstance(content, str):
            raise TypeError("content is not a string")
        return content, bool(choice.get("finish_reason"))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise LlmFailure(f"malformed stream chunk: {data[:80]!r}") from exc


def _extractive_deltas(answer: Answer, notice: str | None = None) -> list[AnswerDelta]:
    out = []
    if notice:
        out.append(AnswerDelta(notice))
    out.append(AnswerDelta(answer.text))
    out.append(AnswerDelta("", final=True, citations=answer.citations, passages=answer.passages))
    return out


async def stream_answer(question: str, hits: Sequence[Hit], settings: QaSettings) -> AsyncIterator[AnswerDelta]:
    """Stream the answer to ``question`` from ``hits`` (LLM when configured, else extractive)."""
    passages = list(hits)
    if not settings.base_url or not passages:
        answer = extractive_answer(question, passages)
        for delta in _extractive_deltas(answer):
            yield delta
        return
    started = False
    ranked = ranked_spans(question, passages)
    try:
        async for token in _llm_tokens(question, passages, settings, ranked):
            started = True
            yield AnswerDelta(token, source="llm")
    except LlmFailure as exc:
        lead = "\n\n" if started else ""
        notice = f"{lead}(LLM unavailable: {exc}; extractive answer follows)\n\n"
        for delta in _extractive_deltas(extractive_answer(question, passages), notice):
            yield delta
        return
    citations = passage_citations(question, passages, ranked)
    yield AnswerDelta("", final=True, source="llm", citations=citations, passages=passages)
