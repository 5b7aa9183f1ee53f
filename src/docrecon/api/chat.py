"""Questions about a session's documents: LKE v1 chat SSE (spec §3.5.1, §3.5.3) and a JSON twin.

``POST /v1/qbot/chat/sse`` answers from the documents docParse produced under the same
(``bot_app_key``, ``session_id``); documents attached in earlier turns stay available. Every
``doc_id`` in ``file_infos`` must belong to that session, else the stream is a single ``error``
event. The stream: the user's message echoed (``reply``, ``is_from_self``), the answer as
``reply`` events every ``streaming_throttle`` characters (cumulative unless ``incremental``), the
last with ``is_final``; then ``token_stat`` and ``reference`` (the cited blocks: document, page,
bbox, block id).

``POST /v1/qbot/chat/answer`` takes the same body and returns one JSON object (answer,
citations, passages); its errors are ``{"error": {"code", "message"}}`` with an HTTP status.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from docrecon.api.body import read_capped
from docrecon.api.docparse import SESSION_ID
from docrecon.api.services import Services
from docrecon.api.sse import frame, single_event, sse_response
from docrecon.errors import (
    ChatAppKeyInvalid,
    ChatBodyTooLarge,
    ChatError,
    ChatNotInSession,
    ChatNotReady,
    ChatSessionInvalid,
    ChatUnavailable,
)

router = APIRouter(include_in_schema=False)

MAX_BODY = 1024 * 1024
MAX_CONTENT = 4000

@dataclass(slots=True)
class ChatTurn:
    session_id: str
    app_id: str
    request_id: str
    content: str
    #: every ready document of the session, in upload order
    doc_ids: list[str]
    names: dict[str, str]
    #: documents attached in this turn
    attached: list[str]
    throttle: int = 5
    incremental: bool = False
    record_id: str = field(default_factory=lambda: str(uuid.uuid4()))


def _body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ChatError("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ChatError("the request body must be a JSON object")
    return body


def _str(body: dict[str, Any], name: str, limit: int) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ChatError(f"{name} must be a string")
    if len(value) > limit:
        raise ChatError(f"{name} is longer than {limit} characters")
    return value


def _attached(body: dict[str, Any]) -> list[str]:
    infos = body.get("file_infos") or []
    if not isinstance(infos, list) or not all(isinstance(i, dict) for i in infos):
        raise ChatError("file_infos must be a list of objects")
    ids = []
    for info in infos:
        doc_id = info.get("doc_id")
        if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or not str(doc_id):
            raise ChatError("every file_infos entry needs a doc_id")
        ids.append(str(doc_id))
    return ids


def resolve_turn(services: Services, body: dict[str, Any], question_field: str = "content") -> ChatTurn:
    """Check key, session and documents (blocking: SQLite); raises :class:`ChatError`."""
    app = services.apps.by_key(_str(body, "bot_app_key", 200))
    if app is None:
        raise ChatAppKeyInvalid("invalid bot_app_key: unknown or revoked application")
    session_id = _str(body, "session_id", 64)
    if not SESSION_ID.match(session_id):
        raise ChatSessionInvalid("invalid session_id: 2-64 characters of letters, digits, '_' and '-'")
    content = _str(body, question_field, MAX_CONTENT).strip()
    attached = _attached(body)
    docs = {d.doc_id: d for d in services.sessions.for_session(app.app_id, session_id)}
    for doc_id in attached:
        doc = docs.get(doc_id)
        if doc is None:
            raise ChatNotInSession(f"document not in session: {doc_id}")
        if doc.state != "ready":
            detail = "is still being parsed" if doc.state == "parsing" else f"failed to parse ({doc.error})"
            raise ChatNotReady(f"document {doc_id} {detail}")
    if not content and not attached:
        raise ChatError("content is empty and no file_infos are given")
    throttle = body.get("streaming_throttle", 5)
    if not isinstance(throttle, int) or isinstance(throttle, bool) or throttle < 1:
        throttle = 5
    services.sessions.touch(app.app_id, session_id)
    ready = [d for d in docs.values() if d.state == "ready"]
    return ChatTurn(
        session_id=session_id,
        app_id=app.app_id,
        request_id=_str(body, "request_id", 255) or str(uuid.uuid4()),
        content=content,
        doc_ids=[d.doc_id for d in ready],
        names={d.doc_id: d.name for d in ready},
        attached=attached,
        throttle=throttle,
        incremental=body.get("incremental") is True,
    )


def _citation(n: int, c: Any) -> dict[str, Any]:
    return {
        "id": n,
        "doc_id": c.doc_id,
        "doc_name": c.name,
        "page": c.page,
        "bbox": [round(v, 1) for v in c.bbox.as_tuple()],
        "block_id": c.block_id,
        "quote": c.quote,
    }


@dataclass(slots=True)
class Answered:
    text: str
    source: str
    citations: list[dict[str, Any]]
    passages: list[dict[str, Any]]


async def answer_deltas(services: Services, turn: ChatTurn) -> AsyncIterator[tuple[str, Answered | None]]:
    """The answer as text pieces; the last item carries the whole :class:`Answered`."""
    if not turn.content:
        names = ", ".join(turn.names.get(d, d) for d in turn.attached)
        text = f"Received {len(turn.attached)} document(s): {names}. Ask a question about them."
        yield text, Answered(text, "system", [], [])
        return
    async for item in answer_stream(services, turn.content, turn.doc_ids):
        yield item


async def answer_stream(
    services: Services, question: str, doc_ids: list[str]
) -> AsyncIterator[tuple[str, Answered | None]]:
    """The answer to ``question`` over the indexed ``doc_ids`` as text pieces, the last item
    carrying the whole :class:`Answered` (the chat API and the web page's ``/v1/ask``)."""
    qa = services.qa
    if qa is None:
        raise ChatUnavailable("question answering is not installed on this server (qa extra)")
    from docrecon.qa.answer import search
    from docrecon.qa.llm import stream_answer

    settings = services.settings.qa
    hits = await asyncio.to_thread(search, qa, question, doc_ids, settings.top_k) if doc_ids else []
    text = ""
    async for delta in stream_answer(question, hits, settings):
        text += delta.text
        if delta.final:
            passages = [
                {"doc_id": h.chunk.doc_id, "doc_name": h.chunk.name, "pages": list(h.chunk.pages), "text": h.chunk.text}
                for h in delta.passages
            ]
            cites = [_citation(n, c) for n, c in enumerate(delta.citations, 1)]
            yield delta.text, Answered(text, delta.source, cites, passages)
            return
        if delta.text:
            yield delta.text, None
    yield "", Answered(text, "extractive", [], [])


def _event(kind: str, payload: dict[str, Any], message_id: str) -> bytes:
    return frame({"type": kind, "payload": payload, "message_id": message_id}, event=kind)


def _reply(turn: ChatTurn, content: str, final: bool, from_self: bool = False, **extra: Any) -> dict[str, Any]:
    return {
        "content": content,
        "is_from_self": from_self,
        "is_final": final,
        "is_llm_generated": extra.pop("llm", False),
        "record_id": turn.record_id,
        "request_id": turn.request_id,
        "session_id": turn.session_id,
        "timestamp": int(time.time()),
        **extra,
    }


def _slices(text: str, sent: int, size: int, keep: int) -> list[tuple[int, int]]:
    """Spans of ``size`` characters of ``text`` after ``sent`` while more than ``keep`` characters
    are unsent (spec §3.5.3: an event every N new characters)."""
    spans = []
    while len(text) - sent > keep and len(text) - sent >= size:
        spans.append((sent, sent + size))
        sent += size
    return spans


async def _stream(services: Services, turn: ChatTurn, message_id: str) -> AsyncIterator[bytes]:
    """The echo, then one ``reply`` every ``streaming_throttle`` new characters (the whole text
    so far, or only the new part with ``incremental``), and a final ``reply`` that holds the full
    answer in both modes (spec §3.5.1); then ``token_stat`` and ``reference``."""
    started = time.monotonic()
    yield _event("reply", _reply(turn, turn.content, True, from_self=True), message_id)
    text, sent, done = "", 0, None
    size = turn.throttle
    # cumulative: the last piece (at most N new characters) travels in the final event
    keep = 0 if turn.incremental else size
    try:
        async for piece, answered in answer_deltas(services, turn):
            text += piece
            for a, b in _slices(text, sent, size, keep):
                yield _event("reply", _reply(turn, text[a:b] if turn.incremental else text[:b], False), message_id)
                sent = b
            if answered is not None:
                done = answered
                break
    except ChatError as exc:
        yield _event("error", {"error": {"code": exc.chat_code, "message": exc.message}}, message_id)
        return
    assert done is not None
    if turn.incremental and sent < len(text):
        yield _event("reply", _reply(turn, text[sent:], False), message_id)
    llm = done.source == "llm"
    yield _event("reply", _reply(turn, text, True, llm=llm, reply_method=1 if llm else 2), message_id)
    elapsed = int((time.monotonic() - started) * 1000)
    stat = {
        "session_id": turn.session_id,
        "request_id": turn.request_id,
        "record_id": turn.record_id,
        "status_summary": "success",
        "token_count": len(done.text),
        "elapsed": elapsed,
    }
    yield _event("token_stat", stat, message_id)
    refs = {"record_id": turn.record_id, "references": done.citations, "answer_source": done.source}
    yield _event("reference", refs, message_id)


async def _read(request: Request) -> bytes:
    raw = await read_capped(request, MAX_BODY)
    if raw is None:
        raise ChatBodyTooLarge(f"the request body exceeds {MAX_BODY} bytes")
    return raw


@router.post("/v1/qbot/chat/sse")
async def chat_sse(request: Request) -> Response:
    services: Services = request.app.state.services
    message_id = str(uuid.uuid4())
    try:
        body = _body(await _read(request))
        turn = await asyncio.to_thread(resolve_turn, services, body)
    except ChatError as exc:
        return single_event(_event("error", {"error": {"code": exc.chat_code, "message": exc.message}}, message_id))
    return sse_response(_stream(services, turn, message_id))


@router.post("/v1/qbot/chat/answer")
async def chat_answer(request: Request) -> Response:
    """The same question as one JSON answer (no streaming)."""
    services: Services = request.app.state.services
    try:
        body = _body(await _read(request))
        turn = await asyncio.to_thread(resolve_turn, services, body)
        done = None
        async for _, answered in answer_deltas(services, turn):
            done = answered or done
    except ChatError as exc:
        return JSONResponse({"error": {"code": exc.chat_code, "message": exc.message}}, status_code=exc.status)
    assert done is not None
    return JSONResponse(
        {
            "session_id": turn.session_id,
            "request_id": turn.request_id,
            "record_id": turn.record_id,
            "answer": done.text,
            "source": done.source,
            "citations": done.citations,
            "passages": done.passages,
            "documents": [{"doc_id": d, "doc_name": turn.names[d]} for d in turn.doc_ids],
        }
    )
