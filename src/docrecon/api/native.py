"""The native REST API for clients without the Tencent SDK (OpenAPI at ``/docs``).

Authentication: ``Authorization: Bearer <SecretId>:<SecretKey>`` (a key from ``docrecon keys``), or
``Authorization: Bearer <token>`` with a short-lived token from ``POST /v1/tokens`` (:mod:`docrecon.api.web`).
Options: the form field ``config`` holds the same JSON object as the cloud API's ``Config``.
Events have the cloud API's shape plus an ``id:`` line (the event number) so that a client can
resume ``/v1/tasks/{id}/events`` with ``Last-Event-ID``.
"""

from __future__ import annotations

import asyncio
import hmac
import io
import json
import uuid
import zipfile
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from docrecon.api.cloud import base_url_of
from docrecon.api.inputs import Content, Fields, Options, build_options, check_content, obtain
from docrecon.api.lkeap import sse_event
from docrecon.api.results import zip_response
from docrecon.api.services import ANONYMOUS, Services
from docrecon.api.sse import sse_response
from docrecon.api.stream import TaskFeed, follow
from docrecon.errors import (
    AuthError,
    InvalidOption,
    MissingParameter,
    NotFound,
    TokenInvalid,
    UnknownSecretId,
    UnsupportedFormat,
)
from docrecon.options import OcrMode
from docrecon.readers.formats import parse_format
from docrecon.state.keys import ApiKey
from docrecon.state.tokens import TokenSigner
from docrecon.storage import read_all
from docrecon.tasks import JobState, TaskEvent, TaskRecord
from docrecon.validation import FileLimits, check_size

router = APIRouter(prefix="/v1", tags=["native"])


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def native_key(request: Request, authorization: Annotated[str | None, Header()] = None) -> ApiKey | None:
    """Check ``Bearer SecretId:SecretKey`` and the per-key rate limit."""
    services = services_of(request)
    if not services.settings.auth.enabled:
        services.limiter.check(ANONYMOUS)
        return None
    scheme, _, cred = (authorization or "").partition(" ")
    cred = cred.strip()
    if scheme.lower() == "bearer" and TokenSigner.looks_like(cred):
        key = _token_key(services, cred)
    else:
        secret_id, _, secret_key = cred.partition(":")
        if scheme.lower() != "bearer" or not secret_id or not secret_key:
            raise AuthError("send Authorization: Bearer <SecretId>:<SecretKey> or Bearer <token>")
        found = services.keys.active(secret_id)
        if found is None or not hmac.compare_digest(found.secret_key, secret_key):
            raise UnknownSecretId("unknown, revoked or expired key")
        key = found
    services.limiter.check(key.secret_id)
    return key


def _token_key(services: Services, token: str) -> ApiKey:
    """The key behind a bearer token; the key itself must still be active (revocation)."""
    secret_id = services.tokens.verify(token)
    key = services.keys.active(secret_id) if secret_id else None
    if key is None:
        raise TokenInvalid("the token is invalid or expired; sign in again")
    return key


Key = Annotated[ApiKey | None, Depends(native_key)]
Upload = Annotated[UploadFile, File(description="the document")]
FileTypeForm = Annotated[str | None, Form(description="PDF, DOCX, ... (default: from the file name)")]
PageForm = Annotated[int | None, Form()]
ConfigForm = Annotated[str | None, Form(description="JSON object, as ReconstructDocumentSSEConfig")]
PasswordForm = Annotated[str | None, Form(description="password of an encrypted PDF")]
OcrForm = Annotated[str | None, Form(description="auto (default), force or off")]


async def _read_upload(
    services: Services, upload: UploadFile, file_type: str | None, files: FileLimits, flow: bool
) -> tuple[bytes, str, str]:
    """The upload, read at most up to the declared type's limit (or ``server.max_upload_bytes``)."""
    name = upload.filename or "document"
    declared = file_type or (name.rsplit(".", 1)[-1] if "." in name else "")
    fmt = parse_format(declared) if declared else None
    if fmt is None:
        raise UnsupportedFormat(f"unknown file type {declared!r}; pass file_type")
    cap = min(services.settings.server.max_upload_bytes, files.for_format(fmt, flow))
    data = await upload.read(cap + 1)
    check_size(len(data), fmt, cap)
    return data, name, fmt.value


def _fields(file_type: str, start: int | None, end: int | None, config: str | None) -> Fields:
    try:
        cfg = json.loads(config) if config else {}
    except ValueError:
        raise InvalidOption("config is not valid JSON") from None
    if not isinstance(cfg, dict):
        raise InvalidOption("config must be a JSON object")
    return Fields(file_type, None, None, start, end, cfg)


async def _prepare(
    services: Services,
    upload: UploadFile,
    file_type: str | None,
    start: int | None,
    end: int | None,
    config: str | None,
    sse: bool,
    password: str | None = None,
    ocr: str | None = None,
) -> tuple[Content, Options]:
    files, flow = services.settings.limits.files, not sse
    data, name, ftype = await _read_upload(services, upload, file_type, files, flow)
    content = check_content(data, name, ftype, files, flow)
    max_pages = services.settings.limits.max_pages_sse if sse else services.settings.limits.max_pages_async
    options = build_options(_fields(ftype, start, end, config), max_pages, files.for_format(content.fmt, flow))
    parse = replace(options.parse, password=password or None, ocr=_ocr_mode(ocr))
    return content, replace(options, parse=parse)


def _ocr_mode(value: str | None) -> OcrMode:
    try:
        return OcrMode(value or OcrMode.AUTO.value)
    except ValueError:
        raise InvalidOption(f"ocr must be one of auto, force, off, not {value!r}") from None


@router.post(
    "/parse",
    summary="Parse an upload, streaming progress as server-sent events",
    response_description="text/event-stream of ReconstructDocumentSSE-shaped events",
)
async def parse_stream(
    request: Request,
    key: Key,
    file: Upload,
    file_type: FileTypeForm = None,
    page_start: PageForm = None,
    page_end: PageForm = None,
    config: ConfigForm = None,
    password: PasswordForm = None,
    ocr: OcrForm = None,
) -> Response:
    services = services_of(request)
    content, options = await _prepare(services, file, file_type, page_start, page_end, config, True, password, ocr)
    services.check_quota(key)
    rec = services.new_task(key, "native", content.fmt.value, content.name, file_size=len(content.data))
    feed, first = await services.submit_streamed(rec, content, options)
    return _stream(request, services, rec, feed, first, str(uuid.uuid4()), every=False)


def _stream(
    request: Request,
    services: Services,
    rec: TaskRecord,
    feed: TaskFeed,
    first: TaskEvent | None,
    request_id: str,
    every: bool = True,
) -> Response:
    """The task's events as SSE; ``every`` (the event log endpoint) keeps every event id, else
    (a live parse) only events that move the progress are sent, as on ReconstructDocumentSSE."""
    base = base_url_of(request)
    message = "task accepted" if first is not None or rec.state is not JobState.QUEUED else "task queued"
    high = [_percent(rec)]  # progress never goes backwards, also when old events are replayed
    initial = sse_event(services, base, request_id, rec.task_id, None, high[0], message)

    def render(ev: TaskEvent, percent: int) -> bytes:
        high[0] = max(high[0], percent)
        return sse_event(services, base, request_id, rec.task_id, ev, high[0], ev.message or message, True)

    stream = follow(feed, render, services.settings.runner.keepalive, first, initial, every=every)
    return sse_response(stream, request_id)


def _percent(rec: TaskRecord) -> int:
    return min(99, int(99 * rec.done / rec.total)) if rec.total else 0


UrlForm = Annotated[str | None, Form(description="download the document from this URL instead of an upload")]
ViewForm = Annotated[bool, Form(description="keep the source and document model for /v1/tasks/{id}/pages")]


@router.post("/tasks", status_code=202, summary="Create a parse task (an upload, or a file_url)")
async def create_task(
    request: Request,
    key: Key,
    file: Annotated[UploadFile | None, File(description="the document")] = None,
    file_url: UrlForm = None,
    file_type: FileTypeForm = None,
    page_start: PageForm = None,
    page_end: PageForm = None,
    config: ConfigForm = None,
    password: PasswordForm = None,
    ocr: OcrForm = None,
    view: ViewForm = False,
) -> JSONResponse:
    services = services_of(request)
    if file is not None:
        content, options = await _prepare(services, file, file_type, page_start, page_end, config, False, password, ocr)
    elif file_url:
        services.admit()  # a full queue refuses the task before any download
        content, options = await _prepare_url(
            services, file_url, file_type, page_start, page_end, config, password, ocr
        )
    else:
        raise MissingParameter("send a file or a file_url")
    services.check_quota(key)
    rec = services.new_task(key, "native", content.fmt.value, content.name, file_size=len(content.data))
    document_key = await services.keep_view(rec.task_id, content.data) if view else None
    await services.submit(rec, content, options, document_key)
    return JSONResponse(_status(request, services, rec), status_code=202)


async def _prepare_url(
    services: Services, url: str, file_type: str | None, start: int | None, end: int | None,
    config: str | None, password: str | None, ocr: str | None,
) -> tuple[Content, Options]:
    files = services.settings.limits.files
    path = url.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    declared = file_type or (path.rsplit(".", 1)[-1] if "." in path else "PDF")
    fmt = parse_format(declared)
    if fmt is None:
        raise UnsupportedFormat(f"unknown file type {declared!r}; pass file_type")
    fields = _fields(fmt.value, start, end, config)
    data, name = await obtain(replace(fields, url=url), services.fetcher, files, flow=True)
    content = check_content(data, name, fmt.value, files, True)
    options = build_options(fields, services.settings.limits.max_pages_async, files.for_format(content.fmt, True))
    parse = replace(options.parse, password=password or None, ocr=_ocr_mode(ocr))
    return content, replace(options, parse=parse)


def _own(services: Services, key: ApiKey | None, task_id: str) -> TaskRecord:
    rec = services.store.get(task_id)
    if rec is None or rec.key_id != (key.secret_id if key else ANONYMOUS):
        raise NotFound(f"no task {task_id}")
    return rec


def _status(request: Request, services: Services, rec: TaskRecord) -> dict[str, Any]:
    base = f"{base_url_of(request)}/v1/tasks/{rec.task_id}"
    out: dict[str, Any] = {
        "task_id": rec.task_id,
        "state": rec.state.value,
        "status": rec.state.api_status,
        "progress": 100 if rec.state is JobState.SUCCEEDED else _percent(rec),
        "message": rec.message,
        "pages_done": rec.done,
        "pages_total": rec.total,
        "success_pages": rec.success_pages,
        "failed_pages": [{"page": f.number, "error": f.error} for f in rec.failed_pages],
        "file_name": rec.name,
        "file_type": rec.file_type,
        "file_size": rec.file_size,
        "created": rec.created,
        "finished": rec.finished,
        "events_url": f"{base}/events",
        "result_url": None,
        "error": None,
    }
    if rec.state is JobState.SUCCEEDED:
        out["result_url"] = services.result_url(base_url_of(request), rec.task_id)
    elif rec.state.final:
        out["error"] = {"code": rec.error_code, "message": rec.error_message}
    return out


@router.get("/tasks", summary="The caller's recent native tasks, newest first")
async def task_list(
    request: Request, key: Key, limit: Annotated[int, Query(ge=1, le=100)] = 30
) -> JSONResponse:
    services = services_of(request)
    ids = services.store.recent(key.secret_id if key else ANONYMOUS, "native", limit)
    records = [rec for rec in map(services.store.get, ids) if rec is not None]
    return JSONResponse({"tasks": [_status(request, services, rec) for rec in records]})


@router.get("/tasks/{task_id}", summary="Task status")
async def task_status(request: Request, key: Key, task_id: str) -> JSONResponse:
    services = services_of(request)
    return JSONResponse(_status(request, services, _own(services, key, task_id)))


@router.get("/tasks/{task_id}/events", summary="Task events (server-sent events, resumable)")
async def task_events(
    request: Request,
    key: Key,
    task_id: str,
    last_event_id: Annotated[str | None, Header()] = None,
    after: int | None = None,
) -> Response:
    services = services_of(request)
    rec = _own(services, key, task_id)
    start = after if after is not None else -1
    if after is None and last_event_id is not None and last_event_id.isdigit():
        start = int(last_event_id)
    feed = TaskFeed(services.tasks, rec.task_id, start)
    return _stream(request, services, rec, feed, None, str(uuid.uuid4()))


_MEDIA = {"md": "text/markdown; charset=utf-8", "json": "application/json", "jsonl": "application/x-ndjson",
          "html": "text/html; charset=utf-8", "text": "text/plain; charset=utf-8"}
_SUFFIX = {"text": "txt"}
ResultFormat = Annotated[Literal["zip", "md", "json", "jsonl", "html", "text"], Query(alias="format")]


@router.get("/tasks/{task_id}/result", summary="Download the result zip, or one of its files")
async def task_result(request: Request, key: Key, task_id: str, fmt: ResultFormat = "zip") -> Response:
    services = services_of(request)
    rec = _own(services, key, task_id)
    if rec.state is not JobState.SUCCEEDED or services.store.result_swept(rec.task_id):
        raise NotFound(f"task {task_id} has no result ({rec.state.value})")
    if fmt == "zip":
        return zip_response(services.storage, rec.result_key, f"{rec.task_id}_parse.zip")
    data = await asyncio.to_thread(read_all, services.storage, rec.result_key)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        suffix = f".{_SUFFIX.get(fmt, fmt)}"
        names = [n for n in zf.namelist() if "/" not in n and n.endswith(suffix)]
        if not names:
            raise NotFound(f"the result of task {task_id} holds no {suffix} file (see Config.ResultType)")
        return Response(zf.read(names[0]), media_type=_MEDIA[fmt])


@router.delete("/tasks/{task_id}", summary="Cancel a task")
async def task_cancel(request: Request, key: Key, task_id: str) -> JSONResponse:
    services = services_of(request)
    rec = _own(services, key, task_id)
    services.cancel(rec)
    return JSONResponse(_status(request, services, services.store.get(task_id) or rec))
