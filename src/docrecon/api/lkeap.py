"""LKEAP 2024-05-22 (service ``lkeap``): ReconstructDocumentSSE, CreateReconstructDocumentFlow,
GetReconstructDocumentResult, CancelTask (spec §2). Other LKEAP actions answer InvalidAction."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from docrecon.api.cloud import CloudCall, register
from docrecon.api.errors import cloud_json, envelope
from docrecon.api.inputs import (
    Fields,
    build_options,
    check_content,
    obtain,
    read_fields,
)
from docrecon.api.services import Services
from docrecon.api.sse import frame, sse_response
from docrecon.api.stream import follow
from docrecon.errors import DocreconError, MissingParameter, NotFound
from docrecon.tasks import EventKind, JobState, TaskEvent, TaskRecord

SERVICE = "lkeap"
VERSION = "2024-05-22"


def _failed_pages(ev_pages: Any) -> list[dict[str, Any]]:
    return [{"PageNumber": f.number, "ErrorMsg": f.error} for f in ev_pages]


def sse_event(
    services: Services,
    base_url: str,
    request_id: str,
    task_id: str,
    ev: TaskEvent | None,
    percent: int,
    message: str,
    with_id: bool = False,
) -> bytes:
    """One ``ReconstructDocumentSSE`` event (spec §2.5) for ``ev`` (None: the first, Progress 0).
    ``with_id`` adds the ``id:`` line (the event's sequence number) of the native API, and the
    page counts ``PagesDone``/``PagesTotal``/``Page``."""
    event_id = ev.seq if with_id and ev is not None else None
    if ev is not None and ev.kind is EventKind.FAILED:
        return frame(envelope(ev.code, ev.error, request_id), event_id)
    body: dict[str, Any] = {
        "RequestId": request_id,
        "TaskId": task_id,
        "ResponseType": "PROGRESS",
        "Progress": str(percent),
        "ProgressMessage": message,
        "DocumentRecognizeResultUrl": "",
        "FailedPages": [],
    }
    if with_id and ev is not None:  # the native API also tells the pages (the web page's progress)
        body.update(PagesDone=ev.done, PagesTotal=ev.total, Page=ev.page)
    if ev is not None and ev.kind is EventKind.DONE:
        body.update(
            ResponseType="TASK_RSP",
            Progress="100",
            DocumentRecognizeResultUrl=services.result_url(base_url, task_id),
            FailedPages=_failed_pages(ev.failed_pages),
            FailPageNum=len(ev.failed_pages),
            SuccessPageNum=ev.success_pages,
        )
    return frame(body, event_id)


async def reconstruct_sse(call: CloudCall) -> Response:
    services = call.services
    fields = read_fields(call.params, services.settings.limits.base64_max_bytes)
    services.admit()  # a full queue refuses the call before any download
    files = services.settings.limits.files
    data, name = await obtain(fields, services.fetcher, files, flow=False)
    content = check_content(data, name, fields.file_type, files, flow=False)
    options = build_options(fields, services.settings.limits.max_pages_sse, files.for_format(content.fmt))
    services.check_quota(call.key)
    rec = services.new_task(call.key, "sse", content.fmt.value, name)
    feed, first = await services.submit_streamed(rec, content, options)
    message = "task accepted" if first is not None else "task queued"
    initial = sse_event(services, call.base_url, call.request_id, rec.task_id, None, 0, message)

    def render(ev: TaskEvent, percent: int) -> bytes:
        return sse_event(
            services, call.base_url, call.request_id, rec.task_id, ev, percent, ev.message or message
        )

    stream = follow(feed, render, services.settings.runner.keepalive, first, initial)
    return sse_response(stream, call.request_id)


async def _prepare_flow(services: Services, rec: TaskRecord, fields: Fields) -> None:
    """Background part of CreateReconstructDocumentFlow: download, checks, submit; failures are
    recorded on the task (GetReconstructDocumentResult reports them)."""
    try:
        files = services.settings.limits.files
        data, name = await obtain(fields, services.fetcher, files, flow=True)
        content = check_content(data, name, fields.file_type, files, flow=True)
        options = build_options(
            fields,
            services.settings.limits.max_pages_async,
            files.for_format(content.fmt, flow=True),
            default_result_type="0",
        )
        await services.submit(rec, content, options)
    except DocreconError as exc:
        services.tasks.fail(rec.task_id, exc)


async def create_flow(call: CloudCall) -> Response:
    services = call.services
    fields = read_fields(call.params, services.settings.limits.base64_max_bytes)
    # option values need no content: refuse them now rather than through the task
    build_options(fields, services.settings.limits.max_pages_async, None)
    services.check_quota(call.key)
    rec = services.new_task(call.key, "flow", fields.file_type)
    services.spawn(_prepare_flow(services, rec, fields))
    return cloud_json({"Response": {"TaskId": rec.task_id, "RequestId": call.request_id}}, call.request_id)


def _own_task(call: CloudCall) -> TaskRecord:
    task_id = call.params.get("TaskId")
    if not isinstance(task_id, str) or not task_id:
        raise MissingParameter("TaskId is required")
    rec = call.services.store.get(task_id)
    if rec is None or rec.key_id != call.key_id:
        raise NotFound(f"no task {task_id}")
    return rec


def _usage(rec: TaskRecord) -> dict[str, int]:
    return {
        "PageNumber": rec.total,
        "TotalToken": 0,
        "TotalTokens": 0,
        "SplitTokens": 0,
        "MllmTokens": 0,
        "SuccessPageNum": rec.success_pages,
        "FailPageNum": len(rec.failed_pages),
        "FileSize": rec.file_size,
    }


async def get_result(call: CloudCall) -> Response:
    rec = _own_task(call)
    body: dict[str, Any] = {
        "Status": rec.state.api_status,
        "DocumentRecognizeResultUrl": "",
        "FailedPages": [],
        "Usage": _usage(rec),
    }
    if rec.state is JobState.SUCCEEDED:
        if call.services.store.result_swept(rec.task_id):
            raise NotFound(f"the result of task {rec.task_id} has expired")
        body["DocumentRecognizeResultUrl"] = call.services.result_url(call.base_url, rec.task_id)
        body["FailedPages"] = _failed_pages(rec.failed_pages)
    elif rec.state is JobState.FAILED:
        # the key the SDK reads as an API error: callers get an exception with the task's code
        body["Error"] = {"Code": rec.error_code, "Message": rec.error_message}
    body["RequestId"] = call.request_id
    return cloud_json({"Response": body}, call.request_id)


async def cancel_task(call: CloudCall) -> Response:
    rec = _own_task(call)
    call.services.cancel(rec)
    return cloud_json({"Response": {"RequestId": call.request_id}}, call.request_id)


register("ReconstructDocumentSSE", SERVICE, VERSION, reconstruct_sse)
register("CreateReconstructDocumentFlow", SERVICE, VERSION, create_flow)
register("GetReconstructDocumentResult", SERVICE, VERSION, get_result)
register("CancelTask", SERVICE, VERSION, cancel_task)
