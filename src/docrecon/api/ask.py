"""``POST /v1/ask``: a question about the caller's own parsed tasks (submitted with
``view=true``), answered as server-sent events; the web page's Q&A.

The documents are added to the Q&A index on first use (doc id ``task:<TaskId>``, removed with
the task's view by the sweeper); the answer comes from the same code as the chat API
(:func:`docrecon.api.chat.answer_stream`). Events: ``delta`` (``{"text"}``, a piece of the
answer) and one final ``answer`` (``{"text", "source", "citations"}``, each citation with its
``task_id``, ``page``, ``bbox`` in points and ``block_id``); a refusal is one ``error`` event with
the native envelope ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from docrecon.api.chat import answer_stream
from docrecon.api.native import Key, _own, services_of
from docrecon.api.services import Services
from docrecon.api.sse import frame, sse_response
from docrecon.api.web import documents
from docrecon.errors import ChatUnavailable, DocreconError
from docrecon.model.serialize import document_from_dict
from docrecon.tasks import TaskRecord

router = APIRouter(prefix="/v1", tags=["web"])
DOC_PREFIX = "task:"


class AskRequest(BaseModel):
    task_ids: list[str] = Field(min_length=1, max_length=20, description="finished tasks submitted with view=true")
    question: str = Field(min_length=1, max_length=4000)


async def _index(services: Services, rec: TaskRecord) -> str:
    """The task's Q&A doc id, indexing its document first if needed."""
    qa = services.qa
    if qa is None:
        raise ChatUnavailable("question answering is not installed on this server (qa extra)")
    doc_id = DOC_PREFIX + rec.task_id
    if not await asyncio.to_thread(qa.has, doc_id):
        payload = await documents.get(services, rec)
        await asyncio.to_thread(qa.add, doc_id, document_from_dict(payload), rec.name)
    return doc_id


def _citation(c: dict[str, Any]) -> dict[str, Any]:
    return {**c, "task_id": str(c["doc_id"]).removeprefix(DOC_PREFIX)}


async def _events(services: Services, question: str, doc_ids: list[str]) -> AsyncIterator[bytes]:
    try:
        async for piece, answered in answer_stream(services, question, doc_ids):
            if piece and answered is None:
                yield frame({"text": piece}, event="delta")
            if answered is not None:
                cites = [_citation(c) for c in answered.citations]
                yield frame({"text": answered.text, "source": answered.source, "citations": cites}, event="answer")
                return
    except DocreconError as exc:
        yield frame({"error": {"code": exc.code, "message": exc.message}}, event="error")


@router.post(
    "/ask",
    summary="Ask a question about parsed tasks (server-sent events: delta, answer)",
    response_description="text/event-stream",
)
async def ask(request: Request, key: Key, body: AskRequest) -> Response:
    services = services_of(request)
    doc_ids = [await _index(services, _own(services, key, task_id)) for task_id in dict.fromkeys(body.task_ids)]
    return sse_response(_events(services, body.question, doc_ids))
