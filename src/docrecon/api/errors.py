"""The three ways an error of the tree (:mod:`docrecon.errors`, which holds every class and
code, the service's own included) is written:

* cloud API (``POST /``): HTTP 200 + ``application/json`` + ``{"Response": {"Error": ..., "RequestId"}}``
  (spec §1.4): :func:`cloud_error`.
* inside an SSE stream: the same envelope as the final ``data:`` event (spec §2.6).
* native REST (``/v1``): the HTTP status of the class + ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from docrecon.errors import DocreconError, InputError


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
