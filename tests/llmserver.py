"""A tiny OpenAI-compatible chat-completions server (streaming) on loopback, for the LLM tests.

The requested ``model`` picks the behaviour: "ok" streams an answer citing [1], "http500" fails,
"cut" drops the connection mid-stream, "garbage" sends a malformed chunk.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from netutil import serve_in_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

ANSWER = ["Employees get ", "25 days ", "of paid leave", " [1]."]


@dataclass
class LlmServer:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)


def _chunk(content: str | None, finish: str | None = None) -> str:
    delta = {"content": content} if content is not None else {}
    body = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n"


def _app(state: LlmServer) -> Starlette:
    async def completions(request: Request) -> Response:
        body = await request.json()
        state.requests.append({"body": body, "authorization": request.headers.get("authorization")})
        mode = body.get("model")
        if mode == "http500":
            return JSONResponse({"error": {"message": "boom"}}, status_code=500)

        async def stream() -> AsyncIterator[str]:
            yield _chunk("")
            for i, piece in enumerate(ANSWER):
                if mode == "cut" and i == 2:
                    raise RuntimeError("connection dropped")
                if mode == "garbage" and i == 1:
                    yield "data: {not json\n\n"
                yield _chunk(piece)
            yield _chunk(None, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(stream(), headers={"Content-Type": "text/event-stream"})

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@contextmanager
def run_llm_server(port: int) -> Iterator[LlmServer]:
    state = LlmServer(f"http://127.0.0.1:{port}/v1")
    with serve_in_thread(_app(state), port, lifespan="off", log_level="critical"):
        yield state
