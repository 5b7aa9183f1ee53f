"""``POST /v1/qbot/chat/docParse``: parse an uploaded COS object for a chat session (spec §3.4).

No TC3: the caller is identified by ``bot_app_key``. Every answer is a 200 SSE stream of
``parsing`` events; a failed check is a stream whose only event is a final ``FAILED`` one (clients
loop until ``is_final``). The checks, in order: the body, ``bot_app_key``, ``session_id``,
``file_type``, the object path, that the path was issued (DescribeStorageCredential) to this app,
the object's existence, ``size``, ``cos_hash`` (CRC-64), ``e_tag``, the size limit, and the content
against ``file_type``. Then the object is parsed by the workers like any task; the finished
Document is stored under ``documents/<doc_id>.json``, indexed for questions, and the last event
carries the ``doc_id`` bound to (app, ``session_id``).

The parse is followed by a background task, not by the response, so a client that goes away
loses nothing: the document still becomes ready for the session's questions.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from docrecon.api.body import read_capped
from docrecon.api.inputs import Fields, build_options, check_content
from docrecon.api.lke import parse_lke_type
from docrecon.api.services import Services
from docrecon.api.sse import frame, single_event, sse_response
from docrecon.api.stream import TaskFeed
from docrecon.errors import DocParseError, DocreconError
from docrecon.readers.formats import Format
from docrecon.state.apps import App
from docrecon.state.sessions import SessionDoc
from docrecon.tasks import EventKind
from docrecon.validation import check_size

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

SESSION_ID = re.compile(r"^[a-zA-Z0-9_-]{2,64}$")
MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class DocParseRequest:
    session_id: str
    bot_app_key: str
    request_id: str
    bucket: str
    file_type: str
    file_name: str
    #: object key without the leading ``/``
    key: str
    cos_hash: str
    e_tag: str
    size: int


@dataclass(slots=True)
class Reply:
    """Fields shared by every event of one call."""

    session_id: str
    message_id: str
    trace_id: str

    def event(self, status: str, process: int, doc_id: str = "0", error: str = "", final: bool = False) -> bytes:
        payload = {
            "doc_id": doc_id,
            "error_message": error,
            "is_final": final,
            "process": process,
            "session_id": self.session_id,
            "status": status,
            "timestamp": int(time.time()),
            "trace_id": self.trace_id,
        }
        return frame({"type": "parsing", "payload": payload, "message_id": self.message_id}, event="parsing")

    def failed(self, message: str) -> bytes:
        return self.event("FAILED", 0, error=message, final=True)


def _text(body: dict[str, Any], *names: str) -> str:
    for name in names:
        value = body.get(name)
        if isinstance(value, bool):
            raise DocParseError(f"{name} must be a string")
        if isinstance(value, str | int) and str(value) != "":
            return str(value)
        if value is not None and not isinstance(value, str | int):
            raise DocParseError(f"{name} must be a string")
    return ""


def object_key(cos_url: str) -> str:
    """The object key from ``cos_url``: a path (``/corp/...``) or a full URL (its path)."""
    path = urlsplit(cos_url).path if "://" in cos_url else cos_url.split("?", 1)[0]
    return unquote(path).lstrip("/")


def read_request(raw: bytes) -> DocParseRequest:
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise DocParseError("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise DocParseError("the request body must be a JSON object")
    size_text = _text(body, "size")
    missing = [
        n
        for n, v in (
            ("bot_app_key", _text(body, "bot_app_key")),
            ("session_id", _text(body, "session_id")),
            ("cos_bucket", _text(body, "cos_bucket")),
            ("file_type", _text(body, "file_type")),
            ("cos_url", _text(body, "cos_url", "file_url")),
            ("cos_hash", _text(body, "cos_hash")),
            ("e_tag", _text(body, "e_tag")),
            ("size", size_text),
        )
        if not v
    ]
    if missing:
        raise DocParseError(f"missing field(s): {', '.join(missing)}")
    if not size_text.isdigit():
        raise DocParseError(f"size must be a decimal number of bytes, not {size_text!r}")
    key = object_key(_text(body, "cos_url", "file_url"))
    file_type = _text(body, "file_type").lower().lstrip(".")
    return DocParseRequest(
        session_id=_text(body, "session_id"),
        bot_app_key=_text(body, "bot_app_key"),
        request_id=_text(body, "request_id"),
        bucket=_text(body, "cos_bucket"),
        file_type=file_type,
        file_name=_text(body, "file_name") or key.rsplit("/", 1)[-1] or f"document.{file_type}",
        key=key,
        cos_hash=_text(body, "cos_hash").strip(),
        e_tag=_text(body, "e_tag").strip().strip('"'),
        size=int(size_text),
    )


def _check(services: Services, req: DocParseRequest) -> tuple[App, Format]:
    """Every check that needs no file content; raises :class:`DocParseError`."""
    app = services.apps.by_key(req.bot_app_key)
    if app is None:
        raise DocParseError("invalid bot_app_key: unknown or revoked application")
    if not SESSION_ID.match(req.session_id):
        raise DocParseError("invalid session_id: 2-64 characters of letters, digits, '_' and '-'")
    fmt = parse_lke_type(req.file_type)
    if fmt is None:
        raise DocParseError(f"file_type {req.file_type!r} is not supported for parsing")
    cred = services.cos.credentials.for_object(req.bucket, "/" + req.key)
    if cred is None or cred.app_id != app.app_id:
        raise DocParseError(
            "cos_url is not an upload path issued to this application (DescribeStorageCredential with its BotBizId)"
        )
    meta = services.cos.head(req.bucket, req.key)
    if meta is None:
        raise DocParseError(f"no uploaded object at {req.bucket}/{req.key}")
    if meta.size != req.size:
        raise DocParseError(f"size mismatch: the stored object has {meta.size} bytes, the request says {req.size}")
    if str(meta.crc64) != req.cos_hash:
        raise DocParseError(
            f"cos_hash mismatch: the stored object's CRC-64 is {meta.crc64}, the request says {req.cos_hash}"
        )
    if meta.etag.strip('"') != req.e_tag:
        raise DocParseError(f"e_tag mismatch: the stored object's ETag is {meta.etag}")
    check_size(meta.size, fmt, services.settings.limits.files.for_format(fmt))  # before reading the object
    return app, fmt


def _read_object(services: Services, req: DocParseRequest) -> bytes:
    with services.cos.open(req.bucket, req.key) as fh:
        return fh.read()


#: events from the follower to the response: (status, process, doc_id, error)
Progress = tuple[str, int, str, str]


async def _follow(
    services: Services, sdoc: SessionDoc, feed: TaskFeed, out: asyncio.Queue[Progress], percent: int
) -> None:
    """Runs in the background until the document is ready or failed (client or not); ``process``
    only moves forward from ``percent``, the last one sent."""
    try:
        while True:
            ev = await feed.next(services.settings.runner.task_timeout + 60)
            if ev is None:
                raise DocParseError("parse timed out")
            if ev.kind is EventKind.FAILED:
                raise DocParseError(ev.error)  # the message async results and SSE give
            if ev.kind is EventKind.DONE:
                break
            if (moved := 5 + ev.percent * 85 // 100) > percent:
                percent = moved
                out.put_nowait(("PARSING", percent, "0", ""))
        out.put_nowait(("PARSING", 95, "0", ""))
        await services.index_session_doc(sdoc)
        services.sessions.finish(sdoc.doc_id, "ready")
        out.put_nowait(("SUCCESS", 100, sdoc.doc_id, ""))
    except DocreconError as exc:
        services.sessions.finish(sdoc.doc_id, "failed", exc.message)
        out.put_nowait(("FAILED", percent, "0", exc.message))
    except Exception as exc:  # noqa: BLE001 - reported to the client as the final event
        log.exception("docParse %s failed", sdoc.doc_id)
        services.sessions.finish(sdoc.doc_id, "failed", "internal error")
        out.put_nowait(("FAILED", percent, "0", f"internal error: {type(exc).__name__}"))
    finally:
        await feed.close()


async def _stream(
    services: Services, req: DocParseRequest, fmt: Format, app: App, reply: Reply
) -> AsyncIterator[bytes]:
    yield reply.event("PARSING", 0)
    sdoc: SessionDoc | None = None
    try:
        data = await asyncio.to_thread(_read_object, services, req)
        files = services.settings.limits.files
        content = check_content(data, req.file_name, fmt.value, files, flow=False)
        del data
        fields = Fields(content.fmt.value, None, None, None, None, {})
        options = build_options(fields, services.settings.limits.max_pages_async, files.for_format(content.fmt), "3")
        rec = services.new_task(None, "docparse", content.fmt.value, req.file_name, owner=f"app:{app.app_id}")
        sdoc = services.sessions.add(app.app_id, req.session_id, rec.task_id, req.file_name, req.file_type, req.size)
        feed, first = await services.submit_streamed(rec, content, options, sdoc.document_key)
        del content
    except DocreconError as exc:
        if sdoc is not None:
            services.sessions.finish(sdoc.doc_id, "failed", exc.message)
        yield reply.failed(exc.message)
        return
    out: asyncio.Queue[Progress] = asyncio.Queue()
    if first is not None:
        out.put_nowait(("PARSING", 5, "0", ""))
    services.spawn(_follow(services, sdoc, feed, out, 5 if first is not None else 0))
    last = reply.event("PARSING", 0)
    while True:
        try:
            status, process, doc_id, error = await asyncio.wait_for(out.get(), services.settings.runner.keepalive)
        except TimeoutError:
            yield last
            continue
        final = status != "PARSING"
        last = reply.event(status, process, doc_id, error, final)
        yield last
        if final:
            return


@router.post("/v1/qbot/chat/docParse")
async def doc_parse(request: Request) -> Response:
    services: Services = request.app.state.services
    reply = Reply("", str(uuid.uuid4()), uuid.uuid4().hex[:16])
    try:
        raw = await read_capped(request, MAX_BODY)
        if raw is None:
            raise DocParseError(f"the request body exceeds {MAX_BODY} bytes")
        req = read_request(raw)
        reply.session_id = req.session_id
        app, fmt = await asyncio.to_thread(_check, services, req)
    except DocreconError as exc:  # DocParseError, or the size limit (TooLarge)
        return single_event(reply.failed(exc.message))
    return sse_response(_stream(services, req, fmt, app, reply))
