"""Server-sent events with the exact framing the Tencent SDK needs (spec §1.5, §5):
``Content-Type: text/event-stream`` with no charset, one ``data:`` line per event, ``\\n\\n``
after every event, keep-alives as repeated progress events (never comment lines)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from starlette.responses import StreamingResponse


def frame(data: object, event_id: int | None = None, event: str | None = None) -> bytes:
    """One event: optional ``id:`` and ``event:`` lines, then a single ``data:`` line."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    head = f"id: {event_id}\n" if event_id is not None else ""
    if event is not None:
        head += f"event: {event}\n"
    return f"{head}data: {text}\n\n".encode()


async def _once(event: bytes) -> AsyncIterator[bytes]:
    yield event


def single_event(event: bytes) -> StreamingResponse:
    """A stream of exactly one event (a request refused after checks, as LKE streams do)."""
    return sse_response(_once(event))


def sse_response(body: AsyncIterator[bytes], request_id: str | None = None) -> StreamingResponse:
    """No ``media_type``: Starlette would append ``; charset=utf-8`` and break the SDK."""
    headers = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    if request_id:
        headers["X-TC-RequestId"] = request_id
    return StreamingResponse(body, headers=headers)
