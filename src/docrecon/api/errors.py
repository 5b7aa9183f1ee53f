"""Service errors and the three ways they are written.

Errors of the service itself join the engine's tree (each carries the Tencent ``api_code``)::

    DocreconError
    ├─ CloudError                 400  (any code given at raise time: MissingParameter, ...)
    ├─ AuthError                  401  AuthFailure.* (code given at raise time)
    ├─ FileUrlInvalid             400  InvalidParameter.FileURLInvalid
    ├─ QuotaExceeded              429  ResourceUnavailable.ResourcePackageRunOut
    └─ Busy (engine)              429  RequestLimitExceeded

* cloud API (``POST /``): HTTP 200 + ``application/json`` + ``{"Response": {"Error": ..., "RequestId"}}``
  (spec §1.4): :func:`cloud_error`.
* inside an SSE stream: the same envelope as the final ``data:`` event (spec §2.6).
* native REST (``/v1``): the HTTP status of the class + ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import json
from typing import ClassVar

from fastapi import Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from docrecon.errors import Busy, DocreconError, InputError


class CloudError(DocreconError):
    """An error whose Tencent code is chosen where it is raised."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, api_code: str, message: str) -> None:
        super().__init__(message)
        self.api_code = api_code  # type: ignore[misc]


class AuthError(CloudError):
    status = 401
    code = "unauthorized"


class FileUrlInvalid(InputError):
    code = "file_url_invalid"
    api_code = "InvalidParameter.FileURLInvalid"


class QuotaExceeded(DocreconError):
    status = 429
    code = "quota_exceeded"
    api_code = "ResourceUnavailable.ResourcePackageRunOut"


class QueueFull(Busy):
    code = "queue_full"


def envelope(api_code: str, message: str, request_id: str) -> dict[str, object]:
    return {"Response": {"Error": {"Code": api_code, "Message": message}, "RequestId": request_id}}


def cloud_json(body: dict[str, object], request_id: str) -> Response:
    """A cloud API JSON answer: exactly ``application/json`` (no charset, spec §1.5)."""
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(
        payload, status_code=200, headers={"Content-Type": "application/json", "X-TC-RequestId": request_id}
    )


def cloud_error(exc: DocreconError, request_id: str) -> Response:
    return cloud_json(envelope(exc.api_code, exc.message, request_id), request_id)


async def native_error_handler(request: Request, exc: Exception) -> Response:
    """The one handler for :class:`DocreconError` on the native routes (found by MRO)."""
    assert isinstance(exc, DocreconError)
    body = {"error": {"code": exc.code, "api_code": exc.api_code, "message": exc.message}}
    return JSONResponse(body, status_code=exc.status)


def _field_problem(exc: RequestValidationError) -> str:
    problems = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "header"))
        problems.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
    return "; ".join(problems) or "invalid request"


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    """FastAPI's own field checks (a missing ``file``...) in the native envelope on ``/v1``."""
    assert isinstance(exc, RequestValidationError)
    if not request.url.path.startswith("/v1/"):
        return await request_validation_exception_handler(request, exc)
    return await native_error_handler(request, InputError(_field_problem(exc)))
